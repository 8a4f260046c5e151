package runner

import (
	"context"
	"errors"
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

// A DialFunc opens a connection as net.Dialer.DialContext does; a check
// made from another host (a network namespace) dials from there.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// WaitReady polls url until it answers 200, p exits, ctx ends or deadline
// passes. The error of a process that exited says so and quotes its stderr.
func WaitReady(ctx context.Context, p Process, url string, deadline time.Duration) error {
	return WaitReadyVia(ctx, p, url, deadline, nil)
}

// WaitReadyVia is WaitReady with every connection opened by dial (a direct
// one when nil).
func WaitReadyVia(ctx context.Context, p Process, url string, deadline time.Duration, dial DialFunc) error {
	client := &http.Client{Timeout: 500 * time.Millisecond}
	if dial != nil {
		client.Transport = &http.Transport{DialContext: dial, DisableKeepAlives: true}
	}
	return poll(ctx, p, deadline, url, "answered 200", func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	})
}

// WaitTCP polls addr (host:port) until it accepts a connection, p exits, ctx
// ends or deadline passes: readiness for a server whose /health cannot be
// trusted to answer 200 (the article's Kotlin service answers it with 500).
func WaitTCP(ctx context.Context, p Process, addr string, deadline time.Duration) error {
	return WaitTCPVia(ctx, p, addr, deadline, nil)
}

// WaitTCPVia is WaitTCP with the connection opened by dial (a direct one
// when nil).
func WaitTCPVia(ctx context.Context, p Process, addr string, deadline time.Duration, dial DialFunc) error {
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	return poll(ctx, p, deadline, addr, "accepted a connection", func(ctx context.Context) error {
		conn, err := dial(ctx, "tcp", addr)
		if err == nil {
			conn.Close()
		}
		return err
	})
}

// poll calls try every 50 ms until it succeeds, p exits, ctx is cancelled or
// deadline passes, and says which in its error.
func poll(ctx context.Context, p Process, deadline time.Duration, target, ready string, try func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		last := try(ctx)
		if last == nil {
			return nil
		}
		select {
		case <-p.Done():
			return fmt.Errorf("exited before %s %s: %s", target, ready, stderrTail(p.Stderr()))
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.Canceled) {
				return fmt.Errorf("interrupted while waiting for %s", target)
			}
			return fmt.Errorf("%s not %s within %s (last: %v): %s", target, ready, deadline, last, stderrTail(p.Stderr()))
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
