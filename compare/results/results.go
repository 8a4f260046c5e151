package results

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Kinds of record.
const (
	// KindRun heads a results file: what produced it.
	KindRun = "run"
	// KindResult is one contender in one configuration of a stage: its checks and
	// its measured values.
	KindResult = "result"
	// KindStage closes a stage: how it ended and where it stopped.
	KindStage = "stage"
	// KindWarning is a non-fatal problem worth showing in the report.
	KindWarning = "warning"
	// KindVerdict is one verdict on one of the article's claims, written at
	// the end of a run from the records before it.
	KindVerdict = "verdict"
)

// Steps of a stage that produce results.
const (
	StepVerify  = "verify"
	StepMeasure = "measure"
)

// Statuses of a result or stage record.
const (
	// StatusOK: the contender ran; whether it was right is in its checks.
	StatusOK          = "ok"
	StatusUnavailable = "unavailable"
	StatusBuildFailed = "build-failed"
	StatusStartFailed = "start-failed"
	// StatusFailed: the contender could not run at all (a non-zero exit, a
	// malformed or missing result line).
	StatusFailed      = "failed"
	StatusCrashed     = "crashed"
	StatusTimeout     = "timeout"
	StatusOutOfMemory = "out-of-memory"
	// StatusBudget: the stage's time budget ran out before this finished.
	StatusBudget      = "budget"
	StatusInterrupted = "interrupted"
)

// FileName is the results stream's name inside a results folder.
const FileName = "results.jsonl"

// SchemaVersion is the version of the format this package writes, carried
// by every run record from version 2 on; a run record without one is of
// version 1 (no project state, no machine memory in its environment).
const SchemaVersion = 2

// A Record is one line of results.jsonl; SCHEMA.md documents every field.
type Record struct {
	Kind string    `json:"kind"`
	Time time.Time `json:"time"`

	// Run header fields. Schema is the format's version (SchemaVersion when
	// written by this package); Project is the harness's source tree.
	Schema  int               `json:"schema,omitempty"`
	Project *Project          `json:"project,omitempty"`
	Command []string          `json:"command,omitempty"`
	Profile string            `json:"profile,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
	CPUs    string            `json:"cpus,omitempty"`
	// Hosts, with --hosts, are the hosts of the run: each one's role, CPU
	// list and environment.
	Hosts []HostEnv `json:"hosts,omitempty"`

	// Stage is the stage that produced the record (http, resize, ...), Workload
	// its workload folder (services, imageproc, ...).
	Stage    string `json:"stage,omitempty"`
	Workload string `json:"workload,omitempty"`
	// Step is the stage's step that produced a result: StepVerify (the oracle's
	// checks) or StepMeasure (values).
	Step string `json:"step,omitempty"`

	Contender *Contender `json:"contender,omitempty"`
	// Config holds the run's parameters (mix, connections, workers, size, ...).
	Config map[string]any `json:"config,omitempty"`

	Status string `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Checks are the oracle's verdicts; a result passes when every check does.
	Checks []Check  `json:"checks,omitempty"`
	Values []Value  `json:"values,omitempty"`
	Attach []Attach `json:"attachments,omitempty"`

	// Verdict is a KindVerdict record's judgement.
	Verdict *Verdict `json:"verdict,omitempty"`
}

// A HostEnv is one host of a run placed by a hosts file: what ran there,
// on which CPUs, and its environment (`tribench env` run there).
type HostEnv struct {
	// Role is RoleServer or RoleLoader.
	Role string `json:"role"`
	// Host names it as its hosts file does, with its address.
	Host string `json:"host"`
	// CPUs is its CPU list from the hosts file; every CPU when empty.
	CPUs string `json:"cpus,omitempty"`
	// Env is its environment as the run record's env reads; absent for a
	// host that is this machine (local, a namespace) or could not be read.
	Env map[string]string `json:"env,omitempty"`
	// Note says why Env is absent.
	Note string `json:"note,omitempty"`
}

