package imageproc

import (
	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stats"
)

// Section renders the oracle's checks, the rates with their speed-ups and
// memory, every contender against Pillow on one CPU and on every CPU, every
// input a contender rejected, and each one's source size.
func (*Resize) Section(recs []results.Record, m manifest.File) report.Section {
	tables := []report.Table{report.Conformance("Every contender against the Go reference (compare/imagecheck)", recs, nil)}
	tables = append(tables, report.Measured("Images per second, 1 worker on one CPU and a worker per core on every CPU", recs, []report.Metric{
		{Value: valueImages, Title: "images/s"}, {Value: valueMegapixels, Title: "Mpx/s"}, {Value: valueSpeedup, Title: "speed-up"},
		{Value: valueOutputBytes, Title: "output", Lower: true}, {Value: batch.PeakRSS, Title: "peak RSS", Lower: true}})...)
	tables = append(tables, againstBaseline(recs, m.Baseline("resize")))
	tables = append(append(tables, report.Rejected("Rejected inputs: every file a contender refused, with its message", recs)...), report.SourceSize(recs)...)
	return report.Section{Tables: tables, Charts: []report.Chart{
		report.ValueChart("resize-images", "Images per second, 1 worker on one CPU and a worker per core on every CPU", recs,
			report.Metric{Value: valueImages, Title: "images/s"}),
		report.ValueChart("resize-speedup", "Speed-up from one worker on one CPU to a worker per core",
			report.Matching(recs, map[string]any{"cpus": "one vs all"}), report.Metric{Value: valueSpeedup, Title: "speed-up"}),
	}}
}

// againstBaseline is every contender's images/s over the manifest's
// baseline's (Pillow on CPython 3.13 with the GIL) in the same
// configuration, round by round.
func againstBaseline(recs []results.Record, baseline string) report.Table {
	t := report.Table{ID: "resize-against-pillow", Title: "Against Pillow on CPython 3.13 (times its images/s, same CPUs, same rounds)",
		Columns: []report.Column{{Title: "contender"}, {Title: "one CPU", Right: true}, {Title: "every CPU", Right: true}}}
	rate := map[string]results.Value{}
	var names []string
	for _, r := range recs {
		if r.Step != results.StepMeasure || r.Contender == nil {
			continue
		}
		v, ok := r.Value(valueImages)
		if !ok {
			continue
		}
		cpus := r.ConfigText("cpus")
		if _, seen := rate[r.ContenderName()+"/one"]; !seen && cpus == "one" {
			names = append(names, r.ContenderName())
		}
		rate[r.ContenderName()+"/"+cpus] = v
	}
	if baseline == "" {
		t.Notes = []report.Note{{Text: "the manifest names no baseline for the resize stage"}}
		return t
	}
	if _, ok := rate[baseline+"/one"]; !ok {
		t.Notes = []report.Note{{Text: baseline + " was not measured"}}
		return t
	}
	for _, n := range names {
		if n == baseline {
			continue
		}
		row := report.Row{Cells: []report.Cell{report.TextCell(n)}}
		for _, cpus := range []string{"one", "all"} {
			v, ok := rate[n+"/"+cpus]
			base, baseOK := rate[baseline+"/"+cpus]
			if !ok || !baseOK {
				row.Cells = append(row.Cells, report.TextCell("-"))
				continue
			}
			row.Cells = append(row.Cells, report.FigureCell(stats.Ratio(v, base), "x"))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
