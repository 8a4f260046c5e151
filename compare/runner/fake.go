package runner

import (
	"context"
	"sync"
	"time"
)

// Fake is an Executor for harness tests: it starts no process, records every
// Spec, and ends each run with the Result that Script returns for it.
type Fake struct {
	// Script returns the result of a run; nil means every run exits 0 at once.
	Script func(Spec) FakeRun

	mu      sync.Mutex
	started []Spec
}

// A FakeRun scripts one fake process.
type FakeRun struct {
	Result Result
	// StartErr, when set, is returned by Start.
	StartErr error
	// Lives keeps the process running until stopped (a service), instead of
	// exiting at once.
	Lives bool
}

var _ Executor = (*Fake)(nil)

// Started returns the specs started so far.
func (f *Fake) Started() []Spec {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Spec(nil), f.started...)
}

// Start records spec and returns a scripted process.
func (f *Fake) Start(ctx context.Context, spec Spec) (Process, error) {
	run := FakeRun{Result: Result{Outcome: OutcomeOK}}
	if f.Script != nil {
		run = f.Script(spec)
	}
	if run.StartErr != nil {
		return nil, run.StartErr
	}
	f.mu.Lock()
	f.started = append(f.started, spec)
	pid := 1000 + len(f.started)
	f.mu.Unlock()
	p := &fakeProcess{pid: pid, result: run.Result, done: make(chan struct{})}
	if !run.Lives {
		p.finish(run.Result.Outcome)
	} else {
		go func() {
			<-ctx.Done()
			p.finish(OutcomeStopped)
		}()
	}
	return p, nil
}

type fakeProcess struct {
	pid    int
	once   sync.Once
	result Result
	done   chan struct{}
}

func (p *fakeProcess) finish(o Outcome) {
	p.once.Do(func() {
		p.result.Outcome = o
		close(p.done)
	})
}

func (p *fakeProcess) PID() int              { return p.pid }
func (p *fakeProcess) Done() <-chan struct{} { return p.done }
func (p *fakeProcess) Stderr() []byte        { return p.result.Stderr }
func (p *fakeProcess) Wait() Result          { <-p.done; return p.result }
func (p *fakeProcess) RSS() int64            { return p.result.PeakRSS }
func (p *fakeProcess) Stop(time.Duration) Result {
	p.finish(OutcomeStopped)
	return p.Wait()
}
