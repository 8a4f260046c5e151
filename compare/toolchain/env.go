package toolchain

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"
)

// probeTimeout bounds each version command.
const probeTimeout = 20 * time.Second

// An Env is what a report quotes about the machine and its runtimes.
type Env struct {
	CPUModel string `json:"cpu_model"`
	CPUs     int    `json:"cpus"`
	Kernel   string `json:"kernel"`
	// Memory is the machine's total memory in bytes (MemTotal); 0 when
	// /proc/meminfo cannot be read.
	Memory   int64     `json:"memory"`
	Runtimes []Runtime `json:"runtimes"`
	// Libraries maps "<ecosystem>/<name>" to a version, e.g. "go/github.com/valyala/fasthttp".
	Libraries map[string]string `json:"libraries"`
}

// A Runtime is one toolchain or tool and its version, or why it is missing.
type Runtime struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Path    string `json:"path,omitempty"`
	// Detail holds extra facts, e.g. "GIL disabled".
	Detail string `json:"detail,omitempty"`
	// Missing says why the runtime could not be found; empty when it was.
	Missing string `json:"missing,omitempty"`
}

// Probe reads the environment of repo (the repository root). It never fails: a
// runtime that cannot be probed is listed with the reason.
func Probe(ctx context.Context, repo string) Env {
	e := Env{CPUs: runtime.NumCPU(), Libraries: map[string]string{}}
	e.CPUModel, e.Kernel, e.Memory = cpuModel(), kernel(), memTotal()
	cache := Cache()

	e.add(command(ctx, "Go (baseline)", []string{"GOTOOLCHAIN=" + Baseline}, "go", "version"))
	e.add(command(ctx, "Go (current)", []string{"GOTOOLCHAIN=local"}, "go", "version"))
	for _, in := range Interpreters(cache) {
		e.add(python(ctx, in))
	}
	e.add(command(ctx, "JVM for Kotlin contenders", nil, filepath.Join(cache, "jdk", "21", "bin", "java"), "-version"))
	for _, jdk := range jdks() {
		e.add(command(ctx, "JDK "+filepath.Base(jdk), nil, filepath.Join(jdk, "bin", "java"), "-version"))
	}
	e.add(command(ctx, "Maven", nil, "mvn", "--batch-mode", "-v"))
	e.add(command(ctx, "wrk", nil, "wrk", "-v"))
	e.addKotlin(filepath.Join(repo, "compare", "toolchain", "kotlin", "pom.xml"))
	e.addGoLibraries(filepath.Join(repo, "go.mod"))
	for _, in := range Interpreters(cache) {
		e.addPythonLibraries(ctx, in)
	}
	return e
}

func (e *Env) add(r Runtime) { e.Runtimes = append(e.Runtimes, r) }

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func kernel() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "unknown"
	}
	return "Linux " + strings.TrimSpace(string(b))
}

// MemoryString is the total memory as a report quotes it, e.g. "7.8 GiB";
// "unknown" when it could not be read.
func (e Env) MemoryString() string {
	if e.Memory <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.1f GiB", float64(e.Memory)/(1<<30))
}

// memTotal reads the machine's total memory from /proc/meminfo, in bytes.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			var kib int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kib); err == nil {
				return kib << 10
			}
		}
	}
	return 0
}

// command runs a version command and keeps the first line of its output.
func command(ctx context.Context, name string, env []string, argv ...string) Runtime {
	r := Runtime{Name: name}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		r.Missing = argv[0] + " not found"
		return r
	}
	r.Path = path
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	first := firstLine(string(out))
	// wrk -v exits 1 after printing its version.
	if err != nil && first == "" {
		r.Missing = fmt.Sprintf("%s: %v", strings.Join(argv, " "), err)
		return r
	}
	r.Version = first
	return r
}

// ansiEscape matches terminal colour codes some tools print even into a pipe.
var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func firstLine(s string) string {
	for _, l := range strings.Split(ansiEscape.ReplaceAllString(s, ""), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "go: downloading") {
			return l
		}
	}
	return ""
}

func jdks() []string {
	dirs, _ := filepath.Glob("/usr/lib/jvm/*")
	var out []string
	seen := map[string]bool{}
	for _, d := range dirs {
		real, err := filepath.EvalSymlinks(d)
		if err != nil || seen[real] {
			continue
		}
		if _, err := os.Stat(filepath.Join(real, "bin", "java")); err == nil {
			seen[real] = true
			out = append(out, real)
		}
	}
	sort.Strings(out)
	return out
}

