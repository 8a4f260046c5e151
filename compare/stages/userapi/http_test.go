package userapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/compose"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/hosts/hoststest"
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
// "load", is that process here; asked to hostsRun, it is a run of the stage
// through --hosts (hosts_test.go).
func TestMain(m *testing.M) {
	hoststest.Helper()
	if len(os.Args) > 2 && slices.Equal(os.Args[1:3], hosts.ExecCommand) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		err := hosts.Exec(ctx, os.Args[3:], os.Stdout, os.Stderr)
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == hostsRun {
		os.Exit(runThroughHosts(os.Args[2:]))
	}
	// What `tribench env --json` prints, read by a run on each ssh: host.
	if len(os.Args) == 3 && os.Args[1] == "env" && os.Args[2] == "--json" {
		wd, err := os.Getwd()
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(toolchain.Probe(context.Background(), wd))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == "load" {
		if err := load.Main(context.Background(), os.Args[2:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	// `tribench disturb snapshot`, run on an ssh: server's host.
	if len(os.Args) > 1 && os.Args[1] == "disturb" {
		if err := disturb.Main(os.Args[2:], os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	// A command this binary does not stand in for would otherwise run
	// every test again, inside the test that started it.
	if len(os.Args) > 1 && !strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintf(os.Stderr, "userapi.test: no helper command %q\n", os.Args[1])
		os.Exit(2)
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
	err := compose.Execute(context.Background(), stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Stages: []stage.Stage{&userapi.Stage{}}, Only: "go-current*", ResultsDir: dir, Stdout: &out, Exec: runner.OS{}}, compose.View{Stages: []string{"http"}})
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

func TestCommonRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rpss []float64
		want float64
	}{
		{"the slowest sets it", []float64{21000, 2500, 30000}, 2000},
		{"a contender that answered nothing sets nothing", []float64{0, 5000, 10000}, 4000},
		{"nobody answered", []float64{0, 0}, 0},
		{"no contenders", nil, 0},
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, userapi.CommonRate(tt.rpss), 1e-9, tt.name)
	}
}

// TestHTTPRoundsPair runs the smoke profile with three rounds on the Go
// contenders (both claim-read) and the calibration entry (not): each Go
// contender keeps one record per list-mix configuration holding a sample per
// round, numbered 0, 1, 2; both open runs share one rate, 80% of the slower
// one's first-round throughput; the calibration entry gets one run at 80% of
// its own.
func TestHTTPRoundsPair(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts services and loaders")
	}
	byProfile := map[string]plan.Plan{}
	for _, p := range plan.Names() {
		var err error
		byProfile[p], err = plan.For("http", p)
		require.NoError(t, err)
	}
	three := byProfile[plan.Smoke]
	three.Rounds, three.Run, three.Sizes = 3, time.Second, []int64{8}
	plan.Set("http", map[string]plan.Plan{plan.Smoke: three})
	t.Cleanup(func() { plan.Set("http", byProfile) })

	dir := filepath.Join(t.TempDir(), "run")
	var out bytes.Buffer
	err := stage.Execute(context.Background(), stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Stages: []stage.Stage{&userapi.Stage{}}, Only: "go-*", ResultsDir: dir, Stdout: &out, Exec: runner.OS{}})
	require.NoError(t, err, out.String())
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	list := map[string]results.Record{}
	for _, r := range recs {
		if r.Step == results.StepMeasure && r.Config["mix"] == load.MixList && r.Config["loader"] == userapi.LoaderBuiltin && r.Config["search"] == nil {
			key := r.ContenderName() + " " + fmt.Sprint(r.Config["model"])
			_, dup := list[key]
			assert.False(t, dup, "one record per contender and configuration: %s", key)
			list[key] = r
		}
	}
	var firstRound []float64
	for _, key := range []string{"go-1.23 closed", "go-1.23 open", "go-current closed", "go-current open"} {
		r, ok := list[key]
		require.True(t, ok, "a record %q", key)
		require.Equal(t, results.StatusOK, r.Status, "%s: %s", key, r.Reason)
		rps, _ := r.Value("rps")
		require.Len(t, rps.Samples, 3, key)
		assert.Equal(t, []int{0, 1, 2}, rps.Rounds, key)
		if r.Config["model"] == "closed" {
			firstRound = append(firstRound, rps.Samples[0])
		}
	}
	slowest := min(firstRound[0], firstRound[1])
	for _, key := range []string{"go-1.23 open", "go-current open"} {
		r := list[key]
		assert.Equal(t, userapi.RateCommon, r.Config["rate_rule"], key)
		assert.InDelta(t, 0.8*slowest, r.ConfigNumber("rate"), 1e-6*slowest, "%s: 80%% of the slower round-0 throughput", key)
	}
	warm, _ := list["go-current closed"].Value("warmup")
	assert.Equal(t, []int{0}, warm.Rounds, "a warm-up before the first round only")
	assert.Contains(t, attachNames(list["go-current closed"]), "warmup-curve")

	calibration, ok := list["go-current-calibration open"]
	require.True(t, ok, "the calibration entry's open run")
	rps, _ := calibration.Value("rps")
	assert.Len(t, rps.Samples, 1, "one round for an entry no claim reads")
	assert.Equal(t, userapi.RateOwn, calibration.Config["rate_rule"])
}

func attachNames(r results.Record) []string {
	var out []string
	for _, a := range r.Attach {
		out = append(out, a.Name)
	}
	return out
}
