// Package imageproc is tribench's parallel-thumbnail workload in Go: the
// deterministic input generator (photo-like JPEGs, odd sizes, an EXIF-rotated
// file, a stripes input that separates Lanczos from a box filter), the
// bad-input set with the manifest of what each file must yield, and the
// canonical resize every contender implements, on disintegration/imaging.
//
// The canonical resize (issue 10): every .jpg, .jpeg and .png file of a folder
// (case-insensitive extension; anything else is an "unsupported" failure) is
// refused when it declares more than MaxPixels pixels, decoded at full
// resolution, turned upright by its EXIF orientation, converted to RGB with
// alpha dropped, shrunk with Lanczos (a = 3) to ThumbnailSize (Pillow's
// thumbnail rounding; never enlarged) and written in its own format under the
// same name: JPEG baseline 4:2:0 at the given quality.
//
// The binaries: cmd/resize (the canonical Go contender), cmd/imagegen (writes
// either generated set to a folder); the faster variant lives in the turbo
// package and cmd/resize-turbo (cgo, libjpeg-turbo).
package imageproc
