package probes

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/claims"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/probecheck"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/stats"
)

// Methods of the mem stage.
const (
	Inside  = "inside"
	Outside = "outside"
)

// verifyCount is the count the oracle checks every shape at: the article's 1k row.
const verifyCount = 1000

// outsideFrom is the smallest count measured from outside: below it the
// objects are lost in the RSS noise of a runtime's own start.
const outsideFrom = 100_000

// Mem is the mem stage: bytes per User object, each shape a contender
// declares (its "shapes" setting), inside the runtime and outside.
type Mem struct{ stage.Stateless }

// Info describes the stage.
func (Mem) Info() stage.Info {
	return stage.Info{
		Name: "mem", Workload: "memprobe", Title: "Memory per User object",
		Summary: "bytes per User object per shape: inside the runtime, and outside from RSS at a ready marker",
		Commands: manifest.Commands{"probe": {Placeholders: []string{"count", "shape", "method"},
			Outputs: []string{manifest.OutputLine, manifest.OutputReady}}},
		Needs: []string{"probe"},
	}
}

// Flags adds no flags.
func (Mem) Flags(*flag.FlagSet) {}

// Prepare has nothing to generate (the contenders build the objects): the
// stage is its own run.
func (s Mem) Prepare(context.Context, *stage.Run) (stage.Prepared, error) { return s, nil }

func probeRun(r *stage.Run, c *stage.Contender, count int64, shape, method string) (batch.Run, error) {
	run, err := r.Batch(c, "probe", stage.RunOptions{Vars: manifest.Vars{"count": itoa(count), "shape": shape, "method": method}})
	if method == Outside {
		run.Output = manifest.OutputReady
	}
	return run, err
}

// Verify builds every shape the contender declares at 1,000 objects (inside)
// and holds each checksum to the Go reference's.
func (Mem) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) results.Record {
	rec := r.Record(c, results.StepVerify)
	shapes := setting(c, "shapes")
	if len(shapes) == 0 {
		rec.Status, rec.Reason = results.StatusFailed, "declares no shapes (its \"shapes\" setting)"
		return rec
	}
	for _, shape := range shapes {
		run, err := probeRun(r, c, verifyCount, shape, Inside)
		if err != nil {
			rec.Status, rec.Reason = results.StatusFailed, err.Error()
			return rec
		}
		o := batch.Execute(ctx, r.Exec, run)
		if !o.OK() {
			rec.Checks = append(rec.Checks, failed(shape+": checksum", "checksum", o.Reason))
			continue
		}
		line, err := probecheck.ParseProbe(o.Final)
		if err != nil {
			rec.Checks = append(rec.Checks, failed(shape+": checksum", "checksum", err.Error()))
			continue
		}
		rec.Checks = append(rec.Checks, check(shape, "shape", probecheck.CheckChecksum(line)))
	}
	return rec
}

// A memJob is one contender, shape, count and method measured over rounds.
// sizes returns the counts measured inside and outside: inside at the
// article's 1k (every count in the full profile), outside from 100k up.
func sizes(r *stage.Run) (inside, outside []int64) {
	for i, n := range r.Plan.Sizes {
		if i == 0 || r.Profile == plan.Full {
			inside = append(inside, n)
		}
		if n >= outsideFrom {
			outside = append(outside, n)
		}
	}
	return inside, outside
}

// Measure runs every (contender, shape, count, method) in interleaved rounds;
// an outside figure is the tree's RSS at the ready marker minus the same
// contender and shape's RSS at N = 0 in the same round, divided by N.
func (Mem) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	inside, outside := sizes(r)
	var jobs []stage.Job
	// base is, for each outside job, the index of its contender and shape's
	// N = 0 job.
	base := map[int]int{}
	add := func(c *stage.Contender, shape, method string, count int64) {
		jobs = append(jobs, stage.Job{Contender: c, Name: fmt.Sprintf("%s %s %s %d", c.Name(), shape, method, count),
			Config: map[string]any{"count": count, "shape": shape, "method": method},
			Run:    func(int) (batch.Run, error) { return probeRun(r, c, count, shape, method) },
			Read:   readProbe(method), Hidden: method == Outside && count == 0})
	}
	for _, c := range cs {
		for _, shape := range setting(c, "shapes") {
			for _, n := range inside {
				add(c, shape, Inside, n)
			}
			if len(outside) == 0 {
				continue
			}
			zero := len(jobs)
			add(c, shape, Outside, 0)
			for _, n := range outside {
				base[len(jobs)] = zero
				add(c, shape, Outside, n)
			}
		}
	}
	m := r.Measure(ctx, jobs)
	m.Emit(r, func(i int, values []results.Value) []results.Value {
		zero, ok := base[i]
		if !ok {
			return values
		}
		at := m.Value(i, "rss_at_ready")
		if per := perObject(at, m.Value(zero, "rss_at_ready"), jobs[i].Config["count"].(int64)); len(per.Samples) > 0 {
			return append([]results.Value{per}, values...)
		}
		return values
	})
}

