package probes

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/probecheck"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/stats"
)

// The limits that stop a capacity step, as its steps and table name them: the
// capacity is as much a matter of time as of memory.
const (
	// stoppedByMemory: killed at the 2 GiB cgroup limit, or the runtime
	// reported running out of memory itself (the JVM's heap is 75% of it).
	stoppedByMemory = "memory"
	// stoppedByTime: the tasks took more than twice the ideal second, or the
	// run reached its wall limit.
	stoppedByTime = "time"
	// stoppedByFailure: a crash, a malformed line or a failed completion check.
	stoppedByFailure = "failure"
)

// Phases of the search a step belongs to.
const (
	phaseDoubling  = "doubling"
	phaseBisection = "bisection"
)

// outOfMemory are what runtimes print when they run out of memory before the
// cgroup kills them: Python's MemoryError, the JVM's OutOfMemoryError, Go's
// "fatal error: runtime: out of memory", a failed allocation.
var outOfMemory = []string{"MemoryError", "OutOfMemoryError", "out of memory", "Cannot allocate memory"}

// A capacityStep is one count tried by the capacity search.
type capacityStep struct {
	Phase string `json:"phase"`
	// Round is the round the step measured; -1 for the doubling, which
	// every round starts from.
	Round int   `json:"round"`
	Count int64 `json:"count"`
	OK    bool  `json:"ok"`
	// StoppedBy names the limit a failed step broke (stoppedBy*).
	StoppedBy string `json:"stopped_by,omitempty"`
	// Seconds is the work's time as the contender measured it; Wall the
	// whole run's, process start included, as the harness did.
	Seconds float64 `json:"seconds,omitempty"`
	Wall    float64 `json:"wall_seconds"`
	PeakB   int64   `json:"peak_bytes,omitempty"`
	Why     string  `json:"why,omitempty"`
}

// stepOf judges one run of k tasks: it holds when the run exits 0, every task
// completed, and the work took at most twice the ideal second; otherwise it
// names the limit that stopped it.
func stepOf(k int64, o batch.Outcome) capacityStep {
	step := capacityStep{Count: k, Wall: o.Process.Wall.Seconds(), PeakB: max(o.Process.CgroupPeak, o.Process.PeakRSS)}
	fail := func(by, why string) capacityStep {
		step.StoppedBy, step.Why = by, why
		return step
	}
	switch {
	case o.Status == results.StatusOutOfMemory:
		return fail(stoppedByMemory, o.Reason)
	case o.Status == results.StatusTimeout:
		return fail(stoppedByTime, o.Reason)
	case !o.OK() && ranOutOfMemory(o.Process.Stderr):
		return fail(stoppedByMemory, o.Reason)
	case !o.OK():
		return fail(stoppedByFailure, o.Reason)
	}
	line, err := probecheck.ParseTasks(o.Final)
	if err != nil {
		return fail(stoppedByFailure, err.Error())
	}
	step.Seconds = line.Seconds
	if c := probecheck.CheckTasks(line, int(k)); !c.Pass {
		return fail(stoppedByFailure, c.Detail)
	}
	if ideal := taskSleep.Seconds(); line.Seconds > 2*ideal {
		return fail(stoppedByTime, fmt.Sprintf("took %.2f s, more than twice the ideal %.0f s", line.Seconds, ideal))
	}
	step.OK = true
	return step
}

func ranOutOfMemory(stderr []byte) bool {
	for _, s := range outOfMemory {
		if bytes.Contains(stderr, []byte(s)) {
			return true
		}
	}
	return false
}

// A capacityProbe runs one step at k tasks; ok is false when the step did not
// run (the stage's budget is spent, or the run was interrupted).
type capacityProbe func(k int64) (step capacityStep, ok bool)

// A capacitySearch is one contender's search: the doubling's bracket, every
// step tried, and the capacity each round found.
type capacitySearch struct {
	probe capacityProbe
	// lo is the largest count the doubling saw hold (0: none held); hi the
	// count that failed after it (0: none failed up to the top).
	lo, hi int64
	steps  []capacityStep
	// samples and rounds are the capacity of each round that finished.
	samples []float64
	rounds  []int
	// cutAt is the count of the first step that could not run, or 0.
	cutAt int64
}

