package fix

import (
	"fmt"
	"slices"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// icmpEchoType returns the ICMP type of a ping's packet: the echo
// request (8; ICMPv6 128) or the echo reply (0; ICMPv6 129).
func icmpEchoType(pkt reach.Packet) int {
	return int(pkt.ICMP.Type(pkt.Protocol == "icmpv6"))
}

// icmpCLIProtocol is the protocol as the aws CLI's IpProtocol and
// --protocol take it: icmpv6 is protocol 58.
func icmpCLIProtocol(proto string) string {
	if proto == "icmpv6" {
		return "58"
	}
	return proto
}

// securityGroupICMP proposes, for a ping a security group dropped, a
// rule allowing the echo request (type 8, any code; ICMPv6 128) from the
// peer's group, the peer's address, the VPC or anywhere, as
// securityGroup does for a port. Only the request needs a rule: security
// groups are stateful, so its echo reply is allowed back.
func (f *finder) securityGroupICMP(pkt reach.Packet, eni *model.NetworkInterface, sg model.SecurityGroupID, egress bool) []Fix {
	proto := protoName(pkt.Protocol)
	typ := icmpEchoType(pkt)
	peer := pkt.Source
	if egress {
		peer = pkt.Destination
	}
	if !peer.IsValid() {
		return nil
	}
	dir, verb := "ingress", "from"
	if egress {
		dir, verb = "egress", "to"
	}
	var out []Fix
	for _, c := range f.sgSources(eni, peer) {
		perm := c.perm()
		perm.Protocol, perm.FromPort, perm.ToPort = proto, intp(typ), intp(-1)
		var srcYAML, cliRange string
		switch {
		case c.group != "":
			srcYAML, cliRange = "group: "+f.groupName(c.group), "UserIdGroupPairs=[{GroupId="+string(c.group)+"}]"
		case c.cidr.Addr().Is6():
			srcYAML, cliRange = "cidr: \""+c.cidr.String()+"\"", "Ipv6Ranges=[{CidrIpv6="+c.cidr.String()+"}]"
		default:
			srcYAML, cliRange = "cidr: \""+c.cidr.String()+"\"", "IpRanges=[{CidrIp="+c.cidr.String()+"}]"
		}
		out = append(out, Fix{
			score: c.score, Kind: "security-group",
			Title:  fmt.Sprintf("Allow %s echo request (type %d) %s %s on security group %s (%s of %s)", proto, typ, verb, c.desc, f.groupName(sg), dir, eniOwner(f.st, eni)),
			Detail: "Security groups are stateful: the echo reply to an allowed echo request is allowed back.",
			Commands: []string{fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --ip-permissions 'IpProtocol=%s,FromPort=%d,ToPort=-1,%s'",
				dir, sg, icmpCLIProtocol(proto), typ, cliRange)},
			Scenario: fmt.Sprintf("security_groups:\n  %s:\n    %s:\n      - {protocol: %s, icmp_type: %d, %s}\n", f.groupName(sg), dir, proto, typ, srcYAML),
			apply: func(e *engine.Engine) error {
				_, err := e.AuthorizeSecurityGroup(sg, egress, []engine.IPPermission{perm})
				return err
			},
		})
	}
	return out
}

