package stats

import (
	"fmt"
	"math"
	"slices"

	"golang.org/x/perf/benchmath"

	"github.com/tribench/tribench/compare/results"
)

// Confidence is the level of every interval.
const Confidence = 0.95

// MinRounds is the fewest rounds for which benchmath's median interval at
// Confidence is finite; fewer rounds are indicative.
const MinRounds = 6

// A Summary is one figure from several rounds.
type Summary struct {
	// Center is the median.
	Center float64 `json:"center"`
	// Lo and Hi bound the 95% interval, or the range (min, max) when Indicative.
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// N is how many rounds the figure is from.
	N int `json:"n"`
	// Indicative marks a figure from fewer than MinRounds rounds.
	Indicative bool `json:"indicative,omitempty"`
	// Warnings are benchmath's and this package's remarks on the figure.
	Warnings []string `json:"warnings,omitempty"`
}

// Summarize summarises samples; an empty sample gives N = 0 and NaNs. The
// caller's slice is left in its order: benchmath sorts what it is given, and
// a record's samples must stay in round order for later pairing.
func Summarize(samples []float64) Summary {
	if len(samples) == 0 {
		return Summary{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Warnings: []string{"no samples"}}
	}
	s := benchmath.NewSample(slices.Clone(samples), &benchmath.DefaultThresholds)
	sum := benchmath.AssumeNothing.Summary(s, Confidence)
	out := Summary{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, N: len(samples)}
	for _, w := range append(s.Warnings, sum.Warnings...) {
		out.Warnings = append(out.Warnings, w.Error())
	}
	if len(samples) < MinRounds || math.IsInf(sum.Lo, 0) || math.IsInf(sum.Hi, 0) {
		out.Indicative = true
		out.Lo, out.Hi = slices.Min(samples), slices.Max(samples)
	}
	return out
}

// Of summarises a value's measured rounds.
func Of(v results.Value) Summary { return Summarize(v.Samples) }

// Ratio summarises a/b round by round: the ratios of the samples of a and b
// taken in the same round, so slow and fast moments of the machine cancel out.
// Rounds only one of them has are left out, with a warning.
func Ratio(a, b results.Value) Summary {
	bAt := map[int]float64{}
	for i, s := range b.Samples {
		bAt[b.RoundOf(i)] = s
	}
	var ratios []float64
	unpaired := 0
	for i, s := range a.Samples {
		d, ok := bAt[a.RoundOf(i)]
		switch {
		case !ok:
			unpaired++
		case d == 0:
			unpaired++
		default:
			ratios = append(ratios, s/d)
		}
	}
	unpaired += max(0, len(b.Samples)-(len(a.Samples)-unpaired))
	sum := Summarize(ratios)
	if unpaired > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%d rounds without a partner (or dividing by zero) left out", unpaired))
	}
	return sum
}

// A Comparison says whether two samples differ, by benchmath's Mann-Whitney U test.
type Comparison struct {
	// P is the p-value of "both come from one distribution".
	P float64 `json:"p"`
	// Alpha is the significance level P is held to.
	Alpha    float64  `json:"alpha"`
	Warnings []string `json:"warnings,omitempty"`
}

// Significant reports whether the difference is significant at Alpha.
func (c Comparison) Significant() bool { return c.P <= c.Alpha }

// Compare tests whether old and new differ, at level alpha (0.05 when zero);
// like Summarize it leaves both slices in their order.
func Compare(old, new []float64, alpha float64) Comparison {
	th := benchmath.DefaultThresholds
	if alpha > 0 {
		th.CompareAlpha = alpha
	}
	c := benchmath.AssumeNothing.Compare(benchmath.NewSample(slices.Clone(old), &th), benchmath.NewSample(slices.Clone(new), &th))
	out := Comparison{P: c.P, Alpha: c.Alpha}
	for _, w := range c.Warnings {
		out.Warnings = append(out.Warnings, w.Error())
	}
	return out
}
