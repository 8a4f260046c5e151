package hosts

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/hosts/hoststest"
)

// spinServer listens on addr and spins for up to 30 s: a server whose own
// work keeps its CPU busy.
func spinServer(addr string) int {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer l.Close()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); {
	}
	return 0
}

func TestSameMachine(t *testing.T) {
	t.Parallel()
	ssh := func(host string, port int) *Host {
		a := Address{Kind: SSH, User: "bench", Host: host, Port: port}
		return &Host{Spec: Spec{Host: "ssh:bench@" + host}, Addr: a, IP: host, ssh: &sshClient{addr: a}}
	}
	ns := &Host{Spec: Spec{Host: "netns:server"}, Addr: Address{Kind: NetNS, Name: "server"}, NS: "tb-1-1-server", IP: "198.18.0.1"}
	for _, tc := range []struct {
		name string
		a, b *Host
		same bool
	}{
		{"local and a namespace share this machine", LocalHost(), ns, true},
		{"local and ssh", LocalHost(), ssh("10.0.0.1", 22), false},
		{"one ssh address", ssh("10.0.0.1", 22), ssh("10.0.0.1", 22), true},
		{"another ssh port", ssh("10.0.0.1", 22), ssh("10.0.0.1", 2222), false},
		{"another ssh host", ssh("10.0.0.1", 22), ssh("10.0.0.2", 22), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.same, tc.a.SameMachine(tc.b))
			assert.Equal(t, tc.same, tc.b.SameMachine(tc.a))
		})
	}
}

// sshTestHost is an ssh: host reaching an sshd the test starts in a namespace
// (this machine, seen through OpenSSH), and the temporary folder naming
// the test's processes; everything is removed when the test ends.
func sshTestHost(t *testing.T) (*Host, string) {
	t.Helper()
	needNamespaces(t)
	hoststest.NeedSSH(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	prefix := NewPrefix()
	n, err := Up(ctx, File{Server: Spec{Host: "netns:sshd"}, Loaders: []Spec{{Host: "netns:sshc"}}}, prefix)
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.NoError(t, n.Close())
		assertGone(t, prefix)
	})
	d := hoststest.StartSSHD(t, dir, n.Server().IP, n.Server().Wrap, n.Loaders()[0].Wrap)
	host := "ssh:root@" + n.Server().IP
	sn, err := Up(ctx, File{Server: Spec{Host: host}, Loaders: []Spec{{Host: host}}, SSHConfig: d.Config}, prefix)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, sn.Close()) })
	return sn.Server(), dir
}

// eventually reports whether cond holds within 10 s.
func eventually(cond func() bool) bool {
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// Lines appended to a log on one host arrive in the file on the other, in
// both directions across ssh:, from the log's first line; Stop ends both
// sides and removes the copy.
func TestRelayCopiesAGrowingLogAcrossHosts(t *testing.T) {
	remote, _ := sshTestHost(t)
	t.Parallel()
	for _, tc := range []struct {
		name     string
		from, to *Host
	}{
		{"from an ssh: server to a local loader", remote, LocalHost()},
		{"from a local server to an ssh: loader", LocalHost(), remote},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub := t.TempDir()
			log, dest := filepath.Join(sub, "server", "jit.log"), filepath.Join(sub, "loader", "jit.log")
			require.NoError(t, os.MkdirAll(filepath.Dir(log), 0o755))
			require.NoError(t, os.WriteFile(log, []byte("before\n"), 0o644))
			r, err := StartRelay(context.Background(), tc.from, log, tc.to, dest)
			require.NoError(t, err)
			assert.FileExists(t, dest, "there before StartRelay returns, for the loader to open")
			f, err := os.OpenFile(log, os.O_APPEND|os.O_WRONLY, 0)
			require.NoError(t, err)
			for _, line := range []string{"one\n", "two\n"} {
				_, err = f.WriteString(line)
				require.NoError(t, err)
			}
			require.NoError(t, f.Close())
			arrived := eventually(func() bool {
				b, _ := os.ReadFile(dest)
				return string(b) == "before\none\ntwo\n"
			})
			got, _ := os.ReadFile(dest)
			assert.True(t, arrived, "the copy reads %q", got)

			require.NoError(t, r.Stop())
			assert.NoDirExists(t, filepath.Dir(dest), "the copy and the folder made for it")
			assert.True(t, eventually(func() bool { return len(hoststest.Running(t, sub)) == 0 }), "relay processes left: %v", hoststest.Running(t, sub))
		})
	}
}

