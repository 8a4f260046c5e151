package imageproc

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tribench/tribench/compare/batch"
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
	var jobs []stage.Job
	for _, c := range cs {
		for _, set := range r.ScalingSets() {
			// One output folder a job, emptied before each of its runs.
			out := filepath.Join(p.tmp, fmt.Sprintf("measure-%s-%s", c.Name(), set.Name))
			jobs = append(jobs, stage.Job{Contender: c, Name: fmt.Sprintf("%s N=%d", c.Name(), len(set.CPUs)),
				Config: map[string]any{"workers": len(set.CPUs), "cpus": set.Name, "images": p.images},
				Run: func(int) (batch.Run, error) {
					if err := os.RemoveAll(out); err != nil {
						return batch.Run{}, err
					}
					return resizeRun(r, c, p.measureDir, out, set.CPUs)
				},
				Read: readResize})
		}
	}
	m := r.Measure(ctx, jobs)
	m.Emit(r, nil)
	m.EmitSpeedups(r, cs, valueImages, false, map[string]any{"workers": fmt.Sprintf("1 vs %d", len(r.AllCPUs)), "cpus": "one vs all", "images": p.images})
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
