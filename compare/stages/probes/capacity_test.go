package probes

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
)

// fakeCapacity is a contender that holds up to capacity tasks and is
// stopped above it by limit.
func fakeCapacity(capacity int64, limit string, calls *[]int64) capacityProbe {
	return func(k int64) (capacityStep, bool) {
		if calls != nil {
			*calls = append(*calls, k)
		}
		if k <= capacity {
			return capacityStep{OK: true, Seconds: 1.1}, true
		}
		return capacityStep{StoppedBy: limit}, true
	}
}

func TestBisectionNarrowsToTenPercent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		capacity int64
		top      int64
		samples  int
		atLimit  bool
	}{
		{"between two doublings", 137_000, capacityMax, 3, false},
		{"just below a doubling", 159_999, capacityMax, 3, false},
		{"exactly the start", CapacityStart, capacityMax, 3, false},
		{"above the top", 1_000_000, 20_000, 1, true},
		{"below the start", 9_000, capacityMax, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &capacitySearch{probe: fakeCapacity(tc.capacity, stoppedByMemory, nil)}
			searchCapacity([]*capacitySearch{s}, CapacityStart, tc.top, capacityRounds)
			require.Len(t, s.samples, tc.samples)
			assert.Equal(t, tc.atLimit, s.lo > 0 && s.hi == 0)
			for _, got := range s.samples {
				assert.LessOrEqual(t, got, float64(tc.capacity), "a capacity that held")
				if !tc.atLimit {
					assert.LessOrEqual(t, (float64(tc.capacity)-got)/got, 0.10, "within 10%% of %d: %v", tc.capacity, got)
				}
			}
			for _, st := range s.steps {
				assert.Equal(t, st.Count <= tc.capacity, st.OK, "step K = %d", st.Count)
				if !st.OK {
					assert.Equal(t, stoppedByMemory, st.StoppedBy)
				}
			}
		})
	}
}

func TestEachRoundMeasuresItsOwnCapacity(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		now   []int64 // the capacity in each round; the doubling sees the first
		want  []float64
		steps int // the most steps a round takes
	}{
		{"stays put", []int64{137_000, 137_000, 137_000}, []float64{130_000, 130_000, 130_000}, 4},
		{"moves within the doubling's bracket", []int64{137_000, 95_000, 155_000}, []float64{130_000, 95_000, 150_000}, 4},
		// The doubling's bracket bounds every round: below it, a round finds
		// the doubling's lower end.
		{"falls below the doubling's bracket", []int64{137_000, 60_000, 137_000}, []float64{130_000, 80_000, 130_000}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &capacitySearch{}
			s.probe = func(k int64) (capacityStep, bool) {
				return fakeCapacity(tc.now[len(s.samples)], stoppedByTime, nil)(k)
			}
			searchCapacity([]*capacitySearch{s}, CapacityStart, capacityMax, capacityRounds)
			assert.Equal(t, []int{0, 1, 2}, s.rounds)
			assert.Equal(t, tc.want, s.samples)
			perRound := map[int]int{}
			for _, st := range s.steps {
				perRound[st.Round]++
			}
			for round := 0; round < capacityRounds; round++ {
				assert.LessOrEqual(t, perRound[round], tc.steps, "round %d: %v", round, s.steps)
			}
		})
	}
}

