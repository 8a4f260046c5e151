package toolchain

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tribench/tribench/compare/disturb"
)

// Limits of the system check: a process using more than busyShare of a CPU
// over the sample, a load average at or above busyLoad (a CPU's worth of
// runnable work) or steal above stealShare would show in a benchmark.
const (
	busyShare  = 0.05
	busyLoad   = 1.0
	stealShare = 0.01
	// busyListed caps the busy processes listed, busiest first.
	busyListed = 5
)

// A Finding is one line of the system check.
type Finding struct {
	// Name is what was checked: "busy process", "load average", ...
	Name string `json:"name"`
	// Warning is true when it would disturb a run.
	Warning bool   `json:"warning"`
	Detail  string `json:"detail"`
}

func (f Finding) String() string {
	level := "OK"
	if f.Warning {
		level = "WARNING"
	}
	return fmt.Sprintf("%-7s  %s: %s", level, f.Name, f.Detail)
}

// Check lists what would disturb a run now, like pyperf's system check: the
// processes busy over a sample of the given length (this process left out),
// steal over it, the load average, the CPU frequency governor and turbo, the
// transparent huge pages mode and ASLR. It never fails: what cannot be read
// is said so.
func Check(ctx context.Context, sample time.Duration) []Finding {
	var out []Finding
	procsBefore := processTicks()
	statBefore, statErr := os.ReadFile("/proc/stat")
	select {
	case <-ctx.Done():
	case <-time.After(sample):
	}
	out = append(out, busyProcesses(procsBefore, processTicks(), sample)...)
	out = append(out, steal(statBefore, statErr))
	out = append(out, loadAverage(), governor(), turbo(), hugePages(), aslr())
	return out
}

// A proc is one process's name and CPU ticks (user+sys) so far.
type proc struct {
	comm  string
	ticks uint64
}

// processTicks reads every process's CPU ticks but this one's.
func processTicks() map[int]proc {
	out := map[int]proc{}
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range dirs {
		pid, err := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		if err != nil || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			continue // it exited meanwhile
		}
		if comm, ticks, err := ParseProcStat(b); err == nil {
			out[pid] = proc{comm: comm, ticks: ticks}
		}
	}
	return out
}

// ParseProcStat reads a process's name and user+sys ticks from the text of
// /proc/PID/stat (the name, in parentheses, may hold spaces and parentheses).
func ParseProcStat(b []byte) (string, uint64, error) {
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", 0, fmt.Errorf("/proc/PID/stat: no command name in %q", s)
	}
	f := strings.Fields(s[end+1:])
	// After the name: state(0) ... utime(11) stime(12).
	if len(f) < 13 {
		return "", 0, fmt.Errorf("/proc/PID/stat: %d fields after the name, want 13", len(f))
	}
	user, err1 := strconv.ParseUint(f[11], 10, 64)
	sys, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, fmt.Errorf("/proc/PID/stat: bad CPU times %q %q", f[11], f[12])
	}
	return s[open+1 : end], user + sys, nil
}

// busyProcesses lists the processes that used more than busyShare of a CPU
// between the two readings.
func busyProcesses(before, after map[int]proc, sample time.Duration) []Finding {
	type busy struct {
		pid   int
		comm  string
		share float64
	}
	var found []busy
	for pid, a := range after {
		b, ok := before[pid]
		if !ok || a.ticks < b.ticks {
			continue
		}
		share := float64(a.ticks-b.ticks) / 100 / sample.Seconds() // ticks are 1/100 s
		if share > busyShare {
			found = append(found, busy{pid: pid, comm: a.comm, share: share})
		}
	}
	if len(found) == 0 {
		return []Finding{{Name: "busy processes", Detail: fmt.Sprintf("none above %.0f%% of a CPU over %s", 100*busyShare, sample)}}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].share > found[j].share })
	var out []Finding
	for i, p := range found {
		if i == busyListed {
			out = append(out, Finding{Name: "busy process", Warning: true, Detail: fmt.Sprintf("and %d more", len(found)-busyListed)})
			break
		}
		out = append(out, Finding{Name: "busy process", Warning: true,
			Detail: fmt.Sprintf("pid %d (%s) used %.0f%% of a CPU over %s", p.pid, p.comm, 100*p.share, sample)})
	}
	return out
}

