package load

import (
	"encoding/base64"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// A Result is what one run measured. Its JSON keys are `tribench load
// --json`'s, documented in README.md and kept stable.
type Result struct {
	// Model is "closed" or "open".
	Model       string `json:"model"`
	Mix         string `json:"mix"`
	Connections int    `json:"connections"`
	Rate        Rates  `json:"rate"`
	// DurationSeconds is the measured window, opened at MeasureStart.
	DurationSeconds float64   `json:"duration_s"`
	MeasureStart    time.Time `json:"measure_start"`
	// Requests answered (or failed) in the window; RPS is Requests per second.
	Requests int64   `json:"requests"`
	RPS      float64 `json:"rps"`
	// Latency percentiles in milliseconds: p50, p90, p99, p999, max; in the
	// open model from each request's intended send time.
	LatencyMS map[string]float64 `json:"latency_ms"`
	// Errors by kind: connect, timeout, reset, status, body.
	Errors map[string]int64 `json:"errors"`
	// Statuses counts every status code answered.
	Statuses  map[string]int64 `json:"statuses"`
	BytesPerS float64          `json:"bytes_per_s"`
	// BodiesChecked is how many answers' bodies were compared.
	BodiesChecked int64 `json:"bodies_checked"`
	// LastError describes the last error seen, for a one-line reason.
	LastError string `json:"last_error,omitempty"`
	// LoaderCPU is the share of its CPUs the loader used (1 = all of them);
	// ServerCPU the server tree's share of its CPUs; LoaderBound applies the
	// rule. ServerCPU, LoaderBound and ServerRSS need --server-pid.
	LoaderCPU   *float64 `json:"loader_cpu"`
	ServerCPU   *float64 `json:"server_cpu"`
	LoaderBound *bool    `json:"loader_bound"`
	ServerRSS   int64    `json:"server_rss_bytes,omitempty"`
	Warmup      Warmup   `json:"warmup"`
	// ConnectSeconds is how long opening the connections took (outside latency).
	ConnectSeconds float64 `json:"connect_s"`
	// Histogram is the base64 of hdrhistogram-go's V2 compressed encoding of
	// the latencies, in microseconds.
	Histogram string `json:"histogram"`
	// Segment, with --segment, is this loader's share of a split load.
	Segment *Segment `json:"segment,omitempty"`
}

// Rates are the open model's intended and achieved rates; the closed model has
// no intended rate (null).
type Rates struct {
	Intended *float64 `json:"intended"`
	Achieved float64  `json:"achieved"`
}

// Warmup says how long the warm-up ran, whether the rate had settled and
// the curve it was judged on.
type Warmup struct {
	Seconds float64 `json:"seconds"`
	Steady  bool    `json:"steady"`
	// Rule is the steadiness rule applied: RuleRates or RuleJIT.
	Rule string `json:"rule,omitempty"`
	// Rates are the one-second answer rates of the warm-up, in order.
	Rates []float64 `json:"rates,omitempty"`
	// Compiles and TopTier count, per second of Rates, the JVM's
	// compilations at every tier and at the top tier (C2), with --jit-log.
	Compiles []int `json:"compiles,omitempty"`
	TopTier  []int `json:"top_tier,omitempty"`
	// JITError says why the JIT log could not be read (the warm-up then
	// ran to its bound).
	JITError string `json:"jit_error,omitempty"`
}

// ErrorCount is the sum of every kind of error.
func (r Result) ErrorCount() int64 {
	var n int64
	for _, v := range r.Errors {
		n += v
	}
	return n
}

// DecodeHistogram returns the run's latency histogram (microseconds).
func (r Result) DecodeHistogram() (*hdrhistogram.Histogram, error) {
	b, err := base64.StdEncoding.DecodeString(r.Histogram)
	if err != nil {
		return nil, fmt.Errorf("latency histogram: %w", err)
	}
	h, err := hdrhistogram.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("latency histogram: %w", err)
	}
	return h, nil
}

