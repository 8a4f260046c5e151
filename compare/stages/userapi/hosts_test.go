package userapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/hosts/hoststest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/compare/stages/userapi"
	"github.com/tribench/tribench/compare/toolchain"
)

// hostsRun is the argument that makes this test binary a run of the http
// stage through --hosts, as tribench's main makes one: its context ends on
// Ctrl-C. Its namespaces are named by its own PID (tb-PID-1-).
const hostsRun = "hosts-run"

// runThroughHosts is the hosts-run helper: root, bin, results folder and
// hosts file as arguments.
func runThroughHosts(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f, err := hosts.Load(args[3])
	if err == nil {
		err = stage.Execute(ctx, stage.Options{Root: args[0], Cache: toolchain.Cache(), Bin: args[1], Profile: plan.Smoke,
			Stages: []stage.Stage{&userapi.Stage{}}, Only: "go-current", ResultsDir: args[2], Stdout: io.Discard, Exec: runner.OS{}, Hosts: &f})
	}
	switch {
	case errors.Is(err, stage.ErrInterrupted):
		return 3
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// example is the repository's namespace hosts file.
func example(t *testing.T) string {
	return filepath.Join(repoRoot(t), "compare", "hosts", "examples", "namespaces.json")
}

// A hostsChild is a hosts-run child and every process seen in its
// namespaces while it ran.
type hostsChild struct {
	cmd    *exec.Cmd
	prefix string
	exited chan struct{}
	mu     sync.Mutex
	seen   map[string]map[int]bool // namespace → PIDs
}

// startHostsRun starts a run of the http stage through hosts file file,
// watching the namespaces with prefix (the run's own when "").
func startHostsRun(t *testing.T, bin, dir, file, prefix string) *hostsChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], hostsRun, repoRoot(t), bin, dir, file)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	if prefix == "" {
		prefix = fmt.Sprintf("tb-%d-1-", cmd.Process.Pid)
	}
	c := &hostsChild{cmd: cmd, prefix: prefix, exited: make(chan struct{}), seen: map[string]map[int]bool{}}
	go func() {
		_ = cmd.Wait()
		close(c.exited)
	}()
	go c.watch()
	return c
}

// watch notes the processes in the child's namespaces until it exits.
func (c *hostsChild) watch() {
	for {
		names, _ := hosts.Namespaces(c.prefix)
		for _, ns := range names {
			out, _ := exec.Command("ip", "netns", "pids", ns).Output()
			c.mu.Lock()
			if c.seen[ns] == nil {
				c.seen[ns] = map[int]bool{}
			}
			for _, f := range strings.Fields(string(out)) {
				if pid, err := strconv.Atoi(f); err == nil && pid != c.cmd.Process.Pid {
					c.seen[ns][pid] = true
				}
			}
			c.mu.Unlock()
		}
		select {
		case <-c.exited:
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// inside is how many processes were seen in namespace name (the run's
// prefix added), the run's own excepted.
func (c *hostsChild) inside(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen[c.prefix+name])
}

// wait waits for the child's exit, killing it after limit, and returns its
// exit code.
func (c *hostsChild) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	select {
	case <-c.exited:
	case <-time.After(limit):
		_ = c.cmd.Process.Kill()
		<-c.exited
		t.Fatalf("the run did not end within %s", limit)
	}
	return c.cmd.ProcessState.ExitCode()
}

// assertNothingLeft checks that nothing of the child's run is left: no
// namespace with its prefix, no link of the root namespace into one, no
// process that ran in one.
func (c *hostsChild) assertNothingLeft(t *testing.T) {
	t.Helper()
	left, err := hosts.Namespaces(c.prefix)
	require.NoError(t, err)
	assert.Empty(t, left, "namespaces of the run left behind")
	links, err := exec.Command("ip", "-o", "link", "show").Output()
	require.NoError(t, err)
	assert.NotContains(t, string(links), c.prefix, "a link into one of the run's namespaces")
	c.mu.Lock()
	defer c.mu.Unlock()
	// A process killed a moment ago lives until its parent (or init) reaps it.
	gone := func() bool {
		for _, pids := range c.seen {
			for pid := range pids {
				if syscall.Kill(pid, 0) == nil {
					return false
				}
			}
		}
		return true
	}
	for end := time.Now().Add(5 * time.Second); !gone() && time.Now().Before(end); {
		time.Sleep(50 * time.Millisecond)
	}
	for ns, pids := range c.seen {
		for pid := range pids {
			assert.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "process %d, seen in %s, outlived the run", pid, ns)
		}
	}
}

