package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test binary doubles as the contender: TRIBENCH_RUNNER_HELPER selects a role.
func TestMain(m *testing.M) {
	switch os.Getenv("TRIBENCH_RUNNER_HELPER") {
	case "":
		os.Exit(m.Run())
	case "affinity":
		status, _ := os.ReadFile("/proc/self/status")
		for _, l := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(l, "Cpus_allowed_list:") {
				fmt.Println(strings.TrimSpace(strings.TrimPrefix(l, "Cpus_allowed_list:")))
			}
		}
	case "alloc":
		mb, _ := strconv.Atoi(os.Getenv("MB"))
		b := make([]byte, mb<<20)
		for i := range b {
			b[i] = 1 // touch every page so it is resident
		}
		time.Sleep(time.Duration(len(b[:1])) * time.Hour)
	case "tree":
		// A child that spawns two grandchildren and then waits forever.
		for i := 0; i < 2; i++ {
			c := exec.Command("sleep", "300")
			if err := c.Start(); err != nil {
				os.Exit(3)
			}
			fmt.Println(c.Process.Pid)
		}
		select {}
	case "spin":
		// Busy for 200 ms of CPU time, so cpuacct has something to count.
		var ru syscall.Rusage
		for ru.Utime.Nano()+ru.Stime.Nano() < int64(200*time.Millisecond) {
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		}
	case "echo":
		_, _ = io.Copy(os.Stdout, os.Stdin)
	case "fail":
		fmt.Fprintln(os.Stderr, "could not run at all: bad flag")
		os.Exit(7)
	}
	os.Exit(0)
}

func helper(role string, env ...string) Spec {
	return Spec{Argv: []string{os.Args[0], "-test.run=^$"}, Env: append([]string{"TRIBENCH_RUNNER_HELPER=" + role}, env...)}
}

func start(t *testing.T, ctx context.Context, s Spec) Process {
	t.Helper()
	return startWith(t, ctx, OS{SampleInterval: 10 * time.Millisecond}, s)
}

func startWith(t *testing.T, ctx context.Context, o OS, s Spec) Process {
	t.Helper()
	p, err := o.Start(ctx, s)
	require.NoError(t, err)
	t.Cleanup(func() { p.Stop(time.Second) })
	return p
}

// groupGone reports whether no live process of the group remains (a zombie
// waiting for init to reap it runs nothing).
func groupGone(pgid int) bool {
	return errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH) || !groupAlive(pgid)
}

func TestExitCodeAndOutput(t *testing.T) {
	t.Parallel()
	p := start(t, context.Background(), helper("fail"))
	r := p.Wait()
	assert.Equal(t, OutcomeExitError, r.Outcome)
	assert.Equal(t, 7, r.ExitCode)
	assert.Contains(t, string(r.Stderr), "bad flag")
	assert.Positive(t, r.Wall)
}

func TestCPUSetAppliesToTheWholeProcess(t *testing.T) {
	t.Parallel()
	s := helper("affinity")
	s.CPUs = []int{0}
	r := start(t, context.Background(), s).Wait()
	require.Equal(t, OutcomeOK, r.Outcome, string(r.Stderr))
	assert.Equal(t, "0", strings.TrimSpace(string(r.Stdout)))
}

func TestStopKillsTheWholeTree(t *testing.T) {
	t.Parallel()
	p := start(t, context.Background(), helper("tree"))
	require.Eventually(t, func() bool { return strings.Count(string(outputOf(p)), "\n") >= 2 }, 10*time.Second, 20*time.Millisecond)
	r := p.Stop(time.Second)
	assert.Equal(t, OutcomeStopped, r.Outcome)
	assert.True(t, groupGone(p.PID()), "no process of the group survives Stop")
}

func TestContextCancelStopsTheTree(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	p := start(t, ctx, helper("tree"))
	require.Eventually(t, func() bool { return strings.Count(string(outputOf(p)), "\n") >= 2 }, 10*time.Second, 20*time.Millisecond)
	cancel()
	select {
	case <-p.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("cancelled process still running")
	}
	assert.Equal(t, OutcomeStopped, p.Wait().Outcome)
	assert.True(t, groupGone(p.PID()))
}

