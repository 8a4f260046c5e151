package main

import (
	"context"
	"errors"
	"io"

	"github.com/tribench/tribench/compare/disturb"
)

func init() {
	register("disturb", "print this machine's CPU counters and a server's process-tree CPU time as JSON (a remote server's disturbed-round reading)", runDisturb)
}

func runDisturb(_ context.Context, stdout, stderr io.Writer, args []string) error {
	err := disturb.Main(args, stdout, stderr)
	if errors.Is(err, disturb.ErrUsage) {
		return usageError{err.Error()}
	}
	return err
}
