package report

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"testing"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
)

func measure(contender string, config map[string]any, name, unit string, samples ...float64) results.Record {
	return results.Record{Kind: results.KindResult, Stage: "resize", Step: results.StepMeasure, Status: results.StatusOK,
		Contender: &results.Contender{Name: contender, Kind: "canonical"}, Config: config,
		Values: []results.Value{{Name: name, Unit: unit, Samples: samples}}}
}

func failedVerify(contender string) results.Record {
	return results.Record{Kind: results.KindResult, Stage: "resize", Step: results.StepVerify, Status: results.StatusOK,
		Contender: &results.Contender{Name: contender}, Checks: []results.Check{{Name: "dimensions", Pass: false}}}
}

// histogramAttach records latencies (µs) and attaches them as the load generator does.
func histogramAttach(t *testing.T, micros ...int64) results.Attach {
	t.Helper()
	h := hdrhistogram.New(1, 60_000_000, 3)
	for _, v := range micros {
		require.NoError(t, h.RecordValue(v))
	}
	enc, err := h.Encode(hdrhistogram.V2CompressedEncodingCookieBase)
	require.NoError(t, err)
	data, err := json.Marshal(base64.StdEncoding.EncodeToString(enc))
	require.NoError(t, err)
	return results.Attach{Name: "latency-histogram", Media: HistogramMedia, Data: data}
}

var six = []float64{40, 41, 39, 40, 42, 40}

func TestValueChart(t *testing.T) {
	t.Parallel()
	one := map[string]any{"workers": 1}
	tests := []struct {
		name       string
		recs       []results.Record
		kind       ChartKind
		series     []string
		categories []string
	}{
		{
			name: "one configuration: a bar per contender",
			recs: []results.Record{
				measure("go-1.23", one, "images_per_s", "img/s", six...),
				measure("python-3.13", one, "images_per_s", "img/s", 30, 31, 29),
				failedVerify("kotlin-2.0"),
				measure("kotlin-2.0", one, "images_per_s", "img/s", 35, 36, 35),
			},
			kind: ChartBar, series: []string{"images/s"},
			categories: []string{"go-1.23", "python-3.13", "kotlin-2.0 (fails the oracle)"},
		},
		{
			name: "two configurations: a group per configuration, a bar per contender",
			recs: []results.Record{
				measure("go-1.23", one, "images_per_s", "img/s", six...),
				measure("go-1.23", map[string]any{"workers": 2}, "images_per_s", "img/s", 70, 71, 72),
				measure("python-3.13", one, "images_per_s", "img/s", 30, 31, 29),
			},
			kind: ChartGroupedBar, series: []string{"go-1.23", "python-3.13"},
			categories: []string{"workers=1", "workers=2"},
		},
		{
			name: "records that did not run or lack the value are left out",
			recs: []results.Record{
				measure("go-1.23", one, "images_per_s", "img/s", six...),
				{Kind: results.KindResult, Step: results.StepMeasure, Status: results.StatusTimeout, Contender: &results.Contender{Name: "python-3.13"}},
				measure("kotlin-2.0", one, "peak_rss", "B", 1e6),
			},
			kind: ChartBar, series: []string{"images/s"}, categories: []string{"go-1.23"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := ValueChart("ips", "images per second", tt.recs, Metric{Value: "images_per_s", Title: "images/s"})
			assert.Equal(t, tt.kind, c.Kind)
			var names []string
			for _, s := range c.Series {
				names = append(names, s.Name)
			}
			assert.Equal(t, tt.series, names)
			assert.Equal(t, tt.categories, c.categories())
			assert.Equal(t, "img/s", c.Y.Unit)
		})
	}
}

func TestValueChartPointsCarryTheSummary(t *testing.T) {
	t.Parallel()
	c := ValueChart("ips", "", []results.Record{
		measure("go-1.23", nil, "images_per_s", "img/s", six...),
		measure("python-3.13", nil, "images_per_s", "img/s", 30, 31, 29),
		measure("kotlin-2.0", nil, "images_per_s", "img/s", 35),
	}, Metric{Value: "images_per_s"})
	p := c.Series[0].Points
	require.Len(t, p, 3)
	assert.Equal(t, 40.0, p[0].Value)
	assert.True(t, p[0].HasInterval() && !p[0].Range, "six rounds: a 95% interval")
	assert.Equal(t, [2]float64{29, 31}, [2]float64{p[1].Lo, p[1].Hi}, "three rounds: their range")
	assert.True(t, p[1].Range)
	assert.False(t, p[2].HasInterval(), "one round: no interval to draw")
	assert.Equal(t, "images_per_s", c.Y.Title, "the value's name when the metric has no title")
}

