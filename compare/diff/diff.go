// Package diff says what changed between two runs, in benchstat's style: for
// every measured quantity present in both (stage, contender, configuration,
// value), the old and new figures with their intervals and the change, with
// its significance by benchmath's Mann-Whitney U test. A change that is not
// significant, or smaller than a minimum effect, prints as "~". Comparing many
// rows at once finds some "significant" change by chance, so the significance
// level is divided by the number of rows of the same value in the same stage
// (Bonferroni within each family: one column of one stage's table). A row
// whose rounds are too few for any difference to reach that level says so.
package diff

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stats"
)

// Defaults of Options.
const (
	DefaultAlpha     = 0.05
	DefaultMinEffect = 0.05
)

// Options tune the comparison.
type Options struct {
	// Alpha is the family-wise significance level; DefaultAlpha when zero.
	Alpha float64
	// MinEffect is the smallest relative change reported (0.05 is 5%);
	// DefaultMinEffect when zero.
	MinEffect float64
	// Ranges decides the rows with too few rounds for the U test (3 against
	// 3 cannot reach 0.05) by their ranges: a change counts when the two
	// ranges do not overlap and the medians differ by more than MinEffect.
	// A row with a single round on either side stays undecided.
	Ranges bool
}

// Tests that decide a row, in Row.Test.
const (
	TestU      = "U test"
	TestRanges = "ranges apart"
)

// A Row is one quantity in the old run, the new one, or both.
type Row struct {
	Stage, Contender, Config, Value, Unit string
	Old, New                              stats.Summary
	// Change is new/old - 1; NaN when the quantity is in one run only.
	Change float64
	// P is the U test's p-value; Level is the row's corrected significance
	// level; Significant says the change counts: p at or under Level and the
	// change at least the minimum effect. TooFew says no difference could
	// reach Level with these rounds.
	P, Level    float64
	Significant bool
	TooFew      bool
	// Test is the test that decided Significant: TestU, or TestRanges for
	// a row with too few rounds under Options.Ranges; empty unless In is "both".
	Test string
	// In is "both", "old" or "new".
	In       string
	Warnings []string
}

// A Result is every row, sorted.
type Result struct {
	Rows      []Row
	Alpha     float64
	MinEffect float64
}

type key struct{ stage, contender, config, value string }

func index(recs []results.Record) map[key]results.Value {
	out := map[key]results.Value{}
	for _, r := range recs {
		if r.Kind != results.KindResult || r.Step != results.StepMeasure || r.Contender == nil {
			continue
		}
		for _, v := range r.Values {
			if len(v.Samples) > 0 {
				out[key{r.Stage, r.ContenderName(), report.ConfigString(r.Config), v.Name}] = v
			}
		}
	}
	return out
}

