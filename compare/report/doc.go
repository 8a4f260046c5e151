// Package report turns a results stream into a document of tables and charts
// and writes it through small exporters, one file per format (terminal text,
// Markdown, HTML), as hyperfine does. The table model is format-neutral: a
// cell carries a value, its unit, its interval or range and flags (failed the
// oracle, loader-bound, not steady, unavailable, indicative); exporters only
// render it. So is the chart model: bars, grouped bars or lines of named
// points in base units, each with its interval; the HTML exporter draws them
// with ECharts inlined into one self-contained page, the others leave them
// out. Stages build their tables and charts from records; the report can be
// rebuilt from any old results.jsonl.
package report
