// Package jsonbench is the JSON-parsing workload: the published document schema
// (SCHEMA.md) with its typed Go form, a streamed deterministic generator that
// writes the document's digest to a sidecar as it goes, the canonical digest of a
// parsed value (DIGEST.md), the conformance set's naming and the Go reference's
// verdict on a file.
//
// The Go contender's parse paths (goccy/go-json, encoding/json, sonic and the
// hand-written schemadecode) live in the goparse package; the Python and
// Kotlin contenders in python/ and kotlin/.
package jsonbench
