package probes

import (
	"context"
	"flag"
	"fmt"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/probecheck"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/stats"
)

// The CPU-bound row's shape: 8 tasks, as the article.
const (
	cpuTasks = 8
	// cpuVerifyN is the n the oracle checks every contender at: 8 tasks' total
	// at 2,000,000 (2.1e19) passes 2^64, so every language's reduction modulo
	// 2^64 is exercised, and CPython still finishes in a few seconds.
	cpuVerifyN = 2_000_000
)

func init() { stage.Register(func() stage.Stage { return CPU{} }) }

// CPU is the cpu stage: a pool of W workers summing squares in 8 tasks, with
// W = 1 (the whole process on one CPU) and W = every core.
type CPU struct{ stage.Stateless }

// Info describes the stage.
func (CPU) Info() stage.Info {
	return stage.Info{
		Name: "cpu", Workload: "memprobe", Title: "CPU-bound thread pool (the free-threaded row)",
		Summary:  "8 CPU-bound tasks on 1 worker and on every core: seconds, speed-up, against CPython 3.13 with the GIL",
		Commands: manifest.Commands{"cpu": {Placeholders: []string{"tasks", "n", "workers"}, Outputs: []string{manifest.OutputLine}}},
		Needs:    []string{"cpu"},
	}
}

// Flags adds no flags.
func (CPU) Flags(*flag.FlagSet) {}

// Prepare has nothing to generate: the stage is its own run.
func (s CPU) Prepare(context.Context, *stage.Run) (stage.Prepared, error) { return s, nil }

func cpuRun(r *stage.Run, c *stage.Contender, n int64, cpus []int) (batch.Run, error) {
	return r.Batch(c, "cpu", stage.RunOptions{CPUs: cpus,
		Vars: manifest.Vars{"tasks": itoa(cpuTasks), "n": itoa(n), "workers": itoa(int64(len(cpus)))}})
}

// Verify runs the pool once at a small n and holds the total to the exact reference.
func (CPU) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) results.Record {
	run, err := cpuRun(r, c, cpuVerifyN, r.AllCPUs)
	return verifyOnce(ctx, r, c, run, err, func(final []byte) results.Check {
		line, err := probecheck.ParseCPU(final)
		if err != nil {
			return failed("cpu total", "cpu total", err.Error())
		}
		return check("", "total", probecheck.CheckCPU(line))
	})
}

// Measure times every contender with one worker on one CPU and with a worker
// per core on every CPU, in interleaved rounds, and derives each one's
// speed-up round by round.
func (CPU) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	n := r.Plan.Sizes[0]
	cpuSets := [][]int{r.ContenderCPUs, r.AllCPUs}
	if len(r.AllCPUs) == len(r.ContenderCPUs) {
		cpuSets = cpuSets[:1] // one CPU: nothing to scale to
	}
	type job struct {
		c       *stage.Contender
		cpus    []int
		samples batch.Samples
	}
	var jobs []*job
	for _, c := range cs {
		for _, set := range cpuSets {
			jobs = append(jobs, &job{c: c, cpus: set})
		}
	}
	batchJobs := make([]batch.Job, len(jobs))
	for i, j := range jobs {
		batchJobs[i] = batch.Job{Name: fmt.Sprintf("%s W=%d", j.c.Name(), len(j.cpus)), Contender: j.c.Info(),
			Config: map[string]any{"tasks": cpuTasks, "n": n, "workers": len(j.cpus), "cores": len(j.cpus)},
			Make:   func(int) (batch.Run, error) { return cpuRun(r, j.c, n, j.cpus) }}
	}
	stop := r.Interleave(ctx, batchJobs, func(d batch.Done) {
		j := jobs[d.Job]
		if !d.Outcome.OK() {
			return
		}
		line, err := probecheck.ParseCPU(d.Outcome.Final)
		if err != nil || !probecheck.CheckCPU(line).Pass {
			return
		}
		j.samples.Add("seconds", "s", "inside", d.Round, d.Warmup, line.Seconds[len(line.Seconds)-1])
		j.samples.AddOutside(d.Round, d.Warmup, d.Outcome)
	})
	status := func(rec *results.Record) {
		rec.Status = results.StatusOK
		if stop.Status != "" {
			rec.Status, rec.Reason = stop.Status, stop.Reason
		}
	}
	seconds := map[string]results.Value{}
	for i, j := range jobs {
		rec := r.Record(j.c, results.StepMeasure)
		rec.Config = batchJobs[i].Config
		status(&rec)
		rec.Values = j.samples.Values()
		seconds[fmt.Sprintf("%s/%d", j.c.Name(), len(j.cpus))], _ = valueOf(rec.Values, "seconds")
		r.Emit(rec)
	}
	if len(cpuSets) < 2 {
		return
	}
	for _, c := range cs {
		one, all := seconds[fmt.Sprintf("%s/%d", c.Name(), len(r.ContenderCPUs))], seconds[fmt.Sprintf("%s/%d", c.Name(), len(r.AllCPUs))]
		rec := r.Record(c, results.StepMeasure)
		rec.Config = map[string]any{"tasks": cpuTasks, "n": n, "workers": "1 vs all", "cores": len(r.AllCPUs)}
		status(&rec)
		rec.Values = []results.Value{results.PairedRatio("speedup", one, all)}
		r.Emit(rec)
	}
}

