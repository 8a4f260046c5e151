package jsonbench

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAppendNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0e0"},
		{math.Copysign(0, -1), "0e0"},
		{1, "1e0"},
		{100, "1e2"},
		{-1200, "-12e2"},
		{0.5, "5e-1"},
		{1.5, "15e-1"},
		{0.1, "1000000000000000055511151231257827021181583404541015625e-55"},
		{1 << 53, "9007199254740992e0"},
		{1 << 64, "18446744073709551616e0"},
		{1e22, "1e22"},
		{1e23, "99999999999999991611392e0"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
		{math.NaN(), "nan"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(AppendNumber(nil, tt.v)), "%v", tt.v)
	}
	sub := string(AppendNumber(nil, math.SmallestNonzeroFloat64))
	assert.True(t, strings.HasPrefix(sub, "4940656458412465441765687928682213723650598026143247"), sub)
	assert.True(t, strings.HasSuffix(sub, "e-1074"), sub)
}

func TestAppendIntegerMatchesAppendNumber(t *testing.T) {
	t.Parallel()
	for _, n := range []int64{0, 1, -1, 10, 1200, -(1 << 53), 1 << 53, 1<<53 + 1, -(1<<53 + 1), math.MaxInt64, math.MinInt64} {
		assert.Equal(t, string(AppendNumber(nil, float64(n))), string(AppendInteger(nil, n)), "%d", n)
	}
	assert.Equal(t, "9007199254740992e0", string(AppendInteger(nil, 1<<53+1)), "beyond 2^53 an integer is its float64")
}
