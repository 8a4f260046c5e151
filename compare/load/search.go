package load

import (
	"context"
	"fmt"
	"time"
)

// The stability bound of the max-connections search: a step holds when
// fewer than 0.1% of its requests fail and its p99 stays under 1 s.
const (
	StableErrorRate = 0.001
	StableP99       = time.Second
)

// A Step is one step of the max-connections search.
type Step struct {
	Connections int     `json:"connections"`
	RPS         float64 `json:"rps"`
	P99MS       float64 `json:"p99_ms"`
	Errors      int64   `json:"errors"`
	Requests    int64   `json:"requests"`
	ServerRSS   int64   `json:"server_rss_bytes,omitempty"`
	Stable      bool    `json:"stable"`
	Why         string  `json:"why,omitempty"`
}

// A Curve is the whole search: every step tried, the most connections held
// stable, and whether that was the last step allowed (a lower bound then).
type Curve struct {
	Steps []Step `json:"steps"`
	// Max is the most connections held stable; 0 when the first step failed.
	Max int `json:"max"`
	// AtLimit says the top step held: Max is only a lower bound.
	AtLimit bool `json:"at_limit"`
	// Limit is the top step allowed (the file limit decides it).
	Limit int `json:"limit"`
}

// Stable judges one step: errors below StableErrorRate of its requests and
// p99 under StableP99. It is a pure function of the step's result.
func Stable(r Result) (bool, string) {
	if r.Requests == 0 {
		return false, "no request was answered"
	}
	if rate := float64(r.ErrorCount()) / float64(r.Requests); rate >= StableErrorRate {
		return false, fmt.Sprintf("%.2f%% of requests failed (%d of %d; last: %s)", 100*rate, r.ErrorCount(), r.Requests, r.LastError)
	}
	if p99 := r.LatencyMS["p99"]; p99 >= float64(StableP99.Milliseconds()) {
		return false, fmt.Sprintf("p99 %.0f ms is not under %s", p99, StableP99)
	}
	return true, ""
}

// Search raises the connections step by step, each connection sending one
// request per second (the open model), until a step is not stable; try runs
// one step. It stops at the first unstable step, or when try fails (the
// step is then unstable with the error as its reason), or when ctx ends.
func Search(ctx context.Context, steps []int, try func(ctx context.Context, connections int) (Result, error)) Curve {
	c := Curve{}
	if len(steps) > 0 {
		c.Limit = steps[len(steps)-1]
	}
	for _, n := range steps {
		if ctx.Err() != nil {
			return c
		}
		res, err := try(ctx, n)
		s := Step{Connections: n, RPS: res.RPS, P99MS: res.LatencyMS["p99"], Errors: res.ErrorCount(), Requests: res.Requests, ServerRSS: res.ServerRSS}
		if err != nil {
			s.Why = err.Error()
		} else {
			s.Stable, s.Why = Stable(res)
		}
		c.Steps = append(c.Steps, s)
		if !s.Stable {
			return c
		}
		c.Max = n
	}
	c.AtLimit = c.Max > 0 && c.Max == c.Limit
	return c
}

// SearchSteps are the full profile's steps (1k, 2k, 5k, 10k, then what the
// per-process file limit allows), capped at top.
func SearchSteps(top int) []int {
	var out []int
	for _, n := range []int{1000, 2000, 5000, 10000, 15000} {
		if n < top {
			out = append(out, n)
		}
	}
	return append(out, top)
}
