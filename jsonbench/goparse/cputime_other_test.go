//go:build !unix

package goparse

import "time"

// processCPU is not measured outside Unix.
func processCPU() (time.Duration, bool) { return 0, false }
