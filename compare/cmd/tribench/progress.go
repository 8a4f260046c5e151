package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/tribench/tribench/compare/stage"
)

// barProgress shows one progress bar per stage on a terminal: steps done of
// those expected, elapsed time, and what runs now.
type barProgress struct {
	w io.Writer
	// throttle is the least time between two renderings.
	throttle time.Duration
	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	stage    string
}

var _ stage.Progress = (*barProgress)(nil)

// newProgress returns a progress bar on stderr when it is a terminal and
// quiet is off, and nil (nothing shown) otherwise.
func newProgress(stderr io.Writer, quiet bool) stage.Progress {
	if quiet || !isTerminal(stderr) {
		return nil
	}
	return &barProgress{w: stderr, throttle: 100 * time.Millisecond}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *barProgress) Begin(stage string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage = stage
	p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(stage),
		progressbar.OptionShowCount(), progressbar.OptionSetElapsedTime(true), progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetWidth(24), progressbar.OptionThrottle(p.throttle),
		progressbar.OptionShowDescriptionAtLineEnd(), progressbar.OptionClearOnFinish())
	_ = p.bar.RenderBlank()
}

func (p *barProgress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.AddMax(n)
	}
}

func (p *barProgress) Step(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Describe(p.stage + ": " + what)
		_ = p.bar.Add(1)
	}
}

func (p *barProgress) Say(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Describe(p.stage + ": " + what)
	}
}

func (p *barProgress) End() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintf(p.w, "%s: done\n", p.stage)
		p.bar = nil
	}
}