func TestWatchdogMemoryCapKillsAndIsRecorded(t *testing.T) {
	t.Parallel()
	s := helper("alloc", "MB=256")
	s.MemoryLimit = 64 << 20
	r := startWith(t, context.Background(), OS{SampleInterval: 10 * time.Millisecond, Watchdog: true}, s).Wait()
	assert.Equal(t, OutcomeMemoryLimit, r.Outcome)
	assert.Equal(t, MemoryWatchdog, r.MemoryMethod)
	assert.Greater(t, r.PeakRSS, int64(64<<20))
}

// TestCgroupMemoryLimit needs root and the v1 memory controller (this machine
// kind has both); elsewhere the executor falls back to the watchdog, as shown.
func TestCgroupMemoryLimit(t *testing.T) {
	t.Parallel()
	probe, err := newMemCgroup(1 << 30)
	if err != nil {
		t.Skipf("no memory cgroup here (%v); TestWatchdogMemoryCapKillsAndIsRecorded covers the fallback", err)
	}
	probe.remove()

	s := helper("alloc", "MB=256")
	s.MemoryLimit = 64 << 20
	r := start(t, context.Background(), s).Wait()
	assert.Equal(t, OutcomeMemoryLimit, r.Outcome, "over its limit, recorded, not killed by the machine's OOM killer")
	assert.Equal(t, MemoryCgroup, r.MemoryMethod)
	assert.Empty(t, r.MemoryNote)
	assert.InDelta(t, 64<<20, r.CgroupPeak, 4<<20, "the cgroup's peak is the limit it stalled at")
	assert.Less(t, r.PeakRSS, int64(80<<20), "the tree never got far past its limit")

	// RSS counts the binary's text, charged elsewhere: wait past the 48 MB it touches.
	s = helper("alloc", "MB=48")
	s.MemoryLimit = 256 << 20
	p := start(t, context.Background(), s)
	require.Eventually(t, func() bool { return p.RSS() >= 52<<20 }, 20*time.Second, 20*time.Millisecond)
	r = p.Stop(time.Second)
	assert.Equal(t, OutcomeStopped, r.Outcome)
	assert.GreaterOrEqual(t, r.CgroupPeak, int64(40<<20), "a tree under its limit reports its peak")
	assert.Less(t, r.CgroupPeak, int64(256<<20))
}

// The tree's CPU time is counted per CPU by its cpuacct cgroup, beside its
// memory cgroup or alone, and lands on the CPU it was pinned to.
func TestCPUAccountingPerCPU(t *testing.T) {
	t.Parallel()
	probe, err := newCPUCgroup()
	if err != nil {
		t.Skipf("no cpuacct cgroup here (%v)", err)
	}
	probe.remove()
	for _, limit := range []int64{0, 256 << 20} {
		s := helper("spin")
		s.CPUs, s.MemoryLimit = []int{0}, limit
		r := start(t, context.Background(), s).Wait()
		require.Equal(t, OutcomeOK, r.Outcome, string(r.Stderr))
		assert.Empty(t, r.CPUNote)
		require.NotEmpty(t, r.CPUPerCPU, "memory limit %d", limit)
		var total time.Duration
		for _, d := range r.CPUPerCPU {
			total += d
		}
		// The spin stops at 200 ms by rusage, which counts in scheduler ticks;
		// cpuacct counts exactly, so it may read a little less (199.8 ms once).
		assert.GreaterOrEqual(t, r.CPUPerCPU[0], 150*time.Millisecond, "the spin is counted on CPU 0")
		// Only the shell that joins the cgroups runs before taskset pins the tree.
		assert.Greater(t, float64(r.CPUPerCPU[0]), 0.9*float64(total), "the pinned tree runs on CPU 0")
	}
}

