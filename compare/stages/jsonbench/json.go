// Package jsonbench is the json stage: every JSON contender parses the
// profile's generated document (or a user's own, --file) in generic and typed
// mode on one CPU, in interleaved rounds; its digest of what it parsed is held
// to the generator's sidecar (or the Go reference's digest for a user's
// document), and its verdicts on the conformance set (or a user's own folder,
// --check) are reported beside its speed.
package jsonbench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/jsoncheck"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
	"github.com/tribench/tribench/jsonbench"
)

func init() { stage.Register(func() stage.Stage { return &Stage{} }) }

// Stage is the json stage.
type Stage struct {
	// userFile and userCheck are --file and --check.
	userFile, userCheck string
}

// parses is one run of the stage: the documents, the expected digest and the
// conformance folder, kept between Prepare and the contenders' steps. The
// documents live in the cache, so there is nothing to remove.
type parses struct {
	stage.Stateless
	// userFile and userCheck are the user's own inputs (--file, --check),
	// whose every rejection is listed; "" for the generated ones.
	userFile, userCheck string

	mu sync.Mutex
	// file is the measured document; digestFile the one digests are held to
	// want on (the same file but in quick).
	file       string
	digestFile string
	want       jsonbench.Digest
	wantFrom   string
	// refRejects is the reference's message when it rejects the user's
	// document: then the oracle is that every contender rejects it too.
	refRejects string
	checkDir   string
	files      []string
}

// Info describes the stage.
func (*Stage) Info() stage.Info {
	return stage.Info{
		Name: "json", Workload: "jsonbench", Title: "JSON parsing (one document, one CPU)",
		Summary:  "parse the generated document (or --file) in generic and typed mode: GB/s, peak memory, digest, conformance",
		Commands: jsoncheck.Commands, Needs: []string{"parse", "digest", "check"},
	}
}

// Flags adds --file and --check.
func (s *Stage) Flags(fs *flag.FlagSet) {
	fs.StringVar(&s.userFile, "file", "", "parse this JSON document instead of the generated one (generic mode; the Go reference's digest is the oracle)")
	fs.StringVar(&s.userCheck, "check", "", "run this conformance folder (y_, n_, i_ files) instead of jsonbench/conformance")
}

// Prepare generates (or finds in the cache) the profile's document and lists
// the conformance files.
func (st *Stage) Prepare(_ context.Context, r *stage.Run) (stage.Prepared, error) {
	s := &parses{userFile: st.userFile, userCheck: st.userCheck, checkDir: filepath.Join(r.Root, "jsonbench", "conformance")}
	if st.userCheck != "" {
		s.checkDir = st.userCheck
	}
	if err := s.prepare(r); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *parses) prepare(r *stage.Run) error {
	files, err := conformanceFiles(s.checkDir)
	if err != nil {
		return err
	}
	s.files = files
	if s.userFile != "" {
		st, err := os.Stat(s.userFile)
		if err != nil {
			return fmt.Errorf("--file: %w", err)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("--file %s is not a regular file", s.userFile)
		}
		s.file, s.digestFile, s.want, s.wantFrom = s.userFile, s.userFile, jsonbench.Digest{}, "" // the reference's digest, read in Verify
		return nil
	}
	r.Progressf("generating the %s document (cached after the first time)", report.FormatValue(float64(r.Plan.Sizes[0]), "B"))
	path, digest, err := jsonbench.EnsureDocument(r.Cache, jsonbench.DocSpec{Seed: jsonbench.DefaultSeed, Size: r.Plan.Sizes[0]})
	if err != nil {
		return err
	}
	s.file, s.digestFile, s.want, s.wantFrom = path, path, digest, "the generator's sidecar"
	if r.Profile == plan.Quick {
		smoke, err := plan.For("json", plan.Smoke)
		if err != nil {
			return err
		}
		small, smallDigest, err := jsonbench.EnsureDocument(r.Cache, jsonbench.DocSpec{Seed: jsonbench.DefaultSeed, Size: smoke.Sizes[0]})
		if err != nil {
			return err
		}
		s.digestFile, s.want, s.wantFrom = small, smallDigest, "the generator's sidecar (smoke document)"
	}
	return nil
}

func conformanceFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("conformance folder: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("conformance folder %s holds no files", dir)
	}
	sort.Strings(out)
	return out, nil
}

// modes are the modes a contender parses (its "modes" setting); a user's own
// document is parsed generically only (typed mode needs the schema).
func (s *parses) modes(c *stage.Contender) []string {
	var out []string
	for _, m := range strings.Split(c.Settings["modes"], ",") {
		if m = strings.TrimSpace(m); m != "" && (s.userFile == "" || m == jsonbench.Generic) {
			out = append(out, m)
		}
	}
	return out
}

