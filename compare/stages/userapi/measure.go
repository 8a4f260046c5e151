package userapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/load"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
)

// Loaders of the --loader flag.
const (
	LoaderBuiltin = "builtin"
	LoaderWrk     = "wrk"
	LoaderBoth    = "both"
)

// Warm-up bounds: a JVM needs tens of seconds of load before its rate is
// steady (the Ktor service served 2k req/s in its first 5 s here and a steady
// 27k only after about 25 s); the others settle at once.
var warmupBound = map[string]map[string]time.Duration{
	plan.Smoke: {"kotlin": 10 * time.Second, "": 4 * time.Second},
	plan.Quick: {"kotlin": 30 * time.Second, "": 5 * time.Second},
	plan.Full:  {"kotlin": 60 * time.Second, "": 10 * time.Second},
}

// minWarmup: the full profile follows the article's advice of at least 10 s.
var minWarmup = map[string]time.Duration{plan.Full: 10 * time.Second}

// fileRoom is what the search's top step leaves of the open-file limit for
// the loader's other files.
const fileRoom = 500

// searchSteps are the quick and smoke profiles' few steps; the full
// profile's go up to the file limit (load.SearchSteps).
var searchSteps = map[string][]int{plan.Smoke: {50, 100}, plan.Quick: {1000, 2000, 5000}}

// loadTimeLimit bounds one loader process beyond its planned run.
const loadTimeLimit = 3 * time.Minute

// Rate rules of the open-model runs, as written in a record's config.
const (
	// RateCommon is the p99 row of the claim-read contenders: one offered
	// rate for all of them, so their p99s compare at the same load.
	RateCommon = "80% of the slowest claim-read contender's throughput"
	// RateOwn is the p99 row of the others: 80% of their own throughput.
	RateOwn = "80% of own throughput"
	// CurveLatencyRate is the config "curve" of the latency-against-rate runs.
	CurveLatencyRate = "latency-rate"
)

// openShare is the open model's share of a closed throughput (the article's
// 80%); curveShares are the latency-against-rate curve's offered rates, as
// shares of the contender's own throughput.
const openShare = 0.8

var curveShares = []float64{0.2, 0.4, 0.6, 0.8}

// curveRun is one latency-against-rate run: short, since each point is a
// shape, not a verdict.
var curveRun = map[string]time.Duration{plan.Quick: 2 * time.Second, plan.Full: 10 * time.Second}

// Measure loads every contender (the calibration entry and the ones that
// failed the contract too, their figures flagged). The contenders the claims
// read (manifest role "claims") come first, in interleaved rounds on servers
// started once; then the others, one server start and one run each.
func (s *loads) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	primaries := map[string]bool{}
	for _, c := range cs {
		primaries[c.Name()] = true
	}
	var claimRead, others []*stage.Contender
	for _, c := range cs {
		// A fallback (CPython 3.11 for 3.13) is loaded only when what it
		// stands in for is not here.
		if c.Decl.Fallback != "" && primaries[c.Decl.Fallback] && r.Profile != plan.Full {
			continue
		}
		if c.Decl.HasRole(manifest.RoleClaims) {
			claimRead = append(claimRead, c)
		} else {
			others = append(others, c)
		}
	}
	if !s.measureRounds(ctx, r, claimRead) {
		return
	}
	for _, c := range others {
		if !s.budgetLeft(ctx, r, c) {
			return
		}
		s.measureOne(ctx, r, c)
	}
}

// budgetLeft reports whether a run of c may start, and says why not.
func (s *loads) budgetLeft(ctx context.Context, r *stage.Run, c *stage.Contender) bool {
	if ctx.Err() != nil {
		return false
	}
	if r.Remaining() <= 0 {
		r.Stopped(batch.Stop{Status: results.StatusBudget, Reason: "time budget spent before loading " + c.Name()})
		return false
	}
	return true
}

// measureRounds loads the claim-read contenders in the plan's claim rounds,
// interleaved by the stage loop (A B C D, A B C D, ...) so that a
// disturbance of the machine falls on every contender alike and paired
// ratios pair by round. Each server is started once and kept up across the
// rounds (an idle server costs memory, not CPU; only one is under load at a
// time); it warms up before its first round only. A round is the closed list
// mix of every contender, then the open list mix at the common rate. After
// the rounds, each contender's single runs (the latency-against-rate curve,
// the other mixes, wrk, the search) follow on the same server. It reports
// false when the stage must stop (budget, interruption).
func (s *loads) measureRounds(ctx context.Context, r *stage.Run, cs []*stage.Contender) bool {
	var lrs []*loaderRun
	defer func() {
		for _, lr := range lrs {
			lr.close()
		}
	}()
	for _, c := range cs {
		if !s.budgetLeft(ctx, r, c) {
			return false
		}
		if lr := s.start(ctx, r, c); lr != nil {
			lrs = append(lrs, lr)
		}
	}
	if len(lrs) == 0 {
		return true
	}
	conns := int(r.Plan.Sizes[0])
	rr := &listRounds{lrs: lrs, conns: conns, closed: make([]roundRuns, len(lrs)), open: make([]roundRuns, len(lrs))}
	stop := r.Interleave(ctx, rr.jobs(r), rr.done)
	rr.emit()
	if !stop.Completed() {
		return false
	}
	for i, lr := range lrs {
		if !s.budgetLeft(ctx, r, lr.c) {
			return false
		}
		if own := rr.closed[i].first().RPS; own > 0 {
			lr.curve(ctx, conns, own)
		}
		s.rest(ctx, lr, conns)
		lr.close()
	}
	return true
}