func steal(before []byte, readErr error) Finding {
	f := Finding{Name: "steal"}
	after, err := os.ReadFile("/proc/stat")
	if readErr != nil || err != nil {
		f.Detail = fmt.Sprintf("not readable: %v", errorsOf(readErr, err))
		return f
	}
	b, err1 := disturb.ParseStat(before)
	a, err2 := disturb.ParseStat(after)
	if err1 != nil || err2 != nil {
		f.Detail = fmt.Sprintf("not readable: %v", errorsOf(err1, err2))
		return f
	}
	var cpus []int
	for c := range a {
		cpus = append(cpus, c)
	}
	r := disturb.Measure(b, a, cpus, disturb.Tree{})
	f.Warning = r.StealShare() > stealShare
	f.Detail = fmt.Sprintf("%.1f%% of the CPUs' time taken by the hypervisor", 100*r.StealShare())
	return f
}

func errorsOf(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func loadAverage() Finding {
	f := Finding{Name: "load average"}
	load, err := disturb.LoadAverage()
	if err != nil {
		f.Detail = "not readable: " + err.Error()
		return f
	}
	f.Warning = load >= busyLoad
	f.Detail = fmt.Sprintf("%.2f over the last minute", load)
	if f.Warning {
		f.Detail += ": other work is running or waiting"
	}
	return f
}

// governor reads every CPU's frequency governor; anything but performance
// lets the clock move during a run.
func governor() Finding {
	f := Finding{Name: "CPU frequency governor"}
	paths, _ := filepath.Glob("/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor")
	seen := map[string]bool{}
	var govs []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if g := strings.TrimSpace(string(b)); err == nil && !seen[g] {
			seen[g] = true
			govs = append(govs, g)
		}
	}
	if len(govs) == 0 {
		f.Detail = "not readable (no cpufreq in sysfs: a VM or a fixed clock)"
		return f
	}
	sort.Strings(govs)
	f.Detail = strings.Join(govs, ", ")
	f.Warning = len(govs) > 1 || govs[0] != "performance"
	if f.Warning {
		f.Detail += " (performance keeps the clock steady)"
	}
	return f
}

// turbo reads Intel's no_turbo or the generic boost switch: a boosted clock
// depends on temperature and on the other cores' load.
func turbo() Finding {
	f := Finding{Name: "turbo"}
	if b, err := os.ReadFile("/sys/devices/system/cpu/intel_pstate/no_turbo"); err == nil {
		on := strings.TrimSpace(string(b)) == "0"
		f.Warning, f.Detail = on, map[bool]string{true: "on (intel_pstate)", false: "off (intel_pstate)"}[on]
		return f
	}
	if b, err := os.ReadFile("/sys/devices/system/cpu/cpufreq/boost"); err == nil {
		on := strings.TrimSpace(string(b)) == "1"
		f.Warning, f.Detail = on, map[bool]string{true: "on (cpufreq boost)", false: "off (cpufreq boost)"}[on]
		return f
	}
	f.Detail = "not readable (neither intel_pstate/no_turbo nor cpufreq/boost)"
	return f
}

// hugePages reads the transparent huge pages mode: "always" lets khugepaged
// and huge-page faults land in some runs and not others.
func hugePages() Finding {
	f := Finding{Name: "transparent huge pages"}
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		f.Detail = "not readable: " + err.Error()
		return f
	}
	mode := SelectedMode(string(b))
	f.Warning = mode == "always"
	f.Detail = mode
	return f
}

// SelectedMode is the bracketed choice of a sysfs setting such as
// "always [madvise] never"; the text itself when nothing is bracketed.
func SelectedMode(s string) string {
	for _, w := range strings.Fields(s) {
		if strings.HasPrefix(w, "[") && strings.HasSuffix(w, "]") {
			return strings.Trim(w, "[]")
		}
	}
	return strings.TrimSpace(s)
}

// aslr reads randomize_va_space: 2 (full) is what the machines the article
// speaks of run with; anything else measures a different layout.
func aslr() Finding {
	f := Finding{Name: "ASLR"}
	b, err := os.ReadFile("/proc/sys/kernel/randomize_va_space")
	if err != nil {
		f.Detail = "not readable: " + err.Error()
		return f
	}
	switch v := strings.TrimSpace(string(b)); v {
	case "2":
		f.Detail = "full randomization"
	default:
		f.Warning, f.Detail = true, "randomize_va_space is "+v+", not 2 (full randomization, the usual setting)"
	}
	return f
}
