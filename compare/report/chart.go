package report

import (
	"math"
)

// A ChartKind is how a chart draws its series.
type ChartKind string

// Chart kinds.
const (
	// ChartBar draws one bar per category of a single series (a value per
	// contender).
	ChartBar ChartKind = "bar"
	// ChartGroupedBar draws the bars of several series side by side in each
	// category (a value per contender in each configuration).
	ChartGroupedBar ChartKind = "grouped-bar"
	// ChartLine joins each series' points across the categories in order (a
	// latency percentile curve, a figure against connections or workers).
	ChartLine ChartKind = "line"
)

// A Chart is one format-neutral chart of a report section: formats that draw
// (HTML) render it, the others leave it out. Values are in base units, as in
// the results; exporters choose the scale to show (ms, MiB, ...).
type Chart struct {
	// ID is a stable key for the chart, unique within its section.
	ID    string
	Title string
	Kind  ChartKind
	// X titles the category axis; Y is the value axis, whose Unit is every
	// point's unit.
	X, Y Axis
	// Categories orders the category axis; when nil it is the points' names in
	// order of first appearance.
	Categories []string
	Series     []Series
	// Note is a line under the chart: what it shows, what it leaves out.
	Note string
	// ZeroWidth draws an interval of zero width too (every round gave the
	// same figure), where a one-round point has none.
	ZeroWidth bool
}

// An Axis titles one axis of a chart.
type Axis struct {
	Title string
	// Unit is a base unit (s, B, img/s, x, ...), on the value axis only.
	Unit string
	// Log asks for a logarithmic scale (values across decades, such as tail
	// latencies).
	Log bool
}

// A Series is one named set of points: a contender's bars, a run's curve.
type Series struct {
	Name   string
	Points []ChartPoint
}

// A ChartPoint is a named point of a series: its category (a contender, a
// configuration, a percentile) and its figure, with the interval or range
// that the chart draws as an error bar.
type ChartPoint struct {
	Name string
	Figure
}

// HasInterval reports whether the point has an interval or range to draw.
func (p ChartPoint) HasInterval() bool {
	return finite(p.Lo) && finite(p.Hi) && !(p.Lo == p.Value && p.Hi == p.Value)
}

// Drawn reports whether the point has a value to draw.
func (p ChartPoint) Drawn() bool { return finite(p.Value) }

// categories returns the chart's categories in axis order.
func (c Chart) categories() []string {
	if c.Categories != nil {
		return c.Categories
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range c.Series {
		for _, p := range s.Points {
			if !seen[p.Name] {
				seen[p.Name] = true
				out = append(out, p.Name)
			}
		}
	}
	return out
}

// Empty reports whether no series of the chart has a point to draw; such a
// chart is better left out of a section.
func (c Chart) Empty() bool {
	for _, s := range c.Series {
		for _, p := range s.Points {
			if p.Drawn() {
				return false
			}
		}
	}
	return true
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
