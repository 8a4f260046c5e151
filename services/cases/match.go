package cases

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A matcher checks a decoded JSON value (decoded with UseNumber) at a JSON
// pointer path and returns a description of the first mismatch, or nil.
type matcher interface {
	match(at string, got any, env *env) error
}

// env is what a matcher may consult: captured values and the accepted clock window.
type env struct {
	vars                 map[string]string
	minUnix, maxUnixTime int64
}

var integerLiteral = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

func compileMatcher(raw json.RawMessage) (matcher, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return compileValue(v)
}

func compileValue(v any) (matcher, error) {
	switch x := v.(type) {
	case map[string]any:
		for k := range x {
			if strings.HasPrefix(k, "$") {
				if len(x) != 1 {
					return nil, fmt.Errorf("%s must be the only key of its object", k)
				}
				return compileSpecial(k, x[k])
			}
		}
		m := objectMatcher{}
		for k, fv := range x {
			fm, err := compileValue(fv)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			m[k] = fm
		}
		return m, nil
	case []any:
		m := make(arrayMatcher, len(x))
		for i, ev := range x {
			em, err := compileValue(ev)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			m[i] = em
		}
		return m, nil
	default:
		return literalMatcher{want: x}, nil
	}
}

// specialArgs decodes a special matcher's argument object strictly.
func specialArgs(arg any, into any) error {
	b, err := json.Marshal(arg)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	return dec.Decode(into)
}

func compileSpecial(key string, arg any) (matcher, error) {
	switch key {
	case "$int":
		var m intMatcher
		return m, specialArgs(arg, &m)
	case "$number":
		var m numberMatcher
		return m, specialArgs(arg, &m)
	case "$string":
		var m stringMatcher
		return m, specialArgs(arg, &m)
	case "$timestamp":
		return timestampMatcher{}, specialArgs(arg, &struct{}{})
	case "$var":
		name, ok := arg.(string)
		if !ok || name == "" {
			return nil, fmt.Errorf("$var takes a placeholder name")
		}
		return varMatcher(name), nil
	case "$array":
		var spec struct {
			Prefix    []any  `json:"prefix"`
			Len       *int   `json:"len"`
			MinLen    *int   `json:"min_len"`
			MaxLen    *int   `json:"max_len"`
			Items     any    `json:"items"`
			Ascending string `json:"ascending"`
		}
		if err := specialArgs(arg, &spec); err != nil {
			return nil, err
		}
		m := arrayShape{len: spec.Len, minLen: spec.MinLen, maxLen: spec.MaxLen, ascending: spec.Ascending}
		for i, p := range spec.Prefix {
			pm, err := compileValue(p)
			if err != nil {
				return nil, fmt.Errorf("prefix[%d]: %w", i, err)
			}
			m.prefix = append(m.prefix, pm)
		}
		if spec.Items != nil {
			im, err := compileValue(spec.Items)
			if err != nil {
				return nil, fmt.Errorf("items: %w", err)
			}
			m.items = im
		}
		return m, nil
	}
	return nil, fmt.Errorf("unknown matcher %s", key)
}

func describe(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const max = 120
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}

func mismatch(at, want string, got any) error {
	if at == "" {
		at = "/"
	}
	return fmt.Errorf("at %s: expected %s, got %s", at, want, describe(got))
}

type literalMatcher struct{ want any }

func (m literalMatcher) match(at string, got any, e *env) error {
	switch w := m.want.(type) {
	case string:
		want := expand(w, e.vars)
		if s, ok := got.(string); !ok || s != want {
			return mismatch(at, describe(want), got)
		}
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return mismatch(at, w.String(), got)
		}
		wf, _ := w.Float64()
		gf, err := g.Float64()
		if err != nil || wf != gf {
			return mismatch(at, w.String(), got)
		}
	default: // bool or nil
		if got != m.want {
			return mismatch(at, describe(m.want), got)
		}
	}
	return nil
}

type objectMatcher map[string]matcher

func (m objectMatcher) match(at string, got any, e *env) error {
	obj, ok := got.(map[string]any)
	if !ok {
		return mismatch(at, "an object", got)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, present := obj[k]
		if !present {
			return fmt.Errorf("at %s: missing key %q", orRoot(at), k)
		}
		if err := m[k].match(at+"/"+k, v, e); err != nil {
			return err
		}
	}
	for k := range obj {
		if _, wanted := m[k]; !wanted {
			return fmt.Errorf("at %s: unexpected key %q", orRoot(at), k)
		}
	}
	return nil
}

func orRoot(at string) string {
	if at == "" {
		return "/"
	}
	return at
}

type arrayMatcher []matcher