// Roles of a host.
const (
	RoleServer = "server"
	RoleLoader = "loader"
)

// A Project is the state of the harness's own source tree when it ran: a
// figure moving from run to run is read against the commits between.
type Project struct {
	// Commit is the checked-out commit; empty outside a git work tree.
	Commit string `json:"commit,omitempty"`
	// Dirty says the work tree had changes not committed.
	Dirty bool `json:"dirty,omitempty"`
}

// A Verdict judges one claim of the article by one rule.
type Verdict struct {
	// Claim is the claim's id in claims.json, Row the article's wording.
	Claim string `json:"claim"`
	Row   string `json:"row"`
	// Rule is the rule applied; Side what it judged ("Kotlin/Python",
	// "python", "python per core"), empty when the claim has one judgement.
	Rule string `json:"rule"`
	Side string `json:"side,omitempty"`
	// Outcome is consistent, partly, refuted, undecided, or why none could
	// be reached (not comparable, not measured, incomplete: budget, ...).
	Outcome    string `json:"outcome"`
	Indicative bool   `json:"indicative,omitempty"`
	Disturbed  bool   `json:"disturbed,omitempty"`
	Reason     string `json:"reason"`
	// Figures are what the verdict read.
	Figures []Figure `json:"figures,omitempty"`
}

// A Figure is one summarised figure a verdict read: a contender's value in
// a configuration, or a paired ratio of two.
type Figure struct {
	What   string  `json:"what"`
	Value  string  `json:"value"`
	Unit   string  `json:"unit"`
	Center float64 `json:"center"`
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	N      int     `json:"n"`
}

// A Contender says who produced a result, resolved for this run.
type Contender struct {
	Name      string            `json:"name"`
	Language  string            `json:"language"`
	Kind      string            `json:"kind"`
	Label     string            `json:"label,omitempty"`
	Toolchain string            `json:"toolchain,omitempty"`
	Version   string            `json:"version,omitempty"`
	Note      string            `json:"note,omitempty"`
	Fallback  string            `json:"fallback_for,omitempty"`
	Settings  map[string]string `json:"settings,omitempty"`
	// Argv is the command that produced the values, placeholders filled.
	Argv []string `json:"argv,omitempty"`
	CPUs string   `json:"cpus,omitempty"`
	// Host is the host a server ran on when a hosts file placed it
	// (`netns:server (198.18.0.1)`); empty on this machine.
	Host string `json:"host,omitempty"`
}

