package cfn

import (
	"strconv"
	"strings"
)

// kind says what a template value is.
type kind uint8

const (
	nullNode kind = iota
	scalarNode
	listNode
	mapNode
)

// node is one value of a template (a scalar, a list or a map) with the
// line and column it was written at. YAML short-form tags are expanded at
// parse time, so !Ref X and {"Ref": "X"} are the same node.
type node struct {
	kind   kind
	str    string  // scalar text
	items  []*node // list items
	fields []field // map entries, in file order
	line   int
	col    int
	// answer names the custom resource attribute ("Name.Attr") whose
	// answer this placeholder stands for: a value its function returns,
	// which ecsnet does not run, so not known to be a number or a flag.
	answer string
}

// field is one entry of a map node.
type field struct {
	key  string
	line int // the key's line
	val  *node
}

func scalarAt(s string, line int) *node { return &node{kind: scalarNode, str: s, line: line} }

func listAt(items []*node, line int) *node { return &node{kind: listNode, items: items, line: line} }

// get returns the value of key in a map node (nil when absent).
func (n *node) get(key string) *node {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for _, f := range n.fields {
		if f.key == key {
			return f.val
		}
	}
	return nil
}

// keyLine returns the line of key in a map node, else the node's line.
func (n *node) keyLine(key string) int {
	if n == nil {
		return 0
	}
	for _, f := range n.fields {
		if f.key == key {
			return f.line
		}
	}
	return n.line
}

// fn reports whether n is an intrinsic function call (a map with one key
// that names one), and returns the name and argument.
func (n *node) fn() (string, *node, bool) {
	if n == nil || n.kind != mapNode || len(n.fields) != 1 {
		return "", nil, false
	}
	k := n.fields[0].key
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, n.fields[0].val, true
	}
	return "", nil, false
}

// describe names a node's kind for error messages.
func (n *node) describe() string {
	if n == nil {
		return "nothing"
	}
	switch n.kind {
	case scalarNode:
		return "a string"
	case listNode:
		return "a list"
	case mapNode:
		return "an object"
	}
	return "null"
}

// toAny converts a (resolved) node to plain Go values: strings, []any and
// map[string]any, for fields ecsnet keeps as they were written.
func (n *node) toAny() any {
	if n == nil {
		return nil
	}
	switch n.kind {
	case scalarNode:
		if i, err := strconv.Atoi(n.str); err == nil && strconv.Itoa(i) == n.str {
			return i
		}
		if n.str == "true" || n.str == "false" {
			return n.str == "true"
		}
		return n.str
	case listNode:
		out := make([]any, 0, len(n.items))
		for _, it := range n.items {
			out = append(out, it.toAny())
		}
		return out
	case mapNode:
		out := make(map[string]any, len(n.fields))
		for _, f := range n.fields {
			out[f.key] = f.val.toAny()
		}
		return out
	}
	return nil
}
