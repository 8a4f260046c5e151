// Package memprobe is tribench's Go contender of the runtime probes and the
// arithmetic the other contenders are held against:
//
//   - memory per object: N User{id, name, email} values built in one of two
//     shapes (a slice of structs, a slice of pointers), measured inside the
//     process with runtime.ReadMemStats around the build, or held at a quiet
//     point for an outside RSS reading; a SHA-256 checksum proves which objects
//     were built;
//   - a CPU-bound row: T tasks each summing i*i for i < N on a pool of W
//     goroutines, the total modulo 2^64 as the checksum;
//   - concurrent tasks: K goroutines that each sleep and finish, with the
//     process's own peak RSS.
//
// The binary in cmd/probe answers the contender protocol's probe, cpu and tasks
// commands; memprobe/README.md gives the arithmetic of every runtime's bytes per
// object.
package memprobe
