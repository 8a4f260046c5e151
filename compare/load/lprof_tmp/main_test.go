package lprof

import (
	"context"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/tribench/tribench/compare/load"
)

func TestProfile(t *testing.T) {
	u, _ := url.Parse(os.Getenv("URL"))
	conns, _ := strconv.Atoi(os.Getenv("CONNS"))
	res, err := load.Run(context.Background(), load.Options{URL: u, Mix: load.Static{Request: load.Request{Method: "GET", Path: u.RequestURI()}, Label: "x"}, Connections: conns, Duration: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res.Requests)
}
