package cases

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmbeddedCasesLoad(t *testing.T) {
	t.Parallel()
	all, err := Load()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(all), 60)
	for _, c := range all {
		assert.NotEmpty(t, c.File, c.Name)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a.json": {Data: []byte(`[
			{"name": "dup", "rule": "r", "steps": [{"request": {"method": "GET", "path": "/x"}, "expect": {"status": 200}}]},
			{"name": "dup", "rule": "r", "steps": [{"request": {"method": "GET", "path": "/x"}, "expect": {"status": 200}}]},
			{"name": "no-steps", "rule": "r", "steps": []},
			{"name": "bad-status", "rule": "r", "steps": [{"request": {"method": "GET", "path": "/x"}, "expect": {"status": 0}}]},
			{"name": "bad-path", "rule": "r", "steps": [{"request": {"method": "GET", "path": "x"}, "expect": {"status": 200}}]},
			{"name": "two-bodies", "rule": "r", "steps": [{"request": {"method": "POST", "path": "/x", "body": "a", "body_json": 1}, "expect": {"status": 200}}]},
			{"name": "pad-without-marker", "rule": "r", "steps": [{"request": {"method": "POST", "path": "/x", "body": "a", "pad_to": 10}, "expect": {"status": 200}}]},
			{"name": "unknown-matcher", "rule": "r", "steps": [{"request": {"method": "GET", "path": "/x"}, "expect": {"status": 200, "body": {"$float": {}}}}]}
		]`)},
		"b.json": {Data: []byte(`[{"name": "x", "rule": "r", "steps": [], "typo": 1}]`)},
	}
	_, err := LoadFS(fsys)
	require.Error(t, err)
	for _, want := range []string{`"dup" already defined`, `"no-steps": no steps`, `expect.status 0`,
		`path starting with /`, `at most one of body`, `pad_to needs a body`, `unknown matcher $float`, `b.json: json: unknown field "typo"`} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestMatchers(t *testing.T) {
	t.Parallel()
	e := &env{vars: map[string]string{"run": "r1", "id": "7"}, minUnix: 100, maxUnixTime: 200}
	tests := []struct {
		name, matcher, got string
		wantErr            string // "" means a match
	}{
		{"exact object", `{"id": 1, "name": "A"}`, `{"id": 1, "name": "A"}`, ""},
		{"missing key", `{"id": 1, "name": "A"}`, `{"id": 1}`, `missing key "name"`},
		{"extra key", `{"id": 1}`, `{"id": 1, "x": 2}`, `unexpected key "x"`},
		{"placeholder in string", `{"email": "a-{{run}}@x.io"}`, `{"email": "a-r1@x.io"}`, ""},
		{"int range", `{"$int": {"min": 3}}`, `3`, ""},
		{"int below range", `{"$int": {"min": 3}}`, `2`, "an integer >= 3"},
		{"a float is not an int", `{"$int": {}}`, `3.0`, "an integer"},
		{"captured var", `{"$var": "id"}`, `7`, ""},
		{"wrong captured var", `{"$var": "id"}`, `8`, "7 (captured id)"},
		{"number", `{"$number": {"min": 0}}`, `0.25`, ""},
		{"negative number", `{"$number": {"min": 0}}`, `-1`, "a number >= 0"},
		{"non-empty string", `{"$string": {"nonempty": true}}`, `""`, "a non-empty string"},
		{"timestamp in window", `{"$timestamp": {}}`, `150`, ""},
		{"epoch millis is not a timestamp", `{"$timestamp": {}}`, `150000`, "integer Unix seconds"},
		{"array shape", `{"$array": {"len": 2, "prefix": [{"id": 1}], "ascending": "id"}}`, `[{"id": 1}, {"id": 3}]`, ""},
		{"array too long", `{"$array": {"max_len": 1}}`, `[1, 2]`, "at most 1 elements"},
		{"array not ascending", `{"$array": {"ascending": "id"}}`, `[{"id": 3}, {"id": 3}]`, "not greater"},
		{"literal array length", `[1, 2]`, `[1]`, "an array of 2 elements"},
		{"null literal", `null`, `false`, "expected null"},
	}
	for _, tt := range tests {
		m, err := compileMatcher(json.RawMessage(tt.matcher))
		require.NoError(t, err, tt.name)
		got, err := decodeJSON([]byte(tt.got))
		require.NoError(t, err, tt.name)
		err = m.match("", got, e)
		if tt.wantErr == "" {
			assert.NoError(t, err, tt.name)
		} else if assert.Error(t, err, tt.name) {
			assert.Contains(t, err.Error(), tt.wantErr, tt.name)
		}
	}
}

func TestRequestBody(t *testing.T) {
	t.Parallel()
	body := `{"a": "{{run}}"}{{pad}}`
	r := Request{Body: &body, PadTo: 64}
	b, err := r.body(map[string]string{"run": "tok"})
	require.NoError(t, err)
	assert.Len(t, b, 64)
	assert.True(t, strings.HasPrefix(string(b), `{"a": "tok"}  `))

	r = Request{BodyJSON: json.RawMessage("{ \"a\" : [1, 2] }")}
	b, err = r.body(nil)
	require.NoError(t, err)
	assert.Equal(t, `{"a":[1,2]}`, string(b))

	short := `{{pad}}` + strings.Repeat("x", 10)
	_, err = Request{Body: &short, PadTo: 5}.body(nil)
	assert.ErrorContains(t, err, "longer than pad_to")

	unknown := `{{nope}}`
	_, err = Request{Body: &unknown}.body(nil)
	assert.ErrorContains(t, err, "{{nope}} has no value")
}

func TestDecodeJSONRejectsTrailingDataAndBadUTF8(t *testing.T) {
	t.Parallel()
	_, err := decodeJSON([]byte(`{} {}`))
	assert.ErrorContains(t, err, "trailing data")
	_, err = decodeJSON([]byte("\"\xff\""))
	assert.ErrorContains(t, err, "invalid UTF-8")
}
