package history

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/tribench/tribench/compare/results"
)

// A Machine is what groups runs whose figures can be set side by side: the
// CPU model and count, the kernel and the memory, as a run record's
// environment quotes them (toolchain.Env).
type Machine struct {
	CPU    string `json:"cpu"`
	Kernel string `json:"kernel"`
	Memory string `json:"memory"`
}

// MachineOf reads the machine of a run record.
func MachineOf(run results.Record) Machine {
	return Machine{CPU: run.Env["cpu"], Kernel: run.Env["kernel"], Memory: run.Env["memory"]}
}

// ID is the machine's fingerprint: a short hash of its three facts.
func (m Machine) ID() string {
	sum := sha256.Sum256([]byte(m.CPU + "\x00" + m.Kernel + "\x00" + m.Memory))
	return hex.EncodeToString(sum[:4])
}

func (m Machine) String() string {
	memory := m.Memory
	if memory == "" {
		memory = "memory not recorded"
	}
	return fmt.Sprintf("%s, %s, %s", or(m.CPU, "CPU not recorded"), or(m.Kernel, "kernel not recorded"), memory)
}

// Differences says how m differs from o, one line per fact.
func (m Machine) Differences(o Machine) []string {
	var out []string
	for _, f := range []struct{ name, a, b string }{{"CPU", m.CPU, o.CPU}, {"kernel", m.Kernel, o.Kernel}, {"memory", m.Memory, o.Memory}} {
		if f.a != f.b {
			out = append(out, fmt.Sprintf("%s %q, not %q", f.name, or(f.a, "-"), or(f.b, "-")))
		}
	}
	return out
}

func or(s, instead string) string {
	if s == "" {
		return instead
	}
	return s
}

// gitTimeout bounds each git command: the project state is a nicety, never
// a reason to hold a run.
const gitTimeout = 5 * time.Second

// Project reads the state of the source tree at root: its commit and whether
// it has changes not committed. Without git, or outside a work tree, it is
// empty.
func Project(ctx context.Context, root string) results.Project {
	commit, err := git(ctx, root, "rev-parse", "HEAD")
	if err != nil || commit == "" {
		return results.Project{}
	}
	status, err := git(ctx, root, "status", "--porcelain")
	return results.Project{Commit: commit, Dirty: err == nil && status != ""}
}

func git(ctx context.Context, root string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", root}, args...)...)
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
