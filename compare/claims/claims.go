// Package claims reads claims.json: the article's claims as data. For
// every row of the article's table it names the stage and metric that measure
// it, the configuration, the claimed figures, the contender that stands for
// Python and for Kotlin, and the verdict rules that apply; the report renders
// it beside the measured figures.
package claims

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// The claims are compiled in, so a report re-rendered from an old results
// folder judges it against the same claims wherever tribench runs.
//
//go:embed claims.json
var claimsJSON []byte

// FileName is the claims file's path under the repository root.
const FileName = "compare/claims/claims.json"

// Sides of a claim.
const (
	Python = "python"
	Kotlin = "kotlin"
)

// Rules a claim's verdicts follow (the report lists what each means).
var Rules = []string{
	// "ratio": the Kotlin/Python ratio, judged against the measured paired ratio.
	"ratio",
	// "absolute": a figure that does not depend on the hardware.
	"absolute",
	// "hardware-absolute": an absolute on hardware unlike this machine's; judged through its ratio only.
	"hardware-absolute",
	// "per-core": single-threaded work, compared per core.
	"per-core",
	// "bound": a maximum the measurement may only bound (the file limit).
	"bound",
	// "speedup": a speed-up on more cores, scaled to this machine's.
	"speedup",
	// "not-comparable": measured differently; shown, not judged.
	"not-comparable",
}

// A Claim is one row of the article's table.
type Claim struct {
	ID string `json:"id"`
	// Row is the article's wording of the row.
	Row string `json:"row"`
	// How is how the article says it measured.
	How    string         `json:"how"`
	Stage  string         `json:"stage"`
	Metric string         `json:"metric"`
	Config map[string]any `json:"config"`
	// SideConfig adds configuration per side ("python", "kotlin", "go"): the
	// shape that stands for each language in the memory row.
	SideConfig map[string]map[string]any `json:"side_config,omitempty"`
	Unit       string                    `json:"unit"`
	// HigherIsBetter orients the ratio: the claimed ratio is better side over
	// worse side (Kotlin/Python for throughput, Python/Kotlin for latency).
	HigherIsBetter bool `json:"higher_is_better"`
	// Claimed maps a side to its claimed figure, in Unit.
	Claimed map[string]float64 `json:"claimed,omitempty"`
	// ClaimedRatio is a claim made only as a ratio ("2.2x more").
	ClaimedRatio float64 `json:"claimed_ratio,omitempty"`
	// StandIns maps a side to the contender that stands for it.
	StandIns map[string]string `json:"stand_ins"`
	Rules    []string          `json:"rules"`
	// MeasuredOn says, per side, what the article's figure was measured on.
	MeasuredOn map[string]Hardware `json:"measured_on"`
	// Mapping is how the claimed figures map to what this run measures: one
	// of Mappings.
	Mapping string `json:"mapping"`
	// ComparableFromCores is how many cores the article's machine had: a
	// run whose servers have as many judges the article's absolute figures
	// (indicatively: the CPUs still differ) and its ratio as claimed; with
	// mapping "none", fewer cores cannot judge the claim at all.
	ComparableFromCores int `json:"comparable_from_cores,omitempty"`
	// Note says what tribench measures instead, where that differs.
	Note string `json:"note,omitempty"`
}

// Ratio is the claimed Kotlin-over-Python advantage: Kotlin/Python when higher
// is better, Python/Kotlin when lower is; 0 when the claim has no two sides.
func (c Claim) Ratio() float64 {
	if c.ClaimedRatio > 0 {
		return c.ClaimedRatio
	}
	p, k := c.Claimed[Python], c.Claimed[Kotlin]
	if p == 0 || k == 0 {
		return 0
	}
	if c.HigherIsBetter {
		return k / p
	}
	return p / k
}

// Go is the third side: the Go contenders shown beside the article's two.
const Go = "go"

// ConfigFor is the configuration a side's figure is measured in.
func (c Claim) ConfigFor(side string) map[string]any {
	out := make(map[string]any, len(c.Config)+len(c.SideConfig[side]))
	for k, v := range c.Config {
		out[k] = v
	}
	for k, v := range c.SideConfig[side] {
		out[k] = v
	}
	return out
}

// Hardware is what one side of a claim was measured on.
type Hardware struct {
	// Cores the side could use (0: not stated).
	Cores int `json:"cores,omitempty"`
	// Workers and Processes of the side (uvicorn --workers 4: 4 and 4).
	Workers   int    `json:"workers,omitempty"`
	Processes int    `json:"processes,omitempty"`
	About     string `json:"about"`
}