// listRounds are the claim-read contenders' rounds of the list mix on
// servers kept up: closed, then open at the common rate.
type listRounds struct {
	lrs          []*loaderRun
	conns        int
	closed, open []roundRuns
	// rate is the common rate, set from the first closed round when the
	// first open run is made.
	rate    float64
	rateSet bool
}

func (rr *listRounds) config(model string) map[string]any {
	c := map[string]any{"mix": load.MixList, "model": model, "connections": rr.conns, "loader": LoaderBuiltin}
	if model == "open" {
		c["rate_rule"] = RateCommon
	}
	return c
}

// jobs are a closed job per server, then an open one per server: each
// round loads every server closed, then every one open.
func (rr *listRounds) jobs(r *stage.Run) []stage.Job {
	var jobs []stage.Job
	for _, model := range []string{"closed", "open"} {
		for _, lr := range rr.lrs {
			job := stage.Job{Contender: lr.c, Name: lr.c.Name() + " " + model, Config: rr.config(model), Claimed: true,
				Meter: serverMeter{lr: lr, up: rr.lrs}, Threshold: LoopbackThreshold,
				Run: func(round int) (batch.Run, error) {
					warm := time.Duration(0)
					if round == 0 {
						warm = lr.warmup()
					}
					return lr.run(load.MixList, rr.conns, 0, warm, r.Plan.Run)
				},
				// The first closed round set the open rounds' common rate and
				// holds the warm-up: replacing it would make the record
				// disagree with the rate its open rounds ran at.
				Kept: func(round int) bool { return round == 0 }}
			if model == "open" {
				job.Kept = nil
				job.Run = func(int) (batch.Run, error) {
					if !rr.rateSet {
						rr.rate, rr.rateSet = commonRate(rr.lrs, rr.closed), true
					}
					if rr.rate <= 0 {
						return batch.Run{}, errors.New("no common rate: no claim-read contender answered in the first closed round")
					}
					return lr.run(load.MixList, rr.conns, rr.rate, 0, r.Plan.Run)
				}
			}
			jobs = append(jobs, job)
		}
	}
	return jobs
}

// done keeps a finished run under its server, model and round.
func (rr *listRounds) done(d batch.Done) {
	if d.Warmup {
		return
	}
	n := len(rr.lrs)
	runs := &rr.closed[d.Job%n]
	if d.Job >= n {
		runs = &rr.open[d.Job%n]
	}
	runs.put(d.Round, decodeRun(d.Outcome), d.Rerun)
}

// emit emits a record per server and model that ran.
func (rr *listRounds) emit() {
	for i, lr := range rr.lrs {
		if len(rr.closed[i].runs) > 0 {
			lr.emitRounds(rr.closed[i], rr.config("closed"))
		}
		if len(rr.open[i].runs) > 0 {
			config := rr.config("open")
			config["rate"] = rr.rate
			lr.emitRounds(rr.open[i], config)
		}
	}
}

// LoopbackThreshold is the HTTP rounds' disturbance threshold, above the
// batch stages' disturb.Threshold: the loader's traffic is served partly in
// softirq while the server's CPU would be idle, charged to no process tree.
// Quiet rounds here (load average under 1, nothing else running) read 6-8%
// foreign beside a Go server (50k req/s, its CPU not saturated; 12% twice in
// 24 rounds) and 0-4% beside Python and Kotlin, which saturate theirs; a
// process spinning on the server's CPU takes about half of it.
const LoopbackThreshold = 0.20

// serverMeter measures how busy a loader run's server CPUs were with work
// outside the servers the stage keeps up (their cpuacct cgroups): the idle
// ones share the CPU by the stage's design (a JVM compiles and collects
// while it waits, 5-7% of the CPU beside a Go server under load here), so
// their work is the harness's, not a disturbance. A server without a cgroup
// is not judged.
type serverMeter struct {
	lr *loaderRun
	up []*loaderRun
}

// Start starts measuring the server's CPUs; the loader's own CPUs (given)
// are not what is judged.
func (m serverMeter) Start([]int) disturb.Window {
	if host := m.lr.r.ServerHost(); !host.SameMachine(hosts.LocalHost()) {
		return m.remote(host)
	}
	own := cgroupOf(m.lr)
	if own == "" {
		return nil
	}
	dirs := []string{own}
	for _, o := range m.up {
		if d := cgroupOf(o); o != m.lr && d != "" && !o.closed {
			dirs = append(dirs, d)
		}
	}
	return serverWindow{disturb.Start(m.lr.r.ContenderCPUs, dirs...)}
}

