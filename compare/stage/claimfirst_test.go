package stage

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

// The jobs the claims read run first and in the claim rounds; a budget that
// runs out after them drops only the others, and names every dropped run.
func TestClaimDecidingRunsFirstAndDroppedRunsNamed(t *testing.T) {
	t.Parallel()
	claimed := []string{"kotlin-2.0", "python-3.13"}
	r := &Run{Info: Info{Name: "json"}, Exec: &runner.Fake{}, Plan: plan.Plan{Rounds: 1, ClaimRounds: 3},
		Deadline: time.Now().Add(time.Hour),
		ClaimReads: func(stage string, c *results.Contender, config map[string]any) bool {
			return slices.Contains(claimed, c.Name) && config["mode"] == "generic"
		}}
	job := func(name, mode string) Job {
		return Job{Name: name + " " + mode, Contender: Resolve(manifest.Contender{Name: name}, "json", "", "", "", nil), Config: map[string]any{"mode": mode},
			Run: func(int) (batch.Run, error) {
				return batch.Run{Spec: runner.Spec{Argv: []string{name}}, Output: manifest.OutputNone}, nil
			}}
	}
	jobs := []Job{job("go-current", "generic"), job("python-3.13", "generic"), job("python-3.13", "typed"), job("kotlin-2.0", "generic")}
	var ran []string
	stop := r.Interleave(context.Background(), jobs, func(d batch.Done) {
		ran = append(ran, jobs[d.Job].Name+" "+string(rune('1'+d.Round)))
		if len(ran) == 6 {
			r.Deadline = time.Now().Add(-time.Second) // the budget runs out after the claims' runs
		}
	})
	assert.Equal(t, []string{
		"python-3.13 generic 1", "kotlin-2.0 generic 1",
		"python-3.13 generic 2", "kotlin-2.0 generic 2",
		"python-3.13 generic 3", "kotlin-2.0 generic 3",
	}, ran, "Done.Job indexes the jobs as given; the claims' jobs run first, three rounds")
	assert.Equal(t, results.StatusBudget, stop.Status)
	assert.Equal(t, []string{"go-current generic round 1", "python-3.13 typed round 1"}, stop.Dropped)
	assert.Equal(t, "time budget spent before go-current generic round 1 (6 of 8 runs done)", stop.Reason)
}
