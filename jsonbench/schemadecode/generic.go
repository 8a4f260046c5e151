package schemadecode

import (
	"strconv"
)

// Generic decodes a JSON document into the values encoding/json's Unmarshal
// into an any makes: map[string]any, []any, float64, string, bool and nil.
// Its strings alias data (see the package documentation).
func Generic(data []byte) (any, error) {
	d := decoder{data: data}
	d.ws()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	return v, nil
}

// value decodes the value at the cursor; depth is the number of containers
// open around it.
func (d *decoder) value(depth int) (any, error) {
	switch c := d.peek(); c {
	case '{':
		return d.object(depth + 1)
	case '[':
		return d.array(depth + 1)
	case '"':
		s, err := d.str()
		return s, err
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return nil, d.literal("null")
	default:
		if c == '-' || isDigit(c) {
			f, err := d.float()
			return f, err
		}
	}
	return nil, d.unexpected("looking for beginning of value")
}

func (d *decoder) object(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, d.tooDeep()
	}
	m := make(map[string]any)
	for more := d.open('}'); more; {
		k, err := d.key()
		if err != nil {
			return nil, err
		}
		if m[k], err = d.value(depth); err != nil {
			return nil, err
		}
		if more, err = d.next('}', "after object member"); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// array collects its elements on the decoder's stack, shared by every level,
// so that each array is allocated once at its final length.
func (d *decoder) array(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, d.tooDeep()
	}
	base := len(d.stack)
	for more := d.open(']'); more; {
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.stack = append(d.stack, v)
		if more, err = d.next(']', "after array element"); err != nil {
			return nil, err
		}
	}
	a := make([]any, len(d.stack)-base)
	copy(a, d.stack[base:])
	clear(d.stack[base:])
	d.stack = d.stack[:base]
	return a, nil
}

// float decodes a number as encoding/json does, into the nearest float64; one
// beyond float64's range is an error.
func (d *decoder) float() (float64, error) {
	start := d.pos
	end, integer, err := d.number()
	if err != nil {
		return 0, err
	}
	d.pos = end
	if integer && end-start <= 15 {
		// Fewer than 16 digits: exact as an int64 and as a float64.
		digits := d.data[start:end]
		neg := digits[0] == '-'
		if neg {
			digits = digits[1:]
		}
		n := int64(0)
		for _, c := range digits {
			n = n*10 + int64(c-'0')
		}
		if neg {
			return -float64(n), nil
		}
		return float64(n), nil
	}
	f, err := strconv.ParseFloat(d.text(start, end), 64)
	if err != nil {
		return 0, d.fail(start, "number %s is out of float64's range", d.text(start, end))
	}
	return f, nil
}
