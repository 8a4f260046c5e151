package goparse

import (
	"bytes"
	"sort"
	"sync"
	"testing"

	"github.com/tribench/tribench/jsonbench"
)

var (
	benchOnce sync.Once
	benchDoc  []byte
)

// benchDocument is a 10 MB generated document (the quick profile's document
// is 100 MB; the mix is the same).
func benchDocument(b *testing.B) []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		if _, err := jsonbench.Generate(&buf, jsonbench.DocSpec{Seed: jsonbench.DefaultSeed, Size: 10_000_000}); err != nil {
			b.Fatal(err)
		}
		benchDoc = buf.Bytes()
	})
	return benchDoc
}

func libraryNames() []string {
	names := make([]string, 0, len(Libraries))
	for n := range Libraries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// BenchmarkTyped decodes the document into []jsonbench.Record with each library
// (run with taskset -c 1 -cpu 1 for the per-core figures in the README).
func BenchmarkTyped(b *testing.B) {
	data := benchDocument(b)
	for _, name := range libraryNames() {
		lib := Libraries[name]
		b.Run(name, func(b *testing.B) {
			if lib.Prepare != nil {
				if err := lib.Prepare(); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				if _, err := lib.Typed(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// reportCPU, deferred around a benchmark's loop, adds its CPU time per
// operation (cpu-ns/op, the collector's included) beside the wall time: on a
// shared machine the wall time also counts the time the core spent on other
// processes, the CPU time does not.
func reportCPU(b *testing.B) func() {
	start, ok := processCPU()
	return func() {
		if end, ok2 := processCPU(); ok && ok2 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkGeneric decodes the document into any with each library.
func BenchmarkGeneric(b *testing.B) {
	data := benchDocument(b)
	for _, name := range libraryNames() {
		lib := Libraries[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := lib.Generic(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDigest is the digest alone, outside every timed parse.
func BenchmarkDigest(b *testing.B) {
	data := benchDocument(b)
	records, err := Libraries["goccy"].Typed(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		jsonbench.DigestRecords(records)
	}
}
