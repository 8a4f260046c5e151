package jsonbench

import (
	"math"
	"math/big"
	"strconv"
	"sync"
)

// AppendNumber appends the canonical text of v (DIGEST.md): the exact decimal
// value of the float64 as <sign><digits>e<exponent>, the digits an integer with
// no trailing zeros, so 100 is "1e2", 0.5 is "5e-1" and 0.1 is
// "1000000000000000055511151231257827021181583404541015625e-55". Zero of either
// sign is "0e0"; infinities (a parser's answer to 1e400) are "inf" and "-inf".
func AppendNumber(dst []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(dst, "nan"...)
	case math.IsInf(v, 1):
		return append(dst, "inf"...)
	case math.IsInf(v, -1):
		return append(dst, "-inf"...)
	case v == 0:
		return append(dst, "0e0"...)
	}
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	if v < 1<<63 && v == math.Trunc(v) {
		return appendInteger(dst, uint64(v))
	}
	bits := math.Float64bits(v)
	mant, exp := bits&(1<<52-1), int(bits>>52&0x7ff)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		mant |= 1 << 52
	}
	e2 := exp - 1075 // v = mant × 2^e2
	for mant&1 == 0 {
		mant >>= 1
		e2++
	}
	if e2 >= 0 { // an integer of 2^63 or more
		digits := new(big.Int).Lsh(new(big.Int).SetUint64(mant), uint(e2)).Text(10)
		return appendDigits(dst, digits)
	}
	// mant × 2^-k = mant × 5^k × 10^-k, and mant is odd, so the digits of
	// mant × 5^k end in no zero.
	k := -e2
	digits := new(big.Int).Mul(new(big.Int).SetUint64(mant), powerOfFive(k))
	dst = digits.Append(dst, 10)
	dst = append(dst, 'e', '-')
	return strconv.AppendInt(dst, int64(k), 10)
}

// AppendInteger appends the canonical text of an integer n with |n| <= 2^53
// (larger ones are rounded to float64 first, as every parser's float would be).
func AppendInteger(dst []byte, n int64) []byte {
	if n > 1<<53 || n < -(1<<53) {
		return AppendNumber(dst, float64(n))
	}
	if n == 0 {
		return append(dst, "0e0"...)
	}
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	return appendInteger(dst, uint64(n))
}

func appendInteger(dst []byte, u uint64) []byte {
	e := 0
	for u%10 == 0 {
		u /= 10
		e++
	}
	dst = strconv.AppendUint(dst, u, 10)
	dst = append(dst, 'e')
	return strconv.AppendInt(dst, int64(e), 10)
}

func appendDigits(dst []byte, digits string) []byte {
	end := len(digits)
	for end > 1 && digits[end-1] == '0' {
		end--
	}
	dst = append(dst, digits[:end]...)
	dst = append(dst, 'e')
	return strconv.AppendInt(dst, int64(len(digits)-end), 10)
}

var (
	powersOnce sync.Once
	powers     []*big.Int // powers[k] = 5^k for every k a float64 needs (up to 1074)
)

func powerOfFive(k int) *big.Int {
	powersOnce.Do(func() {
		powers = make([]*big.Int, 1075)
		powers[0] = big.NewInt(1)
		five := big.NewInt(5)
		for i := 1; i < len(powers); i++ {
			powers[i] = new(big.Int).Mul(powers[i-1], five)
		}
	})
	return powers[k]
}
