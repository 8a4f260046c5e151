package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/tribench/tribench/compare/toolchain"
)

func init() {
	register("env", "print the CPU, kernel, runtime and library versions a report quotes; --check: what would disturb a run now", runEnv)
}

// checkSample is how long the system check watches the processes and steal.
const checkSample = time.Second

func runEnv(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("env", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	check := fs.Bool("check", false, "check what would disturb a run now (busy processes, steal, load, CPU governor and turbo, huge pages, ASLR): one OK or WARNING line each")
	if err := parseFlags(fs, stderr, args); err != nil {
		return err
	}
	if *check {
		findings := toolchain.Check(ctx, checkSample)
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(findings)
		}
		for _, f := range findings {
			fmt.Fprintln(stdout, f)
		}
		return nil
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	env := toolchain.Probe(ctx, root)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(env)
	}
	return writeEnv(stdout, env)
}

func writeEnv(w io.Writer, env toolchain.Env) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "CPU\t%s x %d\n", env.CPUModel, env.CPUs)
	fmt.Fprintf(tw, "kernel\t%s\n", env.Kernel)
	fmt.Fprintf(tw, "memory\t%s\n", env.MemoryString())
	for _, r := range env.Runtimes {
		switch {
		case r.Missing != "":
			fmt.Fprintf(tw, "%s\tMISSING: %s\n", r.Name, r.Missing)
		case r.Detail != "":
			fmt.Fprintf(tw, "%s\t%s (%s)\n", r.Name, r.Version, r.Detail)
		default:
			fmt.Fprintf(tw, "%s\t%s\n", r.Name, r.Version)
		}
	}
	keys := make([]string, 0, len(env.Libraries))
	for k := range env.Libraries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\n", k, env.Libraries[k])
	}
	return tw.Flush()
}
