package stats

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		samples        []float64
		center, lo, hi float64
		indicative     bool
		warning        string
	}{
		// Five rounds: benchmath has no finite interval, so the range is shown.
		{"five rounds are indicative", []float64{10, 12, 11, 30, 9}, 11, 9, 30, true, "need >= 6 samples"},
		// Six rounds: the order statistics 1 and 6 bound the median at >= 95%.
		{"six rounds give an interval", []float64{10, 12, 11, 30, 9, 13}, 11.5, 9, 30, false, ""},
		{"nine rounds narrow it", []float64{5, 1, 9, 2, 8, 3, 7, 4, 6}, 5, 2, 8, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := Summarize(tt.samples)
			assert.Equal(t, tt.center, s.Center)
			assert.Equal(t, tt.lo, s.Lo)
			assert.Equal(t, tt.hi, s.Hi)
			assert.Equal(t, tt.indicative, s.Indicative)
			assert.Equal(t, len(tt.samples), s.N)
			if tt.warning != "" {
				require.NotEmpty(t, s.Warnings)
				assert.Contains(t, s.Warnings[0], tt.warning, "benchmath's warning is kept")
			} else {
				assert.Empty(t, s.Warnings)
			}
		})
	}
}

func TestSummarizeNothing(t *testing.T) {
	t.Parallel()
	s := Summarize(nil)
	assert.True(t, math.IsNaN(s.Center))
	assert.Zero(t, s.N)
	assert.Equal(t, []string{"no samples"}, s.Warnings)
}

func TestRatioPairsRounds(t *testing.T) {
	t.Parallel()
	// b is twice as fast in every round, though the machine's speed drifts:
	// per-round ratios are exactly 2; medians of each side would not say so as cleanly.
	a := results.Value{Samples: []float64{20, 40, 22, 60, 24, 30}}
	b := results.Value{Samples: []float64{10, 20, 11, 30, 12, 15}}
	r := Ratio(a, b)
	assert.Equal(t, 2.0, r.Center)
	assert.Equal(t, 2.0, r.Lo)
	assert.Equal(t, 2.0, r.Hi)
	assert.False(t, r.Indicative)

	// a missed round 1; its rounds are numbered, so the rest still pair.
	a = results.Value{Samples: []float64{20, 22, 60}, Rounds: []int{0, 2, 3}}
	b = results.Value{Samples: []float64{10, 99, 11, 30}}
	r = Ratio(a, b)
	assert.Equal(t, 2.0, r.Center)
	assert.True(t, r.Indicative)
	assert.Contains(t, r.Warnings[len(r.Warnings)-1], "1 rounds without a partner")
}

func TestCompare(t *testing.T) {
	t.Parallel()
	same := Compare([]float64{1, 2, 3, 4, 5, 6}, []float64{1.5, 2.5, 3.5, 4.5, 5.5, 6.5}, 0)
	assert.False(t, same.Significant())
	apart := Compare([]float64{1, 2, 3, 4, 5, 6}, []float64{11, 12, 13, 14, 15, 16}, 0)
	assert.True(t, apart.Significant())
	assert.Equal(t, 0.05, apart.Alpha)
	few := Compare([]float64{1, 2}, []float64{11, 12}, 0)
	assert.False(t, few.Significant())
	assert.NotEmpty(t, few.Warnings, "too few rounds to ever be significant is said, not hidden")
}

func TestSummariesLeaveSamplesInRoundOrder(t *testing.T) {
	t.Parallel()
	// Anti-correlated rounds: paired by round every ratio is 11 or 0.2; had a
	// summary sorted the samples in place, the ratio would pair them by rank.
	kotlin := results.Value{Samples: []float64{22, 2, 22, 2, 22, 2}}
	python := results.Value{Samples: []float64{2, 10, 2, 10, 2, 10}}
	before := slices.Clone(kotlin.Samples)
	Of(kotlin)
	Of(python)
	Compare(kotlin.Samples, python.Samples, 0)
	assert.Equal(t, before, kotlin.Samples, "summaries leave the caller's order alone")
	r := Ratio(kotlin, python)
	assert.InDelta(t, 5.6, r.Center, 1e-9, "the median of 11, 0.2, 11, 0.2, 11, 0.2")
	assert.Equal(t, 0.2, r.Lo)
	assert.Equal(t, 11.0, r.Hi)
}
