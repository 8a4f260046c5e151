package load

import (
	"bytes"
	"fmt"
	"math/rand/v2"
)

// A Request is one HTTP request of a mix and what its answer must be.
type Request struct {
	Method string
	// Path is the path and query, e.g. /users?limit=14.
	Path string
	Body []byte
	// Kind names the request's part of the mix (list, create, get).
	Kind string
	// Want is the status the answer must have; 0 accepts any 2xx or 3xx.
	Want int
	// Check, when set, judges a sampled answer's body.
	Check func(body []byte) error
}

// A Mix makes the requests of a run.
type Mix interface {
	// Name is the mix's name in results (list, mixed, get, or the URL's).
	Name() string
	// Next returns connection conn's seq-th request; rnd is the connection's own.
	Next(conn int, seq uint64, rnd *rand.Rand) Request
}

// Static is a mix of one request, repeated: what `tribench load --url` sends.
type Static struct {
	Request Request
	// Label names the mix.
	Label string
}

// Name is the mix's label.
func (s Static) Name() string { return s.Label }

// Next returns the request.
func (s Static) Next(int, uint64, *rand.Rand) Request { return s.Request }

// ExactBody returns a check that a body equals want byte for byte.
func ExactBody(want []byte) func([]byte) error {
	return func(got []byte) error {
		if bytes.Equal(got, want) {
			return nil
		}
		return fmt.Errorf("body differs from the expected %d bytes: got %d bytes %.80q", len(want), len(got), got)
	}
}
