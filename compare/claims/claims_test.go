package claims

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheRepositoryClaimsLoad(t *testing.T) {
	t.Parallel()
	f, err := Load()
	require.NoError(t, err)
	byID := map[string]Claim{}
	for _, c := range f.Claims {
		byID[c.ID] = c
	}
	require.Len(t, byID, 9, "one claim per row of the article's table")
	assert.InDelta(t, 1.41, byID["http-throughput"].Ratio(), 0.01, "18,200 / 12,900")
	assert.InDelta(t, 1.71, byID["http-p99"].Ratio(), 0.01, "lower is better: 89 / 52 ms")
	assert.InDelta(t, 1.39, byID["resize"].Ratio(), 0.01)
	assert.InDelta(t, 1.5, byID["json"].Ratio(), 0.01)
	assert.Equal(t, 2.2, byID["concurrent-tasks"].Ratio())
	assert.Equal(t, "python-3.13t", byID["resize"].StandIns[Python], "the free-threaded build stands for Python's images")
	assert.Zero(t, byID["free-threaded-speedup"].Ratio())
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	f := File{Claims: []Claim{
		{ID: "a", Row: "r", Stage: "http", Metric: "rps", Unit: "req/s", Claimed: map[string]float64{"rust": 1}, Rules: []string{"vibes"}},
		{ID: "a", Row: "r", Stage: "http", Metric: "rps", Unit: "req/s", Claimed: map[string]float64{Python: 1}, StandIns: map[string]string{Python: "p"}, Rules: []string{"ratio"}},
		{ID: "c"},
	}}
	err := f.Validate()
	require.Error(t, err)
	for _, want := range []string{
		`claimed side "rust" is not python or kotlin`, `no contender stands for rust`, `unknown rule "vibes"`,
		`claim 2 ("a"): id missing or repeated`, `the ratio rule needs both sides`,
		`claim 3 ("c"): row is required`, `claims no figure and no ratio`, `claim 3 ("c"): no rules`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}
