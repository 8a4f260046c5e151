package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tribench/tribench/compare/diff"
	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
)

// Last names the newest earlier run of the same machine and profile as the
// baseline.
const Last = "last"

// CheckBaseline reports a --baseline that is neither Last nor a results
// folder (or results.jsonl).
func CheckBaseline(arg string) error {
	if arg == "" || arg == Last {
		return nil
	}
	if _, err := os.Stat(resultsFile(arg)); err != nil {
		return fmt.Errorf("--baseline %s is not a results folder: %w", arg, err)
	}
	return nil
}

func resultsFile(path string) string {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return filepath.Join(path, results.FileName)
	}
	return path
}

// A Baseline is the run a new one is compared with.
type Baseline struct {
	Dir     string
	Records []results.Record
	// Warnings say how the baseline's machine or profile differ from the
	// run's, and which of its lines could not be read.
	Warnings []string
}

// FindBaseline resolves --baseline for the run in dir: a results folder, or
// Last: the newest run of the index started before it, on the same machine
// with the same profile, that measured one of its stages. ix may be nil
// when arg is a folder.
func FindBaseline(ctx context.Context, ix *Index, arg, dir string) (Baseline, error) {
	current, err := results.Read(filepath.Join(dir, results.FileName))
	if len(current) == 0 || current[0].Kind != results.KindRun {
		return Baseline{}, fmt.Errorf("baseline: the run in %s has no run record: %v", dir, err)
	}
	path := arg
	if arg == Last {
		if ix == nil {
			return Baseline{}, errors.New("baseline last: no run history to find it in")
		}
		if path, err = ix.last(ctx, current, dir); err != nil {
			return Baseline{}, err
		}
	}
	recs, readErr := results.Read(resultsFile(path))
	if len(recs) == 0 || recs[0].Kind != results.KindRun {
		return Baseline{}, fmt.Errorf("baseline %s: not a results folder: %v", path, readErr)
	}
	b := Baseline{Dir: path, Records: recs}
	if readErr != nil {
		b.Warnings = append(b.Warnings, fmt.Sprintf("baseline %s: some lines could not be read: %s", path, strings.ReplaceAll(readErr.Error(), "\n", "; ")))
	}
	was, now := recs[0], current[0]
	for _, d := range MachineOf(was).Differences(MachineOf(now)) {
		b.Warnings = append(b.Warnings, fmt.Sprintf("baseline %s ran on another machine: %s", path, d))
	}
	if was.Profile != now.Profile {
		b.Warnings = append(b.Warnings, fmt.Sprintf("baseline %s ran profile %q, not %q", path, was.Profile, now.Profile))
	}
	return b, nil
}

// last finds the newest run before the current one on its machine with its
// profile that measured one of the stages it ran.
func (ix *Index) last(ctx context.Context, current []results.Record, dir string) (string, error) {
	name, err := ix.name(dir)
	if err != nil {
		return "", err
	}
	var stages []any
	seen := map[string]bool{}
	for _, r := range current {
		if r.Kind == results.KindResult && r.Step == results.StepMeasure && !seen[r.Stage] {
			seen[r.Stage] = true
			stages = append(stages, r.Stage)
		}
	}
	if len(stages) == 0 {
		return "", errors.New("baseline last: this run measured nothing to compare")
	}
	run := current[0]
	args := append([]any{name, MachineOf(run).ID(), run.Profile, run.Time.UTC().Format(timeLayout)}, stages...)
	var found string
	err = ix.db.QueryRowContext(ctx, `SELECT dir FROM runs r WHERE dir != ? AND machine = ? AND profile = ? AND started < ?
		AND EXISTS (SELECT 1 FROM results res WHERE res.run_id = r.id AND res.step = 'measure' AND res.stage IN (?`+
		strings.Repeat(", ?", len(stages)-1)+`)) ORDER BY started DESC LIMIT 1`, args...).Scan(&found)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("baseline last: no earlier run of %s on this machine (%s) with profile %s in the run history",
			strings.Join(anyStrings(stages), ", "), MachineOf(run).ID(), run.Profile)
	}
	if err != nil {
		return "", fmt.Errorf("baseline last: %w", err)
	}
	if filepath.IsAbs(found) {
		return found, nil
	}
	return filepath.Join(ix.root, filepath.FromSlash(found)), nil
}

func anyStrings(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprint(x)
	}
	return out
}

// A Comparison is a run set against its baseline: the figures that changed
// significantly, by the rules of diff (Mann-Whitney U at a level corrected
// for the figures of the same value in the same stage, the minimum effect;
// the ranges when the rounds are too few).
type Comparison struct {
	Baseline string
	// Compared counts the figures both runs measured.
	Compared int
	// Regressions got worse, Improvements better; Changed moved in a
	// direction that is neither (a share, a count).
	Regressions, Improvements, Changed []diff.Row
	Alpha, MinEffect                   float64
	Warnings                           []string
}