// Section renders the totals' checks, seconds and speed-ups, and each
// contender against CPython 3.13 with the GIL at every core.
func (CPU) Section(recs []results.Record, m manifest.File) report.Section {
	tables := []report.Table{report.Conformance("Every total equals the exact reference (mod 2^64)", recs, nil)}
	tables = append(tables, report.Measured("Seconds for 8 tasks, and the speed-up from 1 worker to every core", recs, []report.Metric{
		{Value: "seconds", Title: "seconds (inside)", Lower: true}, {Value: batch.WallSeconds, Title: "wall (outside)", Lower: true},
		{Value: "speedup", Title: "speed-up"}, {Value: batch.CPUSeconds, Title: "CPU (outside)", Lower: true}})...)
	tables = append(tables, againstBaseline(recs, m.Baseline("cpu")))
	return report.Section{Tables: tables, Charts: []report.Chart{
		report.ValueChart("cpu-speedup", "Speed-up from one worker on one CPU to a worker per core",
			report.Matching(recs, map[string]any{"workers": "1 vs all"}), report.Metric{Value: "speedup", Title: "speed-up"}),
		report.ValueChart("cpu-seconds", "Seconds for 8 tasks, by workers", recs, report.Metric{Value: "seconds", Title: "seconds", Lower: true}),
	}}
}

// againstBaseline is every contender's speed against CPython 3.13 with the GIL
// at every core (paired rounds): how many times faster.
func againstBaseline(recs []results.Record, baselineCPU string) report.Table {
	t := report.Table{ID: "cpu-against-gil", Title: "Against CPython 3.13 with the GIL, every core (times faster)",
		Columns: []report.Column{{Title: "contender"}, {Title: "times faster", Right: true}}}
	cores := 0
	byName := map[string]results.Value{}
	for _, r := range recs {
		if r.Step != results.StepMeasure {
			continue
		}
		cores = max(cores, int(r.ConfigNumber("cores")))
	}
	for _, r := range recs {
		if r.Step == results.StepMeasure && results.SameValue(r.Config["workers"], cores) {
			if v, ok := r.Value("seconds"); ok {
				byName[r.ContenderName()] = v
			}
		}
	}
	if baselineCPU == "" {
		t.Notes = []report.Note{{Text: "the manifest names no baseline for the cpu stage"}}
		return t
	}
	base, ok := byName[baselineCPU]
	if !ok {
		t.Notes = []report.Note{{Text: baselineCPU + " was not measured"}}
		return t
	}
	for _, r := range recs {
		if r.Step != results.StepMeasure || !results.SameValue(r.Config["workers"], cores) {
			continue
		}
		v, ok := r.Value("seconds")
		if !ok || r.ContenderName() == baselineCPU {
			continue
		}
		t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{report.TextCell(r.ContenderName()), report.FigureCell(stats.Ratio(base, v), "x")}})
	}
	return t
}
