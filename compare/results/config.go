package results

import (
	"encoding/json"
	"math"
)

// SameValue compares two configuration values by kind and value: numbers
// as numbers whatever their Go type (JSON decodes 1000 as float64, a record
// built in memory holds int 1000), strings and booleans as themselves; a
// number never equals a string ("1000").
func SameValue(a, b any) bool {
	if x, ok := number(a); ok {
		y, ok := number(b)
		return ok && (x == y || (math.IsNaN(x) && math.IsNaN(y)))
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// Matches reports whether the record's configuration holds every key of
// want with the same value.
func (r Record) Matches(want map[string]any) bool {
	for k, v := range want {
		got, ok := r.Config[k]
		if !ok || !SameValue(got, v) {
			return false
		}
	}
	return true
}

// Compatible reports whether two configurations agree on every key both
// hold (a job's configuration against the one a claim reads).
func Compatible(a, b map[string]any) bool {
	for k, v := range a {
		if w, ok := b[k]; ok && !SameValue(v, w) {
			return false
		}
	}
	return true
}
