package userapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/internal/repotest"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	_ "github.com/tribench/tribench/compare/stages/all" // every stage's commands, to validate the manifest
	"github.com/tribench/tribench/compare/stages/userapi"
	"github.com/tribench/tribench/compare/toolchain"
	"github.com/tribench/tribench/services/cases"
)

// An articleGroup is a set of checks an article variant fails for one reason
// the published code gives (testdata/article_failures.json).
type articleGroup struct {
	Why    string   `json:"why"`
	Checks []string `json:"checks"`
	// MayPass is how many of Checks one run may pass: 0 when each fails on every
	// run; above 0 for a timing-dependent divergence, which Timing names.
	MayPass int    `json:"may_pass"`
	Timing  string `json:"timing"`
}

// loadArticleFailures reads, per article variant, the exact set of checks it
// fails, and rejects a file that could not hold it to that set.
func loadArticleFailures(path string) (map[string][]articleGroup, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read article failures: %w", err)
	}
	var variants map[string][]articleGroup
	if err := json.Unmarshal(raw, &variants); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	for name, groups := range variants {
		seen := map[string]bool{}
		for i, g := range groups {
			switch {
			case g.Why == "" || len(g.Checks) == 0:
				return nil, fmt.Errorf("%s: %s group %d: a group needs a why and checks", path, name, i)
			case g.MayPass < 0 || g.MayPass > len(g.Checks):
				return nil, fmt.Errorf("%s: %s group %d: may_pass %d outside 0..%d", path, name, i, g.MayPass, len(g.Checks))
			case (g.MayPass > 0) != (g.Timing != ""):
				return nil, fmt.Errorf("%s: %s group %d: timing names why checks may pass, exactly when may_pass > 0", path, name, i)
			}
			for _, c := range g.Checks {
				if seen[c] {
					return nil, fmt.Errorf("%s: %s lists %s twice", path, name, c)
				}
				seen[c] = true
			}
		}
	}
	return variants, nil
}

func TestArticleFailuresFile(t *testing.T) {
	variants, err := loadArticleFailures(filepath.Join("testdata", "article_failures.json"))
	require.NoError(t, err)
	all, err := cases.Load()
	require.NoError(t, err)
	known := map[string]bool{}
	for _, c := range all {
		known[c.Name] = true
	}
	for name, groups := range variants {
		for _, g := range groups {
			for _, c := range g.Checks {
				// Properties are not cases; the end-to-end test finds a stale property name.
				if !strings.HasPrefix(c, "property/") {
					assert.True(t, known[c], "%s lists %s, which is no contract case", name, c)
				}
			}
		}
	}

	dir := t.TempDir()
	for _, tc := range []struct{ name, json, err string }{
		{"no why", `{"v": [{"checks": ["a"]}]}`, "needs a why"},
		{"may pass too many", `{"v": [{"why": "w", "checks": ["a"], "may_pass": 2, "timing": "t"}]}`, "outside 0..1"},
		{"may pass without timing", `{"v": [{"why": "w", "checks": ["a"], "may_pass": 1}]}`, "timing names"},
		{"timing without may pass", `{"v": [{"why": "w", "checks": ["a"], "timing": "t"}]}`, "timing names"},
		{"listed twice", `{"v": [{"why": "w", "checks": ["a"]}, {"why": "x", "checks": ["a"]}]}`, "lists a twice"},
		{"not json", `[`, "decode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".json")
			require.NoError(t, os.WriteFile(path, []byte(tc.json), 0o600))
			_, err := loadArticleFailures(path)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
		})
	}
}

// articleMismatches holds an article variant's checks to its exact failure set:
// every failed check is listed, every listed check ran, and each group's checks
// fail but for at most its MayPass. It returns what breaks that, if anything.
func articleMismatches(groups []articleGroup, checks []results.Check) []string {
	ran, failed := map[string]bool{}, map[string]bool{}
	for _, c := range checks {
		ran[c.Name] = true
		if !c.Pass {
			failed[c.Name] = true
		}
	}
	var out []string
	listed := map[string]bool{}
	for _, g := range groups {
		var passed []string
		for _, c := range g.Checks {
			listed[c] = true
			if !ran[c] {
				out = append(out, fmt.Sprintf("%s is listed but did not run (renamed or removed?)", c))
			} else if !failed[c] {
				passed = append(passed, c)
			}
		}
		if len(passed) > g.MayPass {
			out = append(out, fmt.Sprintf("passed %v, which the published code fails (%s; %d may pass)", passed, g.Why, g.MayPass))
		}
	}
	for _, c := range checks {
		if !c.Pass && !listed[c.Name] {
			out = append(out, fmt.Sprintf("fails %s, which no group lists: [%s] %s", c.Name, c.Broke, c.Detail))
		}
	}
	return out
}

