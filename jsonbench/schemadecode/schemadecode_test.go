package schemadecode

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/jsonbench"
)

func TestRejectsWithOffset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		offset    int
		msg       string
	}{
		{"empty", "", 0, "unexpected end of input"},
		{"whitespace only", " \n", 2, "unexpected end of input"},
		{"truncated array", "[1, 2", 5, "unexpected end of input"},
		{"truncated string", `["abc`, 5, "unexpected end of input in string"},
		{"truncated literal", "[tru", 4, "unexpected end of input"},
		{"bad literal", "[nul1]", 4, "invalid character '1' in literal null"},
		{"bad escape", `["a\qb"]`, 3, `invalid escape 'q' in string`},
		{"short unicode escape", `["\u12"]`, 6, `invalid character '"' in \u escape`},
		{"leading zero", "[01]", 2, "leading zero in number"},
		{"negative leading zero", "[-01]", 3, "leading zero in number"},
		{"no integer part", "[.5]", 1, "invalid character '.' looking for beginning of value"},
		{"no fraction digits", "[1.]", 3, "invalid character ']' after decimal point in number"},
		{"no exponent digits", "[1e+]", 4, "invalid character ']' in exponent of number"},
		{"minus only", "[-]", 2, "invalid character ']' in number"},
		{"plus", "[+1]", 1, "invalid character '+' looking for beginning of value"},
		{"out of range", "[1e400]", 1, "number 1e400 is out of float64's range"},
		{"trailing comma in array", "[1,]", 3, "invalid character ']' looking for beginning of value"},
		{"trailing comma in object", `{"a":1,}`, 7, "invalid character '}' looking for beginning of object key string"},
		{"missing colon", `{"a" 1}`, 5, "invalid character '1' after object key"},
		{"mismatched close", `[1}`, 2, "invalid character '}' after array element"},
		{"raw tab", "[\"a\tb\"]", 3, "control character 0x09 in string"},
		{"raw newline in key", "{\"a\nb\":1}", 3, "control character 0x0a in string"},
		{"invalid UTF-8", "[\"ab\xffc\"]", 4, "invalid UTF-8 in string"},
		{"invalid UTF-8 after escape", "[\"\\n\xc3(\"]", 4, "invalid UTF-8 in string"},
		{"lead byte before an escape", "[\"ab\xc3\\u00e9\"]", 4, "invalid UTF-8 in string"},
		{"lead byte at the end after an escape", "[\"\\u00e9abcdefgh\xe2\x82\"]", 16, "invalid UTF-8 in string"},
		{"UTF-8 surrogate", "[\"\xed\xa0\x80\"]", 2, "invalid UTF-8 in string"},
		{"invalid UTF-8 outside strings", "[\xff]", 1, "invalid character byte 0xff looking for beginning of value"},
		{"trailing garbage", "[] x", 3, "invalid character 'x' after top-level value"},
		{"two values", "1 2", 2, "invalid character '2' after top-level value"},
		{"too deep", strings.Repeat("[", MaxDepth+1), MaxDepth, "nesting deeper than 10000 levels"},
		{"too deep objects", strings.Repeat(`{"a":`, MaxDepth+1), 5 * MaxDepth, "nesting deeper than 10000 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := Generic([]byte(tt.doc))
			assert.Nil(t, v)
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, tt.offset, e.Offset, e.Error())
			assert.Equal(t, tt.msg, e.Msg)
			assert.Contains(t, err.Error(), "schemadecode: ")
			assert.True(t, strings.HasSuffix(err.Error(), " at offset "+strconv.Itoa(tt.offset)), err.Error())
			if utf8.ValidString(tt.doc) { // encoding/json replaces invalid UTF-8
				_, jerr := jsonUnmarshal(tt.doc)
				assert.Error(t, jerr, "encoding/json rejects it too")
			}
		})
	}
}

func jsonUnmarshal(doc string) (any, error) {
	var v any
	err := json.Unmarshal([]byte(doc), &v)
	return v, err
}

func TestGenericEqualsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		`null`, ` true `, `false`, `0`, `-0`, `-0.0`, `1e2`, `123456789012345678901234567890`,
		`0.1`, `3.141592653589793`, `2.2250738585072014e-308`, `5e-324`, `1e-400`, `1.7976931348623157e308`,
		`9007199254740993`, `-123.456e-7`, `87.73486867641729`, `7.755e-06`, `1E22`, `1e23`,
		`"plain"`, `""`, `"\"\\\/\b\f\n\r\t"`, `"\u00e9\u00E9é"`, `"\u0000"`, "\"\u2028\"",
		`"\ud83d\ude00"`, `"\uD834\uDD1E"`, `"\ud800"`, `"\udc00"`, `"\ud800x"`, `"\udc00\ud800"`,
		`"\ud800\ud800\udc00"`, `"\ud800\n"`, `"\ud800\u0041"`,
		`[]`, `{}`, `[[], {}]`, `{"a": 1, "a": 2}`, `{"": [1, "x", null, true, {"b": []}]}`,
		` [ 1 , 2 ] `, "\t{\r\n\"k\"\t:\n\"v\"}\n",
		`{"k\u00e9y": "v", "kéy": "w"}`, strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth),
	} {
		want, err := jsonUnmarshal(doc)
		require.NoError(t, err, doc)
		got, err := Generic([]byte(doc))
		require.NoError(t, err, "%.40s", doc)
		assert.Equal(t, want, got, "%.40s", doc)
	}
}

// TestNumbersAreParseFloats: the exact fast path and the fallback agree with
// strconv.ParseFloat bit for bit, on numbers of every length and exponent.
func TestNumbersAreParseFloats(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		var b strings.Builder
		if rng.IntN(2) == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(byte('1' + rng.IntN(9)))
		for range rng.IntN(20) {
			b.WriteByte(byte('0' + rng.IntN(10)))
		}
		if rng.IntN(2) == 0 {
			b.WriteByte('.')
			for range 1 + rng.IntN(20) {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
		}
		if rng.IntN(2) == 0 {
			b.WriteString([]string{"e", "E-", "e+"}[rng.IntN(3)])
			b.WriteString(strconv.Itoa(rng.IntN(40)))
		}
		text := b.String()
		want, err := strconv.ParseFloat(text, 64)
		require.NoError(t, err, text)
		got, err := Generic([]byte(text))
		require.NoError(t, err, text)
		require.Equal(t, math.Float64bits(want), math.Float64bits(got.(float64)), text)
	}
}

func TestSurrogates(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		`"\ud83d\ude00"`:       "😀",
		`"\uD834\uDD1E!"`:      "𝄞!",
		`"\udbff\udfff"`:       "\U0010FFFF",
		`"a\ud800b"`:           "a\uFFFDb",
		`"\ud800"`:             "\uFFFD",
		`"\udc00\ud800"`:       "\uFFFD\uFFFD",
		`"\ud800\ud800\udc00"`: "\uFFFD𐀀",
		`"\ud800\t"`:           "\uFFFD\t",
	}
	for doc, want := range tests {
		got, err := Generic([]byte(doc))
		require.NoError(t, err, doc)
		assert.Equal(t, want, got, doc)
	}
}

// record is one record with its members in no particular order, an unknown
// member holding every kind of value, escapes, and null in the nullable fields.
const record = `[ {
	"tags": ["a", "b\/c"], "orders": [{"items": [{"weight": 1.5e-3, "title": "T\u00eft", "discount": null,
		"sku": "S-1", "unit_price": 10.25, "quantity": 3}, {"quantity": 1, "discount": 0.5, "sku": "S-2",
		"title": "", "unit_price": 0, "weight": 7}], "coupon": null, "total": 30.75, "id": 9,
		"status": "shipped", "currency": "EUR", "placed": "2024-01-02T03:04:05Z"}],
	"unknown": {"x": [1, -2.5e3, "s\"", true, false, null, {}, []]},
	"score": 87.73486867641729, "metadata": {"k\u00e9": "v", "src": "web"}, "nickname": "nick\ud83d\ude00",
	"id": -42, "address": {"lon": -25.982316, "street": "1 Rue", "line2": "apt 2", "postcode": "75001",
		"city": "Paris", "country": "FR", "lat": 48.85},
	"email": "a@b.c", "created": "2024-06-19T10:31:46Z", "name": "Dagný Ferrão", "bio": "line\nbreak",
	"balance": 9007199254740991, "active": true
} ]`

