package cases

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Rules that hold for every response, whatever the case expects. A failure of
// one of them is reported under its name instead of the case's rule.
const (
	RuleContentType = "every response has Content-Type: application/json"
	RuleErrorBody   = `every error has the body {"error": <non-empty string>, "timestamp": <integer unix seconds>}`
	RuleAllow       = "a 405 carries an Allow header with the route's methods"
	RuleTransport   = "the service answers every request with a complete HTTP response in time"
)

// DefaultRequestTimeout bounds each request a Runner sends.
const DefaultRequestTimeout = 5 * time.Second

// maxResponseBytes bounds how much of a response body is read.
const maxResponseBytes = 8 << 20

// timestampSlack is how far an error timestamp may be from the client's clock.
const timestampSlack = 5 * time.Second

// A Runner runs cases against one base URL.
type Runner struct {
	// BaseURL is the service's root, e.g. http://127.0.0.1:8080 (no trailing slash).
	BaseURL string
	// Client sends the requests; NewRunner sets one that never follows redirects.
	Client *http.Client
	// Token fills {{run}}; unique per run so cases can create users on any service.
	Token string
	// Timeout bounds each request.
	Timeout time.Duration
}

// NewRunner returns a Runner for baseURL with a fresh run token and a client that
// does not follow redirects and does not decompress.
func NewRunner(baseURL string) *Runner {
	return &Runner{
		BaseURL: strings.TrimRight(baseURL, "/"),
		Client:  NewClient(),
		Token:   NewRunToken(),
		Timeout: DefaultRequestTimeout,
	}
}

// NewClient returns an HTTP client fit for an oracle: no redirects followed, no
// transparent decompression, no proxy, bounded waits.
func NewClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DisableCompression:    true,
			MaxIdleConnsPerHost:   64,
			ResponseHeaderTimeout: DefaultRequestTimeout,
			IdleConnTimeout:       30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// A Result is the outcome of one case.
