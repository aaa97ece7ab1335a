package cfn

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
)

// resourceTypesText lists every resource type CloudFormation has, the
// attributes Fn::GetAtt takes of each, and the types each region lacks;
// see the file's header for its form and where it comes from
// (scripts/cfn_resource_types.py writes it).
//
//go:embed resourcetypes/types.txt
var resourceTypesText string

// typeAttrs returns the attributes of type typ in resourceTypesText
// (looked up in the text itself, which is quick enough for the few types
// of a template and keeps no parsed copy); ok is false when the type is
// not there.
func typeAttrs(typ string) (attrs []string, ok bool) {
	attrs, _, ok = typeEntry(typ)
	return attrs, ok
}

// typeEntry is typeAttrs with the type's index among the type lines.
func typeEntry(typ string) (attrs []string, index int, ok bool) {
	if typ == "" || strings.ContainsAny(typ, " \t\r\n@#") {
		return nil, 0, false
	}
	text := resourceTypesText
	for {
		i := strings.Index(text, "\n"+typ)
		if i < 0 {
			return nil, 0, false
		}
		rest := text[i+1+len(typ):]
		if rest == "" || rest[0] == '\n' || rest[0] == ' ' {
			line, _, _ := strings.Cut(rest, "\n")
			before := resourceTypesText[:len(resourceTypesText)-len(text)+i+1]
			header := 0
			for h := resourceTypesText; strings.HasPrefix(h, "#"); header++ {
				_, h, _ = strings.Cut(h, "\n")
			}
			return strings.Fields(line), strings.Count(before, "\n") - header, true
		}
		text = rest // a longer name that starts with typ
	}
}

// regionLacks reports whether CloudFormation has no type typ in region
// (false for a region the list does not know: every type is taken as
// there).
func regionLacks(region, typ string) bool {
	_, idx, ok := typeEntry(typ)
	if !ok || region == "" {
		return false
	}
	i := strings.Index(resourceTypesText, "\n@"+region+" ")
	if i < 0 {
		return false
	}
	line, _, _ := strings.Cut(resourceTypesText[i+len(region)+3:], "\n")
	bits, err := base64.StdEncoding.DecodeString(line)
	if err != nil || idx/8 >= len(bits) {
		return false
	}
	return bits[idx/8]&(1<<(idx%8)) != 0
}

