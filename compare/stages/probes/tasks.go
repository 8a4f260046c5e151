package probes

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"time"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/probecheck"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/memprobe"
)

// The capacity search: the largest K that completes under CapacityLimit of
// memory within twice the ideal time (every task sleeps 1 s). K doubles once
// from CapacityStart to the first failure; then each round bisects that
// bracket until its width is within CapacityTolerance of its lower end, the
// round's capacity. Confirming later rounds around the first one's narrow
// bracket was tried: 2 steps a round when the capacity stays put, but up to
// 11 when it moves, as it did by 2x between rounds on this shared machine
// (the limit is mostly time), where a bisection costs at most 4.
const (
	CapacityLimit     = 2 << 30
	CapacityStart     = 10_000
	CapacityTolerance = 0.10
	// capacityRounds is the fewest rounds of bisection, so a ratio of two
	// contenders pairs three rounds; the full profile runs its plan's rounds
	// when they are more.
	capacityRounds = 3
	taskSleep      = time.Second
	// capacityMax bounds the search at the most tasks a contender accepts;
	// time or memory stops every runtime long before. The smoke profile stops at its
	// second step, which is enough to exercise the search.
	capacityMax      = memprobe.MaxTasks
	capacityMaxSmoke = 20_000
	// capacityStepLimit stops a step's run: a step that needs this long has
	// failed its 2 s long before (a JVM starts in about a second here, under
	// load), and the search goes on sooner.
	capacityStepLimit = 10 * time.Second
	verifyTasks       = 1000
	// tasksTimeLimit stops a run at a fixed count, generous for 1M tasks.
	tasksTimeLimit = 2 * time.Minute
)

// Tasks is the tasks stage: K concurrent tasks that each sleep 1 s.
type Tasks struct{ stage.Stateless }

// Info describes the stage.
func (Tasks) Info() stage.Info {
	return stage.Info{
		Name: "tasks", Workload: "memprobe", Title: "Concurrent tasks (each sleeps 1 s)",
		Summary:  "K sleeping tasks: wall time and memory at fixed K, and the most that complete under 2 GiB in 2 s",
		Commands: manifest.Commands{"tasks": {Placeholders: []string{"count"}, Outputs: []string{manifest.OutputLine}}},
		Needs:    []string{"tasks"},
	}
}

// Flags adds no flags.
func (Tasks) Flags(*flag.FlagSet) {}

// Prepare has nothing to generate: the stage is its own run.
func (s Tasks) Prepare(context.Context, *stage.Run) (stage.Prepared, error) { return s, nil }

// tasksRun runs K tasks on every CPU: sleeping tasks are bound by memory and
// by how fast a runtime creates and schedules them, and a runtime's helper
// threads (the JVM's collector, the Go scheduler's) get the cores they
// would have in production.
func tasksRun(r *stage.Run, c *stage.Contender, k int64, timeLimit time.Duration) (batch.Run, error) {
	return r.Batch(c, "tasks", stage.RunOptions{Vars: manifest.Vars{"count": itoa(k)}, MemoryLimit: CapacityLimit,
		TimeLimit: timeLimit, CPUs: r.AllCPUs})
}

// Verify runs 1,000 tasks: every one must complete.
func (Tasks) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) results.Record {
	run, err := tasksRun(r, c, verifyTasks, tasksTimeLimit)
	return verifyOnce(ctx, r, c, run, err, func(final []byte) results.Check {
		line, err := probecheck.ParseTasks(final)
		if err != nil {
			return failed("tasks completed", "tasks completed", err.Error())
		}
		return check("", "tasks", probecheck.CheckTasks(line, verifyTasks))
	})
}

// Measure searches each contender's capacity first (the article's claim reads
// it), then runs the fixed counts in interleaved rounds (with K = 0 for the
// runtime's own memory).
func (t Tasks) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	t.capacity(ctx, r, cs)
	var jobs []stage.Job
	// idle is, for each job, the index of its contender's K = 0 job.
	idle := map[int]int{}
	for _, c := range cs {
		zero := len(jobs)
		for _, k := range append([]int64{0}, r.Plan.Sizes...) {
			if m := maxCount(c); k > 0 && m > 0 && k > m {
				continue
			}
			idle[len(jobs)] = zero
			jobs = append(jobs, stage.Job{Contender: c, Name: fmt.Sprintf("%s K=%d", c.Name(), k),
				Config: map[string]any{"count": k, "cpus": "all"}, Hidden: k == 0,
				Run:  func(int) (batch.Run, error) { return tasksRun(r, c, k, tasksTimeLimit) },
				Read: readTasks(k)})
		}
	}
	m := r.Measure(ctx, jobs)
	m.Emit(r, func(i int, values []results.Value) []results.Value {
		idleValues := m.Values[idle[i]]
		peak := m.Value(i, memoryValue(values))
		if per := perObject(peak, m.Value(idle[i], memoryValue(idleValues)), jobs[i].Config["count"].(int64)); len(per.Samples) > 0 {
			per.Name = "bytes_per_task"
			return append(values, per)
		}
		return values
	})
}

// readTasks reads a run of K tasks: its seconds and its own peak RSS, when
// every task completed.
func readTasks(k int64) func(batch.Outcome, func(name, unit, source string, v float64)) bool {
	return func(o batch.Outcome, add func(name, unit, source string, v float64)) bool {
		line, err := probecheck.ParseTasks(o.Final)
		if err != nil || !probecheck.CheckTasks(line, int(k)).Pass {
			return false
		}
		add("seconds", "s", "inside", line.Seconds)
		add("self_peak_rss", "B", "inside", float64(line.PeakRSSBytes))
		return true
	}
}

// memoryValue is the peak the tree's memory is read from: the cgroup's peak
// where the harness could make one, else the sampled RSS.
func memoryValue(vs []results.Value) string {
	if slices.ContainsFunc(vs, func(v results.Value) bool { return v.Name == batch.PeakCgroup }) {
		return batch.PeakCgroup
	}
	return batch.PeakRSS
}

// Section renders the completion checks, time and memory per count, and capacity.
func (Tasks) Section(recs []results.Record, _ manifest.File) report.Section {
	tables := []report.Table{report.Conformance("Every task completes (K = 1,000)", recs, nil)}
	tables = append(tables, report.Measured("Concurrent sleeping tasks", recs, []report.Metric{
		{Value: "seconds", Title: "wall (inside)", Lower: true}, {Value: "bytes_per_task", Title: "bytes/task", Lower: true},
		{Value: batch.PeakCgroup, Title: "peak (cgroup)", Lower: true}, {Value: "self_peak_rss", Title: "peak RSS (self)", Lower: true},
		{Value: "capacity", Title: "capacity (2 GiB, 2 s)"}})...)
	tables = append(append(tables, capacityTable(recs)), report.SourceSize(recs)...)
	return report.Section{Tables: tables, Charts: []report.Chart{
		report.ValueChart("tasks-bytes", "Bytes per sleeping task", recs, report.Metric{Value: "bytes_per_task", Title: "bytes/task", Lower: true}),
		report.ValueChart("tasks-capacity", "Most tasks completed under 2 GiB within 2 s", recs, report.Metric{Value: "capacity", Title: "tasks"}),
	}}
}
