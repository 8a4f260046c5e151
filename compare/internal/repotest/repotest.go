// Package repotest holds what the tests that run real contenders share:
// where the repository is, and whether a missing toolchain is a failure.
package repotest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Strict is make test's setting (TRIBENCH_REQUIRE_CONTENDERS=1): a
// contender whose toolchain is missing fails there instead of being skipped.
var Strict = os.Getenv("TRIBENCH_REQUIRE_CONTENDERS") == "1"

// Root is the repository's root folder: the one holding go.mod, above this
// file.
func Root(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("repotest: no caller information")
	}
	root, err := filepath.Abs(filepath.Join(filepath.Dir(file), "..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repotest: %s holds no go.mod: %v", root, err)
	}
	return root
}
