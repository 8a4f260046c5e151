package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tribench/tribench/compare/stage"
)

// A usageError is a mistake in the command line; main exits 2 for it.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// A subcommand is one verb of the CLI, in a file of its own.
type subcommand struct {
	summary string
	run     func(ctx context.Context, stdout, stderr io.Writer, args []string) error
}

var subcommands = map[string]subcommand{}

func register(name, summary string, run func(ctx context.Context, stdout, stderr io.Writer, args []string) error) {
	subcommands[name] = subcommand{summary: summary, run: run}
}

func run(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return usageError{"no subcommand given"}
		}
		return nil
	}
	var err error
	if sub, ok := subcommands[args[0]]; ok {
		err = sub.run(ctx, stdout, stderr, args[1:])
	} else if s, ok := stage.Lookup(args[0]); ok {
		err = runStage(ctx, s, stdout, stderr, args[1:])
	} else {
		usage(stderr)
		return usageError{fmt.Sprintf("unknown subcommand %q", args[0])}
	}
	if errors.Is(err, flag.ErrHelp) { // -h printed the flags; that is success
		return nil
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: tribench <subcommand> [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintln(w, "\nStages (each runs alone with the flags of compare):")
	for _, s := range stage.All() {
		fmt.Fprintf(w, "  %-10s %s\n", s.Info().Name, s.Info().Summary)
	}
	fmt.Fprintln(w, "\nRun 'tribench <subcommand> -h' for its flags.")
}

// parseFlags parses a subcommand's flags, turning mistakes into usage errors;
// -h returns flag.ErrHelp, which run treats as success.
func parseFlags(fs *flag.FlagSet, stderr io.Writer, args []string) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected arguments: %s", fs.Name(), strings.Join(fs.Args(), " "))}
	}
	return nil
}
