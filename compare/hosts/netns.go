package hosts

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// ipTimeout bounds one ip or tc command.
const ipTimeout = 10 * time.Second

// netnsDir is where ip netns keeps its named namespaces.
const netnsDir = "/run/netns"

// prefixPattern reads a run's prefix back from a namespace name: tb-PID-N-.
var prefixPattern = regexp.MustCompile(`^tb-([0-9]+)-[0-9]+-`)

var runs atomic.Int64

// NewPrefix is a fresh prefix for one run's names, tb-PID-N-: the PID lets
// Sweep tell a dead run's leftovers from a live one's.
func NewPrefix() string {
	return fmt.Sprintf("tb-%d-%d-", os.Getpid(), runs.Add(1))
}

// A Host is one host of a run, up.
type Host struct {
	Spec Spec
	Addr Address
	// NS is the namespace's full name (the run's prefix and Addr.Name); ""
	// for a local host.
	NS string
	// IP is the address others reach it at.
	IP string

	// MemoryNote, on an ssh: host, says when a memory limit cannot be a
	// cgroup there (the far side is not root or has no v1 memory cgroup) and
	// is held by the RSS watchdog instead; "" otherwise.
	MemoryNote string

	ssh *sshClient // an ssh: host's client; nil for the others
}

// A Net is the hosts of one run: the server's first, then the loaders'.
// Close removes every namespace (its links and processes go with it).
type Net struct {
	Prefix string
	Hosts  []*Host
	made   []string // namespaces made, in order
	// sshDir holds the ssh: hosts' control sockets; masters are the hosts
	// whose master connection is up.
	sshDir  string
	masters []*sshClient
}

// LocalHost is this machine as a host: a process runs as it is and is
// reached over loopback.
func LocalHost() *Host {
	return &Host{Spec: Spec{Host: Local}, Addr: Address{Kind: Local}, IP: "127.0.0.1"}
}

// String names the host as its hosts file does, with the address others
// reach it at when that is not loopback: "netns:server (198.18.0.1)".
func (h *Host) String() string {
	if h.IP == "" || h.IP == "127.0.0.1" {
		return h.Spec.Host
	}
	return fmt.Sprintf("%s (%s)", h.Spec.Host, h.IP)
}

// Server is the server's host.
func (n *Net) Server() *Host { return n.Hosts[0] }

// Loaders are the loaders' hosts.
func (n *Net) Loaders() []*Host { return n.Hosts[1:] }

