package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/disturb"
)

func TestDisturbSnapshotCommand(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"disturb", "snapshot"}))
	var s disturb.Snapshot
	require.NoError(t, json.Unmarshal(out.Bytes(), &s))
	assert.NotEmpty(t, s.Stat, "this machine's CPU counters")

	for _, args := range [][]string{{"disturb"}, {"disturb", "watch"}} {
		err := run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, args)
		var u usageError
		assert.ErrorAs(t, err, &u, "%v", args)
	}
	assert.ErrorContains(t, run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, []string{"disturb", "snapshot", "--port", "x"}), "not 1 to 65535")
}
