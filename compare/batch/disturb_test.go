package batch

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// scriptedMeter hands out readings in the order runs start: busy ones a
// spinning neighbour would give, quiet ones otherwise.
type scriptedMeter struct {
	busy []bool
	n    int
}

type fixedWindow disturb.Reading

func (w fixedWindow) StopWith(disturb.Tree) disturb.Reading { return disturb.Reading(w) }

func (m *scriptedMeter) Start(cpus []int) disturb.Window {
	r := disturb.Reading{CPUs: cpus, Capacity: 1, Busy: 0.52, Tree: 0.5}
	if m.n < len(m.busy) && m.busy[m.n] {
		r.Busy = 1
	}
	m.n++
	return fixedWindow(r)
}

// runs numbers each fake run, so a re-run's figure tells itself apart.
func numberedRuns() *runner.Fake {
	n := 0
	return &runner.Fake{Script: func(runner.Spec) runner.FakeRun {
		n++
		return runner.FakeRun{Result: runner.Result{Outcome: runner.OutcomeOK, Stdout: []byte(fmt.Sprintf(`{"seconds":%d}`, n))}}
	}}
}

func TestDisturbedRoundsAreRerunAtTheEnd(t *testing.T) {
	t.Parallel()
	// Runs in order: A0 B0 A1 B1 A2 B2, then the re-runs of A1 and B2.
	meter := &scriptedMeter{busy: []bool{false, false, true, false, false, true, false, true}}
	samples := map[int]*Samples{0: {}, 1: {}}
	var done []string
	stop := Interleave(context.Background(), numberedRuns(), fakeJobs("A", "B"), Plan{Rounds: 3, Meter: meter}, func(d Done) {
		done = append(done, fmt.Sprintf("%d/%d/%v", d.Job, d.Round, d.Rerun))
		var res struct{ Seconds float64 }
		require.True(t, d.Outcome.Decode(&res))
		samples[d.Job].Add("seconds", "s", "inside", d.Round, d.Warmup, res.Seconds)
		samples[d.Job].AddOutside(d.Round, d.Warmup, d.Outcome)
	})
	require.True(t, stop.Completed())
	assert.Equal(t, []string{"0/0/false", "1/0/false", "0/1/false", "1/1/false", "0/2/false", "1/2/false", "0/1/true", "1/2/true"}, done)
	assert.Equal(t, Tally{Rerun: 1, Kept: 1}, stop.Disturbed)
	assert.Equal(t, "1 disturbed rounds re-run, 1 kept flagged", stop.Disturbed.String())

	a, b := samples[0].Values(), samples[1].Values()
	assert.Equal(t, []float64{1, 7, 5}, a[0].Samples, "the quiet re-run (run 7) replaces round 1")
	assert.Nil(t, a[0].Rounds, "same round number: pairing holds")
	for _, v := range a {
		assert.Empty(t, v.Disturbed, "%s: re-run quietly, not flagged", v.Name)
	}
	assert.Equal(t, []float64{2, 4, 8}, b[0].Samples, "the disturbed re-run is kept")
	for _, v := range b {
		assert.Equal(t, []int{2}, v.Disturbed, "%s: every value of the record flags round 2", v.Name)
	}
	foreign, ok := valueNamed(a, ForeignCPU)
	require.True(t, ok)
	assert.Equal(t, "1", foreign.Unit)
	assert.InDelta(t, 0.02, foreign.Samples[1], 1e-9, "round 1 holds the re-run's share")
	_, ok = valueNamed(b, Steal)
	assert.True(t, ok)
}

func TestDisturbedRoundIsKeptWhenTheBudgetHasNoRoom(t *testing.T) {
	t.Parallel()
	slow := &runner.Fake{Script: func(runner.Spec) runner.FakeRun {
		return runner.FakeRun{Result: runner.Result{Outcome: runner.OutcomeOK, Wall: time.Hour, Stdout: []byte(`{}`)}}
	}}
	meter := &scriptedMeter{busy: []bool{true}}
	var reruns int
	stop := Interleave(context.Background(), slow, fakeJobs("A"), Plan{Rounds: 1, Meter: meter, Deadline: time.Now().Add(time.Minute)},
		func(d Done) {
			if d.Rerun {
				reruns++
			}
		})
	assert.True(t, stop.Completed())
	assert.Zero(t, reruns, "an hour-long round does not fit in the minute left")
	assert.Equal(t, Tally{Kept: 1}, stop.Disturbed)

	// Warm-up rounds are never re-run; a round without a meter is never disturbed.
	stop = Interleave(context.Background(), numberedRuns(), fakeJobs("A"), Plan{Warmup: 1, Rounds: 1, Meter: &scriptedMeter{busy: []bool{true}}}, func(Done) {})
	assert.False(t, stop.Disturbed.Any())
	stop = Interleave(context.Background(), numberedRuns(), fakeJobs("A"), Plan{Rounds: 1}, func(Done) {})
	assert.False(t, stop.Disturbed.Any())
}

func valueNamed(vals []results.Value, name string) (results.Value, bool) {
	for _, v := range vals {
		if v.Name == name {
			return v, true
		}
	}
	return results.Value{}, false
}
