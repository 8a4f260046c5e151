package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Text writes a document for a terminal: every stage's tables (aligned
// columns, notes, a legend of the flags used), then the article's claims and
// how Go compares, last, where the eye lands, then the warnings. It leaves out
// the environment (the Markdown report and `tribench env` carry it).
type Text struct{}

var _ Exporter = Text{}

// File is the name a terminal rendering is saved under (report.txt).
func (Text) File() string { return "report.txt" }

// Export writes every section.
func (Text) Export(w io.Writer, d Document) error {
	sections := d.Sections
	if d.Claims != nil {
		sections = append(append([]Section(nil), sections...), *d.Claims)
	}
	for i, s := range sections {
		if i > 0 {
			fmt.Fprintln(w)
		}
		for j, t := range s.Tables {
			if j > 0 {
				fmt.Fprintln(w)
			}
			if err := WriteTableText(w, t); err != nil {
				return err
			}
		}
	}
	if len(d.GoRows) > 0 {
		fmt.Fprintln(w, "\nHow does Go compare:")
		for _, s := range d.Sentences() {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
	if len(d.Warnings) > 0 {
		fmt.Fprintln(w, "\nwarnings:")
		for _, warn := range d.Warnings {
			fmt.Fprintf(w, "  - %s\n", warn)
		}
	}
	return nil
}

// WriteTableText writes one table for a terminal.
func WriteTableText(w io.Writer, t Table) error {
	if t.Title != "" {
		fmt.Fprintln(w, t.Title)
	}
	if t.Caption != "" {
		fmt.Fprintln(w, t.Caption)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	titles := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		titles[i] = clip(c.Title, 72)
	}
	fmt.Fprintln(tw, strings.Join(titles, "\t"))
	for _, r := range t.Rows {
		cells := make([]string, len(r.Cells))
		for i, c := range r.Cells {
			cells[i] = c.String()
			if i >= len(t.Columns) || !t.Columns[i].Wide {
				cells[i] = clip(cells[i], 72)
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if l := legend(t); len(l) > 0 {
		fmt.Fprintf(w, "(%s)\n", strings.Join(l, "; "))
	}
	if len(t.Notes) > 0 {
		fmt.Fprintln(w)
	}
	for _, n := range t.Notes {
		if n.Level == 0 {
			fmt.Fprintln(w, n.Text)
		} else {
			fmt.Fprintf(w, "    %s\n", clip(n.Text, 120))
		}
		if n.Example != "" {
			fmt.Fprintf(w, "         e.g. %s\n", clip(n.Example, 160))
		}
	}
	return nil
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if r := []rune(s); len(r) > n {
		return string(r[:n-3]) + "..."
	}
	return s
}
