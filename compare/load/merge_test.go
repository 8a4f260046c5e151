package load

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

var agreed = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// shareResult makes loader index's result of a 2-loader, 8-connection, 5 s load
// whose latencies are samples.
func shareResult(t *testing.T, index int, samples []int64) Result {
	t.Helper()
	h := newHistogram()
	for _, v := range samples {
		require.NoError(t, h.RecordValue(v))
	}
	enc, err := h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	require.NoError(t, err)
	cpu := 0.4 + 0.1*float64(index)
	return Result{Model: "closed", Mix: "list", Connections: 4, Requests: int64(len(samples)), RPS: float64(len(samples)) / 5,
		DurationSeconds: 5, MeasureStart: agreed.Add(time.Duration(index) * 10 * time.Millisecond), LoaderCPU: &cpu,
		Errors: map[string]int64{ErrTimeout: int64(index)}, Statuses: map[string]int64{"200": int64(len(samples))},
		Histogram: base64.StdEncoding.EncodeToString(enc),
		Segment:   &Segment{Index: index, Count: 2, Connections: 8, DurationSeconds: 5, StartAt: agreed}}
}

// Two loaders' histograms merged are, count for count, the histogram of all
// their samples recorded in one.
func TestMergeIsOneHistogramOfAllSamples(t *testing.T) {
	t.Parallel()
	rnd := rand.New(rand.NewPCG(1, 2))
	var a, b []int64
	all := newHistogram()
	for i := range 20_000 {
		v := int64(rnd.ExpFloat64()*800) + 50 // µs, a long tail
		if i%50 == 0 {
			v *= 300
		}
		if i%3 == 0 {
			a = append(a, v)
		} else {
			b = append(b, v)
		}
		require.NoError(t, all.RecordValue(v))
	}
	m, err := Merge([]string{"b.json", "a.json"}, []Result{shareResult(t, 2, b), shareResult(t, 1, a)})
	require.NoError(t, err)
	got, err := m.DecodeHistogram()
	require.NoError(t, err)
	assert.Equal(t, all.Distribution(), got.Distribution(), "bucket by bucket")
	assert.Equal(t, int64(20_000), m.Requests)
	assert.Equal(t, int64(20_000), m.Statuses["200"])
	assert.Equal(t, int64(3), m.Errors[ErrTimeout])
	assert.Equal(t, 8, m.Connections)
	assert.InDelta(t, float64(all.ValueAtQuantile(99))/1000, m.LatencyMS["p99"], 1e-9)
	require.NotNil(t, m.LoaderCPU)
	assert.InDelta(t, 0.6, *m.LoaderCPU, 1e-9, "the busiest loader's")
	require.Len(t, m.Loaders, 2)
	assert.Equal(t, "1/2", m.Loaders[0].Segment)
	assert.InDelta(t, 20.0, m.Loaders[1].StartLagMS, 1e-6)
}

