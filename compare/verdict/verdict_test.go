package verdict

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tribench/tribench/compare/stats"
)

func summary(center, lo, hi float64, n int) stats.Summary {
	return stats.Summary{Center: center, Lo: lo, Hi: hi, N: n, Indicative: n < stats.MinRounds}
}

func mb(v float64) string { return fmt.Sprintf("%.0f MB", v/1e6) }

func TestRatio(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		claimed float64
		m       stats.Summary
		want    string
		reason  string
	}{
		{"inside the interval", 1.41, summary(1.2, 1.1, 1.45, 6), "consistent", "inside the 95% interval"},
		{"within 25% of the median", 1.41, summary(1.2, 1.18, 1.22, 6), "consistent", "within ±25%"},
		{"the other way round", 1.41, summary(0.8, 0.7, 0.9, 6), "refuted", "the other way round"},
		{"more than 2x apart", 1.5, summary(5.1, 5, 5.3, 6), "refuted", "3.4x apart"},
		{"same direction, further than 25%", 1.41, summary(2.1, 2.0, 2.2, 6), "partly", "same direction, 33% apart"},
		{"indicative", 1.41, summary(1.4, 1.3, 1.5, 3), "consistent (indicative)", "inside the range"},
		{"not measured", 1.41, stats.Summarize(nil), "not measured", "no paired rounds"},
	}
	for _, tt := range tests {
		v := Ratio(tt.claimed, tt.m)
		assert.Equal(t, tt.want, v.String(), tt.name)
		assert.Contains(t, v.Reason, tt.reason, tt.name)
	}
}

func TestAbsolute(t *testing.T) {
	t.Parallel()
	assert.Equal(t, Consistent, Absolute(128e6, summary(110e6, 100e6, 120e6, 6), mb).Outcome)
	v := Absolute(128e6, summary(0.2e6, 0.19e6, 0.21e6, 6), mb)
	assert.Equal(t, Refuted, v.Outcome)
	assert.Equal(t, "claimed 128 MB, measured 0 MB: 640x apart", v.Reason)
	assert.Equal(t, Partly, Absolute(48e6, summary(24e6, 23e6, 25e6, 6), mb).Outcome)
	assert.Equal(t, NotMeasured, Absolute(1, stats.Summarize(nil), mb).Outcome)
}

func TestPerCore(t *testing.T) {
	t.Parallel()
	gbs := func(v float64) string { return fmt.Sprintf("%.3f GB/s", v/1e9) }
	v := PerCore(1.2e9, summary(0.045e9, 0.04e9, 0.05e9, 6), "python-3.13-orjson", gbs)
	assert.Equal(t, Refuted, v.Outcome)
	assert.Contains(t, v.Reason, "the best measured, python-3.13-orjson, 0.045 GB/s on one core: 26.7x apart")
	assert.Equal(t, Consistent, PerCore(0.1e9, summary(0.11e9, 0.1e9, 0.12e9, 6), "go", gbs).Outcome)
	assert.Equal(t, Partly, PerCore(0.15e9, summary(0.1e9, 0.1e9, 0.1e9, 6), "go", gbs).Outcome)
}

func TestBound(t *testing.T) {
	t.Parallel()
	v := Bound(14200, 19500, true, 19500, false)
	assert.Equal(t, Refuted, v.Outcome, "held more than claimed, at the file limit")
	assert.Contains(t, v.Reason, "held at least 19500")
	assert.Equal(t, NotMeasurable, Bound(31500, 19500, true, 19500, false).Outcome)
	assert.Equal(t, Consistent, Bound(18000, 19500, true, 19500, false).Outcome)
	assert.Equal(t, Consistent, Bound(14200, 13000, false, 19500, false).Outcome)
	assert.Equal(t, Refuted, Bound(14200, 5000, false, 19500, false).Outcome)
	assert.Equal(t, Partly, Bound(14200, 10000, false, 19500, true).Outcome)
	assert.Equal(t, NotMeasured, Bound(14200, 0, false, 19500, false).Outcome)
}

func TestSpeedupScalesByAmdahl(t *testing.T) {
	t.Parallel()
	want, p := Expected(3.8, 8, 2)
	assert.InDelta(t, 0.842, p, 0.001)
	assert.InDelta(t, 1.727, want, 0.001)
	v := Speedup(3.8, 8, summary(1.9, 1.85, 1.95, 6), 2)
	assert.Equal(t, Consistent, v.Outcome)
	assert.Contains(t, v.Reason, "3.8x on 8 cores means a parallel fraction of 0.84 (Amdahl), so 1.73x on 2 cores")
	assert.Equal(t, Refuted, Speedup(3.8, 8, summary(0.95, 0.9, 1.0, 6), 2).Outcome, "no speed-up at all")
}
