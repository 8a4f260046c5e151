package history

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/stats"
)

// A Filter selects the figures of a history; its zero value selects all.
type Filter struct {
	// Only keeps contenders whose name matches one of its comma-separated
	// globs, as the stage commands' --only does.
	Only string
	// Stage and Metric keep one stage and one value name.
	Stage, Metric string
	// Since keeps runs started at or after it.
	Since time.Time
}

// CheckOnly reports a malformed --only pattern.
func CheckOnly(only string) error {
	for _, g := range strings.Split(only, ",") {
		if _, err := filepath.Match(g, ""); err != nil {
			return fmt.Errorf("--only %q: %w", only, err)
		}
	}
	return nil
}

func (f Filter) keeps(contender string) bool {
	if f.Only == "" {
		return true
	}
	for _, g := range strings.Split(f.Only, ",") {
		if ok, _ := filepath.Match(g, contender); ok {
			return true
		}
	}
	return false
}

// A Machine's Group is every selected figure measured on it.
type Group struct {
	ID      string  `json:"id"`
	Machine Machine `json:"machine"`
	// Runs counts the runs of the group that hold a selected figure.
	Runs   int      `json:"runs"`
	Series []Series `json:"series"`
}

// A Series is one figure (stage, contender, configuration, value) across
// runs, oldest first.
type Series struct {
	Stage     string  `json:"stage"`
	Contender string  `json:"contender"`
	Config    string  `json:"config"`
	Metric    string  `json:"metric"`
	Unit      string  `json:"unit"`
	Points    []Point `json:"points"`
}

// A Point is the figure in one run: its median with the 95% interval, or
// the range when indicative (fewer than stats.MinRounds rounds).
type Point struct {
	Run     string        `json:"run"`
	Started time.Time     `json:"started"`
	Commit  string        `json:"commit,omitempty"`
	Dirty   bool          `json:"dirty,omitempty"`
	Summary stats.Summary `json:"summary"`
}

// History returns the selected figures across runs, grouped by machine
// (the machine whose first run is oldest first), each series oldest run
// first. Warm-up rounds are left out, as in the report.
func (ix *Index) History(ctx context.Context, f Filter) ([]Group, error) {
	query := `SELECT r.machine, r.cpu, r.kernel, r.memory, r.dir, r.started, r.git_commit, r.git_dirty,
			res.stage, res.contender, res.config, m.name, m.unit, m.id, s.value
		FROM runs r JOIN results res ON res.run_id = r.id JOIN measures m ON m.result_id = res.id
		JOIN samples s ON s.measure_id = m.id
		WHERE res.step = 'measure' AND s.warmup = 0 AND r.started >= ?`
	args := []any{f.Since.UTC().Format(timeLayout)}
	if f.Stage != "" {
		query += " AND res.stage = ?"
		args = append(args, f.Stage)
	}
	if f.Metric != "" {
		query += " AND m.name = ?"
		args = append(args, f.Metric)
	}
	query += ` ORDER BY (SELECT MIN(started) FROM runs o WHERE o.machine = r.machine), r.machine,
		res.stage, res.contender, res.config, m.name, r.started, r.dir, m.id, s.seq`
	rows, err := ix.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("run history: query: %w", err)
	}
	defer rows.Close()
	var groups []Group
	runs := map[string]bool{}
	var lastMeasure int64 = -1
	var samples []float64
	flush := func() {
		if len(samples) == 0 {
			return
		}
		g := &groups[len(groups)-1]
		s := &g.Series[len(g.Series)-1]
		s.Points[len(s.Points)-1].Summary = stats.Summarize(samples)
		samples = nil
	}
	for rows.Next() {
		var m Machine
		var id, dir, started, commit, stage, contender, config, metric, unit string
		var dirty bool
		var measure int64
		var value float64
		if err := rows.Scan(&id, &m.CPU, &m.Kernel, &m.Memory, &dir, &started, &commit, &dirty,
			&stage, &contender, &config, &metric, &unit, &measure, &value); err != nil {
			return nil, fmt.Errorf("run history: read: %w", err)
		}
		if !f.keeps(contender) {
			continue
		}
		if measure != lastMeasure {
			flush()
			lastMeasure = measure
			if len(groups) == 0 || groups[len(groups)-1].ID != id {
				groups = append(groups, Group{ID: id, Machine: m})
				runs = map[string]bool{}
			}
			g := &groups[len(groups)-1]
			if !runs[dir] {
				runs[dir] = true
				g.Runs++
			}
			if n := len(g.Series); n == 0 || !g.Series[n-1].same(stage, contender, config, metric) {
				g.Series = append(g.Series, Series{Stage: stage, Contender: contender, Config: config, Metric: metric, Unit: unit})
			}
			t, err := time.Parse(timeLayout, started)
			if err != nil {
				return nil, fmt.Errorf("run history: run %s: start %q: %w", dir, started, err)
			}
			s := &g.Series[len(g.Series)-1]
			s.Points = append(s.Points, Point{Run: dir, Started: t, Commit: commit, Dirty: dirty})
		}
		samples = append(samples, value)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("run history: read: %w", err)
	}
	flush()
	return groups, nil
}

