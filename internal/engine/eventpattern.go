package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// EventPattern is a compiled EventBridge event pattern (the Amazon
// EventBridge User Guide's "Creating event patterns" and "Content filtering
// in Amazon EventBridge event patterns"): every field it names must match
// (AND), each leaf is an array of match values of which one must match
// (OR), a "$or" array matches when one of its patterns does.
type EventPattern struct {
	fields []patternField
	ors    [][]*EventPattern
}

// patternField is one field of a pattern: a nested pattern, or the match
// values of a leaf.
type patternField struct {
	name   string
	nested *EventPattern
	values []matchValue
}

// matchValue is one element of a leaf's array.
type matchValue struct {
	kind    string // exact, prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr
	literal any    // exact: string, float64, bool or nil
	text    string // prefix, suffix, equals-ignore-case, wildcard
	fold    bool   // prefix or suffix with equals-ignore-case
	exists  bool
	numeric []numericBound
	cidr    netip.Prefix
	// but is anything-but's: the values none of which the field may
	// equal, or the string matchers (prefix, suffix, equals-ignore-case,
	// wildcard) none of which it may match.
	but    []any
	butAny []matchValue
}

type numericBound struct {
	op    string
	value float64
}

// invalidPattern is EventBridge's InvalidEventPatternException.
func invalidPattern(format string, args ...any) error {
	return apierr.New("InvalidEventPatternException", "Event pattern is not valid. Reason: "+fmt.Sprintf(format, args...))
}

// ParseEventPattern compiles an event pattern, or answers EventBridge's
// InvalidEventPatternException for one it refuses.
func ParseEventPattern(pattern string) (*EventPattern, error) {
	d := json.NewDecoder(strings.NewReader(pattern))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, invalidPattern("Filter is not an object")
	}
	if d.More() {
		return nil, invalidPattern("Filter is not an object")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalidPattern("Filter is not an object")
	}
	if len(m) == 0 {
		return nil, invalidPattern("Empty objects are not allowed")
	}
	return compilePattern(m)
}

func compilePattern(m map[string]any) (*EventPattern, error) {
	m = expandDottedNames(m)
	p := &EventPattern{}
	for _, name := range sortedKeys(m) {
		v := m[name]
		if name == "$or" {
			l, ok := v.([]any)
			if !ok || len(l) < 2 {
				return nil, invalidPattern("Or relationship should be an array with at least 2 elements")
			}
			var alts []*EventPattern
			for _, x := range l {
				o, ok := x.(map[string]any)
				if !ok || len(o) == 0 {
					return nil, invalidPattern("Or relationship elements must be non-empty objects")
				}
				sub, err := compilePattern(o)
				if err != nil {
					return nil, err
				}
				alts = append(alts, sub)
			}
			p.ors = append(p.ors, alts)
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			if len(x) == 0 {
				return nil, invalidPattern("Empty objects are not allowed")
			}
			sub, err := compilePattern(x)
			if err != nil {
				return nil, err
			}
			p.fields = append(p.fields, patternField{name: name, nested: sub})
		case []any:
			if len(x) == 0 {
				return nil, invalidPattern("Empty arrays are not allowed")
			}
			f := patternField{name: name}
			for _, e := range x {
				mv, err := compileMatchValue(e)
				if err != nil {
					return nil, err
				}
				f.values = append(f.values, mv)
			}
			p.fields = append(p.fields, f)
		default:
			return nil, invalidPattern("%q must be an object or an array", name)
		}
	}
	return p, nil
}

