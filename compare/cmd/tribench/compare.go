package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tribench/tribench/compare/compose"
	"github.com/tribench/tribench/compare/stage"
)

func init() {
	register("compare", "run every stage (or those of --workloads) and write results/<timestamp>/", runCompare)
}

func runCompare(ctx context.Context, stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	var common commonFlags
	common.register(fs)
	workloads := fs.String("workloads", "", "comma-separated workload folders to run (default: all), e.g. services,imageproc")
	if err := parseFlags(fs, stderr, args); err != nil {
		return err
	}
	if err := common.check("compare"); err != nil {
		return err
	}
	stages, err := selectStages(*workloads)
	if err != nil {
		return err
	}
	return common.execute(ctx, stdout, stderr, append([]string{"tribench", "compare"}, args...), stages, compose.View{})
}

// selectStages returns the registered stages of the listed workloads, in stage order.
func selectStages(list string) ([]stage.Stage, error) {
	all := stage.All()
	if list == "" {
		return all, nil
	}
	var known []string
	for _, s := range all {
		if !slices.Contains(known, s.Info().Workload) {
			known = append(known, s.Info().Workload)
		}
	}
	want := strings.Split(list, ",")
	for _, w := range want {
		if !slices.Contains(known, w) {
			return nil, usageError{fmt.Sprintf("compare: unknown workload %q (%s)", w, strings.Join(known, ", "))}
		}
	}
	var out []stage.Stage
	for _, s := range all {
		if slices.Contains(want, s.Info().Workload) {
			out = append(out, s)
		}
	}
	return out, nil
}