const pythonProbe = `import json, sys
print(json.dumps({"version": sys.version.split()[0], "full": sys.version.replace("\n", " "),
  "gil": getattr(sys, "_is_gil_enabled", lambda: True)()}))`

func python(ctx context.Context, in Interpreter) Runtime {
	r := Runtime{Name: "CPython (" + in.Name + ")", Path: in.Python}
	if _, err := os.Stat(in.Python); err != nil {
		r.Missing = in.Python + " does not exist (run make setup)"
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, in.Python, "-c", pythonProbe).Output()
	if err != nil {
		r.Missing = fmt.Sprintf("%s: %v", in.Python, err)
		return r
	}
	var v struct {
		Version, Full string
		GIL           bool
	}
	if err := json.Unmarshal(out, &v); err != nil {
		r.Missing = fmt.Sprintf("%s: unexpected output %q", in.Python, out)
		return r
	}
	r.Version = "CPython " + v.Version
	r.Detail = "GIL enabled"
	if !v.GIL {
		r.Detail = "GIL disabled (free-threaded)"
	}
	r.Detail += "; " + v.Full
	return r
}

const pythonLibraries = `import json, importlib.metadata as m
out = {}
for d in ["fastapi", "uvicorn", "uvloop", "httptools", "pydantic", "pillow", "orjson", "msgspec"]:
    try:
        out[d] = m.version(d)
    except m.PackageNotFoundError:
        pass
print(json.dumps(out))`

func (e *Env) addPythonLibraries(ctx context.Context, in Interpreter) {
	if _, err := os.Stat(in.Python); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, in.Python, "-c", pythonLibraries).Output()
	if err != nil {
		return
	}
	var libs map[string]string
	if json.Unmarshal(out, &libs) == nil {
		for k, v := range libs {
			e.Libraries["python/"+in.Name+"/"+k] = v
		}
	}
}

// goLibraries are the Go dependencies a report quotes.
var goLibraries = map[string]bool{
	"github.com/valyala/fasthttp": true, "github.com/goccy/go-json": true, "github.com/disintegration/imaging": true,
	"github.com/HdrHistogram/hdrhistogram-go": true, "golang.org/x/perf": true, "golang.org/x/sys": true,
}

// addGoLibraries records the pinned versions of go.mod, which every Go contender
// and the harness build with (one module, one go.sum).
func (e *Env) addGoLibraries(goMod string) {
	data, err := os.ReadFile(goMod)
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) >= 2 && goLibraries[f[0]] {
			e.Libraries["go/"+f[0]] = f[1]
		}
	}
}

// pom is the part of the Kotlin reactor's pom that names versions: one profile per
// Kotlin variant, each with its properties.
type pom struct {
	Profiles []struct {
		ID         string `xml:"id"`
		Properties struct {
			Entries []struct {
				XMLName xml.Name
				Value   string `xml:",chardata"`
			} `xml:",any"`
		} `xml:"properties"`
	} `xml:"profiles>profile"`
}

// addKotlin reads the Kotlin variants' versions from the reactor's profiles.
func (e *Env) addKotlin(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		e.add(Runtime{Name: "Kotlin", Missing: "no Kotlin reactor at " + path})
		return
	}
	var p pom
	if err := xml.Unmarshal(data, &p); err != nil || len(p.Profiles) == 0 {
		e.add(Runtime{Name: "Kotlin", Missing: fmt.Sprintf("%s: no profiles (%v)", path, errors.Join(err))})
		return
	}
	for _, prof := range p.Profiles {
		r := Runtime{Name: "Kotlin (" + prof.ID + ")", Path: path}
		for _, en := range prof.Properties.Entries {
			k, v := en.XMLName.Local, strings.TrimSpace(en.Value)
			if k == "kotlin.version" {
				r.Version = "Kotlin " + v
			}
			e.Libraries["kotlin/"+prof.ID+"/"+k] = v
		}
		if r.Version == "" {
			r.Missing = "profile " + prof.ID + " sets no kotlin.version"
		}
		e.add(r)
	}
}

// Summary is the environment as a report quotes it: cpu (model and count),
// kernel, memory, and every runtime's and library's version by name.
func (e Env) Summary() map[string]string {
	m := map[string]string{"cpu": fmt.Sprintf("%s x %d", e.CPUModel, e.CPUs), "kernel": e.Kernel, "memory": e.MemoryString()}
	for _, r := range e.Runtimes {
		if r.Missing != "" {
			m[r.Name] = "missing: " + r.Missing
		} else {
			m[r.Name] = r.Version
		}
	}
	for k, v := range e.Libraries {
		m[k] = v
	}
	return m
}
