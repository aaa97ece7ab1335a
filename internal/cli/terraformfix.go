package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// terraformChanges renders the fixes that change a resource the
// configuration created as changes to the configuration: the block to add
// to the resource (when its rules are inline) or the resource to add next
// to it, in HCL.
func (s *source) terraformChanges(fixes []fix.Fix) []templateChange {
	var out []templateChange
	for _, f := range fixes {
		bridge := false
		for _, c := range f.Commands {
			bridge = bridge || strings.HasPrefix(c, "aws ecs register-task-definition ") && strings.Contains(c, "--network-mode bridge")
		}
		for _, c := range f.Commands {
			if strings.Contains(c, "\"$") {
				continue // a resource the fix itself creates: not in the configuration
			}
			tc, ok := s.terraformChange(c)
			if !ok && bridge {
				tc, ok = s.terraformBridge(c)
			}
			if ok {
				tc.Fix = f.Rank
				out = append(out, tc)
			}
		}
	}
	return out
}

// terraformBridge renders the bridge network mode fix: the task
// definition's network mode and host ports, and the service without its
// awsvpc network configuration.
func (s *source) terraformBridge(cmd string) (templateChange, bool) {
	a := cliArgs(cmd)
	switch {
	case strings.HasPrefix(cmd, "aws ecs register-task-definition "):
		for _, r := range s.Terraform.Resources {
			if r.Type != "aws_ecs_task_definition" || !strings.Contains(r.ID, ":task-definition/"+a["family"]+":") {
				continue
			}
			var b strings.Builder
			fmt.Fprintf(&b, "  network_mode = %q\n", a["network-mode"])
			var defs []struct {
				Name         string `json:"name"`
				PortMappings []struct {
					ContainerPort int `json:"containerPort"`
					HostPort      int `json:"hostPort"`
				} `json:"portMappings"`
			}
			if json.Unmarshal([]byte(strings.Trim(a["container-definitions"], "'")), &defs) == nil {
				for _, d := range defs {
					var pms []string
					for _, p := range d.PortMappings {
						pms = append(pms, fmt.Sprintf("{ containerPort = %d, hostPort = %d }", p.ContainerPort, p.HostPort))
					}
					if len(pms) > 0 {
						fmt.Fprintf(&b, "  # in container_definitions, container %q:\n  #   portMappings = [%s]\n", d.Name, strings.Join(pms, ", "))
					}
				}
			}
			return templateChange{File: r.File, Line: r.Line, Resource: r.Address, Type: r.Type, Property: "network_mode", Snippet: b.String(),
				Summary: fmt.Sprintf("set network_mode and fixed host ports in %s", r.Address)}, true
		}
	case strings.HasPrefix(cmd, "aws ecs delete-service "):
		for _, r := range s.Terraform.Resources {
			if r.Type == "aws_ecs_service" && strings.HasSuffix(r.ID, "/"+a["service"]) {
				return templateChange{File: r.File, Line: r.Line, Resource: r.Address, Type: r.Type, Property: "network_configuration",
					Snippet: "  # remove the network_configuration block: the bridge network mode takes none\n",
					Summary: fmt.Sprintf("remove network_configuration from %s (terraform apply then replaces the service)", r.Address)}, true
			}
		}
	}
	return templateChange{}, false
}

// tfResource returns the created resource with a physical id.
func (s *source) tfResource(id string) *terraform.Resource {
	for i := range s.Terraform.Resources {
		if s.Terraform.Resources[i].ID == id {
			if terraform.IsStandIn(s.Terraform.Resources[i].File) {
				return nil // made by ecsnet's stand-in for a module: no file to change
			}
			return &s.Terraform.Resources[i]
		}
	}
	return nil
}

