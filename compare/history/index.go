package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	// The pure-Go SQLite driver: no cgo, so the harness builds where Go does.
	_ "modernc.org/sqlite"

	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
)

// FileName is the index's name inside the folder of results folders.
const FileName = "history.db"

// SchemaVersion is the version of the index's tables, kept in the
// database's user_version; a database of another version is rebuilt.
const SchemaVersion = 1

// busyTimeout is how long a writer waits for another's transaction: adding
// a run takes well under a second.
const busyTimeout = 30 * time.Second

// timeLayout stores times as fixed-width UTC text, which sorts as time does.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// Path is the index of the results folder dir: history.db in the folder
// holding it (results/history.db for results/<timestamp>).
func Path(dir string) string { return filepath.Join(filepath.Dir(filepath.Clean(dir)), FileName) }

// An Index is an open run history.
type Index struct {
	db *sql.DB
	// root is the folder of results folders; runs are named relative to it.
	root string
}

var schema = []string{
	`CREATE TABLE runs (id INTEGER PRIMARY KEY, dir TEXT NOT NULL UNIQUE, started TEXT NOT NULL,
		command TEXT NOT NULL, profile TEXT NOT NULL, schema INTEGER NOT NULL,
		git_commit TEXT NOT NULL, git_dirty INTEGER NOT NULL,
		machine TEXT NOT NULL, cpu TEXT NOT NULL, kernel TEXT NOT NULL, memory TEXT NOT NULL,
		status TEXT NOT NULL)`,
	`CREATE TABLE env (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (run_id, key))`,
	`CREATE TABLE results (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, stage TEXT NOT NULL, workload TEXT NOT NULL, step TEXT NOT NULL,
		contender TEXT NOT NULL, config TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL)`,
	`CREATE TABLE checks (result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, rule TEXT NOT NULL,
		pass INTEGER NOT NULL, detail TEXT NOT NULL)`,
	`CREATE TABLE measures (id INTEGER PRIMARY KEY, result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, name TEXT NOT NULL, unit TEXT NOT NULL, source TEXT NOT NULL)`,
	`CREATE TABLE samples (measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, round INTEGER NOT NULL, value REAL NOT NULL,
		warmup INTEGER NOT NULL, disturbed INTEGER NOT NULL)`,
	`CREATE TABLE verdicts (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, stage TEXT NOT NULL, claim TEXT NOT NULL, row TEXT NOT NULL, rule TEXT NOT NULL,
		side TEXT NOT NULL, outcome TEXT NOT NULL, indicative INTEGER NOT NULL, disturbed INTEGER NOT NULL,
		reason TEXT NOT NULL)`,
	`CREATE TABLE figures (verdict_id INTEGER NOT NULL REFERENCES verdicts(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, what TEXT NOT NULL, value TEXT NOT NULL, unit TEXT NOT NULL,
		center REAL NOT NULL, lo REAL NOT NULL, hi REAL NOT NULL, n INTEGER NOT NULL)`,
	`CREATE INDEX results_run ON results(run_id)`,
	`CREATE INDEX measures_result ON measures(result_id)`,
	`CREATE INDEX samples_measure ON samples(measure_id)`,
	`CREATE INDEX verdicts_run ON verdicts(run_id)`,
	`CREATE INDEX runs_machine ON runs(machine, started)`,
}

// tables lists every table of any version, dropped before a rebuild.
var tables = []string{"figures", "verdicts", "samples", "measures", "checks", "results", "env", "runs"}

// Open opens the index at path (see Path), creating it when missing. A
// database of another schema version is rebuilt from the results folders
// beside it, each folder that cannot be read named in the warnings.
func Open(ctx context.Context, path string) (*Index, []string, error) {
	return open(ctx, path, true)
}

// OpenExisting opens the index at path only when it exists; (nil, nil, nil)
// when it does not, so a report never creates one.
func OpenExisting(ctx context.Context, path string) (*Index, []string, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	return open(ctx, path, false)
}

