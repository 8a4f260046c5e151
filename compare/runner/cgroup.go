package runner

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tribench/tribench/compare/disturb"
)

// MemoryCgroup names the memory cap method that puts the process tree in a
// child cgroup (v1 memory controller) of the harness's own, with a hard limit
// and the kernel's OOM killer disabled for it: a tree over its limit stalls,
// the harness sees it and kills it, and records "memory-limit".
const MemoryCgroup = "cgroup-v1"

// cgroupRoot is where the v1 memory controller is mounted, cpuacctRoot the
// v1 CPU accounting one.
const (
	cgroupRoot  = "/sys/fs/cgroup/memory"
	cpuacctRoot = "/sys/fs/cgroup/cpuacct"
)

var cgroupSeq atomic.Int64

// A memCgroup is one child memory cgroup holding one process tree.
type memCgroup struct {
	dir string
}

// newMemCgroup makes a child of the harness's own memory cgroup with a hard
// limit. It fails where the v1 controller is not mounted writable (cgroup v2
// only, not root, a read-only mount); the caller falls back to the watchdog.
func newMemCgroup(limit int64) (*memCgroup, error) {
	dir, err := newChild(cgroupRoot, "memory")
	if err != nil {
		return nil, err
	}
	c := &memCgroup{dir: dir}
	limitText := strconv.FormatInt(limit, 10)
	if err := c.write("memory.limit_in_bytes", limitText); err != nil {
		c.remove()
		return nil, err
	}
	// Swap must not let the tree escape its limit (memsw exists only with swap accounting).
	if _, err := os.Stat(filepath.Join(dir, "memory.memsw.limit_in_bytes")); err == nil {
		if err := c.write("memory.memsw.limit_in_bytes", limitText); err != nil {
			c.remove()
			return nil, err
		}
	}
	if err := c.write("memory.oom_control", "1"); err != nil {
		c.remove()
		return nil, err
	}
	return c, nil
}

// newChild makes a child of the harness's own v1 cgroup of controller,
// mounted at root.
func newChild(root, controller string) (string, error) {
	own, err := ownCgroup(controller)
	if err != nil {
		return "", err
	}
	parent := filepath.Join(root, own)
	removeStale(parent)
	dir := filepath.Join(parent, fmt.Sprintf("tribench-%d-%d", os.Getpid(), cgroupSeq.Add(1)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s cgroup: %w", controller, err)
	}
	return dir, nil
}

// ownCgroup reads the harness's v1 cgroup of controller from /proc/self/cgroup.
func ownCgroup(controller string) (string, error) {
	f, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return "", fmt.Errorf("read own cgroup: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// hierarchy-ID:controller-list:path
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		for _, ctl := range strings.Split(parts[1], ",") {
			if ctl == controller {
				return parts[2], nil
			}
		}
	}
	return "", fmt.Errorf("no v1 %s cgroup in /proc/self/cgroup", controller)
}

// removeStale removes empty cgroups left by a harness that was killed.
func removeStale(parent string) {
	dirs, _ := filepath.Glob(filepath.Join(parent, "tribench-*"))
	for _, d := range dirs {
		pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(filepath.Base(d), "tribench-"), "-", 2)[0])
		if err != nil || pid == os.Getpid() || syscall.Kill(pid, 0) == nil {
			continue
		}
		_ = os.Remove(d) // fails, harmlessly, while a process is still inside
	}
}

func (c *memCgroup) write(file, value string) error {
	if err := os.WriteFile(filepath.Join(c.dir, file), []byte(value), 0o644); err != nil {
		return fmt.Errorf("memory cgroup %s: %w", file, err)
	}
	return nil
}

func (c *memCgroup) readInt(file string) int64 { return readInt(filepath.Join(c.dir, file)) }

func readInt(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}

// procsFile is where a process writes its pid to join the cgroup.
func (c *memCgroup) procsFile() string { return filepath.Join(c.dir, "cgroup.procs") }

// peak is the most memory the tree was charged at once (its page cache included).
func (c *memCgroup) peak() int64 { return c.readInt("memory.max_usage_in_bytes") }

// usage is the memory the tree is charged now.
func (c *memCgroup) usage() int64 { return c.readInt("memory.usage_in_bytes") }

// underOOM reports whether the tree hit its limit and stalls there.
func (c *memCgroup) underOOM() bool {
	b, err := os.ReadFile(filepath.Join(c.dir, "memory.oom_control"))
	return err == nil && strings.Contains(string(b), "under_oom 1")
}

// killAll sends SIGKILL to every process in the cgroup, whatever its group.
func (c *memCgroup) killAll() { killAll(c.procsFile()) }

func killAll(procsFile string) {
	b, err := os.ReadFile(procsFile)
	if err != nil {
		return
	}
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// empty reports whether no process is left in the cgroup.
func (c *memCgroup) empty() bool { return empty(c.procsFile()) }

func empty(procsFile string) bool {
	b, err := os.ReadFile(procsFile)
	return err != nil || strings.TrimSpace(string(b)) == ""
}

func (c *memCgroup) remove() { _ = os.Remove(c.dir) }

// joinArgv wraps argv so the process joins every cgroup of procsFiles before
// it execs the target: nothing of the tree runs outside its limit or
// unaccounted.
func joinArgv(procsFiles []string, argv []string) []string {
	script := `while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"`
	out := append([]string{"/bin/sh", "-c", script, "sh"}, procsFiles...)
	return append(append(out, "--"), argv...)
}

// A cpuCgroup is one child cpuacct cgroup holding one process tree: its
// per-CPU time tells the tree's work from the rest of the machine's.
type cpuCgroup struct {
	dir string
}

// newCPUCgroup makes a child of the harness's own cpuacct cgroup. It fails
// where the v1 controller is not mounted writable; the caller then measures
// the tree by its rusage and says so.
func newCPUCgroup() (*cpuCgroup, error) {
	dir, err := newChild(cpuacctRoot, "cpuacct")
	if err != nil {
		return nil, err
	}
	return &cpuCgroup{dir: dir}, nil
}

func (c *cpuCgroup) procsFile() string { return filepath.Join(c.dir, "cgroup.procs") }

// usagePerCPU is the tree's CPU time by CPU number so far.
func (c *cpuCgroup) usagePerCPU() ([]time.Duration, error) {
	b, err := os.ReadFile(filepath.Join(c.dir, "cpuacct.usage_percpu"))
	if err != nil {
		return nil, fmt.Errorf("cpuacct cgroup: %w", err)
	}
	ns, err := disturb.ParseUsagePerCPU(b)
	if err != nil {
		return nil, err
	}
	out := make([]time.Duration, len(ns))
	for i, n := range ns {
		out[i] = time.Duration(n)
	}
	return out, nil
}

func (c *cpuCgroup) remove() { _ = os.Remove(c.dir) }
