package services

import (
	"bytes"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-json"
	"github.com/valyala/fasthttp"
)

// bodyReadLimit is how much fasthttp reads before giving up on a request. It is
// larger than MaxBodyBytes so that a body somewhat over the limit is read in full
// and answered with 413 on a connection that stays usable.
const bodyReadLimit = 8 * MaxBodyBytes

// A UserStore is what a Server needs of its store. *Store is the implementation;
// the interface lets tests put a deliberately broken store behind the server.
type UserStore interface {
	Create(name, email string) (User, error)
	Get(id int64) (User, bool)
	Page(skip, limit int64) []User
}

// A Server answers the user API contract from a UserStore.
type Server struct {
	store UserStore
	start time.Time
}

// NewServer returns a server over store; its uptime counts from now.
func NewServer(store UserStore) *Server {
	return &Server{store: store, start: time.Now()}
}

// HTTPServer returns a fasthttp server configured for the contract.
//
// Its only timeout is the keep-alive idle timeout, which the Python service
// copies. A read or write timeout would cost every request two deadline
// updates (a clock read and a timer change each, about 5 % of a list request's
// CPU under load); the Python and Kotlin services set neither, and the
// calibration handler, the ceiling the HTTP stage reads every figure
// against, runs on fasthttp's defaults, which set none.
func (s *Server) HTTPServer() *fasthttp.Server {
	return &fasthttp.Server{
		Handler:                      s.Handle,
		ErrorHandler:                 s.handleTransportError,
		Name:                         "tribench-go",
		MaxRequestBodySize:           bodyReadLimit,
		DisablePreParseMultipartForm: true,
		IdleTimeout:                  120 * time.Second,
	}
}

// Handle routes one request.
func (s *Server) Handle(ctx *fasthttp.RequestCtx) {
	path := ctx.Path()
	switch {
	case string(path) == "/health":
		if !ctx.IsGet() {
			methodNotAllowed(ctx, "GET")
			return
		}
		s.health(ctx)
	case string(path) == "/users":
		switch {
		case ctx.IsGet():
			s.list(ctx)
		case ctx.IsPost():
			s.create(ctx)
		default:
			methodNotAllowed(ctx, "GET, POST")
		}
	case bytes.HasPrefix(path, []byte("/users/")):
		id := path[len("/users/"):]
		if len(id) == 0 || bytes.IndexByte(id, '/') >= 0 {
			writeError(ctx, fasthttp.StatusNotFound, "not found")
			return
		}
		if !ctx.IsGet() {
			methodNotAllowed(ctx, "GET")
			return
		}
		s.get(ctx, id)
	default:
		writeError(ctx, fasthttp.StatusNotFound, "not found")
	}
}

type healthBody struct {
	Status string  `json:"status"`
	Uptime float64 `json:"uptime"`
}

func (s *Server) health(ctx *fasthttp.RequestCtx) {
	writeJSON(ctx, fasthttp.StatusOK, healthBody{Status: "healthy", Uptime: time.Since(s.start).Seconds()})
}

func (s *Server) list(ctx *fasthttp.RequestCtx) {
	args := ctx.QueryArgs()
	skip, limit := int64(0), int64(DefaultLimit)
	if args.Has("skip") {
		v, ok := ParseDecimal(args.Peek("skip"))
		if !ok {
			writeError(ctx, fasthttp.StatusBadRequest, "skip must be a decimal integer >= 0")
			return
		}
		skip = v
	}
	if args.Has("limit") {
		v, ok := ParseDecimal(args.Peek("limit"))
		if !ok || v < 1 || v > MaxLimit {
			writeError(ctx, fasthttp.StatusBadRequest, "limit must be a decimal integer in 1..1000")
			return
		}
		limit = v
	}
	writeJSON(ctx, fasthttp.StatusOK, s.store.Page(skip, limit))
}

