package hosts

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sshTimeout bounds one ssh control command: bringing the master up, a
// forward, an exit.
const sshTimeout = 30 * time.Second

// keepOpen runs the ssh client with a standard input that stays open while
// it runs (a newline a second, which the far side discards): the far side
// stops the command when that input ends, which is how a killed client
// stops its remote process. The loop ends at its next write after ssh does,
// so a command's exit is seen up to a second late.
const keepOpen = `while :; do echo || exit 0; sleep 1; done | "$@"`

// watchdog runs on the far side: the command in the background, stopped
// (SIGTERM) when the connection's standard input ends, which it does when
// the local client is killed. OpenSSH sends no signal to a command without
// a terminal, and a terminal would merge its stderr into stdout.
// A background command's input is /dev/null unless redirected, hence fd 3.
const watchdog = `exec 3<&0; "$@" 3<&- & p=$!; { cat <&3 >/dev/null; kill $p; } >/dev/null 2>&1 & w=$!; exec 3<&-; wait $p; s=$?; kill $w 2>/dev/null; exit $s`

// An sshClient reaches one ssh: host through the OpenSSH client, over one
// master connection (ControlMaster) shared by every command and forward.
type sshClient struct {
	addr Address
	// dir holds the master's control socket (the run's temporary folder).
	dir string
	// config, when set, is the client configuration used instead of
	// ~/.ssh/config (ssh -F).
	config string

	mu       sync.Mutex
	forwards map[string]string // remote host:port -> local 127.0.0.1:port
}

// args is the ssh command line up to the destination: key authentication
// only (BatchMode: no password prompt), the shared master connection.
func (c *sshClient) args(extra ...string) []string {
	return append(c.options(extra...), c.addr.User+"@"+strings.Trim(c.addr.Host, "[]"))
}

// options is the ssh command line without its destination.
func (c *sshClient) options(extra ...string) []string {
	a := []string{"ssh", "-o", "BatchMode=yes", "-o", "ControlMaster=auto",
		"-o", "ControlPath=" + c.dir + "/%C", "-o", "ControlPersist=60"}
	if c.config != "" {
		a = append(a, "-F", c.config)
	}
	a = append(a, extra...)
	return append(a, "-p", strconv.Itoa(c.addr.Port))
}

// up opens the master connection: the first command through it makes it,
// and it persists for the others.
func (c *sshClient) up(ctx context.Context) error {
	return sshRun(ctx, append(c.args(), "--", "true"))
}

// memoryCheck is run on an ssh: host to learn whether `hosts exec` can put
// a process tree in a memory cgroup there, as compare/runner does: it says
// why not, or nothing.
const memoryCheck = `if [ "$(id -u)" != 0 ]; then echo "not root there"; ` +
	`elif ! grep -Eq '^[0-9]+:([^:]*,)?memory(,[^:]*)?:' /proc/self/cgroup || [ ! -w /sys/fs/cgroup/memory ]; then ` +
	`echo "no writable v1 memory cgroup there"; fi`

// memoryNote says how a memory limit is held on the host: "" when by a
// cgroup, else by the RSS watchdog and why.
func (c *sshClient) memoryNote(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, sshTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, c.args()[0], append(c.args()[1:], "--", memoryCheck)...).Output()
	if err != nil {
		return "", fmt.Errorf("memory cgroup check: %w", err)
	}
	if why := strings.TrimSpace(string(out)); why != "" {
		return "memory limits by the RSS watchdog, not a cgroup: " + why, nil
	}
	return "", nil
}

// close ends the master connection (its forwards with it).
func (c *sshClient) close() error {
	return sshRun(context.Background(), c.args("-O", "exit"))
}

// wrap is the local argument vector running argv on the host.
func (c *sshClient) wrap(argv []string) []string {
	remote := make([]string, 0, len(argv)+4)
	for _, a := range append([]string{"sh", "-c", watchdog, "sh"}, argv...) {
		remote = append(remote, shellQuote(a))
	}
	return append([]string{"sh", "-c", keepOpen, "sh"}, append(c.args(), "--", strings.Join(remote, " "))...)
}

// dial connects to addr as seen from the host, through a local forward on
// the master connection (made once per address): a plain TCP connection on
// loopback here, so deadlines and everything else of net.Conn hold.
func (c *sshClient) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	local, err := c.forward(ctx, addr)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, network, local)
}

func (c *sshClient) forward(ctx context.Context, addr string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if local, ok := c.forwards[addr]; ok {
		return local, nil
	}
	// The port is found free and given to ssh: another process could take
	// it in between, and then the forward fails with a clear error.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("a local port for a forward to %s: %w", addr, err)
	}
	local := l.Addr().String()
	l.Close()
	if err := sshRun(ctx, c.args("-O", "forward", "-L", local+":"+addr)); err != nil {
		return "", err
	}
	if c.forwards == nil {
		c.forwards = map[string]string{}
	}
	c.forwards[addr] = local
	return local, nil
}

// sshRun runs one ssh control command, bounded in time, its stderr in the error.
func sshRun(ctx context.Context, argv []string) error {
	ctx, cancel := context.WithTimeout(ctx, sshTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	// The master started by the first command lives on in the background
	// with this command's stderr: a file, so reading it does not wait for
	// the master to end.
	errf, err := os.CreateTemp("", "tribench-ssh-*.err")
	if err != nil {
		return fmt.Errorf("ssh: %w", err)
	}
	defer os.Remove(errf.Name())
	defer errf.Close()
	cmd.Stderr = errf
	if err := cmd.Run(); err != nil {
		msg, _ := os.ReadFile(errf.Name())
		return fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(msg)))
	}
	return nil
}

// shellQuote makes s one word for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
