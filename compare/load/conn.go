package load

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"golang.org/x/sys/unix"
)

// Error kinds, as results count them.
const (
	ErrConnect = "connect"
	ErrTimeout = "timeout"
	ErrReset   = "reset"
	ErrStatus  = "status"
	ErrBody    = "body"
)

// ErrorKinds lists every kind, in report order.
var ErrorKinds = []string{ErrConnect, ErrTimeout, ErrReset, ErrStatus, ErrBody}

// reconnectPause is how long a connection waits before it dials again after
// a failed connect, so a refusing server is not hammered.
const reconnectPause = 50 * time.Millisecond

var (
	// errTimeout is a request or connect that outlived Options.Timeout.
	errTimeout = errors.New("timeout")
	// errClosed is the server closing the connection before an answer.
	errClosed = errors.New("connection closed by the server")
)

// States of a connection.
const (
	// stIdle: nothing on the wire (waiting for its send time, its tickets
	// spent, or the run not begun).
	stIdle = iota
	stConnecting
	// stWriting: the socket did not take the whole request at once.
	stWriting
	stReading
	// stPaused: its connect failed; it dials again at its time.
	stPaused
)

// A conn is one connection: a non-blocking socket driven by the event loop
// that owns it. Only that loop touches it while the run goes on.
type conn struct {
	id int
	// index is its place in its loop's conns, the epoll events' data.
	index int
	fd    int // -1 when closed
	state int
	// priming: its first request, sent while connecting, is not measured;
	// primeErr is what went wrong with it.
	priming  bool
	primeErr error

	rnd *rand.Rand
	seq uint64
	// k is the index of its next intended send (open model).
	k int64
	// at is when it sends next (stIdle, open model) or dials again (stPaused).
	at time.Time

	req      Request
	intended time.Time
	measured bool
	deadline time.Time

	// out is the rest of a request the socket did not take at once.
	out []byte
	// in holds an answer begun but not complete, when it did not arrive in
	// one read (the common answer is read and parsed in the loop's buffer).
	in   []byte
	resp response
}

func newConn(id int) *conn {
	return &conn{id: id, fd: -1, rnd: newRand(id)}
}

// dial opens the socket and starts connecting; the loop sees it writable
// once connected.
func (l *loop) dial(c *conn, now time.Time) error {
	fd, err := unix.Socket(l.family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	// Requests go out whole in one write; Nagle would hold a split one back.
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err != nil {
		unix.Close(fd)
		return fmt.Errorf("TCP_NODELAY: %w", err)
	}
	if err := unix.Connect(fd, l.sa); err != nil && !errors.Is(err, unix.EINPROGRESS) {
		unix.Close(fd)
		return fmt.Errorf("connect to %s: %w", l.r.host, err)
	}
	// Edge-triggered: an event for each arrival, no epoll_ctl per request.
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: int32(c.index)}
	if err := unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		unix.Close(fd)
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	c.fd, c.state, c.deadline = fd, stConnecting, now.Add(l.r.o.Timeout)
	return nil
}

// watch sets the events the loop waits for on c: readable always, writable
// only while connecting or while a request waits for room in the socket, so
// the acknowledgements that free the room wake nobody.
func (l *loop) watch(c *conn, writable bool) error {
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLRDHUP | unix.EPOLLET, Fd: int32(c.index)}
	if writable {
		ev.Events |= unix.EPOLLOUT
	}
	if err := unix.EpollCtl(l.ep, unix.EPOLL_CTL_MOD, c.fd, &ev); err != nil {
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	return nil
}

// closeFD closes c's socket (which leaves the epoll set) and drops what was
// half sent or half read on it.
func (c *conn) closeFD() {
	if c.fd >= 0 {
		unix.Close(c.fd)
	}
	c.fd, c.in, c.out = -1, c.in[:0], nil
}

func statusOK(want, got int) bool {
	if want == 0 {
		return got >= 200 && got < 400
	}
	return got == want
}

func want(status int) string {
	if status == 0 {
		return "2xx or 3xx"
	}
	return fmt.Sprint(status)
}
