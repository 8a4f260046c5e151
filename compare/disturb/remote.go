package disturb

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SnapshotTimeout bounds one remote snapshot: the command through ssh and
// its answer. A host that does not answer in time leaves the window
// unjudged rather than holding up the run.
const SnapshotTimeout = 15 * time.Second

// A Snapshot is one end of a window on a host: its CPU counters and the
// CPU time of the server trees it runs, taken there by `tribench disturb
// snapshot` so that a server on another machine is judged by that
// machine's counters.
type Snapshot struct {
	Stat map[int]Times `json:"stat"`
	// PIDs are the processes of the trees: those listening on the given
	// ports and their descendants.
	PIDs []int `json:"pids"`
	// TreeTicks is their user and system time, their waited-for children's
	// included, in ticks of /proc/PID/stat.
	TreeTicks uint64 `json:"tree_ticks"`
}

// TakeSnapshot reads this machine's /proc: the per-CPU counters and the
// trees of the processes listening on ports (TCP, in this network
// namespace). A port nobody listens on is an error: without its tree every
// tick of the server would read as foreign.
func TakeSnapshot(ports []int) (Snapshot, error) {
	stat, err := readStat()
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{Stat: stat}
	if len(ports) == 0 {
		return s, nil
	}
	procs, err := readProcs()
	if err != nil {
		return Snapshot{}, err
	}
	inodes, err := listeners(ports)
	if err != nil {
		return Snapshot{}, err
	}
	roots, found := socketOwners(procs, inodes)
	for _, p := range ports {
		if !found[p] {
			return Snapshot{}, fmt.Errorf("no process listens on port %d here: the server's tree is unknown", p)
		}
	}
	s.PIDs = tree(procs, roots)
	for _, pid := range s.PIDs {
		s.TreeTicks += procs[pid].ticks
	}
	return s, nil
}

// A proc is what a process's /proc/PID/stat says of it.
type proc struct {
	ppid  int
	ticks uint64 // utime + stime + cutime + cstime
}

func readProcs() (map[int]proc, error) {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return nil, fmt.Errorf("list processes: %w", err)
	}
	out := map[int]proc{}
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // it exited meanwhile
		}
		pid, p, err := parseProcStat(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out[pid] = p
	}
	return out, nil
}

// parseProcStat reads a process's pid, parent and CPU ticks (its own and
// its waited-for children's, user and system) from /proc/PID/stat.
func parseProcStat(b []byte) (pid int, p proc, err error) {
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 1 || end < open {
		return 0, proc{}, fmt.Errorf("bad /proc/PID/stat %q", s)
	}
	if pid, err = strconv.Atoi(strings.TrimSpace(s[:open])); err != nil {
		return 0, proc{}, fmt.Errorf("bad pid in /proc/PID/stat: %w", err)
	}
	// After the command: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
	f := strings.Fields(s[end+1:])
	if len(f) < 15 {
		return 0, proc{}, fmt.Errorf("/proc/%d/stat has %d fields after the command, want at least 15", pid, len(f))
	}
	if p.ppid, err = strconv.Atoi(f[1]); err != nil {
		return 0, proc{}, fmt.Errorf("/proc/%d/stat: parent: %w", pid, err)
	}
	for _, v := range f[11:15] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, proc{}, fmt.Errorf("/proc/%d/stat: CPU time: %w", pid, err)
		}
		p.ticks += uint64(max(n, 0))
	}
	return pid, p, nil
}

// listeners maps the inodes of the TCP sockets listening on ports to
// their port.
func listeners(ports []int) (map[string]int, error) {
	out := map[string]int{}
	read := 0
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // no IPv6 here
		}
		read++
		for inode, port := range parseListeners(b) {
			if slices.Contains(ports, port) {
				out[inode] = port
			}
		}
	}
	if read == 0 {
		return nil, errors.New("read /proc/net/tcp: no TCP table")
	}
	return out, nil
}

// parseListeners reads a /proc/net/tcp table: the inode of every socket in
// the listening state, with its port.
func parseListeners(b []byte) map[string]int {
	const listen = "0A"
	out := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 10 || f[3] != listen {
			continue
		}
		_, hex, ok := strings.Cut(f[1], ":")
		port, err := strconv.ParseUint(hex, 16, 16)
		if !ok || err != nil {
			continue
		}
		out[f[9]] = int(port)
	}
	return out
}

// socketOwners are the processes holding one of the sockets, and the
// ports found held.
func socketOwners(procs map[int]proc, inodes map[string]int) ([]int, map[int]bool) {
	var owners []int
	found := map[int]bool{}
	for pid := range procs {
		fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		if err != nil {
			continue // another user's, or gone
		}
		for _, fd := range fds {
			link, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
			if inode, ok := strings.CutPrefix(link, "socket:["); err == nil && ok {
				if port, ok := inodes[strings.TrimSuffix(inode, "]")]; ok {
					owners, found[port] = append(owners, pid), true
					break
				}
			}
		}
	}
	return owners, found
}

