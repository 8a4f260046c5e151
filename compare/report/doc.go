// Package report turns a results stream into tables and writes them through
// small exporters, one file per format (terminal text, Markdown). Collect the
// records, derive a table, write it: the report can be rebuilt from any old
// results.jsonl.
package report
