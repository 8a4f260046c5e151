package report

import (
	"math"
	"strconv"
	"strings"
)

// ECharts options, built as Go values and encoded with encoding/json: only
// the keys tribench sets. Functions (a tooltip's formatter, an error bar's
// renderItem) cannot travel in JSON; the page's script adds them, keyed by
// the fields marked below.

// An echartsChart is one chart of the page: where it goes and its option.
type echartsChart struct {
	// DOM is the id of the element the chart is drawn into.
	DOM    string        `json:"dom"`
	ID     string        `json:"id"`
	Option echartsOption `json:"option"`
}

type echartsOption struct {
	// Animation is off: the chart is drawn in its final state at once, on
	// screen and in a headless browser alike.
	Animation bool            `json:"animation"`
	Tooltip   echartsTooltip  `json:"tooltip"`
	Legend    *echartsLegend  `json:"legend,omitempty"`
	Grid      echartsGrid     `json:"grid"`
	XAxis     echartsAxis     `json:"xAxis"`
	YAxis     echartsAxis     `json:"yAxis"`
	Series    []echartsSeries `json:"series"`
}

type echartsTooltip struct {
	Trigger string `json:"trigger"`
}

type echartsLegend struct {
	Type string `json:"type"`
	Top  int    `json:"top"`
}

type echartsGrid struct {
	Left         int  `json:"left"`
	Right        int  `json:"right"`
	Top          int  `json:"top"`
	Bottom       int  `json:"bottom"`
	ContainLabel bool `json:"containLabel"`
}

type echartsAxis struct {
	Type         string   `json:"type"`
	Name         string   `json:"name"`
	NameLocation string   `json:"nameLocation"`
	NameGap      int      `json:"nameGap"`
	Data         []string `json:"data,omitempty"`
	// NameTextStyle aligns the value axis's title from the axis rightwards,
	// so a long title is not cut at the chart's left edge.
	NameTextStyle *echartsTextStyle `json:"nameTextStyle,omitempty"`
	AxisLabel     *echartsAxisLabel `json:"axisLabel,omitempty"`
}

type echartsTextStyle struct {
	Align string `json:"align"`
}

type echartsAxisLabel struct {
	Interval int `json:"interval"`
	Rotate   int `json:"rotate"`
}

type echartsSeries struct {
	Name           string        `json:"name"`
	Type           string        `json:"type"`
	Data           []echartsItem `json:"data"`
	BarGap         string        `json:"barGap,omitempty"`
	BarCategoryGap string        `json:"barCategoryGap,omitempty"`
	ShowSymbol     bool          `json:"showSymbol,omitempty"`
	ShowAllSymbol  bool          `json:"showAllSymbol,omitempty"`
	SymbolSize     int           `json:"symbolSize,omitempty"`
	// Encode, Z and Silent place an error-bar series: its value's x and both
	// ends on the axes, above the bars, deaf to the pointer.
	Encode *echartsEncode `json:"encode,omitempty"`
	Z      int            `json:"z,omitempty"`
	Silent bool           `json:"silent,omitempty"`
	// ErrorBar marks a custom series whose renderItem the page sets.
	ErrorBar *echartsErrorBar `json:"errorBar,omitempty"`
}

type echartsEncode struct {
	X int   `json:"x"`
	Y []int `json:"y"`
}

// An echartsErrorBar says where an interval is drawn: beside bar Index of Of
// bars in each category (Bar), or on the point itself.
type echartsErrorBar struct {
	Index int  `json:"index"`
	Of    int  `json:"of"`
	Bar   bool `json:"bar"`
}

// An echartsItem is a data item: [category index, value] or, for an error
// bar, [category index, low, high]; Tip is the figure as the tables print it,
// shown by the page's tooltip formatter.
type echartsItem struct {
	Value []float64 `json:"value"`
	Tip   string    `json:"tip,omitempty"`
}

// Bar layout in every category, set explicitly because the page's error bars
// compute their offsets from it.
const (
	barGap         = "30%"
	barCategoryGap = "20%"
)