// remote measures a server on another machine there: that host's CPU
// counters, and the trees of the servers kept up (found by their ports),
// read by `tribench disturb snapshot` run on it at each end of the window.
// The trees are found by port, not cgroup: a server started over ssh sits
// in its session's cgroup there, with whatever else the session runs. The
// snapshot runs this executable at its path here, as the loaders do.
func (m serverMeter) remote(host *hosts.Host) disturb.Window {
	cpus, _ := hosts.ParseCPUs(host.Spec.CPUs) // checked with the hosts file; nil: every CPU there
	exe, err := os.Executable()
	if err != nil {
		return brokenWindow{disturb.Reading{CPUs: cpus, Note: fmt.Sprintf("the snapshot's executable: %v", err)}}
	}
	ports := []int{m.lr.srv.Port}
	for _, o := range m.up {
		if o != m.lr && !o.closed {
			ports = append(ports, o.srv.Port)
		}
	}
	return disturb.Remote{Wrap: host.Wrap, Argv: []string{exe, "disturb", "snapshot"}, Ports: ports}.Start(cpus)
}

// brokenWindow is a window that could not be measured: its reading says why.
type brokenWindow struct{ r disturb.Reading }

func (w brokenWindow) StopWith(disturb.Tree) disturb.Reading { return w.r }

// serverWindow reads the servers' trees from their cgroups, not the
// loader's tree the runner measured.
type serverWindow struct{ m *disturb.Monitor }

func (w serverWindow) StopWith(disturb.Tree) disturb.Reading { return w.m.Stop() }

// commonRate is the one offered rate of the claim-read contenders' open
// runs: 80% of the lowest closed throughput of the first round, the
// calibration entry aside (it is a ceiling, not a contender). At 80% of the
// slowest one's throughput every server is below saturation, so their p99s
// compare at the same load, as the article's "same load" row means; each at
// 80% of its own would compare a Go server at 20k req/s with a Python one
// at 2k. 0 when no contender answered.
func commonRate(lrs []*loaderRun, closed []roundRuns) float64 {
	var rpss []float64
	for i, lr := range lrs {
		if !lr.c.Calibration() {
			rpss = append(rpss, closed[i].first().RPS)
		}
	}
	return CommonRate(rpss)
}

// CommonRate is 80% of the lowest positive throughput of rpss, or 0 when
// none is positive (a contender that failed every request has no rate to
// set; it still gets the common one).
func CommonRate(rpss []float64) float64 {
	lowest := 0.0
	for _, v := range rpss {
		if v > 0 && (lowest == 0 || v < lowest) {
			lowest = v
		}
	}
	return openShare * lowest
}

// measureOne loads a contender the claims do not read on one server start,
// one run of each: the closed and open list mix, then rest.
func (s *loads) measureOne(ctx context.Context, r *stage.Run, c *stage.Contender) {
	lr := s.start(ctx, r, c)
	if lr == nil {
		return
	}
	defer lr.close()
	conns := int(r.Plan.Sizes[0])
	config := map[string]any{"mix": load.MixList, "model": "closed", "connections": conns, "loader": LoaderBuiltin}
	var closed roundRuns
	closed.add(0, lr.once(ctx, load.MixList, conns, 0, lr.warmup(), "closed"))
	lr.emitRounds(closed, config)
	// The list mix, open model at 80% of that throughput: the p99 row (for an
	// article variant in the quick and smoke profiles, its closed figure is enough).
	if rps := closed.first().RPS; rps > 0 && (c.Decl.Kind != manifest.Article || r.Profile == plan.Full) {
		var open roundRuns
		open.add(0, lr.once(ctx, load.MixList, conns, openShare*rps, 0, "open"))
		lr.emitRounds(open, map[string]any{"mix": load.MixList, "model": "open", "connections": conns, "loader": LoaderBuiltin,
			"rate": openShare * rps, "rate_rule": RateOwn})
	}
	s.rest(ctx, lr, conns)
}

// rest is a contender's single runs after its list-mix rows: the other
// mixes, wrk, and the max-stable-connections search (once per contender).
func (s *loads) rest(ctx context.Context, lr *loaderRun, conns int) {
	r, c := lr.r, lr.c
	full := r.Profile == plan.Full || c.Decl.HasRole(manifest.RoleEveryMix)
	if full && !c.Calibration() {
		for _, m := range []string{load.MixMixed, load.MixGet} {
			var runs roundRuns
			runs.add(0, lr.once(ctx, m, conns, 0, 0, "closed"))
			lr.emitRounds(runs, map[string]any{"mix": m, "model": "closed", "connections": conns, "loader": LoaderBuiltin})
		}
	}
	if s.loader != LoaderBuiltin && (r.Profile == plan.Full || c.Decl.HasRole(manifest.RoleWrk) || s.loader == LoaderWrk) {
		lr.wrk(ctx, conns)
	}
	if full && !c.Calibration() {
		lr.search(ctx)
	}
}

// start starts and seeds c's server; on a start failure it emits the
// start-failed record and returns nil.
func (s *loads) start(ctx context.Context, r *stage.Run, c *stage.Contender) *loaderRun {
	dir, err := os.MkdirTemp("", "tribench-http-")
	if err != nil {
		r.Warn("%s: %v", c.Name(), err)
		return nil
	}
	srv, jit, err := startServer(ctx, r, c, dir, true)
	if err != nil {
		os.RemoveAll(dir)
		rec := r.Record(c, results.StepMeasure)
		rec.Config = map[string]any{"mix": load.MixList}
		rec.Status, rec.Reason = results.StatusStartFailed, err.Error()
		r.Emit(rec)
		return nil
	}
	lr := &loaderRun{r: r, c: c, srv: srv, dir: dir, jit: jit}
	if !c.Calibration() {
		seed, err := load.SeedServiceVia(ctx, srv.BaseURL, srv.Dial)
		lr.seedErr = err
		if err == nil {
			lr.seedFile, err = writeSeed(dir, seed)
			if err != nil {
				r.Warn("%s: %v", c.Name(), err)
				lr.close()
				return nil
			}
		} else {
			r.Warn("%s fails the seed check, so its bodies are not checked and its figures are not ranked: %v", c.Name(), err)
		}
	}
	return lr
}

