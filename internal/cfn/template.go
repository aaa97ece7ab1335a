package cfn

import (
	"sort"
	"strings"
)

// template is a parsed template whose sections have been checked as
// CloudFormation checks them before it creates anything.
type template struct {
	root *node
	// transformErr is the refusal of a transform the template declares
	// (SAM's, AWS::CodeDeployBlueGreen), found when the template is read
	// and returned when it is deployed: ValidateTemplate runs no transform.
	transformErr error
	params       []*paramDef
	paramIndex   map[string]*paramDef
	mappings     *node
	conditions   map[string]*node
	condOrder    []string
	resources    []*resDef
	resIndex     map[string]*resDef
	outputs      []*outputDef
	// langExt: the template declares the AWS::LanguageExtensions
	// transform; source is its root before Fn::ForEach was expanded (with
	// the parameters' defaults), expanded again with a stack's values.
	langExt bool
	source  *node
}

// paramDef is one entry of the Parameters section.
type paramDef struct {
	name       string
	line       int
	typ        string
	def        *node // Default, nil when absent
	allowed    []*node
	pattern    string
	minLen     *node
	maxLen     *node
	minVal     *node
	maxVal     *node
	constraint string
}

// resDef is one entry of the Resources section.
type resDef struct {
	name     string
	typ      string
	line     int
	props    *node // Properties (nil when absent)
	metadata *node
	// deletion and replace are DeletionPolicy and UpdateReplacePolicy
	// (nil when absent): a name, or Fn::If / Ref to a parameter.
	deletion  *node
	replace   *node
	condition string
	condLine  int
	dependsOn []nameAt
}

// nameAt is a name written at a line.
type nameAt struct {
	name string
	line int
}

// outputDef is one entry of the Outputs section.
type outputDef struct {
	name        string
	line        int
	value       *node
	description *node
	export      *node // Export.Name, nil when the output is not exported
	condition   string
	condLine    int
}

func topLevelKeys() []string {
	return []string{"AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules",
		"Mappings", "Conditions", "Transform", "Resources", "Outputs", "Hooks"}
}

// resourceKeys are the members a resource may have: its type, properties
// and attributes, and a Description, which CloudFormation takes though its
// guide lists no such attribute (AWS CodeStar's templates give every
// resource one; the CDK's cfn-include reads it: aws/aws-cdk#10522).
func resourceKeys() []string {
	return []string{"Type", "Properties", "DependsOn", "Condition", "Metadata", "CreationPolicy",
		"DeletionPolicy", "UpdatePolicy", "UpdateReplacePolicy", "Description"}
}

