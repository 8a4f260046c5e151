package load

import (
	"fmt"
	"syscall"
)

// raiseFileLimit lifts this process's open-file limit to its hard limit (20,000
// here; it cannot be raised further): every connection is a file.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}

// FileLimit is the hard open-file limit of a process here (what
// raiseFileLimit lifts the loader to): every connection is a file, so the
// max-stable-connections search stops below it.
func FileLimit() (uint64, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0, fmt.Errorf("the open-file limit: %w", err)
	}
	return lim.Max, nil
}
