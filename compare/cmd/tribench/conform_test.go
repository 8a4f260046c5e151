package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/services"
)

func goService(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := services.NewServer(services.NewStore()).HTTPServer()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestConformAgainstTheGoService(t *testing.T) {
	t.Parallel()
	url := goService(t)
	var out, errOut bytes.Buffer
	err := run(context.Background(), &out, &errOut, []string{"conform", "--url", url, "--only", "create/name/"})
	require.NoError(t, err, errOut.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Greater(t, len(lines), 10)
	for _, l := range lines[:len(lines)-1] {
		assert.True(t, strings.HasPrefix(l, "PASS  create/name/"), l)
	}
	assert.Contains(t, lines[len(lines)-1], "PASS  "+url+": ")
	assert.Contains(t, lines[len(lines)-1], "0 failed")
}

func TestConformJSON(t *testing.T) {
	t.Parallel()
	url := goService(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"conform", "--url", url, "--json", "--only", "get/"}))
	var rep struct {
		URL    string `json:"url"`
		Passed int    `json:"passed"`
		Failed int    `json:"failed"`
		Checks []struct {
			Name string `json:"name"`
			Pass bool   `json:"pass"`
		} `json:"checks"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep))
	assert.Equal(t, url, rep.URL)
	assert.Zero(t, rep.Failed)
	assert.Equal(t, len(rep.Checks), rep.Passed)
}

func TestCommandLineMistakes(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	tests := []struct {
		name    string
		args    []string
		usage   bool
		wantErr string
	}{
		{"no subcommand", nil, true, "no subcommand"},
		{"unknown subcommand", []string{"frobnicate"}, true, `unknown subcommand "frobnicate"`},
		{"conform without a target", []string{"conform"}, true, "exactly one of --url and --contender"},
		{"conform with both targets", []string{"conform", "--url", closed, "--contender", "go-1.23"}, true, "exactly one of --url and --contender"},
		{"conform with a stray argument", []string{"conform", "--url", closed, "extra"}, true, "unexpected arguments"},
		{"conform with a bad url", []string{"conform", "--url", "127.0.0.1:1"}, false, "must start with http://"},
		{"nothing listening", []string{"conform", "--url", closed}, false, "service unreachable"},
	}
	for _, tt := range tests {
		err := run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, tt.args)
		require.Error(t, err, tt.name)
		assert.Contains(t, err.Error(), tt.wantErr, tt.name)
		var u usageError
		assert.Equal(t, tt.usage, errors.As(err, &u), tt.name)
		assert.NotContains(t, err.Error(), "\n", "%s: a one-line error", tt.name)
	}
}

func TestReportRerendersAResultsFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := results.Create(dir)
	require.NoError(t, err)
	require.NoError(t, w.Add(results.Record{Kind: results.KindRun, Profile: "smoke", Command: []string{"tribench", "compare"}}))
	require.NoError(t, w.Add(results.Record{Kind: results.KindResult, Stage: "http", Workload: "services", Step: results.StepVerify,
		Contender: &results.Contender{Name: "go-1.23", Kind: "canonical"}, Status: results.StatusOK,
		Checks: []results.Check{{Name: "health/ok", Kind: "case", Rule: "health", Pass: true}}}))
	require.NoError(t, w.Close())
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, &bytes.Buffer{}, []string{"report", "--verbose", dir}))
	assert.Contains(t, out.String(), "go-1.23: passes the oracle (1 passed, 0 failed)")
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "- profile: smoke")
	err = run(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, []string{"report", filepath.Join(dir, "missing")})
	assert.ErrorContains(t, err, "open results")
}
