package results

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/conform"
)

func TestWriteThenRead(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "run")
	w, err := Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(Record{Kind: KindRun, Profile: "smoke"}))
	require.NoError(t, w.Add(Record{Kind: KindConformance, Contender: "go-1.23", Status: StatusOK,
		Conform: &conform.Report{Passed: 3, Checks: []conform.Check{{Name: "a", Pass: true}}}}))
	require.NoError(t, w.Close())

	recs, err := Read(filepath.Join(dir, FileName))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "smoke", recs[0].Profile)
	assert.False(t, recs[0].Time.IsZero())
	assert.Equal(t, 3, recs[1].Conform.Passed)

	_, err = Create(dir)
	assert.Error(t, err, "an existing results file is never overwritten")
}

func TestDecodeReportsTheBrokenLine(t *testing.T) {
	t.Parallel()
	recs, err := Decode(strings.NewReader("{\"kind\":\"run\"}\n{\"kind\":\"confor"))
	assert.ErrorContains(t, err, "results line 2")
	assert.Len(t, recs, 1, "records before the damage are kept")
	_, err = Decode(strings.NewReader(""))
	assert.ErrorContains(t, err, "no records")
}
