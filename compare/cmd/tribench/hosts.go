package main

import (
	"context"
	"fmt"
	"io"

	"github.com/tribench/tribench/compare/hosts"
)

func init() {
	register("hosts", "exec: run a process here on a CPU list, under a memory limit (what an ssh: host runs)", runHosts)
}

func runHosts(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		return usageError{"hosts: give exec"}
	}
	switch args[0] {
	case "exec":
		return hosts.Exec(ctx, args[1:], stdout, stderr)
	}
	return usageError{fmt.Sprintf("hosts: unknown verb %q: give exec", args[0])}
}
