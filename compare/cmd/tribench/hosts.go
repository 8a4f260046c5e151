package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/tribench/tribench/compare/hosts"
)

func init() {
	register("hosts", "setup FILE: copy the work tree to a hosts file's ssh: hosts and run make setup there; exec: run a process on a CPU list (what an ssh: host runs)", runHosts)
}

func runHosts(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		return usageError{"hosts: give setup FILE or exec"}
	}
	switch args[0] {
	case "exec":
		return hosts.Exec(ctx, args[1:], stdout, stderr)
	case "setup":
		return hostsSetup(ctx, stdout, stderr, args[1:])
	}
	return usageError{fmt.Sprintf("hosts: unknown verb %q: give setup FILE or exec", args[0])}
}

// hostsSetup is `tribench hosts setup [--dir DIR] FILE`.
func hostsSetup(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("hosts setup", flag.ContinueOnError)
	dir := fs.String("dir", "", "the absolute folder the work tree goes to on each ssh: host; default: its path here, where runs through --hosts expect it")
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{fmt.Sprintf("hosts setup: %v", err)}
	}
	if fs.NArg() != 1 {
		return usageError{"hosts setup: give one hosts file"}
	}
	f, err := hosts.Load(fs.Arg(0))
	if err != nil {
		return err
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	return hosts.Setup(ctx, f, root, *dir, stdout)
}
