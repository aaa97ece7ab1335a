package fix

import (
	"fmt"
	"maps"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// clientIPOff proposes turning client IP preservation off on an NLB
// target group whose targets' security groups drop the clients'
// addresses: the targets then see the NLB's private addresses, which
// their groups usually admit (the VPC's range, the NLB's group). AWS
// lets it be turned off only for TCP and TLS target groups (UDP and
// TCP_UDP always preserve; NLB guide, "Client IP preservation"). The
// application no longer sees the client's address (proxy protocol v2
// carries it, where the application reads it).
func (f *finder) clientIPOff() []Fix {
	var out []Fix
	for _, x := range f.res.Explanations {
		if x.Code != reach.CodePreserveClientIPEnabled || x.Component == nil {
			continue
		}
		tg := f.st.TargetGroups[x.Component.ARN]
		if tg == nil || (tg.Protocol != "TCP" && tg.Protocol != "TLS") {
			continue
		}
		arn, name := tg.ARN, tg.Name
		out = append(out, Fix{
			score: 25, Kind: "target-group",
			Title: fmt.Sprintf("Turn client IP preservation off on target group %s, so that the targets see the load balancer's private addresses", name),
			Detail: "The targets no longer see the client's address; enable proxy protocol v2 (proxy_protocol_v2.enabled) where the application needs it. " +
				"Allowing the clients' addresses on the targets' security group keeps it.",
			Commands: []string{fmt.Sprintf("aws elbv2 modify-target-group-attributes --target-group-arn %s --attributes Key=preserve_client_ip.enabled,Value=false", arn)},
			Scenario: fmt.Sprintf("target_groups:\n  %s:\n    attributes: {preserve_client_ip.enabled: \"false\"}\n", name),
			apply: func(e *engine.Engine) error {
				_, err := e.ModifyTargetGroupAttributes(arn, [][2]string{{"preserve_client_ip.enabled", "false"}})
				return err
			},
		})
	}
	return out
}

// nlbGroupRef proposes, for a target's security group that drops the
// clients an NLB forwards with their own addresses, a rule admitting the
// NLB's security group: a target group that references the load
// balancer's group admits its traffic, preserved client addresses
// included (NLB guide, "Security groups"), so the clients' addresses stay
// visible and the NLB's own group still decides who may connect.
func (f *finder) nlbGroupRef(x reach.Explanation) []Fix {
	if !f.res.HasCode(reach.CodePreserveClientIPEnabled) || x.Direction != "ingress" || x.NetworkInterface == nil {
		return nil
	}
	eni := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.NetworkInterface.ID)]
	pkt, ok := f.hopPacket(x)
	if eni == nil || !ok {
		return nil
	}
	sg := f.preferredGroup(eni.SecurityGroups)
	var lbGroups []model.SecurityGroupID
	for _, h := range f.res.Forward {
		if h.AttachedTo != nil && h.AttachedTo.Type == "load-balancer" {
			if lb := f.st.LoadBalancers[h.AttachedTo.ARN]; lb != nil && lb.Type == "network" {
				lbGroups = lb.SecurityGroups
			}
		}
	}
	if sg == "" || len(lbGroups) == 0 {
		return nil
	}
	g := lbGroups[0]
	proto, port := protoName(pkt.Protocol), int(pkt.DestinationPort)
	first, last := port, port
	ports := strconv.Itoa(port)
	if f.dynamicHostPort(eni, uint16(port)) {
		r := model.DynamicHostPortRule()
		first, last = int(r.First), int(r.Last)
		ports = r.String()
	}
	perm := engine.IPPermission{Protocol: proto, FromPort: intp(first), ToPort: intp(last), Groups: []engine.RuleSource{{Value: string(g)}}}
	return []Fix{{
		score: 15, Kind: "security-group",
		Title:    fmt.Sprintf("Allow %s/%s from security group %s (the load balancer's) on security group %s", proto, ports, f.groupName(g), f.groupName(sg)),
		Detail:   "A rule that references the NLB's security group admits the connections it forwards with the clients' addresses; the clients stay visible to the application.",
		Commands: []string{fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol %s --port %s --source-group %s", sg, proto, ports, g)},
		Scenario: fmt.Sprintf("security_groups:\n  %s:\n    ingress:\n      - {protocol: %s, ports: %s, group: %s}\n", f.groupName(sg), proto, ports, f.groupName(g)),
		apply: func(e *engine.Engine) error {
			_, err := e.AuthorizeSecurityGroup(sg, false, []engine.IPPermission{perm})
			return err
		},
	}}
}

