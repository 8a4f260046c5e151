// Package userapi is the http stage: the user API workload (services/). Its
// verify step holds every services contender to the contract (cases and
// property checks, compare/conform); its measure step loads it over HTTP.
package userapi

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/tribench/tribench/compare/conform"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

// DefaultConformTimeout bounds a whole conformance run of one service.
const DefaultConformTimeout = 5 * time.Minute

// ServerMemoryLimit caps a service's process tree.
const ServerMemoryLimit = 4 << 30

func init() { stage.Register(func() stage.Stage { return &Stage{loader: LoaderBoth} }) }

// Stage is the http stage.
type Stage struct {
	// loader is --loader: builtin, wrk or both.
	loader string
}

// Info describes the stage.
func (*Stage) Info() stage.Info {
	return stage.Info{
		Name: "http", Workload: "services", Title: "User API (services/CONTRACT.md)",
		Summary:  "build every services contender, hold it to the user API contract, load it over HTTP",
		Commands: manifest.Commands{"serve": {Placeholders: []string{"port", "host", "jit_log"}, Outputs: []string{manifest.OutputServer}}},
		Needs:    []string{"serve"},
	}
}

// Flags adds --loader.
func (s *Stage) Flags(fs *flag.FlagSet) {
	fs.Func("loader", "builtin, wrk or both: both cross-checks the list mix with wrk (on go-current unless the profile is full)", func(v string) error {
		switch v {
		case LoaderBuiltin, LoaderWrk, LoaderBoth:
			s.loader = v
			return nil
		}
		return fmt.Errorf("%q is not builtin, wrk or both", v)
	})
}

// loads is one run of the stage: the loaders it uses. Every server it
// starts is stopped by the step that started it, so Close has nothing left.
type loads struct {
	stage.Stateless
	loader string
}

// Prepare checks wrk is there when it is asked for; without it, both is the
// builtin loader alone.
func (s *Stage) Prepare(context.Context, *stage.Run) (stage.Prepared, error) {
	if s.loader == LoaderBuiltin {
		return &loads{loader: s.loader}, nil
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		if s.loader == LoaderWrk {
			return nil, errors.New("--loader wrk: wrk is not installed (make setup installs it from Debian)")
		}
		return &loads{loader: LoaderBuiltin}, nil
	}
	return &loads{loader: s.loader}, nil
}

// Verify starts the service and runs the contract's cases and properties.
func (*loads) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) results.Record {
	rec, _ := Conform(ctx, r, c, nil)
	return rec
}

// Conform starts c, checks it against the contract and stops it; onCheck,
// when set, sees each check as it finishes. Problems (a start failure, a crash
// during the checks) are the record's status and reason; the conformance
// report is returned beside the record.
func Conform(ctx context.Context, r *stage.Run, c *stage.Contender, onCheck func(conform.Check)) (results.Record, conform.Report) {
	rec := r.Record(c, results.StepVerify)
	dir, err := os.MkdirTemp("", "tribench-conform-")
	if err != nil {
		rec.Status, rec.Reason = results.StatusStartFailed, err.Error()
		return rec, conform.Report{}
	}
	defer os.RemoveAll(dir)
	srv, jit, err := startServer(ctx, r, c, dir, false)
	if err != nil {
		rec.Status, rec.Reason = results.StatusStartFailed, err.Error()
		if ctx.Err() != nil {
			rec.Status = results.StatusInterrupted
		}
		return rec, conform.Report{}
	}
	defer jit.close()
	rec.Contender.Argv, rec.Contender.Host = srv.Argv, srv.Host
	r.Progressf("%s: checking against the contract", c.Name())
	cctx, cancel := context.WithTimeout(ctx, DefaultConformTimeout)
	rep, err := conform.Run(cctx, conform.Options{BaseURL: srv.BaseURL, StartedAt: srv.Started, OnCheck: onCheck, Dial: srv.Dial})
	cancel()
	select {
	case <-srv.Process.Done():
		pr := srv.Process.Wait()
		rec.Status, rec.Reason = results.StatusCrashed, fmt.Sprintf("exited %s during the checks: %s", pr.Outcome, lastLine(pr.Stderr))
		rec.Values = stage.ProcessValues(pr)
		return rec, rep
	default:
		rec.Values = stage.ProcessValues(srv.Stop())
	}
	switch {
	case ctx.Err() != nil:
		rec.Status, rec.Reason = results.StatusInterrupted, "the service was stopped"
		return rec, rep
	case err != nil:
		rec.Status, rec.Reason = results.StatusCrashed, err.Error()
		return rec, rep
	}
	rec.Status = results.StatusOK
	for _, ch := range rep.Checks {
		rec.Checks = append(rec.Checks, results.Check{Name: ch.Name, Kind: ch.Kind, Rule: ch.Rule, Pass: ch.Pass, Broke: ch.Broken, Detail: ch.Detail})
	}
	r.Progressf("%s: %d passed, %d failed", c.Name(), rep.Passed, rep.Failed)
	return rec, rep
}

func lastLine(b []byte) string {
	s := string(b)
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == ' ') {
		s = s[:len(s)-1]
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}
