package hosts

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/tribench/tribench/compare/runner"
)

// ExecCommand is the tribench subcommand that runs a process on the host
// it is started on with a spec's settings: `tribench hosts exec`.
var ExecCommand = []string{"hosts", "exec"}

// Place is spec made to run on h. On this machine and in a namespace it is
// spec wrapped by Wrap: the runner applies its CPU set (taskset) and memory
// limit (a cgroup) as ever, and a namespace's processes are this machine's.
// On an ssh: host the runner would pin and limit the local ssh client, not
// the process, and the far side would not get its working folder or
// environment: there the tribench executable (at the same path: a remote
// host holds the work tree where this one is) runs it with `hosts exec`,
// which applies them as the runner does, and the client runs unpinned.
func (h *Host) Place(spec runner.Spec) (runner.Spec, error) {
	if h.ssh == nil {
		spec.Argv = h.Wrap(spec.Argv)
		return spec, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return runner.Spec{}, fmt.Errorf("host %s: the tribench executable: %w", h.Spec.Host, err)
	}
	argv := append([]string{exe}, ExecCommand...)
	if len(spec.CPUs) > 0 {
		list := make([]string, len(spec.CPUs))
		for i, c := range spec.CPUs {
			list[i] = strconv.Itoa(c)
		}
		argv = append(argv, "--cpus", strings.Join(list, ","))
	}
	if spec.MemoryLimit > 0 {
		argv = append(argv, "--memory", strconv.FormatInt(spec.MemoryLimit, 10))
	}
	if spec.Dir != "" {
		argv = append(argv, "--dir", spec.Dir)
	}
	for _, e := range spec.Env {
		argv = append(argv, "--env", e)
	}
	spec.Argv = h.Wrap(append(append(argv, "--"), spec.Argv...))
	spec.CPUs, spec.MemoryLimit, spec.Env = nil, 0, nil
	return spec, nil
}

// Exec is `tribench hosts exec [--cpus LIST] [--memory BYTES] [--dir DIR]
// [--env K=V]... -- ARGV...`: ARGV run here as compare/runner runs a
// contender (on the CPU list by taskset, its tree under the memory limit in
// a v1 cgroup or else the RSS watchdog, in its own process group), its
// output passed through, stopped (SIGTERM, then SIGKILL) when ctx ends. It
// fails unless the process exits 0 by itself.
func Exec(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("hosts exec", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cpus := fs.String("cpus", "", "the CPU list to run on, e.g. 0 or 2-5; every CPU when empty")
	memory := fs.Int64("memory", 0, "the memory limit of the process tree in bytes; 0 is none")
	dir := fs.String("dir", "", "the working folder; this one when empty")
	var env []string
	fs.Func("env", "KEY=VALUE added to the environment (repeatable)", func(v string) error {
		if !strings.Contains(v, "=") {
			return fmt.Errorf("%q is not KEY=VALUE", v)
		}
		env = append(env, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("hosts exec: give the command after --")
	}
	list, err := ParseCPUs(*cpus)
	if err != nil {
		return fmt.Errorf("hosts exec: %w", err)
	}
	if *memory < 0 {
		return fmt.Errorf("hosts exec: memory limit %d is negative", *memory)
	}
	p, err := runner.OS{}.Start(ctx, runner.Spec{Argv: fs.Args(), Dir: *dir, Env: env, CPUs: list,
		MemoryLimit: *memory, Stdout: stdout, Stderr: stderr})
	if err != nil {
		return fmt.Errorf("hosts exec: %w", err)
	}
	r := p.Wait()
	if r.Outcome != runner.OutcomeOK {
		return fmt.Errorf("hosts exec: %s: %s (exit code %d)", fs.Arg(0), r.Outcome, r.ExitCode)
	}
	return nil
}
