package hosts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/hosts/hoststest"
	"github.com/tribench/tribench/compare/load"
	"github.com/tribench/tribench/compare/runner"
)

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", "a b", `it's`, `"$HOME";x`, "new\nline"} {
		out, err := exec.Command("sh", "-c", "printf %s "+shellQuote(s)).Output()
		require.NoError(t, err, s)
		assert.Equal(t, s, string(out))
	}
}

// The ssh: path against an OpenSSH server in a namespace: a server started
// through ssh:, checked through Dial (a forward on the master connection),
// loaded by `tribench load` run through ssh:, stopped by killing its local
// client; afterwards no sshd, server, ssh client or namespace of the run.
func TestAServerStartedCheckedAndLoadedOverSSH(t *testing.T) {
	needNamespaces(t)
	hoststest.NeedSSH(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	prefix := NewPrefix()
	n, err := Up(ctx, File{Server: Spec{Host: "netns:sshd"}, Loaders: []Spec{{Host: "netns:sshc"}}}, prefix)
	require.NoError(t, err)
	defer func() {
		assert.NoError(t, n.Close())
		assertGone(t, prefix)
		assert.Empty(t, hoststest.Running(t, dir), "processes of the run left behind")
	}()
	d := hoststest.StartSSHD(t, dir, n.Server().IP, n.Server().Wrap, n.Loaders()[0].Wrap)

	host := "ssh:root@" + n.Server().IP
	f := File{Server: Spec{Host: host}, Loaders: []Spec{{Host: host + ":22"}}, SSHConfig: d.Config}
	sn, err := Up(ctx, f, prefix)
	require.NoError(t, err)
	sshClosed := false
	defer func() {
		if !sshClosed {
			assert.NoError(t, sn.Close())
		}
	}()
	srv, loader := sn.Server(), sn.Loaders()[0]
	assert.Equal(t, n.Server().IP, srv.IP)

	// The marker (the temporary folder) names the server's processes.
	addr := net.JoinHostPort(srv.IP, "8080")
	argv := srv.Wrap([]string{"env", helperEnv + "=serve", os.Args[0], addr, dir})
	server := exec.Command(argv[0], argv[1:]...)
	server.Stderr = os.Stderr
	// Its own process group, killed whole, as compare/runner stops a process.
	server.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, server.Start())
	exited := make(chan error, 1)
	go func() { exited <- server.Wait() }()
	require.True(t, answers(srv, addr), "the server answers through a forward on the master")

	argv = loader.Wrap([]string{"env", helperEnv + "=load", os.Args[0], "--url", "http://" + addr + "/health",
		"--connections", "2", "--requests", "200", "--duration", "20s", "--json"})
	out, err := exec.Command(argv[0], argv[1:]...).Output()
	require.NoError(t, err)
	var res load.Result
	require.NoError(t, json.Unmarshal(out, &res))
	assert.Equal(t, int64(200), res.Requests)
	assert.Zero(t, res.ErrorCount(), res.LastError)

	// Stopping the local client stops the remote server.
	require.NoError(t, syscall.Kill(-server.Process.Pid, syscall.SIGKILL))
	<-exited
	stopped := false
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end) && !stopped; time.Sleep(100 * time.Millisecond) {
		stopped = len(hoststest.Running(t, addr+" "+dir)) == 0
	}
	assert.True(t, stopped, "the remote server outlived its client: %v", hoststest.Running(t, addr+" "+dir))

	placed(t, srv, dir)

	sshClosed = true
	require.NoError(t, sn.Close())
	assert.Empty(t, hoststest.Running(t, "ControlPath="+filepath.Join(os.TempDir(), prefix)), "no ssh master left")
	require.NoError(t, d.Cmd.Process.Kill())
}

// placed checks a process placed on ssh: host h: its CPU list, memory
// cgroup, working folder and environment are applied on the far side (read
// back from the process there), and the local ssh client is left unpinned.
func placed(t *testing.T, h *Host, dir string) {
	t.Helper()
	cpu := runtime.NumCPU() - 1
	spec, err := h.Place(runner.Spec{Argv: []string{"sh", "-c", `grep Cpus_allowed_list /proc/self/status; grep -c 'memory:.*tribench-' /proc/self/cgroup; pwd; echo "$PLACED"`},
		CPUs: []int{cpu}, MemoryLimit: 1 << 30, Dir: dir, Env: []string{"PLACED=yes"}})
	require.NoError(t, err)
	assert.Nil(t, spec.CPUs, "the local ssh client is not pinned")
	assert.Zero(t, spec.MemoryLimit, "the local ssh client is not limited")
	p, err := runner.OS{}.Start(context.Background(), spec)
	require.NoError(t, err)
	res := p.Wait()
	require.Equal(t, runner.OutcomeOK, res.Outcome, string(res.Stderr))
	// ip netns exec mounts a sysfs of its own, without the cgroup mounts:
	// an sshd started in a namespace has no memory cgroup to give, and the
	// host's note says so.
	cgroups := 1
	if h.MemoryNote != "" {
		cgroups = 0
		assert.Contains(t, h.MemoryNote, "RSS watchdog")
	}
	assert.Equal(t, fmt.Sprintf("Cpus_allowed_list:\t%d\n%d\n%s\nyes\n", cpu, cgroups, dir), string(res.Stdout))

	spec, err = h.Place(runner.Spec{Argv: []string{"sh", "-c", "exit 3"}})
	require.NoError(t, err)
	p, err = runner.OS{}.Start(context.Background(), spec)
	require.NoError(t, err)
	res = p.Wait()
	assert.Equal(t, runner.OutcomeExitError, res.Outcome, "a failure on the far side is one here")
	assert.Contains(t, string(res.Stderr), "exit-error (exit code 3)")
}

func TestPlaceOnThisMachineIsWrap(t *testing.T) {
	t.Parallel()
	for _, h := range []*Host{LocalHost(), {Spec: Spec{Host: "netns:a"}, Addr: Address{Kind: NetNS, Name: "a"}, NS: "tb-1-1-a"}} {
		spec := runner.Spec{Argv: []string{"serve"}, CPUs: []int{1}, MemoryLimit: 1 << 20, Env: []string{"A=b"}, Dir: "/x"}
		got, err := h.Place(spec)
		require.NoError(t, err)
		want := spec
		want.Argv = h.Wrap(spec.Argv)
		assert.Equal(t, want, got, "the runner applies the settings here, as ever: %s", h)
	}
}

func TestExecRefusesBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "give the command after --"},
		{[]string{"--cpus", "x", "--", "true"}, "not a CPU list"},
		{[]string{"--memory", "-1", "--", "true"}, "negative"},
		{[]string{"--env", "NOVALUE", "--", "true"}, "not KEY=VALUE"},
		{[]string{"--", "/nonexistent/program"}, "/nonexistent/program"},
	} {
		err := Exec(context.Background(), tc.args, io.Discard, io.Discard)
		require.Error(t, err, tc.args)
		assert.Contains(t, err.Error(), tc.want, tc.args)
	}
}