// startServer starts c's serve command with its JIT log (the {{jit_log}}
// placeholder, a file in dir, made on the server's host when that is
// another machine). When follow is set and the command writes the log, the
// returned jitFollow holds the log's path as the loader's host reads it.
func startServer(ctx context.Context, r *stage.Run, c *stage.Contender, dir string, follow bool) (*stage.Server, *jitFollow, error) {
	path := filepath.Join(dir, "jit.log")
	host, loader := r.ServerHost(), r.LoaderHosts()[0]
	jit := &jitFollow{}
	if !host.SameMachine(hosts.LocalHost()) {
		// The JVM refuses to start when its log's folder is missing.
		if err := host.RunShort(ctx, "mkdir", "-p", dir); err != nil {
			return nil, nil, fmt.Errorf("the JIT log's folder on %s: %w", host, err)
		}
		jit.host, jit.dir = host, dir
	}
	srv, err := r.StartServer(ctx, c, stage.RunOptions{MemoryLimit: ServerMemoryLimit, Vars: manifest.Vars{"jit_log": path}})
	if err != nil {
		jit.close()
		return nil, nil, err
	}
	if !follow || !slices.ContainsFunc(srv.Argv, func(a string) bool { return strings.Contains(a, path) }) {
		return srv, jit, nil
	}
	jit.path = path
	if !host.SameMachine(loader) {
		// The loader reads a copy on its own machine, relayed as the JVM
		// writes; a few lines written before the loader opens it may arrive
		// after and count as warm-up compilations.
		jit.path = filepath.Join(dir, "jit-relay.log")
		if jit.relay, err = hosts.StartRelay(ctx, host, path, loader, jit.path); err != nil {
			srv.Stop()
			jit.close()
			return nil, nil, err
		}
	}
	return srv, jit, nil
}

// jitFollow is how the loader follows a server's JIT log, and what to stop
// and remove with the server.
type jitFollow struct {
	// path is the log as the loader's host reads it; "" when the serve
	// command writes none (or nobody follows it).
	path  string
	relay *hosts.Relay
	// host and dir are the folder made on the server's host, when that is
	// another machine.
	host *hosts.Host
	dir  string
}

// close stops the relay and removes the server host's folder; a failure
// is a leftover file, not worth failing the stage for.
func (j *jitFollow) close() {
	if j.relay != nil {
		_ = j.relay.Stop()
		j.relay = nil
	}
	if j.host != nil {
		_ = j.host.RunShort(context.Background(), "rm", "-rf", j.dir)
		j.host = nil
	}
}

// roundRuns are one configuration's runs of one contender, by round.
type roundRuns struct {
	rounds []int
	runs   []runResult
}

// A runResult is one loader run: its result or why it failed, and how busy
// the server's CPU was with other work meanwhile (zero when not measured).
type runResult struct {
	res     load.Result
	err     error
	reading disturb.Reading
	// loaders are a split load's loaders' shares; nil for one loader.
	loaders []load.LoaderShare
}

func (rr *roundRuns) add(round int, run runResult) {
	rr.rounds = append(rr.rounds, round)
	rr.runs = append(rr.runs, run)
}

// put adds a round's run; a re-run that answered takes its round's place,
// one that failed leaves the round as it was.
func (rr *roundRuns) put(round int, run runResult, rerun bool) {
	if !rerun {
		rr.add(round, run)
		return
	}
	if i := slices.Index(rr.rounds, round); i >= 0 && run.err == nil {
		rr.runs[i] = run
	}
}

// first is the first round's result (zero when it failed or did not run).
func (rr roundRuns) first() load.Result {
	if len(rr.runs) == 0 || rr.runs[0].err != nil {
		return load.Result{}
	}
	return rr.runs[0].res
}

// A loaderRun loads one started server.
type loaderRun struct {
	r        *stage.Run
	c        *stage.Contender
	srv      *stage.Server
	dir      string
	seedFile string
	seedErr  error
	// jit is how the loader follows the JVM's compilation log (no path when
	// the serve command writes none).
	jit    *jitFollow
	closed bool
}

// close stops the server and removes its files; twice is once.
func (l *loaderRun) close() {
	if l.closed {
		return
	}
	l.closed = true
	l.srv.Stop()
	l.jit.close()
	os.RemoveAll(l.dir)
}

// warmup is the bound of the contender's warm-up in this profile.
func (l *loaderRun) warmup() time.Duration {
	if w := warmupBound[l.r.Profile][l.c.Decl.Language]; w > 0 {
		return w
	}
	return warmupBound[l.r.Profile][""]
}

