package plan

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Profiles, smallest first.
const (
	Smoke = "smoke"
	Quick = "quick"
	Full  = "full"
)

// Profiles lists every profile with what it is for.
var Profiles = []struct{ Name, About string }{
	{Smoke, "seconds per stage; what the tests run"},
	{Quick, "the default: every stage of `make compare` within 20 minutes on 2 cores, at least 3 interleaved rounds for every figure a claim reads"},
	{Full, "the article's sizes: 1,000 images, a 1 GB document, 30 s HTTP runs, 10k connections"},
}

// A Plan is one stage's share of a run in one profile.
type Plan struct {
	// Budget is the stage's share of the run's time: no new run starts after it.
	Budget time.Duration
	// Warmup rounds run first and are not measured; Rounds are measured.
	Warmup, Rounds int
	// ClaimRounds, when above Rounds, is how many measured rounds the jobs
	// the article's claims read get: they run first, so a budget that cuts
	// cuts the others.
	ClaimRounds int
	// Sizes are the stage's input sizes, in the stage's own unit (see Unit).
	Sizes []int64
	// Unit says what Sizes count, for the table.
	Unit string
	// Run is the length of one timed run where the stage times runs (HTTP).
	Run time.Duration
}

// Overhead is the run's share for the harness itself (environment probe,
// builds, report) in the quick profile; the budgets plus it make at most 20
// minutes.
var Overhead = map[string]time.Duration{Smoke: 30 * time.Second, Quick: time.Minute, Full: 5 * time.Minute}

// table is the one table: stage -> profile -> plan. Quick's starting shares
// were http 6 min, resize 2, json 2, mem+cpu+tasks 2, build 1.5, overhead 1.5;
// they were re-split from what each stage measured here: http 4.6 min for its
// nine entries; build 2-3 min (two cold Go builds of 25-50 s that warm
// rebuilds start from, Kotlin's warm rebuilds of 20-30 s from setup's
// outputs); mem 60 runs in 38 s at one round; cpu 34 s at 3 rounds; tasks
// 48 s; json 2 min for 21 parses of 100 MB (Kotlin's generic mode alone
// 20-35 s); resize 32 s to verify nine contenders, then 95 s for 35 runs of
// 24 images (Kotlin 2.4-4.4 img/s, Go's imaging 7-13, Pillow 20-34). Resize
// has no warm-up rounds: each run is a new process, so a warm-up round warms
// no JIT, only the page cache the generator already filled; in full one round
// of 1,000 images is about 32 minutes, so full runs three. Tasks then grew to
// 2.5 min for a capacity bisected to 10% in 3 rounds: 94 s measured here at
// load 2-5 (the two stand-ins' searches 68 s, 33 steps of 1.2-3 s; nine verify
// runs and the fixed counts the rest); with the machine shared at load 8 a
// search takes 30-50 s a contender, about 130 s in all. Http's quick share
// then grew to 8.5 min for three interleaved rounds of the four claim-read
// contenders (closed and open list mix) and their latency-against-rate
// curves: the stage took 6 min 46 s here (405 s; Kotlin's warm-ups 20-29 s),
// and 510 s leaves each planned run about 25% margin.
var table = map[string]map[string]Plan{
	"http": {
		Smoke: {Budget: 90 * time.Second, Warmup: 0, Rounds: 1, Sizes: []int64{50}, Unit: "connections", Run: 2 * time.Second},
		Quick: {Budget: 480 * time.Second, Warmup: 0, Rounds: 1, ClaimRounds: 3, Sizes: []int64{1000}, Unit: "connections", Run: 5 * time.Second},
		Full:  {Budget: 90 * time.Minute, Warmup: 0, Rounds: 6, Sizes: []int64{10000}, Unit: "connections", Run: 30 * time.Second},
	},
	"resize": {
		Smoke: {Budget: 60 * time.Second, Warmup: 0, Rounds: 1, Sizes: []int64{4}, Unit: "images"},
		Quick: {Budget: 150 * time.Second, Warmup: 0, Rounds: 2, ClaimRounds: 3, Sizes: []int64{20}, Unit: "images"},
		Full:  {Budget: 100 * time.Minute, Warmup: 0, Rounds: 3, Sizes: []int64{1000}, Unit: "images"},
	},
	"json": {
		Smoke: {Budget: 60 * time.Second, Warmup: 0, Rounds: 1, Sizes: []int64{1_000_000}, Unit: "bytes"},
		Quick: {Budget: 150 * time.Second, Warmup: 0, Rounds: 1, ClaimRounds: 3, Sizes: []int64{20_000_000}, Unit: "bytes"},
		Full:  {Budget: 60 * time.Minute, Warmup: 1, Rounds: 6, Sizes: []int64{1_000_000_000}, Unit: "bytes"},
	},
	"mem": {
		Smoke: {Budget: 30 * time.Second, Warmup: 0, Rounds: 1, Sizes: []int64{1000}, Unit: "objects (inside at the first; outside from 100k)"},
		Quick: {Budget: 60 * time.Second, Warmup: 0, Rounds: 1, ClaimRounds: 3, Sizes: []int64{1000, 100000}, Unit: "objects (inside at the first; outside from 100k)"},
		Full:  {Budget: 20 * time.Minute, Warmup: 0, Rounds: 6, Sizes: []int64{1000, 100000, 1000000}, Unit: "objects (inside at the first; outside from 100k)"},
	},
	"cpu": {
		Smoke: {Budget: 30 * time.Second, Warmup: 0, Rounds: 1, Sizes: []int64{100000}, Unit: "squares summed per task, 8 tasks"},
		Quick: {Budget: 60 * time.Second, Warmup: 0, Rounds: 3, ClaimRounds: 3, Sizes: []int64{2000000}, Unit: "squares summed per task, 8 tasks"},
		Full:  {Budget: 20 * time.Minute, Warmup: 1, Rounds: 6, Sizes: []int64{10000000}, Unit: "squares summed per task, 8 tasks"},
	},
	"tasks": {
		Smoke: {Budget: 30 * time.Second, Warmup: 0, Rounds: 1, Sizes: []int64{1000}, Unit: "tasks"},
		Quick: {Budget: 120 * time.Second, Warmup: 0, Rounds: 1, Sizes: []int64{100000}, Unit: "tasks"},
		Full:  {Budget: 20 * time.Minute, Warmup: 0, Rounds: 6, Sizes: []int64{10000, 100000, 1000000}, Unit: "tasks"},
	},
	"build": {
		Smoke: {Budget: 60 * time.Second, Warmup: 0, Rounds: 1, Unit: "warm rebuilds"},
		Quick: {Budget: 120 * time.Second, Warmup: 0, Rounds: 1, Unit: "warm rebuilds"},
		Full:  {Budget: 30 * time.Minute, Warmup: 0, Rounds: 3, Unit: "cold and warm builds"},
	},
}

