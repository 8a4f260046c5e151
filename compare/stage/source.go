package stage

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
)

// SourceValues sizes a contender's own source files (its manifest's
// sources) under root: how many, their lines, and the sum of each file's
// size gzipped at the default level. Each file is compressed on its own, as
// the Benchmarks Game compresses a program's one file, so that splitting a
// program into files costs a gzip header each, never a shared dictionary's
// gain. A contender that declares no sources has none.
func SourceValues(root string, d manifest.Contender) ([]results.Value, error) {
	files, err := d.SourceFiles(root)
	if err != nil || len(files) == 0 {
		return nil, err
	}
	var lines, gz int64
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return nil, fmt.Errorf("source size: %w", err)
		}
		lines += int64(bytes.Count(data, []byte("\n")))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			lines++ // a last line without its newline
		}
		n, err := gzipSize(data)
		if err != nil {
			return nil, fmt.Errorf("source size of %s: %w", f, err)
		}
		gz += n
	}
	one := func(name, unit string, v int64) results.Value {
		return results.Value{Name: name, Unit: unit, Samples: []float64{float64(v)}, Source: "outside"}
	}
	return []results.Value{one(results.SourceFiles, "files", int64(len(files))), one(results.SourceLines, "lines", lines),
		one(results.SourceGzipBytes, "B", gz)}, nil
}

// gzipSize is the size of data gzipped at the default level.
func gzipSize(data []byte) (int64, error) {
	var n countingWriter
	w := gzip.NewWriter(&n)
	if _, err := w.Write(data); err != nil {
		return 0, err
	}
	if err := w.Close(); err != nil {
		return 0, err
	}
	return int64(n), nil
}

// countingWriter counts the bytes written to it and keeps none.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
