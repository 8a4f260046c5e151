package probecheck

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Sizes of the integration run: small enough that every contender finishes
// in seconds, large enough to mean something.
const (
	probeCount = 1000
	// 8 tasks of n = 2,000,000: the total (2.1e19) passes 2^64, so every
	// language's reduction modulo 2^64 is exercised.
	cpuTasks   = 8
	cpuN       = 2_000_000
	cpuWorkers = 2
	taskCount  = 50
	runTimeout = 2 * time.Minute
)

// TestContenders starts every contender of memprobe/contenders.json: all
// probe checksums at N = 1,000 equal the Go reference's, every CPU total the
// exact one, every task completes, and bad counts, shapes and methods are
// refused with one line and a non-zero exit.
func TestContenders(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: this test starts every memprobe contender")
	}
	repo := repoRoot(t)
	cache := os.Getenv("TRIBENCH_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		require.NoError(t, err)
		cache = filepath.Join(home, ".cache", "tribench")
	}
	strict := os.Getenv("TRIBENCH_REQUIRE_CONTENDERS") == "1"
	e := expander{repo: repo, cache: cache, bin: t.TempDir()}
	for _, c := range loadContenders(t, repo) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			requireAvailable(t, e, c, strict)
			build(t, e, c)
			if cmd, ok := c.Commands["probe"]; ok {
				checkProbe(t, e, c, cmd)
			}
			if cmd, ok := c.Commands["cpu"]; ok {
				checkCPU(t, e, c, cmd)
			}
			if cmd, ok := c.Commands["tasks"]; ok {
				checkTasks(t, e, c, cmd)
			}
		})
	}
}

// requireAvailable skips a contender whose toolchain or jar is missing, or
// fails the test for it when TRIBENCH_REQUIRE_CONTENDERS=1 (make test).
func requireAvailable(t *testing.T, e expander, c contender, strict bool) {
	t.Helper()
	var missing []string
	for _, r := range c.Requires {
		if path := e.expand(t, r, nil); !exists(path) {
			missing = append(missing, path)
		}
	}
	if len(c.Build) > 0 {
		if _, err := exec.LookPath(c.Build[0][0]); err != nil {
			missing = append(missing, c.Build[0][0]+" on PATH")
		}
	}
	if len(missing) == 0 {
		return
	}
	reason := "missing " + strings.Join(missing, ", ") + " (make setup installs it)"
	if strict {
		t.Fatalf("TRIBENCH_REQUIRE_CONTENDERS=1: %s", reason)
	}
	t.Skip(reason)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func build(t *testing.T, e expander, c contender) {
	t.Helper()
	for _, argv := range c.Build {
		args := e.argv(t, argv, nil)
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = e.repo
		cmd.Env = e.env(t, c.BuildEnv)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "build %v: %s", args, out)
	}
}

// result is one finished contender process.
type result struct {
	stdout, stderr string
	exit           int
}

// start runs a command of the contender to its end, with stdin empty.
func start(t *testing.T, e expander, c contender, cmd command, vars map[string]string) result {
	t.Helper()
	args := e.argv(t, cmd.Argv, vars)
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	proc := exec.CommandContext(ctx, args[0], args[1:]...)
	proc.Env = e.env(t, c.Env)
	var stdout, stderr bytes.Buffer
	proc.Stdout, proc.Stderr = &stdout, &stderr
	err := proc.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("start %v: %v", args, err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), exit: proc.ProcessState.ExitCode()}
}

// line runs a command of output mode "line" and returns its one JSON line.
func line(t *testing.T, e expander, c contender, cmd command, vars map[string]string) []byte {
	t.Helper()
	require.Equal(t, "line", cmd.Output)
	r := start(t, e, c, cmd, vars)
	require.Equal(t, 0, r.exit, "%v: %s", vars, r.stderr)
	require.Equal(t, 1, strings.Count(r.stdout, "\n"), "exactly one line on stdout: %q", r.stdout)
	return []byte(r.stdout)
}