// memoryLimit is a run's cgroup limit: room for the document and twenty times
// its size in parsed values (a JVM sizes its heap from it, and kotlinx's
// JsonElement tree of a 100 MB document needs well over a gigabyte), at least
// 4 GiB and at most 16 GiB of this machine's 24; a contender that needs more
// is "out of memory at this size".
func memoryLimit(size int64) int64 { return min(16<<30, max(4<<30, 20*size+(1<<30))) }

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// digestRun runs the digest command once in mode.
func (s *parses) digestRun(ctx context.Context, r *stage.Run, c *stage.Contender, mode string) (batch.Outcome, jsonbench.ParseLine, error) {
	run, err := r.Batch(c, "digest", stage.RunOptions{Vars: manifest.Vars{"file": s.digestFile, "mode": mode}, MemoryLimit: memoryLimit(fileSize(s.digestFile))})
	if err != nil {
		return batch.Outcome{}, jsonbench.ParseLine{}, err
	}
	o := batch.Execute(ctx, r.Exec, run)
	if !o.OK() {
		return o, jsonbench.ParseLine{}, errors.New(o.Reason)
	}
	line, err := jsoncheck.ParseResult(o.Final)
	return o, line, err
}

// Verify parses the document once per mode with --digest and holds each
// digest to the sidecar (or the reference's), then runs the conformance
// folder: every file must get a verdict; disagreements with a file's
// y_/n_ name are reported in the detail, never failed. A document the
// contender rejects (exit 1, one line on stderr, as the contract says) fails
// the digest check, unless it is the user's and the reference rejects it
// too; every rejection of the user's inputs (--file, --check) is listed with
// its message in the rejected-inputs attachment.
func (s *parses) Verify(ctx context.Context, r *stage.Run, c *stage.Contender) results.Record {
	rec := r.Record(c, results.StepVerify)
	if err := s.referenceDigest(ctx, r); err != nil {
		rec.Status, rec.Reason = results.StatusFailed, err.Error()
		return rec
	}
	var rejected []results.Rejection
	for _, mode := range s.modes(c) {
		o, line, err := s.digestRun(ctx, r, c, mode)
		if msg := rejection(o); msg != "" {
			if s.userFile != "" {
				rejected = append(rejected, results.Rejection{Set: setDocument, Input: filepath.Base(s.userFile), Reason: mode + ": " + msg})
			}
			rec.Checks = append(rec.Checks, s.rejectedCheck(mode, msg))
			continue
		}
		if err != nil {
			status := o.Status
			if status == "" || status == results.StatusOK {
				status = results.StatusFailed
			}
			if status == results.StatusOutOfMemory {
				rec.Checks = append(rec.Checks, results.Check{Name: mode + ": digest", Rule: "digest", Detail: o.Reason})
				continue
			}
			rec.Status, rec.Reason = status, err.Error()
			return rec
		}
		if s.refRejects != "" {
			rec.Checks = append(rec.Checks, results.Check{Name: mode + ": digest", Kind: "digest", Rule: "rejects the document as " + s.wantFrom,
				Detail: fmt.Sprintf("parsed it (digest %.12s…); %s: %s", line.Digest, s.wantFrom, s.refRejects)})
			continue
		}
		ch := jsoncheck.CheckDigest(line, s.want, s.wantFrom)
		rec.Checks = append(rec.Checks, results.Check{Name: mode + ": digest", Kind: "digest", Rule: "the digest equals " + s.wantFrom,
			Pass: ch.Pass, Detail: ch.Detail})
		// The digest run's own parse seconds beside its wall: the digest is
		// computed outside the timed region.
		rec.Values = append(rec.Values,
			results.Value{Name: mode + "_parse_s", Unit: "s", Source: "inside", Samples: []float64{line.Seconds[len(line.Seconds)-1]}},
			results.Value{Name: mode + "_wall_with_digest_s", Unit: "s", Source: "outside", Samples: []float64{o.Process.Wall.Seconds()}})
	}
	run, err := r.Batch(c, "check", stage.RunOptions{Vars: manifest.Vars{"dir": s.checkDir}})
	if err != nil {
		rec.Status, rec.Reason = results.StatusFailed, err.Error()
		return rec
	}
	o := batch.Execute(ctx, r.Exec, run)
	var lines [][]byte
	for _, it := range o.Items {
		lines = append(lines, []byte(it))
	}
	if o.Final != nil {
		lines = append(lines, o.Final)
	}
	v, perr := jsoncheck.ParseVerdicts(lines)
	ch := jsoncheck.CheckConformance(s.files, v)
	if !o.OK() {
		ch.Pass, ch.Detail = false, o.Reason
	} else if perr != nil {
		ch.Pass, ch.Detail = false, perr.Error()
	}
	rec.Checks = append(rec.Checks, results.Check{Name: "conformance", Kind: "conformance",
		Rule: "every file of the conformance folder gets a verdict", Pass: ch.Pass, Detail: ch.Detail})
	agreed, scored := jsoncheck.Score(s.files, v)
	rec.Values = append(rec.Values, results.Value{Name: "conformance_agreed", Unit: "files", Samples: []float64{float64(agreed)}},
		results.Value{Name: "conformance_scored", Unit: "files", Samples: []float64{float64(scored)}})
	if s.userCheck != "" {
		// The generated conformance set's expected rejections are its n_
		// files, which the conformance table already weighs; a user's own
		// folder is listed whole.
		for _, l := range v.Lines {
			if l.Verdict == jsonbench.Reject {
				rejected = append(rejected, results.Rejection{Set: setCheck, Input: l.Item, Reason: results.Reason(l.Error)})
			}
		}
	}
	if len(rejected) > 0 {
		rec.Attach = append(rec.Attach, results.RejectedAttach(rejected))
	}
	return rec
}

