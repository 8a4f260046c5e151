package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteConformanceText writes the table for a terminal: aligned columns, then
// each contender's status and its first failures.
func WriteConformanceText(w io.Writer, t ConformanceTable) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"rule"}
	for _, c := range t.Columns {
		header = append(header, columnTitle(c))
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range t.Rows {
		line := []string{clipRule(r.Rule)}
		for j, cell := range r.Cells {
			if !t.Columns[j].Checked() {
				line = append(line, "n/a")
				continue
			}
			line = append(line, cell.String())
		}
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, c := range t.Columns {
		fmt.Fprintln(w, columnSummary(c))
		for _, b := range c.Broken {
			fmt.Fprintf(w, "    FAIL x%d [%s]\n         e.g. %s\n", b.Count, clip(b.Rule, 100), clip(b.Example, 160))
		}
	}
	return nil
}

func columnTitle(c Column) string {
	if c.Variant != "" && c.Variant != "canonical" {
		return c.Name + " (" + c.Variant + ")"
	}
	return c.Name
}

func columnSummary(c Column) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", columnTitle(c))
	if !c.Checked() {
		fmt.Fprintf(&b, "%s: %s", strings.ToUpper(c.Status), c.Reason)
		return b.String()
	}
	verdict := "conforms"
	if c.Failed > 0 {
		verdict = "FAILS the oracle, not ranked"
	}
	fmt.Fprintf(&b, "%s (%d passed, %d failed)", verdict, c.Passed, c.Failed)
	if c.Version != "" {
		fmt.Fprintf(&b, "; %s", c.Version)
	}
	if c.Fallback != "" {
		fmt.Fprintf(&b, "; stands in for %s", c.Fallback)
	}
	if c.Note != "" {
		fmt.Fprintf(&b, "; %s", c.Note)
	}
	return b.String()
}

func clipRule(s string) string { return clip(s, 72) }

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if r := []rune(s); len(r) > n {
		return string(r[:n-3]) + "..."
	}
	return s
}
