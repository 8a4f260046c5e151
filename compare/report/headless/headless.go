// Package headless opens a report page in headless Chromium, for the tests
// that hold report.html to what a reader sees: --dump-dom with a
// virtual-time budget is one process and no new dependency (the DevTools
// protocol would need a client library); virtual time runs the page's
// timers and frames to the end at once, so a test does not sleep.
package headless

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
)

// Window is the browser window's size in CSS pixels.
type Window struct{ Width, Height int }

// Dump opens page (a file path) in headless Chromium with networking
// blocked, lets its scripts run for a virtual 10 s, and returns the page's
// DOM and the console messages Chromium logged. profile is an empty folder
// for the browser's profile.
func Dump(ctx context.Context, chromium, page, profile string, w Window) (dom []byte, console []string, err error) {
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000"}
	if w.Width > 0 && w.Height > 0 {
		args = append(args, fmt.Sprintf("--window-size=%d,%d", w.Width, w.Height), "--hide-scrollbars")
	}
	cmd := exec.CommandContext(ctx, chromium, append(args, "--dump-dom", "file://"+page)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stderr strings.Builder
	cmd.Stderr = &stderr
	dom, err = cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("chromium: %w: %s", err, stderr.String())
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, ":CONSOLE") {
			console = append(console, line)
		}
	}
	return dom, console, nil
}