// Compare compares the measure records of two runs.
func Compare(old, new []results.Record, o Options) Result {
	if o.Alpha <= 0 {
		o.Alpha = DefaultAlpha
	}
	if o.MinEffect <= 0 {
		o.MinEffect = DefaultMinEffect
	}
	a, b := index(old), index(new)
	family := map[[2]string]int{} // (stage, value) -> rows in both runs
	for k := range a {
		if _, ok := b[k]; ok {
			family[[2]string{k.stage, k.value}]++
		}
	}
	res := Result{Alpha: o.Alpha, MinEffect: o.MinEffect}
	add := func(k key, v results.Value) Row {
		return Row{Stage: k.stage, Contender: k.contender, Config: k.config, Value: k.value, Unit: v.Unit, Change: math.NaN(), P: math.NaN()}
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok {
			row := add(k, va)
			row.Old, row.In = stats.Of(va), "old"
			res.Rows = append(res.Rows, row)
			continue
		}
		row := add(k, va)
		row.In = "both"
		row.Old, row.New = stats.Of(va), stats.Of(vb)
		row.Level = o.Alpha / float64(family[[2]string{k.stage, k.value}])
		cmp := stats.Compare(va.Samples, vb.Samples, row.Level)
		row.P, row.Warnings = cmp.P, cmp.Warnings
		row.TooFew = minP(len(va.Samples), len(vb.Samples)) > row.Level
		if row.Old.Center != 0 {
			row.Change = row.New.Center/row.Old.Center - 1
		}
		row.Test = TestU
		row.Significant = cmp.Significant() && !math.IsNaN(row.Change) && math.Abs(row.Change) >= o.MinEffect
		// A single round has no range: its spread is unknown, so it decides nothing.
		if row.TooFew && o.Ranges && min(len(va.Samples), len(vb.Samples)) >= 2 {
			row.Test = TestRanges
			row.Significant = apart(va.Samples, vb.Samples) && !math.IsNaN(row.Change) && math.Abs(row.Change) > o.MinEffect
		}
		res.Rows = append(res.Rows, row)
	}
	for k, vb := range b {
		if _, ok := a[k]; !ok {
			row := add(k, vb)
			row.New, row.In = stats.Of(vb), "new"
			res.Rows = append(res.Rows, row)
		}
	}
	sort.Slice(res.Rows, func(i, j int) bool {
		x, y := res.Rows[i], res.Rows[j]
		for _, p := range [][2]string{{x.Stage, y.Stage}, {x.Contender, y.Contender}, {x.Config, y.Config}, {x.Value, y.Value}} {
			if p[0] != p[1] {
				return p[0] < p[1]
			}
		}
		return false
	})
	return res
}

// Delta renders a row's change as benchstat does: "+12.34%", "~" when it
// does not count, "old only" or "new only".
func (r Row) Delta() string {
	switch {
	case r.In == "old":
		return "old only"
	case r.In == "new":
		return "new only"
	case !r.Significant && r.TooFew && r.Test != TestRanges:
		return "~ (too few rounds)"
	case !r.Significant:
		return "~"
	}
	return fmt.Sprintf("%+.2f%%", 100*r.Change)
}

// Table renders the result: a row per quantity with the old and new figures
// (median and interval), the delta and its p-value, under a note of the
// corrected significance level.
func (res Result) Table() report.Table {
	t := report.Table{ID: "diff", Title: "What changed",
		Columns: []report.Column{{Title: "stage"}, {Title: "contender"}, {Title: "configuration"}, {Title: "value"},
			{Title: "old", Right: true}, {Title: "new", Right: true}, {Title: "delta", Right: true}, {Title: "p", Right: true}}}
	for _, r := range res.Rows {
		p := "-"
		if !math.IsNaN(r.P) {
			p = fmt.Sprintf("p=%.3f n=%d+%d", r.P, r.Old.N, r.New.N)
		}
		t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{report.TextCell(r.Stage), report.TextCell(r.Contender),
			report.TextCell(r.Config), report.TextCell(r.Value), figure(r.Old, r.Unit), figure(r.New, r.Unit),
			report.TextCell(r.Delta()), report.TextCell(p)}})
	}
	t.Notes = []report.Note{{Text: fmt.Sprintf("~: not significant at p <= %g divided by the rows of the same value in the same stage (Bonferroni), "+
		"or a change under %.0f%%; \"too few rounds\": no difference could reach that level with the rounds measured (6+6 or more usually can)",
		res.Alpha, 100*res.MinEffect)}}
	return t
}

// apart reports whether the ranges of a and b do not overlap.
func apart(a, b []float64) bool {
	return slices.Max(a) < slices.Min(b) || slices.Max(b) < slices.Min(a)
}

// minP is the smallest p-value the U test gives for samples of n1 and n2: that
// of two samples wholly apart.
func minP(n1, n2 int) float64 {
	a, b := make([]float64, n1), make([]float64, n2)
	for i := range a {
		a[i] = float64(i)
	}
	for i := range b {
		b[i] = float64(n1 + i)
	}
	return stats.Compare(a, b, 0).P
}

func figure(s stats.Summary, unit string) report.Cell {
	if s.N == 0 {
		return report.TextCell("-")
	}
	return report.FigureCell(s, unit)
}
