package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// ReadyMarker is the line a contender in the ready output mode prints at its
// quiet point.
const ReadyMarker = "ready"

// readySamples and readyGap: the tree's memory is read several times at the
// ready point and the median kept, so one reading mid-page-fault cannot skew it.
const (
	readySamples = 5
	readyGap     = 20 * time.Millisecond
)

// A Run is one execution of a contender's command.
type Run struct {
	Spec runner.Spec
	// Output is manifest.OutputLine (the default), OutputLines or OutputReady.
	Output string
	// Exec, when set, starts the run instead of the executor Execute is
	// given: a run that is several processes seen as one (a load split over
	// several loaders, their results merged).
	Exec runner.Executor
}

// An Outcome is what one run produced.
type Outcome struct {
	// Status is results.StatusOK when the contender exited 0 and printed what
	// its output mode asks for; otherwise Reason says why, in one line.
	Status string
	Reason string
	// Final is the contender's final JSON line.
	Final json.RawMessage
	// Items are the per-item JSON lines of the lines output mode.
	Items []json.RawMessage
	// ReadyRSS is the tree's resident memory at the ready marker, in bytes.
	ReadyRSS int64
	// Process is what the harness measured from outside.
	Process runner.Result
	// Disturbance is how busy the run's CPUs were with other work; zero when
	// not measured (no Meter).
	Disturbance disturb.Reading
}

// OK reports whether the run produced a usable result.
func (o Outcome) OK() bool { return o.Status == results.StatusOK }

// Decode unmarshals the final line into v, turning a mismatch into a failed
// outcome with what the contender printed.
func (o *Outcome) Decode(v any) bool {
	if !o.OK() {
		return false
	}
	if err := json.Unmarshal(o.Final, v); err != nil {
		o.Status, o.Reason = results.StatusFailed, fmt.Sprintf("result line does not fit: %v: %s", err, clip(string(o.Final), 200))
		return false
	}
	return true
}

// Execute starts run and waits for it, reading its output by its mode.
func Execute(ctx context.Context, exec runner.Executor, run Run) Outcome {
	if run.Exec != nil {
		exec = run.Exec
	}
	mode := run.Output
	if mode == "" {
		mode = manifest.OutputLine
	}
	spec := run.Spec
	var ready *lineWatch
	var stdin *os.File
	if mode == manifest.OutputReady {
		ready = &lineWatch{want: ReadyMarker, seen: make(chan struct{})}
		spec.Stdout = ready
		// An OS pipe, not an io.Pipe: with a file as stdin no goroutine copies
		// into the child, so a child that exits early cannot block Wait on it.
		r, w, err := os.Pipe()
		if err != nil {
			return Outcome{Status: results.StatusFailed, Reason: "stdin pipe: " + err.Error()}
		}
		defer r.Close()
		defer w.Close()
		spec.Stdin, stdin = r, w
	}
	p, err := exec.Start(ctx, spec)
	if err != nil {
		return Outcome{Status: results.StatusFailed, Reason: results.Reason(err.Error())}
	}
	if r, ok := spec.Stdin.(*os.File); ok && stdin != nil {
		r.Close() // the child holds its own copy
	}
	var readyRSS int64
	if ready != nil {
		select {
		case <-ready.seen:
			readyRSS = quietRSS(p)
		case <-p.Done():
		}
		stdin.Close()
	}
	res := p.Wait()
	o := Outcome{Process: res, ReadyRSS: readyRSS}
	if st, why := status(res); st != results.StatusOK {
		o.Status, o.Reason = st, why
		return o
	}
	if ready != nil && !ready.saw() {
		o.Status, o.Reason = results.StatusFailed, "exited without printing the ready marker"
		return o
	}
	o.Status = results.StatusOK
	if mode == manifest.OutputNone {
		return o
	}
	o.Final, o.Items, err = parse(res.Stdout, mode)
	if err != nil {
		o.Status, o.Reason = results.StatusFailed, results.Reason(err.Error())
	}
	return o
}

