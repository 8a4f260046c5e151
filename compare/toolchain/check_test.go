package toolchain

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseProcStat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		comm  string
		ticks uint64
		err   string
	}{
		{in: "42 (sh) R 1 42 42 0 -1 4194304 100 0 0 0 150 25 0 0 20 0 1 0 5 1000 50", comm: "sh", ticks: 175},
		{in: "7 (tmux: server) S 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5 1000 50", comm: "tmux: server", ticks: 7},
		{in: "8 (a) b) S 1 7 7 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 1000 50", comm: "a) b", ticks: 2},
		{in: "no name here", err: "no command name"},
		{in: "9 (short) R 1 2", err: "fields after the name"},
		{in: "9 (x) R 1 42 42 0 -1 4194304 100 0 0 0 u s", err: "bad CPU times"},
	} {
		comm, ticks, err := ParseProcStat([]byte(tc.in))
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.comm, comm)
		assert.Equal(t, tc.ticks, ticks)
	}
}

func TestSelectedMode(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "madvise", SelectedMode("always [madvise] never\n"))
	assert.Equal(t, "always", SelectedMode("[always] madvise never"))
	assert.Equal(t, "2", SelectedMode("2\n"))
}

// A spinning process shows as a busy-process warning; every other check
// answers, readable or not.
func TestCheckFindsABusyProcess(t *testing.T) {
	spin := exec.Command("sh", "-c", "while :; do :; done")
	require.NoError(t, spin.Start())
	t.Cleanup(func() { _ = spin.Process.Kill(); _ = spin.Wait() })
	findings := Check(context.Background(), 300*time.Millisecond)
	var names []string
	busy := false
	for _, f := range findings {
		names = append(names, f.Name)
		assert.NotEmpty(t, f.Detail, f.Name)
		if f.Warning && strings.HasPrefix(f.Detail, fmt.Sprintf("pid %d (sh)", spin.Process.Pid)) {
			busy = true
		}
	}
	assert.True(t, busy, "the spinning sh is listed: %v", findings)
	for _, want := range []string{"steal", "load average", "CPU frequency governor", "turbo", "transparent huge pages", "ASLR"} {
		assert.Contains(t, names, want)
	}
}
