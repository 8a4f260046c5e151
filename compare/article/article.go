// Package article builds the part of the report that answers the article:
// each row of its claims table (compare/claims) with the claimed figures
// beside the figures measured here, a verdict per claim by the rules of
// compare/verdict, and a short "How does Go compare" summary generated from
// the same numbers and their intervals.
package article

import (
	"fmt"
	"math"
	"slices"

	"github.com/tribench/tribench/compare/claims"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stats"
	"github.com/tribench/tribench/compare/verdict"
)

// Go contenders shown beside the article's two sides on every row.
var goColumns = []struct{ Name, Title string }{{"go-1.23", "Go 1.23"}, {"go-current", "Go current"}}

// A figure is one contender's measured value for a claim.
type figure struct {
	name   string
	value  results.Value
	record results.Record
	sum    stats.Summary
	failed bool // the contender failed its oracle in this stage
}

func (f figure) ok() bool { return f.sum.N > 0 }

// index finds measure records by stage and contender.
type index struct {
	recs   []results.Record
	failed map[string]map[string]bool // stage -> contender -> failed its oracle
}

func newIndex(recs []results.Record) index {
	ix := index{recs: recs, failed: map[string]map[string]bool{}}
	for _, r := range recs {
		if r.Kind == results.KindResult && r.Step == results.StepVerify && !r.Passed() {
			if ix.failed[r.Stage] == nil {
				ix.failed[r.Stage] = map[string]bool{}
			}
			ix.failed[r.Stage][r.ContenderName()] = true
		}
	}
	return ix
}

