package cli

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/fix"
)

// templateChange is a fix written as a change to the template the system
// came from: the resource to change (or to add next to) at its file and
// line, the property, and the YAML to write.
type templateChange struct {
	Fix  int    `json:"fix"` // the fix's rank
	File string `json:"file"`
	Line int    `json:"line"`
	// Resource is the logical id of the resource to change, or of the
	// one the new resource refers to.
	Resource string `json:"resource"`
	Type     string `json:"type"`
	// Property is the property to add to or change; empty when the
	// change is a new resource.
	Property string `json:"property,omitempty"`
	// Snippet is the YAML to add.
	Snippet string `json:"snippet"`
	Summary string `json:"summary"`
}

// cliArgs reads the --flag value pairs of an aws CLI command (values
// without spaces; flags without a value are "true").
func cliArgs(cmd string) map[string]string {
	out := map[string]string{}
	f := strings.Fields(cmd)
	for i := 0; i < len(f); i++ {
		if !strings.HasPrefix(f[i], "--") {
			continue
		}
		k := strings.TrimPrefix(f[i], "--")
		if i+1 < len(f) && !strings.HasPrefix(f[i+1], "--") {
			out[k] = f[i+1]
			i++
		} else {
			out[k] = "true"
		}
	}
	return out
}

// permissionArgs completes an authorize-security-group-* command's
// arguments with from-port and to-port: --port's, or those of
// --ip-permissions 'IpProtocol=icmp,FromPort=8,ToPort=-1,IpRanges=[{CidrIp=…}]'
// (the form an ICMP fix takes: for ICMP, FromPort is the type and ToPort
// the code), whose protocol, IPv4 range or group it also sets.
func permissionArgs(a map[string]string) {
	p := strings.Trim(a["ip-permissions"], "'")
	if p == "" {
		a["from-port"], a["to-port"] = a["port"], a["port"]
		return
	}
	for _, kv := range strings.FieldsFunc(p, func(r rune) bool { return r == ',' || r == '[' || r == ']' || r == '{' || r == '}' }) {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "IpProtocol":
			a["protocol"] = v
		case "FromPort":
			a["from-port"] = v
		case "ToPort":
			a["to-port"] = v
		case "CidrIp":
			a["cidr"] = v
		case "GroupId":
			a["source-group"] = v
		}
	}
}

// templateChanges renders the fixes that change a resource the templates
// created as template changes.
func (s *source) templateChanges(fixes []fix.Fix) []templateChange {
	if s.Terraform != nil {
		return s.terraformChanges(fixes)
	}
	if s.Stacks == nil {
		return nil
	}
	var out []templateChange
	for _, f := range fixes {
		for _, c := range f.Commands {
			if strings.Contains(c, "\"$") {
				// A resource the fix itself creates ("$ALB_SG"): not in
				// the template, and no value a template can hold (as for
				// a Terraform configuration).
				continue
			}
			if tc, ok := s.templateChange(c); ok {
				tc.Fix = f.Rank
				out = append(out, tc)
			}
		}
	}
	return out
}

// resource returns the created resource with a physical id.
func (s *source) resourceByID(id string) *cfn.Resource {
	for i := range s.Stacks.Resources {
		if s.Stacks.Resources[i].PhysicalID == id {
			return &s.Stacks.Resources[i]
		}
	}
	return nil
}

// refTo writes a reference to the resource with physical id id, as the
// template at file would: !Ref within its stack, the id otherwise.
func (s *source) refTo(id string, from *cfn.Resource) string {
	r := s.resourceByID(id)
	if r == nil {
		return id
	}
	dir := func(id string) string { return id[:strings.LastIndexByte(id, '/')+1] }
	if r.File == from.File && r.Stack == from.Stack && dir(r.LogicalID) == dir(from.LogicalID) {
		return "!Ref " + r.LogicalID[strings.LastIndexByte(r.LogicalID, '/')+1:]
	}
	for _, st := range s.Stacks.Stacks {
		for _, x := range st.Exports {
			if x.Value == id {
				return "!ImportValue " + x.Name
			}
		}
	}
	return id + "  # " + s.logicalName(id)
}

