package load

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// A Segment says which share of a load split over several loaders one
// loader ran, and the whole load it is a share of: what `tribench load
// merge` checks before it adds the loaders' histograms.
type Segment struct {
	// Index is this loader's share, 1 to Count.
	Index int `json:"index"`
	Count int `json:"count"`
	// Connections, Rate (0: the closed model) and Requests (0: bounded by
	// duration) are the whole load's, over every loader.
	Connections int     `json:"connections"`
	Rate        float64 `json:"rate"`
	Requests    int64   `json:"requests"`
	// DurationSeconds is the window asked for; StartAt the agreed wall-clock
	// time every loader opens it at.
	DurationSeconds float64   `json:"duration_s"`
	StartAt         time.Time `json:"start_at"`
}

// String is the segment as --segment takes it, e.g. 2/3.
func (s Segment) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ParseSegment reads --segment's i/N (1 ≤ i ≤ N).
func ParseSegment(spec string) (index, count int, err error) {
	a, b, ok := strings.Cut(spec, "/")
	if ok {
		index, err = strconv.Atoi(a)
	}
	if ok && err == nil {
		count, err = strconv.Atoi(b)
	}
	if !ok || err != nil || count < 1 || index < 1 || index > count {
		return 0, 0, fmt.Errorf("%q is not a segment i/N with 1 ≤ i ≤ N", spec)
	}
	return index, count, nil
}

// share is segment index's part (1-based) of total split over count: the
// remainder goes to the first segments, so the parts add up to total.
func share[T int | int64](total T, index, count int) T {
	part := total / T(count)
	if T(index) <= total%T(count) {
		part++
	}
	return part
}

// Share is this loader's part of the whole load: its connections, its
// requests (when counted) and its rate. The rate follows the connections,
// so each connection sends at the interval it would in a single loader.
func (s Segment) Share() (conns int, requests int64, rate float64, err error) {
	if s.Connections < s.Count {
		return 0, 0, 0, fmt.Errorf("%d connections cannot be split over %d loaders: each needs one", s.Connections, s.Count)
	}
	conns = share(s.Connections, s.Index, s.Count)
	if s.Requests > 0 {
		if s.Requests < int64(s.Count) {
			return 0, 0, 0, fmt.Errorf("%d requests cannot be split over %d loaders", s.Requests, s.Count)
		}
		requests = share(s.Requests, s.Index, s.Count)
	}
	return conns, requests, s.Rate * float64(conns) / float64(s.Connections), nil
}

// ParseStartAt reads --start-at: an RFC 3339 time (fractional seconds allowed).
func ParseStartAt(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time such as 2025-01-02T15:04:05.5Z", v)
	}
	return t, nil
}

// fitWarmupTo makes the warm-up end at the agreed start: its ticks stop
// within one tick before it (waitStart sleeps the rest), and it is not cut
// short by a steady rate, so every loader keeps its connections busy until
// the same instant.
func (r *run) fitWarmupTo(startAt time.Time) error {
	if startAt.IsZero() {
		return nil
	}
	left := time.Until(startAt)
	if left <= 0 {
		return fmt.Errorf("the agreed start %s passed %s before the connections were open",
			startAt.Format(time.RFC3339Nano), (-left).Round(time.Millisecond))
	}
	r.o.Warmup = max(left-r.o.tick, 0)
	r.o.MinWarmup = r.o.Warmup
	return nil
}

// waitStart sleeps until the agreed start (or ctx ends), the connections
// still loading the server.
func waitStart(ctx context.Context, startAt time.Time) {
	if startAt.IsZero() {
		return
	}
	t := time.NewTimer(time.Until(startAt))
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// split applies --segment and --start-at to o: o keeps this loader's share
// of the whole load it describes, and the returned segment (nil without
// --segment) records the whole load for merge. warmupGiven says whether
// --warmup or --min-warmup was given: the agreed start replaces them.
func split(o *Options, segment, startAt string, warmupGiven bool) (*Segment, error) {
	if startAt == "" {
		if segment != "" {
			return nil, usageErr("--segment needs --start-at: every loader opens its window at the same time")
		}
		return nil, nil
	}
	if warmupGiven {
		return nil, usageErr("--start-at replaces --warmup and --min-warmup: the warm-up runs until the agreed start")
	}
	at, err := ParseStartAt(startAt)
	if err != nil {
		return nil, usageErr("--start-at: %v", err)
	}
	o.StartAt = at
	if segment == "" {
		return nil, nil
	}
	i, n, err := ParseSegment(segment)
	if err != nil {
		return nil, usageErr("--segment: %v", err)
	}
	seg := &Segment{Index: i, Count: n, Connections: o.Connections, Rate: o.Rate, Requests: o.Requests,
		DurationSeconds: o.Duration.Seconds(), StartAt: at.UTC()}
	if o.Connections, o.Requests, o.Rate, err = seg.Share(); err != nil {
		return nil, usageErr("--segment %s: %v", segment, err)
	}
	return seg, nil
}

// writeHistogram writes a result's latency histogram (V2 compressed) to path.
func writeHistogram(path string, r Result) error {
	b, err := base64.StdEncoding.DecodeString(r.Histogram)
	if err == nil {
		err = os.WriteFile(path, b, 0o644)
	}
	if err != nil {
		return fmt.Errorf("load: --hdr-out: %w", err)
	}
	return nil
}

// writeIntervalLog writes the measured window's histogram as an HdrHistogram
// interval log (the format HdrHistogram's tools read) of one interval, the
// window, stamped with its wall-clock start and end.
func writeIntervalLog(path string, r Result) (err error) {
	h, err := r.DecodeHistogram()
	if err != nil {
		return fmt.Errorf("load: --hdr-log: %w", err)
	}
	start := r.MeasureStart.UnixMilli()
	h.SetStartTimeMs(start)
	h.SetEndTimeMs(start + int64(r.DurationSeconds*1000))
	if r.Segment != nil {
		h.SetTag("segment-" + strings.ReplaceAll(r.Segment.String(), "/", "-of-"))
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("load: --hdr-log: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("load: --hdr-log: %w", cerr)
		}
	}()
	w := hdrhistogram.NewHistogramLogWriter(f)
	for _, step := range []func() error{
		w.OutputLogFormatVersion,
		func() error { return w.OutputStartTime(start) },
		func() error {
			// The writer scales the max column by 1e6 (nanoseconds to ms); ours are µs.
			return w.OutputComment("[latencies in microseconds; the Interval_Max column is in seconds]")
		},
		w.OutputLegend,
		func() error { return w.OutputIntervalHistogram(h) },
	} {
		if err := step(); err != nil {
			return fmt.Errorf("load: --hdr-log: %w", err)
		}
	}
	return nil
}

// newFlagSet is a subcommand's flag set, its errors and help on stderr.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseErr turns a flag parse error into a usage error (help stays help).
func parseErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageErr("%v", err)
}
