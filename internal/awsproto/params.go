package awsproto

import (
	"time"
)

// Params is a decoded structure: member name to value. Values are
// map[string]any (a nested structure, or a map shape keyed by its keys),
// []any, string, int64, float64, bool, time.Time or []byte, as the shape
// says. Absent members are absent keys, never nil values.
//
// The accessors never panic: a missing member, or one of another type,
// yields the zero value, so a handler checks presence with Has where the
// zero value is meaningful. Decoded input has already been type-checked
// against the operation's shape, so a mismatch there is a handler bug.
// Accessors work on a nil Params.
type Params map[string]any

// Has reports whether the member is present.
func (p Params) Has(name string) bool {
	_, ok := p[name]
	return ok
}

// OptInt returns the member as an int, or nil when it is absent.
func (p Params) OptInt(name string) *int {
	if !p.Has(name) {
		return nil
	}
	v := int(p.Int(name))
	return &v
}

// OptBool returns the member, or nil when it is absent.
func (p Params) OptBool(name string) *bool {
	if !p.Has(name) {
		return nil
	}
	v := p.Bool(name)
	return &v
}

// OptTime returns the member, or nil when it is absent.
func (p Params) OptTime(name string) *time.Time {
	if !p.Has(name) {
		return nil
	}
	v := p.Time(name)
	return &v
}

// Lookup returns the member's value and whether it is present.
func (p Params) Lookup(name string) (any, bool) {
	v, ok := p[name]
	return v, ok
}

// String returns a string member, or "".
func (p Params) String(name string) string {
	s, _ := p[name].(string)
	return s
}

// Int returns an integer or long member, or 0.
func (p Params) Int(name string) int64 {
	n, _ := toInt64(p[name])
	return n
}

// IntOr returns an integer or long member, or def when it is absent.
func (p Params) IntOr(name string, def int64) int64 {
	if n, ok := toInt64(p[name]); ok {
		return n
	}
	return def
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	}
	return 0, false
}

// Float returns a float or double member, or 0.
func (p Params) Float(name string) float64 {
	switch f := p[name].(type) {
	case float64:
		return f
	case int64:
		return float64(f)
	}
	return 0
}

// Bool returns a boolean member, or false.
func (p Params) Bool(name string) bool {
	b, _ := p[name].(bool)
	return b
}

// Time returns a timestamp member, or the zero time.
func (p Params) Time(name string) time.Time {
	t, _ := p[name].(time.Time)
	return t
}

// Blob returns a blob member, or nil.
func (p Params) Blob(name string) []byte {
	b, _ := p[name].([]byte)
	return b
}

// Struct returns a structure member, or nil (on which every accessor
// still works).
func (p Params) Struct(name string) Params { return asParams(p[name]) }

// List returns a list member, or nil.
func (p Params) List(name string) []any {
	l, _ := p[name].([]any)
	return l
}

// Strings returns a list-of-strings member, or nil.
func (p Params) Strings(name string) []string {
	l := p.List(name)
	if l == nil {
		if s, ok := p[name].([]string); ok {
			return s
		}
		return nil
	}
	out := make([]string, 0, len(l))
	for _, v := range l {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Structs returns a list-of-structures member, or nil.
func (p Params) Structs(name string) []Params {
	l := p.List(name)
	if l == nil {
		return nil
	}
	out := make([]Params, 0, len(l))
	for _, v := range l {
		if s := asParams(v); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// StringMap returns a map-of-strings member (a map shape, not a
// structure), or nil.
func (p Params) StringMap(name string) map[string]string {
	m := asParams(p[name])
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

func asParams(v any) Params {
	switch s := v.(type) {
	case map[string]any:
		return s
	case Params:
		return s
	}
	return nil
}

// DryRun reports whether an EC2 request set DryRun=true.
func (p Params) DryRun() bool { return p.Bool("DryRun") }
