package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/tribench/tribench/compare/compose"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/history"
	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/toolchain"
)

// commonFlags are the flags every stage command takes, compare included.
type commonFlags struct {
	profile string
	only    string
	json    bool
	results string
	budget  time.Duration
	quiet   bool
	verbose bool
	noWait  bool
	// baseline and failOnRegression compare the run with an earlier one
	// (see history.go).
	baseline         string
	failOnRegression bool
	// serverCPUs is how many CPUs each contender runs on (0: one).
	serverCPUs int
	// hostsFile is --hosts; hosts is the file, read by check.
	hostsFile string
	hosts     *hosts.File
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.profile, "profile", plan.Quick, "run size: "+strings.Join(plan.Names(), ", "))
	fs.StringVar(&c.only, "only", "", "run only contenders whose name matches one of these comma-separated globs, e.g. 'go-*' or 'go-current,python-3.13'")
	fs.BoolVar(&c.json, "json", false, "print the records as JSON lines on stdout instead of tables")
	fs.StringVar(&c.results, "results", "", "results folder (default results/<timestamp>)")
	fs.DurationVar(&c.budget, "budget", 0, "replace each stage's time budget (default: the profile's, see tribench plan)")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress on stderr (a bar on a terminal, a line per step otherwise)")
	fs.BoolVar(&c.verbose, "verbose", false, "print every table before the summary screen (report.md has them all)")
	fs.IntVar(&c.serverCPUs, "server-cpus", 0, "run each contender on this many CPUs (its workers and threads follow, as its manifest says), the harness on the others (default 1)")
	fs.StringVar(&c.hostsFile, "hosts", "", "a hosts file placing the http stage's server and its loaders (local, netns:NAME, ssh:user@host), e.g. compare/hosts/examples/namespaces.json; default: all on this machine")
	fs.BoolVar(&c.noWait, "no-wait", false, "refuse to start while another tribench run measures on this machine, instead of waiting for it")
	fs.StringVar(&c.baseline, "baseline", "", "after the run, compare every figure with this results folder's, or 'last': the newest earlier run of this machine and profile in the run history")
	fs.BoolVar(&c.failOnRegression, "fail-on-regression", false, "exit 1 when a figure got significantly worse than the --baseline's (for CI)")
}

func (c *commonFlags) check(name string) error {
	if !plan.Known(c.profile) {
		return usageError{fmt.Sprintf("%s: unknown profile %q (%s)", name, c.profile, strings.Join(plan.Names(), ", "))}
	}
	if c.only != "" {
		if _, err := filepath.Match(strings.ReplaceAll(c.only, ",", ""), ""); err != nil {
			return usageError{fmt.Sprintf("%s: --only %q: %v", name, c.only, err)}
		}
	}
	if c.hostsFile != "" {
		f, err := hosts.Load(c.hostsFile)
		if err != nil {
			return usageError{fmt.Sprintf("%s: --hosts: %v", name, err)}
		}
		c.hosts = &f
	}
	if c.serverCPUs != 0 && (c.hosts == nil || c.hosts.Server.CPUs == "") {
		if _, _, _, err := stage.SplitCPUs(runtime.NumCPU(), c.serverCPUs); err != nil {
			return usageError{fmt.Sprintf("%s: %v", name, err)}
		}
	}
	if c.budget < 0 {
		return usageError{fmt.Sprintf("%s: --budget must not be negative", name)}
	}
	return c.checkBaseline(name)
}

// execute runs stages with the common flags: results under results/<timestamp>
// unless told otherwise, the environment probed for the header; then the run
// joins the run history and is compared with --baseline (history.go).
func (c *commonFlags) execute(ctx context.Context, stdout, stderr io.Writer, command []string, stages []stage.Stage, view compose.View) error {
	view.Verbose = c.verbose
	root, err := repoRoot()
	if err != nil {
		return err
	}
	dir := c.results
	if dir == "" {
		dir = filepath.Join(root, "results", time.Now().UTC().Format("20060102T150405Z"))
	}
	lock, err := acquireLock(ctx, toolchain.Cache(), command, c.noWait, stderr)
	if err != nil {
		return err
	}
	defer lock.Release()
	env := toolchain.Probe(ctx, root)
	var project *results.Project
	if p := history.Project(ctx, root); p != (results.Project{}) {
		project = &p
	}
	err = compose.Execute(ctx, stage.Options{
		Root: root, Cache: toolchain.Cache(), Profile: c.profile, Stages: stages, Only: c.only, Budget: c.budget,
		ResultsDir: dir, JSON: c.json, Stdout: stdout, Progress: newProgress(stderr, c.quiet), Exec: runner.OS{},
		Meter: disturb.System{}, Command: command, Env: env.Summary(), Project: project, System: systemCheck(ctx, stderr),
		ServerCPUs: c.serverCPUs, Hosts: c.hosts,
	}, view)
	return c.afterRun(ctx, stdout, stderr, root, dir, err)
}

// systemCheck runs the system check before the stages, prints its warnings
// (or that the system is quiet) on stderr, and returns them to be recorded.
func systemCheck(ctx context.Context, stderr io.Writer) []string {
	var warnings []string
	for _, f := range toolchain.Check(ctx, checkSample) {
		if f.Warning {
			warnings = append(warnings, f.Name+": "+f.Detail)
			fmt.Fprintf(stderr, "system check: %s: %s\n", f.Name, f.Detail)
		}
	}
	if len(warnings) == 0 {
		fmt.Fprintln(stderr, "system check: quiet")
	}
	return warnings
}
