package probes

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"time"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/probecheck"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

// The capacity search: the largest K that completes under CapacityLimit of
// memory within twice the ideal time (every task sleeps 1 s), in steps of x2
// from CapacityStart.
const (
	CapacityLimit = 2 << 30
	CapacityStart = 10_000
	taskSleep     = time.Second
	// capacityMax bounds the search: 16 steps from 10,000 reach 327 million;
	// memory stops every runtime long before. The smoke profile stops at its
	// second step, which is enough to exercise the search.
	capacityMax      = 10_000 * (1 << 15)
	capacityMaxSmoke = 20_000
	verifyTasks      = 1000
)

// capacityFor lists the contenders whose capacity the quick and smoke
// profiles search (the article's two sides and current Go); the full profile
// searches every contender without a count limit.
var capacityFor = []string{"python-3.13", "kotlin-2.0", "go-current"}

func init() { stage.Register(Tasks{}) }

// Tasks is the tasks stage: K concurrent tasks that each sleep 1 s.
type Tasks struct{}

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

// Prepare has nothing to generate.
func (Tasks) Prepare(context.Context, *stage.Run) error { return nil }

// tasksRun runs K tasks on every CPU: sleeping tasks are bound by memory and
// by how fast a runtime creates and schedules them, and a runtime's helper
// threads (the JVM's collector, the Go scheduler's) get the cores they
// would have in production.
func tasksRun(r *stage.Run, c *stage.Contender, k int64, limit int64) (batch.Run, error) {
	return r.Batch(c, "tasks", stage.RunOptions{Vars: manifest.Vars{"count": itoa(k)}, MemoryLimit: limit,
		TimeLimit: 2 * time.Minute, CPUs: r.AllCPUs})
}

// Verify runs 1,000 tasks: every one must complete.
func (Tasks) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) results.Record {
	run, err := tasksRun(r, c, verifyTasks, CapacityLimit)
	return verifyOnce(ctx, r, c, run, err, func(final []byte) results.Check {
		line, err := probecheck.ParseTasks(final)
		if err != nil {
			return failed("tasks completed", "tasks completed", err.Error())
		}
		return check("", "tasks", probecheck.CheckTasks(line, verifyTasks))
	})
}

// Measure runs the fixed counts in interleaved rounds (with K = 0 for the
// runtime's own memory), then searches each contender's capacity.
func (t Tasks) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	type job struct {
		c       *stage.Contender
		k       int64
		samples batch.Samples
	}
	var jobs []*job
	for _, c := range cs {
		jobs = append(jobs, &job{c: c, k: 0})
		for _, k := range r.Plan.Sizes {
			if m := maxCount(c); m == 0 || k <= m {
				jobs = append(jobs, &job{c: c, k: k})
			}
		}
	}
	batchJobs := make([]batch.Job, len(jobs))
	for i, j := range jobs {
		batchJobs[i] = batch.Job{Name: fmt.Sprintf("%s K=%d", j.c.Name(), j.k),
			Make: func(int) (batch.Run, error) { return tasksRun(r, j.c, j.k, CapacityLimit) }}
	}
	stop := r.Interleave(ctx, batchJobs, func(d batch.Done) {
		j := jobs[d.Job]
		if !d.Outcome.OK() {
			return
		}
		line, err := probecheck.ParseTasks(d.Outcome.Final)
		if err != nil || !probecheck.CheckTasks(line, int(j.k)).Pass {
			return
		}
		j.samples.Add("seconds", "s", "inside", d.Round, d.Warmup, line.Seconds)
		j.samples.Add("self_peak_rss", "B", "inside", d.Round, d.Warmup, float64(line.PeakRSSBytes))
		j.samples.AddOutside(d.Round, d.Warmup, d.Outcome)
	})
	idle := map[string]results.Value{}
	for _, j := range jobs {
		if j.k == 0 {
			idle[j.c.Name()], _ = valueOf(j.samples.Values(), memoryValue(j.samples.Values()))
		}
	}
	for _, j := range jobs {
		if j.k == 0 {
			continue
		}
		rec := r.Record(j.c, results.StepMeasure)
		rec.Config = map[string]any{"count": j.k, "cpus": "all"}
		rec.Status = results.StatusOK
		if stop.Status != "" {
			rec.Status, rec.Reason = stop.Status, stop.Reason
		}
		rec.Values = j.samples.Values()
		peak, _ := valueOf(rec.Values, memoryValue(rec.Values))
		if per := perObject(peak, idle[j.c.Name()], j.k); len(per.Samples) > 0 {
			per.Name = "bytes_per_task"
			rec.Values = append(rec.Values, per)
		}
		r.Emit(rec)
	}
	if stop.Status == "" {
		t.capacity(ctx, r, cs)
	}
}

