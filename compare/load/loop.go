package load

import (
	"bytes"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/valyala/fasthttp"
	"golang.org/x/sys/unix"
)

const (
	// readBuffer is the loop's one read buffer, shared by its connections:
	// an answer that arrives whole (nearly all of them) is parsed where it
	// was read, in memory that stays hot, where a buffer per connection
	// would be cold again by that connection's next answer.
	readBuffer = 64 << 10
	// maxAnswer bounds an answer that did not arrive in one read.
	maxAnswer = 256 << 20
	// tickEvery is the longest the loop waits without looking at the run's
	// phase.
	tickEvery = 10 * time.Millisecond
	// blockFor is the longest the loop blocks in epoll_pwait2 before it
	// parks (wait).
	blockFor = 200 * time.Microsecond
)

// A loop is one event loop: one goroutine, its share of the connections as
// non-blocking sockets in one epoll set, as wrk does. (Not locked to its
// thread: with one CPU, each preemption of a locked goroutine was a hand-off
// between two threads, 400 futex calls in 2 s.)
// A goroutine per connection spent a quarter of its reads on EAGAIN before
// parking on the runtime's netpoller, and 7% of the CPU in the scheduler.
// Its counters are its own, read by Run once it has stopped, except
// answered, which the exact count watches.
type loop struct {
	r      *run
	ep     int
	sa     unix.Sockaddr
	family int
	conns  []*conn
	events []unix.EpollEvent
	buf    []byte
	due    dueHeap
	open   bool
	// pending counts the connections still priming (connect).
	pending int
	// done counts answers not yet added to run.done.
	done int64
	// epf is ep as a file of the runtime's netpoller, rc its raw access;
	// parkUntil is its read deadline as last set.
	epf       *os.File
	rc        syscall.RawConn
	parkUntil time.Time
	// readyFn is readyAfterPark, made once; parked, n and e are its state.
	readyFn func(uintptr) bool
	parked  bool
	n       int
	e       unix.Errno
	// pwait2: epoll_pwait2, whose timeout is in nanoseconds, is there.
	pwait2 bool
	// nextTick is when the loop next yields and looks at the deadlines,
	// which it scans every scanEvery.
	nextTick, nextScan time.Time
	scanEvery          time.Duration

	// raw caches the wire bytes of body-less requests, which repeat: the
	// loader then spends its CPU on the socket, not on formatting. last is
	// the one sent last, which the next one most often is.
	raw  map[[2]string][]byte
	last struct {
		method, path string
		raw          []byte
	}
	fh   fasthttp.Request
	wire bytes.Buffer

	hist     *hdrhistogram.Histogram
	answered atomic.Int64 // measured answers, for the exact count
	requests int64
	bytes    int64
	checked  int64
	// statuses is indexed by the status code (three digits).
	statuses [1000]int64
	errors   map[string]int64
	lastErr  string
}

func (r *run) newLoop(sa unix.Sockaddr, family int) (*loop, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	// Non-blocking, os.NewFile puts it on the runtime's netpoller (wait).
	if err := unix.SetNonblock(ep, true); err != nil {
		unix.Close(ep)
		return nil, fmt.Errorf("epoll descriptor: %w", err)
	}
	epf := os.NewFile(uintptr(ep), "epoll")
	rc, err := epf.SyscallConn()
	if err != nil {
		epf.Close()
		return nil, fmt.Errorf("epoll descriptor: %w", err)
	}
	l := &loop{r: r, ep: ep, epf: epf, rc: rc, sa: sa, family: family, events: make([]unix.EpollEvent, 256), buf: make([]byte, readBuffer),
		open: r.o.Rate > 0, pwait2: true, scanEvery: min(max(r.o.Timeout/64, tickEvery), time.Second), raw: map[[2]string][]byte{}, hist: newHistogram(), errors: map[string]int64{}}
	l.readyFn = l.readyAfterPark
	return l, nil
}

func (l *loop) close() {
	for _, c := range l.conns {
		c.closeFD()
	}
	l.epf.Close()
}

