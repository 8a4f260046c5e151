package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/report"
	browser "github.com/tribench/tribench/compare/report/headless"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/toolchain"
)

// firstScreen is what report.html's script writes into its check.
type firstScreen struct {
	Library bool `json:"library"`
	Charts  []struct {
		ID     string `json:"id"`
		Series []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Data  int    `json:"data"`
			Drawn int    `json:"drawn"`
		} `json:"series"`
	} `json:"charts"`
	Errors []string `json:"errors"`
	Layout struct {
		InnerWidth  float64  `json:"innerWidth"`
		InnerHeight float64  `json:"innerHeight"`
		ScrollWidth float64  `json:"scrollWidth"`
		BoardBottom float64  `json:"boardBottom"`
		Badges      []string `json:"badges"`
	} `json:"layout"`
}

// The report of one quick make compare (the golden results file), opened
// at 1280x800 as a reader would: the whole claims board on the first
// screen, no horizontal scrolling, every badge the verdict its record
// holds, two bars with intervals per claim in How does Go compare, and no
// console error.
func TestReportFirstScreenAt1280x800(t *testing.T) {
	t.Parallel()
	strict := os.Getenv("TRIBENCH_REQUIRE_CONTENDERS") == "1"
	chromium, err := exec.LookPath("chromium")
	missing := report.HTML{ECharts: report.EChartsDir(toolchain.Cache())}.MissingCharts()
	switch {
	case (err != nil || missing != "") && strict:
		t.Fatalf("chromium and ECharts are needed (make setup installs both): %v %s", err, missing)
	case err != nil || missing != "":
		t.Skipf("chromium or ECharts missing (make setup installs both): %v %s", err, missing)
	}
	dir := t.TempDir()
	unzip(t, filepath.Join("testdata", "golden", "results.jsonl.gz"), filepath.Join(dir, "results.jsonl"))
	require.NoError(t, run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, []string{"report", dir}))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dom, console, err := browser.Dump(ctx, chromium, filepath.Join(dir, "report.html"), t.TempDir(), browser.Window{Width: 1280, Height: 800})
	require.NoError(t, err)
	m := regexp.MustCompile(`(?s)<pre id="tribench-charts" hidden="">(.*?)</pre>`).FindSubmatch(dom)
	require.NotNil(t, m, "the page wrote no check")
	var page firstScreen
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &page))

	assert.Empty(t, page.Errors)
	assert.Empty(t, console, "no console message")
	assert.Equal(t, 1280.0, page.Layout.InnerWidth)
	assert.LessOrEqual(t, page.Layout.ScrollWidth, page.Layout.InnerWidth, "no horizontal scrolling")
	assert.Positive(t, page.Layout.BoardBottom)
	assert.LessOrEqual(t, page.Layout.BoardBottom, page.Layout.InnerHeight, "the whole claims board on the first screen")

	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	var outcomes []string
	for _, r := range recs {
		if r.Kind == results.KindVerdict && r.Verdict != nil {
			outcomes = append(outcomes, r.Verdict.Outcome)
		}
	}
	require.NotEmpty(t, page.Layout.Badges)
	for _, b := range page.Layout.Badges {
		assert.Contains(t, outcomes, b, "a badge is a verdict its record holds")
	}

	var goChart bool
	for _, c := range page.Charts {
		if c.ID != "go-compares" {
			continue
		}
		goChart = true
		require.Len(t, c.Series, 4, "against Python and against Kotlin, each with its error bars")
		rows := c.Series[0].Data
		assert.Positive(t, rows)
		for _, s := range c.Series {
			assert.Equal(t, rows, s.Data, "%s %s: one item per claim row", s.Name, s.Type)
			assert.Equal(t, s.Data, s.Drawn, "%s %s: every item drawn", s.Name, s.Type)
		}
	}
	assert.True(t, goChart, "How does Go compare is drawn")
}