// regionTypes is the error CloudFormation gives a template whose types
// are real but not all in region ("Unrecognized resource types: [...]",
// each type once, in template order, at the first one's line), or nil.
func (t *template) regionTypes(region string) error {
	var missing []string
	line := 0
	for _, r := range t.resources {
		if regionLacks(region, r.typ) && !contains(missing, r.typ) {
			if line == 0 {
				line = t.root.get("Resources").get(r.name).keyLine("Type")
			}
			missing = append(missing, r.typ)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return formatErr(line, "Unrecognized resource types: [%s]", strings.Join(missing, ", "))
}

// CheckRegion returns the error CloudFormation gives in region for a
// template whose resource types are not all available there (a type AWS
// has in other regions only), or nil.
func (t *Template) CheckRegion(region string) error {
	if err := t.tpl.regionTypes(region); err != nil {
		return t.err(err)
	}
	return nil
}

// attrMatches reports whether attr is the attribute a of a type's list:
// the same name, or a name a's pattern matches (a nested stack's
// "Outputs\..*", a list member's "BgpPeers.*.BgpPeerId").
func attrMatches(a, attr string) bool {
	if !strings.ContainsAny(a, `\*`) {
		return a == attr
	}
	expr := a
	if !strings.Contains(a, `\`) && !strings.HasPrefix(a, ".*") {
		// A member of a list: "*" stands for its index.
		expr = strings.ReplaceAll(regexp.QuoteMeta(a), `\*`, `[0-9]+`)
	}
	re, err := regexp.Compile("^(?:" + expr + ")$")
	return err == nil && re.MatchString(attr)
}

// samTypes are the types AWS SAM's transform turns into CloudFormation's
// (AWS::Serverless::*): CloudFormation knows them only in a template that
// declares the transform.
func samTypes() []string {
	return []string{"AWS::Serverless::Function", "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::SimpleTable",
		"AWS::Serverless::LayerVersion", "AWS::Serverless::Application", "AWS::Serverless::StateMachine",
		"AWS::Serverless::Connector", "AWS::Serverless::GraphQLApi"}
}

// knownType reports whether CloudFormation creates resources of type typ:
// a type of its registry (AWS's public types), a custom resource
// (Custom::Name), or a SAM type under the SAM transform. A third-party
// type (a namespace other than AWS) must be registered or activated in
// the account first, which ecsnet does not do, so it is not known.
func knownType(typ string, sam bool) bool {
	if name, ok := strings.CutPrefix(typ, "Custom::"); ok {
		return name != ""
	}
	if sam && strings.HasPrefix(typ, "AWS::Serverless::") {
		return contains(samTypes(), typ)
	}
	_, ok := typeAttrs(typ)
	return ok
}

// attrKnown reports whether CloudFormation's schema of type typ has the
// Fn::GetAtt attribute attr; ok is false when ecsnet has no schema for
// the type (custom and SAM types).
func attrKnown(typ, attr string) (has, ok bool) {
	attrs, ok := typeAttrs(typ)
	if !ok || typ == "AWS::CloudFormation::CustomResource" {
		return false, false
	}
	for _, a := range attrs {
		if attrMatches(a, attr) {
			return true, true
		}
	}
	return false, true
}

// checkGetAtts finds, before anything is created, an Fn::GetAtt (or an
// Fn::Sub variable "${X.Attr}") of the resources and outputs the stack
// creates that names an attribute its resource's type does not have, by
// the type's schema (resourceTypesText): CloudFormation fails the stack
// operation with it before it creates or changes any resource
// (Error.UnsupportedAttr). Types without a schema in ecsnet (custom and
// SAM types) are left to the resource.
func (s *stack) checkGetAtts() error {
	check := func(n *node) error {
		return s.walkGetAtts(n, func(fn, res, attr string, arg *node, line int) error {
			r := s.res[res]
			if r == nil || !r.active {
				return nil // refused as a reference already
			}
			if has, ok := attrKnown(r.def.typ, attr); !ok || has {
				return nil
			}
			err := evalErr(line, "resource %s does not support attribute type %s in Fn::GetAtt", res, attr).(*templateError)
			if at := s.pointerTo(arg); at != "" {
				err.unsupported = fmt.Sprintf("[Error] %s: Resource type %s does not support attribute {%s}.", at, r.def.typ, attr)
			}
			return err
		}, 0)
	}
	for _, d := range s.tpl.resources {
		r := s.res[d.name]
		if !r.active {
			continue
		}
		for _, part := range []*node{d.props, d.metadata} {
			if err := check(part); err != nil {
				return s.resourceErr(r, err)
			}
		}
	}
	for _, o := range s.tpl.outputs {
		if o.condition != "" && !s.conds[o.condition] {
			continue
		}
		if err := check(o.value); err != nil {
			return s.templateErr(err)
		}
	}
	return nil
}

// walkGetAtts calls visit for each Fn::GetAtt with a written attribute,
// and each "${Resource.Attribute}" of an Fn::Sub, in n (the Fn::If
// branches its conditions select); fn is the function, arg its argument.
func (s *stack) walkGetAtts(n *node, visit func(fn, res, attr string, arg *node, line int) error, depth int) error {
	if n == nil || depth > maxDepth {
		return nil
	}
	switch n.kind {
	case listNode:
		for _, it := range n.items {
			if err := s.walkGetAtts(it, visit, depth+1); err != nil {
				return err
			}
		}
		return nil
	case mapNode:
	default:
		return nil
	}
	name, arg, ok := n.fn()
	if !ok || name == "Condition" {
		for _, f := range n.fields {
			if err := s.walkGetAtts(f.val, visit, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	switch name {
	case "Fn::GetAtt":
		switch {
		case arg != nil && arg.kind == scalarNode:
			if res, attr, ok := strings.Cut(arg.str, "."); ok {
				return visit(name, res, attr, arg, n.line)
			}
		case arg != nil && arg.kind == listNode && len(arg.items) == 2 && arg.items[0].kind == scalarNode && arg.items[1].kind == scalarNode:
			return visit(name, arg.items[0].str, arg.items[1].str, arg, n.line)
		}
		return nil
	case "Fn::Sub":
		tmpl := arg
		if arg != nil && arg.kind == listNode && len(arg.items) == 2 {
			tmpl = arg.items[0]
			if err := s.walkGetAtts(arg.items[1], visit, depth+1); err != nil {
				return err
			}
		}
		if tmpl == nil || tmpl.kind != scalarNode {
			return nil
		}
		local := map[string]bool{}
		if arg.kind == listNode && arg.items[1].kind == mapNode {
			for _, f := range arg.items[1].fields {
				local[f.key] = true
			}
		}
		for _, p := range subParts(tmpl.str) {
			if !p.variable || local[p.text] || strings.HasPrefix(p.text, "AWS::") {
				continue
			}
			if res, attr, ok := strings.Cut(p.text, "."); ok {
				if err := visit(name, res, attr, arg, tmpl.line); err != nil {
					return err
				}
			}
		}
		return nil
	case "Fn::If":
		if arg == nil || arg.kind != listNode || len(arg.items) != 3 || arg.items[0].kind != scalarNode {
			return nil
		}
		if ok, err := s.condition(arg.items[0].str, arg.items[0].line); err != nil || !ok {
			return s.walkGetAtts(arg.items[2], visit, depth+1)
		}
		return s.walkGetAtts(arg.items[1], visit, depth+1)
	}
	return s.walkGetAtts(arg, visit, depth+1)
}