// The sets of the user's inputs a rejection names.
const (
	setDocument = "your document (--file)"
	setCheck    = "your folder (--check)"
)

// rejectedCheck is the digest check of a mode whose run rejected the
// document with msg: passed only where the reference rejects it too.
func (s *parses) rejectedCheck(mode, msg string) results.Check {
	if s.refRejects != "" {
		return results.Check{Name: mode + ": digest", Kind: "digest", Rule: "rejects the document as " + s.wantFrom, Pass: true,
			Detail: "rejected: " + msg}
	}
	return results.Check{Name: mode + ": digest", Kind: "digest", Rule: "the digest equals " + s.wantFrom,
		Detail: "rejected the document: " + msg}
}

// rejection is the message of a run that refused its input as the contract
// says a contender does (exit 1, one line on stderr); "" for any other
// outcome, a crash or a usage mistake (exit 2) included.
func rejection(o batch.Outcome) string {
	if o.Status != results.StatusFailed || o.Process.ExitCode != 1 {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(o.Process.Stderr)), "\n")
	if msg := strings.TrimSpace(lines[len(lines)-1]); msg != "" {
		return results.Reason(msg)
	}
	return "exit 1 without a message"
}

// referenceDigest reads the Go reference's generic digest of a user's own
// document once: it is the oracle there, or its rejection of the document
// is.
func (s *parses) referenceDigest(ctx context.Context, r *stage.Run) error {
	s.mu.Lock()
	known := s.wantFrom != ""
	s.mu.Unlock()
	if known {
		return nil
	}
	_, cs, err := stage.Standalone(stage.Options{Root: r.Root, Cache: r.Cache, Bin: r.Bin, Profile: r.Profile, Exec: r.Exec}, &Stage{})
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cs, func(c *stage.Contender) bool { return c.Decl.HasRole(manifest.RoleReference) })
	if i < 0 {
		return fmt.Errorf("no contender of %s plays the %q role: its digest is the oracle of --file", r.Info.Workload, manifest.RoleReference)
	}
	ref := cs[i]
	reference := ref.Name()
	if status, reason := ref.Ready(ctx, r); status != results.StatusOK {
		return fmt.Errorf("the reference %s: %s: %s", reference, status, reason)
	}
	o, line, err := s.digestRun(ctx, r, ref, jsonbench.Generic)
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg := rejection(o); msg != "" {
		s.refRejects, s.wantFrom = msg, reference
		return nil
	}
	if err != nil {
		return fmt.Errorf("the reference %s could not parse %s: %w", reference, s.digestFile, err)
	}
	s.want = jsonbench.Digest{SHA256: line.Digest}
	if line.Counts != nil {
		s.want.Counts = *line.Counts
	}
	s.wantFrom = reference + "'s digest"
	return nil
}

// Measure parses the document in interleaved rounds, one process per run on
// one CPU, and records GB/s (input bytes over the parse's own seconds), the
// parse seconds and the tree's peak memory; the digest runs of the verify
// step give the parse + digest wall beside it.
func (s *parses) Measure(ctx context.Context, r *stage.Run, cs []*stage.Contender) {
	if s.refRejects != "" {
		r.Warn("json: %s rejects %s (%s): nothing to measure", s.wantFrom, s.userFile, s.refRejects)
		return
	}
	primaries := map[string]bool{}
	for _, c := range cs {
		primaries[c.Name()] = true
	}
	size := fileSize(s.file)
	var jobs []stage.Job
	for _, c := range cs {
		// A fallback (CPython 3.11 for 3.13) is measured only where what it
		// stands in for is missing, except in the full profile.
		if c.Decl.Fallback != "" && primaries[c.Decl.Fallback] && r.Profile != plan.Full {
			continue
		}
		for _, mode := range s.modes(c) {
			jobs = append(jobs, stage.Job{Contender: c, Name: c.Name() + " " + mode, Config: map[string]any{"mode": mode, "bytes": size},
				Run: func(int) (batch.Run, error) {
					return r.Batch(c, "parse", stage.RunOptions{Vars: manifest.Vars{"file": s.file, "mode": mode, "repeat": "1"},
						MemoryLimit: memoryLimit(size)})
				},
				Read: readParse})
		}
	}
	r.Measure(ctx, jobs).Emit(r, nil)
}

