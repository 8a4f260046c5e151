package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tribench/tribench/compare/results"
)

// A Header says what produced a report: command, profile, CPU set, environment.
type Header struct {
	Command []string
	Profile string
	CPUs    string
	Env     map[string]string
}

// BuildHeader reads the run record of a results stream.
func BuildHeader(recs []results.Record) Header {
	for _, r := range recs {
		if r.Kind == results.KindRun {
			return Header{Command: r.Command, Profile: r.Profile, CPUs: r.CPUs, Env: r.Env}
		}
	}
	return Header{}
}

// WriteHeaderMarkdown writes the report's title and environment.
func WriteHeaderMarkdown(w io.Writer, h Header) error {
	var b strings.Builder
	b.WriteString("# tribench report\n\n")
	fmt.Fprintf(&b, "- command: `%s`\n- profile: %s\n- CPU set: %s\n", strings.Join(h.Command, " "), h.Profile, h.CPUs)
	keys := make([]string, 0, len(h.Env))
	for k := range h.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "- %s: %s\n", k, h.Env[k])
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