// RoundsFor is the measured rounds of a job: ClaimRounds for one a claim
// reads, Rounds otherwise.
func (p Plan) RoundsFor(claim bool) int {
	if claim {
		return max(p.Rounds, p.ClaimRounds)
	}
	return p.Rounds
}

// For returns the plan of stage in profile.
func For(stage, profile string) (Plan, error) {
	if !Known(profile) {
		return Plan{}, fmt.Errorf("unknown profile %q (%s)", profile, strings.Join(Names(), ", "))
	}
	byProfile, ok := table[stage]
	if !ok {
		return Plan{}, fmt.Errorf("no plan for stage %q", stage)
	}
	return byProfile[profile], nil
}

// Set adds or replaces a stage's plans: for stages registered by tests.
func Set(stage string, byProfile map[string]Plan) { table[stage] = byProfile }

// Known reports whether profile is a profile.
func Known(profile string) bool {
	return slices.ContainsFunc(Profiles, func(p struct{ Name, About string }) bool { return p.Name == profile })
}

// Names lists the profiles.
func Names() []string {
	out := make([]string, len(Profiles))
	for i, p := range Profiles {
		out[i] = p.Name
	}
	return out
}

// Total is the sum of the budgets of stages in profile plus the overhead.
func Total(profile string, stages []string) time.Duration {
	total := Overhead[profile]
	for _, s := range stages {
		total += table[s][profile].Budget
	}
	return total
}

// Stages lists the stages that have plans, sorted.
func Stages() []string {
	out := make([]string, 0, len(table))
	for s := range table {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
