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
		{"the whole interval within 25%", 1.41, summary(1.4, 1.2, 1.6, 6), "consistent", "within ±25%"},
		{"the other way round", 1.41, summary(0.8, 0.7, 0.9, 6), "refuted", "the other way round"},
		{"more than 2x apart", 1.5, summary(5.1, 5, 5.3, 6), "refuted", "3.4x apart"},
		{"same direction, further than 25%", 1.41, summary(2.1, 2.0, 2.2, 6), "partly", "33% apart"},
		{"indicative", 1.41, summary(1.4, 1.3, 1.5, 3), "consistent (indicative)", "within ±25%"},
		{"not measured", 1.41, stats.Summarize(nil), "not measured", "no paired rounds"},
		// The boundaries of a claimed 1.41x: consistent from 1.128 to 1.88,
		// partly from 0.705 (but above 1) and up to 2.82, refuted beyond.
		{"spans consistent and partly", 1.41, summary(1.9, 1.7, 2.1, 6), "undecided", "consistent from 1.70x to 1.88x, partly from 1.88x to 2.10x"},
		{"spans partly and refuted", 1.41, summary(2.8, 2.6, 3.0, 6), "undecided", "an interval on one side of 2.82x would decide it"},
		{"spans the direction", 1.41, summary(1.0, 0.9, 1.1, 6), "undecided", "refuted from 0.90x to 1.00x, partly from 1.00x to 1.10x"},
		{"spans every outcome", 1.41, summary(1.5, 0.5, 5, 3), "undecided (indicative)", "refuted from 0.50x to 1.00x, partly from 1.00x to 1.13x, consistent from 1.13x to 1.88x, partly from 1.88x to 2.82x, refuted from 2.82x to 5.00x"},
		{"a point interval on a boundary is decided", 1.41, summary(1.0, 1.0, 1.0, 1), "partly (indicative)", "41% apart"},
	}
	for _, tt := range tests {
		v := Ratio(tt.claimed, tt.m)
		assert.Equal(t, tt.want, v.String(), tt.name)
		assert.Contains(t, v.Reason, tt.reason, tt.name)
		assert.Equal(t, tt.want != "not measured" && v.Outcome != Undecided, v.Decided(), tt.name)
	}
}

func TestAbsolute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		claimed float64
		m       stats.Summary
		want    string
	}{
		{128e6, summary(120e6, 110e6, 125e6, 6), Consistent},
		{128e6, summary(0.2e6, 0.19e6, 0.21e6, 6), Refuted},
		{48e6, summary(24e6, 23e6, 25e6, 6), Partly},
		// consistent down to 128/1.25 = 102.4 MB
		{128e6, summary(110e6, 100e6, 120e6, 6), Undecided},
		// refuted below 128/3 = 42.7 MB
		{128e6, summary(43e6, 40e6, 45e6, 3), Undecided},
		{1, stats.Summarize(nil), NotMeasured},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Absolute(tt.claimed, tt.m, mb).Outcome, "claimed %v, measured %+v", tt.claimed, tt.m)
	}
	v := Absolute(128e6, summary(0.2e6, 0.19e6, 0.21e6, 6), mb)
	assert.Equal(t, "claimed 128 MB, measured 0 MB [0 MB, 0 MB]: 640.0x apart", v.Reason)
}

func TestPerCore(t *testing.T) {
	t.Parallel()
	gbs := func(v float64) string { return fmt.Sprintf("%.3f GB/s", v/1e9) }
	v := PerCore(1.2e9, summary(0.045e9, 0.04e9, 0.05e9, 6), "python-3.13-orjson", gbs)
	assert.Equal(t, Refuted, v.Outcome)
	assert.Contains(t, v.Reason, "the best measured, python-3.13-orjson, 0.045 GB/s [0.040 GB/s, 0.050 GB/s] on one core: 26.7x apart")
	assert.Equal(t, Consistent, PerCore(0.1e9, summary(0.11e9, 0.1e9, 0.12e9, 6), "go", gbs).Outcome)
	assert.Equal(t, Partly, PerCore(0.15e9, summary(0.1e9, 0.1e9, 0.1e9, 6), "go", gbs).Outcome)
	// refuted above 2x: 0.5 GB/s claimed against a best of 0.24-0.26
	assert.Equal(t, Undecided, PerCore(0.5e9, summary(0.25e9, 0.24e9, 0.26e9, 3), "go", gbs).Outcome)
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
	assert.Equal(t, Refuted, Speedup(3.8, 8, summary(0.8, 0.75, 0.85, 6), 2).Outcome, "slower on two cores")
	assert.Equal(t, Undecided, Speedup(3.8, 8, summary(0.95, 0.9, 1.05, 6), 2).Outcome, "no clear speed-up either way")
}
