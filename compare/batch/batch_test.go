package batch

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// The test binary doubles as the contender: TRIBENCH_BATCH_ROLE selects what it does.
func TestMain(m *testing.M) {
	switch os.Getenv("TRIBENCH_BATCH_ROLE") {
	case "":
		os.Exit(m.Run())
	case "line":
		fmt.Println(`{"runtime":"go-test","seconds":0.25}`)
	case "lines":
		for _, f := range []string{"a.json", "b.json", "c.json"} {
			fmt.Printf("{\"item\":%q,\"verdict\":\"accept\"}\n", f)
		}
		fmt.Println(`{"runtime":"go-test","files":3}`)
	case "ready":
		b := make([]byte, 64<<20)
		for i := range b {
			b[i] = 1
		}
		fmt.Println("ready")
		_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin)) // until the harness closes stdin
		fmt.Printf("{\"runtime\":\"go-test\",\"kept\":%d}\n", len(b[:1]))
	case "malformed":
		fmt.Println("Traceback (most recent call last): not JSON")
	case "two-lines":
		fmt.Println(`{"seconds":1}`)
		fmt.Println(`{"seconds":2}`)
	case "crash":
		fmt.Fprintln(os.Stderr, "resize: --in /nope: no such folder")
		os.Exit(3)
	case "maven-error":
		fmt.Print("\x1b[0m[INFO] Scanning for projects...\n\x1b[1;31m[ERROR] Failed to execute goal kotlin-maven-plugin: Compilation failure\x1b[m\n[ERROR] -> [Help 1]\n")
		fmt.Fprint(os.Stderr, "\x1b[0m\x1b[0m")
		os.Exit(1)
	case "hang":
		time.Sleep(time.Hour)
	case "alloc":
		mb, _ := strconv.Atoi(os.Getenv("MB"))
		b := make([]byte, mb<<20)
		for i := range b {
			b[i] = 1
		}
		time.Sleep(time.Duration(len(b[:1])) * time.Hour)
	}
	os.Exit(0)
}

func role(name string, env ...string) runner.Spec {
	return runner.Spec{Argv: []string{os.Args[0], "-test.run=^$"}, Env: append([]string{"TRIBENCH_BATCH_ROLE=" + name}, env...)}
}

func TestOutputModesAndFailuresAreData(t *testing.T) {
	t.Parallel()
	exec := runner.OS{SampleInterval: 10 * time.Millisecond}
	timeLimited := role("hang")
	timeLimited.TimeLimit = 300 * time.Millisecond
	memLimited := role("alloc", "MB=256")
	memLimited.MemoryLimit = 64 << 20
	tests := []struct {
		name   string
		run    Run
		status string
		reason string
		check  func(t *testing.T, o Outcome)
	}{
		{"one good line", Run{Spec: role("line")}, results.StatusOK, "", func(t *testing.T, o Outcome) {
			var r struct{ Seconds float64 }
			require.True(t, o.Decode(&r))
			assert.Equal(t, 0.25, r.Seconds)
			assert.Positive(t, o.Process.Wall)
		}},
		{"per-item lines", Run{Spec: role("lines"), Output: manifest.OutputLines}, results.StatusOK, "", func(t *testing.T, o Outcome) {
			require.Len(t, o.Items, 3)
			assert.JSONEq(t, `{"item":"b.json","verdict":"accept"}`, string(o.Items[1]))
			assert.JSONEq(t, `{"runtime":"go-test","files":3}`, string(o.Final))
		}},
		{"ready marker", Run{Spec: role("ready"), Output: manifest.OutputReady}, results.StatusOK, "", func(t *testing.T, o Outcome) {
			assert.GreaterOrEqual(t, o.ReadyRSS, int64(64<<20), "the tree's memory at the quiet point")
			assert.JSONEq(t, `{"runtime":"go-test","kept":1}`, string(o.Final))
		}},
		{"ready marker never printed", Run{Spec: role("line"), Output: manifest.OutputReady}, results.StatusFailed, "without printing the ready marker", nil},
		{"malformed line", Run{Spec: role("malformed")}, results.StatusFailed, "not a JSON object: Traceback", nil},
		{"two lines where one is due", Run{Spec: role("two-lines")}, results.StatusFailed, "printed 2 result lines, want one", nil},
		{"items without a final line", Run{Spec: role("two-lines"), Output: manifest.OutputLines}, results.StatusFailed, `line 1 has no "item" key`, nil},
		{"crash", Run{Spec: role("crash")}, results.StatusFailed, "could not run (exit 3): resize: --in /nope: no such folder", nil},
		{"error on stdout, colour codes on stderr", Run{Spec: role("maven-error"), Output: manifest.OutputNone}, results.StatusFailed,
			"could not run (exit 1): [ERROR] Failed to execute goal kotlin-maven-plugin: Compilation failure", nil},
		{"time-out", Run{Spec: timeLimited}, results.StatusTimeout, "stopped at its time limit", nil},
		{"memory limit", Run{Spec: memLimited}, results.StatusOutOfMemory, "out of memory at this size", nil},
		{"cannot start", Run{Spec: runner.Spec{Argv: []string{"/no/such/contender"}}}, results.StatusFailed, "/no/such/contender", nil},
		{"nothing to read", Run{Spec: role("malformed"), Output: manifest.OutputNone}, results.StatusOK, "", func(t *testing.T, o Outcome) {
			assert.Nil(t, o.Final, "a compiler's output is not parsed")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := Execute(context.Background(), exec, tt.run)
			assert.Equal(t, tt.status, o.Status, o.Reason)
			assert.Contains(t, o.Reason, tt.reason)
			assert.NotContains(t, o.Reason, "\n")
			if tt.check != nil {
				tt.check(t, o)
			}
		})
	}
}

