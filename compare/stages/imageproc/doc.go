// Package imageproc is the resize stage: every contender of imageproc/
// thumbnails a folder of photo-like 1920x1080 JPEGs to fit 800x600 (Lanczos,
// quality 85), with one worker on one CPU and with a worker per core on every
// CPU, in interleaved rounds. Before it is timed, each contender is held to
// compare/imagecheck on the verification sets (the smoke set of photos, with
// the EXIF-rotated file, the odd sizes and the stripes, and the bad-input set
// with its manifest) against the Go reference, run in the harness's own
// process from the imageproc library. `--in DIR` replaces both sets with a
// folder the user gives.
package imageproc
