package jsoncheck

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/jsonbench"
)

const hex = "788e6a7966ec8732b55dbd7383f1762e5951e6e81b5a6d12e65f9b11f944ec6b"

func TestParseResult(t *testing.T) {
	t.Parallel()
	p, err := ParseResult([]byte(`{"runtime":"go1.23.12","mode":"typed","bytes":10,"seconds":[0.5,0.25],"digest":"` + hex + `","counts":{"object":1,"array":0,"string":0,"number":0,"true":0,"false":0,"null":0}}`))
	require.NoError(t, err)
	assert.Equal(t, []float64{0.5, 0.25}, p.Seconds)
	assert.Equal(t, int64(1), p.Counts.Object)

	_, err = ParseResult([]byte(`{"mode":"both","bytes":0,"seconds":[0],"digest":"abc"}`))
	for _, want := range []string{`no "runtime"`, `"mode" "both"`, `"bytes" 0`, `"seconds" holds 0`, "not a hex SHA-256", "come together"} {
		assert.ErrorContains(t, err, want)
	}
	_, err = ParseResult([]byte(`ready`))
	assert.ErrorContains(t, err, "not a parse result line")
}

func TestCheckDigest(t *testing.T) {
	t.Parallel()
	want := jsonbench.Digest{SHA256: hex, Counts: jsonbench.Counts{Object: 1}}
	assert.True(t, CheckDigest(jsonbench.ParseLine{Mode: "generic", Digest: hex}, want, "the generator").Pass)
	c := CheckDigest(jsonbench.ParseLine{Mode: "typed", Digest: "ff" + hex[2:], Counts: &jsonbench.Counts{Object: 2}}, want, "the generator")
	assert.False(t, c.Pass)
	assert.Contains(t, c.Detail, "typed parse has digest ff8e6a7966ec…, the generator has 788e6a7966ec…")
	assert.Contains(t, c.Detail, "counts")
	assert.False(t, CheckDigest(jsonbench.ParseLine{Mode: "generic"}, want, "x").Pass)
}

func TestVerdictsAndDisagreements(t *testing.T) {
	t.Parallel()
	v, err := ParseVerdicts([][]byte{
		[]byte(`{"item":"y_a.json","verdict":"accept"}`),
		[]byte(`{"item":"n_b.json","verdict":"accept"}`),
		[]byte(`{"item":"y_c.json","verdict":"reject","error":"bad"}`),
		[]byte(`{"item":"i_d.json","verdict":"reject","error":"deep"}`),
		[]byte(`{"runtime":"x","files":4}`),
	})
	require.NoError(t, err)
	files := []string{"i_d.json", "n_b.json", "n_e.json", "y_a.json", "y_c.json"}
	assert.Equal(t, []Disagreement{
		{File: "n_b.json", Verdict: "accept"},
		{File: "n_e.json", Verdict: "none"},
		{File: "y_c.json", Verdict: "reject", Error: "bad"},
	}, Disagreements(files, v))
	assert.Equal(t, []string{"n_e.json"}, Missing(files, v))
	agreed, scored := Score(files, v)
	assert.Equal(t, 1, agreed)
	assert.Equal(t, 4, scored)
	c := CheckConformance(files, v)
	assert.False(t, c.Pass, "a missing verdict fails")
	assert.Contains(t, c.Detail, "no verdict for 1 files (n_e.json)")
	assert.True(t, CheckConformance(files[:2], v).Pass, "disagreements alone are data, not a failure")

	_, err = ParseVerdicts([][]byte{[]byte(`{"item":"a","verdict":"maybe"}`), []byte(`{"item":"a","verdict":"accept"}`), []byte(`nope`)})
	for _, want := range []string{`verdict "maybe"`, "two verdicts", "line 3 is not JSON", "no summary line"} {
		assert.ErrorContains(t, err, want)
	}
	_, err = ParseVerdicts([][]byte{[]byte(`{"runtime":"x","files":3}`)})
	assert.ErrorContains(t, err, "summary says 3 files, 0 verdicts")
}
