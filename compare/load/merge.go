package load

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// A Merged is one load split over several loaders, put back together: the
// whole load's Result (requests, errors and statuses summed, the
// histograms added, percentiles read from the sum) and each loader's share.
type Merged struct {
	Result
	Loaders []LoaderShare `json:"loaders"`
}

// A LoaderShare is what one loader of a merged load did.
type LoaderShare struct {
	// File is the loader's --json result.
	File     string  `json:"file"`
	Segment  string  `json:"segment"`
	Requests int64   `json:"requests"`
	RPS      float64 `json:"rps"`
	Errors   int64   `json:"errors"`
	// LoaderCPU is the share of its own CPUs this loader used.
	LoaderCPU *float64 `json:"loader_cpu"`
	// StartLagMS is how late the loader opened its window after the agreed
	// start: the schedule's lag between loaders, beside the tolerance.
	StartLagMS float64 `json:"start_lag_ms"`
}

// windowTolerance is how far apart the loaders' windows may open and close:
// 250 ms (a loaded 2-core machine wakes a sleeper that late) plus 1% of the
// window. Beyond it the sum would add requests of different moments.
func windowTolerance(window time.Duration) time.Duration {
	return 250*time.Millisecond + window/100
}

// Merge puts back together the results of the loaders of one split load,
// named by their files for the messages. It refuses results that are not
// the segments 1 to N of one load exactly once, that differ in their
// settings, or whose windows do not agree.
func Merge(files []string, results []Result) (Merged, error) {
	if len(results) == 0 || len(files) != len(results) {
		return Merged{}, errors.New("merge: give the --json results of every loader of one load")
	}
	first := results[0].Segment
	seen := map[int]string{}
	for i, r := range results {
		if r.Segment == nil {
			return Merged{}, fmt.Errorf("merge: %s is not a loader's share of a split load (run it with --segment i/N --start-at TIME)", files[i])
		}
		if prev, dup := seen[r.Segment.Index]; dup {
			return Merged{}, fmt.Errorf("merge: %s and %s are both segment %s", prev, files[i], r.Segment)
		}
		seen[r.Segment.Index] = files[i]
		if err := sameLoad(*first, *r.Segment, results[0], r); err != nil {
			return Merged{}, fmt.Errorf("merge: %s and %s are not one load: %w", files[0], files[i], err)
		}
	}
	if len(results) != first.Count {
		var missing []string
		for i := 1; i <= first.Count; i++ {
			if _, ok := seen[i]; !ok {
				missing = append(missing, fmt.Sprintf("%d/%d", i, first.Count))
			}
		}
		return Merged{}, fmt.Errorf("merge: the load was split over %d loaders; segment %s missing", first.Count, strings.Join(missing, ", "))
	}
	if err := sameWindow(files, results); err != nil {
		return Merged{}, fmt.Errorf("merge: %w", err)
	}
	return sum(files, results)
}

// sameLoad compares what every share of one load must agree on.
func sameLoad(a, b Segment, ra, rb Result) error {
	type field struct {
		name string
		a, b any
	}
	for _, f := range []field{
		{"loader count", a.Count, b.Count},
		{"connections", a.Connections, b.Connections},
		{"rate", a.Rate, b.Rate},
		{"request count", a.Requests, b.Requests},
		{"duration", a.DurationSeconds, b.DurationSeconds},
		{"agreed start", a.StartAt.UTC(), b.StartAt.UTC()},
		{"mix", ra.Mix, rb.Mix},
		{"model", ra.Model, rb.Model},
	} {
		if f.a != f.b {
			return fmt.Errorf("%s %v against %v", f.name, f.a, f.b)
		}
	}
	return nil
}

// sameWindow checks that every loader opened its window at the agreed
// start and, when the window is timed (not a request count), closed it
// with the others.
func sameWindow(files []string, results []Result) error {
	seg := results[0].Segment
	tol := windowTolerance(time.Duration(seg.DurationSeconds * float64(time.Second)))
	for i, r := range results {
		if lag := r.MeasureStart.Sub(seg.StartAt); lag < -tol || lag > tol {
			return fmt.Errorf("%s opened its window %s from the agreed start %s (tolerance %s)",
				files[i], lag.Round(time.Millisecond), seg.StartAt.Format(time.RFC3339Nano), tol)
		}
		if seg.Requests > 0 {
			continue
		}
		if d := time.Duration((r.DurationSeconds - results[0].DurationSeconds) * float64(time.Second)); d < -tol || d > tol {
			return fmt.Errorf("%s measured %.3f s, %s %.3f s (tolerance %s)",
				files[i], r.DurationSeconds, files[0], results[0].DurationSeconds, tol)
		}
	}
	return nil
}

