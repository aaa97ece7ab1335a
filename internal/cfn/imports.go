package cfn

import "errors"

// checkImports evaluates every Fn::ImportValue of the stack's active
// resources (in creation order) and outputs before anything is created,
// as CloudFormation checks a template's imports when it makes the change
// set: an export no stack has refuses the request ("No export named X
// found") even when another resource would fail first. An import in the
// branch of an Fn::If its condition does not take is not looked at.
func (s *stack) checkImports(order []*resource) error {
	for _, r := range order {
		if !r.active || r.def.props == nil {
			continue
		}
		if err := s.checkImportsIn(r.def.props, 0); err != nil {
			return s.resourceErr(r, err)
		}
	}
	for _, o := range s.tpl.outputs {
		if o.condition != "" && !s.conds[o.condition] {
			continue
		}
		if err := s.checkImportsIn(o.value, 0); err != nil {
			return s.templateErr(err)
		}
	}
	return nil
}

func (s *stack) checkImportsIn(n *node, depth int) error {
	if n == nil || depth > maxDepth {
		return nil
	}
	switch n.kind {
	case listNode:
		for _, it := range n.items {
			if err := s.checkImportsIn(it, depth+1); err != nil {
				return err
			}
		}
		return nil
	case mapNode:
	default:
		return nil
	}
	if name, arg, ok := n.fn(); ok {
		switch name {
		case "Fn::ImportValue":
			if s.dependsOnResources(arg, 0) {
				return nil // refused where it is evaluated
			}
			_, err := s.eval(n, blockResources)
			var te *templateError
			if errors.As(err, &te) && te.missingExport != "" {
				return err
			}
			return nil
		case "Fn::If":
			if arg != nil && arg.kind == listNode && len(arg.items) == 3 && arg.items[0].kind == scalarNode {
				taken, known := s.conds[arg.items[0].str]
				if !known {
					return nil
				}
				if taken {
					return s.checkImportsIn(arg.items[1], depth+1)
				}
				return s.checkImportsIn(arg.items[2], depth+1)
			}
		}
	}
	for _, f := range n.fields {
		if err := s.checkImportsIn(f.val, depth+1); err != nil {
			return err
		}
	}
	return nil
}
