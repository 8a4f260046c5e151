package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Kinds of contender.
const (
	// Canonical contenders implement the workload's contract and are ranked.
	Canonical = "canonical"
	// Article contenders reproduce the article's configuration on purpose; they are
	// shown beside the canonical ones with what they do differently.
	Article = "article"
	// Calibration entries are references (such as this machine's HTTP ceiling):
	// never checked by the oracle, never ranked, shown as a reference line.
	Calibration = "calibration"
)

// Output modes of a command: how the batch runner reads its stdout.
const (
	// OutputLine: one JSON line at the end.
	OutputLine = "line"
	// OutputLines: one JSON line per item, then one final summary line.
	OutputLines = "lines"
	// OutputReady: the contender prints "ready" at a quiet point and waits for its
	// stdin to close, then prints its one final JSON line.
	OutputReady = "ready"
	// OutputServer: a server that runs until stopped (the serve command).
	OutputServer = "server"
	// OutputNone: nothing to read; the exit status and the harness's outside
	// measurements are the result (a compiler).
	OutputNone = "none"
)

// Readiness checks of a server command.
const (
	// ReadyHTTP: GET /health answers 200 (the default).
	ReadyHTTP = "http"
	// ReadyTCP: the port accepts a connection.
	ReadyTCP = "tcp"
)

// Roles a contender plays beyond its stages, named in its "roles" list.
const (
	// RoleClaims: the contender stands in for a side of one of the article's
	// claims (compare/claims), so the quick and smoke profiles measure it
	// where a stage measures only a few (the tasks stage's capacity search)
	// and give it interleaved rounds, paired by round (the http stage).
	RoleClaims = "claims"
	// RoleEveryMix: the quick and smoke profiles load the contender with
	// every mix and search its max stable connections (the full profile does
	// so for every contender).
	RoleEveryMix = "every-mix"
	// RoleWrk: the quick and smoke profiles cross-check the contender's list
	// mix with wrk (the full profile every contender's).
	RoleWrk = "wrk"
	// RoleReference: the contender whose output is the oracle of a user's
	// own input (the json stage's digest of --file).
	RoleReference = "reference"
)

// knownRoles lists every role a manifest may name.
var knownRoles = []string{RoleClaims, RoleEveryMix, RoleWrk, RoleReference}

// FileName is the manifest's name inside a workload folder.
const FileName = "contenders.json"

// A File is one workload's manifest.
type File struct {
	Workload string `json:"workload"`
	// Baselines names, by stage, the contender every other one is compared
	// with in that stage's tables ("times faster than").
	Baselines  map[string]string `json:"baselines,omitempty"`
	Contenders []Contender       `json:"contenders"`
}

// Baseline is the contender stage compares every other one with, or "".
func (f File) Baseline(stage string) string { return f.Baselines[stage] }

// WithRole returns the names of the contenders that play role, in manifest order.
func (f File) WithRole(role string) []string {
	var out []string
	for _, c := range f.Contenders {
		if c.HasRole(role) {
			out = append(out, c.Name)
		}
	}
	return out
}

