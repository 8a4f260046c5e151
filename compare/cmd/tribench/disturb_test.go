package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/toolchain"
)

// disturbtest is the self-test stage with a neighbour: while its second
// measured round runs the first time, a process spins on the contenders'
// CPU. It records what each run of that round read, for the test to hold.
type disturbtest struct {
	selftest
}

// busyRound is the measured round that gets a spinning neighbour.
const busyRound = 1

var neighbour struct {
	mu       sync.Mutex
	spinning *exec.Cmd
	spun     bool
	readings []batch.Done // the runs of busyRound, in order
}

func init() {
	stage.Register(func() stage.Stage { return disturbtest{} })
	tiny := plan.Plan{Budget: time.Minute, Rounds: 2, Sizes: []int64{21}, Unit: "units"}
	plan.Set("disturbtest", map[string]plan.Plan{plan.Smoke: tiny, plan.Quick: tiny, plan.Full: tiny})
}

func (s disturbtest) Prepare(context.Context, *stage.Run) (stage.Prepared, error) { return s, nil }

func (disturbtest) Info() stage.Info {
	i := selftest{}.Info()
	i.Name, i.Workload, i.Title = "disturbtest", "disturbtest", "Disturbed-round test stage"
	i.Summary, i.Manifest = "the harness's disturbed-round test stage", "compare/cmd/tribench/testdata/disturbtest/contenders.json"
	return i
}

// Measure is the self-test stage's, with the neighbour started before the
// busy round's first run and stopped after it; the callback is the one any
// stage has.
func (s disturbtest) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	c := cs[0]
	jobs := []stage.Job{{Contender: c, Name: c.Name(), Run: func(round int) (batch.Run, error) {
		if round == busyRound {
			spinOnce(r.ContenderCPUs[0])
		}
		return r.Batch(c, "work", stage.RunOptions{Vars: s.size(r)})
	}}}
	var samples batch.Samples
	r.Interleave(ctx, jobs, func(d batch.Done) {
		if d.Round == busyRound && !d.Warmup {
			stopSpinning()
			neighbour.mu.Lock()
			neighbour.readings = append(neighbour.readings, d)
			neighbour.mu.Unlock()
		}
		samples.AddOutside(d.Round, d.Warmup, d.Outcome)
	})
	rec := r.Record(c, results.StepMeasure)
	rec.Status, rec.Values = results.StatusOK, samples.Values()
	r.Emit(rec)
}

// spinOnce starts the neighbour on cpu the first time only: the re-run is
// quiet. timeout bounds it should the test die before stopping it.
func spinOnce(cpu int) {
	neighbour.mu.Lock()
	defer neighbour.mu.Unlock()
	if neighbour.spun {
		return
	}
	neighbour.spun = true
	cmd := exec.Command("timeout", "30", "taskset", "-c", strconv.Itoa(cpu), "sh", "-c", "while :; do :; done")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if cmd.Start() == nil {
		neighbour.spinning = cmd
		time.Sleep(50 * time.Millisecond) // on its CPU before the run starts
	}
}

func stopSpinning() {
	neighbour.mu.Lock()
	defer neighbour.mu.Unlock()
	if cmd := neighbour.spinning; cmd != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		neighbour.spinning = nil
	}
}

// A round with a process spinning on the contenders' CPU is flagged and re-run
// at the end, under the same round number, and the stage warns. Whether other
// rounds are quiet depends on the machine; batch and stage tests hold the
// quiet case with injected readings.
func TestSpinningNeighbourDisturbsTheRound(t *testing.T) {
	selftestCache(t)
	t.Cleanup(stopSpinning)
	dir := filepath.Join(t.TempDir(), "run")
	root, err := repoRoot()
	require.NoError(t, err)
	// The stage alone, as its command runs it, without the environment probe.
	require.NoError(t, stage.Execute(context.Background(), stage.Options{Root: root, Cache: toolchain.Cache(), Profile: plan.Smoke,
		Stages: []stage.Stage{disturbtest{}}, ResultsDir: dir, Stdout: &bytes.Buffer{}, Exec: runner.OS{}, Meter: disturb.System{}}))

	neighbour.mu.Lock()
	runs := append([]batch.Done(nil), neighbour.readings...)
	neighbour.mu.Unlock()
	require.Len(t, runs, 2, "the busy round ran, then its re-run")
	first := runs[0].Outcome.Disturbance
	require.True(t, first.Measured(), first.Note)
	t.Logf("busy round: foreign %.2f, steal %.2f over %.2f s of CPU", first.Foreign(), first.StealShare(), first.Capacity)
	assert.Equal(t, "cpuacct", first.TreeSource, "the tree's time comes from its cgroup here")
	assert.Greater(t, first.Foreign(), disturb.Threshold, "a spinning neighbour takes about half the CPU or more")
	assert.True(t, first.Disturbed())
	assert.False(t, runs[0].Rerun)
	assert.True(t, runs[1].Rerun)

	recs := readResults(t, dir)
	var warned bool
	for _, r := range recs {
		if r.Kind == results.KindWarning && strings.Contains(r.Reason, "disturbed rounds re-run") {
			warned = true
		}
	}
	assert.True(t, warned, "a warning record says how many rounds were re-run")
	measure := byContender(recs, results.StepMeasure)["go-sleepy"]
	foreign, ok := measure.Value(batch.ForeignCPU)
	require.True(t, ok)
	assert.Len(t, foreign.Samples, 2, "the re-run replaced its round's sample")
	assert.Equal(t, runs[1].Outcome.Disturbance.Foreign(), foreign.Samples[busyRound])
	if runs[1].Outcome.Disturbance.Disturbed() {
		assert.Contains(t, foreign.Disturbed, busyRound, "a disturbed re-run is kept, flagged")
	} else {
		assert.NotContains(t, foreign.Disturbed, busyRound)
	}
}