func TestMergeRefusesWhatIsNotOneLoad(t *testing.T) {
	t.Parallel()
	samples := []int64{100, 200, 300}
	for _, tc := range []struct {
		name   string
		change func(a, b *Result)
		want   string
	}{
		{name: "not a segment", change: func(_, b *Result) { b.Segment = nil }, want: "not a loader's share"},
		{name: "same segment twice", change: func(_, b *Result) { b.Segment.Index = 1 }, want: "both segment 1/2"},
		{name: "connections", change: func(_, b *Result) { b.Segment.Connections = 16 }, want: "connections 8 against 16"},
		{name: "rate", change: func(_, b *Result) { b.Segment.Rate = 500 }, want: "rate 0 against 500"},
		{name: "duration", change: func(_, b *Result) { b.Segment.DurationSeconds = 10 }, want: "duration 5 against 10"},
		{name: "mix", change: func(_, b *Result) { b.Mix = "mixed" }, want: "mix list against mixed"},
		{name: "agreed start", change: func(_, b *Result) { b.Segment.StartAt = agreed.Add(time.Second) }, want: "agreed start"},
		{name: "late window", change: func(_, b *Result) { b.MeasureStart = agreed.Add(2 * time.Second) }, want: "opened its window 2s from the agreed start"},
		{name: "short window", change: func(_, b *Result) { b.DurationSeconds = 3 }, want: "measured 3.000 s"},
		{name: "missing loader", change: func(a, b *Result) { a.Segment.Count, b.Segment.Count = 3, 3 }, want: "segment 3/3 missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := shareResult(t, 1, samples), shareResult(t, 2, samples)
			tc.change(&a, &b)
			_, err := Merge([]string{"a.json", "b.json"}, []Result{a, b})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// Two `tribench load --segment` processes' worth of loaders against one
// loopback server, then `tribench load merge` of their files: the sum holds
// every measured request of both, and each wrote its interval log.
func TestTwoLoadersMerged(t *testing.T) {
	t.Parallel()
	var served atomic.Int64
	u := serve(t, func(ctx *fasthttp.RequestCtx) { served.Add(1); ok(ctx) })
	dir := t.TempDir()
	start := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	files := make([]string, 2)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		files[i] = filepath.Join(dir, []string{"a.json", "b.json"}[i])
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out bytes.Buffer
			errs[i] = Main(context.Background(), []string{"--url", u.String(), "--connections", "5", "--duration", "1s",
				"--segment", []string{"1/2", "2/2"}[i], "--start-at", start, "--json",
				"--hdr-log", files[i] + ".hlog"}, &out, os.Stderr)
			if errs[i] == nil {
				errs[i] = os.WriteFile(files[i], out.Bytes(), 0o644)
			}
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])

	var parts [2]Result
	for i, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &parts[i]))
		assert.Equal(t, []int{3, 2}[i], parts[i].Connections, "5 connections split 3 and 2")
		log, err := os.Open(f + ".hlog")
		require.NoError(t, err)
		h, err := hdrhistogram.NewHistogramLogReader(log).NextIntervalHistogram()
		log.Close()
		require.NoError(t, err)
		require.NotNil(t, h, "one interval")
		assert.Equal(t, parts[i].Requests, h.TotalCount())
		assert.Equal(t, parts[i].MeasureStart.UnixMilli(), h.StartTimeMs())
	}

	var out bytes.Buffer
	require.NoError(t, Main(context.Background(), append([]string{"merge", "--json"}, files...), &out, os.Stderr))
	var m Merged
	require.NoError(t, json.Unmarshal(out.Bytes(), &m))
	assert.Equal(t, parts[0].Requests+parts[1].Requests, m.Requests)
	assert.Positive(t, parts[0].Requests)
	assert.Positive(t, parts[1].Requests)
	assert.Equal(t, 5, m.Connections)
	assert.Zero(t, m.ErrorCount())
	h, err := m.DecodeHistogram()
	require.NoError(t, err)
	assert.Equal(t, m.Requests, h.TotalCount())
	assert.Less(t, m.Requests, served.Load(), "the warm-up's requests are not measured")

	out.Reset()
	require.NoError(t, Main(context.Background(), append([]string{"merge"}, files...), &out, os.Stderr))
	assert.Contains(t, out.String(), "loader 2/2")
}

func TestMergeCLIRefusesBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.json")
	require.NoError(t, os.WriteFile(junk, []byte("not json"), 0o644))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{name: "no files", args: []string{"merge"}, want: "needs the --json result"},
		{name: "missing file", args: []string{"merge", filepath.Join(dir, "none.json")}, want: "no such file"},
		{name: "not a result", args: []string{"merge", junk}, want: "is not a `tribench load --json` result"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Main(context.Background(), tc.args, &bytes.Buffer{}, &bytes.Buffer{})
			var u *UsageError
			require.ErrorAs(t, err, &u)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