// refused runs a command with bad input: it must exit non-zero with one line
// on stderr and nothing on stdout.
func refused(t *testing.T, e expander, c contender, cmd command, vars map[string]string) {
	t.Helper()
	r := start(t, e, c, cmd, vars)
	assert.NotEqual(t, 0, r.exit, "%v accepted: %s", vars, r.stdout)
	assert.Empty(t, r.stdout, "%v", vars)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "%v: one line on stderr, got %q", vars, r.stderr)
}

func probeVars(count int, shape, method string) map[string]string {
	return map[string]string{"count": strconv.Itoa(count), "shape": shape, "method": method}
}

func checkProbe(t *testing.T, e expander, c contender, cmd command) {
	shapes := c.shapes()
	require.NotEmpty(t, shapes[0], "settings.shapes lists the probe's shapes")
	for _, shape := range shapes {
		p, err := ParseProbe(line(t, e, c, cmd, probeVars(probeCount, shape, "inside")))
		require.NoError(t, err, shape)
		check := CheckChecksum(p)
		assert.True(t, check.Pass, "%s: %s", shape, check.Detail)
		assert.Equal(t, probeCount, p.Count)
		assert.Equal(t, shape, p.Shape)
		assert.Equal(t, "inside", p.Method)
		assert.Greater(t, *p.BytesPerObject, 0.0, shape)
	}
	checkOutside(t, e, c, cmd, shapes[0])

	refused(t, e, c, cmd, probeVars(-1, shapes[0], "inside"))
	refused(t, e, c, cmd, probeVars(100_000_000, shapes[0], "inside"))
	refused(t, e, c, cmd, probeVars(3, "no-such-shape", "inside"))
	refused(t, e, c, cmd, probeVars(3, shapes[0], "sideways"))
}

// checkOutside drives the ready protocol at N = 0, the baseline run the
// harness subtracts: ready, then the line once stdin closes.
func checkOutside(t *testing.T, e expander, c contender, cmd command, shape string) {
	t.Helper()
	args := e.argv(t, cmd.Argv, probeVars(0, shape, "outside"))
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	proc := exec.CommandContext(ctx, args[0], args[1:]...)
	proc.Env = e.env(t, c.Env)
	stdin, err := proc.StdinPipe()
	require.NoError(t, err)
	stdout, err := proc.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, proc.Start())
	out := make([]byte, len("ready\n"))
	_, err = io.ReadFull(stdout, out)
	require.NoError(t, err)
	require.Equal(t, "ready\n", string(out))
	require.NoError(t, stdin.Close())
	rest, err := io.ReadAll(stdout)
	require.NoError(t, err)
	require.NoError(t, proc.Wait())
	p, err := ParseProbe(rest)
	require.NoError(t, err)
	assert.Equal(t, "outside", p.Method)
	check := CheckChecksum(p)
	assert.True(t, check.Pass, check.Detail)
}

func cpuVars(tasks, n, workers int) map[string]string {
	return map[string]string{"tasks": strconv.Itoa(tasks), "n": strconv.Itoa(n), "workers": strconv.Itoa(workers)}
}

func checkCPU(t *testing.T, e expander, c contender, cmd command) {
	cl, err := ParseCPU(line(t, e, c, cmd, cpuVars(cpuTasks, cpuN, cpuWorkers)))
	require.NoError(t, err)
	check := CheckCPU(cl)
	assert.True(t, check.Pass, check.Detail)
	assert.Equal(t, cpuWorkers, cl.Workers)
	refused(t, e, c, cmd, cpuVars(0, 10, 1))
	refused(t, e, c, cmd, cpuVars(1, 10, -1))
}

func checkTasks(t *testing.T, e expander, c contender, cmd command) {
	tl, err := ParseTasks(line(t, e, c, cmd, map[string]string{"count": strconv.Itoa(taskCount)}))
	require.NoError(t, err)
	check := CheckTasks(tl, taskCount)
	assert.True(t, check.Pass, check.Detail)
	assert.GreaterOrEqual(t, tl.Seconds, 1.0, "each task sleeps one second")
	assert.Positive(t, tl.PeakRSSBytes)
	refused(t, e, c, cmd, map[string]string{"count": "-1"})
	refused(t, e, c, cmd, map[string]string{"count": "100000000"})
}
