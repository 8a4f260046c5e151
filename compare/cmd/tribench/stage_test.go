package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/claims"
	"github.com/tribench/tribench/compare/history"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

func TestMain(m *testing.M) {
	if role := os.Getenv("TRIBENCH_SELFTEST_ROLE"); role != "" {
		selftestRole(role)
	}
	os.Exit(m.Run())
}

// selftestCache makes a TRIBENCH_CACHE holding the test binary as the
// self-test stage's contender.
func selftestCache(t *testing.T) {
	t.Helper()
	cache := t.TempDir()
	exe, err := os.Executable()
	require.NoError(t, err)
	require.NoError(t, os.Symlink(exe, filepath.Join(cache, "selftest")))
	t.Setenv("TRIBENCH_CACHE", cache)
}

func readResults(t *testing.T, dir string) []results.Record {
	t.Helper()
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	return recs
}

func byContender(recs []results.Record, step string) map[string]results.Record {
	out := map[string]results.Record{}
	for _, r := range recs {
		if r.Kind == results.KindResult && r.Step == step {
			out[r.ContenderName()] = r
		}
	}
	return out
}

// A stage registered by a test runs through compare, its records land in
// results.jsonl, and report re-renders them: no edit of compare.go.
func TestCompareRunsARegisteredStage(t *testing.T) {
	selftestCache(t)
	dir := filepath.Join(t.TempDir(), "run")
	var out, stderr bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &stderr,
		[]string{"compare", "--workloads", "selftest", "--profile", "smoke", "--results", dir, "--verbose"}))

	recs := readResults(t, dir)
	assert.Equal(t, results.KindRun, recs[0].Kind)
	// The system check speaks first: its warnings, recorded right after the
	// run record, or that the system is quiet.
	var checked []string
	for _, r := range recs[1:] {
		if r.Kind != results.KindWarning || !strings.HasPrefix(r.Reason, "system check: ") {
			break
		}
		checked = append(checked, r.Reason)
		assert.Contains(t, stderr.String(), r.Reason+"\n")
	}
	if len(checked) == 0 {
		assert.Contains(t, stderr.String(), "system check: quiet\n")
	}
	assert.Contains(t, recs[0].CPUs, "contenders on CPU")
	verify := byContender(recs, results.StepVerify)
	require.Len(t, verify, 4)
	assert.True(t, verify["go-fast"].Passed())
	assert.False(t, verify["python-wrong"].Passed(), "a wrong answer fails the oracle")
	assert.Equal(t, results.StatusFailed, verify["kotlin-crash"].Status)
	assert.Equal(t, "could not run (exit 2): work: cannot open the input", verify["kotlin-crash"].Reason)
	assert.Equal(t, results.StatusUnavailable, verify["kotlin-absent"].Status)

	measure := byContender(recs, results.StepMeasure)
	require.Len(t, measure, 2, "the crashed and the absent contender are not measured; the wrong one is")
	fast, ok := measure["go-fast"].Value("seconds")
	require.True(t, ok)
	assert.Len(t, fast.Samples, 3)
	assert.Len(t, fast.Warmup, 1, "warm-up rounds are kept apart")
	wall, ok := measure["python-wrong"].Value("wall")
	require.True(t, ok)
	assert.Greater(t, wall.Samples[0], 0.03, "outside figures for every run")
	last := recs[len(recs)-1]
	assert.Equal(t, results.KindStage, last.Kind)
	assert.Equal(t, results.StatusOK, last.Status)

	assert.Contains(t, out.String(), "python-wrong: FAILS the oracle, not ranked")
	assert.Contains(t, out.String(), "(F = fails the oracle")
	assert.Contains(t, out.String(), "kotlin-absent unavailable: missing")
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "## Self-test stage")

	var again bytes.Buffer
	require.NoError(t, run(context.Background(), &again, &bytes.Buffer{}, []string{"report", "--verbose", dir}))
	assert.Equal(t, out.String(), again.String(), "report re-renders exactly what compare printed")
	var screen bytes.Buffer
	require.NoError(t, run(context.Background(), &screen, &bytes.Buffer{}, []string{"report", dir}))
	assert.NotContains(t, screen.String(), "HTTP throughput", "the screen names only the claims of the stages that ran")
	assert.Contains(t, screen.String(), "warnings: ")
	assert.Contains(t, stderr.String(), "selftest: started, budget 1m0s\n", "a line per stage in a pipe")
	assert.Contains(t, stderr.String(), "go-fast verified: measured next\n")
	assert.Contains(t, stderr.String(), "python-wrong fails the oracle (1 of 1 checks): measured next, not ranked\n",
		"a contender failing its oracle is not called verified")
}

