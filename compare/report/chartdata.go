package report

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/HdrHistogram/hdrhistogram-go"

	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stats"
)

// HistogramMedia is the media type of a latency histogram attachment: the
// base64 of hdrhistogram-go's Encode(V2CompressedEncodingCookieBase) bytes.
const HistogramMedia = "application/x-hdrhistogram"

// HistogramUnit is the unit of a histogram attachment's values in seconds:
// the load generator records microseconds.
const HistogramUnit = 1e-6

// DefaultPercentiles are the points of a latency curve; 100 is the maximum.
var DefaultPercentiles = []float64{50, 90, 99, 99.9, 99.99, 100}

// ValueChart draws one value of a stage's measure records as bars: the
// median with its 95% interval (the range when indicative), a bar per
// contender. Records of several configurations make a grouped chart, a group
// per configuration and a bar per contender. Contenders that fail their
// oracle are named so ("fails the oracle"), calibration entries "(ref)";
// records that did not run or lack the value are left out.
func ValueChart(id, title string, recs []results.Record, m Metric) Chart {
	failing := FailingContenders(recs)
	type bar struct {
		config, contender string
		point             ChartPoint
	}
	var bars []bar
	configs := map[string]bool{}
	unit := ""
	for _, r := range measured(recs) {
		v, ok := r.Value(m.Value)
		if !ok || len(v.Samples) == 0 {
			continue
		}
		unit = v.Unit
		config := ConfigString(r.Config)
		configs[config] = true
		bars = append(bars, bar{config, chartName(r, failing), ChartPoint{Figure: summaryFigure(stats.Of(v), v.Unit)}})
	}
	c := Chart{ID: id, Title: title, Kind: ChartBar, X: Axis{Title: "contender"}, Y: Axis{Title: metricTitle(m), Unit: unit}}
	if len(configs) <= 1 {
		s := Series{Name: metricTitle(m)}
		for _, b := range bars {
			b.point.Name = b.contender
			s.Points = append(s.Points, b.point)
		}
		c.Series = []Series{s}
		return c
	}
	c.Kind, c.X.Title = ChartGroupedBar, "configuration"
	at := map[string]int{}
	for _, b := range bars {
		i, ok := at[b.contender]
		if !ok {
			i = len(c.Series)
			at[b.contender] = i
			c.Series = append(c.Series, Series{Name: b.contender})
		}
		b.point.Name = b.config
		c.Series[i].Points = append(c.Series[i].Points, b.point)
	}
	return c
}

// CurveChart draws one value against a numeric configuration key (connections,
// workers, rate) as lines, one per contender (and per rest of its
// configuration), the categories in numeric order.
func CurveChart(id, title string, recs []results.Record, m Metric, x string) Chart {
	failing := FailingContenders(recs)
	c := Chart{ID: id, Title: title, Kind: ChartLine, X: Axis{Title: x}, Y: Axis{Title: metricTitle(m)}}
	at := map[string]int{}
	var xs []float64
	seenX := map[float64]bool{}
	for _, r := range measured(recs) {
		v, ok := r.Value(m.Value)
		if _, has := r.Config[x]; !ok || !has || len(v.Samples) == 0 {
			continue
		}
		c.Y.Unit = v.Unit
		rest := map[string]any{}
		for k, val := range r.Config {
			if k != x {
				rest[k] = val
			}
		}
		name := chartName(r, failing)
		if len(rest) > 0 {
			name += " " + ConfigString(rest)
		}
		i, ok := at[name]
		if !ok {
			i = len(c.Series)
			at[name] = i
			c.Series = append(c.Series, Series{Name: name})
		}
		xv := r.ConfigNumber(x)
		if !seenX[xv] {
			seenX[xv] = true
			xs = append(xs, xv)
		}
		c.Series[i].Points = append(c.Series[i].Points, ChartPoint{Name: numberName(xv), Figure: summaryFigure(stats.Of(v), v.Unit)})
	}
	sort.Float64s(xs)
	for _, xv := range xs {
		c.Categories = append(c.Categories, numberName(xv))
	}
	for _, s := range c.Series {
		sort.SliceStable(s.Points, func(i, j int) bool {
			a, _ := strconv.ParseFloat(s.Points[i].Name, 64)
			b, _ := strconv.ParseFloat(s.Points[j].Name, 64)
			return a < b
		})
	}
	return c
}

