package userapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/tribench/tribench/compare/batch"
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

// everyMix are the contenders the quick and smoke profiles load with every
// mix and search for their max stable connections: one canonical contender
// per language (the article's two sides and current Go); the full profile
// does all of it for every contender.
var everyMix = []string{"go-current", "python-3.13", "kotlin-2.0"}

// wrkOn is the contender wrk cross-checks in the quick and smoke profiles.
const wrkOn = "go-current"

// fileLimit is the per-process open-file limit here (the hard limit, which
// cannot be raised); the search's top step leaves room for the process's
// other files.
const fileLimit = 20000

// searchSteps are the quick and smoke profiles' few steps; the full
// profile's go up to the file limit (load.SearchSteps).
var searchSteps = map[string][]int{plan.Smoke: {50, 100}, plan.Quick: {1000, 2000, 5000}}

// loadTimeLimit bounds one loader process beyond its planned run.
const loadTimeLimit = 3 * time.Minute

// Measure loads every contender (the calibration entry and the ones that
// failed the contract too, their figures flagged): one server start each,
// the mixes in a fixed order (the list body re-checked before each list run),
// then the max-stable-connections search.
func (s *Stage) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	primaries := map[string]bool{}
	for _, c := range cs {
		primaries[c.Name()] = true
	}
	for _, c := range cs {
		if ctx.Err() != nil {
			return
		}
		if r.Remaining() <= 0 {
			r.Stopped(batch.Stop{Status: results.StatusBudget, Reason: "time budget spent before loading " + c.Name()})
			return
		}
		// A fallback (CPython 3.11 for 3.13) is loaded only when what it
		// stands in for is not here.
		if c.Decl.Fallback != "" && primaries[c.Decl.Fallback] && r.Profile != plan.Full {
			continue
		}
		s.measure(ctx, r, c)
	}
}

// measure loads one contender on one server start.
func (s *Stage) measure(ctx context.Context, r *stage.Run, c *stage.Contender) {
	srv, err := r.StartServer(ctx, c, stage.RunOptions{MemoryLimit: ServerMemoryLimit})
	if err != nil {
		rec := r.Record(c, results.StepMeasure)
		rec.Config = map[string]any{"mix": load.MixList}
		rec.Status, rec.Reason = results.StatusStartFailed, err.Error()
		r.Emit(rec)
		return
	}
	defer srv.Stop()
	dir, err := os.MkdirTemp("", "tribench-http-")
	if err != nil {
		r.Warn("%s: %v", c.Name(), err)
		return
	}
	defer os.RemoveAll(dir)
	lr := loaderRun{r: r, c: c, srv: srv, dir: dir}
	if !c.Calibration() {
		seed, err := load.SeedService(ctx, srv.BaseURL)
		lr.seedErr = err
		if err == nil {
			lr.seedFile, err = writeSeed(dir, seed)
			if err != nil {
				r.Warn("%s: %v", c.Name(), err)
				return
			}
		} else {
			r.Warn("%s fails the seed check, so its bodies are not checked and its figures are not ranked: %v", c.Name(), err)
		}
	}
	full := r.Profile == plan.Full || slices.Contains(everyMix, c.Name())
	conns := int(r.Plan.Sizes[0])
	warm := warmupBound[r.Profile][c.Decl.Language]
	if warm == 0 {
		warm = warmupBound[r.Profile][""]
	}
	// The list mix, closed model: the throughput row (warm-up included).
	closed := lr.run(ctx, load.MixList, conns, 0, warm, "closed")
	// The list mix, open model at 80% of that throughput: the p99 row (for an
	// article variant in the quick and smoke profiles, its closed figure is enough).
	if closed.RPS > 0 && (c.Decl.Kind != manifest.Article || r.Profile == plan.Full) {
		lr.run(ctx, load.MixList, conns, 0.8*closed.RPS, 0, "open")
	}
	if full && !c.Calibration() {
		for _, m := range []string{load.MixMixed, load.MixGet} {
			lr.run(ctx, m, conns, 0, 0, "closed")
		}
	}
	if s.loader != LoaderBuiltin && (r.Profile == plan.Full || c.Name() == wrkOn || s.loader == LoaderWrk) {
		lr.wrk(ctx, conns)
	}
	if full && !c.Calibration() {
		lr.search(ctx)
	}
}

// A loaderRun loads one started server.
type loaderRun struct {
	r        *stage.Run
	c        *stage.Contender
	srv      *stage.Server
	dir      string
	seedFile string
	seedErr  error
}

func writeSeed(dir string, seed load.Seed) (string, error) {
	b, err := json.Marshal(seed)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "seed.json")
	return path, os.WriteFile(path, b, 0o644)
}