// expandDottedNames reads a pattern's field "a.b": X as "a": {"b": X}:
// EventBridge matches on field paths joined with ".", so a pattern names
// the same field either way ("Considerations when creating event
// patterns"; LocalStack's AWS-validated event_pattern_templates
// dot_joining_pattern). A dotted name whose path is already a leaf of the
// pattern stays as it is.
func expandDottedNames(m map[string]any) map[string]any {
	if !slices.ContainsFunc(sortedKeys(m), func(k string) bool { return k != "$or" && strings.Contains(k, ".") }) {
		return m
	}
	out := map[string]any{}
	var dotted []string
	for _, k := range sortedKeys(m) {
		if parts := strings.Split(k, "."); k == "$or" || len(parts) == 1 || slices.Contains(parts, "") {
			out[k] = m[k]
		} else {
			dotted = append(dotted, k)
		}
	}
	for _, k := range dotted {
		parts := strings.Split(k, ".")
		var v any = m[k]
		for i := len(parts) - 1; i >= 1; i-- {
			v = map[string]any{parts[i]: v}
		}
		if !mergePatternField(out, parts[0], v) {
			out[k] = m[k]
		}
	}
	return out
}

// mergePatternField adds v under k, merging objects; false when k already
// holds a leaf that v would have to share.
func mergePatternField(out map[string]any, k string, v any) bool {
	old, ok := out[k]
	if !ok {
		out[k] = v
		return true
	}
	om, ok1 := old.(map[string]any)
	vm, ok2 := v.(map[string]any)
	if !ok1 || !ok2 {
		return false
	}
	merged := maps.Clone(om)
	for _, kk := range sortedKeys(vm) {
		if !mergePatternField(merged, kk, vm[kk]) {
			return false
		}
	}
	out[k] = merged
	return true
}

// literal turns a decoded JSON scalar into a match literal (numbers as
// float64: 300 and 300.0 are one value).
func literal(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, bool:
		return x, true
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return nil, false
		}
		return f, true
	case float64:
		return x, true
	}
	return nil, false
}

func compileMatchValue(e any) (matchValue, error) {
	if lit, ok := literal(e); ok {
		return matchValue{kind: "exact", literal: lit}, nil
	}
	o, ok := e.(map[string]any)
	if !ok {
		return matchValue{}, invalidPattern("Match value must be String, number, true, false, or null")
	}
	if len(o) != 1 {
		return matchValue{}, invalidPattern("Only one key allowed in match expression")
	}
	for k, v := range o {
		switch k {
		case "prefix", "suffix":
			if s, ok := v.(string); ok {
				return matchValue{kind: k, text: s}, nil
			}
			if m, ok := v.(map[string]any); ok {
				// Event Ruler's processPrefixEqualsIgnoreCaseExpression
				// (and the suffix one): only equals-ignore-case of a string.
				if len(m) == 0 {
					return matchValue{}, invalidPattern("%s expression name not found", strings.ToUpper(k[:1])+k[1:])
				}
				if len(m) > 1 {
					return matchValue{}, invalidPattern("Only one key allowed in match expression")
				}
				for op, x := range m {
					if op != "equals-ignore-case" {
						return matchValue{}, invalidPattern("Unsupported %s pattern: %s", k, op)
					}
					s, ok := x.(string)
					if !ok {
						return matchValue{}, invalidPattern("equals-ignore-case match pattern must be a string")
					}
					return matchValue{kind: k, text: s, fold: true}, nil
				}
			}
			return matchValue{}, invalidPattern("%s match pattern must be a string", k)
		case "exact":
			s, ok := v.(string)
			if !ok {
				return matchValue{}, invalidPattern("exact match pattern must be a string")
			}
			return matchValue{kind: "exact", literal: s}, nil
		case "equals-ignore-case", "wildcard":
			s, ok := v.(string)
			if !ok {
				return matchValue{}, invalidPattern("%s match pattern must be a string", k)
			}
			if k == "wildcard" && strings.Contains(s, "**") {
				return matchValue{}, invalidPattern("Consecutive wildcard characters at pos %d", strings.Index(s, "**")+1)
			}
			return matchValue{kind: k, text: s}, nil
		case "exists":
			b, ok := v.(bool)
			if !ok {
				return matchValue{}, invalidPattern("exists match pattern must be either true or false.")
			}
			return matchValue{kind: "exists", exists: b}, nil
		case "cidr":
			return compileCIDR(v)
		case "numeric":
			return compileNumeric(v)
		case "anything-but":
			return compileAnythingBut(v)
		default:
			return matchValue{}, invalidPattern("Unrecognized match type %s", k)
		}
	}
	return matchValue{}, nil // unreachable: one key
}

