package build

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/tribench/tribench/compare/batch"
	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
	"github.com/tribench/tribench/compare/stage"
)

// buildTimeLimit bounds one build.
const buildTimeLimit = 15 * time.Minute

// skipped are the folders a source copy leaves out: version control, build
// outputs, results and caches.
var skipped = map[string]bool{".git": true, "bin": true, "results": true, "target": true, "__pycache__": true,
	".pytest_cache": true, ".ruff_cache": true, "node_modules": true}

// A workspace is one contender's source copy with its own build cache and
// output folder, all under one temporary folder.
type workspace struct {
	dir, src, out, gocache string
	// editFile is the source file warm rebuilds change, inside src.
	editFile string
	edits    int
	// first is the verify step's cold build.
	first *batch.Outcome
}

func newWorkspace(root string, c *stage.Contender) (*workspace, error) {
	cmd := c.Decl.Commands["compile"]
	if cmd.Edit == "" {
		return nil, fmt.Errorf("%s: its compile command names no file to edit", c.Name())
	}
	dir, err := os.MkdirTemp("", "tribench-build-"+c.Name()+"-")
	if err != nil {
		return nil, fmt.Errorf("build workspace: %w", err)
	}
	ws := &workspace{dir: dir, src: filepath.Join(dir, "src"), out: filepath.Join(dir, "out"), gocache: filepath.Join(dir, "gocache"),
		editFile: filepath.Join(dir, "src", cmd.Edit)}
	for _, d := range []string{ws.out, ws.gocache} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("build workspace: %w", err)
		}
	}
	if err := copyTree(root, ws.src); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("copy the sources: %w", err)
	}
	if _, err := os.Stat(ws.editFile); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%s: the file its warm rebuild edits: %w", c.Name(), err)
	}
	return ws, nil
}

// run makes the compile command's run in this workspace: offline, on every
// CPU, with the workspace's own Go build cache.
func (ws *workspace) run(r *stage.Run, c *stage.Contender) (batch.Run, error) {
	env := append(c.BuildEnviron(), "GOCACHE="+ws.gocache, "GOPROXY=off", "GOFLAGS=-mod=readonly")
	return r.Batch(c, "compile", stage.RunOptions{Vars: manifest.Vars{"src": ws.src, "out": ws.out}, Dir: ws.src, Env: env,
		CPUs: r.AllCPUs, TimeLimit: buildTimeLimit})
}

// build runs the compile command once, now.
func (ws *workspace) build(ctx context.Context, r *stage.Run, c *stage.Contender) batch.Outcome {
	run, err := ws.run(r, c)
	if err != nil {
		return batch.Outcome{Status: results.StatusFailed, Reason: err.Error()}
	}
	return batch.Execute(ctx, r.Exec, run)
}

// prime copies the outputs of a previous real build (relative to root) into
// the workspace, so its first build is a warm one.
func (ws *workspace) prime(root, outputs string) error {
	from := filepath.Join(root, outputs)
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("the build outputs to start from: %w (make setup builds them)", err)
	}
	if err := copyTree(from, filepath.Join(ws.src, outputs)); err != nil {
		return fmt.Errorf("copy the build outputs: %w", err)
	}
	return nil
}

// edit changes the edit file by one more line: a comment, which changes the
// file's content (and so its hash in Go's build cache) and nothing else.
func (ws *workspace) edit() error {
	f, err := os.OpenFile(ws.editFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("warm rebuild edit: %w", err)
	}
	ws.edits++
	if _, err := fmt.Fprintf(f, "\n// tribench build stage: warm rebuild %d\n", ws.edits); err != nil {
		f.Close()
		return fmt.Errorf("warm rebuild edit: %w", err)
	}
	return f.Close()
}

// copyTree copies the regular files under from to to, leaving out skipped folders.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel != "." && skipped[d.Name()] {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(path, filepath.Join(to, rel))
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, st.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
