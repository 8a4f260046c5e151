package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
)

// A repository whose "compiler" copies the edited file and counts its lines,
// so the test sees each build really ran on the edited source copy.
const manifestJSON = `{"workload": "services", "contenders": [
  {"name": "go-current", "language": "go", "kind": "canonical", "toolchain": "sh",
   "build_env": {"BUILT_BY": "the test"},
   "commands": {"compile": {"argv": ["sh", "-c", "test \"$BUILT_BY\" = 'the test' && test \"$GOPROXY\" = off && wc -l < {{src}}/services/server.go >> {{out}}/lines"],
                            "edit": "services/server.go"}}},
  {"name": "kotlin-2.0", "language": "kotlin", "kind": "canonical", "toolchain": "sh",
   "commands": {"compile": {"argv": ["sh", "-c", "echo 'error: unresolved reference' >&2; exit 1"],
                            "edit": "services/server.go"}}},
  {"name": "kotlin-current", "language": "kotlin", "kind": "canonical", "toolchain": "sh",
   "commands": {"compile": {"argv": ["sh", "-c", "test -f {{src}}/services/target/kotlin-current/classes.marker && test $(wc -l < {{src}}/services/server.go) -ge 3"],
                            "edit": "services/server.go", "prime": "services/target/kotlin-current"}}}]}`

func fakeRepo(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for path, content := range map[string]string{
		"services/contenders.json":                      manifestJSON,
		"services/server.go":                            "package services\n",
		"services/target/kotlin-current/classes.marker": "make setup's build",
		"bin/contenders/stale-binary":                   "not copied",
		"results/20260101/results.txt":                  "not copied",
		".git/HEAD":                                     "not copied",
	} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(root, path)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, path), []byte(content), 0o644))
	}
	return root
}

// Not parallel: it checks that no workspace outlives the stage.
func TestColdThenWarmBuildsInASourceCopy(t *testing.T) {
	root := fakeRepo(t)
	before := workspaces(t)
	dir := filepath.Join(t.TempDir(), "run")
	s := &Stage{}
	err := stage.Execute(context.Background(), stage.Options{Root: root, Cache: t.TempDir(), Profile: "quick",
		Stages: []stage.Stage{s}, ResultsDir: dir, Stdout: &bytes.Buffer{}, Exec: runner.OS{}})
	require.NoError(t, err)
	recs, err := results.Read(filepath.Join(dir, results.FileName))
	require.NoError(t, err)

	var verify, cold, warm []results.Record
	for _, r := range recs {
		switch {
		case r.Step == results.StepVerify:
			verify = append(verify, r)
		case r.Step == results.StepMeasure && r.Config["kind"] == Cold:
			cold = append(cold, r)
		case r.Step == results.StepMeasure && r.Config["kind"] == Warm:
			warm = append(warm, r)
		}
	}
	require.Len(t, verify, 3)
	assert.True(t, verify[0].Passed(), "go-current builds: %+v", verify[0].Checks)
	assert.Equal(t, "cold build", verify[0].Checks[0].Name)
	assert.False(t, verify[1].Passed(), "a compiler error fails the build's oracle")
	assert.Contains(t, verify[1].Checks[0].Detail, "unresolved reference")
	assert.True(t, verify[2].Passed(), "kotlin-current starts from the outputs it names: %+v", verify[2].Checks)
	assert.Equal(t, "warm build", verify[2].Checks[0].Name, "primed: its first build is a warm one")
	require.Len(t, cold, 1, "quick: the verify step's cold build of the contender that built cold")
	assert.Equal(t, "go-current", cold[0].ContenderName())
	require.Len(t, warm, 3, "the failing contender is measured too, never ranked")
	wall, ok := warm[0].Value("wall")
	require.True(t, ok)
	assert.Len(t, wall.Samples, 1)
	_, ok = warm[1].Value("wall")
	assert.False(t, ok, "its warm round failed again: no figure")

	assert.Equal(t, before, workspaces(t), "workspaces are removed after the stage")
	orig, err := os.ReadFile(filepath.Join(root, "services", "server.go"))
	require.NoError(t, err)
	assert.Equal(t, "package services\n", string(orig), "the repository's own sources are never edited")
}

func TestWorkspaceCopiesSourcesOnlyAndEditsOneLineAtATime(t *testing.T) {
	root := fakeRepo(t)
	decl := stage.Resolve(mustDecl(t, root), "services", root, t.TempDir(), t.TempDir(), []int{0})
	ws, err := newWorkspace(root, decl)
	require.NoError(t, err)
	defer os.RemoveAll(ws.dir)
	for _, gone := range []string{"bin", "results", ".git"} {
		_, err := os.Stat(filepath.Join(ws.src, gone))
		assert.True(t, os.IsNotExist(err), "%s is not copied", gone)
	}
	require.NoError(t, ws.edit())
	require.NoError(t, ws.edit())
	b, err := os.ReadFile(ws.editFile)
	require.NoError(t, err)
	assert.Equal(t, "package services\n\n// tribench build stage: warm rebuild 1\n\n// tribench build stage: warm rebuild 2\n", string(b))
}

func workspaces(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(os.TempDir(), "tribench-build-*"))
	require.NoError(t, err)
	return dirs
}

func mustDecl(t *testing.T, root string) manifest.Contender {
	t.Helper()
	f, err := manifest.Load(root, manifest.Path("services"), (&Stage{}).Info().Commands)
	require.NoError(t, err)
	return f.Contenders[0]
}
