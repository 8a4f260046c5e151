package stage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// Defaults of contender runs.
const (
	DefaultBuildTimeout = 15 * time.Minute
	// DefaultMemoryLimit caps every contender's process tree (a cgroup limit
	// where the harness can make one): generous, so that only a runaway hits it.
	DefaultMemoryLimit = 8 << 30
	// DefaultTimeLimit bounds one run of a contender command.
	DefaultTimeLimit = 10 * time.Minute
)

// A Contender is a manifest declaration resolved once for a stage: its global
// placeholders expanded, its CPU set chosen, its version read. Specs for its
// commands are made from it, never from the manifest again.
type Contender struct {
	// Decl is the declaration as written.
	Decl manifest.Contender
	// Workload is the folder that declares it.
	Workload string
	// CPUs is the CPU set its runs get unless a run asks for another.
	CPUs []int
	// Version is the first line its version command printed.
	Version string
	// Settings are its settings with placeholders expanded.
	Settings map[string]string

	root string
	vars manifest.Vars
}

// Name is the contender's name.
func (c *Contender) Name() string { return c.Decl.Name }

// Calibration reports whether the contender is a calibration entry.
func (c *Contender) Calibration() bool { return c.Decl.Kind == manifest.Calibration }

// Resolve expands a declaration's global placeholders for a run whose build
// outputs go to bin and whose contenders run on cpus.
func Resolve(decl manifest.Contender, workload, root, cache, bin string, cpus []int) *Contender {
	v := manifest.Vars{"repo": root, "cache": cache, "bin": bin, "cpus": strconv.Itoa(len(cpus))}
	return &Contender{Decl: decl, Workload: workload, CPUs: cpus, Settings: v.ExpandMap(decl.Settings), root: root, vars: v}
}

// Info is the contender as a results record names it.
func (c *Contender) Info() *results.Contender {
	return &results.Contender{Name: c.Decl.Name, Language: c.Decl.Language, Kind: c.Decl.Kind, Label: c.Decl.Label,
		Toolchain: c.Decl.Toolchain, Version: c.Version, Note: c.Decl.Note, Fallback: c.Decl.Fallback,
		Settings: c.Settings, CPUs: cpuString(c.CPUs)}
}

// Unavailable says why the contender cannot run here ("" when it can): a file
// it requires is missing because setup could not provision its toolchain.
func (c *Contender) Unavailable() string {
	if missing := c.Decl.Missing(c.vars); missing != "" {
		return "missing " + missing + " (make setup could not provision it; see its output)"
	}
	return ""
}

// Build runs the contender's build commands from the repository root.
func (c *Contender) Build(ctx context.Context, exec runner.Executor) error {
	for _, argv := range c.Decl.Build {
		p, err := exec.Start(ctx, runner.Spec{Argv: c.vars.ExpandAll(argv), Dir: c.root, Env: c.vars.Environ(c.Decl.BuildEnv), TimeLimit: DefaultBuildTimeout})
		if err != nil {
			return fmt.Errorf("build %s: %w", c.Name(), err)
		}
		if r := p.Wait(); r.Outcome != runner.OutcomeOK {
			return fmt.Errorf("build %s: `%s` ended %s (exit %d): %s", c.Name(), strings.Join(argv, " "), r.Outcome, r.ExitCode, lastLines(r.Stderr, 3))
		}
	}
	return nil
}

// ReadVersion runs the version command and keeps the first line it printed;
// a failure is returned for the report's warnings, the run goes on.
func (c *Contender) ReadVersion(ctx context.Context, exec runner.Executor) error {
	if len(c.Decl.Version) == 0 {
		return nil
	}
	p, err := exec.Start(ctx, runner.Spec{Argv: c.vars.ExpandAll(c.Decl.Version), Dir: c.root, Env: c.vars.Environ(c.Decl.BuildEnv), TimeLimit: time.Minute})
	if err != nil {
		return fmt.Errorf("%s: version: %w", c.Name(), err)
	}
	r := p.Wait()
	for _, l := range strings.Split(string(r.Stdout)+"\n"+string(r.Stderr), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "go: downloading") {
			c.Version = l
			return nil
		}
	}
	return fmt.Errorf("%s: version command `%s` printed nothing (%s)", c.Name(), strings.Join(c.Decl.Version, " "), r.Outcome)
}

// BuildEnviron is the contender's build environment (GOTOOLCHAIN, ...) as
// KEY=VALUE pairs.
func (c *Contender) BuildEnviron() []string { return c.vars.Environ(c.Decl.BuildEnv) }

// A RunOptions says how one run of a command is made.
type RunOptions struct {
	// Vars fill the command's own placeholders.
	Vars manifest.Vars
	// CPUs overrides the contender's CPU set for this run.
	CPUs []int
	// MemoryLimit and TimeLimit override the defaults; negative means none.
	MemoryLimit int64
	TimeLimit   time.Duration
	// Dir replaces the repository root as the working directory.
	Dir string
	// Env adds KEY=VALUE pairs after the contender's own environment.
	Env []string
}

// Spec makes the process spec of one run of command: its argv with every
// placeholder filled, the contender's environment, CPU set and limits. An
// unfilled placeholder is an error (the stage forgot a value).
func (c *Contender) Spec(command string, o RunOptions) (runner.Spec, manifest.Command, error) {
	cmd, ok := c.Decl.Commands[command]
	if !ok {
		return runner.Spec{}, cmd, fmt.Errorf("%s does not answer %q", c.Name(), command)
	}
	cpus := c.CPUs
	if o.CPUs != nil {
		cpus = o.CPUs
	}
	v := c.vars.With(manifest.Vars{"cpus": strconv.Itoa(len(cpus))}).With(o.Vars)
	argv := v.ExpandAll(cmd.Argv)
	for _, a := range argv {
		if left := manifest.Unfilled(a); len(left) > 0 {
			return runner.Spec{}, cmd, fmt.Errorf("%s %s: placeholder {{%s}} has no value", c.Name(), command, left[0])
		}
	}
	spec := runner.Spec{Argv: argv, Dir: c.root, Env: append(v.Environ(c.Decl.Env), o.Env...), CPUs: cpus,
		MemoryLimit: DefaultMemoryLimit, TimeLimit: DefaultTimeLimit}
	if o.Dir != "" {
		spec.Dir = o.Dir
	}
	switch {
	case o.MemoryLimit > 0:
		spec.MemoryLimit = o.MemoryLimit
	case o.MemoryLimit < 0:
		spec.MemoryLimit = 0
	}
	switch {
	case o.TimeLimit > 0:
		spec.TimeLimit = o.TimeLimit
	case o.TimeLimit < 0:
		spec.TimeLimit = 0
	}
	return spec, cmd, nil
}

func cpuString(cpus []int) string {
	if len(cpus) == 0 {
		return "all"
	}
	parts := make([]string, len(cpus))
	for i, c := range cpus {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
