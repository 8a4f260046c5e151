// Package report turns a results stream into a document of tables and writes
// it through small exporters, one file per format (terminal text, Markdown),
// as hyperfine does. The table model is format-neutral: a cell carries a value,
// its unit, its interval or range and flags (failed the oracle, loader-bound,
// not steady, unavailable, indicative); exporters only render it. Stages build
// their tables from records; the report can be rebuilt from any old
// results.jsonl.
package report
