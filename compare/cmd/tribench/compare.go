package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/suite"
	"github.com/tribench/tribench/compare/toolchain"
)

func init() {
	register("compare", "build, verify and compare every declared contender; write results/<timestamp>/", runCompare)
}

// profiles are the run sizes; the checks are the same in each.
var profiles = map[string]string{
	"smoke": "seconds; used by the tests",
	"quick": "the default, under 15 minutes on 2 cores",
	"full":  "the article's sizes",
}

func runCompare(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	profile := fs.String("profile", "quick", "run size: smoke, quick or full")
	only := fs.String("only", "", "run only contenders whose name matches this glob")
	out := fs.String("results", "", "results folder (default results/<timestamp>)")
	if err := parseFlags(fs, stderr, args); err != nil {
		return err
	}
	if _, ok := profiles[*profile]; !ok {
		return usageError{fmt.Sprintf("compare: unknown profile %q (smoke, quick, full)", *profile)}
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	files, err := manifest.Discover(root)
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(root, "results", time.Now().UTC().Format("20060102T150405Z"))
	}
	w, err := results.Create(dir)
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	defer w.Close()

	env := toolchain.Probe(ctx, root)
	s := &suite.Suite{Root: root, Cache: toolchain.Cache(), Exec: runner.OS{}, Progress: progressWriter(stderr)}
	if err := w.Add(results.Record{Kind: results.KindRun, Command: append([]string{"tribench", "compare"}, args...),
		Profile: *profile, Env: envSummary(env), CPUs: cpuSetNote()}); err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	for _, f := range files {
		if f.Workload != "services" {
			continue
		}
		for _, c := range f.Contenders {
			if *only != "" && !matchName(*only, c.Name) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("compare: interrupted: %w", err)
			}
			if err := w.Add(s.Conform(ctx, f, c, nil)); err != nil {
				return fmt.Errorf("compare: %w", err)
			}
		}
	}
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	return writeReport(stdout, dir, recs)
}

// writeReport prints the tables and writes report.md beside the results.
func writeReport(stdout io.Writer, dir string, recs []results.Record) error {
	head := report.BuildHeader(recs)
	tbl := report.BuildConformance(recs)
	fmt.Fprintln(stdout, "User API conformance (services/CONTRACT.md)")
	if err := report.WriteConformanceText(stdout, tbl); err != nil {
		return err
	}
	md, err := os.Create(filepath.Join(dir, "report.md"))
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer md.Close()
	if err := report.WriteHeaderMarkdown(md, head); err != nil {
		return err
	}
	fmt.Fprintln(md, "## User API conformance")
	fmt.Fprintln(md)
	if err := report.WriteConformanceMarkdown(md, tbl); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nresults: %s (results.jsonl, report.md)\n", dir)
	return md.Close()
}

func envSummary(env toolchain.Env) map[string]string {
	m := map[string]string{"cpu": fmt.Sprintf("%s x %d", env.CPUModel, env.CPUs), "kernel": env.Kernel}
	for _, r := range env.Runtimes {
		if r.Missing != "" {
			m[r.Name] = "missing: " + r.Missing
		} else {
			m[r.Name] = r.Version
		}
	}
	for k, v := range env.Libraries {
		m[k] = v
	}
	return m
}

func cpuSetNote() string {
	cpus := suite.DefaultCPUs()
	if len(cpus) == 0 {
		return "server and harness share all CPUs"
	}
	return fmt.Sprintf("server on CPU %d, harness on the others", cpus[0])
}

// progressWriter returns w when it is a terminal and nil (quiet) otherwise.
func progressWriter(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}

func matchName(pattern, name string) bool {
	ok, err := filepath.Match(pattern, name)
	return err == nil && ok
}
