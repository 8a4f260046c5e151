// Package history is the run history: an index of every results folder in
// an embedded SQLite database (results/history.db, modernc.org/sqlite, pure
// Go), its queries (a figure across runs, grouped by machine), a run's
// comparison with a baseline run by the rules of package diff, and the
// trends a report shows.
//
// results.jsonl stays the record: the index is rebuilt from the folders by
// Reindex, so deleting it loses nothing, and a database of another schema
// version is rebuilt when opened. Each run is added in one transaction on
// a database in WAL mode with a busy timeout, so two tribench processes
// adding runs at once neither corrupt it nor lose a run.
package history