// tree is roots and their descendants, sorted.
func tree(procs map[int]proc, roots []int) []int {
	children := map[int][]int{}
	for pid, p := range procs {
		children[p.ppid] = append(children[p.ppid], pid)
	}
	seen := map[int]bool{}
	for todo := roots; len(todo) > 0; {
		pid := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if !seen[pid] {
			seen[pid] = true
			todo = append(todo, children[pid]...)
		}
	}
	out := make([]int, 0, len(seen))
	for pid := range seen {
		out = append(out, pid)
	}
	slices.Sort(out)
	return out
}

// Between is the reading of cpus (every CPU of the snapshots when empty)
// from one snapshot to the next, the trees' use their ticks' difference
// (not split by CPU: the server is pinned to the judged CPUs).
func Between(before, after Snapshot, cpus []int) Reading {
	if len(cpus) == 0 {
		for c := range before.Stat {
			cpus = append(cpus, c)
		}
		slices.Sort(cpus)
	}
	tree := Tree{Total: time.Duration(sub(after.TreeTicks, before.TreeTicks)) * time.Second / userHZ,
		Note: "the server's tree read from /proc/PID/stat on its host, not split by CPU"}
	return Measure(before.Stat, after.Stat, cpus, tree)
}

// Remote is the Meter of a server on another host: each end of a window
// is a Snapshot taken there by Argv (`tribench disturb snapshot`) run
// through Wrap, so the reading is that host's CPUs and that host's trees.
type Remote struct {
	// Wrap makes an argument vector run on the host (hosts.Host.Wrap).
	Wrap func([]string) []string
	// Argv is the snapshot command there, without its --port flags.
	Argv []string
	// Ports are the ports the servers whose trees are the measured ones
	// listen on.
	Ports []int
}

// Start takes the window's first snapshot; a failure is kept and read out
// as an unjudged reading at the end.
func (m Remote) Start(cpus []int) Window {
	w := &remoteWindow{m: m, cpus: cpus}
	w.before, w.err = m.snapshot()
	return w
}

type remoteWindow struct {
	m      Remote
	cpus   []int
	before Snapshot
	err    error
}

// StopWith takes the second snapshot; the runner's tree (the loader's,
// here) is not the server's and is not used.
func (w *remoteWindow) StopWith(Tree) Reading {
	if w.err != nil {
		return Reading{CPUs: w.cpus, Note: w.err.Error()}
	}
	after, err := w.m.snapshot()
	if err != nil {
		return Reading{CPUs: w.cpus, Note: err.Error()}
	}
	return Between(w.before, after, w.cpus)
}

// snapshot runs the snapshot command and decodes its answer as soon as it
// is complete: an ssh: host's wrapper notices its command's end up to a
// second late, and waiting for it would widen the window.
func (m Remote) snapshot() (Snapshot, error) {
	argv := slices.Clone(m.Argv)
	for _, p := range m.Ports {
		argv = append(argv, "--port", strconv.Itoa(p))
	}
	argv = m.Wrap(argv)
	ctx, cancel := context.WithTimeout(context.Background(), SnapshotTimeout)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return Snapshot{}, fmt.Errorf("remote reading: %w", err)
	}
	if err := cmd.Start(); err != nil {
		cancel()
		return Snapshot{}, fmt.Errorf("remote reading: %w", err)
	}
	var s Snapshot
	decErr := json.NewDecoder(out).Decode(&s)
	if decErr == nil {
		// The command has answered: its wrapper is left to end on its own,
		// within the timeout.
		go func() { _ = cmd.Wait(); cancel() }()
		return s, nil
	}
	defer cancel()
	waitErr := cmd.Wait()
	return Snapshot{}, fmt.Errorf("remote reading: %s: %w", strings.Join(m.Argv, " "),
		errors.Join(first(waitErr, decErr), errors.New(strings.TrimSpace(stderr.String()))))
}

// ErrUsage is Main's answer to arguments it does not know.
var ErrUsage = errors.New("usage: tribench disturb snapshot [--port N]...")

// Main is `tribench disturb`: its one subcommand, snapshot, prints this
// machine's Snapshot as JSON.
func Main(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "snapshot" {
		return ErrUsage
	}
	fs := flag.NewFlagSet("disturb snapshot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ports portList
	fs.Var(&ports, "port", "a port the measured server listens on; its process tree is the measured one (repeatable)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("disturb snapshot: unexpected arguments %q", fs.Args())
	}
	s, err := TakeSnapshot(ports)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(s)
}

// portList is a repeatable --port flag.
type portList []int

func (p *portList) String() string { return fmt.Sprint([]int(*p)) }

func (p *portList) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %q is not 1 to 65535", v)
	}
	*p = append(*p, n)
	return nil
}

// Listener is the process listening on TCP port on this machine (in this
// network namespace): of the socket's holders, the one whose parent is
// not one (the server's tree's root, not a worker it forked).
func Listener(port int) (int, error) {
	procs, err := readProcs()
	if err != nil {
		return 0, err
	}
	inodes, err := listeners([]int{port})
	if err != nil {
		return 0, err
	}
	owners, found := socketOwners(procs, inodes)
	if !found[port] {
		return 0, fmt.Errorf("no process listens on port %d here", port)
	}
	slices.Sort(owners)
	for _, pid := range owners {
		if !slices.Contains(owners, procs[pid].ppid) {
			return pid, nil
		}
	}
	return owners[0], nil
}