// crossZone: a Network Load Balancer node whose zone has no target, with
// cross-zone load balancing off (the NLB's default), drops the
// connections its address receives. Turning it on lets every node send to
// the targets of every enabled zone (network-load-balancers.md,
// "Cross-zone load balancing").
func (f *finder) crossZone(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	if c := f.st.ClassicLoadBalancers[x.Component.ID]; c != nil && x.Component.Type == "load-balancer" {
		return f.classicCrossZone(c)
	}
	var out []Fix
	if tg := f.st.TargetGroups[x.Component.ARN]; tg != nil && tg.Attributes["load_balancing.cross_zone.enabled"] == "false" {
		// The target group turns it off, whatever its load balancer says
		// (an ALB's is always on): its attribute is the one to change.
		arn := tg.ARN
		return append(out, Fix{
			score: 20, Kind: "target-group",
			Title: fmt.Sprintf("Turn cross-zone load balancing back on for target group %s (load_balancing.cross_zone.enabled true)", tg.Name),
			Detail: "The target group's load_balancing.cross_zone.enabled false makes each load balancer node send only to the group's targets in its own Availability Zone: " +
				"the node of a zone without targets has none. true (or use_load_balancer_configuration, on an Application Load Balancer) lets every node reach every zone's targets; " +
				"running targets in every zone is the other way.",
			Commands: []string{fmt.Sprintf("aws elbv2 modify-target-group-attributes --target-group-arn %s --attributes Key=load_balancing.cross_zone.enabled,Value=true", arn)},
			Scenario: fmt.Sprintf("target_groups:\n  %s:\n    attributes: {load_balancing.cross_zone.enabled: \"true\"}\n", tg.Name),
			apply: func(e *engine.Engine) error {
				_, err := e.ModifyTargetGroupAttributes(arn, [][2]string{{"load_balancing.cross_zone.enabled", "true"}})
				return err
			},
		})
	}
	seen := map[string]bool{}
	for _, arn := range tgLBs(f.st, x.Component.ARN) {
		lb := f.st.LoadBalancers[arn]
		if lb == nil || seen[arn] || lb.Type != "network" || lb.CrossZone {
			continue
		}
		seen[arn] = true
		out = append(out, Fix{
			score: 20, Kind: "load-balancer",
			Title: fmt.Sprintf("Turn on cross-zone load balancing on the Network Load Balancer %s (load_balancing.cross_zone.enabled)", lb.Name),
			Detail: "With cross-zone load balancing off, the default for Network Load Balancers, a node sends only to targets in its own Availability Zone: " +
				"the node of a zone without targets drops what its address receives. On, every node sends to every zone's targets (inter-zone data transfer is charged); " +
				"running targets in every zone is the other way.",
			Commands: []string{fmt.Sprintf("aws elbv2 modify-load-balancer-attributes --load-balancer-arn %s --attributes Key=load_balancing.cross_zone.enabled,Value=true", arn)},
			Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    cross_zone: true\n", lb.Name),
			apply: func(e *engine.Engine) error {
				_, err := e.ModifyLoadBalancerAttributes(arn, [][2]string{{"load_balancing.cross_zone.enabled", "true"}})
				return err
			},
		})
	}
	return out
}

// classicCrossZone: a Classic Load Balancer created with the API or CLI
// has cross-zone load balancing off, so a node whose zone has no
// InService instance answers 503; CrossZoneLoadBalancing on lets it send
// to the other zones' instances.
func (f *finder) classicCrossZone(c *model.ClassicLoadBalancer) []Fix {
	if c.Attributes["CrossZoneLoadBalancing.Enabled"] == "true" {
		return nil
	}
	name := c.Name
	return []Fix{{
		score: 20, Kind: "load-balancer",
		Title: fmt.Sprintf("Turn on cross-zone load balancing on the Classic Load Balancer %s (CrossZoneLoadBalancing)", name),
		Detail: "A Classic Load Balancer created with the API or the CLI has cross-zone load balancing off: each node sends only to the instances of its own zone, " +
			"and a node whose zone has no InService instance answers 503. Instances in every enabled zone are the other way.",
		Commands: []string{fmt.Sprintf("aws elb modify-load-balancer-attributes --load-balancer-name %s --load-balancer-attributes '{\"CrossZoneLoadBalancing\":{\"Enabled\":true}}'", name)},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    cross_zone: true\n", name),
		apply: func(e *engine.Engine) error {
			_, err := e.UpdateClassicLoadBalancer(name, func(lb *model.ClassicLoadBalancer) error {
				lb.Attributes = maps.Clone(lb.Attributes)
				if lb.Attributes == nil {
					lb.Attributes = map[string]string{}
				}
				lb.Attributes["CrossZoneLoadBalancing.Enabled"] = "true"
				return nil
			})
			return err
		},
	}}
}