func writeSeed(dir string, seed load.Seed) (string, error) {
	b, err := json.Marshal(seed)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "seed.json")
	return path, os.WriteFile(path, b, 0o644)
}

// serverToMeasure tells the loaders which process to measure beside
// themselves (the server's CPU, memory and the loader-bound rule): its pid
// when it runs on this machine, its port when it runs on the loaders'
// machine elsewhere (the pid here is its ssh client's), nothing when a
// loader is on another machine than the server, as a loader reads only its
// own (the records then have no server_cpu; the disturbed-round readings
// are still taken on the server's host).
func (l *loaderRun) serverToMeasure() []string {
	server := l.r.ServerHost()
	for _, h := range l.r.LoaderHosts() {
		if !h.SameMachine(server) {
			return nil
		}
	}
	if server.SameMachine(hosts.LocalHost()) {
		return []string{"--server-pid", strconv.Itoa(l.srv.Process.PID())}
	}
	return []string{"--server-port", strconv.Itoa(l.srv.Port)}
}

// args are the loader's arguments for a mix on this server.
func (l *loaderRun) args(mix string, conns int, rate float64, warm time.Duration, duration time.Duration) []string {
	a := append(append([]string{"load", "--json"}, l.serverToMeasure()...), "--connections", strconv.Itoa(conns),
		"--duration", duration.String(), "--rate", strconv.FormatFloat(rate, 'f', 1, 64))
	if warm > 0 {
		a = append(a, "--warmup", warm.String())
		if mw := minWarmup[l.r.Profile]; mw > 0 {
			a = append(a, "--min-warmup", mw.String())
		}
		if l.jit.path != "" {
			a = append(a, "--jit-log", l.jit.path)
		}
	}
	if l.r.Profile == plan.Smoke {
		a = append(a, "--sample-every", "1") // every body compared
	}
	switch {
	case l.c.Calibration():
		a = append(a, "--url", l.srv.BaseURL+"/users?limit="+strconv.Itoa(load.ListLimit))
	case l.seedErr != nil:
		a = append(a, "--url", l.srv.BaseURL, "--mix", mix, "--seed", l.fallbackSeed(), "--no-body-check")
	default:
		a = append(a, "--url", l.srv.BaseURL, "--mix", mix, "--seed", l.seedFile)
	}
	return a
}

// fallbackSeed is a seed for a service that failed its seed check: the
// contract's list path and the store's own two users, bodies unchecked.
func (l *loaderRun) fallbackSeed() string {
	path := filepath.Join(l.dir, "seed-unchecked.json")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	seed := load.Seed{ListPath: "/users?limit=" + strconv.Itoa(load.ListLimit),
		Users: []load.User{{ID: 1, Name: "Alice", Email: "alice@example.com"}, {ID: 2, Name: "Bob", Email: "bob@example.com"}}}
	b, _ := json.Marshal(seed)
	_ = os.WriteFile(path, b, 0o644)
	return path
}

// once runs the loader process once for the plan's run length.
func (l *loaderRun) once(ctx context.Context, mix string, conns int, rate float64, warm time.Duration, model string) runResult {
	return l.onceFor(ctx, mix, conns, rate, warm, model, l.r.Plan.Run)
}

// cgroupOf is the cpuacct cgroup of the server's tree, or "".
func cgroupOf(l *loaderRun) string {
	if acc, ok := l.srv.Process.(runner.CPUAccounted); ok {
		return acc.CPUCgroup()
	}
	return ""
}

// onceFor runs the loader process once for d (after the warm-up).
func (l *loaderRun) onceFor(ctx context.Context, mix string, conns int, rate float64, warm time.Duration, model string, d time.Duration) runResult {
	l.r.Progressf("%s: %s mix, %s model, %d connections", l.c.Name(), mix, model, conns)
	run, err := l.run(mix, conns, rate, warm, d)
	if err != nil {
		return runResult{err: err}
	}
	return l.execute(ctx, run)
}

// execute runs the loader and reads its result.
func (l *loaderRun) execute(ctx context.Context, run batch.Run) runResult {
	return decodeRun(batch.Execute(ctx, l.r.Exec, run))
}

// decodeRun reads a loader run's result: one loader's, or a split load's
// merged with each loader's share.
func decodeRun(o batch.Outcome) runResult {
	var m load.Merged
	if !o.Decode(&m) {
		return runResult{err: errors.New(o.Reason), reading: o.Disturbance}
	}
	return runResult{res: m.Result, loaders: m.Loaders, reading: o.Disturbance}
}

