package suite

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/tribench/tribench/compare/conform"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// Defaults of a Suite.
const (
	DefaultBuildTimeout = 15 * time.Minute
	DefaultReadyTimeout = 60 * time.Second
	DefaultStopGrace    = 10 * time.Second
	// DefaultServerMemory caps a service's process tree.
	DefaultServerMemory = 4 << 30
	// DefaultConformTimeout bounds a whole conformance run of one service.
	DefaultConformTimeout = 5 * time.Minute
)

// A Suite runs contenders of one repository checkout.
type Suite struct {
	// Root is the repository root; builds run there.
	Root string
	// Cache is the toolchain cache (TRIBENCH_CACHE).
	Cache string
	// Exec starts every process.
	Exec runner.Executor
	// ServerCPUs is the CPU set a service runs on; DefaultCPUs when nil.
	ServerCPUs []int
	// Progress receives one line per stage; nil is quiet.
	Progress io.Writer
	// BuildTimeout, ReadyTimeout bound a build and a start; defaults when zero.
	BuildTimeout, ReadyTimeout time.Duration
}

// DefaultCPUs gives a service the last CPU and leaves the others to the load
// generator and the oracle; on one CPU they share it.
func DefaultCPUs() []int {
	n := runtime.NumCPU()
	if n < 2 {
		return nil
	}
	return []int{n - 1}
}

// Bin is where builds put their outputs.
func (s *Suite) Bin() string { return filepath.Join(s.Root, "bin", "contenders") }

func (s *Suite) cpus() []int {
	if s.ServerCPUs != nil {
		return s.ServerCPUs
	}
	return DefaultCPUs()
}

func (s *Suite) vars(port int) manifest.Vars {
	n := len(s.cpus())
	if n == 0 {
		n = runtime.NumCPU()
	}
	v := manifest.Vars{"repo": s.Root, "cache": s.Cache, "bin": s.Bin(), "cpus": strconv.Itoa(n)}
	if port > 0 {
		v["port"] = strconv.Itoa(port)
	}
	return v
}

func (s *Suite) progress(format string, args ...any) {
	if s.Progress != nil {
		fmt.Fprintf(s.Progress, format+"\n", args...)
	}
}

// record starts a results record describing c.
func (s *Suite) record(f manifest.File, c manifest.Contender) results.Record {
	v := s.vars(0)
	settings := map[string]string{}
	for k, val := range c.Settings {
		settings[k] = v.Expand(val)
	}
	return results.Record{Kind: results.KindConformance, Workload: f.Workload, Contender: c.Name, Language: c.Language,
		Variant: c.Variant, Toolchain: c.Toolchain, Note: c.Note, Fallback: c.Fallback, Settings: settings,
		CPUs: cpuString(s.cpus())}
}

