package cfn

import (
	"encoding/json"
	"regexp"
	"strings"
)

// langExtTransform is the transform ecsnet runs itself: AWS's
// AWS::LanguageExtensions (Fn::ForEach, Fn::Length, Fn::ToJsonString, and
// Fn::FindInMap's DefaultValue). CloudFormation runs it when it creates
// the change set, with the parameters' values; so does ecsnet, before it
// reads the template's resources.
const langExtTransform = "AWS::LanguageExtensions"

const forEachPrefix = "Fn::ForEach::"

// expandForEach returns n with every Fn::ForEach::<loop> entry of a map
// replaced by the entries it makes: for each value of the collection (a
// list, or a Ref to a list parameter, resolved by param), the template's
// keys and values with ${Identifier} (and &{Identifier}, the value with
// its non-alphanumeric characters removed) replaced in keys and in Fn::Sub
// strings, and Ref Identifier replaced by the value. Loops nest.
func expandForEach(n *node, param func(name string) *node, depth int) (*node, error) {
	left := maxForEachValues
	return expandForEachIn(n, param, depth, &left)
}

// maxForEachValues bounds the values Fn::ForEach loops may copy into a
// template: CloudFormation's quotas apply to the processed template (1 MB,
// 500 resources), which cannot hold more, and loops nested in loops would
// otherwise make exponentially many (a template of a few lines asking for
// billions).
const maxForEachValues = 1 << 19

// nodeCount is the number of values in n.
func nodeCount(n *node) int {
	if n == nil {
		return 0
	}
	c := 1
	for _, it := range n.items {
		c += nodeCount(it)
	}
	for _, f := range n.fields {
		c += nodeCount(f.val)
	}
	return c
}

func expandForEachIn(n *node, param func(name string) *node, depth int, left *int) (*node, error) {
	if n == nil || depth > maxDepth {
		return n, nil
	}
	switch n.kind {
	case listNode:
		out := *n
		out.items = make([]*node, len(n.items))
		for i, it := range n.items {
			x, err := expandForEachIn(it, param, depth+1, left)
			if err != nil {
				return nil, err
			}
			out.items[i] = x
		}
		return &out, nil
	case mapNode:
	default:
		return n, nil
	}
	out := *n
	out.fields = nil
	seen := map[string]bool{}
	add := func(f field) error {
		if seen[f.key] {
			return formatErr(f.line, "Fn::ForEach: the key %s is made more than once", f.key)
		}
		seen[f.key] = true
		out.fields = append(out.fields, f)
		return nil
	}
	for _, f := range n.fields {
		if !strings.HasPrefix(f.key, forEachPrefix) {
			v, err := expandForEachIn(f.val, param, depth+1, left)
			if err != nil {
				return nil, err
			}
			if err := add(field{key: f.key, line: f.line, val: v}); err != nil {
				return nil, err
			}
			continue
		}
		a := f.val
		if a == nil || a.kind != listNode || len(a.items) != 3 || a.items[0].kind != scalarNode || a.items[2].kind != mapNode {
			return nil, formatErr(f.line, "%s requires a list of three parameters: an identifier, a collection and an output template (an object)", f.key)
		}
		id := a.items[0].str
		values, err := forEachCollection(a.items[1], param, f.line)
		if err != nil {
			return nil, err
		}
		for _, v := range values {
			for _, tf := range a.items[2].fields {
				key := substIdent(tf.key, id, v)
				if *left -= nodeCount(tf.val); *left < 0 {
					return nil, formatErr(f.line, "%s: the loops make more than %d values; CloudFormation's quotas (a template of 1 MB, 500 resources) apply to the processed template", f.key, maxForEachValues)
				}
				val, err := expandForEachIn(replaceIdent(tf.val, id, v), param, depth+1, left)
				if err != nil {
					return nil, err
				}
				if strings.HasPrefix(key, forEachPrefix) {
					// A nested loop whose key the outer one named.
					inner, err := expandForEachIn(&node{kind: mapNode, fields: []field{{key: key, line: tf.line, val: val}}, line: tf.line}, param, depth+1, left)
					if err != nil {
						return nil, err
					}
					for _, x := range inner.fields {
						if err := add(x); err != nil {
							return nil, err
						}
					}
					continue
				}
				if err := add(field{key: key, line: tf.line, val: val}); err != nil {
					return nil, err
				}
			}
		}
	}
	return &out, nil
}