func TestDecodeMismatchIsAFailure(t *testing.T) {
	t.Parallel()
	o := Outcome{Status: results.StatusOK, Final: json.RawMessage(`{"seconds":"fast"}`)}
	var r struct{ Seconds float64 }
	assert.False(t, o.Decode(&r))
	assert.Equal(t, results.StatusFailed, o.Status)
	assert.Contains(t, o.Reason, `{"seconds":"fast"}`)
}

func fakeJobs(names ...string) []Job {
	var jobs []Job
	for _, n := range names {
		jobs = append(jobs, Job{Name: n, Make: func(round int) (Run, error) {
			if n == "broken" {
				return Run{}, errors.New("no workspace for this round")
			}
			return Run{Spec: runner.Spec{Argv: []string{n, strconv.Itoa(round)}}}, nil
		}})
	}
	return jobs
}

func TestInterleaveOrder(t *testing.T) {
	t.Parallel()
	fake := &runner.Fake{Script: func(s runner.Spec) runner.FakeRun {
		return runner.FakeRun{Result: runner.Result{Outcome: runner.OutcomeOK, Stdout: []byte(`{"seconds":1}`)}}
	}}
	var done []string
	stop := Interleave(context.Background(), fake, fakeJobs("A", "B", "C"), Plan{Warmup: 1, Rounds: 2}, func(d Done) {
		done = append(done, fmt.Sprintf("%d/%d/%v", d.Job, d.Round, d.Warmup))
	})
	assert.True(t, stop.Completed())
	var order []string
	for _, s := range fake.Started() {
		order = append(order, s.Argv[0]+s.Argv[1])
	}
	assert.Equal(t, []string{"A0", "B0", "C0", "A0", "B0", "C0", "A1", "B1", "C1"}, order, "warm-up round, then A B C A B C")
	assert.Equal(t, []string{"0/0/true", "1/0/true", "2/0/true", "0/0/false", "1/0/false", "2/0/false", "0/1/false", "1/1/false", "2/1/false"}, done)
}

func TestInterleaveStopsAtTheBudgetAndSaysWhere(t *testing.T) {
	t.Parallel()
	started := 0
	fake := &runner.Fake{Script: func(s runner.Spec) runner.FakeRun {
		started++
		time.Sleep(30 * time.Millisecond)
		return runner.FakeRun{Result: runner.Result{Outcome: runner.OutcomeOK, Stdout: []byte(`{}`)}}
	}}
	stop := Interleave(context.Background(), fake, fakeJobs("A", "B"), Plan{Rounds: 100, Deadline: time.Now().Add(100 * time.Millisecond)}, func(Done) {})
	assert.Equal(t, results.StatusBudget, stop.Status)
	assert.Less(t, started, 10)
	assert.Equal(t, started, stop.Round*2+stop.Job, "stops exactly where the next run would have started")
	assert.Contains(t, stop.Reason, "time budget spent before")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stop = Interleave(ctx, fake, fakeJobs("A"), Plan{Rounds: 3}, func(Done) {})
	assert.Equal(t, results.StatusInterrupted, stop.Status)
	assert.Equal(t, "interrupted before A round 1", stop.Reason)

	var reasons []string
	Interleave(context.Background(), fake, fakeJobs("broken"), Plan{Rounds: 1}, func(d Done) { reasons = append(reasons, d.Outcome.Reason) })
	assert.Equal(t, []string{"no workspace for this round"}, reasons, "a round that cannot be made is that round's failure")
}

func TestSamples(t *testing.T) {
	t.Parallel()
	var s Samples
	s.Add("seconds", "s", "inside", 0, true, 9)
	s.Add("seconds", "s", "inside", 0, false, 1)
	s.Add("seconds", "s", "inside", 1, false, 2)
	s.Add("bytes", "B", "inside", 0, false, 10)
	s.Add("bytes", "B", "inside", 2, false, 30)
	s.AddOutside(0, false, Outcome{Process: runner.Result{Wall: time.Second, User: 2 * time.Second, Sys: time.Second, PeakRSS: 5}})
	vals := s.Values()
	require.Len(t, vals, 5)
	assert.Equal(t, results.Value{Name: "seconds", Unit: "s", Source: "inside", Samples: []float64{1, 2}, Warmup: []float64{9}}, vals[0])
	assert.Equal(t, []int{0, 2}, vals[1].Rounds, "a missed round keeps the numbering")
	assert.Equal(t, "wall", vals[2].Name)
	assert.Equal(t, []float64{3}, vals[3].Samples, "CPU is user + sys")
}
