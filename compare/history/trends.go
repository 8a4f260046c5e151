package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/verdict"
)

// Trend limits: a chart keeps the last chartRuns runs, the verdict history
// table the last tableRuns (a column each).
const (
	chartRuns = 20
	tableRuns = 8
)

// Trends builds the report section of the run in dir's history on its
// machine: each claim figure's history as a line chart with intervals, and
// the verdict history. ok is false when the index holds fewer than two runs
// of the machine up to this one, or none of them judged a claim, or it does
// not hold this run.
func (ix *Index) Trends(ctx context.Context, dir string) (sec report.Section, ok bool, err error) {
	name, err := ix.name(dir)
	if err != nil {
		return report.Section{}, false, err
	}
	var machine, started string
	err = ix.db.QueryRowContext(ctx, "SELECT machine, started FROM runs WHERE dir = ?", name).Scan(&machine, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return report.Section{}, false, nil
	}
	if err != nil {
		return report.Section{}, false, fmt.Errorf("run history: %w", err)
	}
	runs, err := ix.runsUpTo(ctx, machine, started)
	if err != nil || len(runs) < 2 {
		return report.Section{}, false, err
	}
	verdicts, err := ix.verdictsOf(ctx, runs)
	if err != nil || len(verdicts) == 0 {
		return report.Section{}, false, err
	}
	sec = report.Section{Title: fmt.Sprintf("Trends on this machine (%s, last %d runs)", machine, len(runs))}
	sec.Charts = trendCharts(runs, verdicts)
	sec.Tables = []report.Table{verdictTable(runs, verdicts)}
	return sec, true, nil
}

