// Package probecheck is the oracle of the memprobe workload: it decodes the
// probe, cpu and tasks commands' result lines and holds them against the Go
// reference — every contender built the same users (the checksum), every
// CPU-bound total equals the exact sum of squares modulo 2^64, every task
// completed, and an inside bytes-per-object figure lies within a band of the
// outside one.
//
// Its integration test starts every contender declared in
// memprobe/contenders.json.
package probecheck
