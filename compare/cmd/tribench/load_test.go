package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tribench load against a service tribench did not start.
func TestLoadAnyURL(t *testing.T) {
	t.Parallel()
	url := goService(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"load", "--url", url + "/users/1",
		"--connections", "4", "--requests", "300", "--json"}))
	var res map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	for _, key := range []string{"model", "connections", "rate", "duration_s", "requests", "rps", "latency_ms", "errors",
		"bytes_per_s", "loader_cpu", "server_cpu", "loader_bound"} {
		assert.Contains(t, res, key, "the documented key %q", key)
	}
	assert.Equal(t, "closed", res["model"])
	assert.Equal(t, 300.0, res["requests"])
	assert.Nil(t, res["server_cpu"], "null without --server-pid")
	assert.Nil(t, res["loader_bound"])

	// The service runs in this process, so its port leads to this
	// process's tree.
	out.Reset()
	port := url[strings.LastIndexByte(url, ':')+1:]
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"load", "--url", url + "/users/1",
		"--connections", "4", "--requests", "300", "--server-port", port, "--json"}))
	res = nil
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	assert.NotNil(t, res["server_cpu"], "the process listening on --server-port is measured")

	out.Reset()
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"load", "--url", url + "/health",
		"--connections", "2", "--rate", "200", "--duration", "500ms"}))
	assert.Contains(t, out.String(), "open model, 2 connections")
	assert.Contains(t, out.String(), "intended 200 req/s")
}

func TestLoadMistakes(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	tests := []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"load"}, true, "--url is required"},
		{[]string{"load", "--url", closed, "--connections", "0"}, true, "--connections must be at least 1"},
		{[]string{"load", "--url", closed, "--rate", "-1"}, true, "--rate must not be negative"},
		{[]string{"load", "--url", "https://example.com"}, true, "https is not supported"},
		{[]string{"load", "--url", "ftp://127.0.0.1/x"}, true, "give an http://host:port URL"},
		{[]string{"load", "--url", closed, "--mix", "list"}, true, "--mix needs --seed"},
		{[]string{"load", "--url", closed, "--duration", "2s"}, false, "connection refused"},
		{[]string{"load", "--url", closed, "--server-pid", "1", "--server-port", "1"}, true, "give --server-pid or --server-port, not both"},
		{[]string{"load", "--url", closed, "--server-port", closed[strings.LastIndexByte(closed, ':')+1:]}, false, "no process listens on port"},
	}
	for _, tt := range tests {
		begin := time.Now()
		err := run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, tt.args)
		require.Error(t, err, "%v", tt.args)
		assert.Contains(t, err.Error(), tt.want)
		var u usageError
		assert.Equal(t, tt.usage, errors.As(err, &u), "%v", tt.args)
		assert.NotContains(t, strings.TrimSpace(err.Error()), "\n", "one line")
		assert.Less(t, time.Since(begin), time.Second, "%v: within a second", tt.args)
	}
}
