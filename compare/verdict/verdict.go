// Package verdict judges the article's claims against measured figures, by
// rules written down in Rules (the report prints them): a claimed
// Kotlin/Python ratio against the measured paired ratio, a hardware-
// independent absolute, a single-core rate, a maximum the measurement could
// only bound, and a speed-up scaled to this machine's cores.
//
// Every rule is a function of one measured figure. A claim gets an outcome
// only when every value of the figure's interval (its range, when
// indicative) gives that same outcome; otherwise it is undecided, and the
// reason names the values that would decide it. So a second run whose
// figure moves inside the interval cannot flip a verdict from one outcome to
// another.
package verdict

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tribench/tribench/compare/stats"
)

// Outcomes of a verdict.
const (
	Consistent    = "consistent"
	Partly        = "partly"
	Refuted       = "refuted"
	Undecided     = "undecided"
	NotComparable = "not comparable"
	NotMeasurable = "not measurable here"
	NotMeasured   = "not measured"
	// NotJudged: the figure exists, but its contender failed its oracle.
	NotJudged = "not judged"
	// Incomplete: the stage's time budget ran out before the runs the
	// claim reads finished.
	Incomplete = "incomplete: budget"
)

// Thresholds of the rules; change one only with the reason written beside it.
const (
	// Near is how close a claim must be to the measured figure to be consistent:
	// ±25%, the spread of figures between two runs of one program on
	// different days and machines of one class.
	Near = 0.25
	// RatioFar: a ratio claim off by more than 2x is refuted.
	RatioFar = 2.0
	// AbsoluteFar: a hardware-independent absolute off by more than 3x is refuted.
	AbsoluteFar = 3.0
	// PerCoreFar: a single-core rate claimed above 2x the best measured is refuted.
	PerCoreFar = 2.0
)

// Rules describes every rule, for the report.
var Rules = []struct{ Claim, Rule string }{
	{"every rule", "a claim gets an outcome only when every value of the measured interval (the range, when indicative) gives that same outcome; otherwise it is undecided, and the reason names the values that would decide it"},
	{"a Kotlin/Python ratio", "the claimed ratio, mapped to this run's hardware (below), against the measured paired ratio (per-round ratios of interleaved rounds): refuted when the measured ratio points the other way (below 1 where the claim is above) or differs by more than 2x; consistent within ±25%; partly between"},
	{"an absolute figure that does not depend on the hardware", "consistent within ±25%; refuted beyond 3x; partly between"},
	{"an absolute throughput on hardware unlike this machine's", "not comparable as an absolute; judged through its ratio row only"},
	{"single-threaded work on one core", "compared per core: refuted when the claimed rate is more than 2x the best measured contender of that language (or below half of it), consistent within ±25%, partly between"},
	{"a maximum the measurement could only bound (its top step: the file limit in full)", "consistent or refuted when the bound decides it (a server holding well more than the claimed figure refutes it); a claim above the top step is not measurable here; an exact maximum follows the ratio thresholds (±25%, 2x)"},
	{"a speed-up on more cores than this machine has", "the claimed speed-up on its cores fixes a parallel fraction p by Amdahl's law, S(n) = 1 / ((1 - p) + p / n); the expected speed-up on this machine's cores is judged like a ratio against the measured one"},
	{"a figure from fewer than 6 rounds", "marked indicative: its interval is the range of its rounds"},
	{"a figure with a disturbed round kept", "marked: the round's CPUs did other work beyond the threshold and its re-run was not possible"},
	{"a claim whose runs the time budget cut", "incomplete: budget"},
}

// A Verdict is the judgement of one claim.
type Verdict struct {
	Outcome string
	// Indicative marks a verdict resting on fewer than stats.MinRounds rounds.
	Indicative bool
	// Disturbed marks a verdict resting on a round kept although disturbed.
	Disturbed bool
	Reason    string
}

// String renders the outcome, e.g. "refuted (indicative)".
func (v Verdict) String() string {
	out := v.Outcome
	if v.Indicative {
		out += " (indicative)"
	}
	if v.Disturbed {
		out += " (disturbed round)"
	}
	return out
}

