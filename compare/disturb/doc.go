// Package disturb measures how busy a run's CPUs were with work outside the
// measured process trees: the per-CPU counters of /proc/stat over the run,
// minus the trees' own per-CPU time (from their cpuacct cgroups, or their
// rusage where no cgroup could be made), and the time the hypervisor stole.
// A run whose foreign share or steal is above Threshold is disturbed: the
// batch runner re-runs it once at the end of its stage's rounds.
//
// The arithmetic (Parse*, Measure, Reading) is pure and tested on fixed
// counters; Start and Monitor read the live system, and Meter lets a test
// inject readings. A stage that runs its own loop around a long-lived tree
// (a server under load) measures each round with
//
//	m := disturb.Start(cpus, p.(runner.CPUAccounted).CPUCgroup())
//	... the round ...
//	reading := m.Stop()
//
// and records reading.Foreign() and reading.StealShare() as the batch
// stages do.
//
// A server on another machine is read on that machine: Remote runs
// `tribench disturb snapshot` (Main) there at each end of the window, which
// prints its CPU counters and the CPU time of the trees listening on the
// server's ports (TakeSnapshot), and Between computes the reading.
package disturb
