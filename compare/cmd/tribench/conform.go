package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tribench/tribench/compare/conform"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/stages/userapi"
	"github.com/tribench/tribench/compare/toolchain"
)

func init() {
	register("conform", "check a user API service against the contract (cases and properties)", runConform)
}

func runConform(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	url := fs.String("url", "", "base URL of a running service, e.g. http://127.0.0.1:8080")
	contender := fs.String("contender", "", "build, start, check and stop this declared contender instead of --url")
	asJSON := fs.Bool("json", false, "print one JSON report instead of lines")
	only := fs.String("only", "", "run only checks whose name matches this glob or starts with it")
	casesOnly := fs.Bool("cases-only", false, "skip the property checks")
	if err := parseFlags(fs, stderr, args); err != nil {
		return err
	}
	if (*url == "") == (*contender == "") {
		return usageError{"conform: give exactly one of --url and --contender"}
	}
	onCheck := func(c conform.Check) { fmt.Fprintln(stdout, conform.Line(c)) }
	if *asJSON {
		onCheck = nil
	}
	var rep conform.Report
	if *contender != "" {
		if *only != "" || *casesOnly {
			return usageError{"conform: --only and --cases-only go with --url"}
		}
		r, err := conformContender(ctx, stderr, *contender, onCheck)
		if err != nil {
			return err
		}
		rep = r
	} else {
		r, err := conform.Run(ctx, conform.Options{BaseURL: *url, Only: *only, SkipProperties: *casesOnly, OnCheck: onCheck})
		if err != nil {
			return fmt.Errorf("conform: %w", err)
		}
		rep = r
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("conform: write JSON: %w", err)
		}
	} else {
		fmt.Fprintln(stdout, conform.Summary(rep))
	}
	if !rep.OK() {
		return fmt.Errorf("conform: %d of %d checks failed against %s", rep.Failed, rep.Failed+rep.Passed, rep.URL)
	}
	return nil
}

// conformContender builds, starts, checks and stops a declared services contender.
func conformContender(ctx context.Context, stderr io.Writer, name string, onCheck func(conform.Check)) (conform.Report, error) {
	root, err := repoRoot()
	if err != nil {
		return conform.Report{}, err
	}
	run, cs, err := stage.Standalone(stage.Options{Root: root, Cache: toolchain.Cache(), Profile: plan.Quick,
		Exec: runner.OS{}, Progress: newProgress(stderr, false)}, &userapi.Stage{})
	if err != nil {
		return conform.Report{}, fmt.Errorf("conform: %w", err)
	}
	var names []string
	for _, c := range cs {
		if c.Name() != name {
			names = append(names, c.Name())
			continue
		}
		if status, reason := c.Ready(ctx, run); status != results.StatusOK {
			return conform.Report{}, fmt.Errorf("conform: %s %s: %s", name, status, reason)
		}
		rec, rep := userapi.Conform(ctx, run, c, onCheck)
		if rec.Status != results.StatusOK {
			return conform.Report{}, fmt.Errorf("conform: %s %s: %s", name, rec.Status, rec.Reason)
		}
		return rep, nil
	}
	return conform.Report{}, usageError{fmt.Sprintf("conform: no services contender %q (declared: %s)", name, strings.Join(names, ", "))}
}