// LatencyChart draws the latency percentile curves of every measure record
// that holds a histogram attachment (HistogramMedia), a line per record, on a
// logarithmic axis; nil percentiles means DefaultPercentiles. An attachment
// that cannot be decoded is left out and named in the error; the chart holds
// the others.
func LatencyChart(id, title string, recs []results.Record, percentiles []float64) (Chart, error) {
	if percentiles == nil {
		percentiles = DefaultPercentiles
	}
	failing := FailingContenders(recs)
	c := Chart{ID: id, Title: title, Kind: ChartLine, X: Axis{Title: "percentile"}, Y: Axis{Title: "latency", Unit: "s", Log: true}}
	for _, p := range percentiles {
		c.Categories = append(c.Categories, percentileName(p))
	}
	var errs []error
	for _, r := range measured(recs) {
		for _, a := range r.Attach {
			if a.Media != HistogramMedia {
				continue
			}
			name := chartName(r, failing)
			if len(r.Config) > 0 {
				name += " " + ConfigString(r.Config)
			}
			points, err := LatencyCurve(a, percentiles)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
				continue
			}
			c.Series = append(c.Series, Series{Name: name, Points: points})
		}
	}
	return c, errors.Join(errs...)
}

// LatencyCurve decodes a histogram attachment and reads its latency (in
// seconds) at each percentile, a point named p50, p99.9, ..., max.
func LatencyCurve(a results.Attach, percentiles []float64) ([]ChartPoint, error) {
	b, err := a.Bytes()
	if err != nil {
		return nil, fmt.Errorf("histogram attachment %q: %w", a.Name, err)
	}
	h, err := hdrhistogram.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("histogram attachment %q: %w", a.Name, err)
	}
	if h.TotalCount() == 0 {
		return nil, fmt.Errorf("histogram attachment %q: no latencies recorded", a.Name)
	}
	out := make([]ChartPoint, len(percentiles))
	for i, p := range percentiles {
		v := h.ValueAtQuantile(p)
		if p >= 100 {
			v = h.Max()
		}
		out[i] = ChartPoint{Name: percentileName(p), Figure: *Point(float64(v)*HistogramUnit, "s")}
	}
	return out, nil
}

func measured(recs []results.Record) []results.Record {
	var out []results.Record
	for _, r := range recs {
		if r.Kind == results.KindResult && r.Step == results.StepMeasure && r.Contender != nil && r.Status == results.StatusOK {
			out = append(out, r)
		}
	}
	return out
}

// chartName names a record's contender in a chart, with what a table would
// flag: failing its oracle, or being a calibration reference.
func chartName(r results.Record, failing map[string]bool) string {
	name := ColumnTitle(*r.Contender)
	switch {
	case failing[r.ContenderName()]:
		name += " (fails the oracle)"
	case r.Contender.Kind == "calibration":
		name += " (ref)"
	}
	return name
}

// summaryFigure is a summary's median with its interval, or its range when
// indicative; one round has no range.
func summaryFigure(s stats.Summary, unit string) Figure {
	f := Figure{Value: s.Center, Unit: unit, Lo: s.Lo, Hi: s.Hi, Range: s.Indicative}
	if s.N == 1 {
		f.Lo, f.Hi = math.NaN(), math.NaN()
	}
	return f
}

func metricTitle(m Metric) string {
	if m.Title != "" {
		return m.Title
	}
	return m.Value
}

func percentileName(p float64) string {
	if p >= 100 {
		return "max"
	}
	return "p" + strconv.FormatFloat(p, 'f', -1, 64)
}

func numberName(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Matching keeps the records whose configuration holds every key of want
// with the same value (results.SameValue), e.g. one mix of a stage: a chart
// is drawn from one comparable set.
func Matching(recs []results.Record, want map[string]any) []results.Record {
	var out []results.Record
	for _, r := range recs {
		if r.Matches(want) {
			out = append(out, r)
		}
	}
	return out
}
