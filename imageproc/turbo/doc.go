//go:build turbojpeg

// Package turbo is the faster Go variant of the image workload, "Go +
// libjpeg-turbo (cgo)": JPEG decode and encode through libjpeg-turbo's
// TurboJPEG API (the library Pillow decodes with, and the same accurate
// integer DCT), the resize in Go with imageproc/lanczos (Pillow's fixed-point
// arithmetic), and every buffer kept by its worker from one image to the next.
//
// An upright colour JPEG takes the plane path: decoded to its Y, Cb and Cr
// planes, Y resampled to the thumbnail, Cb and Cr resampled to the
// thumbnail's size and averaged 2x2 (libjpeg's downsampling), the planes
// encoded. Against the RGB path (decode with colour conversion and chroma
// upsampling, three full channels resampled, conversion back) it resamples
// about half the samples: 1.35x the images/s in BenchmarkTurbo here. A rotated,
// grayscale or CMYK JPEG, and a PNG, takes the RGB path.
//
// It is the only package of the module that links cgo, and it builds only
// with the turbojpeg build tag and Debian's libturbojpeg0-dev installed:
// without the tag, `go build ./...`, `go vet ./...` and `go test ./...` skip
// it and cmd/resize-turbo (every file carries the tag).
package turbo
