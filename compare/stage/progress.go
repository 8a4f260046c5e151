package stage

import (
	"context"
	"fmt"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
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
// budget, showing progress, and records where it stopped when it did. With
// the Run's Meter, disturbed rounds are re-run at the end; the progress line
// and a warning say how many, and a warning says once how the trees' own
// CPU time was measured when it could not be read from their cgroups.
func (r *Run) Interleave(ctx context.Context, jobs []batch.Job, each func(batch.Done)) batch.Stop {
	r.shown().Add((r.Plan.Warmup + r.Plan.Rounds) * len(jobs))
	notes := map[string]bool{}
	stop := batch.Interleave(ctx, r.Exec, jobs, batch.Plan{Warmup: r.Plan.Warmup, Rounds: r.Plan.Rounds, Deadline: r.Deadline, Meter: r.Meter},
		func(d batch.Done) {
			each(d)
			what := fmt.Sprintf("%s round %d", jobs[d.Job].Name, d.Round+1)
			switch {
			case d.Warmup:
				what = fmt.Sprintf("%s warm-up %d", jobs[d.Job].Name, d.Round+1)
			case d.Rerun:
				r.shown().Add(1)
				what += " re-run (disturbed)"
			}
			if note := d.Outcome.Disturbance.Note; note != "" && !notes[note] {
				notes[note] = true
				r.Warn("disturbance of %s: %s", jobs[d.Job].Name, note)
			}
			r.shown().Step(what)
		})
	if stop.Disturbed.Any() {
		r.Progressf("%s", stop.Disturbed)
		r.Warn("%s (other work or steal above %.0f%% of a run's CPUs)", stop.Disturbed, 100*disturb.Threshold)
	}
	r.Stopped(stop)
	return stop
}