func TestArticleMismatches(t *testing.T) {
	groups := []articleGroup{
		{Why: "always", Checks: []string{"a", "b"}},
		{Why: "racy", Checks: []string{"c", "d"}, MayPass: 1, Timing: "a race"},
	}
	check := func(name string, pass bool) results.Check { return results.Check{Name: name, Pass: pass} }
	for _, tc := range []struct {
		name   string
		checks []results.Check
		want   []string
	}{
		{"exact", []results.Check{check("a", false), check("b", false), check("c", false), check("d", false), check("e", true)}, nil},
		{"one racy check passes", []results.Check{check("a", false), check("b", false), check("c", true), check("d", false)}, nil},
		{"two racy checks pass", []results.Check{check("a", false), check("b", false), check("c", true), check("d", true)}, []string{"passed [c d]"}},
		{"a listed check passes", []results.Check{check("a", true), check("b", false), check("c", false), check("d", false)}, []string{"passed [a]"}},
		{"an unlisted check fails", []results.Check{check("a", false), check("b", false), check("c", false), check("d", false), check("e", false)}, []string{"fails e"}},
		{"a listed check did not run", []results.Check{check("a", false), check("c", false), check("d", false)}, []string{"b is listed but did not run"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := articleMismatches(groups, tc.checks)
			require.Len(t, got, len(tc.want), "%q", got)
			for i, w := range tc.want {
				assert.Contains(t, got[i], w)
			}
		})
	}
}

func repoRoot(t *testing.T) string { return repotest.Root(t) }

// TestDeclaredServicesContenders builds, starts and checks every declared
// services contender through the http stage's verify step. make test sets
// TRIBENCH_REQUIRE_CONTENDERS=1 after make setup, so a contender whose
// toolchain is missing fails there; a plain go test skips it with the reason.
func TestDeclaredServicesContenders(t *testing.T) {
	if testing.Short() {
		t.Skip("starts every contender; skipped in -short")
	}
	run, cs, err := stage.Standalone(stage.Options{Root: repoRoot(t), Cache: toolchain.Cache(), Profile: plan.Smoke,
		Bin: t.TempDir(), Exec: runner.OS{}}, &userapi.Stage{})
	require.NoError(t, err)
	mustRun := os.Getenv("TRIBENCH_REQUIRE_CONTENDERS") == "1"
	article, err := loadArticleFailures(filepath.Join("testdata", "article_failures.json"))
	require.NoError(t, err)
	for _, c := range cs {
		t.Run(c.Name(), func(t *testing.T) {
			if why := c.Unavailable(); why != "" {
				if mustRun {
					t.Fatalf("%s unavailable: %s", c.Name(), why)
				}
				t.Skipf("%s unavailable: %s", c.Name(), why)
			}
			if c.Calibration() {
				t.Skip("a calibration entry is never held to the oracle")
			}
			status, reason := c.Ready(context.Background(), run)
			require.Equal(t, results.StatusOK, status, reason)
			rec, rep := userapi.Conform(context.Background(), run, c, nil)
			require.Equal(t, results.StatusOK, rec.Status, rec.Reason)
			assert.Len(t, rec.Checks, len(rep.Checks))
			assert.NotEmpty(t, rec.Contender.Argv)
			if c.Decl.Kind == manifest.Canonical {
				for _, fc := range rec.Failures() {
					t.Errorf("FAIL %s [%s] %s", fc.Name, fc.Broke, fc.Detail)
				}
				assert.Greater(t, len(rec.Checks), 100)
				return
			}
			groups, ok := article[c.Name()]
			require.True(t, ok, "article variant %s has no failures in testdata/article_failures.json", c.Name())
			for _, m := range articleMismatches(groups, rec.Checks) {
				t.Errorf("%s %s", c.Name(), m)
			}
			t.Logf("%s fails %d of %d checks", c.Name(), len(rec.Failures()), len(rec.Checks))
		})
	}
}
