package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Screen writes a document as one terminal screen, what a run ends with:
// the claims with their verdicts, how Go compares in a line or two per
// claim, a line each for dropped runs and disturbed rounds when there are
// any, how many warnings, and where the files are. Every table is in
// report.md, and on the terminal with --verbose.
type Screen struct {
	// Dir is the results folder the screen points to.
	Dir string
	// Stages, when set, keeps the claims of those stages only: what a single
	// stage's command measured.
	Stages []string
	// Dropped and Disturbed count the runs the time budget dropped and the
	// disturbed rounds kept flagged (Counts reads them from the records).
	Dropped, Disturbed int
}

// Screen limits: a terminal's first screen.
const (
	ScreenLines   = 40
	ScreenColumns = 100
)

var _ Exporter = Screen{}

// File is the name a screen is saved under (summary.txt).
func (Screen) File() string { return "summary.txt" }

// Export writes the screen.
func (s Screen) Export(w io.Writer, d Document) error {
	var lines []string
	add := func(format string, args ...any) {
		lines = append(lines, clip(fmt.Sprintf(format, args...), ScreenColumns))
	}
	keep := func(stage string) bool { return len(s.Stages) == 0 || slices.Contains(s.Stages, stage) }
	if d.Board != nil {
		var rows []BoardRow
		for _, r := range d.Board.Rows {
			if keep(r.Stage) {
				rows = append(rows, r)
			}
		}
		if len(rows) > 0 {
			add("Was the article right? (%s profile; claimed against measured: report.md)", orNone(d.Header.Profile))
		}
		for _, r := range rows {
			var badges []string
			for _, b := range r.Verdicts {
				badges = append(badges, b.Text())
			}
			add("  %-36s %s", clip(shortClaim(r.Claim), 36), strings.Join(badges, "; "))
		}
	}
	var goLines []string
	for _, r := range d.GoRows {
		if !keep(r.Stage) {
			continue
		}
		var against []string
		for _, a := range r.Against {
			against = append(against, fmt.Sprintf("%s %s", a.Ratio.String(), a.Name))
		}
		line := fmt.Sprintf("  %s: Go current %s", r.Short, strings.Join(against, ", "))
		if r.Here != "" {
			line += " (" + r.Here + ")"
		}
		goLines = append(goLines, wrap(line, ScreenColumns, "      ", 2)...)
	}
	if len(goLines) > 0 {
		add("How does Go compare (times in Go's favour, 95%% intervals):")
		lines = append(lines, goLines...)
	}
	if s.Dropped > 0 {
		add("dropped by the time budget: %d runs (report.md lists them)", s.Dropped)
	}
	if s.Disturbed > 0 {
		add("disturbed rounds kept flagged: %d (their figures are marked in report.md)", s.Disturbed)
	}
	if n := len(d.Warnings); n > 0 {
		add("warnings: %d (report.md lists them)", n)
	}
	if len(lines) > ScreenLines-2 {
		lines = append(lines[:ScreenLines-3], "... (report.md has the rest)")
	}
	if s.Dir != "" {
		// The path on a line of its own, whole: it is what people copy.
		lines = append(lines, "results (report.md, report.html, results.jsonl):", "  "+s.Dir)
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n")+"\n")
	return err
}

// shortClaim is a claim up to its first comma.
func shortClaim(claim string) string {
	s, _, _ := strings.Cut(claim, ",")
	return s
}

func orNone(s string) string {
	if s == "" {
		return "no"
	}
	return s
}

// wrap breaks s into lines of at most width columns at spaces, the later
// lines indented, at most max lines (the last clipped).
func wrap(s string, width int, indent string, most int) []string {
	var out []string
	for len([]rune(s)) > width && len(out) < most-1 {
		cut := strings.LastIndex(string([]rune(s)[:width]), " ")
		if cut <= len(indent) {
			break
		}
		out = append(out, s[:cut])
		s = indent + strings.TrimLeft(s[cut:], " ")
	}
	return append(out, clip(s, width))
}
