package load

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func wrkSample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// The samples are real wrk 4.1.0 outputs recorded on this machine.
func TestParseWrk(t *testing.T) {
	t.Parallel()
	r, err := ParseWrk(wrkSample(t, "wrk-64.txt"))
	require.NoError(t, err)
	assert.Equal(t, 89642.19, r.RPS)
	assert.Equal(t, int64(179414), r.Requests)
	assert.Equal(t, 2.0, r.DurationSeconds)
	assert.InDelta(t, 0.706, r.LatencyMS["p50"], 1e-9)
	assert.InDelta(t, 1.24, r.LatencyMS["p90"], 1e-9)
	assert.InDelta(t, 1.50, r.LatencyMS["p99"], 1e-9)
	assert.InDelta(t, 4.15, r.LatencyMS["max"], 1e-9)
	assert.InDelta(t, 19.75*(1<<20), r.BytesPerS, 1)
	assert.Zero(t, r.ErrorCount())

	r, err = ParseWrk(wrkSample(t, "wrk-404.txt"))
	require.NoError(t, err)
	assert.Equal(t, int64(102340), r.Errors[ErrStatus], "non-2xx answers are status errors")

	r, err = ParseWrk(wrkSample(t, "wrk-socket-errors.txt"))
	require.NoError(t, err)
	assert.Equal(t, int64(21021), r.Errors[ErrReset], "read errors are resets")
	assert.Zero(t, r.RPS)

	_, err = ParseWrk(wrkSample(t, "wrk-refused.txt"))
	assert.ErrorContains(t, err, "unable to connect to 127.0.0.1:18081: Connection refused")
	_, err = ParseWrk("Segmentation fault")
	assert.ErrorContains(t, err, "no Requests/sec line")
}

func TestWrkArgs(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"wrk", "-t1", "-c1000", "-d5s", "--latency", "--timeout", "10s", "http://h/users?limit=15"},
		WrkArgs("http://h/users?limit=15", 1000, 5e9))
}
