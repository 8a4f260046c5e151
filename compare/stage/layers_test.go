package stage

import (
	"go/build"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The stage core runs stages and writes records; what the records mean to
// the article and how they read in a report is composed above it
// (compare/compose), so neither can grow back into the core.
func TestTheCoreKnowsNothingOfTheReport(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	require.NoError(t, err)
	for _, above := range []string{"report", "article", "claims", "compose", "verdict"} {
		assert.NotContains(t, pkg.Imports, "github.com/tribench/tribench/compare/"+above)
	}
}
