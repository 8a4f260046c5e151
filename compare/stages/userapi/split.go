package userapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/load"
	"github.com/tribench/tribench/compare/runner"
)

// splitLead is how long after a split load starts its loaders open their
// windows together, at the least: time to start on their hosts (a
// namespace entered, the binary loaded) and open their connections.
const splitLead = 2 * time.Second

// A splitLoad is an Executor that runs one load as its loaders' shares,
// `tribench load --segment i/N --start-at T` on each loader host, and
// merges their results (load.Merge): the process it starts prints the
// merged result as one loader prints its own, so the rounds, re-runs and
// records treat both alike.
type splitLoad struct {
	exec  runner.Executor
	hosts []*hosts.Host
	// lead is how long after the start the windows open: the warm-up.
	lead time.Duration
	// spec is loader i's process for the agreed start.
	spec func(startAt time.Time, i int) (runner.Spec, error)
}

// Start starts every loader with one agreed start; the spec given (the
// first loader's, for the CPUs a meter reads) is not run as it is.
func (s *splitLoad) Start(ctx context.Context, _ runner.Spec) (runner.Process, error) {
	startAt := time.Now().Add(s.lead).UTC()
	g := &loadGroup{done: make(chan struct{})}
	for i, h := range s.hosts {
		spec, err := s.spec(startAt, i)
		var p runner.Process
		if err == nil {
			p, err = s.exec.Start(ctx, spec)
		}
		if err != nil {
			g.stopAll(0)
			return nil, fmt.Errorf("loader on %s: %w", h, err)
		}
		g.procs = append(g.procs, p)
		g.names = append(g.names, h.String())
	}
	go g.wait()
	return g, nil
}

// A loadGroup is a split load's loaders as one process: done when every
// loader is, its result theirs merged.
type loadGroup struct {
	procs  []runner.Process
	names  []string
	done   chan struct{}
	result runner.Result
}

func (g *loadGroup) PID() int              { return g.procs[0].PID() }
func (g *loadGroup) Done() <-chan struct{} { return g.done }

func (g *loadGroup) Wait() runner.Result {
	<-g.done
	return g.result
}

// Stop stops every loader at once, so the grace periods do not add up.
func (g *loadGroup) Stop(grace time.Duration) runner.Result {
	g.stopAll(grace)
	return g.Wait()
}

func (g *loadGroup) stopAll(grace time.Duration) {
	var wg sync.WaitGroup
	for _, p := range g.procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Stop(grace)
		}()
	}
	wg.Wait()
}

// Stderr is every loader's, each line block headed by its host.
func (g *loadGroup) Stderr() []byte {
	var b bytes.Buffer
	for i, p := range g.procs {
		if e := p.Stderr(); len(e) > 0 {
			fmt.Fprintf(&b, "%s: %s", g.names[i], e)
		}
	}
	return b.Bytes()
}

func (g *loadGroup) RSS() int64 {
	var sum int64
	for _, p := range g.procs {
		sum += p.RSS()
	}
	return sum
}

func (g *loadGroup) wait() {
	rs := make([]runner.Result, len(g.procs))
	for i, p := range g.procs {
		rs[i] = p.Wait()
	}
	g.result = mergeLoaders(g.names, rs)
	close(g.done)
}

// mergeLoaders is the loaders' results as one: the first failure's outcome,
// or else their JSON results merged into one line; times and CPU added,
// the longest wall and the largest memory kept.
func mergeLoaders(names []string, rs []runner.Result) runner.Result {
	out := runner.Result{Outcome: runner.OutcomeOK}
	var stderr bytes.Buffer
	var loads []load.Result
	var errs []error
	for i, r := range rs {
		out.Wall, out.PeakRSS, out.CgroupPeak = max(out.Wall, r.Wall), max(out.PeakRSS, r.PeakRSS), max(out.CgroupPeak, r.CgroupPeak)
		out.User += r.User
		out.Sys += r.Sys
		out.MemoryMethod, out.MemoryNote = r.MemoryMethod, r.MemoryNote
		out.CPUPerCPU = addPerCPU(out.CPUPerCPU, r.CPUPerCPU)
		if r.CPUNote != "" {
			out.CPUNote = r.CPUNote
		}
		if len(r.Stderr) > 0 {
			fmt.Fprintf(&stderr, "%s: %s\n", names[i], bytes.TrimSpace(r.Stderr))
		}
		if r.Outcome != runner.OutcomeOK {
			if out.Outcome == runner.OutcomeOK {
				out.Outcome, out.ExitCode = r.Outcome, r.ExitCode
			}
			continue
		}
		var res load.Result
		if err := json.Unmarshal([]byte(lastLine(r.Stdout)), &res); err != nil {
			errs = append(errs, fmt.Errorf("%s: its result: %w", names[i], err))
		}
		loads = append(loads, res)
	}
	if out.Outcome == runner.OutcomeOK && len(errs) == 0 {
		m, err := load.Merge(names, loads)
		if err == nil {
			var b []byte
			if b, err = json.Marshal(m); err == nil {
				out.Stdout = append(b, '\n')
			}
		}
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		out.Outcome, out.ExitCode = runner.OutcomeExitError, 1
		fmt.Fprintf(&stderr, "%v\n", err)
	}
	out.Stderr = stderr.Bytes()
	return out
}

// addPerCPU adds two per-CPU times, CPU by CPU.
func addPerCPU(a, b []time.Duration) []time.Duration {
	if len(b) > len(a) {
		a, b = b, a
	}
	out := append([]time.Duration(nil), a...)
	for i, d := range b {
		out[i] += d
	}
	return out
}
