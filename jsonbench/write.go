package jsonbench

import (
	"strconv"
	"unicode/utf8"
)

// A Mix counts a document's bytes by what they spell (SCHEMA.md states the
// fractions the generator holds to).
type Mix struct {
	Structure    int64 `json:"structure"`     // brackets, braces, commas, colons, whitespace
	Keys         int64 `json:"keys"`          // member keys with their quotes
	ShortStrings int64 `json:"short_strings"` // string values of 2-15 bytes with quotes
	MidStrings   int64 `json:"mid_strings"`   // 16-63 bytes
	LongStrings  int64 `json:"long_strings"`  // 64 bytes or more
	Integers     int64 `json:"integers"`
	Floats       int64 `json:"floats"`
	Booleans     int64 `json:"booleans"`
	Nulls        int64 `json:"nulls"`
	// Escapes and NonASCII count bytes inside string values and keys (so they
	// overlap the string classes): escape sequences, and UTF-8 bytes above 0x7f.
	Escapes  int64 `json:"escapes"`
	NonASCII int64 `json:"non_ascii"`
}

// Total is the document's size in bytes.
func (m Mix) Total() int64 {
	return m.Structure + m.Keys + m.ShortStrings + m.MidStrings + m.LongStrings + m.Integers + m.Floats + m.Booleans + m.Nulls
}

func (m *Mix) add(o Mix) {
	m.Structure += o.Structure
	m.Keys += o.Keys
	m.ShortStrings += o.ShortStrings
	m.MidStrings += o.MidStrings
	m.LongStrings += o.LongStrings
	m.Integers += o.Integers
	m.Floats += o.Floats
	m.Booleans += o.Booleans
	m.Nulls += o.Nulls
	m.Escapes += o.Escapes
	m.NonASCII += o.NonASCII
}

// A recordWriter renders records as JSON text, choosing escapes with its own
// random stream, and counts the bytes of each kind.
type recordWriter struct {
	r   *rng
	buf []byte
	mix Mix
}

const hexDigits = "0123456789abcdef0123456789ABCDEF"

func (w *recordWriter) structure(s string) {
	w.buf = append(w.buf, s...)
	w.mix.Structure += int64(len(s))
}

// key writes `"k":` (after a comma unless first).
func (w *recordWriter) key(k string, first bool) {
	if !first {
		w.structure(",")
	}
	start := len(w.buf)
	w.quoted(k)
	w.mix.Keys += int64(len(w.buf) - start)
	w.structure(":")
}

func (w *recordWriter) str(s string) {
	start := len(w.buf)
	w.quoted(s)
	switch n := int64(len(w.buf) - start); {
	case n < 16:
		w.mix.ShortStrings += n
	case n < 64:
		w.mix.MidStrings += n
	default:
		w.mix.LongStrings += n
	}
}

func (w *recordWriter) optionalStr(s *string) {
	if s == nil {
		w.null()
	} else {
		w.str(*s)
	}
}

// quoted writes s as a JSON string: the mandatory escapes, "/" escaped now and
// then, about one BMP character in five as \uXXXX (either case of hex), and
// every astral-plane character as a \u surrogate pair.
func (w *recordWriter) quoted(s string) {
	w.buf = append(w.buf, '"')
	for _, c := range s {
		start := len(w.buf)
		switch {
		case c == '"':
			w.buf = append(w.buf, `\"`...)
		case c == '\\':
			w.buf = append(w.buf, `\\`...)
		case c == '\n':
			w.buf = append(w.buf, `\n`...)
		case c == '\t':
			w.buf = append(w.buf, `\t`...)
		case c == '\r':
			w.buf = append(w.buf, `\r`...)
		case c == '\b':
			w.buf = append(w.buf, `\b`...)
		case c == '\f':
			w.buf = append(w.buf, `\f`...)
		case c < 0x20:
			w.unicodeEscape(c)
		case c == '/' && w.r.chance(30):
			w.buf = append(w.buf, `\/`...)
		case c < utf8.RuneSelf:
			w.buf = append(w.buf, byte(c))
			continue
		case c > 0xffff:
			c -= 0x10000
			w.unicodeEscape(0xd800 + c>>10)
			w.unicodeEscape(0xdc00 + c&0x3ff)
		case w.r.chance(20):
			w.unicodeEscape(c)
		default:
			w.buf = utf8.AppendRune(w.buf, c)
			w.mix.NonASCII += int64(len(w.buf) - start)
			continue
		}
		w.mix.Escapes += int64(len(w.buf) - start)
	}
	w.buf = append(w.buf, '"')
}

func (w *recordWriter) unicodeEscape(c rune) {
	digits := hexDigits[:16]
	if w.r.chance(50) {
		digits = hexDigits[16:]
	}
	w.buf = append(w.buf, '\\', 'u', digits[c>>12&0xf], digits[c>>8&0xf], digits[c>>4&0xf], digits[c&0xf])
}

func (w *recordWriter) integer(n int64) {
	start := len(w.buf)
	w.buf = strconv.AppendInt(w.buf, n, 10)
	w.mix.Integers += int64(len(w.buf) - start)
}

