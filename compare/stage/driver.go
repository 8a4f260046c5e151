package stage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/toolchain"
)

// Options configure a run of one or more stages.
type Options struct {
	// Root is the repository root; Cache is TRIBENCH_CACHE; Bin holds build
	// outputs (Root/bin/contenders when empty).
	Root, Cache, Bin string
	Profile          string
	// Stages run in the order given.
	Stages []Stage
	// Only selects contenders whose name matches one of its comma-separated
	// globs (all when empty).
	Only string
	// Budget, when positive, replaces every stage's time budget.
	Budget time.Duration
	// ResultsDir receives results.jsonl and the report.
	ResultsDir string
	// JSON prints records as JSON lines on Stdout instead of tables.
	JSON   bool
	Stdout io.Writer
	// Progress shows the run's progress; nil shows nothing.
	Progress Progress
	Exec     runner.Executor
	// Meter measures how disturbed each batch run's CPUs were (disturb.System
	// for real runs); nil measures nothing.
	Meter disturb.Meter
	// Command, Env and Project head the results: what produced them, the
	// source tree's commit included.
	Command []string
	Env     map[string]string
	Project *results.Project
	// ClaimReads says which jobs the article's claims read (they run first,
	// in the plan's claim rounds); nil: none does.
	ClaimReads func(stage string, c *results.Contender, config map[string]any) bool
	// Verdicts judges the claims from a finished run's records; the verdicts
	// of the stages that ran are appended to the results. Nil judges nothing.
	Verdicts func(recs []results.Record) []results.Record
	// System lists what the system check found would disturb a run, one
	// line each; each becomes a warning record after the run record.
	System []string
	// ServerCPUs is how many CPUs a contender runs on (its manifest's
	// {{cpus}} follows it); 0 means one, the table's "per core".
	ServerCPUs int
	// Hosts places the servers and their loaders (--hosts); nil runs
	// everything on this machine, over loopback. The run brings its hosts
	// up before the stages (stale namespaces of dead runs swept) and takes
	// them down after, whatever happened.
	Hosts *hosts.File
	// HostsPrefix names the run's namespaces; hosts.NewPrefix() when empty.
	HostsPrefix string

	// net is the hosts brought up, set by Execute.
	net *hosts.Net
}

// ErrInterrupted is returned when the run was stopped (Ctrl-C): the report
// still holds everything that finished.
var ErrInterrupted = errors.New("interrupted; the report holds what finished")