// compileCIDR reads a cidr match value as Event Ruler's CIDR.cidr does,
// with its refusals: one "/", integer mask bits, an IPv4 or IPv6 address,
// and mask bits below the address's length (LocalStack's AWS-validated
// templates content_ip_address_*_EXC; aws/event-ruler CIDR.java).
func compileCIDR(v any) (matchValue, error) {
	s, ok := v.(string)
	if !ok {
		return matchValue{}, invalidPattern("prefix match pattern must be a string")
	}
	ipText, maskText, found := strings.Cut(s, "/")
	if !found || maskText == "" || strings.Contains(maskText, "/") {
		return matchValue{}, invalidPattern("Malformed CIDR, one '/' required")
	}
	bits, err := strconv.Atoi(maskText)
	if err != nil {
		return matchValue{}, invalidPattern("Malformed CIDR, mask bits must be an integer")
	}
	if bits < 0 {
		return matchValue{}, invalidPattern("Malformed CIDR, mask bits must not be negative")
	}
	addr, err := netip.ParseAddr(ipText)
	if err != nil || addr.Zone() != "" {
		return matchValue{}, invalidPattern("Nonstandard IP address: %s", ipText)
	}
	if addr.Is4() && bits > 31 {
		return matchValue{}, invalidPattern("IPv4 mask bits must be < 32")
	}
	if addr.Is6() && bits > 127 {
		return matchValue{}, invalidPattern("IPv6 mask bits must be < 128")
	}
	pfx, err := addr.Prefix(bits)
	if err != nil {
		return matchValue{}, invalidPattern("Nonstandard IP address: %s", ipText)
	}
	return matchValue{kind: "cidr", cidr: pfx}, nil
}

// compileNumeric reads [op, n] or [op, n, op, n] (a range: a lower bound
// > or >= then an upper < or <=).
func compileNumeric(v any) (matchValue, error) {
	l, ok := v.([]any)
	if !ok || len(l) == 0 || len(l) > 4 {
		return matchValue{}, invalidPattern("Value of numeric must be an array.")
	}
	mv := matchValue{kind: "numeric"}
	for i := 0; i < len(l); i += 2 {
		op, _ := l[i].(string)
		if !slices.Contains([]string{"<", "<=", "=", ">", ">="}, op) {
			return matchValue{}, invalidPattern("Unrecognized numeric range operator: %v", l[i])
		}
		if i+1 == len(l) {
			// an operator without its number (LocalStack's AWS-validated
			// template content_numeric_syntax_EXC)
			return matchValue{}, invalidPattern("Value of %s must be numeric", op)
		}
		n, ok := literal(l[i+1])
		f, isNum := n.(float64)
		if !ok || !isNum {
			return matchValue{}, invalidPattern("Value of %s must be numeric", op)
		}
		if math.Abs(f) > 5e9 {
			return matchValue{}, invalidPattern("Value of %s must be between -5.0E9 and 5.0E9 inclusive", op)
		}
		mv.numeric = append(mv.numeric, numericBound{op, f})
	}
	if len(mv.numeric) == 2 {
		lo, hi := mv.numeric[0].op, mv.numeric[1].op
		if (lo != ">" && lo != ">=") || (hi != "<" && hi != "<=") {
			return matchValue{}, invalidPattern("Bad numeric range operator: %s", hi)
		}
		if mv.numeric[0].value >= mv.numeric[1].value {
			return matchValue{}, invalidPattern("Bottom must be less than top")
		}
	}
	return mv, nil
}

