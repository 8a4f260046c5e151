//go:build !amd64

package lanczos

// horizontalPlaneFast reports false: the SIMD kernels are amd64's.
func horizontalPlaneFast(rows, *Plane, *coeffs, int, int) bool { return false }

// verticalFast reports false: the SIMD kernels are amd64's.
func verticalFast(rows, rows, int, *coeffs, int) bool { return false }
