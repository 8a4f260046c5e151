package conform

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	"github.com/tribench/tribench/services"
	"github.com/tribench/tribench/services/cases"
)

// serve runs handler on a loopback port until the test ends and returns its URL.
func serve(t *testing.T, handler fasthttp.RequestHandler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &fasthttp.Server{Handler: handler, MaxRequestBodySize: 8 << 20}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return "http://" + ln.Addr().String()
}

func reference() (*services.Store, *services.Server) {
	store := services.NewStore()
	return store, services.NewServer(store)
}

// rewriteStatus answers like the reference but turns status from into to.
func rewriteStatus(from, to int) fasthttp.RequestHandler {
	_, ref := reference()
	return func(ctx *fasthttp.RequestCtx) {
		ref.Handle(ctx)
		if ctx.Response.StatusCode() == from {
			ctx.SetStatusCode(to)
		}
	}
}

func writeJSON(ctx *fasthttp.RequestCtx, status int, v any) {
	b, _ := json.Marshal(v)
	ctx.SetContentType("application/json")
	ctx.SetStatusCode(status)
	ctx.SetBody(b)
}

func errorJSON(ctx *fasthttp.RequestCtx, status int) {
	writeJSON(ctx, status, map[string]any{"error": "broken variant", "timestamp": time.Now().Unix()})
}

// fieldRules answers like the reference except that name and email are judged by
// the broken predicates, where they disagree with the contract's.
func fieldRules(nameOK, emailOK func(string) bool) fasthttp.RequestHandler {
	store, ref := reference()
	return func(ctx *fasthttp.RequestCtx) {
		var body struct{ Name, Email *string }
		if string(ctx.Path()) != "/users" || !ctx.IsPost() || json.Unmarshal(ctx.PostBody(), &body) != nil ||
			body.Name == nil || body.Email == nil {
			ref.Handle(ctx)
			return
		}
		name, email := *body.Name, *body.Email
		broken := nameOK(name) && emailOK(email)
		if broken == (services.ValidName(name) && services.ValidEmail(email)) {
			ref.Handle(ctx)
			return
		}
		if !broken {
			errorJSON(ctx, http.StatusUnprocessableEntity)
			return
		}
		u, err := store.Create(name, email)
		if err != nil {
			errorJSON(ctx, http.StatusConflict)
			return
		}
		writeJSON(ctx, http.StatusCreated, u)
	}
}

func between(n, lo, hi int) bool { return n >= lo && n <= hi }

// racyStore checks for a duplicate, then waits until a second create is in flight
// before inserting: the check-and-insert race of an unsynchronised store, made
// deterministic.
type racyStore struct {
	*services.Store
	mu       sync.Mutex
	emails   map[string]bool
	inFlight int
	cond     *sync.Cond
}

func newRacyStore() *racyStore {
	r := &racyStore{Store: services.NewStore(), emails: map[string]bool{}}
	r.cond = sync.NewCond(&r.mu)
	return r
}

func (r *racyStore) Create(name, email string) (services.User, error) {
	r.mu.Lock()
	taken := r.emails[email]
	r.inFlight++
	r.cond.Broadcast()
	deadline := time.Now().Add(2 * time.Second)
	for r.inFlight < 2 && time.Now().Before(deadline) {
		go func() { time.Sleep(10 * time.Millisecond); r.cond.Broadcast() }()
		r.cond.Wait()
	}
	r.mu.Unlock()
	defer func() { r.mu.Lock(); r.inFlight--; r.mu.Unlock() }()
	if taken {
		return services.User{}, services.ErrDuplicateEmail
	}
	// The real store would refuse the duplicate; insert under a fresh email and
	// report the caller's, as a store without the atomic check would.
	u, err := r.Store.Create(name, email+"\x00"+time.Now().String())
	r.mu.Lock()
	r.emails[email] = true
	r.mu.Unlock()
	u.Email = email
	return u, err
}

