package hosts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// setupTimeout bounds one step of a host's setup: a cold `make setup`
// builds CPython twice and the Kotlin reactor.
const setupTimeout = time.Hour

// Setup provisions the ssh: hosts of f from the project's own files: on
// each (once per destination) the work tree at root is copied to dir
// there (root's own path when dir is ""), by rsync over the host's master
// connection, leaving out .git and what .gitignore leaves out (results,
// build outputs, caches), and `make setup` runs there. It writes a line
// per host and step on w and stops at the first failure, naming the host
// and the step. Local and namespace hosts are this machine: nothing to do.
func Setup(ctx context.Context, f File, root, dir string, w io.Writer) (err error) {
	if err := f.Check(); err != nil {
		return err
	}
	if dir == "" {
		dir = root
	}
	if !filepath.IsAbs(root) || !filepath.IsAbs(dir) {
		return fmt.Errorf("setup: give absolute folders, not %s and %s", root, dir)
	}
	var done []Address
	for _, s := range f.All() {
		a, _ := ParseAddress(s.Host)
		if slices.Contains(done, a) {
			continue
		}
		done = append(done, a)
		if a.Kind != SSH {
			fmt.Fprintf(w, "%s: this machine, nothing to do\n", s.Host)
			continue
		}
		if err := setupHost(ctx, a, s.Host, f.SSHConfig, root, dir, w); err != nil {
			return fmt.Errorf("host %s: %w", s.Host, err)
		}
	}
	return nil
}

// setupHost copies the tree to one ssh: host and runs make setup there.
func setupHost(ctx context.Context, a Address, name, config, root, dir string, w io.Writer) (err error) {
	fmt.Fprintf(w, "%s: connecting\n", name)
	// Short: a control socket's path must fit in 108 bytes.
	sockets, err := os.MkdirTemp("", NewPrefix()+"ssh")
	if err != nil {
		return fmt.Errorf("ssh control folder: %w", err)
	}
	defer os.RemoveAll(sockets)
	c := &sshClient{addr: a, dir: sockets, config: config}
	if err := c.up(ctx); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, c.close()) }()

	fmt.Fprintf(w, "%s: copying %s to %s\n", name, root, dir)
	if err := c.remote(ctx, "mkdir -p "+shellQuote(dir)); err != nil {
		return fmt.Errorf("mkdir %s: %w", dir, err)
	}
	// rsync splits -e at spaces and honours single quotes.
	rsh := make([]string, 0, 16)
	for _, o := range c.options() {
		rsh = append(rsh, shellQuote(o))
	}
	if err := step(ctx, nil, "rsync", "-a", "--filter=:- .gitignore", "--exclude=/.git",
		"-e", strings.Join(rsh, " "), root+"/", a.User+"@"+a.Host+":"+dir+"/"); err != nil {
		return fmt.Errorf("copy with rsync: %w", err)
	}
	fmt.Fprintf(w, "%s: make setup in %s\n", name, dir)
	// Cold, make setup there takes many minutes: its lines are shown as
	// they come.
	if err := step(ctx, &prefixLines{w: w, prefix: name + ": | "}, append(c.args(), "--", "cd "+shellQuote(dir)+" && make setup")...); err != nil {
		return fmt.Errorf("make setup in %s: %w", dir, err)
	}
	fmt.Fprintf(w, "%s: ready\n", name)
	return nil
}

// remote runs a shell command line on the host.
func (c *sshClient) remote(ctx context.Context, line string) error {
	return step(ctx, nil, append(c.args(), "--", line)...)
}

// step runs one setup command, bounded in time, its output also shown on
// show when that is not nil; a failure carries the last lines of it.
func step(ctx context.Context, show io.Writer, argv ...string) error {
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdout = &out
	if show != nil {
		cmd.Stdout = io.MultiWriter(&out, show)
	}
	cmd.Stderr = cmd.Stdout
	err := cmd.Run()
	if p, ok := show.(*prefixLines); ok {
		p.flush()
	}
	if err != nil {
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) > 20 {
			lines = lines[len(lines)-20:]
		}
		return fmt.Errorf("%w: %s", err, strings.Join(lines, "\n"))
	}
	return nil
}

// prefixLines writes each whole line given to it to w after prefix.
type prefixLines struct {
	w       io.Writer
	prefix  string
	partial []byte
}

func (p *prefixLines) Write(b []byte) (int, error) {
	p.partial = append(p.partial, b...)
	for {
		i := bytes.IndexByte(p.partial, '\n')
		if i < 0 {
			return len(b), nil
		}
		if _, err := fmt.Fprintf(p.w, "%s%s\n", p.prefix, p.partial[:i]); err != nil {
			return len(b), err
		}
		p.partial = p.partial[i+1:]
	}
}

// flush writes a last line that had no newline.
func (p *prefixLines) flush() {
	if len(p.partial) > 0 {
		fmt.Fprintf(p.w, "%s%s\n", p.prefix, p.partial)
		p.partial = nil
	}
}
