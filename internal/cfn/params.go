package cfn

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// awsParamTypes are the AWS-specific parameter types; CloudFormation checks
// that their values exist in the account.
func awsParamTypes() []string {
	return []string{
		"AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id",
		"AWS::EC2::KeyPair::KeyName", "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id",
		"AWS::EC2::Subnet::Id", "AWS::EC2::Volume::Id", "AWS::EC2::VPC::Id", "AWS::Route53::HostedZone::Id",
	}
}

// placeholderAMI is what an SSM parameter holding an AMI id resolves to:
// the shape of an ECS-optimized Amazon Linux AMI id (scenario files use
// the same).
const placeholderAMI = "ami-0c1f2a3b4d5e6f708"

// knownParamType reports whether CloudFormation takes t as a parameter
// type. List<String> is not in the user guide's list, but CloudFormation
// takes it as it takes CommaDelimitedList (cfn-lint's and AWS's
// CloudFormation language server's lists of valid types have it).
func knownParamType(t string) bool {
	switch t {
	case "String", "Number", "List<Number>", "List<String>", "CommaDelimitedList", "AWS::SSM::Parameter::Name",
		"AWS::SSM::Parameter::Value<String>", "AWS::SSM::Parameter::Value<List<String>>",
		"AWS::SSM::Parameter::Value<CommaDelimitedList>":
		return true
	}
	if inner, ok := strings.CutPrefix(t, "AWS::SSM::Parameter::Value<"); ok && strings.HasSuffix(inner, ">") {
		inner = strings.TrimSuffix(inner, ">")
		if elem, ok := strings.CutPrefix(inner, "List<"); ok && strings.HasSuffix(elem, ">") {
			inner = strings.TrimSuffix(elem, ">")
		}
		return contains(awsParamTypes(), inner)
	}
	if inner, ok := strings.CutPrefix(t, "List<"); ok && strings.HasSuffix(inner, ">") {
		return contains(awsParamTypes(), strings.TrimSuffix(inner, ">"))
	}
	return contains(awsParamTypes(), t)
}

// isListType reports whether a parameter of type t holds a list.
func isListType(t string) bool {
	return strings.HasPrefix(t, "List<") || t == "CommaDelimitedList" ||
		strings.HasPrefix(t, "AWS::SSM::Parameter::Value<List<") || t == "AWS::SSM::Parameter::Value<CommaDelimitedList>"
}

// stateCheck answers whether a value of an AWS-specific parameter type
// exists, as CloudFormation checks before it creates anything. When it
// does not, but the value is the Name tag of exactly one resource of the
// type, it returns that resource's id.
type stateCheck func(typ, value string) (byName string, ok bool)

// existsIn returns a stateCheck over an engine's state; key pair names are
// checked only with keyPairs (DeployOptions.KeyPairs).
func existsIn(e *engine.Engine, keyPairs bool) stateCheck {
	return func(typ, v string) (string, bool) {
		ok, byName := true, ""
		e.Read(func(st *model.State) {
			if keyPairs && typ == "AWS::EC2::KeyPair::KeyName" {
				ok = false
				for _, k := range st.KeyPairs {
					ok = ok || k.Name == v
				}
				return
			}
			if ok = exists(st, e.AvailabilityZones(), typ, v); !ok {
				byName = idByName(st, typ, v)
			}
		})
		return byName, ok
	}
}

// idByName returns the id of the one resource of an AWS-specific
// parameter type whose Name tag is name (or, for a security group, whose
// group name is), "" when none or several.
func idByName(st *model.State, typ, name string) string {
	var ids []string
	switch typ {
	case "AWS::EC2::VPC::Id":
		for id, v := range st.VPCs {
			if v.Tags["Name"] == name {
				ids = append(ids, string(id))
			}
		}
	case "AWS::EC2::Subnet::Id":
		for id, v := range st.Subnets {
			if v.Tags["Name"] == name {
				ids = append(ids, string(id))
			}
		}
	case "AWS::EC2::SecurityGroup::Id":
		for id, v := range st.SecurityGroups {
			if v.Tags["Name"] == name || v.Name == name {
				ids = append(ids, string(id))
			}
		}
	case "AWS::EC2::Instance::Id":
		for id, v := range st.Instances {
			if v.Tags["Name"] == name {
				ids = append(ids, string(id))
			}
		}
	}
	if len(ids) != 1 {
		return ""
	}
	return ids[0]
}

// publicAMIParameter reports whether name is one of AWS's public
// Parameter Store parameters that hold the id of a current AMI (the
// ECS-optimized AMIs, Bottlerocket, Amazon Linux, Windows).
func publicAMIParameter(name string) bool {
	for _, p := range []string{"/aws/service/ecs/optimized-ami/", "/aws/service/bottlerocket/", "/aws/service/ami-amazon-linux-latest/",
		"/aws/service/ami-windows-latest/", "/aws/service/canonical/"} {
		if strings.HasPrefix(name, p) {
			return !strings.HasSuffix(name, "/recommended") // that one holds JSON
		}
	}
	return false
}

