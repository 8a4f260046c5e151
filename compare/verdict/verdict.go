// Package verdict judges the article's claims against measured figures, by
// rules written down in Rules (the report prints them): a claimed
// Kotlin/Python ratio against the measured paired ratio, a hardware-
// independent absolute, a single-core rate, a maximum the measurement could
// only bound, and a speed-up scaled to this machine's cores. Each verdict
// carries its one-line reason; a figure from fewer than 6 rounds makes it
// indicative.
package verdict

import (
	"fmt"
	"math"

	"github.com/tribench/tribench/compare/stats"
)

// Outcomes of a verdict.
const (
	Consistent    = "consistent"
	Partly        = "partly"
	Refuted       = "refuted"
	NotComparable = "not comparable"
	NotMeasurable = "not measurable here"
	NotMeasured   = "not measured"
	// NotJudged: the figure exists, but its contender failed its oracle.
	NotJudged = "not judged"
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
	{"a Kotlin/Python ratio", "consistent when the claimed ratio lies in the measured paired ratio's 95% interval (its range when indicative) or within ±25% of its median; refuted when the measured ratio points the other way (below 1 where the claim is above) or differs by more than 2x; partly otherwise"},
	{"an absolute figure that does not depend on the hardware", "consistent within ±25%; refuted beyond 3x; partly between"},
	{"an absolute throughput on hardware unlike this machine's", "not comparable as an absolute; judged through its ratio row only"},
	{"single-threaded work on one core", "compared per core: refuted when the claimed rate is more than 2x the best measured contender of that language (or below half of it), consistent within ±25%, partly between"},
	{"a maximum the measurement could only bound (its top step: the file limit in full)", "consistent or refuted when the bound decides it (a server holding well more than the claimed figure refutes it); a claim above the top step is not measurable here; an exact maximum follows the ratio thresholds (±25%, 2x)"},
	{"a speed-up on more cores than this machine has", "the claimed speed-up on its cores fixes a parallel fraction p by Amdahl's law, S(n) = 1 / ((1 - p) + p / n); the expected speed-up on this machine's cores is judged like a ratio against the measured one"},
	{"any verdict from fewer than 6 rounds", "marked indicative"},
}

// A Verdict is the judgement of one claim.
type Verdict struct {
	Outcome string
	// Indicative marks a verdict resting on fewer than stats.MinRounds rounds.
	Indicative bool
	Reason     string
}

// String renders the outcome, e.g. "refuted (indicative)".
func (v Verdict) String() string {
	if v.Indicative {
		return v.Outcome + " (indicative)"
	}
	return v.Outcome
}

// Ratio judges a claimed ratio (better side over worse side) against the
// measured paired ratio.
func Ratio(claimed float64, m stats.Summary) Verdict {
	if m.N == 0 || math.IsNaN(m.Center) {
		return Verdict{Outcome: NotMeasured, Reason: "no paired rounds of the two stand-ins"}
	}
	v := Verdict{Indicative: m.Indicative}
	off := claimed / m.Center
	interval := "95% interval"
	if m.Indicative {
		interval = "range"
	}
	in := claimed >= m.Lo && claimed <= m.Hi
	switch {
	case (claimed > 1) != (m.Center > 1) && m.Center != 1:
		v.Outcome = Refuted
		v.Reason = fmt.Sprintf("claimed %.2fx, measured %.2fx [%.2f, %.2f]: the other way round", claimed, m.Center, m.Lo, m.Hi)
	case in || math.Abs(off-1) <= Near:
		v.Outcome = Consistent
		v.Reason = fmt.Sprintf("claimed %.2fx, measured %.2fx [%.2f, %.2f]", claimed, m.Center, m.Lo, m.Hi)
		if in {
			v.Reason += ": inside the " + interval
		} else {
			v.Reason += ": within ±25%"
		}
	case off > RatioFar || off < 1/RatioFar:
		v.Outcome = Refuted
		v.Reason = fmt.Sprintf("claimed %.2fx, measured %.2fx [%.2f, %.2f]: %.1fx apart", claimed, m.Center, m.Lo, m.Hi, math.Max(off, 1/off))
	default:
		v.Outcome = Partly
		v.Reason = fmt.Sprintf("claimed %.2fx, measured %.2fx [%.2f, %.2f]: same direction, %.0f%% apart", claimed, m.Center, m.Lo, m.Hi, 100*math.Abs(off-1))
	}
	return v
}

// Absolute judges a figure that does not depend on the hardware (memory for
// a fixed set of objects).
func Absolute(claimed float64, m stats.Summary, unit func(float64) string) Verdict {
	if m.N == 0 || math.IsNaN(m.Center) || m.Center == 0 {
		return Verdict{Outcome: NotMeasured, Reason: "no measurement of the stand-in"}
	}
	v := Verdict{Indicative: m.Indicative}
	off := claimed / m.Center
	far := math.Max(off, 1/off)
	desc := fmt.Sprintf("claimed %s, measured %s", unit(claimed), unit(m.Center))
	switch {
	case math.Abs(off-1) <= Near:
		v.Outcome, v.Reason = Consistent, desc+": within ±25%"
	case far > AbsoluteFar:
		v.Outcome, v.Reason = Refuted, fmt.Sprintf("%s: %.0fx apart", desc, far)
	default:
		v.Outcome, v.Reason = Partly, fmt.Sprintf("%s: %.1fx apart", desc, far)
	}
	return v
}

// PerCore judges a single-threaded rate against the best measured contender
// of the claim's language on one core.
func PerCore(claimed float64, best stats.Summary, bestName string, unit func(float64) string) Verdict {
	if best.N == 0 || math.IsNaN(best.Center) || best.Center == 0 {
		return Verdict{Outcome: NotMeasured, Reason: "no measurement of that language"}
	}
	v := Verdict{Indicative: best.Indicative}
	off := claimed / best.Center
	desc := fmt.Sprintf("claimed %s; the best measured, %s, %s on one core", unit(claimed), bestName, unit(best.Center))
	switch {
	case math.Abs(off-1) <= Near:
		v.Outcome, v.Reason = Consistent, desc+": within ±25%"
	case off > PerCoreFar || off < 1/PerCoreFar:
		v.Outcome, v.Reason = Refuted, fmt.Sprintf("%s: %.1fx apart", desc, math.Max(off, 1/off))
	default:
		v.Outcome, v.Reason = Partly, fmt.Sprintf("%s: %.0f%% apart", desc, 100*math.Abs(off-1))
	}
	return v
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
	off := claimed / measured
	desc := fmt.Sprintf("claimed %.0f, measured at most %.0f", claimed, measured)
	switch {
	case math.Abs(off-1) <= Near:
		v.Outcome, v.Reason = Consistent, desc+": within ±25%"
	case off > RatioFar || off < 1/RatioFar:
		v.Outcome, v.Reason = Refuted, fmt.Sprintf("%s: %.1fx apart", desc, math.Max(off, 1/off))
	default:
		v.Outcome, v.Reason = Partly, fmt.Sprintf("%s: %.0f%% apart", desc, 100*math.Abs(off-1))
	}
	return v
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