func TestStageCommandStopsAtItsBudget(t *testing.T) {
	selftestCache(t)
	dir := filepath.Join(t.TempDir(), "run")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{},
		[]string{"selftest", "--profile", "smoke", "--budget", "1ns", "--only", "go-*", "--json", "--results", dir}))
	var last results.Record
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &last), "--json prints records, not tables")
	assert.Equal(t, results.KindStage, last.Kind)
	assert.Equal(t, results.StatusBudget, last.Status)
	assert.Contains(t, last.Reason, "time budget spent before go-fast warm-up round 1 (0 of 4 runs done)")
	measure := byContender(readResults(t, dir), results.StepMeasure)
	require.Len(t, measure, 1, "--only go-* selects one contender")
	assert.Equal(t, results.StatusBudget, measure["go-fast"].Status)
}

func TestInterruptStillWritesTheReport(t *testing.T) {
	selftestCache(t)
	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once the first verify record is on disk: mid-run, as Ctrl-C would.
		for ctx.Err() == nil {
			if b, err := os.ReadFile(filepath.Join(dir, results.FileName)); err == nil && bytes.Contains(b, []byte(`"step":"verify"`)) {
				cancel()
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	err := run(ctx, &bytes.Buffer{}, &bytes.Buffer{}, []string{"compare", "--workloads", "selftest", "--profile", "smoke", "--results", dir})
	cancel()
	require.ErrorIs(t, err, stage.ErrInterrupted)
	recs := readResults(t, dir)
	assert.Equal(t, results.StatusInterrupted, recs[len(recs)-1].Status)
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err, "report.md is written for what finished")
	assert.Contains(t, string(md), "stage interrupted")

	// The run joined the history with what finished, after Ctrl-C.
	db, err := sql.Open("sqlite", filepath.Join(filepath.Dir(dir), history.FileName))
	require.NoError(t, err)
	defer db.Close()
	var status string
	require.NoError(t, db.QueryRow("SELECT status FROM runs WHERE dir = 'run'").Scan(&status))
	assert.Equal(t, results.StatusInterrupted, status)
}

func TestUnknownWorkloadAndProfile(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, []string{"compare", "--workloads", "nope"})
	var u usageError
	require.ErrorAs(t, err, &u)
	assert.Contains(t, err.Error(), `unknown workload "nope"`)
	err = run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, []string{"http", "--profile", "huge"})
	require.ErrorAs(t, err, &u)
	assert.Contains(t, err.Error(), `http: unknown profile "huge"`)
	bad := filepath.Join(t.TempDir(), "hosts.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"server": {"host": "netns:server"}, "loaders": [], "delay": "5ms"}`), 0o644))
	err = run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, []string{"http", "--hosts", bad})
	require.ErrorAs(t, err, &u)
	assert.Contains(t, err.Error(), "http: --hosts: hosts file "+bad+": no loader")
}

// Every manifest in the repository validates against the commands of the
// registered stages.
func TestRepositoryManifestsAreValid(t *testing.T) {
	t.Parallel()
	root, err := repoRoot()
	require.NoError(t, err)
	declared := map[string][]string{}
	for _, s := range stage.All() {
		f, err := stage.LoadManifest(root, s.Info())
		require.NoError(t, err, s.Info().Name)
		assert.NotEmpty(t, f.Contenders, s.Info().Name)
		for _, c := range f.Contenders {
			declared[s.Info().Name] = append(declared[s.Info().Name], c.Name)
		}
	}
	// The contenders that stand for each side of a claim exist in its stage's manifest.
	cf, err := claims.Load()
	require.NoError(t, err)
	for _, c := range cf.Claims {
		names, registered := declared[c.Stage]
		if !registered {
			continue // the stage has not landed yet
		}
		for side, name := range c.StandIns {
			assert.Contains(t, names, name, "claim %s: the %s stand-in", c.ID, side)
		}
	}
}

// The README's budget table is the one the code holds.
func TestREADMEShowsThePlanTable(t *testing.T) {
	t.Parallel()
	root, err := repoRoot()
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	start := bytes.Index(readme, []byte("<!-- plan -->\n"))
	end := bytes.Index(readme, []byte("<!-- /plan -->"))
	require.True(t, start >= 0 && end > start, "README.md has <!-- plan --> markers")
	assert.Equal(t, planTable(), string(readme[start+len("<!-- plan -->\n"):end]), "run `tribench plan` and paste its table into README.md")
}
