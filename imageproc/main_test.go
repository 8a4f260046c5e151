package imageproc_test

import (
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
)

// sharedCache holds the sets more than one test reads, made once per run.
var sharedCache string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "imageproc-test-")
	if err != nil {
		panic(err)
	}
	sharedCache = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

var (
	badOnce sync.Once
	badDir  string
	badErr  error
)

// badInputs is the bad-input set, made once for the package's tests.
func badInputs(t *testing.T) (string, imageproc.BadManifest) {
	t.Helper()
	badOnce.Do(func() { badDir, badErr = imageproc.EnsureBadInputs(sharedCache) })
	require.NoError(t, badErr)
	m, err := imageproc.ReadBadManifest(badDir)
	require.NoError(t, err)
	return badDir, m
}