// The remote reading through ssh: a process spinning on the watched CPU
// outside the server's tree makes the window disturbed; a server spinning
// there itself does not (its tree's time, found by its port, is its own);
// with neither, the remote reading agrees with this machine's own (the far
// side is this machine), and is quiet when this machine's is.
func TestRemoteReadingOverSSH(t *testing.T) {
	remote, dir := sshTestHost(t)
	t.Parallel()
	cpu := strconv.Itoa(runtime.NumCPU() - 1)
	// start starts a server there, stopped when t ends.
	start := func(t *testing.T, port int, argv ...string) (string, *exec.Cmd) {
		addr := fmt.Sprintf("%s:%d", remote.IP, port)
		argv = remote.Wrap(append(argv, addr, dir))
		server := exec.Command(argv[0], argv[1:]...)
		server.Stderr = os.Stderr
		server.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		require.NoError(t, server.Start())
		t.Cleanup(func() { _ = syscall.Kill(-server.Process.Pid, syscall.SIGKILL); _ = server.Wait() })
		return addr, server
	}
	idle, idleServer := start(t, 8080, "env", helperEnv+"=serve", os.Args[0])
	require.True(t, answers(remote, idle))

	meter := func(port int) disturb.Remote {
		return disturb.Remote{Wrap: remote.Wrap, Argv: []string{"env", helperEnv + "=snapshot", os.Args[0], "snapshot"}, Ports: []int{port}}
	}
	cpus := []int{runtime.NumCPU() - 1}
	window := func(m disturb.Remote) (remoteR, localR disturb.Reading) {
		local := disturb.Start(cpus)
		w := m.Start(cpus)
		time.Sleep(700 * time.Millisecond)
		remoteR = w.StopWith(disturb.Tree{})
		return remoteR, local.StopWith(disturb.Tree{})
	}
	for _, tc := range []struct {
		name        string
		neighbour   bool
		serverSpins bool
	}{
		{"a neighbour spins", true, false},
		{"idle", false, false},
		// Last: a remote server ends up to a second after its client.
		{"the server spins", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.neighbour {
				spin := exec.Command("timeout", "30", "taskset", "-c", cpu, "sh", "-c", "while :; do :; done")
				spin.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
				require.NoError(t, spin.Start())
				defer func() { _ = syscall.Kill(-spin.Process.Pid, syscall.SIGKILL); _ = spin.Wait() }()
			}
			m := meter(8080)
			if tc.serverSpins {
				start(t, 8081, "taskset", "-c", cpu, "env", helperEnv+"=spin", os.Args[0])
				m = meter(8081)
				// Listening: a snapshot finds its tree.
				require.True(t, eventually(func() bool { return m.Start(cpus).StopWith(disturb.Tree{}).Measured() }))
			}
			r, local := window(m)
			require.True(t, r.Judged(), "capacity %.2f s: %s", r.Capacity, r.Note)
			t.Logf("remote: foreign %.2f, tree %.2f s of %.2f s; here, no tree: foreign %.2f", r.Foreign(), r.Tree, r.Capacity, local.Foreign())
			assert.Equal(t, "rusage", r.TreeSource, "the tree's time from its host's /proc")
			switch {
			case tc.neighbour:
				assert.InDelta(t, local.Foreign(), r.Foreign(), 0.15, "one machine, one window, read from both sides")
				assert.True(t, r.Disturbed(), "a spinning neighbour takes about half the CPU or more")
			case tc.serverSpins:
				assert.Greater(t, r.Tree, 0.15*r.Capacity, "the server's spin is its tree's")
				assert.Less(t, r.Foreign(), local.Foreign()-0.1, "what this machine's reading, knowing no tree, calls foreign is the server's")
			default:
				assert.InDelta(t, local.Foreign(), r.Foreign(), 0.15, "one machine, one window, read from both sides")
				if !local.Disturbed() {
					assert.False(t, r.Disturbed())
				}
			}
		})
	}

	// A server that has gone reads unjudged, with the reason.
	require.NoError(t, syscall.Kill(-idleServer.Process.Pid, syscall.SIGKILL))
	require.True(t, eventually(func() bool { return len(hoststest.Running(t, idle+" "+dir)) == 0 }))
	r := meter(8080).Start(cpus).StopWith(disturb.Tree{})
	assert.False(t, r.Judged())
	assert.Contains(t, r.Note, "no process listens on port 8080")
}
