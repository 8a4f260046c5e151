package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteConformanceMarkdown writes the table as GitHub-flavoured Markdown, with
// the first failing check in each failing cell.
func WriteConformanceMarkdown(w io.Writer, t ConformanceTable) error {
	var b strings.Builder
	b.WriteString("| rule |")
	for _, c := range t.Columns {
		fmt.Fprintf(&b, " %s |", escape(columnTitle(c)))
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(t.Columns)))
	b.WriteString("\n")
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "| %s |", escape(r.Rule))
		for j, cell := range r.Cells {
			switch {
			case !t.Columns[j].Checked():
				b.WriteString(" n/a |")
			case cell.Failed > 0:
				fmt.Fprintf(&b, " **%s** (`%s`) |", cell, escape(cell.First))
			default:
				fmt.Fprintf(&b, " %s |", cell)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	for _, c := range t.Columns {
		fmt.Fprintf(&b, "- %s\n", escape(columnSummary(c)))
		for _, br := range c.Broken {
			fmt.Fprintf(&b, "  - FAIL x%d: %s, e.g. `%s`\n", br.Count, escape(br.Rule), strings.ReplaceAll(clip(br.Example, 240), "`", "'"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
