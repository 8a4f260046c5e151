package load

import (
	"context"
	"encoding/json"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/tribench/tribench/services"
)

// goService starts the Go reference user API on loopback.
func goService(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := services.NewServer(services.NewStore()).HTTPServer()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestSeedTheListMixNearOneKilobyte(t *testing.T) {
	t.Parallel()
	base := goService(t)
	seed, err := SeedService(context.Background(), base)
	require.NoError(t, err)
	assert.Equal(t, "/users?limit=15", seed.ListPath)
	assert.InDelta(t, 1024, len(seed.ListBody), 100, "about 1 KB, as the article's payload")
	var list []User
	require.NoError(t, json.Unmarshal([]byte(seed.ListBody), &list))
	assert.Len(t, list, ListLimit)
	assert.Len(t, seed.Users, 2+SeedUsers)
	_, err = SeedService(context.Background(), base)
	assert.ErrorContains(t, err, "seed user 1: status 409", "a second seed on one store meets its own emails")
}

func TestEveryMixOnTheGoService(t *testing.T) {
	t.Parallel()
	base := goService(t)
	seed, err := SeedService(context.Background(), base)
	require.NoError(t, err)
	u, err := url.Parse(base)
	require.NoError(t, err)
	for _, kind := range Mixes {
		m, err := NewUserMix(kind, seed, "t1", false)
		require.NoError(t, err)
		res, err := Run(context.Background(), Options{URL: u, Mix: m, Connections: 4, Requests: 500, Duration: 30 * time.Second, SampleEvery: 1})
		require.NoError(t, err, kind)
		assert.Zero(t, res.ErrorCount(), "%s: %s", kind, res.LastError)
		assert.Equal(t, int64(500), res.BodiesChecked, kind)
		if kind == MixMixed {
			assert.InDelta(t, 50, res.Statuses["201"], 30, "about one create in ten")
		}
	}
	_, err = NewUserMix("post-only", seed, "t", false)
	assert.ErrorContains(t, err, `unknown mix "post-only"`)
}

// Four stores behind one port (the article's uvicorn --workers 4) cannot be
// seeded consistently: the check says so.
func TestSeedCheckFailsForSeveralStores(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	handlers := []fasthttp.RequestHandler{}
	for i := 0; i < 4; i++ {
		handlers = append(handlers, services.NewServer(services.NewStore()).Handle)
	}
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		// Each connection lands on one of the workers, as SO_REUSEPORT spreads them.
		handlers[int(ctx.ConnID())%len(handlers)](ctx)
	}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	_, err = SeedService(context.Background(), "http://"+ln.Addr().String())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not one store")
}
