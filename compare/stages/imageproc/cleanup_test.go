package imageproc_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/stages/imageproc"
	"github.com/tribench/tribench/compare/toolchain"
)

// refusing is an executor that starts nothing: every build fails, so no
// contender is ready.
type refusing struct{}

func (refusing) Start(context.Context, runner.Spec) (runner.Process, error) {
	return nil, errors.New("this test starts no process")
}

// cancelOn is a progress that cancels the run when a line says what the
// run does next: an interruption at a known point.
type cancelOn struct {
	what   string
	cancel context.CancelFunc
}

func (cancelOn) Begin(string, int, time.Duration) {}
func (cancelOn) Add(int)                          {}
func (cancelOn) Step(string)                      {}
func (cancelOn) End()                             {}

func (c cancelOn) Say(what string) {
	if strings.Contains(what, c.what) {
		c.cancel()
	}
}

// isolatedTemp points the stage's temporary folders at an empty folder of
// the test's, so that what a run leaves behind is all there is in it.
func isolatedTemp(t *testing.T) string {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "tmp")
	require.NoError(t, os.Mkdir(tmp, 0o755))
	t.Setenv("TMPDIR", tmp)
	return tmp
}

// processesUnder lists the live processes whose command line names dir.
func processesUnder(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte(dir)) {
			out = append(out, e.Name()+": "+strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
	}
	return out
}

func leftIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Prepare makes a temporary folder (the Go reference's outputs); a run in
// which no contender becomes ready never reaches Measure, and the folder
// goes all the same.
func TestNoContenderReadyLeavesNothingBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: generates the smoke photo set")
	}
	tmp := isolatedTemp(t)
	dir := filepath.Join(t.TempDir(), "run")
	err := stage.Execute(context.Background(), stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Stages: []stage.Stage{&imageproc.Resize{}}, Only: "go-*", ResultsDir: dir,
		Stdout: &bytes.Buffer{}, Exec: refusing{}})
	require.NoError(t, err)
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	verified := 0
	for _, r := range recs {
		if r.Step == results.StepVerify {
			verified++
			assert.Equal(t, results.StatusBuildFailed, r.Status, "%s: %s", r.ContenderName(), r.Reason)
		}
		assert.NotEqual(t, results.StepMeasure, r.Step, "nothing is measured")
	}
	assert.Positive(t, verified, "the stage got as far as the contenders")
	assert.Empty(t, leftIn(t, tmp), "the run's temporary folder is removed")
}

// Ctrl-C while the first contender is verified: its run is stopped, Measure
// never starts, and no temporary folder or process of the run is left.
func TestInterruptedBeforeMeasureLeavesNothingBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and starts a Go contender")
	}
	tmp := isolatedTemp(t)
	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := stage.Execute(ctx, stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Stages: []stage.Stage{&imageproc.Resize{}}, Only: "go-current", ResultsDir: dir,
		Stdout: &bytes.Buffer{}, Exec: runner.OS{}, Progress: cancelOn{what: "verifying", cancel: cancel}})
	require.ErrorIs(t, err, stage.ErrInterrupted)
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	var stageRec results.Record
	for _, r := range recs {
		assert.NotEqual(t, results.StepMeasure, r.Step, "nothing is measured")
		if r.Kind == results.KindStage {
			stageRec = r
		}
	}
	assert.Equal(t, results.StatusInterrupted, stageRec.Status, stageRec.Reason)
	assert.Empty(t, leftIn(t, tmp), "the run's temporary folder is removed")
	assert.Empty(t, processesUnder(t, tmp), "no process of the run is left")
}
