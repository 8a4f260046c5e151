package report

import "github.com/tribench/tribench/compare/results"

// Rejected is the table of every input a contender rejected, with its
// reason, read from the verify records' AttachRejected attachments: a row per
// input and contender, in the order the records list them. No record with a
// rejection gives no table.
func Rejected(title string, recs []results.Record) []Table {
	type row struct {
		contender string
		results.Rejection
	}
	var rows []row
	var unreadable []Note
	withSet := false
	for _, r := range recs {
		if r.Kind != results.KindResult || r.Step != results.StepVerify || r.Contender == nil {
			continue
		}
		rs, err := r.Rejections()
		if err != nil {
			unreadable = append(unreadable, Note{Text: err.Error()})
			continue
		}
		for _, x := range rs {
			rows = append(rows, row{ColumnTitle(*r.Contender), x})
			withSet = withSet || x.Set != ""
		}
	}
	if len(rows) == 0 && len(unreadable) == 0 {
		return nil
	}
	t := Table{ID: "rejected-inputs", Title: title, Notes: unreadable}
	if withSet {
		t.Columns = append(t.Columns, Column{Title: "set"})
	}
	t.Columns = append(t.Columns, Column{Title: "input"}, Column{Title: "contender"}, Column{Title: "reason", Wide: true})
	for _, x := range rows {
		var cells []Cell
		if withSet {
			cells = append(cells, TextCell(x.Set))
		}
		t.Rows = append(t.Rows, Row{Cells: append(cells, TextCell(x.Input), TextCell(x.contender), TextCell(x.Reason))})
	}
	return []Table{t}
}
