package awsproto

import (
	"encoding"
	"math"
	"reflect"
	"sort"
	"time"
)

// The encoders accept, besides the types the decoders produce, the Go
// types a handler naturally builds: any integer or float type, named
// string types (type VpcID string), encoding.TextMarshaler for strings
// (netip.Addr, netip.Prefix), typed slices ([]string, []map[string]any,
// []Params, ...), string-keyed maps, and pointers to any of these. A nil
// value, nil pointer, nil map or nil slice is omitted.

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

// isNil reports whether v should be omitted from output.
// Lazy is a list whose elements a handler makes only as the encoder
// reaches them: Elem(i) for i in [0, Len). A describe of many thousands of
// resources answers with one, so that, with StreamResponse, the output of
// one element at a time is held, never the whole response's. Elem must be
// safe to call after the handler returned (it must not read the engine's
// state unlocked: capture the immutable resources it needs instead).
type Lazy struct {
	Len  int
	Elem func(i int) any
}

func isNil(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string, bool, int, int64, int32, float64, time.Time:
		return false
	case []any:
		return x == nil
	case map[string]any:
		return x == nil
	case Params:
		return x == nil
	case []string:
		return x == nil
	case []byte:
		return x == nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// deref follows pointers; ok is false for a nil pointer.
func deref(v any) (any, bool) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, false
		}
		rv = rv.Elem()
	}
	return rv.Interface(), true
}

func asString(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case encoding.TextMarshaler:
		b, err := s.MarshalText()
		return string(b), err == nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), true
	case reflect.Pointer:
		if d, ok := deref(v); ok {
			return asString(d)
		}
	}
	return "", false
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := rv.Uint()
		return int64(u), u <= math.MaxInt64
	case reflect.Pointer:
		if d, ok := deref(v); ok {
			return asInt(d)
		}
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	switch f := v.(type) {
	case float64:
		return f, true
	case float32:
		return float64(f), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	case reflect.Pointer:
		if d, ok := deref(v); ok {
			return asFloat(d)
		}
	}
	if n, ok := asInt(v); ok {
		return float64(n), true
	}
	return 0, false
}

func asBool(v any) (bool, bool) {
	if b, ok := v.(bool); ok {
		return b, true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), true
	case reflect.Pointer:
		if d, ok := deref(v); ok {
			return asBool(d)
		}
	}
	return false, false
}

func asTime(v any) (time.Time, bool) {
	switch t := v.(type) {
	case time.Time:
		return t, true
	case *time.Time:
		if t != nil {
			return *t, true
		}
	}
	return time.Time{}, false
}

func asBlob(v any) ([]byte, bool) {
	switch b := v.(type) {
	case []byte:
		return b, true
	case *[]byte:
		if b != nil {
			return *b, true
		}
	}
	return nil, false
}

func asStruct(v any) (map[string]any, bool) {
	switch s := v.(type) {
	case map[string]any:
		return s, true
	case Params:
		return s, true
	case *map[string]any:
		if s != nil {
			return *s, true
		}
	}
	return nil, false
}

// eachElem calls fn for every element of a list value; ok is false when v
// is not a slice.
func eachElem(v any, fn func(i int, elem any) error) (ok bool, err error) {
	switch l := v.(type) {
	case Lazy:
		for i := range l.Len {
			if err := fn(i, l.Elem(i)); err != nil {
				return true, err
			}
		}
		return true, nil
	case []any:
		for i, e := range l {
			if err := fn(i, e); err != nil {
				return true, err
			}
		}
		return true, nil
	case []string:
		for i, e := range l {
			if err := fn(i, e); err != nil {
				return true, err
			}
		}
		return true, nil
	case []map[string]any:
		for i, e := range l {
			if err := fn(i, e); err != nil {
				return true, err
			}
		}
		return true, nil
	case []Params:
		for i, e := range l {
			if err := fn(i, e); err != nil {
				return true, err
			}
		}
		return true, nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return false, nil
	}
	if rv.Type().Elem().Kind() == reflect.Uint8 {
		return false, nil // []byte is a blob, not a list
	}
	for i := 0; i < rv.Len(); i++ {
		if err := fn(i, rv.Index(i).Interface()); err != nil {
			return true, err
		}
	}
	return true, nil
}

type mapEntry struct {
	key   string
	value any
}

// mapEntries returns a map value's entries sorted by key; ok is false when
// v is not a string-keyed map.
func mapEntries(v any) (entries []mapEntry, ok bool) {
	switch m := v.(type) {
	case map[string]any:
		entries = make([]mapEntry, 0, len(m))
		for k, x := range m {
			entries = append(entries, mapEntry{k, x})
		}
	case Params:
		return mapEntries(map[string]any(m))
	case map[string]string:
		entries = make([]mapEntry, 0, len(m))
		for k, x := range m {
			entries = append(entries, mapEntry{k, x})
		}
	default:
		rv := reflect.ValueOf(v)
		for rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv = rv.Elem()
		}
		if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
			return nil, false
		}
		entries = make([]mapEntry, 0, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			entries = append(entries, mapEntry{it.Key().String(), it.Value().Interface()})
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	return entries, true
}
