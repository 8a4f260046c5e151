package main

import (
	"context"
	"errors"
	"io"

	"github.com/tribench/tribench/compare/load"
)

func init() {
	register("load", "load any http:// URL (closed or open model) and print req/s, latency percentiles and errors", runLoad)
}

func runLoad(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	err := load.Main(ctx, args, stdout, stderr)
	var u *load.UsageError
	if errors.As(err, &u) {
		return usageError{u.Msg}
	}
	return err
}
