package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"golang.org/x/sys/unix"
)

// Defaults of Options.
const (
	DefaultTimeout = 10 * time.Second
	// DefaultConnectBatch keeps each burst of SYNs within the smallest listen
	// backlog of the contenders (uvicorn's 2,048; the kernel allows 4,096
	// here): a burst beyond it turns into 1 s and 3 s SYN retries.
	DefaultConnectBatch = 1000
	// DefaultSampleEvery compares one answer's body in a hundred.
	DefaultSampleEvery = 100
	// steadyWindow is the warm-up's tick: it judges one-second rates.
	steadyWindow = time.Second
	// Latencies are recorded in microseconds, from 1 µs to 2 minutes.
	histMin, histMax, histDigits = 1, 120_000_000, 3
)

// Options configure a run. Fill URL, Mix and Connections; the zero value of
// every other field has a meaning documented beside it.
type Options struct {
	// URL is the server, e.g. http://127.0.0.1:8080 (the mix supplies paths).
	URL *url.URL
	Mix Mix
	// Connections is how many connections are open during the run.
	Connections int
	// Duration bounds the measured window; Requests, when positive, ends it
	// after exactly that many requests instead (Duration still bounds it).
	Duration time.Duration
	Requests int64
	// Rate is the open model's requests per second over all connections; 0 is
	// the closed model.
	Rate float64
	// Warmup bounds the warm-up: it runs until the rate is steady or for this
	// long; 0 means no warm-up. MinWarmup is the least warm-up.
	Warmup, MinWarmup time.Duration
	// Timeout bounds each request; DefaultTimeout when zero.
	Timeout time.Duration
	// ConnectBatch is how many connections are opened at once; DefaultConnectBatch when zero.
	ConnectBatch int
	// SampleEvery compares the body of one answer in SampleEvery (1: every
	// answer); DefaultSampleEvery when zero.
	SampleEvery int
	// ServerPID, when set, is the server whose process tree's CPU use and
	// memory are measured beside the loader's.
	ServerPID int
	// Headers are added to every request.
	Headers [][2]string
	// JITLog, when set, is the server JVM's compilation log
	// (-Xlog:jit+compilation=debug:file=PATH): the warm-up then follows
	// SteadyJIT, the rule for a server whose code changes under load.
	JITLog string
	// StartAt, when set, is the wall-clock time the measured window opens:
	// the warm-up runs until then (Warmup and MinWarmup are replaced), so
	// several loaders measure the same window.
	StartAt time.Time

	// tick is the warm-up's window; steadyWindow when zero (tests shorten it).
	tick time.Duration
}

