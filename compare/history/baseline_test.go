package history

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/diff"
	"github.com/tribench/tribench/compare/results"
)

func nan() float64 { return math.NaN() }

func read(t *testing.T, dir string) []results.Record {
	t.Helper()
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	return recs
}

func TestBaselineFlagsAClearRegressionOnly(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	base := fakeRun{name: "base", at: t0, env: machineA, rps: map[string][]float64{
		"go-current":  {100, 101, 99, 100, 102, 98},
		"python-3.13": {30, 33, 27, 31, 29, 30}},
		p99: []float64{0.010, 0.0101, 0.0099}}.write(t, root)
	now := fakeRun{name: "now", at: t0.Add(time.Hour), env: machineA, rps: map[string][]float64{
		"go-current":  {80, 81, 79, 80, 82, 78},  // 20% slower, every round apart: a regression
		"python-3.13": {31, 28, 32, 29, 30, 33}}, // noise
		p99: []float64{0.0080, 0.0081, 0.0079}}.write(t, root) // 20% lower latency, 3 rounds: decided by ranges

	b, err := FindBaseline(context.Background(), nil, base, now)
	require.NoError(t, err)
	assert.Empty(t, b.Warnings, "same machine, same profile")
	c := Compare(b, read(t, now))
	assert.Equal(t, 3, c.Compared)
	require.Len(t, c.Regressions, 1)
	assert.Equal(t, "go-current", c.Regressions[0].Contender)
	assert.Equal(t, "rps", c.Regressions[0].Value)
	assert.Equal(t, diff.TestU, c.Regressions[0].Test)
	require.Len(t, c.Improvements, 1)
	assert.Equal(t, "p99", c.Improvements[0].Value, "lower latency is better")
	assert.Equal(t, diff.TestRanges, c.Improvements[0].Test, "3 against 3: the ranges decide")
	assert.ErrorIs(t, c.Regressed(), ErrRegression)

	same := Compare(b, read(t, base))
	assert.Empty(t, same.Regressions)
	assert.NoError(t, same.Regressed())

	text := c.Table()
	assert.Equal(t, "regression", text.Rows[0].Cells[0].Text)
	assert.True(t, text.Rows[0].Cells[0].Strong)
}

func TestBaselineLastAndItsWarnings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := t.TempDir()
	rps := map[string][]float64{"go-current": {100, 101, 99}}
	older := fakeRun{name: "a", at: t0, env: machineA, rps: rps}.write(t, root)
	otherMachine := fakeRun{name: "b", at: t0.Add(time.Hour), env: machineB, rps: rps}.write(t, root)
	otherProfile := fakeRun{name: "c", at: t0.Add(2 * time.Hour), env: machineA, profile: "smoke", rps: rps}.write(t, root)
	now := fakeRun{name: "d", at: t0.Add(3 * time.Hour), env: machineA, rps: rps}.write(t, root)
	fakeRun{name: "e", at: t0.Add(4 * time.Hour), env: machineA, rps: rps}.write(t, root) // later: never a baseline of d
	ix := openIndex(t, root)
	_, err := ix.Reindex(ctx)
	require.NoError(t, err)

	b, err := FindBaseline(ctx, ix, Last, now)
	require.NoError(t, err)
	assert.Equal(t, older, b.Dir, "the newest earlier run of this machine and profile")

	b, err = FindBaseline(ctx, ix, otherMachine, now)
	require.NoError(t, err)
	require.Len(t, b.Warnings, 2)
	assert.Contains(t, b.Warnings[0], `another machine: CPU "Intel Xeon x 4", not "AMD EPYC x 2"`)
	assert.Contains(t, b.Warnings[1], `another machine: memory "15.6 GiB", not "7.8 GiB"`)
	b, err = FindBaseline(ctx, ix, otherProfile, now)
	require.NoError(t, err)
	assert.Equal(t, []string{`baseline ` + otherProfile + ` ran profile "smoke", not "quick"`}, b.Warnings)

	_, err = FindBaseline(ctx, ix, Last, older)
	assert.ErrorContains(t, err, "no earlier run of http on this machine")
	assert.Error(t, CheckBaseline(filepath.Join(root, "absent")))
	assert.NoError(t, CheckBaseline(Last))
	assert.NoError(t, CheckBaseline(older))
}

func TestDirection(t *testing.T) {
	t.Parallel()
	for unit, want := range map[string]int{"req/s": 1, "B/s": 1, "x": 1, "s": -1, "B": -1, "1": 0, "tasks": 0} {
		assert.Equal(t, want, Direction(unit), unit)
	}
}

func TestTrends(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root := t.TempDir()
	rps := map[string][]float64{"go-current": {100, 101, 99}}
	first := fakeRun{name: "20261201T100000Z", at: t0, env: machineA, rps: rps, outcome: "consistent"}.write(t, root)
	fakeRun{name: "20261201T110000Z", at: t0.Add(time.Hour), env: machineB, rps: rps, outcome: "refuted"}.write(t, root)
	second := fakeRun{name: "20261201T120000Z", at: t0.Add(2 * time.Hour), env: machineA, rps: rps, outcome: "refuted"}.write(t, root)
	ix := openIndex(t, root)
	_, err := ix.Add(ctx, first)
	require.NoError(t, err)
	_, ok, err := ix.Trends(ctx, first)
	require.NoError(t, err)
	assert.False(t, ok, "one run of this machine: no trend")
	_, err = ix.Reindex(ctx)
	require.NoError(t, err)

	sec, ok, err := ix.Trends(ctx, second)
	require.NoError(t, err)
	require.True(t, ok)
	require.Len(t, sec.Charts, 1)
	chart := sec.Charts[0]
	assert.Equal(t, []string{"20261201T100000Z", "20261201T120000Z"}, chart.Categories, "this machine's runs only")
	require.Len(t, chart.Series, 1)
	assert.Equal(t, "paired Go/Python ratio", chart.Series[0].Name)
	require.Len(t, chart.Series[0].Points, 2)
	assert.True(t, chart.Series[0].Points[1].HasInterval())
	require.Len(t, sec.Tables, 1)
	require.Len(t, sec.Tables[0].Rows, 1)
	var outcomes []string
	for _, c := range sec.Tables[0].Rows[0].Cells[2:] {
		outcomes = append(outcomes, c.Text)
	}
	assert.Equal(t, []string{"consistent", "refuted"}, outcomes)

	_, ok, err = ix.Trends(ctx, filepath.Join(root, "not-indexed"))
	require.NoError(t, err)
	assert.False(t, ok)
}
