package load

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// TopTier is HotSpot's highest compilation level: C2's optimised code.
const TopTier = 4

// A jitLog follows a JVM's compilation log as the JVM appends to it: the
// file -Xlog:jit+compilation=debug:file=PATH writes, one line per compiled
// method. Reading a file the JVM writes anyway costs the loader's CPU a few
// lines a second; attaching to the JVM (jcmd, JMX) would start another JVM
// on the loader's CPU.
type jitLog struct {
	f *os.File
	// partial holds a line the JVM had not finished writing at the last read.
	partial []byte
}

// openJITLog opens path and starts reading at its end: compilations before
// the warm-up (the JVM's start, the connections' priming) are not counted.
func openJITLog(path string) (*jitLog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("jit log: %w", err)
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, fmt.Errorf("jit log %s: %w", path, err)
	}
	return &jitLog{f: f}, nil
}

// next reads what the JVM appended since the last call and counts the
// compilations in it: all of them and those at the top tier.
func (j *jitLog) next() (all, top int, err error) {
	b, err := io.ReadAll(j.f)
	if err != nil {
		return 0, 0, fmt.Errorf("jit log: %w", err)
	}
	b = append(j.partial, b...)
	end := bytes.LastIndexByte(b, '\n')
	j.partial = append([]byte(nil), b[end+1:]...)
	sc := bufio.NewScanner(bytes.NewReader(b[:end+1]))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		if level, ok := CompileLevel(sc.Text()); ok {
			all++
			if level == TopTier {
				top++
			}
		}
	}
	return all, top, sc.Err()
}

func (j *jitLog) close() { j.f.Close() }

// CompileLevel reads one line of HotSpot's compilation log (the
// PrintCompilation format behind Unified Logging's decorations):
//
//	[12.345s][debug][jit,compilation]  1234 %     4       a.B::c @ 10 (60 bytes)
//
// the compile id, the attribute flags (% s ! b n), the tier (0-4), the
// method. It reports the tier of a compilation; a line that is not one (a
// method made not entrant, a deoptimisation, anything else) reports false.
func CompileLevel(line string) (int, bool) {
	for strings.HasPrefix(line, "[") {
		end := strings.IndexByte(line, ']')
		if end < 0 {
			return 0, false
		}
		line = line[end+1:]
	}
	if strings.Contains(line, "made not entrant") || strings.Contains(line, "made zombie") {
		return 0, false
	}
	fields := strings.Fields(line)
	if len(fields) < 3 {
		return 0, false
	}
	if _, err := strconv.Atoi(fields[0]); err != nil {
		return 0, false
	}
	for _, f := range fields[1:] {
		if strings.Trim(f, "%s!bn") == "" {
			continue // attribute flags
		}
		level, err := strconv.Atoi(f)
		if err != nil || len(f) != 1 || level > TopTier {
			return 0, false
		}
		return level, true
	}
	return 0, false
}
