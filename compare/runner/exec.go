package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultSampleInterval is how often the OS executor samples memory.
const DefaultSampleInterval = 50 * time.Millisecond

// DefaultGrace is how long a stop waits between SIGTERM and SIGKILL.
const DefaultGrace = 5 * time.Second

// OS is the Executor that starts real processes. Its zero value is ready to use.
type OS struct {
	// SampleInterval is the memory sampling period; DefaultSampleInterval when zero.
	SampleInterval time.Duration
	// Watchdog forces the RSS watchdog even where a memory cgroup could be made.
	Watchdog bool
}

var _ Executor = OS{}

type osProcess struct {
	cmd            *exec.Cmd
	start          time.Time
	stdout, stderr *tailBuffer
	done           chan struct{}
	sampleStop     chan struct{}

	// cgroup holds the tree when the memory cap is a cgroup limit; nil otherwise.
	cgroup     *memCgroup
	memoryNote string
	// cpuCgroup accounts the tree's CPU time per CPU; nil when it could not
	// be made, and cpuNote says why.
	cpuCgroup *cpuCgroup
	cpuNote   string

	mu      sync.Mutex
	peak    int64
	reason  Outcome // set when the harness killed it
	result  Result
	waitErr error
}

// Start starts spec's process in its own process group, on spec.CPUs.
func (o OS) Start(ctx context.Context, spec Spec) (Process, error) {
	if len(spec.Argv) == 0 {
		return nil, errors.New("start: empty argument vector")
	}
	// The cgroup shell would turn a missing program into exit 127: say it here.
	if err := findable(spec.Argv[0], spec.Dir); err != nil {
		return nil, fmt.Errorf("start %s: %w", strings.Join(spec.Argv, " "), err)
	}
	argv := spec.Argv
	if len(spec.CPUs) > 0 {
		// taskset sets the affinity and execs the target: the PID stays, and
		// every thread the contender creates inherits the CPU set.
		taskset, err := exec.LookPath("taskset")
		if err != nil {
			return nil, fmt.Errorf("start %s: CPU sets need taskset (util-linux): %w", spec.Argv[0], err)
		}
		argv = append([]string{taskset, "--cpu-list", cpuList(spec.CPUs)}, argv...)
	}
	var cg *memCgroup
	var memoryNote string
	var join []string
	if spec.MemoryLimit > 0 && !o.Watchdog {
		var err error
		if cg, err = newMemCgroup(spec.MemoryLimit); err != nil {
			memoryNote = "RSS watchdog, since no memory cgroup could be made: " + err.Error()
		} else {
			join = append(join, cg.procsFile())
		}
	}
	cpuCg, err := newCPUCgroup()
	cpuNote := ""
	if err != nil {
		cpuNote = "tree CPU time from rusage, since no cpuacct cgroup could be made: " + err.Error()
	} else {
		join = append(join, cpuCg.procsFile())
	}
	if len(join) > 0 {
		argv = joinArgv(join, argv)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = spec.Dir
	cmd.Env = append(os.Environ(), spec.Env...)
	cmd.Stdin = spec.Stdin
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	// A descendant that keeps stdout open must not keep Wait from returning
	// once the leader has exited; the group is killed right after.
	cmd.WaitDelay = time.Second
	p := &osProcess{
		cmd:        cmd,
		stdout:     &tailBuffer{max: OutputTail},
		stderr:     &tailBuffer{max: OutputTail},
		done:       make(chan struct{}),
		sampleStop: make(chan struct{}),
		cgroup:     cg,
		memoryNote: memoryNote,
		cpuCgroup:  cpuCg,
		cpuNote:    cpuNote,
	}
	cmd.Stdout = tee(p.stdout, spec.Stdout)
	cmd.Stderr = tee(p.stderr, spec.Stderr)
	if err := cmd.Start(); err != nil {
		if cg != nil {
			cg.remove()
		}
		if cpuCg != nil {
			cpuCg.remove()
		}
		return nil, fmt.Errorf("start %s: %w", strings.Join(spec.Argv, " "), err)
	}
	p.start = time.Now()
	interval := o.SampleInterval
	if interval <= 0 {
		interval = DefaultSampleInterval
	}
	go p.sample(interval, spec.MemoryLimit)
	go p.wait()
	go p.watch(ctx, spec.TimeLimit)
	return p, nil
}

// findable reports whether program can be started from dir as exec would
// find it.
func findable(program, dir string) error {
	if !strings.Contains(program, "/") {
		_, err := exec.LookPath(program)
		return err
	}
	if !filepath.IsAbs(program) && dir != "" {
		program = filepath.Join(dir, program)
	}
	_, err := os.Stat(program)
	return err
}

func tee(buf *tailBuffer, w io.Writer) io.Writer {
	if w == nil {
		return buf
	}
	return io.MultiWriter(buf, w)
}

func cpuList(cpus []int) string {
	s := make([]string, len(cpus))
	for i, c := range cpus {
		s[i] = strconv.Itoa(c)
	}
	return strings.Join(s, ",")
}

func (p *osProcess) PID() int { return p.cmd.Process.Pid }

// CPUCgroup is the directory of the tree's cpuacct cgroup while it runs, or
// "" when none could be made.
func (p *osProcess) CPUCgroup() string {
	if p.cpuCgroup == nil {
		return ""
	}
	return p.cpuCgroup.dir
}
func (p *osProcess) Done() <-chan struct{} { return p.done }
func (p *osProcess) Stderr() []byte        { return p.stderr.Bytes() }

func (p *osProcess) RSS() int64 {
	rss, _ := groupRSS(p.PID())
	return rss
}

// sample records the group's peak RSS and enforces the memory cap: the
// cgroup's limit when there is one (the tree stalls at it), the watchdog's
// otherwise.
func (p *osProcess) sample(interval time.Duration, limit int64) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		rss, _ := groupRSS(p.PID())
		p.mu.Lock()
		p.peak = max(p.peak, rss)
		p.mu.Unlock()
		switch {
		case p.cgroup != nil:
			if p.cgroup.underOOM() {
				p.kill(OutcomeMemoryLimit)
			}
		case limit > 0 && rss > limit:
			p.kill(OutcomeMemoryLimit)
		}
		select {
		case <-p.sampleStop:
			return
		case <-t.C:
		}
	}
}

