// Command resize is tribench's canonical Go contender of the image workload
// (disintegration/imaging, Lanczos, a pool of N goroutines):
//
//	resize resize --in DIR --out DIR --workers N --width W --height H --quality Q
//
// It prints one JSON line on stdout (see imageproc.Result). A bad argument is
// one line on stderr and exit 2; a folder it cannot use, one line and exit 1.
package main

import (
	"io"
	"os"

	"github.com/tribench/tribench/imageproc"
)

func main() { os.Exit(imageproc.Main(os.Args[1:], os.Stdout, os.Stderr, imageproc.Imaging{})) }

// run is the command without the process around it, for the tests.
func run(args []string, stdout, stderr io.Writer) int {
	return imageproc.Main(args, stdout, stderr, imageproc.Imaging{})
}