func (s *Server) get(ctx *fasthttp.RequestCtx, rawID []byte) {
	id, ok := ParseDecimal(rawID)
	if !ok || id <= 0 {
		writeError(ctx, fasthttp.StatusBadRequest, "id must be a decimal integer >= 1")
		return
	}
	u, found := s.store.Get(id)
	if !found {
		writeError(ctx, fasthttp.StatusNotFound, "user not found")
		return
	}
	writeJSON(ctx, fasthttp.StatusOK, u)
}

func (s *Server) create(ctx *fasthttp.RequestCtx) {
	body := ctx.PostBody()
	if len(body) > MaxBodyBytes {
		writeError(ctx, fasthttp.StatusRequestEntityTooLarge, "body larger than 1 MiB")
		return
	}
	// goccy/go-json, like encoding/json, replaces invalid UTF-8 instead of
	// rejecting it, and its own validation is lenient; RFC 8259 text is checked here.
	if !utf8.Valid(body) || !json.Valid(body) {
		writeError(ctx, fasthttp.StatusBadRequest, "body is not well-formed JSON")
		return
	}
	// A map, not a struct: struct decoding matches keys case-insensitively
	// ("NAME" would fill Name), the contract matches them exactly. Later
	// duplicate keys overwrite earlier ones, as the contract requires.
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		writeError(ctx, fasthttp.StatusBadRequest, "body must be a JSON object")
		return
	}
	name, ok := stringField(fields, "name")
	if !ok || !ValidName(name) {
		writeError(ctx, fasthttp.StatusUnprocessableEntity, "name must be a string of 2 to 50 code points")
		return
	}
	email, ok := stringField(fields, "email")
	if !ok || !ValidEmail(email) {
		writeError(ctx, fasthttp.StatusUnprocessableEntity, "email must match ^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+\\.[A-Za-z0-9_]+$")
		return
	}
	u, err := s.store.Create(name, email)
	if errors.Is(err, ErrDuplicateEmail) {
		writeError(ctx, fasthttp.StatusConflict, "email already registered")
		return
	}
	writeJSON(ctx, fasthttp.StatusCreated, u)
}

// stringField returns fields[key] if it is present and a JSON string.
func stringField(fields map[string]json.RawMessage, key string) (string, bool) {
	raw, ok := fields[key]
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// handleTransportError answers requests fasthttp could not read, such as a body
// over bodyReadLimit, with the contract's error body.
func (s *Server) handleTransportError(ctx *fasthttp.RequestCtx, err error) {
	if errors.Is(err, fasthttp.ErrBodyTooLarge) {
		writeError(ctx, fasthttp.StatusRequestEntityTooLarge, "body larger than 1 MiB")
		return
	}
	writeError(ctx, fasthttp.StatusBadRequest, "malformed HTTP request: "+err.Error())
}

type errorBody struct {
	Error     string `json:"error"`
	Timestamp int64  `json:"timestamp"`
}

func writeError(ctx *fasthttp.RequestCtx, status int, msg string) {
	writeJSON(ctx, status, errorBody{Error: msg, Timestamp: time.Now().Unix()})
}

func methodNotAllowed(ctx *fasthttp.RequestCtx, allow string) {
	ctx.Response.Header.Set(fasthttp.HeaderAllow, allow)
	writeError(ctx, fasthttp.StatusMethodNotAllowed, "method not allowed")
}

// writeJSON encodes v straight into the response body: goccy/go-json's
// Marshal would return a fresh copy of its pooled buffer, which SetBody would
// then copy again. The Encoder ends the body with a newline, which JSON allows.
func writeJSON(ctx *fasthttp.RequestCtx, status int, v any) {
	ctx.SetContentType("application/json")
	ctx.SetStatusCode(status)
	if err := json.NewEncoder(ctx).Encode(v); err != nil {
		// Only the package's own plain structs are encoded, into memory; this cannot fail.
		panic(err)
	}
}
