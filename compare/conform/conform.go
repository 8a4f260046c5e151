package conform

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/tribench/tribench/services/cases"
)

// Kinds of check.
const (
	KindCase     = "case"
	KindProperty = "property"
)

// A Check is the outcome of one contract case or property.
type Check struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// Rule is the contract rule the check holds the service to.
	Rule string `json:"rule"`
	Pass bool   `json:"pass"`
	// Broken is the rule that broke, on failure: Rule, or a rule that holds for
	// every response (such as the error body).
	Broken string `json:"broken,omitempty"`
	// Request is the failing request, e.g. "POST /users", when there is one.
	Request string `json:"request,omitempty"`
	// Detail says what was expected and what came back.
	Detail   string        `json:"detail,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// A Report is the outcome of one conformance run.
type Report struct {
	URL      string        `json:"url"`
	Token    string        `json:"run_token"`
	Checks   []Check       `json:"checks"`
	Passed   int           `json:"passed"`
	Failed   int           `json:"failed"`
	Duration time.Duration `json:"duration_ns"`
}

// OK reports whether every check passed and at least one ran.
func (r Report) OK() bool { return r.Failed == 0 && r.Passed > 0 }

// Failures returns the checks that failed.
func (r Report) Failures() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.Pass {
			out = append(out, c)
		}
	}
	return out
}

// Options configure a run. The zero value of every field but BaseURL is usable.
type Options struct {
	// BaseURL is the service root, e.g. http://127.0.0.1:8080.
	BaseURL string
	// Only, when set, selects checks whose name matches it as a glob
	// (path.Match) or starts with it.
	Only string
	// SkipProperties runs the contract cases only.
	SkipProperties bool
	// StartedAt, when known (the harness started the service), bounds /health's
	// uptime exactly; otherwise the machine's uptime bounds it for a loopback URL.
	StartedAt time.Time
	// RequestTimeout bounds every request; DefaultRequestTimeout when zero.
	RequestTimeout time.Duration
	// OnCheck, when set, is called as each check finishes, in order.
	OnCheck func(Check)
	// Dial, when set, opens every connection: the oracle run from another
	// host (a loader's network namespace) dials from there.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// DefaultRequestTimeout bounds each request of a run.
const DefaultRequestTimeout = cases.DefaultRequestTimeout

// ErrUnreachable is returned (wrapped) when the service does not answer at all.
var ErrUnreachable = errors.New("service unreachable")

// Run checks the service at opts.BaseURL. It returns an error only when the run
// could not happen at all (bad options, unreachable service); every failed check
// is in the Report.
func Run(ctx context.Context, opts Options) (Report, error) {
	start := time.Now()
	base := strings.TrimRight(opts.BaseURL, "/")
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return Report{}, fmt.Errorf("--url %q must start with http:// or https://", opts.BaseURL)
	}
	all, err := cases.Load()
	if err != nil {
		return Report{}, fmt.Errorf("load contract cases: %w", err)
	}
	runner := cases.NewRunner(base)
	if opts.Dial != nil {
		runner.Client.Transport.(*http.Transport).DialContext = opts.Dial
	}
	if opts.RequestTimeout > 0 {
		runner.Timeout = opts.RequestTimeout
	}
	// Idle keep-alive connections would otherwise hold a graceful shutdown of the
	// service open until they time out.
	defer runner.Client.CloseIdleConnections()
	if err := preflight(ctx, runner); err != nil {
		return Report{}, err
	}
	rep := Report{URL: base, Token: runner.Token}
	record := func(c Check) {
		if c.Pass {
			rep.Passed++
		} else {
			rep.Failed++
		}
		rep.Checks = append(rep.Checks, c)
		if opts.OnCheck != nil {
			opts.OnCheck(c)
		}
	}
	for _, c := range all {
		if !selected(opts.Only, c.Name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		res := runner.Run(ctx, c)
		check := Check{Name: c.Name, Kind: KindCase, Rule: c.Rule, Pass: res.Pass, Request: res.Request,
			Detail: stepDetail(res), Duration: res.Duration}
		if !res.Pass {
			check.Broken = res.Rule
		}
		record(check)
	}
	if !opts.SkipProperties {
		p := &prober{runner: runner, startedAt: opts.StartedAt, dial: opts.Dial}
		for _, prop := range properties {
			if !selected(opts.Only, prop.name) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			record(p.run(ctx, prop))
		}
	}
	rep.Duration = time.Since(start)
	return rep, nil
}

func stepDetail(r cases.Result) string {
	if r.Pass {
		return ""
	}
	return fmt.Sprintf("step %d: %s", r.Step, r.Detail)
}

// preflight makes sure something answers HTTP at the base URL before any check
// runs, so an unreachable service is one clear error, not 140 failures.
func preflight(ctx context.Context, r *cases.Runner) error {
	if _, err := r.Do(ctx, "GET", "/health", nil, nil, nil); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrUnreachable, r.BaseURL, unwrapURLError(err))
	}
	return nil
}

func unwrapURLError(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

func selected(pattern, name string) bool {
	if pattern == "" || strings.HasPrefix(name, pattern) {
		return true
	}
	ok, err := path.Match(pattern, name)
	return err == nil && ok
}
