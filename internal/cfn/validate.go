package cfn

// CheckReferences returns the error ValidateTemplate gives for a Ref or a
// DependsOn naming neither a parameter, a pseudo parameter nor a resource
// of the template ("Template format error: Unresolved resource
// dependencies [X] in the Resources block of the template", or the Outputs
// block), or nil. It reads the template as written: every branch of an
// Fn::If, whatever the conditions would say with a stack's parameters.
// A template with a transform (SAM's, the language extensions) is left to
// the deploy, which expands it first.
func (t *Template) CheckReferences() error {
	if t.tpl.transformErr != nil || t.tpl.langExt || t.tpl.root.get("Transform") != nil {
		return nil
	}
	known := func(name string) bool {
		if _, ok := t.tpl.paramIndex[name]; ok {
			return true
		}
		if _, ok := t.tpl.resIndex[name]; ok {
			return true
		}
		return contains(pseudoParams(), name)
	}
	var walk func(n *node, block string) error
	walk = func(n *node, block string) error {
		if n == nil {
			return nil
		}
		switch n.kind {
		case listNode:
			for _, it := range n.items {
				if err := walk(it, block); err != nil {
					return err
				}
			}
		case mapNode:
			if name, arg, ok := n.fn(); ok && name == "Ref" && arg != nil && arg.kind == scalarNode {
				if !known(arg.str) {
					return t.err(unresolved(n.line, arg.str, block))
				}
				return nil
			}
			for _, f := range n.fields {
				if err := walk(f.val, block); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, r := range t.tpl.resources {
		for _, d := range r.dependsOn {
			if _, ok := t.tpl.resIndex[d.name]; !ok {
				return t.err(unresolved(d.line, d.name, blockResources))
			}
		}
		if err := walk(r.props, blockResources); err != nil {
			return err
		}
	}
	for _, o := range t.tpl.outputs {
		if err := walk(o.value, blockOutputs); err != nil {
			return err
		}
	}
	return nil
}
