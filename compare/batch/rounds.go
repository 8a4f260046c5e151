package batch

import (
	"context"
	"fmt"
	"time"

	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// A Job is one contender in one configuration, run once per round.
type Job struct {
	// Name identifies the job in progress lines and stop reasons.
	Name string
	// Make returns the run of a round (for example with a fresh output
	// folder); an error is that round's failure, with the error as its reason.
	Make func(round int) (Run, error)
	// Contender and Config say what the job measures (as its record will),
	// so the harness can run the jobs the article's claims read first.
	Contender *results.Contender
	Config    map[string]any
	// Meter, when set, measures this job's runs instead of the plan's: the
	// http stage judges the server's CPU, not the loader's.
	Meter disturb.Meter
	// Threshold is the foreign or stolen share of the measured CPUs above
	// which a run is disturbed; 0 is disturb.Threshold.
	Threshold float64
	// Kept, when set, names the measured rounds never re-run when disturbed
	// (they stay flagged): a round other runs were planned from.
	Kept func(round int) bool
}

// threshold is the share above which the job's runs are disturbed.
func (j Job) threshold() float64 {
	if j.Threshold > 0 {
		return j.Threshold
	}
	return disturb.Threshold
}

// A Plan says how many rounds to run and until when.
type Plan struct {
	// Warmup rounds run first and are reported as warm-up, not measured.
	Warmup int
	// Rounds is how many measured rounds follow.
	Rounds int
	// Deadline, when set, is the time after which no run starts: the stage's
	// time budget.
	Deadline time.Time
	// Meter, when set, measures how disturbed each run's CPUs were; a
	// disturbed measured round is re-run once after the last round.
	Meter disturb.Meter
}

// A Stop says where Interleave stopped; the zero value means it ran everything.
type Stop struct {
	// Status is results.StatusBudget or results.StatusInterrupted, or "".
	Status string
	// Round and Job are the first run that did not start.
	Round, Job int
	Reason     string
	// Dropped names every run that did not start ("job round 3").
	Dropped []string
	// Disturbed counts the disturbed rounds, however Interleave stopped.
	Disturbed Tally
}

// A Tally counts disturbed measured rounds: Rerun were re-run quietly, Kept
// are kept flagged (their re-run was disturbed too, failed, or could not
// start before the deadline).
type Tally struct {
	Rerun, Kept int
}

// Any reports whether a round was disturbed.
func (t Tally) Any() bool { return t.Rerun+t.Kept > 0 }

// String is the tally as the progress line and the warning say it.
func (t Tally) String() string {
	return fmt.Sprintf("%d disturbed rounds re-run, %d kept flagged", t.Rerun, t.Kept)
}

// Completed reports whether every planned run ran.
func (s Stop) Completed() bool { return s.Status == "" }

// A Done is one finished run handed to the caller.
type Done struct {
	Job, Round int
	// Warmup is true for a warm-up round; Round then counts warm-up rounds.
	Warmup bool
	// Rerun is true for the re-run of a disturbed round: its figures replace
	// the round's (Samples.Add does so by round number).
	Rerun   bool
	Outcome Outcome
}

// A redo is a disturbed round waiting for its re-run.
type redo struct {
	job, round int
	wall       time.Duration
}

// Interleave runs every job once per round, in job order (A B C A B C), first
// plan.Warmup warm-up rounds and then plan.Rounds measured ones, handing each
// finished run to each. It starts no run after the deadline or once ctx is
// done, and says where it stopped. With a Meter, each measured round that
// ran and was disturbed is run once more after the last round, in the order
// they came, each only when its first run's wall time still fits before the
// deadline; the re-run is handed to each with Rerun set.
func Interleave(ctx context.Context, exec runner.Executor, jobs []Job, plan Plan, each func(Done)) Stop {
	stop, redos, kept := rounds(ctx, exec, jobs, plan, each)
	stop.Disturbed.Kept = len(redos) + kept
	if !stop.Completed() {
		return stop
	}
	for _, rd := range redos {
		if ctx.Err() != nil || (!plan.Deadline.IsZero() && time.Now().Add(rd.wall).After(plan.Deadline)) {
			break
		}
		o := runOnce(ctx, exec, jobs[rd.job], rd.round, plan.Meter)
		if o.OK() && !o.Disturbance.Over(jobs[rd.job].threshold()) {
			stop.Disturbed.Rerun++
			stop.Disturbed.Kept--
		}
		each(Done{Job: rd.job, Round: rd.round, Rerun: true, Outcome: o})
	}
	return stop
}

// rounds runs the planned rounds and returns the disturbed ones to re-run,
// and how many disturbed ones its jobs keep as they are.
func rounds(ctx context.Context, exec runner.Executor, jobs []Job, plan Plan, each func(Done)) (Stop, []redo, int) {
	var redos []redo
	kept := 0
	total := plan.Warmup + plan.Rounds
	for r := 0; r < total; r++ {
		for j, job := range jobs {
			warm := r < plan.Warmup
			round := r
			if !warm {
				round = r - plan.Warmup
			}
			if ctx.Err() != nil {
				return Stop{Status: results.StatusInterrupted, Round: r, Job: j, Reason: "interrupted before " + where(job, warm, round)}, redos, kept
			}
			if !plan.Deadline.IsZero() && time.Now().After(plan.Deadline) {
				return Stop{Status: results.StatusBudget, Round: r, Job: j,
					Reason: fmt.Sprintf("time budget spent before %s (%d of %d runs done)", where(job, warm, round), r*len(jobs)+j, total*len(jobs))}, redos, kept
			}
			o := runOnce(ctx, exec, job, round, plan.Meter)
			switch {
			case warm || !o.OK() || !o.Disturbance.Over(job.threshold()):
			case job.Kept != nil && job.Kept(round):
				kept++
			default:
				redos = append(redos, redo{job: j, round: round, wall: o.Process.Wall})
			}
			each(Done{Job: j, Round: round, Warmup: warm, Outcome: o})
		}
	}
	return Stop{}, redos, kept
}

// runOnce makes and executes a job's run of round, measuring its CPUs'
// disturbance with the job's meter, or else meter when set.
func runOnce(ctx context.Context, exec runner.Executor, job Job, round int, meter disturb.Meter) Outcome {
	if job.Meter != nil {
		meter = job.Meter
	}
	run, err := job.Make(round)
	if err != nil {
		return Outcome{Status: results.StatusFailed, Reason: results.Reason(err.Error())}
	}
	var w disturb.Window
	if meter != nil {
		w = meter.Start(run.Spec.CPUs)
	}
	o := Execute(ctx, exec, run)
	if w != nil {
		p := o.Process
		o.Disturbance = w.StopWith(disturb.Tree{PerCPU: p.CPUPerCPU, Total: p.User + p.Sys, Note: p.CPUNote})
	}
	return o
}

func where(job Job, warm bool, round int) string {
	if warm {
		return fmt.Sprintf("%s warm-up round %d", job.Name, round+1)
	}
	return fmt.Sprintf("%s round %d", job.Name, round+1)
}
