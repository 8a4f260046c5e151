package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tribench/tribench/compare/compose"
	"github.com/tribench/tribench/compare/results"
)

func init() {
	register("report", "re-render the tables and report.md of a results folder or results.jsonl", runReport)
}

func runReport(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("verbose", false, "print every table before the summary screen")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{fmt.Sprintf("report: %v", err)}
	}
	if fs.NArg() != 1 {
		return usageError{"report: give one results folder or results.jsonl"}
	}
	path := fs.Arg(0)
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, results.FileName)
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("report: open results: %w", err)
	}
	root, err := repoRoot()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := compose.WriteReport(stdout, root, filepath.Dir(path), compose.View{Verbose: *verbose}); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := addTrends(ctx, root, filepath.Dir(path)); err != nil {
		return fmt.Errorf("report: trends: %w", err)
	}
	return nil
}