// runsUpTo returns the last chartRuns runs of machine started at or before
// started, oldest first.
func (ix *Index) runsUpTo(ctx context.Context, machine, started string) ([]trendRun, error) {
	rows, err := ix.db.QueryContext(ctx, `SELECT id, dir FROM (SELECT id, dir, started FROM runs
		WHERE machine = ? AND started <= ? ORDER BY started DESC, dir DESC LIMIT ?) ORDER BY started, dir`, machine, started, chartRuns)
	if err != nil {
		return nil, fmt.Errorf("run history: %w", err)
	}
	defer rows.Close()
	var out []trendRun
	for rows.Next() {
		var r trendRun
		if err := rows.Scan(&r.id, &r.dir); err != nil {
			return nil, fmt.Errorf("run history: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type trendRun struct {
	id  int64
	dir string
}

// A trendVerdict is one claim judged by one rule in one run.
type trendVerdict struct {
	run                    int
	claim, row, rule, side string
	outcome                string
	indicative, disturbed  bool
	figures                []trendFigure
}

type trendFigure struct {
	what, unit     string
	center, lo, hi float64
	n              int
}

func (ix *Index) verdictsOf(ctx context.Context, runs []trendRun) ([]trendVerdict, error) {
	var out []trendVerdict
	for i, run := range runs {
		rows, err := ix.db.QueryContext(ctx, `SELECT v.id, v.claim, v.row, v.rule, v.side, v.outcome, v.indicative, v.disturbed,
			f.what, f.unit, f.center, f.lo, f.hi, f.n
			FROM verdicts v LEFT JOIN figures f ON f.verdict_id = v.id WHERE v.run_id = ? ORDER BY v.seq, f.seq`, run.id)
		if err != nil {
			return nil, fmt.Errorf("run history: %w", err)
		}
		last := int64(-1)
		for rows.Next() {
			var id int64
			var v trendVerdict
			var what, unit sql.NullString
			var center, lo, hi sql.NullFloat64
			var n sql.NullInt64
			if err := rows.Scan(&id, &v.claim, &v.row, &v.rule, &v.side, &v.outcome, &v.indicative, &v.disturbed,
				&what, &unit, &center, &lo, &hi, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("run history: %w", err)
			}
			if id != last {
				v.run = i
				out = append(out, v)
				last = id
			}
			if what.Valid {
				cur := &out[len(out)-1]
				cur.figures = append(cur.figures, trendFigure{what: what.String, unit: unit.String,
					center: center.Float64, lo: lo.Float64, hi: hi.Float64, n: int(n.Int64)})
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("run history: %w", err)
		}
	}
	return out, nil
}

type verdictKey struct{ claim, rule, side string }

func (v trendVerdict) key() verdictKey { return verdictKey{v.claim, v.rule, v.side} }

// trendCharts draws, per verdict and unit, its figures across the runs: a
// series per figure (by its place in the verdict, named as in the newest
// run: a configuration such as an open-loop rate may move between runs).
func trendCharts(runs []trendRun, verdicts []trendVerdict) []report.Chart {
	categories := make([]string, len(runs))
	for i, r := range runs {
		categories[i] = r.dir
	}
	type chartKey struct {
		verdictKey
		unit string
	}
	var order []chartKey
	charts := map[chartKey]*report.Chart{}
	for _, v := range verdicts {
		for fi, f := range v.figures {
			k := chartKey{v.key(), f.unit}
			c, ok := charts[k]
			if !ok {
				title := v.row
				if v.side != "" {
					title += " (" + v.side + ")"
				}
				c = &report.Chart{ID: fmt.Sprintf("trend-%s-%s-%s-%s", v.claim, v.rule, v.side, f.unit), Title: title, Kind: report.ChartLine,
					X: report.Axis{Title: "run"}, Y: report.Axis{Title: f.unit, Unit: f.unit}, Categories: categories,
					Note: "the median of each run with its 95% interval (the range when fewer than 6 rounds), as the verdict read it"}
				charts[k] = c
				order = append(order, k)
			}
			for len(c.Series) <= fi {
				c.Series = append(c.Series, report.Series{})
			}
			s := &c.Series[fi]
			s.Name = f.what
			s.Points = append(s.Points, report.ChartPoint{Name: runs[v.run].dir, Figure: report.Figure{Value: f.center, Unit: f.unit,
				Lo: f.lo, Hi: f.hi, Range: f.n < 6}})
		}
	}
	out := make([]report.Chart, 0, len(order))
	for _, k := range order {
		c := charts[k]
		c.Series = dropEmpty(c.Series)
		out = append(out, *c)
	}
	return out
}

func dropEmpty(series []report.Series) []report.Series {
	var out []report.Series
	for _, s := range series {
		if len(s.Points) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// verdictTable has a row per claim and rule, a column per run (the last
// tableRuns), each cell the outcome.
func verdictTable(runs []trendRun, verdicts []trendVerdict) report.Table {
	first := max(0, len(runs)-tableRuns)
	t := report.Table{ID: "verdict-history", Title: "Verdict history",
		Columns: []report.Column{{Title: "article's row"}, {Title: "judged"}}}
	for _, r := range runs[first:] {
		t.Columns = append(t.Columns, report.Column{Title: r.dir})
	}
	var order []verdictKey
	cells := map[verdictKey][]string{}
	rowOf := map[verdictKey]trendVerdict{}
	for _, v := range verdicts {
		if v.run < first {
			continue
		}
		k := v.key()
		if _, ok := cells[k]; !ok {
			order = append(order, k)
			cells[k] = make([]string, len(runs)-first)
			for i := range cells[k] {
				cells[k][i] = "-"
			}
		}
		rowOf[k] = v
		cells[k][v.run-first] = verdict.Verdict{Outcome: v.outcome, Indicative: v.indicative, Disturbed: v.disturbed}.String()
	}
	for _, k := range order {
		row := report.Row{Cells: []report.Cell{report.TextCell(rowOf[k].row), report.TextCell(rowOf[k].side)}}
		for _, c := range cells[k] {
			row.Cells = append(row.Cells, report.TextCell(c))
		}
		t.Rows = append(t.Rows, row)
	}
	if len(order) == 0 {
		t.Notes = []report.Note{{Text: "no verdict in these runs"}}
	}
	return t
}
