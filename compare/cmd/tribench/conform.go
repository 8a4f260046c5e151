package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tribench/tribench/compare/conform"
)

func init() {
	register("conform", "check a user API service against the contract (cases and properties)", runConform)
}

func runConform(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("conform", flag.ContinueOnError)
	url := fs.String("url", "", "base URL of a running service, e.g. http://127.0.0.1:8080")
	asJSON := fs.Bool("json", false, "print one JSON report instead of lines")
	only := fs.String("only", "", "run only checks whose name matches this glob or starts with it")
	casesOnly := fs.Bool("cases-only", false, "skip the property checks")
	if err := parseFlags(fs, stderr, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *url == "" {
		return usageError{"conform: --url is required"}
	}
	opts := conform.Options{BaseURL: *url, Only: *only, SkipProperties: *casesOnly}
	if !*asJSON {
		opts.OnCheck = func(c conform.Check) { fmt.Fprintln(stdout, conform.Line(c)) }
	}
	rep, err := conform.Run(ctx, opts)
	if err != nil {
		return fmt.Errorf("conform: %w", err)
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
