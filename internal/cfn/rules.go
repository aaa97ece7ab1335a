package cfn

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// blockRules is the Rules section, for the errors of references in it.
const blockRules = "Rules"

// ruleSkip is a rule ecsnet cannot evaluate (a function or attribute it
// does not know, or a Parameter Store value it cannot read): the rule is
// left out, with a warning.
type ruleSkip struct{ why string }

func (e *ruleSkip) Error() string { return e.why }

// checkRules evaluates the template's Rules section with the stack's
// parameters, as CloudFormation does before it creates anything: a rule
// whose RuleCondition holds (or that has none) must have every assertion
// hold, else the stack is not created and the assertion's
// AssertDescription is the error.
func (s *stack) checkRules() error {
	rules := s.tpl.root.get("Rules")
	if rules == nil {
		return nil
	}
	if rules.kind != mapNode {
		return formatErr(s.tpl.root.keyLine("Rules"), "Rules must be an object")
	}
	for _, f := range rules.fields {
		err := s.checkRule(f.key, f.val, f.line)
		var skip *ruleSkip
		if errors.As(err, &skip) {
			if f.key == "CheckBootstrapVersion" {
				// The rule cdk synth adds to every stack: it checks the
				// CDK bootstrap stack's version, nothing of the system.
				s.notef(f.line, "rule %s (CDK's) is not evaluated: %s", f.key, skip.why)
			} else {
				s.warnf(f.line, "rule %s is not evaluated by ecsnet: %s; check the parameters yourself", f.key, skip.why)
			}
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *stack) checkRule(name string, rule *node, line int) error {
	if rule == nil || rule.kind != mapNode {
		return formatErr(line, "Invalid rule %s: a rule must be an object with Assertions", name)
	}
	for _, f := range rule.fields {
		if f.key != "RuleCondition" && f.key != "Assertions" {
			return formatErr(f.line, "Invalid rule %s: unknown key %s (a rule has RuleCondition and Assertions)", name, f.key)
		}
	}
	if c := rule.get("RuleCondition"); c != nil {
		ok, err := s.evalRule(c, 0)
		if err != nil || !ok {
			return err
		}
	}
	asserts := rule.get("Assertions")
	if asserts == nil || asserts.kind != listNode {
		return formatErr(rule.keyLine("Assertions"), "Invalid rule %s: Assertions must be a list", name)
	}
	for _, a := range asserts.items {
		cond := a.get("Assert")
		if cond == nil {
			return formatErr(a.line, "Invalid rule %s: every assertion must have an Assert", name)
		}
		ok, err := s.evalRule(cond, 0)
		if err != nil {
			return err
		}
		if ok {
			continue
		}
		msg := fmt.Sprintf("Assertion failed for rule %s", name)
		if d := a.get("AssertDescription"); d != nil && d.kind == scalarNode && d.str != "" {
			msg = strings.TrimSpace(d.str)
		}
		return &templateError{line: a.line, msg: msg}
	}
	return nil
}

// evalRule evaluates a rule condition or assertion: the rule-specific
// functions (Fn::And, Fn::Contains, Fn::EachMemberEquals,
// Fn::EachMemberIn, Fn::Equals, Fn::Not, Fn::Or).
func (s *stack) evalRule(n *node, depth int) (bool, error) {
	if depth > maxDepth {
		return false, evalErr(n.line, "rules nest more than %d levels deep", maxDepth)
	}
	name, arg, ok := n.fn()
	if !ok {
		if n != nil && n.kind == scalarNode && (n.str == "true" || n.str == "false") {
			return n.str == "true", nil
		}
		return false, formatErr(n.line, "Template error: every Assert and RuleCondition must be a rule-specific function (Fn::And, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::Equals, Fn::Not, Fn::Or)")
	}
	switch name {
	case "Fn::Not":
		a, err := args(name, arg, n.line, 1)
		if err != nil {
			return false, err
		}
		v, err := s.evalRule(a[0], depth+1)
		return !v, err
	case "Fn::And", "Fn::Or":
		if arg == nil || arg.kind != listNode || len(arg.items) < 2 || len(arg.items) > 10 {
			return false, evalErr(n.line, "%s requires a list of 2 to 10 conditions", name)
		}
		and := name == "Fn::And"
		for _, c := range arg.items {
			v, err := s.evalRule(c, depth+1)
			if err != nil {
				return false, err
			}
			if v != and {
				return v, nil
			}
		}
		return and, nil
	case "Fn::Equals", "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn":
		a, err := args(name, arg, n.line, 2)
		if err != nil {
			return false, err
		}
		x, err := s.ruleValue(a[0], depth+1)
		if err != nil {
			return false, err
		}
		y, err := s.ruleValue(a[1], depth+1)
		if err != nil {
			return false, err
		}
		switch name {
		case "Fn::Equals":
			return equalValues(x, y), nil
		case "Fn::Contains":
			list, err := ruleStrings(name, x, n.line)
			if err != nil {
				return false, err
			}
			return y != nil && y.kind == scalarNode && slices.Contains(list, y.str), nil
		case "Fn::EachMemberEquals":
			list, err := ruleStrings(name, x, n.line)
			if err != nil {
				return false, err
			}
			for _, v := range list {
				if y == nil || y.kind != scalarNode || v != y.str {
					return false, nil
				}
			}
			return true, nil
		default: // Fn::EachMemberIn
			list, err := ruleStrings(name, x, n.line)
			if err != nil {
				return false, err
			}
			in, err := ruleStrings(name, y, n.line)
			if err != nil {
				return false, err
			}
			for _, v := range list {
				if !slices.Contains(in, v) {
					return false, nil
				}
			}
			return true, nil
		}
	}
	return false, &ruleSkip{why: name + " is not a rule function ecsnet evaluates"}
}

// ruleStrings reads a list of strings (a lone string is a list of one).
func ruleStrings(fn string, v *node, line int) ([]string, error) {
	if v != nil && v.kind == scalarNode {
		return []string{v.str}, nil
	}
	if v == nil || v.kind != listNode {
		return nil, evalErr(line, "%s requires a list of strings, not %s", fn, v.describe())
	}
	out := make([]string, 0, len(v.items))
	for _, it := range v.items {
		if it == nil || it.kind != scalarNode {
			return nil, evalErr(line, "%s requires a list of strings, not a list holding %s", fn, it.describe())
		}
		out = append(out, it.str)
	}
	return out, nil
}

// ruleValue evaluates a value of a rule: a literal, a Ref to a parameter
// or pseudo parameter, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, or a list
// of those.
func (s *stack) ruleValue(n *node, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, evalErr(n.line, "rules nest more than %d levels deep", maxDepth)
	}
	if n == nil {
		return nil, nil
	}
	if n.kind == listNode {
		items := make([]*node, 0, len(n.items))
		for _, it := range n.items {
			v, err := s.ruleValue(it, depth+1)
			if err != nil {
				return nil, err
			}
			if v != nil && v.kind == listNode {
				items = append(items, v.items...) // Fn::ValueOf of a list parameter inside a list
				continue
			}
			items = append(items, v)
		}
		return listAt(items, n.line), nil
	}
	name, arg, ok := n.fn()
	if !ok {
		return s.evalDepth(n, blockRules, depth+1)
	}
	switch name {
	case "Ref":
		if arg != nil && arg.kind == scalarNode {
			if ssm, guessed := s.ssmGuess[arg.str]; guessed {
				return nil, &ruleSkip{why: fmt.Sprintf("parameter %s holds the Parameter Store value of %s, which ecsnet cannot read (give it with --ssm %s=VALUE)", arg.str, ssm, ssm)}
			}
		}
		return s.evalDepth(n, blockRules, depth+1)
	case "Fn::ValueOf":
		a, err := args(name, arg, n.line, 2)
		if err != nil {
			return nil, err
		}
		param, err := s.evalString(a[0], blockRules, depth+1, "the parameter of Fn::ValueOf")
		if err != nil {
			return nil, err
		}
		attr, err := s.evalString(a[1], blockRules, depth+1, "the attribute of Fn::ValueOf")
		if err != nil {
			return nil, err
		}
		def := s.tpl.paramIndex[param]
		if def == nil {
			return nil, formatErr(n.line, "Unresolved dependencies [%s] in the Rules block of the template: Fn::ValueOf names no parameter", param)
		}
		v := s.params[param]
		elem, list := strings.CutPrefix(def.typ, "List<")
		elem = strings.TrimSuffix(elem, ">")
		vals, err := ruleStrings(name, v, n.line)
		if err != nil {
			return nil, err
		}
		out, err := s.attrsOf(elem, attr, vals, n.line)
		if err != nil {
			return nil, err
		}
		if !list && len(out) == 1 {
			return scalarAt(out[0], n.line), nil
		}
		return strList(out, n.line), nil
	case "Fn::ValueOfAll":
		a, err := args(name, arg, n.line, 2)
		if err != nil {
			return nil, err
		}
		typ, err := s.evalString(a[0], blockRules, depth+1, "the parameter type of Fn::ValueOfAll")
		if err != nil {
			return nil, err
		}
		attr, err := s.evalString(a[1], blockRules, depth+1, "the attribute of Fn::ValueOfAll")
		if err != nil {
			return nil, err
		}
		elem := strings.TrimSuffix(strings.TrimPrefix(typ, "List<"), ">")
		var vals []string
		for _, p := range s.tpl.params {
			if p.typ != typ && p.typ != elem && p.typ != "List<"+elem+">" {
				continue
			}
			pv, err := ruleStrings(name, s.params[p.name], n.line)
			if err != nil {
				return nil, err
			}
			vals = append(vals, pv...)
		}
		out, err := s.attrsOf(elem, attr, vals, n.line)
		if err != nil {
			return nil, err
		}
		return strList(out, n.line), nil
	case "Fn::RefAll":
		typ, err := s.evalString(arg, blockRules, depth+1, "the parameter type of Fn::RefAll")
		if err != nil {
			return nil, err
		}
		var ids []string
		s.l.e.Read(func(st *model.State) {
			switch typ {
			case "AWS::EC2::VPC::Id":
				for id := range st.VPCs {
					ids = append(ids, string(id))
				}
			case "AWS::EC2::Subnet::Id":
				for id := range st.Subnets {
					ids = append(ids, string(id))
				}
			case "AWS::EC2::SecurityGroup::Id":
				for id := range st.SecurityGroups {
					ids = append(ids, string(id))
				}
			default:
				err = &ruleSkip{why: "Fn::RefAll of " + typ + " is not evaluated by ecsnet"}
			}
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(ids)
		return strList(ids, n.line), nil
	}
	return nil, &ruleSkip{why: name + " is not a rule function ecsnet evaluates"}
}

// attrsOf returns an attribute of resources given by id, as Fn::ValueOf
// reads it: a subnet's AvailabilityZone and VpcId, and the Tags.KEY of a
// VPC, subnet or security group.
func (s *stack) attrsOf(typ, attr string, ids []string, line int) ([]string, error) {
	var out []string
	var err error
	tagKey, isTag := strings.CutPrefix(attr, "Tags.")
	s.l.e.Read(func(st *model.State) {
		for _, id := range ids {
			var tags model.Tags
			found := false
			switch typ {
			case "AWS::EC2::Subnet::Id":
				sn := st.Subnets[model.SubnetID(id)]
				if sn == nil {
					break
				}
				found, tags = true, sn.Tags
				switch attr {
				case "AvailabilityZone":
					out = append(out, sn.AvailabilityZone)
					continue
				case "VpcId":
					out = append(out, string(sn.VpcID))
					continue
				}
			case "AWS::EC2::VPC::Id":
				if v := st.VPCs[model.VpcID(id)]; v != nil {
					found, tags = true, v.Tags
				}
			case "AWS::EC2::SecurityGroup::Id":
				if g := st.SecurityGroups[model.SecurityGroupID(id)]; g != nil {
					found, tags = true, g.Tags
				}
			default:
				err = &ruleSkip{why: fmt.Sprintf("Fn::ValueOf of a %s parameter is not evaluated by ecsnet", typ)}
				return
			}
			if !found {
				err = evalErr(line, "Fn::ValueOf: %s %s does not exist", typ, id)
				return
			}
			if !isTag {
				err = &ruleSkip{why: fmt.Sprintf("attribute %s of %s is not evaluated by ecsnet", attr, typ)}
				return
			}
			out = append(out, tags[tagKey])
		}
	})
	return out, err
}

func strList(vals []string, line int) *node {
	items := make([]*node, len(vals))
	for i, v := range vals {
		items[i] = scalarAt(v, line)
	}
	return listAt(items, line)
}
