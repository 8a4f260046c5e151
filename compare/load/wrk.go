package load

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// WrkArgs is wrk's command line for the closed model at conns connections for
// duration on url, one thread (the loader's one CPU), with its latency
// distribution.
func WrkArgs(url string, conns int, duration time.Duration) []string {
	secs := max(int(duration.Round(time.Second).Seconds()), 1)
	return []string{"wrk", "-t1", "-c" + strconv.Itoa(conns), "-d" + strconv.Itoa(secs) + "s", "--latency", "--timeout", "10s", url}
}

var (
	wrkRPS       = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkTransfer  = regexp.MustCompile(`(?m)^Transfer/sec:\s+([0-9.]+)([KMGT]?B)`)
	wrkTotal     = regexp.MustCompile(`(?m)^\s+(\d+) requests in ([0-9.]+)(us|ms|s|m),`)
	wrkPercent   = regexp.MustCompile(`(?m)^\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s|m)\s*$`)
	wrkSocket    = regexp.MustCompile(`(?m)^\s+Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx    = regexp.MustCompile(`(?m)^\s+Non-2xx or 3xx responses: (\d+)`)
	wrkMax       = regexp.MustCompile(`(?m)^\s+Latency\s+\S+\s+\S+\s+([0-9.]+)(us|ms|s|m)`)
	wrkConnFails = regexp.MustCompile(`(?m)^unable to connect to (\S+) (.*)$`)
)

// ParseWrk reads wrk's output into a Result with the figures it has: req/s,
// requests, duration, bytes/s, latency p50/p90/p99 and max, and errors by
// kind (its read and write errors count as resets; non-2xx as status).
func ParseWrk(out string) (Result, error) {
	if m := wrkConnFails.FindStringSubmatch(out); m != nil {
		return Result{}, fmt.Errorf("wrk: unable to connect to %s: %s", m[1], m[2])
	}
	m := wrkRPS.FindStringSubmatch(out)
	if m == nil {
		return Result{}, errors.New("wrk: no Requests/sec line in its output")
	}
	r := Result{Model: "closed", Mix: "list", LatencyMS: map[string]float64{}, Errors: map[string]int64{}, Statuses: map[string]int64{}}
	for _, k := range ErrorKinds {
		r.Errors[k] = 0
	}
	r.RPS, _ = strconv.ParseFloat(m[1], 64)
	r.Rate.Achieved = r.RPS
	if t := wrkTotal.FindStringSubmatch(out); t != nil {
		r.Requests, _ = strconv.ParseInt(t[1], 10, 64)
		r.DurationSeconds = seconds(t[2], t[3])
	}
	if t := wrkTransfer.FindStringSubmatch(out); t != nil {
		v, _ := strconv.ParseFloat(t[1], 64)
		r.BytesPerS = v * map[string]float64{"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "TB": 1 << 40}[t[2]]
	}
	for _, p := range wrkPercent.FindAllStringSubmatch(out, -1) {
		key := map[string]string{"50": "p50", "75": "p75", "90": "p90", "99": "p99"}[p[1]]
		r.LatencyMS[key] = 1000 * seconds(p[2], p[3])
	}
	if t := wrkMax.FindStringSubmatch(out); t != nil {
		r.LatencyMS["max"] = 1000 * seconds(t[1], t[2])
	}
	if s := wrkSocket.FindStringSubmatch(out); s != nil {
		n := func(i int) int64 { v, _ := strconv.ParseInt(s[i], 10, 64); return v }
		r.Errors[ErrConnect] = n(1)
		r.Errors[ErrReset] = n(2) + n(3)
		r.Errors[ErrTimeout] = n(4)
	}
	if s := wrkNon2xx.FindStringSubmatch(out); s != nil {
		r.Errors[ErrStatus], _ = strconv.ParseInt(s[1], 10, 64)
	}
	return r, nil
}

// seconds converts wrk's number and unit (us, ms, s, m) to seconds.
func seconds(num, unit string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSpace(num), 64)
	switch unit {
	case "us":
		return v / 1e6
	case "ms":
		return v / 1e3
	case "m":
		return v * 60
	}
	return v
}
