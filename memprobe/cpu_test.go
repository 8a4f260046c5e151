package memprobe

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactSumSquares is (n-1)n(2n-1)/6 in arbitrary precision, reduced mod 2^64.
func exactSumSquares(n uint64) uint64 {
	if n == 0 {
		return 0
	}
	b := new(big.Int).SetUint64(n)
	s := new(big.Int).Sub(b, big.NewInt(1))
	s.Mul(s, b)
	s.Mul(s, new(big.Int).Sub(new(big.Int).Lsh(b, 1), big.NewInt(1)))
	s.Div(s, big.NewInt(6))
	return s.Uint64() // the low 64 bits: the sum mod 2^64
}

func TestSumSquares(t *testing.T) {
	t.Parallel()
	tests := []struct{ n, want uint64 }{
		{0, 0},
		{1, 0},
		{4, 0 + 1 + 4 + 9},
		{1000, 332_833_500},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, SumSquares(tt.n), "n=%d", tt.n)
	}
	// 10M as the article: the exact sum exceeds 2^64, so this checks the wrap.
	assert.Equal(t, exactSumSquares(10_000_000), SumSquares(10_000_000))
}

func TestRunCPU(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tasks   int
		n       uint64
		workers int
	}{
		{1, 1000, 1},
		{8, 100_000, 2},
		{3, 5000, 8}, // more workers than tasks: the idle ones add nothing
	}
	for _, tt := range tests {
		total, elapsed := RunCPU(tt.tasks, tt.n, tt.workers)
		assert.Equal(t, uint64(tt.tasks)*exactSumSquares(tt.n), total, "%+v", tt)
		assert.Positive(t, elapsed)
	}
}

func TestMeasureCPURepeat(t *testing.T) {
	t.Parallel()
	res, err := MeasureCPU(2, 1000, 2, 3)
	require.NoError(t, err)
	assert.Len(t, res.Seconds, 3)
	assert.Equal(t, 2*exactSumSquares(1000), res.Checksum)
	res, err = MeasureCPU(2, 1000, 2, 1)
	require.NoError(t, err)
	assert.IsType(t, 0.0, res.Seconds, "one repetition reports one number")
	_, err = MeasureCPU(2, 1000, 2, 0)
	assert.ErrorContains(t, err, "--repeat")
}

func TestCheckCPU(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tasks   int
		n       uint64
		workers int
		err     string
	}{
		{8, 10_000_000, 2, ""},
		{0, 10, 1, "--tasks"},
		{-3, 10, 1, "--tasks"},
		{MaxCPUTasks + 1, 10, 1, "--tasks"},
		{1, MaxCPUN + 1, 1, "--n"},
		{1, 10, 0, "--workers"},
		{1, 10, MaxCPUWorkers + 1, "--workers"},
	}
	for _, tt := range tests {
		err := CheckCPU(tt.tasks, tt.n, tt.workers)
		if tt.err == "" {
			assert.NoError(t, err)
			continue
		}
		assert.ErrorContains(t, err, tt.err, "%+v", tt)
	}
}
