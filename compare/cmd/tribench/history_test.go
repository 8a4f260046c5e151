package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/history"
	"github.com/tribench/tribench/compare/results"
)

// scaledCopy writes a copy of the run in from into to with every figure made
// factor times better (or worse, under 1) in the direction its unit gets
// better; figures with no direction stay.
func scaledCopy(t *testing.T, from, to string, factor float64) {
	t.Helper()
	w, err := results.Create(to)
	require.NoError(t, err)
	for _, r := range readResults(t, from) {
		for i, v := range r.Values {
			d := history.Direction(v.Unit)
			if d == 0 {
				continue
			}
			f := factor
			if d < 0 {
				f = 1 / factor
			}
			samples := make([]float64, len(v.Samples))
			for j, s := range v.Samples {
				samples[j] = s * f
			}
			r.Values[i].Samples = samples
		}
		require.NoError(t, w.Add(r))
	}
	require.NoError(t, w.Close())
}

// A run compared with a baseline lists what got worse, and under
// --fail-on-regression fails with it, so CI exits 1; a run that only got
// better passes. Each run joins the run history beside its folder.
func TestFailOnRegression(t *testing.T) {
	selftestCache(t)
	root := t.TempDir()
	first := filepath.Join(root, "run1")
	require.NoError(t, run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{},
		[]string{"selftest", "--profile", "smoke", "--quiet", "--results", first}))
	recs := readResults(t, first)
	require.NotNil(t, recs[0].Project, "the run record carries the project's commit")
	assert.NotEmpty(t, recs[0].Project.Commit)
	assert.Equal(t, results.SchemaVersion, recs[0].Schema)
	scaledCopy(t, first, filepath.Join(root, "fast"), 100)
	scaledCopy(t, first, filepath.Join(root, "slow"), 0.01)

	tests := []struct {
		name, baseline string
		regressed      bool
	}{
		{"a faster baseline: regressions", filepath.Join(root, "fast"), true},
		{"a slower baseline: improvements only", filepath.Join(root, "slow"), false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(root, "run"+string(rune('2'+i)))
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), &stdout, &stderr,
				[]string{"selftest", "--profile", "smoke", "--quiet", "--results", dir, "--baseline", tt.baseline, "--fail-on-regression"})
			md, readErr := os.ReadFile(filepath.Join(dir, "report.md"))
			require.NoError(t, readErr)
			assert.Contains(t, string(md), "## Against the baseline")
			assert.Contains(t, stdout.String(), "Against the baseline "+tt.baseline)
			if tt.regressed {
				require.ErrorIs(t, err, history.ErrRegression)
				assert.False(t, errors.As(err, new(usageError)), "exit status 1, not the usage error's 2")
				assert.Contains(t, stdout.String(), "regression")
				return
			}
			require.NoError(t, err, stderr.String())
			assert.Contains(t, stdout.String(), "improvement")
			assert.NotContains(t, stdout.String(), "regression  ")
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
	assert.Equal(t, []string{"run1", "run2", "run3"}, runs, "every run was indexed as it ended; the baselines made by hand were not")
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
