// Package hosts says where a run's processes run: the server and its
// loaders on this machine (local), in network namespaces tribench makes
// (netns:NAME, joined to each other and to nothing else), or on other
// machines over OpenSSH (ssh:user@host[:port]). A hosts file is data:
//
//	{
//	  "server":  {"host": "netns:server", "cpus": "1"},
//	  "loaders": [{"host": "netns:loader", "cpus": "0"}],
//	  "bandwidth": "1gbit"
//	}
package hosts

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Kinds of host.
const (
	Local = "local"
	NetNS = "netns"
	SSH   = "ssh"
)

// A File is a hosts file: the server's host and its loaders'.
type File struct {
	Server  Spec   `json:"server"`
	Loaders []Spec `json:"loaders"`
	// Bandwidth, when set, caps every namespace link with a token bucket
	// (tc tbf), e.g. "1gbit"; namespaces only.
	Bandwidth string `json:"bandwidth,omitempty"`
	// Delay is refused: this kernel has no netem to add it.
	Delay string `json:"delay,omitempty"`
	// SSHConfig, when set, is the OpenSSH client configuration for the ssh:
	// hosts, read instead of ~/.ssh/config (ssh -F): keys, known hosts, a
	// ProxyCommand. Relative to the hosts file's folder.
	SSHConfig string `json:"ssh_config,omitempty"`
}

// A Spec is one host as a hosts file names it.
type Spec struct {
	// Host is local, netns:NAME or ssh:user@host[:port].
	Host string `json:"host"`
	// CPUs is the CPU list its process runs on there, e.g. 0 or 2-5; every
	// CPU when empty.
	CPUs string `json:"cpus,omitempty"`
}

// An Address is a parsed Spec.Host.
type Address struct {
	Kind string
	// Name is a namespace's name (without the run's prefix).
	Name string
	// User, Host and Port are an SSH host's.
	User, Host string
	Port       int
}

var (
	nsName  = regexp.MustCompile(`^[a-z][a-z0-9]{0,7}$`)
	sshHost = regexp.MustCompile(`^([a-z_][a-z0-9_.-]*)@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::([0-9]{1,5}))?$`)
	cpuList = regexp.MustCompile(`^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$`)
)

// ParseAddress reads local, netns:NAME (a lower-case letter and up to 7
// letters or digits, so the prefixed name stays short) or
// ssh:user@host[:port].
func ParseAddress(host string) (Address, error) {
	kind, rest, _ := strings.Cut(host, ":")
	switch kind {
	case Local:
		if host != Local {
			return Address{}, fmt.Errorf("host %q: local takes nothing after it", host)
		}
		return Address{Kind: Local}, nil
	case NetNS:
		if !nsName.MatchString(rest) {
			return Address{}, fmt.Errorf("host %q: a namespace name is a lower-case letter and up to 7 letters or digits", host)
		}
		return Address{Kind: NetNS, Name: rest}, nil
	case SSH:
		m := sshHost.FindStringSubmatch(rest)
		if m == nil {
			return Address{}, fmt.Errorf("host %q: give ssh:user@host or ssh:user@host:port", host)
		}
		a := Address{Kind: SSH, User: m[1], Host: m[2], Port: 22}
		if m[3] != "" {
			p, _ := strconv.Atoi(m[3])
			if p < 1 || p > 65535 {
				return Address{}, fmt.Errorf("host %q: port %d is not 1 to 65535", host, p)
			}
			a.Port = p
		}
		return a, nil
	}
	return Address{}, fmt.Errorf("host %q: give local, netns:NAME or ssh:user@host[:port]", host)
}

// Load reads and checks a hosts file.
func Load(path string) (File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("hosts file: %w", err)
	}
	var f File
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("hosts file %s: %w", path, err)
	}
	if err := f.Check(); err != nil {
		return File{}, fmt.Errorf("hosts file %s: %w", path, err)
	}
	if f.SSHConfig != "" && !filepath.IsAbs(f.SSHConfig) {
		f.SSHConfig = filepath.Join(filepath.Dir(path), f.SSHConfig)
	}
	return f, nil
}

// Check holds a hosts file to its rules: one server, at least one loader,
// every host well formed, a namespace named once, namespaces not mixed with
// other kinds (they are joined only to each other), no delay.
func (f File) Check() error {
	if f.Server.Host == "" {
		return errors.New(`no server: give "server": {"host": ...}`)
	}
	if len(f.Loaders) == 0 {
		return errors.New(`no loader: give "loaders": [{"host": ...}]`)
	}
	if f.Delay != "" {
		return fmt.Errorf("delay %q: this kernel has no netem, so no delay can be added (bandwidth can: tbf)", f.Delay)
	}
	seen := map[string]bool{}
	kinds := map[string]bool{}
	for _, s := range f.All() {
		a, err := ParseAddress(s.Host)
		if err != nil {
			return err
		}
		if _, err := ParseCPUs(s.CPUs); err != nil {
			return fmt.Errorf("host %s: %w", s.Host, err)
		}
		if a.Kind == NetNS {
			if seen[a.Name] {
				return fmt.Errorf("host %s is named twice: one namespace is one host", s.Host)
			}
			seen[a.Name] = true
		}
		kinds[a.Kind] = true
	}
	if kinds[NetNS] && len(kinds) > 1 {
		return errors.New("namespaces are joined only to each other: make every host netns:NAME, or none")
	}
	if f.SSHConfig != "" && !kinds[SSH] {
		return fmt.Errorf("ssh_config %q: no host is ssh:", f.SSHConfig)
	}
	if f.Bandwidth != "" {
		if !kinds[NetNS] {
			return fmt.Errorf("bandwidth %q: only namespace links can be capped here", f.Bandwidth)
		}
		if !regexp.MustCompile(`^[0-9]+(\.[0-9]+)?[kmg]?bit$`).MatchString(f.Bandwidth) {
			return fmt.Errorf("bandwidth %q: give a tc rate such as 100mbit or 1gbit", f.Bandwidth)
		}
	}
	return nil
}

// All is the server's spec and then the loaders'.
func (f File) All() []Spec { return append([]Spec{f.Server}, f.Loaders...) }

// ParseCPUs reads a CPU list such as 0, 2-5 or 0,2-3 into its CPU numbers,
// in order; an empty list is nil (every CPU).
func ParseCPUs(list string) ([]int, error) {
	if list == "" {
		return nil, nil
	}
	if !cpuList.MatchString(list) {
		return nil, fmt.Errorf("cpus %q is not a CPU list such as 0 or 2-5,7", list)
	}
	var cpus []int
	for _, part := range strings.Split(list, ",") {
		lo, hi, ranged := strings.Cut(part, "-")
		a, _ := strconv.Atoi(lo)
		b := a
		if ranged {
			b, _ = strconv.Atoi(hi)
		}
		if b < a {
			return nil, fmt.Errorf("cpus %q: range %s runs backwards", list, part)
		}
		for c := a; c <= b; c++ {
			cpus = append(cpus, c)
		}
	}
	return cpus, nil
}
