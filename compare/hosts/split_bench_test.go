package hosts

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/tribench/tribench/compare/load"
	"github.com/tribench/tribench/compare/stats"
)

// serveFast is the split benchmark's server: a fasthttp handler answering
// every request with a constant 923-byte body, the size of the user API's
// list answer (as services' calibration handler does).
func serveFast(addr string) error {
	body := []byte(strings.Repeat("x", 923))
	return fasthttp.ListenAndServe(addr, func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("application/json")
		ctx.SetBody(body)
	})
}

// splitRound is one round's requests/s per configuration, and the
// server's CPU per request in each (seconds).
type splitRound struct{ local, split, localCost, splitCost float64 }

// BenchmarkSplitLoaders measures what the namespace hosts cost a load:
// one loader over loopback against two loaders in namespaces splitting the
// same 64 connections (--segment, merged), each round both in turn, the
// server on the last CPU (GOMAXPROCS=1) and every loader on the others, as
// the http stage places them. It reports the medians and the paired ratio.
//
//	go test ./compare/hosts -run '^$' -bench SplitLoaders -benchtime 5x
func BenchmarkSplitLoaders(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("network namespaces need root")
	}
	if runtime.NumCPU() < 2 {
		b.Skip("the server and its loaders need a CPU each")
	}
	serverCPU, loaderCPUs := fmt.Sprint(runtime.NumCPU()-1), fmt.Sprintf("0-%d", runtime.NumCPU()-2)
	const conns, warm, window = 64, 2 * time.Second, 5 * time.Second
	var rounds []splitRound
	for i := 0; i < b.N; i++ {
		var r splitRound
		var err error
		if r.local, r.localCost, err = localRound(serverCPU, loaderCPUs, conns, warm, window); err != nil {
			b.Fatal(err)
		}
		if r.split, r.splitCost, err = splitRoundOnce(serverCPU, loaderCPUs, conns, warm, window); err != nil {
			b.Fatal(err)
		}
		b.Logf("round %d: one loopback loader %.0f req/s (server %.2f µs/req), two namespace loaders %.0f req/s (%.2f µs/req): %.2fx",
			i+1, r.local, r.localCost*1e6, r.split, r.splitCost*1e6, r.split/r.local)
		rounds = append(rounds, r)
	}
	var local, split, ratio, extra []float64
	for _, r := range rounds {
		local, split, ratio = append(local, r.local), append(split, r.split), append(ratio, r.split/r.local)
		extra = append(extra, (r.splitCost-r.localCost)*1e6)
	}
	b.ReportMetric(median(local), "local-req/s")
	b.ReportMetric(median(split), "split-req/s")
	b.ReportMetric(median(ratio), "split/local")
	b.ReportMetric(slices.Min(ratio), "split/local-min")
	b.ReportMetric(slices.Max(ratio), "split/local-max")
	b.ReportMetric(median(extra), "path-µs/req")
	b.Logf("the namespace path over loopback, the server's CPU per request: median %+.2f µs (%+.2f to %+.2f)", median(extra), slices.Min(extra), slices.Max(extra))
	b.Logf("two namespace loaders over one loopback loader: median %.2fx (%.2f-%.2f), %d rounds", median(ratio), slices.Min(ratio), slices.Max(ratio), len(ratio))
}

func median(xs []float64) float64 {
	return stats.Summarize(slices.Clone(xs)).Center
}

// localRound serves on this machine's loopback and loads with one loader:
// requests/s and the server's CPU per request.
func localRound(serverCPU, loaderCPUs string, conns int, warm, window time.Duration) (float64, float64, error) {
	addr, err := freeLoopback()
	if err != nil {
		return 0, 0, err
	}
	h := LocalHost()
	pid, stop, err := startFast(h, serverCPU, addr)
	if err != nil {
		return 0, 0, err
	}
	defer stop()
	res, err := loadOn(h, loaderCPUs, "--url", "http://"+addr+"/", "--connections", fmt.Sprint(conns),
		"--duration", window.String(), "--warmup", warm.String(), "--min-warmup", warm.String(), "--server-pid", fmt.Sprint(pid))
	if err != nil {
		return 0, 0, err
	}
	return res.RPS, serverCost(res, res.RPS), nil
}