// Compare compares the run's records with the baseline's.
func Compare(b Baseline, current []results.Record) Comparison {
	res := diff.Compare(b.Records, current, diff.Options{Ranges: true})
	c := Comparison{Baseline: b.Dir, Alpha: res.Alpha, MinEffect: res.MinEffect, Warnings: b.Warnings}
	for _, r := range res.Rows {
		if r.In != "both" {
			continue
		}
		c.Compared++
		if !r.Significant {
			continue
		}
		switch d := Direction(r.Unit); {
		case d == 0:
			c.Changed = append(c.Changed, r)
		case (d > 0) == (r.Change > 0):
			c.Improvements = append(c.Improvements, r)
		default:
			c.Regressions = append(c.Regressions, r)
		}
	}
	return c
}

// Direction says which way a value in unit gets better: +1 for rates (req/s,
// img/s, B/s) and ratios (x, a speed-up), -1 for times (s) and sizes (B), 0
// for what is neither better nor worse (a share of the CPUs, a count).
func Direction(unit string) int {
	switch {
	case strings.Contains(unit, "/") || unit == "x":
		return 1
	case unit == "s" || unit == "B":
		return -1
	}
	return 0
}

// Table lists the regressions, then the improvements, then the other
// changes, each with both figures, the change and the test that decided.
func (c Comparison) Table() report.Table {
	t := report.Table{ID: "baseline", Title: "Against the baseline " + c.Baseline,
		Columns: []report.Column{{Title: "change"}, {Title: "stage"}, {Title: "contender"}, {Title: "configuration"}, {Title: "value"},
			{Title: "baseline", Right: true}, {Title: "this run", Right: true}, {Title: "delta", Right: true}, {Title: "decided by"}}}
	for _, part := range []struct {
		what string
		rows []diff.Row
	}{{"regression", c.Regressions}, {"improvement", c.Improvements}, {"changed", c.Changed}} {
		for _, r := range part.rows {
			decided := r.Test
			if r.Test == diff.TestU {
				decided = fmt.Sprintf("%s, p=%.3f <= %.3g", r.Test, r.P, r.Level)
			}
			cell := report.TextCell(part.what)
			cell.Strong = part.what == "regression"
			t.Rows = append(t.Rows, report.Row{Cells: []report.Cell{cell, report.TextCell(r.Stage), report.TextCell(r.Contender),
				report.TextCell(r.Config), report.TextCell(r.Value), report.FigureCell(r.Old, r.Unit), report.FigureCell(r.New, r.Unit),
				report.TextCell(r.Delta()), report.TextCell(decided)}})
		}
	}
	t.Notes = append(t.Notes, report.Note{Text: fmt.Sprintf("%d regressions, %d improvements, %d other changes among %d figures both runs measured",
		len(c.Regressions), len(c.Improvements), len(c.Changed), c.Compared)})
	t.Notes = append(t.Notes, report.Note{Text: fmt.Sprintf("a change counts when the U test's p is at most %g divided by the figures of the same value "+
		"in the same stage (Bonferroni) and it is at least %.0f%%; with too few rounds for that level, when the two ranges do not overlap "+
		"and the medians differ by more than %.0f%% (\"%s\")", c.Alpha, 100*c.MinEffect, 100*c.MinEffect, diff.TestRanges)})
	for _, w := range c.Warnings {
		t.Notes = append(t.Notes, report.Note{Text: "warning: " + w})
	}
	return t
}

// Lines is the comparison as the end of a terminal run says it: one line
// of counts, then a line per regression and improvement (at most most;
// the report lists them all).
func (c Comparison) Lines(most int) []string {
	out := []string{fmt.Sprintf("against the baseline %s: %d regressions, %d improvements, %d other changes (report.md lists them)",
		c.Baseline, len(c.Regressions), len(c.Improvements), len(c.Changed))}
	for _, part := range []struct {
		what string
		rows []diff.Row
	}{{"regression", c.Regressions}, {"improvement", c.Improvements}} {
		for _, r := range part.rows {
			if len(out) > most {
				return append(out, "  ...")
			}
			out = append(out, fmt.Sprintf("  %s: %s %s %s %s (%s; decided by %s)", part.what, r.Stage, r.Contender, r.Value, r.Delta(), r.Config, r.Test))
		}
	}
	return out
}

// Section is the comparison as a report section.
func (c Comparison) Section() report.Section {
	return report.Section{Title: "Against the baseline", Tables: []report.Table{c.Table()}}
}

// ErrRegression is returned (wrapped) by Regressed when a figure got worse.
var ErrRegression = errors.New("figures got significantly worse than the baseline")

// Regressed returns an error wrapping ErrRegression that counts the
// regressions, or nil when there is none.
func (c Comparison) Regressed() error {
	if len(c.Regressions) == 0 {
		return nil
	}
	return fmt.Errorf("%d %w %s", len(c.Regressions), ErrRegression, c.Baseline)
}
