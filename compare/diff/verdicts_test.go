package diff

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tribench/tribench/compare/results"
)

func verdictRec(claim, side, outcome string, indicative bool) results.Record {
	return results.Record{Kind: results.KindVerdict, Verdict: &results.Verdict{Claim: claim, Row: claim + " row", Rule: "ratio",
		Side: side, Outcome: outcome, Indicative: indicative}}
}

func TestVerdictsThatChanged(t *testing.T) {
	t.Parallel()
	old := []results.Record{
		verdictRec("http-throughput", "Kotlin/Python", "refuted", true),
		verdictRec("resize", "Kotlin/Python", "consistent", false),
		verdictRec("json", "python per core", "refuted", false),
	}
	new := []results.Record{
		verdictRec("http-throughput", "Kotlin/Python", "undecided", true),
		verdictRec("resize", "Kotlin/Python", "consistent", false),
		verdictRec("tasks", "Kotlin/Python", "partly", false),
	}
	assert.Equal(t, []VerdictChange{
		{Claim: "http-throughput", Row: "http-throughput row", Side: "Kotlin/Python", Old: "refuted (indicative)", New: "undecided (indicative)"},
		{Claim: "tasks", Row: "tasks row", Side: "Kotlin/Python", Old: "-", New: "partly"},
		{Claim: "json", Row: "json row", Side: "python per core", Old: "refuted", New: "-"},
	}, Verdicts(old, new))
	assert.Empty(t, Verdicts(old, old))
	assert.Len(t, VerdictTable(nil).Notes, 1, "no change says so")
}
