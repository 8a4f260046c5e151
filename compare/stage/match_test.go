package stage

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMatchName(t *testing.T) {
	tests := []struct {
		only, name string
		want       bool
	}{
		{"", "kotlin-2.0", true},
		{"go-*", "go-current-turbo", true},
		{"go-*", "python-3.13", false},
		{"go-current-turbo,python-3.13", "python-3.13", true},
		{"go-current-turbo, python-3.13", "python-3.13", true},
		{"go-current-turbo,python-3.13", "python-3.13t", false},
		{"python-3.1[13]", "python-3.11", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, matchName(tt.only, tt.name), "--only %q, %s", tt.only, tt.name)
	}
}
