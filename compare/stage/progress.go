package stage

import (
	"context"
	"fmt"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/results"
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
// budget, showing progress, and records where it stopped when it did. The
// jobs the article's claims read run first, among themselves, in the plan's
// claim rounds; the others follow in its rounds. So a budget that runs out
// drops the runs no verdict needs, and the stop names every dropped run.
// With the Run's Meter, disturbed rounds are re-run at the end of each of
// the two; the progress line and a warning say how many, and a warning says
// once how the trees' own CPU time was measured when it could not be read
// from their cgroups. Done.Job indexes jobs as given.
func (r *Run) Interleave(ctx context.Context, jobs []batch.Job, each func(batch.Done)) batch.Stop {
	var claimed, others []int
	for i, j := range jobs {
		if r.ClaimReads != nil && r.ClaimReads(r.Info.Name, j.Contender, j.Config) {
			claimed = append(claimed, i)
		} else {
			others = append(others, i)
		}
	}
	phases := []struct {
		jobs   []int
		rounds int
	}{{claimed, r.Plan.RoundsFor(true)}, {others, r.Plan.RoundsFor(false)}}
	total := 0
	for _, ph := range phases {
		total += (r.Plan.Warmup + ph.rounds) * len(ph.jobs)
	}
	r.shown().Add(total)
	notes := map[string]bool{}
	var stop batch.Stop
	var tally batch.Tally
	for _, ph := range phases {
		if len(ph.jobs) == 0 {
			continue
		}
		sub := make([]batch.Job, len(ph.jobs))
		for i, at := range ph.jobs {
			sub[i] = jobs[at]
		}
		p := batch.Plan{Warmup: r.Plan.Warmup, Rounds: ph.rounds, Deadline: r.Deadline, Meter: r.Meter}
		if stop.Status != "" {
			stop.Dropped = append(stop.Dropped, notRun(sub, p, 0, 0)...)
			continue
		}
		s := batch.Interleave(ctx, r.Exec, sub, p, func(d batch.Done) {
			what := fmt.Sprintf("%s round %d", sub[d.Job].Name, d.Round+1)
			switch {
			case d.Warmup:
				what = fmt.Sprintf("%s warm-up %d", sub[d.Job].Name, d.Round+1)
			case d.Rerun:
				r.shown().Add(1)
				what += " re-run (disturbed)"
			}
			if note := d.Outcome.Disturbance.Note; note != "" && !notes[note] {
				notes[note] = true
				r.Warn("disturbance of %s: %s", sub[d.Job].Name, note)
			}
			d.Job = ph.jobs[d.Job]
			each(d)
			r.shown().Step(what)
		})
		tally.Rerun += s.Disturbed.Rerun
		tally.Kept += s.Disturbed.Kept
		if s.Status != "" {
			s.Dropped = notRun(sub, p, s.Round, s.Job)
			s.Job = ph.jobs[s.Job]
			stop = s
		}
	}
	stop.Disturbed = tally
	if stop.Status == results.StatusBudget {
		stop.Reason = fmt.Sprintf("time budget spent before %s (%d of %d runs done)", stop.Dropped[0], total-len(stop.Dropped), total)
	}
	if tally.Any() {
		r.Progressf("%s", tally)
		r.Warn("%s (other work or steal above %.0f%% of a run's CPUs)", tally, 100*disturb.Threshold)
	}
	r.Stopped(stop)
	return stop
}

// notRun names the runs of jobs under p from round (counting warm-up
// rounds) and job on: what a stop there leaves out.
func notRun(jobs []batch.Job, p batch.Plan, round, job int) []string {
	var out []string
	for rd := round; rd < p.Warmup+p.Rounds; rd++ {
		for j := range jobs {
			if rd == round && j < job {
				continue
			}
			if rd < p.Warmup {
				out = append(out, fmt.Sprintf("%s warm-up round %d", jobs[j].Name, rd+1))
			} else {
				out = append(out, fmt.Sprintf("%s round %d", jobs[j].Name, rd-p.Warmup+1))
			}
		}
	}
	return out
}
