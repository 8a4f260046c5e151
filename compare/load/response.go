package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// maxHeader bounds an answer's status line and headers: a longer head is not
// an answer the loader can read.
const maxHeader = 64 << 10

// A response is what the loader keeps of one HTTP/1.x answer. Its body is a
// view of the bytes parsed or, for a chunked body, of its own buffer, valid
// until the next parse.
type response struct {
	status int
	body   []byte
	// bytes is the answer's size on the wire: status line, headers and body.
	bytes int
	close bool
	// need, when positive, is how many bytes the whole answer takes, known
	// once its head is read: the reader grows its buffer to it at once.
	need int
	// head is the length of the status line and headers, 0 until read.
	head int
	// own holds a chunked body, put back together.
	own []byte
}

// errMalformed is an answer the loader cannot read as HTTP/1.x.
var errMalformed = errors.New("malformed HTTP response")

// parse reads the answer at the start of b, to a request with method, in
// place: the status line and headers are scanned, not copied, and only the
// fields the loader needs (Content-Length, Transfer-Encoding, Connection) are
// looked at. It returns the answer's length on the wire, or 0 when b holds
// only the start of it (the caller reads more and parses again from the
// start); eof says the connection ended after b.
func (r *response) parse(b []byte, method string, eof bool) (int, error) {
	*r = response{own: r.own[:0]}
	line, pos, ok := nextLine(b, 0)
	if !ok {
		return r.short(b, eof)
	}
	// HTTP/1.x NNN reason
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, fmt.Errorf("%w: status line %.40q", errMalformed, line)
	}
	var err error
	if r.status, err = strconv.Atoi(string(line[9:12])); err != nil || r.status < 100 {
		return 0, fmt.Errorf("%w: status line %.40q", errMalformed, line)
	}
	r.close = line[7] == '0' // HTTP/1.0 closes unless told otherwise
	length, chunked := -1, false
	for {
		if line, pos, ok = nextLine(b, pos); !ok {
			return r.short(b, eof)
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, fmt.Errorf("%w: header line %.40q", errMalformed, line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, fmt.Errorf("%w: Content-Length %.20q", errMalformed, value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(value, []byte("close")) {
				r.close = true
			} else if bytes.EqualFold(value, []byte("keep-alive")) {
				r.close = false
			}
		}
	}
	r.head = pos
	switch {
	case method == "HEAD" || r.status < 200 || r.status == 204 || r.status == 304:
		r.bytes = pos
		return pos, nil
	case chunked:
		return r.chunks(b, pos, eof)
	case length >= 0:
		r.need = pos + length
		if len(b) < r.need {
			return r.short(b, eof)
		}
		r.body, r.bytes = b[pos:r.need], r.need
		return r.need, nil
	default: // the body runs to the end of the connection
		r.close = true
		if !eof {
			return 0, nil
		}
		r.body, r.bytes = b[pos:], len(b)
		return len(b), nil
	}
}

// short is parse's answer when b ends inside the answer: read more, or, at
// the end of the connection, an error (io.EOF when not one byte came).
func (r *response) short(b []byte, eof bool) (int, error) {
	switch {
	case r.head == 0 && len(b) > maxHeader:
		return 0, fmt.Errorf("%w: no end of the headers in %d bytes", errMalformed, maxHeader)
	case !eof:
		return 0, nil
	case len(b) == 0:
		return 0, io.EOF
	default:
		return 0, io.ErrUnexpectedEOF
	}
}

// nextLine is the CRLF- or LF-ended line of b at pos, without its end, and
// where the line after it starts; ok is false when b ends before its end.
func nextLine(b []byte, pos int) (line []byte, next int, ok bool) {
	i := bytes.IndexByte(b[pos:], '\n')
	if i < 0 {
		return nil, pos, false
	}
	line = b[pos : pos+i]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, pos + i + 1, true
}

// chunks reads a chunked body starting at pos into the response's own
// buffer, and the trailer after it.
func (r *response) chunks(b []byte, pos int, eof bool) (int, error) {
	for {
		line, next, ok := nextLine(b, pos)
		if !ok {
			return r.short(b, eof)
		}
		size, _, _ := bytes.Cut(line, []byte(";"))
		n, err := strconv.ParseUint(string(bytes.TrimSpace(size)), 16, 31)
		if err != nil {
			return 0, fmt.Errorf("%w: chunk size %.20q", errMalformed, line)
		}
		pos = next
		if n == 0 {
			break
		}
		if len(b)-pos < int(n) {
			return r.short(b, eof)
		}
		r.own = append(r.own, b[pos:pos+int(n)]...)
		if line, next, ok = nextLine(b, pos+int(n)); !ok {
			return r.short(b, eof)
		}
		if len(line) != 0 {
			return 0, fmt.Errorf("%w: no line end after a chunk", errMalformed)
		}
		pos = next
	}
	for { // the trailer, up to its empty line
		line, next, ok := nextLine(b, pos)
		if !ok {
			return r.short(b, eof)
		}
		pos = next
		if len(line) == 0 {
			r.body, r.bytes = r.own, pos
			return pos, nil
		}
	}
}