// prime connects cs and sends each its first request, outside any
// measurement, so the server has accepted them before the next batch dials.
// It returns the first connection's error.
func (l *loop) prime(ctx context.Context, cs []*conn) error {
	now := time.Now()
	for _, c := range cs {
		c.priming = true
		l.pending++
		if err := l.dial(c, now); err != nil {
			l.primed(c, err)
		}
	}
	for l.pending > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := l.poll(); err != nil {
			return err
		}
	}
	for _, c := range cs {
		if c.primeErr != nil {
			return c.primeErr
		}
	}
	return nil
}

// primed ends c's priming.
func (l *loop) primed(c *conn, err error) {
	c.priming, c.state = false, stIdle
	l.pending--
	if err != nil {
		c.primeErr = err
		c.closeFD()
	}
}

// run drives the loop's connections until the run stops.
func (l *loop) run() error {
	now := time.Now()
	for _, c := range l.conns {
		l.next(c, now)
	}
	for l.r.phase.Load() != phaseStop {
		if err := l.poll(); err != nil {
			return err
		}
	}
	return nil
}

// poll sends what is due, waits for events (until the next send time or
// the next deadline scan) and handles them.
func (l *loop) poll() error {
	now := time.Now()
	for len(l.due) > 0 && !l.due[0].at.After(now) {
		c := heap.Pop(&l.due).(*conn)
		if c.state == stPaused {
			l.reconnect(c, now)
		} else {
			l.send(c, c.at, now)
		}
	}
	if !now.Before(l.nextTick) {
		// Under load the loop seldom parks: yielding now and then spares
		// the runtime a signal to preempt it every 10 ms.
		runtime.Gosched()
		l.nextTick = now.Add(tickEvery)
		if !now.Before(l.nextScan) {
			l.scan(now)
			l.nextScan = now.Add(l.scanEvery)
		}
	}
	until := l.nextTick
	if len(l.due) > 0 && l.due[0].at.Before(until) {
		until = l.due[0].at
	}
	n, err := l.wait(now, until)
	if err != nil {
		if errors.Is(err, unix.EINTR) {
			return nil
		}
		return fmt.Errorf("epoll_wait: %w", err)
	}
	for _, ev := range l.events[:n] {
		c := l.conns[ev.Fd]
		switch c.state {
		case stConnecting:
			l.connected(c)
		case stWriting:
			l.flush(c)
		case stReading:
			l.read(c)
		}
		// An idle connection's event is the server closing it or talking
		// out of turn: the next request's read or write meets it.
	}
	l.r.done.Add(l.done)
	l.done = 0
	return nil
}

// wait returns how many events are ready, waiting for them until at most
// until. It asks first without waiting, as a raw system call (see sysRead),
// then blocks in epoll_pwait2 for up to blockFor, then parks the goroutine
// on the runtime's netpoller, to which the epoll descriptor is itself a
// readable file.
//
// Under load the next answer is microseconds away: the short block catches
// it for two system calls, where a park costs four and the scheduler (10%
// of the loader's CPU at 1,000 connections when it parked at once). A
// longer block would hold the thread's processor until the runtime's
// monitor takes it back, up to 10 ms later, and every other goroutine (the
// run's timers, another loop, a server in the same test) would wait as
// long: a test's paced server then answered 450 req/s of its 1,500.
// epoll_pwait2's timeout is in nanoseconds, so the open model's next send
// is not rounded to a millisecond, as the runtime's timers are.
func (l *loop) wait(now, until time.Time) (int, error) {
	n, e := l.ready()
	if e != 0 || n > 0 || !until.After(now) {
		return n, errnoErr(e)
	}
	d := until.Sub(now)
	if n, err := l.block(min(d, blockFor)); err != nil || n > 0 || d <= blockFor {
		return n, err
	}
	if !until.Equal(l.parkUntil) {
		if err := l.epf.SetReadDeadline(until); err != nil {
			return 0, err
		}
		l.parkUntil = until
	}
	l.parked, l.n, l.e = true, 0, 0
	err := l.rc.Read(l.readyFn)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return l.n, errnoErr(l.e)
}

// readyAfterPark is the netpoller's question, asked each time the epoll
// descriptor turns readable: are events ready? The first time is at once,
// and wait has just asked that.
func (l *loop) readyAfterPark(uintptr) bool {
	if l.parked {
		l.parked = false
		return false
	}
	l.n, l.e = l.ready()
	return l.e != 0 || l.n > 0
}

