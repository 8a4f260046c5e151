package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// lockFile is where a measuring run holds its lock, in the cache: one
// machine, one measuring run, so two runs never disturb each other.
const lockFile = "measure.lock"

// lockPoll is how often a waiting run tries the lock again.
const lockPoll = 500 * time.Millisecond

// A measureLock is the held lock; Release frees it.
type measureLock struct{ f *os.File }

// Release frees the lock for the next run.
func (l measureLock) Release() {
	_ = unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	_ = l.f.Close()
}

// acquireLock takes the measuring lock in cacheDir. When another run holds
// it, it says so on stderr in one line and waits (until ctx is done), or
// with noWait refuses at once.
func acquireLock(ctx context.Context, cacheDir string, command []string, noWait bool, stderr io.Writer) (measureLock, error) {
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return measureLock{}, fmt.Errorf("measuring lock: %w", err)
	}
	path := filepath.Join(cacheDir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return measureLock{}, fmt.Errorf("measuring lock: %w", err)
	}
	said := false
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
			f.Close()
			return measureLock{}, fmt.Errorf("measuring lock %s: %w", path, err)
		}
		holder := holderOf(path)
		if noWait {
			f.Close()
			return measureLock{}, fmt.Errorf("another tribench run is measuring on this machine (%s); not starting (--no-wait)", holder)
		}
		if !said {
			fmt.Fprintf(stderr, "tribench: waiting for another run to finish measuring (%s)\n", holder)
			said = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return measureLock{}, fmt.Errorf("waiting for the measuring lock: %w", ctx.Err())
		case <-time.After(lockPoll):
		}
	}
	// Who holds the lock, for the next run's message.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprintf("pid %d since %s: %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339),
		strings.Join(command, " "))), 0)
	return measureLock{f: f}, nil
}

func holderOf(path string) string {
	b, err := os.ReadFile(path)
	if err != nil || len(strings.TrimSpace(string(b))) == 0 {
		return "holder unknown"
	}
	return strings.TrimSpace(string(b))
}
