package imageproc_test

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

	"github.com/tribench/tribench/compare/imagecheck"
	"github.com/tribench/tribench/compare/internal/repotest"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	_ "github.com/tribench/tribench/compare/stages/all" // every stage's commands, to validate the manifest
	"github.com/tribench/tribench/compare/stages/imageproc"
	"github.com/tribench/tribench/compare/toolchain"
	workload "github.com/tribench/tribench/imageproc"
)

func repoRoot(t *testing.T) string { return repotest.Root(t) }

var strict = repotest.Strict

func execute(t *testing.T, s stage.Stage, only string) []results.Record {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	err := stage.Execute(context.Background(), stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Stages: []stage.Stage{s}, ResultsDir: dir, Only: only, Stdout: &bytes.Buffer{}, Exec: runner.OS{}})
	require.NoError(t, err)
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	return recs
}

// TestSmokeProfile runs the resize stage end to end in the smoke profile: the
// generator's smoke set and the bad-input set, every declared contender on
// both, the oracle against the Go reference. Every canonical contender passes
// every check; the article's configuration fails exactly on the .webp file it
// tries to read instead of refusing; every canonical contender names each
// file the bad-input manifest expects rejected, and no other; the stage
// measures.
func TestSmokeProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts every imageproc contender")
	}
	bad, err := workload.EnsureBadInputs(toolchain.Cache())
	require.NoError(t, err)
	m, err := workload.ReadBadManifest(bad)
	require.NoError(t, err)
	var mustReject []string
	for _, e := range m.Files {
		if e.Expect == workload.ExpectReject {
			mustReject = append(mustReject, e.File)
		}
	}
	recs := execute(t, &imageproc.Resize{}, "")
	verified, measured := 0, 0
	for _, r := range recs {
		switch {
		case r.Kind == results.KindResult && r.Step == results.StepVerify:
			if r.Status == results.StatusUnavailable && !strict {
				t.Logf("%s unavailable: %s", r.ContenderName(), r.Reason)
				continue
			}
			require.Equal(t, results.StatusOK, r.Status, "%s: %s", r.ContenderName(), r.Reason)
			verified++
			assert.NotEmpty(t, r.Checks, r.ContenderName())
			var failed []string
			for _, c := range r.Failures() {
				failed = append(failed, c.Name)
			}
			if r.Contender.Kind == "article" {
				assert.Equal(t, []string{"bad inputs: " + imagecheck.CheckReasons}, failed, r.ContenderName())
				continue
			}
			rejected, err := r.Rejections()
			require.NoError(t, err)
			var named []string
			for _, x := range rejected {
				assert.Equal(t, "bad inputs", x.Set, "%s rejected a photo: %s: %s", r.ContenderName(), x.Input, x.Reason)
				named = append(named, x.Input)
			}
			assert.ElementsMatch(t, mustReject, named, r.ContenderName())
			for _, c := range r.Failures() {
				t.Errorf("%s: FAIL %s: %s", r.ContenderName(), c.Name, c.Detail)
			}
		case r.Kind == results.KindResult && r.Step == results.StepMeasure:
			measured++
		case r.Kind == results.KindStage:
			assert.Contains(t, []string{results.StatusOK, results.StatusBudget}, r.Status, r.Reason)
		}
	}
	assert.Positive(t, verified)
	assert.Positive(t, measured)
}

// TestOwnFolder runs the stage with --in on a folder it has never seen (two
// photos of another seed, a truncated JPEG and a text file named .jpg), for
// the Go contenders and CPython 3.13's: the oracle compares them with the
// reference on that folder alone, and both bad files are named with each
// contender's reason, in the records and in the section's table.
func TestOwnFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts the Go and Python contenders")
	}
	in := t.TempDir()
	require.NoError(t, workload.WriteDataset(in, workload.DatasetSpec{Seed: 99, Count: 2}))
	photos, err := os.ReadDir(in)
	require.NoError(t, err)
	require.Len(t, photos, 2)
	photo, err := os.ReadFile(filepath.Join(in, photos[0].Name()))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(in, "truncated.jpg"), photo[:len(photo)/2], 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(in, "notes.jpg"), []byte("not an image\n"), 0o644))
	s := &imageproc.Resize{}
	fs := flag.NewFlagSet("resize", flag.ContinueOnError)
	s.Flags(fs)
	require.NoError(t, fs.Parse([]string{"--in", in}))
	recs := execute(t, s, "go-*,python-3.13")
	verified := map[string]bool{}
	for _, r := range recs {
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
			assert.Contains(t, c.Name, "your folder: ")
		}
		assert.Len(t, r.Checks, 8, "no manifest: no reasons check")
		rejected, err := r.Rejections()
		require.NoError(t, err)
		reasons := map[string]string{}
		for _, x := range rejected {
			assert.Equal(t, "your folder", x.Set)
			reasons[x.Input] = x.Reason
		}
		require.ElementsMatch(t, []string{"notes.jpg", "truncated.jpg"}, keys(reasons), r.ContenderName())
		for file, reason := range reasons {
			t.Logf("%s rejected %s: %s", r.ContenderName(), file, reason)
			assert.True(t, strings.HasPrefix(reason, workload.ReasonCorrupt+": "), "%s: %s: %q", r.ContenderName(), file, reason)
		}
	}
	assert.Positive(t, len(verified))

	named := map[string][]string{}
	for _, tb := range s.Section(recs, manifest.File{}).Tables {
		if tb.ID != "rejected-inputs" {
			continue
		}
		for _, row := range tb.Rows {
			// set, input, contender, reason
			require.Len(t, row.Cells, 4)
			assert.NotEmpty(t, row.Cells[3].Text)
			named[row.Cells[2].Text] = append(named[row.Cells[2].Text], row.Cells[1].Text)
		}
	}
	require.Len(t, named, len(verified), "a row per contender that ran")
	for contender := range verified {
		assert.ElementsMatch(t, []string{"notes.jpg", "truncated.jpg"}, named[contender], contender)
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