// tfModule is the module part of an address ("module.ecs." or "").
func tfModule(addr string) string {
	if i := strings.LastIndex(addr, "module."); i >= 0 {
		if j := strings.Index(addr[i:], "."); j >= 0 {
			if k := strings.Index(addr[i+j+1:], "."); k >= 0 {
				return addr[:i+j+1+k+1]
			}
		}
	}
	return ""
}

// tfLocal is an address without its module part and instance key, as it
// is written inside its module ("aws_security_group.task").
func tfLocal(addr string) string {
	l := strings.TrimPrefix(addr, tfModule(addr))
	return l
}

// tfRef writes a reference to the resource with physical id id from a
// resource at addr: its attribute when both are in one module, the id
// otherwise.
func (s *source) tfRef(id, attr, from string) string {
	r := s.tfResource(id)
	if r == nil || tfModule(r.Address) != tfModule(from) {
		return fmt.Sprintf("%q", id)
	}
	return tfLocal(r.Address) + "." + attr
}

// tfName turns an address into a resource name for a new resource.
func tfName(addr string, suffix string) string {
	l := tfLocal(addr)
	l = l[strings.LastIndexByte(l, '.')+1:]
	r := strings.NewReplacer("[", "_", "]", "", `"`, "")
	return r.Replace(l) + "_" + suffix
}