// float writes the shortest text that reads back as v, always with a '.' or
// an exponent so it looks like the float it is.
func (w *recordWriter) float(v float64) {
	start := len(w.buf)
	w.buf = strconv.AppendFloat(w.buf, v, 'g', -1, 64)
	integral := true
	for _, b := range w.buf[start:] {
		if b == '.' || b == 'e' {
			integral = false
		}
	}
	if integral {
		w.buf = append(w.buf, ".0"...)
	}
	w.mix.Floats += int64(len(w.buf) - start)
}

func (w *recordWriter) boolean(b bool) {
	if b {
		w.buf = append(w.buf, "true"...)
		w.mix.Booleans += 4
	} else {
		w.buf = append(w.buf, "false"...)
		w.mix.Booleans += 5
	}
}

func (w *recordWriter) null() {
	w.buf = append(w.buf, "null"...)
	w.mix.Nulls += 4
}

// record writes one record, keys in a natural (not sorted) order, so the
// digest's sorting is exercised.
func (w *recordWriter) record(r *Record) {
	w.structure("{")
	w.key("id", true)
	w.integer(r.ID)
	w.key("name", false)
	w.str(r.Name)
	w.key("email", false)
	w.str(r.Email)
	w.key("active", false)
	w.boolean(r.Active)
	w.key("score", false)
	w.float(r.Score)
	w.key("balance", false)
	w.integer(r.Balance)
	w.key("created", false)
	w.str(r.Created)
	w.key("nickname", false)
	w.optionalStr(r.Nickname)
	w.key("bio", false)
	w.str(r.Bio)
	w.key("address", false)
	if r.Address == nil {
		w.null()
	} else {
		w.address(r.Address)
	}
	w.key("tags", false)
	w.structure("[")
	for i, t := range r.Tags {
		if i > 0 {
			w.structure(",")
		}
		w.str(t)
	}
	w.structure("]")
	w.key("metadata", false)
	w.structure("{")
	first := true
	for _, k := range metadataKeys { // the pool's order: not sorted
		if v, ok := r.Metadata[k]; ok {
			w.key(k, first)
			w.str(v)
			first = false
		}
	}
	w.structure("}")
	w.key("orders", false)
	w.structure("[")
	for i := range r.Orders {
		if i > 0 {
			w.structure(",")
		}
		w.order(&r.Orders[i])
	}
	w.structure("]}")
}

func (w *recordWriter) address(a *Address) {
	w.structure("{")
	w.key("street", true)
	w.str(a.Street)
	w.key("line2", false)
	w.optionalStr(a.Line2)
	w.key("city", false)
	w.str(a.City)
	w.key("postcode", false)
	w.str(a.Postcode)
	w.key("country", false)
	w.str(a.Country)
	w.key("lat", false)
	w.float(a.Lat)
	w.key("lon", false)
	w.float(a.Lon)
	w.structure("}")
}

func (w *recordWriter) order(o *Order) {
	w.structure("{")
	w.key("id", true)
	w.integer(o.ID)
	w.key("placed", false)
	w.str(o.Placed)
	w.key("status", false)
	w.str(o.Status)
	w.key("currency", false)
	w.str(o.Currency)
	w.key("total", false)
	w.float(o.Total)
	w.key("coupon", false)
	w.optionalStr(o.Coupon)
	w.key("items", false)
	w.structure("[")
	for i := range o.Items {
		if i > 0 {
			w.structure(",")
		}
		w.item(&o.Items[i])
	}
	w.structure("]}")
}

func (w *recordWriter) item(it *Item) {
	w.structure("{")
	w.key("sku", true)
	w.str(it.SKU)
	w.key("title", false)
	w.str(it.Title)
	w.key("quantity", false)
	w.integer(it.Quantity)
	w.key("unit_price", false)
	w.float(it.UnitPrice)
	w.key("discount", false)
	if it.Discount == nil {
		w.null()
	} else {
		w.float(*it.Discount)
	}
	w.key("weight", false)
	w.float(it.Weight)
	w.structure("}")
}

// DeclaredMix is the mix SCHEMA.md states, in percent of the document's bytes,
// as measured on the quick profile's document; every generated document of a
// megabyte or more comes within a point of it (tested).
var DeclaredMix = map[string]float64{
	"structure":     10.7,
	"keys":          36.1,
	"short_strings": 12.0,
	"mid_strings":   17.4,
	"long_strings":  11.9,
	"integers":      1.8,
	"floats":        8.2,
	"booleans":      0.3,
	"nulls":         1.7,
	"escapes":       7.2,
	"non_ascii":     5.9,
}

// Percent is the mix in percent of the document's bytes, keyed as DeclaredMix.
func (m Mix) Percent() map[string]float64 {
	total := float64(m.Total())
	pct := func(n int64) float64 { return 100 * float64(n) / total }
	return map[string]float64{
		"structure":     pct(m.Structure),
		"keys":          pct(m.Keys),
		"short_strings": pct(m.ShortStrings),
		"mid_strings":   pct(m.MidStrings),
		"long_strings":  pct(m.LongStrings),
		"integers":      pct(m.Integers),
		"floats":        pct(m.Floats),
		"booleans":      pct(m.Booleans),
		"nulls":         pct(m.Nulls),
		"escapes":       pct(m.Escapes),
		"non_ascii":     pct(m.NonASCII),
	}
}