func (m arrayMatcher) match(at string, got any, e *env) error {
	arr, ok := got.([]any)
	if !ok {
		return mismatch(at, "an array", got)
	}
	if len(arr) != len(m) {
		return mismatch(at, fmt.Sprintf("an array of %d elements", len(m)), got)
	}
	for i, em := range m {
		if err := em.match(at+"/"+strconv.Itoa(i), arr[i], e); err != nil {
			return err
		}
	}
	return nil
}

// integer returns the value of an integer literal (no fraction, no exponent).
func integer(got any) (int64, bool) {
	n, ok := got.(json.Number)
	if !ok || !integerLiteral.MatchString(n.String()) {
		return 0, false
	}
	v, err := n.Int64()
	return v, err == nil
}

type intMatcher struct {
	Min *int64 `json:"min"`
	Max *int64 `json:"max"`
}

func (m intMatcher) match(at string, got any, _ *env) error {
	v, ok := integer(got)
	want := "an integer" + bounds(m.Min, m.Max)
	if !ok || (m.Min != nil && v < *m.Min) || (m.Max != nil && v > *m.Max) {
		return mismatch(at, want, got)
	}
	return nil
}

func bounds[T int64 | float64](lo, hi *T) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf(" in %v..%v", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf(" >= %v", *lo)
	case hi != nil:
		return fmt.Sprintf(" <= %v", *hi)
	}
	return ""
}

type numberMatcher struct {
	Min *float64 `json:"min"`
	Max *float64 `json:"max"`
}

func (m numberMatcher) match(at string, got any, _ *env) error {
	n, ok := got.(json.Number)
	want := "a number" + bounds(m.Min, m.Max)
	if !ok {
		return mismatch(at, want, got)
	}
	v, err := n.Float64()
	if err != nil || (m.Min != nil && v < *m.Min) || (m.Max != nil && v > *m.Max) {
		return mismatch(at, want, got)
	}
	return nil
}

type stringMatcher struct {
	Nonempty bool `json:"nonempty"`
}

func (m stringMatcher) match(at string, got any, _ *env) error {
	s, ok := got.(string)
	if !ok || (m.Nonempty && s == "") {
		return mismatch(at, "a non-empty string", got)
	}
	return nil
}

type timestampMatcher struct{}

func (timestampMatcher) match(at string, got any, e *env) error {
	v, ok := integer(got)
	if !ok || v < e.minUnix || v > e.maxUnixTime {
		return mismatch(at, fmt.Sprintf("integer Unix seconds in %d..%d", e.minUnix, e.maxUnixTime), got)
	}
	return nil
}

type varMatcher string

func (m varMatcher) match(at string, got any, e *env) error {
	want, ok := e.vars[string(m)]
	if !ok {
		return fmt.Errorf("at %s: placeholder %q was never captured", orRoot(at), string(m))
	}
	if v, ok := got.(json.Number); !ok || v.String() != want {
		return mismatch(at, want+" (captured "+string(m)+")", got)
	}
	return nil
}

type arrayShape struct {
	prefix              []matcher
	len, minLen, maxLen *int
	items               matcher
	ascending           string
}

func (m arrayShape) match(at string, got any, e *env) error {
	arr, ok := got.([]any)
	if !ok {
		return mismatch(at, "an array", got)
	}
	n := len(arr)
	switch {
	case m.len != nil && n != *m.len:
		return fmt.Errorf("at %s: expected %d elements, got %d", orRoot(at), *m.len, n)
	case m.minLen != nil && n < *m.minLen:
		return fmt.Errorf("at %s: expected at least %d elements, got %d", orRoot(at), *m.minLen, n)
	case m.maxLen != nil && n > *m.maxLen:
		return fmt.Errorf("at %s: expected at most %d elements, got %d", orRoot(at), *m.maxLen, n)
	case n < len(m.prefix):
		return fmt.Errorf("at %s: expected at least the %d prefix elements, got %d", orRoot(at), len(m.prefix), n)
	}
	for i, pm := range m.prefix {
		if err := pm.match(at+"/"+strconv.Itoa(i), arr[i], e); err != nil {
			return err
		}
	}
	if m.items != nil {
		for i, v := range arr {
			if err := m.items.match(at+"/"+strconv.Itoa(i), v, e); err != nil {
				return err
			}
		}
	}
	if m.ascending != "" {
		prev := int64(0)
		for i, v := range arr {
			obj, _ := v.(map[string]any)
			key, ok := integer(obj[m.ascending])
			if !ok {
				return fmt.Errorf("at %s/%d: expected an integer %q", orRoot(at), i, m.ascending)
			}
			if i > 0 && key <= prev {
				return fmt.Errorf("at %s/%d: %q %d is not greater than the previous %d", orRoot(at), i, m.ascending, key, prev)
			}
			prev = key
		}
	}
	return nil
}
