package all_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/internal/repotest"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/stage"
	_ "github.com/tribench/tribench/compare/stages/all"
)

// Who is a stage's baseline, who gets every mix, who stands for a language:
// all of it is data (the manifests' baselines and roles, claims.json), so
// that adding or renaming a contender never means editing Go code. No string
// literal of the repository's non-test Go code is a declared contender's name.
func TestNoContenderNamedInCode(t *testing.T) {
	root := repoRoot(t)
	names := map[string]string{}
	for _, s := range stage.All() {
		f, err := stage.LoadManifest(root, s.Info())
		require.NoError(t, err)
		for _, c := range f.Contenders {
			names[c.Name] = s.Info().Workload
		}
	}
	require.NotEmpty(t, names)

	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata" || n == "results" || n == "bin" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			if s, err := strconv.Unquote(lit.Value); err == nil {
				if workload, named := names[s]; named {
					rel, _ := filepath.Rel(root, fset.Position(lit.Pos()).Filename)
					found = append(found, rel+":"+strconv.Itoa(fset.Position(lit.Pos()).Line)+": "+s+" (declared in "+workload+"/"+manifest.FileName+")")
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, found, "contenders named in code; declare the part they play in their manifest or claims.json")
}

func repoRoot(t *testing.T) string { return repotest.Root(t) }

// README's Layout names every package directly under compare/, so a reader
// finds each one there.
func TestReadmeLayoutNamesEveryPackage(t *testing.T) {
	root := repoRoot(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	_, layout, ok := strings.Cut(string(readme), "## Layout")
	require.True(t, ok, "README has a Layout section")
	layout, _, _ = strings.Cut(layout, "\n## ")
	entries, err := os.ReadDir(filepath.Join(root, "compare"))
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() {
			named := strings.Contains(layout, "`"+e.Name()+"`") || strings.Contains(layout, "`"+e.Name()+"/")
			assert.True(t, named, "README's Layout names compare/%s", e.Name())
		}
	}
}

// No file of the repository holds a merge's conflict markers.
func TestNoConflictMarkers(t *testing.T) {
	root := repoRoot(t)
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "results" || n == "bin" || n == "node_modules" || n == "target") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".md", ".json", ".py", ".kt", ".sh", ".tmpl", ".txt", ".xml", ".toml":
		default:
			if d.Name() != "Makefile" {
				return nil
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "<<<<<<< ") || strings.HasPrefix(line, ">>>>>>> ") {
				rel, _ := filepath.Rel(root, path)
				found = append(found, rel+":"+strconv.Itoa(i+1))
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, found, "conflict markers left by a merge")
}
