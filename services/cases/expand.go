package cases

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

var placeholder = regexp.MustCompile(`\{\{([a-z_][a-z0-9_]*)\}\}`)

// expand replaces every {{name}} found in vars; others are left as they are.
func expand(s string, vars map[string]string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		if v, ok := vars[p[2:len(p)-2]]; ok {
			return v
		}
		return p
	})
}

// unresolved returns the first placeholder left in s, if any.
func unresolved(s string) (string, bool) {
	m := placeholder.FindString(s)
	return m, m != ""
}

// NewRunToken returns a token unique to a run: lower-case ASCII letters and digits,
// safe in an email local part, a path and a query.
func NewRunToken() string {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 60))
	if err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return "r" + n.Text(36)
}

// body builds the bytes a request sends, with placeholders expanded.
func (r Request) body(vars map[string]string) ([]byte, error) {
	switch {
	case r.BodyBase64 != "":
		return base64.StdEncoding.DecodeString(r.BodyBase64)
	case r.BodyJSON != nil:
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(expand(string(r.BodyJSON), vars))); err != nil {
			return nil, fmt.Errorf("body_json: %w", err)
		}
		return compact.Bytes(), nil
	case r.Body == nil:
		return nil, nil
	}
	text := expand(*r.Body, vars)
	if r.PadTo > 0 {
		fill := r.PadTo - (len(text) - len("{{pad}}"))
		if fill < 0 {
			return nil, fmt.Errorf("body is already longer than pad_to %d", r.PadTo)
		}
		text = strings.Replace(text, "{{pad}}", strings.Repeat(" ", fill), 1)
	}
	if p, ok := unresolved(text); ok {
		return nil, fmt.Errorf("placeholder %s has no value", p)
	}
	return []byte(text), nil
}
