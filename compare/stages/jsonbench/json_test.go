package jsonbench_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/internal/repotest"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	_ "github.com/tribench/tribench/compare/stages/all" // every stage's commands, to validate the manifest
	"github.com/tribench/tribench/compare/stages/jsonbench"
	"github.com/tribench/tribench/compare/toolchain"
)

func repoRoot(t *testing.T) string { return repotest.Root(t) }

var strict = repotest.Strict

// A user's truncated document and own conformance folder, for the current
// Go contenders (the reference among them) and CPython 3.13's: the reference rejects the
// document, so the oracle is that every contender rejects it too; nothing is
// measured; and every rejection, the document's and the folder's, is named
// with its message in the records and in the section's table.
func TestUserInputsRejected(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and starts the Go JSON contenders")
	}
	in := t.TempDir()
	doc := filepath.Join(in, "truncated.json")
	require.NoError(t, os.WriteFile(doc, []byte(`[{"id": 1, "name": "a"}, {"id": 2, "na`), 0o644))
	check := filepath.Join(in, "check")
	require.NoError(t, os.Mkdir(check, 0o755))
	for name, body := range map[string]string{"y_array.json": `[1, 2]`, "n_unclosed.json": `[1,`, "n_word.json": `hello`} {
		require.NoError(t, os.WriteFile(filepath.Join(check, name), []byte(body), 0o644))
	}
	s := &jsonbench.Stage{}
	fs := flag.NewFlagSet("json", flag.ContinueOnError)
	s.Flags(fs)
	require.NoError(t, fs.Parse([]string{"--file", doc, "--check", check}))
	dir := filepath.Join(t.TempDir(), "run")
	require.NoError(t, stage.Execute(context.Background(), stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Stages: []stage.Stage{s}, ResultsDir: dir, Only: "go-current*,python-3.13", Stdout: &bytes.Buffer{}, Exec: runner.OS{}}))
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)

	want := []string{"truncated.json", "n_unclosed.json", "n_word.json"}
	verified, warned := map[string]bool{}, false
	for _, r := range recs {
		assert.NotEqual(t, results.StepMeasure, r.Step, "a document the reference rejects is not measured")
		if r.Kind == results.KindWarning && strings.Contains(r.Reason, "nothing to measure") {
			warned = true
		}
		if r.Kind != results.KindResult || r.Step != results.StepVerify {
			continue
		}
		if r.Status == results.StatusUnavailable && !strict {
			continue
		}
		require.Equal(t, results.StatusOK, r.Status, "%s: %s", r.ContenderName(), r.Reason)
		verified[r.ContenderName()] = true
		for _, c := range r.Checks {
			assert.True(t, c.Pass, "%s: %s: %s", r.ContenderName(), c.Name, c.Detail)
		}
		rejected, err := r.Rejections()
		require.NoError(t, err)
		var inputs []string
		for _, x := range rejected {
			inputs = append(inputs, x.Input)
			assert.NotEmpty(t, x.Reason, "%s: %s", r.ContenderName(), x.Input)
			assert.NotContains(t, x.Reason, "\n")
			t.Logf("%s rejected %s: %s: %s", r.ContenderName(), x.Set, x.Input, x.Reason)
		}
		assert.ElementsMatch(t, want, inputs, r.ContenderName())
	}
	assert.GreaterOrEqual(t, len(verified), 4, "the four current Go contenders at least")
	assert.True(t, warned, "the run says why nothing was measured")

	named := map[string]int{}
	for _, tb := range s.Section(recs, manifest.File{}).Tables {
		if tb.ID == "rejected-inputs" {
			for _, row := range tb.Rows {
				named[row.Cells[2].Text]++ // set, input, contender, reason
			}
		}
	}
	for c := range verified {
		assert.Equal(t, len(want), named[c], c)
	}
}
