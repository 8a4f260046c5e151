package batch

import (
	"context"
	"fmt"
	"time"

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
}

// Completed reports whether every planned run ran.
func (s Stop) Completed() bool { return s.Status == "" }

// A Done is one finished run handed to the caller.
type Done struct {
	Job, Round int
	// Warmup is true for a warm-up round; Round then counts warm-up rounds.
	Warmup  bool
	Outcome Outcome
}

// Interleave runs every job once per round, in job order (A B C A B C), first
// plan.Warmup warm-up rounds and then plan.Rounds measured ones, handing each
// finished run to each. It starts no run after the deadline or once ctx is
// done, and says where it stopped.
func Interleave(ctx context.Context, exec runner.Executor, jobs []Job, plan Plan, each func(Done)) Stop {
	total := plan.Warmup + plan.Rounds
	for r := 0; r < total; r++ {
		for j, job := range jobs {
			warm := r < plan.Warmup
			round := r
			if !warm {
				round = r - plan.Warmup
			}
			if ctx.Err() != nil {
				return Stop{Status: results.StatusInterrupted, Round: r, Job: j, Reason: "interrupted before " + where(job, warm, round)}
			}
			if !plan.Deadline.IsZero() && time.Now().After(plan.Deadline) {
				return Stop{Status: results.StatusBudget, Round: r, Job: j,
					Reason: fmt.Sprintf("time budget spent before %s (%d of %d runs done)", where(job, warm, round), r*len(jobs)+j, total*len(jobs))}
			}
			var o Outcome
			if run, err := job.Make(round); err != nil {
				o = Outcome{Status: results.StatusFailed, Reason: oneLine(err.Error())}
			} else {
				o = Execute(ctx, exec, run)
			}
			each(Done{Job: j, Round: round, Warmup: warm, Outcome: o})
		}
	}
	return Stop{}
}

func where(job Job, warm bool, round int) string {
	if warm {
		return fmt.Sprintf("%s warm-up round %d", job.Name, round+1)
	}
	return fmt.Sprintf("%s round %d", job.Name, round+1)
}
