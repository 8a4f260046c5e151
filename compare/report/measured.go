package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stats"
)

// A Metric selects one value of a stage's records for a column.
type Metric struct {
	// Value is the value's name in the records.
	Value string
	// Title heads the column; Value when empty.
	Title string
	// Lower marks a metric where less is better (latency, memory); the first
	// metric ranks the rows.
	Lower bool
}

// Measured builds a stage's measured tables from its measure records: first
// the contenders that pass their oracle (and calibration references, marked
// "ref"), ranked best first by the first metric within each configuration;
// then, in a table of their own, the contenders that fail it, with their
// figures and the checks they failed side by side, never ranked. A column per
// metric shows the median with its 95% interval, or the range when
// indicative; nil metrics means every value the records hold.
func Measured(title string, recs []results.Record, metrics []Metric) []Table {
	if metrics == nil {
		metrics = allMetrics(recs)
	}
	failures := verifyFailures(recs)
	var ranked, failing []results.Record
	for _, r := range recs {
		if r.Kind != results.KindResult || r.Step != results.StepMeasure || r.Contender == nil {
			continue
		}
		if _, bad := failures[r.ContenderName()]; bad {
			failing = append(failing, r)
		} else {
			ranked = append(ranked, r)
		}
	}
	sortRanked(ranked, metrics)
	head := func(first ...Column) []Column {
		cols := append(first, Column{Title: "configuration"})
		for _, m := range metrics {
			name := m.Title
			if name == "" {
				name = m.Value
			}
			cols = append(cols, Column{Title: name, Right: true})
		}
		return cols
	}
	t := Table{ID: "measured", Title: title, Columns: append(head(Column{Title: "#", Right: true}, Column{Title: "contender"}), Column{Title: "status"})}
	rank, lastConfig := 0, ""
	for _, r := range ranked {
		config := ConfigString(r.Config)
		if config != lastConfig {
			rank, lastConfig = 0, config
		}
		place := "ref"
		if r.Contender.Kind != "calibration" && r.Status == results.StatusOK {
			rank++
			place = fmt.Sprint(rank)
		} else if r.Contender.Kind != "calibration" {
			place = "-"
		}
		row := Row{Cells: []Cell{TextCell(place), TextCell(ColumnTitle(*r.Contender)), TextCell(config)}}
		row.Cells = append(append(row.Cells, figures(r, metrics, 0)...), TextCell(status(r)))
		t.Rows = append(t.Rows, row)
	}
	tables := []Table{t}
	if len(failing) > 0 {
		f := Table{ID: "measured-failing", Title: title + ": fails the oracle (shown, not ranked)",
			Columns: append(head(Column{Title: "contender"}), Column{Title: "failed checks"})}
		for _, r := range failing {
			row := Row{Cells: []Cell{TextCell(ColumnTitle(*r.Contender)), TextCell(ConfigString(r.Config))}}
			row.Cells = append(append(row.Cells, figures(r, metrics, FailedOracle)...), TextCell(failures[r.ContenderName()]))
			f.Rows = append(f.Rows, row)
		}
		tables = append(tables, f)
	}
	return tables
}

func figures(r results.Record, metrics []Metric, flags Flags) []Cell {
	var out []Cell
	for _, m := range metrics {
		v, ok := r.Value(m.Value)
		if !ok {
			out = append(out, Cell{Text: "-", Flags: flags})
			continue
		}
		c := FigureCell(stats.Of(v), v.Unit)
		c.Flags |= flags
		out = append(out, c)
	}
	return out
}

func status(r results.Record) string {
	if r.Reason != "" {
		return r.Status + ": " + r.Reason
	}
	return r.Status
}

// sortRanked orders records by configuration, then best first by the first
// metric; records without it go last.
func sortRanked(recs []results.Record, metrics []Metric) {
	center := func(r results.Record) (float64, bool) {
		if len(metrics) == 0 {
			return 0, false
		}
		v, ok := r.Value(metrics[0].Value)
		if !ok || len(v.Samples) == 0 {
			return 0, false
		}
		return stats.Of(v).Center, true
	}
	sort.SliceStable(recs, func(i, j int) bool {
		ci, cj := ConfigString(recs[i].Config), ConfigString(recs[j].Config)
		if ci != cj {
			return ci < cj
		}
		vi, oki := center(recs[i])
		vj, okj := center(recs[j])
		if oki != okj {
			return oki
		}
		if metrics != nil && len(metrics) > 0 && metrics[0].Lower {
			return vi < vj
		}
		return vi > vj
	})
}

// verifyFailures maps each contender that failed a verify check to a summary
// of its failures: "2 of 12: dimensions (photo-1.jpg: 800x451, want 800x450); ...".
func verifyFailures(recs []results.Record) map[string]string {
	out := map[string]string{}
	for _, r := range recs {
		if r.Kind != results.KindResult || r.Step != results.StepVerify || r.Passed() {
			continue
		}
		fs := r.Failures()
		var parts []string
		for i, c := range fs {
			if i == 2 {
				parts = append(parts, fmt.Sprintf("and %d more", len(fs)-2))
				break
			}
			parts = append(parts, fmt.Sprintf("%s (%s)", c.Name, clip(c.Detail, 80)))
		}
		out[r.ContenderName()] = fmt.Sprintf("%d of %d: %s", len(fs), len(r.Checks), strings.Join(parts, "; "))
	}
	return out
}

// FailingContenders returns the contenders whose verify records failed a check.
func FailingContenders(recs []results.Record) map[string]bool {
	out := map[string]bool{}
	for _, r := range recs {
		if r.Kind == results.KindResult && r.Step == results.StepVerify && !r.Passed() {
			out[r.ContenderName()] = true
		}
	}
	return out
}

// ConfigString renders a configuration as "k=v, k=v" in key order.
func ConfigString(config map[string]any) string {
	keys := make([]string, 0, len(config))
	for k := range config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := config[k]
		if f, ok := v.(float64); ok {
			if f == float64(int64(f)) {
				v = int64(f)
			} else {
				v = strconv.FormatFloat(f, 'g', 4, 64)
			}
		}
		parts[i] = fmt.Sprintf("%s=%v", k, v)
	}
	return strings.Join(parts, ", ")
}

func allMetrics(recs []results.Record) []Metric {
	var out []Metric
	seen := map[string]bool{}
	for _, r := range recs {
		if r.Step != results.StepMeasure {
			continue
		}
		for _, v := range r.Values {
			if !seen[v.Name] {
				seen[v.Name] = true
				out = append(out, Metric{Value: v.Name})
			}
		}
	}
	return out
}
