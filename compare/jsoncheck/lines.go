package jsoncheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/jsonbench"
)

// Commands are the commands of the JSON workload, as the json stage fills them.
var Commands = manifest.Commands{
	"parse":  {Placeholders: []string{"file", "mode", "repeat"}, Outputs: []string{manifest.OutputLine}},
	"digest": {Placeholders: []string{"file", "mode"}, Outputs: []string{manifest.OutputLine}},
	"check":  {Placeholders: []string{"dir"}, Outputs: []string{manifest.OutputLines}},
}

var hexDigest = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseResult decodes and validates a parse (or digest) command's line,
// reporting every problem at once.
func ParseResult(line []byte) (jsonbench.ParseLine, error) {
	var p jsonbench.ParseLine
	if err := json.Unmarshal(bytes.TrimSpace(line), &p); err != nil {
		return p, fmt.Errorf("not a parse result line: %w", err)
	}
	var problems []error
	if p.Runtime == "" {
		problems = append(problems, errors.New(`no "runtime"`))
	}
	if p.Mode != jsonbench.Generic && p.Mode != jsonbench.Typed {
		problems = append(problems, fmt.Errorf(`"mode" %q is not generic or typed`, p.Mode))
	}
	if p.Bytes <= 0 {
		problems = append(problems, fmt.Errorf(`"bytes" %d is not positive`, p.Bytes))
	}
	if len(p.Seconds) == 0 {
		problems = append(problems, errors.New(`no "seconds"`))
	}
	for _, s := range p.Seconds {
		if s <= 0 {
			problems = append(problems, fmt.Errorf(`"seconds" holds %v`, s))
		}
	}
	if p.Digest != "" && !hexDigest.MatchString(p.Digest) {
		problems = append(problems, fmt.Errorf(`"digest" %q is not a hex SHA-256`, p.Digest))
	}
	if (p.Digest == "") != (p.Counts == nil) {
		problems = append(problems, errors.New(`"digest" and "counts" come together`))
	}
	return p, errors.Join(problems...)
}

// Verdicts is what a check command answered: each file's verdict and reason.
type Verdicts struct {
	Summary jsonbench.CheckSummary
	Lines   []jsonbench.VerdictLine
}

// ParseVerdicts decodes a check command's lines: verdict lines, then the summary.
func ParseVerdicts(lines [][]byte) (Verdicts, error) {
	var v Verdicts
	var problems []error
	seen := map[string]bool{}
	for i, raw := range lines {
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(raw, &probe); err != nil {
			problems = append(problems, fmt.Errorf("line %d is not JSON: %w", i+1, err))
			continue
		}
		if _, ok := probe["item"]; !ok {
			if err := json.Unmarshal(raw, &v.Summary); err != nil {
				problems = append(problems, fmt.Errorf("summary line: %w", err))
			}
			continue
		}
		var l jsonbench.VerdictLine
		if err := json.Unmarshal(raw, &l); err != nil {
			problems = append(problems, fmt.Errorf("line %d: %w", i+1, err))
			continue
		}
		if l.Verdict != jsonbench.Accept && l.Verdict != jsonbench.Reject {
			problems = append(problems, fmt.Errorf("%s: verdict %q is not accept or reject", l.Item, l.Verdict))
		}
		if seen[l.Item] {
			problems = append(problems, fmt.Errorf("%s: two verdicts", l.Item))
		}
		seen[l.Item] = true
		v.Lines = append(v.Lines, l)
	}
	if v.Summary.Runtime == "" {
		problems = append(problems, errors.New("no summary line (with runtime and files)"))
	} else if v.Summary.Files != len(v.Lines) {
		problems = append(problems, fmt.Errorf("summary says %d files, %d verdicts", v.Summary.Files, len(v.Lines)))
	}
	return v, errors.Join(problems...)
}
