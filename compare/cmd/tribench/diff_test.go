package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
)

func writeRun(t *testing.T, samples ...float64) string {
	t.Helper()
	dir := t.TempDir()
	w, err := results.Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(results.Record{Kind: results.KindRun, Profile: "full"}))
	require.NoError(t, w.Add(results.Record{Kind: results.KindResult, Stage: "cpu", Step: results.StepMeasure,
		Contender: &results.Contender{Name: "go-current"}, Config: map[string]any{"workers": 2},
		Values: []results.Value{{Name: "seconds", Unit: "s", Samples: samples}}}))
	require.NoError(t, w.Close())
	return dir
}

func TestDiffCommand(t *testing.T) {
	t.Parallel()
	old := writeRun(t, 1.0, 1.01, 0.99, 1.0, 1.02, 1.0)
	faster := writeRun(t, 0.5, 0.51, 0.49, 0.5, 0.52, 0.5)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"diff", old, faster}))
	assert.Contains(t, out.String(), "-50.00%")
	out.Reset()
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"diff", old, filepath.Join(old, results.FileName)}))
	assert.Contains(t, out.String(), " ~ ", "the same run twice: nothing changed")

	for _, args := range [][]string{{"diff", old}, {"diff", old, filepath.Join(t.TempDir(), "missing")}} {
		err := run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, args)
		var u usageError
		assert.True(t, errors.As(err, &u), "%v: %v", args, err)
	}
}