// readProbe reads a probe's result line: the runtime's own count of bytes
// inside, or the tree's RSS at the ready marker outside.
func readProbe(method string) func(batch.Outcome, func(name, unit, source string, v float64)) bool {
	return func(o batch.Outcome, add func(name, unit, source string, v float64)) bool {
		line, err := probecheck.ParseProbe(o.Final)
		if err != nil {
			return false
		}
		if method == Inside {
			add("bytes_total", "B", "inside", *line.BytesTotal)
			add("bytes_per_object", "B", "inside", *line.BytesPerObject)
		} else {
			add("rss_at_ready", "B", "outside", float64(o.ReadyRSS))
		}
		return true
	}
}

// perObject pairs the rounds of the RSS at N and at 0: (at - base) / n.
func perObject(at, base results.Value, n int64) results.Value {
	out := results.Value{Name: "bytes_per_object", Unit: "B", Source: "outside"}
	baseAt := map[int]float64{}
	for i, s := range base.Samples {
		baseAt[base.RoundOf(i)] = s
	}
	for i, s := range at.Samples {
		if b, ok := baseAt[at.RoundOf(i)]; ok && n > 0 {
			out.Samples = append(out.Samples, (s-b)/float64(n))
			out.Rounds = append(out.Rounds, at.RoundOf(i))
		}
	}
	return out
}

// Section renders the oracle's checks, bytes per object by count and method,
// and the article's row: memory for 1,000 objects, read two ways.
func (Mem) Section(recs []results.Record, _ manifest.File) report.Section {
	kotlin, python := memorySides()
	tables := []report.Table{report.Conformance("Every shape builds the reference's users (checksum at 1,000)", recs, nil),
		perObjectTable(recs), sixtyTwo(recs, kotlin, python)}
	tables = append(tables, report.SourceSize(recs)...)
	perObject := report.Metric{Value: "bytes_per_object", Title: "bytes/object", Lower: true}
	return report.Section{Tables: tables, Charts: []report.Chart{
		report.ValueChart("mem-inside-1k", "Bytes per User object, 1,000 objects, inside the runtime",
			report.Matching(recs, map[string]any{"count": verifyCount, "method": Inside}), perObject),
		report.ValueChart("mem-outside", "Bytes per User object from the process tree's RSS",
			report.Matching(recs, map[string]any{"method": Outside}), perObject),
	}}
}

