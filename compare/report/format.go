package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatValue renders v in unit with three significant digits and a scaled
// unit: seconds as s/ms/µs/ns, bytes as B/KiB/MiB/GiB, byte rates as MB/s and
// GB/s (decimal, as throughput is quoted), ratios as "1.41x", other rates and
// counts with k/M.
func FormatValue(v float64, unit string) string {
	if math.IsNaN(v) {
		return "-"
	}
	if math.IsInf(v, 0) {
		return "∞"
	}
	if unit == "1" { // a share of a whole, such as the CPU a process used
		return sig3(100*v) + "%"
	}
	if v == 0 {
		if unit == "x" {
			return "0x"
		}
		return strings.TrimSpace("0 " + unit)
	}
	num, u := scale(v, unit)
	if u == "x" {
		return num + "x"
	}
	if u == "" {
		return num
	}
	return num + " " + u
}

// formatIn renders v in the scale FormatValue chose for ref, without the unit.
func formatIn(v, ref float64, unit string) string {
	if unit == "1" {
		return sig3(100 * v)
	}
	_, u := scale(ref, unit)
	f := factor(u, unit)
	return sig3(v / f)
}

func scale(v float64, unit string) (string, string) {
	a := math.Abs(v)
	switch unit {
	case "s":
		for _, s := range []struct {
			f float64
			u string
		}{{1, "s"}, {1e-3, "ms"}, {1e-6, "µs"}, {1e-9, "ns"}} {
			if a >= s.f || s.u == "ns" {
				return sig3(v / s.f), s.u
			}
		}
	case "B":
		for _, s := range []struct {
			f float64
			u string
		}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}, {1, "B"}} {
			if a >= s.f || s.u == "B" {
				return sig3(v / s.f), s.u
			}
		}
	case "B/s":
		for _, s := range []struct {
			f float64
			u string
		}{{1e9, "GB/s"}, {1e6, "MB/s"}, {1e3, "kB/s"}, {1, "B/s"}} {
			if a >= s.f || s.u == "B/s" {
				return sig3(v / s.f), s.u
			}
		}
	case "x", "%", "":
		return sig3(v), unit
	}
	switch {
	case a >= 1e6:
		return sig3(v/1e6) + "M", unit
	case a >= 1e4:
		return sig3(v/1e3) + "k", unit
	}
	return sig3(v), unit
}

func factor(scaled, unit string) float64 {
	switch scaled {
	case "ms":
		return 1e-3
	case "µs":
		return 1e-6
	case "ns":
		return 1e-9
	case "KiB":
		return 1 << 10
	case "MiB":
		return 1 << 20
	case "GiB":
		return 1 << 30
	case "kB/s":
		return 1e3
	case "MB/s":
		return 1e6
	case "GB/s":
		return 1e9
	}
	return 1
}

// sig3 prints three significant digits, never in exponent form, without
// trailing zeros after the point.
func sig3(v float64) string {
	if v == 0 {
		return "0"
	}
	digits := 3 - int(math.Floor(math.Log10(math.Abs(v)))) - 1
	if digits < 0 {
		digits = 0
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// String renders a figure with its interval: "12.3 ms ±4%" for a 95%
// interval, "12.3 ms [11.9–13.8]" for the range of an indicative figure.
func (f Figure) String() string {
	s := FormatValue(f.Value, f.Unit)
	if math.IsNaN(f.Lo) || math.IsNaN(f.Hi) {
		return s
	}
	if f.Range {
		return fmt.Sprintf("%s [%s–%s]", s, formatIn(f.Lo, f.Value, f.Unit), formatIn(f.Hi, f.Value, f.Unit))
	}
	if f.Value == 0 {
		return s
	}
	pct := 100 * math.Max(f.Hi/f.Value-1, 1-f.Lo/f.Value)
	if math.IsInf(pct, 0) || math.IsNaN(pct) {
		return s + " ±∞"
	}
	return fmt.Sprintf("%s ±%.0f%%", s, pct)
}

// String renders a cell for a plain-text format: its figure or text, then its
// flags' markers in parentheses.
func (c Cell) String() string {
	s := c.Text
	if c.Figure != nil {
		s = c.Figure.String()
	}
	if m := c.Flags.Markers(); m != "" {
		s += " (" + m + ")"
	}
	return s
}
