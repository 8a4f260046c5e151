package jsonbench

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"maps"
	"slices"
	"strconv"
)

// Counts are how many values of each kind a document holds (the top-level
// value included; object keys are not values).
type Counts struct {
	Object int64 `json:"object"`
	Array  int64 `json:"array"`
	String int64 `json:"string"`
	Number int64 `json:"number"`
	True   int64 `json:"true"`
	False  int64 `json:"false"`
	Null   int64 `json:"null"`
}

// Total is the number of values.
func (c Counts) Total() int64 {
	return c.Object + c.Array + c.String + c.Number + c.True + c.False + c.Null
}

// A Digest identifies a parsed value: the SHA-256 of its canonical stream
// (DIGEST.md) in lowercase hex, and its value counts.
type Digest struct {
	SHA256 string `json:"digest"`
	Counts Counts `json:"counts"`
}

// A Canon writes the canonical stream of one value (DIGEST.md) into SHA-256
// as it goes, counting values; the caller emits object members in key order
// (Value sorts them for a generic tree).
type Canon struct {
	h      hash.Hash
	buf    []byte
	counts Counts
	stream []byte // a copy of everything written, when Record was asked for
	record bool
}

// NewCanon returns an empty canonical stream.
func NewCanon() *Canon {
	return &Canon{h: sha256.New(), buf: make([]byte, 0, 64<<10)}
}

// Recording makes the Canon keep a copy of its stream (for tests and the
// golden vectors); Stream returns it.
func (c *Canon) Recording() *Canon {
	c.record = true
	return c
}

// Stream is the canonical stream written so far (only when Recording).
func (c *Canon) Stream() []byte { return c.stream }

func (c *Canon) flushIfFull() {
	if len(c.buf) >= 60<<10 {
		c.flush()
	}
}

func (c *Canon) flush() {
	c.h.Write(c.buf)
	if c.record {
		c.stream = append(c.stream, c.buf...)
	}
	c.buf = c.buf[:0]
}

// Null writes a null.
func (c *Canon) Null() {
	c.counts.Null++
	c.buf = append(c.buf, 'n')
	c.flushIfFull()
}

// Bool writes true or false.
func (c *Canon) Bool(b bool) {
	if b {
		c.counts.True++
		c.buf = append(c.buf, 't')
	} else {
		c.counts.False++
		c.buf = append(c.buf, 'f')
	}
	c.flushIfFull()
}

// Number writes a number.
func (c *Canon) Number(v float64) {
	c.counts.Number++
	c.buf = append(c.buf, 'd')
	c.buf = AppendNumber(c.buf, v)
	c.buf = append(c.buf, ';')
	c.flushIfFull()
}

// Integer writes an integral number (the same stream as Number(float64(n))).
func (c *Canon) Integer(n int64) {
	c.counts.Number++
	c.buf = append(c.buf, 'd')
	c.buf = AppendInteger(c.buf, n)
	c.buf = append(c.buf, ';')
	c.flushIfFull()
}

// String writes a string value.
func (c *Canon) String(s string) {
	c.counts.String++
	c.text('s', s)
}

// Key writes an object member's key; its value follows.
func (c *Canon) Key(k string) { c.text('k', k) }

func (c *Canon) text(tag byte, s string) {
	c.buf = append(c.buf, tag)
	c.buf = strconv.AppendInt(c.buf, int64(len(s)), 10)
	c.buf = append(c.buf, ':')
	if len(s) > 4096 {
		c.flush()
		c.h.Write([]byte(s))
		if c.record {
			c.stream = append(c.stream, s...)
		}
		return
	}
	c.buf = append(c.buf, s...)
	c.flushIfFull()
}

// BeginArray opens an array; its elements follow in order.
func (c *Canon) BeginArray() {
	c.counts.Array++
	c.buf = append(c.buf, '[')
}

// EndArray closes an array.
func (c *Canon) EndArray() { c.buf = append(c.buf, ']') }

// BeginObject opens an object; its members follow, keys in byte order.
func (c *Canon) BeginObject() {
	c.counts.Object++
	c.buf = append(c.buf, '{')
}

// EndObject closes an object.
func (c *Canon) EndObject() { c.buf = append(c.buf, '}') }

// Sum returns the digest of everything written.
func (c *Canon) Sum() Digest {
	c.flush()
	return Digest{SHA256: hex.EncodeToString(c.h.Sum(nil)), Counts: c.counts}
}

// Value writes a generic tree as Go's JSON decoders build it: nil, bool,
// float64, int64, json.Number, string, []any and map[string]any.
func (c *Canon) Value(v any) error {
	switch v := v.(type) {
	case nil:
		c.Null()
	case bool:
		c.Bool(v)
	case float64:
		c.Number(v)
	case int64:
		c.Integer(v)
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil && f == 0 {
			return fmt.Errorf("number %q: %w", v, err)
		}
		c.Number(f) // ±Inf for an out-of-range one, as DIGEST.md says
	case string:
		c.String(v)
	case []any:
		c.BeginArray()
		for _, e := range v {
			if err := c.Value(e); err != nil {
				return err
			}
		}
		c.EndArray()
	case map[string]any:
		c.BeginObject()
		for _, k := range slices.Sorted(maps.Keys(v)) {
			c.Key(k)
			if err := c.Value(v[k]); err != nil {
				return err
			}
		}
		c.EndObject()
	default:
		return fmt.Errorf("digest: a %T is not a JSON value", v)
	}
	return nil
}

// DigestOf is the digest of a generic tree.
func DigestOf(v any) (Digest, error) {
	c := NewCanon()
	if err := c.Value(v); err != nil {
		return Digest{}, err
	}
	return c.Sum(), nil
}
