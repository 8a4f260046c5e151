package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProgressIsQuietWhenNotATerminal(t *testing.T) {
	t.Parallel()
	assert.Nil(t, newProgress(&bytes.Buffer{}, false), "a pipe or file gets no bar")
	assert.Nil(t, newProgress(&bytes.Buffer{}, true))
}

func TestProgressBarShowsTheStageAndWhatRuns(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	p := &barProgress{w: &b}
	p.Begin("resize", 2)
	p.Add(4)
	p.Step("go-1.23 round 1")
	p.Say("python-3.13: verifying")
	p.End()
	out := b.String()
	assert.Contains(t, out, "resize")
	assert.Contains(t, out, "(1/6)", "steps done of those expected, more added on the way")
	assert.Contains(t, out, "resize: done")
}