func TestBrokenServicesFail(t *testing.T) {
	t.Parallel()
	asciiName := func(s string) bool { return between(len(s), 2, 50) }
	utf16Name := func(s string) bool { return between(len(utf16.Encode([]rune(s))), 2, 50) }
	unicodeEmail := regexp.MustCompile(`^[\p{L}\p{N}_.-]+@[\p{L}\p{N}_.-]+\.[\p{L}\p{N}_]+$`).MatchString

	tests := []struct {
		name    string
		handler func() fasthttp.RequestHandler
		// failing lists checks that must fail; rule is a rule one of them must name.
		failing []string
		rule    string
		// only restricts the run, for a variant too slow for every case.
		only string
	}{
		{"400 instead of 409 for a duplicate", func() fasthttp.RequestHandler { return rewriteStatus(409, 400) },
			[]string{"create/email/duplicate-409", "create/email/seed-duplicate-409", "property/same-email-race"}, "409", ""},
		{"400 instead of 422 for validation", func() fasthttp.RequestHandler { return rewriteStatus(422, 400) },
			[]string{"create/name/one-ascii-422", "create/email/plus-422", "precedence/422-short-name-before-409"}, "else 422", ""},
		{"name length in bytes", func() fasthttp.RequestHandler { return fieldRules(asciiName, services.ValidEmail) },
			[]string{"create/name/fifty-emoji", "create/name/one-precomposed-422", "create/name/thirty-precomposed"}, "code points", ""},
		{"name length in UTF-16 units", func() fasthttp.RequestHandler { return fieldRules(utf16Name, services.ValidEmail) },
			[]string{"create/name/one-emoji-422", "create/name/twenty-six-emoji", "create/name/fifty-emoji"}, "UTF-16", ""},
		{"Unicode \\w in the email", func() fasthttp.RequestHandler { return fieldRules(services.ValidName, unicodeEmail) },
			[]string{"create/email/unicode-local-part-422", "create/email/unicode-domain-422", "create/email/arabic-indic-digits-422"}, "ASCII", ""},
		{"off-by-one pagination", func() fasthttp.RequestHandler {
			_, ref := reference()
			return func(ctx *fasthttp.RequestCtx) {
				if skip, ok := services.ParseDecimal(ctx.QueryArgs().Peek("skip")); ok && skip < 1<<40 {
					ctx.QueryArgs().SetUint("skip", int(skip)+1)
				}
				ref.Handle(ctx)
			}
		}, []string{"list/seed-first-page", "list/skip-one"}, "slice [skip, skip+limit)", ""},
		{"epoch uptime", func() fasthttp.RequestHandler {
			_, ref := reference()
			return func(ctx *fasthttp.RequestCtx) {
				if string(ctx.Path()) == "/health" && ctx.IsGet() {
					writeJSON(ctx, 200, map[string]any{"status": "healthy", "uptime": time.Now().Unix()})
					return
				}
				ref.Handle(ctx)
			}
		}, []string{"property/health-uptime"}, "not an epoch", ""},
		{"error body without timestamp", func() fasthttp.RequestHandler {
			_, ref := reference()
			return func(ctx *fasthttp.RequestCtx) {
				ref.Handle(ctx)
				if ctx.Response.StatusCode() >= 400 {
					ctx.SetBodyString(`{"error":"no timestamp"}`)
				}
			}
		}, []string{"get/zero-400", "routing/root-404", "create/body/array-400"}, cases.RuleErrorBody, ""},
		{"a separate store per connection", func() fasthttp.RequestHandler {
			var mu sync.Mutex
			perConn := map[uint64]*services.Server{}
			return func(ctx *fasthttp.RequestCtx) {
				mu.Lock()
				srv, ok := perConn[ctx.ConnID()]
				if !ok {
					_, srv = reference()
					perConn[ctx.ConnID()] = srv
				}
				mu.Unlock()
				srv.Handle(ctx)
			}
		}, []string{"property/read-your-writes", "property/parallel-creates"}, "one store", ""},
		{"check-and-insert race", func() fasthttp.RequestHandler { return services.NewServer(newRacyStore()).Handle },
			// Every lone create waits for a partner that never comes, so only the properties run.
			[]string{"property/same-email-race"}, "atomic", "property/"},
		{"redirect from /users/ to /users", func() fasthttp.RequestHandler {
			_, ref := reference()
			return func(ctx *fasthttp.RequestCtx) {
				if string(ctx.Path()) == "/users/" {
					ctx.Response.Header.Set("Location", "/users")
					errorJSON(ctx, http.StatusTemporaryRedirect)
					return
				}
				ref.Handle(ctx)
			}
		}, []string{"routing/users-trailing-slash-404", "routing/post-users-trailing-slash-404"}, "no redirect", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep, err := Run(context.Background(), Options{BaseURL: serve(t, tt.handler()), Only: tt.only})
			require.NoError(t, err)
			for _, c := range rep.Checks {
				if c.Duration > 5*time.Second {
					t.Logf("slow check %s: %s", c.Name, c.Duration)
				}
			}
			assert.False(t, rep.OK(), "conform must fail a service with %s", tt.name)
			failed := map[string]Check{}
			for _, c := range rep.Failures() {
				failed[c.Name] = c
			}
			named := false
			for _, name := range tt.failing {
				c, ok := failed[name]
				if assert.True(t, ok, "check %s must fail", name) && assert.Contains(t, Line(c), "FAIL") {
					named = named || strings.Contains(c.Broken, tt.rule)
				}
			}
			assert.True(t, named, "a failure must name the rule containing %q; got %v", tt.rule, failed)
		})
	}
}

func TestReferenceServicePasses(t *testing.T) {
	t.Parallel()
	_, ref := reference()
	url := serve(t, ref.Handle)
	rep, err := Run(context.Background(), Options{BaseURL: url})
	require.NoError(t, err)
	assert.True(t, rep.OK(), "failures: %v", rep.Failures())
	assert.Equal(t, 0, rep.Failed)
	assert.Greater(t, rep.Passed, 60)
	// Run again against the same, now populated, service.
	rep, err = Run(context.Background(), Options{BaseURL: url})
	require.NoError(t, err)
	assert.True(t, rep.OK(), "second run against a service holding data: %v", rep.Failures())
}

func TestUnreachableServiceIsOneError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	start := time.Now()
	_, err = Run(context.Background(), Options{BaseURL: url})
	assert.ErrorIs(t, err, ErrUnreachable)
	assert.Less(t, time.Since(start), 10*time.Second)
}

func TestGarbageResponseIsAFailureNotAPanic(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				_, _ = c.Read(buf)
				_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{oops"))
			}()
		}
	}()
	rep, err := Run(context.Background(), Options{BaseURL: "http://" + ln.Addr().String(), Only: "health/"})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Checks)
	assert.False(t, rep.OK())
	assert.Contains(t, rep.Checks[0].Detail, "not JSON")
}

func TestSelected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"", "anything", true},
		{"create/", "create/name/two-ascii", true},
		{"create/*/two-ascii", "create/name/two-ascii", true},
		{"property/*", "property/read-your-writes", true},
		{"get/", "create/name/two-ascii", false},
		{"[", "x", false}, // a malformed glob matches nothing
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, selected(tt.pattern, tt.name), "%q vs %q", tt.pattern, tt.name)
	}
}