// memoryValue is the peak the tree's memory is read from: the cgroup's peak
// where the harness could make one, else the sampled RSS.
func memoryValue(vs []results.Value) string {
	if _, ok := valueOf(vs, batch.PeakCgroup); ok {
		return batch.PeakCgroup
	}
	return batch.PeakRSS
}

// A capacityStep is one count tried by the capacity search.
type capacityStep struct {
	Count   int64   `json:"count"`
	OK      bool    `json:"ok"`
	Seconds float64 `json:"seconds,omitempty"`
	PeakB   int64   `json:"peak_bytes,omitempty"`
	Why     string  `json:"why,omitempty"`
}

// capacity searches, per contender, the largest K that completes under
// CapacityLimit within twice the ideal time, doubling K from CapacityStart;
// the first step that fails ends the search. A contender that passes the last
// step it may try holds "at least" that many.
func (Tasks) capacity(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	for _, c := range cs {
		if maxCount(c) > 0 || (r.Profile != plan.Full && !slices.Contains(capacityFor, c.Name())) {
			continue
		}
		var steps []capacityStep
		held, status, reason := int64(0), results.StatusOK, ""
		top := int64(capacityMax)
		if r.Profile == plan.Smoke {
			top = capacityMaxSmoke
		}
		for k := int64(CapacityStart); k <= top; k *= 2 {
			if ctx.Err() != nil || r.Remaining() <= 0 {
				status, reason = results.StatusBudget, fmt.Sprintf("stopped before K = %d: the stage's time budget is spent", k)
				if ctx.Err() != nil {
					status = results.StatusInterrupted
				}
				break
			}
			r.Progressf("%s: capacity step K = %d", c.Name(), k)
			step := capacityTry(ctx, r, c, k)
			steps = append(steps, step)
			if !step.OK {
				break
			}
			held = k
		}
		atMax := len(steps) > 0 && steps[len(steps)-1].OK && steps[len(steps)-1].Count*2 > top
		rec := r.Record(c, results.StepMeasure)
		rec.Config = map[string]any{"capacity": "search", "memory_limit": "2 GiB", "cpus": "all", "at_limit": atMax, "search_top": top}
		rec.Status, rec.Reason = status, reason
		if held > 0 {
			rec.Values = []results.Value{{Name: "capacity", Unit: "tasks", Samples: []float64{float64(held)}, Source: "outside"}}
		}
		curve, _ := json.Marshal(steps)
		rec.Attach = []results.Attach{{Name: "capacity-steps", Media: "application/json", Data: curve}}
		r.Emit(rec)
	}
}

// capacityTry runs one step: it holds when the run exits 0, every task
// completed, and the work took at most twice the ideal second.
func capacityTry(ctx context.Context, r *stage.Run, c *stage.Contender, k int64) capacityStep {
	step := capacityStep{Count: k}
	run, err := tasksRun(r, c, k, CapacityLimit)
	if err != nil {
		step.Why = err.Error()
		return step
	}
	o := batch.Execute(ctx, r.Exec, run)
	step.PeakB = max(o.Process.CgroupPeak, o.Process.PeakRSS)
	if !o.OK() {
		step.Why = o.Reason
		return step
	}
	line, err := probecheck.ParseTasks(o.Final)
	switch {
	case err != nil:
		step.Why = err.Error()
	case !probecheck.CheckTasks(line, int(k)).Pass:
		step.Why = probecheck.CheckTasks(line, int(k)).Detail
	case line.Seconds > 2*taskSleep.Seconds():
		step.Seconds = line.Seconds
		step.Why = fmt.Sprintf("took %.2f s, more than twice the ideal %.0f s", line.Seconds, taskSleep.Seconds())
	default:
		step.Seconds, step.OK = line.Seconds, true
	}
	return step
}

// Section renders the completion checks, time and memory per count, and capacity.
func (Tasks) Section(recs []results.Record) report.Section {
	tables := []report.Table{report.Conformance("Every task completes (K = 1,000)", recs, nil)}
	tables = append(tables, report.Measured("Concurrent sleeping tasks", recs, []report.Metric{
		{Value: "seconds", Title: "wall (inside)", Lower: true}, {Value: "bytes_per_task", Title: "bytes/task", Lower: true},
		{Value: batch.PeakCgroup, Title: "peak (cgroup)", Lower: true}, {Value: "self_peak_rss", Title: "peak RSS (self)", Lower: true},
		{Value: "capacity", Title: "capacity (2 GiB, 2 s)"}})...)
	return report.Section{Tables: tables, Charts: []report.Chart{
		report.ValueChart("tasks-bytes", "Bytes per sleeping task", recs, report.Metric{Value: "bytes_per_task", Title: "bytes/task", Lower: true}),
		report.ValueChart("tasks-capacity", "Most tasks completed under 2 GiB within 2 s", recs, report.Metric{Value: "capacity", Title: "tasks"}),
	}}
}
