// Package schemadecode is a hand-written JSON decoder for the jsonbench
// document (SCHEMA.md): Typed decodes straight into []jsonbench.Record by
// recursive descent, Generic into any exactly as encoding/json does. It exists
// because the Go performance target (the fastest Go typed parse at 1.5x
// goccy/go-json's) is not met by a general-purpose library: the profile of
// goccy/go-json is dominated by a copy of every string and by per-field
// dispatch through reflection-built decoders. Here a field is a case of a
// switch on its key, and a string without escapes is not copied.
//
// Both modes share one strict RFC 8259 scanner: insignificant whitespace is
// only space, tab, newline and carriage return; numbers follow the grammar
// exactly (no leading zeros, "+1", ".5" or "1."); strings may hold no raw
// control character, only the eight short escapes and \u with four hex digits, and only valid
// UTF-8 (encoding/json instead replaces invalid UTF-8 with U+FFFD); an escaped
// lone surrogate becomes U+FFFD, as in encoding/json; nothing may follow the
// top-level value but whitespace; arrays and objects nest at most MaxDepth
// levels. A rejected document is an *Error naming what is wrong and its byte
// offset.
//
// Aliasing: a decoded string that holds no escape points into data (built with
// unsafe.String, as sonic's default configuration does), so the values
// returned alias data, which the caller must not modify while they are in
// use. A string with escapes is unescaped into memory of the decode's own,
// never into data: a 16 KiB slab shared by the strings decoded after it. Typed
// carves the records' lists and nullable values from such slabs as well, so
// that a document costs thousands of allocations rather than hundreds of
// thousands; a value keeps its slab alive.
//
// Typed follows encoding/json's rules for a []jsonbench.Record, with two
// differences: keys match exactly (encoding/json also accepts a
// case-insensitive match), and a value of the wrong type fails the decode at
// once. Members may come in any order; a repeated key's last value wins;
// unknown keys are skipped after the same validation as any value; null sets
// a pointer, slice or map field to nil and leaves any other field as it was
// (the zero value unless a repeated key set it), as encoding/json does.
package schemadecode

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// MaxDepth is the deepest nesting of arrays and objects accepted, encoding/json's limit.
const MaxDepth = 10000

// An Error is a rejected document: what is wrong and the byte offset at which it was found.
type Error struct {
	Offset int    // the offset of the offending byte in the document (its length if it ended early)
	Msg    string // what is wrong, e.g. "invalid character 'x' looking for beginning of value"
}

// Error says what is wrong and where, e.g. "schemadecode: leading zero in number at offset 2".
func (e *Error) Error() string {
	return fmt.Sprintf("schemadecode: %s at offset %d", e.Msg, e.Offset)
}

// A decoder is a cursor over the whole document.
type decoder struct {
	data  []byte
	pos   int
	texts slab[byte] // where unescaped strings are kept
	stack []any      // Generic's array elements being collected, innermost last
}

func (d *decoder) fail(at int, format string, args ...any) error {
	return &Error{Offset: at, Msg: fmt.Sprintf(format, args...)}
}

// unexpected reports the byte at the cursor (or the end of the input) as
// wrong where it stands, e.g. "looking for beginning of value".
func (d *decoder) unexpected(where string) error {
	if d.pos >= len(d.data) {
		return d.fail(d.pos, "unexpected end of input")
	}
	return d.fail(d.pos, "invalid character %s %s", quoteByte(d.data[d.pos]), where)
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// shorten cuts a number quoted in a message to a readable length.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (d *decoder) tooDeep() error {
	return d.fail(d.pos, "nesting deeper than %d levels", MaxDepth)
}

// ws skips whitespace. The document rarely has any between tokens, so the
// inlined check is one comparison: every whitespace byte is <= ' '.
func (d *decoder) ws() {
	if d.pos < len(d.data) && d.data[d.pos] <= ' ' {
		d.wsLoop()
	}
}

