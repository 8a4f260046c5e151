package userapi_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/plan"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/runner"
	"github.com/tribench/tribench/compare/stage"
	_ "github.com/tribench/tribench/compare/stages/all" // every stage's commands, to validate the manifest
	"github.com/tribench/tribench/compare/stages/userapi"
	"github.com/tribench/tribench/compare/toolchain"
)

// articleDivergences are the checks each article variant must fail: the
// deterministic divergences ARTICLE.md documents. A race-dependent divergence
// (Kotlin's unsynchronised list) is reported by conform when seen, never asserted.
var articleDivergences = map[string][]string{
	"python-article": {
		"property/read-your-writes",           // four workers, four stores
		"create/email/unicode-local-part-422", // Unicode \w
		"create/name/one-ascii-422",           // FastAPI's {"detail"} body
		"routing/users-trailing-slash-404",    // 307 redirect
		"get/plus-sign-400",                   // int("+1")
		"create/body/one-mib-plus-one-413",    // no body limit
		"routing/root-404",                    // the router's own 404 keeps {"detail"}
		"get/unknown-404",                     // its own 404 has a float timestamp
	},
	"kotlin-article": {
		"create/email/duplicate-409",   // 400 for a duplicate
		"create/name/one-ascii-422",    // 400 for validation
		"create/name/twenty-six-emoji", // UTF-16 length
		"health/ok",                    // a Map<String, Any> kotlinx.serialization cannot serialize: 500
	},
}

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	require.True(t, ok)
	root, err := filepath.Abs(filepath.Join(filepath.Dir(file), "..", "..", ".."))
	require.NoError(t, err)
	return root
}

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
			failed := map[string]bool{}
			for _, fc := range rec.Failures() {
				failed[fc.Name] = true
			}
			want, ok := articleDivergences[c.Name()]
			assert.True(t, ok, "article variant %s has no documented divergences in this test", c.Name())
			for _, name := range want {
				assert.True(t, failed[name], "%s must fail %s (a documented divergence)", c.Name(), name)
			}
		})
	}
}