// sum adds the shares: counts and rates add, the histograms add bucket by
// bucket, the percentiles are read from the sum. The loader CPU is the
// busiest loader's, so the loader-bound rule holds if any loader was the
// limit.
func sum(files []string, results []Result) (Merged, error) {
	seg := *results[0].Segment
	h := newHistogram()
	m := Merged{Result: Result{Model: results[0].Model, Mix: results[0].Mix, Connections: seg.Connections,
		Errors: map[string]int64{}, Statuses: map[string]int64{}, Warmup: Warmup{Steady: true}}}
	if seg.Rate > 0 {
		rate := seg.Rate
		m.Rate.Intended = &rate
	}
	var windows float64
	for i, r := range results {
		part, err := r.DecodeHistogram()
		if err != nil {
			return Merged{}, fmt.Errorf("merge: %s: %w", files[i], err)
		}
		if dropped := h.Merge(part); dropped > 0 {
			return Merged{}, fmt.Errorf("merge: %s: %d latencies outside the histogram's range", files[i], dropped)
		}
		if part.TotalCount() != r.Requests {
			return Merged{}, fmt.Errorf("merge: %s: its histogram holds %d latencies for %d requests", files[i], part.TotalCount(), r.Requests)
		}
		m.Requests += r.Requests
		m.RPS += r.RPS
		m.BytesPerS += r.BytesPerS
		m.BodiesChecked += r.BodiesChecked
		for k, n := range r.Errors {
			m.Errors[k] += n
		}
		for k, n := range r.Statuses {
			m.Statuses[k] += n
		}
		if r.LastError != "" {
			m.LastError = files[i] + ": " + r.LastError
		}
		if i == 0 || r.MeasureStart.Before(m.MeasureStart) {
			m.MeasureStart = r.MeasureStart
		}
		windows += r.DurationSeconds
		m.ConnectSeconds = math.Max(m.ConnectSeconds, r.ConnectSeconds)
		m.Warmup.Steady = m.Warmup.Steady && r.Warmup.Steady
		m.Warmup.Seconds = math.Max(m.Warmup.Seconds, r.Warmup.Seconds)
		m.LoaderCPU = maxOf(m.LoaderCPU, r.LoaderCPU)
		m.ServerCPU = maxOf(m.ServerCPU, r.ServerCPU)
		m.ServerRSS = max(m.ServerRSS, r.ServerRSS)
		m.Loaders = append(m.Loaders, LoaderShare{File: files[i], Segment: r.Segment.String(), Requests: r.Requests,
			RPS: r.RPS, Errors: r.ErrorCount(), LoaderCPU: r.LoaderCPU,
			StartLagMS: float64(r.MeasureStart.Sub(seg.StartAt)) / float64(time.Millisecond)})
	}
	slices.SortFunc(m.Loaders, func(a, b LoaderShare) int { return strings.Compare(a.Segment, b.Segment) })
	m.DurationSeconds = windows / float64(len(results))
	m.Rate.Achieved = m.RPS
	if m.LoaderCPU != nil && m.ServerCPU != nil {
		bound := LoaderBound(*m.LoaderCPU, *m.ServerCPU)
		m.LoaderBound = &bound
	}
	m.LatencyMS = latencies(h)
	enc, err := h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	if err != nil {
		return Merged{}, fmt.Errorf("merge: encode the sum: %w", err)
	}
	m.Histogram = base64.StdEncoding.EncodeToString(enc)
	return m, nil
}

func maxOf(a, b *float64) *float64 {
	if a == nil || (b != nil && *b > *a) {
		return b
	}
	return a
}

// latencies reads a result's percentiles (milliseconds) from its histogram
// (microseconds).
func latencies(h *hdrhistogram.Histogram) map[string]float64 {
	out := map[string]float64{"max": float64(h.Max()) / 1000}
	for name, q := range map[string]float64{"p50": 50, "p90": 90, "p99": 99, "p999": 99.9} {
		out[name] = float64(h.ValueAtQuantile(q)) / 1000
	}
	return out
}

// mergeMain is `tribench load merge [--json] [--hdr-out FILE] FILES...`.
func mergeMain(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("load merge", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object instead of a summary")
	hdrOut := fs.String("hdr-out", "", "write the summed histogram (HdrHistogram V2 compressed, microseconds) to this file")
	if err := fs.Parse(args); err != nil {
		return parseErr(err)
	}
	if fs.NArg() < 1 {
		return usageErr("merge needs the --json result file of every loader")
	}
	files := fs.Args()
	results := make([]Result, len(files))
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return usageErr("merge: %v", err)
		}
		if err := json.Unmarshal(b, &results[i]); err != nil {
			return usageErr("merge: %s is not a `tribench load --json` result: %v", f, err)
		}
	}
	m, err := Merge(files, results)
	if err != nil {
		return err
	}
	if *hdrOut != "" {
		if err := writeHistogram(*hdrOut, m.Result); err != nil {
			return err
		}
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(m)
	}
	if err := WriteSummary(stdout, m.Result); err != nil {
		return err
	}
	for _, l := range m.Loaders {
		cpu := "CPU not measured"
		if l.LoaderCPU != nil {
			cpu = fmt.Sprintf("CPU %.0f%%", 100**l.LoaderCPU)
		}
		if _, err := fmt.Fprintf(stdout, "  loader %s  %d requests, %.0f req/s, %d errors, %s, window opened %+.1f ms from the agreed start (%s)\n",
			l.Segment, l.Requests, l.RPS, l.Errors, cpu, l.StartLagMS, l.File); err != nil {
			return err
		}
	}
	return nil
}
