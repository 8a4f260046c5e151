package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/report"
	"github.com/tribench/tribench/compare/results"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if !bytes.Equal(want, got) {
		require.NoError(t, os.WriteFile(path+".got-stdout", got, 0o644))
		assert.Equal(t, string(want), string(got), "differs from %s (wrote .got-stdout; -update rewrites it)", path)
	}
}

func rec(contender string, config map[string]any, name, unit string, samples ...float64) results.Record {
	return results.Record{Kind: results.KindResult, Stage: "resize", Step: results.StepMeasure,
		Contender: &results.Contender{Name: contender}, Config: config, Values: []results.Value{{Name: name, Unit: unit, Samples: samples}}}
}

var one = map[string]any{"workers": 1}

func runs() (old, new []results.Record) {
	old = []results.Record{
		rec("go-1.23", one, "images_per_s", "img/s", 40, 41, 39, 40, 42, 40),
		rec("python-3.13", one, "images_per_s", "img/s", 30, 31, 29, 30, 30, 31),
		rec("kotlin-2.0", one, "images_per_s", "img/s", 35, 35.2, 35.1, 35, 35.3, 35.1),
		rec("go-current", one, "images_per_s", "img/s", 44, 45, 44),
	}
	new = []results.Record{
		rec("go-1.23", one, "images_per_s", "img/s", 52, 53, 51, 52, 54, 52),                // a real change
		rec("python-3.13", one, "images_per_s", "img/s", 31, 30, 30, 29, 31, 30),            // noise
		rec("kotlin-2.0", one, "images_per_s", "img/s", 36.4, 36.5, 36.6, 36.4, 36.7, 36.5), // significant, but under 5%
		rec("python-3.13t", one, "images_per_s", "img/s", 20, 21, 20),
	}
	return old, new
}

func TestCompare(t *testing.T) {
	t.Parallel()
	old, new := runs()
	res := Compare(old, new, Options{})
	byName := map[string]Row{}
	for _, r := range res.Rows {
		byName[r.Contender] = r
	}
	assert.InDelta(t, 0.05/3, byName["go-1.23"].Level, 1e-12, "three rows of images_per_s in resize in both runs")
	assert.True(t, byName["go-1.23"].Significant)
	assert.Equal(t, "+30.00%", byName["go-1.23"].Delta())
	assert.Equal(t, "~", byName["python-3.13"].Delta(), "noise is not a change")
	assert.Less(t, byName["kotlin-2.0"].P, byName["kotlin-2.0"].Level, "every round apart")
	assert.Equal(t, "~", byName["kotlin-2.0"].Delta(), "yet under the 5% minimum effect")
	assert.Equal(t, "old only", byName["go-current"].Delta())
	assert.Equal(t, "new only", byName["python-3.13t"].Delta())

	same := Compare(old, old, Options{})
	for _, r := range same.Rows {
		if r.In == "both" {
			assert.True(t, strings.HasPrefix(r.Delta(), "~"), "a run against itself changes nothing: %s", r.Delta())
		}
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	old, new := runs()
	var b bytes.Buffer
	require.NoError(t, report.WriteTableText(&b, Compare(old, new, Options{}).Table()))
	golden(t, "diff.txt", b.Bytes())
}

func TestTooFewRoundsIsSaid(t *testing.T) {
	t.Parallel()
	old := []results.Record{rec("go-1.23", one, "images_per_s", "img/s", 40), rec("go-1.23", map[string]any{"workers": 2}, "images_per_s", "img/s", 80)}
	new := []results.Record{rec("go-1.23", one, "images_per_s", "img/s", 60), rec("go-1.23", map[string]any{"workers": 2}, "images_per_s", "img/s", 120)}
	for _, r := range Compare(old, new, Options{}).Rows {
		assert.True(t, r.TooFew, "one round each can never be significant")
		assert.Equal(t, "~ (too few rounds)", r.Delta())
	}
}

func TestRangesDecideTooFewRounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		old, new []float64
		want     bool
		delta    string
	}{
		{"ranges apart, 20% slower", []float64{10, 10.2, 10.1}, []float64{12, 12.3, 12.1}, true, "+19.80%"},
		{"ranges overlap", []float64{10, 11, 12}, []float64{11.5, 12.5, 13}, false, "~"},
		{"ranges apart, under the minimum effect", []float64{10, 10.1, 10.2}, []float64{10.3, 10.4, 10.5}, false, "~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := []results.Record{rec("go-1.23", one, "seconds", "s", tt.old...)}
			new := []results.Record{rec("go-1.23", one, "seconds", "s", tt.new...)}
			row := Compare(old, new, Options{Ranges: true}).Rows[0]
			assert.True(t, row.TooFew)
			assert.Equal(t, TestRanges, row.Test)
			assert.Equal(t, tt.want, row.Significant)
			assert.Equal(t, tt.delta, row.Delta())
			single := Compare([]results.Record{rec("go-1.23", one, "seconds", "s", tt.old[0])}, new, Options{Ranges: true}).Rows[0]
			assert.False(t, single.Significant, "one round has no range")
			assert.Equal(t, "~ (too few rounds)", single.Delta())
			without := Compare(old, new, Options{}).Rows[0]
			assert.False(t, without.Significant, "the U test alone cannot decide 3 against 3")
			assert.Equal(t, TestU, without.Test)
		})
	}
}
