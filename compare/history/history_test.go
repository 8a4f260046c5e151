package history

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestMain doubles as a writer process for TestTwoProcessesAddRuns: with
// HISTORY_TEST_INDEX set it adds the folders named in HISTORY_TEST_DIRS.
func TestMain(m *testing.M) {
	if path := os.Getenv("HISTORY_TEST_INDEX"); path != "" {
		os.Exit(addAll(path, strings.Split(os.Getenv("HISTORY_TEST_DIRS"), ",")))
	}
	os.Exit(m.Run())
}

func addAll(path string, dirs []string) int {
	ctx := context.Background()
	ix, _, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer ix.Close()
	for _, d := range dirs {
		if _, err := ix.Add(ctx, d); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

var (
	machineA = map[string]string{"cpu": "AMD EPYC x 2", "kernel": "Linux 6.1", "memory": "7.8 GiB"}
	machineB = map[string]string{"cpu": "Intel Xeon x 4", "kernel": "Linux 6.1", "memory": "15.6 GiB"}
	t0       = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
)

// A fakeRun is a synthetic results folder: an http stage's throughput and
// latency of two contenders, and one verdict.
type fakeRun struct {
	name     string
	at       time.Time
	env      map[string]string
	profile  string
	commit   string
	dirty    bool
	rps      map[string][]float64 // per contender
	p99      []float64            // go-current's
	outcome  string
	extra    string // a raw line appended to results.jsonl
	noRecord bool
}

func (f fakeRun) write(t *testing.T, root string) string {
	t.Helper()
	dir := filepath.Join(root, f.name)
	w, err := results.Create(dir)
	require.NoError(t, err)
	profile := f.profile
	if profile == "" {
		profile = "quick"
	}
	if !f.noRecord {
		require.NoError(t, w.Add(results.Record{Kind: results.KindRun, Time: f.at, Command: []string{"tribench", "http"}, Profile: profile,
			Env: f.env, Project: &results.Project{Commit: f.commit, Dirty: f.dirty}}))
	}
	config := map[string]any{"connections": 64, "mix": "list"}
	for _, c := range []string{"go-current", "python-3.13"} {
		samples, ok := f.rps[c]
		if !ok {
			continue
		}
		rec := results.Record{Kind: results.KindResult, Time: f.at.Add(time.Minute), Stage: "http", Workload: "services", Step: results.StepMeasure,
			Contender: &results.Contender{Name: c}, Config: config, Status: results.StatusOK,
			Values: []results.Value{{Name: "rps", Unit: "req/s", Samples: samples, Warmup: []float64{samples[0] / 2}}}}
		if c == "go-current" && f.p99 != nil {
			rec.Values = append(rec.Values, results.Value{Name: "p99", Unit: "s", Samples: f.p99})
		}
		require.NoError(t, w.Add(rec))
	}
	require.NoError(t, w.Add(results.Record{Kind: results.KindStage, Time: f.at.Add(2 * time.Minute), Stage: "http", Status: results.StatusOK}))
	if f.outcome != "" {
		require.NoError(t, w.Add(results.Record{Kind: results.KindVerdict, Time: f.at.Add(2 * time.Minute), Stage: "http",
			Verdict: &results.Verdict{Claim: "http-throughput", Row: "HTTP throughput", Rule: "ratio", Side: "Go/Python", Outcome: f.outcome,
				Reason: "synthetic", Figures: []results.Figure{{What: "paired Go/Python ratio", Unit: "x", Center: 3, Lo: 2.5, Hi: 3.5, N: 3}}}}))
	}
	require.NoError(t, w.Close())
	if f.extra != "" {
		file, err := os.OpenFile(filepath.Join(dir, results.FileName), os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = file.WriteString(f.extra + "\n")
		require.NoError(t, err)
		require.NoError(t, file.Close())
	}
	return dir
}

func openIndex(t *testing.T, root string) *Index {
	t.Helper()
	ix, warnings, err := Open(context.Background(), filepath.Join(root, FileName))
	require.NoError(t, err)
	assert.Empty(t, warnings)
	t.Cleanup(func() { ix.Close() })
	return ix
}

// dump is the index's content without its row ids, which depend on the
// order runs were added in.
func dump(t *testing.T, ix *Index) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT dir, started, command, profile, schema, git_commit, git_dirty, machine, cpu, kernel, memory, status FROM runs ORDER BY dir`,
		`SELECT r.dir, e.key, e.value FROM env e JOIN runs r ON r.id = e.run_id ORDER BY r.dir, e.key`,
		`SELECT r.dir, res.seq, res.stage, res.step, res.contender, res.config, res.status, m.seq, m.name, m.unit, s.seq, s.round, s.value, s.warmup, s.disturbed
			FROM samples s JOIN measures m ON m.id = s.measure_id JOIN results res ON res.id = m.result_id JOIN runs r ON r.id = res.run_id
			ORDER BY r.dir, res.seq, m.seq, s.seq`,
		`SELECT r.dir, v.seq, v.claim, v.rule, v.side, v.outcome, f.seq, f.what, f.center, f.lo, f.hi, f.n
			FROM figures f JOIN verdicts v ON v.id = f.verdict_id JOIN runs r ON r.id = v.run_id ORDER BY r.dir, v.seq, f.seq`,
	} {
		rows, err := ix.db.Query(q)
		require.NoError(t, err)
		cols, err := rows.Columns()
		require.NoError(t, err)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			fmt.Fprintln(&b, vals...)
		}
		require.NoError(t, rows.Err())
		rows.Close()
	}
	return b.String()
}

func TestIndexRebuiltIdentically(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := t.TempDir()
	good := fakeRun{name: "run1", at: t0, env: machineA, commit: "c1", rps: map[string][]float64{"go-current": {100, 101, 99}}, outcome: "consistent"}.write(t, root)
	damaged := fakeRun{name: "run2", at: t0.Add(time.Hour), env: machineA, commit: "c2", dirty: true,
		rps: map[string][]float64{"go-current": {102, 100, 101}, "python-3.13": {30, 31, 29}}, extra: `{"kind": "result", "stage":`}.write(t, root)
	headless := fakeRun{name: "run3", at: t0.Add(2 * time.Hour), env: machineA, noRecord: true, rps: map[string][]float64{"go-current": {1, 2, 3}}}.write(t, root)
	require.NoError(t, os.WriteFile(filepath.Join(root, "notes.txt"), []byte("not a run"), 0o644))

	ix := openIndex(t, root)
	warnings, err := ix.Add(ctx, good)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	warnings, err = ix.Add(ctx, damaged)
	require.NoError(t, err)
	require.Len(t, warnings, 1)
	assert.Contains(t, warnings[0], damaged+": skipped results line 5:", "the folder and the line are named")
	_, err = ix.Add(ctx, headless)
	assert.ErrorContains(t, err, headless+": no run record")
	_, err = ix.Add(ctx, good)
	require.NoError(t, err, "adding a run again replaces it")
	built := dump(t, ix)
	var runs int
	require.NoError(t, ix.db.QueryRow("SELECT COUNT(*) FROM runs").Scan(&runs))
	assert.Equal(t, 2, runs, "the folder without a run record is not indexed")
	assert.Contains(t, built, "run2 2026-12-01T11:00:00.000000000Z tribench http quick 2 c2 1")

	warnings, err = ix.Reindex(ctx)
	require.NoError(t, err)
	assert.Equal(t, built, dump(t, ix), "reindexed identically")
	require.Len(t, warnings, 2)
	assert.Contains(t, warnings[0], "run2: skipped results line 5")
	assert.Contains(t, warnings[1], "skipped: run history: "+headless)

	require.NoError(t, ix.Close())
	require.NoError(t, os.Remove(filepath.Join(root, FileName)))
	fresh := openIndex(t, root)
	_, err = fresh.Reindex(ctx)
	require.NoError(t, err)
	assert.Equal(t, built, dump(t, fresh), "a deleted index loses nothing")
}

func TestOtherSchemaVersionIsRebuilt(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := fakeRun{name: "run1", at: t0, env: machineA, rps: map[string][]float64{"go-current": {100, 101, 99}}}.write(t, root)
	path := filepath.Join(root, FileName)
	// A database of a future version, with a table this version does not know.
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec("CREATE TABLE runs (id INTEGER PRIMARY KEY, other TEXT); PRAGMA user_version = 99")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	ix, warnings, err := Open(context.Background(), path)
	require.NoError(t, err)
	defer ix.Close()
	assert.Empty(t, warnings)
	var version, runs int
	require.NoError(t, ix.db.QueryRow("PRAGMA user_version").Scan(&version))
	require.NoError(t, ix.db.QueryRow("SELECT COUNT(*) FROM runs").Scan(&runs))
	assert.Equal(t, SchemaVersion, version)
	assert.Equal(t, 1, runs, "the runs come back from %s", dir)
	var mode string
	require.NoError(t, ix.db.QueryRow("PRAGMA journal_mode").Scan(&mode))
	assert.Equal(t, "wal", mode)
}

// Two processes add runs to one index at once: both writers' runs are there.
func TestTwoProcessesAddRuns(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	var batches [2][]string
	for i := 0; i < 8; i++ {
		dir := fakeRun{name: fmt.Sprintf("run%d", i), at: t0.Add(time.Duration(i) * time.Minute), env: machineA,
			rps: map[string][]float64{"go-current": {100, 101, 99}, "python-3.13": {30, 31, 29}}, outcome: "consistent"}.write(t, root)
		batches[i%2] = append(batches[i%2], dir)
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	path := filepath.Join(root, FileName)
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, 2)
	errs := make([]error, 2)
	for i := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, exe, "-test.run=^$")
			cmd.Env = append(os.Environ(), "HISTORY_TEST_INDEX="+path, "HISTORY_TEST_DIRS="+strings.Join(batches[i], ","))
			cmd.Stderr = &outs[i]
			errs[i] = cmd.Run()
		}()
	}
	wg.Wait()
	for i := range errs {
		require.NoError(t, errs[i], outs[i].String())
	}
	ix := openIndex(t, root)
	var runs, verdicts int
	require.NoError(t, ix.db.QueryRow("SELECT COUNT(*) FROM runs").Scan(&runs))
	require.NoError(t, ix.db.QueryRow("SELECT COUNT(*) FROM verdicts").Scan(&verdicts))
	assert.Equal(t, 8, runs)
	assert.Equal(t, 8, verdicts, "each run whole")
	var check string
	require.NoError(t, ix.db.QueryRow("PRAGMA integrity_check").Scan(&check))
	assert.Equal(t, "ok", check)
}

func historyFixture(t *testing.T) *Index {
	t.Helper()
	root := t.TempDir()
	runs := []fakeRun{
		{name: "20261201T100000Z", at: t0, env: machineA, commit: "1111111111111111", rps: map[string][]float64{"go-current": {100, 102, 98}, "python-3.13": {30, 31, 29}}, p99: []float64{0.01, 0.012, 0.011}},
		{name: "20261202T100000Z", at: t0.Add(24 * time.Hour), env: machineB, commit: "2222222222222222", rps: map[string][]float64{"go-current": {200, 201, 199, 202, 198, 200}}},
		{name: "20261203T100000Z", at: t0.Add(48 * time.Hour), env: machineA, commit: "3333333333333333", dirty: true, rps: map[string][]float64{"go-current": {120, 121, 119}, "python-3.13": {30, 30, 31}}, p99: []float64{0.009, 0.01, 0.0095}},
		{name: "20261204T100000Z", at: t0.Add(72 * time.Hour), env: machineA, commit: "4444444444444444", rps: map[string][]float64{"go-current": {110, 111, 109}}},
	}
	ix := openIndex(t, root)
	for _, r := range runs {
		_, err := ix.Add(context.Background(), r.write(t, root))
		require.NoError(t, err)
	}
	return ix
}

func TestHistoryGolden(t *testing.T) {
	t.Parallel()
	ix := historyFixture(t)
	groups, err := ix.History(context.Background(), Filter{Stage: "http", Only: "go-*"})
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, groups, true))
	golden(t, "history.txt", b.Bytes())

	groups, err = ix.History(context.Background(), Filter{})
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, WriteText(&b, groups, false))
	golden(t, "history-figures.txt", b.Bytes())
}

func TestHistoryFilters(t *testing.T) {
	t.Parallel()
	ix := historyFixture(t)
	tests := []struct {
		name   string
		filter Filter
		// want is per group: "machine-id series-count runs"
		want []string
	}{
		{"everything", Filter{}, []string{Machine{"AMD EPYC x 2", "Linux 6.1", "7.8 GiB"}.ID() + " 3 3", Machine{"Intel Xeon x 4", "Linux 6.1", "15.6 GiB"}.ID() + " 1 1"}},
		{"one metric", Filter{Metric: "p99"}, []string{Machine{"AMD EPYC x 2", "Linux 6.1", "7.8 GiB"}.ID() + " 1 2"}},
		{"since", Filter{Since: t0.Add(36 * time.Hour)}, []string{Machine{"AMD EPYC x 2", "Linux 6.1", "7.8 GiB"}.ID() + " 3 2"}},
		{"only python", Filter{Only: "python-*,kotlin-*"}, []string{Machine{"AMD EPYC x 2", "Linux 6.1", "7.8 GiB"}.ID() + " 1 2"}},
		{"another stage", Filter{Stage: "resize"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups, err := ix.History(context.Background(), tt.filter)
			require.NoError(t, err)
			var got []string
			for _, g := range groups {
				got = append(got, fmt.Sprintf("%s %d %d", g.ID, len(g.Series), g.Runs))
			}
			assert.Equal(t, tt.want, got)
		})
	}
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, nil))
	assert.Equal(t, "null\n", b.String())
	assert.Error(t, CheckOnly("go-["))
}

func TestSparkline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []float64
		want string
	}{
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8}, "▁▂▃▄▅▆▇█"},
		{[]float64{5, 5}, "▅▅"},
		{[]float64{1, nan(), 3}, "▁ █"},
		{nil, ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Sparkline(tt.in))
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test -update writes it")
	assert.Equal(t, string(want), string(got), "differs from %s (go test -update rewrites it)", path)
}