func TestTypedRecordInAnyOrder(t *testing.T) {
	t.Parallel()
	var want []jsonbench.Record
	require.NoError(t, json.Unmarshal([]byte(record), &want))
	got, err := Typed([]byte(record))
	require.NoError(t, err)
	assert.Equal(t, want, got)
	require.Len(t, got, 1)
	r := got[0]
	assert.Equal(t, int64(-42), r.ID)
	assert.Equal(t, "nick😀", *r.Nickname)
	assert.Equal(t, "Tït", r.Orders[0].Items[0].Title)
	assert.Nil(t, r.Orders[0].Items[0].Discount)
	assert.Equal(t, 0.5, *r.Orders[0].Items[1].Discount)
	assert.Equal(t, map[string]string{"ké": "v", "src": "web"}, r.Metadata)
	assert.Equal(t, jsonbench.DigestRecords(want), jsonbench.DigestRecords(got))
}

// TestTypedAliasesTheInput: a string without escapes points into the
// document, one with escapes does not.
func TestTypedAliasesTheInput(t *testing.T) {
	t.Parallel()
	data := []byte(record)
	got, err := Typed(data)
	require.NoError(t, err)
	inside := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		start := uintptr(unsafe.Pointer(&data[0]))
		return p >= start && p < start+uintptr(len(data))
	}
	assert.True(t, inside(got[0].Name))
	assert.True(t, inside(got[0].Orders[0].Items[0].SKU))
	assert.False(t, inside(got[0].Bio))
	assert.False(t, inside(*got[0].Nickname))
}

func TestTypedNulls(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		`null`, `[]`, `[null]`,
		`[{"id": null, "name": null, "active": null, "score": null, "nickname": null, "address": null,
			"tags": null, "metadata": null, "orders": null}]`,
		`[{"name": "a", "name": null, "tags": ["x"], "tags": null, "address": {"city": "c"}, "address": {"lat": 1}}]`,
		`[{"metadata": {"a": "1", "b": null}, "metadata": {"c": "3"}, "orders": [null, {"items": [null], "coupon": null}]}]`,
		`[{"x": ` + strings.Repeat("[", MaxDepth-2) + strings.Repeat("]", MaxDepth-2) + `}]`,
	} {
		var want []jsonbench.Record
		require.NoError(t, json.Unmarshal([]byte(doc), &want), "%.40s", doc)
		got, err := Typed([]byte(doc))
		require.NoError(t, err, "%.40s", doc)
		assert.Equal(t, want, got, "%.40s", doc)
	}
}

func TestTypedRejectsWrongTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc    string
		offset int
		msg    string
	}{
		{`[{"id": "7"}]`, 8, "cannot decode string into Record.id (int64)"},
		{`[{"score": "high"}]`, 11, "cannot decode string into Record.score (float64)"},
		{`[{"name": 7}]`, 10, "cannot decode number into Record.name (string)"},
		{`[{"active": 1}]`, 12, "cannot decode number into Record.active (bool)"},
		{`[{"tags": "a"}]`, 10, "cannot decode string into Record.tags (array)"},
		{`[{"tags": [1]}]`, 11, "cannot decode number into Record.tags element (string)"},
		{`[{"orders": [{"items": [{"quantity": 2.5}]}]}]`, 37, "cannot decode number 2.5 into Item.quantity (int64)"},
		{`[{"id": 1e3}]`, 8, "cannot decode number 1e3 into Record.id (int64)"},
		{`[{"id": 9223372036854775808}]`, 8, "number 9223372036854775808 overflows Record.id (int64)"},
		{`[{"id": 01}]`, 9, "leading zero in number"},
		{`[[]]`, 1, "cannot decode array into []jsonbench.Record element (object)"},
		{`{}`, 0, "cannot decode object into the document ([]jsonbench.Record)"},
		{`[{"x": ` + strings.Repeat("[", MaxDepth-1), 7 + MaxDepth - 2, "nesting deeper than 10000 levels"},
		{`[{"id": 1,}]`, 10, "invalid character '}' looking for beginning of object key string"},
		{`[{"x": [1, 2}]`, 12, "invalid character '}' after array element"},
	}
	for _, tt := range tests {
		got, err := Typed([]byte(tt.doc))
		assert.Nil(t, got)
		var e *Error
		require.True(t, errors.As(err, &e), "%.40s: %v", tt.doc, err)
		assert.Equal(t, tt.msg, e.Msg, "%.40s", tt.doc)
		assert.Equal(t, tt.offset, e.Offset, "%.40s", tt.doc)
	}
	got, err := Typed([]byte(`[{"id": -9223372036854775808, "balance": 9223372036854775807}]`))
	require.NoError(t, err)
	assert.Equal(t, int64(-1<<63), got[0].ID)
	assert.Equal(t, int64(1<<63-1), got[0].Balance)
}