func open(ctx context.Context, path string, create bool) (*Index, []string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, fmt.Errorf("run history %s: %w", path, err)
	}
	q := url.Values{}
	// busy_timeout first, so the switch to WAL waits for another process too.
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// A writer takes the write lock when its transaction begins, so two
	// writers queue on the busy timeout instead of failing on an upgrade.
	q.Set("_txlock", "immediate")
	if !create {
		q.Set("mode", "rw")
	}
	db, err := sql.Open("sqlite", "file:"+abs+"?"+q.Encode())
	if err != nil {
		return nil, nil, fmt.Errorf("run history %s: %w", path, err)
	}
	// One connection: this process's writers queue here, not on the lock.
	db.SetMaxOpenConns(1)
	ix := &Index{db: db, root: filepath.Dir(abs)}
	rebuilt, err := ix.migrate(ctx)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("run history %s: %w", path, err)
	}
	var warnings []string
	if rebuilt {
		if warnings, err = ix.Reindex(ctx); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	return ix, warnings, nil
}

// migrate creates the tables, or drops and creates them when the database
// holds another version; it reports whether the index must be filled anew.
func (ix *Index) migrate(ctx context.Context) (rebuilt bool, err error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if version == SchemaVersion {
		return false, nil
	}
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return false, fmt.Errorf("drop %s: %w", t, err)
		}
	}
	for _, stmt := range schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return false, fmt.Errorf("create tables: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion)); err != nil {
		return false, fmt.Errorf("write schema version: %w", err)
	}
	// A new database needs no reindex when it is made for a run being added;
	// one of an older version held runs that must come back.
	return version != 0, tx.Commit()
}

// Close closes the database.
func (ix *Index) Close() error { return ix.db.Close() }

// name is how the index names the results folder dir: relative to the
// folder of results folders when inside it, else absolute.
func (ix *Index) name(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if rel, err := filepath.Rel(ix.root, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel), nil
	}
	return abs, nil
}

// Add indexes the results folder dir in one transaction, replacing what the
// index held of it. A line of results.jsonl that cannot be read is skipped
// and named in the warnings; a folder with no run record is an error.
func (ix *Index) Add(ctx context.Context, dir string) ([]string, error) {
	name, err := ix.name(dir)
	if err != nil {
		return nil, fmt.Errorf("run history: %s: %w", dir, err)
	}
	recs, readErr := results.Read(filepath.Join(dir, results.FileName))
	var warnings []string
	if readErr != nil {
		if len(recs) == 0 {
			return nil, fmt.Errorf("run history: %s: %w", dir, readErr)
		}
		for _, e := range unjoin(readErr) {
			warnings = append(warnings, fmt.Sprintf("%s: skipped %v", dir, e))
		}
	}
	if len(recs) == 0 || recs[0].Kind != results.KindRun {
		return warnings, fmt.Errorf("run history: %s: no run record heads %s", dir, results.FileName)
	}
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return warnings, fmt.Errorf("run history: %s: %w", dir, err)
	}
	defer tx.Rollback()
	if err := insertRun(ctx, tx, name, recs); err != nil {
		return warnings, fmt.Errorf("run history: %s: %w", dir, err)
	}
	if err := tx.Commit(); err != nil {
		return warnings, fmt.Errorf("run history: %s: %w", dir, err)
	}
	return warnings, nil
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Reindex rebuilds the index from every results folder beside it, in name
// order; a folder that cannot be read is skipped and named in the warnings.
func (ix *Index) Reindex(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(ix.root)
	if err != nil {
		return nil, fmt.Errorf("run history: read %s: %w", ix.root, err)
	}
	if _, err := ix.db.ExecContext(ctx, "DELETE FROM runs"); err != nil {
		return nil, fmt.Errorf("run history: clear: %w", err)
	}
	var dirs []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(ix.root, e.Name(), results.FileName)); err == nil && e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	sort.Strings(dirs)
	var warnings []string
	for _, d := range dirs {
		w, err := ix.Add(ctx, filepath.Join(ix.root, d))
		warnings = append(warnings, w...)
		if err != nil {
			if ctx.Err() != nil {
				return warnings, err
			}
			warnings = append(warnings, "skipped: "+err.Error())
		}
	}
	return warnings, nil
}

