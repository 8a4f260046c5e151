package stage

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
)

// Info describes a stage.
type Info struct {
	// Name is the stage's name and CLI subcommand (http, resize, ...).
	Name string
	// Workload is the folder whose manifest declares the contenders.
	Workload string
	// Title heads the stage's section of the report.
	Title string
	// Summary is one line for the CLI's help.
	Summary string
	// Commands are the contender commands the stage uses, with the
	// placeholders it fills and the output modes it reads.
	Commands manifest.Commands
	// Needs lists the commands a contender must declare to take part.
	Needs []string
	// Manifest is the manifest's path relative to the repository root;
	// <Workload>/contenders.json when empty.
	Manifest string
}

// A Stage is one measurement of one workload. A registered stage is made
// afresh for each command line (Register takes its constructor), so its
// flags' values are that command's; everything one run of it makes lives in
// the Prepared value Prepare returns, never on the stage.
type Stage interface {
	Info() Info
	// Flags registers the stage's own flags (e.g. --in DIR) on its subcommand.
	Flags(fs *flag.FlagSet)
	// Prepare makes the run's inputs (generated data, temporary folders)
	// once, before any contender runs, and returns the run that holds them;
	// an error fails the whole stage, and a failed Prepare leaves nothing
	// behind.
	Prepare(ctx context.Context, r *Run) (Prepared, error)
}

// A Prepared is one run of a stage, as vegeta makes a fresh Attacker per
// attack: the driver verifies each contender on it, measures the ready ones,
// and always closes it, whatever happened before (an error, Ctrl-C, no
// contender ready).
type Prepared interface {
	// Verify holds one contender to the stage's oracle and returns its verify
	// record (checks, or a status saying why it could not be checked).
	Verify(ctx context.Context, r *Run, c *Contender) results.Record
	// Measure measures the contenders (those that failed the oracle too, so
	// their speed is shown beside their failures), emitting records as each
	// result is known.
	Measure(ctx context.Context, r *Run, cs []*Contender)
	// Close removes what the run made (temporary folders, processes); once
	// closed it is not used again.
	Close() error
}

// Stateless is a Prepared with nothing to remove: Close does nothing.
type Stateless struct{}

// Close removes nothing.
func (Stateless) Close() error { return nil }

// Order is the fixed order stages run in; a stage not listed runs after them.
var Order = []string{"http", "resize", "json", "mem", "cpu", "tasks", "build"}

var (
	regMu    sync.Mutex
	registry = map[string]func() Stage{}
)

// Register adds a stage by its constructor; a second stage of one name
// panics (a programming error).
func Register(newStage func() Stage) {
	regMu.Lock()
	defer regMu.Unlock()
	name := newStage().Info().Name
	if _, dup := registry[name]; dup {
		panic(fmt.Sprintf("stage %q registered twice", name))
	}
	registry[name] = newStage
}

// All returns a fresh value of every registered stage, in Order.
func All() []Stage {
	regMu.Lock()
	defer regMu.Unlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	rank := func(n string) int {
		if i := slices.Index(Order, n); i >= 0 {
			return i
		}
		return len(Order)
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := rank(names[i]), rank(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	out := make([]Stage, len(names))
	for i, n := range names {
		out[i] = registry[n]()
	}
	return out
}

// Lookup returns a fresh value of the stage named name.
func Lookup(name string) (Stage, bool) {
	regMu.Lock()
	defer regMu.Unlock()
	newStage, ok := registry[name]
	if !ok {
		return nil, false
	}
	return newStage(), true
}

// Commands is every command a registered stage uses: what manifests are held
// to. Two stages that share a command must agree on its placeholders.
func Commands() manifest.Commands {
	out := manifest.Commands{}
	for _, s := range All() {
		for name, spec := range s.Info().Commands {
			prev, ok := out[name]
			if !ok {
				out[name] = spec
				continue
			}
			prev.Placeholders = union(prev.Placeholders, spec.Placeholders)
			prev.Outputs = union(prev.Outputs, spec.Outputs)
			out[name] = prev
		}
	}
	return out
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