// Execute runs the stages, streaming records to ResultsDir/results.jsonl as
// each is known (and as JSON lines on Stdout with JSON), then appends the
// verdicts. A stopped run (ctx cancelled) keeps every record of what
// finished and returns ErrInterrupted; the report is composed above this
// package (compare/compose), from the file.
func Execute(ctx context.Context, o Options) (err error) {
	if o.Bin == "" {
		o.Bin = filepath.Join(o.Root, "bin", "contenders")
	}
	if o.Progress == nil {
		o.Progress = quiet{}
	}
	contender, harness, _, err := o.cpuSets()
	if err != nil {
		return err
	}
	if o.Hosts != nil {
		if o.HostsPrefix == "" {
			o.HostsPrefix = hosts.NewPrefix()
		}
		o.Progress.Say("bringing the hosts up")
		if o.net, err = hosts.Up(ctx, *o.Hosts, o.HostsPrefix); err != nil {
			return fmt.Errorf("hosts: %w", err)
		}
		// Close does not take ctx: it runs after Ctrl-C too.
		defer func() {
			if cerr := o.net.Close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("hosts: %w", cerr))
			}
		}()
	}
	w, err := results.Create(o.ResultsDir)
	if err != nil {
		return err
	}
	defer w.Close()
	var stdoutMu sync.Mutex
	emit := func(rec results.Record) error {
		if rec.Time.IsZero() {
			rec.Time = time.Now().UTC()
		}
		if err := w.Add(rec); err != nil {
			return err
		}
		if o.JSON {
			b, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			stdoutMu.Lock()
			defer stdoutMu.Unlock()
			_, err = fmt.Fprintf(o.Stdout, "%s\n", b)
			return err
		}
		return nil
	}
	if err := emit(results.Record{Kind: results.KindRun, Command: o.Command, Profile: o.Profile, Env: o.Env, Project: o.Project,
		CPUs: cpuNote(contender, harness) + hostsNote(o.net), Hosts: hostEnvs(ctx, o.Root, o.net)}); err != nil {
		return err
	}
	if o.net != nil {
		for _, h := range o.net.Hosts {
			if h.MemoryNote != "" {
				if err := emit(results.Record{Kind: results.KindWarning, Reason: "host " + h.String() + ": " + h.MemoryNote}); err != nil {
					return err
				}
			}
		}
	}
	for _, finding := range o.System {
		if err := emit(results.Record{Kind: results.KindWarning, Reason: "system check: " + finding}); err != nil {
			return err
		}
	}
	var failures []error
	for _, s := range o.Stages {
		if ctx.Err() != nil {
			_ = emit(results.Record{Kind: results.KindStage, Stage: s.Info().Name, Workload: s.Info().Workload,
				Status: results.StatusInterrupted, Reason: "not started: the run was interrupted"})
			continue
		}
		if err := runStage(ctx, o, s, emit); err != nil {
			failures = append(failures, err)
		}
	}
	// The verdicts are records too, so other tools read them instead of
	// judging again; the report recomputes them from the same records.
	if o.Verdicts != nil {
		recs, _ := results.Read(filepath.Join(o.ResultsDir, results.FileName))
		for _, v := range o.Verdicts(recs) {
			if !slices.ContainsFunc(o.Stages, func(s Stage) bool { return s.Info().Name == v.Stage }) {
				continue // a claim of a stage this run did not measure
			}
			if err := emit(v); err != nil {
				failures = append(failures, err)
				break
			}
		}
	}
	if ctx.Err() != nil {
		return ErrInterrupted
	}
	return errors.Join(failures...)
}