func (o *Options) defaults() error {
	if o.URL == nil || o.URL.Scheme != "http" || o.URL.Host == "" {
		return errors.New("the URL must be http://host:port (https is not supported)")
	}
	if o.Mix == nil {
		return errors.New("no mix")
	}
	if o.Connections < 1 {
		return fmt.Errorf("connections must be at least 1, got %d", o.Connections)
	}
	if o.Rate < 0 {
		return fmt.Errorf("rate must not be negative, got %g", o.Rate)
	}
	if o.Duration <= 0 && o.Requests <= 0 {
		return errors.New("give a duration or a request count")
	}
	if o.Duration <= 0 {
		o.Duration = 24 * time.Hour // bounded by the count
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ConnectBatch <= 0 {
		o.ConnectBatch = DefaultConnectBatch
	}
	if o.SampleEvery <= 0 {
		o.SampleEvery = DefaultSampleEvery
	}
	if o.tick <= 0 {
		o.tick = steadyWindow
	}
	return nil
}

// Phases of a run, read by every connection.
const (
	phaseWarmup int32 = iota
	phaseMeasure
	phaseStop
)

// A run is the shared state of one Run.
type run struct {
	o     Options
	host  string
	phase atomic.Int32
	// start is the schedule's zero (open model); measureStart opens the window.
	start        time.Time
	measureStart atomic.Int64 // unix nanoseconds
	// tickets counts requests started in the measured window (exact count).
	tickets atomic.Int64
	// done counts answers of the whole run, for the warm-up's rate.
	done atomic.Int64
	// loops are the event loops, each with its share of the connections.
	loops []*loop
}

// Run opens the connections, warms up, measures and returns the result. It
// always stops by itself: at the duration or count, or when ctx ends.
func Run(ctx context.Context, o Options) (Result, error) {
	if err := o.defaults(); err != nil {
		return Result{}, err
	}
	raiseFileLimit()
	r := &run{o: o, host: o.URL.Host}
	connectTime, err := r.connect(ctx)
	defer func() {
		for _, l := range r.loops {
			l.close()
		}
	}()
	if err != nil {
		return Result{}, err
	}

	var jit *jitLog
	if (o.Warmup > 0 || !o.StartAt.IsZero()) && o.JITLog != "" {
		if jit, err = openJITLog(o.JITLog); err != nil {
			return Result{}, err
		}
		defer jit.close()
	}
	if err := r.fitWarmupTo(o.StartAt); err != nil {
		return Result{}, err
	}
	r.start = time.Now()
	warm := Warmup{Steady: true}
	var measureStart time.Time
	var cpu0 time.Duration
	var server0 usage
	beginMeasure := func() {
		r.tickets.Store(0)
		measureStart = time.Now()
		r.measureStart.Store(measureStart.UnixNano())
		cpu0, server0 = selfCPU(), serverUsage(o.ServerPID)
		r.phase.Store(phaseMeasure)
	}
	warms := r.o.Warmup > 0 || !o.StartAt.IsZero()
	if !warms {
		beginMeasure() // no warm-up: not one request before the window
	}
	var wg sync.WaitGroup
	errs := make([]error, len(r.loops))
	for i, l := range r.loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = l.run()
		}()
	}
	if r.o.Warmup > 0 {
		warm = r.warmup(ctx, jit)
	}
	if warms {
		if !o.StartAt.IsZero() {
			waitStart(ctx, o.StartAt)
			warm.Seconds = time.Since(r.start).Seconds()
		}
		beginMeasure()
	}
	r.waitWindow(ctx, measureStart)
	r.phase.Store(phaseStop)
	elapsed := time.Since(measureStart)
	cpu1, server1 := selfCPU(), serverUsage(o.ServerPID)
	wg.Wait() // each loop sees the stop within tickEvery
	if err := errors.Join(errs...); err != nil {
		return Result{}, fmt.Errorf("event loop: %w", err)
	}

	res := r.result(elapsed)
	res.ConnectSeconds = connectTime.Seconds()
	res.Warmup = warm
	res.MeasureStart = measureStart.UTC()
	loader := (cpu1 - cpu0).Seconds() / (elapsed.Seconds() * float64(selfCPUs()))
	res.LoaderCPU = &loader
	if o.ServerPID > 0 && server0.alive && server1.alive {
		srv := (server1.cpu - server0.cpu).Seconds() / (elapsed.Seconds() * float64(procCPUs(o.ServerPID)))
		bound := LoaderBound(loader, srv)
		res.ServerCPU, res.LoaderBound, res.ServerRSS = &srv, &bound, server1.rss
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	return res, nil
}

