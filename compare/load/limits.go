package load

import "syscall"

// raiseFileLimit lifts this process's open-file limit to its hard limit (20,000
// here; it cannot be raised further): every connection is a file.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}