func TestStdinEndsTheProcess(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	s := helper("echo")
	s.Stdin = pr
	p := start(t, context.Background(), s)
	_, err := pw.Write([]byte("hello\n"))
	require.NoError(t, err)
	require.NoError(t, pw.Close())
	r := p.Wait()
	assert.Equal(t, OutcomeOK, r.Outcome)
	assert.Equal(t, "hello\n", string(r.Stdout))
}

func TestPeakRSSOfTheTree(t *testing.T) {
	t.Parallel()
	p := start(t, context.Background(), helper("alloc", "MB=100"))
	// The helper sleeps once its memory is touched; wait until the sampler saw it.
	require.Eventually(t, func() bool {
		rss, _ := groupRSS(p.PID())
		return rss >= 100<<20
	}, 20*time.Second, 50*time.Millisecond)
	time.Sleep(50 * time.Millisecond) // at least one more sample
	r := p.Stop(time.Second)
	assert.GreaterOrEqual(t, r.PeakRSS, int64(90<<20))
}

func TestTimeLimit(t *testing.T) {
	t.Parallel()
	s := Spec{Argv: []string{"sleep", "30"}, TimeLimit: 200 * time.Millisecond}
	r := start(t, context.Background(), s).Wait()
	assert.Equal(t, OutcomeTimeout, r.Outcome)
	assert.Less(t, r.Wall, 10*time.Second)
}

func TestStartErrors(t *testing.T) {
	t.Parallel()
	_, err := OS{}.Start(context.Background(), Spec{})
	assert.ErrorContains(t, err, "empty argument vector")
	_, err = OS{}.Start(context.Background(), Spec{Argv: []string{"/no/such/binary"}})
	assert.ErrorContains(t, err, "/no/such/binary")
}

func TestWaitReady(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	p := start(t, context.Background(), Spec{Argv: []string{"sleep", "30"}})
	require.NoError(t, WaitReady(context.Background(), p, srv.URL, 5*time.Second))

	port, err := FreePort()
	require.NoError(t, err)
	early := start(t, context.Background(), helper("fail"))
	begin := time.Now()
	err = WaitReady(context.Background(), early, "http://127.0.0.1:"+strconv.Itoa(port)+"/health", 30*time.Second)
	assert.ErrorContains(t, err, "exited before")
	assert.ErrorContains(t, err, "bad flag")
	assert.Less(t, time.Since(begin), 10*time.Second, "fails fast when the process exits")
}

func TestWaitTCP(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	p := start(t, context.Background(), Spec{Argv: []string{"sleep", "30"}})
	require.NoError(t, WaitTCP(context.Background(), p, ln.Addr().String(), 5*time.Second))
	port, err := FreePort()
	require.NoError(t, err)
	early := start(t, context.Background(), helper("fail"))
	err = WaitTCP(context.Background(), early, "127.0.0.1:"+strconv.Itoa(port), 30*time.Second)
	assert.ErrorContains(t, err, "exited before")
}

func TestFake(t *testing.T) {
	t.Parallel()
	f := &Fake{Script: func(s Spec) FakeRun {
		if s.Argv[0] == "broken" {
			return FakeRun{StartErr: errors.New("no such file")}
		}
		return FakeRun{Result: Result{Outcome: OutcomeOK, Stdout: []byte(`{"seconds":1}`)}, Lives: s.Argv[0] == "server"}
	}}
	p, err := f.Start(context.Background(), Spec{Argv: []string{"resize"}})
	require.NoError(t, err)
	assert.Equal(t, `{"seconds":1}`, string(p.Wait().Stdout))
	srv, err := f.Start(context.Background(), Spec{Argv: []string{"server"}})
	require.NoError(t, err)
	select {
	case <-srv.Done():
		t.Fatal("a living fake exited by itself")
	default:
	}
	assert.Equal(t, OutcomeStopped, srv.Stop(time.Second).Outcome)
	_, err = f.Start(context.Background(), Spec{Argv: []string{"broken"}})
	assert.Error(t, err)
	assert.Len(t, f.Started(), 2)
}

func outputOf(p Process) []byte {
	return p.(*osProcess).stdout.Bytes()
}
