package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// stampRun completes a run record with the schema version when it has none.
func stampRun(r *Record) {
	if r.Kind == KindRun && r.Schema == 0 {
		r.Schema = SchemaVersion
	}
}

// A Writer appends records to a results file; it is safe for concurrent use.
type Writer struct {
	mu  sync.Mutex
	f   *os.File
	dir string
}

// Create makes dir and an empty results file in it; it never overwrites one.
func Create(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create results folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, FileName), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create results file: %w", err)
	}
	return &Writer{f: f, dir: dir}, nil
}

// Dir is the folder the writer writes into.
func (w *Writer) Dir() string { return w.dir }

// Add appends one record and flushes it to disk; a run record gets the
// schema version and the project state (SetProject).
func (w *Writer) Add(r Record) error {
	if r.Time.IsZero() {
		r.Time = time.Now().UTC()
	}
	stampRun(&r)
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return w.f.Sync()
}

// Close closes the file.
func (w *Writer) Close() error { return w.f.Close() }

// Read reads every record of a results file; see Decode.
func Read(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open results: %w", err)
	}
	defer f.Close()
	return Decode(f)
}

// A LineError is a line of a results stream that could not be read.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("results line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// Decode reads records, one JSON object per line. A line that cannot be read
// (a crash mid-write, a hand edit) is reported as a *LineError and reading goes
// on, so every readable record is returned beside the joined errors. Records of
// the first format (kind "conformance", stage "services") are converted.
func Decode(r io.Reader) ([]Record, error) {
	var recs []Record
	var problems []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		rec, err := decodeLine(line)
		if err != nil {
			problems = append(problems, &LineError{Line: n, Err: err})
			continue
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, fmt.Errorf("read results: %w", err))
	}
	if len(recs) == 0 && len(problems) == 0 {
		problems = append(problems, errors.New("no records in results"))
	}
	return recs, errors.Join(problems...)
}

func decodeLine(line []byte) (Record, error) {
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(line, &head); err != nil {
		return Record{}, err
	}
	switch head.Kind {
	case KindRun, KindResult, KindStage, KindWarning, KindVerdict:
		var rec Record
		err := json.Unmarshal(line, &rec)
		return rec, err
	case legacyConformance:
		return decodeLegacy(line)
	case "":
		return Record{}, errors.New(`no "kind"`)
	default:
		return Record{}, fmt.Errorf("unknown kind %q (written by a newer tribench?)", head.Kind)
	}
}
