// Package goparse is the Go contender of the JSON workload: the same parse
// and check commands over four parsers — goccy/go-json (the canonical
// contender), encoding/json (the baseline and the conformance reference),
// bytedance/sonic (the faster variant) and jsonbench/schemadecode (a
// hand-written decoder for the document's schema) — in generic mode (any:
// maps, slices, float64) and typed mode ([]jsonbench.Record).
//
// Every number becomes a float64 or int64 inside the library's decode, which is
// all the timed region holds; the digest is computed after it.
package goparse
