package compose

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
)

// TestWriteReportWithoutTheChartLibrary: a cache without ECharts still gets
// every report file, and every format says why report.html has no charts.
func TestWriteReportWithoutTheChartLibrary(t *testing.T) {
	t.Setenv("TRIBENCH_CACHE", t.TempDir())
	dir := t.TempDir()
	w, err := results.Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(results.Record{Kind: results.KindRun, Profile: "smoke"}))
	require.NoError(t, w.Add(results.Record{Kind: results.KindResult, Stage: "resize", Step: results.StepMeasure, Status: results.StatusOK,
		Contender: &results.Contender{Name: "go-1.23"}, Values: []results.Value{{Name: "images_per_s", Unit: "img/s", Samples: []float64{40}}}}))
	require.NoError(t, w.Close())

	var out bytes.Buffer
	require.NoError(t, WriteReport(&out, "", dir, View{Verbose: true}))
	assert.Contains(t, out.String(), "the charts of report.html need the ECharts library")
	assert.Contains(t, out.String(), "results (report.md, report.html, results.jsonl):")
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "the charts of report.html need the ECharts library")
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), `id="missing-charts"`)
	assert.Contains(t, string(page), "40 img/s")
	assert.Equal(t, 1, bytes.Count(page, []byte("<li>the charts of report.html need")), "the warning once")
}
