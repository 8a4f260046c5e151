package imageproc

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/imagecheck"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/imageproc"
)

// verifyPhotos is the size of the photo set every contender is verified on,
// whatever the profile: it holds one file of each special kind.
const verifyPhotos = 4

func init() { stage.Register(func() stage.Stage { return &Resize{} }) }

// Resize is the resize stage.
type Resize struct {
	// in is --in: a folder of the user's own to run and verify on.
	in string
}

// A verifySet is a folder every contender is held to the oracle on, with the
// reference's run on it.
type verifySet struct {
	name     string
	dir      string
	manifest *imageproc.BadManifest
	ref      imagecheck.Output
}

// prepared is one run of the stage: what Prepare made for it, in its
// temporary folder tmp.
type prepared struct {
	measureDir string
	images     int
	sets       []verifySet
	tmp        string
}

// Info describes the stage.
func (*Resize) Info() stage.Info {
	return stage.Info{
		Name: "resize", Workload: "imageproc", Title: "Image resizing (thumbnails of 1920x1080 JPEGs, Lanczos, quality 85)",
		Summary: "thumbnail a folder with 1 worker on one CPU and a worker per core on every CPU: images/s, megapixels/s, output bytes, memory, speed-up",
		Commands: manifest.Commands{"resize": {Placeholders: []string{"in", "out", "workers", "width", "height", "quality"},
			Outputs: []string{manifest.OutputLine}}},
		Needs: []string{"resize"},
	}
}

// Flags adds --in.
func (s *Resize) Flags(fs *flag.FlagSet) {
	fs.StringVar(&s.in, "in", "", "a folder of your own images to verify and measure every contender on (instead of the generated sets)")
}

// Prepare makes (or finds in the cache) the measured set and the verification
// sets, and runs the Go reference on each verification set.
func (s *Resize) Prepare(ctx context.Context, r *stage.Run) (stage.Prepared, error) {
	tmp, err := os.MkdirTemp("", "tribench-resize-")
	if err != nil {
		return nil, err
	}
	p := &prepared{tmp: tmp}
	if err := p.prepare(ctx, r, s.in); err != nil {
		_ = p.Close()
		return nil, err
	}
	return p, nil
}

// Close removes the run's temporary folder.
func (p *prepared) Close() error { return os.RemoveAll(p.tmp) }

func (p *prepared) prepare(ctx context.Context, r *stage.Run, in string) error {
	var err error
	if in != "" {
		p.measureDir = in
		p.sets = []verifySet{{name: "your folder", dir: in}}
	} else {
		if len(r.Plan.Sizes) == 0 {
			return fmt.Errorf("the %s plan has no image count", r.Profile)
		}
		r.Progressf("generating %d photos (cached)", r.Plan.Sizes[0])
		if p.measureDir, err = imageproc.EnsureDataset(r.Cache, imageproc.DatasetSpec{Seed: imageproc.DefaultSeed, Count: int(r.Plan.Sizes[0])}); err != nil {
			return err
		}
		photos, err := imageproc.EnsureDataset(r.Cache, imageproc.DatasetSpec{Seed: imageproc.DefaultSeed, Count: verifyPhotos})
		if err != nil {
			return err
		}
		bad, err := imageproc.EnsureBadInputs(r.Cache)
		if err != nil {
			return err
		}
		m, err := imageproc.ReadBadManifest(bad)
		if err != nil {
			return err
		}
		for _, skipped := range m.Skipped {
			r.Warn("resize: the bad-input set lacks %s: %s", skipped.File, skipped.About)
		}
		p.sets = []verifySet{{name: "photos", dir: photos}, {name: "bad inputs", dir: filepath.Join(bad, "in"), manifest: &m}}
	}
	if p.images, err = countFiles(p.measureDir); err != nil {
		return err
	}
	for i := range p.sets {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		set := &p.sets[i]
		r.Progressf("the Go reference on %s", set.name)
		out := filepath.Join(p.tmp, fmt.Sprintf("reference-%d", i))
		res, err := imageproc.Run(options(set.dir, out, len(r.HarnessCPUs)), imageproc.Imaging{})
		if err != nil {
			return fmt.Errorf("the Go reference on %s: %w", set.name, err)
		}
		set.ref = imagecheck.Output{Dir: out, Result: res}
	}
	return nil
}

func options(in, out string, workers int) imageproc.Options {
	return imageproc.Options{In: in, Out: out, Workers: max(workers, 1), Width: imageproc.BoxWidth, Height: imageproc.BoxHeight, Quality: imageproc.OutputQuality}
}

func countFiles(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("input folder: %w", err)
	}
	n := 0
	for _, e := range entries {
		if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && st.Mode().IsRegular() {
			n++
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("input folder %s holds no files", dir)
	}
	return n, nil
}

// resizeRun is one run of c's resize command on in, writing to out, with a
// worker per CPU of cpus.
func resizeRun(r *stage.Run, c *stage.Contender, in, out string, cpus []int) (batch.Run, error) {
	o := options(in, out, len(cpus))
	return r.Batch(c, "resize", stage.RunOptions{CPUs: cpus, Vars: manifest.Vars{"in": o.In, "out": o.Out,
		"workers": strconv.Itoa(o.Workers), "width": strconv.Itoa(o.Width), "height": strconv.Itoa(o.Height), "quality": strconv.Itoa(o.Quality)}})
}

// Verify runs c once on every verification set, with a worker per core on
// every CPU, and holds each run to the oracle against the reference. Every
// file c rejected is listed with its own message (the rejected-inputs
// attachment), whether or not the oracle expected the rejection.
func (p *prepared) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) (rec results.Record) {
	rec = r.Record(c, results.StepVerify)
	var rejected []results.Rejection
	// The sets run before a failure keep their rejections.
	defer func() {
		if len(rejected) > 0 {
			rec.Attach = append(rec.Attach, results.RejectedAttach(rejected))
		}
	}()
	for i, set := range p.sets {
		out := filepath.Join(p.tmp, fmt.Sprintf("verify-%s-%d", c.Name(), i))
		run, err := resizeRun(r, c, set.dir, out, r.AllCPUs)
		if err != nil {
			rec.Status, rec.Reason = results.StatusFailed, err.Error()
			return rec
		}
		o := batch.Execute(ctx, r.Exec, run)
		var res imageproc.Result
		if !o.Decode(&res) {
			rec.Status, rec.Reason = o.Status, set.name+": "+o.Reason
			return rec
		}
		for _, e := range res.Errors {
			rejected = append(rejected, results.Rejection{Set: set.name, Input: e.File, Reason: results.Reason(e.Error)})
		}
		for _, ch := range imagecheck.Compare(set.dir, set.manifest, set.ref, imagecheck.Output{Dir: out, Result: res}, imagecheck.DefaultThresholds) {
			rec.Checks = append(rec.Checks, results.Check{Name: set.name + ": " + ch.Name, Kind: "property", Rule: ch.Name, Pass: ch.Pass, Detail: ch.Detail})
		}
		_ = os.RemoveAll(out)
	}
	return rec
}
