package userapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/load"
	"github.com/tribench/tribench/compare/runner"
)

// share is loader i's (1-based) JSON result of a 2-loader, 8-connection,
// 2 s load opened at startAt, with n latencies of 100 µs; none without seg.
func share(t *testing.T, i, n int, startAt time.Time, seg bool) []byte {
	t.Helper()
	h := hdrhistogram.New(1, 60_000_000, 3)
	require.NoError(t, h.RecordValues(100, int64(n)))
	enc, err := h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	require.NoError(t, err)
	res := load.Result{Model: "closed", Mix: load.MixList, Connections: 4, Requests: int64(n), RPS: float64(n) / 2,
		DurationSeconds: 2, MeasureStart: startAt, Statuses: map[string]int64{"200": int64(n)},
		Histogram: base64.StdEncoding.EncodeToString(enc)}
	if seg {
		res.Segment = &load.Segment{Index: i, Count: 2, Connections: 8, DurationSeconds: 2, StartAt: startAt}
	}
	b, err := json.Marshal(res)
	require.NoError(t, err)
	return append(b, '\n')
}

// A split load starts one loader per host, each wrapped by its host, with
// its segment and one agreed start; its result is theirs merged, or the
// first failure, naming the loader's host.
func TestSplitLoadMergesItsLoaders(t *testing.T) {
	t.Parallel()
	two := []*hosts.Host{{Spec: hosts.Spec{Host: "netns:la"}, NS: "tb-1-1-la", IP: "198.18.0.2"},
		{Spec: hosts.Spec{Host: "netns:lb"}, NS: "tb-1-1-lb", IP: "198.18.0.3"}}
	for _, tc := range []struct {
		name string
		// run is loader i's outcome (0-based), its start given.
		run      func(t *testing.T, i int, startAt time.Time) runner.Result
		requests int64
		failure  string
	}{
		{name: "merged", requests: 300, run: func(t *testing.T, i int, at time.Time) runner.Result {
			return runner.Result{Outcome: runner.OutcomeOK, Stdout: share(t, i+1, 100*(i+1), at, true), User: time.Second}
		}},
		{name: "a loader failed", failure: "netns:lb (198.18.0.3): connection refused", run: func(t *testing.T, i int, at time.Time) runner.Result {
			if i == 1 {
				return runner.Result{Outcome: runner.OutcomeExitError, ExitCode: 1, Stderr: []byte("connection refused")}
			}
			return runner.Result{Outcome: runner.OutcomeOK, Stdout: share(t, 1, 100, at, true)}
		}},
		{name: "not one load", failure: "not a loader's share", run: func(t *testing.T, i int, at time.Time) runner.Result {
			return runner.Result{Outcome: runner.OutcomeOK, Stdout: share(t, i+1, 100, at, i == 0)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := &runner.Fake{}
			fake.Script = func(spec runner.Spec) runner.FakeRun {
				i := slices.Index(spec.Argv, "--segment")
				at, err := load.ParseStartAt(spec.Argv[slices.Index(spec.Argv, "--start-at")+1])
				require.NoError(t, err)
				return runner.FakeRun{Result: tc.run(t, int(spec.Argv[i+1][0]-'1'), at)}
			}
			s := &splitLoad{exec: fake, hosts: two, lead: splitLead, spec: func(at time.Time, i int) (runner.Spec, error) {
				return two[i].Place(runner.Spec{Argv: []string{"tribench", "load", "--segment", []string{"1/2", "2/2"}[i],
					"--start-at", at.Format(time.RFC3339Nano)}, CPUs: []int{0}})
			}}
			p, err := s.Start(context.Background(), runner.Spec{})
			require.NoError(t, err)
			res := p.Wait()

			started := fake.Started()
			require.Len(t, started, 2)
			for i, spec := range started {
				assert.Equal(t, []string{"ip", "netns", "exec", two[i].NS}, spec.Argv[:4], "loader %d runs in its host's namespace", i+1)
			}
			startAt := func(spec runner.Spec) string { return spec.Argv[slices.Index(spec.Argv, "--start-at")+1] }
			assert.Equal(t, startAt(started[0]), startAt(started[1]), "one agreed start")

			if tc.failure != "" {
				assert.NotEqual(t, runner.OutcomeOK, res.Outcome)
				assert.Contains(t, string(res.Stderr), tc.failure)
				return
			}
			require.Equal(t, runner.OutcomeOK, res.Outcome, string(res.Stderr))
			assert.Equal(t, 2*time.Second, res.User, "the loaders' CPU times add")
			var m load.Merged
			require.NoError(t, json.Unmarshal(res.Stdout, &m))
			assert.Equal(t, tc.requests, m.Requests)
			require.Len(t, m.Loaders, 2)
			assert.Equal(t, "netns:la (198.18.0.2)", m.Loaders[0].File, "each share named by its host")
			h, err := m.DecodeHistogram()
			require.NoError(t, err)
			assert.Equal(t, tc.requests, h.TotalCount(), "one histogram of every loader's latencies")
		})
	}
}