// cpuSets splits the CPUs as SplitCPUs does, unless the hosts file gives
// the server's CPUs (then the contenders') or the first loader's (then the
// harness's): a CPU count that --server-cpus also gives must agree.
func (o Options) cpuSets() (contender, harness, all []int, err error) {
	contender, harness, all, err = SplitCPUs(runtime.NumCPU(), o.ServerCPUs)
	if o.Hosts == nil {
		return contender, harness, all, err
	}
	server, perr := hosts.ParseCPUs(o.Hosts.Server.CPUs)
	if perr != nil {
		return nil, nil, nil, fmt.Errorf("hosts: server: %w", perr)
	}
	if server != nil {
		if o.ServerCPUs != 0 && len(server) != o.ServerCPUs {
			return nil, nil, nil, fmt.Errorf("--server-cpus %d: the hosts file gives the server %d CPUs (%s)", o.ServerCPUs, len(server), o.Hosts.Server.CPUs)
		}
		contender, err = server, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if loader, _ := hosts.ParseCPUs(o.Hosts.Loaders[0].CPUs); loader != nil {
		harness = loader
	}
	return contender, harness, all, nil
}

// CPUSets splits this machine's CPUs: contenders (servers and batch runs) on
// the last CPU, the harness (load generator, oracle) on the others; on a
// one-CPU machine they share it.
func CPUSets() (contender, harness, all []int) {
	contender, harness, all, _ = SplitCPUs(runtime.NumCPU(), 1)
	return contender, harness, all
}

// SplitCPUs splits n CPUs for contenders on server of them (the last ones;
// 0 means one) and the harness on the rest. The harness needs a CPU of its
// own, or the loader would take the contender's: only a one-CPU machine
// shares it.
func SplitCPUs(n, server int) (contender, harness, all []int, err error) {
	if server == 0 {
		server = 1
	}
	for i := 0; i < n; i++ {
		all = append(all, i)
	}
	switch {
	case n < 2 && server == 1:
		return all, all, all, nil
	case server < 1 || server >= n:
		return nil, nil, nil, fmt.Errorf("--server-cpus %d: give 1 to %d on this %d-CPU machine (the loader and the oracle need a CPU of their own)", server, max(n-1, 1), n)
	}
	return all[n-server:], all[:n-server], all, nil
}

func cpuNote(contender, harness []int) string {
	return fmt.Sprintf("contenders on CPU %s, the harness on CPU %s", cpuString(contender), cpuString(harness))
}

// hostsNote says which host runs the servers and which the loaders, after
// the CPU split; nothing when everything runs here.
func hostsNote(n *hosts.Net) string {
	if n == nil {
		return ""
	}
	loaders := make([]string, len(n.Loaders()))
	for i, h := range n.Loaders() {
		loaders[i] = h.String()
		if h.Spec.CPUs != "" {
			loaders[i] += " on CPU " + h.Spec.CPUs
		}
	}
	server := n.Server().String()
	if cpus := n.Server().Spec.CPUs; cpus != "" {
		server += " on CPU " + cpus
	}
	return fmt.Sprintf("; servers on %s, loaders on %s", server, strings.Join(loaders, ", "))
}

// hostEnvTimeout bounds reading one host's environment.
const hostEnvTimeout = time.Minute

// thisMachine notes a host whose environment is the run record's.
const thisMachine = "this machine: the environment above"

// hostEnvs is each host's role, CPU list and environment: `tribench env
// --json` run on an ssh: host (the work tree at root there), none for a
// host that is this machine. Nil without hosts.
func hostEnvs(ctx context.Context, root string, n *hosts.Net) []results.HostEnv {
	if n == nil {
		return nil
	}
	var out []results.HostEnv
	for i, h := range n.Hosts {
		e := results.HostEnv{Role: results.RoleLoader, Host: h.String(), CPUs: h.Spec.CPUs, Note: thisMachine}
		if i == 0 {
			e.Role = results.RoleServer
		}
		if h.Addr.Kind == hosts.SSH {
			e.Note = ""
			env, err := remoteEnv(ctx, root, h)
			if err != nil {
				e.Note = "environment not read: " + err.Error()
			}
			e.Env = env
		}
		out = append(out, e)
	}
	return out
}

// remoteEnv runs `tribench env --json` on h and summarises it as the run
// record's env.
func remoteEnv(ctx context.Context, root string, h *hosts.Host) (map[string]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("the tribench executable: %w", err)
	}
	spec, err := h.Place(runner.Spec{Argv: []string{exe, "env", "--json"}, Dir: root})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, hostEnvTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, spec.Argv[0], spec.Argv[1:]...)
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("tribench env: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var env toolchain.Env
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("tribench env: %w", err)
	}
	return env.Summary(), nil
}

