package report

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/conform"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/services/cases"
)

func sampleRecords() []results.Record {
	pass := func(name, rule string) conform.Check {
		return conform.Check{Name: name, Kind: "case", Rule: rule, Pass: true}
	}
	return []results.Record{
		{Kind: results.KindRun, Profile: "smoke"},
		{Kind: results.KindConformance, Contender: "go-1.23", Variant: "canonical", Status: results.StatusOK,
			Version: "go1.23.12", Conform: &conform.Report{Passed: 3, Checks: []conform.Check{
				pass("create/email/duplicate-409", "duplicate is 409"),
				pass("routing/root-404", "unknown path is 404"),
				{Name: "property/read-your-writes", Kind: "property", Rule: "one store", Pass: true},
			}}},
		{Kind: results.KindConformance, Contender: "kotlin-article", Variant: "article", Status: results.StatusOK,
			Note: "400 for duplicates, epoch uptime", Conform: &conform.Report{Passed: 1, Failed: 2, Checks: []conform.Check{
				{Name: "create/email/duplicate-409", Kind: "case", Rule: "duplicate is 409", Broken: "duplicate is 409",
					Detail: "step 2: status: expected 409, got 400"},
				{Name: "routing/root-404", Kind: "case", Rule: "unknown path is 404", Broken: cases.RuleErrorBody,
					Detail: "step 1: status 404: error body at /: missing key \"timestamp\""},
				{Name: "property/read-your-writes", Kind: "property", Rule: "one store", Pass: true},
			}}},
		{Kind: results.KindConformance, Contender: "python-3.13", Variant: "canonical", Status: results.StatusUnavailable,
			Reason: "missing /cache/venv/py313/bin/python (run make setup)"},
	}
}

// golden compares got with testdata/name and writes testdata/name.got-stdout on a mismatch.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if !bytes.Equal(want, got) {
		require.NoError(t, os.WriteFile(path+".got-stdout", got, 0o644))
		t.Errorf("%s differs from the golden file; wrote %s.got-stdout", path, path)
	}
}

func TestConformanceTable(t *testing.T) {
	t.Parallel()
	tbl := BuildConformance(sampleRecords())
	require.Len(t, tbl.Columns, 3)
	assert.Equal(t, "duplicate is 409", tbl.Rows[0].Rule)
	assert.Equal(t, "PASS", tbl.Rows[0].Cells[0].String())
	assert.Equal(t, "FAIL 1/1", tbl.Rows[0].Cells[1].String())
	var errorRow Row
	for _, r := range tbl.Rows {
		if r.Rule == cases.RuleErrorBody {
			errorRow = r
		}
	}
	assert.Equal(t, "FAIL 1/2", errorRow.Cells[1].String(), "a broken rule of every response gets its own row")
	assert.False(t, tbl.Columns[2].Checked())
}

func TestConformanceGolden(t *testing.T) {
	t.Parallel()
	tbl := BuildConformance(sampleRecords())
	var text, md bytes.Buffer
	require.NoError(t, WriteConformanceText(&text, tbl))
	require.NoError(t, WriteConformanceMarkdown(&md, tbl))
	golden(t, "conformance.txt", text.Bytes())
	golden(t, "conformance.md", md.Bytes())
}
