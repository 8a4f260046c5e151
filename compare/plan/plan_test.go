package plan

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestForAndTotal(t *testing.T) {
	t.Parallel()
	p, err := For("resize", Quick)
	require.NoError(t, err)
	assert.Positive(t, p.Budget)
	_, err = For("resize", "huge")
	assert.ErrorContains(t, err, `unknown profile "huge" (smoke, quick, full)`)
	_, err = For("nope", Quick)
	assert.ErrorContains(t, err, `no plan for stage "nope"`)
	assert.Equal(t, Overhead[Quick], Total(Quick, nil))
	// The quick profile's whole run fits the 20 minutes `make compare` promises.
	assert.LessOrEqual(t, Total(Quick, []string{"http", "resize", "json", "mem", "cpu", "tasks", "build"}), 20*time.Minute)
}