// networkACLICMP proposes, for a ping a network ACL denied, an allow
// entry for the echo request (type 8) or, on the return path, the echo
// reply (type 0), numbered just below the entry that denied it: network
// ACLs are stateless, so each direction needs its own.
func (f *finder) networkACLICMP(pkt reach.Packet, acl *model.NetworkACL, egress bool, rule int) []Fix {
	proto := protoName(pkt.Protocol)
	typ := icmpEchoType(pkt)
	msg := "echo request"
	if pkt.ICMP == reach.EchoReply {
		msg = "echo reply"
	}
	peer := pkt.Source
	if egress {
		peer = pkt.Destination
	}
	cidr, cidrFlag := "0.0.0.0/0", "--cidr-block"
	if peer.IsValid() && peer.IsPrivate() {
		cidr = peer.String() + "/32"
	}
	if peer.Is6() {
		cidr, cidrFlag = "::/0", "--ipv6-cidr-block"
	}
	if b, ok := f.aclPeerBlock(acl, peer); ok {
		cidr = b.String()
	}
	dir, flag := "ingress", "--ingress"
	if egress {
		dir, flag = "egress", "--egress"
	}
	in := engine.ACLEntryInput{ACLID: acl.ID, RuleNumber: rule, Egress: egress, Action: "allow", Protocol: proto, ICMPType: intp(typ), ICMPCode: intp(-1), CIDR: cidr}
	name := acl.Tags.NameOr(string(acl.ID))
	return []Fix{{
		score: 50, Kind: "network-acl",
		Title:  fmt.Sprintf("Add %s rule %d to network ACL %s: allow %s %s (type %d) %s", dir, rule, name, proto, msg, typ, cidrWord(egress, cidr)),
		Detail: "Network ACLs are stateless: the echo request and the echo reply each need a rule. Rules are evaluated lowest number first.",
		Commands: []string{fmt.Sprintf("aws ec2 create-network-acl-entry --network-acl-id %s %s --rule-number %d --protocol %s --icmp-type-code Type=%d,Code=-1 %s %s --rule-action allow",
			acl.ID, flag, rule, icmpCLIProtocol(proto), typ, cidrFlag, cidr)},
		Scenario: fmt.Sprintf("network_acls:\n  %s:\n    %s:\n      - {rule: %d, protocol: %s, icmp_type: %d, cidr: %q, action: allow}\n", name, dir, rule, proto, typ, cidr),
		apply:    func(e *engine.Engine) error { return e.CreateNetworkACLEntry(in) },
	}}
}

// pingListener: a ping of a load balancer, which answers no ICMP echo
// request (its nodes take only their listeners' protocols). Nothing in
// the system changes: the check that says whether the load balancer works
// is a connection to one of its listeners (the lowest port), as the
// Knowledge Center's "telnet <ALB DNS name> <listener port>" test does.
func (f *finder) pingListener(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	var name string
	var ports []uint16
	udp := map[uint16]bool{}
	if lb := f.st.LoadBalancers[x.Component.ARN]; lb != nil {
		name = lb.Name
		for _, l := range f.st.Listeners {
			if l.LoadBalancerARN == lb.ARN {
				ports = append(ports, l.Port)
				udp[l.Port] = l.Protocol == "UDP"
			}
		}
	} else if clb := f.st.ClassicLoadBalancers[x.Component.ID]; clb != nil {
		name = clb.Name
		for _, l := range clb.Listeners {
			ports = append(ports, uint16(l.LoadBalancerPort))
		}
	}
	if len(ports) == 0 {
		return nil
	}
	slices.Sort(ports)
	port := ports[0]
	proto := "tcp"
	if udp[port] {
		proto = "udp"
	}
	to := fmt.Sprintf("%s:%d", name, port)
	return []Fix{{
		score: 60, Kind: "probe",
		Title:  fmt.Sprintf("Test the listener %s/%d of %s instead of ping (a load balancer answers no ICMP echo)", proto, port, name),
		Detail: "Load balancer nodes take only their listeners' protocols and ports: a ping says nothing about the service. A connection to a listener (curl, nc) does.",
		Commands: []string{
			fmt.Sprintf("nc -vz <DNS name of %s> %d   # or curl -v http://<DNS name of %s>:%d/", name, port, name, port),
		},
		Scenario:     fmt.Sprintf("# no change: probe the listener\nexpect:\n  - {from: %s, to: \"%s\", protocol: %s}\n", f.from, to, proto),
		apply:        func(*engine.Engine) error { return nil },
		Verification: Verification{From: f.from, To: to, Protocol: proto},
	}}
}
