package services

import (
	"math"
	"regexp"
	"unicode/utf8"
)

// Field limits of the contract (CONTRACT.md).
const (
	// MaxBodyBytes is the largest POST body processed; a larger one is 413.
	MaxBodyBytes = 1 << 20
	// MinNameCodePoints and MaxNameCodePoints bound a name's length in Unicode code points.
	MinNameCodePoints = 2
	MaxNameCodePoints = 50
	// DefaultLimit and MaxLimit bound the page size of GET /users.
	DefaultLimit = 10
	MaxLimit     = 1000
)

// emailPattern is the contract's pattern. Go's RE2 classes are ASCII and its `$`
// matches only at the end of the text, so a trailing newline is rejected.
var emailPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+\.[A-Za-z0-9_]+$`)

// ParseDecimal parses a contract integer: one or more ASCII digits, base 10,
// leading zeros allowed, no sign or space, fitting int64.
func ParseDecimal(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// ValidName reports whether a name has 2..50 Unicode code points.
func ValidName(name string) bool {
	n := utf8.RuneCountInString(name)
	return n >= MinNameCodePoints && n <= MaxNameCodePoints
}

// ValidEmail reports whether an email matches the contract's ASCII pattern as a whole.
func ValidEmail(email string) bool {
	return emailPattern.MatchString(email)
}
