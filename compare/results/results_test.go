package results

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteThenRead(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "run")
	w, err := Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(Record{Kind: KindRun, Profile: "smoke"}))
	require.NoError(t, w.Add(Record{Kind: KindResult, Stage: "resize", Workload: "imageproc", Step: StepMeasure,
		Contender: &Contender{Name: "go-1.23", Language: "go", Kind: "canonical"}, Config: map[string]any{"workers": 1},
		Status: StatusOK, Checks: []Check{{Name: "dimensions", Pass: true}},
		Values: []Value{{Name: "images_per_s", Unit: "img/s", Samples: []float64{10, 11}, Warmup: []float64{4}}},
		Attach: []Attach{TextAttach("stdout", "hi\n"), BytesAttach("hdr", "application/octet-stream", []byte{0, 1, 2})}}))
	require.NoError(t, w.Close())

	recs, err := Read(filepath.Join(dir, FileName))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "smoke", recs[0].Profile)
	assert.Equal(t, SchemaVersion, recs[0].Schema, "a run record says which format it is in")
	assert.False(t, recs[0].Time.IsZero())
	r := recs[1]
	assert.Equal(t, "go-1.23", r.ContenderName())
	assert.Equal(t, float64(1), r.Config["workers"])
	v, ok := r.Value("images_per_s")
	require.True(t, ok)
	assert.Equal(t, []float64{10, 11}, v.Samples)
	assert.Equal(t, 1, v.RoundOf(1))
	text, err := r.Attach[0].Bytes()
	require.NoError(t, err)
	assert.Equal(t, "hi\n", string(text))
	bin, err := r.Attach[1].Bytes()
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 1, 2}, bin)

	_, err = Create(dir)
	assert.Error(t, err, "an existing results file is never overwritten")
}

func TestRunRecordsCarryTheSchema(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "run")
	w, err := Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(Record{Kind: KindRun, Project: &Project{Commit: "abc123", Dirty: true}}))
	require.NoError(t, w.Add(Record{Kind: KindWarning, Reason: "x"}))
	require.NoError(t, w.Close())
	recs, err := Read(filepath.Join(dir, FileName))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, SchemaVersion, recs[0].Schema)
	assert.Equal(t, &Project{Commit: "abc123", Dirty: true}, recs[0].Project)
	assert.Zero(t, recs[1].Schema, "only run records carry it")
}

func TestDecodeKeepsGoingPastABadLine(t *testing.T) {
	t.Parallel()
	recs, err := Decode(strings.NewReader("{\"kind\":\"run\"}\n{\"kind\":\"resu\n{\"kind\":\"result\",\"stage\":\"json\"}\n{\"kind\":\"future\"}\n"))
	require.Error(t, err)
	var le *LineError
	require.True(t, errors.As(err, &le))
	assert.Equal(t, 2, le.Line)
	assert.Contains(t, err.Error(), `results line 4: unknown kind "future"`)
	require.Len(t, recs, 2, "records around the damage are kept")
	assert.Equal(t, "json", recs[1].Stage)
	_, err = Decode(strings.NewReader(""))
	assert.ErrorContains(t, err, "no records")
}

func TestFirstFormatRecordsReadAsHTTP(t *testing.T) {
	t.Parallel()
	old := `{"kind":"conformance","time":"2026-11-20T10:00:00Z","workload":"services","contender":"kotlin-article","language":"kotlin",` +
		`"variant":"article","note":"400s","status":"ok","conform":{"checks":[{"name":"create/email/duplicate-409","kind":"case",` +
		`"rule":"duplicate is 409","pass":false,"broken":"duplicate is 409","detail":"got 400"}]}}`
	recs, err := Decode(strings.NewReader(old + "\n"))
	require.NoError(t, err)
	require.Len(t, recs, 1)
	r := recs[0]
	assert.Equal(t, KindResult, r.Kind)
	assert.Equal(t, "http", r.Stage)
	assert.Equal(t, StepVerify, r.Step)
	assert.Equal(t, "article", r.Contender.Kind)
	assert.Equal(t, 2026, r.Time.Year())
	require.Len(t, r.Checks, 1)
	assert.Equal(t, Check{Name: "create/email/duplicate-409", Kind: "case", Rule: "duplicate is 409", Broke: "duplicate is 409", Detail: "got 400"}, r.Checks[0])
	assert.False(t, r.Passed())
	assert.Len(t, r.Failures(), 1)

	_, err = Decode(strings.NewReader(`{"kind":"conformance","workload":"imageproc"}` + "\n"))
	assert.ErrorContains(t, err, `only services existed then`)
}

func TestPairedRatio(t *testing.T) {
	a := Value{Name: "images_per_s", Source: "inside", Samples: []float64{20, 30, 40}, Rounds: []int{1, 2, 3}}
	b := Value{Samples: []float64{10, 0, 20, 5}, Rounds: []int{1, 2, 3, 4}}
	got := PairedRatio("speedup", a, b)
	assert.Equal(t, Value{Name: "speedup", Unit: "x", Source: "inside", Samples: []float64{2, 2}, Rounds: []int{1, 3}}, got,
		"round 2 (b is zero) and round 4 (a has none) are left out")

	b.Disturbed = []int{3, 4}
	assert.Equal(t, []int{3}, PairedRatio("speedup", a, b).Disturbed, "a round disturbed in either side is disturbed in the ratio")
}

func TestConfigValuesCompareByKindAndValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b any
		same bool
	}{
		{1000, 1000.0, true},
		{int64(1000), json.Number("1000"), true},
		{1000, "1000", false},
		{"list", "list", true},
		{true, "true", false},
		{nil, nil, true},
		{[]any{1.0, "a"}, []any{1.0, "a"}, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.same, SameValue(tt.a, tt.b), "%#v against %#v", tt.a, tt.b)
		assert.Equal(t, tt.same, SameValue(tt.b, tt.a), "%#v against %#v", tt.b, tt.a)
	}
	r := Record{Config: map[string]any{"connections": 1000.0, "mix": "list"}}
	assert.True(t, r.Matches(map[string]any{"connections": 1000}))
	assert.False(t, r.Matches(map[string]any{"connections": "1000"}))
	assert.True(t, Compatible(map[string]any{"mode": "generic", "bytes": 5}, map[string]any{"mode": "generic"}))
	assert.False(t, Compatible(map[string]any{"mode": "typed"}, map[string]any{"mode": "generic"}))
}