// quietRSS reads the tree's memory readySamples times and keeps the median.
func quietRSS(p runner.Process) int64 {
	var rs []int64
	for i := 0; i < readySamples; i++ {
		rs = append(rs, p.RSS())
		time.Sleep(readyGap)
	}
	slices.Sort(rs)
	return rs[len(rs)/2]
}

func status(r runner.Result) (string, string) {
	switch r.Outcome {
	case runner.OutcomeOK:
		return results.StatusOK, ""
	case runner.OutcomeTimeout:
		return results.StatusTimeout, fmt.Sprintf("stopped at its time limit after %.1f s", r.Wall.Seconds())
	case runner.OutcomeMemoryLimit:
		return results.StatusOutOfMemory, "out of memory at this size (" + r.MemoryMethod + ")"
	case runner.OutcomeStopped:
		return results.StatusInterrupted, "stopped by the harness"
	default:
		why := failureLine(r.Stderr, r.Stdout)
		return results.StatusFailed, fmt.Sprintf("could not run (exit %d): %s", r.ExitCode, why)
	}
}

// parse reads stdout by mode: every non-empty line but the ready marker must be
// a JSON object; items carry an "item" key and the final line does not.
func parse(stdout []byte, mode string) (json.RawMessage, []json.RawMessage, error) {
	var lines [][]byte
	for _, l := range bytes.Split(stdout, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 || (mode == manifest.OutputReady && string(l) == ReadyMarker) {
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return nil, nil, fmt.Errorf("printed no result line")
	}
	var items []json.RawMessage
	for i, l := range lines {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(l, &obj); err != nil {
			return nil, nil, fmt.Errorf("line %d is not a JSON object: %s", i+1, clip(string(l), 200))
		}
		_, isItem := obj["item"]
		last := i == len(lines)-1
		switch {
		case last && isItem:
			return nil, nil, fmt.Errorf("no final result line after %d item lines", len(lines))
		case last:
		case mode != manifest.OutputLines:
			return nil, nil, fmt.Errorf("printed %d result lines, want one: %s", len(lines), clip(string(l), 200))
		case !isItem:
			return nil, nil, fmt.Errorf("line %d has no \"item\" key, but is not the last", i+1)
		default:
			items = append(items, json.RawMessage(l))
		}
	}
	return json.RawMessage(lines[len(lines)-1]), items, nil
}

// lineWatch is a stdout writer that closes seen when a line equal to want appears.
type lineWatch struct {
	want    string
	mu      sync.Mutex
	partial []byte
	seen    chan struct{}
	closed  bool
}

func (w *lineWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return len(p), nil
	}
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := strings.TrimSpace(string(w.partial[:i]))
		w.partial = w.partial[i+1:]
		if line == w.want {
			w.closed = true
			w.partial = nil
			close(w.seen)
			return len(p), nil
		}
	}
}

func (w *lineWatch) saw() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closed
}

// failureLine says why a process failed in one line: the last line of its
// stderr, or, for tools that report on stdout (Maven prints its errors there,
// coloured even under -q), the first error line of stdout, else its last line.
func failureLine(stderr, stdout []byte) string {
	if l := meaningfulLines(stderr); len(l) > 0 {
		return results.Reason(l[len(l)-1])
	}
	out := meaningfulLines(stdout)
	for _, l := range out {
		if strings.Contains(l, "ERROR") || strings.Contains(l, "error:") {
			return results.Reason(l)
		}
	}
	if len(out) > 0 {
		return results.Reason(out[len(out)-1])
	}
	return "no message on stderr or stdout"
}

// ansiEscape matches terminal colour and cursor sequences.
var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// meaningfulLines are b's lines without terminal escapes, blank ones left out.
func meaningfulLines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(ansiEscape.ReplaceAllString(string(b), ""), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-3]) + "..."
	}
	return s
}