func (d *decoder) wsLoop() {
	for d.pos < len(d.data) && space[d.data[d.pos]] {
		d.pos++
	}
}

// peek is the byte at the cursor, 0 at the end of the input (never valid there).
func (d *decoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// end checks that only whitespace follows the top-level value.
func (d *decoder) end() error {
	d.ws()
	if d.pos < len(d.data) {
		return d.unexpected("after top-level value")
	}
	return nil
}

// open consumes an opening bracket and the whitespace after it, and reports
// whether the container has elements (if not, its closing bracket is
// consumed too).
func (d *decoder) open(closing byte) bool {
	d.pos++
	d.ws()
	if d.peek() == closing {
		d.pos++
		return false
	}
	return true
}

// next consumes what follows an element: a comma and whitespace (true: another
// element follows) or the closing bracket (false).
func (d *decoder) next(closing byte, after string) (bool, error) {
	if d.pos < len(d.data) && d.data[d.pos] == ',' { // the common case, before any whitespace check
		d.pos++
		d.ws()
		return true, nil
	}
	d.ws()
	switch d.peek() {
	case ',':
		d.pos++
		d.ws()
		return true, nil
	case closing:
		d.pos++
		return false, nil
	}
	return false, d.unexpected(after)
}

// key reads an object member's key and the colon after it, leaving the cursor
// at the value. Its fast path is the schema's keys: up to fifteen bytes of
// ASCII, the colon right after, read a word at a time.
func (d *decoder) key() (string, error) {
	data, i := d.data, d.pos
	if i+18 <= len(data) && data[i] == '"' {
		j := i + 1
		x := binary.LittleEndian.Uint64(data[j:])
		m := stops(x) | x&msb
		if m == 0 {
			j += 8
			x = binary.LittleEndian.Uint64(data[j:])
			m = stops(x) | x&msb
		}
		if m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			if data[j] == '"' && data[j+1] == ':' {
				d.pos = j + 2
				d.ws()
				return unsafe.String(&data[i+1], j-i-1), nil
			}
		}
	}
	return d.keySlow()
}

func (d *decoder) keySlow() (string, error) {
	if d.peek() != '"' {
		return "", d.unexpected("looking for beginning of object key string")
	}
	k, err := d.str()
	if err != nil {
		return "", err
	}
	d.ws()
	if d.peek() != ':' {
		return "", d.unexpected("after object key")
	}
	d.pos++
	d.ws()
	return k, nil
}

// literal consumes word (true, false or null) at the cursor.
func (d *decoder) literal(word string) error {
	for i := 0; i < len(word); i++ {
		if d.pos+i >= len(d.data) || d.data[d.pos+i] != word[i] {
			d.pos += i
			return d.unexpected("in literal " + word)
		}
	}
	d.pos += len(word)
	return nil
}

// str reads the string at the cursor, which is at its opening quote.
func (d *decoder) str() (string, error) {
	var s string
	err := d.stringField(&s, "") // never null: the field name is not used
	return s, err
}

// stringField reads the string at the cursor into dst: a view of data when it
// holds no escape, otherwise an unescaped copy. A null leaves dst as it was;
// any other value is a mismatch for field. The typed decoder calls it for
// every string field, so its loop is here rather than behind another call:
// the common case, a string without escapes; strSlow takes over at the first
// escape or where fewer than eight bytes are left. Non-ASCII bytes do not stop
// the loop: high collects the top bits of the bytes passed, and if one is set
// the string's UTF-8 is validated at its end.
func (d *decoder) stringField(dst *string, field string) error {
	data := d.data
	start := d.pos + 1
	if start > len(data) || data[start-1] != '"' {
		return d.nullOr(field, "string")
	}
	var high uint64
	i := start
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		m := stops(x)
		if m == 0 {
			high |= x
			continue
		}
		high |= x & (m&-m - 1)
		i += bits.TrailingZeros64(m) >> 3
		if data[i] != '"' {
			break
		}
		d.pos = i + 1
		if high&msb != 0 {
			if err := d.validUTF8(start, i); err != nil {
				return err
			}
		}
		*dst = unsafe.String(&data[start], i-start)
		return nil
	}
	s, err := d.strSlow(start, i, high)
	*dst = s
	return err
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// stops flags, in the top bit of each byte of x, the bytes a string's loop
// must stop at: '"', '\\' and control characters (a byte above 0x7f never
// sets the top bit in the three terms). Borrows can flag bytes above a
// flagged one, never below, so the lowest flag is exact.
func stops(x uint64) uint64 {
	q := x ^ (lsb * '"')
	b := x ^ (lsb * '\\')
	return ((q-lsb)&^q | (b-lsb)&^b | (x-lsb*0x20)&^x) & msb
}

