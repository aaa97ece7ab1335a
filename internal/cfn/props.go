package cfn

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// obj reads the properties of a resource (or an object nested in them)
// after intrinsic functions are resolved. Errors carry the line of the
// property and CloudFormation's "Properties validation failed" wording.
type obj struct {
	c    *rctx
	n    *node  // a map node, or nil when the object is absent
	path string // "#/NetworkConfiguration/AwsvpcConfiguration"
	line int    // where the object is, for missing keys
}

// lineErr is an error that happened at a known line.
type lineErr struct {
	line int
	err  error
}

func (e *lineErr) Error() string { return e.err.Error() }
func (e *lineErr) Unwrap() error { return e.err }

// at attaches the line of property key to err.
func (o obj) at(key string, err error) error {
	if err == nil {
		return nil
	}
	return &lineErr{line: o.line_(key), err: err}
}

func (o obj) line_(key string) int {
	if o.n != nil {
		for _, f := range o.n.fields {
			if f.key == key {
				return f.line
			}
		}
	}
	return o.line
}

func (o obj) invalid(key, format string, args ...any) error {
	return propErr(o.line_(key), "Properties validation failed for resource %s with message: %s/%s: %s",
		o.c.r.def.name, o.path, key, fmt.Sprintf(format, args...))
}

func (o obj) get(key string) *node {
	v := o.n.get(key)
	if v != nil && v.kind == nullNode {
		return nil
	}
	return v
}

func (o obj) has(key string) bool { return o.get(key) != nil }

// str returns an optional string property ("" when absent).
func (o obj) str(key string) (string, error) {
	v := o.get(key)
	if v == nil {
		return "", nil
	}
	if v.kind != scalarNode {
		return "", o.invalid(key, "expected type: String, found: %s", typeName(v))
	}
	return v.str, nil
}

// missing is CloudFormation's failure for a resource without a required
// property: "Property validation failure: [The property {/Type} is
// required]", the property named by its path from the resource's
// Properties.
func (o obj) missing(key string) error {
	return propErr(o.line, "Property validation failure: [The property {%s/%s} is required]", strings.TrimPrefix(o.path, "#"), key)
}

// req returns a required string property.
func (o obj) req(key string) (string, error) {
	if !o.has(key) {
		return "", o.missing(key)
	}
	return o.str(key)
}

// strs returns a list of strings. A single string is accepted as a list
// of one only where allowScalar says so.
func (o obj) strs(key string) ([]string, error) {
	v := o.get(key)
	if v == nil {
		return nil, nil
	}
	if v.kind != listNode {
		return nil, o.invalid(key, "expected type: JSONArray, found: %s", typeName(v))
	}
	out := make([]string, 0, len(v.items))
	for _, it := range v.items {
		if it.kind != scalarNode {
			return nil, o.invalid(key, "expected type: String, found: %s", typeName(it))
		}
		out = append(out, it.str)
	}
	return out, nil
}

// integer returns an optional integer property (def when absent). Numbers
// may be written as strings, as CloudFormation allows.
func (o obj) integer(key string, def int) (int, error) {
	v := o.get(key)
	if v == nil {
		return def, nil
	}
	if v.kind != scalarNode {
		return 0, o.invalid(key, "expected type: Number, found: %s", typeName(v))
	}
	if o.customAnswer(key, v, strconv.Itoa(def)) {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.str))
	if err != nil {
		return 0, o.invalid(key, "expected type: Number, found: String (%q)", v.str)
	}
	return n, nil
}

// customAnswer reports whether v, the value of property key, is the
// answer of a custom resource (Fn::GetAtt of one, whose function ecsnet
// does not run) and so not known to be of the property's type; it warns
// that the property is read as def (its default) instead. On AWS the
// function's answer is used (Copilot's DesiredCount is the answer of its
// DynamicDesiredCount function) [choice].
func (o obj) customAnswer(key string, v *node, def string) bool {
	if v.answer == "" {
		return false
	}
	o.c.s.warnf(o.line_(key), "%s: %s/%s is Fn::GetAtt %s, the answer of a custom resource's function, which ecsnet does not run; it is read as %s",
		o.c.r.def.name, o.path, key, v.answer, def)
	return true
}

