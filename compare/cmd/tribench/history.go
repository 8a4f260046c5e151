package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tribench/tribench/compare/compose"
	"github.com/tribench/tribench/compare/history"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
)

func init() {
	register("history", "a figure across runs from the run history (results/history.db), by machine; --reindex rebuilds it", runHistory)
}

// historyTimeout bounds the run history's work after a run, which goes on
// after Ctrl-C so an interrupted run is indexed with what finished.
const historyTimeout = 2 * time.Minute

func runHistory(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	only := fs.String("only", "", "contenders whose name matches one of these comma-separated globs, e.g. 'go-*'")
	stageName := fs.String("stage", "", "one stage, e.g. http")
	metric := fs.String("metric", "", "one value, e.g. rps or p99, with a line per run (without it: a line per figure)")
	since := fs.String("since", "", "runs started on or after this date (2006-01-02 or RFC 3339)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table with sparklines")
	reindex := fs.Bool("reindex", false, "rebuild the index from every results folder first")
	folder := fs.String("results", "", "the folder of results folders holding history.db (default results/)")
	if err := parseFlags(fs, stderr, args); err != nil {
		return err
	}
	f := history.Filter{Only: *only, Stage: *stageName, Metric: *metric}
	if err := history.CheckOnly(*only); err != nil {
		return usageError{"history: " + err.Error()}
	}
	if *since != "" {
		t, err := parseDate(*since)
		if err != nil {
			return usageError{fmt.Sprintf("history: --since %q: give 2006-01-02 or an RFC 3339 time", *since)}
		}
		f.Since = t
	}
	if *folder == "" {
		root, err := repoRoot()
		if err != nil {
			return err
		}
		*folder = filepath.Join(root, "results")
	}
	path := filepath.Join(*folder, history.FileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && !*reindex {
		fmt.Fprintf(stderr, "run history: no index at %s yet: building it from the results folders\n", path)
		*reindex = true
	}
	ix, warnings, err := history.Open(ctx, path)
	if err != nil {
		return err
	}
	defer ix.Close()
	if *reindex {
		more, err := ix.Reindex(ctx)
		if err != nil {
			return err
		}
		warnings = append(warnings, more...)
	}
	for _, w := range warnings {
		fmt.Fprintln(stderr, "run history: "+w)
	}
	groups, err := ix.History(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return history.WriteJSON(stdout, groups)
	}
	// Every run of every figure is thousands of lines: a run per line
	// only for one metric.
	return history.WriteText(stdout, groups, *metric != "")
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func (c *commonFlags) checkBaseline(name string) error {
	if c.failOnRegression && c.baseline == "" {
		return usageError{name + ": --fail-on-regression needs --baseline"}
	}
	if err := history.CheckBaseline(c.baseline); err != nil {
		return usageError{name + ": " + err.Error()}
	}
	return nil
}

// afterRun adds the run in dir to the run history (what finished, when it
// was interrupted), compares it with the baseline, and re-writes its report
// with the comparison and the trends of this machine. A history that cannot
// be written is a warning; a baseline that cannot be read, or a regression
// under --fail-on-regression, is an error beside the run's own.
func (c *commonFlags) afterRun(ctx context.Context, stdout, stderr io.Writer, root, dir string, runErr error) error {
	if _, err := os.Stat(filepath.Join(dir, results.FileName)); err != nil {
		return runErr // the run never started
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), historyTimeout)
	defer cancel()
	ix, warnings, err := history.Open(ctx, history.Path(dir))
	if err == nil {
		defer ix.Close()
		var more []string
		more, err = ix.Add(ctx, dir)
		warnings = append(warnings, more...)
	}
	for _, w := range warnings {
		fmt.Fprintln(stderr, "run history: "+w)
	}
	if err != nil {
		fmt.Fprintf(stderr, "run history: the run is not indexed (tribench history --reindex adds it): %v\n", err)
		ix = nil
	}
	var extra []report.Section
	failures := []error{runErr}
	if c.baseline != "" {
		cmp, err := c.compareBaseline(ctx, ix, dir)
		if err != nil {
			failures = append(failures, err)
		} else {
			out := stdout
			if c.json {
				out = stderr // stdout holds JSON lines
			}
			if c.verbose {
				fmt.Fprintln(out)
				failures = append(failures, report.WriteTableText(out, cmp.Table()))
			} else {
				for _, l := range cmp.Lines(10) {
					fmt.Fprintln(out, l)
				}
			}
			extra = append(extra, cmp.Section())
			if c.failOnRegression {
				failures = append(failures, cmp.Regressed())
			}
		}
	}
	if ix != nil {
		if sec, ok, err := ix.Trends(ctx, dir); err != nil {
			fmt.Fprintf(stderr, "run history: no trends in the report: %v\n", err)
		} else if ok {
			extra = append(extra, sec)
		}
	}
	if len(extra) > 0 {
		_, err := compose.Rewrite(root, dir, extra...)
		failures = append(failures, err)
	}
	return errors.Join(failures...)
}

func (c *commonFlags) compareBaseline(ctx context.Context, ix *history.Index, dir string) (history.Comparison, error) {
	b, err := history.FindBaseline(ctx, ix, c.baseline, dir)
	if err != nil {
		return history.Comparison{}, err
	}
	recs, _ := results.Read(filepath.Join(dir, results.FileName)) // FindBaseline read it
	return history.Compare(b, recs), nil
}

// addTrends re-writes the report of dir with its machine's trends when a
// run history beside it holds two runs or more of that machine; without an
// index the report stays as written.
func addTrends(ctx context.Context, root, dir string) error {
	ix, _, err := history.OpenExisting(ctx, history.Path(dir))
	if err != nil || ix == nil {
		return err
	}
	defer ix.Close()
	sec, ok, err := ix.Trends(ctx, dir)
	if err != nil || !ok {
		return err
	}
	_, err = compose.Rewrite(root, dir, sec)
	return err
}