func TestRoundsPairAcrossContenders(t *testing.T) {
	t.Parallel()
	var order []string
	probe := func(name string, capacity int64) capacityProbe {
		inner := fakeCapacity(capacity, stoppedByTime, nil)
		return func(k int64) (capacityStep, bool) {
			order = append(order, name)
			return inner(k)
		}
	}
	py := &capacitySearch{probe: probe("python", 137_000)}
	kt := &capacitySearch{probe: probe("kotlin", 301_000)}
	searchCapacity([]*capacitySearch{py, kt}, CapacityStart, capacityMax, capacityRounds)

	for _, s := range []*capacitySearch{py, kt} {
		assert.Equal(t, []int{0, 1, 2}, s.rounds)
		require.Len(t, s.samples, 3)
	}
	ratio := results.PairedRatio("kotlin/python", results.Value{Samples: kt.samples, Rounds: kt.rounds},
		results.Value{Samples: py.samples, Rounds: py.rounds})
	assert.Equal(t, []int{0, 1, 2}, ratio.Rounds)
	for _, x := range ratio.Samples {
		assert.InDelta(t, 301.0/137, x, 0.25*301/137, "no longer a power of two")
	}

	// Doubling each contender once, then bisection rounds A B A B A B.
	var blocks []string
	for _, name := range order {
		if len(blocks) == 0 || blocks[len(blocks)-1] != name {
			blocks = append(blocks, name)
		}
	}
	assert.Equal(t, []string{"python", "kotlin", "python", "kotlin", "python", "kotlin", "python", "kotlin"}, blocks)
}

func TestBudgetCutKeepsRoundsPaired(t *testing.T) {
	t.Parallel()
	left := 20 // runs the budget allows
	budget := func(p capacityProbe) capacityProbe {
		return func(k int64) (capacityStep, bool) {
			if left == 0 {
				return capacityStep{}, false
			}
			left--
			return p(k)
		}
	}
	a := &capacitySearch{probe: budget(fakeCapacity(137_000, stoppedByMemory, nil))}
	b := &capacitySearch{probe: budget(fakeCapacity(55_000, stoppedByTime, nil))}
	searchCapacity([]*capacitySearch{a, b}, CapacityStart, capacityMax, capacityRounds)
	assert.Positive(t, a.cutAt)
	assert.Positive(t, b.cutAt)
	assert.Less(t, len(a.samples), capacityRounds)
	for i, r := range b.rounds {
		assert.Equal(t, a.rounds[i], r, "round %d of both is the same round", i)
	}
	assert.Len(t, a.steps, 20-len(b.steps), "no step ran after the cut")
}

// tasksOutcome runs a scripted process through the batch runner, as a step does.
func tasksOutcome(t *testing.T, res runner.Result) batch.Outcome {
	t.Helper()
	fake := &runner.Fake{Script: func(runner.Spec) runner.FakeRun { return runner.FakeRun{Result: res} }}
	return batch.Execute(context.Background(), fake, batch.Run{Spec: runner.Spec{Argv: []string{"probe"}}, Output: manifest.OutputLine})
}

func tasksLine(count, completed int, seconds float64) []byte {
	return []byte(fmt.Sprintf(`{"runtime":"fake","count":%d,"completed":%d,"seconds":%g,"peak_rss_bytes":1}`+"\n", count, completed, seconds))
}

func TestStepsNameTheLimitThatStoppedThem(t *testing.T) {
	t.Parallel()
	const k = 200_000
	for _, tc := range []struct {
		name string
		res  runner.Result
		ok   bool
		by   string
	}{
		{"held", runner.Result{Outcome: runner.OutcomeOK, Stdout: tasksLine(k, k, 1.4)}, true, ""},
		{"killed at the cgroup limit", runner.Result{Outcome: runner.OutcomeMemoryLimit, MemoryMethod: "cgroup", CgroupPeak: CapacityLimit}, false, stoppedByMemory},
		{"JVM heap exhausted", runner.Result{Outcome: runner.OutcomeExitError, ExitCode: 1,
			Stderr: []byte("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n\tat Foo.bar(Foo.kt:1)\n")}, false, stoppedByMemory},
		{"Python MemoryError", runner.Result{Outcome: runner.OutcomeExitError, ExitCode: 1, Stderr: []byte("MemoryError\n")}, false, stoppedByMemory},
		{"over 2 s", runner.Result{Outcome: runner.OutcomeOK, Stdout: tasksLine(k, k, 2.6)}, false, stoppedByTime},
		{"wall limit", runner.Result{Outcome: runner.OutcomeTimeout, Wall: capacityStepLimit}, false, stoppedByTime},
		{"tasks lost", runner.Result{Outcome: runner.OutcomeOK, Stdout: tasksLine(k, k-1, 1.2)}, false, stoppedByFailure},
		{"crash", runner.Result{Outcome: runner.OutcomeExitError, ExitCode: -1, Stderr: []byte("Segmentation fault\n")}, false, stoppedByFailure},
		{"no line", runner.Result{Outcome: runner.OutcomeOK}, false, stoppedByFailure},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			step := stepOf(k, tasksOutcome(t, tc.res))
			assert.Equal(t, tc.ok, step.OK, step.Why)
			assert.Equal(t, tc.by, step.StoppedBy, step.Why)
			assert.Equal(t, tc.ok, step.Why == "", "a failed step says why")
		})
	}
}

