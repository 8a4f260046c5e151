package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/valyala/fasthttp"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
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
// losing its socket, so a refusing server is not hammered.
const reconnectPause = 50 * time.Millisecond

// A conn is one connection and the goroutine that drives it. Only that
// goroutine writes its counters; Run reads them after it has finished.
type conn struct {
	id   int
	run  *run
	nc   net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
	req  fasthttp.Request
	resp response
	rnd  *rand.Rand
	seq  uint64

	// raw caches the wire bytes of body-less requests, which repeat: the
	// loader then spends its CPU on the socket, not on formatting. last is
	// the one sent last, which the next one most often is.
	raw  map[string][]byte
	last struct {
		method, path string
		raw          []byte
	}

	hist *histShard
	// deadline is the socket's read and write deadline, as last set.
	deadline time.Time
	answered atomic.Int64 // measured answers, for the exact count
	requests int64
	bytes    int64
	checked  int64
	statuses map[int]int64
	errors   map[string]int64
	lastErr  string
	stopped  atomic.Bool
}

func newConn(id int, r *run) *conn {
	return &conn{id: id, run: r, rnd: newRand(id), hist: r.hists[id%len(r.hists)], statuses: map[int]int64{}, errors: map[string]int64{},
		raw: map[string][]byte{}}
}

func (c *conn) dial(ctx context.Context) error {
	nc, err := c.run.dial(ctx)
	if err != nil {
		return err
	}
	c.nc, c.deadline = nc, time.Time{}
	c.br = bufio.NewReaderSize(nc, 16<<10)
	// Requests are small (a larger body goes straight to the socket).
	c.bw = bufio.NewWriterSize(nc, 4<<10)
	return nil
}

// prime sends the connection's first request, outside any measurement, so the
// server has accepted the connection before the next batch dials.
func (c *conn) prime(r *run) error {
	req := r.o.Mix.Next(c.id, c.seq, c.rnd)
	c.seq++
	if _, _, _, err := c.do(req); err != nil {
		return err
	}
	return nil
}

func (c *conn) close() {
	if c.nc != nil {
		c.nc.Close()
	}
}

// interrupt makes a blocked read or write return at once: the run is over.
func (c *conn) interrupt() {
	c.stopped.Store(true)
	if c.nc != nil {
		_ = c.nc.SetDeadline(time.Now())
	}
}

// loop sends requests until the run stops: at once after each answer in the
// closed model, at each intended send time in the open model.
func (c *conn) loop(ctx context.Context, r *run) {
	open := r.o.Rate > 0
	for k := int64(0); ; k++ {
		intended := time.Now()
		if open {
			intended = r.start.Add(Intended(c.id, r.o.Connections, r.o.Rate, k))
			if !c.sleepUntil(ctx, intended) {
				return
			}
		}
		phase := r.phase.Load()
		if phase == phaseStop || ctx.Err() != nil {
			return
		}
		measured := phase == phaseMeasure && intended.UnixNano() >= r.measureStart.Load()
		if measured && !r.takeTicket() {
			c.sleepUntil(ctx, time.Now().Add(24*time.Hour)) // until the run stops
			return
		}
		req := r.o.Mix.Next(c.id, c.seq, c.rnd)
		c.seq++
		status, body, n, err := c.do(req)
		end := time.Now()
		r.done.Add(1)
		// A duration-bounded window counts what was answered inside it; an
		// exact count counts every ticketed request.
		if measured && (r.o.Requests > 0 || r.phase.Load() == phaseMeasure) && !c.stopped.Load() {
			c.count(req, intended, end, status, body, n, err)
		}
		if err != nil && !c.stopped.Load() {
			c.redial(ctx)
		}
	}
}

// sleepUntil waits until t, or returns false when the run stops first.
func (c *conn) sleepUntil(ctx context.Context, t time.Time) bool {
	for {
		if c.run.phase.Load() == phaseStop || ctx.Err() != nil || c.stopped.Load() {
			return false
		}
		d := time.Until(t)
		if d <= 0 {
			return true
		}
		time.Sleep(min(d, 20*time.Millisecond))
	}
}

// count records one measured answer: its latency from the intended send time,
// its status, its bytes, and a sampled body check.
func (c *conn) count(req Request, intended, end time.Time, status int, body []byte, n int, err error) {
	c.requests++
	c.answered.Add(1)
	c.hist.record(max(end.Sub(intended).Microseconds(), histMin))
	if err != nil {
		c.fail(kindOf(err), err.Error())
		return
	}
	c.statuses[status]++
	c.bytes += int64(n)
	if !statusOK(req.Want, status) {
		c.fail(ErrStatus, fmt.Sprintf("%s %s: status %d, want %s", req.Method, req.Path, status, want(req.Want)))
		return
	}
	if req.Check != nil && (c.requests%int64(c.run.o.SampleEvery) == 0 || c.run.o.SampleEvery == 1) {
		c.checked++
		if berr := req.Check(body); berr != nil {
			c.fail(ErrBody, fmt.Sprintf("%s %s: %v", req.Method, req.Path, berr))
		}
	}
}

