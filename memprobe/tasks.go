package memprobe

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// MaxTasks is the most concurrent tasks the tasks command starts: ten times
// the full profile's largest K.
const MaxTasks = 10_000_000

// TaskSleep is how long each concurrent task sleeps before it finishes.
const TaskSleep = time.Second

// A TasksResult is the tasks command's one JSON line.
type TasksResult struct {
	Runtime      string  `json:"runtime"`
	Count        int     `json:"count"`
	Seconds      float64 `json:"seconds"`
	PeakRSSBytes int64   `json:"peak_rss_bytes"`
	Completed    int64   `json:"completed"`
}

// CheckTasks refuses a negative or absurd task count.
func CheckTasks(k int) error {
	if k < 0 || k > MaxTasks {
		return fmt.Errorf("--count must be in 0..%d, got %d", MaxTasks, k)
	}
	return nil
}

// RunTasks starts k goroutines that each sleep for sleep and finish, waits for
// all of them, and returns how many completed and the wall time from the
// first start to the last finish.
func RunTasks(k int, sleep time.Duration) (int64, time.Duration) {
	var wg sync.WaitGroup
	var completed atomic.Int64
	start := time.Now()
	wg.Add(k)
	for range k {
		go func() {
			defer wg.Done()
			time.Sleep(sleep)
			completed.Add(1)
		}()
	}
	wg.Wait()
	return completed.Load(), time.Since(start)
}

// MeasureTasks runs k one-second tasks and adds the process's peak RSS.
func MeasureTasks(k int) (TasksResult, error) {
	if err := CheckTasks(k); err != nil {
		return TasksResult{}, err
	}
	completed, elapsed := RunTasks(k, TaskSleep)
	peak, err := PeakRSS()
	if err != nil {
		return TasksResult{}, err
	}
	return TasksResult{
		Runtime: runtime.Version(), Count: k, Seconds: elapsed.Seconds(),
		PeakRSSBytes: peak, Completed: completed,
	}, nil
}