// The http stage at the smoke profile with the Go contender in one
// namespace and its loader in another, through --hosts and the repository's
// namespace example: every record ok, traffic measured without errors, the
// records naming the hosts; then Ctrl-C in the middle of a second run.
// Neither leaves a namespace, link or process of its run.
func TestHTTPThroughNamespaceHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts services and loaders in namespaces")
	}
	if os.Geteuid() != 0 {
		t.Skip("--hosts with netns hosts not tested: network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("--hosts with netns hosts not tested: network namespaces need iproute2's ip")
	}
	bin := t.TempDir()

	t.Run("end to end", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "run")
		run := startHostsRun(t, bin, dir, example(t), "")
		require.Zero(t, run.wait(t, 3*time.Minute), "the run succeeded")
		run.assertNothingLeft(t)
		assert.Positive(t, run.inside("server"), "the server ran in the server's namespace")
		assert.Positive(t, run.inside("loader"), "the loader ran in the loader's namespace")

		recs, err := results.Read(filepath.Join(dir, results.FileName))
		require.NoError(t, err)
		measured, serverCPU := 0, 0
		for _, r := range recs {
			switch {
			case r.Kind == results.KindRun:
				assert.Contains(t, r.CPUs, "servers on netns:server (198.18.0.1)")
				assert.Contains(t, r.CPUs, "loaders on netns:loader (198.18.0.2)")
				assert.Equal(t, []results.HostEnv{
					{Role: results.RoleServer, Host: "netns:server (198.18.0.1)", CPUs: "1", Note: "this machine: the environment above"},
					{Role: results.RoleLoader, Host: "netns:loader (198.18.0.2)", CPUs: "0", Note: "this machine: the environment above"},
				}, r.Hosts, "a namespace is this machine")
			case r.Kind == results.KindStage:
				assert.Equal(t, results.StatusOK, r.Status, r.Reason)
			case r.Step == results.StepVerify:
				assert.Equal(t, results.StatusOK, r.Status, r.Reason)
				assert.Empty(t, r.Failures(), "the oracle, run from the loader's namespace, passes")
			case r.Step == results.StepMeasure:
				measured++
				key := r.ContenderName() + " " + fmt.Sprint(r.Config)
				assert.Equal(t, results.StatusOK, r.Status, "%s: %s", key, r.Reason)
				assert.Equal(t, "netns:server (198.18.0.1)", r.Contender.Host, key)
				if rps, ok := r.Value("rps"); ok {
					assert.Positive(t, rps.Samples[0], key)
				}
				if _, ok := r.Value("server_cpu"); ok {
					serverCPU++
				}
				if errs, ok := r.Value("errors"); ok {
					assert.Zero(t, errs.Samples[0], key)
				}
			}
		}
		assert.GreaterOrEqual(t, measured, 4, "the list, mixed and get mixes and the search measured")
		assert.Positive(t, serverCPU, "a namespace server is this machine's: its loader measures its CPU")
	})

	t.Run("Ctrl-C in the middle", func(t *testing.T) {
		run := startHostsRun(t, bin, filepath.Join(t.TempDir(), "run"), example(t), "")
		deadline := time.Now().Add(2 * time.Minute)
		for run.inside("loader") == 0 && time.Now().Before(deadline) {
			select {
			case <-run.exited:
				t.Fatal("the run ended before its loader started")
			case <-time.After(100 * time.Millisecond):
			}
		}
		require.Positive(t, run.inside("loader"), "a loader started in the loader's namespace")
		require.Positive(t, run.inside("server"), "the server started in the server's namespace")
		require.NoError(t, run.cmd.Process.Signal(os.Interrupt))
		assert.Equal(t, 3, run.wait(t, time.Minute), "the run stopped as interrupted")
		run.assertNothingLeft(t)
	})
}