// strSlow finishes what str started at offset i: it validates the rest of
// the string and, from its first escape on, decodes it straight into the free
// space of the decoder's text slab, which the string then keeps. A string that
// outgrows that space is moved by append to memory of its own.
func (d *decoder) strSlow(start, i int, high uint64) (string, error) {
	data := d.data
	if len(d.texts.free) < minTextRoom {
		d.texts.free = d.texts.alloc(0)
	}
	buf := d.texts.free[:0]
	escaped := false
	run := start // the first byte not yet in buf
	for {
		if i+8 <= len(data) {
			x := binary.LittleEndian.Uint64(data[i:])
			m := stops(x)
			if m == 0 {
				high |= x
				i += 8
				continue
			}
			high |= x & (m&-m - 1)
			i += bits.TrailingZeros64(m) >> 3
		} else if i >= len(data) {
			return "", d.fail(i, "unexpected end of input in string")
		} else if c := data[i]; c >= 0x20 && c != '"' && c != '\\' {
			high |= uint64(c)
			i++
			continue
		}
		switch c := data[i]; c {
		case '"':
			d.pos = i + 1
			if !escaped {
				if high&msb != 0 {
					if err := d.validUTF8(start, i); err != nil {
						return "", err
					}
				}
				if i == start {
					return "", nil
				}
				return unsafe.String(&data[start], i-start), nil
			}
			buf = append(buf, data[run:i]...)
			// Escapes are ASCII and decode to whole UTF-8 sequences, never
			// to a continuation byte, so the raw string is valid UTF-8
			// exactly when the decoded one is: the decoded one is checked,
			// shorter by the escapes' text and just written (in cache).
			if high&msb != 0 && !isUTF8(buf) {
				return "", d.validUTF8(start, i)
			}
			if unsafe.SliceData(buf) == unsafe.SliceData(d.texts.free) {
				d.texts.cut(len(buf))
			}
			return unsafe.String(&buf[0], len(buf)), nil
		case '\\':
			buf = append(buf, data[run:i]...)
			escaped = true
			// The common escapes, a \u of one BMP character and a \u pair
			// of surrogates, are encoded inline; escape takes the rest.
			n := 0
			switch r := hex4u(data[i:]); {
			case r < 0:
			case r < 0x80:
				buf, n = append(buf, byte(r)), 6
			case r < 0x800:
				buf, n = append(buf, 0xc0|byte(r>>6), 0x80|byte(r)&0x3f), 6
			case !utf16.IsSurrogate(r):
				buf, n = append(buf, 0xe0|byte(r>>12), 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f), 6
			case r < 0xdc00 && i+12 <= len(data) && data[i+6] == '\\':
				if low := hex4u(data[i+6:]); low >= 0xdc00 && low < 0xe000 {
					r = 0x10000 + (r-0xd800)<<10 + (low - 0xdc00)
					buf, n = append(buf, 0xf0|byte(r>>18), 0x80|byte(r>>12)&0x3f, 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f), 12
				}
			}
			if n > 0 {
				i += n
			} else {
				var err error
				if buf, i, err = d.escape(buf, i); err != nil {
					return "", err
				}
			}
			run = i
		default:
			return "", d.fail(i, "control character 0x%02x in string", c)
		}
	}
}

