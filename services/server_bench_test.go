package services

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/valyala/fasthttp"
)

// benchServer returns a server whose store holds n users named like the HTTP
// benchmark's, and the limit that makes GET /users answer about 1 KB.
func benchServer(b *testing.B, n int) (*Server, int) {
	b.Helper()
	store := NewStore()
	for i := 3; i <= n; i++ {
		if _, err := store.Create(fmt.Sprintf("User %d", i), fmt.Sprintf("user%d@example.com", i)); err != nil {
			b.Fatal(err)
		}
	}
	s := NewServer(store)
	limit := 1
	for ; limit < MaxLimit; limit++ {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/users?skip=100&limit=" + strconv.Itoa(limit))
		s.Handle(&ctx)
		if len(ctx.Response.Body()) >= 1000 {
			break
		}
	}
	return s, limit
}

func serve(b *testing.B, s *Server, ctx *fasthttp.RequestCtx, want int) {
	s.Handle(ctx)
	if got := ctx.Response.StatusCode(); got != want {
		b.Fatalf("status %d, want %d: %s", got, want, ctx.Response.Body())
	}
}

// BenchmarkList is the article's row: GET /users with a ~1 KB page.
func BenchmarkList(b *testing.B) {
	s, limit := benchServer(b, 10_000)
	uri := "/users?skip=100&limit=" + strconv.Itoa(limit)
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI(uri)
	s.Handle(&ctx)
	b.SetBytes(int64(len(ctx.Response.Body())))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx.Response.Reset()
		serve(b, s, &ctx, fasthttp.StatusOK)
	}
}

// BenchmarkGet is GET /users/{id} over ids spread through the store.
func BenchmarkGet(b *testing.B) {
	s, _ := benchServer(b, 10_000)
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx.Request.SetRequestURI("/users/" + strconv.Itoa(1+i%10_000))
		ctx.Response.Reset()
		serve(b, s, &ctx, fasthttp.StatusOK)
	}
}

// BenchmarkCreate is POST /users with a unique email each time; building the
// body (one AppendInt) is inside the loop.
func BenchmarkCreate(b *testing.B) {
	s := NewServer(NewStore())
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(fasthttp.MethodPost)
	ctx.Request.SetRequestURI("/users")
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = append(buf[:0], `{"name":"Bench User","email":"bench`...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, `@example.com"}`...)
		ctx.Request.SetBodyRaw(buf)
		ctx.Response.Reset()
		serve(b, s, &ctx, fasthttp.StatusCreated)
	}
}
