// Command jsonparse is tribench's Go contender of the JSON workload:
//
//	jsonparse parse --file F --mode generic|typed [--repeat R] [--digest] [--library goccy|stdlib|sonic|schema]
//	jsonparse parse --check DIR [--library goccy|stdlib|sonic|schema]
//
// parse --file prints one JSON line (jsonbench.ParseLine); parse --check prints
// a verdict line per file, then a summary line. The file is read before the
// timed region. A bad argument is one line on stderr and exit 2; a failure to
// run (a missing file, a document the parser rejects), one line and exit 1.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tribench/tribench/jsonbench"
	"github.com/tribench/tribench/jsonbench/goparse"
)

// errUsage marks a bad command line, which exits 2 rather than 1.
var errUsage = errors.New("bad usage")

const usage = "usage: jsonparse parse --file F --mode generic|typed [--repeat R] [--digest] [--library goccy|stdlib|sonic|schema] | parse --check DIR [--library goccy|stdlib|sonic|schema]"

func main() {
	err := run(os.Args[1:], os.Stdout)
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "jsonparse:", err)
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	os.Exit(1)
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "parse" {
		return fmt.Errorf("%w: %s", errUsage, usage)
	}
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	file := fs.String("file", "", "the document to parse")
	check := fs.String("check", "", "a folder of conformance files")
	mode := fs.String("mode", "", "generic or typed")
	repeat := fs.Int("repeat", 1, "parses of the document in this process")
	digest := fs.Bool("digest", false, "print the digest of the last parse (computed after the timing)")
	library := fs.String("library", "goccy", "goccy, stdlib, sonic or schema")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v; %s", errUsage, err, usage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q; %s", errUsage, fs.Arg(0), usage)
	}
	lib, err := goparse.Lookup(*library)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	out := json.NewEncoder(stdout)
	out.SetEscapeHTML(false)
	switch {
	case *check != "" && *file == "":
		summary, err := goparse.Check(lib, *check, func(v jsonbench.VerdictLine) error { return out.Encode(v) })
		if err != nil {
			return err
		}
		return out.Encode(summary)
	case *file != "" && *check == "":
		if *mode != jsonbench.Generic && *mode != jsonbench.Typed {
			return fmt.Errorf("%w: --mode must be generic or typed, not %q", errUsage, *mode)
		}
		if *repeat < 1 {
			return fmt.Errorf("%w: --repeat must be at least 1, not %d", errUsage, *repeat)
		}
		data, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		line, err := goparse.Parse(lib, data, *mode, *repeat, *digest)
		if err != nil {
			return err
		}
		return out.Encode(line)
	}
	return fmt.Errorf("%w: give --file or --check (one of them); %s", errUsage, usage)
}
