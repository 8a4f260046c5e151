package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/history"
	"github.com/tribench/tribench/compare/results"
)

// writeBaseline writes a results folder of the self-test stage in which
// go-fast's inside time took seconds each round.
func writeBaseline(t *testing.T, dir string, seconds float64) {
	t.Helper()
	w, err := results.Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(results.Record{Kind: results.KindRun, Profile: "smoke"}))
	require.NoError(t, w.Add(results.Record{Kind: results.KindResult, Stage: "selftest", Workload: "selftest", Step: results.StepMeasure,
		Contender: &results.Contender{Name: "go-fast"}, Config: map[string]any{"size": 21}, Status: results.StatusOK,
		Values: []results.Value{{Name: "seconds", Unit: "s", Samples: []float64{seconds, seconds, seconds}}}}))
	require.NoError(t, w.Close())
}

// A run compared with a baseline lists what got worse, and under
// --fail-on-regression fails with it, so CI exits 1; a run that only got
// better passes. Each run joins the run history beside its folder.
func TestFailOnRegression(t *testing.T) {
	selftestCache(t)
	root := t.TempDir()
	// go-fast takes 0.01 s a round (testdata/selftest/contenders.json).
	writeBaseline(t, filepath.Join(root, "fast"), 0.0001)
	writeBaseline(t, filepath.Join(root, "slow"), 1)

	tests := []struct {
		name, baseline string
		regressed      bool
	}{
		{"a faster baseline: a regression", filepath.Join(root, "fast"), true},
		{"a slower baseline: an improvement", filepath.Join(root, "slow"), false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(root, fmt.Sprintf("run%d", i+1))
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), &stdout, &stderr, []string{"selftest", "--profile", "smoke", "--only", "go-*", "--quiet",
				"--results", dir, "--baseline", tt.baseline, "--fail-on-regression"})
			recs := readResults(t, dir)
			require.NotNil(t, recs[0].Project, "the run record carries the project's commit")
			assert.NotEmpty(t, recs[0].Project.Commit)
			assert.Equal(t, results.SchemaVersion, recs[0].Schema)
			md, readErr := os.ReadFile(filepath.Join(dir, "report.md"))
			require.NoError(t, readErr)
			assert.Contains(t, string(md), "## Against the baseline")
			assert.Contains(t, stdout.String(), "against the baseline "+tt.baseline+": ", "one line of counts, then a line each")
			assert.Contains(t, stdout.String(), "ranges apart", "3 rounds against 3: the ranges decided")
			if tt.regressed {
				require.ErrorIs(t, err, history.ErrRegression)
				assert.False(t, errors.As(err, new(usageError)), "exit status 1, not the usage error's 2")
				assert.Contains(t, stdout.String(), "regression")
				return
			}
			require.NoError(t, err, stderr.String())
			assert.Contains(t, stdout.String(), "improvement")
			assert.Contains(t, stdout.String(), "0 regressions, 1 improvements")
		})
	}

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{},
		[]string{"history", "--results", root, "--stage", "selftest", "--only", "go-*", "--metric", "seconds", "--json"}))
	var runs []string
	for _, g := range decodeGroups(t, out.Bytes()) {
		for _, s := range g.Series {
			for _, p := range s.Points {
				runs = append(runs, p.Run)
			}
		}
	}
	assert.Equal(t, []string{"run1", "run2"}, runs, "every run was indexed as it ended; the baselines made by hand were not")
}

func TestBaselineFlagsAreChecked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"selftest", "--fail-on-regression"}, "--fail-on-regression needs --baseline"},
		{[]string{"compare", "--baseline", "/nonexistent/run"}, "--baseline /nonexistent/run is not a results folder"},
		{[]string{"history", "--since", "yesterday"}, `--since "yesterday"`},
		{[]string{"history", "--only", "go-["}, "--only"},
	}
	for _, tt := range tests {
		err := run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, tt.args)
		var u usageError
		require.True(t, errors.As(err, &u), "%v: %v", tt.args, err)
		assert.Contains(t, err.Error(), tt.want)
	}
}

func decodeGroups(t *testing.T, b []byte) []history.Group {
	t.Helper()
	var groups []history.Group
	require.NoError(t, json.Unmarshal(b, &groups))
	return groups
}

// writeJudgedRun writes a results folder holding a run record of this
// machine and one verdict with its figure.
func writeJudgedRun(t *testing.T, dir string, at time.Time, outcome string, ratio float64) {
	t.Helper()
	w, err := results.Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(results.Record{Kind: results.KindRun, Time: at, Profile: "quick",
		Env: map[string]string{"cpu": "Test CPU x 2", "kernel": "Linux 6.1", "memory": "7.8 GiB"}}))
	require.NoError(t, w.Add(results.Record{Kind: results.KindVerdict, Time: at, Stage: "http", Verdict: &results.Verdict{
		Claim: "http-throughput", Row: "HTTP throughput", Rule: "ratio", Side: "Kotlin/Python", Outcome: outcome, Reason: "synthetic",
		Figures: []results.Figure{{What: "paired Kotlin/Python ratio", Unit: "x", Center: ratio, Lo: ratio - 0.2, Hi: ratio + 0.2, N: 3}}}}))
	require.NoError(t, w.Close())
}

func TestReportShowsTrendsOnlyWithAnIndex(t *testing.T) {
	t.Setenv("TRIBENCH_CACHE", "/nonexistent/tribench-trends-cache")
	root := t.TempDir()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	writeJudgedRun(t, filepath.Join(root, "run1"), at, "consistent", 2.1)
	writeJudgedRun(t, filepath.Join(root, "run2"), at.Add(time.Hour), "refuted", 1.2)

	report := func() string {
		require.NoError(t, run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, []string{"report", filepath.Join(root, "run2")}))
		page, err := os.ReadFile(filepath.Join(root, "run2", "report.html"))
		require.NoError(t, err)
		return string(page)
	}
	assert.NotContains(t, report(), "Trends on this machine", "no index, no trends")
	_, err := os.Stat(filepath.Join(root, history.FileName))
	assert.ErrorIs(t, err, os.ErrNotExist, "a report never creates the index")

	require.NoError(t, run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, []string{"history", "--reindex", "--results", root}))
	page := report()
	assert.Contains(t, page, "Trends on this machine")
	assert.Contains(t, page, "Verdict history")
	assert.Contains(t, page, `"name":"paired Kotlin/Python ratio"`, "the figure's chart")
	md, err := os.ReadFile(filepath.Join(root, "run2", "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "| HTTP throughput | Kotlin/Python | consistent | refuted |")
}