// idPrefixes are the prefixes of ids of AWS-specific parameter types.
func idPrefix(typ string) string {
	switch typ {
	case "AWS::EC2::Image::Id":
		return "ami-"
	case "AWS::EC2::VPC::Id":
		return "vpc-"
	case "AWS::EC2::Subnet::Id":
		return "subnet-"
	case "AWS::EC2::SecurityGroup::Id":
		return "sg-"
	case "AWS::EC2::Instance::Id":
		return "i-"
	}
	return ""
}

func exists(st *model.State, zones []engine.AvailabilityZone, typ, v string) bool {
	switch typ {
	case "AWS::EC2::VPC::Id":
		return st.VPCs[model.VpcID(v)] != nil
	case "AWS::EC2::Subnet::Id":
		return st.Subnets[model.SubnetID(v)] != nil
	case "AWS::EC2::SecurityGroup::Id":
		return st.SecurityGroups[model.SecurityGroupID(v)] != nil
	case "AWS::EC2::SecurityGroup::GroupName":
		for _, g := range st.SecurityGroups {
			if g.Name == v {
				return true
			}
		}
		return false
	case "AWS::EC2::Instance::Id":
		return st.Instances[model.InstanceID(v)] != nil
	case "AWS::EC2::AvailabilityZone::Name":
		for _, z := range zones {
			if z.Name == v {
				return true
			}
		}
		return false
	case "AWS::EC2::Image::Id":
		// ecsnet has no AMI catalog: any well-formed id exists.
		return strings.HasPrefix(v, "ami-") && len(v) > 4
	case "AWS::EC2::KeyPair::KeyName", "AWS::EC2::Volume::Id", "AWS::Route53::HostedZone::Id":
		// Not modeled: any non-empty value exists.
		return v != ""
	}
	return true
}

