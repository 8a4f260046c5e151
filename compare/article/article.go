// Package article builds the part of the report that answers the article:
// each row of its claims table (compare/claims) with the claimed figures
// beside the figures measured here, a verdict per claim by the rules of
// compare/verdict, and a short "How does Go compare" summary generated from
// the same numbers and their intervals. Verdicts are records too (Verdicts):
// a run writes them at its end, and the report recomputes them.
package article

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tribench/tribench/compare/claims"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stats"
	"github.com/tribench/tribench/compare/verdict"
)

// A figure is one contender's measured value for a claim.
type figure struct {
	name   string
	value  results.Value
	record results.Record
	sum    stats.Summary
	failed bool // the contender failed its oracle in this stage
}

func (f figure) ok() bool { return f.sum.N > 0 }

func (f figure) disturbed() bool { return len(f.value.Disturbed) > 0 }

// index finds measure records by stage and contender.
type index struct {
	recs    []results.Record
	failed  map[string]map[string]bool // stage -> contender -> failed its oracle
	stages  map[string]results.Record  // stage -> its closing record
	profile string
}

func newIndex(recs []results.Record) index {
	ix := index{recs: recs, failed: map[string]map[string]bool{}, stages: map[string]results.Record{}}
	for _, r := range recs {
		switch {
		case r.Kind == results.KindRun && ix.profile == "":
			ix.profile = r.Profile
		case r.Kind == results.KindStage:
			ix.stages[r.Stage] = r
		case r.Kind == results.KindResult && r.Step == results.StepVerify && !r.Passed():
			if ix.failed[r.Stage] == nil {
				ix.failed[r.Stage] = map[string]bool{}
			}
			ix.failed[r.Stage][r.ContenderName()] = true
		}
	}
	return ix
}

