package all_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

// Every contender of every stage declares its own sources (the report sizes
// them beside its speed), and none of them is a test: a test is no code the
// language needed for the workload.
func TestEveryContenderDeclaresItsSources(t *testing.T) {
	root := repoRoot(t)
	for _, s := range stage.All() {
		f, err := stage.LoadManifest(root, s.Info())
		require.NoError(t, err)
		for _, c := range f.Contenders {
			files, err := c.SourceFiles(root)
			require.NoError(t, err, c.Name)
			assert.NotEmpty(t, files, "%s: %s declares no sources", s.Info().Workload, c.Name)
			for _, file := range files {
				isTest := strings.HasSuffix(file, "_test.go") || strings.Contains(file, "/tests/") || strings.Contains(file, "/src/test/")
				assert.False(t, isTest, "%s: %s counts the test %s", s.Info().Workload, c.Name, file)
			}
			vs, err := stage.SourceValues(root, c)
			require.NoError(t, err, c.Name)
			require.Len(t, vs, 3, c.Name)
			for _, v := range vs {
				assert.Positive(t, v.Samples[0], "%s: %s", c.Name, v.Name)
				assert.Equal(t, "outside", v.Source)
			}
			assert.Equal(t, results.SourceFiles, vs[0].Name)
			assert.Equal(t, float64(len(files)), vs[0].Samples[0], c.Name)
		}
	}
}