func cpuString(cpus []int) string {
	if len(cpus) == 0 {
		return "all"
	}
	parts := make([]string, len(cpus))
	for i, c := range cpus {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

// Available reports why c cannot run here ("" when it can): a file it requires
// is missing because setup could not provision its toolchain.
func (s *Suite) Available(c manifest.Contender) string {
	if missing := c.Missing(s.vars(0)); missing != "" {
		return "missing " + missing + " (make setup could not provision it; see its output)"
	}
	return ""
}

// Build runs c's build commands from the repository root.
func (s *Suite) Build(ctx context.Context, c manifest.Contender) error {
	v := s.vars(0)
	timeout := s.BuildTimeout
	if timeout == 0 {
		timeout = DefaultBuildTimeout
	}
	for _, argv := range c.Build {
		p, err := s.Exec.Start(ctx, runner.Spec{Argv: v.ExpandAll(argv), Dir: s.Root, Env: v.Environ(c.BuildEnv), TimeLimit: timeout})
		if err != nil {
			return fmt.Errorf("build %s: %w", c.Name, err)
		}
		if r := p.Wait(); r.Outcome != runner.OutcomeOK {
			return fmt.Errorf("build %s: `%s` ended %s (exit %d): %s", c.Name, strings.Join(argv, " "), r.Outcome, r.ExitCode, lastLines(r.Stderr, 3))
		}
	}
	return nil
}

// Version runs c's version command and returns its first line of output.
func (s *Suite) Version(ctx context.Context, c manifest.Contender) string {
	if len(c.Version) == 0 {
		return ""
	}
	v := s.vars(0)
	p, err := s.Exec.Start(ctx, runner.Spec{Argv: v.ExpandAll(c.Version), Dir: s.Root, Env: v.Environ(c.BuildEnv), TimeLimit: time.Minute})
	if err != nil {
		return ""
	}
	r := p.Wait()
	out := strings.TrimSpace(string(r.Stdout) + "\n" + string(r.Stderr))
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "go: downloading") {
			return l
		}
	}
	return ""
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// Conform builds, starts and checks one services contender and returns its
// record. Problems (unavailable, build or start failures) are in the record's
// Status and Reason; onCheck, when set, sees each check as it finishes.
func (s *Suite) Conform(ctx context.Context, f manifest.File, c manifest.Contender, onCheck func(conform.Check)) results.Record {
	rec := s.record(f, c)
	if why := s.Available(c); why != "" {
		rec.Status, rec.Reason = results.StatusUnavailable, why
		s.progress("%s: unavailable: %s", c.Name, why)
		return rec
	}
	s.progress("%s: building", c.Name)
	if err := s.Build(ctx, c); err != nil {
		rec.Status, rec.Reason = results.StatusBuildFailed, err.Error()
		return rec
	}
	rec.Version = s.Version(ctx, c)
	port, err := runner.FreePort()
	if err != nil {
		rec.Status, rec.Reason = results.StatusStartFailed, err.Error()
		return rec
	}
	v := s.vars(port)
	rec.Argv = v.ExpandAll(c.Run)
	s.progress("%s: starting %s on CPU %s", c.Name, strings.Join(rec.Argv, " "), rec.CPUs)
	started := time.Now()
	p, err := s.Exec.Start(ctx, runner.Spec{Argv: rec.Argv, Dir: s.Root, Env: v.Environ(c.Env), CPUs: s.cpus(), MemoryLimit: DefaultServerMemory})
	if err != nil {
		rec.Status, rec.Reason = results.StatusStartFailed, err.Error()
		return rec
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	ready := s.ReadyTimeout
	if ready == 0 {
		ready = DefaultReadyTimeout
	}
	if err := runner.WaitReady(ctx, p, base+"/health", ready); err != nil {
		pr := p.Stop(DefaultStopGrace)
		rec.Status, rec.Reason, rec.Process = results.StatusStartFailed, err.Error(), process(pr)
		return rec
	}
	s.progress("%s: checking against the contract", c.Name)
	cctx, cancel := context.WithTimeout(ctx, DefaultConformTimeout)
	rep, err := conform.Run(cctx, conform.Options{BaseURL: base, StartedAt: started, OnCheck: onCheck})
	cancel()
	select {
	case <-p.Done():
		pr := p.Wait()
		rec.Status, rec.Reason = results.StatusCrashed, fmt.Sprintf("exited %s during the checks: %s", pr.Outcome, lastLines(pr.Stderr, 3))
		rec.Process = process(pr)
	default:
		rec.Process = process(p.Stop(DefaultStopGrace))
		rec.Status = results.StatusOK
	}
	switch {
	case ctx.Err() != nil:
		rec.Status, rec.Reason = results.StatusInterrupted, "the service was stopped"
		return rec
	case err != nil:
		rec.Status, rec.Reason = results.StatusCrashed, err.Error()
		return rec
	}
	rec.Conform = &rep
	s.progress("%s: %d passed, %d failed", c.Name, rep.Passed, rep.Failed)
	return rec
}

func process(r runner.Result) *results.Process {
	return &results.Process{WallSeconds: r.Wall.Seconds(), UserSeconds: r.User.Seconds(), SysSeconds: r.Sys.Seconds(),
		PeakRSSBytes: r.PeakRSS, MemoryMethod: r.MemoryMethod, Outcome: string(r.Outcome)}
}
