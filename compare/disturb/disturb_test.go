package disturb

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const statBefore = `cpu  300 0 100 1000 0 0 0 0 0 0
cpu0 100 0 50 500 0 0 0 0 0 0
cpu1 200 0 50 500 0 0 0 0 0 0
intr 1 2 3
`

// after builds /proc/stat 100 ticks (1 s) later: CPU 0 unchanged but for
// idle, CPU 1 busy for busy ticks, stolen from for steal ticks.
func after(busy, steal uint64) string {
	idle := 100 - busy - steal
	return "cpu  0 0 0 0 0 0 0 0 0 0\n" +
		"cpu0 100 0 50 600 0 0 0 0 0 0\n" +
		"cpu1 " + itoa(200+busy) + " 0 50 " + itoa(500+idle) + " 0 0 0 " + itoa(steal) + " 0 0\n"
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

func TestMeasureFlagsForeignWorkAboveTheThreshold(t *testing.T) {
	t.Parallel()
	before, err := ParseStat([]byte(statBefore))
	require.NoError(t, err)
	tree := Tree{PerCPU: []time.Duration{0, 400 * time.Millisecond}}
	for _, tc := range []struct {
		name        string
		busy, steal uint64
		tree        Tree
		foreign     float64
		disturbed   bool
	}{
		{name: "quiet: only the tree ran", busy: 42, tree: tree, foreign: 0.02},
		{name: "below the threshold", busy: 49, tree: tree, foreign: 0.09},
		{name: "a spinning neighbour took half", busy: 90, tree: tree, foreign: 0.50, disturbed: true},
		{name: "the hypervisor stole", busy: 40, steal: 20, tree: tree, foreign: 0, disturbed: true},
		{name: "rusage fallback", busy: 90, tree: Tree{Total: 850 * time.Millisecond, Note: "no cgroup"}, foreign: 0.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseStat([]byte(after(tc.busy, tc.steal)))
			require.NoError(t, err)
			r := Measure(before, a, []int{1}, tc.tree)
			assert.InDelta(t, 1.0, r.Capacity, 1e-9)
			assert.InDelta(t, tc.foreign, r.Foreign(), 1e-9)
			assert.InDelta(t, float64(tc.steal)/100, r.StealShare(), 1e-9)
			assert.Equal(t, tc.disturbed, r.Disturbed())
			assert.Equal(t, tc.tree.Note, r.Note)
		})
	}
}

func TestShortWindowsAreNotJudged(t *testing.T) {
	t.Parallel()
	r := Reading{Capacity: MinWindow / 2, Busy: MinWindow / 2}
	assert.InDelta(t, 1.0, r.Foreign(), 1e-9)
	assert.False(t, r.Disturbed(), "a few ticks cannot tell")
	assert.False(t, Reading{}.Measured())
	assert.Zero(t, Reading{}.Foreign())
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "intr 1 2\n", "cpu0 1 2 3\n", "cpu0 1 2 3 x 5 6 7 8\n", "cpuX 1 2 3 4 5 6 7 8\n"} {
		_, err := ParseStat([]byte(bad))
		assert.Error(t, err, "%q", bad)
	}
	_, err := ParseUsagePerCPU([]byte("12 x\n"))
	assert.ErrorContains(t, err, "cpuacct.usage_percpu")
	_, err = ParseLoadAverage([]byte(""))
	assert.Error(t, err)
	load, err := ParseLoadAverage([]byte("1.87 1.35 0.59 3/106 30348\n"))
	require.NoError(t, err)
	assert.InDelta(t, 1.87, load, 1e-9)
}

// The live monitor reads this machine: counters over a busy window of the
// calling goroutine, whose own time is not given, show as foreign.
func TestMonitorReadsTheSystem(t *testing.T) {
	t.Parallel()
	m := Start(nil)
	for start := time.Now(); time.Since(start) < 300*time.Millisecond; {
	}
	r := m.StopWith(Tree{})
	require.True(t, r.Measured(), r.Note)
	assert.Greater(t, r.Busy, 0.2, "the spin shows in /proc/stat")
}

// Stop takes the trees' use from the cpuacct cgroups given to Start.
func TestMonitorReadsTheTreesCgroups(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	usage := filepath.Join(dir, "cpuacct.usage_percpu")
	require.NoError(t, os.WriteFile(usage, []byte("1000 5000\n"), 0o644))
	m := Start([]int{1}, dir)
	require.NoError(t, os.WriteFile(usage, []byte("1000 5000000005000\n"), 0o644))
	r := m.Stop()
	assert.Equal(t, "cpuacct", r.TreeSource)
	assert.InDelta(t, 5000.0, r.Tree, 1e-9, "the delta of CPU 1 only")

	require.NoError(t, os.Remove(usage))
	r = m.Stop()
	assert.Contains(t, r.Note, "tree use unknown")
}
