package memprobe

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Limits of the cpu command: beyond them a run is a typo, not a benchmark.
const (
	MaxCPUTasks   = 1024
	MaxCPUWorkers = 1024
	MaxCPUN       = 1_000_000_000
)

// A CPUResult is the cpu command's one JSON line. Seconds holds one number, or
// one per repetition with --repeat.
type CPUResult struct {
	Runtime  string `json:"runtime"`
	Tasks    int    `json:"tasks"`
	N        uint64 `json:"n"`
	Workers  int    `json:"workers"`
	Seconds  any    `json:"seconds"`
	Checksum uint64 `json:"checksum"`
}

// SumSquares is the sum of i*i for i < n in wrapping 64-bit arithmetic, which
// is the exact sum modulo 2^64.
func SumSquares(n uint64) uint64 {
	var sum uint64
	for i := range n {
		sum += i * i
	}
	return sum
}

// CheckCPU refuses task, size and worker counts outside the cpu command's limits.
func CheckCPU(tasks int, n uint64, workers int) error {
	switch {
	case tasks < 1 || tasks > MaxCPUTasks:
		return fmt.Errorf("--tasks must be in 1..%d, got %d", MaxCPUTasks, tasks)
	case n > MaxCPUN:
		return fmt.Errorf("--n must be in 0..%d, got %d", MaxCPUN, n)
	case workers < 1 || workers > MaxCPUWorkers:
		return fmt.Errorf("--workers must be in 1..%d, got %d", MaxCPUWorkers, workers)
	}
	return nil
}

// RunCPU runs tasks sums of squares below n on a pool of workers goroutines
// and returns their total modulo 2^64 and the wall time of the work alone.
func RunCPU(tasks int, n uint64, workers int) (uint64, time.Duration) {
	jobs := make(chan struct{}, tasks)
	for range tasks {
		jobs <- struct{}{}
	}
	close(jobs)
	sums := make([]uint64, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				sums[w] += SumSquares(n)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var total uint64
	for _, s := range sums {
		total += s
	}
	return total, elapsed
}

// MeasureCPU runs RunCPU repeat times and reports every repetition's seconds
// (a single number when repeat is 1).
func MeasureCPU(tasks int, n uint64, workers, repeat int) (CPUResult, error) {
	if err := CheckCPU(tasks, n, workers); err != nil {
		return CPUResult{}, err
	}
	if repeat < 1 {
		return CPUResult{}, fmt.Errorf("--repeat must be at least 1, got %d", repeat)
	}
	res := CPUResult{Runtime: runtime.Version(), Tasks: tasks, N: n, Workers: workers}
	seconds := make([]float64, repeat)
	for r := range repeat {
		total, elapsed := RunCPU(tasks, n, workers)
		res.Checksum = total
		seconds[r] = elapsed.Seconds()
	}
	res.Seconds = seconds
	if repeat == 1 {
		res.Seconds = seconds[0]
	}
	return res, nil
}
