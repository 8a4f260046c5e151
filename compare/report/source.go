package report

import (
	"strconv"

	"github.com/tribench/tribench/compare/results"
)

// SourceSize is the table of each contender's own source size, from its
// verify record: files, lines and gzip bytes. No record with the values
// gives no table.
func SourceSize(recs []results.Record) []Table {
	t := Table{ID: "source-size", Title: "Source size (the contender's own files, libraries excluded; gzip: each file gzipped at the default level, summed)",
		Columns: []Column{{Title: "contender"}, {Title: "files", Right: true}, {Title: "lines", Right: true}, {Title: "gzip bytes", Right: true}}}
	for _, r := range recs {
		if r.Kind != results.KindResult || r.Step != results.StepVerify || r.Contender == nil {
			continue
		}
		if _, ok := r.Value(results.SourceGzipBytes); !ok {
			continue
		}
		// Exact counts, as the Benchmarks Game prints them: a scaled "4.5 KiB"
		// would hide differences of a few hundred bytes.
		row := Row{Cells: []Cell{TextCell(ColumnTitle(*r.Contender))}}
		for _, name := range []string{results.SourceFiles, results.SourceLines, results.SourceGzipBytes} {
			v, ok := r.Value(name)
			if !ok || len(v.Samples) == 0 {
				row.Cells = append(row.Cells, TextCell("-"))
				continue
			}
			row.Cells = append(row.Cells, TextCell(strconv.FormatFloat(v.Samples[0], 'f', 0, 64)))
		}
		t.Rows = append(t.Rows, row)
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return []Table{t}
}
