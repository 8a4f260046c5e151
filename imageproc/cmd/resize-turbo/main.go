//go:build turbojpeg

// Command resize-turbo is the faster Go contender of the image workload, "Go +
// libjpeg-turbo (cgo)" (imageproc/turbo), with the same command line and
// result line as cmd/resize:
//
//	resize-turbo resize --in DIR --out DIR --workers N --width W --height H --quality Q
//
// Build it with -tags turbojpeg and Debian's libturbojpeg0-dev.
package main

import (
	"os"

	"github.com/tribench/tribench/imageproc"
	"github.com/tribench/tribench/imageproc/turbo"
)

func main() { os.Exit(imageproc.Main(os.Args[1:], os.Stdout, os.Stderr, turbo.Resizer{})) }
