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
	a, ok := f.gwlbAppliances(x)
	if !ok || !a.tg.HealthCheck.Enabled {
		return nil
	}
	port := 80 // a GENEVE group's traffic port is 6081, its health check port 80 by default
	if p, err := strconv.Atoi(a.tg.HealthCheck.Port); err == nil {
		port = p
	}
	return []Fix{a.ingressFix("tcp", port,
		fmt.Sprintf("Allow the health checks of Gateway Load Balancer %s (tcp/%d from %s) on the appliances' security group %s",
			a.lb.Name, port, strings.Join(a.cidrs, ", "), strings.Join(a.names, ", ")),
		"A Gateway Load Balancer sends a packet only to a healthy appliance; its health checks come from its nodes' addresses in its subnets, to the health check port, besides the GENEVE traffic on UDP 6081.")}
}

// gwlbGeneve: a Gateway Load Balancer's healthy appliance does not get
// the GENEVE packets the load balancer sends it (reach.CodeGWLBGeneveBlocked):
// its security group admits the health checks but not UDP 6081 from the
// load balancer's subnets ("Target groups for Gateway Load Balancers
// support the following protocol and port: Protocol: GENEVE, Port: 6081").
// The fix admits UDP 6081 from those subnets in the appliances' groups;
// where a network ACL drops them instead, the verification fails and the
// fix is not offered.
func (f *finder) gwlbGeneve(x reach.Explanation) []Fix {
	a, ok := f.gwlbAppliances(x)
	if !ok {
		return nil
	}
	const geneve = 6081
	return []Fix{a.ingressFix("udp", geneve,
		fmt.Sprintf("Allow GENEVE from Gateway Load Balancer %s (udp/%d from %s) on the appliances' security group %s",
			a.lb.Name, geneve, strings.Join(a.cidrs, ", "), strings.Join(a.names, ", ")),
		"A Gateway Load Balancer encapsulates every packet it sends an appliance in GENEVE, UDP port 6081, from its nodes' addresses in its subnets; an appliance whose group admits only the health check port stays healthy and gets none of them.")}
}

// gwlbAppliance is a Gateway Load Balancer of a finding, its appliances'
// target group, its subnets' ranges and the appliances' security groups
// (each appliance's first, by id and name).
type gwlbAppliance struct {
	lb     *model.LoadBalancer
	tg     *model.TargetGroup
	cidrs  []string
	groups []model.SecurityGroupID
	names  []string
}

// gwlbAppliances reads the Gateway Load Balancer a finding is about.
func (f *finder) gwlbAppliances(x reach.Explanation) (gwlbAppliance, bool) {
	if x.Component == nil {
		return gwlbAppliance{}, false
	}
	lb := f.st.LoadBalancers[x.Component.ARN]
	if lb == nil || !lb.IsGWLB() {
		return gwlbAppliance{}, false
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
	if tg == nil {
		return gwlbAppliance{}, false
	}
	a := gwlbAppliance{lb: lb, tg: tg}
	for _, n := range lb.Nodes {
		if s := f.st.Subnets[n.SubnetID]; s != nil && !slices.Contains(a.cidrs, s.CIDR.String()) {
			a.cidrs = append(a.cidrs, s.CIDR.String())
		}
	}
	for _, t := range tg.Targets.All() {
		in := f.st.Instances[model.InstanceID(t.ID)]
		if in == nil {
			continue
		}
		if eni := f.st.NetworkInterfaces[in.PrimaryENI]; eni != nil && len(eni.SecurityGroups) > 0 && !slices.Contains(a.groups, eni.SecurityGroups[0]) {
			a.groups = append(a.groups, eni.SecurityGroups[0])
		}
	}
	if len(a.cidrs) == 0 || len(a.groups) == 0 {
		return gwlbAppliance{}, false
	}
	for _, g := range a.groups {
		name := string(g)
		if sg := f.st.SecurityGroups[g]; sg != nil {
			name = sg.Tags.Name()
			if name == "" {
				name = sg.Name
			}
		}
		a.names = append(a.names, name)
	}
	return a, true
}

// ingressFix admits proto/port from the load balancer's subnets in the
// appliances' security groups.
func (a gwlbAppliance) ingressFix(proto string, port int, title, detail string) Fix {
	perm := engine.IPPermission{Protocol: proto, FromPort: intp(port), ToPort: intp(port)}
	for _, c := range a.cidrs {
		perm.CIDRs = append(perm.CIDRs, engine.RuleSource{Value: c})
	}
	var cmds, snippet []string
	for i, g := range a.groups {
		for _, c := range a.cidrs {
			cmds = append(cmds, fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol %s --port %d --cidr %s", g, proto, port, c))
			snippet = append(snippet, fmt.Sprintf("  %s:\n    ingress:\n      - {protocol: %s, ports: %d, cidr: %s}   # added\n", a.names[i], proto, port, c))
		}
	}
	groups := a.groups
	return Fix{
		score: 10, Kind: "security-group",
		Title:    title,
		Detail:   detail,
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
	}
}
