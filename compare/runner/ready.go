package runner

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// FreePort returns a TCP port that was free on 127.0.0.1 a moment ago.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// WaitReady polls url until it answers 200, p exits, ctx ends or deadline
// passes. The error of a process that exited says so and quotes its stderr.
func WaitReady(ctx context.Context, p Process, url string, deadline time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	client := &http.Client{Timeout: 500 * time.Millisecond}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("readiness request: %w", err)
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("status %d", resp.StatusCode)
		} else {
			last = err
		}
		select {
		case <-p.Done():
			return fmt.Errorf("exited before %s answered 200: %s", url, stderrTail(p.Stderr()))
		case <-ctx.Done():
			return fmt.Errorf("%s not ready after %s (last: %v): %s", url, deadline, last, stderrTail(p.Stderr()))
		case <-tick.C:
		}
	}
}

// stderrTail renders the last lines of stderr for an error message.
func stderrTail(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	s := strings.Join(lines, " | ")
	if s == "" {
		return "no stderr"
	}
	return "stderr: " + s
}
