package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tribench/tribench/compare/results"
)

// EveryResponse lists rules that every contract case also checks (on every
// response, not one case): a failing case that broke one of them counts
// against that rule's row, so a service breaking one everywhere shows it on
// one line. The http stage sets it from the contract.
type EveryResponse []string

// Conformance builds the table of oracle checks of one stage's verify
// records: a row per rule, a column per contender (PASS, FAIL k/n, - where a
// rule does not apply, n/a where the contender was not checked), and per
// contender a summary note with the rules it broke, most failures first.
func Conformance(title string, recs []results.Record, every EveryResponse) Table {
	var cols []results.Record
	for _, r := range recs {
		if r.Kind == results.KindResult && r.Step == results.StepVerify && r.Contender != nil {
			cols = append(cols, r)
		}
	}
	var rules []string
	index := map[string]int{}
	addRule := func(rule string) {
		if _, ok := index[rule]; !ok {
			index[rule] = len(rules)
			rules = append(rules, rule)
		}
	}
	for _, r := range cols {
		for _, c := range r.Checks {
			addRule(c.Rule)
		}
	}
	for _, rule := range every {
		addRule(rule)
	}
	type tally struct {
		total, failed int
		first         string
	}
	grid := make([][]tally, len(rules))
	for i := range grid {
		grid[i] = make([]tally, len(cols))
	}
	count := func(rule string, j int, c results.Check, failed bool) {
		t := &grid[index[rule]][j]
		t.total++
		if failed {
			t.failed++
			if t.first == "" {
				t.first = c.Name
			}
		}
	}
	for j, r := range cols {
		for _, c := range r.Checks {
			count(c.Rule, j, c, !c.Pass)
			if c.Kind != "case" {
				continue
			}
			for _, rule := range every {
				count(rule, j, c, !c.Pass && c.Broke == rule)
			}
		}
	}

	t := Table{ID: "conformance", Title: title, Columns: []Column{{Title: "rule"}}}
	for _, r := range cols {
		t.Columns = append(t.Columns, Column{Title: ColumnTitle(*r.Contender)})
	}
	for i, rule := range rules {
		row := Row{Cells: []Cell{TextCell(rule)}}
		for j, r := range cols {
			g := grid[i][j]
			switch {
			case r.Status != results.StatusOK:
				row.Cells = append(row.Cells, Cell{Text: "n/a"})
			case g.total == 0:
				row.Cells = append(row.Cells, Cell{Text: "-"})
			case g.failed == 0:
				row.Cells = append(row.Cells, Cell{Text: "PASS"})
			default:
				row.Cells = append(row.Cells, Cell{Text: fmt.Sprintf("FAIL %d/%d", g.failed, g.total), Detail: g.first, Strong: true})
			}
		}
		t.Rows = append(t.Rows, row)
	}
	for _, r := range cols {
		t.Notes = append(t.Notes, Note{Text: summary(r)})
		for _, b := range brokenRules(r.Checks) {
			t.Notes = append(t.Notes, Note{Level: 1, Text: fmt.Sprintf("FAIL x%d [%s]", b.count, b.rule), Example: b.example})
		}
	}
	return t
}

// ColumnTitle names a contender in a column: its name, and its kind unless canonical.
func ColumnTitle(c results.Contender) string {
	if c.Kind != "" && c.Kind != "canonical" {
		return c.Name + " (" + c.Kind + ")"
	}
	return c.Name
}

func summary(r results.Record) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", ColumnTitle(*r.Contender))
	if r.Status != results.StatusOK {
		fmt.Fprintf(&b, "%s: %s", strings.ToUpper(r.Status), r.Reason)
		return b.String()
	}
	failed := len(r.Failures())
	verdict := "passes the oracle"
	if failed > 0 {
		verdict = "FAILS the oracle, not ranked"
	}
	fmt.Fprintf(&b, "%s (%d passed, %d failed)", verdict, len(r.Checks)-failed, failed)
	c := r.Contender
	if c.Version != "" {
		fmt.Fprintf(&b, "; %s", c.Version)
	}
	if c.Fallback != "" {
		fmt.Fprintf(&b, "; stands in for %s", c.Fallback)
	}
	if c.Note != "" {
		fmt.Fprintf(&b, "; %s", c.Note)
	}
	return b.String()
}

type broken struct {
	rule, example string
	count         int
}

func brokenRules(checks []results.Check) []broken {
	var out []broken
	at := map[string]int{}
	for _, c := range checks {
		if c.Pass {
			continue
		}
		rule := c.Broke
		if rule == "" {
			rule = c.Rule
		}
		i, ok := at[rule]
		if !ok {
			i = len(out)
			at[rule] = i
			out = append(out, broken{rule: rule, example: c.Name + ": " + c.Detail})
		}
		out[i].count++
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].count > out[j].count })
	return out
}
