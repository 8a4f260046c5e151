package imageproc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A Format is an input's (and so its output's) file format, by extension.
type Format string

// The formats the canonical resize reads and writes.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
)

// FormatOf is the format a file name's extension names (case-insensitive),
// or "" when it is none the resize takes.
func FormatOf(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jpg", ".jpeg":
		return JPEG
	case ".png":
		return PNG
	}
	return ""
}

// A Task is one file's resize: its bytes, the format to write, the box and quality.
type Task struct {
	Name       string
	Data       []byte
	Format     Format
	MaxW, MaxH int
	Quality    int
}

// A ResizeFunc makes one thumbnail: the encoded output and the pixels it
// decoded, or an error made with Fail (its class is the error's first word).
type ResizeFunc func(t Task) (out []byte, decodedPixels int64, err error)

// A Resizer gives each worker of the pool its own ResizeFunc (and so its own
// buffers), and what frees them when the worker is done.
type Resizer interface {
	NewWorker() (resize ResizeFunc, release func())
}

// Options are a resize run's settings (the contender protocol's flags).
type Options struct {
	In, Out                string
	Workers                int
	Width, Height, Quality int
}

// A FileError is one input's failure in the result line.
type FileError struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

// A Result is the resize command's one JSON line.
type Result struct {
	Runtime       string      `json:"runtime"`
	Workers       int         `json:"workers"`
	Total         int         `json:"total"`
	Succeeded     int         `json:"succeeded"`
	Failed        int         `json:"failed"`
	Seconds       float64     `json:"seconds"`
	OutputBytes   int64       `json:"output_bytes"`
	DecodedPixels int64       `json:"decoded_pixels"`
	Errors        []FileError `json:"errors"`
}

// classError is a per-file failure of a reason class.
type classError struct {
	class string
	err   error
}

func (e classError) Error() string { return e.class + ": " + e.err.Error() }
func (e classError) Unwrap() error { return e.err }

// Fail is a per-file failure of class (ReasonCorrupt, ReasonTooLarge, ...),
// reported as "class: err".
func Fail(class string, err error) error { return classError{class, err} }

// CheckPixels refuses a w x h image beyond MaxPixels, before it is decoded.
func CheckPixels(w, h int) error {
	if px := int64(w) * int64(h); px > MaxPixels {
		return Fail(ReasonTooLarge, fmt.Errorf("%dx%d is %d pixels, over the limit of %d", w, h, px, MaxPixels))
	}
	return nil
}

// Run resizes every file of o.In into o.Out on a pool of o.Workers
// goroutines, timing the work alone. A bad input file is a failure in the
// result; a missing or empty input folder, or an output folder that cannot be
// written, is an error.
func Run(o Options, r Resizer) (Result, error) {
	names, err := inputs(o)
	if err != nil {
		return Result{}, err
	}
	res := Result{Runtime: runtime.Version(), Workers: o.Workers, Total: len(names), Errors: []FileError{}}
	var (
		mu           sync.Mutex
		outBytes, px atomic.Int64
		wg           sync.WaitGroup
		next         atomic.Int64
		fail         = func(name string, err error) {
			mu.Lock()
			res.Errors = append(res.Errors, FileError{name, err.Error()})
			mu.Unlock()
		}
	)
	start := time.Now()
	for range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resize, release := r.NewWorker()
			defer release()
			for i := int(next.Add(1) - 1); i < len(names); i = int(next.Add(1) - 1) {
				n, p, err := one(o, names[i], resize)
				if err != nil {
					fail(names[i], err)
					continue
				}
				outBytes.Add(n)
				px.Add(p)
			}
		}()
	}
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	sort.Slice(res.Errors, func(i, j int) bool { return res.Errors[i].File < res.Errors[j].File })
	res.Failed = len(res.Errors)
	res.Succeeded = res.Total - res.Failed
	res.OutputBytes, res.DecodedPixels = outBytes.Load(), px.Load()
	return res, nil
}

// one resizes the input called name; the output goes under the same base
// name in o.Out, so it cannot leave that folder.
func one(o Options, name string, resize ResizeFunc) (outBytes, pixels int64, err error) {
	format := FormatOf(name)
	if format == "" {
		return 0, 0, Fail(ReasonUnsupported, fmt.Errorf("extension %q is not .jpg, .jpeg or .png", filepath.Ext(name)))
	}
	data, err := os.ReadFile(filepath.Join(o.In, name))
	if err != nil {
		return 0, 0, Fail("io", err)
	}
	out, pixels, err := resize(Task{Name: name, Data: data, Format: format, MaxW: o.Width, MaxH: o.Height, Quality: o.Quality})
	if err != nil {
		var ce classError
		if !errors.As(err, &ce) {
			err = Fail(ReasonCorrupt, err)
		}
		return 0, 0, err
	}
	if err := os.WriteFile(filepath.Join(o.Out, filepath.Base(name)), out, 0o644); err != nil {
		return 0, 0, Fail("io", err)
	}
	return int64(len(out)), pixels, nil
}
