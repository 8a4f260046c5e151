// Package results is the harness's results store: a stream of JSON records, one
// per line of results.jsonl, appended and flushed as each run finishes, so a
// crash loses nothing already measured and a report can be rebuilt from the file.
package results

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tribench/tribench/compare/conform"
)

// Kinds of record.
const (
	// KindRun heads a results file: what produced it.
	KindRun = "run"
	// KindConformance is one contender checked against its oracle.
	KindConformance = "conformance"
)

// Statuses of a contender's record.
const (
	StatusOK          = "ok"
	StatusUnavailable = "unavailable"
	StatusBuildFailed = "build-failed"
	StatusStartFailed = "start-failed"
	StatusCrashed     = "crashed"
	StatusInterrupted = "interrupted"
)

// FileName is the results stream's name inside a results folder.
const FileName = "results.jsonl"

// A Record is one line of results.jsonl.
type Record struct {
	Kind string    `json:"kind"`
	Time time.Time `json:"time"`

	// Run header fields.
	Command []string          `json:"command,omitempty"`
	Profile string            `json:"profile,omitempty"`
	Env     map[string]string `json:"env,omitempty"`

	// Contender fields.
	Workload  string            `json:"workload,omitempty"`
	Contender string            `json:"contender,omitempty"`
	Language  string            `json:"language,omitempty"`
	Variant   string            `json:"variant,omitempty"`
	Toolchain string            `json:"toolchain,omitempty"`
	Version   string            `json:"version,omitempty"`
	Note      string            `json:"note,omitempty"`
	Fallback  string            `json:"fallback_for,omitempty"`
	Settings  map[string]string `json:"settings,omitempty"`
	Argv      []string          `json:"argv,omitempty"`
	CPUs      string            `json:"cpus,omitempty"`
	Status    string            `json:"status,omitempty"`
	Reason    string            `json:"reason,omitempty"`
	Process   *Process          `json:"process,omitempty"`
	Conform   *conform.Report   `json:"conform,omitempty"`
}

// A Process is what the harness measured of a contender's process tree from outside.
type Process struct {
	WallSeconds  float64 `json:"wall_s"`
	UserSeconds  float64 `json:"user_s"`
	SysSeconds   float64 `json:"sys_s"`
	PeakRSSBytes int64   `json:"peak_rss_bytes"`
	MemoryMethod string  `json:"memory_method,omitempty"`
	Outcome      string  `json:"outcome,omitempty"`
}

// A Writer appends records to a results file.
type Writer struct {
	f   *os.File
	dir string
}

// Create makes dir and an empty results file in it.
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

// Add appends one record and flushes it to disk.
func (w *Writer) Add(r Record) error {
	if r.Time.IsZero() {
		r.Time = time.Now().UTC()
	}
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	if _, err := w.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return w.f.Sync()
}

// Close closes the file.
func (w *Writer) Close() error { return w.f.Close() }

// Read reads every record of a results file.
func Read(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open results: %w", err)
	}
	defer f.Close()
	return Decode(f)
}

// Decode reads records, one JSON object per line; a truncated last line (a crash
// mid-write) is an error naming its line.
func Decode(r io.Reader) ([]Record, error) {
	var recs []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return recs, fmt.Errorf("results line %d: %w", n, err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return recs, fmt.Errorf("read results: %w", err)
	}
	if len(recs) == 0 {
		return nil, errors.New("no records in results")
	}
	return recs, nil
}
