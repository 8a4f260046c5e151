package stage

import (
	"context"
	"errors"
	"flag"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/hosts"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
)

var decl = manifest.Contender{
	Name: "go-1.23", Language: "go", Kind: manifest.Canonical, Toolchain: "go1.23.12",
	Build:    [][]string{{"go", "build", "-o", "{{bin}}/resize", "./imageproc/cmd/resize"}},
	BuildEnv: map[string]string{"GOTOOLCHAIN": "go1.23.12"},
	Env:      map[string]string{"GOMAXPROCS": "{{cpus}}"},
	Settings: map[string]string{"workers": "{{cpus}} by default"},
	Commands: map[string]manifest.Command{"resize": {Argv: []string{"{{bin}}/resize", "--in", "{{in}}", "--workers", "{{workers}}"}}},
}

func TestSpecFillsEveryPlaceholderOnce(t *testing.T) {
	t.Parallel()
	c := Resolve(decl, "imageproc", "/repo", "/cache", "/bin", []int{1})
	assert.Equal(t, "1 by default", c.Settings["workers"])
	spec, _, err := c.Spec("resize", RunOptions{Vars: manifest.Vars{"in": "/data", "workers": "2"}, CPUs: []int{0, 1}})
	require.NoError(t, err)
	assert.Equal(t, []string{"/bin/resize", "--in", "/data", "--workers", "2"}, spec.Argv)
	assert.Equal(t, []string{"GOMAXPROCS=2"}, spec.Env, "{{cpus}} follows the run's CPU set")
	assert.Equal(t, []int{0, 1}, spec.CPUs)
	assert.Equal(t, "/repo", spec.Dir)
	assert.Equal(t, int64(DefaultMemoryLimit), spec.MemoryLimit)
	assert.Equal(t, DefaultTimeLimit, spec.TimeLimit)

	spec, _, err = c.Spec("resize", RunOptions{Vars: manifest.Vars{"in": "/d", "workers": "1"}, MemoryLimit: 2 << 30, TimeLimit: -1})
	require.NoError(t, err)
	assert.Equal(t, []int{1}, spec.CPUs)
	assert.Equal(t, int64(2<<30), spec.MemoryLimit)
	assert.Zero(t, spec.TimeLimit)

	_, _, err = c.Spec("resize", RunOptions{Vars: manifest.Vars{"in": "/d"}})
	assert.ErrorContains(t, err, "placeholder {{workers}} has no value")
	_, _, err = c.Spec("parse", RunOptions{})
	assert.ErrorContains(t, err, `go-1.23 does not answer "parse"`)
}

func TestReadyBuildsAndReadsTheVersion(t *testing.T) {
	t.Parallel()
	fake := &runner.Fake{Script: func(s runner.Spec) runner.FakeRun {
		if s.Argv[0] == "go" && s.Argv[1] == "version" {
			return runner.FakeRun{Result: runner.Result{Outcome: runner.OutcomeOK, Stdout: []byte("go: downloading x\ngo version go1.23.12 linux/amd64\n")}}
		}
		return runner.FakeRun{Result: runner.Result{Outcome: runner.OutcomeOK}}
	}}
	d := decl
	d.Version = []string{"go", "version", "{{bin}}/resize"}
	c := Resolve(d, "imageproc", "/repo", "/cache", "/bin", []int{1})
	run := &Run{Exec: fake, emit: func(results.Record) error { return nil }}
	status, reason := c.Ready(context.Background(), run)
	require.Equal(t, results.StatusOK, status, reason)
	started := fake.Started()
	require.Len(t, started, 2)
	assert.Equal(t, []string{"go", "build", "-o", "/bin/resize", "./imageproc/cmd/resize"}, started[0].Argv)
	assert.Contains(t, started[0].Env, "GOTOOLCHAIN=go1.23.12")
	assert.Equal(t, "go version go1.23.12 linux/amd64", c.Version)

	broken := &runner.Fake{Script: func(runner.Spec) runner.FakeRun {
		return runner.FakeRun{Result: runner.Result{Outcome: runner.OutcomeExitError, ExitCode: 1, Stderr: []byte("undefined: x")}}
	}}
	run.Exec = broken
	status, reason = Resolve(decl, "imageproc", "/repo", "/cache", "/bin", []int{1}).Ready(context.Background(), run)
	assert.Equal(t, results.StatusBuildFailed, status)
	assert.Contains(t, reason, "undefined: x")

	run.Exec = &runner.Fake{Script: func(runner.Spec) runner.FakeRun { return runner.FakeRun{StartErr: errors.New("no go")} }}
	d.Requires = []string{"{{cache}}/missing"}
	status, reason = Resolve(d, "imageproc", "/repo", "/cache", "/bin", nil).Ready(context.Background(), run)
	assert.Equal(t, results.StatusUnavailable, status)
	assert.Contains(t, reason, "missing /cache/missing")
}