// watch stops the process at its time limit or when ctx is cancelled.
func (p *osProcess) watch(ctx context.Context, limit time.Duration) {
	var timeout <-chan time.Time
	if limit > 0 {
		timer := time.NewTimer(limit)
		defer timer.Stop()
		timeout = timer.C
	}
	select {
	case <-p.done:
	case <-timeout:
		p.kill(OutcomeTimeout)
	case <-ctx.Done():
		p.terminate(DefaultGrace, OutcomeStopped)
	}
}

func (p *osProcess) wait() {
	err := p.cmd.Wait()
	wall := time.Since(p.start)
	close(p.sampleStop)
	// The leader is gone; no member of its group (or its cgroup) may outlive it.
	_ = syscall.Kill(-p.PID(), syscall.SIGKILL)
	if p.cgroup != nil {
		p.cgroup.killAll()
	}
	if p.cpuCgroup != nil {
		killAll(p.cpuCgroup.procsFile())
	}
	for deadline := time.Now().Add(2 * time.Second); p.treeAlive() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	r := Result{Wall: wall, PeakRSS: p.peak, MemoryMethod: MemoryWatchdog, MemoryNote: p.memoryNote, ExitCode: p.cmd.ProcessState.ExitCode()}
	if p.cgroup != nil {
		r.MemoryMethod, r.CgroupPeak = MemoryCgroup, p.cgroup.peak()
		if p.reason == "" && p.cgroup.underOOM() {
			p.reason = OutcomeMemoryLimit // stalled at its limit between two samples
		}
		p.cgroup.remove()
	}
	r.CPUNote = p.cpuNote
	if p.cpuCgroup != nil {
		var readErr error
		if r.CPUPerCPU, readErr = p.cpuCgroup.usagePerCPU(); readErr != nil {
			r.CPUNote = "tree CPU time from rusage: " + readErr.Error()
		}
		p.cpuCgroup.remove()
	}
	if ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.User = time.Duration(ru.Utime.Nano())
		r.Sys = time.Duration(ru.Stime.Nano())
	}
	switch {
	case p.reason != "":
		r.Outcome = p.reason
	case err == nil:
		r.Outcome = OutcomeOK
	default:
		r.Outcome = OutcomeExitError
	}
	r.Stdout, r.Stderr = p.stdout.Bytes(), p.stderr.Bytes()
	p.result, p.waitErr = r, err
	close(p.done)
}

// kill sends SIGKILL to the group, recording why (the first reason wins).
func (p *osProcess) kill(reason Outcome) {
	p.mu.Lock()
	if p.reason == "" {
		p.reason = reason
	}
	p.mu.Unlock()
	_ = syscall.Kill(-p.PID(), syscall.SIGKILL)
	if p.cgroup != nil {
		p.cgroup.killAll()
	}
}

// terminate sends SIGTERM to the group and SIGKILL after grace.
func (p *osProcess) terminate(grace time.Duration, reason Outcome) {
	p.mu.Lock()
	if p.reason == "" {
		p.reason = reason
	}
	p.mu.Unlock()
	_ = syscall.Kill(-p.PID(), syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(-p.PID(), syscall.SIGKILL)
		<-p.done
	}
}

func (p *osProcess) treeAlive() bool {
	if p.cgroup != nil && !p.cgroup.empty() {
		return true
	}
	if p.cpuCgroup != nil && !empty(p.cpuCgroup.procsFile()) {
		return true
	}
	return groupAlive(p.PID())
}

func (p *osProcess) Wait() Result {
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.result
}

func (p *osProcess) Stop(grace time.Duration) Result {
	select {
	case <-p.done:
	default:
		p.terminate(grace, OutcomeStopped)
	}
	return p.Wait()
}