// echartsOptionOf builds the option of a chart: the value axis scaled to a
// readable unit (ms, MiB, ...), a data item per drawn point, and an error-bar
// series beside each series that has intervals.
func echartsOptionOf(c Chart) echartsOption {
	cats := c.categories()
	index := make(map[string]int, len(cats))
	for i, name := range cats {
		index[name] = i
	}
	div, unit := axisScale(c)
	yName := c.Y.Title
	if unit != "" {
		yName += " (" + unit + ")"
	}
	o := echartsOption{
		Tooltip: echartsTooltip{Trigger: "item"},
		Grid:    echartsGrid{Left: 24, Right: 24, Top: 40, Bottom: 40, ContainLabel: true},
		XAxis: echartsAxis{Type: "category", Name: c.X.Title, NameLocation: "middle", NameGap: 32, Data: cats,
			AxisLabel: &echartsAxisLabel{Rotate: labelRotation(cats)}},
		// The value axis's title sits above it, where no label can hide it.
		YAxis: echartsAxis{Type: "value", Name: yName, NameLocation: "end", NameGap: 12,
			NameTextStyle: &echartsTextStyle{Align: "left"}},
	}
	if c.Y.Log {
		o.YAxis.Type = "log"
	}
	if len(c.Series) > 1 {
		o.Legend = &echartsLegend{Type: "scroll", Top: 0}
		o.Grid.Top = 64
	}
	var bars []echartsSeries
	for i, s := range c.Series {
		main := echartsSeries{Name: s.Name, Type: "line", ShowSymbol: true, ShowAllSymbol: true, SymbolSize: 7}
		if c.Kind != ChartLine {
			main = echartsSeries{Name: s.Name, Type: "bar", BarGap: barGap, BarCategoryGap: barCategoryGap}
		}
		errs := echartsSeries{Name: s.Name, Type: "custom", Encode: &echartsEncode{X: 0, Y: []int{1, 2}}, Z: 10, Silent: true,
			ErrorBar: &echartsErrorBar{Index: i, Of: len(c.Series), Bar: c.Kind != ChartLine}}
		for _, p := range s.Points {
			at, ok := index[p.Name]
			if !ok || !p.Drawn() {
				continue
			}
			main.Data = append(main.Data, echartsItem{Value: []float64{float64(at), round6(p.Value / div)}, Tip: p.Figure.String()})
			if p.HasInterval() || c.ZeroWidth && finite(p.Lo) && finite(p.Hi) {
				errs.Data = append(errs.Data, echartsItem{Value: []float64{float64(at), round6(p.Lo / div), round6(p.Hi / div)}})
			}
		}
		o.Series = append(o.Series, main)
		if len(errs.Data) > 0 {
			bars = append(bars, errs)
		}
	}
	o.Series = append(o.Series, bars...)
	return o
}

// axisScale chooses the value axis's unit from its largest value, as the
// tables do: the divisor of base-unit values and the unit's name.
func axisScale(c Chart) (float64, string) {
	largest := 0.0
	for _, s := range c.Series {
		for _, p := range s.Points {
			if p.Drawn() {
				largest = math.Max(largest, math.Abs(p.Value))
			}
		}
	}
	switch {
	case largest == 0:
		return 1, c.Y.Unit
	case c.Y.Unit == "1":
		return 0.01, "%"
	case c.Y.Unit == "s" || c.Y.Unit == "B" || c.Y.Unit == "B/s":
		_, u := scale(largest, c.Y.Unit)
		return factor(u, c.Y.Unit), u
	}
	return 1, c.Y.Unit
}

// labelRotation slants the category labels when they are many or long.
func labelRotation(cats []string) int {
	width := 0
	for _, c := range cats {
		width += len([]rune(c))
	}
	if len(cats) > 4 || width > 60 || strings.Contains(strings.Join(cats, ""), ",") && len(cats) > 2 {
		return 20
	}
	return 0
}

// round6 keeps six significant digits, more than a chart can show, so the
// page holds 1.481, not 1.4809999999999999.
func round6(v float64) float64 {
	if v == 0 {
		return 0
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return f
}
