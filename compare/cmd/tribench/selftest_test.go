package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

// selftest is a stage that exists only in tests: its contenders are this test
// binary (selftestRole), declared in testdata/selftest/contenders.json. It
// proves a stage needs no edit of the CLI: registered here, it runs through
// `tribench compare --workloads selftest` and `tribench report`.
type selftest struct{ stage.Stateless }

func init() {
	stage.Register(func() stage.Stage { return selftest{} })
	tiny := plan.Plan{Budget: time.Minute, Warmup: 1, Rounds: 3, Sizes: []int64{21}, Unit: "units"}
	plan.Set("selftest", map[string]plan.Plan{plan.Smoke: tiny, plan.Quick: tiny, plan.Full: tiny})
}

func (selftest) Info() stage.Info {
	return stage.Info{Name: "selftest", Workload: "selftest", Title: "Self-test stage", Summary: "the harness's own test stage",
		Commands: manifest.Commands{"work": {Placeholders: []string{"size"}, Outputs: []string{manifest.OutputLine}}},
		Needs:    []string{"work"}, Manifest: "compare/cmd/tribench/testdata/selftest/contenders.json"}
}

func (selftest) Flags(*flag.FlagSet) {}

func (s selftest) Prepare(context.Context, *stage.Run) (stage.Prepared, error) { return s, nil }

type workResult struct {
	Answer  int64   `json:"answer"`
	Seconds float64 `json:"seconds"`
}

func (selftest) size(r *stage.Run) manifest.Vars {
	return manifest.Vars{"size": strconv.FormatInt(r.Plan.Sizes[0], 10)}
}

// Verify runs the contender once: its answer must be twice the size.
func (s selftest) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) results.Record {
	rec := r.Record(c, results.StepVerify)
	run, err := r.Batch(c, "work", stage.RunOptions{Vars: s.size(r)})
	if err != nil {
		rec.Status, rec.Reason = results.StatusFailed, err.Error()
		return rec
	}
	o := batch.Execute(ctx, r.Exec, run)
	var res workResult
	if !o.Decode(&res) {
		rec.Status, rec.Reason = o.Status, o.Reason
		return rec
	}
	want := 2 * r.Plan.Sizes[0]
	rec.Checks = []results.Check{{Name: "answer", Rule: "the answer is twice the size", Pass: res.Answer == want,
		Detail: fmt.Sprintf("want %d, got %d", want, res.Answer)}}
	return rec
}

// Measure runs interleaved rounds and records the inside and outside figures.
func (s selftest) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	jobs := make([]stage.Job, len(cs))
	for i, c := range cs {
		jobs[i] = stage.Job{Contender: c, Name: c.Name(), Config: map[string]any{"size": r.Plan.Sizes[0]},
			Run: func(int) (batch.Run, error) { return r.Batch(c, "work", stage.RunOptions{Vars: s.size(r)}) },
			Read: func(o batch.Outcome, add func(name, unit, source string, v float64)) bool {
				var res workResult
				if !o.Decode(&res) {
					return false
				}
				add("seconds", "s", "inside", res.Seconds)
				return true
			}}
	}
	r.Measure(ctx, jobs).Emit(r, nil)
}

func (selftest) Section(recs []results.Record, _ manifest.File) report.Section {
	tables := []report.Table{report.Conformance("answers", recs, nil)}
	tables = append(tables, report.Measured("work", recs, []report.Metric{{Value: "seconds", Title: "inside", Lower: true},
		{Value: batch.WallSeconds, Title: "wall", Lower: true}})...)
	return report.Section{Tables: tables}
}

// selftestRole plays the contender when TRIBENCH_SELFTEST_ROLE is set.
func selftestRole(role string) {
	size := int64(0)
	for i, a := range os.Args {
		if a == "--size" && i+1 < len(os.Args) {
			size, _ = strconv.ParseInt(os.Args[i+1], 10, 64)
		}
	}
	secs, _ := strconv.ParseFloat(os.Getenv("SELFTEST_SECONDS"), 64)
	time.Sleep(time.Duration(secs * float64(time.Second)))
	switch role {
	case "double":
		fmt.Printf("{\"answer\":%d,\"seconds\":%g}\n", 2*size, secs)
	case "triple":
		fmt.Printf("{\"answer\":%d,\"seconds\":%g}\n", 3*size, secs)
	case "crash":
		fmt.Fprintln(os.Stderr, "work: cannot open the input")
		os.Exit(2)
	}
	os.Exit(0)
}
