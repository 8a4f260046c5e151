package memprobe

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMeasureInsideMatchesArithmetic is not parallel: the measurement reads the
// whole process's heap, so no other test may allocate meanwhile.
func TestMeasureInsideMatchesArithmetic(t *testing.T) {
	counts := []int{0, 1, 3, 1000, 100_000}
	for _, shape := range Shapes {
		for _, n := range counts {
			res, err := MeasureInside(shape, n)
			require.NoError(t, err)
			assert.Equal(t, ExpectedBytes(shape, n), *res.BytesTotal, "%s N=%d builds %v", shape, n, res.Detail.Builds)
			assert.Equal(t, "inside", res.Method)
			assert.Equal(t, n, res.Count)
		}
	}
}

func TestMeasureInsideStructsPerObject(t *testing.T) {
	res, err := MeasureInside(Structs, 100_000)
	require.NoError(t, err)
	// 40-byte struct + 16-byte tiny block for the name + 24-byte class for the
	// email; the slice's 4,000,000 bytes round up to 489 pages, whose last
	// 5,888 bytes are shared out over the 100,000 users.
	assert.InDelta(t, 80.05888, *res.BytesPerObject, 1e-9)
}

func TestHoldOutside(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 3} {
		var out bytes.Buffer
		res, err := HoldOutside(Pointers, n, strings.NewReader("anything until EOF"), &out)
		require.NoError(t, err)
		assert.Equal(t, "ready\n", out.String())
		assert.Equal(t, "outside", res.Method)
		assert.Nil(t, res.BytesTotal, "the outside figure is the harness's")
		pop, err := Build(Structs, n)
		require.NoError(t, err)
		assert.Equal(t, Checksum(pop), res.Checksum)
	}
}

func TestCountsRefused(t *testing.T) {
	t.Parallel()
	for _, n := range []int{-1, MaxCount + 1} {
		_, err := MeasureInside(Structs, n)
		assert.ErrorContains(t, err, "--count must be in 0..", "N=%d", n)
		_, err = HoldOutside(Structs, n, strings.NewReader(""), &bytes.Buffer{})
		assert.ErrorContains(t, err, "--count must be in 0..", "N=%d", n)
	}
}
