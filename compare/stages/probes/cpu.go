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
	var jobs []stage.Job
	for _, c := range cs {
		for _, set := range r.ScalingSets() {
			cpus := set.CPUs
			jobs = append(jobs, stage.Job{Contender: c, Name: fmt.Sprintf("%s W=%d", c.Name(), len(cpus)),
				Config: map[string]any{"tasks": cpuTasks, "n": n, "workers": len(cpus), "cores": len(cpus)},
				Run:    func(int) (batch.Run, error) { return cpuRun(r, c, n, cpus) },
				Read:   readCPU})
		}
	}
	m := r.Measure(ctx, jobs)
	m.Emit(r, nil)
	m.EmitSpeedups(r, cs, "seconds", true, map[string]any{"tasks": cpuTasks, "n": n, "workers": "1 vs all", "cores": len(r.AllCPUs)})
}

// readCPU reads a run's result line: the pool's seconds, when its total is
// the exact one.
func readCPU(o batch.Outcome, add func(name, unit, source string, v float64)) bool {
	line, err := probecheck.ParseCPU(o.Final)
	if err != nil || !probecheck.CheckCPU(line).Pass {
		return false
	}
	add("seconds", "s", "inside", line.Seconds[len(line.Seconds)-1])
	return true
}

// Section renders the totals' checks, seconds and speed-ups, and each
// contender against CPython 3.13 with the GIL at every core.
func (CPU) Section(recs []results.Record, m manifest.File) report.Section {
	tables := []report.Table{report.Conformance("Every total equals the exact reference (mod 2^64)", recs, nil)}
	tables = append(tables, report.Measured("Seconds for 8 tasks, and the speed-up from 1 worker to every core", recs, []report.Metric{
		{Value: "seconds", Title: "seconds (inside)", Lower: true}, {Value: batch.WallSeconds, Title: "wall (outside)", Lower: true},
		{Value: "speedup", Title: "speed-up"}, {Value: batch.CPUSeconds, Title: "CPU (outside)", Lower: true}})...)
	tables = append(append(tables, againstBaseline(recs, m.Baseline("cpu"))), report.SourceSize(recs)...)
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