// connect makes the event loops, one per GOMAXPROCS (at most one per
// connection), deals the connections to them in turn and opens them in
// batches of ConnectBatch; each connection of a batch sends one request and
// reads its answer before the next batch dials, so the server has accepted
// it. Connect errors are returned: a run that cannot open its connections
// has no meaning.
func (r *run) connect(ctx context.Context) (time.Duration, error) {
	begin := time.Now()
	addr, err := resolve(ctx, r.o.URL)
	if err != nil {
		return 0, err
	}
	for range min(runtime.GOMAXPROCS(0), r.o.Connections) {
		sa, family := sockaddr(addr)
		l, err := r.newLoop(sa, family)
		if err != nil {
			return 0, err
		}
		r.loops = append(r.loops, l)
	}
	for i := range r.o.Connections {
		l := r.loops[i%len(r.loops)]
		c := newConn(i)
		c.index = len(l.conns)
		l.conns = append(l.conns, c)
	}
	for lo := 0; lo < r.o.Connections; lo += r.o.ConnectBatch {
		hi := min(lo+r.o.ConnectBatch, r.o.Connections)
		errs := make([]error, len(r.loops))
		var wg sync.WaitGroup
		for i, l := range r.loops {
			var batch []*conn
			for _, c := range l.conns {
				if c.id >= lo && c.id < hi {
					batch = append(batch, c)
				}
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = l.prime(ctx, batch)
			}()
		}
		wg.Wait()
		if err := firstErr(errs); err != nil {
			return 0, fmt.Errorf("open %d connections to %s: %w", r.o.Connections, r.host, err)
		}
	}
	return time.Since(begin), nil
}

func firstErr(errs []error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// warmup lets the connections run until the rate of answers is steady, by
// SteadyJIT when the server's JIT log is followed and by Steady otherwise, or
// until the bound (then the warm-up stays flagged not steady). It returns the
// curve it judged: the one-second rates and, from the log, the compilations
// in each second.
func (r *run) warmup(ctx context.Context, jit *jitLog) Warmup {
	w := Warmup{Rule: RuleRates}
	if jit != nil {
		w.Rule, w.Compiles, w.TopTier = RuleJIT, []int{}, []int{}
	}
	begin := time.Now()
	last := r.done.Load()
	tick := time.NewTicker(r.o.tick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			w.Seconds = time.Since(begin).Seconds()
			return w
		case <-tick.C:
		}
		now := r.done.Load()
		w.Rates = append(w.Rates, float64(now-last)/r.o.tick.Seconds())
		last = now
		steady := false
		if jit != nil {
			all, top, err := jit.next()
			if err != nil {
				// Without the log the compiler's quiet cannot be seen: the
				// warm-up runs to its bound, flagged not steady.
				w.JITError = err.Error()
				top = 1
			}
			w.Compiles, w.TopTier = append(w.Compiles, all), append(w.TopTier, top)
			steady = SteadyJIT(w.Rates, w.TopTier)
		} else {
			steady = Steady(w.Rates)
		}
		elapsed := time.Since(begin)
		w.Seconds = elapsed.Seconds()
		if elapsed >= r.o.MinWarmup && steady {
			w.Steady = true
			return w
		}
		if elapsed >= r.o.Warmup {
			return w
		}
	}
}

// Warm-up rules, as named in a result's warmup.rule.
const (
	RuleRates = "rates"
	RuleJIT   = "rates+jit"
)

// Steady is the warm-up rule for a server whose code does not change under
// load (Go compiled ahead of time, CPython 3.13 without its JIT): the last
// three one-second rates lie within ±5% of their mean. Such a server settles
// within a second or two, as its caches and connections fill, and has no
// compiler plateau to outwait; SteadyJIT's ten-second window would more than
// double its warm-up (5 s in quick) for nothing.
func Steady(rates []float64) bool {
	const windows, tolerance = 3, 0.05
	if len(rates) < windows {
		return false
	}
	tail := rates[len(rates)-windows:]
	mean := meanOf(tail)
	if mean <= 0 {
		return false
	}
	for _, v := range tail {
		if v < mean*(1-tolerance) || v > mean*(1+tolerance) {
			return false
		}
	}
	return true
}

// JIT rule's numbers (see SteadyJIT).
const (
	jitWindow    = 5
	jitTolerance = 0.03
	jitQuiet     = 3
	jitTrickle   = 3
)

