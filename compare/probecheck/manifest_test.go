package probecheck

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// contender is the part of a memprobe/contenders.json entry this test reads
// (until the harness's manifest loader reads the commands format).
type contender struct {
	Name     string             `json:"name"`
	Language string             `json:"language"`
	Requires []string           `json:"requires"`
	Build    [][]string         `json:"build"`
	BuildEnv map[string]string  `json:"build_env"`
	Env      map[string]string  `json:"env"`
	Settings map[string]string  `json:"settings"`
	Commands map[string]command `json:"commands"`
}

type command struct {
	Argv   []string `json:"argv"`
	Output string   `json:"output"`
}

// shapes are the probe shapes a contender declares in settings.shapes.
func (c contender) shapes() []string {
	return strings.Split(c.Settings["shapes"], ", ")
}

var placeholder = regexp.MustCompile(`\{\{[a-z]+\}\}`)

// expander fills a manifest's placeholders.
type expander struct{ repo, cache, bin string }

// expand replaces the common placeholders and the command's own (vars), and
// fails the test on any placeholder left over.
func (e expander) expand(t *testing.T, s string, vars map[string]string) string {
	t.Helper()
	pairs := []string{"{{repo}}", e.repo, "{{cache}}", e.cache, "{{bin}}", e.bin, "{{cpus}}", strconv.Itoa(runtime.NumCPU())}
	for k, v := range vars {
		pairs = append(pairs, "{{"+k+"}}", v)
	}
	out := strings.NewReplacer(pairs...).Replace(s)
	require.False(t, placeholder.MatchString(out), "unknown placeholder in %q", s)
	return out
}

func (e expander) argv(t *testing.T, argv []string, vars map[string]string) []string {
	t.Helper()
	out := make([]string, len(argv))
	for i, a := range argv {
		out[i] = e.expand(t, a, vars)
	}
	return out
}

func (e expander) env(t *testing.T, env map[string]string) []string {
	t.Helper()
	out := os.Environ()
	for k, v := range env {
		out = append(out, k+"="+e.expand(t, v, nil))
	}
	return out
}

// repoRoot is the folder holding go.mod, above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test")
		dir = parent
	}
}

// loadContenders decodes memprobe/contenders.json strictly.
func loadContenders(t *testing.T, repo string) []contender {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repo, "memprobe", "contenders.json"))
	require.NoError(t, err)
	var m struct {
		Workload   string            `json:"workload"`
		Contenders []json.RawMessage `json:"contenders"`
	}
	require.NoError(t, json.Unmarshal(raw, &m))
	require.Equal(t, "memprobe", m.Workload)
	known := map[string]bool{"name": true, "language": true, "kind": true, "label": true, "toolchain": true,
		"requires": true, "build": true, "build_env": true, "version": true, "env": true, "settings": true,
		"note": true, "fallback_for": true, "commands": true}
	var out []contender
	for _, rc := range m.Contenders {
		var keys map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(rc, &keys))
		for k := range keys {
			require.True(t, known[k], fmt.Sprintf("unknown key %q in %s", k, rc[:60]))
		}
		var c contender
		require.NoError(t, json.Unmarshal(rc, &c))
		out = append(out, c)
	}
	return out
}