// validUTF8 checks that data[start:end] is valid UTF-8 (see isUTF8); only
// a string found invalid is walked again, character by character, for the
// offset of its first bad byte.
func (d *decoder) validUTF8(start, end int) error {
	if !isUTF8(d.data[start:end]) {
		return d.fail(d.invalidUTF8(start, end), "invalid UTF-8 in string")
	}
	return nil
}

// isUTF8 reports whether b is valid UTF-8. After the ASCII prefix, skipped
// eight bytes at a time, every byte takes one step of utf8DFA, without a
// branch: in this document's strings ASCII, two- and three-byte characters
// alternate too irregularly for a branch per character to be predicted.
func isUTF8(b []byte) bool {
	i := 0
	for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&msb == 0 {
		i += 8
	}
	var state uint64
	for _, c := range b[i:] {
		state = utf8DFA[c] >> (state & 63)
	}
	return state&63 == utf8Accept
}

// invalidUTF8 is the offset of the first byte of data[start:end] that is not
// part of a valid UTF-8 sequence, end if there is none.
func (d *decoder) invalidUTF8(start, end int) int {
	b := d.data[:end]
	for i := start; i < end; {
		if b[i] < 0x80 {
			i++
			continue
		}
		l := utf8Leads[b[i]]
		n := int(l.size)
		if n == 0 || i+n > end || b[i+1] < l.lo || b[i+1] > l.hi ||
			(n > 2 && b[i+2]&0xc0 != 0x80) || (n > 3 && b[i+3]&0xc0 != 0x80) {
			return i
		}
		i += n
	}
	return end
}

// utf8DFA is a shift-based automaton (after Per Vognsen's) for utf8Leads'
// language: a state is a multiple of 6, the next state after byte c is
// bits [state, state+6) of utf8DFA[c]. utf8Accept is the state between two
// characters, utf8Reject is final; the others count the continuation bytes
// still expected and, after E0, ED, F0 and F4, the narrower range of the first.
const (
	utf8Accept = 6 * iota
	utf8Reject
	utf8Need1     // one byte 80..BF
	utf8Need2     // two, the first 80..BF
	utf8Need2From // two, the first A0..BF (after E0)
	utf8Need2To   // two, the first 80..9F (after ED)
	utf8Need3From // three, the first 90..BF (after F0)
	utf8Need3     // three, the first 80..BF
	utf8Need3To   // three, the first 80..8F (after F4)
)

var utf8DFA = func() (t [256]uint64) {
	set := func(from, to uint64, lo, hi int) {
		for c := lo; c <= hi; c++ {
			t[c] |= to << from
		}
	}
	for c := range t { // every transition not set below rejects
		for s := uint64(0); s <= utf8Need3To; s += 6 {
			t[c] |= utf8Reject << s
		}
	}
	unset := func(from uint64, lo, hi int) {
		for c := lo; c <= hi; c++ {
			t[c] &^= 63 << from
		}
	}
	for _, e := range []struct {
		from, to uint64
		lo, hi   int
	}{
		{utf8Accept, utf8Accept, 0x00, 0x7f},
		{utf8Accept, utf8Need1, 0xc2, 0xdf},
		{utf8Accept, utf8Need2From, 0xe0, 0xe0},
		{utf8Accept, utf8Need2, 0xe1, 0xec},
		{utf8Accept, utf8Need2To, 0xed, 0xed},
		{utf8Accept, utf8Need2, 0xee, 0xef},
		{utf8Accept, utf8Need3From, 0xf0, 0xf0},
		{utf8Accept, utf8Need3, 0xf1, 0xf3},
		{utf8Accept, utf8Need3To, 0xf4, 0xf4},
		{utf8Need1, utf8Accept, 0x80, 0xbf},
		{utf8Need2, utf8Need1, 0x80, 0xbf},
		{utf8Need2From, utf8Need1, 0xa0, 0xbf},
		{utf8Need2To, utf8Need1, 0x80, 0x9f},
		{utf8Need3From, utf8Need2, 0x90, 0xbf},
		{utf8Need3, utf8Need2, 0x80, 0xbf},
		{utf8Need3To, utf8Need2, 0x80, 0x8f},
	} {
		unset(e.from, e.lo, e.hi)
		set(e.from, e.to, e.lo, e.hi)
	}
	return t
}()