// resolveParams computes every parameter's value from the overrides and
// the defaults, and checks it as CloudFormation does. Values are scalar
// nodes, or list nodes for list types.
func (s *stack) resolveParams(overrides map[string]string, overrideLine int, exists stateCheck) (map[string]*node, error) {
	t := s.tpl
	var unknown []string
	for k := range overrides {
		if t.paramIndex[k] == nil {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, &templateError{line: overrideLine, msg: fmt.Sprintf("Parameters: [%s] do not exist in the template", strings.Join(unknown, ", "))}
	}
	out := map[string]*node{}
	var all *notExist
	var missing []string
	missingLine := 0
	for _, p := range t.params {
		raw, ok := overrides[p.name]
		line := p.line
		if !ok {
			if p.def == nil {
				missing = append(missing, p.name)
				if missingLine == 0 {
					missingLine = p.line
				}
				continue
			}
			raw, line = p.def.str, p.def.line
		}
		v, err := s.paramValue(p, raw, line, exists)
		var ne *notExist
		if errors.As(err, &ne) {
			if all == nil {
				all = &notExist{line: ne.line}
			}
			all.parts = append(all.parts, ne.parts...)
			continue
		}
		if err != nil {
			return nil, err
		}
		out[p.name] = v
	}
	if len(missing) > 0 {
		return nil, &templateError{line: missingLine, msg: fmt.Sprintf("Parameters: [%s] must have values", strings.Join(missing, ", "))}
	}
	if all != nil {
		return nil, &templateError{line: all.line, msg: all.Error()}
	}
	return out, nil
}

// paramValue turns one parameter's text into its value and checks its
// constraints.
func (s *stack) paramValue(p *paramDef, raw string, line int, exists stateCheck) (*node, error) {
	fail := func(format string, args ...any) error {
		if p.constraint != "" {
			return &templateError{line: line, msg: fmt.Sprintf("Parameter %s failed to satisfy constraint: %s", p.name, p.constraint)}
		}
		return &templateError{line: line, msg: fmt.Sprintf(format, args...)}
	}
	typ := p.typ
	var values []string
	if isListType(typ) {
		if raw != "" {
			for _, part := range strings.Split(raw, ",") {
				values = append(values, strings.TrimSpace(part))
			}
		}
	} else {
		values = []string{raw}
	}
	if inner, ok := strings.CutPrefix(typ, "AWS::SSM::Parameter::Value<"); ok {
		// ecsnet has no Parameter Store: a value comes from --ssm, or is
		// the documented stand-in for AWS's public AMI parameters, or
		// (for id types) was given directly; anything else is
		// CloudFormation's error.
		inner = strings.TrimSuffix(inner, ">")
		elem := strings.TrimSuffix(strings.TrimPrefix(inner, "List<"), ">")
		if elem == "String" || elem == "CommaDelimitedList" {
			elem = ""
		}
		var resolved []string
		for _, name := range values {
			v, ok := s.l.ssm[name]
			if !ok && s.l.lookupSSM != nil {
				v, ok = s.l.lookupSSM(name)
			}
			if ok {
				if elem == "" && isListType(inner) {
					for _, part := range strings.Split(v, ",") {
						resolved = append(resolved, strings.TrimSpace(part))
					}
				} else {
					resolved = append(resolved, v)
				}
				continue
			}
			if pub := engine.PublicParameter(s.l.e.Config().Region, name); pub != nil && !publicAMIParameter(name) && elem == "" {
				// AWS's other public parameters (AWS for Fluent Bit's
				// image, the regions) have values ecsnet knows.
				resolved = append(resolved, pub.Value)
				continue
			}
			if publicAMIParameter(name) && (elem == "AWS::EC2::Image::Id" || elem == "") {
				s.notef(line, "parameter %s: %s is AWS's public AMI parameter; ecsnet uses the stand-in AMI %s (every AMI behaves alike on the network; --ssm %s=ami-… sets another)",
					p.name, name, placeholderAMI, name)
				resolved = append(resolved, placeholderAMI)
				continue
			}
			if pre := idPrefix(elem); pre != "" && strings.HasPrefix(name, pre) {
				s.notef(line, "parameter %s: %s is taken as the parameter's resolved value (an id, not a Parameter Store name)", p.name, name)
				resolved = append(resolved, name)
				continue
			}
			if elem == "" || elem == "AWS::EC2::Image::Id" {
				// A value ecsnet cannot know: a placeholder, and a
				// warning where the template uses it.
				v := "ssm:" + name
				if elem != "" {
					v = placeholderAMI
				}
				if s.ssmGuess == nil {
					s.ssmGuess = map[string]string{}
				}
				s.ssmGuess[p.name] = name
				resolved = append(resolved, v)
				continue
			}
			return nil, &templateError{line: line, msg: fmt.Sprintf("Unable to fetch parameters [%s] from parameter store for this account. "+
				"(ecsnet has no Parameter Store: give the value with --ssm %s=VALUE)", name, name)}
		}
		values = resolved
		typ = inner
		if strings.HasPrefix(inner, "List<") || inner == "CommaDelimitedList" {
			typ = "CommaDelimitedList"
			if strings.HasPrefix(inner, "List<AWS::") {
				typ = inner
			}
		}
	}
	elemType := strings.TrimSuffix(strings.TrimPrefix(typ, "List<"), ">")
	var missing []string
	for i, v := range values {
		if elemType == "Number" {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				return nil, fail("Parameter '%s' must be a number", p.name)
			}
		}
		if len(p.allowed) > 0 {
			ok := false
			for _, a := range p.allowed {
				if a.kind == scalarNode && a.str == v {
					ok = true
				}
			}
			if !ok {
				return nil, fail("Parameter '%s' must be one of AllowedValues", p.name)
			}
		}
		if p.pattern != "" {
			re, err := regexp.Compile(`^(?:` + p.pattern + `)$`)
			if err != nil {
				s.warnf(p.line, "parameter %s: AllowedPattern %q is not a pattern ecsnet can check: %v", p.name, p.pattern, err)
			} else if !re.MatchString(v) {
				return nil, fail("Parameter '%s' must match pattern %s", p.name, p.pattern)
			}
		}
		if n, ok := intOf(p.minLen); ok && len(v) < n {
			return nil, fail("Parameter '%s' must contain at least %d characters", p.name, n)
		}
		if n, ok := intOf(p.maxLen); ok && len(v) > n {
			return nil, fail("Parameter '%s' must contain at most %d characters", p.name, n)
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			if lo, ok := floatOf(p.minVal); ok && f < lo {
				return nil, fail("Parameter '%s' must be a number not less than %s", p.name, p.minVal.str)
			}
			if hi, ok := floatOf(p.maxVal); ok && f > hi {
				return nil, fail("Parameter '%s' must be a number not greater than %s", p.name, p.maxVal.str)
			}
		}
		if contains(awsParamTypes(), elemType) {
			if id, ok := exists(elemType, v); !ok {
				if id == "" {
					missing = append(missing, fmt.Sprintf("parameter value %s for parameter name %s does not exist", v, p.name))
					continue
				}
				s.warnf(line, "parameter %s: %q is not an id; it is the name of %s, used instead (CloudFormation itself needs the id: --param %s=%s)",
					p.name, v, id, p.name, id)
				values[i] = id
			}
		}
	}
	if len(missing) > 0 {
		return nil, &notExist{line: line, parts: missing}
	}
	if isListType(typ) || isListType(p.typ) {
		items := make([]*node, len(values))
		for i, v := range values {
			items[i] = scalarAt(v, line)
		}
		return listAt(items, line), nil
	}
	return scalarAt(values[0], line), nil
}

func intOf(n *node) (int, bool) {
	if n == nil || n.kind != scalarNode {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimSpace(n.str))
	return i, err == nil
}

func floatOf(n *node) (float64, bool) {
	if n == nil || n.kind != scalarNode {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(n.str), 64)
	return f, err == nil
}

// notExist is CloudFormation's "Parameter validation failed" for values
// of AWS-specific types that name nothing; CloudFormation lists every
// such value of every parameter in one message.
type notExist struct {
	line  int
	parts []string
}

func (e *notExist) Error() string {
	return "Parameter validation failed: " + strings.Join(e.parts, ", ")
}
