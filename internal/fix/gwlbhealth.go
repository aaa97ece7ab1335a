package fix

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// gwlbHealthCheck: a Gateway Load Balancer has no healthy appliance
// (reach.CodeGWLBNoHealthyTargets). The fix lets the health checks in:
// the appliances' security groups admit the health check port (TCP) from
// the load balancer's subnets ("The security group for your targets must
// allow traffic from the load balancer on the health check port",
// Gateway Load Balancer guide, "Health checks for your target groups").
// Where the group already admits it, the verification fails and the fix
// is not offered.
func (f *finder) gwlbHealthCheck(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	lb := f.st.LoadBalancers[x.Component.ARN]
	if lb == nil || !lb.IsGWLB() {
		return nil
	}
	var tg *model.TargetGroup
	for _, l := range f.st.Listeners {
		if l.LoadBalancerARN != lb.ARN {
			continue
		}
		for _, a := range l.DefaultActions {
			if a.Type == "forward" && f.st.TargetGroups[a.TargetGroupARN] != nil {
				tg = f.st.TargetGroups[a.TargetGroupARN]
			}
		}
	}
	if tg == nil || !tg.HealthCheck.Enabled {
		return nil
	}
	port := 80 // a GENEVE group's traffic port is 6081, its health check port 80 by default
	if p, err := strconv.Atoi(tg.HealthCheck.Port); err == nil {
		port = p
	}
	var cidrs []string
	for _, n := range lb.Nodes {
		if s := f.st.Subnets[n.SubnetID]; s != nil && !slices.Contains(cidrs, s.CIDR.String()) {
			cidrs = append(cidrs, s.CIDR.String())
		}
	}
	var groups []model.SecurityGroupID
	for _, t := range tg.Targets.All() {
		in := f.st.Instances[model.InstanceID(t.ID)]
		if in == nil {
			continue
		}
		if eni := f.st.NetworkInterfaces[in.PrimaryENI]; eni != nil && len(eni.SecurityGroups) > 0 && !slices.Contains(groups, eni.SecurityGroups[0]) {
			groups = append(groups, eni.SecurityGroups[0])
		}
	}
	if len(cidrs) == 0 || len(groups) == 0 {
		return nil
	}
	perm := engine.IPPermission{Protocol: "tcp", FromPort: intp(port), ToPort: intp(port)}
	for _, c := range cidrs {
		perm.CIDRs = append(perm.CIDRs, engine.RuleSource{Value: c})
	}
	var names, cmds, snippet []string
	for _, g := range groups {
		name := string(g)
		if sg := f.st.SecurityGroups[g]; sg != nil {
			name = sg.Tags.Name()
			if name == "" {
				name = sg.Name
			}
		}
		names = append(names, name)
		for _, c := range cidrs {
			cmds = append(cmds, fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d --cidr %s", g, port, c))
			snippet = append(snippet, fmt.Sprintf("  %s:\n    ingress:\n      - {protocol: tcp, ports: %d, cidr: %s}   # added\n", name, port, c))
		}
	}
	return []Fix{{
		score: 10, Kind: "security-group",
		Title: fmt.Sprintf("Allow the health checks of Gateway Load Balancer %s (tcp/%d from %s) on the appliances' security group %s",
			lb.Name, port, strings.Join(cidrs, ", "), strings.Join(names, ", ")),
		Detail:   "A Gateway Load Balancer sends a packet only to a healthy appliance; its health checks come from its nodes' addresses in its subnets, to the health check port, besides the GENEVE traffic on UDP 6081.",
		Commands: cmds,
		Scenario: "security_groups:\n" + strings.Join(snippet, ""),
		apply: func(e *engine.Engine) error {
			for _, g := range groups {
				if _, err := e.AuthorizeSecurityGroup(g, false, []engine.IPPermission{perm}); err != nil {
					return err
				}
			}
			return nil
		},
	}}
}