// runStage runs one stage through build, verify and measure.
func runStage(ctx context.Context, o Options, s Stage, emit func(results.Record) error) error {
	info := s.Info()
	begin := time.Now()
	stageRec := results.Record{Kind: results.KindStage, Stage: info.Name, Workload: info.Workload, Config: map[string]any{"profile": o.Profile}}
	finish := func(status, reason string) error {
		if status != results.StatusOK && reason != "" {
			o.Progress.Say(status + ": " + reason)
		}
		stageRec.Status, stageRec.Reason = status, reason
		stageRec.Values = append([]results.Value{{Name: "duration", Unit: "s", Samples: []float64{time.Since(begin).Seconds()}, Source: "outside"}}, stageRec.Values...)
		if err := emit(stageRec); err != nil {
			return err
		}
		if status == results.StatusFailed {
			return fmt.Errorf("%s: %s", info.Name, reason)
		}
		return nil
	}
	p, err := plan.For(info.Name, o.Profile)
	if err != nil {
		return finish(results.StatusFailed, err.Error())
	}
	if o.Budget > 0 {
		p.Budget = o.Budget
	}
	stageRec.Config["budget_s"] = p.Budget.Seconds()
	stageRec.Config["claim_rounds"] = p.RoundsFor(true)
	run, selected, err := setup(o, s, p, begin, emit)
	if err != nil {
		return finish(results.StatusFailed, results.Reason(err.Error()))
	}
	if len(selected) == 0 {
		return finish(results.StatusOK, "no contender selected")
	}
	o.Progress.Begin(info.Name, len(selected), p.Budget)
	defer o.Progress.End()
	run.Progressf("preparing (%s profile, budget %s)", o.Profile, p.Budget)
	prepared, err := s.Prepare(ctx, run)
	if prepared != nil {
		defer func() {
			if err := prepared.Close(); err != nil {
				run.Warn("%s: cleaning up: %v", info.Name, err)
			}
		}()
	}
	if err != nil {
		if ctx.Err() != nil {
			return finish(results.StatusInterrupted, "interrupted while preparing")
		}
		return finish(results.StatusFailed, "prepare: "+results.Reason(err.Error()))
	}
	var ready []*Contender
	for _, c := range selected {
		if ctx.Err() != nil {
			break
		}
		ok, step := c.buildAndCheck(ctx, run, prepared)
		if ok {
			ready = append(ready, c)
		}
		o.Progress.Step(c.Name() + " " + step)
	}
	if ctx.Err() == nil && len(ready) > 0 {
		// What ran on the machine just before the rounds: a high load here
		// explains disturbed rounds, or a stage whose rounds all were.
		if load, err := disturb.LoadAverage(); err == nil {
			stageRec.Values = append(stageRec.Values, results.Value{Name: "load_before", Unit: "1", Samples: []float64{load}, Source: "outside"})
		}
		prepared.Measure(ctx, run, ready)
	}
	switch {
	case run.emitErr != nil:
		return finish(results.StatusFailed, "writing results: "+run.emitErr.Error())
	case ctx.Err() != nil:
		return finish(results.StatusInterrupted, "interrupted; records above hold what finished")
	case run.stop.Status != "":
		if len(run.stop.Dropped) > 0 {
			stageRec.Config["dropped"] = run.stop.Dropped
		}
		return finish(run.stop.Status, run.stop.Reason)
	}
	return finish(results.StatusOK, "")
}

// buildAndCheck makes a contender ready to measure: available, built, its
// version read, and (unless it is a calibration entry) held to the oracle. It
// emits the verify record and reports whether the contender can be measured.
func (c *Contender) buildAndCheck(ctx context.Context, run *Run, s Prepared) (measure bool, step string) {
	const notMeasured = "not measured (see its verify record)"
	rec := run.Record(c, results.StepVerify)
	if status, reason := c.Ready(ctx, run); status != results.StatusOK {
		rec.Status, rec.Reason = status, reason
		run.Emit(c.withSourceSize(run, rec))
		return false, notMeasured
	}
	if c.Calibration() {
		return true, "ready (a reference line, not held to the oracle): measured next"
	}
	run.Progressf("%s: verifying", c.Name())
	rec = s.Verify(ctx, run, c)
	rec.Kind, rec.Step, rec.Contender = results.KindResult, results.StepVerify, c.Info()
	if rec.Status == "" {
		rec.Status = results.StatusOK
	}
	rec = c.withSourceSize(run, rec)
	run.Emit(rec)
	if rec.Status != results.StatusOK {
		return false, notMeasured
	}
	if f := len(rec.Failures()); f > 0 {
		run.Progressf("%s: FAILS the oracle (%d of %d checks); measured, not ranked", c.Name(), f, len(rec.Checks))
		return true, fmt.Sprintf("fails the oracle (%d of %d checks): measured next, not ranked", f, len(rec.Checks))
	}
	return true, "verified: measured next"
}

