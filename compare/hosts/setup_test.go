package hosts

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/hosts/hoststest"
)

// writeTree writes files (path → content) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for path, content := range files {
		require.NoError(t, os.MkdirAll(filepath.Join(root, filepath.Dir(path)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, path), []byte(content), 0o644))
	}
}

// hosts setup against an OpenSSH server in a namespace: a small work tree
// (its Makefile's setup target stands for the project's, which takes
// minutes cold in a fresh folder) copied into a temporary folder without
// what .gitignore and .git leave out, make setup run there; a failing
// make setup is an error naming the host and the step.
func TestSetupCopiesTheTreeAndRunsMakeSetup(t *testing.T) {
	needNamespaces(t)
	hoststest.NeedSSH(t)
	if _, err := os.Stat("/usr/bin/rsync"); err != nil {
		t.Skip("hosts setup needs rsync")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	keys, root, far := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "tree")
	writeTree(t, root, map[string]string{
		"Makefile":        "setup:\n\tpwd > made-setup\n",
		".gitignore":      "/results/\n/bin/\n*.test\n",
		"src/main.go":     "package main\n",
		"bin/tribench":    "built",
		"results/r.jsonl": "{}",
		"src/x.test":      "built",
		".git/HEAD":       "ref: refs/heads/main\n",
	})
	prefix := NewPrefix()
	n, err := Up(ctx, File{Server: Spec{Host: "netns:setsrv"}, Loaders: []Spec{{Host: "netns:setcli"}}}, prefix)
	require.NoError(t, err)
	defer func() {
		assert.NoError(t, n.Close())
		assertGone(t, prefix)
		assert.Empty(t, hoststest.Running(t, keys), "no sshd or ssh client left")
	}()
	d := hoststest.StartSSHD(t, keys, n.Server().IP, n.Server().Wrap, n.Loaders()[0].Wrap)
	host := "ssh:root@" + n.Server().IP
	f := File{Server: Spec{Host: host}, Loaders: []Spec{{Host: host + ":22"}, {Host: host}}, SSHConfig: d.Config}

	var out bytes.Buffer
	require.NoError(t, Setup(ctx, f, root, far, &out))
	assert.Equal(t, fmt.Sprintf("%[1]s: connecting\n%[1]s: copying %[2]s to %[3]s\n%[1]s: make setup in %[3]s\n%[1]s: | pwd > made-setup\n%[1]s: ready\n", host, root, far),
		out.String(), "one destination, set up once, make's lines shown")
	for path, want := range map[string]bool{"Makefile": true, ".gitignore": true, "src/main.go": true,
		"bin/tribench": false, "results/r.jsonl": false, "src/x.test": false, ".git": false} {
		_, err := os.Stat(filepath.Join(far, path))
		assert.Equal(t, want, err == nil, "%s copied: %v", path, want)
	}
	made, err := os.ReadFile(filepath.Join(far, "made-setup"))
	require.NoError(t, err, "make setup ran there")
	assert.Equal(t, far+"\n", string(made))

	writeTree(t, root, map[string]string{"Makefile": "setup:\n\t@echo no toolchain here >&2; exit 1\n"})
	err = Setup(ctx, f, root, far, &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "host "+host+": make setup in "+far)
	assert.Contains(t, err.Error(), "no toolchain here")
	assert.Contains(t, out.String(), host+": | no toolchain here\n", "make setup's lines are shown as they come")
}

func TestSetupHasNothingToDoOnThisMachine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file File
		want string
	}{
		{File{Server: Spec{Host: Local}, Loaders: []Spec{{Host: Local}}}, "local: this machine, nothing to do\n"},
		{File{Server: Spec{Host: "netns:a"}, Loaders: []Spec{{Host: "netns:b"}}},
			"netns:a: this machine, nothing to do\nnetns:b: this machine, nothing to do\n"},
	} {
		var out bytes.Buffer
		require.NoError(t, Setup(context.Background(), tc.file, "/work/tree", "", &out))
		assert.Equal(t, tc.want, out.String())
	}
	require.ErrorContains(t, Setup(context.Background(), File{Server: Spec{Host: Local}, Loaders: []Spec{{Host: Local}}}, "tree", "", &bytes.Buffer{}), "absolute")
}
