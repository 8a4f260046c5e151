package report

import (
	"math"
	"strings"

	"github.com/tribench/tribench/compare/stats"
)

// A Table is one format-neutral table of a report.
type Table struct {
	// ID is a stable key for the table (an anchor in HTML, a golden file name).
	ID    string
	Title string
	// Caption says what produced the figures (command, profile, CPU set).
	Caption string
	Columns []Column
	Rows    []Row
	// Notes are lines under the table: per-contender summaries, remarks.
	Notes []Note
}

// A Column is a table column; figures align right, text left.
type Column struct {
	Title string
	Right bool
	// Wide marks a column of sentences that a terminal shows whole (put it
	// last: it is not clipped).
	Wide bool
}

// A Row is one table row.
type Row struct {
	Cells []Cell
}

// A Note is a line under a table; Level 1 nests under the previous level-0
// note. Example, when set, is quoted code-like text after the note.
type Note struct {
	Text    string
	Level   int
	Example string
}

// Flags mark a cell's figure.
type Flags uint8

// Cell flags, each with a marker the exporters print and explain in a legend.
const (
	// FailedOracle: the contender failed its oracle; the figure is not ranked.
	FailedOracle Flags = 1 << iota
	// LoaderBound: the load generator, not the server, was the bottleneck.
	LoaderBound
	// NotSteady: the rate did not settle within the warm-up bound.
	NotSteady
	// Unavailable: the contender could not run here.
	Unavailable
	// Indicative: fewer than stats.MinRounds rounds; the range, not an interval.
	Indicative
)

var flagMarkers = []struct {
	flag          Flags
	marker, means string
}{
	{FailedOracle, "F", "fails the oracle: shown, not ranked"},
	{LoaderBound, "L", "loader-bound: the load generator's limit, not the server's"},
	{NotSteady, "S", "not steady within the warm-up bound"},
	{Unavailable, "U", "unavailable here"},
	{Indicative, "i", "indicative: fewer than 6 rounds, their range in brackets"},
}

// Markers renders the flags as letters, e.g. "Fi".
func (f Flags) Markers() string {
	var b strings.Builder
	for _, m := range flagMarkers {
		if f&m.flag != 0 {
			b.WriteString(m.marker)
		}
	}
	return b.String()
}

// A Cell is one table cell: a text, or a figure, with flags.
type Cell struct {
	// Text is shown when Figure is nil.
	Text string
	// Detail is a longer explanation that richer formats show beside the text.
	Detail string
	Figure *Figure
	Flags  Flags
	// Strong asks formats that can to emphasise the cell (a failure).
	Strong bool
}

// A Figure is a measured value with its unit and its interval or range.
type Figure struct {
	Value float64
	// Unit is a base unit (s, B, req/s, ...); see FormatValue.
	Unit string
	// Lo and Hi bound the value; NaN when there is no interval.
	Lo, Hi float64
	// Range marks Lo, Hi as the range of an indicative figure, not a 95% interval.
	Range bool
}

// TextCell makes a text cell.
func TextCell(s string) Cell { return Cell{Text: s} }

// Point makes a figure without an interval.
func Point(v float64, unit string) *Figure {
	return &Figure{Value: v, Unit: unit, Lo: math.NaN(), Hi: math.NaN()}
}

// FigureCell makes the cell of a summary: the median with its interval, or
// with its range and the indicative flag when it has too few rounds.
func FigureCell(s stats.Summary, unit string) Cell {
	if s.N == 0 {
		return Cell{Text: "-"}
	}
	f := summaryFigure(s, unit)
	c := Cell{Figure: &f}
	if s.Indicative {
		c.Flags |= Indicative
	}
	return c
}

// legend lists the meaning of every flag used in t.
func legend(t Table) []string {
	var used Flags
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			used |= c.Flags
		}
	}
	var out []string
	for _, m := range flagMarkers {
		if used&m.flag != 0 {
			out = append(out, m.marker+" = "+m.means)
		}
	}
	return out
}