// FuzzGeneric: no input makes the decoder panic; on valid UTF-8 (encoding/json
// replaces invalid UTF-8 where this decoder rejects it) its verdict and value
// are encoding/json's; Typed accepts nothing Generic rejects.
func FuzzGeneric(f *testing.F) {
	dir := filepath.Join("..", "conformance")
	entries, err := os.ReadDir(dir)
	require.NoError(f, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(record))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Generic(data)
		_, typedErr := Typed(data)
		if err != nil && typedErr == nil {
			t.Fatalf("typed accepts what generic rejects (%v)", err)
		}
		if !utf8.Valid(data) {
			return
		}
		var want any
		wantErr := json.Unmarshal(data, &want)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("verdicts differ: schemadecode %v, encoding/json %v", err, wantErr)
		}
		if err == nil {
			assert.Equal(t, want, got)
		}
	})
}

// TestValidUTF8 checks the automaton against utf8.Valid on every sequence
// of one or two bytes, every three-byte one that starts with a lead byte,
// and random longer strings; an invalid string's offset is its first bad byte.
func TestValidUTF8(t *testing.T) {
	t.Parallel()
	check := func(b []byte) {
		d := decoder{data: b}
		err := d.validUTF8(0, len(b))
		if utf8.Valid(b) {
			require.NoError(t, err, "% x", b)
			return
		}
		var e *Error
		require.True(t, errors.As(err, &e), "% x is invalid", b)
		assert.True(t, utf8.Valid(b[:e.Offset]), "% x: everything before offset %d is valid", b, e.Offset)
		_, n := utf8.DecodeRune(b[e.Offset:])
		assert.False(t, utf8.Valid(b[e.Offset:e.Offset+n]), "% x: offset %d starts a bad sequence", b, e.Offset)
	}
	for c0 := 0; c0 < 256; c0++ {
		check([]byte{byte(c0)})
		for c1 := 0; c1 < 256; c1++ {
			check([]byte{byte(c0), byte(c1)})
			if c0 >= 0xc0 {
				for c2 := 0x70; c2 < 0xc8; c2++ { // around the continuation range
					check([]byte{byte(c0), byte(c1), byte(c2)})
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "é", "ж", "あ", "😀", "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xed\xa0\x80", "\xc0\xaf", "\xe0\x9f\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\x80", "\xff", "abcdefgh"}
	for range 20000 {
		var b []byte
		for n := rng.IntN(12); n > 0; n-- {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		if len(b) > 0 && rng.IntN(4) == 0 {
			b = b[:rng.IntN(len(b))] // may cut a character
		}
		check(b)
	}
}

// FuzzTyped: on valid UTF-8, Typed's verdict and records are encoding/json's
// for a []jsonbench.Record. Documents with an upper-case ASCII letter, a
// backslash or a character that folds to an ASCII letter (ſ, K) are left out:
// encoding/json also matches a key that equals a field's name only
// case-insensitively, Typed does not (the package documentation).
func FuzzTyped(f *testing.F) {
	f.Add([]byte(`[{"id":1,"name":"ab","email":"a@b.c","active":true,"score":1.5,"balance":-7,` +
		`"created":"2024-01-01t00:00:00z","nickname":null,"bio":"é ж あ 😀","address":{"street":"s",` +
		`"line2":"l","city":"c","postcode":"01234","country":"us","lat":1e-3,"lon":-0.5},"tags":["x","y"],` +
		`"metadata":{"k":"v"},"orders":[{"id":2,"placed":"p","status":"paid","currency":"eur","total":9.99,` +
		`"coupon":null,"items":[{"sku":"s-1","title":"t","quantity":3,"unit_price":2.5,"discount":0.1,"weight":7}]}]}]`))
	f.Add([]byte(`[{"orders":[{"items":[{"weight":1,"sku":"a"}],"id":1}],"id":2,"id":3,"tags":null,"x":[{"y":{}}]}]`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Typed(data)
		if !utf8.Valid(data) || bytes.ContainsAny(data, `ABCDEFGHIJKLMNOPQRSTUVWXYZ\ſK`) {
			return
		}
		var want []jsonbench.Record
		wantErr := json.Unmarshal(data, &want)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("verdicts differ: schemadecode %v, encoding/json %v", err, wantErr)
		}
		if err == nil {
			assert.Equal(t, want, got)
		}
	})
}