// matches reports whether a record's configuration holds every key of want.
func matches(config, want map[string]any) bool {
	for k, v := range want {
		got, ok := config[k]
		if !ok || fmt.Sprint(got) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

// find returns contender's figure for the claim's stage, metric and the
// configuration of its side.
func (ix index) find(c claims.Claim, side, contender string) figure {
	f := figure{name: contender}
	config := c.ConfigFor(side)
	for _, r := range ix.recs {
		if r.Kind != results.KindResult || r.Step != results.StepMeasure || r.Stage != c.Stage ||
			r.ContenderName() != contender || !matches(r.Config, config) {
			continue
		}
		if v, ok := r.Value(c.Metric); ok && len(v.Samples) > 0 {
			f.value, f.record, f.sum = v, r, stats.Of(v)
			f.failed = ix.failed[c.Stage][contender]
			return f
		}
	}
	return f
}

// best returns the best figure among contenders of a language (single-core rows).
func (ix index) best(c claims.Claim, language string) figure {
	var out figure
	seen := map[string]bool{}
	for _, r := range ix.recs {
		if r.Kind != results.KindResult || r.Step != results.StepMeasure || r.Stage != c.Stage || r.Contender == nil ||
			r.Contender.Language != language || seen[r.ContenderName()] {
			continue
		}
		seen[r.ContenderName()] = true
		f := ix.find(c, language, r.ContenderName())
		if !f.ok() || f.failed {
			continue
		}
		if !out.ok() || (c.HigherIsBetter == (f.sum.Center > out.sum.Center)) {
			out = f
		}
	}
	return out
}

// ratio is the paired better-over-worse ratio of a against b.
func ratio(c claims.Claim, a, b figure) stats.Summary {
	if !a.ok() || !b.ok() {
		return stats.Summarize(nil)
	}
	if c.HigherIsBetter {
		return stats.Ratio(a.value, b.value)
	}
	return stats.Ratio(b.value, a.value)
}

// A judged claim: its verdicts, one per rule, each with a label.
type judged struct {
	label string
	v     verdict.Verdict
}

// failing returns a "not judged" verdict when one of the figures comes from a
// contender that failed its oracle: its speed is shown, never judged.
func failing(fs ...figure) (verdict.Verdict, bool) {
	for _, f := range fs {
		if f.failed {
			return verdict.Verdict{Outcome: verdict.NotJudged, Reason: f.name + " fails its oracle in this stage: its figure is shown, not judged"}, true
		}
	}
	return verdict.Verdict{}, false
}

func judge(c claims.Claim, ix index) []judged {
	side := func(s string) figure { return ix.find(c, s, c.StandIns[s]) }
	unit := func(v float64) string { return report.FormatValue(v, c.Unit) }
	var out []judged
	for _, rule := range c.Rules {
		switch rule {
		case "ratio":
			k, p := side(claims.Kotlin), side(claims.Python)
			if v, bad := failing(k, p); bad {
				out = append(out, judged{"Kotlin/Python", v})
				continue
			}
			out = append(out, judged{"Kotlin/Python", verdict.Ratio(c.Ratio(), ratio(c, k, p))})
		case "hardware-absolute":
			out = append(out, judged{"absolute", verdict.Verdict{Outcome: verdict.NotComparable,
				Reason: fmt.Sprintf("measured on the article's hardware (%s); judged through the ratio only", c.How)}})
		case "absolute":
			for _, s := range sides(c) {
				f := side(s)
				if v, bad := failing(f); bad {
					out = append(out, judged{s, v})
					continue
				}
				out = append(out, judged{s, verdict.Absolute(c.Claimed[s], f.sum, unit)})
			}
		case "per-core":
			for _, s := range sides(c) {
				b := ix.best(c, s)
				out = append(out, judged{s + " per core", verdict.PerCore(c.Claimed[s], b.sum, b.name, unit)})
			}
		case "bound":
			for _, s := range sides(c) {
				f := side(s)
				if v, bad := failing(f); bad {
					out = append(out, judged{s, v})
					continue
				}
				atLimit := f.record.Config["at_limit"] == true
				limit := f.record.ConfigNumber("limit")
				center := f.sum.Center
				if !f.ok() {
					center = 0
				}
				out = append(out, judged{s, verdict.Bound(c.Claimed[s], center, atLimit, limit, f.sum.Indicative)})
			}
		case "speedup":
			for _, s := range sides(c) {
				f := side(s)
				if v, bad := failing(f); bad {
					out = append(out, judged{s, v})
					continue
				}
				out = append(out, judged{s, verdict.Speedup(c.Claimed[s], c.Cores, f.sum, int(f.record.ConfigNumber("cores")))})
			}
		case "not-comparable":
			out = append(out, judged{"", verdict.Verdict{Outcome: verdict.NotComparable, Reason: c.Note}})
		}
	}
	return out
}

func sides(c claims.Claim) []string {
	var out []string
	for _, s := range []string{claims.Python, claims.Kotlin} {
		if _, ok := c.Claimed[s]; ok {
			out = append(out, s)
		}
	}
	return out
}

func cell(f figure, unit string) report.Cell {
	if !f.ok() {
		return report.Cell{Text: "not measured"}
	}
	c := report.FigureCell(f.sum, unit)
	if f.failed {
		c.Flags |= report.FailedOracle
	}
	return c
}

func claimedCell(c claims.Claim, side string) report.Cell {
	v, ok := c.Claimed[side]
	if !ok {
		if c.ClaimedRatio > 0 && side == claims.Kotlin {
			return report.TextCell(fmt.Sprintf("%.1fx Python's", c.ClaimedRatio))
		}
		return report.TextCell("-")
	}
	return report.Cell{Figure: report.Point(v, c.Unit)}
}

// Section builds the article's part of the report from a run's records.
func Section(recs []results.Record, cf claims.File) report.Section {
	ix := newIndex(recs)
	t := report.Table{ID: "claims", Title: "The article's claims against this machine",
		Caption: "claimed: the article's figures (8-vCPU Graviton3); measured: medians here with 95% intervals, or ranges when indicative",
		Columns: []report.Column{{Title: "article's row"}, {Title: "claimed Python", Right: true}, {Title: "claimed Kotlin", Right: true},
			{Title: "Python", Right: true}, {Title: "Kotlin", Right: true}}}
	for _, g := range goColumns {
		t.Columns = append(t.Columns, report.Column{Title: g.Title, Right: true})
	}
	t.Columns = append(t.Columns, report.Column{Title: "verdict", Wide: true})
	for _, c := range cf.Claims {
		row := report.Row{Cells: []report.Cell{report.TextCell(c.Row), claimedCell(c, claims.Python), claimedCell(c, claims.Kotlin)}}
		for _, s := range []string{claims.Python, claims.Kotlin} {
			if name, ok := c.StandIns[s]; ok {
				row.Cells = append(row.Cells, cell(ix.find(c, s, name), c.Unit))
			} else {
				row.Cells = append(row.Cells, report.TextCell("-"))
			}
		}
		for _, g := range goColumns {
			row.Cells = append(row.Cells, cell(ix.find(c, claims.Go, g.Name), c.Unit))
		}
		js := judge(c, ix)
		row.Cells = append(row.Cells, report.TextCell(summaryOf(js)))
		t.Rows = append(t.Rows, row)
		t.Notes = append(t.Notes, report.Note{Text: fmt.Sprintf("%s (%s; stands for Python: %s, for Kotlin: %s)", c.Row, c.How,
			orDash(c.StandIns[claims.Python]), orDash(c.StandIns[claims.Kotlin]))})
		if c.Note != "" && !slices.Contains(c.Rules, "not-comparable") {
			t.Notes = append(t.Notes, report.Note{Level: 1, Text: "measured instead: " + c.Note})
		}
		for _, j := range js {
			label := j.v.String()
			if j.label != "" {
				label = j.label + ": " + label
			}
			t.Notes = append(t.Notes, report.Note{Level: 1, Text: label + ": " + j.v.Reason})
		}
	}
	rules := report.Table{ID: "verdict-rules", Title: "How verdicts are reached", Columns: []report.Column{{Title: "claim"}, {Title: "rule", Wide: true}}}
	for _, r := range verdict.Rules {
		rules.Rows = append(rules.Rows, report.Row{Cells: []report.Cell{report.TextCell(r.Claim), report.TextCell(r.Rule)}})
	}
	return report.Section{Title: "Was the article right?", Tables: []report.Table{t, rules}}
}

func summaryOf(js []judged) string {
	var parts []string
	for _, j := range js {
		if j.v.Outcome == verdict.NotComparable && len(js) > 1 {
			continue // the absolute of a row judged through its ratio
		}
		s := j.v.String()
		if j.label != "" && len(js) > 1 {
			s = j.label + ": " + s
		}
		if !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	out := parts[0]
	for _, p := range parts[1:] {
		out += "; " + p
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Summary says how Go compares, one sentence per claim row where Go and a
// stand-in were measured: Go's figure, and its paired ratio to each side
// with the interval ("better" is "higher" or "lower" as the row's metric is).
func Summary(recs []results.Record, cf claims.File) []string {
	ix := newIndex(recs)
	var out []string
	for _, c := range cf.Claims {
		cur := ix.find(c, claims.Go, "go-current")
		if !cur.ok() {
			continue
		}
		s := fmt.Sprintf("%s: Go (current) %s", c.Row, report.FormatValue(cur.sum.Center, c.Unit))
		if base := ix.find(c, claims.Go, "go-1.23"); base.ok() {
			s += fmt.Sprintf(" (Go 1.23: %s)", report.FormatValue(base.sum.Center, c.Unit))
		}
		var cmp []string
		for _, side := range []string{claims.Python, claims.Kotlin} {
			name, ok := c.StandIns[side]
			if !ok {
				continue
			}
			other := ix.find(c, side, name)
			r := ratio(c, cur, other)
			if r.N == 0 || math.IsNaN(r.Center) {
				continue
			}
			word := "no clear difference"
			switch {
			case r.Lo > 1:
				word = "Go better"
			case r.Hi < 1:
				word = "Go worse"
			}
			cmp = append(cmp, fmt.Sprintf("%.2fx %s (%s) [%.2f, %.2f]: %s", r.Center, name, side, r.Lo, r.Hi, word))
		}
		if len(cmp) == 0 {
			continue
		}
		s += "; against " + cmp[0]
		for _, x := range cmp[1:] {
			s += "; against " + x
		}
		out = append(out, s)
	}
	return out
}
