package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
)

// TestReportPairsClaimRatiosByRound re-renders a results file whose Kotlin
// and Python throughputs move in opposite directions from round to round:
// the per-round Kotlin/Python ratios are 11, 0.2, 11, 0.2, 11, 0.2 (median
// 5.6). Every summary the report makes before the claims are judged must
// leave the samples in round order, or the ratio would pair them by rank
// (1.55x).
func TestReportPairsClaimRatiosByRound(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := results.Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(results.Record{Kind: results.KindRun, Profile: "full", Command: []string{"tribench", "http"}}))
	config := map[string]any{"mix": "list", "model": "closed", "loader": "builtin", "connections": 10000}
	for _, c := range []struct {
		name, language string
		rps            []float64
	}{
		{"python-3.13", "python", []float64{2000, 10000, 2000, 10000, 2000, 10000}},
		{"kotlin-2.0", "kotlin", []float64{22000, 2000, 22000, 2000, 22000, 2000}},
	} {
		require.NoError(t, w.Add(results.Record{Kind: results.KindResult, Stage: "http", Workload: "services", Step: results.StepMeasure,
			Contender: &results.Contender{Name: c.name, Language: c.language, Kind: "canonical"}, Status: results.StatusOK,
			Config: config, Values: []results.Value{{Name: "rps", Unit: "req/s", Samples: c.rps, Rounds: []int{0, 1, 2, 3, 4, 5}}}}))
	}
	require.NoError(t, w.Close())
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"report", dir}))
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "measured 5.60x [0.20x, 11.00x]")
	assert.NotContains(t, string(md), "measured 1.60x")
}
