package userapi_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/load"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/stages/userapi"
	"github.com/tribench/tribench/compare/toolchain"
)

// The stage runs its loader as its own process: this test binary, asked to
// "load", is that process here.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "load" {
		if err := load.Main(context.Background(), os.Args[2:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestHTTPSmoke runs the http stage in the smoke profile on the Go contender
// and the calibration entry: verify, seed, every mix, wrk, the search.
func TestHTTPSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts services and loaders")
	}
	dir := filepath.Join(t.TempDir(), "run")
	var out bytes.Buffer
	err := stage.Execute(context.Background(), stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Stages: []stage.Stage{&userapi.Stage{}}, Only: "go-current*", ResultsDir: dir, Stdout: &out, Exec: runner.OS{}})
	require.NoError(t, err, out.String())
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	runs := map[string]results.Record{}
	for _, r := range recs {
		if r.Step == results.StepMeasure {
			runs[r.ContenderName()+" "+report.ConfigString(r.Config)] = r
		}
	}
	for _, key := range []string{
		"go-current connections=50, loader=builtin, mix=list, model=closed",
		"go-current connections=50, loader=builtin, mix=mixed, model=closed",
		"go-current connections=50, loader=builtin, mix=get, model=closed",
		"go-current-calibration connections=50, loader=builtin, mix=list, model=closed",
	} {
		r, ok := runs[key]
		require.True(t, ok, "a run %q", key)
		assert.Equal(t, results.StatusOK, r.Status, "%s: %s", key, r.Reason)
		rps, _ := r.Value("rps")
		assert.Positive(t, rps.Samples[0], key)
		errs, _ := r.Value("errors")
		assert.Zero(t, errs.Samples[0], key)
		assert.NotEmpty(t, r.Attach, "%s keeps its latency histogram", key)
	}
	var open, search bool
	for key, r := range runs {
		switch {
		case r.Config["model"] == "open" && r.Config["search"] == nil && r.ContenderName() == "go-current":
			open = true
			_, ok := r.Value("intended_rps")
			assert.True(t, ok, "%s: the intended rate beside the achieved", key)
		case r.Config["search"] == "max-stable" && r.ContenderName() == "go-current":
			search = true
			v, ok := r.Value("max_stable_connections")
			require.True(t, ok, "%s: %s", key, r.Reason)
			assert.Equal(t, 100.0, v.Samples[0], "the Go service holds the smoke profile's top step")
			assert.Equal(t, true, r.Config["at_limit"])
		}
	}
	assert.True(t, open, "the open model at 80% of the closed throughput")
	assert.True(t, search, "the max-stable-connections search")
	assert.Contains(t, out.String(), "HTTP load")
}