// SteadyJIT is the warm-up rule for a JVM, which is not steady while it is
// still compiling: its rate sits on a plateau for seconds (5 s at 7k req/s
// seen here with Ktor) before C2's code lands and the rate triples, so three
// equal seconds prove nothing. Steady when the mean of the last 5 one-second
// rates lies within ±3% of the mean of the 5 before (a window twice the
// plateau seen), and the top tier (C2, level 4) compiled at most 3 methods
// in the last 3 seconds. Not zero: the Ktor service under load kept
// compiling a trickle of 0-7 methods a second past 20 s, long after its rate
// had settled, while its plateau and climb compiled 28-126 a second.
// topTier[i] counts the top-tier compilations in the second of rates[i].
func SteadyJIT(rates []float64, topTier []int) bool {
	if len(rates) < 2*jitWindow || len(topTier) < jitQuiet {
		return false
	}
	compiled := 0
	for _, n := range topTier[len(topTier)-jitQuiet:] {
		compiled += n
	}
	if compiled > jitTrickle {
		return false
	}
	last := meanOf(rates[len(rates)-jitWindow:])
	before := meanOf(rates[len(rates)-2*jitWindow : len(rates)-jitWindow])
	if before <= 0 || last <= 0 {
		return false
	}
	return last >= before*(1-jitTolerance) && last <= before*(1+jitTolerance)
}

func meanOf(vs []float64) float64 {
	sum := 0.0
	for _, v := range vs {
		sum += v
	}
	return sum / float64(len(vs))
}

// waitWindow returns when the measured window ends: its duration, its
// request count answered, or ctx.
func (r *run) waitWindow(ctx context.Context, start time.Time) {
	timer := time.NewTimer(r.o.Duration)
	defer timer.Stop()
	if r.o.Requests <= 0 {
		select {
		case <-ctx.Done():
		case <-timer.C:
		}
		return
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
			return
		case <-tick.C:
			var answered int64
			for _, l := range r.loops {
				answered += l.answered.Load()
			}
			if answered >= r.o.Requests {
				return
			}
		}
	}
}

// takeTicket reports whether a connection may start one more measured
// request: always by duration, up to Requests by count.
func (r *run) takeTicket() bool {
	if r.o.Requests <= 0 || r.phase.Load() != phaseMeasure {
		return true
	}
	return r.tickets.Add(1) <= r.o.Requests
}

type usage struct {
	cpu   time.Duration
	rss   int64
	alive bool
}

func serverUsage(pid int) usage {
	if pid <= 0 {
		return usage{}
	}
	cpu, rss, alive := treeUsage(pid)
	return usage{cpu: cpu, rss: rss, alive: alive}
}

func newHistogram() *hdrhistogram.Histogram { return hdrhistogram.New(histMin, histMax, histDigits) }

// newRand gives each connection its own random source, seeded by its index
// so runs repeat.
func newRand(i int) *rand.Rand { return rand.New(rand.NewPCG(uint64(i)+1, 0x7472696265)) }

// resolve is the address of u's host (its first, as the resolver orders
// them) and port.
func resolve(ctx context.Context, u *url.URL) (netip.AddrPort, error) {
	port := u.Port()
	if port == "" {
		port = "80"
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("port %q: %w", port, err)
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", u.Hostname())
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("resolve %s: %w", u.Hostname(), err)
	}
	if len(addrs) == 0 {
		return netip.AddrPort{}, fmt.Errorf("resolve %s: no address", u.Hostname())
	}
	return netip.AddrPortFrom(addrs[0].Unmap(), uint16(p)), nil
}

// sockaddr is addr for connect(2), and its address family. Each loop needs
// its own: connect writes into it.
func sockaddr(addr netip.AddrPort) (unix.Sockaddr, int) {
	if a := addr.Addr(); a.Is4() {
		return &unix.SockaddrInet4{Port: int(addr.Port()), Addr: a.As4()}, unix.AF_INET
	}
	sa := &unix.SockaddrInet6{Port: int(addr.Port()), Addr: addr.Addr().As16()}
	if zone := addr.Addr().Zone(); zone != "" {
		if ifi, err := net.InterfaceByName(zone); err == nil {
			sa.ZoneId = uint32(ifi.Index)
		}
	}
	return sa, unix.AF_INET6
}
