package jsoncheck_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/internal/repotest"
	"github.com/tribench/tribench/compare/jsoncheck"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/toolchain"
	"github.com/tribench/tribench/jsonbench"
	"github.com/tribench/tribench/jsonbench/goparse"
)

var strict = repotest.Strict

func repoRoot(t *testing.T) string { return repotest.Root(t) }

// builds runs each distinct build command once (several contenders share a binary).
type builds struct {
	mu   sync.Mutex
	done map[string]error
}

func (b *builds) run(root string, vars manifest.Vars, c manifest.Contender) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, argv := range c.Build {
		argv = vars.ExpandAll(argv)
		env := vars.Environ(c.BuildEnv)
		key := strings.Join(append(append([]string{}, env...), argv...), "\x00")
		if err, ok := b.done[key]; ok {
			if err != nil {
				return err
			}
			continue
		}
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir, cmd.Env = root, append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			err = &buildError{argv: argv, out: string(out), err: err}
		}
		b.done[key] = err
		if err != nil {
			return err
		}
	}
	return nil
}

type buildError struct {
	argv []string
	out  string
	err  error
}

func (e *buildError) Error() string {
	return strings.Join(e.argv, " ") + ": " + e.err.Error() + ": " + e.out
}

type outcome struct {
	stdout, stderr string
	err            error
}

func start(t *testing.T, vars manifest.Vars, c manifest.Contender, command string, fill manifest.Vars) outcome {
	t.Helper()
	argv := vars.With(fill).ExpandAll(c.Commands[command].Argv)
	for _, a := range argv {
		require.Empty(t, manifest.Unfilled(a), "%s %s: %s", c.Name, command, a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), vars.Environ(c.Env)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "%s %s timed out", c.Name, command)
	return outcome{stdout.String(), stderr.String(), err}
}

func modes(c manifest.Contender) []string {
	var out []string
	for _, m := range strings.Split(c.Settings["modes"], ",") {
		out = append(out, strings.TrimSpace(m))
	}
	return out
}

// badInputs are a truncated document, a non-JSON one, a missing file and
// nesting deeper than any parser's limit.
func badInputs(t *testing.T) map[string]string {
	dir := t.TempDir()
	files := map[string]string{
		"truncated": `[{"id": 1, "name": "a"}, {"id": 2, "na`,
		"not json":  "hello, world",
		"too deep":  strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000),
	}
	out := map[string]string{"missing": filepath.Join(dir, "missing.json")}
	for name, body := range files {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		out[name] = p
	}
	return out
}

// TestEveryContender runs every contender of jsonbench/contenders.json on the
// smoke document in each mode it declares (its digest equals the generator's),
// over the conformance set (a verdict for every file), and on bad input (one
// line on stderr, a non-zero exit, no stack trace).
func TestEveryContender(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds and starts every JSON contender")
	}
	root, cache := repoRoot(t), toolchain.Cache()
	f, err := manifest.Load(root, manifest.Path("jsonbench"), jsoncheck.Commands)
	require.NoError(t, err)
	spec, err := jsonbench.SpecFor("smoke")
	require.NoError(t, err)
	doc, want, err := jsonbench.EnsureDocument(cache, spec)
	require.NoError(t, err)
	conformance := filepath.Join(root, "jsonbench", "conformance")
	files, err := goparse.Files(conformance)
	require.NoError(t, err)
	bad := badInputs(t)
	vars := manifest.Vars{"repo": root, "cache": cache, "bin": t.TempDir(), "cpus": "1"}
	b := &builds{done: map[string]error{}}
	for _, c := range f.Contenders {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			if missing := c.Missing(vars); missing != "" {
				if strict {
					t.Fatalf("unavailable: %s is missing", missing)
				}
				t.Skipf("unavailable: %s is missing", missing)
			}
			require.NoError(t, b.run(root, vars, c))
			for _, mode := range modes(c) {
				o := start(t, vars, c, "digest", manifest.Vars{"file": doc, "mode": mode})
				require.NoError(t, o.err, "%s: %s", mode, o.stderr)
				line, err := jsoncheck.ParseResult([]byte(o.stdout))
				require.NoError(t, err, o.stdout)
				assert.Equal(t, spec.Size, line.Bytes)
				check := jsoncheck.CheckDigest(line, want, "the generator")
				assert.True(t, check.Pass, "%s: %s", mode, check.Detail)
			}
			o := start(t, vars, c, "parse", manifest.Vars{"file": doc, "mode": modes(c)[0], "repeat": "2"})
			require.NoError(t, o.err, o.stderr)
			line, err := jsoncheck.ParseResult([]byte(o.stdout))
			require.NoError(t, err)
			assert.Len(t, line.Seconds, 2)
			assert.Empty(t, line.Digest, "parse rounds compute no digest")

			o = start(t, vars, c, "check", manifest.Vars{"dir": conformance})
			require.NoError(t, o.err, o.stderr)
			var raw [][]byte
			for _, l := range strings.Split(o.stdout, "\n") {
				raw = append(raw, []byte(l))
			}
			verdicts, err := jsoncheck.ParseVerdicts(raw)
			require.NoError(t, err)
			conf := jsoncheck.CheckConformance(files, verdicts)
			assert.True(t, conf.Pass, conf.Detail)
			t.Logf("conformance: %s", conf.Detail)

			for name, path := range bad {
				for _, mode := range modes(c) {
					o := start(t, vars, c, "digest", manifest.Vars{"file": path, "mode": mode})
					assert.Error(t, o.err, "%s %s accepted: %s", name, mode, o.stdout)
					assert.Empty(t, strings.TrimSpace(o.stdout), "%s %s", name, mode)
					assert.Equal(t, 1, strings.Count(strings.TrimSpace(o.stderr), "\n")+1, "%s %s: one line: %q", name, mode, o.stderr)
					for _, trace := range []string{"Traceback", "goroutine ", "Exception in thread", "\tat "} {
						assert.NotContains(t, o.stderr, trace, "%s %s", name, mode)
					}
				}
			}
		})
	}
}