func TestCurveChartOrdersTheCategoriesByNumber(t *testing.T) {
	t.Parallel()
	at := func(name string, conns int, p99 float64) results.Record {
		return measure(name, map[string]any{"connections": conns, "mix": "list"}, "p99", "s", p99)
	}
	c := CurveChart("conns", "p99 against connections", []results.Record{
		at("go-1.23", 1000, 0.004), at("go-1.23", 100, 0.002), at("python-3.13", 200, 0.010), at("python-3.13", 100, 0.008),
	}, Metric{Value: "p99"}, "connections")
	assert.Equal(t, ChartLine, c.Kind)
	assert.Equal(t, []string{"100", "200", "1000"}, c.categories())
	require.Len(t, c.Series, 2)
	assert.Equal(t, "go-1.23 mix=list", c.Series[0].Name, "the rest of the configuration names the line")
	assert.Equal(t, []string{"100", "1000"}, []string{c.Series[0].Points[0].Name, c.Series[0].Points[1].Name})
}

func TestLatencyChart(t *testing.T) {
	t.Parallel()
	var micros []int64
	for i := int64(1); i <= 1000; i++ {
		micros = append(micros, i) // 1 µs .. 1 ms: p50 = 500 µs, max = 1 ms
	}
	good := measure("go-1.23", map[string]any{"model": "open"}, "rps", "req/s", 8000)
	good.Attach = []results.Attach{histogramAttach(t, micros...), results.TextAttach("errors-timeout", "1")}
	bad := measure("python-3.13", nil, "rps", "req/s", 5000)
	bad.Attach = []results.Attach{{Name: "latency-histogram", Media: HistogramMedia, Data: json.RawMessage(`"bm90IGEgaGlzdG9ncmFt"`)}}

	c, err := LatencyChart("lat", "latency", []results.Record{good, bad}, nil)
	require.Error(t, err, "an attachment that is not a histogram is named")
	assert.Contains(t, err.Error(), "python-3.13")
	assert.Equal(t, []string{"p50", "p90", "p99", "p99.9", "p99.99", "max"}, c.Categories)
	require.Len(t, c.Series, 1, "the decodable curve is kept")
	assert.Equal(t, "go-1.23 model=open", c.Series[0].Name)
	pts := c.Series[0].Points
	assert.InDelta(t, 500e-6, pts[0].Value, 1e-6, "p50 in seconds")
	assert.InDelta(t, 1e-3, pts[5].Value, 1e-6, "max in seconds")
	assert.True(t, c.Y.Log)
	assert.False(t, pts[0].HasInterval())
}

func TestEChartsOption(t *testing.T) {
	t.Parallel()
	c := Chart{Kind: ChartGroupedBar, X: Axis{Title: "configuration"}, Y: Axis{Title: "p99", Unit: "s"},
		Series: []Series{
			{Name: "go", Points: []ChartPoint{
				{Name: "a", Figure: Figure{Value: 0.002, Unit: "s", Lo: 0.0015, Hi: 0.0025}},
				{Name: "b", Figure: Figure{Value: 0.004, Unit: "s", Lo: math.NaN(), Hi: math.NaN()}},
			}},
			{Name: "python", Points: []ChartPoint{{Name: "b", Figure: Figure{Value: math.NaN(), Unit: "s"}}}},
		}}
	o := echartsOptionOf(c)
	assert.Equal(t, "p99 (ms)", o.YAxis.Name, "the axis in the unit of its largest value")
	assert.Equal(t, []string{"a", "b"}, o.XAxis.Data)
	require.Len(t, o.Series, 3, "two series of bars, one of error bars")
	assert.Equal(t, []echartsItem{{Value: []float64{0, 2}, Tip: "2 ms ±25%"}, {Value: []float64{1, 4}, Tip: "4 ms"}}, o.Series[0].Data)
	assert.Empty(t, o.Series[1].Data, "a point without a value is not drawn")
	assert.Equal(t, "custom", o.Series[2].Type)
	assert.Equal(t, &echartsErrorBar{Index: 0, Of: 2, Bar: true}, o.Series[2].ErrorBar)
	assert.Equal(t, []echartsItem{{Value: []float64{0, 1.5, 2.5}}}, o.Series[2].Data)
	assert.NotNil(t, o.Legend, "several series: a legend")

	share := echartsOptionOf(Chart{Kind: ChartBar, Y: Axis{Title: "CPU", Unit: "1"},
		Series: []Series{{Name: "cpu", Points: []ChartPoint{{Name: "go", Figure: *Point(0.5, "1")}}}}})
	assert.Equal(t, "CPU (%)", share.YAxis.Name)
	assert.Equal(t, []float64{0, 50}, share.Series[0].Data[0].Value)
	assert.Nil(t, share.Legend)
}
