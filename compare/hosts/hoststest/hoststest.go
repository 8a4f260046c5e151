// Package hoststest holds what the tests of ssh: hosts share: an OpenSSH
// server started by the test inside a network namespace it made, the client
// configuration reaching it from the root namespace, and process checks.
package hoststest

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pipeEnv makes a test binary the ssh ProxyCommand (Helper).
const pipeEnv = "TRIBENCH_HOSTSTEST_PIPE"

// Helper runs this test binary as a helper the package started, and exits,
// when it was started as one: call it first in TestMain.
func Helper() {
	if os.Getenv(pipeEnv) != "" && len(os.Args) == 2 {
		os.Exit(pipe(os.Args[1]))
	}
}

// pipe is an ssh ProxyCommand: it connects to addr and copies standard
// input and output to and from it, so the client (in the root namespace,
// which has no route to the run's) reaches an sshd in a namespace.
// sshd listens a moment after it starts, so a refused connection is tried
// again for up to 10 s: a client connecting sooner would otherwise fail as
// "kex_exchange_identification: Connection closed by remote host".
func pipe(addr string) int {
	var c net.Conn
	var err error
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err = net.DialTimeout("tcp", addr, 10*time.Second); err == nil || time.Now().After(end) {
			break
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go func() { _, _ = io.Copy(c, os.Stdin); c.(*net.TCPConn).CloseWrite() }()
	_, _ = io.Copy(os.Stdout, c)
	return 0
}

// An SSHD is an OpenSSH server a test runs itself, in a namespace of its
// own, with a temporary host key and the test's temporary client key as
// its only authorized key.
type SSHD struct {
	Cmd *exec.Cmd
	// Config is the client configuration reaching it (ssh -F): its key, its
	// known hosts, and a ProxyCommand run inside a namespace with a route.
	Config string
}

// StartSSHD starts sshd listening on ip:22, run by wrap (inside its
// namespace), its files in dir; the client reaches it through a pipe run
// by via (inside a namespace with a route to ip). The test's cleanup kills
// it; never is it left in the root namespace.
func StartSSHD(t *testing.T, dir, ip string, wrap, via func([]string) []string) *SSHD {
	t.Helper()
	for _, key := range []string{"host", "client"} {
		if _, err := os.Stat(filepath.Join(dir, key)); err == nil {
			continue // a second sshd of the test shares its keys
		}
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", filepath.Join(dir, key)).CombinedOutput()
		require.NoError(t, err, string(out))
	}
	pub, err := os.ReadFile(filepath.Join(dir, "client.pub"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600))
	// sshd refuses to start without its privilege separation folder.
	require.NoError(t, os.MkdirAll("/run/sshd", 0o755))
	conf := filepath.Join(dir, "sshd_config-"+ip)
	require.NoError(t, os.WriteFile(conf, []byte(strings.Join([]string{
		"ListenAddress " + ip + ":22",
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
	argv := wrap([]string{SSHDPath(t), "-D", "-e", "-f", conf})
	require.NotEqual(t, SSHDPath(t), argv[0], "sshd runs inside a namespace, never in the root one")
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	self, err := os.Executable()
	require.NoError(t, err)
	proxy := strings.Join(append([]string{"env", pipeEnv + "=1"}, via([]string{self, "%h:%p"})...), " ")
	config := filepath.Join(dir, "ssh_config-"+ip)
	require.NoError(t, os.WriteFile(config, []byte(strings.Join([]string{
		"Host *",
		"  IdentityFile " + filepath.Join(dir, "client"),
		"  IdentitiesOnly yes",
		"  UserKnownHostsFile " + filepath.Join(dir, "known_hosts"),
		"  StrictHostKeyChecking accept-new",
		"  ProxyCommand " + proxy,
		"",
	}, "\n")), 0o600))
	return &SSHD{Cmd: cmd, Config: config}
}

// NeedSSH skips the test, with one line saying why, where the OpenSSH
// server or client is not installed.
func NeedSSH(t *testing.T) {
	t.Helper()
	SSHDPath(t)
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Skip("the ssh: test needs OpenSSH's ssh (openssh-client)")
	}
}

// SSHDPath is sshd's path; the test is skipped without it.
func SSHDPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/sshd", "sshd"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("the ssh: test needs OpenSSH's sshd (openssh-server)")
	return ""
}

// Running lists the processes whose command line holds marker.
func Running(t *testing.T, marker string) []string {
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