// run is one run of `tribench load` as its own process on the loader host
// (the harness's CPUs here), for d after the warm-up. With several loader
// hosts it is one `tribench load --segment i/N` on each, started together
// and merged into one result (splitLoad); their warm-up lasts until their
// agreed start, warm or splitLead from the start, whichever is longer.
func (l *loaderRun) run(mix string, conns int, rate float64, warm time.Duration, d time.Duration) (batch.Run, error) {
	exe, err := os.Executable()
	if err != nil {
		return batch.Run{}, fmt.Errorf("the loader's executable: %w", err)
	}
	hs := l.r.LoaderHosts()
	if len(hs) == 1 {
		spec, err := hs[0].Place(runner.Spec{Argv: append([]string{exe}, l.args(mix, conns, rate, warm, d)...), CPUs: l.r.LoaderCPUs(hs[0]),
			TimeLimit: d + warm + loadTimeLimit, MemoryLimit: 4 << 30})
		return batch.Run{Spec: spec, Output: manifest.OutputLine}, err
	}
	if conns < len(hs) {
		return batch.Run{}, fmt.Errorf("%d connections cannot be split over %d loaders", conns, len(hs))
	}
	lead := max(warm, splitLead)
	args := l.args(mix, conns, rate, 0, d)
	split := &splitLoad{exec: l.r.Exec, hosts: hs, lead: lead, spec: func(startAt time.Time, i int) (runner.Spec, error) {
		share := slices.Concat([]string{exe}, args, []string{"--segment", fmt.Sprintf("%d/%d", i+1, len(hs)),
			"--start-at", startAt.Format(time.RFC3339Nano), "--hdr-log", filepath.Join(l.dir, fmt.Sprintf("loader-%d.hlog", i+1))})
		return hs[i].Place(runner.Spec{Argv: share, CPUs: l.r.LoaderCPUs(hs[i]), TimeLimit: d + lead + loadTimeLimit, MemoryLimit: 4 << 30})
	}}
	first, err := split.spec(time.Now(), 0)
	return batch.Run{Spec: first, Output: manifest.OutputLine, Exec: split}, err
}

// emitRounds emits one record of a configuration's runs: a sample per
// round that ran, numbered by round so that paired ratios pair by round; the
// rounds' latency histograms merged; the warm-up curve as an attachment.
func (l *loaderRun) emitRounds(rr roundRuns, config map[string]any) {
	rec := l.r.Record(l.c, results.StepMeasure)
	rec.Contender.Argv, rec.Contender.Host = l.srv.Argv, l.srv.Host
	rec.Config = config
	if l.seedErr != nil {
		rec.Checks = []results.Check{{Name: "seed", Rule: "the seeded list reads the same on every connection (one store)", Detail: l.seedErr.Error()}}
	}
	var ok []load.Result
	var readings []disturb.Reading
	var rounds, failed []int
	var reasons []string
	for i, run := range rr.runs {
		if run.err != nil {
			failed = append(failed, rr.rounds[i])
			reasons = append(reasons, fmt.Sprintf("round %d: %v", rr.rounds[i], run.err))
			continue
		}
		ok = append(ok, run.res)
		readings = append(readings, run.reading)
		rounds = append(rounds, rr.rounds[i])
	}
	if len(ok) == 0 {
		rec.Status = results.StatusFailed
		if len(reasons) > 0 {
			rec.Reason = reasons[0]
		}
		l.r.Emit(rec)
		return
	}
	rec.Status = results.StatusOK
	if len(failed) > 0 {
		rec.Reason = fmt.Sprintf("rounds %v failed: %s", failed, strings.Join(reasons, "; "))
	}
	rec.Values, rec.Attach = roundValues(ok, rounds)
	rec.Values = withDisturbance(rec.Values, readings, rounds)
	rec.Attach = append(rec.Attach, loaderShares(rr)...)
	l.r.Emit(rec)
}

// loaderShares is the attachment of a split load's rounds: per round, what
// each loader host did (its requests, CPU and how late it opened its
// window); none when one loader ran them.
func loaderShares(rr roundRuns) []results.Attach {
	type round struct {
		Round   int                `json:"round"`
		Loaders []load.LoaderShare `json:"loaders"`
	}
	var rounds []round
	for i, run := range rr.runs {
		if run.err == nil && run.loaders != nil {
			rounds = append(rounds, round{rr.rounds[i], run.loaders})
		}
	}
	if rounds == nil {
		return nil
	}
	b, _ := json.Marshal(rounds)
	return []results.Attach{{Name: "loader-shares", Media: "application/json", Data: b}}
}

// curve runs the list mix, open model, at a few shares of the contender's
// own throughput, one short run each: p99 against the offered rate.
func (l *loaderRun) curve(ctx context.Context, conns int, own float64) {
	d := curveRun[l.r.Profile]
	if d == 0 {
		return
	}
	for _, share := range curveShares {
		if ctx.Err() != nil || l.r.Remaining() <= 0 {
			return
		}
		rate := share * own
		var rr roundRuns
		rr.add(0, l.onceFor(ctx, load.MixList, conns, rate, 0, "open", d))
		l.emitRounds(rr, map[string]any{"mix": load.MixList, "model": "open", "connections": conns, "loader": LoaderBuiltin,
			"curve": CurveLatencyRate, "rate": rate})
	}
}

// withDisturbance adds the rounds' foreign CPU and steal shares of the
// server's CPU (where measured) and lists the disturbed rounds on every value.
func withDisturbance(vs []results.Value, readings []disturb.Reading, rounds []int) []results.Value {
	foreign := results.Value{Name: batch.ForeignCPU, Unit: "1", Source: "outside"}
	steal := results.Value{Name: batch.Steal, Unit: "1", Source: "outside"}
	var disturbed []int
	for i, d := range readings {
		if !d.Measured() {
			continue
		}
		foreign.Samples, foreign.Rounds = append(foreign.Samples, d.Foreign()), append(foreign.Rounds, rounds[i])
		steal.Samples, steal.Rounds = append(steal.Samples, d.StealShare()), append(steal.Rounds, rounds[i])
		if d.Over(LoopbackThreshold) {
			disturbed = append(disturbed, rounds[i])
		}
	}
	if len(foreign.Samples) == 0 {
		return vs
	}
	vs = append(vs, foreign, steal)
	for i := range vs {
		vs[i].Disturbed = disturbed
	}
	return vs
}

