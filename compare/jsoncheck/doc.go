// Package jsoncheck is the oracle of the JSON workload: it declares the parse,
// digest and check commands a contender answers, decodes their result lines,
// holds a digest against the generator's sidecar and the Go reference's, and
// lists a contender's conformance disagreements (y_ files it rejects, n_ files
// it accepts, files it gave no verdict).
//
// Its integration test generates the smoke document and runs every contender
// declared in jsonbench/contenders.json.
package jsoncheck
