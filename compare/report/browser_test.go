package report

import (
	"context"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	browser "github.com/tribench/tribench/compare/report/headless"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/toolchain"
)

// pageCheck is what report.html's script writes into #tribench-charts.
type pageCheck struct {
	Library bool `json:"library"`
	Charts  []struct {
		ID     string        `json:"id"`
		Series []seriesCheck `json:"series"`
	} `json:"charts"`
	Errors []string `json:"errors"`
}

// seriesCheck is one series of a drawn chart: its data items, and the items
// that have a mark of finite size in the chart's scene.
type seriesCheck struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Data  int    `json:"data"`
	Drawn int    `json:"drawn"`
}

// chartsDocument holds a chart of every kind, built from synthetic records.
func chartsDocument(t *testing.T) Document {
	one, two := map[string]any{"workers": 1}, map[string]any{"workers": 2}
	single := []results.Record{
		measure("go-1.23", one, "images_per_s", "img/s", six...),
		measure("python-3.13", one, "images_per_s", "img/s", 30, 31, 29),
		measure("kotlin-2.0", one, "images_per_s", "img/s", 35),
	}
	grouped := []results.Record{
		measure("go-1.23", one, "images_per_s", "img/s", six...),
		measure("go-1.23", two, "images_per_s", "img/s", 70, 71, 72),
		measure("python-3.13", one, "images_per_s", "img/s", 30, 31, 29),
	}
	var curve []results.Record
	for _, n := range []int{100, 1000, 10000} {
		curve = append(curve, measure("go-1.23", map[string]any{"connections": n}, "p99", "s", 0.001*float64(n)/100),
			measure("kotlin-2.0", map[string]any{"connections": n}, "p99", "s", 0.002*float64(n)/100))
	}
	fast, slow := measure("go-1.23", nil, "rps", "req/s", 8000), measure("python-3.13", nil, "rps", "req/s", 4000)
	fast.Attach = []results.Attach{histogramAttach(t, 500, 700, 900, 1200, 5000)}
	slow.Attach = []results.Attach{histogramAttach(t, 1500, 2500, 4000, 9000, 40000)}
	latency, err := LatencyChart("latency", "Latency percentiles", []results.Record{fast, slow}, nil)
	require.NoError(t, err)
	return Document{Sections: []Section{{
		Title:  "Charts",
		Tables: Measured("resize", single, nil),
		Charts: []Chart{
			ValueChart("bar", "One value per contender", single, Metric{Value: "images_per_s", Title: "images/s"}),
			ValueChart("grouped", "One value per contender and configuration", grouped, Metric{Value: "images_per_s", Title: "images/s"}),
			CurveChart("curve", "p99 against connections", curve, Metric{Value: "p99"}, "connections"),
			latency,
		},
	}}}
}

// headless opens page in headless Chromium and returns the page's check
// and the console messages Chromium logged.
func headless(t *testing.T, chromium, page string) (pageCheck, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, console, err := browser.Dump(ctx, chromium, page, t.TempDir(), browser.Window{})
	require.NoError(t, err)
	m := regexp.MustCompile(`(?s)<pre id="tribench-charts" hidden="">(.*?)</pre>`).FindSubmatch(out)
	require.NotNil(t, m, "the page wrote no check")
	var check pageCheck
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &check))
	return check, console
}

func chromiumOrSkip(t *testing.T) (chromium, echarts string) {
	t.Helper()
	strict := os.Getenv("TRIBENCH_REQUIRE_CONTENDERS") == "1"
	chromium, err := exec.LookPath("chromium")
	echarts = EChartsDir(toolchain.Cache())
	missing := HTML{ECharts: echarts}.MissingCharts()
	switch {
	case err != nil && strict:
		t.Fatalf("chromium not found (make setup installs Debian's chromium): %v", err)
	case err != nil:
		t.Skipf("chromium not found (make setup installs it; TRIBENCH_REQUIRE_CONTENDERS=1 makes this a failure): %v", err)
	case missing != "" && strict:
		t.Fatal(missing)
	case missing != "":
		t.Skip(missing)
	}
	return chromium, echarts
}

func TestChartsDrawInHeadlessChromium(t *testing.T) {
	t.Parallel()
	chromium, echarts := chromiumOrSkip(t)
	page := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, WriteFiles(filepath.Dir(page), chartsDocument(t), HTML{ECharts: echarts}))

	check, console := headless(t, chromium, page)
	assert.True(t, check.Library, "the inlined ECharts defined echarts")
	assert.Empty(t, check.Errors, "errors, console errors or blocked requests on the page")
	assert.Empty(t, console, "Chromium logged console messages")

	bars := func(name, kind string, n int) seriesCheck { return seriesCheck{name, kind, n, n} }
	want := map[string][]seriesCheck{
		// three bars; the one-round contender has no interval to draw
		"bar": {bars("images/s", "bar", 3), bars("images/s", "custom", 2)},
		// go in both configurations, python in one, each bar with its interval
		"grouped": {bars("go-1.23", "bar", 2), bars("python-3.13", "bar", 1), bars("go-1.23", "custom", 2), bars("python-3.13", "custom", 1)},
		// one-round points: lines without error bars
		"curve": {bars("go-1.23", "line", 3), bars("kotlin-2.0", "line", 3)},
		// six percentiles per histogram
		"latency": {bars("go-1.23", "line", 6), bars("python-3.13", "line", 6)},
	}
	require.Len(t, check.Charts, len(want))
	for _, c := range check.Charts {
		assert.Equal(t, want[c.ID], c.Series, "chart %s: every data item drawn", c.ID)
	}
}

// TestHeadlessCheckSeesABrokenChart is the control: a chart library that
// fails leaves its errors in the page's check and Chromium's console, and no
// series, so the test above cannot pass on a page that drew nothing.
func TestHeadlessCheckSeesABrokenChart(t *testing.T) {
	t.Parallel()
	chromium, _ := chromiumOrSkip(t)
	page := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, WriteFiles(filepath.Dir(page), chartsDocument(t), HTML{ECharts: filepath.Join("testdata", "echarts-broken")}))

	check, console := headless(t, chromium, page)
	assert.True(t, check.Library)
	require.Len(t, check.Charts, 4)
	for _, c := range check.Charts {
		assert.Empty(t, c.Series, "chart %s: nothing drawn", c.ID)
	}
	assert.Contains(t, strings.Join(check.Errors, "\n"), "console.error: no renderer")
	assert.Contains(t, strings.Join(check.Errors, "\n"), "bar: Error: setOption failed")
	assert.NotEmpty(t, console)
}