// Mappings from the article's hardware to this run, each with what it
// assumes; the report prints the claim's beside its verdict.
var Mappings = map[string]string{
	"per-core":    "per core: each side's claimed figure divided by the cores it could use (each server assumed to scale with its cores), against figures measured on one core each",
	"same-cores":  "both sides ran on the same cores there as here: the claimed ratio is compared as it is (both assumed to scale alike from the article's cores to this run's)",
	"same-load":   "at one offered rate for both sides on the same cores: the claimed latency ratio is compared as it is (the article's 'same load')",
	"independent": "a figure that does not depend on the cores (memory of a fixed set of objects, tasks under one memory limit): compared as it is",
	"amdahl":      "scaled to this run's cores by Amdahl's law from the cores it was measured on",
	"none":        "no sound mapping to this run's hardware: not comparable",
}

// Cores returns the cores side's figure was measured on (0 when not stated).
func (c Claim) Cores(side string) int { return c.MeasuredOn[side].Cores }

// MappedRatio is the claimed ratio as this run can measure it, and how it
// was mapped: per core for the "per-core" mapping, as claimed otherwise.
func (c Claim) MappedRatio() (float64, string) {
	r := c.Ratio()
	if c.Mapping != "per-core" || r == 0 || c.ClaimedRatio > 0 {
		return r, ""
	}
	pc, kc := c.Cores(Python), c.Cores(Kotlin)
	if pc == 0 || kc == 0 || pc == kc {
		return r, ""
	}
	p, k := c.Claimed[Python]/float64(pc), c.Claimed[Kotlin]/float64(kc)
	if c.HigherIsBetter {
		return k / p, fmt.Sprintf("per core: Kotlin %.0f on %d cores, Python %.0f on %d: %.2fx per core", c.Claimed[Kotlin], kc, c.Claimed[Python], pc, k/p)
	}
	return p / k, fmt.Sprintf("per core: Python %g on %d cores, Kotlin %g on %d: %.2fx per core", c.Claimed[Python], pc, c.Claimed[Kotlin], kc, p/k)
}

// A File is claims.json.
type File struct {
	About string `json:"about"`
	// GoColumns are the Go contenders shown beside the article's two sides
	// on every row, the baseline toolchain first and current Go last.
	GoColumns []GoColumn `json:"go_columns"`
	Claims    []Claim    `json:"claims"`
}

// A GoColumn is one Go contender's column in the claims table.
type GoColumn struct {
	Contender string `json:"contender"`
	Title     string `json:"title"`
}

// GoCurrent is the column of current Go (the last), and the one before it
// when there is one (the baseline toolchain); ok is false without columns.
func (f File) GoCurrent() (current GoColumn, baseline GoColumn, ok bool) {
	n := len(f.GoColumns)
	if n == 0 {
		return GoColumn{}, GoColumn{}, false
	}
	if n > 1 {
		baseline = f.GoColumns[n-2]
	}
	return f.GoColumns[n-1], baseline, true
}

// Load reads and validates the compiled-in claims, reporting every problem.
func Load() (File, error) { return Parse(claimsJSON) }

// Parse reads and validates a claims file's content.
func Parse(data []byte) (File, error) {
	const path = FileName
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Validate(); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Validate checks every claim and returns all problems found.
func (f File) Validate() error {
	var problems []error
	for i, g := range f.GoColumns {
		if g.Contender == "" || g.Title == "" {
			problems = append(problems, fmt.Errorf("go column %d: contender and title are required", i+1))
		}
	}
	seen := map[string]bool{}
	for i, c := range f.Claims {
		add := func(format string, args ...any) {
			problems = append(problems, fmt.Errorf("claim %d (%q): %s", i+1, c.ID, fmt.Sprintf(format, args...)))
		}
		if c.ID == "" || seen[c.ID] {
			add("id missing or repeated")
		}
		seen[c.ID] = true
		for field, v := range map[string]string{"row": c.Row, "stage": c.Stage, "metric": c.Metric, "unit": c.Unit} {
			if v == "" {
				add("%s is required", field)
			}
		}
		if len(c.Claimed) == 0 && c.ClaimedRatio == 0 {
			add("claims no figure and no ratio")
		}
		for side := range c.Claimed {
			if side != Python && side != Kotlin {
				add("claimed side %q is not python or kotlin", side)
			}
			if c.StandIns[side] == "" {
				add("no contender stands for %s", side)
			}
		}
		if len(c.Rules) == 0 {
			add("no rules")
		}
		if _, ok := Mappings[c.Mapping]; !ok {
			add("mapping %q is not one of per-core, same-cores, same-load, independent, amdahl, none", c.Mapping)
		}
		for side := range c.StandIns {
			if _, ok := c.MeasuredOn[side]; !ok {
				add("measured_on says nothing of %s", side)
			}
		}
		for _, r := range c.Rules {
			if !slices.Contains(Rules, r) {
				add("unknown rule %q", r)
			}
			if r == "ratio" && c.Ratio() == 0 {
				add("the ratio rule needs both sides or a claimed_ratio")
			}
			if r == "speedup" && c.Cores(Python) < 2 {
				add("the speedup rule needs the cores the claim was measured on (measured_on.python.cores)")
			}
		}
	}
	if len(f.Claims) == 0 {
		problems = append(problems, errors.New("no claims"))
	}
	return errors.Join(problems...)
}
