package report

// A Board is the claims board, the first thing a report shows: one row per
// claim of the article, its claimed figures beside the measured ones, and
// its verdicts as badges.
type Board struct {
	// Columns title the measured figures of every row: Python, Kotlin,
	// then the Go columns.
	Columns []string
	Rows    []BoardRow
	// Caption says what the figures are (medians with 95% intervals, or
	// ranges) and where the article measured.
	Caption string
}

// A BoardRow is one claim.
type BoardRow struct {
	// Claim is the article's row; Here what was measured here for it
	// (connections, cores, size, profile).
	Claim, Here string
	// Stage is the stage whose records the claim reads.
	Stage string
	// Claimed are the article's Python and Kotlin figures.
	Claimed []Cell
	// Measured holds a cell per Columns.
	Measured []Cell
	Verdicts []Badge
}

// A Badge is one verdict of a claim: Outcome is the verdict as its record
// holds it (consistent, partly, refuted, undecided, not judged, not
// comparable, not measurable, not measured, incomplete: budget); Side says
// what it judged when a claim has several; Reason opens on click.
type Badge struct {
	Side, Outcome, Reason string
	// Marks are what qualifies the outcome (indicative, a disturbed round).
	Marks []string
}

// Class is the badge's colour class: its outcome when decided or undecided.
func (b Badge) Class() string {
	switch b.Outcome {
	case "consistent", "partly", "refuted", "undecided":
		return b.Outcome
	}
	return "other"
}

// Text is the badge as one line: side, outcome and marks.
func (b Badge) Text() string {
	s := b.Outcome
	for _, m := range b.Marks {
		s += " (" + m + ")"
	}
	if b.Side != "" {
		s = b.Side + ": " + s
	}
	return s
}

// A GoRow says how Go compares on one claim: Go current's figure against
// the contenders that stand for Python and Kotlin, as ratios in Go's favour
// (above 1: Go better) and in one sentence naming what was measured.
type GoRow struct {
	// Claim is the article's row, Short a few words of it for a chart axis;
	// Stage is the stage whose records it reads, Here what was measured.
	Claim, Short, Stage, Here string
	Sentence                  string
	// Against holds the ratio against Python's stand-in, then Kotlin's.
	Against []GoRatio
}

// A GoRatio is Go current's figure over another contender's, paired by
// round, oriented so that above 1 means Go is better.
type GoRatio struct {
	// Name is who Go is measured against ("Python 3.13 (python-3.13)").
	Name  string
	Ratio Figure
}

// GoChart draws every GoRow that has both ratios: two bars per row (against
// Python, against Kotlin) on a logarithmic axis, each with its interval.
func GoChart(rows []GoRow) Chart {
	c := Chart{ID: "go-compares", Title: "How does Go compare: Go current's figure over each side's (above 1: Go better)",
		Kind: ChartGroupedBar, X: Axis{Title: "claim"}, Y: Axis{Title: "times, in Go's favour", Unit: "x", Log: true},
		Series: []Series{{Name: "against Python"}, {Name: "against Kotlin"}}, ZeroWidth: true,
		Note: "paired round by round, 95% intervals (ranges when indicative); claims measured in one round are in the sentences only; " +
			"each sentence below says what was measured"}
	for _, r := range rows {
		if len(r.Against) != 2 || !withInterval(r.Against[0].Ratio) || !withInterval(r.Against[1].Ratio) {
			continue
		}
		c.Categories = append(c.Categories, r.Short)
		for i, a := range r.Against {
			c.Series[i].Points = append(c.Series[i].Points, ChartPoint{Name: r.Short, Figure: a.Ratio})
		}
	}
	return c
}

func withInterval(f Figure) bool { return finite(f.Value) && finite(f.Lo) && finite(f.Hi) }
