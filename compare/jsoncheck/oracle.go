package jsoncheck

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tribench/tribench/jsonbench"
)

// A Check is one oracle verdict on one result.
type Check struct {
	Name   string `json:"name"`
	Pass   bool   `json:"pass"`
	Detail string `json:"detail"`
}

// CheckDigest holds a result line's digest against the expected one (the
// generator's sidecar, or the Go reference's for a user's own document).
func CheckDigest(p jsonbench.ParseLine, want jsonbench.Digest, source string) Check {
	c := Check{Name: "digest"}
	switch {
	case p.Digest == "":
		c.Detail = "no digest in the result line (the digest command needs --digest)"
	case p.Digest != want.SHA256:
		c.Detail = fmt.Sprintf("%s parse has digest %.12s…, %s has %.12s…", p.Mode, p.Digest, source, want.SHA256)
		if p.Counts != nil && *p.Counts != want.Counts {
			c.Detail += fmt.Sprintf("; counts %+v, want %+v", *p.Counts, want.Counts)
		}
	default:
		c.Pass = true
		c.Detail = fmt.Sprintf("%s parse equals %s (%d values)", p.Mode, source, want.Counts.Total())
	}
	return c
}

// A Disagreement is one file where a contender's verdict differs from what
// the file's name expects, or where it gave none.
type Disagreement struct {
	File    string `json:"file"`
	Verdict string `json:"verdict"` // accept, reject, or "none" when missing
	Error   string `json:"error,omitempty"`
}

func (d Disagreement) String() string {
	if d.Error != "" {
		return fmt.Sprintf("%s: %s (%s)", d.File, d.Verdict, d.Error)
	}
	return fmt.Sprintf("%s: %s", d.File, d.Verdict)
}

// Disagreements lists, in name order, every file of files that v gave no
// verdict, and every y_ file v rejected and n_ file it accepted.
func Disagreements(files []string, v Verdicts) []Disagreement {
	got := map[string]jsonbench.VerdictLine{}
	for _, l := range v.Lines {
		got[l.Item] = l
	}
	var out []Disagreement
	for _, f := range files {
		l, ok := got[f]
		switch {
		case !ok:
			out = append(out, Disagreement{File: f, Verdict: "none"})
		case !jsonbench.ExpectationOf(f).Agrees(l.Verdict):
			out = append(out, Disagreement{File: f, Verdict: l.Verdict, Error: l.Error})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// Missing lists the files v gave no verdict (a crash or a skipped file).
func Missing(files []string, v Verdicts) []string {
	var out []string
	for _, d := range Disagreements(files, v) {
		if d.Verdict == "none" {
			out = append(out, d.File)
		}
	}
	return out
}

// Score is the conformance score: y_ and n_ files agreed with, out of all y_
// and n_ files (i_ files are reported, never scored).
func Score(files []string, v Verdicts) (agreed, scored int) {
	bad := map[string]bool{}
	for _, d := range Disagreements(files, v) {
		bad[d.File] = true
	}
	for _, f := range files {
		if e := jsonbench.ExpectationOf(f); e == jsonbench.MustAccept || e == jsonbench.MustReject {
			scored++
			if !bad[f] {
				agreed++
			}
		}
	}
	return agreed, scored
}

// CheckConformance is the check command's oracle verdict: every file has a
// verdict (a missing one fails), with the score and disagreements in the detail.
func CheckConformance(files []string, v Verdicts) Check {
	c := Check{Name: "conformance"}
	agreed, scored := Score(files, v)
	var parts []string
	for _, d := range Disagreements(files, v) {
		parts = append(parts, d.String())
	}
	c.Detail = fmt.Sprintf("%d/%d y_/n_ files as expected", agreed, scored)
	if len(parts) > 0 {
		c.Detail += "; " + strings.Join(parts, "; ")
	}
	if missing := Missing(files, v); len(missing) > 0 {
		c.Detail = fmt.Sprintf("no verdict for %d files (%s); ", len(missing), strings.Join(missing, ", ")) + c.Detail
		return c
	}
	c.Pass = true
	return c
}