// result merges the loops' counts into the run's Result.
func (r *run) result(window time.Duration) Result {
	h := newHistogram()
	res := Result{Model: "closed", Mix: r.o.Mix.Name(), Connections: r.o.Connections, DurationSeconds: window.Seconds(),
		Errors: map[string]int64{}, Statuses: map[string]int64{}}
	for _, k := range ErrorKinds {
		res.Errors[k] = 0
	}
	var bytes int64
	for _, l := range r.loops {
		h.Merge(l.hist)
		res.Requests += l.requests
		bytes += l.bytes
		res.BodiesChecked += l.checked
		for s, n := range l.statuses {
			if n > 0 {
				res.Statuses[fmt.Sprint(s)] += n
			}
		}
		for k, n := range l.errors {
			res.Errors[k] += n
		}
		if l.lastErr != "" {
			res.LastError = l.lastErr
		}
	}
	if s := window.Seconds(); s > 0 {
		res.RPS = float64(res.Requests) / s
		res.BytesPerS = float64(bytes) / s
	}
	res.Rate.Achieved = res.RPS
	if r.o.Rate > 0 {
		res.Model = "open"
		intended := r.o.Rate
		res.Rate.Intended = &intended
	}
	res.LatencyMS = map[string]float64{}
	for name, q := range map[string]float64{"p50": 50, "p90": 90, "p99": 99, "p999": 99.9} {
		res.LatencyMS[name] = float64(h.ValueAtQuantile(q)) / 1000
	}
	res.LatencyMS["max"] = float64(h.Max()) / 1000
	if enc, err := h.Encode(hdrhistogram.V2CompressedEncodingCookieBase); err == nil {
		res.Histogram = base64.StdEncoding.EncodeToString(enc)
	}
	return res
}

// WriteSummary writes a short human summary of a result, as wrk and oha do.
func WriteSummary(w io.Writer, r Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s model, %d connections, mix %s, %.1f s measured (warm-up %.1f s, %s; connecting %.2f s)\n",
		r.Model, r.Connections, r.Mix, r.DurationSeconds, r.Warmup.Seconds, steadyWord(r.Warmup.Steady), r.ConnectSeconds)
	fmt.Fprintf(&b, "  requests  %d, %.0f req/s", r.Requests, r.RPS)
	if r.Rate.Intended != nil {
		fmt.Fprintf(&b, " (intended %.0f req/s)", *r.Rate.Intended)
	}
	fmt.Fprintf(&b, ", %.2f MB/s\n", r.BytesPerS/1e6)
	fmt.Fprintf(&b, "  latency   p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
		r.LatencyMS["p50"], r.LatencyMS["p90"], r.LatencyMS["p99"], r.LatencyMS["p999"], r.LatencyMS["max"])
	var errs []string
	for _, k := range ErrorKinds {
		errs = append(errs, fmt.Sprintf("%s %d", k, r.Errors[k]))
	}
	fmt.Fprintf(&b, "  errors    %s\n", strings.Join(errs, ", "))
	if r.LastError != "" {
		fmt.Fprintf(&b, "            last: %s\n", r.LastError)
	}
	codes := make([]string, 0, len(r.Statuses))
	for s := range r.Statuses {
		codes = append(codes, s)
	}
	sort.Strings(codes)
	for i, s := range codes {
		codes[i] = fmt.Sprintf("%s x%d", s, r.Statuses[s])
	}
	fmt.Fprintf(&b, "  statuses  %s; %d bodies checked\n", strings.Join(codes, ", "), r.BodiesChecked)
	if r.LoaderCPU != nil {
		fmt.Fprintf(&b, "  CPU       loader %.0f%% of its CPUs", 100**r.LoaderCPU)
		if r.ServerCPU != nil {
			fmt.Fprintf(&b, ", server %.0f%% of its CPUs", 100**r.ServerCPU)
		}
		if r.LoaderBound != nil && *r.LoaderBound {
			b.WriteString(": LOADER-BOUND, this is the load generator's limit, not the server's")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func steadyWord(steady bool) string {
	if steady {
		return "steady"
	}
	return "NOT steady"
}
