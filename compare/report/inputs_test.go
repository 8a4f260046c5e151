package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
)

func verifyRecord(name, kind string, attach []results.Attach, values ...results.Value) results.Record {
	return results.Record{Kind: results.KindResult, Step: results.StepVerify, Status: results.StatusOK,
		Contender: &results.Contender{Name: name, Kind: kind}, Attach: attach, Values: values}
}

func texts(r Row) []string {
	var out []string
	for _, c := range r.Cells {
		out = append(out, c.Text)
	}
	return out
}

// The rejected-inputs table: a row per rejection and contender, a set column
// only where a stage names sets, no table where nothing was rejected, and an
// unreadable attachment said in a note rather than dropped.
func TestRejected(t *testing.T) {
	t.Parallel()
	bad := results.Attach{Name: results.AttachRejected, Media: "application/json", Data: []byte(`{"not": "a list"}`)}
	tests := []struct {
		name    string
		recs    []results.Record
		columns []string
		rows    [][]string
		notes   int
	}{
		{name: "nothing rejected", recs: []results.Record{verifyRecord("a", "canonical", nil)}},
		{name: "with sets", recs: []results.Record{
			verifyRecord("a", "canonical", []results.Attach{results.RejectedAttach([]results.Rejection{
				{Set: "bad inputs", Input: "empty.jpg", Reason: "corrupt: EOF"}, {Set: "bad inputs", Input: "x.webp", Reason: "unsupported: .webp"}})}),
			verifyRecord("b", "article", []results.Attach{results.RejectedAttach([]results.Rejection{{Set: "bad inputs", Input: "empty.jpg", Reason: "corrupt: cannot identify"}})}),
			{Kind: results.KindResult, Step: results.StepMeasure, Contender: &results.Contender{Name: "a"},
				Attach: []results.Attach{results.RejectedAttach([]results.Rejection{{Input: "measured.jpg", Reason: "not listed"}})}},
		},
			columns: []string{"set", "input", "contender", "reason"},
			rows: [][]string{{"bad inputs", "empty.jpg", "a", "corrupt: EOF"}, {"bad inputs", "x.webp", "a", "unsupported: .webp"},
				{"bad inputs", "empty.jpg", "b (article)", "corrupt: cannot identify"}}},
		{name: "without sets", recs: []results.Record{verifyRecord("a", "canonical", []results.Attach{results.RejectedAttach([]results.Rejection{{Input: "doc.json", Reason: "EOF"}})})},
			columns: []string{"input", "contender", "reason"}, rows: [][]string{{"doc.json", "a", "EOF"}}},
		{name: "unreadable", recs: []results.Record{verifyRecord("a", "canonical", []results.Attach{bad})},
			columns: []string{"input", "contender", "reason"}, notes: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tables := Rejected("Rejected", tt.recs)
			if tt.columns == nil {
				assert.Empty(t, tables)
				return
			}
			require.Len(t, tables, 1)
			var cols []string
			for _, c := range tables[0].Columns {
				cols = append(cols, c.Title)
			}
			assert.Equal(t, tt.columns, cols)
			var rows [][]string
			for _, r := range tables[0].Rows {
				rows = append(rows, texts(r))
			}
			assert.Equal(t, tt.rows, rows)
			assert.Len(t, tables[0].Notes, tt.notes)
		})
	}
}

// The source-size table reads the verify records' values, exact counts; a
// record without them (a run before sources were declared) adds no row.
func TestSourceSize(t *testing.T) {
	t.Parallel()
	one := func(name string, v float64) results.Value {
		return results.Value{Name: name, Samples: []float64{v}, Source: "outside"}
	}
	tests := []struct {
		name string
		recs []results.Record
		rows [][]string
	}{
		{name: "no values", recs: []results.Record{verifyRecord("a", "canonical", nil)}},
		{name: "values", recs: []results.Record{
			verifyRecord("a", "canonical", nil, one(results.SourceFiles, 3), one(results.SourceLines, 1234), one(results.SourceGzipBytes, 45678)),
			verifyRecord("old", "canonical", nil),
			verifyRecord("b", "article", nil, one(results.SourceGzipBytes, 900)),
		}, rows: [][]string{{"a", "3", "1234", "45678"}, {"b (article)", "-", "-", "900"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tables := SourceSize(tt.recs)
			if tt.rows == nil {
				assert.Empty(t, tables)
				return
			}
			require.Len(t, tables, 1)
			var rows [][]string
			for _, r := range tables[0].Rows {
				rows = append(rows, texts(r))
			}
			assert.Equal(t, tt.rows, rows)
		})
	}
}
