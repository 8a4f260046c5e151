package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Variants a contender can be.
const (
	// Canonical contenders implement the workload's contract and are ranked.
	Canonical = "canonical"
	// Article contenders reproduce the article's configuration on purpose; they are
	// shown beside the canonical ones with what they do differently.
	Article = "article"
)

// Workloads lists the workload folders, in report order.
var Workloads = []string{"services", "imageproc", "jsonbench", "memprobe"}

// FileName is the manifest's name inside a workload folder.
const FileName = "contenders.json"

// A File is one workload's manifest.
type File struct {
	Workload   string      `json:"workload"`
	Contenders []Contender `json:"contenders"`
}

// A Contender is one declared implementation or variant of a workload.
//
// Strings in Build, BuildEnv, Run, Env, Requires, Version and Settings may hold
// placeholders: {{repo}} (repository root), {{cache}} (TRIBENCH_CACHE), {{bin}}
// (the harness's build output folder), {{port}} (a free loopback port),
// {{cpus}} (how many CPUs the contender's CPU set has).
type Contender struct {
	Name      string `json:"name"`
	Language  string `json:"language"`
	Variant   string `json:"variant"`
	Toolchain string `json:"toolchain"`
	// Requires lists files that must exist (interpreters, jars from setup); a
	// contender missing one is unavailable, with the reason shown, not a failure.
	Requires []string `json:"requires,omitempty"`
	// Build lists commands run from the repository root, in order.
	Build    [][]string        `json:"build,omitempty"`
	BuildEnv map[string]string `json:"build_env,omitempty"`
	// Run is the argument vector that starts the contender.
	Run []string          `json:"run"`
	Env map[string]string `json:"env,omitempty"`
	// Version prints the runtime's version; its output is recorded with results.
	Version []string `json:"version,omitempty"`
	// Settings are the production settings written down for the report.
	Settings map[string]string `json:"settings,omitempty"`
	// Note says what a non-canonical variant deliberately does differently.
	Note string `json:"note,omitempty"`
	// Fallback names the contender this one stands in for when that one is
	// unavailable (e.g. CPython 3.11 for 3.13); the report marks its rows.
	Fallback string `json:"fallback_for,omitempty"`
}

var (
	namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
	placeholder = regexp.MustCompile(`\{\{([a-z_]+)\}\}`)
	known       = map[string]bool{"repo": true, "cache": true, "bin": true, "port": true, "cpus": true}
	languages   = map[string]bool{"go": true, "python": true, "kotlin": true}
)

// Load reads and validates one manifest file, reporting all problems at once.
func Load(path string) (File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("read manifest: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Validate(); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Discover loads the manifest of every workload folder under root that has one.
func Discover(root string) ([]File, error) {
	var files []File
	var problems []error
	for _, w := range Workloads {
		path := filepath.Join(root, w, FileName)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			continue
		}
		f, err := Load(path)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if f.Workload != w {
			problems = append(problems, fmt.Errorf("%s: workload %q, want %q", path, f.Workload, w))
		}
		files = append(files, f)
	}
	return files, errors.Join(problems...)
}

// Validate checks required keys, names, variants and placeholders and returns
// every problem found.
func (f File) Validate() error {
	var problems []error
	add := func(c Contender, format string, args ...any) {
		problems = append(problems, fmt.Errorf("contender %q: %s", c.Name, fmt.Sprintf(format, args...)))
	}
	if f.Workload == "" {
		problems = append(problems, errors.New("workload is required"))
	}
	if len(f.Contenders) == 0 {
		problems = append(problems, errors.New("no contenders"))
	}
	seen := map[string]bool{}
	for _, c := range f.Contenders {
		if !namePattern.MatchString(c.Name) {
			add(c, "name must match %s", namePattern)
		}
		if seen[c.Name] {
			add(c, "declared twice")
		}
		seen[c.Name] = true
		if !languages[c.Language] {
			add(c, "language %q is not one of go, python, kotlin", c.Language)
		}
		switch c.Variant {
		case Canonical:
		case Article:
			if c.Note == "" {
				add(c, "an article variant needs a note saying what it does differently")
			}
		default:
			add(c, "variant %q is not %q or %q", c.Variant, Canonical, Article)
		}
		if c.Toolchain == "" {
			add(c, "toolchain is required")
		}
		if len(c.Run) == 0 {
			add(c, "run is required")
		}
		for _, b := range c.Build {
			if len(b) == 0 {
				add(c, "an empty build command")
			}
		}
		for _, s := range c.strings() {
			for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
				if !known[m[1]] {
					add(c, "unknown placeholder {{%s}} in %q", m[1], s)
				}
			}
		}
	}
	for _, c := range f.Contenders {
		if c.Fallback != "" && !seen[c.Fallback] {
			add(c, "fallback_for names %q, which is not declared", c.Fallback)
		}
	}
	return errors.Join(problems...)
}

func (c Contender) strings() []string {
	var out []string
	out = append(out, c.Requires...)
	out = append(out, c.Run...)
	out = append(out, c.Version...)
	for _, b := range c.Build {
		out = append(out, b...)
	}
	for _, m := range []map[string]string{c.BuildEnv, c.Env, c.Settings} {
		for _, v := range m {
			out = append(out, v)
		}
	}
	return out
}

// Vars are the values placeholders expand to.
type Vars map[string]string

// Expand replaces the placeholders of s with v.
func (v Vars) Expand(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		if val, ok := v[p[2:len(p)-2]]; ok {
			return val
		}
		return p
	})
}

// ExpandAll expands every string of args.
func (v Vars) ExpandAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = v.Expand(a)
	}
	return out
}

// Environ expands env into KEY=VALUE pairs in key order.
func (v Vars) Environ(env map[string]string) []string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+"="+v.Expand(env[k]))
	}
	return out
}

// Missing returns the first required file that does not exist, expanded, or "".
func (c Contender) Missing(v Vars) string {
	for _, r := range c.Requires {
		p := v.Expand(r)
		if _, err := os.Stat(p); err != nil {
			return p
		}
	}
	return ""
}

// Find returns the contender with the given name across files.
func Find(files []File, name string) (File, Contender, bool) {
	for _, f := range files {
		for _, c := range f.Contenders {
			if c.Name == name {
				return f, c, true
			}
		}
	}
	return File{}, Contender{}, false
}

// Names lists every contender's name, for error messages.
func Names(files []File) string {
	var names []string
	for _, f := range files {
		for _, c := range f.Contenders {
			names = append(names, c.Name)
		}
	}
	return strings.Join(names, ", ")
}
