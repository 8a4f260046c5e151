package probecheck

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCPUReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tasks int
		n     uint64
		want  uint64
	}{
		{1, 0, 0},
		{1, 1, 0},
		{1, 4, 14},
		{4, 1000, 4 * 332_833_500},
		// 8 × Σ i² below 10M is about 2.7e21: the total wraps modulo 2^64
		// (python3 -c "print(8*sum(i*i for i in range(10**7)) % 2**64)").
		{8, 10_000_000, 10335120052504567296},
		{1, 10_000_000, 1291890006563070912},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, CPUReference(tt.tasks, tt.n), "%d tasks n %d", tt.tasks, tt.n)
	}
}

func TestCheckCPU(t *testing.T) {
	t.Parallel()
	good, bad := uint64(14), uint64(15)
	assert.True(t, CheckCPU(CPULine{Tasks: 1, N: 4, Checksum: &good}).Pass)
	c := CheckCPU(CPULine{Tasks: 1, N: 4, Checksum: &bad})
	assert.False(t, c.Pass)
	assert.Contains(t, c.Detail, "total 15, want 14")
	assert.False(t, CheckCPU(CPULine{Tasks: 1, N: 4}).Pass)
}

func TestCheckChecksum(t *testing.T) {
	t.Parallel()
	// printf '1\tuser-000001\tuser-000001@example.com\n2\t...\n3\t...\n' | sha256sum
	ok := ProbeLine{Count: 3, Shape: "dict", Checksum: "750aff4bd156e1d566bb23dc3e4d0d9a5909e2b58cbc33b0b75a6f02641e1a92"}
	assert.True(t, CheckChecksum(ok).Pass)
	wrong := ok
	wrong.Count = 4
	c := CheckChecksum(wrong)
	assert.False(t, c.Pass)
	assert.Contains(t, c.Detail, "dict built other users")
	assert.False(t, CheckChecksum(ProbeLine{Count: -1}).Pass)
}

func TestCheckTasks(t *testing.T) {
	t.Parallel()
	assert.True(t, CheckTasks(TasksLine{Count: 10, Completed: 10}, 10).Pass)
	assert.False(t, CheckTasks(TasksLine{Count: 10, Completed: 9}, 10).Pass)
	assert.False(t, CheckTasks(TasksLine{Count: 9, Completed: 9}, 10).Pass)
}

func TestCheckBand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		inside, outside float64
		pass            bool
	}{
		{80, 82.8, true},
		{212, 233, true},    // -9.0%
		{148, 182.7, false}, // -19.0%
		{115, 100, true},    // exactly +15%
		{0, 100, false},
		{100, 0, false},
	}
	for _, tt := range tests {
		c := CheckBand(tt.inside, tt.outside, DefaultBand)
		assert.Equal(t, tt.pass, c.Pass, c.Detail)
	}
}

func TestParseLines(t *testing.T) {
	t.Parallel()
	p, err := ParseProbe([]byte(`{"runtime":"go1.23.12","count":3,"shape":"structs","method":"inside","bytes_total":248,"bytes_per_object":82.7,"checksum":"750aff4bd156e1d566bb23dc3e4d0d9a5909e2b58cbc33b0b75a6f02641e1a92","detail":{"x":1}}`))
	require.NoError(t, err)
	assert.Equal(t, 248.0, *p.BytesTotal)

	_, err = ParseProbe([]byte(`{"runtime":"x","count":3,"method":"inside","checksum":"abc"}`))
	assert.ErrorContains(t, err, "not a hex SHA-256")
	assert.ErrorContains(t, err, `needs "bytes_total"`)
	_, err = ParseProbe([]byte(`{"count":0,"method":"both","checksum":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}`))
	assert.ErrorContains(t, err, `no "runtime"`)
	assert.ErrorContains(t, err, `method "both"`)
	_, err = ParseProbe([]byte(`ready`))
	assert.ErrorContains(t, err, "result line")

	c, err := ParseCPU([]byte(`{"runtime":"CPython 3.13.5","tasks":8,"n":10000000,"workers":2,"seconds":[1.5,1.25],"checksum":10335120052504567296}`))
	require.NoError(t, err)
	assert.Equal(t, Seconds{1.5, 1.25}, c.Seconds)
	assert.Equal(t, uint64(10335120052504567296), *c.Checksum, "a checksum above 2^63 survives decoding")
	c, err = ParseCPU([]byte(`{"runtime":"x","tasks":1,"n":1,"workers":1,"seconds":0.5,"checksum":0}`))
	require.NoError(t, err)
	assert.Equal(t, Seconds{0.5}, c.Seconds)
	_, err = ParseCPU([]byte(`{"runtime":"x","tasks":1}`))
	assert.ErrorContains(t, err, `no "checksum"`)

	tl, err := ParseTasks([]byte(`{"runtime":"go1.26.8","count":5,"seconds":1.01,"peak_rss_bytes":1000,"completed":5}`))
	require.NoError(t, err)
	assert.True(t, CheckTasks(tl, 5).Pass)
	_, err = ParseTasks([]byte(`{}`))
	assert.Error(t, err)
}
