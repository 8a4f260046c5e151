package stage

import "time"

// A Progress shows a run's progress: what runs now and how much is left. The
// CLI gives a progress bar on a terminal and a line per step otherwise.
type Progress interface {
	// Begin starts a stage expecting total steps (more may be added),
	// within its time budget.
	Begin(stage string, total int, budget time.Duration)
	// Add expects n more steps of the current stage.
	Add(n int)
	// Step marks one step done and says what runs next.
	Step(what string)
	// Say shows what runs now without finishing a step.
	Say(what string)
	// End finishes the current stage.
	End()
}

// quiet is the Progress that shows nothing.
type quiet struct{}

func (quiet) Begin(string, int, time.Duration) {}
func (quiet) Add(int)                          {}
func (quiet) Step(string)                      {}
func (quiet) Say(string)                       {}
func (quiet) End()                             {}
