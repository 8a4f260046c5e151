package manifest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func TestRepositoryManifestsAreValid(t *testing.T) {
	t.Parallel()
	files, err := Discover(repoRoot(t))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	_, c, ok := Find(files, "go-1.23")
	require.True(t, ok, "the Go baseline contender is declared")
	assert.Equal(t, Canonical, c.Variant)
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	f := File{Workload: "services", Contenders: []Contender{
		{Name: "ok", Language: "go", Variant: Canonical, Toolchain: "go", Run: []string{"x"}},
		{Name: "ok", Language: "go", Variant: Canonical, Toolchain: "go", Run: []string{"x"}}, // declared twice
		{Name: "Bad Name", Language: "rust", Variant: "fast", Run: nil},                       // four problems
		{Name: "art", Language: "python", Variant: Article, Toolchain: "py", Run: []string{"{{nope}}"}},
		{Name: "fb", Language: "python", Variant: Canonical, Toolchain: "py", Run: []string{"x"}, Fallback: "missing"},
	}}
	err := f.Validate()
	require.Error(t, err)
	for _, want := range []string{
		`"ok": declared twice`,
		`"Bad Name": name must match`,
		`language "rust"`,
		`variant "fast"`,
		`"Bad Name": toolchain is required`,
		`"Bad Name": run is required`,
		`"art": an article variant needs a note`,
		`unknown placeholder {{nope}}`,
		`fallback_for names "missing"`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestLoadRejectsUnknownKeys(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), FileName)
	require.NoError(t, os.WriteFile(path, []byte(`{"workload":"services","contenders":[],"extra":1}`), 0o644))
	_, err := Load(path)
	assert.ErrorContains(t, err, "unknown field")
}

func TestVarsExpand(t *testing.T) {
	t.Parallel()
	v := Vars{"bin": "/b", "port": "8080", "cpus": "1"}
	assert.Equal(t, []string{"/b/userapi", "serve", "--port", "8080", "{{other}}"},
		v.ExpandAll([]string{"{{bin}}/userapi", "serve", "--port", "{{port}}", "{{other}}"}))
	assert.Equal(t, []string{"A=1", "GOMAXPROCS=1"}, v.Environ(map[string]string{"GOMAXPROCS": "{{cpus}}", "A": "1"}))
	c := Contender{Requires: []string{"{{bin}}/definitely-missing"}}
	assert.Equal(t, "/b/definitely-missing", c.Missing(v))
}
