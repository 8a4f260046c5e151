package imagecheck

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/tribench/tribench/imageproc"
)

// A Check is one verdict of the oracle.
type Check struct {
	Name   string
	Pass   bool
	Detail string
}

// An Output is one contender's run on an input folder: its --out folder and
// its result line.
type Output struct {
	Dir    string
	Result imageproc.Result
}

// Thresholds are the lowest similarities to the reference an output may have.
type Thresholds struct {
	// LumaSSIM is the lowest SSIM of the Y channel.
	LumaSSIM float64
	// ChromaPSNR is the lowest PSNR (dB) of the Cb channel and of the Cr channel.
	ChromaPSNR float64
}

// DefaultThresholds are the thresholds chosen from the measured differences
// between legitimate contenders (imageproc/README.md): the lowest legitimate
// pair is Kotlin's ResampleOp against the Go reference on the stripes input,
// luma SSIM 0.837 and Cr PSNR 32.4 dB (ResampleOp centres output pixel i on
// input i*s, not (i+1/2)*s-1/2: a 0.7-pixel shift at 2.4x); the wrong
// resizers score at most 0.765 (a box filter on the stripes) and 25.9 dB (a
// Cb/Cr swap). Each threshold sits between the two.
var DefaultThresholds = Thresholds{LumaSSIM: 0.80, ChromaPSNR: 28}

// The checks' names.
const (
	CheckResultLine = "result line adds up"
	CheckAccounted  = "every input accounted for"
	CheckRejected   = "same files rejected as the reference"
	CheckReasons    = "rejections as the bad-input manifest says"
	CheckDimensions = "dimensions equal the reference's"
	CheckFormats    = "outputs in their input's format"
	CheckLuma       = "luma SSIM to the reference"
	CheckCb         = "Cb PSNR to the reference"
	CheckCr         = "Cr PSNR to the reference"
)

// Compare holds got's run of the files in inDir to the reference's run (and
// to the bad-input manifest m when inDir is that set's folder; nil otherwise):
// the Accounting checks, then every output's size, format and similarity.
func Compare(inDir string, m *imageproc.BadManifest, ref, got Output, th Thresholds) []Check {
	inputs, err := listFiles(inDir)
	if err != nil {
		return []Check{{Name: CheckAccounted, Detail: err.Error()}}
	}
	checks := accounting(inputs, m, ref, got)
	sims, dims, formats := compareOutputs(inputs, m, ref, got, failures(got.Result), failures(ref.Result))
	checks = append(checks, dims, formats)
	return append(checks, similarityChecks(sims, th)...)
}

// Accounting is the checks that read no pixels: the result line adds up,
// every input is accounted for, the same files are rejected as by the
// reference, and (with a manifest) with the manifest's reason classes.
func Accounting(inDir string, m *imageproc.BadManifest, ref, got Output) []Check {
	inputs, err := listFiles(inDir)
	if err != nil {
		return []Check{{Name: CheckAccounted, Detail: err.Error()}}
	}
	return accounting(inputs, m, ref, got)
}

func accounting(inputs []string, m *imageproc.BadManifest, ref, got Output) []Check {
	gotFailed, refFailed := failures(got.Result), failures(ref.Result)
	checks := []Check{resultLine(inputs, got.Result), accounted(inputs, got, gotFailed), sameRejected(inputs, gotFailed, refFailed)}
	if m != nil {
		checks = append(checks, reasons(*m, gotFailed))
	}
	return checks
}

func listFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("input folder: %w", err)
	}
	var names []string
	for _, e := range entries {
		if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && st.Mode().IsRegular() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// failures maps each file the result line reports to its error.
func failures(r imageproc.Result) map[string]string {
	out := map[string]string{}
	for _, e := range r.Errors {
		out[e.File] = e.Error
	}
	return out
}

func check(name string, problems []string) Check {
	if len(problems) == 0 {
		return Check{Name: name, Pass: true}
	}
	detail := strings.Join(problems[:min(len(problems), 5)], "; ")
	if len(problems) > 5 {
		detail += fmt.Sprintf("; and %d more", len(problems)-5)
	}
	return Check{Name: name, Detail: detail}
}

func resultLine(inputs []string, r imageproc.Result) Check {
	var problems []string
	if r.Total != len(inputs) {
		problems = append(problems, fmt.Sprintf("total %d, the folder holds %d files", r.Total, len(inputs)))
	}
	if r.Succeeded+r.Failed != r.Total || r.Failed != len(r.Errors) {
		problems = append(problems, fmt.Sprintf("succeeded %d + failed %d != total %d, or %d errors listed", r.Succeeded, r.Failed, r.Total, len(r.Errors)))
	}
	seen := map[string]bool{}
	for _, e := range r.Errors {
		if seen[e.File] {
			problems = append(problems, e.File+" reported twice")
		}
		seen[e.File] = true
	}
	if r.Runtime == "" {
		problems = append(problems, `no "runtime"`)
	}
	return check(CheckResultLine, problems)
}

// accounted: every input is an output of the same name or an error, never
// both, and the output folder holds nothing else.
func accounted(inputs []string, got Output, failed map[string]string) Check {
	outs, err := listFiles(got.Dir)
	if err != nil {
		return Check{Name: CheckAccounted, Detail: "output folder: " + err.Error()}
	}
	written := map[string]bool{}
	for _, o := range outs {
		written[o] = true
	}
	isInput := map[string]bool{}
	var problems []string
	for _, in := range inputs {
		isInput[in] = true
		_, isErr := failed[in]
		switch {
		case written[in] && isErr:
			problems = append(problems, in+": both an output and an error")
		case !written[in] && !isErr:
			problems = append(problems, in+": neither an output nor an error")
		}
	}
	for _, o := range outs {
		if !isInput[o] {
			problems = append(problems, o+": an output no input is named after")
		}
	}
	for f := range failed {
		if !isInput[f] {
			problems = append(problems, f+": an error for a file that is not an input")
		}
	}
	sort.Strings(problems)
	return check(CheckAccounted, problems)
}

func sameRejected(inputs []string, got, ref map[string]string) Check {
	var problems []string
	for _, in := range inputs {
		_, g := got[in]
		_, r := ref[in]
		switch {
		case g && !r:
			problems = append(problems, fmt.Sprintf("%s rejected (%s), the reference resized it", in, got[in]))
		case r && !g:
			problems = append(problems, fmt.Sprintf("%s resized, the reference rejected it (%s)", in, ref[in]))
		}
	}
	return check(CheckRejected, problems)
}

func reasons(m imageproc.BadManifest, got map[string]string) Check {
	var problems []string
	for _, e := range m.Files {
		msg, rejected := got[e.File]
		switch {
		case e.Expect == imageproc.ExpectReject && !rejected:
			problems = append(problems, fmt.Sprintf("%s accepted, must be rejected as %s", e.File, e.Reason))
		case e.Expect == imageproc.ExpectReject && !strings.HasPrefix(msg, e.Reason+": "):
			problems = append(problems, fmt.Sprintf("%s rejected as %q, must be %s", e.File, msg, e.Reason))
		case e.Expect == imageproc.ExpectOK && rejected:
			problems = append(problems, fmt.Sprintf("%s rejected (%s), must be resized", e.File, msg))
		}
	}
	return check(CheckReasons, problems)
}

// A Similarity is one output's closeness to the reference's.
type Similarity struct {
	File                     string
	LumaSSIM, CbPSNR, CrPSNR float64
}

// compareOutputs reads every output both runs made and measures it against
// the reference's, a file per CPU at a time; sizes and formats are checked on
// the way.
func compareOutputs(inputs []string, m *imageproc.BadManifest, ref, got Output, gotFailed, refFailed map[string]string) ([]Similarity, Check, Check) {
	expected := map[string]imageproc.Expectation{}
	if m != nil {
		for _, e := range m.Files {
			expected[e.File] = e
		}
	}
	var both []string
	for _, in := range inputs {
		_, g := gotFailed[in]
		_, r := refFailed[in]
		if !g && !r {
			both = append(both, in)
		}
	}
	type outcome struct {
		sim          *Similarity
		size, format string
	}
	outcomes := make([]outcome, len(both))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o := &outcomes[i]
				o.sim, o.size, o.format = compareOne(both[i], expected, ref, got)
			}
		}()
	}
	for i := range both {
		next <- i
	}
	close(next)
	wg.Wait()
	var sims []Similarity
	var sizeProblems, formatProblems []string
	for _, o := range outcomes {
		if o.sim != nil {
			sims = append(sims, *o.sim)
		}
		if o.size != "" {
			sizeProblems = append(sizeProblems, o.size)
		}
		if o.format != "" {
			formatProblems = append(formatProblems, o.format)
		}
	}
	return sims, check(CheckDimensions, sizeProblems), check(CheckFormats, formatProblems)
}

