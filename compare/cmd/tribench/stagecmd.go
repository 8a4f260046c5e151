package main

import (
	"context"
	"flag"
	"io"

	"github.com/tribench/tribench/compare/compose"
	"github.com/tribench/tribench/compare/stage"
)

// runStage is the subcommand of one stage: `tribench <stage> [flags]`, with
// the common flags and the stage's own.
func runStage(ctx context.Context, s stage.Stage, stdout, stderr io.Writer, args []string) error {
	name := s.Info().Name
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var common commonFlags
	common.register(fs)
	s.Flags(fs)
	if err := parseFlags(fs, stderr, args); err != nil {
		return err
	}
	if err := common.check(name); err != nil {
		return err
	}
	return common.execute(ctx, stdout, stderr, append([]string{"tribench", name}, args...), []stage.Stage{s}, compose.View{Stages: []string{name}})
}
