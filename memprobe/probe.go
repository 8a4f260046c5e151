package memprobe

import (
	"bufio"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// MaxCount is the most users a probe builds: ten times the full profile's
// largest N. More is refused as a mistake, not attempted.
const MaxCount = 10_000_000

// How many unchanged collections make the heap settled, and the most tried.
const (
	settleCycles    = 4
	maxSettleCycles = 16
	// maxBuilds is how many times MeasureInside builds and measures.
	maxBuilds = 5
)

// A ProbeResult is the probe command's one JSON line.
type ProbeResult struct {
	Runtime string `json:"runtime"`
	Count   int    `json:"count"`
	Shape   Shape  `json:"shape"`
	Method  string `json:"method"`
	// BytesTotal and BytesPerObject are the inside figures; absent outside,
	// where the harness reads RSS.
	BytesTotal     *int64       `json:"bytes_total,omitempty"`
	BytesPerObject *float64     `json:"bytes_per_object,omitempty"`
	Checksum       string       `json:"checksum"`
	Detail         *InsideStats `json:"detail,omitempty"`
}

// InsideStats are the runtime.MemStats figures behind an inside measurement
// and the arithmetic they are expected to equal.
type InsideStats struct {
	HeapAllocBefore uint64 `json:"heap_alloc_before"`
	HeapAllocAfter  uint64 `json:"heap_alloc_after"`
	HeapObjects     int64  `json:"heap_objects"`
	ArithmeticBytes int64  `json:"arithmetic_bytes"`
	// Builds is every measured build's heap growth, in order.
	Builds []int64 `json:"builds"`
}

// CheckCount refuses a negative or absurd object count.
func CheckCount(n int) error {
	if n < 0 || n > MaxCount {
		return fmt.Errorf("--count must be in 0..%d, got %d", MaxCount, n)
	}
	return nil
}

// MeasureInside builds n users in shape between two settled collections and
// reports the growth of the live heap (MemStats.HeapAlloc). The runtime's own
// background allocations can land in that window (a new OS thread's M: ~5 KiB;
// a P's timer heap growing: 16-32 B); they only ever add, and on a busy
// machine the same few bytes can land in two builds running, so the build is
// measured maxBuilds times and the smallest figure is reported. Every build's
// figure is in the detail.
func MeasureInside(shape Shape, n int) (ProbeResult, error) {
	if err := CheckCount(n); err != nil {
		return ProbeResult{}, err
	}
	var (
		pop      Population
		stats    InsideStats
		figures  []int64
		reported int64
	)
	for len(figures) < maxBuilds {
		pop = Population{} // drop the previous build before measuring the next
		before := settledHeap()
		built, err := Build(shape, n)
		if err != nil {
			return ProbeResult{}, err
		}
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		pop = built
		total := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		if len(figures) == 0 || total < reported {
			reported = total
			stats = InsideStats{
				HeapAllocBefore: before.HeapAlloc, HeapAllocAfter: after.HeapAlloc,
				HeapObjects: int64(after.HeapObjects) - int64(before.HeapObjects),
			}
		}
		figures = append(figures, total)
	}
	stats.Builds = figures
	stats.ArithmeticBytes = ExpectedBytes(shape, n)
	res := ProbeResult{
		Runtime: runtime.Version(), Count: n, Shape: shape, Method: "inside",
		BytesTotal: &reported, BytesPerObject: perObject(reported, n),
		Checksum: Checksum(pop), Detail: &stats,
	}
	runtime.KeepAlive(pop)
	return res, nil
}

// settledHeap collects garbage until the live heap stops moving: the runtime's
// first few cycles after start allocate a little of its own (e.g. 16 bytes on
// the second or fifth cycle), which would otherwise land in the measurement.
func settledHeap() runtime.MemStats {
	var last, now runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&last)
	for steady, cycles := 0, 0; steady < settleCycles && cycles < maxSettleCycles; cycles++ {
		runtime.GC()
		runtime.ReadMemStats(&now)
		steady++
		if now.HeapAlloc != last.HeapAlloc || now.HeapObjects != last.HeapObjects {
			steady = 0
		}
		last = now
	}
	return last
}

// perObject is total/n, or 0 for an empty population.
func perObject(total int64, n int) *float64 {
	v := 0.0
	if n > 0 {
		v = float64(total) / float64(n)
	}
	return &v
}

// HoldOutside builds n users, collects garbage and returns freed pages to the
// OS, writes the ready marker, and holds the users until stdin reaches EOF (the
// harness reads the process's RSS in between). The result carries no bytes:
// the outside figure is the harness's.
func HoldOutside(shape Shape, n int, stdin io.Reader, stdout io.Writer) (ProbeResult, error) {
	if err := CheckCount(n); err != nil {
		return ProbeResult{}, err
	}
	pop, err := Build(shape, n)
	if err != nil {
		return ProbeResult{}, err
	}
	debug.FreeOSMemory()
	if _, err := io.WriteString(stdout, "ready\n"); err != nil {
		return ProbeResult{}, fmt.Errorf("write ready marker: %w", err)
	}
	if _, err := io.Copy(io.Discard, bufio.NewReader(stdin)); err != nil {
		return ProbeResult{}, fmt.Errorf("wait for stdin to close: %w", err)
	}
	res := ProbeResult{
		Runtime: runtime.Version(), Count: n, Shape: shape, Method: "outside",
		Checksum: Checksum(pop),
	}
	runtime.KeepAlive(pop)
	return res, nil
}