// A utf8Lead is what a lead byte allows: the sequence's size (0: not a lead
// byte) and the range of the byte after it, narrower than 0x80..0xbf where
// that excludes overlong forms, surrogates and values above U+10FFFF
// (RFC 3629's table).
type utf8Lead struct{ size, lo, hi byte }

var utf8Leads = func() (t [256]utf8Lead) {
	for c := 0xc2; c <= 0xdf; c++ {
		t[c] = utf8Lead{2, 0x80, 0xbf}
	}
	for c := 0xe0; c <= 0xef; c++ {
		t[c] = utf8Lead{3, 0x80, 0xbf}
	}
	t[0xe0].lo = 0xa0
	t[0xed].hi = 0x9f
	for c := 0xf0; c <= 0xf4; c++ {
		t[c] = utf8Lead{4, 0x80, 0xbf}
	}
	t[0xf0].lo = 0x90
	t[0xf4].hi = 0x8f
	return t
}()

// escape decodes the escape sequence at i onto buf and returns the offset
// after it. A \u escape of a high surrogate followed by one of a low
// surrogate is one character; a lone surrogate is U+FFFD (the escape after
// it is decoded on its own).
func (d *decoder) escape(buf []byte, i int) ([]byte, int, error) {
	data := d.data
	if i+1 >= len(data) {
		return buf, i, d.fail(len(data), "unexpected end of input in string")
	}
	if c := data[i+1]; c != 'u' {
		if shortEscape[c] == 0 {
			return buf, i, d.fail(i, "invalid escape %s in string", quoteByte(c))
		}
		return append(buf, shortEscape[c]), i + 2, nil
	}
	r := hex4(data[i+2:])
	if r < 0 {
		return buf, i, d.badHex(i + 2)
	}
	i += 6
	if utf16.IsSurrogate(r) {
		r2 := utf8.RuneError
		if i+6 <= len(data) && data[i] == '\\' && data[i+1] == 'u' {
			if low := hex4(data[i+2:]); low >= 0 {
				r2 = utf16.DecodeRune(r, low)
			}
		}
		if r2 != utf8.RuneError {
			i += 6
		}
		r = r2
	}
	return utf8.AppendRune(buf, r), i, nil
}

// A slab hands out parts of one larger allocation of slabBytes, so that many
// small values cost one allocation (and one object for the collector to
// track) instead of one each. A part keeps its whole slab alive: the decoded
// values hold on to at most one slab's worth more memory than they use.
type slab[T any] struct{ free []T }

const slabBytes = 16 << 10

// minTextRoom is the free space below which strSlow starts a new text slab
// rather than outgrow the rest of the current one at once.
const minTextRoom = 512

// at returns element n of a list being built at the start of the slab's free
// space, moving the n elements before it to a new slab if this one is full.
func (s *slab[T]) at(n int) *T {
	if n == len(s.free) {
		fresh := s.alloc(2 * n)
		copy(fresh, s.free[:n])
		s.free = fresh
	}
	return &s.free[n]
}

// take returns n zero values.
func (s *slab[T]) take(n int) []T {
	if n > len(s.free) {
		s.free = s.alloc(n)
	}
	return s.cut(n)
}

func (s *slab[T]) alloc(atLeast int) []T {
	var zero T
	return make([]T, max(atLeast, slabBytes/int(unsafe.Sizeof(zero))))
}

