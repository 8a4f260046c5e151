package runner

import (
	"context"
	"io"
	"time"
)

// A Spec says how to start one contender process.
type Spec struct {
	// Argv is the argument vector; Argv[0] is looked up in PATH.
	Argv []string
	// Dir is the working directory; the harness's own when empty.
	Dir string
	// Env is added to the harness's environment (KEY=VALUE).
	Env []string
	// CPUs is the CPU set the whole process runs on; all CPUs when empty.
	CPUs []int
	// MemoryLimit caps the process tree's resident memory in bytes; 0 is no cap.
	MemoryLimit int64
	// TimeLimit stops the process after this long; 0 is no limit.
	TimeLimit time.Duration
	// Stdout and Stderr, when set, receive a copy of the output as it comes.
	Stdout, Stderr io.Writer
	// Stdin, when set, is the process's standard input. Give an *os.File (a
	// pipe's read end): any other reader is copied by a goroutine that Wait
	// waits for, even after the process has exited.
	Stdin io.Reader
}

// An Outcome is how a run ended.
type Outcome string

// Outcomes of a run.
const (
	OutcomeOK          Outcome = "ok"           // exited 0 by itself
	OutcomeExitError   Outcome = "exit-error"   // exited non-zero or by a signal by itself
	OutcomeStopped     Outcome = "stopped"      // stopped by the harness (Stop or context)
	OutcomeTimeout     Outcome = "timeout"      // killed at its time limit
	OutcomeMemoryLimit Outcome = "memory-limit" // killed over its memory cap
)

// MemoryWatchdog names the fallback memory cap method of the OS executor: RSS
// of the process group sampled from /proc, the group killed when over the cap.
const MemoryWatchdog = "rss-watchdog"

// A Result is what the harness measured of one run.
type Result struct {
	Outcome  Outcome
	ExitCode int // -1 when killed by a signal
	Wall     time.Duration
	// User and Sys are CPU times of the process and the descendants it waited for.
	User, Sys time.Duration
	// PeakRSS is the largest sampled sum of resident memory over the process group, in bytes.
	PeakRSS int64
	// CgroupPeak is the cgroup's peak charge (page cache included) when the cap
	// was a cgroup limit; 0 otherwise.
	CgroupPeak int64
	// MemoryMethod is MemoryCgroup or MemoryWatchdog; MemoryNote says why the
	// watchdog was used when a cgroup was asked for.
	MemoryMethod string
	MemoryNote   string
	// CPUPerCPU is the tree's CPU time by CPU number, from its cpuacct
	// cgroup; nil where none could be made, and CPUNote says why.
	CPUPerCPU []time.Duration
	CPUNote   string
	// Stdout and Stderr hold the last bytes written (up to OutputTail each).
	Stdout, Stderr []byte
}

// OutputTail is how many bytes of stdout and of stderr a Result keeps.
const OutputTail = 1 << 20

// A Process is a started contender.
type Process interface {
	// PID is the process id (and process group id).
	PID() int
	// Done is closed when the process has exited.
	Done() <-chan struct{}
	// Wait waits for the process to exit by itself and returns the result.
	Wait() Result
	// Stop sends SIGTERM to the whole process group, SIGKILL after grace, and
	// returns the result. Stopping an exited process returns its result.
	Stop(grace time.Duration) Result
	// Stderr returns the stderr written so far (its tail).
	Stderr() []byte
	// RSS is the resident memory of the process tree now, in bytes.
	RSS() int64
}

// A CPUAccounted process has a cpuacct cgroup of its own: a caller measuring
// a window of a long-lived tree (a server) reads its use from there.
type CPUAccounted interface {
	CPUCgroup() string
}

// An Executor starts processes. Cancelling ctx stops the process.
type Executor interface {
	Start(ctx context.Context, spec Spec) (Process, error)
}
