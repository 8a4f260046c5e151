package cases

import (
	"bytes"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed *.json
var embedded embed.FS

// A Case is one named check of the contract: steps run in order.
type Case struct {
	Name  string `json:"name"`
	Rule  string `json:"rule"`
	Note  string `json:"note,omitempty"`
	Steps []Step `json:"steps"`
	// File is the file the case was read from.
	File string `json:"-"`
}

// A Step is one request, what its response must be, and values to capture from it.
type Step struct {
	Request Request `json:"request"`
	Expect  Expect  `json:"expect"`
	// Capture maps a placeholder name to a JSON pointer into the response body.
	Capture map[string]string `json:"capture,omitempty"`
}

// A Request is an HTTP request template; strings may hold {{placeholders}}.
type Request struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers,omitempty"`
	// Body is UTF-8 text; BodyBase64 raw bytes; BodyJSON a JSON value sent compactly.
	Body       *string         `json:"body,omitempty"`
	BodyBase64 string          `json:"body_base64,omitempty"`
	BodyJSON   json.RawMessage `json:"body_json,omitempty"`
	// PadTo pads Body to exactly this many bytes by replacing {{pad}} with spaces.
	PadTo int `json:"pad_to,omitempty"`
	// Repeat sends the request this many times; {{i}} is the repetition index.
	Repeat int `json:"repeat,omitempty"`
}

// An Expect is what a response must be.
type Expect struct {
	Status int `json:"status"`
	// Allow lists methods that must appear in the Allow header.
	Allow []string `json:"allow,omitempty"`
	// Body is a matcher (see CONTRACT.md); absent means any JSON body.
	Body json.RawMessage `json:"body,omitempty"`

	body matcher
}

// Load reads and validates the contract cases embedded in this package.
func Load() ([]Case, error) {
	return LoadFS(embedded)
}

// LoadFS reads and validates every *.json file at the root of fsys, reporting all
// problems found, not only the first.
func LoadFS(fsys fs.FS) ([]Case, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("list case files: %w", err)
	}
	sort.Strings(names)
	var all []Case
	var problems []error
	seen := map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var cs []Case
		if err := dec.Decode(&cs); err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", name, err))
			continue
		}
		for i := range cs {
			c := &cs[i]
			c.File = path.Base(name)
			if prev, dup := seen[c.Name]; dup {
				problems = append(problems, fmt.Errorf("%s: case %q already defined in %s", name, c.Name, prev))
			}
			seen[c.Name] = name
			if err := c.compile(); err != nil {
				problems = append(problems, fmt.Errorf("%s: case %q: %w", name, c.Name, err))
			}
		}
		all = append(all, cs...)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	if len(all) == 0 {
		return nil, errors.New("no contract cases found")
	}
	return all, nil
}

func (c *Case) compile() error {
	if c.Name == "" || c.Rule == "" {
		return errors.New("name and rule are required")
	}
	if len(c.Steps) == 0 {
		return errors.New("no steps")
	}
	for i := range c.Steps {
		s := &c.Steps[i]
		r := s.Request
		if r.Method == "" || !strings.HasPrefix(r.Path, "/") {
			return fmt.Errorf("step %d: method and a path starting with / are required", i+1)
		}
		bodies := 0
		for _, set := range []bool{r.Body != nil, r.BodyBase64 != "", r.BodyJSON != nil} {
			if set {
				bodies++
			}
		}
		if bodies > 1 {
			return fmt.Errorf("step %d: give at most one of body, body_base64, body_json", i+1)
		}
		if r.PadTo > 0 && (r.Body == nil || !strings.Contains(*r.Body, "{{pad}}")) {
			return fmt.Errorf("step %d: pad_to needs a body holding {{pad}}", i+1)
		}
		if r.BodyBase64 != "" {
			if _, err := base64.StdEncoding.DecodeString(r.BodyBase64); err != nil {
				return fmt.Errorf("step %d: body_base64: %w", i+1, err)
			}
		}
		if s.Expect.Status < 100 || s.Expect.Status > 599 {
			return fmt.Errorf("step %d: expect.status %d is not an HTTP status", i+1, s.Expect.Status)
		}
		if s.Expect.Body != nil {
			m, err := compileMatcher(s.Expect.Body)
			if err != nil {
				return fmt.Errorf("step %d: expect.body: %w", i+1, err)
			}
			s.Expect.body = m
		}
		for name, ptr := range s.Capture {
			if name == "" || (ptr != "" && !strings.HasPrefix(ptr, "/")) {
				return fmt.Errorf("step %d: capture %q: pointer %q must start with /", i+1, name, ptr)
			}
		}
	}
	return nil
}
