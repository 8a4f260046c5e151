package report

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stubECharts stands in for the npm package in the golden test, so the golden
// file holds a one-line script instead of the megabyte of the real library.
var stubECharts = filepath.Join("testdata", "echarts-stub")

func exportHTML(t *testing.T, h HTML, d Document) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, h.Export(&b, d))
	return b.String()
}

func TestHTMLHoldsWhatMarkdownHolds(t *testing.T) {
	t.Parallel()
	page := exportHTML(t, HTML{ECharts: stubECharts}, sampleDocument(t))
	for _, want := range []string{
		"<li>kernel: Linux 6.1</li>",
		"<strong>FAIL 1/1</strong> (<code>create/email/duplicate-409</code>)",
		`<td class="num">30.1 img/s [28.7–31] (i)</td>`,
		"F = fails the oracle: shown, not ranked",
		`<li class="level-1">FAIL x1 [duplicate is 409], e.g. <code>`,
		"<li>resize: kotlin-current: version command printed nothing</li>",
		"charts drawn by ECharts 0.0.0-stub, inlined",
		`<div class="canvas" id="chart-2"></div>`,
	} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, `id="missing-charts"`)
	assert.Empty(t, HTML{ECharts: stubECharts}.MissingCharts())
}

func TestHTMLWithoutTheChartLibrary(t *testing.T) {
	t.Parallel()
	missing := HTML{ECharts: filepath.Join(t.TempDir(), "echarts")}
	d := sampleDocument(t)
	page := exportHTML(t, missing, d)
	why := missing.MissingCharts()
	require.NotEmpty(t, why)
	assert.Contains(t, why, "make setup")
	assert.Contains(t, page, `<p class="missing-charts" id="missing-charts">Charts are not drawn: the charts of report.html need the ECharts library`)
	assert.Contains(t, page, "<li>"+why+"</li>", "the warnings say so too")
	assert.Contains(t, page, "User API conformance (services/CONTRACT.md)", "every table is still there")
	assert.Contains(t, page, "resize: fails the oracle (shown, not ranked)")
	assert.Len(t, d.Warnings, 3, "the caller's document is left as it was")

	d.Warnings = append(d.Warnings, why)
	assert.Equal(t, 1, strings.Count(exportHTML(t, missing, d), "<li>"+why+"</li>"), "a warning the caller already added is not repeated")
}

func TestHTMLEscapesText(t *testing.T) {
	t.Parallel()
	hostile := `</script><script>alert("x")</script>`
	d := Document{Sections: []Section{{
		Title:  hostile,
		Tables: []Table{{ID: "t", Title: hostile, Columns: []Column{{Title: "c"}}, Rows: []Row{{Cells: []Cell{TextCell(hostile)}}}}},
		Charts: []Chart{{ID: "c", Title: hostile, Kind: ChartBar, Series: []Series{{Name: hostile, Points: []ChartPoint{{Name: hostile, Figure: *Point(1, "s")}}}}}},
	}}}
	page := exportHTML(t, HTML{ECharts: stubECharts}, d)
	assert.NotContains(t, page, `<script>alert`)
	assert.Contains(t, page, `&lt;/script&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`)
	assert.Contains(t, page, `\u003c/script\u003e\u003cscript\u003ealert`, "chart options are JSON with < escaped")
}

func TestHTMLLeavesOutAnEmptyChart(t *testing.T) {
	t.Parallel()
	nothing := Chart{ID: "none", Title: "nothing measured", Series: []Series{{Name: "go", Points: []ChartPoint{{Name: "a", Figure: *Point(math.NaN(), "s")}}}}}
	one := Chart{ID: "one", Title: "one bar", Series: []Series{{Name: "go", Points: []ChartPoint{{Name: "a", Figure: *Point(1, "s")}}}}}
	require.True(t, nothing.Empty())
	require.False(t, one.Empty())
	page := exportHTML(t, HTML{ECharts: stubECharts}, Document{Sections: []Section{{Title: "s", Charts: []Chart{nothing, one}}}})
	assert.NotContains(t, page, "nothing measured")
	assert.Contains(t, page, `<figcaption>one bar</figcaption>
<div class="canvas" id="chart-1">`)
}

func TestScriptSafe(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `var s = "<\/script>", t = "<\/SCRIPT", u = "</div>";`,
		string(scriptSafe([]byte(`var s = "</script>", t = "</SCRIPT", u = "</div>";`))))
}

func TestAnchor(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "s1-user-api-conformance", anchor("s1-User API: conformance!"))
}