func (c *conn) fail(kind, detail string) {
	c.errors[kind]++
	c.lastErr = kind + ": " + detail
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

// do sends one request and reads its answer within the request timeout.
func (c *conn) do(req Request) (status int, body []byte, n int, err error) {
	if c.nc == nil {
		return 0, nil, 0, errNoConn
	}
	// Moving the deadline is a timer change in the runtime on every
	// request; it is moved only once the time left has fallen below the
	// timeout by a 64th, so a request is bounded by 63/64 of the timeout at
	// the least and by the timeout at the most.
	if now := time.Now(); c.deadline.Sub(now) < c.run.o.Timeout-c.run.o.Timeout/64 {
		c.deadline = now.Add(c.run.o.Timeout)
		if err := c.nc.SetDeadline(c.deadline); err != nil {
			return 0, nil, 0, err
		}
	}
	if err := c.write(req); err != nil {
		return 0, nil, 0, err
	}
	if err := c.bw.Flush(); err != nil {
		return 0, nil, 0, err
	}
	if err := c.resp.read(c.br, req.Method); err != nil {
		return 0, nil, 0, err
	}
	if c.resp.close {
		c.close()
		c.nc = nil
	}
	return c.resp.status, c.resp.body, c.resp.bytes, nil
}

var errNoConn = errors.New("connection closed by the server")

// write puts the request on the wire: from the cache when it has no body
// (the same request repeats), formatted by fasthttp otherwise.
func (c *conn) write(req Request) error {
	if len(req.Body) == 0 && req.Method == c.last.method && req.Path == c.last.path && c.last.raw != nil {
		_, err := c.bw.Write(c.last.raw)
		return err
	}
	key := req.Method + " " + req.Path
	if raw, ok := c.raw[key]; ok && len(req.Body) == 0 {
		c.last.method, c.last.path, c.last.raw = req.Method, req.Path, raw
		_, err := c.bw.Write(raw)
		return err
	}
	c.req.Reset()
	c.req.Header.SetMethod(req.Method)
	c.req.SetRequestURI(req.Path)
	c.req.Header.SetHost(c.run.host)
	for _, h := range c.run.o.Headers {
		c.req.Header.Set(h[0], h[1])
	}
	if len(req.Body) > 0 {
		c.req.Header.SetContentType("application/json")
		c.req.SetBodyRaw(req.Body)
		return c.req.Write(c.bw)
	}
	raw := []byte(c.req.String())
	c.raw[key] = raw
	c.last.method, c.last.path, c.last.raw = req.Method, req.Path, raw
	_, err := c.bw.Write(raw)
	return err
}

// redial replaces a broken connection; a failed dial counts as a connect
// error (when measured) and the loop tries again after a pause.
func (c *conn) redial(ctx context.Context) {
	c.close()
	c.nc = nil
	for !c.stopped.Load() && c.run.phase.Load() != phaseStop && ctx.Err() == nil {
		if err := c.dial(ctx); err == nil {
			return
		} else if c.run.phase.Load() == phaseMeasure {
			c.fail(ErrConnect, err.Error())
		}
		time.Sleep(reconnectPause)
	}
}

// kindOf classifies a transport error.
func kindOf(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return ErrTimeout
	case errors.Is(err, errNoConn):
		return ErrReset
	default:
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Op == "dial" {
			return ErrConnect
		}
		return ErrReset // EOF, connection reset, broken pipe, a malformed answer
	}
}

// A histShard is a latency histogram shared by the connections of one
// shard. A histogram per connection (140 KB each) left each record touching
// memory gone cold since that connection's last answer: at 1,000
// connections that was 5% of the loader's CPU. One shard per GOMAXPROCS
// keeps the lock mostly uncontended.
type histShard struct {
	mu sync.Mutex
	h  *hdrhistogram.Histogram
}

func newHistShards(n int) []*histShard {
	s := make([]*histShard, max(n, 1))
	for i := range s {
		s[i] = &histShard{h: newHistogram()}
	}
	return s
}

func (s *histShard) record(v int64) {
	s.mu.Lock()
	_ = s.h.RecordValue(v)
	s.mu.Unlock()
}