// Decided reports whether the verdict has one of the three outcomes.
func (v Verdict) Decided() bool {
	return v.Outcome == Consistent || v.Outcome == Partly || v.Outcome == Refuted
}

// A scale is one rule as a function of the measured figure: the outcome
// and its one-line why at x, and the figures where the outcome changes.
type scale struct {
	at     func(x float64) (outcome, why string)
	bounds []float64
}

// nearScale: consistent within ±Near of claimed, refuted beyond far times
// apart, partly between. With direction set, a measured ratio on the other
// side of 1 than a claimed one is refuted too.
func nearScale(claimed, far float64, direction bool) scale {
	s := scale{bounds: []float64{claimed / (1 + Near), claimed / (1 - Near), claimed / far, claimed * far}}
	if direction {
		s.bounds = append(s.bounds, 1)
	}
	s.at = func(x float64) (string, string) {
		off := claimed / x
		apart := math.Max(off, 1/off)
		switch {
		case direction && (claimed > 1) != (x > 1) && x != 1:
			return Refuted, "the other way round"
		case math.Abs(off-1) <= Near:
			return Consistent, "within ±25%"
		case apart > far:
			return Refuted, fmt.Sprintf("%.1fx apart", apart)
		default:
			return Partly, fmt.Sprintf("%.0f%% apart", 100*math.Abs(off-1))
		}
	}
	return s
}

// judge applies a scale to the whole interval [lo, hi] of a measured
// figure; desc describes the figure for the reason.
func (s scale) judge(m stats.Summary, desc string, unit func(float64) string) Verdict {
	v := Verdict{Indicative: m.Indicative}
	lo, hi := m.Lo, m.Hi
	if math.IsNaN(lo) || math.IsNaN(hi) || lo > hi {
		lo, hi = m.Center, m.Center
	}
	points := []float64{lo}
	for _, b := range s.bounds {
		if b > lo && b < hi {
			points = append(points, b)
		}
	}
	slices.Sort(points)
	points = append(points, hi)
	// The outcome of each stretch between two neighbouring points, read in
	// its middle (outcomes change only at the bounds).
	type stretch struct {
		from, to float64
		outcome  string
	}
	var stretches []stretch
	for i := 0; i+1 < len(points); i++ {
		from, to := points[i], points[i+1]
		o, _ := s.at((from + to) / 2)
		if n := len(stretches); n > 0 && stretches[n-1].outcome == o {
			stretches[n-1].to = to
			continue
		}
		stretches = append(stretches, stretch{from, to, o})
	}
	if len(stretches) == 1 {
		o, why := s.at(m.Center)
		if o != stretches[0].outcome { // the centre sits on a bound: the interval decides
			o, why = s.at((lo + hi) / 2)
		}
		v.Outcome, v.Reason = o, desc+": "+why
		return v
	}
	var parts []string
	for _, st := range stretches {
		parts = append(parts, fmt.Sprintf("%s from %s to %s", st.outcome, unit(st.from), unit(st.to)))
	}
	var deciders []string
	for _, st := range stretches[1:] {
		deciders = append(deciders, unit(st.from))
	}
	v.Outcome = Undecided
	v.Reason = fmt.Sprintf("%s: the interval spans %s; an interval on one side of %s would decide it",
		desc, strings.Join(parts, ", "), strings.Join(deciders, " and "))
	return v
}

func times(x float64) string { return fmt.Sprintf("%.2fx", x) }

func interval(m stats.Summary, unit func(float64) string) string {
	return fmt.Sprintf("%s [%s, %s]", unit(m.Center), unit(m.Lo), unit(m.Hi))
}

// Ratio judges a claimed ratio (better side over worse side) against the
// measured paired ratio.
func Ratio(claimed float64, m stats.Summary) Verdict {
	if m.N == 0 || math.IsNaN(m.Center) {
		return Verdict{Outcome: NotMeasured, Reason: "no paired rounds of the two stand-ins"}
	}
	desc := fmt.Sprintf("claimed %.2fx, measured %s", claimed, interval(m, times))
	return nearScale(claimed, RatioFar, true).judge(m, desc, times)
}

