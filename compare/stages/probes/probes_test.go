package probes_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/claims"
	"github.com/tribench/tribench/compare/internal/repotest"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	_ "github.com/tribench/tribench/compare/stages/all" // every stage's commands, to validate the manifest
	"github.com/tribench/tribench/compare/stages/probes"
	"github.com/tribench/tribench/compare/toolchain"
)

func repoRoot(t *testing.T) string { return repotest.Root(t) }

var strict = repotest.Strict

// TestSmokeProfile runs the mem, cpu and tasks stages end to end in the smoke
// profile on every declared contender: every shape's checksum agrees with the
// Go reference's at N = 1,000, every CPU total equals the exact reference,
// every task completes, and every stage measures.
func TestSmokeProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts every memprobe contender")
	}
	dir := filepath.Join(t.TempDir(), "run")
	err := stage.Execute(context.Background(), stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Stages: []stage.Stage{probes.Mem{}, probes.CPU{}, probes.Tasks{}}, ResultsDir: dir,
		Stdout: &bytes.Buffer{}, Exec: runner.OS{}})
	require.NoError(t, err)
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	measured := map[string]int{}
	for _, r := range recs {
		switch {
		case r.Kind == results.KindResult && r.Step == results.StepVerify:
			if r.Status == results.StatusUnavailable && !strict {
				t.Logf("%s %s unavailable: %s", r.Stage, r.ContenderName(), r.Reason)
				continue
			}
			assert.Equal(t, results.StatusOK, r.Status, "%s %s: %s", r.Stage, r.ContenderName(), r.Reason)
			assert.NotEmpty(t, r.Checks, "%s %s", r.Stage, r.ContenderName())
			for _, c := range r.Failures() {
				t.Errorf("%s %s: FAIL %s: %s", r.Stage, r.ContenderName(), c.Name, c.Detail)
			}
		case r.Kind == results.KindResult && r.Step == results.StepMeasure:
			measured[r.Stage]++
		case r.Kind == results.KindStage:
			assert.Contains(t, []string{results.StatusOK, results.StatusBudget}, r.Status, "%s: %s", r.Stage, r.Reason)
		}
	}
	for _, s := range []string{"mem", "cpu", "tasks"} {
		assert.Positive(t, measured[s], "%s measured something", s)
	}
}

// TestBadInputIsRefused gives every contender bad counts, shapes and methods:
// each is refused with one line on stderr and a non-zero exit, never a stack trace.
func TestBadInputIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts every memprobe contender")
	}
	bad := map[string][]manifest.Vars{
		"probe": {{"count": "-1", "shape": "%s", "method": "inside"}, {"count": "100000000", "shape": "%s", "method": "inside"},
			{"count": "3", "shape": "no-such-shape", "method": "inside"}, {"count": "3", "shape": "%s", "method": "sideways"}},
		"cpu":   {{"tasks": "0", "n": "10", "workers": "1"}, {"tasks": "1", "n": "10", "workers": "-1"}},
		"tasks": {{"count": "-1"}, {"count": "100000000"}},
	}
	for _, s := range []stage.Stage{probes.Mem{}, probes.CPU{}, probes.Tasks{}} {
		run, cs, err := stage.Standalone(stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
			Profile: plan.Smoke, Exec: runner.OS{}}, s)
		require.NoError(t, err)
		command := s.Info().Needs[0]
		for _, c := range cs {
			t.Run(s.Info().Name+"/"+c.Name(), func(t *testing.T) {
				if status, reason := c.Ready(context.Background(), run); status != results.StatusOK {
					if strict {
						t.Fatalf("%s: %s", status, reason)
					}
					t.Skipf("%s: %s", status, reason)
				}
				shape := strings.Split(c.Settings["shapes"], ",")[0]
				for _, vars := range bad[command] {
					vars = vars.With(nil)
					if vars["shape"] == "%s" {
						vars["shape"] = shape
					}
					b, err := run.Batch(c, command, stage.RunOptions{Vars: vars})
					require.NoError(t, err)
					o := batch.Execute(context.Background(), run.Exec, b)
					assert.Equal(t, results.StatusFailed, o.Status, "%v accepted", vars)
					assert.Empty(t, strings.TrimSpace(string(o.Process.Stdout)), "%v: nothing on stdout", vars)
					assert.Equal(t, 1, strings.Count(strings.TrimSpace(string(o.Process.Stderr)), "\n")+1, "%v: one line on stderr: %q", vars, o.Process.Stderr)
					assert.NotContains(t, string(o.Process.Stderr), "Traceback", "%v", vars)
					assert.NotContains(t, string(o.Process.Stderr), "Exception in thread", "%v", vars)
					assert.NotContains(t, string(o.Process.Stderr), "goroutine ", "%v", vars)
				}
			})
		}
	}
}

// TestClaimStandInsHaveTheClaimsRole holds the memprobe manifest to the
// claims: the contenders that play the "claims" role are exactly the
// stand-ins of the claims on memprobe stages, so the quick profile measures
// them where a stage measures only those.
func TestClaimStandInsHaveTheClaimsRole(t *testing.T) {
	t.Parallel()
	cf, err := claims.Load()
	require.NoError(t, err)
	f, err := manifest.Load(repoRoot(t), manifest.Path("memprobe"), stage.Commands())
	require.NoError(t, err)
	byName := map[string]manifest.Contender{}
	for _, c := range f.Contenders {
		byName[c.Name] = c
	}
	standIns := map[string]bool{}
	for _, c := range cf.Claims {
		s, ok := stage.Lookup(c.Stage)
		if !ok || s.Info().Workload != f.Workload {
			continue
		}
		for side, name := range c.StandIns {
			d, ok := byName[name]
			if assert.True(t, ok, "%s: %s stand-in %s is not declared", c.ID, side, name) {
				assert.True(t, d.HasRole(manifest.RoleClaims), "%s: %s stand-in %s lacks the %q role", c.ID, side, name, manifest.RoleClaims)
				standIns[name] = true
			}
		}
	}
	assert.NotEmpty(t, standIns)
	for _, d := range f.Contenders {
		if d.HasRole(manifest.RoleClaims) {
			assert.True(t, standIns[d.Name], "%s plays the %q role but stands in for no claim", d.Name, manifest.RoleClaims)
		}
	}
}