func compileAnythingBut(v any) (matchValue, error) {
	mv := matchValue{kind: "anything-but"}
	switch x := v.(type) {
	case string, json.Number, float64:
		lit, _ := literal(x)
		mv.but = []any{lit}
		return mv, nil
	case []any:
		var numbers, strs bool
		for _, e := range x {
			lit, ok := literal(e)
			if _, isBool := lit.(bool); !ok || lit == nil || isBool {
				return matchValue{}, invalidPattern("Inside anything but list, start|null|boolean is not supported.")
			}
			_, isString := lit.(string)
			strs = strs || isString
			numbers = numbers || !isString
			mv.but = append(mv.but, lit)
		}
		// Event Ruler's processAnythingButListMatchExpression: an empty
		// list, or numbers and strings together, is refused.
		if numbers == strs {
			return matchValue{}, invalidPattern("Inside anything but list, either all values are number or string, mixed type is not supported")
		}
		return mv, nil
	case map[string]any:
		if len(x) == 0 {
			return matchValue{}, invalidPattern("Anything-But expression name not found")
		}
		if len(x) != 1 {
			return matchValue{}, invalidPattern("Only one key allowed in match expression")
		}
		for k, inner := range x {
			return compileAnythingButMatcher(mv, k, inner)
		}
	}
	return matchValue{}, invalidPattern("Value of anything-but must be an array or single string/number value.")
}

// compileAnythingButMatcher reads anything-but's string matchers: a
// prefix, suffix, equals-ignore-case or wildcard of one string or of a
// list of strings (LocalStack's AWS-validated event_pattern_templates:
// content_anything_prefix_list, content_anything_but_ignorecase_list,
// ...); a nested equals-ignore-case (anything-but of a prefix ignoring
// case) is refused.
func compileAnythingButMatcher(mv matchValue, kind string, v any) (matchValue, error) {
	typeError := map[string]string{
		"prefix":             "prefix/suffix match pattern must be a string",
		"suffix":             "prefix/suffix match pattern must be a string",
		"equals-ignore-case": "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
		"wildcard":           "wildcard match pattern must be a string",
	}
	msg, ok := typeError[kind]
	if !ok {
		return matchValue{}, invalidPattern("Unsupported anything-but pattern: %s", kind)
	}
	var texts []string
	switch x := v.(type) {
	case string:
		texts = []string{x}
	case json.Number, float64:
		return matchValue{}, invalidPattern("%s", msg)
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return matchValue{}, invalidPattern("%s", msg)
			}
			texts = append(texts, s)
		}
	default: // an object, null or a boolean
		return matchValue{}, invalidPattern("Value of anything-but must be an array or single string/number value.")
	}
	for _, s := range texts {
		if s == "" && (kind == "prefix" || kind == "suffix") {
			return matchValue{}, invalidPattern("Null prefix/suffix not allowed")
		}
		if kind == "wildcard" && strings.Contains(s, "**") {
			return matchValue{}, invalidPattern("Consecutive wildcard characters at pos %d", strings.Index(s, "**")+1)
		}
		mv.butAny = append(mv.butAny, matchValue{kind: kind, text: s})
	}
	return mv, nil
}

// DecodeEvent decodes an event's JSON with its numbers as float64, the
// form MatchEvent takes.
func DecodeEvent(event []byte) (map[string]any, error) {
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(event))
	if err := d.Decode(&m); err != nil || m == nil {
		return nil, fmt.Errorf("the event is not a JSON object")
	}
	return m, nil
}

// Matches reports whether the event (a decoded JSON object: DecodeEvent)
// matches the pattern.
func (p *EventPattern) Matches(event map[string]any) bool {
	for _, f := range p.fields {
		v, present := event[f.name]
		if f.nested != nil {
			v, present = withDottedChildren(event, f.name, v, present)
			if !matchNested(f.nested, v, present) {
				return false
			}
			continue
		}
		if !matchLeaf(f.values, v, present) {
			return false
		}
	}
	for _, alts := range p.ors {
		if !slices.ContainsFunc(alts, func(a *EventPattern) bool { return a.Matches(event) }) {
			return false
		}
	}
	return true
}

