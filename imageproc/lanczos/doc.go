// Package lanczos is a separable Lanczos (a = 3) resampler for packed 8-bit
// RGB, with Pillow's arithmetic: the same coefficients (computed in float64,
// normalised, rounded to 22-bit fixed point), horizontal pass first with an
// 8-bit intermediate, then the vertical pass. Given the same decoded pixels it
// produces what Pillow's Image.resize(size, LANCZOS) does, bit for bit. A
// Resampler reuses its buffers from one image to the next, and the faster Go
// variant (imageproc/turbo) pairs it with libjpeg-turbo's codec. On amd64
// with AVX2 the vertical pass and a plane's horizontal pass run in Go
// assembly (kernels_amd64.s: eight lanes of the same int32 arithmetic, the
// same bytes); elsewhere every pass is Go, so it builds and is tested
// everywhere without cgo.
package lanczos
