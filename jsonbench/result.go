package jsonbench

import "strings"

// Modes of the parse command.
const (
	// Generic parses into the language's generic tree (maps, lists, numbers).
	Generic = "generic"
	// Typed parses into the schema's record types.
	Typed = "typed"
)

// A ParseLine is the one JSON line every contender prints for
// `parse --file F --mode M [--repeat R] [--digest]`.
type ParseLine struct {
	Runtime string `json:"runtime"`
	// Library names the parser and its version (e.g. "goccy/go-json v0.12.0").
	Library string    `json:"library,omitempty"`
	Mode    string    `json:"mode"`
	Bytes   int64     `json:"bytes"`
	Seconds []float64 `json:"seconds"`
	// Digest and Counts are there with --digest only, computed after the
	// timed repetitions from the last one's result.
	Digest string  `json:"digest,omitempty"`
	Counts *Counts `json:"counts,omitempty"`
}

// Verdicts of the check command.
const (
	Accept = "accept"
	Reject = "reject"
)

// A VerdictLine is one file's line of `parse --check DIR`.
type VerdictLine struct {
	Item    string `json:"item"`
	Verdict string `json:"verdict"`
	Error   string `json:"error,omitempty"`
}

// A CheckSummary is the final line of `parse --check DIR`.
type CheckSummary struct {
	Runtime string `json:"runtime"`
	Library string `json:"library,omitempty"`
	Files   int    `json:"files"`
}

// An Expectation is what the conformance set's file name says a parser must do.
type Expectation string

// Expectations, from the file name's prefix.
const (
	MustAccept  Expectation = "y" // y_: must accept
	MustReject  Expectation = "n" // n_: must reject
	ImplDefined Expectation = "i" // i_: implementation-defined, reported, never scored
	Unnamed     Expectation = ""  // any other name: no expectation
)

// ExpectationOf reads a conformance file name's prefix.
func ExpectationOf(name string) Expectation {
	switch {
	case strings.HasPrefix(name, "y_"):
		return MustAccept
	case strings.HasPrefix(name, "n_"):
		return MustReject
	case strings.HasPrefix(name, "i_"):
		return ImplDefined
	}
	return Unnamed
}

// Agrees reports whether a verdict meets the expectation (always true for i_
// and unnamed files).
func (e Expectation) Agrees(verdict string) bool {
	switch e {
	case MustAccept:
		return verdict == Accept
	case MustReject:
		return verdict == Reject
	}
	return true
}
