// Package build is the build stage: how long the compiled contenders of the
// user API take to build, cold and warm, with Go 1.23 and current Go, Kotlin
// 2.0.20 and current Kotlin. Every build runs in a temporary copy of the
// sources with a temporary GOCACHE and Maven output folder, so the user's
// caches and the jars other stages use are never touched; dependencies are
// already downloaded and the network is off (GOPROXY=off, mvn --offline), so
// it is never timed.
package build

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

func init() { stage.Register(func() stage.Stage { return &Stage{} }) }

// Kinds of build.
const (
	// Cold: empty build outputs and build cache (Go's standard library included).
	Cold = "cold"
	// Warm: a rebuild after a one-line change to one source file.
	Warm = "warm"
)

// Stage is the build stage.
type Stage struct{}

// builds is one run of the stage: each contender's workspace, kept between
// its verify step (the first, cold build) and its measure step.
type builds struct {
	mu     sync.Mutex
	spaces map[string]*workspace
}

// Info describes the stage.
func (*Stage) Info() stage.Info {
	return stage.Info{
		Name: "build", Workload: "services", Title: "Build time (the user API contender, not the article's project)",
		Summary: "time cold and warm builds of the compiled user API contenders in a temporary copy",
		Commands: manifest.Commands{"compile": {Placeholders: []string{"src", "out"},
			Outputs: []string{manifest.OutputNone}}},
		Needs: []string{"compile"},
	}
}

// Flags adds no flags.
func (*Stage) Flags(*flag.FlagSet) {}

// Prepare starts with no workspaces.
func (*Stage) Prepare(context.Context, *stage.Run) (stage.Prepared, error) {
	return &builds{spaces: map[string]*workspace{}}, nil
}

// Close removes every workspace.
func (s *builds) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, ws := range s.spaces {
		errs = append(errs, os.RemoveAll(ws.dir))
	}
	s.spaces = nil
	return errors.Join(errs...)
}

// Verify makes the contender's workspace and builds in it once: cold, from a
// clean copy with an empty build cache, offline; or, in the quick and smoke
// profiles, for a contender whose compile command names the outputs make
// setup left (prime), a rebuild after a one-line change starting from those
// outputs, which is what a warm round measures. The cold build is the quick
// profile's one cold figure.
func (s *builds) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) results.Record {
	rec := r.Record(c, results.StepVerify)
	ws, err := newWorkspace(r.Root, c)
	if err != nil {
		rec.Status, rec.Reason = results.StatusFailed, err.Error()
		return rec
	}
	s.mu.Lock()
	s.spaces[c.Name()] = ws
	s.mu.Unlock()
	if prime := c.Decl.Commands["compile"].Prime; prime != "" && r.Profile != plan.Full {
		if err := ws.prime(r.Root, prime); err != nil {
			rec.Status, rec.Reason = results.StatusFailed, err.Error()
			return rec
		}
		if err := ws.edit(); err != nil {
			rec.Status, rec.Reason = results.StatusFailed, err.Error()
			return rec
		}
		warm := ws.build(ctx, r, c)
		rec.Checks = append(rec.Checks, results.Check{Name: "warm build", Rule: "rebuilds after a one-line change, offline, from the outputs of a real build",
			Pass: warm.OK(), Detail: warm.Reason})
		return rec
	}
	cold := ws.build(ctx, r, c)
	ws.first = &cold
	rec.Checks = append(rec.Checks, results.Check{Name: "cold build", Rule: "builds from a clean copy with an empty build cache, offline",
		Pass: cold.OK(), Detail: cold.Reason})
	return rec
}

// Measure times warm rebuilds in interleaved rounds (and, in the full
// profile, cold builds in fresh workspaces); the quick profile's cold figure
// is the verify step's one cold build, marked as a single round.
func (s *builds) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	kinds := []string{Warm}
	if r.Profile == plan.Full {
		kinds = []string{Cold, Warm}
	}
	var jobs []stage.Job
	for _, c := range cs {
		for _, kind := range kinds {
			jobs = append(jobs, stage.Job{Contender: c, Name: c.Name() + " " + kind, Config: map[string]any{"kind": kind, "cpus": "all"},
				Run: func(int) (batch.Run, error) { return s.prepareRound(r, c, kind) }})
		}
	}
	m := r.Measure(ctx, jobs)
	for i, c := range cs {
		if r.Profile != plan.Full {
			s.emitFirstCold(r, c)
		}
		for k := range kinds {
			at := i*len(kinds) + k
			r.Emit(m.Record(r, c, jobs[at].Config, m.Values[at]))
		}
	}
}

// prepareRound makes the workspace a round builds in: a fresh one for a cold
// build (the previous cold one removed), the contender's own after one more
// line of change for a warm one.
func (s *builds) prepareRound(r *stage.Run, c *stage.Contender, kind string) (batch.Run, error) {
	s.mu.Lock()
	ws := s.spaces[c.Name()]
	s.mu.Unlock()
	if ws == nil {
		return batch.Run{}, fmt.Errorf("%s has no workspace: its verify step did not build it", c.Name())
	}
	if kind == Warm {
		if err := ws.edit(); err != nil {
			return batch.Run{}, err
		}
		return ws.run(r, c)
	}
	fresh, err := newWorkspace(r.Root, c)
	if err != nil {
		return batch.Run{}, err
	}
	s.mu.Lock()
	if old := s.spaces[c.Name()+"/cold"]; old != nil {
		_ = os.RemoveAll(old.dir)
	}
	s.spaces[c.Name()+"/cold"] = fresh
	s.mu.Unlock()
	return fresh.run(r, c)
}

// emitFirstCold records the verify step's cold build as a single cold round.
func (s *builds) emitFirstCold(r *stage.Run, c *stage.Contender) {
	s.mu.Lock()
	ws := s.spaces[c.Name()]
	s.mu.Unlock()
	if ws == nil || ws.first == nil || !ws.first.OK() {
		return
	}
	var cold batch.Samples
	cold.AddOutside(0, false, *ws.first)
	rec := r.Record(c, results.StepMeasure)
	rec.Config = map[string]any{"kind": Cold, "cpus": "all"}
	rec.Status, rec.Reason = results.StatusOK, "the verify step's one cold build"
	rec.Values = cold.Values()
	r.Emit(rec)
}

// Section renders the build times.
func (*Stage) Section(recs []results.Record, _ manifest.File) report.Section {
	tables := []report.Table{report.Conformance("Builds succeed", recs, nil)}
	tables = append(tables, report.Measured("Build time (wall, all CPUs)", recs, []report.Metric{
		{Value: batch.WallSeconds, Title: "wall", Lower: true}, {Value: batch.CPUSeconds, Title: "CPU (user+sys)", Lower: true},
		{Value: batch.PeakRSS, Title: "peak RSS", Lower: true}})...)
	tables = append(tables, report.SourceSize(recs)...)
	wall := report.Metric{Value: batch.WallSeconds, Title: "wall", Lower: true}
	return report.Section{Tables: tables, Charts: []report.Chart{
		report.ValueChart("build-warm", "Warm rebuild after a one-line change (wall)", report.Matching(recs, map[string]any{"kind": Warm}), wall),
		report.ValueChart("build-cold", "Cold build (wall)", report.Matching(recs, map[string]any{"kind": Cold}), wall),
	}}
}
