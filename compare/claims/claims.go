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
	// Cores is how many cores the article's figure was measured on (the
	// speed-up rule scales it to this machine's).
	Cores int `json:"cores,omitempty"`
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

// A File is claims.json.
type File struct {
	About  string  `json:"about"`
	Claims []Claim `json:"claims"`
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
		for _, r := range c.Rules {
			if !slices.Contains(Rules, r) {
				add("unknown rule %q", r)
			}
			if r == "ratio" && c.Ratio() == 0 {
				add("the ratio rule needs both sides or a claimed_ratio")
			}
			if r == "speedup" && c.Cores < 2 {
				add("the speedup rule needs the cores the claim was measured on")
			}
		}
	}
	if len(f.Claims) == 0 {
		problems = append(problems, errors.New("no claims"))
	}
	return errors.Join(problems...)
}
