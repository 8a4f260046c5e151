// Command jsongen writes the JSON workload's generated document:
//
//	jsongen [--profile smoke|quick|full | --size BYTES] [--seed N] [--cache DIR]   the cached document's path and digest
//	jsongen --out FILE [--size BYTES] [--seed N]                                    the document to FILE, its sidecar to stdout
//
// The cache is $TRIBENCH_CACHE (default ~/.cache/tribench); the document lives
// under data/jsonbench/<key>/ there. Output is one JSON line.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tribench/tribench/jsonbench"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "jsongen:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("jsongen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	profile := fs.String("profile", "smoke", "smoke, quick or full")
	size := fs.Int64("size", 0, "document size in bytes (overrides --profile)")
	seed := fs.Uint64("seed", jsonbench.DefaultSeed, "generator seed")
	cache := fs.String("cache", defaultCache(), "tribench cache root")
	out := fs.String("out", "", "write the document here instead of the cache")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	spec, err := jsonbench.SpecFor(*profile)
	if err != nil {
		return err
	}
	if *size != 0 {
		spec.Size = *size
	}
	spec.Seed = *seed
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		side, err := jsonbench.Generate(f, spec)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		return enc.Encode(side)
	}
	if *cache == "" {
		return errors.New("no cache folder: set TRIBENCH_CACHE or HOME, or give --cache")
	}
	path, digest, err := jsonbench.EnsureDocument(*cache, spec)
	if err != nil {
		return err
	}
	return enc.Encode(struct {
		Path string `json:"path"`
		jsonbench.Digest
	}{path, digest})
}

func defaultCache() string {
	if c := os.Getenv("TRIBENCH_CACHE"); c != "" {
		return c
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".cache", "tribench")
	}
	return ""
}