// ready is epoll_pwait without waiting.
func (l *loop) ready() (int, unix.Errno) {
	n, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(l.ep), uintptr(unsafe.Pointer(&l.events[0])),
		uintptr(len(l.events)), 0, 0, 0)
	return int(n), e
}

// block waits in epoll_pwait2 for at most d; without it (an older kernel,
// or a seccomp filter that refuses it), in epoll_wait for d rounded up to
// the millisecond.
func (l *loop) block(d time.Duration) (int, error) {
	if l.pwait2 {
		ts := unix.NsecToTimespec(int64(d))
		n, _, e := unix.Syscall6(unix.SYS_EPOLL_PWAIT2, uintptr(l.ep), uintptr(unsafe.Pointer(&l.events[0])),
			uintptr(len(l.events)), uintptr(unsafe.Pointer(&ts)), 0, 0)
		if e != unix.ENOSYS && e != unix.EPERM {
			return int(n), errnoErr(e)
		}
		l.pwait2 = false
	}
	return unix.EpollWait(l.ep, l.events, int((d+time.Millisecond-1)/time.Millisecond))
}

func errnoErr(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}

// sysRead and sysWrite are read(2) and write(2) on a non-blocking socket,
// which never block: as raw system calls they skip the runtime's
// entersyscall and exitsyscall, and the monitor thread, which finds no
// processor in a system call to take back, sleeps instead of waking every
// 20 µs (the loader's only CPU is shared with it: 10,000 nanosleeps and a
// thousand futex calls in two seconds under strace through unix.Read and
// unix.Write).
func sysRead(fd int, p []byte) (int, unix.Errno) {
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	return int(n), e
}

func sysWrite(fd int, p []byte) (int, unix.Errno) {
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	return int(n), e
}

// scan fails the connections whose connect or request outlived the
// timeout. It runs every 64th of the timeout: a scan touches every
// connection, cold memory at 1,000 of them (every 10 ms, it took 2% of the
// loader's CPU), and a request is bounded by the timeout and a 64th.
func (l *loop) scan(now time.Time) {
	for _, c := range l.conns {
		if c.state == stIdle || c.state == stPaused || now.Before(c.deadline) {
			continue
		}
		err := fmt.Errorf("%w: nothing within %s", errTimeout, l.r.o.Timeout)
		if c.state == stConnecting {
			l.connectFailed(c, now, fmt.Errorf("connect to %s: %w", l.r.host, err))
		} else {
			l.finish(c, now, err)
		}
	}
}

