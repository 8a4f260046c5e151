package disturb

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseProcStat(t *testing.T) {
	t.Parallel()
	pid, p, err := parseProcStat([]byte("4242 (a (b) c) S 17 4242 4242 0 -1 4194560 100 0 0 0 30 12 5 3 20 0 1 0 99 0 0\n"))
	require.NoError(t, err)
	assert.Equal(t, 4242, pid)
	assert.Equal(t, 17, p.ppid, "the command's parentheses do not shift the fields")
	assert.Equal(t, uint64(30+12+5+3), p.ticks)
	for _, bad := range []string{"", "4242 S 1", "x (sh) S 1 1 1 0 -1 0 0 0 0 0 1 1 1 1", "1 (sh) S 1 1"} {
		_, _, err := parseProcStat([]byte(bad))
		assert.Error(t, err, "%q", bad)
	}
}

func TestParseListeners(t *testing.T) {
	t.Parallel()
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1 0 100 0 0 10 0
   1: 0100007F:1F91 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 31338 1 0 20 4 30 10 -1
`
	assert.Equal(t, map[string]int{"31337": 8080}, parseListeners([]byte(table)), "listening sockets only")
}

// A snapshot of this machine finds the test process by the port it
// listens on, and its ticks grow as it spins.
func TestTakeSnapshotFindsTheListeningTree(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	before, err := TakeSnapshot([]int{port})
	require.NoError(t, err)
	assert.Contains(t, before.PIDs, os.Getpid())
	for start := time.Now(); time.Since(start) < 300*time.Millisecond; {
	}
	after, err := TakeSnapshot([]int{port})
	require.NoError(t, err)
	r := Between(before, after, nil)
	require.True(t, r.Measured())
	assert.Equal(t, "rusage", r.TreeSource)
	assert.Greater(t, r.Tree, 0.1, "the spin is the tree's")

	_, err = TakeSnapshot([]int{port, 1})
	assert.ErrorContains(t, err, "no process listens on port 1")
}

func TestMainPrintsASnapshot(t *testing.T) {
	t.Parallel()
	var out, errs bytes.Buffer
	require.NoError(t, Main([]string{"snapshot"}, &out, &errs))
	assert.Contains(t, out.String(), `"stat"`)
	assert.ErrorIs(t, Main(nil, &out, &errs), ErrUsage)
	assert.ErrorContains(t, Main([]string{"snapshot", "--port", "0"}, &out, &errs), "not 1 to 65535")
	assert.ErrorContains(t, Main([]string{"snapshot", "extra"}, &out, &errs), "unexpected")
}

// A Remote meter whose command fails or answers garbage reads unjudged, with
// the reason; one that answers reads the counters it gave.
func TestRemoteReadsItsCommandsSnapshots(t *testing.T) {
	t.Parallel()
	sh := func(script string) Remote {
		return Remote{Wrap: func(argv []string) []string { return append([]string{"sh", "-c", script, "sh"}, argv...) }, Argv: []string{"snap"}, Ports: []int{8080}}
	}
	for _, tc := range []struct {
		name, script, note string
	}{
		{"fails", `echo "no tribench here" >&2; exit 3`, "no tribench here"},
		{"garbage", `echo nonsense`, "invalid character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := sh(tc.script).Start([]int{1}).StopWith(Tree{})
			assert.False(t, r.Measured())
			assert.False(t, r.Judged())
			assert.Contains(t, r.Note, tc.note)
			assert.Equal(t, []int{1}, r.CPUs)
		})
	}
	// Each call answers the next of two snapshots kept in a file: 1 s of
	// CPU 1, 0.9 s busy, 0.4 s of it the tree's.
	dir := t.TempDir()
	n := dir + "/n"
	require.NoError(t, os.WriteFile(n, nil, 0o644))
	script := strings.Join([]string{`case "$*" in *"--port 8080"*) ;; *) exit 9;; esac`,
		`echo x >> ` + n,
		`if [ "$(wc -l < ` + n + `)" -eq 1 ]; then echo '{"stat":{"1":{"User":100,"Idle":100}},"pids":[7],"tree_ticks":10}'`,
		`else echo '{"stat":{"1":{"User":190,"Idle":110}},"pids":[7],"tree_ticks":50}'; fi`}, "\n")
	r := sh(script).Start([]int{1}).StopWith(Tree{Total: time.Hour})
	require.True(t, r.Measured(), r.Note)
	assert.InDelta(t, 1.0, r.Capacity, 1e-9)
	assert.InDelta(t, 0.4, r.Tree, 1e-9, "the snapshots' tree, not the runner's")
	assert.InDelta(t, 0.5, r.Foreign(), 1e-9)
	assert.True(t, r.Disturbed())
}

func TestListenerFindsTheProcessOnAPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	pid, err := Listener(port)
	require.NoError(t, err)
	assert.Equal(t, os.Getpid(), pid)
	require.NoError(t, l.Close())
	_, err = Listener(port)
	assert.ErrorContains(t, err, fmt.Sprintf("no process listens on port %d here", port))
}
