// Command calibration is the HTTP stage's reference line: a minimal fasthttp
// server answering every request with one constant JSON body of the list
// mix's size, so a contender's requests per second read as a fraction of
// what this machine's loopback can carry. It parses, validates, looks up and
// serialises nothing, so it is never held to the oracle or ranked.
//
//	calibration serve --port P [--host 127.0.0.1] [--body-bytes 1024]
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/valyala/fasthttp"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "calibration:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "serve" {
		return errors.New("usage: calibration serve --port P [--host H] [--body-bytes N]")
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.Int("port", 0, "TCP port to listen on (required)")
	host := fs.String("host", "127.0.0.1", "address to listen on; loopback by default")
	size := fs.Int("body-bytes", 1024, "size of the constant JSON body")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *port <= 0 || *port > 65535 {
		return fmt.Errorf("--port must be in 1..65535, got %d", *port)
	}
	if *size < 16 {
		return fmt.Errorf("--body-bytes must be at least 16, got %d", *size)
	}
	body := constantBody(*size)
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	srv := &fasthttp.Server{Name: "calibration", Handler: func(ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("application/json")
		ctx.SetBody(body)
	}}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown()
	}()
	return srv.Serve(ln)
}

// constantBody is a JSON object of exactly size bytes.
func constantBody(size int) []byte {
	const head, tail = `{"pad":"`, `"}`
	return []byte(head + string(bytes.Repeat([]byte("x"), size-len(head)-len(tail))) + tail)
}
