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
// beyond float64's range is an error. A number of at most 19 digits whose
// digits make an integer below 2^53, scaled by a power of ten of at most 22,
// is exact in one multiplication or division (Clinger's fast path, the one
// strconv.ParseFloat tries first), computed here while the digits are read;
// any other goes to ParseFloat, as does anything not well formed, so that
// number reports what is wrong.
func (d *decoder) float() (float64, error) {
	data, start := d.data, d.pos
	i := start
	neg := i < len(data) && data[i] == '-'
	if neg {
		i++
	}
	var m uint64
	j := i
	for j < len(data) && isDigit(data[j]) {
		m = m*10 + uint64(data[j]-'0')
		j++
	}
	digits, exp := j-i, 0
	ok := digits > 0 && (data[i] != '0' || digits == 1)
	if j < len(data) && data[j] == '.' {
		k := j + 1
		for k < len(data) && isDigit(data[k]) {
			m = m*10 + uint64(data[k]-'0')
			k++
		}
		ok = ok && k > j+1
		digits, exp, j = digits+k-j-1, j+1-k, k
	}
	if j < len(data) && data[j]|0x20 == 'e' {
		k := j + 1
		eneg := k < len(data) && data[k] == '-'
		if k < len(data) && (data[k] == '-' || data[k] == '+') {
			k++
		}
		e := 0
		for k < len(data) && isDigit(data[k]) && e < 1000 {
			e = e*10 + int(data[k]-'0')
			k++
		}
		ok = ok && k > j+1 && isDigit(data[k-1]) && (k == len(data) || !isDigit(data[k]))
		if eneg {
			e = -e
		}
		exp, j = exp+e, k
	}
	if ok && digits <= 19 && m < 1<<53 && exp >= -22 && exp <= 22 {
		f := float64(m)
		if exp < 0 {
			f /= pow10[-exp]
		} else {
			f *= pow10[exp]
		}
		if neg {
			f = -f
		}
		d.pos = j
		return f, nil
	}
	end, _, err := d.number()
	if err != nil {
		return 0, err
	}
	d.pos = end
	f, err := strconv.ParseFloat(d.text(start, end), 64)
	if err != nil {
		return 0, d.fail(start, "number %s is out of float64's range", shorten(d.text(start, end)))
	}
	return f, nil
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}
