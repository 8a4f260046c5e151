package load

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResponseParse parses answers as servers write them: whole, and
// growing a byte at a time (as a slow socket delivers them), where every
// proper prefix must ask for more and never pass for an answer.
func TestResponseParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, wire, method string
		status             int
		body               string
		close              bool
		err                string
	}{
		{name: "content-length", wire: "HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 5\r\n\r\nhello", status: 200, body: "hello"},
		{name: "lower-case names, LF ends", wire: "HTTP/1.1 201 Created\ncontent-length:  2 \n\nok", status: 201, body: "ok"},
		{name: "chunked", wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\nTrailer: t\r\n\r\n", status: 200, body: "hello"},
		{name: "connection close", wire: "HTTP/1.1 500 Oops\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", status: 500, close: true},
		{name: "HTTP/1.0 closes", wire: "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx", status: 200, body: "x", close: true},
		{name: "HTTP/1.0 keep-alive", wire: "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx", status: 200, body: "x"},
		{name: "to the end of the stream", wire: "HTTP/1.1 200 OK\r\n\r\nall of it", status: 200, body: "all of it", close: true},
		{name: "no body on 204", wire: "HTTP/1.1 204 No Content\r\n\r\n", status: 204},
		{name: "no body on HEAD", wire: "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", method: "HEAD", status: 200},
		{name: "a large body", wire: "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + strings.Repeat("b", 5000), status: 200, body: strings.Repeat("b", 5000)},
		{name: "truncated body", wire: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", err: "unexpected EOF"},
		{name: "truncated chunk", wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", err: "unexpected EOF"},
		{name: "closed before the answer", wire: "", err: "EOF"},
		{name: "not HTTP", wire: "SSH-2.0-OpenSSH\r\n\r\n", err: "malformed HTTP response: status line"},
		{name: "bad length", wire: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", err: "malformed HTTP response: Content-Length"},
		{name: "bad chunk", wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", err: "malformed HTTP response: chunk size"},
		{name: "chunk without its line end", wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", err: "no line end after a chunk"},
		{name: "header without colon", wire: "HTTP/1.1 200 OK\r\nbroken\r\n\r\n", err: "malformed HTTP response: header line"},
		{name: "headers without end", wire: "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("h", maxHeader) + "\r\n", err: "no end of the headers"},
	} {
		method := tc.method
		if method == "" {
			method = "GET"
		}
		check := func(t *testing.T, r *response, n int, err error) {
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, len(tc.wire), n)
			assert.Equal(t, tc.status, r.status)
			assert.Equal(t, tc.body, string(r.body))
			assert.Equal(t, tc.close, r.close)
			assert.Equal(t, len(tc.wire), r.bytes)
		}
		t.Run(tc.name, func(t *testing.T) {
			var r response
			n, err := r.parse([]byte(tc.wire), method, true)
			check(t, &r, n, err)
		})
		t.Run(tc.name+", a byte at a time", func(t *testing.T) {
			var r response
			wire := []byte(tc.wire)
			step := max(1, len(wire)/1000) // the long ones in larger steps
			for i := 0; ; i = min(i+step, len(wire)) {
				n, err := r.parse(wire[:i], method, false)
				if err != nil || n > 0 {
					require.True(t, err != nil || i == len(wire), "a proper prefix of %d bytes passed for an answer", i)
					check(t, &r, n, err)
					return
				}
				if i == len(wire) {
					break
				}
			}
			n, err := r.parse(wire, method, true) // the connection ends
			check(t, &r, n, err)
		})
	}
}

// TestResponsesInARow parses two answers read together: the first one's
// body must not swallow the second.
func TestResponsesInARow(t *testing.T) {
	t.Parallel()
	one := "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
	two := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
	wire := []byte(one + two + one)
	var r response
	for _, want := range []string{"abc", "de", "abc"} {
		n, err := r.parse(wire, "GET", false)
		require.NoError(t, err)
		assert.Equal(t, want, string(r.body))
		wire = wire[n:]
	}
	assert.Empty(t, wire)
}
