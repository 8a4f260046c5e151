package manifest

import (
	"os"
	"sort"
)

// Vars are the values placeholders expand to.
type Vars map[string]string

// With returns a copy of v with more values.
func (v Vars) With(more Vars) Vars {
	out := make(Vars, len(v)+len(more))
	for k, val := range v {
		out[k] = val
	}
	for k, val := range more {
		out[k] = val
	}
	return out
}

// Expand replaces the placeholders of s with v; an unknown one stays as it is.
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

// ExpandMap expands every value of m.
func (v Vars) ExpandMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, val := range m {
		out[k] = v.Expand(val)
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

// Unfilled lists the placeholders left in s.
func Unfilled(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
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