// A Check is one verdict of an oracle.
type Check struct {
	Name string `json:"name"`
	// Kind groups checks of one nature (a contract "case", a "property", a "file").
	Kind string `json:"kind,omitempty"`
	// Rule is what the check holds the contender to.
	Rule string `json:"rule,omitempty"`
	Pass bool   `json:"pass"`
	// Broke is the rule that broke on failure when it is not Rule (for example a
	// rule that holds for every response).
	Broke  string `json:"broke,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// A Value is one measured quantity with every round's sample.
type Value struct {
	Name string `json:"name"`
	// Unit is a base unit (s, B, req, img, ...) or a rate of one (req/s, B/s).
	Unit string `json:"unit"`
	// Samples holds one measurement per measured round, in round order.
	Samples []float64 `json:"samples"`
	// Rounds numbers the rounds of Samples, so interleaved rounds of two
	// contenders pair up even when one missed a round; nil means 0, 1, 2, ...
	Rounds []int `json:"rounds,omitempty"`
	// Warmup holds the excluded warm-up rounds, kept so warm-up is visible.
	Warmup []float64 `json:"warmup,omitempty"`
	// Disturbed lists the rounds (numbered as Rounds) whose CPUs were busy
	// with work outside the measured process trees beyond the harness's
	// threshold, and that are kept because their re-run was not possible.
	Disturbed []int `json:"disturbed,omitempty"`
	// Source says who measured it: "inside" (the contender timed itself) or
	// "outside" (the harness).
	Source string `json:"source,omitempty"`
}

// RoundOf returns the round number of sample i.
func (v Value) RoundOf(i int) int {
	if v.Rounds == nil {
		return i
	}
	return v.Rounds[i]
}

// PairedRatio is a / b round by round (rounds in which b is zero or missing
// are left out), as a value named name in unit "x" with a's source. A round
// disturbed in either is disturbed in the ratio.
func PairedRatio(name string, a, b Value) Value {
	out := Value{Name: name, Unit: "x", Source: a.Source}
	bAt := map[int]float64{}
	for i, s := range b.Samples {
		bAt[b.RoundOf(i)] = s
	}
	for i, s := range a.Samples {
		round := a.RoundOf(i)
		if d, ok := bAt[round]; ok && d > 0 {
			out.Samples = append(out.Samples, s/d)
			out.Rounds = append(out.Rounds, round)
			if slices.Contains(a.Disturbed, round) || slices.Contains(b.Disturbed, round) {
				out.Disturbed = append(out.Disturbed, round)
			}
		}
	}
	return out
}

// An Attach is a named blob kept with a result: an encoded latency histogram,
// a contender's raw output.
type Attach struct {
	Name string `json:"name"`
	// Media is a MIME type; text/plain data is stored as is, anything else base64.
	Media string          `json:"media"`
	Data  json.RawMessage `json:"data"`
}

// Passed reports whether every check of the record passed.
func (r Record) Passed() bool {
	for _, c := range r.Checks {
		if !c.Pass {
			return false
		}
	}
	return true
}

// Failures returns the checks that failed.
func (r Record) Failures() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.Pass {
			out = append(out, c)
		}
	}
	return out
}

// Value returns the value named name and whether the record has it.
func (r Record) Value(name string) (Value, bool) {
	for _, v := range r.Values {
		if v.Name == name {
			return v, true
		}
	}
	return Value{}, false
}

// ConfigNumber reads a configuration value as a number: JSON decodes numbers
// as float64, a record built in memory may hold ints. Anything else is 0.
func (r Record) ConfigNumber(key string) float64 {
	switch n := r.Config[key].(type) {
	case float64:
		return n
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return 0
}

// ConfigText reads a configuration value that is text; anything else
// (absent, a number) is "".
func (r Record) ConfigText(key string) string {
	s, _ := r.Config[key].(string)
	return s
}

// ContenderName is the record's contender name, or "".
func (r Record) ContenderName() string {
	if r.Contender == nil {
		return ""
	}
	return r.Contender.Name
}

// TextAttach makes a text/plain attachment.
func TextAttach(name, text string) Attach {
	b, _ := json.Marshal(text)
	return Attach{Name: name, Media: "text/plain", Data: b}
}

// BytesAttach makes an attachment of binary data, stored base64.
func BytesAttach(name, media string, data []byte) Attach {
	b, _ := json.Marshal(data)
	return Attach{Name: name, Media: media, Data: b}
}

// Bytes returns an attachment's data: the text of a text/plain one, the
// decoded bytes of any other.
func (a Attach) Bytes() ([]byte, error) {
	if a.Media == "text/plain" {
		var s string
		err := json.Unmarshal(a.Data, &s)
		return []byte(s), err
	}
	var b []byte
	err := json.Unmarshal(a.Data, &b)
	return b, err
}

// maxReason bounds a reason: a crash's whole stderr belongs in its
// attachment, not in every table cell that names the failure.
const maxReason = 300

// Reason is s as a record's reason holds it: one line (its lines joined by
// "; "), at most 300 characters.
func Reason(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\n", "; ")
	if r := []rune(s); len(r) > maxReason {
		return string(r[:maxReason-3]) + "..."
	}
	return s
}