// try runs one step of the search and keeps it; false when it did not run.
func (s *capacitySearch) try(phase string, round int, k int64) (capacityStep, bool) {
	if s.cutAt > 0 {
		return capacityStep{}, false
	}
	step, ok := s.probe(k)
	if !ok {
		s.cutAt = k
		return step, false
	}
	step.Phase, step.Round, step.Count = phase, round, k
	s.steps = append(s.steps, step)
	return step, true
}

// double tries K = start, 2 start, 4 start, ... and top last, up to the first
// failure. A search that holds at top has nothing to narrow: its one sample
// is top, an "at least".
func (s *capacitySearch) double(start, top int64) {
	for k := min(start, top); ; k = min(2*k, top) {
		step, ok := s.try(phaseDoubling, -1, k)
		if !ok {
			return
		}
		if !step.OK {
			s.hi = k
			return
		}
		s.lo = k
		if k == top {
			s.samples, s.rounds = []float64{float64(k)}, []int{0}
			return
		}
	}
}

// narrow is within tolerance: hi is at most CapacityTolerance above lo.
func narrow(lo, hi int64) bool { return float64(hi-lo) <= CapacityTolerance*float64(lo) }

// bisect narrows the doubling's bracket in one round until it is narrow; the
// round's capacity is its lower end. Every round starts from the doubling's
// bracket, so it costs at most four steps however much the capacity moves
// between rounds, and its capacity lies within that bracket: a round in
// which every midpoint fails finds the doubling's lower end, which held.
func (s *capacitySearch) bisect(round int) {
	lo, hi := s.lo, s.hi
	for !narrow(lo, hi) {
		mid := lo + (hi-lo)/2
		step, ok := s.try(phaseBisection, round, mid)
		if !ok {
			return
		}
		if step.OK {
			lo = mid
		} else {
			hi = mid
		}
	}
	s.samples = append(s.samples, float64(lo))
	s.rounds = append(s.rounds, round)
}

// bracketed reports whether the doubling found a count that holds and a
// larger one that fails: what the rounds narrow.
func (s *capacitySearch) bracketed() bool { return s.lo > 0 && s.hi > 0 }

// searchCapacity doubles every contender's K once, then runs the rounds of
// bisection interleaved across contenders (A B C A B C), so round i of every
// contender is the same round and their ratio pairs by round. A contender
// whose round was cut short by the budget runs no step after it.
func searchCapacity(ss []*capacitySearch, start, top int64, rounds int) {
	for _, s := range ss {
		s.double(start, top)
	}
	for round := 0; round < rounds; round++ {
		for _, s := range ss {
			if s.bracketed() {
				s.bisect(round)
			}
		}
	}
}

// capacityContenders are the contenders whose capacity the profile searches:
// every one in full; in quick and smoke only the claim's stand-ins (the
// manifest's "claims" role), as a search takes 30-50 s a contender here. Contenders capped by max_count (OS threads) stop
// at the thread limit, not at memory or time, and are never searched.
func capacityContenders(profile string, cs []*stage.Contender) []*stage.Contender {
	var out []*stage.Contender
	for _, c := range cs {
		if maxCount(c) == 0 && (profile == plan.Full || c.Decl.HasRole(manifest.RoleClaims)) {
			out = append(out, c)
		}
	}
	return out
}

// capacity searches the capacity of each contender the profile names and
// emits one record each: the value "capacity" with a sample per round, and
// every step with the limit that stopped it as the "capacity-steps"
// attachment.
func (Tasks) capacity(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	top := int64(capacityMax)
	if r.Profile == plan.Smoke {
		top = capacityMaxSmoke
	}
	rounds := max(capacityRounds, r.Plan.Rounds)
	searched := capacityContenders(r.Profile, cs)
	ss := make([]*capacitySearch, len(searched))
	for i, c := range searched {
		ss[i] = &capacitySearch{probe: func(k int64) (capacityStep, bool) {
			if ctx.Err() != nil || r.Remaining() <= 0 {
				return capacityStep{}, false
			}
			r.Progressf("%s: capacity step K = %d", c.Name(), k)
			return capacityTry(ctx, r, c, k), true
		}}
	}
	searchCapacity(ss, CapacityStart, top, rounds)
	for i, c := range searched {
		s := ss[i]
		rec := r.Record(c, results.StepMeasure)
		rec.Config = map[string]any{"capacity": "search", "memory_limit": "2 GiB", "cpus": "all",
			"at_limit": s.lo == top, "search_top": top, "rounds": rounds, "tolerance": "10%"}
		rec.Status = results.StatusOK
		if s.cutAt > 0 {
			rec.Status, rec.Reason = results.StatusBudget, fmt.Sprintf("stopped before K = %d: the stage's time budget is spent", s.cutAt)
			if ctx.Err() != nil {
				rec.Status, rec.Reason = results.StatusInterrupted, fmt.Sprintf("interrupted before K = %d", s.cutAt)
			}
			r.Stopped(batch.Stop{Status: rec.Status, Reason: c.Name() + " capacity search " + rec.Reason})
		}
		if len(s.samples) > 0 {
			rec.Values = []results.Value{{Name: "capacity", Unit: "tasks", Samples: s.samples, Rounds: s.rounds, Source: "outside"}}
		}
		curve, err := json.Marshal(s.steps)
		if err != nil {
			r.Warn("%s: capacity steps: %v", c.Name(), err)
		}
		rec.Attach = []results.Attach{{Name: capacityStepsAttach, Media: "application/json", Data: curve}}
		r.Emit(rec)
	}
}

