package stage

import (
	"context"
	"fmt"

	"github.com/tribench/tribench/compare/batch"
)

// A Progress shows a run's progress: what runs now and how much is left. The
// CLI gives a progress bar on a terminal and nothing otherwise.
type Progress interface {
	// Begin starts a stage expecting total steps (more may be added).
	Begin(stage string, total int)
	// Add expects n more steps of the current stage.
	Add(n int)
	// Step marks one step done and says what runs next.
	Step(what string)
	// Say shows what runs now without finishing a step.
	Say(what string)
	// End finishes the current stage.
	End()
}

// quiet is the Progress that shows nothing.
type quiet struct{}

func (quiet) Begin(string, int) {}
func (quiet) Add(int)           {}
func (quiet) Step(string)       {}
func (quiet) Say(string)        {}
func (quiet) End()              {}

// Interleave runs jobs in interleaved rounds of the stage's plan, within its
// budget, showing progress, and records where it stopped when it did.
func (r *Run) Interleave(ctx context.Context, jobs []batch.Job, each func(batch.Done)) batch.Stop {
	r.shown().Add((r.Plan.Warmup + r.Plan.Rounds) * len(jobs))
	stop := batch.Interleave(ctx, r.Exec, jobs, batch.Plan{Warmup: r.Plan.Warmup, Rounds: r.Plan.Rounds, Deadline: r.Deadline},
		func(d batch.Done) {
			each(d)
			what := fmt.Sprintf("%s round %d", jobs[d.Job].Name, d.Round+1)
			if d.Warmup {
				what = fmt.Sprintf("%s warm-up %d", jobs[d.Job].Name, d.Round+1)
			}
			r.shown().Step(what)
		})
	r.Stopped(stop)
	return stop
}
