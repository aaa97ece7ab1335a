package terraform

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// sensitiveAttrs returns the attributes the providers' schemas mark
// Sensitive that configurations commonly output, of a resource type (a
// data source's as "data.TYPE"): Terraform carries the mark into every
// value computed from them.
func sensitiveAttrs(typ string) []string {
	switch typ {
	case "aws_ssm_parameter", "data.aws_ssm_parameter":
		return []string{"value"}
	case "aws_secretsmanager_secret_version", "data.aws_secretsmanager_secret_version":
		return []string{"secret_string", "secret_binary"}
	case "aws_db_instance":
		return []string{"password"}
	case "aws_rds_cluster":
		return []string{"master_password"}
	case "aws_iam_access_key":
		return []string{"secret", "ses_smtp_password_v4"}
	case "random_password":
		return []string{"result"}
	}
	return nil
}

// sensitiveRef returns the first reference of a root output's expression
// to a sensitive value, "" when there is none. A value is sensitive when
// it is a variable declared sensitive, one of sensitiveAttrs (or the
// whole object holding one), a module output declared sensitive, or is
// computed from one: Terraform carries the mark through local values,
// a child module's variables and outputs, and functions, and refuses a
// root output that holds it without sensitive = true. An expression
// calling nonsensitive is taken as unmarked (ecsnet does not follow
// where the call is).
func sensitiveRef(expr hcl.Expression, mi *modInst) string {
	return sensitiveIn(expr, mi, map[string]bool{})
}

// sensitiveIn is sensitiveRef within module instance mi; seen holds the
// locals, variables and outputs already followed (a cycle is Terraform's
// error, not this check's).
func sensitiveIn(expr hcl.Expression, mi *modInst, seen map[string]bool) string {
	if expr == nil || mi == nil {
		return ""
	}
	unmarked := false
	if se, ok := expr.(hclsyntax.Expression); ok {
		hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
			if f, ok := n.(*hclsyntax.FunctionCallExpr); ok && f.Name == "nonsensitive" {
				unmarked = true
			}
			return nil
		})
	}
	if unmarked {
		return ""
	}
	m := mi.mod
	for _, tr := range expr.Variables() {
		var names []string
		for _, step := range tr {
			switch s := step.(type) {
			case hcl.TraverseRoot:
				names = append(names, s.Name)
			case hcl.TraverseAttr:
				names = append(names, s.Name)
			}
		}
		switch {
		case len(names) >= 2 && names[0] == "var":
			if v := m.vars[names[1]]; v != nil && v.sensitive {
				return mi.path + "var." + names[1]
			}
			if ref := mi.sensitiveInput(names[1], seen); ref != "" {
				return ref
			}
			continue
		case len(names) >= 2 && names[0] == "local":
			key := mi.path + "local." + names[1]
			a := m.locals[names[1]]
			if a == nil || seen[key] {
				continue
			}
			seen[key] = true
			if ref := sensitiveIn(pickAttr(a.Expr, names[2:]), mi, seen); ref != "" {
				return key + " (" + ref + ")"
			}
			continue
		case len(names) >= 2 && names[0] == "module":
			if ref := mi.sensitiveOutput(names[1], names[2:], seen); ref != "" {
				return ref
			}
			continue
		}
		typ, rest := "", names
		switch {
		case len(names) >= 3 && names[0] == "data":
			typ, rest = "data."+names[1], names[3:]
		case len(names) >= 2:
			typ, rest = names[0], names[2:]
		}
		attrs := sensitiveAttrs(typ)
		if attrs == nil {
			continue
		}
		base := mi.path + strings.Join(names[:len(names)-len(rest)], ".")
		if len(rest) == 0 {
			return base
		}
		for _, a := range attrs {
			if rest[0] == a {
				return base + "." + a
			}
		}
	}
	return ""
}

// pickAttr narrows an object constructor to the item a traversal's next
// attribute names (local.contact.phone reads only the phone item, and
// Terraform marks the items of an object one by one); any other
// expression is taken whole.
func pickAttr(expr hcl.Expression, rest []string) hcl.Expression {
	for len(rest) > 0 {
		obj, ok := expr.(*hclsyntax.ObjectConsExpr)
		if !ok {
			return expr
		}
		var next hcl.Expression
		for _, it := range obj.Items {
			if k, ok := it.KeyExpr.(*hclsyntax.ObjectConsKeyExpr); ok {
				if name := hcl.ExprAsKeyword(k.Wrapped); name == rest[0] {
					next = it.ValueExpr
				} else if v, diags := k.Wrapped.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() && v.AsString() == rest[0] {
					next = it.ValueExpr
				}
			}
		}
		if next == nil {
			return expr
		}
		expr, rest = next, rest[1:]
	}
	return expr
}

// sensitiveInput follows a child module's variable to the argument its
// call gives it in the parent.
func (mi *modInst) sensitiveInput(name string, seen map[string]bool) string {
	p := mi.parent
	if p == nil {
		return ""
	}
	key := mi.path + "var." + name
	if seen[key] {
		return ""
	}
	seen[key] = true
	for _, ci := range p.calls {
		if !slices.Contains(ci.insts, mi) {
			continue
		}
		if a := ci.c.inputs[name]; a != nil {
			return sensitiveIn(a.Expr, p, seen)
		}
	}
	return ""
}

// sensitiveOutput reports module call's output out (every output when
// rest is empty: the whole module object) as sensitive when it is
// declared so or its value is.
func (mi *modInst) sensitiveOutput(call string, rest []string, seen map[string]bool) string {
	ci := mi.calls[call]
	if ci == nil {
		return ""
	}
	for _, child := range ci.insts {
		for _, o := range child.mod.outputs {
			if len(rest) > 0 && o.name != rest[0] {
				continue
			}
			ref := mi.path + "module." + call + "." + o.name
			if o.sensitive {
				return ref
			}
			key := child.path + "output." + o.name
			if seen[key] {
				continue
			}
			seen[key] = true
			var sub []string
			if len(rest) > 1 {
				sub = rest[1:]
			}
			if inner := sensitiveIn(pickAttr(o.expr, sub), child, seen); inner != "" {
				return ref + " (" + inner + ")"
			}
		}
	}
	return ""
}
