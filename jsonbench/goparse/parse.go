package goparse

import (
	"fmt"
	"runtime"
	"time"

	"github.com/tribench/tribench/jsonbench"
)

// Parse decodes data repeat times in the given mode, timing each decode alone,
// and with digest computes the digest of the last result after the timing.
func Parse(lib Library, data []byte, mode string, repeat int, digest bool) (jsonbench.ParseLine, error) {
	if repeat < 1 {
		return jsonbench.ParseLine{}, fmt.Errorf("--repeat must be at least 1, not %d", repeat)
	}
	decode, err := decoder(lib, mode)
	if err != nil {
		return jsonbench.ParseLine{}, err
	}
	if lib.Prepare != nil {
		if err := lib.Prepare(); err != nil {
			return jsonbench.ParseLine{}, fmt.Errorf("%s: prepare: %w", lib.Name, err)
		}
	}
	line := jsonbench.ParseLine{Runtime: runtime.Version(), Library: lib.Label(), Mode: mode, Bytes: int64(len(data))}
	var result func() (jsonbench.Digest, error)
	for i := 0; i < repeat; i++ {
		result = nil // the previous tree is garbage before the next decode starts
		start := time.Now()
		result, err = decode(data)
		elapsed := time.Since(start)
		if err != nil {
			return jsonbench.ParseLine{}, fmt.Errorf("%s %s parse: %w", lib.Name, mode, err)
		}
		line.Seconds = append(line.Seconds, elapsed.Seconds())
	}
	if digest {
		d, err := result()
		if err != nil {
			return jsonbench.ParseLine{}, err
		}
		line.Digest, line.Counts = d.SHA256, &d.Counts
	}
	return line, nil
}

// decoder returns the mode's decode, which hands back the digest of what it
// decoded as a closure, so the tree stays alive only as long as needed.
func decoder(lib Library, mode string) (func([]byte) (func() (jsonbench.Digest, error), error), error) {
	switch mode {
	case jsonbench.Generic:
		return func(data []byte) (func() (jsonbench.Digest, error), error) {
			v, err := safely(func() (any, error) { return lib.Generic(data) })
			if err != nil {
				return nil, err
			}
			return func() (jsonbench.Digest, error) { return jsonbench.DigestOf(v) }, nil
		}, nil
	case jsonbench.Typed:
		return func(data []byte) (func() (jsonbench.Digest, error), error) {
			r, err := safely(func() ([]jsonbench.Record, error) { return lib.Typed(data) })
			if err != nil {
				return nil, err
			}
			return func() (jsonbench.Digest, error) { return jsonbench.DigestRecords(r), nil }, nil
		}, nil
	}
	return nil, fmt.Errorf("--mode must be %s or %s, not %q", jsonbench.Generic, jsonbench.Typed, mode)
}

// safely turns a parser's panic into an error: a bad file is a verdict or a
// one-line failure, never a stack trace.
func safely[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("parser panicked: %v", p)
		}
	}()
	return f()
}
