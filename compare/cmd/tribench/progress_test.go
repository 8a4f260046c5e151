package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProgressWithoutATerminalIsLines(t *testing.T) {
	t.Parallel()
	assert.IsType(t, &lineProgress{}, newProgress(&bytes.Buffer{}, false), "a pipe or file gets a line per step")
	assert.Nil(t, newProgress(&bytes.Buffer{}, true), "--quiet shows nothing")
}

// fakeClock moves by step each time it is read.
type fakeClock struct {
	at   time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.at = c.at.Add(c.step); return c.at }

// The lines a CI log gets from a stage, for the calls the stage driver and
// its loop make in their order, on a clock that moves 5 s a reading.
func TestProgressLinesGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	clock := &fakeClock{at: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC), step: 5 * time.Second}
	p := &lineProgress{w: &b, now: clock.now}
	p.Begin("resize", 2, 150*time.Second)
	p.Say("go-1.23: building")
	p.Step("go-1.23 verified: measured next")
	p.Step("python-3.13 not measured (see its verify record)")
	p.Add(2)
	p.Step("go-1.23 N=1 round 1")
	p.Step("go-1.23 N=2 round 1")
	p.End()
	golden := filepath.Join("testdata", "golden", "progress.txt")
	if *update {
		require.NoError(t, os.WriteFile(golden, b.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), b.String())
}

func TestProgressBarShowsTheStageAndWhatRuns(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	p := &barProgress{w: &b}
	p.Begin("resize", 2, time.Minute)
	p.Add(4)
	p.Step("go-1.23 round 1")
	p.Say("python-3.13: verifying")
	p.End()
	out := b.String()
	assert.Contains(t, out, "resize")
	assert.Contains(t, out, "(1/6)", "steps done of those expected, more added on the way")
	assert.Contains(t, out, "resize: done")
}
