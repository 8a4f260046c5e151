package jsonbench

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestExpectations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		want   Expectation
		accept bool
		reject bool
	}{
		{"y_array_empty.json", MustAccept, true, false},
		{"n_number_plus.json", MustReject, false, true},
		{"i_number_huge_exp.json", ImplDefined, true, true},
		{"readme.txt", Unnamed, true, true},
	}
	for _, tt := range tests {
		e := ExpectationOf(tt.name)
		assert.Equal(t, tt.want, e, tt.name)
		assert.Equal(t, tt.accept, e.Agrees(Accept), tt.name)
		assert.Equal(t, tt.reject, e.Agrees(Reject), tt.name)
	}
}