// withSourceSize adds the size of c's own sources to its verify record: how
// much code the language needed is known whether or not it could run here.
func (c *Contender) withSourceSize(run *Run, rec results.Record) results.Record {
	vs, err := SourceValues(run.Root, c.Decl)
	if err != nil {
		run.Warn("%s: %v", c.Name(), err)
	}
	rec.Values = append(rec.Values, vs...)
	return rec
}

// Ready checks the contender is available, builds it and reads its version; a
// status other than results.StatusOK says why it cannot run, in reason.
func (c *Contender) Ready(ctx context.Context, run *Run) (status, reason string) {
	if why := c.Unavailable(); why != "" {
		run.Progressf("%s: unavailable: %s", c.Name(), why)
		return results.StatusUnavailable, why
	}
	run.Progressf("%s: building", c.Name())
	if err := c.Build(ctx, run.Exec); err != nil {
		if ctx.Err() != nil {
			return results.StatusInterrupted, "interrupted while building"
		}
		return results.StatusBuildFailed, results.Reason(err.Error())
	}
	if err := c.ReadVersion(ctx, run.Exec); err != nil {
		run.Warn("%s", results.Reason(err.Error()))
	}
	return results.StatusOK, ""
}

// Standalone prepares one stage's run outside a full run (for example
// `tribench conform --contender`): its manifest loaded, every contender that
// answers the stage's commands resolved. Records and warnings it emits are
// dropped.
func Standalone(o Options, s Stage) (*Run, []*Contender, error) {
	p, err := plan.For(s.Info().Name, o.Profile)
	if err != nil {
		return nil, nil, err
	}
	o.Only = ""
	return setup(o, s, p, time.Now(), func(results.Record) error { return nil })
}

// setup is the one path from options to a stage's run: defaults filled, the
// manifest loaded, the CPU sets split, and the contenders that answer the
// stage's commands and match Only resolved.
func setup(o Options, s Stage, p plan.Plan, begin time.Time, emit func(results.Record) error) (*Run, []*Contender, error) {
	if o.Bin == "" {
		o.Bin = filepath.Join(o.Root, "bin", "contenders")
	}
	if o.Progress == nil {
		o.Progress = quiet{}
	}
	info := s.Info()
	file, err := LoadManifest(o.Root, info)
	if err != nil {
		return nil, nil, err
	}
	contender, harness, all, err := o.cpuSets()
	if err != nil {
		return nil, nil, err
	}
	run := &Run{Hosts: o.net, Info: info, Root: o.Root, Cache: o.Cache, Bin: o.Bin, Profile: o.Profile, Plan: p,
		Deadline: begin.Add(p.Budget), Exec: o.Exec, ContenderCPUs: contender, HarnessCPUs: harness, AllCPUs: all,
		ClaimReads: o.ClaimReads, Meter: o.Meter, progress: o.Progress, emit: emit}
	var cs []*Contender
	for _, d := range file.Contenders {
		if d.Answers(info.Needs...) && matchName(o.Only, d.Name) {
			cs = append(cs, Resolve(d, file.Workload, o.Root, o.Cache, o.Bin, contender))
		}
	}
	return run, cs, nil
}

// LoadManifest loads and validates the manifest a stage reads.
func LoadManifest(root string, info Info) (manifest.File, error) {
	mpath := info.Manifest
	if mpath == "" {
		mpath = manifest.Path(info.Workload)
	}
	return manifest.Load(root, mpath, Commands())
}

// Stopped records that the stage's measurement stopped early (its budget, an
// interruption); the stage record says where.
func (r *Run) Stopped(stop batch.Stop) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stop.Status == "" && stop.Status != "" {
		r.stop = stop
	}
}

// matchName says whether name matches one of only's comma-separated globs
// (every name does when only is empty).
func matchName(only, name string) bool {
	if only == "" {
		return true
	}
	for _, pattern := range strings.Split(only, ",") {
		if ok, err := filepath.Match(strings.TrimSpace(pattern), name); err == nil && ok {
			return true
		}
	}
	return false
}
