package userapi_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/stages/userapi"
	"github.com/tribench/tribench/compare/toolchain"
)

// --server-cpus 1 puts every thread of the contender on exactly one CPU, the
// harness's being the others, and the contender's GOMAXPROCS follows: read
// back from the running server's threads, not from what was asked.
func TestServerCPUsPinsEveryThread(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and starts a service")
	}
	if runtime.NumCPU() < 2 {
		t.Skip("one CPU: the contender and the harness share it")
	}
	run, cs, err := stage.Standalone(stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Bin: t.TempDir(),
		Profile: plan.Smoke, Only: "go-current", Exec: runner.OS{}, ServerCPUs: 1}, &userapi.Stage{})
	require.NoError(t, err)
	var c *stage.Contender
	for _, x := range cs {
		if x.Name() == "go-current" {
			c = x
		}
	}
	require.NotNil(t, c, "go-current is declared")
	require.Len(t, run.ContenderCPUs, 1)
	assert.NotContains(t, run.HarnessCPUs, run.ContenderCPUs[0])

	ctx := context.Background()
	status, reason := c.Ready(ctx, run)
	require.Equal(t, results.StatusOK, status, reason)
	srv, err := run.StartServer(ctx, c, stage.RunOptions{})
	require.NoError(t, err)
	defer srv.Stop()

	proc := filepath.Join("/proc", strconv.Itoa(srv.Process.PID()))
	environ, err := os.ReadFile(filepath.Join(proc, "environ"))
	require.NoError(t, err)
	assert.Contains(t, strings.Split(string(environ), "\x00"), "GOMAXPROCS=1", "the manifest's {{cpus}} follows the CPU set")
	want := strconv.Itoa(run.ContenderCPUs[0])
	tasks, err := os.ReadDir(filepath.Join(proc, "task"))
	require.NoError(t, err)
	require.Greater(t, len(tasks), 1, "a Go server runs several threads")
	for _, task := range tasks {
		b, err := os.ReadFile(filepath.Join(proc, "task", task.Name(), "status"))
		require.NoError(t, err)
		assert.Equal(t, want, field(string(b), "Cpus_allowed_list"), "thread %s", task.Name())
	}
}

// field is a /proc status file's value of key.
func field(status, key string) string {
	for _, l := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(l, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
