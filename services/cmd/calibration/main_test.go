package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConstantBody(t *testing.T) {
	t.Parallel()
	b := constantBody(1024)
	assert.Len(t, b, 1024)
	var v map[string]string
	require.NoError(t, json.Unmarshal(b, &v), "valid JSON")
}

func TestMistakes(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"serve"}, {"serve", "--port", "80000"}, {"serve", "--port", "1", "--body-bytes", "3"}} {
		assert.Error(t, run(args, &bytes.Buffer{}), "%v", args)
	}
}