func TestStoppedByTalliesFailedSteps(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		steps []capacityStep
		want  string
	}{
		{nil, "nothing"},
		{[]capacityStep{{OK: true}, {StoppedBy: stoppedByTime}, {StoppedBy: stoppedByTime}}, "time"},
		{[]capacityStep{{StoppedBy: stoppedByTime}, {StoppedBy: stoppedByMemory}, {StoppedBy: stoppedByMemory}}, "memory 2, time 1"},
	} {
		assert.Equal(t, tc.want, stoppedBy(tc.steps))
	}
}

func TestCapacityContendersComeFromTheManifest(t *testing.T) {
	t.Parallel()
	decl := func(name string, roles []string, settings map[string]string) *stage.Contender {
		return stage.Resolve(manifest.Contender{Name: name, Roles: roles, Settings: settings}, "memprobe", "/r", "/c", "/b", []int{0})
	}
	claims := []string{manifest.RoleClaims}
	cs := []*stage.Contender{
		decl("stand-in", claims, nil),
		decl("other", nil, nil),
		decl("threads", claims, map[string]string{"max_count": "30000"}),
	}
	names := func(cs []*stage.Contender) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name())
		}
		return out
	}
	assert.Equal(t, []string{"stand-in"}, names(capacityContenders(plan.Quick, cs)))
	assert.Equal(t, []string{"stand-in"}, names(capacityContenders(plan.Smoke, cs)))
	assert.Equal(t, []string{"stand-in", "other"}, names(capacityContenders(plan.Full, cs)))
}

func TestCapacityTableShowsWhatStoppedTheSearch(t *testing.T) {
	t.Parallel()
	steps, err := json.Marshal([]capacityStep{{Phase: phaseDoubling, Round: -1, Count: 10_000, OK: true},
		{Phase: phaseDoubling, Round: -1, Count: 20_000, StoppedBy: stoppedByTime, Why: "took 2.4 s"}})
	require.NoError(t, err)
	rec := results.Record{Kind: results.KindResult, Step: results.StepMeasure, Status: results.StatusOK,
		Contender: &results.Contender{Name: "python-3.13", Kind: manifest.Canonical}, Config: map[string]any{"capacity": "search"},
		Values: []results.Value{{Name: "capacity", Unit: "tasks", Samples: []float64{14_000, 15_000, 14_000}, Rounds: []int{0, 1, 2}}},
		Attach: []results.Attach{{Name: capacityStepsAttach, Media: "application/json", Data: steps}}}
	table := capacityTable([]results.Record{rec})
	require.Len(t, table.Rows, 1)
	var cells []string
	for _, c := range table.Rows[0].Cells {
		cells = append(cells, c.String())
	}
	assert.Equal(t, "python-3.13", cells[0])
	assert.Contains(t, cells[2], "2: 15")
	assert.Equal(t, "2", cells[3])
	assert.Equal(t, stoppedByTime, cells[4])
	assert.Empty(t, table.Notes)
}