type Result struct {
	Case string `json:"case"`
	File string `json:"file"`
	// Rule is the rule that failed (the case's own, or a rule of every response), or
	// the case's rule when it passed.
	Rule string `json:"rule"`
	Pass bool   `json:"pass"`
	// Step is the 1-based step that failed, 0 when the case passed.
	Step int `json:"step,omitempty"`
	// Request is the failing request line, e.g. "POST /users".
	Request string `json:"request,omitempty"`
	// Detail says what was expected and what came back.
	Detail   string        `json:"detail,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// A Response is what came back for one request, body read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Run runs every step of c and returns the first failure, or a pass.
func (r *Runner) Run(ctx context.Context, c Case) Result {
	start := time.Now()
	res := Result{Case: c.Name, File: c.File, Rule: c.Rule, Pass: true}
	vars := map[string]string{"run": r.Token}
	for i, step := range c.Steps {
		repeat := max(step.Request.Repeat, 1)
		for k := 0; k < repeat; k++ {
			vars["i"] = strconv.Itoa(k)
			line, rule, err := r.runStep(ctx, step, vars)
			if err != nil {
				res.Pass, res.Step, res.Request, res.Detail = false, i+1, line, err.Error()
				if rule != "" {
					res.Rule = rule
				}
				res.Duration = time.Since(start)
				return res
			}
		}
	}
	res.Duration = time.Since(start)
	return res
}

// runStep sends one request and checks its response. It returns the request line,
// and on failure the rule that failed ("" for the case's own) and why.
func (r *Runner) runStep(ctx context.Context, step Step, vars map[string]string) (string, string, error) {
	path := expand(step.Request.Path, vars)
	line := step.Request.Method + " " + path
	if p, ok := unresolved(path); ok {
		return line, "", fmt.Errorf("placeholder %s has no value", p)
	}
	body, err := step.Request.body(vars)
	if err != nil {
		return line, "", err
	}
	before := time.Now()
	resp, err := r.Do(ctx, step.Request.Method, path, step.Request.Headers, body, vars)
	after := time.Now()
	if err != nil {
		return line, RuleTransport, err
	}
	decoded, rule, err := checkEveryResponse(resp, before, after)
	if err != nil {
		return line, rule, err
	}
	if resp.Status != step.Expect.Status {
		return line, "", fmt.Errorf("status: expected %d, got %d (body %s)", step.Expect.Status, resp.Status, clip(resp.Body))
	}
	if err := checkAllow(resp, step.Expect.Allow); err != nil {
		return line, RuleAllow, err
	}
	e := &env{vars: vars, minUnix: before.Add(-timestampSlack).Unix(), maxUnixTime: after.Add(timestampSlack).Unix()}
	if step.Expect.body != nil {
		if err := step.Expect.body.match("", decoded, e); err != nil {
			return line, "", fmt.Errorf("body %w", err)
		}
	}
	for name, ptr := range step.Capture {
		v, err := pointer(decoded, ptr)
		if err != nil {
			return line, "", fmt.Errorf("capture %s: %w", name, err)
		}
		vars[name] = v
	}
	return line, "", nil
}

// Do sends one request to the runner's base URL and reads the whole response.
func (r *Runner) Do(ctx context.Context, method, path string, headers map[string]string, body []byte, vars map[string]string) (Response, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.BaseURL+path, rd)
	if err != nil {
		return Response{}, fmt.Errorf("build request: %w", err)
	}
	for k, v := range headers {
		req.Header.Set(k, expand(v, vars))
	}
	resp, err := r.Client.Do(req)
	if err != nil {
		return Response{}, fmt.Errorf("no response: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return Response{}, fmt.Errorf("read response body: %w", err)
	}
	if len(data) > maxResponseBytes {
		return Response{}, fmt.Errorf("response body larger than %d bytes", maxResponseBytes)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// checkEveryResponse applies the rules that hold for every response and returns the
// decoded body.
func checkEveryResponse(resp Response, before, after time.Time) (any, string, error) {
	ct := resp.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return nil, RuleContentType, fmt.Errorf("Content-Type: expected application/json, got %q (status %d)", ct, resp.Status)
	}
	decoded, err := decodeJSON(resp.Body)
	if err != nil {
		return nil, RuleContentType, fmt.Errorf("body is not JSON (%v): %s", err, clip(resp.Body))
	}
	if resp.Status >= 400 {
		e := &env{minUnix: before.Add(-timestampSlack).Unix(), maxUnixTime: after.Add(timestampSlack).Unix()}
		if err := errorBody.match("", decoded, e); err != nil {
			return nil, RuleErrorBody, fmt.Errorf("status %d: error body %w", resp.Status, err)
		}
	}
	if resp.Status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
		return nil, RuleAllow, errors.New("405 without an Allow header")
	}
	return decoded, "", nil
}

var errorBody = objectMatcher{
	"error":     stringMatcher{Nonempty: true},
	"timestamp": timestampMatcher{},
}

// checkAllow checks that each wanted method is listed and that only those (plus
// HEAD and OPTIONS) are.
func checkAllow(resp Response, want []string) error {
	if len(want) == 0 {
		return nil
	}
	listed := map[string]bool{}
	for _, h := range resp.Header.Values("Allow") {
		for _, m := range strings.Split(h, ",") {
			if m = strings.ToUpper(strings.TrimSpace(m)); m != "" {
				listed[m] = true
			}
		}
	}
	allowed := map[string]bool{"HEAD": true, "OPTIONS": true}
	for _, m := range want {
		allowed[m] = true
		if !listed[m] {
			return fmt.Errorf("Allow: expected %s, got %q", strings.Join(want, ", "), strings.Join(resp.Header.Values("Allow"), ", "))
		}
	}
	for m := range listed {
		if !allowed[m] {
			return fmt.Errorf("Allow: lists %s, which the route does not serve (expected %s)", m, strings.Join(want, ", "))
		}
	}
	return nil
}

func decodeJSON(b []byte) (any, error) {
	if !utf8.Valid(b) {
		return nil, errors.New("invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON value")
	}
	return v, nil
}

// DecodeJSON decodes a response body as the oracle does: UTF-8, one JSON value,
// numbers kept as json.Number.
func DecodeJSON(b []byte) (any, error) { return decodeJSON(b) }

// pointer resolves a JSON pointer (RFC 6901, without escapes) and renders the value.
func pointer(v any, ptr string) (string, error) {
	cur := v
	if ptr != "" {
		for _, part := range strings.Split(ptr[1:], "/") {
			switch node := cur.(type) {
			case map[string]any:
				cur = node[part]
			case []any:
				i, err := strconv.Atoi(part)
				if err != nil || i < 0 || i >= len(node) {
					return "", fmt.Errorf("%s: no element %q", ptr, part)
				}
				cur = node[i]
			default:
				return "", fmt.Errorf("%s: cannot descend into %s", ptr, describe(cur))
			}
		}
	}
	switch x := cur.(type) {
	case json.Number:
		return x.String(), nil
	case string:
		return x, nil
	}
	return "", fmt.Errorf("%s: expected a number or string, got %s", ptr, describe(cur))
}

func clip(b []byte) string {
	const max = 160
	if len(b) > max {
		return fmt.Sprintf("%q...", b[:max])
	}
	return fmt.Sprintf("%q", b)
}
