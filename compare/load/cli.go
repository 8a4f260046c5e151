package load

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tribench/tribench/compare/disturb"
)

// A UsageError is a mistake in the command line (exit status 2).
type UsageError struct{ Msg string }

func (u *UsageError) Error() string { return u.Msg }

func usageErr(format string, args ...any) error {
	return &UsageError{Msg: "load: " + fmt.Sprintf(format, args...)}
}

// headerFlags collects repeated --header K:V flags.
type headerFlags [][2]string

func (h *headerFlags) String() string { return fmt.Sprint(*h) }

func (h *headerFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, ":")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("header %q is not K:V", v)
	}
	*h = append(*h, [2]string{strings.TrimSpace(k), strings.TrimSpace(val)})
	return nil
}

// Main is `tribench load`: the generator against any http:// URL, or one of
// the user API mixes on a seeded service (--mix, --seed: how the http stage
// runs it as its own process). Without --json it prints a short summary;
// with it, one JSON object (Result) for scripts.
//
// `tribench load merge FILES...` puts back together the --json results of
// the loaders of one load split with --segment (Merge).
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "merge" {
		return mergeMain(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rawURL := fs.String("url", "", "the target, an http:// URL (with --mix: the service's base URL)")
	method := fs.String("method", "GET", "request method")
	bodyFile := fs.String("body", "", "send this file as every request's body")
	var headers headerFlags
	fs.Var(&headers, "header", "add a request header K:V (repeatable)")
	conns := fs.Int("connections", 64, "open connections")
	duration := fs.Duration("duration", 10*time.Second, "measured window (bounds --requests too)")
	requests := fs.Int64("requests", 0, "end after exactly this many requests instead")
	rate := fs.Float64("rate", 0, "open model: requests per second over all connections (0: closed model)")
	warmup := fs.Duration("warmup", 0, "warm up until the rate is steady, for at most this long")
	minWarmup := fs.Duration("min-warmup", 0, "warm up for at least this long")
	jitLog := fs.String("jit-log", "", "the server JVM's -Xlog:jit+compilation=debug file: the warm-up also waits for its compiler")
	cpus := fs.String("cpus", "", "run the loader on these CPUs, e.g. 0 or 0-1")
	serverPID := fs.Int("server-pid", 0, "measure this server's process tree's CPU and memory beside the loader's")
	serverPort := fs.Int("server-port", 0, "measure the tree of the process listening on this TCP port here instead (a server started on this machine by another)")
	hdrOut := fs.String("hdr-out", "", "write the latency histogram (HdrHistogram V2 compressed, microseconds) to this file")
	hdrLog := fs.String("hdr-log", "", "write the measured window's histogram as an HdrHistogram interval log to this file")
	segment := fs.String("segment", "", "run share i of N of the load (its connections, rate and requests), e.g. 1/2; needs --start-at")
	startAt := fs.String("start-at", "", "warm up until this RFC 3339 wall-clock time, then measure (the loaders' agreed start)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of a summary")
	timeout := fs.Duration("timeout", DefaultTimeout, "per-request timeout")
	sampleEvery := fs.Int("sample-every", DefaultSampleEvery, "compare one answer's body in this many")
	expect := fs.String("expect", "", "compare sampled bodies with this file's bytes")
	mix := fs.String("mix", "", "a user API mix on a seeded service: "+strings.Join(Mixes, ", "))
	seedFile := fs.String("seed", "", "with --mix: the seed file the harness wrote (list body, users)")
	runID := fs.String("run-id", strconv.FormatInt(time.Now().UnixNano(), 36), "with --mix: makes created emails unique")
	noBodyCheck := fs.Bool("no-body-check", false, "with --mix: count statuses only (a service that failed its seed check)")
	cpuProfile := fs.String("cpu-profile", "", "write the loader's own CPU profile (pprof) of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	o, err := options(*rawURL, *conns, *rate, *duration, *requests)
	if err != nil {
		return err
	}
	o.Warmup, o.MinWarmup, o.Timeout, o.SampleEvery, o.ServerPID, o.Headers = *warmup, *minWarmup, *timeout, *sampleEvery, *serverPID, headers
	if *serverPort != 0 {
		if *serverPID != 0 {
			return usageErr("give --server-pid or --server-port, not both")
		}
		if o.ServerPID, err = disturb.Listener(*serverPort); err != nil {
			return fmt.Errorf("--server-port %d: %w", *serverPort, err)
		}
	}
	warmupGiven := false
	fs.Visit(func(f *flag.Flag) { warmupGiven = warmupGiven || f.Name == "warmup" || f.Name == "min-warmup" })
	seg, err := split(&o, *segment, *startAt, warmupGiven)
	if err != nil {
		return err
	}
	if seg != nil {
		*runID += "-s" + strconv.Itoa(seg.Index) // created emails stay unique across loaders
	}
	if *jitLog != "" {
		if _, err := os.Stat(*jitLog); err != nil {
			return usageErr("--jit-log: %v", err)
		}
		o.JITLog = *jitLog
	}
	if o.Mix, err = buildMix(o.URL, *method, *bodyFile, *expect, *mix, *seedFile, *runID, *noBodyCheck); err != nil {
		return err
	}
	if *cpus != "" {
		if err := pinProcess(*cpus); err != nil {
			return usageErr("--cpus %s: %v", *cpus, err)
		}
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	res, err := Run(ctx, o)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	res.Segment = seg
	if *hdrOut != "" {
		if err := writeHistogram(*hdrOut, res); err != nil {
			return err
		}
	}
	if *hdrLog != "" {
		if err := writeIntervalLog(*hdrLog, res); err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	return WriteSummary(stdout, res)
}

func options(rawURL string, conns int, rate float64, duration time.Duration, requests int64) (Options, error) {
	if rawURL == "" {
		return Options{}, usageErr("--url is required")
	}
	u, err := url.Parse(rawURL)
	switch {
	case err != nil:
		return Options{}, usageErr("--url %q: %v", rawURL, err)
	case u.Scheme == "https":
		return Options{}, usageErr("--url %q: https is not supported (HTTP/1.1 over plain TCP only)", rawURL)
	case u.Scheme != "http" || u.Host == "":
		return Options{}, usageErr("--url %q: give an http://host:port URL", rawURL)
	case conns < 1:
		return Options{}, usageErr("--connections must be at least 1, got %d", conns)
	case rate < 0:
		return Options{}, usageErr("--rate must not be negative, got %g", rate)
	case requests < 0:
		return Options{}, usageErr("--requests must not be negative, got %d", requests)
	case duration <= 0:
		return Options{}, usageErr("--duration must be positive, got %s", duration)
	}
	return Options{URL: u, Connections: conns, Rate: rate, Duration: duration, Requests: requests}, nil
}

// buildMix is the static request of --url (its path and query), or a user
// API mix on the seed the harness wrote.
func buildMix(u *url.URL, method, bodyFile, expect, mix, seedFile, runID string, noBodyCheck bool) (Mix, error) {
	if mix != "" {
		if seedFile == "" {
			return nil, usageErr("--mix needs --seed")
		}
		b, err := os.ReadFile(seedFile)
		if err != nil {
			return nil, usageErr("--seed: %v", err)
		}
		var seed Seed
		if err := json.Unmarshal(b, &seed); err != nil {
			return nil, usageErr("--seed %s: %v", seedFile, err)
		}
		m, err := NewUserMix(mix, seed, runID, noBodyCheck)
		if err != nil {
			return nil, usageErr("%v", err)
		}
		return m, nil
	}
	req := Request{Method: strings.ToUpper(method), Path: u.RequestURI(), Kind: "url"}
	if bodyFile != "" {
		b, err := os.ReadFile(bodyFile)
		if err != nil {
			return nil, usageErr("--body: %v", err)
		}
		req.Body = b
	}
	if expect != "" {
		b, err := os.ReadFile(expect)
		if err != nil {
			return nil, usageErr("--expect: %v", err)
		}
		req.Check = ExactBody(b)
	}
	return Static{Request: req, Label: req.Method + " " + req.Path}, nil
}

// startCPUProfile profiles the loader into path until stop: the loader's
// cost per request is a figure of its own (compare/load/README.md).
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpu-profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpu-profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// pinProcess puts every thread of this process on cpus before any load
// starts. The kernel keeps CPU affinity per thread and a new thread inherits
// its creator's, so setting it on every existing thread applies it to the
// whole process, present and future threads alike.
func pinProcess(list string) error {
	var set unix.CPUSet
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return fmt.Errorf("%q is not a CPU list", list)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return fmt.Errorf("%q is not a CPU list", list)
			}
		}
		for c := a; c <= b; c++ {
			set.Set(c)
		}
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, &set); err != nil && !errors.Is(err, unix.ESRCH) {
			return err
		}
	}
	return nil
}