// roundValues turns the results of a configuration's rounds into a record's
// values (a sample per round, numbered by rounds) and attachments: the
// rounds' latency histograms merged into one, the errors of every kind, and
// the warm-up curve of the round that warmed up.
func roundValues(rs []load.Result, rounds []int) ([]results.Value, []results.Attach) {
	var vs []results.Value
	at := map[string]int{}
	var merged *hdrhistogram.Histogram
	errs := map[string]int64{}
	lastErr := ""
	var attach []results.Attach
	for i, res := range rs {
		one, _ := values(res)
		for _, v := range one {
			j, ok := at[v.Name]
			if !ok {
				j = len(vs)
				at[v.Name] = j
				vs = append(vs, results.Value{Name: v.Name, Unit: v.Unit, Source: v.Source})
			}
			vs[j].Samples = append(vs[j].Samples, v.Samples...)
			vs[j].Rounds = append(vs[j].Rounds, rounds[i])
		}
		if h, err := res.DecodeHistogram(); err == nil {
			if merged == nil {
				merged = h
			} else {
				merged.Merge(h)
			}
		}
		for k, n := range res.Errors {
			errs[k] += n
		}
		if res.LastError != "" {
			lastErr = res.LastError
		}
		if len(res.Warmup.Rates) > 0 {
			b, _ := json.Marshal(res.Warmup)
			attach = append(attach, results.Attach{Name: "warmup-curve", Media: "application/json", Data: b})
		}
	}
	if merged != nil {
		if enc, err := merged.Encode(hdrhistogram.V2CompressedEncodingCookieBase); err == nil {
			b, _ := json.Marshal(base64.StdEncoding.EncodeToString(enc)) // already base64: stored as the JSON string it is
			attach = append(attach, results.Attach{Name: "latency-histogram", Media: HistogramMedia, Data: b})
		}
	}
	for _, k := range load.ErrorKinds {
		if n := errs[k]; n > 0 {
			attach = append(attach, results.TextAttach("errors-"+k, fmt.Sprintf("%d; last error: %s", n, lastErr)))
		}
	}
	return vs, attach
}

// one is a value of one sample measured from outside the server.
func one(name, unit string, v float64) results.Value {
	return results.Value{Name: name, Unit: unit, Samples: []float64{v}, Source: "outside"}
}

// values turns one loader result into a record's values (one sample each)
// and its histogram attachment.
func values(res load.Result) ([]results.Value, []results.Attach) {
	vs := []results.Value{one("rps", "req/s", res.RPS), one("requests", "req", float64(res.Requests))}
	for _, p := range []string{"p50", "p90", "p99", "p999", "max"} {
		if ms, ok := res.LatencyMS[p]; ok {
			vs = append(vs, one(p, "s", ms/1000))
		}
	}
	vs = append(vs, one("errors", "req", float64(res.ErrorCount())), one("bytes_per_s", "B/s", res.BytesPerS))
	if res.Warmup.Seconds > 0 {
		vs = append(vs, one("warmup", "s", res.Warmup.Seconds), one("steady", "1", boolNum(res.Warmup.Steady)))
	}
	if res.Rate.Intended != nil {
		vs = append(vs, one("intended_rps", "req/s", *res.Rate.Intended))
	}
	if res.LoaderCPU != nil {
		vs = append(vs, one("loader_cpu", "1", *res.LoaderCPU))
	}
	if res.ServerCPU != nil {
		vs = append(vs, one("server_cpu", "1", *res.ServerCPU))
	}
	if res.LoaderBound != nil {
		vs = append(vs, one("loader_bound", "1", boolNum(*res.LoaderBound)))
	}
	if res.ServerRSS > 0 {
		vs = append(vs, one("server_rss", "B", float64(res.ServerRSS)))
	}
	var attach []results.Attach
	if res.Histogram != "" {
		b, _ := json.Marshal(res.Histogram) // already base64: store as the JSON string it is
		attach = append(attach, results.Attach{Name: "latency-histogram", Media: HistogramMedia, Data: b})
	}
	for _, k := range load.ErrorKinds {
		if n := res.Errors[k]; n > 0 {
			attach = append(attach, results.TextAttach("errors-"+k, fmt.Sprintf("%d; last error: %s", n, res.LastError)))
		}
	}
	return vs, attach
}

// HistogramMedia is the media type of a latency histogram attachment: the
// base64 of hdrhistogram-go's V2 compressed encoding, in microseconds.
const HistogramMedia = "application/x-hdrhistogram"

