package report

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tribench/tribench/compare/results"
)

// A Document is a whole report: what produced it, the answer to the article
// (a summary of how Go compares and the claims with their verdicts), a section
// per stage, and the warnings gathered on the way.
type Document struct {
	Header Header
	// Board is the claims board: each claim's figures and verdicts.
	Board *Board
	// GoRows are "How does Go compare", generated from the numbers.
	GoRows []GoRow
	// Claims is the article's rows, claimed beside measured, with verdicts,
	// and how each maps to this machine, as tables.
	Claims   *Section
	Sections []Section
	// Warnings are non-fatal problems (a contender unavailable, a version that
	// could not be read, a stage stopped at its budget), shown, never swallowed.
	Warnings []string
}

// Sentences are How does Go compare, a sentence per claim.
func (d Document) Sentences() []string {
	out := make([]string, len(d.GoRows))
	for i, r := range d.GoRows {
		out[i] = r.Sentence
	}
	return out
}

// A Header says what produced a report: command, profile, CPU set, environment.
type Header struct {
	Command []string
	Profile string
	CPUs    string
	Env     map[string]string
	// Hosts are the run's hosts when a hosts file placed it.
	Hosts []results.HostEnv
}

// HostLines say which host ran the servers and which the loaders, with
// their CPU lists and, for a host that is not this machine, its CPU,
// kernel and memory: one line each, none without hosts.
func (h Header) HostLines() []string {
	var lines []string
	for _, e := range h.Hosts {
		line := e.Role + " host: " + e.Host
		if e.CPUs != "" {
			line += " on CPU " + e.CPUs
		}
		switch {
		case e.Env != nil:
			line += fmt.Sprintf(" (%s, %s, %s)", e.Env["cpu"], e.Env["kernel"], e.Env["memory"])
		case e.Note != "":
			line += " (" + e.Note + ")"
		}
		lines = append(lines, line)
	}
	return lines
}

// A Section is one stage's part of a report: its tables, and its charts for
// the formats that draw them.
type Section struct {
	Title  string
	Tables []Table
	Charts []Chart
}

// BuildHeader reads the run record of a results stream.
func BuildHeader(recs []results.Record) Header {
	for _, r := range recs {
		if r.Kind == results.KindRun {
			return Header{Command: r.Command, Profile: r.Profile, CPUs: r.CPUs, Env: r.Env, Hosts: r.Hosts}
		}
	}
	return Header{}
}

// Warnings gathers the warnings a results stream holds: warning records,
// contenders that could not be built, started or run, and stages that
// stopped early.
func Warnings(recs []results.Record) []string {
	var out []string
	for _, r := range recs {
		switch {
		case r.Kind == results.KindWarning:
			out = append(out, prefix(r.Stage)+r.Reason)
		case r.Kind == results.KindStage && r.Status != results.StatusOK:
			out = append(out, fmt.Sprintf("%sstage %s: %s", prefix(r.Stage), r.Status, r.Reason))
			if dropped, ok := r.Config["dropped"].([]any); ok && len(dropped) > 0 {
				out = append(out, fmt.Sprintf("%sdropped by the time budget (%d runs): %s", prefix(r.Stage), len(dropped), joinAny(dropped)))
			}
		case r.Kind == results.KindResult && r.Status != results.StatusOK && r.Step == results.StepVerify:
			out = append(out, fmt.Sprintf("%s%s %s: %s", prefix(r.Stage), r.ContenderName(), r.Status, r.Reason))
		}
	}
	return out
}

func joinAny(xs []any) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ", ")
}

func prefix(stage string) string {
	if stage == "" {
		return ""
	}
	return stage + ": "
}

// An Exporter writes a document in one format.
type Exporter interface {
	// File is the file name the format is written to in a results folder.
	File() string
	Export(w io.Writer, d Document) error
}

// WriteFiles writes the document in every format into dir.
func WriteFiles(dir string, d Document, formats ...Exporter) error {
	for _, e := range formats {
		path := filepath.Join(dir, e.File())
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		if err := e.Export(f, d); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

func sortedEnv(env map[string]string) []string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