// perObjectTable puts each shape's bytes per object inside and outside side
// by side, a column per count and method, and the 1,000 objects' total
// (the article's row) beside them.
func perObjectTable(recs []results.Record) report.Table {
	type key struct{ contender, shape string }
	type column struct {
		count  int64
		method string
	}
	cells := map[key]map[column]report.Cell{}
	totals := map[key]report.Cell{}
	var rows []key
	var cols []column
	failing := report.FailingContenders(recs)
	for _, r := range recs {
		if r.Step != results.StepMeasure || r.Contender == nil {
			continue
		}
		k := key{report.ColumnTitle(*r.Contender), r.ConfigText("shape")}
		col := column{int64(r.ConfigNumber("count")), r.ConfigText("method")}
		if _, ok := cells[k]; !ok {
			cells[k] = map[column]report.Cell{}
			rows = append(rows, k)
		}
		if !slices.Contains(cols, col) {
			cols = append(cols, col)
		}
		v, ok := r.Value("bytes_per_object")
		c := report.Cell{Text: "-"}
		if ok {
			c = report.FigureCell(stats.Of(v), "B")
		} else if r.Status != results.StatusOK {
			c = report.TextCell(r.Status)
		}
		if failing[r.ContenderName()] {
			c.Flags |= report.FailedOracle
		}
		cells[k][col] = c
		if t, ok := r.Value("bytes_total"); ok && col.count == verifyCount && col.method == Inside {
			totals[k] = report.FigureCell(stats.Of(t), "B")
		}
	}
	slices.SortFunc(cols, func(a, b column) int {
		if a.count != b.count {
			return int(a.count - b.count)
		}
		return strings.Compare(a.method, b.method)
	})
	t := report.Table{ID: "bytes-per-object", Title: "Bytes per User object, inside the runtime and outside (RSS), side by side",
		Columns: []report.Column{{Title: "contender"}, {Title: "shape"}, {Title: "1,000 objects (inside)", Right: true}}}
	for _, c := range cols {
		t.Columns = append(t.Columns, report.Column{Title: fmt.Sprintf("%s %s", countLabel(c.count), c.method), Right: true})
	}
	for _, k := range rows {
		row := report.Row{Cells: []report.Cell{report.TextCell(k.contender), report.TextCell(k.shape)}}
		if c, ok := totals[k]; ok {
			row.Cells = append(row.Cells, c)
		} else {
			row.Cells = append(row.Cells, report.TextCell("-"))
		}
		for _, c := range cols {
			if cell, ok := cells[k][c]; ok {
				row.Cells = append(row.Cells, cell)
			} else {
				row.Cells = append(row.Cells, report.TextCell("-"))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	t.Notes = []report.Note{{Text: "inside: the runtime's own count around the build (Go MemStats, Python tracemalloc, JVM heap after GC); " +
		"outside: the process tree's RSS at the ready marker minus the same shape's run at N = 0, divided by N; memprobe/README.md has the arithmetic"}}
	return t
}

// memorySides are who stands for Kotlin and Python in the article's memory
// claim (claims.json); empty when the claims cannot be read.
func memorySides() (kotlin, python string) {
	cf, err := claims.Load()
	if err != nil {
		return "", ""
	}
	for _, c := range cf.Claims {
		if c.Stage == "mem" {
			return c.StandIns[claims.Kotlin], c.StandIns[claims.Python]
		}
	}
	return "", ""
}

// sixtyTwo reads the article's "62% less" both ways it can be read: inline
// against boxed UserId on the JVM (what its text says inline classes save),
// and Kotlin against Python (48 against 128 MB is exactly 62.5% less), each
// side the contender that stands for it in the memory claim.
func sixtyTwo(recs []results.Record, kotlin, python string) report.Table {
	t := report.Table{ID: "sixty-two", Title: `The article's "62% less" for 1,000 users, read two ways (inside figures)`,
		Columns: []report.Column{{Title: "reading"}, {Title: "measured", Right: true}, {Title: "from", Wide: true}}}
	total := func(contender, shape string) (results.Value, bool) {
		for _, r := range recs {
			if r.Step == results.StepMeasure && r.ContenderName() == contender &&
				r.Matches(map[string]any{"shape": shape, "method": Inside, "count": verifyCount}) {
				return r.Value("bytes_total")
			}
		}
		return results.Value{}, false
	}
	row := func(reading, aName, aShape, bName, bShape string) {
		a, okA := total(aName, aShape)
		b, okB := total(bName, bShape)
		from := fmt.Sprintf("%s %s against %s %s", aName, aShape, bName, bShape)
		if !okA || !okB {
			t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{report.TextCell(reading), report.TextCell("not measured"), report.TextCell(from)}})
			return
		}
		ratio := stats.Ratio(a, b)
		less := stats.Summary{Center: 100 * (1 - ratio.Center), Lo: 100 * (1 - ratio.Hi), Hi: 100 * (1 - ratio.Lo), N: ratio.N, Indicative: ratio.Indicative}
		t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{report.TextCell(reading), report.FigureCell(less, "%"), report.TextCell(from + " (per-round paired ratio)")}})
	}
	row("inline UserId against boxed UserId (JVM)", kotlin, "inline-id", kotlin, "boxed-id")
	row("Kotlin against Python (the article's 48 vs 128 MB)", kotlin, "inline-id", python, "pydantic")
	t.Notes = []report.Note{{Text: "less = 1 - (first / second); the article claims 62% for both readings"}}
	return t
}

// countLabel writes a count as 1k, 100k, 1M.
func countLabel(n int64) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
