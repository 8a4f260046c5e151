package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// A response is what the loader keeps of one HTTP/1.x answer. Its body is a
// view of the connection's read buffer or of its own buffer, valid until the
// next read.
type response struct {
	status int
	body   []byte
	// bytes is the answer's size on the wire: status line, headers and body.
	bytes int
	close bool
	// own holds a body that does not fit the read buffer, or a chunked one.
	own []byte
}

// errMalformed is an answer the loader cannot read as HTTP/1.x.
var errMalformed = errors.New("malformed HTTP response")

// read reads one answer to a request with method from br, in place: the
// status line and headers are scanned in the read buffer, not copied, and
// only the fields the loader needs (Content-Length, Transfer-Encoding,
// Connection) are looked at. fasthttp's Response.Read, which this replaces,
// copies every header into its own buffers: at 1,000 connections that is
// 1,000 sets of buffers gone cold between two answers of a connection.
func (r *response) read(br *bufio.Reader, method string) error {
	*r = response{own: r.own[:0]}
	line, err := r.line(br)
	if err != nil {
		return err
	}
	// HTTP/1.x NNN reason
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return fmt.Errorf("%w: status line %.40q", errMalformed, line)
	}
	if r.status, err = strconv.Atoi(string(line[9:12])); err != nil || r.status < 100 {
		return fmt.Errorf("%w: status line %.40q", errMalformed, line)
	}
	r.close = line[7] == '0' // HTTP/1.0 closes unless told otherwise
	length, chunked := -1, false
	for {
		line, err := r.line(br)
		if err != nil {
			return err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return fmt.Errorf("%w: header line %.40q", errMalformed, line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return fmt.Errorf("%w: Content-Length %.20q", errMalformed, value)
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
	switch {
	case method == "HEAD" || r.status < 200 || r.status == 204 || r.status == 304:
		return nil
	case chunked:
		return r.chunks(br)
	case length >= 0:
		return r.fixed(br, length)
	default: // the body runs to the end of the connection
		r.close = true
		buf := bytes.NewBuffer(r.own)
		n, err := buf.ReadFrom(br)
		r.own, r.body, r.bytes = buf.Bytes(), buf.Bytes(), r.bytes+int(n)
		return err
	}
}

// line is the next CRLF- or LF-ended line of the answer, without its end.
func (r *response) line(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("%w: a header line longer than %d bytes", errMalformed, br.Size())
		}
		return nil, err
	}
	r.bytes += len(line)
	line = line[:len(line)-1]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, nil
}

// fixed reads a body of n bytes: left in the read buffer when it fits.
func (r *response) fixed(br *bufio.Reader, n int) error {
	r.bytes += n
	if n <= br.Size() {
		body, err := br.Peek(n)
		if err != nil {
			return unexpected(err)
		}
		r.body = body
		_, err = br.Discard(n)
		return err
	}
	r.own = append(r.own[:0], make([]byte, n)...)
	if _, err := io.ReadFull(br, r.own); err != nil {
		return unexpected(err)
	}
	r.body = r.own
	return nil
}

// chunks reads a chunked body into the response's own buffer, and the
// trailer after it.
func (r *response) chunks(br *bufio.Reader) error {
	for {
		line, err := r.line(br)
		if err != nil {
			return unexpected(err)
		}
		size, _, _ := bytes.Cut(line, []byte(";"))
		n, err := strconv.ParseUint(string(bytes.TrimSpace(size)), 16, 31)
		if err != nil {
			return fmt.Errorf("%w: chunk size %.20q", errMalformed, line)
		}
		if n == 0 {
			break
		}
		at := len(r.own)
		r.own = append(r.own, make([]byte, n)...)
		if _, err := io.ReadFull(br, r.own[at:]); err != nil {
			return unexpected(err)
		}
		r.bytes += int(n)
		if line, err = r.line(br); err != nil || len(line) != 0 {
			return fmt.Errorf("%w: no line end after a chunk", errMalformed)
		}
	}
	for { // the trailer, up to its empty line
		line, err := r.line(br)
		if err != nil {
			return unexpected(err)
		}
		if len(line) == 0 {
			r.body = r.own
			return nil
		}
	}
}

// unexpected makes a clean end of the stream inside an answer an error.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
