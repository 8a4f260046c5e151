package stage

import (
	"context"
	"fmt"
	"strconv"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/disturb"
	"github.com/tribench/tribench/compare/results"
)

// A Job is one contender in one configuration, run once a round: what a
// stage states about a measurement. The loop (Interleave, Measure) does the
// rest: rounds, order, budget, disturbed rounds, samples, records.
type Job struct {
	Contender *Contender
	// Name names the job in progress lines and stop reasons ("go-current N=2").
	Name string
	// Config is the configuration the job's record carries, and what the
	// article's claims are asked whether they read.
	Config map[string]any
	// Claimed runs the job first, in the plan's claim rounds, whether or not
	// the Run's ClaimReads says a claim reads it (the http stage's claim
	// contenders, by their manifest role).
	Claimed bool
	// Run makes the round's run (for example with a fresh output folder); an
	// error is that round's failure, with the error as its reason.
	Run func(round int) (batch.Run, error)
	// Read reads a finished run's figures, each with add; it reports false
	// when the run's output is not a result (the round then counts as
	// failed: no figure of it is kept, outside ones included). Nil keeps the
	// outside figures of every run that finished well.
	Read func(o batch.Outcome, add func(name, unit, source string, v float64)) bool
	// Hidden jobs get no record of their own: they are measured for what
	// other records derive from them (the runtime's memory at N = 0).
	Hidden bool
	// Meter, Threshold and Kept are batch.Job's: how the job's disturbance
	// is measured and judged, and the rounds never re-run.
	Meter     disturb.Meter
	Threshold float64
	Kept      func(round int) bool
}

// Interleave runs jobs in interleaved rounds of the stage's plan, within its
// budget, showing progress, and records where it stopped when it did. The
// jobs the article's claims read (or Claimed) run first, among themselves,
// in the plan's claim rounds; the others follow in its rounds. So a budget
// that runs out drops the runs no verdict needs, and the stop names every
// dropped run. With the Run's Meter (or a job's own), disturbed rounds are
// re-run at the end of each of the two; the progress line and a warning say
// how many, and a warning says once how the trees' own CPU time was
// measured when it could not be read from their cgroups. Done.Job indexes
// jobs as given.
func (r *Run) Interleave(ctx context.Context, jobs []Job, each func(batch.Done)) batch.Stop {
	var claimed, others []int
	for i, j := range jobs {
		if j.Claimed || (r.ClaimReads != nil && j.Contender != nil && r.ClaimReads(r.Info.Name, j.Contender.Info(), j.Config)) {
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
	threshold := 0.0
	for _, ph := range phases {
		if len(ph.jobs) == 0 {
			continue
		}
		sub := make([]batch.Job, len(ph.jobs))
		for i, at := range ph.jobs {
			sub[i] = jobs[at].batchJob()
			threshold = max(threshold, sub[i].Threshold)
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
		if threshold == 0 {
			threshold = disturb.Threshold
		}
		r.Progressf("%s", tally)
		r.Warn("%s (other work or steal above %.0f%% of a run's CPUs)", tally, 100*threshold)
	}
	r.Stopped(stop)
	return stop
}

func (j Job) batchJob() batch.Job {
	b := batch.Job{Name: j.Name, Make: j.Run, Config: j.Config, Meter: j.Meter, Threshold: j.Threshold, Kept: j.Kept}
	if j.Contender != nil {
		b.Contender = j.Contender.Info()
	}
	return b
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

// Measured is what Measure found: each job's values, one sample per round
// numbered by round, and where the rounds stopped.
type Measured struct {
	Jobs   []Job
	Values [][]results.Value
	Stop   batch.Stop
}

// Measure runs jobs in interleaved rounds (Interleave), reads each finished
// run with its job's Read, adds what the harness measured from outside, and
// returns every job's values. A disturbed round's re-run replaces the round's
// figures.
func (r *Run) Measure(ctx context.Context, jobs []Job) Measured {
	samples := make([]batch.Samples, len(jobs))
	stop := r.Interleave(ctx, jobs, func(d batch.Done) {
		if !d.Outcome.OK() {
			return
		}
		s := &samples[d.Job]
		add := func(name, unit, source string, v float64) { s.Add(name, unit, source, d.Round, d.Warmup, v) }
		if read := jobs[d.Job].Read; read != nil && !read(d.Outcome, add) {
			return
		}
		s.AddOutside(d.Round, d.Warmup, d.Outcome)
	})
	m := Measured{Jobs: jobs, Values: make([][]results.Value, len(jobs)), Stop: stop}
	for i := range samples {
		m.Values[i] = samples[i].Values()
	}
	return m
}

// Value is job i's value of name (empty when it has none).
func (m Measured) Value(i int, name string) results.Value {
	for _, v := range m.Values[i] {
		if v.Name == name {
			return v
		}
	}
	return results.Value{}
}

// Record is a measure record of c in config holding values, with the status
// every record of these rounds carries: ok, or why they stopped.
func (m Measured) Record(r *Run, c *Contender, config map[string]any, values []results.Value) results.Record {
	rec := r.Record(c, results.StepMeasure)
	rec.Config = config
	rec.Status = results.StatusOK
	if m.Stop.Status != "" {
		rec.Status, rec.Reason = m.Stop.Status, m.Stop.Reason
	}
	rec.Values = values
	return rec
}

// Emit emits the record of every job that is not hidden, in job order;
// derive, when set, returns job i's values with those derived from other
// jobs added.
func (m Measured) Emit(r *Run, derive func(i int, values []results.Value) []results.Value) {
	for i, j := range m.Jobs {
		if j.Hidden {
			continue
		}
		values := m.Values[i]
		if derive != nil {
			values = derive(i, values)
		}
		r.Emit(m.Record(r, j.Contender, j.Config, values))
	}
}

// A CPUSet is the CPUs a job runs on, named as its record's configuration
// says ("one", "all").
type CPUSet struct {
	Name string
	CPUs []int
}

// ScalingSets are the two CPU sets of a speed-up: the contenders' own (one
// CPU unless --server-cpus says more; then named by its count) and every
// CPU; only the first where they are the same, as on a one-CPU machine.
func (r *Run) ScalingSets() []CPUSet {
	own := "one"
	if len(r.ContenderCPUs) > 1 {
		own = strconv.Itoa(len(r.ContenderCPUs))
	}
	sets := []CPUSet{{own, r.ContenderCPUs}, {"all", r.AllCPUs}}
	if len(r.AllCPUs) == len(r.ContenderCPUs) {
		return sets[:1]
	}
	return sets
}

// EmitSpeedups emits, for each contender of jobs laid out contender by
// contender over ScalingSets, its "speedup" from one CPU to every CPU:
// value's paired ratio round by round, all over one for a rate, one over
// all when lower is better (seconds). Nothing on a one-CPU machine.
func (m Measured) EmitSpeedups(r *Run, cs []*Contender, value string, lower bool, config map[string]any) {
	if len(r.ScalingSets()) < 2 {
		return
	}
	for i, c := range cs {
		one, all := m.Value(2*i, value), m.Value(2*i+1, value)
		if lower {
			one, all = all, one
		}
		r.Emit(m.Record(r, c, config, []results.Value{results.PairedRatio("speedup", all, one)}))
	}
}
