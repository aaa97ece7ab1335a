package cfn

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Blocks of a template, as CloudFormation names them in its messages.
const (
	blockResources  = "Resources"
	blockOutputs    = "Outputs"
	blockConditions = "Conditions"
)

const supportedFunctions = "[Fn::Base64, Fn::Cidr, Fn::FindInMap, Fn::GetAZs, Fn::GetAtt, Fn::If, Fn::Join, " +
	"Fn::Select, Fn::Split, Fn::Sub, Ref]"

// eval resolves every intrinsic function in n. The result holds only
// scalars, lists and maps; nil means the value is absent (AWS::NoValue).
func (s *stack) eval(n *node, block string) (*node, error) {
	return s.evalDepth(n, block, 0)
}

func (s *stack) evalDepth(n *node, block string, depth int) (*node, error) {
	if n == nil {
		return nil, nil
	}
	if depth > maxDepth {
		return nil, evalErr(n.line, "values nest more than %d levels deep", maxDepth)
	}
	switch n.kind {
	case nullNode, scalarNode:
		return n, nil
	case listNode:
		out := &node{kind: listNode, line: n.line, col: n.col}
		for _, it := range n.items {
			v, err := s.evalDepth(it, block, depth+1)
			if err != nil {
				return nil, err
			}
			if v != nil {
				out.items = append(out.items, v)
			}
		}
		return out, nil
	}
	if name, arg, ok := n.fn(); ok && name != "Condition" {
		return s.call(name, arg, n.line, block, depth)
	}
	out := &node{kind: mapNode, line: n.line, col: n.col}
	for _, f := range n.fields {
		v, err := s.evalDepth(f.val, block, depth+1)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out.fields = append(out.fields, field{key: f.key, line: f.line, val: v})
		}
	}
	return out, nil
}

// evalString resolves n and requires a string.
func (s *stack) evalString(n *node, block string, depth int, what string) (string, error) {
	v, err := s.evalDepth(n, block, depth+1)
	if err != nil {
		return "", err
	}
	if v == nil || v.kind != scalarNode {
		line := 0
		if n != nil {
			line = n.line
		}
		return "", evalErr(line, "%s must be a string, not %s", what, v.describe())
	}
	return v.str, nil
}

// args checks that an intrinsic's argument is a list of n items.
func args(name string, arg *node, line int, n ...int) ([]*node, error) {
	if arg == nil || arg.kind != listNode {
		return nil, evalErr(line, "every %s object requires a list of %s parameters", name, countWords(n))
	}
	for _, want := range n {
		if len(arg.items) == want {
			return arg.items, nil
		}
	}
	return nil, evalErr(line, "every %s object requires %s parameters", name, countWords(n))
}

func countWords(n []int) string {
	var parts []string
	for _, x := range n {
		parts = append(parts, strconv.Itoa(x))
	}
	return strings.Join(parts, " or ")
}