// Absolute judges a figure that does not depend on the hardware (memory for
// a fixed set of objects).
func Absolute(claimed float64, m stats.Summary, unit func(float64) string) Verdict {
	if m.N == 0 || math.IsNaN(m.Center) || m.Center == 0 {
		return Verdict{Outcome: NotMeasured, Reason: "no measurement of the stand-in"}
	}
	desc := fmt.Sprintf("claimed %s, measured %s", unit(claimed), interval(m, unit))
	return nearScale(claimed, AbsoluteFar, false).judge(m, desc, unit)
}

// PerCore judges a single-threaded rate against the best measured contender
// of the claim's language on one core.
func PerCore(claimed float64, best stats.Summary, bestName string, unit func(float64) string) Verdict {
	if best.N == 0 || math.IsNaN(best.Center) || best.Center == 0 {
		return Verdict{Outcome: NotMeasured, Reason: "no measurement of that language"}
	}
	desc := fmt.Sprintf("claimed %s; the best measured, %s, %s on one core", unit(claimed), bestName, interval(best, unit))
	return nearScale(claimed, PerCoreFar, false).judge(best, desc, unit)
}

// Bound judges a claimed maximum (of concurrent connections) against the
// measured one. atLimit says the measurement stopped at limit, its top step
// (the profile's last step; in full, what the per-process file limit
// allows), with the server still stable, so measured is only a lower bound.
func Bound(claimed, measured float64, atLimit bool, limit float64, indicative bool) Verdict {
	if measured <= 0 {
		return Verdict{Outcome: NotMeasured, Reason: "no stable step measured"}
	}
	v := Verdict{Indicative: indicative}
	if atLimit {
		switch {
		case measured > claimed*(1+Near):
			v.Outcome = Refuted
			v.Reason = fmt.Sprintf("claimed at most %.0f; held at least %.0f here (still stable at the top step searched)", claimed, measured)
		case claimed > limit:
			v.Outcome = NotMeasurable
			v.Reason = fmt.Sprintf("claimed %.0f is above the top step searched (%.0f: the profile's last step, the file limit's in full); held at least %.0f", claimed, limit, measured)
		default:
			v.Outcome = Consistent
			v.Reason = fmt.Sprintf("claimed %.0f; held at least %.0f, the top step searched", claimed, measured)
		}
		return v
	}
	count := func(x float64) string { return fmt.Sprintf("%.0f", x) }
	m := stats.Summary{Center: measured, Lo: measured, Hi: measured, N: 1, Indicative: indicative}
	return nearScale(claimed, RatioFar, false).judge(m, fmt.Sprintf("claimed %.0f, measured at most %.0f", claimed, measured), count)
}

// Expected scales a speed-up claimed on claimedCores to cores by Amdahl's
// law, and returns the parallel fraction it implies.
func Expected(claimed float64, claimedCores, cores int) (speedup, parallel float64) {
	n := float64(claimedCores)
	// S = 1 / ((1 - p) + p/n)  =>  p = (1 - 1/S) / (1 - 1/n)
	parallel = math.Min(1, math.Max(0, (1-1/claimed)/(1-1/n)))
	return 1 / ((1 - parallel) + parallel/float64(cores)), parallel
}

// Speedup judges a speed-up claimed on claimedCores against the one measured
// on this machine's cores, through the speed-up the claim implies here.
func Speedup(claimed float64, claimedCores int, m stats.Summary, cores int) Verdict {
	if m.N == 0 || math.IsNaN(m.Center) {
		return Verdict{Outcome: NotMeasured, Reason: "no measured speed-up"}
	}
	want, p := Expected(claimed, claimedCores, cores)
	v := Ratio(want, m)
	v.Reason = fmt.Sprintf("%.1fx on %d cores means a parallel fraction of %.2f (Amdahl), so %.2fx on %d cores; %s",
		claimed, claimedCores, p, want, cores, v.Reason)
	return v
}
