package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOneMeasuringRunAtATime(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, err := acquireLock(context.Background(), dir, []string{"tribench", "compare"}, false, &bytes.Buffer{})
	require.NoError(t, err)

	_, err = acquireLock(context.Background(), dir, []string{"tribench", "http"}, true, &bytes.Buffer{})
	require.Error(t, err, "--no-wait refuses while another run measures")
	assert.Contains(t, err.Error(), "another tribench run is measuring on this machine (pid ")
	assert.Contains(t, err.Error(), ": tribench compare)")

	var said bytes.Buffer
	got := make(chan error, 1)
	go func() {
		l, err := acquireLock(context.Background(), dir, []string{"tribench", "json"}, false, &said)
		if err == nil {
			l.Release()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("the second run did not wait: %v", err)
	case <-time.After(2 * lockPoll):
	}
	first.Release()
	select {
	case err := <-got:
		require.NoError(t, err, "the waiting run starts once the first is done")
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting run never got the lock")
	}
	assert.Contains(t, said.String(), "waiting for another run to finish measuring (pid ")

	ctx, cancel := context.WithCancel(context.Background())
	held, err := acquireLock(ctx, dir, nil, false, &bytes.Buffer{})
	require.NoError(t, err)
	defer held.Release()
	cancel()
	_, err = acquireLock(ctx, dir, nil, false, &bytes.Buffer{})
	assert.ErrorIs(t, err, context.Canceled, "a waiting run stops on Ctrl-C")
}