func (s *stack) call(name string, arg *node, line int, block string, depth int) (*node, error) {
	switch name {
	case "Ref":
		if arg == nil || arg.kind != scalarNode {
			return nil, formatErr(line, "Every Ref object must have a single String value.")
		}
		return s.ref(arg.str, line, block)
	case "Fn::GetAtt":
		return s.getAtt(arg, line, block, depth)
	case "Fn::Sub":
		return s.sub(arg, line, block, depth)
	case "Fn::Join":
		a, err := args(name, arg, line, 2)
		if err != nil {
			return nil, evalErr(line, "every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
		}
		delim, err := s.evalString(a[0], block, depth, "the delimiter of Fn::Join")
		if err != nil {
			return nil, err
		}
		list, err := s.evalDepth(a[1], block, depth+1)
		if err != nil {
			return nil, err
		}
		if list == nil || list.kind != listNode {
			return nil, evalErr(line, "every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.")
		}
		parts := make([]string, 0, len(list.items))
		for _, it := range list.items {
			if it.kind != scalarNode {
				return nil, evalErr(it.line, "Fn::Join can only join strings, not %s", it.describe())
			}
			parts = append(parts, it.str)
		}
		return scalarAt(strings.Join(parts, delim), line), nil
	case "Fn::Select":
		a, err := args(name, arg, line, 2)
		if err != nil {
			return nil, err
		}
		idx, err := s.evalString(a[0], block, depth, "the index of Fn::Select")
		if err != nil {
			return nil, err
		}
		i, convErr := strconv.Atoi(strings.TrimSpace(idx))
		if convErr != nil || i < 0 {
			return nil, evalErr(a[0].line, "Fn::Select requires an integer index, not %q", idx)
		}
		list, err := s.evalDepth(a[1], block, depth+1)
		if err != nil {
			return nil, err
		}
		if list == nil || list.kind != listNode {
			return nil, evalErr(line, "Fn::Select requires a list to select from, not %s", list.describe())
		}
		if i >= len(list.items) {
			return nil, evalErr(line, "Fn::Select cannot select nonexistent value at index %d", i)
		}
		return list.items[i], nil
	case "Fn::Split":
		a, err := args(name, arg, line, 2)
		if err != nil {
			return nil, evalErr(line, "every Fn::Split object requires two parameters, (1) a string delimiter and (2) a string to be split or a function that returns a string to be split.")
		}
		delim, err := s.evalString(a[0], block, depth, "the delimiter of Fn::Split")
		if err != nil {
			return nil, err
		}
		str, err := s.evalString(a[1], block, depth, "the source string of Fn::Split")
		if err != nil {
			return nil, err
		}
		if delim == "" {
			return nil, evalErr(line, "Fn::Split requires a non-empty delimiter")
		}
		var items []*node
		for _, p := range strings.Split(str, delim) {
			items = append(items, scalarAt(p, line))
		}
		return listAt(items, line), nil
	case "Fn::If":
		a, err := args(name, arg, line, 3)
		if err != nil {
			return nil, err
		}
		if a[0].kind != scalarNode {
			return nil, evalErr(a[0].line, "Fn::If requires a condition name as its first parameter")
		}
		ok, err := s.condition(a[0].str, a[0].line)
		if err != nil {
			return nil, err
		}
		if ok {
			return s.evalDepth(a[1], block, depth+1)
		}
		return s.evalDepth(a[2], block, depth+1)
	case "Fn::Base64":
		str, err := s.evalString(arg, block, depth, "the value of Fn::Base64")
		if err != nil {
			return nil, err
		}
		return scalarAt(base64.StdEncoding.EncodeToString([]byte(str)), line), nil
	case "Fn::FindInMap":
		return s.findInMap(arg, line, block, depth)
	case "Fn::GetAZs":
		region := ""
		if arg != nil && arg.kind != nullNode {
			r, err := s.evalString(arg, block, depth, "the region of Fn::GetAZs")
			if err != nil {
				return nil, err
			}
			region = r
		}
		var items []*node
		for _, z := range s.l.zones(region) {
			items = append(items, scalarAt(z, line))
		}
		return listAt(items, line), nil
	case "Fn::Cidr":
		a, err := args(name, arg, line, 3)
		if err != nil {
			return nil, err
		}
		var vals [3]string
		for i, x := range a {
			if vals[i], err = s.evalString(x, block, depth, "every parameter of Fn::Cidr"); err != nil {
				return nil, err
			}
		}
		cidrs, err := cidrSplit(vals[0], vals[1], vals[2])
		if err != nil {
			return nil, evalErr(line, "%v", err)
		}
		items := make([]*node, len(cidrs))
		for i, c := range cidrs {
			items[i] = scalarAt(c, line)
		}
		return listAt(items, line), nil
	case "Fn::ImportValue":
		if s.dependsOnResources(arg, 0) {
			return nil, evalErr(line, "the attribute in Fn::ImportValue must not depend on any resources, imported values, or Fn::GetAZs")
		}
		name, err := s.evalString(arg, block, depth, "the value of Fn::ImportValue")
		if err != nil {
			return nil, err
		}
		x, ok := s.l.exports[name]
		if s.l.imported == nil {
			s.l.imported = map[string]bool{}
		}
		s.l.imported[name] = true
		if !ok {
			return nil, &templateError{line: line, msg: "No export named " + name + " found", missingExport: name}
		}
		return scalarAt(x.Value, line), nil
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		return nil, formatErr(line, "%s can only be used in the Conditions block (or in Rules); name a condition and use Fn::If", name)
	case "Fn::Length":
		if s.tpl.langExt {
			v, err := s.evalDepth(arg, block, depth+1)
			if err != nil {
				return nil, err
			}
			if v == nil || v.kind != listNode {
				return nil, evalErr(line, "Fn::Length requires a list, not %s", v.describe())
			}
			return scalarAt(strconv.Itoa(len(v.items)), line), nil
		}
		return nil, formatErr(line, "%s needs the AWS::LanguageExtensions transform (Transform: AWS::LanguageExtensions)", name)
	case "Fn::ToJsonString":
		if s.tpl.langExt {
			v, err := s.evalDepth(arg, block, depth+1)
			if err != nil {
				return nil, err
			}
			if v == nil || (v.kind != listNode && v.kind != mapNode) {
				return nil, evalErr(line, "Fn::ToJsonString requires an object or a list, not %s", v.describe())
			}
			js, err := toJSONString(v)
			if err != nil {
				return nil, evalErr(line, "Fn::ToJsonString: %v", err)
			}
			return scalarAt(js, line), nil
		}
		return nil, formatErr(line, "%s needs the AWS::LanguageExtensions transform (Transform: AWS::LanguageExtensions)", name)
	case "Fn::Transform", "Fn::ForEach":
		return nil, formatErr(line, "%s needs a transform (AWS::LanguageExtensions or a macro), which ecsnet does not run", name)
	}
	return nil, formatErr(line, "Encountered unsupported function: %s Supported functions are: %s", name, supportedFunctions)
}

func scalarOrJoined(n *node) string {
	if n != nil && n.kind == listNode {
		return joinScalars(n, ",")
	}
	return n.scalar()
}

// dependsOnResources reports whether n refers to a resource, an import or
// Fn::GetAZs, which the name in Fn::ImportValue may not.
func (s *stack) dependsOnResources(n *node, depth int) bool {
	if n == nil || depth > maxDepth {
		return false
	}
	if name, arg, ok := n.fn(); ok {
		switch name {
		case "Ref":
			_, isRes := s.res[arg.scalar()]
			return isRes
		case "Fn::GetAtt", "Fn::ImportValue", "Fn::GetAZs":
			return true
		case "Fn::Sub":
			tmpl := arg
			if arg != nil && arg.kind == listNode && len(arg.items) > 0 {
				tmpl = arg.items[0]
			}
			for _, p := range subParts(tmpl.scalar()) {
				if !p.variable {
					continue
				}
				if arg.kind == listNode && len(arg.items) == 2 && arg.items[1].get(p.text) != nil {
					continue
				}
				if strings.Contains(p.text, ".") && !strings.HasPrefix(p.text, "AWS::") {
					return true
				}
				if _, isRes := s.res[p.text]; isRes {
					return true
				}
			}
		}
	}
	for _, it := range n.items {
		if s.dependsOnResources(it, depth+1) {
			return true
		}
	}
	for _, f := range n.fields {
		if s.dependsOnResources(f.val, depth+1) {
			return true
		}
	}
	return false
}

// pseudoParams lists CloudFormation's pseudo parameters.
func pseudoParams() []string {
	return []string{"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
		"AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}
}

// ref resolves Ref name: a pseudo parameter, a parameter or a resource.
func (s *stack) ref(name string, line int, block string) (*node, error) {
	if strings.HasPrefix(name, "AWS::") {
		cfg := s.l.e.Config()
		switch name {
		case "AWS::AccountId":
			return scalarAt(cfg.Account, line), nil
		case "AWS::Region":
			return scalarAt(cfg.Region, line), nil
		case "AWS::StackName":
			return scalarAt(s.name, line), nil
		case "AWS::StackId":
			return scalarAt(s.arn, line), nil
		case "AWS::Partition":
			return scalarAt(model.Partition(cfg.Region), line), nil
		case "AWS::URLSuffix":
			return scalarAt(model.DNSSuffix(cfg.Region), line), nil
		case "AWS::NoValue":
			return nil, nil
		case "AWS::NotificationARNs":
			return listAt(nil, line), nil
		}
		return nil, unresolved(line, name, block)
	}
	if v, ok := s.params[name]; ok {
		if ssm, guessed := s.ssmGuess[name]; guessed && block != blockConditions && !s.quiet {
			if s.usedSSM == nil {
				s.usedSSM = map[string]string{}
			}
			s.usedSSM[name] = ssm
			if s.ssmWarned[name] {
				return v, nil
			}
			if s.ssmWarned == nil {
				s.ssmWarned = map[string]bool{}
			}
			s.ssmWarned[name] = true
			s.warnf(line, "parameter %s holds the Parameter Store value of %s, which ecsnet cannot read: it used the placeholder %q here; "+
				"if the value matters, give it with --ssm %s=VALUE", name, ssm, scalarOrJoined(v), ssm)
		}
		return v, nil
	}
	r := s.res[name]
	if r != nil && (block == blockConditions || block == blockRules) {
		return nil, formatErr(line, "Unresolved dependencies [%s]. Cannot reference resources in the %s block of the template", name, block)
	}
	if r == nil || !r.active {
		return nil, unresolved(line, name, block)
	}
	if !r.done {
		return nil, evalErr(line, "%s is not created yet (a dependency ecsnet did not see)", name)
	}
	if r.skipped {
		s.placeholderNote(r, "Ref", line)
	}
	return r.ref, nil
}

// splitGetAtt returns Fn::GetAtt's resource and attribute.
func (s *stack) splitGetAtt(arg *node, line int, block string, depth int) (string, string, error) {
	bad := evalErr(line, "every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute")
	switch {
	case arg != nil && arg.kind == scalarNode:
		res, attr, ok := strings.Cut(arg.str, ".")
		if !ok || res == "" || attr == "" {
			return "", "", bad
		}
		return res, attr, nil
	case arg != nil && arg.kind == listNode && len(arg.items) == 2 && arg.items[0].kind == scalarNode:
		attr, err := s.evalString(arg.items[1], block, depth, "the attribute of Fn::GetAtt")
		if err != nil {
			return "", "", err
		}
		if arg.items[0].str == "" || attr == "" {
			return "", "", bad
		}
		return arg.items[0].str, attr, nil
	}
	return "", "", bad
}

func (s *stack) getAtt(arg *node, line int, block string, depth int) (*node, error) {
	name, attr, err := s.splitGetAtt(arg, line, block, depth)
	if err != nil {
		return nil, err
	}
	r := s.res[name]
	if r != nil && (block == blockConditions || block == blockRules) {
		return nil, formatErr(line, "Unresolved dependencies [%s]. Cannot reference resources in the %s block of the template", name, block)
	}
	if r == nil || !r.active {
		return nil, evalErr(line, "instance of Fn::GetAtt references undefined resource %s", name)
	}
	if !r.done {
		return nil, evalErr(line, "%s is not created yet (a dependency ecsnet did not see)", name)
	}
	if r.skipped {
		if isCustom(r.def.typ) {
			if v, from, ok := customOutput(s, r, attr); ok {
				s.notef(line, "Fn::GetAtt %s.%s: the custom resource's function is not run by ecsnet; its answer is taken as the output %s of the stack %s, which one of its properties names: %s",
					r.def.name, attr, attr, from, v)
				return scalarAt(v, line), nil
			}
		}
		s.placeholderNote(r, attr, line)
		v := scalarAt(placeholderAttr(s, r, attr), line)
		if isCustom(r.def.typ) {
			v.answer = r.def.name + "." + attr
		}
		return v, nil
	}
	if r.def.typ == typeVPC && attr == "Ipv6CidrBlocks" {
		// Read when used: an AWS::EC2::VPCCidrBlock (that the user makes
		// the reader depend on) adds the block after the VPC exists.
		return s.vpcIPv6Blocks(r.physical, line), nil
	}
	v, ok := r.attrs[attr]
	if !ok {
		if after, isOutput := strings.CutPrefix(attr, "Outputs."); isOutput && r.def.typ == typeStack {
			return nil, evalErr(line, "Output '%s' not found in stack '%s'", after, r.physical)
		}
		if isCustom(r.def.typ) {
			// The function's answer has no such key [probable: the
			// object's name, which names S3's storage, left out].
			return nil, evalErr(line, "CustomResource attribute error: Vendor response doesn't contain %s key in object %s|%s|%s", attr, s.arn, name, r.physical)
		}
		err := evalErr(line, "resource %s does not support attribute type %s in Fn::GetAtt", name, attr).(*templateError)
		if at := s.pointerTo(arg); at != "" {
			err.unsupported = fmt.Sprintf("[Error] %s: Resource type %s does not support attribute {%s}.", at, r.def.typ, attr)
		}
		return nil, err
	}
	return v, nil
}

// pointerTo is the JSON pointer of the Fn::GetAtt (or Fn::Sub) whose
// argument is arg in the stack's template, as CloudFormation names where
// an error is ("/Outputs/X/Value/Fn::GetAtt"); "" when the template does
// not hold it as written.
func (s *stack) pointerTo(arg *node) string {
	var walk func(n *node, path string) string
	walk = func(n *node, path string) string {
		if n == nil {
			return ""
		}
		for i, it := range n.items {
			if p := walk(it, path+"/"+strconv.Itoa(i)); p != "" {
				return p
			}
		}
		for _, f := range n.fields {
			p := path + "/" + strings.ReplaceAll(strings.ReplaceAll(f.key, "~", "~0"), "/", "~1")
			if f.val == arg && (f.key == "Fn::GetAtt" || f.key == "Fn::Sub") {
				return p
			}
			if p := walk(f.val, p); p != "" {
				return p
			}
		}
		return ""
	}
	return walk(s.tpl.root, "")
}

// sub evaluates Fn::Sub: "${Name}", "${Resource.Attribute}", "${!Literal}".
func (s *stack) sub(arg *node, line int, block string, depth int) (*node, error) {
	bad := evalErr(line, "One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")
	var tmpl *node
	vars := map[string]*node{}
	switch {
	case arg != nil && arg.kind == scalarNode:
		tmpl = arg
	case arg != nil && arg.kind == listNode && len(arg.items) == 2 && arg.items[0].kind == scalarNode && arg.items[1].kind == mapNode:
		tmpl = arg.items[0]
		for _, f := range arg.items[1].fields {
			v, err := s.evalDepth(f.val, block, depth+1)
			if err != nil {
				return nil, err
			}
			vars[f.key] = v
		}
	default:
		return nil, bad
	}
	var b strings.Builder
	for _, p := range subParts(tmpl.str) {
		if !p.variable {
			b.WriteString(p.text)
			continue
		}
		var v *node
		var err error
		if x, ok := vars[p.text]; ok {
			v = x
		} else if res, attr, dotted := strings.Cut(p.text, "."); dotted && !strings.HasPrefix(p.text, "AWS::") {
			v, err = s.getAtt(scalarAt(res+"."+attr, tmpl.line), tmpl.line, block, depth)
		} else {
			v, err = s.ref(p.text, tmpl.line, block)
		}
		if err != nil {
			return nil, err
		}
		if v == nil || v.kind != scalarNode {
			return nil, evalErr(tmpl.line, "variable %s in Fn::Sub expression does not resolve to a string", p.text)
		}
		b.WriteString(v.str)
	}
	return scalarAt(b.String(), line), nil
}

// subPart is literal text or a variable of an Fn::Sub string.
type subPart struct {
	text     string
	variable bool
}

// subParts splits an Fn::Sub string into text and ${variables}. "${!x}"
// is the literal "${x}"; an unclosed "${" is literal text.
func subParts(s string) []subPart {
	var out []subPart
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		if i > 0 {
			out = append(out, subPart{text: s[:i]})
		}
		name := s[i+2 : i+j]
		if strings.HasPrefix(name, "!") {
			out = append(out, subPart{text: "${" + name[1:] + "}"})
		} else {
			out = append(out, subPart{text: strings.TrimSpace(name), variable: true})
		}
		s = s[i+j+1:]
	}
	if s != "" {
		out = append(out, subPart{text: s})
	}
	return out
}

func (s *stack) findInMap(arg *node, line int, block string, depth int) (*node, error) {
	counts := []int{3}
	if s.tpl.langExt {
		counts = []int{3, 4} // the fourth: {DefaultValue: …}
	}
	a, err := args("Fn::FindInMap", arg, line, counts...)
	if err != nil {
		return nil, err
	}
	var def *node
	if len(a) == 4 {
		if def = a[3].get("DefaultValue"); def == nil {
			return nil, evalErr(line, "Fn::FindInMap's fourth parameter must be an object with a DefaultValue")
		}
		a = a[:3]
	}
	var keys [3]string
	for i, x := range a {
		if keys[i], err = s.evalString(x, block, depth, "every parameter of Fn::FindInMap"); err != nil {
			return nil, err
		}
	}
	m := s.tpl.mappings.get(keys[0])
	if def != nil && m.get(keys[1]).get(keys[2]) == nil {
		return s.evalDepth(def, block, depth+1)
	}
	// CloudFormation looks its mappings up when it validates the
	// template with the stack's parameters: a missing one refuses the
	// request.
	if m == nil {
		return nil, static(evalErr(line, "Mapping named '%s' is not present in the 'Mappings' section of template.", keys[0]))
	}
	v := m.get(keys[1]).get(keys[2])
	if v == nil {
		return nil, static(evalErr(line, "Unable to get mapping for %s::%s::%s", keys[0], keys[1], keys[2]))
	}
	return s.evalDepth(v, block, depth+1)
}

// condition evaluates a named condition (memoized; cycles are errors).
func (s *stack) condition(name string, line int) (bool, error) {
	if v, ok := s.conds[name]; ok {
		return v, nil
	}
	def, ok := s.tpl.conditions[name]
	if !ok {
		return false, evalErr(line, "unresolved condition dependency %s in Fn::If", name)
	}
	if s.condBusy[name] {
		return false, formatErr(line, "Circular dependency between conditions: [%s]", name)
	}
	s.condBusy[name] = true
	v, err := s.evalCondition(def, 0)
	delete(s.condBusy, name)
	if err != nil {
		return false, err
	}
	s.conds[name] = v
	return v, nil
}

// evalCondition evaluates a condition function.
func (s *stack) evalCondition(n *node, depth int) (bool, error) {
	if depth > maxDepth {
		return false, evalErr(n.line, "conditions nest more than %d levels deep", maxDepth)
	}
	name, arg, ok := n.fn()
	if !ok {
		return false, formatErr(n.line, "Conditions can only be boolean operations on parameters and other conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)")
	}
	switch name {
	case "Condition":
		if arg == nil || arg.kind != scalarNode {
			return false, formatErr(n.line, "Condition must name a condition")
		}
		return s.condition(arg.str, n.line)
	case "Fn::Equals":
		if arg == nil || arg.kind != listNode || len(arg.items) != 2 {
			// One text for a value that is no list and for a list of
			// another length (LocalStack's AWS recordings).
			return false, evalErr(n.line, "every Fn::Equals object requires a list of 2 string parameters.")
		}
		a := arg.items
		x, err := s.evalDepth(a[0], blockConditions, depth+1)
		if err != nil {
			return false, err
		}
		y, err := s.evalDepth(a[1], blockConditions, depth+1)
		if err != nil {
			return false, err
		}
		return equalValues(x, y), nil
	case "Fn::Not":
		a, err := args(name, arg, n.line, 1)
		if err != nil {
			return false, err
		}
		v, err := s.evalCondition(a[0], depth+1)
		return !v, err
	case "Fn::And", "Fn::Or":
		if arg == nil || arg.kind != listNode || len(arg.items) < 2 || len(arg.items) > 10 {
			return false, evalErr(n.line, "%s requires a list of 2 to 10 conditions", name)
		}
		and := name == "Fn::And"
		result := and
		for _, c := range arg.items {
			v, err := s.evalCondition(c, depth+1)
			if err != nil {
				return false, err
			}
			if and {
				result = result && v
			} else {
				result = result || v
			}
		}
		return result, nil
	}
	return false, formatErr(n.line, "%s cannot be used as a condition", name)
}

// equalValues compares two resolved values as Fn::Equals does.
func equalValues(a, b *node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case scalarNode:
		return a.str == b.str
	case listNode:
		if len(a.items) != len(b.items) {
			return false
		}
		for i := range a.items {
			if !equalValues(a.items[i], b.items[i]) {
				return false
			}
		}
		return true
	case mapNode:
		if len(a.fields) != len(b.fields) {
			return false
		}
		for _, f := range a.fields {
			if !equalValues(f.val, b.get(f.key)) {
				return false
			}
		}
		return true
	}
	return true
}

