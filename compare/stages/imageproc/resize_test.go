package imageproc_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/imagecheck"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	_ "github.com/tribench/tribench/compare/stages/all" // every stage's commands, to validate the manifest
	"github.com/tribench/tribench/compare/stages/imageproc"
	"github.com/tribench/tribench/compare/toolchain"
	workload "github.com/tribench/tribench/imageproc"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	root, err := filepath.Abs(filepath.Join(filepath.Dir(file), "..", "..", ".."))
	require.NoError(t, err)
	return root
}

// strict is make test: a contender whose toolchain is missing fails there.
var strict = os.Getenv("TRIBENCH_REQUIRE_CONTENDERS") == "1"

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
// tries to read instead of refusing; the stage measures.
func TestSmokeProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts every imageproc contender")
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
// photos of another seed and a file it must refuse), for the Go contenders:
// the oracle compares them with the reference on that folder alone.
func TestOwnFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts the Go contenders")
	}
	in := t.TempDir()
	require.NoError(t, workload.WriteDataset(in, workload.DatasetSpec{Seed: 99, Count: 2}))
	require.NoError(t, os.WriteFile(filepath.Join(in, "notes.txt"), []byte("not an image\n"), 0o644))
	s := &imageproc.Resize{}
	fs := flag.NewFlagSet("resize", flag.ContinueOnError)
	s.Flags(fs)
	require.NoError(t, fs.Parse([]string{"--in", in}))
	recs := execute(t, s, "go-*")
	verified := 0
	for _, r := range recs {
		if r.Kind != results.KindResult || r.Step != results.StepVerify {
			continue
		}
		if r.Status == results.StatusUnavailable && !strict {
			continue
		}
		require.Equal(t, results.StatusOK, r.Status, "%s: %s", r.ContenderName(), r.Reason)
		verified++
		for _, c := range r.Checks {
			assert.True(t, c.Pass, "%s: %s: %s", r.ContenderName(), c.Name, c.Detail)
			assert.Contains(t, c.Name, "your folder: ")
		}
		assert.Len(t, r.Checks, 8, "no manifest: no reasons check")
	}
	assert.Positive(t, verified)
}
