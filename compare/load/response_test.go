package load

import (
	"bufio"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResponseRead reads answers as servers write them, whole and a byte at
// a time (each read returning one byte, as a slow socket may), and two in a
// row on one connection.
func TestResponseRead(t *testing.T) {
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
		{name: "a body larger than the buffer", wire: "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + strings.Repeat("b", 5000), status: 200, body: strings.Repeat("b", 5000)},
		{name: "truncated body", wire: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", err: "unexpected EOF"},
		{name: "not HTTP", wire: "SSH-2.0-OpenSSH\r\n\r\n", err: "malformed HTTP response: status line"},
		{name: "bad length", wire: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", err: "malformed HTTP response: Content-Length"},
		{name: "bad chunk", wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", err: "malformed HTTP response: chunk size"},
		{name: "header without colon", wire: "HTTP/1.1 200 OK\r\nbroken\r\n\r\n", err: "malformed HTTP response: header line"},
		{name: "header longer than the buffer", wire: "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("h", 5000) + "\r\n\r\n", err: "longer than 4096 bytes"},
	} {
		for _, slow := range []bool{false, true} {
			name := tc.name
			if slow {
				name += ", a byte a read"
			}
			t.Run(name, func(t *testing.T) {
				br := bufio.NewReaderSize(strings.NewReader(tc.wire), 4096)
				if slow {
					br = bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(tc.wire)), 4096)
				}
				method := tc.method
				if method == "" {
					method = "GET"
				}
				var r response
				err := r.read(br, method)
				if tc.err != "" {
					require.Error(t, err)
					assert.Contains(t, err.Error(), tc.err)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, tc.status, r.status)
				assert.Equal(t, tc.body, string(r.body))
				assert.Equal(t, tc.close, r.close)
				assert.Equal(t, len(tc.wire), r.bytes)
			})
		}
	}
}

// TestResponsesInARow reads two answers from one stream: the first one's
// body must not swallow the second.
func TestResponsesInARow(t *testing.T) {
	t.Parallel()
	one := "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
	two := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
	br := bufio.NewReaderSize(strings.NewReader(one+two+one), 4096)
	var r response
	for _, want := range []string{"abc", "de", "abc"} {
		require.NoError(t, r.read(br, "GET"))
		assert.Equal(t, want, string(r.body))
	}
}
