// Package compose builds the report of a run above the stage core: it runs
// the stages with the article's claims wired in (which jobs they read, the
// verdicts at the end) and composes the document from the results file: the
// claims, each stage's section as the stage renders it, the warnings.
// compare/stage knows nothing of the report, the article or its claims.
package compose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/tribench/tribench/compare/article"
	"github.com/tribench/tribench/compare/claims"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/toolchain"
)

// A Sectioner renders a stage's records as its part of the report: tables,
// and charts for the formats that draw them, with the stage's manifest as
// the repository holds it now saying who plays which part (the baseline of
// its "times faster" tables). Every registered stage is one; a stage that
// is not gets the generic table.
type Sectioner interface {
	Section(recs []results.Record, m manifest.File) report.Section
}

// Execute runs the stages as stage.Execute does, the article's claims
// deciding which jobs run first and judged at the end, then writes the
// report of what the results file holds (also after Ctrl-C, and also when a
// stage failed) and prints it as view asks (nothing with o.JSON).
func Execute(ctx context.Context, o stage.Options, view View) error {
	view.Quiet = view.Quiet || o.JSON
	if cf, err := claims.Load(); err == nil {
		if o.ClaimReads == nil {
			o.ClaimReads = article.Reads(cf)
		}
		if o.Verdicts == nil {
			o.Verdicts = func(recs []results.Record) []results.Record { return article.Verdicts(recs, cf) }
		}
	}
	err := stage.Execute(ctx, o)
	if rerr := WriteReport(o.Stdout, o.Root, o.ResultsDir, view); rerr != nil && !errors.Is(err, stage.ErrInterrupted) {
		err = errors.Join(err, rerr)
	}
	return err
}

// A View is what a command prints of its report on stdout.
type View struct {
	// Quiet prints nothing (the records go to stdout as JSON lines).
	Quiet bool
	// Verbose prints every table, then the screen.
	Verbose bool
	// Stages, when set, is a single stage's command: its own tables, then
	// the claims it measured.
	Stages []string
}

// WriteReport rebuilds the report from dir's results.jsonl (report.md and
// report.html beside it; root is the repository whose manifests the
// sections read) and prints what view asks on stdout: one screen (the
// claims, how Go compares, what to look at, where the files are), with the
// tables before it when verbose or for a single stage. Without the chart
// library report.html is written all the same, and the warnings say why it
// has no charts.
func WriteReport(stdout io.Writer, root, dir string, view View) error {
	doc, err := Rewrite(root, dir)
	if err != nil || view.Quiet || doc == nil {
		return err
	}
	if view.Verbose || len(view.Stages) > 0 {
		tables := *doc
		if !view.Verbose {
			tables.Claims, tables.GoRows, tables.Warnings = nil, nil, nil
		}
		if err := (report.Text{}).Export(stdout, tables); err != nil {
			return err
		}
		fmt.Fprintln(stdout)
	}
	recs, _ := results.Read(filepath.Join(dir, results.FileName))
	dropped, disturbed := Counts(recs)
	stages := view.Stages
	if len(stages) == 0 {
		// Only the claims of the stages that ran: a run of some workloads
		// says nothing of the others' claims.
		for _, r := range recs {
			if r.Kind == results.KindStage && !slices.Contains(stages, r.Stage) {
				stages = append(stages, r.Stage)
			}
		}
	}
	return report.Screen{Dir: dir, Stages: stages, Dropped: dropped, Disturbed: disturbed}.Export(stdout, *doc)
}

// Counts reads from a run's records how many runs its stages' budgets
// dropped and how many disturbed rounds its figures keep flagged.
func Counts(recs []results.Record) (dropped, disturbed int) {
	for _, r := range recs {
		if r.Kind == results.KindStage {
			if d, ok := r.Config["dropped"].([]any); ok {
				dropped += len(d)
			}
		}
		if r.Kind != results.KindResult || r.Step != results.StepMeasure {
			continue
		}
		rounds := map[int]bool{}
		for _, v := range r.Values {
			for _, round := range v.Disturbed {
				rounds[round] = true
			}
		}
		disturbed += len(rounds)
	}
	return dropped, disturbed
}

// Rewrite writes report.md and report.html of dir's results.jsonl, with
// extra sections after the stages' (a baseline comparison, trends), and
// returns the document; nil when the file holds no record.
func Rewrite(root, dir string, extra ...report.Section) (*report.Document, error) {
	recs, readErr := results.Read(filepath.Join(dir, results.FileName))
	if len(recs) == 0 {
		return nil, readErr
	}
	doc := Document(recs, root)
	if readErr != nil {
		doc.Warnings = append(doc.Warnings, "some lines of results.jsonl could not be read: "+results.Reason(readErr.Error()))
	}
	page := report.HTML{ECharts: report.EChartsDir(toolchain.Cache())}
	if missing := page.MissingCharts(); missing != "" {
		doc.Warnings = append(doc.Warnings, missing)
	}
	doc.Sections = append(doc.Sections, extra...)
	return &doc, report.WriteFiles(dir, doc, report.Markdown{}, page)
}

// Document builds the report of a results stream: a section per stage that
// has records, in stage order, each rendered by its stage with its manifest
// in the repository at root (or generically when the stage is not
// registered in this build).
func Document(recs []results.Record, root string) report.Document {
	byStage := map[string][]results.Record{}
	var order []string
	for _, r := range recs {
		if r.Stage == "" || r.Kind == results.KindRun {
			continue
		}
		if _, ok := byStage[r.Stage]; !ok {
			order = append(order, r.Stage)
		}
		byStage[r.Stage] = append(byStage[r.Stage], r)
	}
	doc := report.Document{Header: report.BuildHeader(recs), Warnings: report.Warnings(recs)}
	// The board shows the run's own verdict records; the tables judge afresh
	// from the result records.
	verdicts := slices.DeleteFunc(slices.Clone(recs), func(r results.Record) bool { return r.Kind != results.KindVerdict })
	recs = slices.DeleteFunc(slices.Clone(recs), func(r results.Record) bool { return r.Kind == results.KindVerdict })
	if cf, err := claims.Load(); err != nil {
		doc.Warnings = append(doc.Warnings, "the article's claims could not be read: "+results.Reason(err.Error()))
	} else {
		sec, board := article.Section(recs, cf), article.Board(recs, verdicts, cf)
		doc.Claims, doc.Board, doc.GoRows = &sec, &board, article.GoRows(recs, cf)
	}
	done := map[string]bool{}
	for _, s := range stage.All() {
		info := s.Info()
		rs, ok := byStage[info.Name]
		if !ok {
			continue
		}
		sec := report.Section{Tables: report.Measured(info.Name, rs, nil)}
		if sr, ok := s.(Sectioner); ok {
			m, err := stage.LoadManifest(root, info)
			if err != nil {
				doc.Warnings = append(doc.Warnings, fmt.Sprintf("%s: the manifest could not be read, so no contender plays a part: %s", info.Name, results.Reason(err.Error())))
			}
			sec = sr.Section(rs, m)
		}
		if sec.Title == "" {
			sec.Title = info.Title
		}
		doc.Sections = append(doc.Sections, sec)
		done[info.Name] = true
	}
	for _, name := range order {
		if !done[name] {
			doc.Sections = append(doc.Sections, report.Section{Title: name, Tables: report.Measured(name, byStage[name], nil)})
		}
	}
	return doc
}
