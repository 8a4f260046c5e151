// Package probes holds the three stages of the runtime probes (memprobe/):
// mem (bytes per User object, measured inside the runtime and outside from the
// process tree's RSS), cpu (the CPU-bound thread pool of the free-threaded
// row) and tasks (concurrent sleeping tasks: time and memory at fixed counts,
// and the capacity under a memory limit). compare/probecheck is their oracle.
package probes
