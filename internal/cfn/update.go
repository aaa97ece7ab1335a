package cfn

import (
	"encoding/json"
	"sort"
)

// Stack updates. CloudFormation updates a stack resource by resource: a
// resource whose resolved properties did not change is left alone; an
// added one is created; a changed one is updated in place when every
// changed property can be ("Update requires: No interruption" or "Some
// interruption" in the resource reference), else replaced: a new physical
// resource is created, and the old one is deleted when the update
// completes (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS), as are the resources
// the new template no longer has. Deploy binds a stack's existing
// resources (DeployOptions.Existing) and reports, per resource, which of
// these it did (Resource.Change); deleting what the update left behind is
// the caller's.

// How an update treated a resource (Resource.Change).
const (
	// ChangeAdd: created (a new resource, or a deploy without Existing).
	ChangeAdd = ""
	// ChangeNone: its resolved properties did not change; bound as it is.
	ChangeNone = "None"
	// ChangeModify: updated in place (same physical id).
	ChangeModify = "Modify"
	// ChangeReplace: a new physical resource was created; the old one
	// (Existing) is left for the caller to delete.
	ChangeReplace = "Replace"
)

// Existing is a resource a stack already has, as a previous Deploy
// reported it (Resource): an update binds it instead of creating it.
type Existing struct {
	Type       string
	PhysicalID string
	Keys       map[string]string
	// Props and Attrs are Resource.Props and Resource.Attrs.
	Props string
	Attrs string
}

// propsJSON returns a resource's resolved properties as canonical JSON
// (keys sorted): two deploys compare them to tell what changed.
func propsJSON(n *node) string {
	if n == nil {
		return "{}"
	}
	b, err := json.Marshal(plainJSON(n))
	if err != nil {
		return ""
	}
	return string(b)
}

// attrsJSON returns a resource's Fn::GetAtt values as JSON.
func attrsJSON(attrs map[string]*node) string {
	if len(attrs) == 0 {
		return ""
	}
	m := make(map[string]any, len(attrs))
	for k, v := range attrs {
		m[k] = plainJSON(v)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return ""
	}
	return string(b)
}

// nodeOf converts a JSON value (plainJSON's) back to a node.
func nodeOf(v any, line int) *node {
	switch v := v.(type) {
	case string:
		return scalarAt(v, line)
	case []any:
		items := make([]*node, len(v))
		for i, it := range v {
			items[i] = nodeOf(it, line)
		}
		return listAt(items, line)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		n := &node{kind: mapNode, line: line}
		for _, k := range keys {
			n.fields = append(n.fields, field{key: k, line: line, val: nodeOf(v[k], line)})
		}
		return n
	case nil:
		return &node{kind: nullNode, line: line}
	}
	return nil
}

// attrsOf reads attrsJSON's text back.
func attrsOf(s string, line int) map[string]*node {
	var m map[string]any
	if s == "" || json.Unmarshal([]byte(s), &m) != nil {
		return nil
	}
	out := make(map[string]*node, len(m))
	for k, v := range m {
		out[k] = nodeOf(v, line)
	}
	return out
}

// propsOf reads propsJSON's text back ("" and invalid text: nil).
func propsOf(s string, line int) *node {
	var v any
	if s == "" || json.Unmarshal([]byte(s), &v) != nil {
		return nil
	}
	return nodeOf(v, line)
}

// changedProps returns the top-level properties whose values differ
// between two propsJSON texts.
func changedProps(oldJSON, newJSON string) []string {
	var a, b map[string]json.RawMessage
	if json.Unmarshal([]byte(oldJSON), &a) != nil || json.Unmarshal([]byte(newJSON), &b) != nil {
		return nil
	}
	var out []string
	for k, v := range b {
		if w, ok := a[k]; !ok || string(w) != string(v) {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// bindExisting binds r to the resource the stack already has under its
// logical id, when its type and resolved properties are unchanged: r
// takes its physical id, keys and attributes, and nothing is created.
func (s *stack) bindExisting(r *resource, props string) bool {
	old, ok := s.l.existing[s.prefix+r.def.name]
	if !ok || old.Type != r.def.typ || old.Props == "" || old.Props != props {
		return false
	}
	r.physical, r.keys = old.PhysicalID, old.Keys
	r.attrs = attrsOf(old.Attrs, r.def.line)
	return true
}

// updateInPlace reports whether an update can change r's existing
// resource in place: its type has an updater and every changed property
// is one CloudFormation updates without replacement.
func (s *stack) updateInPlace(c *rctx, props string) bool {
	old := s.l.existing[s.prefix+c.r.def.name]
	if old.Type != c.r.def.typ || old.Props == "" || updaterFor(old.Type) == nil {
		return false
	}
	changed := changedProps(old.Props, props)
	if len(changed) == 0 {
		return false
	}
	for _, p := range changed {
		if !UpdatesInPlace(old.Type, p) {
			return false
		}
	}
	return true
}

// update changes r's existing resource in place to its new properties
// (c.p), and records how to change it back should the deploy fail.
func (s *stack) update(c *rctx, props string) error {
	r := c.r
	old := s.l.existing[s.prefix+r.def.name]
	r.physical, r.keys = old.PhysicalID, old.Keys
	r.attrs = attrsOf(old.Attrs, r.def.line)
	up := updaterFor(old.Type)
	changed := changedProps(old.Props, props)
	if err := up(c, changed); err != nil {
		return err
	}
	s.l.reverts = append(s.l.reverts, func() error {
		back := &rctx{s: s, r: r}
		n := propsOf(old.Props, r.def.line)
		if n == nil {
			n = &node{kind: mapNode, line: r.def.line}
		}
		back.p = obj{c: back, n: n, path: "#", line: r.def.line}
		return up(back, changed)
	})
	return nil
}

// updater changes an existing resource (c.r.physical) to the properties
// c.p holds; changed names the top-level properties that differ.
type updater func(c *rctx, changed []string) error

// updaterFor returns the in-place updater of a resource type (nil: the
// type is always replaced).
func updaterFor(typ string) updater {
	return nil
}

// UpdatesInPlace reports whether CloudFormation updates a property of a
// resource type without replacing the resource ("Update requires: No
// interruption" or "Some interruption" in the resource reference), as far
// as ecsnet can apply it; every other property is replaced.
func UpdatesInPlace(typ, prop string) bool {
	return false
}
