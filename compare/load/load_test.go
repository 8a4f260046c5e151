package load

import (
	"context"
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// serve starts a loopback fasthttp server with handler and returns its URL.
func serve(t *testing.T, handler fasthttp.RequestHandler) *url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &fasthttp.Server{Handler: handler}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	u, err := url.Parse("http://" + ln.Addr().String())
	require.NoError(t, err)
	return u
}

var okBody = []byte(`{"status":"healthy"}`)

func ok(ctx *fasthttp.RequestCtx) { ctx.SetBody(okBody) }

func get(path string) Mix {
	return Static{Label: "get", Request: Request{Method: "GET", Path: path, Want: 200, Check: ExactBody(okBody)}}
}

func TestExactlyNRequests(t *testing.T) {
	t.Parallel()
	var served atomic.Int64
	u := serve(t, func(ctx *fasthttp.RequestCtx) { served.Add(1); ok(ctx) })
	res, err := Run(context.Background(), Options{URL: u, Mix: get("/"), Connections: 8, Requests: 1234, Duration: 30 * time.Second})
	require.NoError(t, err)
	assert.Equal(t, int64(1234), res.Requests)
	assert.Equal(t, int64(1234+8), served.Load(), "N measured requests plus one priming request per connection")
	assert.Equal(t, int64(1234), res.Statuses["200"])
	assert.Zero(t, res.ErrorCount())
	h, err := res.DecodeHistogram()
	require.NoError(t, err)
	assert.Equal(t, int64(1234), h.TotalCount(), "every measured request is in the histogram")
}

// A server that stops answering for one second in the middle of the run: the
// open model, timing from intended send times, shows the stall in its p99;
// the closed model, whose connections simply wait, hides it.
func TestOpenModelSeesAStallTheClosedModelHides(t *testing.T) {
	t.Parallel()
	var begin atomic.Int64 // when the run started; 0 between runs
	u := serve(t, func(ctx *fasthttp.RequestCtx) {
		if b := begin.Load(); b > 0 {
			at := time.Since(time.Unix(0, b))
			if at > time.Second && at < 2*time.Second {
				time.Sleep(2*time.Second - at)
			}
		}
		ok(ctx)
	})
	run := func(rate float64) Result {
		begin.Store(time.Now().UnixNano())
		res, err := Run(context.Background(), Options{URL: u, Mix: get("/"), Connections: 10, Rate: rate, Duration: 3 * time.Second})
		require.NoError(t, err)
		begin.Store(0)
		return res
	}
	open := run(500)
	assert.GreaterOrEqual(t, open.LatencyMS["p99"], 300.0, "the open model's p99 holds the stall: %v", open.LatencyMS)
	assert.Zero(t, open.ErrorCount())
	closed := run(0)
	assert.Less(t, closed.LatencyMS["p99"], 300.0, "the closed model's p99 hides it: %v", closed.LatencyMS)
	assert.GreaterOrEqual(t, closed.LatencyMS["max"], 500.0, "only its max shows it")
}

func TestAWrongBodyIsFlagged(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	u := serve(t, func(ctx *fasthttp.RequestCtx) {
		if n.Add(1)%50 == 0 {
			ctx.SetBody([]byte(`{"status":"sick"}`))
			return
		}
		ok(ctx)
	})
	res, err := Run(context.Background(), Options{URL: u, Mix: get("/"), Connections: 4, Requests: 1000, Duration: 30 * time.Second, SampleEvery: 1})
	require.NoError(t, err)
	assert.Equal(t, int64(1000), res.BodiesChecked)
	assert.InDelta(t, 20, res.Errors[ErrBody], 2, "one answer in fifty")
	assert.Contains(t, res.LastError, "body differs")
}

func TestAWrongStatusIsCounted(t *testing.T) {
	t.Parallel()
	u := serve(t, func(ctx *fasthttp.RequestCtx) { ctx.SetStatusCode(500) })
	res, err := Run(context.Background(), Options{URL: u, Mix: get("/"), Connections: 2, Requests: 100, Duration: 30 * time.Second})
	require.NoError(t, err)
	assert.Equal(t, int64(100), res.Errors[ErrStatus])
	assert.Equal(t, int64(100), res.Statuses["500"])
}

// A server that takes 20 ms per request on 2 connections cannot answer more
// than 100 req/s: asked for 400, the open model says so in its achieved rate
// and its latency, never by silently sending less.
func TestIntendedAgainstAchievedRate(t *testing.T) {
	t.Parallel()
	u := serve(t, func(ctx *fasthttp.RequestCtx) { time.Sleep(20 * time.Millisecond); ok(ctx) })
	res, err := Run(context.Background(), Options{URL: u, Mix: get("/"), Connections: 2, Rate: 400, Duration: 2 * time.Second})
	require.NoError(t, err)
	require.NotNil(t, res.Rate.Intended)
	assert.InDelta(t, 400, *res.Rate.Intended, 1)
	assert.Less(t, res.Rate.Achieved, 120.0)
	assert.Greater(t, res.LatencyMS["p99"], 500.0, "the backlog of intended requests shows in latency")
}

func TestClosedPortFailsFast(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	u, _ := url.Parse("http://" + addr)
	begin := time.Now()
	_, err = Run(context.Background(), Options{URL: u, Mix: get("/"), Connections: 4, Duration: time.Second})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection refused")
	assert.Less(t, time.Since(begin), time.Second)
}

func TestOptionsAreChecked(t *testing.T) {
	t.Parallel()
	u, _ := url.Parse("http://127.0.0.1:1")
	tls, _ := url.Parse("https://127.0.0.1:1")
	tests := []struct {
		o    Options
		want string
	}{
		{Options{URL: u, Mix: get("/"), Connections: 0, Duration: time.Second}, "connections must be at least 1"},
		{Options{URL: u, Mix: get("/"), Connections: 1, Rate: -5, Duration: time.Second}, "rate must not be negative"},
		{Options{URL: tls, Mix: get("/"), Connections: 1, Duration: time.Second}, "https is not supported"},
		{Options{URL: u, Mix: get("/"), Connections: 1}, "give a duration or a request count"},
	}
	for _, tt := range tests {
		_, err := Run(context.Background(), tt.o)
		assert.ErrorContains(t, err, tt.want)
	}
}

func TestLoaderBound(t *testing.T) {
	t.Parallel()
	assert.True(t, LoaderBound(0.97, 0.6), "the loader saturated while the server idled: the loader's limit")
	assert.False(t, LoaderBound(0.97, 0.95), "both saturated: the server's capacity")
	assert.False(t, LoaderBound(0.5, 0.3), "neither saturated")
	assert.False(t, LoaderBound(0.94, 0.2))
}

func TestSteady(t *testing.T) {
	t.Parallel()
	assert.False(t, Steady([]float64{100, 100}), "three windows are needed")
	assert.True(t, Steady([]float64{10, 2000, 27000, 27500, 26800}))
	assert.False(t, Steady([]float64{2000, 12000, 24000}), "still climbing, as the JVM does while it compiles")
	assert.False(t, Steady([]float64{0, 0, 0}))
}

func TestWarmupRecordsHowLongItTook(t *testing.T) {
	t.Parallel()
	u := serve(t, ok)
	res, err := Run(context.Background(), Options{URL: u, Mix: get("/"), Connections: 2, Duration: 500 * time.Millisecond,
		Warmup: 5 * time.Second})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, res.Warmup.Seconds, 3.0, "three one-second windows at least")
	assert.LessOrEqual(t, res.Warmup.Seconds, 5.5)
}
