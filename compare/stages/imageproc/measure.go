package imageproc

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/imageproc"
)

// The names of the stage's values.
const (
	valueImages      = "images_per_s"
	valueMegapixels  = "megapixels_per_s"
	valueSeconds     = "seconds"
	valueOutputBytes = "output_bytes"
	valueSpeedup     = "speedup"
)

// A job is one contender with one CPU set.
type job struct {
	c       *stage.Contender
	cpus    []int
	cpuName string // "one" or "all"
	samples batch.Samples
}

func (j *job) out(tmp string, round int) string {
	return filepath.Join(tmp, fmt.Sprintf("measure-%s-%s-%d", j.c.Name(), j.cpuName, round))
}

// Measure times every contender with one worker on one CPU and with a worker
// per core on every CPU, in interleaved rounds, and derives each one's
// speed-up round by round.
func (p *prepared) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	sets := []struct {
		name string
		cpus []int
	}{{"one", r.ContenderCPUs}, {"all", r.AllCPUs}}
	if len(r.AllCPUs) == len(r.ContenderCPUs) {
		sets = sets[:1] // one CPU: nothing to scale to
	}
	var jobs []*job
	for _, c := range cs {
		for _, set := range sets {
			jobs = append(jobs, &job{c: c, cpus: set.cpus, cpuName: set.name})
		}
	}
	batchJobs := make([]batch.Job, len(jobs))
	for i, j := range jobs {
		batchJobs[i] = batch.Job{Name: fmt.Sprintf("%s N=%d", j.c.Name(), len(j.cpus)), Contender: j.c.Info(),
			Config: map[string]any{"workers": len(j.cpus), "cpus": j.cpuName, "images": p.images}, Make: func(round int) (batch.Run, error) {
				out := j.out(p.tmp, round)
				if err := os.RemoveAll(out); err != nil {
					return batch.Run{}, err
				}
				return resizeRun(r, j.c, p.measureDir, out, j.cpus)
			}}
	}
	stop := r.Interleave(ctx, batchJobs, func(d batch.Done) {
		j := jobs[d.Job]
		defer os.RemoveAll(j.out(p.tmp, d.Round))
		var res imageproc.Result
		if !d.Outcome.Decode(&res) || res.Seconds <= 0 || res.Succeeded == 0 {
			return
		}
		j.samples.Add(valueImages, "img/s", "inside", d.Round, d.Warmup, float64(res.Succeeded)/res.Seconds)
		j.samples.Add(valueMegapixels, "Mpx/s", "inside", d.Round, d.Warmup, float64(res.DecodedPixels)/1e6/res.Seconds)
		j.samples.Add(valueSeconds, "s", "inside", d.Round, d.Warmup, res.Seconds)
		j.samples.Add(valueOutputBytes, "B", "inside", d.Round, d.Warmup, float64(res.OutputBytes))
		j.samples.AddOutside(d.Round, d.Warmup, d.Outcome)
	})
	status := func(rec *results.Record) {
		rec.Status = results.StatusOK
		if stop.Status != "" {
			rec.Status, rec.Reason = stop.Status, stop.Reason
		}
	}
	rates := map[string]results.Value{}
	for i, j := range jobs {
		rec := r.Record(j.c, results.StepMeasure)
		rec.Config = batchJobs[i].Config
		status(&rec)
		rec.Values = j.samples.Values()
		rates[j.c.Name()+"/"+j.cpuName], _ = rec.Value(valueImages)
		r.Emit(rec)
	}
	if len(sets) < 2 {
		return
	}
	for _, c := range cs {
		rec := r.Record(c, results.StepMeasure)
		rec.Config = map[string]any{"workers": fmt.Sprintf("1 vs %d", len(r.AllCPUs)), "cpus": "one vs all", "images": p.images}
		status(&rec)
		rec.Values = []results.Value{results.PairedRatio(valueSpeedup, rates[c.Name()+"/all"], rates[c.Name()+"/one"])}
		r.Emit(rec)
	}
}
