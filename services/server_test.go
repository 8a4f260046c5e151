package services

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/services/cases"
)

// startServer serves a fresh store on a loopback port until the test ends.
func startServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := NewServer(NewStore()).HTTPServer()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestContractCases(t *testing.T) {
	t.Parallel()
	all, err := cases.Load()
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(all), 60)
	base := startServer(t)
	// The second round runs against a store the first round filled, as conform does
	// against a service that already holds data.
	for _, round := range []string{"fresh", "with-data"} {
		runner := cases.NewRunner(base)
		t.Cleanup(runner.Client.CloseIdleConnections)
		for _, c := range all {
			t.Run(round+"/"+c.Name, func(t *testing.T) {
				res := runner.Run(context.Background(), c)
				assert.True(t, res.Pass, "step %d %s: [%s] %s", res.Step, res.Request, res.Rule, res.Detail)
			})
		}
	}
}

func TestEveryResponseHasDateServerAndContentType(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	tests := []struct{ method, path, body string }{
		{"GET", "/health", ""},
		{"GET", "/users", ""},
		{"GET", "/users/1", ""},
		{"GET", "/users/abc", ""},
		{"DELETE", "/users", ""},
		{"GET", "/nowhere", ""},
		{"POST", "/users", "{"},
	}
	client := cases.NewClient()
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
		require.NoError(t, err)
		resp, err := client.Do(req)
		require.NoError(t, err, "%s %s", tt.method, tt.path)
		resp.Body.Close()
		assert.NotEmpty(t, resp.Header.Get("Date"), "%s %s: Date", tt.method, tt.path)
		assert.Equal(t, "tribench-go", resp.Header.Get("Server"), "%s %s: Server", tt.method, tt.path)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "%s %s", tt.method, tt.path)
	}
}

// TestBodyBeyondReadLimit checks fasthttp's own error path: a declared body larger
// than the server reads is refused before it is sent, still with the error body.
func TestBodyBeyondReadLimit(t *testing.T) {
	t.Parallel()
	base := startServer(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /users HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", 9<<20)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Contains(t, string(body), `"error":"body larger than 1 MiB"`)
}

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"010", 10, true}, // base 10, not octal
		{"9223372036854775807", 9223372036854775807, true},
		{"0009223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false}, // overflow
		{"", 0, false},
		{"+1", 0, false},
		{"-1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1_0", 0, false},
		{"1.0", 0, false},
		{"\u0661", 0, false}, // Arabic-Indic one
	}
	for _, tt := range tests {
		got, ok := ParseDecimal([]byte(tt.in))
		assert.Equal(t, tt.ok, ok, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

func TestValidName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ok   bool
	}{
		{"Al", true},
		{"A", false},
		{strings.Repeat("😀", 50), true}, // 100 UTF-16 units, 200 bytes
		{strings.Repeat("😀", 51), false},
		{"e\u0301", true}, // two code points, one grapheme
		{"é", false},      // one precomposed code point, two bytes
	}
	for _, tt := range tests {
		assert.Equal(t, tt.ok, ValidName(tt.name), "%q", tt.name)
	}
}

func TestValidEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		email string
		ok    bool
	}{
		{"a@b.co", true},
		{"a_b.c-d@ex-ample.co_m", true},
		{"a@b.co\n", false},
		{"jörg@example.com", false},
		{"a+b@example.com", false},
		{"a@localhost", false},
		{"a@b.c-m", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.ok, ValidEmail(tt.email), "%q", tt.email)
	}
}
