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
	jobs := []batch.Job{{Name: "A", Make: func(round int) (batch.Run, error) {
		return batch.Run{Spec: runner.Spec{Argv: []string{"a", fmt.Sprint(round)}}, Output: "none"}, nil
	}}}
	var s batch.Samples
	stop := r.Interleave(context.Background(), jobs, func(d batch.Done) { s.AddOutside(d.Round, d.Warmup, d.Outcome) })
	assert.Equal(t, batch.Tally{Rerun: 1}, stop.Disturbed)
	assert.Equal(t, []string{"A round 1", "A round 2", "A round 2 re-run (disturbed)", "1 disturbed rounds re-run, 0 kept flagged"}, shown.said)
	require.Len(t, recs, 2)
	assert.Equal(t, "disturbance of A: no cpuacct cgroup", recs[0].Reason)
	assert.Equal(t, results.KindWarning, recs[1].Kind)
	assert.Equal(t, "1 disturbed rounds re-run, 0 kept flagged (other work or steal above 10% of a run's CPUs)", recs[1].Reason)
	for _, v := range s.Values() {
		assert.Empty(t, v.Disturbed, v.Name)
	}
	foreign, ok := valueOf(s.Values(), batch.ForeignCPU)
	require.True(t, ok)
	assert.InDelta(t, 0.09, foreign.Samples[0], 1e-9, "just below the threshold: kept, not re-run")
	assert.InDelta(t, 0, foreign.Samples[1], 1e-9, "the quiet re-run replaced round 2")
}

func valueOf(vals []results.Value, name string) (results.Value, bool) {
	for _, v := range vals {
		if v.Name == name {
			return v, true
		}
	}
	return results.Value{}, false
}
