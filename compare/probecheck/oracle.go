package probecheck

import (
	"fmt"
	"math"
	"math/big"

	"github.com/tribench/tribench/memprobe"
)

// DefaultBand is how far an inside bytes-per-object figure may lie from the
// outside one (and from the arithmetic) at N = 1,000,000: 15%.
const DefaultBand = 0.15

// A Check is one oracle verdict on one result.
type Check struct {
	Name   string `json:"name"`
	Pass   bool   `json:"pass"`
	Detail string `json:"detail"`
}

// ReferenceChecksum is the Go reference's checksum of users 1..n.
func ReferenceChecksum(n int) (string, error) {
	pop, err := memprobe.Build(memprobe.Structs, n)
	if err != nil {
		return "", fmt.Errorf("reference checksum: %w", err)
	}
	return memprobe.Checksum(pop), nil
}

// CheckChecksum holds a probe line's checksum against the reference for its count.
func CheckChecksum(p ProbeLine) Check {
	c := Check{Name: "checksum"}
	want, err := ReferenceChecksum(p.Count)
	switch {
	case err != nil:
		c.Detail = err.Error()
	case p.Checksum != want:
		c.Detail = fmt.Sprintf("%s built other users than the reference: checksum %s, want %s", p.Shape, p.Checksum, want)
	default:
		c.Pass = true
		c.Detail = fmt.Sprintf("%d users, as the reference", p.Count)
	}
	return c
}

// CPUReference is tasks × Σ i² for i < n, modulo 2^64, computed exactly as
// tasks·(n−1)·n·(2n−1)/6 in arbitrary precision.
func CPUReference(tasks int, n uint64) uint64 {
	if n == 0 {
		return 0
	}
	b := new(big.Int).SetUint64(n)
	sum := new(big.Int).Sub(b, big.NewInt(1))
	sum.Mul(sum, b)
	sum.Mul(sum, new(big.Int).Sub(new(big.Int).Lsh(b, 1), big.NewInt(1)))
	sum.Quo(sum, big.NewInt(6))
	sum.Mul(sum, big.NewInt(int64(tasks)))
	return new(big.Int).And(sum, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
}

// CheckCPU holds a cpu line's checksum against the reference total.
func CheckCPU(c CPULine) Check {
	check := Check{Name: "cpu total"}
	want := CPUReference(c.Tasks, c.N)
	switch {
	case c.Checksum == nil:
		check.Detail = "no checksum"
	case *c.Checksum != want:
		check.Detail = fmt.Sprintf("total %d, want %d (%d tasks, n %d)", *c.Checksum, want, c.Tasks, c.N)
	default:
		check.Pass = true
		check.Detail = fmt.Sprintf("%d tasks of n %d: %d", c.Tasks, c.N, want)
	}
	return check
}

// CheckTasks holds a tasks line to every task having completed.
func CheckTasks(t TasksLine, want int) Check {
	c := Check{Name: "tasks completed"}
	if t.Count != want || t.Completed != int64(want) {
		c.Detail = fmt.Sprintf("%d of %d tasks completed (line says count %d)", t.Completed, want, t.Count)
		return c
	}
	c.Pass = true
	c.Detail = fmt.Sprintf("all %d completed", want)
	return c
}

// CheckBand holds an inside bytes-per-object figure within band (a fraction)
// of the outside one.
func CheckBand(inside, outside, band float64) Check {
	c := Check{Name: "inside within band of outside"}
	if outside <= 0 || inside <= 0 {
		c.Detail = fmt.Sprintf("inside %.1f, outside %.1f B/object: both must be positive", inside, outside)
		return c
	}
	off := (inside - outside) / outside
	c.Pass = math.Abs(off) <= band
	c.Detail = fmt.Sprintf("inside %.1f, outside %.1f B/object: %+.1f%% (band ±%.0f%%)", inside, outside, 100*off, 100*band)
	return c
}
