package diff

import (
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/verdict"
)

// A VerdictChange is a claim whose verdict by one rule differs between two
// runs.
type VerdictChange struct {
	Claim, Row, Side string
	// Old and New are the outcomes with their marks ("refuted (indicative)");
	// "-" where a run has no verdict of it.
	Old, New string
}

func verdictKey(v *results.Verdict) string { return v.Claim + "\x00" + v.Rule + "\x00" + v.Side }

func outcome(v *results.Verdict) string {
	return verdict.Verdict{Outcome: v.Outcome, Indicative: v.Indicative, Disturbed: v.Disturbed}.String()
}

// Verdicts lists the verdicts that changed between two runs' verdict
// records, in the new run's order (then the ones only the old run has).
func Verdicts(old, new []results.Record) []VerdictChange {
	before := map[string]*results.Verdict{}
	var oldOrder []string
	for _, r := range old {
		if r.Kind == results.KindVerdict && r.Verdict != nil {
			k := verdictKey(r.Verdict)
			before[k] = r.Verdict
			oldOrder = append(oldOrder, k)
		}
	}
	seen := map[string]bool{}
	var out []VerdictChange
	for _, r := range new {
		if r.Kind != results.KindVerdict || r.Verdict == nil {
			continue
		}
		v := r.Verdict
		k := verdictKey(v)
		seen[k] = true
		was := "-"
		if b, ok := before[k]; ok {
			was = outcome(b)
		}
		if was != outcome(v) {
			out = append(out, VerdictChange{Claim: v.Claim, Row: v.Row, Side: v.Side, Old: was, New: outcome(v)})
		}
	}
	for _, k := range oldOrder {
		if !seen[k] {
			b := before[k]
			out = append(out, VerdictChange{Claim: b.Claim, Row: b.Row, Side: b.Side, Old: outcome(b), New: "-"})
		}
	}
	return out
}

// VerdictTable renders the changed verdicts.
func VerdictTable(changes []VerdictChange) report.Table {
	t := report.Table{ID: "diff-verdicts", Title: "Verdicts that changed",
		Columns: []report.Column{{Title: "article's row"}, {Title: "judged"}, {Title: "old"}, {Title: "new"}}}
	for _, c := range changes {
		t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{report.TextCell(c.Row), report.TextCell(c.Side),
			report.TextCell(c.Old), report.TextCell(c.New)}})
	}
	if len(changes) == 0 {
		t.Notes = []report.Note{{Text: "every claim has the same verdict in both runs"}}
	}
	return t
}