func (s *source) templateChange(cmd string) (templateChange, bool) {
	a := cliArgs(cmd)
	switch {
	case strings.HasPrefix(cmd, "aws ec2 authorize-security-group-"):
		r := s.resourceByID(a["group-id"])
		if r == nil || r.Type != "AWS::EC2::SecurityGroup" {
			return templateChange{}, false
		}
		prop := "SecurityGroupIngress"
		if strings.Contains(cmd, "-egress ") {
			prop = "SecurityGroupEgress"
		}
		permissionArgs(a)
		var b strings.Builder
		fmt.Fprintf(&b, "      %s:\n        - IpProtocol: %s\n          FromPort: %s\n          ToPort: %s\n", prop, a["protocol"], a["from-port"], a["to-port"])
		switch {
		case a["source-group"] != "":
			fmt.Fprintf(&b, "          SourceSecurityGroupId: %s\n", s.refTo(a["source-group"], r))
		case a["cidr"] != "" && prop == "SecurityGroupEgress":
			fmt.Fprintf(&b, "          CidrIp: %s\n", a["cidr"])
		case a["cidr"] != "":
			fmt.Fprintf(&b, "          CidrIp: %s\n", a["cidr"])
		default:
			return templateChange{}, false
		}
		return templateChange{File: r.File, Line: r.Line, Resource: r.LogicalID, Type: r.Type, Property: prop, Snippet: b.String(),
			Summary: fmt.Sprintf("add a rule to %s of %s", prop, r.LogicalID)}, true
	case strings.HasPrefix(cmd, "aws ec2 create-network-acl-entry "):
		r := s.resourceByID(a["network-acl-id"])
		if r == nil {
			return templateChange{}, false
		}
		from, to, _ := strings.Cut(strings.TrimPrefix(a["port-range"], "From="), ",To=")
		egress := "false"
		if a["egress"] == "true" {
			egress = "true"
		}
		name := r.LogicalID[strings.LastIndexByte(r.LogicalID, '/')+1:] + "Allow" + a["rule-number"]
		ports := fmt.Sprintf("PortRange: {From: %s, To: %s}", from, to)
		if tc := a["icmp-type-code"]; tc != "" {
			// An ICMP entry (a ping's echo request or reply): Icmp's Type
			// and Code, -1 for any.
			typ, code, _ := strings.Cut(strings.TrimPrefix(tc, "Type="), ",Code=")
			ports = fmt.Sprintf("Icmp: {Type: %s, Code: %s}", typ, code)
		}
		snippet := fmt.Sprintf("  %s:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties:\n      NetworkAclId: !Ref %s\n      RuleNumber: %s\n      Protocol: %s\n      RuleAction: allow\n      Egress: %s\n      CidrBlock: %s\n      %s\n",
			name, r.LogicalID[strings.LastIndexByte(r.LogicalID, '/')+1:], a["rule-number"], protoNumber(a["protocol"]), egress, a["cidr-block"], ports)
		return templateChange{File: r.File, Line: r.Line, Resource: r.LogicalID, Type: r.Type, Snippet: snippet,
			Summary: fmt.Sprintf("add a resource, an entry of network ACL %s", r.LogicalID)}, true
	case strings.HasPrefix(cmd, "aws ec2 create-route ") || strings.HasPrefix(cmd, "aws ec2 replace-route "):
		r := s.resourceByID(a["route-table-id"])
		if r == nil {
			return templateChange{}, false
		}
		rt := r.LogicalID[strings.LastIndexByte(r.LogicalID, '/')+1:]
		snippet := fmt.Sprintf("  %sDefaultRoute:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: !Ref %s\n      DestinationCidrBlock: %s\n      GatewayId: %s\n",
			rt, rt, a["destination-cidr-block"], s.refTo(a["gateway-id"], r))
		summary := fmt.Sprintf("add a resource, a route of %s", r.LogicalID)
		if strings.HasPrefix(cmd, "aws ec2 replace-route ") {
			summary = fmt.Sprintf("change the AWS::EC2::Route of %s to %s (in place of the route it has)", r.LogicalID, a["destination-cidr-block"])
		}
		return templateChange{File: r.File, Line: r.Line, Resource: r.LogicalID, Type: r.Type, Snippet: snippet, Summary: summary}, true
	case strings.HasPrefix(cmd, "aws ecs update-service "):
		// The service's own resource: the property the fix changes.
		for _, res := range s.Stacks.Resources {
			if res.Type == "AWS::ECS::Service" && strings.HasSuffix(res.PhysicalID, "/"+a["service"]) {
				if strings.Contains(cmd, "assignPublicIp=ENABLED") {
					return templateChange{File: res.File, Line: res.Line, Resource: res.LogicalID, Type: res.Type,
						Property: "NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp",
						Snippet:  "      NetworkConfiguration:\n        AwsvpcConfiguration:\n          AssignPublicIp: ENABLED\n",
						Summary:  fmt.Sprintf("set AssignPublicIp of %s", res.LogicalID)}, true
				}
			}
		}
	}
	return templateChange{}, false
}

// protoNumber is the protocol number a NetworkAclEntry takes.
func protoNumber(p string) string {
	switch p {
	case "tcp":
		return "6"
	case "udp":
		return "17"
	case "icmp":
		return "1"
	case "all":
		return "-1"
	}
	return p
}

// printTemplateChanges writes fixes as template changes.
func printTemplateChanges(stdio IO, changes []templateChange) {
	if len(changes) == 0 {
		return
	}
	title := "in the template"
	if strings.HasPrefix(changes[0].Type, "aws_") {
		title = "in the configuration"
	}
	fmt.Fprintf(stdio.Out, "\n%s\n", stdio.paint("bold", title))
	for _, c := range changes {
		fmt.Fprintf(stdio.Out, "\n  fix %d: %s:%d: %s (%s): %s\n", c.Fix, c.File, c.Line, c.Resource, c.Type, c.Summary)
		for _, line := range strings.Split(strings.TrimRight(c.Snippet, "\n"), "\n") {
			fmt.Fprintf(stdio.Out, "     %s\n", line)
		}
	}
}