// Up brings a hosts file's hosts up under prefix: stale namespaces of dead
// runs swept, one namespace per netns host, every two joined by a veth
// pair of their own, addresses from 198.18.0.0/24, no forwarding and no
// default route anywhere. A failed Up leaves nothing.
func Up(ctx context.Context, f File, prefix string) (_ *Net, err error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	n := &Net{Prefix: prefix}
	defer func() {
		if err != nil {
			err = errors.Join(err, n.Close())
		}
	}()
	var ns []*Host
	for i, s := range f.All() {
		a, _ := ParseAddress(s.Host)
		h := LocalHost()
		h.Spec, h.Addr = s, a
		switch a.Kind {
		case SSH:
			if n.sshDir == "" {
				// Short: a control socket's path must fit in 108 bytes.
				if n.sshDir, err = os.MkdirTemp("", prefix+"ssh"); err != nil {
					return nil, fmt.Errorf("ssh control folder: %w", err)
				}
			}
			h.IP = strings.Trim(a.Host, "[]")
			h.ssh = &sshClient{addr: a, dir: n.sshDir, config: f.SSHConfig}
			// Hosts at one destination share one master: it is closed once.
			if i := slices.IndexFunc(n.masters, func(c *sshClient) bool { return c.addr == a }); i >= 0 {
				h.ssh = n.masters[i]
			} else {
				if err := h.ssh.up(ctx); err != nil {
					return nil, fmt.Errorf("host %s: %w", s.Host, err)
				}
				n.masters = append(n.masters, h.ssh)
			}
			if h.MemoryNote, err = h.ssh.memoryNote(ctx); err != nil {
				return nil, fmt.Errorf("host %s: %w", s.Host, err)
			}
		case NetNS:
			// The benchmarking range of RFC 2544 (198.18.0.0/15), never
			// routed, so test traffic cannot leave the machine.
			h.NS, h.IP = prefix+a.Name, fmt.Sprintf("198.18.0.%d", i+1)
			ns = append(ns, h)
		}
		n.Hosts = append(n.Hosts, h)
	}
	if len(ns) == 0 {
		return n, nil
	}
	if _, err := Sweep(); err != nil {
		return nil, err
	}
	for _, h := range ns {
		if err := n.add(ctx, h.NS); err != nil {
			return nil, err
		}
	}
	// A veth pair between every two hosts, like a NIC each: a bridge would
	// make the sending CPU forward every packet too (a switch costs a real
	// server nothing), about 11 µs of the server's CPU per request here.
	// Each host has its one address on every link and a route to each peer
	// over its own link; in host i the link to host j is tb<j>.
	for i, a := range ns {
		for j := i + 1; j < len(ns); j++ {
			b := ns[j]
			ends := [2]struct {
				h, peer *Host
				dev     string
			}{{a, b, linkTo(j)}, {b, a, linkTo(i)}}
			if err := ip(ctx, "link", "add", "name", ends[0].dev, "netns", a.NS, "type", "veth", "peer", "name", ends[1].dev, "netns", b.NS); err != nil {
				return nil, err
			}
			for _, e := range ends {
				for _, args := range [][]string{
					{"-n", e.h.NS, "addr", "add", e.h.IP + "/32", "dev", e.dev},
					{"-n", e.h.NS, "link", "set", e.dev, "up"},
					{"-n", e.h.NS, "route", "add", e.peer.IP + "/32", "dev", e.dev},
				} {
					if err := ip(ctx, args...); err != nil {
						return nil, err
					}
				}
				if f.Bandwidth != "" {
					if err := run(ctx, "tc", "-n", e.h.NS, "qdisc", "add", "dev", e.dev, "root", "tbf",
						"rate", f.Bandwidth, "burst", "256kb", "latency", "50ms"); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	return n, nil
}

// linkTo names a host's interface to the i-th host of the file (the server
// is 0): interfaces are made inside the namespaces, never in the root one,
// so names cannot clash.
func linkTo(i int) string { return fmt.Sprintf("tb%d", i) }

// add makes namespace name with its loopback up, remembered for Close.
func (n *Net) add(ctx context.Context, name string) error {
	if err := ip(ctx, "netns", "add", name); err != nil {
		return err
	}
	n.made = append(n.made, name)
	return ip(ctx, "-n", name, "link", "set", "lo", "up")
}

// Close kills what still runs in the run's namespaces and deletes them,
// their links with them. It runs to the end whatever failed, and does not
// take a context: it must work after Ctrl-C.
func (n *Net) Close() error {
	var errs []error
	for _, name := range slices.Backward(n.made) {
		errs = append(errs, remove(name))
	}
	n.made = nil
	for _, c := range n.masters {
		errs = append(errs, c.close())
	}
	n.masters = nil
	if n.sshDir != "" {
		errs = append(errs, os.RemoveAll(n.sshDir))
		n.sshDir = ""
	}
	return errors.Join(errs...)
}

// remove kills every process in namespace name and deletes it.
func remove(name string) error {
	ctx := context.Background()
	out, err := exec.CommandContext(ctx, "ip", "netns", "pids", name).Output()
	if err == nil {
		for _, f := range strings.Fields(string(out)) {
			// Never this process: a thread of it may be inside for a moment
			// (Dial), and /proc shows the process where its main thread is.
			if pid, err := strconv.Atoi(f); err == nil && pid != os.Getpid() {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
	if err := ip(ctx, "netns", "del", name); err != nil {
		if _, statErr := os.Stat(filepath.Join("/run/netns", name)); errors.Is(statErr, fs.ErrNotExist) {
			return nil // another sweep removed it first: gone is what was asked
		}
		return fmt.Errorf("remove namespace %s: %w", name, err)
	}
	return nil
}

// Sweep removes the namespaces of runs whose process is gone (killed with
// kill -9, which no Close outlives) and returns their names. A live run's
// are left alone.
func Sweep() ([]string, error) {
	names, err := Namespaces("tb-")
	if err != nil {
		return nil, err
	}
	var swept []string
	var errs []error
	for _, name := range names {
		m := prefixPattern.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		if pid, _ := strconv.Atoi(m[1]); alive(pid) {
			continue
		}
		if err := remove(name); err != nil {
			errs = append(errs, err)
			continue
		}
		swept = append(swept, name)
	}
	return swept, errors.Join(errs...)
}

// alive reports whether process pid exists (EPERM: it does, not ours).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Namespaces lists the named network namespaces whose name starts with prefix.
func Namespaces(prefix string) ([]string, error) {
	entries, err := os.ReadDir(netnsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list namespaces: %w", err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// Wrap is the argument vector that runs argv on the host: in its namespace
// for a namespace host, over the master connection for an ssh: host (killing
// it stops the remote command; it gets no standard input), as it is for a
// local one.
func (h *Host) Wrap(argv []string) []string {
	if h.ssh != nil {
		return h.ssh.wrap(argv)
	}
	if h.NS == "" {
		return argv
	}
	return append([]string{"ip", "netns", "exec", h.NS}, argv...)
}

// Dial opens a connection from the host: from inside its namespace for a
// namespace host, so the harness (in the root namespace, which has no route
// to them) reaches a namespace server as a loader there would; through a
// forward on the master connection for an ssh: host.
func (h *Host) Dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if h.ssh != nil {
		return h.ssh.dial(ctx, network, addr)
	}
	var d net.Dialer
	if h.NS == "" {
		return d.DialContext(ctx, network, addr)
	}
	type dialed struct {
		c   net.Conn
		err error
	}
	ch := make(chan dialed, 1)
	go func() {
		// The thread goes back to its own namespace before it is unlocked; if
		// it cannot, it stays locked and ends with this goroutine. The main
		// thread cannot end, and it is the one /proc/PID/ns/net shows: left in
		// another namespace, the process would count as that namespace's. A
		// socket keeps the namespace it was made in, on any thread later.
		runtime.LockOSThread()
		own, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			ch <- dialed{err: fmt.Errorf("this thread's namespace: %w", err)}
			return
		}
		defer unix.Close(own)
		fd, err := unix.Open(filepath.Join(netnsDir, h.NS), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			ch <- dialed{err: fmt.Errorf("open namespace %s: %w", h.NS, err)}
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			ch <- dialed{err: fmt.Errorf("enter namespace %s: %w", h.NS, err)}
			return
		}
		c, err := d.DialContext(ctx, network, addr)
		if unix.Setns(own, unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		ch <- dialed{c, err}
	}()
	r := <-ch
	return r.c, r.err
}

func ip(ctx context.Context, args ...string) error { return run(ctx, "ip", args...) }

// run runs one ip or tc command, bounded in time, its stderr in the error.
func run(ctx context.Context, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, ipTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
