// Package runner starts contenders as separate OS processes and measures them
// from outside: a CPU set applied before the process starts (inherited by all
// its threads), a memory cap and a time limit whose breach is a recorded
// outcome, wall and CPU time and peak RSS of the whole process tree, readiness
// of HTTP services, and a stop that leaves no process of the tree behind.
//
// Everything sits behind the Executor interface; Fake is a scripted executor
// for harness tests that must not start real processes.
package runner
