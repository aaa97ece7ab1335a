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

// typeRec is a type's line in resourceTypesText: its attributes and its
// index among the type lines.
type typeRec struct {
	attrs []string
	index int
}

// lookupTypes reads the lines of the types in want from
// resourceTypesText, in one pass over the text (a template's types are
// looked up together; no parsed copy is kept). A type it lacks is not in
// the map.
func lookupTypes(want []string) map[string]typeRec {
	out := map[string]typeRec{}
	need := map[string]bool{}
	for _, t := range want {
		need[t] = true
	}
	index := 0
	for rest := resourceTypesText; rest != "" && len(out) < len(need); {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if line == "" || line[0] == '#' || line[0] == '@' {
			continue
		}
		typ, attrs, _ := strings.Cut(line, " ")
		if need[typ] {
			out[typ] = typeRec{strings.Fields(attrs), index}
		}
		index++
	}
	return out
}

// regionMissing returns which of types region lacks (none for a region
// the list does not know).
func regionMissing(region string, types []string) map[string]bool {
	out := map[string]bool{}
	i := strings.Index(resourceTypesText, "\n@"+region+" ")
	if region == "" || i < 0 {
		return out
	}
	line, _, _ := strings.Cut(resourceTypesText[i+len(region)+3:], "\n")
	bits, err := base64.StdEncoding.DecodeString(line)
	if err != nil {
		return out
	}
	for typ, r := range lookupTypes(types) {
		if r.index/8 < len(bits) && bits[r.index/8]&(1<<(r.index%8)) != 0 {
			out[typ] = true
		}
	}
	return out
}

// regionTypes is the error CloudFormation gives a template whose types
// are real but not all in region ("Unrecognized resource types: [...]",
// each type once, in template order, at the first one's line), or nil.
func (t *template) regionTypes(region string) error {
	var types []string
	for _, r := range t.resources {
		types = append(types, r.typ)
	}
	lacks := regionMissing(region, types)
	var missing []string
	line := 0
	for _, r := range t.resources {
		if lacks[r.typ] && !contains(missing, r.typ) {
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
// a type of its registry (found: the list's entries of the template's
// types), a custom resource (Custom::Name), or a SAM type under the SAM
// transform. A third-party type (a namespace other than AWS) must be
// registered or activated in the account first, which ecsnet does not
// do, so it is not known.
func knownType(typ string, sam bool, found map[string]typeRec) bool {
	if name, ok := strings.CutPrefix(typ, "Custom::"); ok {
		return name != ""
	}
	if sam && strings.HasPrefix(typ, "AWS::Serverless::") {
		return contains(samTypes(), typ)
	}
	_, ok := found[typ]
	return ok
}

// unknownTypes returns the types of types CloudFormation does not have
// (knownType), each once, in order.
func unknownTypes(types []string, sam bool) []string {
	found := lookupTypes(types)
	var out []string
	for _, typ := range types {
		if !knownType(typ, sam, found) && !contains(out, typ) {
			out = append(out, typ)
		}
	}
	return out
}

// attrKnown reports whether CloudFormation's schema of type typ has the
// Fn::GetAtt attribute attr (found: the list's entries of the template's
// types); ok is false when ecsnet has no schema for the type (custom and
// SAM types).
func attrKnown(typ, attr string, found map[string]typeRec) (has, ok bool) {
	rec, ok := found[typ]
	if !ok || typ == "AWS::CloudFormation::CustomResource" {
		return false, false
	}
	for _, a := range rec.attrs {
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
	var types []string
	for _, d := range s.tpl.resources {
		types = append(types, d.typ)
	}
	found := lookupTypes(types)
	check := func(n *node) error {
		// plan walked these values for their references already, so the
		// walk meets no malformed function here.
		return s.walkRefs(n, func(x ref) error {
			res, attr, arg, line := x.name, x.attr, x.arg, x.line
			if !x.getAtt || attr == "" {
				return nil // a Ref, or an attribute computed at run time
			}
			r := s.res[res]
			if r == nil || !r.active {
				return nil // refused as a reference already
			}
			if has, ok := attrKnown(r.def.typ, attr, found); !ok || has {
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