// intPtr returns an optional integer property (nil when absent).
func (o obj) intPtr(key string) (*int, error) {
	if !o.has(key) {
		return nil, nil
	}
	n, err := o.integer(key, 0)
	return &n, err
}

// boolean returns an optional boolean property (nil when absent).
func (o obj) boolean(key string) (*bool, error) {
	v := o.get(key)
	if v == nil {
		return nil, nil
	}
	if v.kind == scalarNode && o.customAnswer(key, v, "absent") {
		return nil, nil
	}
	if v.kind == scalarNode {
		switch strings.ToLower(v.str) {
		case "true":
			b := true
			return &b, nil
		case "false":
			b := false
			return &b, nil
		}
	}
	return nil, o.invalid(key, "expected type: Boolean, found: %s", typeName(v))
}

// itemCount checks that the list property key has lo to hi items (n), in
// the words of CloudFormation's schema validation ("expected maximum item
// count: 2, found: 3").
func (o obj) itemCount(key string, n, lo, hi int) error {
	switch {
	case n < lo:
		return o.invalid(key, "expected minimum item count: %d, found: %d", lo, n)
	case n > hi:
		return o.invalid(key, "expected maximum item count: %d, found: %d", hi, n)
	}
	return nil
}

// object returns a nested object property (absent: an empty one).
func (o obj) object(key string) (obj, error) {
	v := o.get(key)
	sub := obj{c: o.c, path: o.path + "/" + key, line: o.line_(key)}
	if v == nil {
		return sub, nil
	}
	if v.kind != mapNode {
		return sub, o.invalid(key, "expected type: JSONObject, found: %s", typeName(v))
	}
	sub.n = v
	return sub, nil
}

// objects returns a list of objects.
func (o obj) objects(key string) ([]obj, error) {
	v := o.get(key)
	if v == nil {
		return nil, nil
	}
	if v.kind != listNode {
		return nil, o.invalid(key, "expected type: JSONArray, found: %s", typeName(v))
	}
	out := make([]obj, 0, len(v.items))
	for i, it := range v.items {
		if it.kind != mapNode {
			return nil, o.invalid(key, "expected type: JSONObject, found: %s", typeName(it))
		}
		out = append(out, obj{c: o.c, n: it, path: fmt.Sprintf("%s/%s/%d", o.path, key, i), line: it.line})
	}
	return out, nil
}

func typeName(n *node) string {
	switch n.kind {
	case listNode:
		return "JSONArray"
	case mapNode:
		return "JSONObject"
	case nullNode:
		return "Null"
	}
	return "String"
}

// tagList reads a Tags property ([{Key, Value}]) as it is written.
func (o obj) tagList() (model.Tags, error) { return o.tagListOf("Tags") }

// tagListOf reads a list of {Key, Value} in property key as it is written.
func (o obj) tagListOf(key string) (model.Tags, error) {
	out := model.Tags{}
	list, err := o.objects(key)
	if err != nil {
		return nil, err
	}
	for _, t := range list {
		k, err := t.req("Key")
		if err != nil {
			return nil, err
		}
		v, err := t.str("Value")
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// tags reads a Tags property ([{Key, Value}]) and adds what CloudFormation
// adds to every resource it tags (aws:cloudformation:stack-name,
// aws:cloudformation:stack-id, aws:cloudformation:logical-id), plus a Name
// tag set to the logical id when the template gives none, so that ecsnet's
// output names resources as the template does (not in the emulator,
// DeployOptions.AWSTags).
func (o obj) tags() (model.Tags, error) {
	out, err := o.tagList()
	if err != nil {
		return nil, err
	}
	o.c.stackTags(out)
	o.c.nameTag(out)
	return out, nil
}