// find returns contender's figure for the claim's stage, metric and the
// configuration of its side.
func (ix index) find(c claims.Claim, side, contender string) figure {
	f := figure{name: contender}
	config := c.ConfigFor(side)
	for _, r := range ix.recs {
		if r.Kind != results.KindResult || r.Step != results.StepMeasure || r.Stage != c.Stage ||
			r.ContenderName() != contender || !r.Matches(config) {
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

// incomplete reports whether the claim's stage stopped at its budget before
// a figure the claim reads had all its planned rounds.
func (ix index) incomplete(c claims.Claim, fs ...figure) bool {
	st, ok := ix.stages[c.Stage]
	if !ok || st.Status != results.StatusBudget {
		return false
	}
	planned := int(st.ConfigNumber("claim_rounds"))
	for _, f := range fs {
		if !f.ok() || f.sum.N < planned {
			return true
		}
	}
	return false
}

// Reads returns whether a claim of cf reads the figures of a contender in a
// configuration at a stage: a stand-in's, a Go column's, or any contender of
// a language whose best figure a per-core rule reads. Stages run those jobs
// first and in more rounds.
func Reads(cf claims.File) func(stage string, c *results.Contender, config map[string]any) bool {
	return func(stage string, c *results.Contender, config map[string]any) bool {
		if c == nil {
			return false
		}
		for _, cl := range cf.Claims {
			if cl.Stage != stage {
				continue
			}
			for _, side := range []string{claims.Python, claims.Kotlin, claims.Go} {
				if !results.Compatible(config, cl.ConfigFor(side)) {
					continue
				}
				_, claimedSide := cl.Claimed[side]
				perCore := slices.Contains(cl.Rules, "per-core") && claimedSide && c.Language == side
				goColumn := side == claims.Go && slices.ContainsFunc(cf.GoColumns, func(g claims.GoColumn) bool { return g.Contender == c.Name })
				if cl.StandIns[side] == c.Name || perCore || goColumn {
					return true
				}
			}
		}
		return false
	}
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

// A judged claim: its verdict by one rule, with a label and what it read.
type judged struct {
	label   string
	rule    string
	v       verdict.Verdict
	figures []results.Figure
}

func summaryFigure(what, value, unit string, s stats.Summary) results.Figure {
	return results.Figure{What: what, Value: value, Unit: unit, Center: s.Center, Lo: s.Lo, Hi: s.Hi, N: s.N}
}

func (f figure) read(c claims.Claim) []results.Figure {
	if !f.ok() {
		return nil
	}
	return []results.Figure{summaryFigure(f.name+" "+report.ConfigString(f.record.Config), c.Metric, c.Unit, f.sum)}
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

// mark adds to v what its figures say of it: a disturbed round kept, or a
// budget that cut the runs it reads.
func (ix index) mark(c claims.Claim, v verdict.Verdict, fs ...figure) verdict.Verdict {
	if ix.incomplete(c, fs...) {
		return verdict.Verdict{Outcome: verdict.Incomplete, Indicative: v.Indicative,
			Reason: "the stage's time budget ran out before the runs this claim reads finished; " + v.Reason}
	}
	for _, f := range fs {
		if f.disturbed() {
			v.Disturbed = true
			v.Reason += fmt.Sprintf("; rests on a disturbed round of %s", f.name)
		}
	}
	return v
}

// serverCores is how many CPUs the stand-ins' records say they ran on (0
// when unknown).
func serverCores(fs ...figure) int {
	n := 0
	for _, f := range fs {
		if f.record.Contender == nil || f.record.Contender.CPUs == "" {
			continue
		}
		cores := countCPUs(f.record.Contender.CPUs)
		if n == 0 || cores < n {
			n = cores
		}
	}
	return n
}

// countCPUs counts a CPU list such as "1", "0,1" or "0-3".
func countCPUs(list string) int {
	n := 0
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, errA := strconv.Atoi(lo)
		if !isRange {
			if errA == nil {
				n++
			}
			continue
		}
		if b, errB := strconv.Atoi(hi); errA == nil && errB == nil && b >= a {
			n += b - a + 1
		}
	}
	return n
}

func judge(c claims.Claim, ix index) []judged {
	side := func(s string) figure { return ix.find(c, s, c.StandIns[s]) }
	unit := func(v float64) string { return report.FormatValue(v, c.Unit) }
	if c.Mapping == "none" {
		fs := []figure{side(claims.Python), side(claims.Kotlin)}
		cores := serverCores(fs...)
		if c.ComparableFromCores == 0 || cores < c.ComparableFromCores {
			reason := c.Note
			if c.ComparableFromCores > 0 && cores > 0 {
				reason = fmt.Sprintf("%s; this run's servers had %d core(s), the claim needs %d", c.Note, cores, c.ComparableFromCores)
			}
			return []judged{{rule: "mapping", v: verdict.Verdict{Outcome: verdict.NotComparable, Reason: reason}}}
		}
	}
	var out []judged
	for _, rule := range c.Rules {
		switch rule {
		case "ratio":
			k, p := side(claims.Kotlin), side(claims.Python)
			j := judged{label: "Kotlin/Python", rule: rule}
			if v, bad := failing(k, p); bad {
				j.v = v
				out = append(out, j)
				continue
			}
			claimed, how := c.MappedRatio()
			if onArticlesCores(c, k, p) {
				claimed, how = c.Ratio(), fmt.Sprintf("on the article's %d cores: compared as claimed", c.ComparableFromCores)
			}
			m := ratio(c, k, p)
			j.v = ix.mark(c, verdict.Ratio(claimed, m), k, p)
			if how != "" {
				j.v.Reason = how + "; " + j.v.Reason
			}
			if m.N > 0 {
				j.figures = append(append(k.read(c), p.read(c)...), summaryFigure("paired Kotlin/Python ratio", c.Metric, "x", m))
			}
			out = append(out, j)
		case "hardware-absolute":
			out = append(out, hardwareAbsolute(c, ix, side, unit)...)
		case "absolute":
			for _, s := range sides(c) {
				f := side(s)
				j := judged{label: s, rule: rule, figures: f.read(c)}
				if v, bad := failing(f); bad {
					j.v = v
				} else {
					j.v = ix.mark(c, verdict.Absolute(c.Claimed[s], f.sum, unit), f)
				}
				out = append(out, j)
			}
		case "per-core":
			for _, s := range sides(c) {
				b := ix.best(c, s)
				out = append(out, judged{label: s + " per core", rule: rule, figures: b.read(c),
					v: ix.mark(c, verdict.PerCore(c.Claimed[s], b.sum, b.name, unit), b)})
			}
		case "bound":
			for _, s := range sides(c) {
				f := side(s)
				j := judged{label: s, rule: rule, figures: f.read(c)}
				if v, bad := failing(f); bad {
					j.v = v
					out = append(out, j)
					continue
				}
				atLimit := f.record.Config["at_limit"] == true
				limit := f.record.ConfigNumber("limit")
				center := f.sum.Center
				if !f.ok() {
					center = 0
				}
				j.v = ix.mark(c, verdict.Bound(c.Claimed[s], center, atLimit, limit, f.sum.Indicative), f)
				out = append(out, j)
			}
		case "speedup":
			for _, s := range sides(c) {
				f := side(s)
				j := judged{label: s, rule: rule, figures: f.read(c)}
				if v, bad := failing(f); bad {
					j.v = v
				} else {
					j.v = ix.mark(c, verdict.Speedup(c.Claimed[s], c.Cores(s), f.sum, int(f.record.ConfigNumber("cores"))), f)
				}
				out = append(out, j)
			}
		case "not-comparable":
			out = append(out, judged{rule: rule, v: verdict.Verdict{Outcome: verdict.NotComparable, Reason: c.Note}})
		}
	}
	return out
}

// onArticlesCores says whether every figure's server ran on at least the
// cores the article's machine had for this claim, where the claim names them.
func onArticlesCores(c claims.Claim, fs ...figure) bool {
	return c.ComparableFromCores > 0 && serverCores(fs...) >= c.ComparableFromCores
}

// hardwareAbsolute judges the article's absolute figures of a claim measured
// on its 8-vCPU machine: only a run whose servers had as many cores can,
// and even then the CPUs differ, so such a verdict is indicative.
func hardwareAbsolute(c claims.Claim, ix index, side func(string) figure, unit func(float64) string) []judged {
	var fs []figure
	for _, s := range sides(c) {
		fs = append(fs, side(s))
	}
	if !onArticlesCores(c, fs...) {
		reason := fmt.Sprintf("measured on the article's hardware (%s); judged through the ratio only", c.How)
		if cores := serverCores(fs...); c.ComparableFromCores > 0 && cores > 0 {
			reason = fmt.Sprintf("measured on the article's %d cores (%s); each contender had %d here: judged through the ratio only (a run giving each %d cores judges it)",
				c.ComparableFromCores, c.How, cores, c.ComparableFromCores)
		}
		return []judged{{label: "absolute", rule: "hardware-absolute", v: verdict.Verdict{Outcome: verdict.NotComparable, Reason: reason}}}
	}
	var out []judged
	for i, s := range sides(c) {
		f := fs[i]
		j := judged{label: s + " absolute", rule: "hardware-absolute", figures: f.read(c)}
		if v, bad := failing(f); bad {
			j.v = v
		} else {
			j.v = ix.mark(c, verdict.Absolute(c.Claimed[s], f.sum, unit), f)
			j.v.Indicative = true
			j.v.Reason = fmt.Sprintf("on the article's %d cores, not its CPUs (there: %s; here: %s as its manifest runs it); %s",
				c.ComparableFromCores, c.MeasuredOn[s].About, f.name, j.v.Reason)
		}
		out = append(out, j)
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

// Verdicts are the run's verdicts as records: one per claim and rule, with
// the figures each read.
func Verdicts(recs []results.Record, cf claims.File) []results.Record {
	ix := newIndex(recs)
	var out []results.Record
	for _, c := range cf.Claims {
		for _, j := range judge(c, ix) {
			out = append(out, results.Record{Kind: results.KindVerdict, Stage: c.Stage, Verdict: &results.Verdict{
				Claim: c.ID, Row: c.Row, Rule: j.rule, Side: j.label, Outcome: j.v.Outcome, Indicative: j.v.Indicative,
				Disturbed: j.v.Disturbed, Reason: j.v.Reason, Figures: j.figures}})
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

// measuredHere names the configuration a claim's figures were measured in
// here: the sizes of the stand-ins' records, the cores, the profile.
func (ix index) measuredHere(fs ...figure) string {
	var parts []string
	add := func(s string) {
		if s != "" && !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	for _, f := range fs {
		if !f.ok() {
			continue
		}
		cfg := f.record.Config
		for _, k := range []struct{ key, unit string }{{"connections", "connections"}, {"images", "images"}, {"count", "objects"}} {
			if n := f.record.ConfigNumber(k.key); n > 0 {
				add(grouped(n) + " " + k.unit)
			}
		}
		if n := f.record.ConfigNumber("bytes"); n > 0 {
			add(report.FormatValue(n, "B") + " document")
		}
		if n := f.record.ConfigNumber("cores"); n > 1 {
			add(fmt.Sprintf("1 worker against %.0f on %.0f cores", n, n))
		} else if s, ok := cfg["cpus"].(string); ok && s == "all" {
			add("every core")
		} else if f.record.Contender != nil && f.record.Contender.CPUs != "" {
			if n := countCPUs(f.record.Contender.CPUs); n == 1 {
				add("one core each")
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	if ix.profile != "" {
		parts[len(parts)-1] += " (" + ix.profile + ")"
	}
	return strings.Join(parts, ", ")
}

// grouped writes a count with thousands separators: 1,000 connections.
func grouped(n float64) string {
	digits := strconv.FormatFloat(math.Round(n), 'f', 0, 64)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// Section builds the article's part of the report from a run's records.
func Section(recs []results.Record, cf claims.File) report.Section {
	ix := newIndex(recs)
	t := report.Table{ID: "claims", Title: "The article's claims against this machine",
		Caption: "claimed: the article's figures (8-vCPU Graviton3); measured: medians here with 95% intervals, or ranges when indicative; each row says what was measured here",
		Columns: []report.Column{{Title: "article's row"}, {Title: "claimed Python", Right: true}, {Title: "claimed Kotlin", Right: true},
			{Title: "Python", Right: true}, {Title: "Kotlin", Right: true}}}
	for _, g := range cf.GoColumns {
		t.Columns = append(t.Columns, report.Column{Title: g.Title, Right: true})
	}
	t.Columns = append(t.Columns, report.Column{Title: "verdict", Wide: true})
	mapping := report.Table{ID: "claim-mapping", Title: "How each claim maps to this machine",
		Columns: []report.Column{{Title: "article's row"}, {Title: "measured there", Wide: true}, {Title: "mapping here", Wide: true}}}
	for _, c := range cf.Claims {
		var stand []figure
		for _, s := range []string{claims.Python, claims.Kotlin} {
			if name, ok := c.StandIns[s]; ok {
				stand = append(stand, ix.find(c, s, name))
			}
		}
		label := c.Row
		if here := ix.measuredHere(stand...); here != "" {
			label += "; here: " + here
		}
		row := report.Row{Cells: []report.Cell{report.TextCell(label), claimedCell(c, claims.Python), claimedCell(c, claims.Kotlin)}}
		for _, s := range []string{claims.Python, claims.Kotlin} {
			if name, ok := c.StandIns[s]; ok {
				row.Cells = append(row.Cells, cell(ix.find(c, s, name), c.Unit))
			} else {
				row.Cells = append(row.Cells, report.TextCell("-"))
			}
		}
		for _, g := range cf.GoColumns {
			row.Cells = append(row.Cells, cell(ix.find(c, claims.Go, g.Contender), c.Unit))
		}
		js := judge(c, ix)
		row.Cells = append(row.Cells, report.TextCell(summaryOf(js)))
		t.Rows = append(t.Rows, row)
		t.Notes = append(t.Notes, report.Note{Text: fmt.Sprintf("%s (%s; stands for Python: %s, for Kotlin: %s)", c.Row, c.How,
			orDash(c.StandIns[claims.Python]), orDash(c.StandIns[claims.Kotlin]))})
		if c.Note != "" && !slices.Contains(c.Rules, "not-comparable") && c.Mapping != "none" {
			t.Notes = append(t.Notes, report.Note{Level: 1, Text: "measured instead: " + c.Note})
		}
		for _, j := range js {
			label := j.v.String()
			if j.label != "" {
				label = j.label + ": " + label
			}
			t.Notes = append(t.Notes, report.Note{Level: 1, Text: label + ": " + j.v.Reason})
		}
		mapping.Rows = append(mapping.Rows, report.Row{Cells: []report.Cell{report.TextCell(c.Row),
			report.TextCell(measuredThere(c)), report.TextCell(mappingText(c))}})
	}
	rules := report.Table{ID: "verdict-rules", Title: "How verdicts are reached", Columns: []report.Column{{Title: "claim"}, {Title: "rule", Wide: true}}}
	for _, r := range verdict.Rules {
		rules.Rows = append(rules.Rows, report.Row{Cells: []report.Cell{report.TextCell(r.Claim), report.TextCell(r.Rule)}})
	}
	return report.Section{Title: "Was the article right?", Tables: []report.Table{t, mapping, rules}}
}

func measuredThere(c claims.Claim) string {
	var parts []string
	for _, s := range []string{claims.Python, claims.Kotlin} {
		h, ok := c.MeasuredOn[s]
		if !ok {
			continue
		}
		p := s + ": " + h.About
		if h.Cores > 1 {
			p += fmt.Sprintf(" (%d cores)", h.Cores)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func mappingText(c claims.Claim) string {
	out := claims.Mappings[c.Mapping]
	if _, how := c.MappedRatio(); how != "" {
		out += "; claimed " + fmt.Sprintf("%.2fx", c.Ratio()) + " becomes " + how
	}
	if c.Mapping == "amdahl" {
		if cores := c.Cores(claims.Python); cores > 0 {
			out += fmt.Sprintf(" (claimed on %d cores)", cores)
		}
	}
	switch {
	case c.ComparableFromCores > 0 && c.Mapping == "none":
		out += fmt.Sprintf(", unless a run's servers have the article's %d cores", c.ComparableFromCores)
	case c.ComparableFromCores > 0:
		out += fmt.Sprintf("; a run giving each contender the article's %d cores also judges its absolute figures (indicative: the CPUs differ) and the ratio as claimed",
			c.ComparableFromCores)
	}
	return out
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
	return strings.Join(parts, "; ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