// withDottedChildren adds to an event's object field NAME the event's
// fields "NAME.rest" of the same level, as their paths are the same
// ({"state.status": "running"} is the field state.status: LocalStack's
// AWS-validated event_pattern_templates dot_joining_event).
func withDottedChildren(event map[string]any, name string, v any, present bool) (any, bool) {
	var children map[string]any
	for k, cv := range event {
		if rest, ok := strings.CutPrefix(k, name+"."); ok && rest != "" {
			if children == nil {
				children = map[string]any{}
			}
			children[rest] = cv
		}
	}
	if children == nil {
		return v, present
	}
	if !present {
		return children, true
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v, present
	}
	merged := maps.Clone(m)
	for k, cv := range children {
		if _, taken := merged[k]; !taken {
			merged[k] = cv
		}
	}
	return merged, true
}

// matchNested matches a nested pattern against a field: an object, or an
// array of objects of which one must match the whole nested pattern
// [probable: EventBridge's matching keeps an array element's fields
// together]; a missing field matches only a pattern that asks for absent
// fields.
func matchNested(p *EventPattern, v any, present bool) bool {
	switch x := v.(type) {
	case map[string]any:
		return p.Matches(x)
	case []any:
		for _, e := range x {
			if m, ok := e.(map[string]any); ok && p.Matches(m) {
				return true
			}
		}
		return false
	}
	if !present {
		return p.Matches(map[string]any{})
	}
	return false
}

// matchLeaf matches a field against a leaf's values: one must match the
// field's value, or (an array) one of its elements. An object is no leaf:
// only exists false matches it.
func matchLeaf(values []matchValue, v any, present bool) bool {
	var scalars []any
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if _, isObj := e.(map[string]any); !isObj {
				scalars = append(scalars, e)
			}
		}
		present = len(scalars) > 0
	case map[string]any:
		present = false
	default:
		if present {
			scalars = []any{x}
		}
	}
	for _, mv := range values {
		if mv.kind == "exists" {
			if mv.exists == present {
				return true
			}
			continue
		}
		for _, s := range scalars {
			if mv.matches(s) {
				return true
			}
		}
	}
	return false
}

func (mv *matchValue) matches(v any) bool {
	s, isString := v.(string)
	switch mv.kind {
	case "exact":
		return mv.literal == v
	case "prefix":
		return isString && (strings.HasPrefix(s, mv.text) || (mv.fold && len(s) >= len(mv.text) && strings.EqualFold(s[:len(mv.text)], mv.text)))
	case "suffix":
		return isString && (strings.HasSuffix(s, mv.text) || (mv.fold && len(s) >= len(mv.text) && strings.EqualFold(s[len(s)-len(mv.text):], mv.text)))
	case "equals-ignore-case":
		return isString && strings.EqualFold(s, mv.text)
	case "wildcard":
		return isString && wildcardMatch(mv.text, s)
	case "cidr":
		a, err := netip.ParseAddr(s)
		return isString && err == nil && mv.cidr.Contains(a)
	case "numeric":
		f, ok := v.(float64)
		if !ok {
			return false
		}
		for _, b := range mv.numeric {
			var ok bool
			switch b.op {
			case "<":
				ok = f < b.value
			case "<=":
				ok = f <= b.value
			case "=":
				ok = f == b.value
			case ">":
				ok = f > b.value
			case ">=":
				ok = f >= b.value
			}
			if !ok {
				return false
			}
		}
		return true
	case "anything-but":
		// A null, or a value of another type than the matcher's, is
		// "anything but" it; a missing field matches no anything-but
		// (matchLeaf) [LocalStack's AWS-validated templates
		// content_anything_*_null, content_anything_prefix_int_value,
		// content_anything_*_missing_NEG].
		if len(mv.butAny) > 0 {
			return !slices.ContainsFunc(mv.butAny, func(m matchValue) bool { return m.matches(v) })
		}
		return !slices.Contains(mv.but, v)
	}
	return false
}

// wildcardMatch matches s against a pattern whose * stands for any run of
// characters (\* and \\ escape them).
func wildcardMatch(pattern, s string) bool {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; {
		case c == '\\' && i+1 < len(pattern):
			i++
			cur.WriteByte(pattern[i])
		case c == '*':
			parts = append(parts, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	parts = append(parts, cur.String())
	if len(parts) == 1 {
		return s == parts[0]
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}
