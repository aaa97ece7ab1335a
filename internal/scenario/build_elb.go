package scenario

import (
	"net/netip"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"go.yaml.in/yaml/v3"
)

// itemLines returns the line of each item of the sequence under key in a
// mapping node, padded with the key's (or the node's) line to n items.
func itemLines(node *yaml.Node, key string, n int) []int {
	var out []int
	fallback := 0
	if node != nil {
		fallback = node.Line
		if node.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(node.Content); i += 2 {
				if node.Content[i].Value != key {
					continue
				}
				fallback = node.Content[i].Line
				for _, c := range node.Content[i+1].Content {
					out = append(out, c.Line)
				}
			}
		}
	}
	for len(out) < n {
		out = append(out, fallback)
	}
	return out
}

func (b *builder) targetGroups(sp *fileSpec) error {
	for _, g := range sp.TargetGroups {
		owner := "target group " + strconv.Quote(g.Name)
		vpc, err := b.ref("vpc", g.Value.VPC, g.line("vpc"), owner)
		if err != nil {
			return err
		}
		in := engine.CreateTargetGroupInput{Name: g.Name, Protocol: protocolOr(g.Value.Protocol, "HTTP"), Port: uint16(g.Value.Port),
			VpcID: model.VpcID(vpc), TargetType: g.Value.TargetType, Tags: tags(g.Name, g.Value.Tags)}
		if hc := g.Value.HealthCheck; hc != nil {
			in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath = hc.Protocol, hc.Port, hc.Path
			in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = hc.Interval, hc.Timeout
			in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher = hc.HealthyThreshold, hc.UnhealthyThreshold, hc.Matcher
		}
		tg, err := b.e.CreateTargetGroup(in)
		if err != nil {
			return b.fail(g.Line, owner, err)
		}
		b.set("target group", g.Name, tg.ARN)
		lines := itemLines(g.node, "targets", len(g.Value.Targets))
		for i, t := range g.Value.Targets {
			id := t.ID
			if _, err := netip.ParseAddr(id); err != nil {
				if id, err = b.ref("instance", t.ID, lines[i], owner); err != nil {
					return err
				}
			}
			if err := b.e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: id, Port: uint16(t.Port)}}); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
	}
	return nil
}

func (b *builder) loadBalancers(sp *fileSpec) error {
	for _, l := range sp.LoadBalancers {
		owner := "load balancer " + strconv.Quote(l.Name)
		subnets, err := b.subnetIDs(l.Value.Subnets, l.line("subnets"), owner)
		if err != nil {
			return err
		}
		groups, err := b.groupIDs(l.Value.SecurityGroups, l.line("security_groups"), owner)
		if err != nil {
			return err
		}
		in := engine.CreateLoadBalancerInput{Name: l.Name, Type: l.Value.Type, Scheme: l.Value.Scheme, SecurityGroups: groups, Tags: tags(l.Name, l.Value.Tags)}
		if len(l.Value.ElasticIPs) > 0 {
			for i, s := range subnets {
				m := engine.SubnetMapping{SubnetID: s}
				if i < len(l.Value.ElasticIPs) {
					eip, err := b.ref("elastic ip", l.Value.ElasticIPs[i], l.line("elastic_ips"), owner)
					if err != nil {
						return err
					}
					m.AllocationID = model.AllocationID(eip)
				}
				in.SubnetMappings = append(in.SubnetMappings, m)
			}
		} else {
			in.Subnets = subnets
		}
		lb, err := b.e.CreateLoadBalancer(in)
		if err != nil {
			line := l.Line
			if len(l.Value.Subnets) > 0 {
				line = l.line("subnets")
			}
			return b.fail(line, owner, err)
		}
		b.set("load balancer", l.Name, lb.ARN)
		lines := itemLines(l.node, "listeners", len(l.Value.Listeners))
		for i, ls := range l.Value.Listeners {
			proto := ls.Protocol
			if proto == "" {
				proto = "HTTP"
				if lb.Type == "network" {
					proto = "TCP"
				}
			}
			in := engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: proto, Port: uint16(ls.Port)}
			if ls.Certificate != "" {
				in.Certificates = []string{ls.Certificate}
			}
			switch {
			case ls.Forward != "":
				tg, err := b.ref("target group", ls.Forward, lines[i], owner)
				if err != nil {
					return err
				}
				in.DefaultActions = []model.ListenerAction{{Type: "forward", TargetGroupARN: tg, Order: 1}}
			case ls.FixedResponse != 0:
				in.DefaultActions = []model.ListenerAction{{Type: "fixed-response", Order: 1,
					FixedResponse: &model.FixedResponse{StatusCode: strconv.Itoa(ls.FixedResponse), ContentType: "text/plain"}}}
			default:
				return b.errf(lines[i], "%s: a listener needs forward: (a target group) or fixed_response: (a status code)", owner)
			}
			if _, err := b.e.CreateListener(in); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
	}
	return nil
}
