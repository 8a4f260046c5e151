package load

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// clockTicks is the kernel's USER_HZ, the unit of /proc/<pid>/stat CPU times;
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// selfCPU is this process's user+sys CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// selfCPUs is how many CPUs this process may run on.
func selfCPUs() int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil || set.Count() == 0 {
		return 1
	}
	return set.Count()
}

// A procStat is what this package reads of /proc/<pid>/stat.
type procStat struct {
	ppid int
	cpu  time.Duration // utime + stime
	rss  int64         // bytes
}

func readStat(pid int) (procStat, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, false
	}
	// After the command: state(0) ppid(1) ... utime(11) stime(12) ... rss(21).
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 22 {
		return procStat{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	rss, _ := strconv.ParseInt(f[21], 10, 64)
	return procStat{ppid: ppid, cpu: time.Duration(ut+st) * time.Second / clockTicks,
		rss: rss * int64(os.Getpagesize())}, true
}

// treeUsage sums the CPU time and resident memory of pid and all its
// descendants (a uvicorn or JVM server may be several processes).
func treeUsage(pid int) (cpu time.Duration, rss int64, alive bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, 0, false
	}
	stats := map[int]procStat{}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if s, ok := readStat(p); ok {
			stats[p] = s
			children[s.ppid] = append(children[s.ppid], p)
		}
	}
	if _, ok := stats[pid]; !ok {
		return 0, 0, false
	}
	for queue := []int{pid}; len(queue) > 0; queue = queue[1:] {
		s := stats[queue[0]]
		cpu += s.cpu
		rss += s.rss
		queue = append(queue, children[queue[0]]...)
	}
	return cpu, rss, true
}

// procCPUs is how many CPUs process pid may run on (its Cpus_allowed_list).
func procCPUs(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Cpus_allowed_list:"); ok {
			return countCPUList(strings.TrimSpace(v))
		}
	}
	return 1
}

// countCPUList counts the CPUs of a list such as "0-3,6".
func countCPUList(list string) int {
	n := 0
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				continue
			}
		}
		n += b - a + 1
	}
	return max(n, 1)
}

// LoaderBound is the rule that flags a run whose figure is the load
// generator's limit, not the server's capacity: the loader used 95% or more
// of its CPUs while the server used less than 90% of its own.
func LoaderBound(loaderCPU, serverCPU float64) bool {
	return loaderCPU >= 0.95 && serverCPU < 0.90
}
