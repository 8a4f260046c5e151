package load

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseSegment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		spec         string
		index, count int
		bad          bool
	}{
		{spec: "1/2", index: 1, count: 2},
		{spec: "3/3", index: 3, count: 3},
		{spec: "1/1", index: 1, count: 1},
		{spec: "0/2", bad: true},
		{spec: "3/2", bad: true},
		{spec: "2", bad: true},
		{spec: "a/b", bad: true},
		{spec: "1/0", bad: true},
	} {
		i, n, err := ParseSegment(tc.spec)
		if tc.bad {
			assert.Error(t, err, tc.spec)
			continue
		}
		require.NoError(t, err, tc.spec)
		assert.Equal(t, [2]int{tc.index, tc.count}, [2]int{i, n}, tc.spec)
	}
}

// The shares of a split load add up to the whole, and each connection sends
// at the interval it would in one loader.
func TestSharesAddUpToTheLoad(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		conns, n    int
		requests    int64
		rate        float64
		wantConns   []int
		wantRequest []int64
	}{
		{name: "even", conns: 64, n: 2, rate: 1000, wantConns: []int{32, 32}, wantRequest: []int64{0, 0}},
		{name: "uneven, counted", conns: 10, n: 3, requests: 1001, wantConns: []int{4, 3, 3}, wantRequest: []int64{334, 334, 333}},
		{name: "one loader", conns: 7, n: 1, rate: 70, wantConns: []int{7}, wantRequest: []int64{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rate float64
			for i := 1; i <= tc.n; i++ {
				c, r, q, err := Segment{Index: i, Count: tc.n, Connections: tc.conns, Rate: tc.rate, Requests: tc.requests}.Share()
				require.NoError(t, err)
				assert.Equal(t, tc.wantConns[i-1], c)
				assert.Equal(t, tc.wantRequest[i-1], r)
				if tc.rate > 0 {
					assert.InDelta(t, tc.rate/float64(tc.conns), q/float64(c), 1e-9, "per-connection rate")
				}
				rate += q
			}
			assert.InDelta(t, tc.rate, rate, 1e-9)
		})
	}
}

func TestSplitRefusesBadFlags(t *testing.T) {
	t.Parallel()
	at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339Nano)
	for _, tc := range []struct {
		name, segment, startAt string
		warmup                 bool
		conns                  int
		want                   string
	}{
		{name: "segment without start", segment: "1/2", conns: 4, want: "--segment needs --start-at"},
		{name: "start with warm-up", startAt: at, warmup: true, conns: 4, want: "replaces --warmup"},
		{name: "bad time", segment: "1/2", startAt: "in a minute", conns: 4, want: "not an RFC 3339 time"},
		{name: "bad segment", segment: "2/1", startAt: at, conns: 4, want: "is not a segment"},
		{name: "too few connections", segment: "1/3", startAt: at, conns: 2, want: "each needs one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := Options{Connections: tc.conns, Duration: time.Second}
			_, err := split(&o, tc.segment, tc.startAt, tc.warmup)
			var u *UsageError
			require.ErrorAs(t, err, &u)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
