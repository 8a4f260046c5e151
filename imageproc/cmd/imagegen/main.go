// Command imagegen writes one of the image workload's generated sets to a folder:
//
//	imagegen photos --out DIR [--count N] [--seed S]
//	imagegen bad --out DIR
//
// photos writes the photo-like set (the one tribench caches under
// $TRIBENCH_CACHE/data/imageproc/); bad writes the bad-input set's files to
// DIR/in and what each must yield to DIR/manifest.json. A bad argument is one
// line on stderr and exit 2; a failure, one line and exit 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tribench/tribench/imageproc"
)

const usage = "usage: imagegen photos --out DIR [--count N] [--seed S] | imagegen bad --out DIR"

var errUsage = errors.New("bad usage")

func main() {
	err := run(os.Args[1:], os.Stdout)
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "imagegen:", err)
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
	os.Exit(1)
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: no command; %s", errUsage, usage)
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "the folder to write (made if missing)")
	count := fs.Int("count", 40, "photos: how many files")
	seed := fs.Uint64("seed", imageproc.DefaultSeed, "photos: the generator's seed")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v; %s", errUsage, err, usage)
	}
	if *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: %s", errUsage, usage)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	switch args[0] {
	case "photos":
		if *count <= 0 {
			return fmt.Errorf("%w: --count %d must be positive", errUsage, *count)
		}
		if err := imageproc.WriteDataset(*out, imageproc.DatasetSpec{Seed: *seed, Count: *count}); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "wrote %d files to %s\n", *count, *out)
		return err
	case "bad":
		if err := imageproc.WriteBadInputs(*out); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "wrote the bad-input set to %s/in and its manifest to %s/%s\n", *out, *out, imageproc.ManifestName)
		return err
	default:
		return fmt.Errorf("%w: unknown command %q; %s", errUsage, args[0], usage)
	}
}
