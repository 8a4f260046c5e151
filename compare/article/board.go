package article

import (
	"fmt"
	"math"
	"strings"

	"github.com/tribench/tribench/compare/claims"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stats"
	"github.com/tribench/tribench/compare/verdict"
)

// Board builds the claims board of a run: a row per claim with the claimed
// and measured figures, and its verdicts as the run's verdict records hold
// them (judged afresh from the records for a claim the run wrote none of).
// recs are the run's result records, verdicts its verdict records.
func Board(recs, verdicts []results.Record, cf claims.File) report.Board {
	ix := newIndex(recs)
	b := report.Board{Columns: []string{"Python", "Kotlin"},
		Caption: "claimed: the article's figures (8-vCPU Graviton3); measured here: medians with 95% intervals, or ranges when indicative"}
	for _, g := range cf.GoColumns {
		b.Columns = append(b.Columns, g.Title)
	}
	stored := map[string][]results.Verdict{}
	for _, r := range verdicts {
		if r.Kind == results.KindVerdict && r.Verdict != nil {
			stored[r.Verdict.Claim] = append(stored[r.Verdict.Claim], *r.Verdict)
		}
	}
	for _, c := range cf.Claims {
		var stand []figure
		row := report.BoardRow{Claim: c.Row, Stage: c.Stage, Claimed: []report.Cell{claimedCell(c, claims.Python), claimedCell(c, claims.Kotlin)}}
		for _, s := range []string{claims.Python, claims.Kotlin} {
			name, ok := c.StandIns[s]
			if !ok {
				row.Measured = append(row.Measured, report.TextCell("-"))
				continue
			}
			f := ix.find(c, s, name)
			stand = append(stand, f)
			row.Measured = append(row.Measured, cell(f, c.Unit))
		}
		for _, g := range cf.GoColumns {
			row.Measured = append(row.Measured, cell(ix.find(c, claims.Go, g.Contender), c.Unit))
		}
		row.Here = ix.measuredHere(stand...)
		vs, ok := stored[c.ID]
		if !ok {
			for _, j := range judge(c, ix) {
				vs = append(vs, results.Verdict{Side: j.label, Outcome: j.v.Outcome, Indicative: j.v.Indicative, Disturbed: j.v.Disturbed, Reason: j.v.Reason})
			}
		}
		for _, v := range vs {
			if v.Outcome == verdict.NotComparable && len(vs) > 1 {
				continue // the absolute of a row judged through its ratio
			}
			badge := report.Badge{Side: v.Side, Outcome: v.Outcome, Reason: v.Reason}
			if len(vs) == 1 {
				badge.Side = ""
			}
			if v.Indicative {
				badge.Marks = append(badge.Marks, "indicative")
			}
			if v.Disturbed {
				badge.Marks = append(badge.Marks, "disturbed round")
			}
			row.Verdicts = append(row.Verdicts, badge)
		}
		b.Rows = append(b.Rows, row)
	}
	return b
}

// GoRows says how Go compares on every claim where current Go and a side's
// stand-in were measured: Go current's figure over each side's, paired by
// round and oriented in Go's favour, in a sentence that names what was
// measured; and Go 1.23 against current Go where the two differ.
func GoRows(recs []results.Record, cf claims.File) []report.GoRow {
	current, baseline, ok := cf.GoCurrent()
	if !ok {
		return nil
	}
	ix := newIndex(recs)
	var out []report.GoRow
	for _, c := range cf.Claims {
		cur := ix.find(c, claims.Go, current.Contender)
		if !cur.ok() {
			continue
		}
		row := report.GoRow{Claim: c.Row, Short: shortRow(c.Row), Stage: c.Stage}
		var parts []string
		figs := []figure{cur}
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
			figs = append(figs, other)
			row.Against = append(row.Against, report.GoRatio{Name: name, Ratio: ratioFigure(r)})
			parts = append(parts, ratioWords(r, name))
		}
		if len(parts) == 0 {
			continue
		}
		s := c.Row
		if row.Here = ix.measuredHere(figs...); row.Here != "" {
			s += " (here: " + row.Here + ")"
		}
		s += fmt.Sprintf(": %s %s, %s", current.Title, report.FormatValue(cur.sum.Center, c.Unit), strings.Join(parts, " and "))
		if base := ix.find(c, claims.Go, baseline.Contender); baseline.Contender != "" && base.ok() {
			if r := ratio(c, base, cur); r.N > 1 && (r.Lo > 1 || r.Hi < 1) && math.Abs(r.Center-1) >= goVersionEffect {
				s += fmt.Sprintf("; %s %s, %s", baseline.Title, report.FormatValue(base.sum.Center, c.Unit), ratioWords(r, current.Title))
			}
		}
		row.Sentence = s
		out = append(out, row)
	}
	return out
}

// goVersionEffect is the least difference between Go 1.23 and current Go a
// sentence names: below 3% an interval that excludes 1 is the quiet rounds'
// tightness, not something a reader would notice.
const goVersionEffect = 0.03

// ratioWords says a ratio in one's favour against name, by its interval:
// "2.00x better than name [1.90, 2.10]".
func ratioWords(r stats.Summary, name string) string {
	switch {
	case r.Lo > 1:
		return fmt.Sprintf("%.2fx better than %s [%.2f, %.2f]", r.Center, name, r.Lo, r.Hi)
	case r.Hi < 1:
		return fmt.Sprintf("%.2fx worse than %s [%.2f, %.2f]", r.Center, name, r.Lo, r.Hi)
	}
	return fmt.Sprintf("no clear difference from %s (%.2fx [%.2f, %.2f])", name, r.Center, r.Lo, r.Hi)
}

func ratioFigure(r stats.Summary) report.Figure {
	f := report.Figure{Value: r.Center, Unit: "x", Lo: math.NaN(), Hi: math.NaN(), Range: r.Indicative}
	if r.N > 1 {
		f.Lo, f.Hi = r.Lo, r.Hi
	}
	return f
}

// shortRow is a claim's row up to its first comma: "HTTP throughput".
func shortRow(row string) string {
	s, _, _ := strings.Cut(row, ",")
	return strings.TrimSpace(s)
}