// args are the loader's arguments for a mix on this server.
func (l *loaderRun) args(mix string, conns int, rate float64, warm time.Duration, duration time.Duration) []string {
	a := []string{"load", "--json", "--server-pid", strconv.Itoa(l.srv.Process.PID()), "--connections", strconv.Itoa(conns),
		"--duration", duration.String(), "--rate", strconv.FormatFloat(rate, 'f', 1, 64)}
	if warm > 0 {
		a = append(a, "--warmup", warm.String())
		if mw := minWarmup[l.r.Profile]; mw > 0 {
			a = append(a, "--min-warmup", mw.String())
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

// run runs the loader process once and emits the run's record.
func (l *loaderRun) run(ctx context.Context, mix string, conns int, rate float64, warm time.Duration, model string) load.Result {
	r := l.r
	rec := r.Record(l.c, results.StepMeasure)
	rec.Contender.Argv = l.srv.Argv
	rec.Config = map[string]any{"mix": mix, "model": model, "connections": conns, "loader": LoaderBuiltin}
	if rate > 0 {
		rec.Config["rate"] = rate
	}
	if l.seedErr != nil {
		rec.Checks = []results.Check{{Name: "seed", Rule: "the seeded list reads the same on every connection (one store)", Detail: l.seedErr.Error()}}
	}
	r.Progressf("%s: %s mix, %s model, %d connections", l.c.Name(), mix, model, conns)
	res, err := l.load(ctx, l.args(mix, conns, rate, warm, r.Plan.Run), r.Plan.Run+warm)
	if err != nil {
		rec.Status, rec.Reason = results.StatusFailed, err.Error()
		r.Emit(rec)
		return res
	}
	rec.Status = results.StatusOK
	rec.Values, rec.Attach = values(res)
	r.Emit(rec)
	return res
}

// load runs `tribench load` as its own process on the harness's CPUs.
func (l *loaderRun) load(ctx context.Context, args []string, planned time.Duration) (load.Result, error) {
	exe, err := os.Executable()
	if err != nil {
		return load.Result{}, fmt.Errorf("the loader's executable: %w", err)
	}
	o := batch.Execute(ctx, l.r.Exec, batch.Run{Spec: runner.Spec{Argv: append([]string{exe}, args...), CPUs: l.r.HarnessCPUs,
		TimeLimit: planned + loadTimeLimit, MemoryLimit: 4 << 30}, Output: manifest.OutputLine})
	var res load.Result
	if !o.Decode(&res) {
		return res, errors.New(o.Reason)
	}
	return res, nil
}

// values turns a loader result into a record's values (one sample each; a
// run is one round) and its histogram attachment.
func values(res load.Result) ([]results.Value, []results.Attach) {
	one := func(name, unit string, v float64) results.Value {
		return results.Value{Name: name, Unit: unit, Samples: []float64{v}, Source: "outside"}
	}
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
	rec.Config = map[string]any{"mix": load.MixList, "model": "closed", "connections": conns, "loader": LoaderWrk}
	url := l.srv.BaseURL + "/users?limit=" + strconv.Itoa(load.ListLimit)
	r.Progressf("%s: wrk on the list mix, %d connections", l.c.Name(), conns)
	o := batch.Execute(ctx, r.Exec, batch.Run{Spec: runner.Spec{Argv: load.WrkArgs(url, conns, r.Plan.Run), CPUs: r.HarnessCPUs,
		TimeLimit: r.Plan.Run + loadTimeLimit}, Output: manifest.OutputNone})
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
		steps = load.SearchSteps(fileLimit - 500)
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
		return l.load(ctx, l.args(load.MixList, n, float64(n), 0, duration), duration)
	})
	rec := r.Record(l.c, results.StepMeasure)
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
		step.Config = map[string]any{"mix": load.MixList, "model": "open", "search": "step", "connections": st.Connections}
		step.Status = results.StatusOK
		if !st.Stable {
			step.Reason = "unstable: " + st.Why
		}
		one := func(name, unit string, v float64) results.Value {
			return results.Value{Name: name, Unit: unit, Samples: []float64{v}, Source: "outside"}
		}
		step.Values = []results.Value{one("rps", "req/s", st.RPS), one("p99", "s", st.P99MS/1000), one("errors", "req", float64(st.Errors)),
			one("requests", "req", float64(st.Requests)), one("stable", "1", boolNum(st.Stable))}
		if st.ServerRSS > 0 {
			step.Values = append(step.Values, one("server_rss", "B", float64(st.ServerRSS)))
		}
		r.Emit(step)
	}
}
