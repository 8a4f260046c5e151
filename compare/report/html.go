package report

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/tribench/tribench/compare/results"
)

// HTML writes a document as one self-contained page, report.html: the header
// with the environment, how Go compares, every table as the Markdown report
// has it (flags, legends, notes, failing cells emphasised), a chart per Chart
// drawn by ECharts, and the warnings. The chart library is read from the
// cache when the page is written and inlined (vegeta's lib/plot does the
// same), so the page works offline; its Content-Security-Policy forbids any
// other source. Without the library the page still holds every table, says
// plainly that the charts need `make setup`, and lists it among the warnings.
type HTML struct {
	// ECharts is the folder of the echarts npm package (package.json and
	// dist/echarts.min.js); EChartsDir says where `make setup` installs it.
	ECharts string
}

var _ Exporter = HTML{}

// EChartsDir is where `make setup` (compare/toolchain/npm.sh) installs the
// echarts package under the cache.
func EChartsDir(cache string) string {
	return filepath.Join(cache, "npm", "node_modules", "echarts")
}

// File is report.html.
func (HTML) File() string { return "report.html" }

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report.html").Parse(htmlSource))

// A chartLibrary is the inlined script and the version it says it is.
type chartLibrary struct {
	script  []byte
	version string
}

// library reads the chart library from h.ECharts.
func (h HTML) library() (chartLibrary, error) {
	if h.ECharts == "" {
		return chartLibrary{}, fmt.Errorf("no ECharts folder given")
	}
	var pkg struct {
		Version string `json:"version"`
	}
	meta, err := os.ReadFile(filepath.Join(h.ECharts, "package.json"))
	if err == nil {
		err = json.Unmarshal(meta, &pkg)
	}
	if err != nil {
		return chartLibrary{}, fmt.Errorf("ECharts package: %w", err)
	}
	script, err := os.ReadFile(filepath.Join(h.ECharts, "dist", "echarts.min.js"))
	if err != nil {
		return chartLibrary{}, fmt.Errorf("ECharts script: %w", err)
	}
	return chartLibrary{script: scriptSafe(script), version: pkg.Version}, nil
}

// MissingCharts says why the page's charts cannot be drawn, or "" when the
// chart library is in place.
func (h HTML) MissingCharts() string {
	if _, err := h.library(); err != nil {
		return "the charts of report.html need the ECharts library, which make setup installs (" + results.Reason(err.Error()) +
			"); run make setup, then tribench report on this folder"
	}
	return ""
}

// Export writes the page.
func (h HTML) Export(w io.Writer, d Document) error {
	page := htmlPage{Header: d.Header, Command: strings.Join(d.Header.Command, " "), Board: d.Board, GoRows: d.GoRows, Warnings: d.Warnings}
	for _, k := range sortedEnv(d.Header.Env) {
		page.Env = append(page.Env, htmlPair{k, d.Header.Env[k]})
	}
	sections := d.Sections
	if d.Claims != nil {
		sections = append([]Section{*d.Claims}, sections...)
	}
	var charts []echartsChart
	if gc := GoChart(d.GoRows); !gc.Empty() {
		page.GoChart = &htmlChart{DOM: "chart-go", Title: gc.Title, Note: gc.Note}
		charts = append(charts, echartsChart{DOM: "chart-go", ID: gc.ID, Option: echartsOptionOf(gc)})
	}
	for i, s := range sections {
		hs := htmlSection{Title: s.Title, Anchor: anchor(fmt.Sprintf("s%d-%s", i+1, s.Title))}
		for _, t := range s.Tables {
			hs.Tables = append(hs.Tables, htmlTableOf(t, hs.Anchor))
		}
		for _, c := range s.Charts {
			if c.Empty() {
				continue // nothing to draw: the tables say why
			}
			dom := fmt.Sprintf("chart-%d", len(charts)+1)
			hs.Charts = append(hs.Charts, htmlChart{DOM: dom, Title: c.Title, Note: c.Note})
			charts = append(charts, echartsChart{DOM: dom, ID: c.ID, Option: echartsOptionOf(c)})
		}
		page.Sections = append(page.Sections, hs)
	}
	data, err := json.Marshal(charts)
	if err != nil {
		return fmt.Errorf("chart options: %w", err)
	}
	page.Charts = template.JS(data)
	lib, err := h.library()
	switch {
	case err != nil:
		page.Missing = "Charts are not drawn: " + h.MissingCharts() + "."
		page.Footer = "tribench report; charts not drawn (no chart library)"
		if missing := h.MissingCharts(); !contains(page.Warnings, missing) {
			page.Warnings = append(append([]string(nil), page.Warnings...), missing)
		}
	default:
		// The library is the project's own pinned dependency: trusted script.
		page.Library = template.JS(lib.script)
		page.Footer = fmt.Sprintf("tribench report; charts drawn by ECharts %s, inlined", lib.version)
	}
	return htmlTemplate.Execute(w, page)
}

type htmlPage struct {
	Header   Header
	Command  string
	Env      []htmlPair
	Board    *Board
	GoRows   []GoRow
	GoChart  *htmlChart
	Sections []htmlSection
	Warnings []string
	// Missing is the visible line shown when the charts cannot be drawn.
	Missing string
	Footer  string
	Library template.JS
	// Charts is the JSON of every chart's placement and option.
	Charts template.JS
}

type htmlPair struct{ Key, Value string }

type htmlSection struct {
	Title, Anchor string
	Tables        []htmlTable
	Charts        []htmlChart
}

type htmlTable struct {
	Title, Anchor, Caption, Legend string
	Columns                        []Column
	Rows                           [][]htmlCell
	Notes                          []Note
	// Folded tables (long ones) open on click.
	Folded bool
}

// foldAfter is how many rows a table shows before it is folded.
const foldAfter = 12

type htmlCell struct {
	Text, Detail  string
	Strong, Right bool
}

type htmlChart struct{ DOM, Title, Note string }

func htmlTableOf(t Table, section string) htmlTable {
	ht := htmlTable{Title: t.Title, Caption: t.Caption, Columns: t.Columns, Legend: strings.Join(legend(t), "; "), Notes: t.Notes}
	if t.ID != "" {
		ht.Anchor = anchor(section + "-" + t.ID)
	}
	for _, r := range t.Rows {
		row := make([]htmlCell, len(r.Cells))
		for i, c := range r.Cells {
			row[i] = htmlCell{Text: c.String(), Detail: c.Detail, Strong: c.Strong, Right: i < len(t.Columns) && t.Columns[i].Right}
		}
		ht.Rows = append(ht.Rows, row)
	}
	ht.Folded = len(ht.Rows) > foldAfter && ht.Title != ""
	return ht
}

var notAnchor = regexp.MustCompile(`[^a-z0-9]+`)

// anchor makes an id attribute from a title: lower case, dashes.
func anchor(s string) string {
	return strings.Trim(notAnchor.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

var scriptEnd = regexp.MustCompile(`(?i)</script`)

// scriptSafe keeps a script from closing its <script> element early:
// "</script" is written "<\/script", which means the same inside JavaScript
// strings, regular expressions and comments, the only places it can occur.
func scriptSafe(b []byte) []byte {
	return scriptEnd.ReplaceAllFunc(b, func(m []byte) []byte { return append([]byte(`<\/`), m[2:]...) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
