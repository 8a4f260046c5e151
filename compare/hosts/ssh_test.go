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
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/load"
)

// pipe is an ssh ProxyCommand: it connects to addr and copies standard
// input and output to and from it, so the client (in the root namespace,
// which has no route to the run's) reaches an sshd in a namespace.
func pipe(addr string) int {
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go func() { _, _ = io.Copy(c, os.Stdin); c.(*net.TCPConn).CloseWrite() }()
	_, _ = io.Copy(os.Stdout, c)
	return 0
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", "a b", `it's`, `"$HOME";x`, "new\nline"} {
		out, err := exec.Command("sh", "-c", "printf %s "+shellQuote(s)).Output()
		require.NoError(t, err, s)
		assert.Equal(t, s, string(out))
	}
}

// sshd is an OpenSSH server the test runs itself, in a namespace of its
// own, with a temporary host key and the harness's temporary client key as
// its only authorized key.
type sshd struct {
	cmd    *exec.Cmd
	config string // the client configuration reaching it (ssh -F)
}

func startSSHD(t *testing.T, dir string, n *Net) *sshd {
	t.Helper()
	srv, client := n.Server(), n.Loaders()[0]
	for _, key := range []string{"host", "client"} {
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, key)).CombinedOutput()
		require.NoError(t, err, string(out))
	}
	pub, err := os.ReadFile(filepath.Join(dir, "client.pub"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600))
	// sshd refuses to start without its privilege separation folder.
	require.NoError(t, os.MkdirAll("/run/sshd", 0o755))
	conf := filepath.Join(dir, "sshd_config")
	require.NoError(t, os.WriteFile(conf, []byte(strings.Join([]string{
		"ListenAddress " + srv.IP + ":22",
		"HostKey " + filepath.Join(dir, "host"),
		"AuthorizedKeysFile " + filepath.Join(dir, "authorized_keys"),
		"PidFile none",
		"UsePAM no",
		"StrictModes no",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password",
		"",
	}, "\n")), 0o600))
	argv := srv.Wrap([]string{sshdPath(t), "-D", "-e", "-f", conf})
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	// sshd listens a moment after it starts: a client sooner finds the
	// port closed and fails as "Connection closed by remote host".
	listening := false
	for end := time.Now().Add(10 * time.Second); !listening && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if c, err := client.Dial(context.Background(), "tcp", net.JoinHostPort(srv.IP, "22")); err == nil {
			c.Close()
			listening = true
		}
	}
	require.True(t, listening, "sshd listens on %s:22 within 10 s", srv.IP)

	self, err := os.Executable()
	require.NoError(t, err)
	proxy := strings.Join(append([]string{"env", helperEnv + "=pipe"}, client.Wrap([]string{self, "%h:%p"})...), " ")
	config := filepath.Join(dir, "ssh_config")
	require.NoError(t, os.WriteFile(config, []byte(strings.Join([]string{
		"Host *",
		"  IdentityFile " + filepath.Join(dir, "client"),
		"  IdentitiesOnly yes",
		"  UserKnownHostsFile " + filepath.Join(dir, "known_hosts"),
		"  StrictHostKeyChecking accept-new",
		"  ProxyCommand " + proxy,
		"",
	}, "\n")), 0o600))
	return &sshd{cmd: cmd, config: config}
}

func sshdPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/sshd", "sshd"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("the ssh: test needs OpenSSH's sshd (openssh-server)")
	return ""
}

// running lists the processes whose command line holds marker.
func running(t *testing.T, marker string) []string {
	t.Helper()
	var found []string
	dirs, err := filepath.Glob("/proc/[0-9]*/cmdline")
	require.NoError(t, err)
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err == nil && strings.Contains(string(b), marker) {
			found = append(found, strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return found
}

// The ssh: path against an OpenSSH server in a namespace: a server started
// through ssh:, checked through Dial (a forward on the master connection),
// loaded by `tribench load` run through ssh:, stopped by killing its local
// client; afterwards no sshd, server, ssh client or namespace of the run.
func TestAServerStartedCheckedAndLoadedOverSSH(t *testing.T) {
	needNamespaces(t)
	sshdPath(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Skip("the ssh: test needs OpenSSH's ssh (openssh-client)")
	}
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
		assert.Empty(t, running(t, dir), "processes of the run left behind")
	}()
	d := startSSHD(t, dir, n)

	host := "ssh:root@" + n.Server().IP
	f := File{Server: Spec{Host: host}, Loaders: []Spec{{Host: host + ":22"}}, SSHConfig: d.config}
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
		stopped = len(running(t, addr+" "+dir)) == 0
	}
	assert.True(t, stopped, "the remote server outlived its client: %v", running(t, addr+" "+dir))

	sshClosed = true
	require.NoError(t, sn.Close())
	assert.Empty(t, running(t, "ControlPath="+filepath.Join(os.TempDir(), prefix)), "no ssh master left")
	require.NoError(t, d.cmd.Process.Kill())
}
