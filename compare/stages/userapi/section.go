package userapi

import (
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/services/cases"
)

// Section renders the conformance table, then the load: a row per contender
// and run (req/s, p50, p99, errors, max stable connections; the
// latency-against-rate runs among the open-model rows), flagged loader-bound
// or not steady where so, with the calibration entry as the reference line
// and wrk's figure beside the builtin loader's; charts of the throughput,
// the latency percentiles, p99 against the offered rate and the search.
func (*Stage) Section(recs []results.Record, _ manifest.File) report.Section {
	every := report.EveryResponse{cases.RuleContentType, cases.RuleErrorBody, cases.RuleAllow, cases.RuleTransport}
	tables := []report.Table{report.Conformance("User API conformance (services/CONTRACT.md)", recs, every)}
	load := report.Measured("HTTP load (server on one CPU, loader on the other)", recs, []report.Metric{
		{Value: "rps", Title: "req/s"}, {Value: "p50", Title: "p50", Lower: true}, {Value: "p99", Title: "p99", Lower: true},
		{Value: "errors", Title: "errors", Lower: true}, {Value: "max_stable_connections", Title: "max stable conn"},
		{Value: "server_cpu", Title: "server CPU"}, {Value: "loader_cpu", Title: "loader CPU"}})
	for i := range load {
		flagRows(&load[i], recs)
	}
	tables = append(append(tables, load...), report.SourceSize(recs)...)
	charts := []report.Chart{
		report.ValueChart("http-throughput", "Requests per second, list mix, closed model (builtin loader)",
			report.Matching(recs, map[string]any{"mix": "list", "model": "closed", "loader": LoaderBuiltin}), report.Metric{Value: "rps", Title: "req/s"}),
		report.CurveChart("http-max-connections", "p99 at each step of the max-stable-connections search (1 req/s per connection)",
			report.Matching(recs, map[string]any{"search": "step"}), report.Metric{Value: "p99", Title: "p99", Lower: true}, "connections"),
	}
	var open []results.Record
	for _, r := range report.Matching(recs, map[string]any{"mix": "list", "model": "open", "loader": LoaderBuiltin}) {
		if r.Config["curve"] == nil && r.Config["search"] == nil {
			open = append(open, r)
		}
	}
	if latency, err := report.LatencyChart("http-latency", "Latency percentiles, list mix, open model (claim-read contenders at one common rate, the others at 80% of their own throughput)", open, nil); err == nil {
		charts = append(charts, latency)
	}
	if curve := report.Matching(recs, map[string]any{"curve": CurveLatencyRate}); len(curve) > 0 {
		charts = append(charts, report.CurveChart("http-latency-rate", "p99 against the offered rate, list mix, open model (20-80% of each server's throughput)",
			curve, report.Metric{Value: "p99", Title: "p99", Lower: true}, "rate"))
	}
	return report.Section{Tables: tables, Charts: charts}
}

// flagRows marks the figures of runs that were loader-bound (the loader's
// limit, not the server's) or whose warm-up did not reach a steady rate.
func flagRows(t *report.Table, recs []results.Record) {
	byRow := map[string]results.Record{}
	for _, r := range recs {
		if r.Step == results.StepMeasure && r.Contender != nil {
			byRow[report.ColumnTitle(*r.Contender)+"|"+report.ConfigString(r.Config)] = r
		}
	}
	contender, config := 1, 2
	if len(t.Columns) > 0 && t.Columns[0].Title == "contender" {
		contender, config = 0, 1
	}
	for i, row := range t.Rows {
		r, ok := byRow[row.Cells[contender].Text+"|"+row.Cells[config].Text]
		if !ok {
			continue
		}
		var f report.Flags
		if v, ok := r.Value("loader_bound"); ok && len(v.Samples) > 0 && v.Samples[0] == 1 {
			f |= report.LoaderBound
		}
		if v, ok := r.Value("steady"); ok && len(v.Samples) > 0 && v.Samples[0] == 0 {
			f |= report.NotSteady
		}
		for j := config + 1; j < len(row.Cells); j++ {
			if row.Cells[j].Figure != nil {
				t.Rows[i].Cells[j].Flags |= f
			}
		}
	}
}
