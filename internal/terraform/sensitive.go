package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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
// to a sensitive value (a variable declared sensitive, or one of
// sensitiveAttrs, or the whole object holding one), "" when there is none
// or the expression calls nonsensitive (which removes the mark; ecsnet
// does not follow where).
func sensitiveRef(expr hcl.Expression, m *module) string {
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
		if len(names) >= 2 && names[0] == "var" {
			if v := m.vars[names[1]]; v != nil && v.sensitive {
				return "var." + names[1]
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
		base := strings.Join(names[:len(names)-len(rest)], ".")
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
