package load

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"
)

// serveRaw starts a loopback TCP server that hands each connection to
// answer, one call per request read, and returns its URL. answer returns
// false to close the connection.
func serveRaw(t *testing.T, answer func(w *bufio.Writer, n int) bool) *url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer nc.Close()
				br, bw := bufio.NewReader(nc), bufio.NewWriter(nc)
				for n := 0; ; n++ {
					for { // the request's head; the loader sends no body here
						line, err := br.ReadString('\n')
						if err != nil {
							return
						}
						if line == "\r\n" {
							break
						}
					}
					if !answer(bw, n) || bw.Flush() != nil {
						return
					}
				}
			}()
		}
	}()
	u, err := url.Parse("http://" + ln.Addr().String())
	require.NoError(t, err)
	return u
}

// TestEventLoopAnswers runs the loader against servers that answer in the
// ways the event loop must follow: in parts, larger than its read buffer,
// closing each connection, not at all, or dropping some connections.
func TestEventLoopAnswers(t *testing.T) {
	t.Parallel()
	large := strings.Repeat("x", 3*readBuffer)
	tests := []struct {
		name    string
		body    string
		answer  func(w *bufio.Writer, n int) bool
		timeout time.Duration
		check   func(t *testing.T, res Result)
	}{
		{
			name: "in parts", body: "hello",
			answer: func(w *bufio.Writer, n int) bool {
				w.WriteString("HTTP/1.1 200 OK\r\nContent-")
				w.Flush()
				time.Sleep(time.Millisecond)
				w.WriteString("Length: 5\r\n\r\nhe")
				w.Flush()
				time.Sleep(time.Millisecond)
				w.WriteString("llo")
				return true
			},
			check: func(t *testing.T, res Result) { assert.Zero(t, res.ErrorCount(), res.LastError) },
		},
		{
			name: "larger than the read buffer", body: large,
			answer: func(w *bufio.Writer, n int) bool {
				fmt.Fprintf(w, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(large), large)
				return true
			},
			check: func(t *testing.T, res Result) { assert.Zero(t, res.ErrorCount(), res.LastError) },
		},
		{
			name: "closing each connection", body: "ok",
			answer: func(w *bufio.Writer, n int) bool {
				w.WriteString("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
				w.Flush()
				return false
			},
			check: func(t *testing.T, res Result) { assert.Zero(t, res.ErrorCount(), res.LastError) },
		},
		{
			name: "not answering", body: "ok", timeout: 100 * time.Millisecond,
			answer: func(w *bufio.Writer, n int) bool {
				if n == 0 { // a connection's first request: the priming one, or one after a timeout
					w.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
					return true
				}
				time.Sleep(time.Second)
				return false
			},
			check: func(t *testing.T, res Result) {
				assert.Positive(t, res.Errors[ErrTimeout], res.LastError)
				assert.Equal(t, res.Errors[ErrTimeout], res.ErrorCount(), "timeouts only: %s", res.LastError)
				assert.GreaterOrEqual(t, res.LatencyMS["max"], 100.0, "a request is bounded by the timeout")
			},
		},
		{
			name: "dropping every third connection", body: "ok",
			answer: func(w *bufio.Writer, n int) bool {
				if n == 2 {
					return false
				}
				w.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
				return true
			},
			check: func(t *testing.T, res Result) {
				assert.Positive(t, res.Errors[ErrReset])
				assert.Contains(t, res.LastError, "closed by the server")
				assert.Greater(t, res.Statuses["200"], res.Errors[ErrReset], "the connections were opened again")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u := serveRaw(t, tt.answer)
			mix := Static{Label: "get", Request: Request{Method: "GET", Path: "/", Want: 200, Check: ExactBody([]byte(tt.body))}}
			res, err := Run(context.Background(), Options{URL: u, Mix: mix, Connections: 4, Duration: 500 * time.Millisecond,
				SampleEvery: 1, Timeout: tt.timeout})
			require.NoError(t, err)
			assert.Positive(t, res.Requests)
			tt.check(t, res)
		})
	}
}

// TestAddresses runs the loader on IPv6 and on a host name, which the loop
// resolves itself before it opens its raw sockets.
func TestAddresses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ network, listen, host string }{
		{"tcp6", "[::1]:0", "[::1]"},
		{"tcp4", "127.0.0.1:0", "localhost"},
	} {
		t.Run(tc.host, func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen(tc.network, tc.listen)
			if err != nil {
				t.Skipf("no %s loopback here: %v", tc.network, err)
			}
			_, port, err := net.SplitHostPort(ln.Addr().String())
			require.NoError(t, err)
			go func() { _ = (&fasthttp.Server{Handler: ok}).Serve(ln) }()
			t.Cleanup(func() { ln.Close() })
			u, err := url.Parse("http://" + tc.host + ":" + port)
			require.NoError(t, err)
			res, err := Run(context.Background(), Options{URL: u, Mix: get("/"), Connections: 2, Requests: 50, Duration: 10 * time.Second})
			require.NoError(t, err)
			assert.Equal(t, int64(50), res.Statuses["200"])
		})
	}
}