// connected completes a connect the socket has answered, and starts the
// connection's first request.
func (l *loop) connected(c *conn) {
	now := time.Now()
	soErr, err := unix.GetsockoptInt(c.fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err == nil && soErr != 0 {
		err = unix.Errno(soErr)
	}
	if err != nil {
		l.connectFailed(c, now, fmt.Errorf("connect to %s: %w", l.r.host, err))
		return
	}
	if err := l.watch(c, false); err != nil {
		l.connectFailed(c, now, err)
		return
	}
	c.state = stIdle
	if c.priming {
		req := l.r.o.Mix.Next(c.id, c.seq, c.rnd)
		c.seq++
		l.write(c, req, now, now)
		return
	}
	l.next(c, now)
}

// connectFailed ends a priming connection with err; later, it counts a
// connect error in the measured window and dials again after a pause.
func (l *loop) connectFailed(c *conn, now time.Time, err error) {
	c.closeFD()
	if c.priming {
		l.primed(c, err)
		return
	}
	if l.r.phase.Load() == phaseMeasure {
		l.fail(ErrConnect, err.Error())
	}
	c.state, c.at = stPaused, now.Add(reconnectPause)
	heap.Push(&l.due, c)
}

// reconnect opens c's connection again; connected sends its next request.
func (l *loop) reconnect(c *conn, now time.Time) {
	c.closeFD()
	c.state = stIdle
	if l.r.phase.Load() == phaseStop {
		return
	}
	if err := l.dial(c, now); err != nil {
		l.connectFailed(c, now, err)
	}
}

// next starts c's next request: at once in the closed model, at its
// intended send time in the open one.
func (l *loop) next(c *conn, now time.Time) {
	if c.fd < 0 {
		l.reconnect(c, now)
		return
	}
	if !l.open {
		l.send(c, now, now)
		return
	}
	intended := l.r.start.Add(Intended(c.id, l.r.o.Connections, l.r.o.Rate, c.k))
	c.k++
	if intended.After(now) {
		c.state, c.at = stIdle, intended
		heap.Push(&l.due, c)
		return
	}
	l.send(c, intended, now) // late: sent now, timed from when it was due
}

// send sends c's next request of the mix, if the run still wants one.
func (l *loop) send(c *conn, intended, now time.Time) {
	phase := l.r.phase.Load()
	if phase == phaseStop {
		return
	}
	measured := phase == phaseMeasure && intended.UnixNano() >= l.r.measureStart.Load()
	if measured && !l.r.takeTicket() {
		return // the count is reached: idle until the run stops
	}
	req := l.r.o.Mix.Next(c.id, c.seq, c.rnd)
	c.seq++
	c.measured = measured
	l.write(c, req, intended, now)
}

// write puts req on c's socket; what the socket does not take waits for
// room (flush).
func (l *loop) write(c *conn, req Request, intended, now time.Time) {
	c.req, c.intended, c.deadline = req, intended, now.Add(l.r.o.Timeout)
	b := l.encode(req)
	n, e := sysWrite(c.fd, b)
	if e == unix.EAGAIN {
		n, e = 0, 0
	}
	if e != 0 {
		l.finish(c, now, fmt.Errorf("write: %w", e))
		return
	}
	if n == len(b) {
		c.state = stReading
		return
	}
	c.out, c.state = append(c.out[:0], b[n:]...), stWriting
	if err := l.watch(c, true); err != nil {
		l.finish(c, now, err)
	}
}

// flush writes the rest of c's request, now the socket has room.
func (l *loop) flush(c *conn) {
	n, e := sysWrite(c.fd, c.out)
	if e == unix.EAGAIN {
		return
	}
	if e != 0 {
		l.finish(c, time.Now(), fmt.Errorf("write: %w", e))
		return
	}
	if c.out = c.out[n:]; len(c.out) > 0 {
		return
	}
	c.state = stReading
	if err := l.watch(c, false); err != nil {
		l.finish(c, time.Now(), err)
	}
}

// encode is req on the wire: from the cache when it has no body (the same
// request repeats), formatted by fasthttp otherwise. The bytes are valid
// until the next encode.
func (l *loop) encode(req Request) []byte {
	if len(req.Body) == 0 {
		if req.Method == l.last.method && req.Path == l.last.path && l.last.raw != nil {
			return l.last.raw
		}
		key := [2]string{req.Method, req.Path}
		raw, ok := l.raw[key]
		if !ok {
			l.format(req)
			raw = bytes.Clone(l.wire.Bytes())
			l.raw[key] = raw
		}
		l.last.method, l.last.path, l.last.raw = req.Method, req.Path, raw
		return raw
	}
	l.format(req)
	return l.wire.Bytes()
}

func (l *loop) format(req Request) {
	l.fh.Reset()
	l.fh.Header.SetMethod(req.Method)
	l.fh.SetRequestURI(req.Path)
	l.fh.Header.SetHost(l.r.host)
	for _, h := range l.r.o.Headers {
		l.fh.Header.Set(h[0], h[1])
	}
	if len(req.Body) > 0 {
		l.fh.Header.SetContentType("application/json")
		l.fh.SetBodyRaw(req.Body)
	}
	l.wire.Reset()
	_, _ = l.fh.WriteTo(&l.wire) // a bytes.Buffer does not fail
}

// read reads c's answer: into the loop's buffer and parsed there when it
// arrives whole, gathered in c's own buffer when it comes in parts.
func (l *loop) read(c *conn) {
	for {
		dst := l.buf
		if len(c.in) > 0 {
			if len(c.in) == cap(c.in) && !l.grow(c, 2*cap(c.in)) {
				return
			}
			dst = c.in[len(c.in):cap(c.in)]
		}
		n, e := sysRead(c.fd, dst)
		switch e {
		case 0:
		case unix.EAGAIN:
			return // wait for the socket's next edge
		case unix.EINTR:
			continue
		default:
			l.finish(c, time.Now(), fmt.Errorf("read: %w", e))
			return
		}
		var b []byte
		if len(c.in) > 0 {
			c.in = c.in[:len(c.in)+n]
			b = c.in
		} else {
			b = l.buf[:n]
		}
		m, err := c.resp.parse(b, c.req.Method, n == 0)
		if errors.Is(err, io.EOF) {
			err = errClosed
		}
		switch {
		case err != nil:
			l.finish(c, time.Now(), err)
			return
		case m > 0 && m < len(b):
			l.finish(c, time.Now(), fmt.Errorf("%w: %d bytes after the answer", errMalformed, len(b)-m))
			return
		case m > 0:
			c.in = c.in[:0]
			l.finish(c, time.Now(), nil)
			return
		}
		if len(c.in) == 0 { // the start of an answer, kept for the rest
			if !l.grow(c, max(c.resp.need, 2*n, 4<<10)) {
				return
			}
			c.in = append(c.in, b...)
		} else if c.resp.need > cap(c.in) && !l.grow(c, c.resp.need) {
			return
		}
		if n < len(dst) {
			return // the socket had no more: its next edge says when it has
		}
	}
}

// grow makes room for an answer of size bytes in c.in, or fails c when that
// is beyond maxAnswer.
func (l *loop) grow(c *conn, size int) bool {
	if size > maxAnswer {
		l.finish(c, time.Now(), fmt.Errorf("%w: an answer larger than %d bytes", errMalformed, maxAnswer))
		return false
	}
	if size > cap(c.in) {
		c.in = append(make([]byte, 0, size), c.in...)
	}
	return true
}

// finish ends c's request, answered or failed with err: it is counted when
// measured, and c goes on with its next request (on a new connection after
// an error or an answer that closes it).
func (l *loop) finish(c *conn, now time.Time, err error) {
	if err != nil {
		c.closeFD()
	}
	if c.priming {
		l.primed(c, err)
		if err == nil && c.resp.close {
			c.closeFD() // the run opens it again (next)
		}
		return
	}
	l.done++
	// A duration-bounded window counts what was answered inside it; an
	// exact count counts every ticketed request.
	if c.measured && (l.r.o.Requests > 0 || l.r.phase.Load() == phaseMeasure) {
		l.count(c, now, err)
	}
	c.state = stIdle
	if err == nil && c.resp.close {
		c.closeFD()
	}
	l.next(c, now)
}

// count records one measured answer: its latency from the intended send time,
// its status, its bytes, and a sampled body check.
func (l *loop) count(c *conn, end time.Time, err error) {
	l.requests++
	l.answered.Add(1)
	_ = l.hist.RecordValue(max(end.Sub(c.intended).Microseconds(), histMin))
	req := c.req
	if err != nil {
		kind := ErrReset // closed, reset, broken pipe, a malformed answer
		if errors.Is(err, errTimeout) {
			kind = ErrTimeout
		}
		l.fail(kind, fmt.Sprintf("%s %s: %v", req.Method, req.Path, err))
		return
	}
	status := c.resp.status
	l.statuses[status]++
	l.bytes += int64(c.resp.bytes)
	if !statusOK(req.Want, status) {
		l.fail(ErrStatus, fmt.Sprintf("%s %s: status %d, want %s", req.Method, req.Path, status, want(req.Want)))
		return
	}
	if req.Check != nil && (l.requests%int64(l.r.o.SampleEvery) == 0 || l.r.o.SampleEvery == 1) {
		l.checked++
		if berr := req.Check(c.resp.body); berr != nil {
			l.fail(ErrBody, fmt.Sprintf("%s %s: %v", req.Method, req.Path, berr))
		}
	}
}

func (l *loop) fail(kind, detail string) {
	l.errors[kind]++
	l.lastErr = kind + ": " + detail
}

// A dueHeap orders idle connections by when they send or dial next.
type dueHeap []*conn

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(*conn)) }
func (h *dueHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}