// cut ends the list of n elements at the start of the free space and returns
// it, its capacity limited to n.
func (s *slab[T]) cut(n int) []T {
	if n == 0 {
		// Not free[:0:0], which is nil before the slab's first use: an
		// empty JSON array is an empty slice, as in encoding/json.
		return []T{}
	}
	part := s.free[:n:n]
	s.free = s.free[n:]
	return part
}

// hex4 is the value of the four hex digits b starts with, -1 if there are
// not four.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	return rune(hexDigit[b[0]])<<12 | rune(hexDigit[b[1]])<<8 | rune(hexDigit[b[2]])<<4 | rune(hexDigit[b[3]])
}

// hex4u is the value of the \u escape (four hex digits) b starts with, -1 if it does not.
func hex4u(b []byte) rune {
	if len(b) < 6 || b[1] != 'u' {
		return -1
	}
	return hex4(b[2:])
}

func (d *decoder) badHex(j int) error {
	for k := j; k < j+4; k++ {
		if k >= len(d.data) {
			return d.fail(k, "unexpected end of input in string")
		}
		if hexDigit[d.data[k]] < 0 {
			return d.fail(k, "invalid character %s in \\u escape", quoteByte(d.data[k]))
		}
	}
	panic("unreachable")
}

// number validates the number at the cursor and returns its end and whether
// it is written as an integer (no fraction, no exponent). The cursor stays.
func (d *decoder) number() (end int, integer bool, err error) {
	data := d.data
	i := d.pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	if i < len(data) && data[i] == '0' {
		i++
		if i < len(data) && isDigit(data[i]) {
			return 0, false, d.fail(i, "leading zero in number")
		}
	} else if j := skipDigits(data, i); j > i {
		i = j
	} else {
		return 0, false, d.numberError(i, "in number")
	}
	integer = true
	if i < len(data) && data[i] == '.' {
		integer = false
		j := skipDigits(data, i+1)
		if j == i+1 {
			return 0, false, d.numberError(j, "after decimal point in number")
		}
		i = j
	}
	if i < len(data) && data[i]|0x20 == 'e' {
		integer = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := skipDigits(data, i)
		if j == i {
			return 0, false, d.numberError(j, "in exponent of number")
		}
		i = j
	}
	return i, integer, nil
}

func (d *decoder) numberError(i int, where string) error {
	if i >= len(d.data) {
		return d.fail(i, "unexpected end of input in number")
	}
	return d.fail(i, "invalid character %s %s", quoteByte(d.data[i]), where)
}

// text is a view of data[start:end], for strconv without a copy.
func (d *decoder) text(start, end int) string {
	return unsafe.String(&d.data[start], end-start)
}

// skip validates the value at the cursor and moves past it; depth is the
// number of containers open around it.
func (d *decoder) skip(depth int) error {
	c := d.peek()
	switch c {
	case '{', '[':
		if depth++; depth > MaxDepth {
			return d.tooDeep()
		}
		closing, after := byte('}'), "after object member"
		if c == '[' {
			closing, after = ']', "after array element"
		}
		for more := d.open(closing); more; {
			if c == '{' {
				if _, err := d.key(); err != nil {
					return err
				}
			}
			if err := d.skip(depth); err != nil {
				return err
			}
			var err error
			if more, err = d.next(closing, after); err != nil {
				return err
			}
		}
		return nil
	case '"':
		_, err := d.str()
		return err
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	}
	if c == '-' || isDigit(c) {
		end, _, err := d.number()
		if err != nil {
			return err
		}
		d.pos = end
		return nil
	}
	return d.unexpected("looking for beginning of value")
}

func isDigit(c byte) bool { return c-'0' < 10 }

func skipDigits(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}

var space = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

var shortEscape = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

var hexDigit = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < 10; i++ {
		t['0'+i] = int8(i)
	}
	for i := 0; i < 6; i++ {
		t['a'+i], t['A'+i] = int8(10+i), int8(10+i)
	}
	return t
}()
