// Command probe is tribench's Go contender of the runtime probes:
//
//	probe probe --count N --shape structs|pointers --method inside|outside
//	probe cpu --tasks T --n N --workers W [--repeat R]
//	probe tasks --count K
//
// Each prints one JSON line on stdout (outside: the ready marker first, then
// the line once stdin closes). A bad argument is one line on stderr and exit
// 2; a failure to run, one line and exit 1.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tribench/tribench/memprobe"
)

const usage = "usage: probe probe|cpu|tasks [flags] (see memprobe/README.md)"

// errUsage marks a bad command line, which exits 2 rather than 1.
var errUsage = errors.New("bad usage")

func main() {
	err := run(os.Args[1:], os.Stdin, os.Stdout)
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, err)
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	os.Exit(1)
}

// usageError is a command-line mistake, reported as "probe CMD: reason".
type usageError struct {
	cmd string
	err error
}

func (e usageError) Error() string {
	if e.cmd == "" {
		return fmt.Sprintf("probe: %v", e.err)
	}
	return fmt.Sprintf("probe %s: %v", e.cmd, e.err)
}

func (e usageError) Is(target error) bool { return target == errUsage }

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{"", errors.New("no command; " + usage)}
	}
	var (
		result any
		err    error
	)
	cmd := args[0]
	switch cmd {
	case "probe":
		result, err = probe(args[1:], stdin, stdout)
	case "cpu":
		result, err = cpu(args[1:])
	case "tasks":
		result, err = tasks(args[1:])
	default:
		return usageError{"", fmt.Errorf("unknown command %q; %s", cmd, usage)}
	}
	if err != nil {
		if errors.Is(err, errUsage) {
			return err
		}
		return fmt.Errorf("probe %s: %w", cmd, err)
	}
	if err := json.NewEncoder(stdout).Encode(result); err != nil {
		return fmt.Errorf("probe %s: write result: %w", cmd, err)
	}
	return nil
}

// parse parses a subcommand's flags quietly (the flag package would print its
// whole usage text), refuses stray arguments and insists on the required flags.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return usageError{fs.Name(), err}
	}
	if fs.NArg() > 0 {
		return usageError{fs.Name(), fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, name := range required {
		if !given[name] {
			return usageError{fs.Name(), fmt.Errorf("--%s is required", name)}
		}
	}
	return nil
}

func probe(args []string, stdin io.Reader, stdout io.Writer) (any, error) {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	count := fs.Int("count", 0, "how many users to build (required)")
	shapeName := fs.String("shape", "", "structs or pointers (required)")
	method := fs.String("method", "inside", "inside (MemStats) or outside (ready marker for an RSS reading)")
	if err := parse(fs, args, "count", "shape"); err != nil {
		return nil, err
	}
	if err := memprobe.CheckCount(*count); err != nil {
		return nil, usageError{"probe", err}
	}
	shape, err := memprobe.ParseShape(*shapeName)
	if err != nil {
		return nil, usageError{"probe", err}
	}
	switch *method {
	case "inside":
		return memprobe.MeasureInside(shape, *count)
	case "outside":
		return memprobe.HoldOutside(shape, *count, stdin, stdout)
	}
	return nil, usageError{"probe", fmt.Errorf("unknown method %q (known: inside, outside)", *method)}
}

func cpu(args []string) (any, error) {
	fs := flag.NewFlagSet("cpu", flag.ContinueOnError)
	tasks := fs.Int("tasks", 0, "how many sums of squares (required)")
	n := fs.Uint64("n", 0, "each task sums i*i for i < n")
	workers := fs.Int("workers", 0, "goroutines in the pool (required)")
	repeat := fs.Int("repeat", 1, "repetitions in this process, each timed")
	if err := parse(fs, args, "tasks", "n", "workers"); err != nil {
		return nil, err
	}
	res, err := memprobe.MeasureCPU(*tasks, *n, *workers, *repeat)
	if err != nil {
		// MeasureCPU fails only on arguments out of range.
		return nil, usageError{"cpu", err}
	}
	return res, nil
}

func tasks(args []string) (any, error) {
	fs := flag.NewFlagSet("tasks", flag.ContinueOnError)
	count := fs.Int("count", 0, "how many concurrent one-second tasks (required)")
	if err := parse(fs, args, "count"); err != nil {
		return nil, err
	}
	if err := memprobe.CheckTasks(*count); err != nil {
		return nil, usageError{"tasks", err}
	}
	return memprobe.MeasureTasks(*count)
}
