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
// and charts for the formats that draw them. Every registered stage is one;
// a stage that is not gets the generic table.
// The stage's manifest, as the repository holds it now, says who plays which
// part (the baseline of its "times faster" tables).
type Sectioner interface {
	Section(recs []results.Record, m manifest.File) report.Section
}

// Execute runs the stages as stage.Execute does, the article's claims
// deciding which jobs run first and judged at the end, then writes the
// report of what the results file holds: also after Ctrl-C, and also when a
// stage failed.
func Execute(ctx context.Context, o stage.Options) error {
	if cf, err := claims.Load(); err == nil {
		if o.ClaimReads == nil {
			o.ClaimReads = article.Reads(cf)
		}
		if o.Verdicts == nil {
			o.Verdicts = func(recs []results.Record) []results.Record { return article.Verdicts(recs, cf) }
		}
	}
	err := stage.Execute(ctx, o)
	if rerr := WriteReport(o.Stdout, o.Root, o.ResultsDir, o.JSON); rerr != nil && !errors.Is(err, stage.ErrInterrupted) {
		err = errors.Join(err, rerr)
	}
	return err
}

// WriteReport rebuilds the report from dir's results.jsonl: report.md and
// report.html beside it, and the tables on stdout unless quiet; root is the
// repository whose manifests the sections read. Without the chart library
// report.html is written all the same, and the warnings say why it has no
// charts.
func WriteReport(stdout io.Writer, root, dir string, quiet bool) error {
	doc, err := Rewrite(root, dir)
	if err != nil || quiet || doc == nil {
		return err
	}
	if err := (report.Text{}).Export(stdout, *doc); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\nresults: %s (results.jsonl, report.md, report.html)\n", dir)
	return err
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
