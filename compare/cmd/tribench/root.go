package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// repoRoot finds the repository root (the folder holding go.mod and services/)
// from the working directory upwards, so the CLI works from any subfolder.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if isRoot(dir) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the tribench repository (no go.mod beside services/ found upwards)")
		}
		dir = parent
	}
}

func isRoot(dir string) bool {
	for _, p := range []string{"go.mod", "services"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			return false
		}
	}
	return true
}
