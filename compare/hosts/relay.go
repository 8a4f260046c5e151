package hosts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// relayTimeout bounds the relay's short commands (making and removing its
// file) and how long its writer may take to finish once its input ends.
const relayTimeout = 15 * time.Second

// SameMachine reports whether h and o run on one machine, sharing its
// /proc and files: this machine's local and namespace hosts do; an ssh:
// host shares with an ssh: host at the same address and port only.
func (h *Host) SameMachine(o *Host) bool {
	if h.ssh == nil || o.ssh == nil {
		return h.ssh == nil && o.ssh == nil
	}
	return h.Addr.Host == o.Addr.Host && h.Addr.Port == o.Addr.Port
}

// A Relay copies a file that grows on one host into a file on another as
// it grows: a server's JIT log followed by a loader on another machine.
type Relay struct {
	reader, writer *exec.Cmd
	to             *Host
	dest           string
	written        chan error
}

// StartRelay follows path on from (tail -F, from its first line) and
// appends what it reads to dest on to, which it makes empty first (its
// folder too), so dest exists when StartRelay returns.
func StartRelay(ctx context.Context, from *Host, path string, to *Host, dest string) (*Relay, error) {
	if err := to.RunShort(ctx, "sh", "-c", `mkdir -p "$(dirname "$1")" && : > "$1"`, "sh", dest); err != nil {
		return nil, fmt.Errorf("relay %s: make %s: %w", path, dest, err)
	}
	r := &Relay{to: to, dest: dest, written: make(chan error, 1)}
	argv := to.wrapFeed([]string{"sh", "-c", `exec cat >> "$1"`, "sh", dest})
	r.writer = exec.Command(argv[0], argv[1:]...)
	argv = from.Wrap([]string{"tail", "-n", "+0", "-F", path})
	r.reader = exec.Command(argv[0], argv[1:]...)
	for _, c := range []*exec.Cmd{r.reader, r.writer} {
		// Its own process group, stopped whole with the wrapper's children.
		c.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("relay %s: %w", path, err)
	}
	r.reader.Stdout, r.writer.Stdin = pw, pr
	err = r.writer.Start()
	if err == nil {
		if err = r.reader.Start(); err != nil {
			_ = syscall.Kill(-r.writer.Process.Pid, syscall.SIGKILL)
			_ = r.writer.Wait()
		}
	}
	// The children hold the pipe's ends now: the writer's input ends when
	// the reader does.
	pr.Close()
	pw.Close()
	if err != nil {
		return nil, fmt.Errorf("relay %s: %w", path, err)
	}
	go func() { r.written <- r.writer.Wait() }()
	return r, nil
}

// Stop ends the relay: the reader killed, the writer left to write what it
// has and end with its input (killed if it does not within relayTimeout),
// and dest removed, with its folder when that is left empty.
func (r *Relay) Stop() error {
	_ = syscall.Kill(-r.reader.Process.Pid, syscall.SIGKILL)
	_ = r.reader.Wait()
	select {
	case <-r.written:
	case <-time.After(relayTimeout):
		_ = syscall.Kill(-r.writer.Process.Pid, syscall.SIGKILL)
		<-r.written
	}
	if err := r.to.RunShort(context.Background(), "sh", "-c", `rm -f "$1"; rmdir "$(dirname "$1")" 2>/dev/null; exit 0`, "sh", r.dest); err != nil {
		return fmt.Errorf("relay: remove %s: %w", r.dest, err)
	}
	return nil
}

// RunShort runs a short command on h (making or removing a file there),
// bounded in time, its stderr in the error.
func (h *Host) RunShort(ctx context.Context, argv ...string) error {
	ctx, cancel := context.WithTimeout(ctx, relayTimeout)
	defer cancel()
	argv = h.wrapFeed(argv)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = time.Second
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return errors.Join(err, errors.New(strings.TrimSpace(stderr.String())))
	}
	return nil
}

// wrapFeed is Wrap for a command that reads the input it is given and ends
// with it: on an ssh: host the client passes its own input through (no
// keep-open loop, no watchdog: the input's end, sent on by ssh, is what
// stops the command, and a killed client closes the channel, which ends
// it too).
func (h *Host) wrapFeed(argv []string) []string {
	if h.ssh == nil {
		return h.Wrap(argv)
	}
	remote := make([]string, len(argv))
	for i, a := range argv {
		remote[i] = shellQuote(a)
	}
	return append(h.ssh.args(), "--", strings.Join(remote, " "))
}
