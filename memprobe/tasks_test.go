package memprobe

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunTasks(t *testing.T) {
	t.Parallel()
	completed, elapsed := RunTasks(2000, 20*time.Millisecond)
	assert.Equal(t, int64(2000), completed)
	assert.GreaterOrEqual(t, elapsed, 20*time.Millisecond)
	completed, _ = RunTasks(0, time.Second)
	assert.Zero(t, completed)
}

func TestCheckTasks(t *testing.T) {
	t.Parallel()
	assert.NoError(t, CheckTasks(0))
	assert.NoError(t, CheckTasks(100_000))
	assert.ErrorContains(t, CheckTasks(-1), "--count")
	assert.ErrorContains(t, CheckTasks(MaxTasks+1), "--count")
}

func TestPeakRSS(t *testing.T) {
	t.Parallel()
	peak, err := PeakRSS()
	require.NoError(t, err)
	assert.Greater(t, peak, int64(1<<20), "a Go test binary holds more than 1 MiB")
}

func TestStatusKiB(t *testing.T) {
	t.Parallel()
	status := []byte("Name:\tprobe\nVmPeak:\t  10 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1024 kB\n")
	tests := []struct {
		status []byte
		field  string
		want   int64
		err    string
	}{
		{status, "VmHWM", 2048 * 1024, ""},
		{status, "VmRSS", 1024 * 1024, ""},
		{status, "VmSwap", 0, "no VmSwap line"},
		{[]byte("VmHWM:\t12 MB\n"), "VmHWM", 0, "malformed"},
		{[]byte("VmHWM:\tlots kB\n"), "VmHWM", 0, "parse VmHWM"},
	}
	for _, tt := range tests {
		got, err := statusKiB(tt.status, tt.field)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got)
	}
}
