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
	var jobs []stage.Job
	for _, c := range cs {
		for _, set := range sets {
			// One output folder a job, emptied before each of its runs.
			out := filepath.Join(p.tmp, fmt.Sprintf("measure-%s-%s", c.Name(), set.name))
			jobs = append(jobs, stage.Job{Contender: c, Name: fmt.Sprintf("%s N=%d", c.Name(), len(set.cpus)),
				Config: map[string]any{"workers": len(set.cpus), "cpus": set.name, "images": p.images},
				Run: func(int) (batch.Run, error) {
					if err := os.RemoveAll(out); err != nil {
						return batch.Run{}, err
					}
					return resizeRun(r, c, p.measureDir, out, set.cpus)
				},
				Read: readResize})
		}
	}
	m := r.Measure(ctx, jobs)
	m.Emit(r, nil)
	if len(sets) < 2 {
		return
	}
	for i, c := range cs {
		one, all := m.Value(2*i, valueImages), m.Value(2*i+1, valueImages)
		r.Emit(m.Record(r, c, map[string]any{"workers": fmt.Sprintf("1 vs %d", len(r.AllCPUs)), "cpus": "one vs all", "images": p.images},
			[]results.Value{results.PairedRatio(valueSpeedup, all, one)}))
	}
}

// readResize reads a run's result line: images and megapixels per second of
// its own timing, its seconds and the bytes it wrote.
func readResize(o batch.Outcome, add func(name, unit, source string, v float64)) bool {
	var res imageproc.Result
	if !o.Decode(&res) || res.Seconds <= 0 || res.Succeeded == 0 {
		return false
	}
	add(valueImages, "img/s", "inside", float64(res.Succeeded)/res.Seconds)
	add(valueMegapixels, "Mpx/s", "inside", float64(res.DecodedPixels)/1e6/res.Seconds)
	add(valueSeconds, "s", "inside", res.Seconds)
	add(valueOutputBytes, "B", "inside", float64(res.OutputBytes))
	return true
}
