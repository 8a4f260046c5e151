package report

import (
	"fmt"
	"sort"

	"github.com/tribench/tribench/compare/conform"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/services/cases"
)

// A ConformanceTable has a row per contract rule or property and a column per
// contender or variant.
type ConformanceTable struct {
	Columns []Column
	Rows    []Row
}

// A Column is one contender's conformance run.
type Column struct {
	Name, Variant, Toolchain, Version, Note, Fallback string
	// Status is results.StatusOK when the contender was checked; otherwise Reason
	// says why it was not.
	Status, Reason string
	Passed, Failed int
	// Broken lists the rules this contender broke, most failures first.
	Broken []BrokenRule
}

// A BrokenRule is one rule a contender broke: how often, and the first failure.
type BrokenRule struct {
	Rule    string
	Count   int
	Example string
}

// Checked reports whether the column's contender was checked at all.
func (c Column) Checked() bool { return c.Status == results.StatusOK }

// A Row is one rule across the columns.
type Row struct {
	Rule  string
	Cells []Cell
}

// A Cell is how one contender fared on one rule.
type Cell struct {
	// Total is how many checks fall under the rule; 0 means not applicable.
	Total, Failed int
	// First is the first failing check's name and why, when Failed > 0.
	First string
}

// String renders a cell compactly: PASS, FAIL k/n, or "-".
func (c Cell) String() string {
	switch {
	case c.Total == 0:
		return "-"
	case c.Failed == 0:
		return "PASS"
	}
	return fmt.Sprintf("FAIL %d/%d", c.Failed, c.Total)
}

// everyResponse are the rules checked on every response; a row each, so a
// service that breaks one everywhere shows it on one line.
var everyResponse = []string{cases.RuleContentType, cases.RuleErrorBody, cases.RuleAllow, cases.RuleTransport}

func brokenRules(checks []conform.Check) []BrokenRule {
	var out []BrokenRule
	at := map[string]int{}
	for _, c := range checks {
		if c.Pass {
			continue
		}
		i, ok := at[c.Broken]
		if !ok {
			i = len(out)
			at[c.Broken] = i
			out = append(out, BrokenRule{Rule: c.Broken, Example: c.Name + ": " + c.Detail})
		}
		out[i].Count++
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// BuildConformance derives the conformance table from the records of a run.
func BuildConformance(recs []results.Record) ConformanceTable {
	var t ConformanceTable
	index := map[string]int{}
	addRow := func(rule string) int {
		if i, ok := index[rule]; ok {
			return i
		}
		index[rule] = len(t.Rows)
		t.Rows = append(t.Rows, Row{Rule: rule})
		return index[rule]
	}
	var checked []results.Record
	for _, r := range recs {
		if r.Kind != results.KindConformance {
			continue
		}
		col := Column{Name: r.Contender, Variant: r.Variant, Toolchain: r.Toolchain, Version: r.Version,
			Note: r.Note, Fallback: r.Fallback, Status: r.Status, Reason: r.Reason}
		if r.Conform != nil {
			col.Passed, col.Failed = r.Conform.Passed, r.Conform.Failed
			for _, c := range r.Conform.Checks {
				addRow(c.Rule)
			}
			col.Broken = brokenRules(r.Conform.Checks)
		}
		t.Columns = append(t.Columns, col)
		checked = append(checked, r)
	}
	for _, rule := range everyResponse {
		addRow(rule)
	}
	for i := range t.Rows {
		t.Rows[i].Cells = make([]Cell, len(t.Columns))
	}
	for j, r := range checked {
		if r.Conform == nil {
			continue
		}
		for _, c := range r.Conform.Checks {
			cell := &t.Rows[index[c.Rule]].Cells[j]
			cell.Total++
			if !c.Pass {
				cell.Failed++
				if cell.First == "" {
					cell.First = c.Name
				}
			}
			if c.Kind != "case" {
				continue
			}
			// Every case is also a check of the rules of every response.
			for _, rule := range everyResponse {
				ec := &t.Rows[index[rule]].Cells[j]
				ec.Total++
				if !c.Pass && c.Broken == rule {
					ec.Failed++
					if ec.First == "" {
						ec.First = c.Name
					}
				}
			}
		}
	}
	return t
}