func boolNum(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// wrk cross-checks the list mix, closed model, with wrk on the same target,
// connections, duration and CPU set.
func (l *loaderRun) wrk(ctx context.Context, conns int) {
	r := l.r
	rec := r.Record(l.c, results.StepMeasure)
	rec.Contender.Host = l.srv.Host
	rec.Config = map[string]any{"mix": load.MixList, "model": "closed", "connections": conns, "loader": LoaderWrk}
	url := l.srv.BaseURL + "/users?limit=" + strconv.Itoa(load.ListLimit)
	r.Progressf("%s: wrk on the list mix, %d connections", l.c.Name(), conns)
	// wrk cannot split a load: it runs on the first loader host alone.
	h := r.LoaderHosts()[0]
	spec, err := h.Place(runner.Spec{Argv: load.WrkArgs(url, conns, r.Plan.Run), CPUs: r.LoaderCPUs(h), TimeLimit: r.Plan.Run + loadTimeLimit})
	if err != nil {
		rec.Status, rec.Reason = results.StatusFailed, err.Error()
		r.Emit(rec)
		return
	}
	o := batch.Execute(ctx, r.Exec, batch.Run{Spec: spec, Output: manifest.OutputNone})
	if !o.OK() {
		rec.Status, rec.Reason = o.Status, o.Reason
		r.Emit(rec)
		return
	}
	res, err := load.ParseWrk(string(o.Process.Stdout))
	if err != nil {
		rec.Status, rec.Reason = results.StatusFailed, err.Error()
		r.Emit(rec)
		return
	}
	rec.Status = results.StatusOK
	rec.Values, _ = values(res)
	rec.Values = append(rec.Values, results.Value{Name: "loader_cpu_s", Unit: "s", Samples: []float64{(o.Process.User + o.Process.Sys).Seconds()}, Source: "outside"})
	rec.Attach = []results.Attach{results.TextAttach("wrk-output", string(o.Process.Stdout))}
	r.Emit(rec)
}

// search raises the connections, each sending one request per second, until
// a step is not stable; a server holding the top step holds "at least" it.
func (l *loaderRun) search(ctx context.Context) {
	r := l.r
	steps := searchSteps[r.Profile]
	if r.Profile == plan.Full {
		limit, err := load.FileLimit()
		if err != nil {
			r.Warn("%s: max stable connections not searched: %v", l.c.Name(), err)
			return
		}
		steps = load.SearchSteps(int(min(limit, 1<<20)) - fileRoom)
	}
	duration := min(r.Plan.Run, 10*time.Second)
	budgetSpent := false
	// A step the budget leaves no time for ends the search without judging
	// the server: the search stops there and says so.
	searchCtx, stop := context.WithCancel(ctx)
	defer stop()
	curve := load.Search(searchCtx, steps, func(ctx context.Context, n int) (load.Result, error) {
		if r.Remaining() <= 0 {
			budgetSpent = true
			stop()
			return load.Result{}, ctx.Err()
		}
		r.Progressf("%s: max stable connections, step %d", l.c.Name(), n)
		run, err := l.run(load.MixList, n, float64(n), 0, duration)
		if err != nil {
			return load.Result{}, err
		}
		res := l.execute(ctx, run)
		return res.res, res.err
	})
	rec := r.Record(l.c, results.StepMeasure)
	rec.Contender.Host = l.srv.Host
	rec.Config = map[string]any{"mix": load.MixList, "model": "open", "search": "max-stable", "rate_per_connection": 1,
		"at_limit": curve.AtLimit, "limit": curve.Limit}
	rec.Status = results.StatusOK
	if budgetSpent || ctx.Err() != nil {
		if n := len(curve.Steps); n > 0 && !curve.Steps[n-1].Stable {
			curve.Steps = curve.Steps[:n-1] // never judged
		}
		rec.Status, rec.Reason = results.StatusBudget, fmt.Sprintf("stopped after %d steps: the stage's time budget is spent", len(curve.Steps))
		if ctx.Err() != nil {
			rec.Status, rec.Reason = results.StatusInterrupted, "interrupted"
		}
	} else if len(curve.Steps) > 0 && !curve.Steps[len(curve.Steps)-1].Stable {
		rec.Reason = fmt.Sprintf("step %d unstable: %s", curve.Steps[len(curve.Steps)-1].Connections, curve.Steps[len(curve.Steps)-1].Why)
	}
	if curve.Max > 0 {
		rec.Values = []results.Value{{Name: "max_stable_connections", Unit: "conn", Samples: []float64{float64(curve.Max)}, Source: "outside"}}
	}
	b, _ := json.Marshal(curve)
	rec.Attach = []results.Attach{{Name: "max-connections-curve", Media: "application/json", Data: b}}
	r.Emit(rec)
	// Every step is a record of its own too: the curve, charted and compared.
	for _, st := range curve.Steps {
		step := r.Record(l.c, results.StepMeasure)
		step.Contender.Host = l.srv.Host
		step.Config = map[string]any{"mix": load.MixList, "model": "open", "search": "step", "connections": st.Connections}
		step.Status = results.StatusOK
		if !st.Stable {
			step.Reason = "unstable: " + st.Why
		}
		step.Values = []results.Value{one("rps", "req/s", st.RPS), one("p99", "s", st.P99MS/1000), one("errors", "req", float64(st.Errors)),
			one("requests", "req", float64(st.Requests)), one("stable", "1", boolNum(st.Stable))}
		if st.ServerRSS > 0 {
			step.Values = append(step.Values, one("server_rss", "B", float64(st.ServerRSS)))
		}
		r.Emit(step)
	}
}