// capacityStepsAttach names the attachment that lists a search's steps.
const capacityStepsAttach = "capacity-steps"

// capacityTry runs one step of k tasks under CapacityLimit and judges it.
func capacityTry(ctx context.Context, r *stage.Run, c *stage.Contender, k int64) capacityStep {
	run, err := tasksRun(r, c, k, capacityStepLimit)
	if err != nil {
		return capacityStep{Count: k, StoppedBy: stoppedByFailure, Why: err.Error()}
	}
	return stepOf(k, batch.Execute(ctx, r.Exec, run))
}

// stoppedBy tallies the limits that stopped a search's failed steps, most
// frequent first: "time" when time stopped every one, "memory 3, time 1"
// when both did.
func stoppedBy(steps []capacityStep) string {
	n := map[string]int{}
	for _, s := range steps {
		if !s.OK {
			n[s.StoppedBy]++
		}
	}
	if len(n) == 0 {
		return "nothing"
	}
	limits := make([]string, 0, len(n))
	for l := range n {
		limits = append(limits, l)
	}
	sort.Slice(limits, func(i, j int) bool {
		if n[limits[i]] != n[limits[j]] {
			return n[limits[i]] > n[limits[j]]
		}
		return limits[i] < limits[j]
	})
	if len(limits) == 1 {
		return limits[0]
	}
	parts := make([]string, len(limits))
	for i, l := range limits {
		parts[i] = fmt.Sprintf("%s %d", l, n[l])
	}
	return strings.Join(parts, ", ")
}

// capacityTable shows each search: the capacity per round, how many steps it
// took, and which limit stopped its failed steps.
func capacityTable(recs []results.Record) report.Table {
	t := report.Table{ID: "tasks-capacity-search", Title: "Capacity search: K doubled from 10,000 once, then bisected to 10% in each round",
		Columns: []report.Column{{Title: "contender"}, {Title: "capacity", Right: true}, {Title: "by round"},
			{Title: "steps", Right: true}, {Title: "stopped by"}, {Title: "status", Wide: true}}}
	for _, r := range recs {
		if r.Kind != results.KindResult || r.Step != results.StepMeasure || r.Contender == nil || r.Config["capacity"] != "search" {
			continue
		}
		var steps []capacityStep
		for _, a := range r.Attach {
			if a.Name == capacityStepsAttach {
				if err := json.Unmarshal(a.Data, &steps); err != nil {
					t.Notes = append(t.Notes, report.Note{Text: fmt.Sprintf("%s: unreadable steps: %v", r.ContenderName(), err)})
				}
			}
		}
		figure, rounds := report.TextCell("-"), "-"
		if v, ok := r.Value("capacity"); ok && len(v.Samples) > 0 {
			figure = report.FigureCell(stats.Of(v), v.Unit)
			parts := make([]string, len(v.Samples))
			for i, x := range v.Samples {
				parts[i] = fmt.Sprintf("%d: %s", v.RoundOf(i)+1, report.FormatValue(x, v.Unit))
			}
			rounds = strings.Join(parts, ", ")
		}
		st := r.Status
		if r.Reason != "" {
			st += ": " + r.Reason
		}
		t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{report.TextCell(report.ColumnTitle(*r.Contender)), figure,
			report.TextCell(rounds), report.TextCell(fmt.Sprint(len(steps))), report.TextCell(stoppedBy(steps)), report.TextCell(st)}})
	}
	return t
}
