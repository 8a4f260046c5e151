package jsonbench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// GeneratorVersion changes whenever the generator's output for a seed and size
// changes; it is part of the cache key.
const GeneratorVersion = 1

// A DocSpec names one generated document: its seed and its exact size in bytes.
type DocSpec struct {
	Seed uint64
	Size int64
}

// A Sidecar is what the generator records beside a document while writing it.
type Sidecar struct {
	Generator int    `json:"generator"`
	Seed      uint64 `json:"seed"`
	Bytes     int64  `json:"bytes"`
	Records   int64  `json:"records"`
	Digest
	Mix Mix `json:"mix"`
}

const (
	docHeader = "[\n"
	docFooter = "\n]\n"
	recordSep = ",\n"
)

// MinSize is the smallest document the generator writes (an empty array).
const MinSize = int64(len(docHeader) + len(docFooter))

// Generate streams the document of spec to w: records one per line while they
// fit, then spaces before the closing bracket, so it is exactly spec.Size
// bytes. Memory use does not depend on the size. It returns the sidecar, whose
// digest it computes from the records as they are written.
func Generate(w io.Writer, spec DocSpec) (Sidecar, error) {
	if spec.Size < MinSize {
		return Sidecar{}, fmt.Errorf("generate: size %d is below the minimum of %d bytes", spec.Size, MinSize)
	}
	out := bufio.NewWriterSize(w, 1<<20)
	maker := recordMaker{r: newRNG(spec.Seed)}
	// The escapes come from a stream of their own, so a change in how text is
	// escaped leaves the values alone.
	writer := recordWriter{r: newRNG(spec.Seed ^ 0x6a09e667f3bcc908)}
	canon := NewCanon()
	canon.BeginArray()
	side := Sidecar{Generator: GeneratorVersion, Seed: spec.Seed}
	side.Mix.Structure = int64(len(docHeader) + len(docFooter))
	if _, err := out.WriteString(docHeader); err != nil {
		return Sidecar{}, fmt.Errorf("generate: %w", err)
	}
	written := int64(len(docHeader))
	for id := int64(1); ; id++ {
		rec := maker.record(id)
		writer.buf, writer.mix = writer.buf[:0], Mix{}
		if id > 1 {
			writer.structure(recordSep)
		}
		writer.record(&rec)
		if written+int64(len(writer.buf))+int64(len(docFooter)) > spec.Size {
			break
		}
		if _, err := out.Write(writer.buf); err != nil {
			return Sidecar{}, fmt.Errorf("generate: %w", err)
		}
		written += int64(len(writer.buf))
		side.Mix.add(writer.mix)
		side.Records++
		canon.Record(&rec)
	}
	pad := spec.Size - written - int64(len(docFooter))
	side.Mix.Structure += pad
	if _, err := out.Write(bytes.Repeat([]byte{' '}, int(pad))); err != nil {
		return Sidecar{}, fmt.Errorf("generate: %w", err)
	}
	if _, err := out.WriteString(docFooter); err != nil {
		return Sidecar{}, fmt.Errorf("generate: %w", err)
	}
	if err := out.Flush(); err != nil {
		return Sidecar{}, fmt.Errorf("generate: %w", err)
	}
	canon.EndArray()
	side.Digest = canon.Sum()
	side.Bytes = spec.Size
	return side, nil
}
