package stage

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// foreignMeter gives each run, in start order, the foreign share listed
// (quiet when the list is done), with a note on how the tree was measured.
type foreignMeter struct {
	shares []float64
	n      int
}

type reading disturb.Reading

func (r reading) StopWith(disturb.Tree) disturb.Reading { return disturb.Reading(r) }

func (m *foreignMeter) Start(cpus []int) disturb.Window {
	share := 0.0
	if m.n < len(m.shares) {
		share = m.shares[m.n]
	}
	m.n++
	return reading{CPUs: cpus, Capacity: 1, Busy: 0.5 + share, Tree: 0.5, TreeSource: "rusage", Note: "no cpuacct cgroup"}
}

type steps struct {
	quiet
	said []string
}

func (s *steps) Step(what string) { s.said = append(s.said, what) }
func (s *steps) Say(what string)  { s.said = append(s.said, what) }

// A round well above the threshold is re-run and its progress says so; one
// just below is not flagged; the stage warns with the tally and, once, with
// how the trees' time was measured.
func TestInterleaveReRunsDisturbedRoundsAndWarns(t *testing.T) {
	t.Parallel()
	var recs []results.Record
	shown := &steps{}
	r := &Run{Info: Info{Name: "cpu"}, Plan: plan.Plan{Rounds: 2}, Exec: &runner.Fake{},
		Meter: &foreignMeter{shares: []float64{0.09, 0.5}}, progress: shown,
		emit: func(rec results.Record) error { recs = append(recs, rec); return nil }}
	jobs := []Job{{Name: "A", Run: func(round int) (batch.Run, error) {
		return batch.Run{Spec: runner.Spec{Argv: []string{"a", fmt.Sprint(round)}}, Output: "none"}, nil
	}}}
	m := r.Measure(context.Background(), jobs)
	assert.Equal(t, batch.Tally{Rerun: 1}, m.Stop.Disturbed)
	assert.Equal(t, []string{"A round 1", "A round 2", "A round 2 re-run (disturbed)", "1 disturbed rounds re-run, 0 kept flagged"}, shown.said)
	require.Len(t, recs, 2)
	assert.Equal(t, "disturbance of A: no cpuacct cgroup", recs[0].Reason)
	assert.Equal(t, results.KindWarning, recs[1].Kind)
	assert.Equal(t, "1 disturbed rounds re-run, 0 kept flagged (other work or steal above 10% of a run's CPUs)", recs[1].Reason)
	for _, v := range m.Values[0] {
		assert.Empty(t, v.Disturbed, v.Name)
	}
	foreign := m.Value(0, batch.ForeignCPU)
	require.Len(t, foreign.Samples, 2)
	assert.InDelta(t, 0.09, foreign.Samples[0], 1e-9, "just below the threshold: kept, not re-run")
	assert.InDelta(t, 0, foreign.Samples[1], 1e-9, "the quiet re-run replaced round 2")
}

// A job judges its runs by its own meter and threshold, and never re-runs
// the rounds it keeps: the http stage's loader rounds, judged on the
// server's CPU at 20%, with the first closed round kept.
func TestJobsOwnMeterThresholdAndKeptRounds(t *testing.T) {
	t.Parallel()
	var recs []results.Record
	r := &Run{Info: Info{Name: "http"}, Plan: plan.Plan{Rounds: 3}, Exec: &runner.Fake{},
		Meter: &foreignMeter{shares: []float64{0.9, 0.9, 0.9, 0.9}}, progress: quiet{},
		emit: func(rec results.Record) error { recs = append(recs, rec); return nil }}
	own := &foreignMeter{shares: []float64{0.5, 0.15, 0.5}}
	jobs := []Job{{Name: "loader", Meter: own, Threshold: 0.2, Kept: func(round int) bool { return round == 0 },
		Run: func(round int) (batch.Run, error) {
			return batch.Run{Spec: runner.Spec{Argv: []string{"load", fmt.Sprint(round)}}, Output: "none"}, nil
		}}}
	var runs []batch.Done
	stop := r.Interleave(context.Background(), jobs, func(d batch.Done) { runs = append(runs, d) })
	require.Len(t, runs, 4, "three rounds and one re-run, all measured by the job's meter")
	assert.Equal(t, 4, own.n)
	assert.Equal(t, []int{0, 1, 2, 2}, []int{runs[0].Round, runs[1].Round, runs[2].Round, runs[3].Round},
		"round 1 is kept (disturbed, flagged), round 2 is under the job's threshold, round 3 is re-run")
	assert.True(t, runs[3].Rerun)
	assert.Equal(t, batch.Tally{Rerun: 1, Kept: 1}, stop.Disturbed)
	require.NotEmpty(t, recs)
	assert.Equal(t, "1 disturbed rounds re-run, 1 kept flagged (other work or steal above 20% of a run's CPUs)", recs[len(recs)-1].Reason)
}