// readParse reads a parse's result line: input bytes over its own parse
// seconds, and those seconds.
func readParse(o batch.Outcome, add func(name, unit, source string, v float64)) bool {
	line, err := jsoncheck.ParseResult(o.Final)
	if err != nil {
		return false
	}
	secs := line.Seconds[len(line.Seconds)-1]
	add("bytes_per_s", "B/s", "inside", float64(line.Bytes)/secs)
	add("seconds", "s", "inside", secs)
	return true
}

// Section renders the digests' and conformance checks, GB/s with peak
// memory, the conformance score per contender, every rejection of the
// user's inputs, and each contender's source size.
func (*Stage) Section(recs []results.Record, _ manifest.File) report.Section {
	tables := []report.Table{report.Conformance("Every parse's digest equals the generator's; every conformance file gets a verdict", recs, nil)}
	tables = append(tables, report.Measured("Parse speed (input bytes / parse seconds, one CPU)", recs, []report.Metric{
		{Value: "bytes_per_s", Title: "GB/s"}, {Value: "seconds", Title: "parse (inside)", Lower: true},
		{Value: batch.WallSeconds, Title: "wall", Lower: true}, {Value: batch.PeakCgroup, Title: "peak memory", Lower: true}})...)
	tables = append(tables, conformanceScores(recs), digestOutside(recs))
	tables = append(append(tables, report.Rejected("Rejected inputs: every file a contender refused, with its message", recs)...), report.SourceSize(recs)...)
	return report.Section{Tables: tables, Charts: []report.Chart{
		report.ValueChart("json-gbs", "Parse speed by mode (input bytes / parse seconds, one CPU)", recs, report.Metric{Value: "bytes_per_s", Title: "bytes/s"}),
		report.ValueChart("json-memory", "Peak memory of the process tree", recs, report.Metric{Value: batch.PeakCgroup, Title: "peak", Lower: true}),
	}}
}

// digestOutside shows, from the verify step's digest runs, each contender's
// parse seconds (what it timed) beside the run's wall with the digest: the
// digest is computed after the timed region, never in it.
func digestOutside(recs []results.Record) report.Table {
	t := report.Table{ID: "json-digest-outside", Title: "Parse alone (timed) against the whole run with the digest (the verify step's digest runs)",
		Columns: []report.Column{{Title: "contender"}, {Title: "mode"}, {Title: "parse (inside)", Right: true}, {Title: "wall, parse + digest", Right: true}}}
	for _, r := range recs {
		if r.Step != results.StepVerify || r.Contender == nil {
			continue
		}
		for _, mode := range []string{jsonbench.Generic, jsonbench.Typed} {
			parse, ok1 := r.Value(mode + "_parse_s")
			wall, ok2 := r.Value(mode + "_wall_with_digest_s")
			if ok1 && ok2 {
				t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{report.TextCell(report.ColumnTitle(*r.Contender)), report.TextCell(mode),
					report.Cell{Figure: report.Point(parse.Samples[0], "s")}, report.Cell{Figure: report.Point(wall.Samples[0], "s")}}})
			}
		}
	}
	return t
}

// conformanceScores is each contender's agreement with the y_/n_ files.
func conformanceScores(recs []results.Record) report.Table {
	t := report.Table{ID: "json-conformance", Title: "Conformance (y_ must accept, n_ must reject; i_ reported, never scored)",
		Columns: []report.Column{{Title: "contender"}, {Title: "as expected", Right: true}, {Title: "disagreements", Wide: true}}}
	for _, r := range recs {
		if r.Step != results.StepVerify || r.Contender == nil {
			continue
		}
		agreed, ok1 := r.Value("conformance_agreed")
		scored, ok2 := r.Value("conformance_scored")
		if !ok1 || !ok2 {
			continue
		}
		detail := ""
		for _, c := range r.Checks {
			if c.Name == "conformance" {
				if _, rest, found := strings.Cut(c.Detail, "; "); found {
					detail = rest
				}
			}
		}
		t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{report.TextCell(report.ColumnTitle(*r.Contender)),
			report.TextCell(strconv.Itoa(int(agreed.Samples[0])) + "/" + strconv.Itoa(int(scored.Samples[0]))), report.TextCell(detail)}})
	}
	return t
}