// compareOne holds one output to the reference's and to the manifest's size:
// its similarity (nil when the sizes differ or a file is unreadable) and what
// is wrong with its size or format ("" when nothing).
func compareOne(in string, expected map[string]imageproc.Expectation, ref, got Output) (sim *Similarity, size, format string) {
	gp, err := ReadPlanes(filepath.Join(got.Dir, in))
	if err != nil {
		return nil, "", in + ": " + unwrapAll(err).Error()
	}
	if want := string(imageproc.FormatOf(in)); gp.Format != want {
		format = fmt.Sprintf("%s is %s, must be %s", in, gp.Format, want)
	}
	rp, err := ReadPlanes(filepath.Join(ref.Dir, in))
	if err != nil {
		return nil, in + ": the reference's output: " + unwrapAll(err).Error(), format
	}
	var problems []string
	if e, ok := expected[in]; ok && (e.Width != rp.Width || e.Height != rp.Height) {
		problems = append(problems, fmt.Sprintf("%s: the reference's is %dx%d, the manifest says %dx%d", in, rp.Width, rp.Height, e.Width, e.Height))
	}
	if gp.Width != rp.Width || gp.Height != rp.Height {
		problems = append(problems, fmt.Sprintf("%s is %dx%d, the reference's %dx%d", in, gp.Width, gp.Height, rp.Width, rp.Height))
		return nil, strings.Join(problems, "; "), format
	}
	s := Measure(in, rp, gp)
	return &s, strings.Join(problems, "; "), format
}

func unwrapAll(err error) error {
	for errors.Unwrap(err) != nil {
		err = errors.Unwrap(err)
	}
	return err
}

// Measure is the similarity of got's planes to the reference's (equal sizes).
func Measure(file string, ref, got Planes) Similarity {
	return Similarity{File: file, LumaSSIM: SSIM(ref.Y, got.Y, ref.Width, ref.Height), CbPSNR: PSNR(ref.Cb, got.Cb), CrPSNR: PSNR(ref.Cr, got.Cr)}
}

func similarityChecks(sims []Similarity, th Thresholds) []Check {
	one := func(name string, value func(Similarity) float64, limit float64, unit string) Check {
		if len(sims) == 0 {
			return Check{Name: name, Pass: true, Detail: "no output to compare"}
		}
		worst := sims[0]
		var below []string
		for _, s := range sims {
			if value(s) < value(worst) {
				worst = s
			}
			if value(s) < limit {
				below = append(below, fmt.Sprintf("%s %s", s.File, format(value(s), unit)))
			}
		}
		c := check(name, below)
		lowest := fmt.Sprintf("lowest %s (%s) of %d outputs, threshold %s", format(value(worst), unit), worst.File, len(sims), format(limit, unit))
		if c.Pass {
			c.Detail = lowest
		} else {
			c.Detail = "below the threshold " + format(limit, unit) + ": " + c.Detail
		}
		return c
	}
	return []Check{
		one(CheckLuma, func(s Similarity) float64 { return s.LumaSSIM }, th.LumaSSIM, ""),
		one(CheckCb, func(s Similarity) float64 { return s.CbPSNR }, th.ChromaPSNR, "dB"),
		one(CheckCr, func(s Similarity) float64 { return s.CrPSNR }, th.ChromaPSNR, "dB"),
	}
}

func format(v float64, unit string) string {
	switch {
	case math.IsInf(v, 1):
		return "identical"
	case unit == "":
		return fmt.Sprintf("%.4f", v)
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}