// forEachCollection reads a loop's collection: a list of strings, or a
// Ref to a parameter whose value is a list (CommaDelimitedList, List<…>)
// or a comma-separated string.
func forEachCollection(c *node, param func(string) *node, line int) ([]string, error) {
	if name, arg, ok := c.fn(); ok && name == "Ref" && arg != nil && arg.kind == scalarNode {
		if p := param(arg.str); p != nil {
			c = p
		} else {
			return nil, formatErr(line, "Fn::ForEach: the collection Ref %s names no parameter", arg.str)
		}
	}
	switch c.kind {
	case listNode:
		var out []string
		for _, it := range c.items {
			if it.kind != scalarNode {
				return nil, formatErr(line, "Fn::ForEach: ecsnet takes a collection of strings, not %s", it.describe())
			}
			out = append(out, it.str)
		}
		return out, nil
	case scalarNode:
		var out []string
		for _, s := range strings.Split(c.str, ",") {
			out = append(out, strings.TrimSpace(s))
		}
		return out, nil
	}
	return nil, formatErr(line, "Fn::ForEach: the collection must be a list or a Ref to a list parameter, not %s", c.describe())
}

var nonAlnum = regexp.MustCompile(`[^A-Za-z0-9]`)

// substIdent replaces ${id} with v and &{id} with v's alphanumeric
// characters.
func substIdent(s, id, v string) string {
	s = strings.ReplaceAll(s, "${"+id+"}", v)
	return strings.ReplaceAll(s, "&{"+id+"}", nonAlnum.ReplaceAllString(v, ""))
}

// replaceIdent copies n with the loop's identifier replaced: Ref id
// becomes v, and ${id}/&{id} in Fn::Sub strings and in keys are
// substituted.
func replaceIdent(n *node, id, v string) *node {
	if n == nil {
		return nil
	}
	out := *n
	switch n.kind {
	case listNode:
		out.items = make([]*node, len(n.items))
		for i, it := range n.items {
			out.items[i] = replaceIdent(it, id, v)
		}
	case mapNode:
		if name, arg, ok := n.fn(); ok {
			switch {
			case name == "Ref" && arg != nil && arg.kind == scalarNode && arg.str == id:
				return scalarAt(v, n.line)
			case name == "Fn::Sub" && arg != nil && arg.kind == scalarNode:
				return &node{kind: mapNode, line: n.line, col: n.col, fields: []field{{key: name, line: n.fields[0].line, val: scalarAt(substIdent(arg.str, id, v), arg.line)}}}
			case name == "Fn::Sub" && arg != nil && arg.kind == listNode && len(arg.items) == 2 && arg.items[0].kind == scalarNode:
				items := []*node{scalarAt(substIdent(arg.items[0].str, id, v), arg.items[0].line), replaceIdent(arg.items[1], id, v)}
				return &node{kind: mapNode, line: n.line, col: n.col, fields: []field{{key: name, line: n.fields[0].line, val: listAt(items, arg.line)}}}
			}
		}
		out.fields = make([]field, len(n.fields))
		for i, f := range n.fields {
			out.fields[i] = field{key: substIdent(f.key, id, v), line: f.line, val: replaceIdent(f.val, id, v)}
		}
		if name, arg, ok := out.fn(); ok {
			// Ref !Sub Name${Id} and Fn::GetAtt [!Sub Name${Id}, Attr]
			// name a resource the loop made.
			switch {
			case name == "Ref":
				if lit, ok := literalSub(arg); ok {
					out.fields[0].val = scalarAt(lit, arg.line)
				}
			case name == "Fn::GetAtt" && arg != nil && arg.kind == listNode && len(arg.items) == 2:
				if lit, ok := literalSub(arg.items[0]); ok {
					out.fields[0].val = listAt([]*node{scalarAt(lit, arg.line), arg.items[1]}, arg.line)
				}
			}
		}
	}
	return &out
}

// literalSub returns the text of an Fn::Sub that names no variable.
func literalSub(n *node) (string, bool) {
	name, arg, ok := n.fn()
	if !ok || name != "Fn::Sub" || arg == nil || arg.kind != scalarNode || strings.Contains(arg.str, "${") {
		return "", false
	}
	return arg.str, true
}

// toJSONString is Fn::ToJsonString's value: the object or list as compact
// JSON, scalars as strings.
func toJSONString(n *node) (string, error) {
	b, err := json.Marshal(plainJSON(n))
	return string(b), err
}

// plainJSON converts a resolved node to JSON values, keeping scalars as
// the strings they are (CloudFormation's values are strings).
func plainJSON(n *node) any {
	if n == nil {
		return nil
	}
	switch n.kind {
	case scalarNode:
		return n.str
	case listNode:
		out := make([]any, len(n.items))
		for i, it := range n.items {
			out[i] = plainJSON(it)
		}
		return out
	case mapNode:
		out := make(map[string]any, len(n.fields))
		for _, f := range n.fields {
			out[f.key] = plainJSON(f.val)
		}
		return out
	}
	return nil
}
