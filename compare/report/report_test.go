package report

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stats"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const everyError = `every error has the body {"error": <non-empty string>, "timestamp": <integer unix seconds>}`

// golden compares got with testdata/name; on a mismatch it writes
// testdata/name.got-stdout and shows the diff (or rewrites the file with -update).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if !bytes.Equal(want, got) {
		require.NoError(t, os.WriteFile(path+".got-stdout", got, 0o644))
		assert.Equal(t, string(want), string(got), "%s differs from the golden file (wrote %s.got-stdout; -update rewrites it)", path, path)
	}
}

func sampleDocument(t *testing.T) Document {
	t.Helper()
	recs, err := results.Read(filepath.Join("testdata", "results.jsonl"))
	require.NoError(t, err)
	var httpRecs, resizeRecs []results.Record
	for _, r := range recs {
		switch r.Stage {
		case "http":
			httpRecs = append(httpRecs, r)
		case "resize":
			resizeRecs = append(resizeRecs, r)
		}
	}
	latency, err := LatencyChart("latency", "Latency percentiles, open model", httpRecs, nil)
	require.NoError(t, err)
	ips := Metric{Value: "images_per_s", Title: "images/s"}
	return Document{
		Header: BuildHeader(recs),
		Sections: []Section{
			{Title: "User API", Tables: []Table{Conformance("User API conformance (services/CONTRACT.md)", httpRecs, EveryResponse{everyError})},
				Charts: []Chart{latency}},
			{Title: "Image resizing", Tables: Measured("resize", resizeRecs, []Metric{ips, {Value: "peak_rss", Title: "peak RSS", Lower: true}}),
				Charts: []Chart{ValueChart("images-per-s", "Images per second, median and 95% interval", resizeRecs, ips)}},
		},
		Warnings: Warnings(recs),
	}
}

func TestGoldenReports(t *testing.T) {
	t.Parallel()
	d := sampleDocument(t)
	for _, e := range []Exporter{Text{}, Markdown{}, HTML{ECharts: stubECharts}} {
		var b bytes.Buffer
		require.NoError(t, e.Export(&b, d))
		golden(t, e.File(), b.Bytes())
	}
}

func TestConformanceTable(t *testing.T) {
	t.Parallel()
	tbl := sampleDocument(t).Sections[0].Tables[0]
	require.Len(t, tbl.Columns, 4)
	assert.Equal(t, "kotlin-article (article)", tbl.Columns[2].Title)
	assert.Equal(t, "duplicate is 409", tbl.Rows[0].Cells[0].Text)
	assert.Equal(t, "PASS", tbl.Rows[0].Cells[1].Text)
	assert.Equal(t, "FAIL 1/1", tbl.Rows[0].Cells[2].Text)
	assert.Equal(t, "n/a", tbl.Rows[0].Cells[3].Text, "an unavailable contender was not checked")
	last := tbl.Rows[len(tbl.Rows)-1]
	assert.Equal(t, everyError, last.Cells[0].Text)
	assert.Equal(t, "FAIL 1/2", last.Cells[2].Text, "a rule of every response broken by one case of two")
}

func TestMeasuredRanksThePassingAndShowsTheFailingApart(t *testing.T) {
	t.Parallel()
	tables := sampleDocument(t).Sections[1].Tables
	require.Len(t, tables, 2)
	ranked, failing := tables[0], tables[1]
	require.Len(t, ranked.Rows, 2)
	assert.Equal(t, "1", ranked.Rows[0].Cells[0].Text)
	assert.Equal(t, "go-1.23", ranked.Rows[0].Cells[1].Text, "best images/s first")
	assert.Zero(t, ranked.Rows[0].Cells[3].Flags, "six rounds: a real interval")
	assert.Equal(t, Indicative, ranked.Rows[1].Cells[3].Flags, "five rounds: indicative")
	require.Len(t, failing.Rows, 1)
	assert.Equal(t, "kotlin-2.0", failing.Rows[0].Cells[0].Text)
	assert.Equal(t, FailedOracle|Indicative, failing.Rows[0].Cells[2].Flags)
	assert.Equal(t, "-", failing.Rows[0].Cells[3].Text, "a value the record lacks")
	assert.Equal(t, "1 of 1: dimensions (photo-0001.jpg: 800x451, want 800x450)", failing.Rows[0].Cells[4].Text)
}

func TestFormatValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{0.0123, "s", "12.3 ms"},
		{2.5e-5, "s", "25 µs"},
		{1.5, "s", "1.5 s"},
		{512, "B", "512 B"},
		{1536, "B", "1.5 KiB"},
		{52428800, "B", "50 MiB"},
		{1.2e9, "B/s", "1.2 GB/s"},
		{12900, "req/s", "12.9k req/s"},
		{142, "img/s", "142 img/s"},
		{1.41, "x", "1.41x"},
		{2.2e6, "conn", "2.2M conn"},
		{0, "s", "0 s"},
		{0, "1", "0%"},
		{0.25, "1", "25%"},
		{0, "x", "0x"},
		{math.NaN(), "s", "-"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FormatValue(tt.v, tt.unit), "%v %s", tt.v, tt.unit)
	}
}

func TestFigureString(t *testing.T) {
	t.Parallel()
	ci := FigureCell(stats.Summarize([]float64{10, 11, 12, 9, 10, 10}), "ms")
	assert.Equal(t, "10 ms ±20%", ci.String())
	rng := FigureCell(stats.Summarize([]float64{0.010, 0.012, 0.011}), "s")
	assert.Equal(t, "11 ms [10–12] (i)", rng.String())
	assert.Equal(t, "-", FigureCell(stats.Summarize(nil), "s").String())
}

// The environment part says which host ran the servers and which the
// loaders, on which CPUs, with a far host's machine and a near one noted.
func TestHostLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hosts []results.HostEnv
		want  []string
	}{
		{"no hosts file", nil, nil},
		{"ssh", []results.HostEnv{
			{Role: results.RoleServer, Host: "ssh:bench@10.0.0.11 (10.0.0.11)", CPUs: "0-7",
				Env: map[string]string{"cpu": "Xeon x 8", "kernel": "Linux 6.1", "memory": "31.0 GiB", "Go (current)": "go1.26"}},
			{Role: results.RoleLoader, Host: "ssh:bench@10.0.0.12 (10.0.0.12)", Note: "environment not read: exit status 1"},
		}, []string{
			"server host: ssh:bench@10.0.0.11 (10.0.0.11) on CPU 0-7 (Xeon x 8, Linux 6.1, 31.0 GiB)",
			"loader host: ssh:bench@10.0.0.12 (10.0.0.12) (environment not read: exit status 1)",
		}},
		{"namespaces", []results.HostEnv{{Role: results.RoleServer, Host: "netns:server (198.18.0.1)", CPUs: "1", Note: "this machine: the environment above"}},
			[]string{"server host: netns:server (198.18.0.1) on CPU 1 (this machine: the environment above)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := BuildHeader([]results.Record{{Kind: results.KindRun, Hosts: tc.hosts}})
			assert.Equal(t, tc.want, h.HostLines())
			var md bytes.Buffer
			require.NoError(t, Markdown{}.Export(&md, Document{Header: h}))
			for _, line := range tc.want {
				assert.Contains(t, md.String(), "- "+line+"\n")
			}
		})
	}
}
