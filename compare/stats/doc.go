// Package stats turns every round's samples into the figures a report prints,
// with golang.org/x/perf/benchmath doing the statistics: a figure is the median
// of its rounds with benchmath's 95% interval; a comparison of two contenders is
// the median of their per-round ratios (interleaved rounds pair them) with the
// interval of that sample of ratios. Fewer than MinRounds rounds give no finite
// interval: such a figure is the median and the range, marked indicative.
// benchmath's warnings are kept in the summary, never dropped.
package stats