func insertRun(ctx context.Context, tx *sql.Tx, name string, recs []results.Record) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM runs WHERE dir = ?", name); err != nil {
		return err
	}
	run := recs[0]
	m := MachineOf(run)
	project := results.Project{}
	if run.Project != nil {
		project = *run.Project
	}
	schemaVersion := run.Schema
	if schemaVersion == 0 {
		schemaVersion = 1
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO runs (dir, started, command, profile, schema, git_commit, git_dirty,
		machine, cpu, kernel, memory, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		name, run.Time.UTC().Format(timeLayout), strings.Join(run.Command, " "), run.Profile, schemaVersion,
		project.Commit, project.Dirty, m.ID(), m.CPU, m.Kernel, m.Memory, runStatus(recs))
	if err != nil {
		return fmt.Errorf("add run: %w", err)
	}
	runID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for k, v := range run.Env {
		if _, err := tx.ExecContext(ctx, "INSERT INTO env (run_id, key, value) VALUES (?, ?, ?)", runID, k, v); err != nil {
			return fmt.Errorf("add environment: %w", err)
		}
	}
	for seq, r := range recs {
		switch {
		case r.Kind == results.KindResult:
			if err := insertResult(ctx, tx, runID, seq, r); err != nil {
				return err
			}
		case r.Kind == results.KindVerdict && r.Verdict != nil:
			if err := insertVerdict(ctx, tx, runID, seq, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// runStatus is "ok" when every stage ended ok, else the first other status
// of a stage record ("interrupted", "budget", ...), or "incomplete" when no
// stage record closed the run (a crash).
func runStatus(recs []results.Record) string {
	status := "incomplete"
	for _, r := range recs {
		if r.Kind != results.KindStage {
			continue
		}
		if r.Status != results.StatusOK {
			return r.Status
		}
		status = results.StatusOK
	}
	return status
}

func insertResult(ctx context.Context, tx *sql.Tx, runID int64, seq int, r results.Record) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO results (run_id, seq, stage, workload, step, contender, config, status, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, runID, seq, r.Stage, r.Workload, r.Step, r.ContenderName(),
		report.ConfigString(r.Config), r.Status, r.Reason)
	if err != nil {
		return fmt.Errorf("add result: %w", err)
	}
	resultID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for i, c := range r.Checks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO checks (result_id, seq, name, kind, rule, pass, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			resultID, i, c.Name, c.Kind, c.Rule, c.Pass, c.Detail); err != nil {
			return fmt.Errorf("add check: %w", err)
		}
	}
	for i, v := range r.Values {
		res, err := tx.ExecContext(ctx, `INSERT INTO measures (result_id, seq, name, unit, source) VALUES (?, ?, ?, ?, ?)`,
			resultID, i, v.Name, v.Unit, v.Source)
		if err != nil {
			return fmt.Errorf("add value: %w", err)
		}
		measureID, err := res.LastInsertId()
		if err != nil {
			return err
		}
		disturbed := map[int]bool{}
		for _, d := range v.Disturbed {
			disturbed[d] = true
		}
		for j, s := range v.Warmup {
			if _, err := tx.ExecContext(ctx, `INSERT INTO samples (measure_id, seq, round, value, warmup, disturbed) VALUES (?, ?, ?, ?, 1, 0)`,
				measureID, j, -1-j, s); err != nil {
				return fmt.Errorf("add sample: %w", err)
			}
		}
		for j, s := range v.Samples {
			round := v.RoundOf(j)
			if _, err := tx.ExecContext(ctx, `INSERT INTO samples (measure_id, seq, round, value, warmup, disturbed) VALUES (?, ?, ?, ?, 0, ?)`,
				measureID, len(v.Warmup)+j, round, s, disturbed[round]); err != nil {
				return fmt.Errorf("add sample: %w", err)
			}
		}
	}
	return nil
}

func insertVerdict(ctx context.Context, tx *sql.Tx, runID int64, seq int, r results.Record) error {
	v := r.Verdict
	res, err := tx.ExecContext(ctx, `INSERT INTO verdicts (run_id, seq, stage, claim, row, rule, side, outcome, indicative, disturbed, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, runID, seq, r.Stage, v.Claim, v.Row, v.Rule, v.Side, v.Outcome,
		v.Indicative, v.Disturbed, v.Reason)
	if err != nil {
		return fmt.Errorf("add verdict: %w", err)
	}
	verdictID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for i, f := range v.Figures {
		if _, err := tx.ExecContext(ctx, `INSERT INTO figures (verdict_id, seq, what, value, unit, center, lo, hi, n)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, verdictID, i, f.What, f.Value, f.Unit, f.Center, f.Lo, f.Hi, f.N); err != nil {
			return fmt.Errorf("add figure: %w", err)
		}
	}
	return nil
}