// serverCost is the server's CPU per request (one CPU, GOMAXPROCS=1).
func serverCost(res load.Result, rps float64) float64 {
	if res.ServerCPU == nil || rps == 0 {
		return 0
	}
	return *res.ServerCPU / rps
}

// splitRoundOnce serves in one namespace and loads from two, each taking
// half the connections from an agreed start.
func splitRoundOnce(serverCPU, loaderCPUs string, conns int, warm, window time.Duration) (float64, float64, error) {
	f := File{Server: Spec{Host: "netns:srv", CPUs: serverCPU},
		Loaders: []Spec{{Host: "netns:la", CPUs: loaderCPUs}, {Host: "netns:lb", CPUs: loaderCPUs}}}
	n, err := Up(context.Background(), f, NewPrefix())
	if err != nil {
		return 0, 0, err
	}
	defer n.Close()
	addr := net.JoinHostPort(n.Server().IP, "8080")
	pid, stop, err := startFast(n.Server(), serverCPU, addr)
	if err != nil {
		return 0, 0, err
	}
	defer stop()
	at := time.Now().Add(warm + time.Second).UTC().Format(time.RFC3339Nano)
	results := make([]load.Result, 2)
	errs := make(chan error, 2)
	for i, h := range n.Loaders() {
		args := []string{"--url", "http://" + addr + "/", "--connections", fmt.Sprint(conns),
			"--duration", window.String(), "--segment", fmt.Sprintf("%d/2", i+1), "--start-at", at}
		if i == 0 { // both share one window: one reads the server's CPU
			args = append(args, "--server-pid", fmt.Sprint(pid))
		}
		go func() {
			var err error
			results[i], err = loadOn(h, loaderCPUs, args...)
			errs <- err
		}()
	}
	var total float64
	for range 2 {
		if err := <-errs; err != nil {
			return 0, 0, err
		}
	}
	for _, r := range results {
		total += r.RPS
	}
	return total, serverCost(results[0], total), nil
}

// startFast starts serveFast on h on cpu and waits until it answers; its
// pid is this machine's (taskset and ip netns exec exec it).
func startFast(h *Host, cpu, addr string) (pid int, stop func(), err error) {
	argv := h.Wrap([]string{"taskset", "-c", cpu, os.Args[0]})
	cmd := exec.Command(argv[0], append(argv[1:], addr)...)
	cmd.Env = append(os.Environ(), helperEnv+"=serve-fast", "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return 0, nil, fmt.Errorf("the server: %w", err)
	}
	stop = func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if c, err := h.Dial(context.Background(), "tcp", addr); err == nil {
			c.Close()
			return cmd.Process.Pid, stop, nil
		}
	}
	stop()
	return 0, nil, fmt.Errorf("the server on %s did not answer at %s", h, addr)
}

// loadOn runs `tribench load --json` (this binary's load helper) on h.
func loadOn(h *Host, cpus string, args ...string) (load.Result, error) {
	argv := h.Wrap([]string{"taskset", "-c", cpus, os.Args[0]})
	cmd := exec.Command(argv[0], append(append(argv[1:], args...), "--json")...)
	cmd.Env = append(os.Environ(), helperEnv+"=load")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return load.Result{}, fmt.Errorf("the loader on %s: %w", h, err)
	}
	var res load.Result
	if err := json.Unmarshal(out, &res); err != nil {
		return load.Result{}, fmt.Errorf("the loader on %s: %w", h, err)
	}
	if n := res.ErrorCount(); n > 0 {
		return load.Result{}, fmt.Errorf("the loader on %s: %d errors: %s", h, n, res.LastError)
	}
	return res, nil
}

func freeLoopback() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