// A Contender is one declared implementation or variant of a workload.
//
// Strings may hold placeholders: {{repo}} (repository root), {{cache}}
// (TRIBENCH_CACHE), {{bin}} (the harness's build output folder), {{cpus}} (how
// many CPUs the contender's CPU set has), and inside a command's argv the
// placeholders its stage fills (see Commands).
type Contender struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	Kind     string `json:"kind"`
	// Label is a short human name of what this entry is (a library, a variant).
	Label     string `json:"label,omitempty"`
	Toolchain string `json:"toolchain"`
	// Sources lists the contender's own source files, as globs relative to
	// the repository root (filepath.Match syntax, no placeholders); a glob
	// that starts with "!" leaves out what it matches. Libraries, tests and
	// the harness's input generators are not the contender's own: the report
	// shows these files' size beside the speed (SourceFiles).
	Sources []string `json:"sources,omitempty"`
	// Requires lists files that must exist (interpreters, jars from setup); a
	// contender missing one is unavailable, with the reason shown, not a failure.
	Requires []string `json:"requires,omitempty"`
	// Build lists commands run from the repository root, in order.
	Build    [][]string        `json:"build,omitempty"`
	BuildEnv map[string]string `json:"build_env,omitempty"`
	// Version prints the runtime's version; its output is recorded with results.
	Version []string          `json:"version,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
	// Settings are the production settings written down for the report.
	Settings map[string]string `json:"settings,omitempty"`
	// Note says what a non-canonical entry deliberately does differently.
	Note string `json:"note,omitempty"`
	// Fallback names the contender this one stands in for when that one is
	// unavailable (e.g. CPython 3.11 for 3.13); the report marks its rows.
	Fallback string `json:"fallback_for,omitempty"`
	// Roles are the roles it plays (RoleClaims), each named once.
	Roles []string `json:"roles,omitempty"`
	// Commands are the commands the contender answers, by name (serve, resize,
	// parse, check, probe, cpu, tasks, ...).
	Commands map[string]Command `json:"commands"`
}

// A Command is one command a contender answers.
type Command struct {
	Argv []string `json:"argv"`
	// Output is how its stdout is read; the stage's default when empty.
	Output string `json:"output,omitempty"`
	// Ready says how a server is known to be up: ReadyHTTP (default) or ReadyTCP.
	Ready string `json:"ready,omitempty"`
	// Edit names a source file, relative to the repository root, that a warm
	// rebuild changes by one line (the compile command of the build stage).
	Edit string `json:"edit,omitempty"`
	// Prime names the build outputs, relative to the repository root, of a
	// previous real build (make setup's) that a warm rebuild may start from
	// instead of a cold build of its own.
	Prime string `json:"prime,omitempty"`
}

// A Spec declares what a stage expects of one command: the placeholders it
// fills in the argv and the output modes it can read.
type Spec struct {
	Placeholders []string
	Outputs      []string
}

// Commands maps every command name a registered stage uses to its Spec; the
// stage registry builds it, and validation holds manifests to it.
type Commands map[string]Spec

// Global placeholders, valid in every string of a contender.
var Global = []string{"repo", "cache", "bin", "cpus"}

var (
	namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
	placeholder = regexp.MustCompile(`\{\{([a-z_]+)\}\}`)
	languages   = []string{"go", "python", "kotlin"}
)

// Load reads and validates the manifest file at rel, a path relative to the
// repository root, against the known commands, reporting all problems at once.
func Load(root, rel string, known Commands) (File, error) {
	path := filepath.Join(root, rel)
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
	if err := f.Validate(root, known); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Validate checks required keys, names, kinds, commands, placeholders and
// that every sources glob matches a file under root, and returns every
// problem found.
func (f File) Validate(root string, known Commands) error {
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
		if !slices.Contains(languages, c.Language) {
			add(c, "language %q is not one of %s", c.Language, strings.Join(languages, ", "))
		}
		switch c.Kind {
		case Canonical, Calibration:
		case Article:
			if c.Note == "" {
				add(c, "an article entry needs a note saying what it does differently")
			}
		default:
			add(c, "kind %q is not %q, %q or %q", c.Kind, Canonical, Article, Calibration)
		}
		if c.Toolchain == "" {
			add(c, "toolchain is required")
		}
		for _, b := range c.Build {
			if len(b) == 0 {
				add(c, "an empty build command")
			}
		}
		for _, s := range c.globalStrings() {
			for _, p := range unknownPlaceholders(s, nil) {
				add(c, "unknown placeholder {{%s}} in %q", p, s)
			}
		}
		for i, r := range c.Roles {
			if !slices.Contains(knownRoles, r) {
				add(c, "role %q is not one of %s", r, strings.Join(knownRoles, ", "))
			} else if slices.Contains(c.Roles[:i], r) {
				add(c, "role %q named twice", r)
			}
		}
		problems = append(problems, c.validateCommands(known)...)
		if _, err := c.SourceFiles(root); err != nil {
			add(c, "sources: %v", err)
		}
	}
	for _, c := range f.Contenders {
		if c.Fallback != "" && !seen[c.Fallback] {
			add(c, "fallback_for names %q, which is not declared", c.Fallback)
		}
	}
	for _, stage := range sortedKeys(f.Baselines) {
		if name := f.Baselines[stage]; !seen[name] {
			problems = append(problems, fmt.Errorf("baseline of stage %q: %q is not a declared contender (declared: %s)",
				stage, name, strings.Join(slices.Sorted(maps.Keys(seen)), ", ")))
		}
	}
	if refs := f.WithRole(RoleReference); len(refs) > 1 {
		problems = append(problems, fmt.Errorf("role %q is played by %s: one contender at most", RoleReference, strings.Join(refs, " and ")))
	}
	return errors.Join(problems...)
}

func (c Contender) validateCommands(known Commands) []error {
	var problems []error
	add := func(cmd, format string, args ...any) {
		problems = append(problems, fmt.Errorf("contender %q, command %q: %s", c.Name, cmd, fmt.Sprintf(format, args...)))
	}
	if len(c.Commands) == 0 {
		problems = append(problems, fmt.Errorf("contender %q: declares no commands", c.Name))
	}
	for _, name := range sortedKeys(c.Commands) {
		cmd := c.Commands[name]
		spec, ok := known[name]
		if !ok {
			add(name, "no stage uses this command (known: %s)", strings.Join(sortedKeys(known), ", "))
			continue
		}
		if len(cmd.Argv) == 0 {
			add(name, "argv is required")
		}
		for _, s := range cmd.Argv {
			for _, p := range unknownPlaceholders(s, spec.Placeholders) {
				add(name, "unknown placeholder {{%s}} in %q (this command has %s)", p, s, placeholderList(spec.Placeholders))
			}
		}
		if cmd.Output != "" && !slices.Contains(spec.Outputs, cmd.Output) {
			add(name, "output %q is not one of %s", cmd.Output, strings.Join(spec.Outputs, ", "))
		}
		if (cmd.Edit != "" || cmd.Prime != "") && !slices.Contains(spec.Placeholders, "src") {
			add(name, "edit and prime apply to commands that build a source copy")
		}
		switch cmd.Ready {
		case "":
		case ReadyHTTP, ReadyTCP:
			if !slices.Contains(spec.Outputs, OutputServer) {
				add(name, "ready applies to servers only")
			}
		default:
			add(name, "ready %q is not %q or %q", cmd.Ready, ReadyHTTP, ReadyTCP)
		}
	}
	return problems
}

func unknownPlaceholders(s string, extra []string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(Global, m[1]) && !slices.Contains(extra, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

func placeholderList(extra []string) string {
	all := append(append([]string(nil), Global...), extra...)
	for i, p := range all {
		all[i] = "{{" + p + "}}"
	}
	return strings.Join(all, " ")
}

// globalStrings are the strings that may hold global placeholders only.
func (c Contender) globalStrings() []string {
	var out []string
	out = append(out, c.Requires...)
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

// SourceFiles expands the contender's sources under root: the files, as
// slash-separated paths relative to root, in name order. A glob that is
// absolute, climbs out of root, is malformed or matches no file is an error, so that a renamed file cannot
// silently shrink the count.
func (c Contender) SourceFiles(root string) ([]string, error) {
	set := map[string]bool{}
	fsys := os.DirFS(root)
	var problems []error
	for _, glob := range c.Sources {
		pattern, exclude := strings.CutPrefix(glob, "!")
		if !fs.ValidPath(pattern) {
			problems = append(problems, fmt.Errorf("%q is not a slash-separated path inside the repository", glob))
			continue
		}
		matches, err := fs.Glob(fsys, pattern)
		if err != nil {
			problems = append(problems, fmt.Errorf("%q: %w", glob, err))
			continue
		}
		n := 0
		for _, m := range matches {
			if st, err := fs.Stat(fsys, m); err != nil || !st.Mode().IsRegular() {
				continue
			}
			n++
			if exclude {
				delete(set, m)
			} else {
				set[m] = true
			}
		}
		if n == 0 {
			problems = append(problems, fmt.Errorf("%q matches no file under %s", glob, root))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	return slices.Sorted(maps.Keys(set)), nil
}

// Answers reports whether the contender declares every named command.
func (c Contender) Answers(commands ...string) bool {
	for _, name := range commands {
		if _, ok := c.Commands[name]; !ok {
			return false
		}
	}
	return true
}

// HasRole reports whether the contender plays role.
func (c Contender) HasRole(role string) bool { return slices.Contains(c.Roles, role) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Path is the manifest path of a workload folder, relative to the repository
// root (what Load takes).
func Path(workload string) string { return filepath.Join(workload, FileName) }
