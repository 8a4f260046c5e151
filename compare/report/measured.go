package report

import (
	"fmt"
	"sort"
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
}

// Measured builds the generic table of a stage's measure records: a row per
// contender and configuration, a column per metric (median with its 95%
// interval, or the range when indicative); nil metrics means every value the
// records hold. A contender whose verify record failed its oracle is flagged.
func Measured(title string, recs []results.Record, metrics []Metric) Table {
	if metrics == nil {
		metrics = allMetrics(recs)
	}
	t := Table{ID: "measured", Title: title, Columns: []Column{{Title: "contender"}, {Title: "configuration"}}}
	for _, m := range metrics {
		name := m.Title
		if name == "" {
			name = m.Value
		}
		t.Columns = append(t.Columns, Column{Title: name, Right: true})
	}
	t.Columns = append(t.Columns, Column{Title: "status"})
	failed := FailingContenders(recs)
	for _, r := range recs {
		if r.Kind != results.KindResult || r.Step != results.StepMeasure || r.Contender == nil {
			continue
		}
		row := Row{Cells: []Cell{TextCell(ColumnTitle(*r.Contender)), TextCell(ConfigString(r.Config))}}
		var flags Flags
		if failed[r.ContenderName()] {
			flags |= FailedOracle
		}
		for _, m := range metrics {
			v, ok := r.Value(m.Value)
			if !ok {
				row.Cells = append(row.Cells, Cell{Text: "-", Flags: flags})
				continue
			}
			c := FigureCell(stats.Of(v), v.Unit)
			c.Flags |= flags
			row.Cells = append(row.Cells, c)
		}
		status := r.Status
		if r.Reason != "" {
			status += ": " + r.Reason
		}
		row.Cells = append(row.Cells, TextCell(status))
		t.Rows = append(t.Rows, row)
	}
	return t
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
		parts[i] = fmt.Sprintf("%s=%v", k, config[k])
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
