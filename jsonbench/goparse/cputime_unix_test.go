//go:build unix

package goparse

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) the process has used, which,
// unlike the wall time, does not grow while other processes hold the core.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