func (s Series) same(stage, contender, config, metric string) bool {
	return s.Stage == stage && s.Contender == contender && s.Config == config && s.Metric == metric
}

// WriteJSON writes the groups as one indented JSON document.
func WriteJSON(w io.Writer, groups []Group) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(groups)
}

// WriteText writes the groups for a terminal: per machine, each figure with
// a sparkline of its medians, then, with perRun, a line per run, oldest
// first; without it a line per figure with its latest median, so that a
// history of every figure stays readable.
func WriteText(w io.Writer, groups []Group, perRun bool) error {
	if len(groups) == 0 {
		_, err := fmt.Fprintln(w, "no figure in the run history matches (tribench history --reindex rebuilds it from the results folders)")
		return err
	}
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		runs := "runs"
		if g.Runs == 1 {
			runs = "run"
		}
		fmt.Fprintf(w, "machine %s: %s (%d %s)\n", g.ID, g.Machine, g.Runs, runs)
		if !perRun {
			if err := writeSeriesLines(w, g.Series); err != nil {
				return err
			}
			continue
		}
		for _, s := range g.Series {
			medians := make([]float64, len(s.Points))
			for j, p := range s.Points {
				medians[j] = p.Summary.Center
			}
			fmt.Fprintf(w, "\n%s  %s  %s  %s (%s)  %s\n", s.Stage, s.Contender, or(s.Config, "-"), s.Metric, or(s.Unit, "-"), Sparkline(medians))
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			for _, p := range s.Points {
				commit := or(short(p.Commit), "-")
				if p.Dirty {
					commit += "+dirty"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", p.Started.UTC().Format("2006-01-02 15:04"), p.Run, commit,
					report.FormatValue(p.Summary.Center, s.Unit), interval(p.Summary, s.Unit))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeSeriesLines writes a line per figure: what it is, its sparkline,
// its latest median and how many runs measured it.
func writeSeriesLines(w io.Writer, series []Series) error {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range series {
		if len(s.Points) == 0 {
			continue
		}
		medians := make([]float64, len(s.Points))
		for j, p := range s.Points {
			medians[j] = p.Summary.Center
		}
		last := s.Points[len(s.Points)-1]
		runs := fmt.Sprintf("%d runs", len(s.Points))
		if len(s.Points) == 1 {
			runs = "1 run"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Stage, s.Contender, or(s.Config, "-"), s.Metric,
			Sparkline(medians), report.FormatValue(last.Summary.Center, s.Unit), runs)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "(the latest median of each; --metric NAME lists every run's, --stage and --only narrow)")
	return err
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// interval renders a point's interval, or its range when indicative.
func interval(s stats.Summary, unit string) string {
	kind := "95% CI"
	if s.Indicative {
		kind = "range"
	}
	if s.Lo == s.Hi {
		return fmt.Sprintf("n=%d", s.N)
	}
	return fmt.Sprintf("[%s, %s] %s n=%d", report.FormatValue(s.Lo, unit), report.FormatValue(s.Hi, unit), kind, s.N)
}

var sparks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as block characters from lowest to highest; a
// value that is not finite is a space, equal values are all mid-height.
func Sparkline(values []float64) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	out := make([]rune, len(values))
	for i, v := range values {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			out[i] = ' '
		case hi == lo:
			out[i] = sparks[len(sparks)/2]
		default:
			out[i] = sparks[int(math.Round((v-lo)/(hi-lo)*float64(len(sparks)-1)))]
		}
	}
	return string(out)
}