// The http stage at the smoke profile with the Go contender on an ssh:
// server host and its loader on an ssh: loader host, through a hosts file
// with its own ssh_config: two OpenSSH servers the test starts in
// namespaces of its own (the client reaches them from a third). The
// filesystem is shared, so the far side finds the binaries at their paths.
// Every record ok, traffic measured without errors, the contender and the
// loader pinned to their hosts' CPUs there (read back from the processes),
// the contender with its environment; afterwards no sshd, server, loader,
// ssh master or namespace of the run.
func TestHTTPThroughSSHHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts sshd, services and loaders in namespaces")
	}
	if os.Geteuid() != 0 {
		t.Skip("ssh: hosts not tested: the sshd of the test runs in network namespaces, which need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("ssh: hosts not tested: network namespaces need iproute2's ip")
	}
	hoststest.NeedSSH(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	prefix := hosts.NewPrefix()
	n, err := hosts.Up(ctx, hosts.File{Server: hosts.Spec{Host: "netns:sshsrv"},
		Loaders: []hosts.Spec{{Host: "netns:sshldr"}, {Host: "netns:sshcli"}}}, prefix)
	require.NoError(t, err)
	closed := false
	defer func() {
		if !closed {
			assert.NoError(t, n.Close())
		}
	}()
	keys := t.TempDir()
	srvHost, ldrHost, cli := n.Hosts[0], n.Hosts[1], n.Hosts[2]
	daemons := []*hoststest.SSHD{
		hoststest.StartSSHD(t, keys, srvHost.IP, srvHost.Wrap, cli.Wrap),
		hoststest.StartSSHD(t, keys, ldrHost.IP, ldrHost.Wrap, cli.Wrap),
	}
	file := filepath.Join(keys, "hosts.json")
	require.NoError(t, os.WriteFile(file, []byte(fmt.Sprintf(`{
  "server": {"host": "ssh:root@%s", "cpus": "1"},
  "loaders": [{"host": "ssh:root@%s", "cpus": "0"}],
  "ssh_config": %q
}`, srvHost.IP, ldrHost.IP, filepath.Base(daemons[0].Config))), 0o600))

	bin, dir := t.TempDir(), filepath.Join(t.TempDir(), "run")
	run := startHostsRun(t, bin, dir, file, prefix)
	placed := map[string]string{} // role → the CPU list and GOMAXPROCS read back
	go func() {
		for {
			for role, ns := range map[string]string{"server": srvHost.NS, "loader": ldrHost.NS} {
				out, _ := exec.Command("ip", "netns", "pids", ns).Output()
				for _, pid := range strings.Fields(string(out)) {
					if got := pinned(pid, role, bin); got != "" {
						run.mu.Lock()
						placed[role] = got
						run.mu.Unlock()
					}
				}
			}
			select {
			case <-run.exited:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	require.Zero(t, run.wait(t, 3*time.Minute), "the run succeeded")
	run.mu.Lock()
	assert.Equal(t, "1 GOMAXPROCS=1", placed["server"], "the contender ran on the server's CPU there, with its environment")
	assert.Equal(t, "0", placed["loader"], "the loader ran on the loader's CPU there")
	run.mu.Unlock()

	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)
	server := fmt.Sprintf("ssh:root@%s (%s)", srvHost.IP, srvHost.IP)
	measured := 0
	for _, r := range recs {
		switch {
		case r.Kind == results.KindRun:
			assert.Contains(t, r.CPUs, "servers on "+server+" on CPU 1")
			assert.Contains(t, r.CPUs, fmt.Sprintf("loaders on ssh:root@%s (%s) on CPU 0", ldrHost.IP, ldrHost.IP))
			require.Len(t, r.Hosts, 2, "each host's environment")
			for i, want := range []results.HostEnv{{Role: results.RoleServer, Host: server, CPUs: "1"},
				{Role: results.RoleLoader, Host: fmt.Sprintf("ssh:root@%s (%s)", ldrHost.IP, ldrHost.IP), CPUs: "0"}} {
				got := r.Hosts[i]
				assert.Empty(t, got.Note, "read there")
				assert.Contains(t, got.Env["kernel"], "Linux", "tribench env ran there")
				assert.Contains(t, got.Env, "Go (current)", "tribench env ran there")
				got.Env, got.Note = nil, ""
				assert.Equal(t, want, got)
			}
		case r.Kind == results.KindStage:
			assert.Equal(t, results.StatusOK, r.Status, r.Reason)
		case r.Step == results.StepVerify:
			assert.Equal(t, results.StatusOK, r.Status, r.Reason)
			assert.Empty(t, r.Failures(), "the oracle, run through the loader's master, passes")
		case r.Step == results.StepMeasure:
			measured++
			key := r.ContenderName() + " " + fmt.Sprint(r.Config)
			assert.Equal(t, results.StatusOK, r.Status, "%s: %s", key, r.Reason)
			assert.Equal(t, server, r.Contender.Host, key)
			if rps, ok := r.Value("rps"); ok {
				assert.Positive(t, rps.Samples[0], key)
			}
			_, measuredHere := r.Value("server_cpu")
			assert.False(t, measuredHere, "%s: a loader on another machine than the server cannot read the server's CPU", key)
			if errs, ok := r.Value("errors"); ok {
				assert.Zero(t, errs.Samples[0], key)
			}
		}
	}
	assert.GreaterOrEqual(t, measured, 4, "the list, mixed and get mixes and the search measured")

	assert.Empty(t, hoststest.Running(t, fmt.Sprintf("ControlPath=%s/tb-%d-", os.TempDir(), run.cmd.Process.Pid)), "no ssh master of the run left")
	assert.Empty(t, hoststest.Running(t, bin), "no server or loader of the run left")
	for _, d := range daemons {
		require.NoError(t, d.Cmd.Process.Kill())
		_ = d.Cmd.Wait()
	}
	closed = true
	require.NoError(t, n.Close())
	run.assertNothingLeft(t)
	assert.Empty(t, hoststest.Running(t, keys), "no sshd of the test left")
}

// pinned reads process pid back when it is the run's contender (started
// from bin) or loader: its CPU list, and the contender's GOMAXPROCS; "" for
// any other process.
func pinned(pid, role, bin string) string {
	cmdline, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil {
		return ""
	}
	argv := strings.Split(string(cmdline), "\x00")
	switch {
	case role == "server" && strings.HasPrefix(argv[0], bin) && slices.Contains(argv, "serve"):
	case role == "loader" && len(argv) > 1 && argv[1] == "load":
	default:
		return ""
	}
	status, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return ""
	}
	_, cpus, _ := strings.Cut(string(status), "Cpus_allowed_list:\t")
	cpus, _, _ = strings.Cut(cpus, "\n")
	if role == "loader" {
		return cpus
	}
	environ, _ := os.ReadFile("/proc/" + pid + "/environ")
	for _, e := range strings.Split(string(environ), "\x00") {
		if strings.HasPrefix(e, "GOMAXPROCS=") {
			return cpus + " " + e
		}
	}
	return cpus
}
