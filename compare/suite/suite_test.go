package suite

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

func fakeSuite(script func(runner.Spec) runner.FakeRun) (*Suite, *runner.Fake) {
	f := &runner.Fake{Script: script}
	return &Suite{Root: "/repo", Cache: "/cache", Exec: f, ServerCPUs: []int{1}}, f
}

var file = manifest.File{Workload: "services"}

func TestUnavailableContenderIsRecordedNotRun(t *testing.T) {
	t.Parallel()
	s, fake := fakeSuite(nil)
	c := manifest.Contender{Name: "python-3.13", Requires: []string{"{{cache}}/venv/py313/bin/python"}, Run: []string{"x"}}
	rec := s.Conform(context.Background(), file, c, nil)
	assert.Equal(t, results.StatusUnavailable, rec.Status)
	assert.Contains(t, rec.Reason, "/cache/venv/py313/bin/python")
	assert.Empty(t, fake.Started())
}

func TestBuildFailureIsRecorded(t *testing.T) {
	t.Parallel()
	s, fake := fakeSuite(func(spec runner.Spec) runner.FakeRun {
		return runner.FakeRun{Result: runner.Result{Outcome: runner.OutcomeExitError, ExitCode: 1, Stderr: []byte("undefined: x")}}
	})
	c := manifest.Contender{Name: "go-1.23", Build: [][]string{{"go", "build", "-o", "{{bin}}/userapi"}},
		BuildEnv: map[string]string{"GOTOOLCHAIN": "go1.23.12"}, Run: []string{"{{bin}}/userapi"}}
	rec := s.Conform(context.Background(), file, c, nil)
	assert.Equal(t, results.StatusBuildFailed, rec.Status)
	assert.Contains(t, rec.Reason, "undefined: x")
	started := fake.Started()
	require.Len(t, started, 1)
	assert.Equal(t, []string{"go", "build", "-o", "/repo/bin/contenders/userapi"}, started[0].Argv)
	assert.Equal(t, "/repo", started[0].Dir)
	assert.Contains(t, started[0].Env, "GOTOOLCHAIN=go1.23.12")
}

func TestStartFailureIsRecorded(t *testing.T) {
	t.Parallel()
	s, fake := fakeSuite(func(spec runner.Spec) runner.FakeRun {
		return runner.FakeRun{StartErr: errors.New("exec: no such file")}
	})
	c := manifest.Contender{Name: "kotlin-2.0", Run: []string{"java", "-jar", "{{bin}}/x.jar", "--port", "{{port}}"},
		Env: map[string]string{"THREADS": "{{cpus}}"}}
	rec := s.Conform(context.Background(), file, c, nil)
	assert.Equal(t, results.StatusStartFailed, rec.Status)
	assert.Contains(t, rec.Reason, "no such file")
	assert.Empty(t, fake.Started())
	assert.Equal(t, "1", rec.CPUs)
}

func TestSettingsAreExpandedForTheReport(t *testing.T) {
	t.Parallel()
	s, _ := fakeSuite(nil)
	c := manifest.Contender{Name: "go", Settings: map[string]string{"GOMAXPROCS": "{{cpus}} (the server's CPU set)"}, Run: []string{"x"}}
	rec := s.record(file, c)
	assert.Equal(t, "1 (the server's CPU set)", rec.Settings["GOMAXPROCS"])
}
