package manifest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var known = Commands{
	"serve":  {Placeholders: []string{"port"}, Outputs: []string{OutputServer}},
	"resize": {Placeholders: []string{"in", "out", "workers"}, Outputs: []string{OutputLine}},
	"check":  {Placeholders: []string{"dir"}, Outputs: []string{OutputLines}},
}

func TestCalibrationAndTCPReadinessValidate(t *testing.T) {
	t.Parallel()
	f, err := Load("testdata", FileName, known)
	require.NoError(t, err)
	require.Len(t, f.Contenders, 2)
	assert.Equal(t, Calibration, f.Contenders[1].Kind)
	assert.Equal(t, ReadyTCP, f.Contenders[1].Commands["serve"].Ready)
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	serve := map[string]Command{"serve": {Argv: []string{"x", "{{port}}"}}}
	f := File{Workload: "services", Contenders: []Contender{
		{Name: "ok", Language: "go", Kind: Canonical, Toolchain: "go", Commands: serve},
		{Name: "ok", Language: "go", Kind: Canonical, Toolchain: "go", Commands: serve}, // declared twice
		{Name: "Bad Name", Language: "rust", Kind: "fast"},                              // five problems
		{Name: "art", Language: "python", Kind: Article, Toolchain: "py", Commands: serve},
		{Name: "fb", Language: "python", Kind: Canonical, Toolchain: "py", Commands: serve, Fallback: "missing"},
		{Name: "roles", Language: "go", Kind: Canonical, Toolchain: "go", Commands: serve, Roles: []string{"claims", "star", "claims"}},
		{Name: "cmds", Language: "go", Kind: Canonical, Toolchain: "go", Requires: []string{"{{port}}/x"}, Commands: map[string]Command{
			"resize": {Argv: []string{"r", "--in", "{{in}}", "--port", "{{port}}"}, Output: OutputLines}, // port belongs to serve
			"serve":  {Argv: []string{"s", "{{port}}"}, Ready: "smoke-signals"},
			"frob":   {Argv: []string{"f"}},
			"check":  {Argv: []string{"c", "{{dir}}"}, Ready: ReadyTCP},
		}},
	}}
	err := f.Validate(t.TempDir(), known)
	require.Error(t, err)
	for _, want := range []string{
		`"ok": declared twice`,
		`"Bad Name": name must match`,
		`language "rust"`,
		`kind "fast"`,
		`"Bad Name": toolchain is required`,
		`"Bad Name": declares no commands`,
		`"art": an article entry needs a note`,
		`fallback_for names "missing"`,
		`contender "roles": role "star" is not one of claims, every-mix, wrk, reference`,
		`contender "roles": role "claims" named twice`,
		`contender "cmds": unknown placeholder {{port}} in "{{port}}/x"`,
		`contender "cmds", command "resize": unknown placeholder {{port}} in "{{port}}" (this command has {{repo}} {{cache}} {{bin}} {{cpus}} {{in}} {{out}} {{workers}})`,
		`contender "cmds", command "resize": output "lines" is not one of line`,
		`contender "cmds", command "serve": ready "smoke-signals" is not "http" or "tcp"`,
		`contender "cmds", command "frob": no stage uses this command (known: check, resize, serve)`,
		`contender "cmds", command "check": ready applies to servers only`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}

// A manifest that names as a stage's baseline a contender it does not
// declare is refused, naming the stage and the contender.
func TestBaselineMustBeDeclared(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, FileName), []byte(`{"workload": "imageproc", "baselines": {"resize": "pillow-9"},
		"contenders": [{"name": "pillow-10", "language": "python", "kind": "canonical", "toolchain": "py",
		"commands": {"resize": {"argv": ["r", "{{in}}"]}}}]}`), 0o644))
	_, err := Load(dir, FileName, known)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `baseline of stage "resize": "pillow-9" is not a declared contender (declared: pillow-10)`)

	f := File{Workload: "w", Baselines: map[string]string{"resize": "pillow-10"}, Contenders: []Contender{
		{Name: "pillow-10", Language: "python", Kind: Canonical, Toolchain: "py", Commands: map[string]Command{"resize": {Argv: []string{"r"}}}}}}
	require.NoError(t, f.Validate(t.TempDir(), known))
	assert.Equal(t, "pillow-10", f.Baseline("resize"))
	assert.Empty(t, f.Baseline("cpu"))
}

// Two contenders cannot both be the oracle of a user's own input.
func TestOneReference(t *testing.T) {
	t.Parallel()
	cmd := map[string]Command{"resize": {Argv: []string{"r"}}}
	f := File{Workload: "w", Contenders: []Contender{
		{Name: "a", Language: "go", Kind: Canonical, Toolchain: "go", Commands: cmd, Roles: []string{RoleReference}},
		{Name: "b", Language: "go", Kind: Canonical, Toolchain: "go", Commands: cmd, Roles: []string{RoleReference, RoleWrk}},
	}}
	err := f.Validate(t.TempDir(), known)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `role "reference" is played by a and b`)
	assert.Equal(t, []string{"b"}, f.WithRole(RoleWrk))
}

func TestLoadRejectsUnknownKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, FileName), []byte(`{"workload":"services","contenders":[],"extra":1}`), 0o644))
	_, err := Load(dir, FileName, known)
	assert.ErrorContains(t, err, "unknown field")
	_, err = Load(t.TempDir(), "missing.json", known)
	assert.ErrorContains(t, err, "read manifest")
}

// Sources expand under the root, each exclusion removing what the globs
// before it matched; a glob that
// matches nothing, or leaves the repository, is refused naming the contender.
func TestSources(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, f := range []string{"app/main.go", "app/store.go", "app/store_test.go", "app/sub/deep.go"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, filepath.Dir(f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, f), []byte("package app\n"), 0o644))
	}
	cmd := map[string]Command{"resize": {Argv: []string{"r"}}}
	tests := []struct {
		name    string
		sources []string
		want    []string
		errs    []string
	}{
		{name: "none declared", sources: nil, want: nil},
		{name: "globs and files", sources: []string{"app/*.go", "app/sub/deep.go"}, want: []string{"app/main.go", "app/store.go", "app/store_test.go", "app/sub/deep.go"}},
		{name: "an exclusion", sources: []string{"app/*.go", "!app/*_test.go"}, want: []string{"app/main.go", "app/store.go"}},
		{name: "a folder is no file", sources: []string{"app/sub"}, errs: []string{`contender "c": sources: "app/sub" matches no file`}},
		{name: "nothing matched", sources: []string{"app/*.go", "app/*.kt", "!app/*.py"},
			errs: []string{`"app/*.kt" matches no file under ` + root, `"!app/*.py" matches no file`}},
		{name: "outside the repository", sources: []string{"../x.go", "/etc/passwd"},
			errs: []string{`"../x.go" is not a slash-separated path inside the repository`, `"/etc/passwd" is not a slash-separated path`}},
		{name: "malformed", sources: []string{"app/[.go"}, errs: []string{`"app/[.go": syntax error in pattern`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := Contender{Name: "c", Language: "go", Kind: Canonical, Toolchain: "go", Commands: cmd, Sources: tt.sources}
			err := File{Workload: "w", Contenders: []Contender{c}}.Validate(root, known)
			files, ferr := c.SourceFiles(root)
			if len(tt.errs) == 0 {
				require.NoError(t, err)
				require.NoError(t, ferr)
				assert.Equal(t, tt.want, files)
				return
			}
			require.Error(t, err)
			assert.Error(t, ferr)
			for _, want := range tt.errs {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestVarsExpand(t *testing.T) {
	t.Parallel()
	v := Vars{"bin": "/b", "port": "8080", "cpus": "1"}
	assert.Equal(t, []string{"/b/userapi", "serve", "--port", "8080", "{{other}}"},
		v.ExpandAll([]string{"{{bin}}/userapi", "serve", "--port", "{{port}}", "{{other}}"}))
	assert.Equal(t, []string{"A=1", "GOMAXPROCS=1"}, v.Environ(map[string]string{"GOMAXPROCS": "{{cpus}}", "A": "1"}))
	assert.Equal(t, map[string]string{"threads": "1 loops"}, v.ExpandMap(map[string]string{"threads": "{{cpus}} loops"}))
	assert.Equal(t, "9090", v.With(Vars{"port": "9090"}).Expand("{{port}}"))
	assert.Equal(t, "8080", v["port"], "With copies")
	assert.Equal(t, []string{"in", "out"}, Unfilled("--in {{in}} --out {{out}}"))
	c := Contender{Requires: []string{"{{bin}}/definitely-missing"}}
	assert.Equal(t, "/b/definitely-missing", c.Missing(v))
}

func TestHas(t *testing.T) {
	t.Parallel()
	assert.True(t, Contender{Roles: []string{RoleClaims}}.HasRole(RoleClaims))
	assert.False(t, Contender{}.HasRole(RoleClaims))
}

func TestAnswers(t *testing.T) {
	t.Parallel()
	c := Contender{Commands: map[string]Command{"parse": {}, "check": {}}}
	assert.True(t, c.Answers("parse", "check"))
	assert.False(t, c.Answers("parse", "digest"))
}

func TestHasRole(t *testing.T) {
	t.Parallel()
	assert.True(t, Contender{Roles: []string{RoleClaims}}.HasRole(RoleClaims))
	assert.False(t, Contender{}.HasRole(RoleClaims))
}
