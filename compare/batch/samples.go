package batch

import (
	"slices"

	"github.com/tribench/tribench/compare/results"
)

// Samples collects a job's values round by round, keeping warm-up rounds apart.
type Samples struct {
	order  []string
	values map[string]*results.Value
	// disturbed holds the measured rounds whose latest run was disturbed.
	disturbed map[int]bool
}

// Add records one round's value of the named quantity. A measured round
// added again (a disturbed round's re-run) replaces the earlier sample, so
// rounds still pair by number.
func (s *Samples) Add(name, unit, source string, round int, warmup bool, v float64) {
	if s.values == nil {
		s.values = map[string]*results.Value{}
	}
	val, ok := s.values[name]
	if !ok {
		val = &results.Value{Name: name, Unit: unit, Source: source}
		s.values[name] = val
		s.order = append(s.order, name)
	}
	if warmup {
		val.Warmup = append(val.Warmup, v)
		return
	}
	if i := slices.Index(val.Rounds, round); i >= 0 {
		val.Samples[i] = v
		return
	}
	val.Samples = append(val.Samples, v)
	val.Rounds = append(val.Rounds, round)
}

// Outside names of the values every run gets from the harness.
const (
	WallSeconds = "wall"
	CPUSeconds  = "cpu"
	PeakRSS     = "peak_rss"
	PeakCgroup  = "peak_cgroup"
	// ForeignCPU is the share of the run's CPUs' time spent on work outside
	// its tree, Steal the share the hypervisor stole (disturb.Reading).
	ForeignCPU = "foreign_cpu"
	Steal      = "steal"
)

// AddOutside records what the harness measured of a run from outside: wall
// time, user+sys CPU time, peak RSS of the tree and, with a cgroup, its peak;
// and, when its disturbance was measured, the foreign CPU and steal shares,
// the round flagged disturbed or (for a quiet re-run) no longer.
func (s *Samples) AddOutside(round int, warmup bool, o Outcome) {
	p := o.Process
	s.Add(WallSeconds, "s", "outside", round, warmup, p.Wall.Seconds())
	s.Add(CPUSeconds, "s", "outside", round, warmup, (p.User + p.Sys).Seconds())
	s.Add(PeakRSS, "B", "outside", round, warmup, float64(p.PeakRSS))
	if p.CgroupPeak > 0 {
		s.Add(PeakCgroup, "B", "outside", round, warmup, float64(p.CgroupPeak))
	}
	d := o.Disturbance
	if !d.Measured() {
		return
	}
	s.Add(ForeignCPU, "1", "outside", round, warmup, d.Foreign())
	s.Add(Steal, "1", "outside", round, warmup, d.StealShare())
	if warmup {
		return
	}
	if s.disturbed == nil {
		s.disturbed = map[int]bool{}
	}
	if d.Disturbed() {
		s.disturbed[round] = true
	} else {
		delete(s.disturbed, round)
	}
}

// Values returns the collected values in the order they were first added,
// each listing the disturbed rounds it holds; Rounds is dropped where it is
// just 0, 1, 2, ...
func (s *Samples) Values() []results.Value {
	out := make([]results.Value, 0, len(s.order))
	for _, name := range s.order {
		v := *s.values[name]
		v.Disturbed = nil
		for _, r := range v.Rounds {
			if s.disturbed[r] {
				v.Disturbed = append(v.Disturbed, r)
			}
		}
		slices.Sort(v.Disturbed)
		if sequential(v.Rounds) {
			v.Rounds = nil
		}
		out = append(out, v)
	}
	return out
}

func sequential(rounds []int) bool {
	for i, r := range rounds {
		if r != i {
			return false
		}
	}
	return true
}
