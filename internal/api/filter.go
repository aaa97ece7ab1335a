package api

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Filter is one EC2 Filter.N: a name and the values any of which matches.
type Filter struct {
	Name   string
	Values []string
}

// Filters returns the request's filters (member "Filters", or "Filter" for
// the few operations that spell it so).
func Filters(in awsproto.Params) []Filter {
	list := in.Structs("Filters")
	if list == nil {
		list = in.Structs("Filter")
	}
	out := make([]Filter, 0, len(list))
	for _, f := range list {
		out = append(out, Filter{Name: f.String("Name"), Values: f.Strings("Values")})
	}
	return out
}

// FilterSet is the filters one Describe operation knows for one resource
// type: each maps a resource to the values a filter of that name compares
// with. tag:<key>, tag-key and tag-value come for free when Tags is set.
type FilterSet[T any] struct {
	Attrs map[string]func(r T) []string
	Tags  func(r T) model.Tags
}

// Apply returns the items that match every filter (any value of a filter
// matching any value of the item; values may use the wildcards * and ?), in
// order. An unknown filter name is EC2's InvalidParameterValue "The filter
// '<name>' is invalid".
func (fs FilterSet[T]) Apply(items []T, filters []Filter) ([]T, error) {
	if len(filters) == 0 {
		return items, nil
	}
	type compiled struct {
		attr   func(T) []string
		tagKey string // tag:<key>
		kind   int    // 0 attr, 1 tag:key, 2 tag-key, 3 tag-value
		values []string
	}
	cs := make([]compiled, 0, len(filters))
	for _, f := range filters {
		c := compiled{values: f.Values}
		switch {
		case fs.Attrs[f.Name] != nil:
			c.attr = fs.Attrs[f.Name]
		case fs.Tags != nil && strings.HasPrefix(f.Name, "tag:") && len(f.Name) > 4:
			c.kind, c.tagKey = 1, f.Name[4:]
		case fs.Tags != nil && f.Name == "tag-key":
			c.kind = 2
		case fs.Tags != nil && f.Name == "tag-value":
			c.kind = 3
		default:
			return nil, apierr.Newf("InvalidParameterValue", "The filter '%s' is invalid", f.Name)
		}
		cs = append(cs, c)
	}
	out := make([]T, 0, len(items))
	for _, it := range items {
		ok := true
		for _, c := range cs {
			var have []string
			switch c.kind {
			case 0:
				have = c.attr(it)
			case 1:
				if v, found := fs.Tags(it)[c.tagKey]; found {
					have = []string{v}
				}
			case 2:
				for k := range fs.Tags(it) {
					have = append(have, k)
				}
			case 3:
				for _, v := range fs.Tags(it) {
					have = append(have, v)
				}
			}
			if !anyMatch(c.values, have) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, it)
		}
	}
	return out, nil
}

func anyMatch(patterns, values []string) bool {
	for _, p := range patterns {
		for _, v := range values {
			if Glob(p, v) {
				return true
			}
		}
	}
	return false
}

// Glob reports whether s matches pattern, where * matches any run of
// characters and ? any one character (EC2 filter wildcards; \ escapes).
func Glob(pattern, s string) bool {
	if !strings.ContainsAny(pattern, `*?\`) {
		return pattern == s
	}
	p := []rune(pattern)
	r := []rune(s)
	// Iterative matcher with backtracking on the last star.
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(r) {
		switch {
		case pi < len(p) && p[pi] == '\\' && pi+1 < len(p) && p[pi+1] == r[si]:
			pi += 2
			si++
		case pi < len(p) && (p[pi] == '?' || (p[pi] != '*' && p[pi] != '\\' && p[pi] == r[si])):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// One returns a filter attribute of one value ("" gives none).
func One[S ~string](s S) []string {
	if s == "" {
		return nil
	}
	return []string{string(s)}
}

// Bool returns "true" or "false" as a filter value.
func Bool(b bool) []string {
	if b {
		return []string{"true"}
	}
	return []string{"false"}
}