type named struct {
	name, workload string
	commands       manifest.Commands
}

func (n named) Info() Info {
	return Info{Name: n.name, Workload: n.workload, Commands: n.commands}
}
func (named) Flags(*flag.FlagSet)                                     {}
func (n named) Prepare(context.Context, *Run) (Prepared, error)       { return n, nil }
func (named) Close() error                                            { return nil }
func (named) Verify(context.Context, *Run, *Contender) results.Record { return results.Record{} }
func (named) Measure(context.Context, *Run, []*Contender)             {}

func TestRegistryOrderAndCommands(t *testing.T) {
	Register(func() Stage {
		return named{name: "zz-test-b", workload: "w", commands: manifest.Commands{"work": {Placeholders: []string{"a"}, Outputs: []string{manifest.OutputLine}}}}
	})
	Register(func() Stage {
		return named{name: "zz-test-a", workload: "w", commands: manifest.Commands{"work": {Placeholders: []string{"b"}, Outputs: []string{manifest.OutputReady}}}}
	})
	var names []string
	for _, s := range All() {
		names = append(names, s.Info().Name)
	}
	assert.Equal(t, []string{"zz-test-a", "zz-test-b"}, names[len(names)-2:], "stages outside Order run after it, by name")
	work := Commands()["work"]
	assert.ElementsMatch(t, []string{"a", "b"}, work.Placeholders)
	assert.ElementsMatch(t, []string{manifest.OutputLine, manifest.OutputReady}, work.Outputs)
	assert.Panics(t, func() { Register(func() Stage { return named{name: "zz-test-a"} }) })
}

func TestSplitCPUs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                    string
		n, server               int
		contender, harness, all []int
		bad                     bool
	}{
		{name: "default: the last CPU", n: 2, contender: []int{1}, harness: []int{0}, all: []int{0, 1}},
		{name: "one of two", n: 2, server: 1, contender: []int{1}, harness: []int{0}, all: []int{0, 1}},
		{name: "three of eight", n: 8, server: 3, contender: []int{5, 6, 7}, harness: []int{0, 1, 2, 3, 4}, all: []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{name: "a one-CPU machine shares it", n: 1, contender: []int{0}, harness: []int{0}, all: []int{0}},
		{name: "no CPU left for the loader", n: 2, server: 2, bad: true},
		{name: "negative", n: 4, server: -1, bad: true},
		{name: "two on one", n: 1, server: 2, bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			contender, harness, all, err := SplitCPUs(tc.n, tc.server)
			if tc.bad {
				assert.ErrorContains(t, err, "--server-cpus")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.contender, contender)
			assert.Equal(t, tc.harness, harness)
			assert.Equal(t, tc.all, all)
		})
	}
}

// A hosts file's CPU lists place the contenders (its server's) and the
// harness (its first loader's); --server-cpus must agree with the server's.
func TestCPUSetsFollowTheHostsFile(t *testing.T) {
	t.Parallel()
	file := func(server, loader string) *hosts.File {
		return &hosts.File{Server: hosts.Spec{Host: "netns:server", CPUs: server}, Loaders: []hosts.Spec{{Host: "netns:loader", CPUs: loader}}}
	}
	defContender, defHarness, _, err := SplitCPUs(runtime.NumCPU(), 0)
	require.NoError(t, err)
	for _, tc := range []struct {
		name               string
		o                  Options
		contender, harness []int
		bad                string
	}{
		{name: "the example's", o: Options{Hosts: file("1", "0")}, contender: []int{1}, harness: []int{0}},
		{name: "--server-cpus agrees", o: Options{Hosts: file("4-7", "0-3"), ServerCPUs: 4}, contender: []int{4, 5, 6, 7}, harness: []int{0, 1, 2, 3}},
		{name: "--server-cpus disagrees", o: Options{Hosts: file("4-7", ""), ServerCPUs: 2}, bad: "gives the server 4 CPUs"},
		{name: "no CPU lists: the split of this machine", o: Options{Hosts: file("", "")}, contender: defContender, harness: defHarness},
	} {
		t.Run(tc.name, func(t *testing.T) {
			contender, harness, _, err := tc.o.cpuSets()
			if tc.bad != "" {
				assert.ErrorContains(t, err, tc.bad)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.contender, contender)
			assert.Equal(t, tc.harness, harness)
		})
	}
}
