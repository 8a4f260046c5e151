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

// newProgress returns a progress bar on stderr when it is a terminal, a
// line per step when it is a pipe or a file (a CI log), and nil (nothing
// shown) when quiet.
func newProgress(stderr io.Writer, quiet bool) stage.Progress {
	switch {
	case quiet:
		return nil
	case !isTerminal(stderr):
		return &lineProgress{w: stderr, now: time.Now}
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

func (p *barProgress) Begin(stage string, total int, _ time.Duration) {
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

// lineProgress writes a line when each stage starts and ends (its elapsed
// time and what is left of its budget) and a line per step: a contender
// verified, a round measured. What runs between steps (Say) is a bar's
// detail, left out of a log.
type lineProgress struct {
	w   io.Writer
	now func() time.Time

	mu          sync.Mutex
	stage       string
	begun       time.Time
	budget      time.Duration
	done, total int
}

var _ stage.Progress = (*lineProgress)(nil)

func (p *lineProgress) Begin(stage string, total int, budget time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage, p.begun, p.budget, p.done, p.total = stage, p.now(), budget, 0, total
	fmt.Fprintf(p.w, "%s: started, budget %s\n", stage, budget.Round(time.Second))
}

func (p *lineProgress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total += n
}

func (p *lineProgress) Step(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	fmt.Fprintf(p.w, "%s: [%d/%d, %s] %s\n", p.stage, p.done, p.total, p.now().Sub(p.begun).Round(time.Second), what)
}

func (p *lineProgress) Say(string) {}

func (p *lineProgress) End() {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := p.now().Sub(p.begun)
	left := p.budget - elapsed
	if left < 0 {
		left = 0
	}
	fmt.Fprintf(p.w, "%s: done in %s, %s of its budget left\n", p.stage, elapsed.Round(time.Second), left.Round(time.Second))
}
