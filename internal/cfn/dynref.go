package cfn

import (
	"regexp"
	"strings"
)

// dynamicSSM matches a dynamic reference to a Parameter Store parameter:
// {{resolve:ssm:name}} or {{resolve:ssm:name:version}}.
var dynamicSSM = regexp.MustCompile(`\{\{resolve:ssm:([a-zA-Z0-9_.\-/]+)(?::([0-9]+))?\}\}`)

// resolveDynamic replaces the {{resolve:ssm:…}} dynamic references in the
// string values of n (a resource's evaluated properties) with the
// parameters' values, the version given or the latest, as CloudFormation
// does when it creates or updates the resource. n is not changed; the
// nodes that change are copies. A parameter Parameter Store does not hold
// fails the resource; without a Parameter Store to ask (the analyzer, with
// only --ssm values), the reference stays as written.
func (s *stack) resolveDynamic(n *node) (*node, error) {
	if n == nil {
		return nil, nil
	}
	switch n.kind {
	case scalarNode:
		if !strings.Contains(n.str, "{{resolve:ssm:") {
			return n, nil
		}
		var failed error
		out := dynamicSSM.ReplaceAllStringFunc(n.str, func(ref string) string {
			m := dynamicSSM.FindStringSubmatch(ref)
			name := m[1]
			if m[2] != "" {
				name += ":" + m[2]
			}
			if v, ok := s.l.ssm[name]; ok {
				return v
			}
			if s.l.lookupSSM == nil {
				return ref
			}
			v, ok := s.l.lookupSSM(name)
			if !ok && failed == nil {
				failed = evalErr(n.line, "Unable to fetch parameters [%s] from parameter store for this account.", name)
			}
			return v
		})
		if failed != nil {
			return nil, failed
		}
		return scalarAt(out, n.line), nil
	case listNode:
		var items []*node
		for i, it := range n.items {
			v, err := s.resolveDynamic(it)
			if err != nil {
				return nil, err
			}
			if v != it && items == nil {
				items = append([]*node(nil), n.items...)
			}
			if items != nil {
				items[i] = v
			}
		}
		if items == nil {
			return n, nil
		}
		return &node{kind: listNode, items: items, line: n.line, col: n.col}, nil
	case mapNode:
		var fields []field
		for i, f := range n.fields {
			v, err := s.resolveDynamic(f.val)
			if err != nil {
				return nil, err
			}
			if v != f.val && fields == nil {
				fields = append([]field(nil), n.fields...)
			}
			if fields != nil {
				fields[i].val = v
			}
		}
		if fields == nil {
			return n, nil
		}
		return &node{kind: mapNode, fields: fields, line: n.line, col: n.col}, nil
	}
	return n, nil
}
