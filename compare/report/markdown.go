package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes a document as GitHub-flavoured Markdown: the header with the
// environment, how Go compares, the article's claims with their verdicts,
// every stage's tables (a failing cell in bold with its detail), legends and
// notes, then the warnings.
type Markdown struct{}

var _ Exporter = Markdown{}

// File is report.md.
func (Markdown) File() string { return "report.md" }

// Export writes the document.
func (Markdown) Export(w io.Writer, d Document) error {
	var b strings.Builder
	b.WriteString("# tribench report\n\n")
	h := d.Header
	fmt.Fprintf(&b, "- command: `%s`\n- profile: %s\n- CPU set: %s\n", strings.Join(h.Command, " "), h.Profile, h.CPUs)
	for _, line := range h.HostLines() {
		fmt.Fprintf(&b, "- %s\n", line)
	}
	for _, k := range sortedEnv(h.Env) {
		fmt.Fprintf(&b, "- %s: %s\n", k, h.Env[k])
	}
	if len(d.GoRows) > 0 {
		b.WriteString("\n## How does Go compare\n\n")
		for _, s := range d.Sentences() {
			fmt.Fprintf(&b, "- %s\n", escape(s))
		}
	}
	sections := d.Sections
	if d.Claims != nil {
		sections = append([]Section{*d.Claims}, sections...)
	}
	for _, s := range sections {
		fmt.Fprintf(&b, "\n## %s\n", s.Title)
		for _, t := range s.Tables {
			b.WriteString("\n")
			writeTableMarkdown(&b, t)
		}
	}
	if len(d.Warnings) > 0 {
		b.WriteString("\n## Warnings\n\n")
		for _, warn := range d.Warnings {
			fmt.Fprintf(&b, "- %s\n", escape(warn))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTableMarkdown(b *strings.Builder, t Table) {
	if t.Title != "" {
		fmt.Fprintf(b, "### %s\n\n", escape(t.Title))
	}
	if t.Caption != "" {
		fmt.Fprintf(b, "%s\n\n", escape(t.Caption))
	}
	b.WriteString("|")
	for _, c := range t.Columns {
		fmt.Fprintf(b, " %s |", escape(c.Title))
	}
	b.WriteString("\n|")
	for _, c := range t.Columns {
		if c.Right {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		b.WriteString("|")
		for _, c := range r.Cells {
			s := escape(c.String())
			if c.Strong {
				s = "**" + s + "**"
			}
			if c.Detail != "" {
				s += " (`" + code(c.Detail) + "`)"
			}
			fmt.Fprintf(b, " %s |", s)
		}
		b.WriteString("\n")
	}
	if l := legend(t); len(l) > 0 {
		fmt.Fprintf(b, "\n%s\n", escape(strings.Join(l, "; ")))
	}
	if len(t.Notes) > 0 {
		b.WriteString("\n")
	}
	for _, n := range t.Notes {
		indent := strings.Repeat("  ", n.Level)
		fmt.Fprintf(b, "%s- %s", indent, escape(n.Text))
		if n.Example != "" {
			fmt.Fprintf(b, ", e.g. `%s`", code(clip(n.Example, 240)))
		}
		b.WriteString("\n")
	}
}

func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// code makes s safe inside a Markdown code span in a table cell.
func code(s string) string { return strings.ReplaceAll(escape(s), "`", "'") }
