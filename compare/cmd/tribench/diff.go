package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/tribench/tribench/compare/article"
	"github.com/tribench/tribench/compare/claims"
	"github.com/tribench/tribench/compare/diff"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
)

func init() {
	register("diff", "what changed between two results folders, in benchstat's style (~ where nothing did)", runDiff)
}

func runDiff(_ context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	alpha := fs.Float64("alpha", diff.DefaultAlpha, "family-wise significance level (divided by the number of quantities compared)")
	minEffect := fs.Float64("min-effect", diff.DefaultMinEffect, "smallest relative change reported, e.g. 0.05 for 5%")
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{fmt.Sprintf("diff: %v", err)}
	}
	if fs.NArg() != 2 {
		return usageError{"diff: give two results folders (or results.jsonl files): OLD NEW"}
	}
	var runs [2][]results.Record
	for i, path := range fs.Args() {
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			path = filepath.Join(path, results.FileName)
		}
		recs, err := results.Read(path)
		if len(recs) == 0 {
			return usageError{fmt.Sprintf("diff: %s is not a results folder: %v", fs.Arg(i), err)}
		}
		runs[i] = recs
	}
	res := diff.Compare(runs[0], runs[1], diff.Options{Alpha: *alpha, MinEffect: *minEffect})
	if err := report.WriteTableText(stdout, res.Table()); err != nil {
		return err
	}
	// A folder written before verdicts were records is judged here, by the
	// same rules.
	if cf, err := claims.Load(); err == nil {
		for i, recs := range runs {
			if !slices.ContainsFunc(recs, func(r results.Record) bool { return r.Kind == results.KindVerdict }) {
				runs[i] = append(recs, article.Verdicts(recs, cf)...)
			}
		}
	}
	fmt.Fprintln(stdout)
	return report.WriteTableText(stdout, diff.VerdictTable(diff.Verdicts(runs[0], runs[1])))
}