func (s *source) terraformChange(cmd string) (templateChange, bool) {
	a := cliArgs(cmd)
	switch {
	case strings.HasPrefix(cmd, "aws ec2 authorize-security-group-"):
		r := s.tfResource(a["group-id"])
		if r == nil || (r.Type != "aws_security_group" && r.Type != "aws_default_security_group") {
			return templateChange{}, false
		}
		egress := strings.Contains(cmd, "-egress ")
		dir := "ingress"
		if egress {
			dir = "egress"
		}
		permissionArgs(a)
		proto := a["protocol"]
		if proto == "all" {
			proto = "-1"
		}
		port := a["port"]
		if port == "" {
			port = "0"
		}
		from, to := a["from-port"], a["to-port"]
		if from == "" {
			from, to = port, port
		}
		if proto == "icmp" {
			port = "icmp_" + strings.ReplaceAll(from, "-", "")
		}
		var b strings.Builder
		if r.InlineRules {
			fmt.Fprintf(&b, "  %s {\n    from_port   = %s\n    to_port     = %s\n    protocol    = %q\n", dir, from, to, proto)
			switch {
			case a["source-group"] != "":
				fmt.Fprintf(&b, "    security_groups = [%s]\n", s.tfRef(a["source-group"], "id", r.Address))
			case a["cidr"] != "":
				fmt.Fprintf(&b, "    cidr_blocks = [%q]\n", a["cidr"])
			default:
				return templateChange{}, false
			}
			b.WriteString("  }\n")
			return templateChange{File: r.File, Line: r.Line, Resource: r.Address, Type: r.Type, Property: dir, Snippet: b.String(),
				Summary: fmt.Sprintf("add an %s block to %s", dir, r.Address)}, true
		}
		kind := "aws_vpc_security_group_ingress_rule"
		if egress {
			kind = "aws_vpc_security_group_egress_rule"
		}
		fmt.Fprintf(&b, "resource %q %q {\n  security_group_id = %s\n  ip_protocol       = %q\n", kind, tfName(r.Address, dir+"_"+port), tfLocal(r.Address)+".id", proto)
		if proto != "-1" {
			fmt.Fprintf(&b, "  from_port         = %s\n  to_port           = %s\n", from, to)
		}
		switch {
		case a["source-group"] != "":
			fmt.Fprintf(&b, "  referenced_security_group_id = %s\n", s.tfRef(a["source-group"], "id", r.Address))
		case a["cidr"] != "":
			fmt.Fprintf(&b, "  cidr_ipv4         = %q\n", a["cidr"])
		default:
			return templateChange{}, false
		}
		b.WriteString("}\n")
		return templateChange{File: r.File, Line: r.Line, Resource: r.Address, Type: r.Type, Snippet: b.String(),
			Summary: fmt.Sprintf("add a resource, a rule of %s", r.Address)}, true
	case strings.HasPrefix(cmd, "aws ec2 create-network-acl-entry "):
		r := s.tfResource(a["network-acl-id"])
		if r == nil {
			return templateChange{}, false
		}
		from, to, _ := strings.Cut(strings.TrimPrefix(a["port-range"], "From="), ",To=")
		var b strings.Builder
		fmt.Fprintf(&b, "resource \"aws_network_acl_rule\" %q {\n  network_acl_id = %s\n  rule_number    = %s\n  egress         = %v\n  protocol       = %q\n  rule_action    = \"allow\"\n  cidr_block     = %q\n",
			tfName(r.Address, "allow_"+a["rule-number"]), tfLocal(r.Address)+".id", a["rule-number"], a["egress"] == "true", a["protocol"], a["cidr-block"])
		if from != "" {
			fmt.Fprintf(&b, "  from_port      = %s\n  to_port        = %s\n", from, to)
		}
		if tc := a["icmp-type-code"]; tc != "" {
			typ, code, _ := strings.Cut(strings.TrimPrefix(tc, "Type="), ",Code=")
			fmt.Fprintf(&b, "  icmp_type      = %s\n  icmp_code      = %s\n", typ, code)
		}
		b.WriteString("}\n")
		return templateChange{File: r.File, Line: r.Line, Resource: r.Address, Type: r.Type, Snippet: b.String(),
			Summary: fmt.Sprintf("add a resource, an entry of %s", r.Address)}, true
	case strings.HasPrefix(cmd, "aws ec2 create-route ") || strings.HasPrefix(cmd, "aws ec2 replace-route "):
		r := s.tfResource(a["route-table-id"])
		if r == nil {
			return templateChange{}, false
		}
		target := "gateway_id"
		id := a["gateway-id"]
		if id == "" {
			target, id = "nat_gateway_id", a["nat-gateway-id"]
		}
		if r.InlineRules {
			snippet := fmt.Sprintf("  route {\n    cidr_block = %q\n    %s = %s\n  }\n", a["destination-cidr-block"], target, s.tfRef(id, "id", r.Address))
			return templateChange{File: r.File, Line: r.Line, Resource: r.Address, Type: r.Type, Property: "route", Snippet: snippet,
				Summary: fmt.Sprintf("add a route block to %s", r.Address)}, true
		}
		snippet := fmt.Sprintf("resource \"aws_route\" %q {\n  route_table_id         = %s\n  destination_cidr_block = %q\n  %s = %s\n}\n",
			tfName(r.Address, "default"), tfLocal(r.Address)+".id", a["destination-cidr-block"], target, s.tfRef(id, "id", r.Address))
		summary := fmt.Sprintf("add a resource, a route of %s", r.Address)
		if strings.HasPrefix(cmd, "aws ec2 replace-route ") {
			summary = fmt.Sprintf("change the aws_route of %s to %s (in place of the route it has)", r.Address, a["destination-cidr-block"])
		}
		return templateChange{File: r.File, Line: r.Line, Resource: r.Address, Type: r.Type, Snippet: snippet, Summary: summary}, true
	case strings.HasPrefix(cmd, "aws ecs update-service ") && strings.Contains(cmd, "assignPublicIp=ENABLED"):
		for _, r := range s.Terraform.Resources {
			if r.Type == "aws_ecs_service" && strings.HasSuffix(r.ID, "/"+a["service"]) {
				return templateChange{File: r.File, Line: r.Line, Resource: r.Address, Type: r.Type, Property: "network_configuration.assign_public_ip",
					Snippet: "  network_configuration {\n    assign_public_ip = true\n  }\n",
					Summary: fmt.Sprintf("set assign_public_ip in the network_configuration of %s", r.Address)}, true
			}
		}
	}
	return templateChange{}, false
}