func parameterKeys() []string {
	return []string{"Type", "Default", "AllowedValues", "AllowedPattern", "ConstraintDescription",
		"Description", "MaxLength", "MaxValue", "MinLength", "MinValue", "NoEcho"}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// alnum reports whether s is a valid logical id: ASCII letters and digits.
func alnum(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// readTemplate checks a parsed template's structure with CloudFormation's
// messages and indexes its sections.
func readTemplate(root *node) (*template, error) { return readTemplateAs(root, false) }

// readTemplateAs reads root; sam is set when it declared AWS SAM's
// transform (its AWS::Serverless::* types are known).
func readTemplateAs(root *node, sam bool) (*template, error) {
	if root == nil || root.kind != mapNode {
		line := 0
		if root != nil {
			line = root.line
		}
		return nil, formatErr(line, "unsupported structure.")
	}
	t := &template{root: root, paramIndex: map[string]*paramDef{}, conditions: map[string]*node{}, resIndex: map[string]*resDef{}}
	var unknown []string
	unknownLine := 0
	for _, f := range root.fields {
		if !contains(topLevelKeys(), f.key) && !(f.key == "Globals" && declaresSAM(root)) {
			if unknownLine == 0 {
				unknownLine = f.line
			}
			unknown = append(unknown, f.key)
		}
	}
	if len(unknown) > 0 {
		return nil, formatErr(unknownLine, "Invalid template property or properties [%s]", strings.Join(unknown, ", "))
	}
	if tr := root.get("Transform"); tr != nil {
		items := []*node{tr}
		if tr.kind == listNode {
			items = tr.items
		}
		var names []string
		for _, it := range items {
			if it.kind == mapNode {
				// {Name: Macro, Parameters: {...}}: the name must be
				// written, not computed (a Ref is refused).
				name := it.get("Name")
				if name == nil || name.kind != scalarNode {
					return nil, &templateError{line: it.line, msg: "Key Name of transform definition must be a string."}
				}
				it = name
			}
			names = append(names, it.str)
		}
		if contains(names, blueGreenTransform) {
			hookErr := checkBlueGreen(root)
			t, err := readTemplateAs(withoutTransform(root, blueGreenTransform), sam)
			if err == nil && t.transformErr == nil {
				t.transformErr = hookErr
			}
			return t, err
		}
		if len(names) == 1 && names[0] == langExtTransform {
			return readLangExt(root, nil)
		}
		if len(names) == 1 && names[0] == samTransform {
			return readServerless(root)
		}
		return nil, formatErr(root.keyLine("Transform"), "Transform %s is not supported: ecsnet reads templates as written; "+
			"expand macros and transforms first (for example with sam build or aws cloudformation package, then get-template --template-stage Processed)",
			strings.Join(names, ", "))
	}
	if err := t.readParameters(root.get("Parameters")); err != nil {
		return nil, err
	}
	if m := root.get("Mappings"); m != nil {
		if m.kind != mapNode {
			return nil, formatErr(m.line, "Every Mappings member must be a map")
		}
		for _, f := range m.fields {
			if f.val == nil || f.val.kind != mapNode {
				return nil, formatErr(f.line, "Every Mappings member %s must be a map", f.key)
			}
			for _, g := range f.val.fields {
				if g.val == nil || g.val.kind != mapNode {
					return nil, formatErr(g.line, "Every Mappings member %s must be a map", g.key)
				}
				// Mappings hold values as written: a nested map, or an
				// intrinsic function (a map too), is refused.
				for _, h := range g.val.fields {
					if h.val == nil || h.val.kind == mapNode {
						return nil, formatErr(h.line, "Every Mappings attribute must be a String or a List.")
					}
				}
			}
		}
		t.mappings = m
	}
	if c := root.get("Conditions"); c != nil {
		if c.kind != mapNode {
			return nil, formatErr(c.line, "Every Conditions member must be a map")
		}
		for _, f := range c.fields {
			t.conditions[f.key] = f.val
			t.condOrder = append(t.condOrder, f.key)
		}
	}
	if err := t.readResources(root, sam); err != nil {
		return nil, err
	}
	return t, t.readOutputs(root.get("Outputs"))
}

func (t *template) readParameters(p *node) error {
	if p == nil {
		return nil
	}
	if p.kind != mapNode {
		return formatErr(p.line, "Every Parameters member must be a map")
	}
	for _, f := range p.fields {
		if !alnum(f.key) {
			return formatErr(f.line, "Parameter name %s is non alphanumeric.", f.key)
		}
		v := f.val
		if v == nil || v.kind != mapNode {
			return formatErr(f.line, "Every Parameters object must contain a Type member.")
		}
		for _, g := range v.fields {
			if !contains(parameterKeys(), g.key) {
				return formatErr(g.line, "Invalid template parameter property '%s'", g.key)
			}
		}
		typ := v.get("Type")
		if typ == nil || typ.kind != scalarNode {
			return formatErr(f.line, "Every Parameters object must contain a Type member.")
		}
		if !knownParamType(typ.str) {
			return formatErr(v.keyLine("Type"), "Unrecognized parameter type: %s", typ.str)
		}
		d := &paramDef{name: f.key, line: f.line, typ: typ.str, def: v.get("Default"), pattern: v.get("AllowedPattern").scalar(),
			minLen: v.get("MinLength"), maxLen: v.get("MaxLength"), minVal: v.get("MinValue"), maxVal: v.get("MaxValue"),
			constraint: v.get("ConstraintDescription").scalar()}
		if d.def != nil && d.def.kind == nullNode {
			d.def = scalarAt("", d.def.line)
		}
		if d.def != nil && d.def.kind != scalarNode {
			if d.def.kind != listNode || !isListType(d.typ) {
				return formatErr(v.keyLine("Default"), "Every Default member must be a string.")
			}
			// A YAML list as the default of a list parameter: join it as
			// CloudFormation reads it.
			var parts []string
			for _, it := range d.def.items {
				parts = append(parts, it.str)
			}
			d.def = scalarAt(strings.Join(parts, ","), d.def.line)
		}
		if av := v.get("AllowedValues"); av != nil {
			if av.kind != listNode {
				return formatErr(v.keyLine("AllowedValues"), "Every AllowedValues member must be a list.")
			}
			d.allowed = av.items
		}
		t.params = append(t.params, d)
		t.paramIndex[d.name] = d
	}
	return nil
}

// scalar returns a scalar node's text ("" otherwise).
func (n *node) scalar() string {
	if n == nil || n.kind != scalarNode {
		return ""
	}
	return n.str
}

func (t *template) readResources(root *node, sam bool) error {
	rs := root.get("Resources")
	if rs != nil && rs.kind != mapNode && rs.kind != nullNode {
		// "Resources": "" or a list (AWS's text, LocalStack's
		// AWS-validated test_linting_error_during_creation).
		return formatErr(root.keyLine("Resources"), "Any Resources member must be an object.")
	}
	if rs == nil || rs.kind != mapNode || len(rs.fields) == 0 {
		line := root.keyLine("Resources")
		if rs == nil {
			line = 0
		}
		return formatErr(line, "At least one Resources member must be defined.")
	}
	for _, f := range rs.fields {
		if !alnum(f.key) {
			return formatErr(f.line, "Resource name %s is non alphanumeric.", f.key)
		}
		if t.paramIndex[f.key] != nil {
			return formatErr(f.line, "%s is both a parameter (line %d) and a resource; names must be unique", f.key, t.paramIndex[f.key].line)
		}
		v := f.val
		if v == nil || v.kind != mapNode {
			return formatErr(f.line, "[/Resources/%s] Every Resources object must contain a Type member.", f.key)
		}
		for _, g := range v.fields {
			if !contains(resourceKeys(), g.key) {
				// AWS words this one without "Template format error: ".
				return &templateError{line: g.line, msg: "Invalid template resource property '" + g.key + "'"}
			}
		}
		typ := v.get("Type")
		if typ == nil || typ.kind != scalarNode || typ.str == "" {
			return formatErr(f.line, "[/Resources/%s] Every Resources object must contain a Type member.", f.key)
		}
		r := &resDef{name: f.key, typ: typ.str, line: f.line, props: v.get("Properties"), metadata: v.get("Metadata"),
			deletion: v.get("DeletionPolicy"), replace: v.get("UpdateReplacePolicy")}
		if r.props != nil && r.props.kind == nullNode {
			r.props = nil
		}
		if r.props != nil && r.props.kind != mapNode {
			return formatErr(v.keyLine("Properties"), "[/Resources/%s/Properties] Properties must be an object", f.key)
		}
		if c := v.get("Condition"); c != nil {
			if c.kind != scalarNode {
				return formatErr(v.keyLine("Condition"), "Every Condition member in a resource must be a string")
			}
			r.condition, r.condLine = c.str, v.keyLine("Condition")
			if _, ok := t.conditions[c.str]; !ok {
				return formatErr(r.condLine, "Unresolved condition dependency %s in Resources block of the template", c.str)
			}
		}
		if d := v.get("DependsOn"); d != nil {
			switch d.kind {
			case scalarNode:
				r.dependsOn = []nameAt{{d.str, d.line}}
			case listNode:
				for _, it := range d.items {
					if it.kind != scalarNode {
						return formatErr(it.line, "DependsOn must be a string or a list of strings")
					}
					r.dependsOn = append(r.dependsOn, nameAt{it.str, it.line})
				}
			default:
				return formatErr(d.line, "DependsOn must be a string or a list of strings")
			}
		}
		t.resources = append(t.resources, r)
		t.resIndex[r.name] = r
	}
	// Every type must be one CloudFormation knows (whatever the
	// conditions), all unknown ones named in one message.
	var types []string
	for _, r := range t.resources {
		types = append(types, r.typ)
	}
	unknown := unknownTypes(types, sam)
	line := 0
	for _, r := range t.resources {
		if len(unknown) > 0 && r.typ == unknown[0] {
			line = root.get("Resources").get(r.name).keyLine("Type")
			break
		}
	}
	if len(unknown) > 0 {
		return formatErr(line, "Unrecognized resource types: [%s]", strings.Join(unknown, ", "))
	}
	return nil
}

func (t *template) readOutputs(o *node) error {
	if o == nil {
		return nil
	}
	if o.kind != mapNode {
		return formatErr(o.line, "Every Outputs member must be a map")
	}
	for _, f := range o.fields {
		if !alnum(f.key) {
			return formatErr(f.line, "Output name %s is non alphanumeric.", f.key)
		}
		if f.val == nil || f.val.kind != mapNode || f.val.get("Value") == nil {
			return formatErr(f.line, "Every Outputs member must contain a Value object")
		}
		out := &outputDef{name: f.key, line: f.line, value: f.val.get("Value"), description: f.val.get("Description")}
		if x := f.val.get("Export"); x != nil {
			if x.kind != mapNode || x.get("Name") == nil {
				return formatErr(f.val.keyLine("Export"), "Output %s is malformed. The Name field of every Export member must be specified and consist only of alphanumeric characters, colons, or hyphens.", f.key)
			}
			out.export = x.get("Name")
		}
		if c := f.val.get("Condition"); c != nil {
			out.condition, out.condLine = c.scalar(), f.val.keyLine("Condition")
			if _, ok := t.conditions[out.condition]; !ok {
				return formatErr(out.condLine, "Unresolved condition dependency %s in Outputs block of the template", out.condition)
			}
		}
		t.outputs = append(t.outputs, out)
	}
	return nil
}

// sortedNames returns the keys of a set, sorted.
func sortedNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readLangExt reads a template that declares AWS::LanguageExtensions: its
// Fn::ForEach loops are expanded with the parameters' values (params; nil
// takes their defaults), then it is read as any other.
func readLangExt(source *node, params map[string]*node) (*template, error) {
	defaults := source.get("Parameters")
	root, err := expandForEach(source, func(name string) *node {
		if v, ok := params[name]; ok {
			return v
		}
		decl := defaults.get(name)
		if d := decl.get("Default"); d != nil || params != nil || decl == nil {
			return d
		}
		// The first reading, before any values: a parameter without a
		// default gets its value at CreateStack or CreateChangeSet, where
		// the template is expanded again with it (Stack.resolve). Its name
		// stands in for the one value the loop makes until then.
		return scalarAt(name, decl.line)
	}, 0)
	if err != nil {
		return nil, err
	}
	// Read the expanded root without its Transform entry.
	plain := *root
	plain.fields = nil
	for _, f := range root.fields {
		if f.key != "Transform" {
			plain.fields = append(plain.fields, f)
		}
	}
	t, err := readTemplate(&plain)
	if err != nil {
		return nil, err
	}
	t.root, t.langExt, t.source = root, true, source
	return t, nil
}
