package toolchain

import (
	"os"
	"path/filepath"
)

// Baseline is the Go toolchain go.mod's language level names.
const Baseline = "go1.23.12"

// Cache returns the cache root: $TRIBENCH_CACHE, else ~/.cache/tribench.
func Cache() string {
	if c := os.Getenv("TRIBENCH_CACHE"); c != "" {
		return c
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "tribench-cache")
	}
	return filepath.Join(home, ".cache", "tribench")
}

// An Interpreter is one Python the project provisions, by its stable path.
type Interpreter struct {
	// Name is the venv's name: py313, py313t, py311.
	Name string
	// Python is the venv's interpreter.
	Python string
}

// Interpreters lists the Python virtual environments setup creates, in report order.
func Interpreters(cache string) []Interpreter {
	var out []Interpreter
	for _, n := range []string{"py313", "py313t", "py311"} {
		out = append(out, Interpreter{Name: n, Python: filepath.Join(cache, "venv", n, "bin", "python")})
	}
	return out
}