// placeholderNote warns, once per resource and attribute, that a
// reference resolved to a placeholder.
func (s *stack) placeholderNote(r *resource, attr string, line int) {
	if s.quiet {
		return
	}
	if r.warned == nil {
		r.warned = map[string]bool{}
	}
	if r.warned[attr] {
		return
	}
	r.warned[attr] = true
	what := "Ref " + r.def.name
	v := r.physical
	if attr != "Ref" {
		what = "Fn::GetAtt " + r.def.name + "." + attr
		v = placeholderAttr(s, r, attr)
	}
	if outsideNetwork(r.def.typ) {
		s.notef(line, "%s resolved to a placeholder, %s: %s (%s) is not modeled by ecsnet", what, v, r.def.name, r.def.typ)
		return
	}
	s.warnf(line, "%s resolved to a placeholder, %s: %s (%s) is not modeled by ecsnet; if it names a network resource, the verdicts that use it are guesses",
		what, v, r.def.name, r.def.typ)
}

// outsideNetwork reports whether resources of type t cannot shape the
// network (identity, logs, storage, messaging, …), so that a placeholder
// for one cannot change a verdict.
func outsideNetwork(t string) bool {
	for _, p := range []string{"AWS::IAM::", "AWS::Logs::", "AWS::S3::", "AWS::SNS::", "AWS::SQS::", "AWS::KMS::",
		"AWS::SecretsManager::", "AWS::SSM::", "AWS::Lambda::", "AWS::CloudWatch::", "AWS::ECR::", "AWS::ApplicationAutoScaling::",
		"AWS::Events::", "AWS::CertificateManager::", "AWS::Cognito::", "AWS::DynamoDB::", "AWS::CodeBuild::", "AWS::CodePipeline::",
		"AWS::CodeDeploy::", "AWS::StepFunctions::", "AWS::Kinesis::", "AWS::KinesisFirehose::", "AWS::Backup::", "AWS::CloudTrail::",
		"AWS::Budgets::", "AWS::WAFv2::", "AWS::XRay::", "AWS::ServiceDiscovery::", "AWS::CloudFormation::WaitCondition", "AWS::CloudFormation::WaitConditionHandle"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}
