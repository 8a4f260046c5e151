// Package results is the harness's results store: a stream of generic JSON
// records, one per line of results.jsonl, appended and flushed as each result
// is known, so a crash loses nothing already measured and a report can be
// rebuilt from the file. A record holds a stage's result for one contender in
// one configuration: its oracle checks and its values, with units in base units
// and every round's sample. SCHEMA.md documents the format field by field.
package results
