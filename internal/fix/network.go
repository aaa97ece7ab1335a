package fix

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// networkACL proposes an allow entry numbered just below the entry that
// denied the packet. A reply on the return path needs the client's
// ephemeral ports, so that entry opens model.EphemeralPorts, 1024-65535
// (what AWS recommends).
func (f *finder) networkACL(x reach.Explanation) []Fix {
	if x.ACLRule == nil {
		return nil
	}
	acl := f.st.NetworkACLs[model.NetworkACLID(x.ACLRule.NetworkACLID)]
	pkt, ok := f.hopPacket(x)
	if acl == nil || !ok {
		return nil
	}
	egress := x.ACLRule.Egress
	rule := freeRuleBelow(acl, egress, x.ACLRule.RuleNumber)
	if rule == 0 {
		return nil
	}
	proto := protoName(pkt.Protocol)
	if pkt.ICMP != 0 {
		return f.networkACLICMP(pkt, acl, egress, rule)
	}
	from, to := int(pkt.DestinationPort), int(pkt.DestinationPort)
	ports := fmt.Sprint(from)
	if x.Path == "return" {
		r := model.EphemeralPorts()
		from, to, ports = int(r.First), int(r.Last), r.String()
	}
	cidr := "0.0.0.0/0"
	peer := pkt.Source
	if egress {
		peer = pkt.Destination
	}
	if peer.IsValid() && peer.IsPrivate() {
		cidr = peer.String() + "/32"
		// A load balancer's nodes: every node (one per zone, their
		// addresses change as the load balancer scales) needs the rule,
		// so it names the VPC's range that holds them. An ECS task's ENI
		// alike: every task of the service needs it, and a replaced task
		// gets a new address (the recommended rules name the VPC CIDR,
		// elb-vpc-network-acls.html). An address of the VPC that no
		// interface holds any more is a task's that stopped before it ran
		// (the start path: its ENI went with it), and its replacement
		// gets another address: the VPC's range too.
		if n := f.eniAt(acl.VpcID, peer.String()); n == nil || n.OwnerKind == model.OwnedByLoadBalancer || n.OwnerKind == model.OwnedByClassicLoadBalancer || n.OwnerKind == model.OwnedByECSTask {
			if v := f.st.VPCs[acl.VpcID]; v != nil {
				for _, c := range append([]netip.Prefix{v.CIDR}, v.Secondary...) {
					if c.Contains(peer) {
						cidr = c.String()
						break
					}
				}
			}
		}
	}
	cidrFlag := "--cidr-block"
	if peer.Is6() {
		cidr, cidrFlag = "::/0", "--ipv6-cidr-block"
		if vpc := f.st.VPCs[acl.VpcID]; vpc != nil && len(vpc.IPv6) > 0 && vpc.IPv6[0].CIDR.Contains(peer) {
			cidr = peer.String() + "/128"
		}
	}
	if b, ok := f.aclPeerBlock(acl, peer); ok {
		cidr = b.String()
	}
	dir, flag := "ingress", "--ingress"
	if egress {
		dir, flag = "egress", "--egress"
	}
	in := engine.ACLEntryInput{ACLID: acl.ID, RuleNumber: rule, Egress: egress, Action: "allow", Protocol: proto, FromPort: intp(from), ToPort: intp(to), CIDR: cidr}
	name := acl.Tags.Name()
	if name == "" {
		name = string(acl.ID)
	}
	return []Fix{{
		score: 50, Kind: "network-acl",
		Title:  fmt.Sprintf("Add %s rule %d to network ACL %s: allow %s %s %s", dir, rule, name, proto, ports, cidrWord(egress, cidr)),
		Detail: "Network ACLs are stateless: the reply needs its own rule. Rules are evaluated lowest number first.",
		Commands: []string{fmt.Sprintf("aws ec2 create-network-acl-entry --network-acl-id %s %s --rule-number %d --protocol %s --port-range From=%d,To=%d %s %s --rule-action allow",
			acl.ID, flag, rule, proto, from, to, cidrFlag, cidr)},
		Scenario: fmt.Sprintf("network_acls:\n  %s:\n    %s:\n      - {rule: %d, protocol: %s, ports: %s, cidr: %q, action: allow}\n", name, dir, rule, proto, ports, cidr),
		apply:    func(e *engine.Engine) error { return e.CreateNetworkACLEntry(in) },
	}}
}

// networkACLBoth: a connection that two network ACL entries stop (the
// request in and its reply out, as a stateless ACL written for other
// peers drops both) needs both rules at once: no single entry makes the
// probe succeed. The first entry each blocking explanation proposes, in
// one fix.
func (f *finder) networkACLBoth() []Fix {
	var parts []Fix
	for _, x := range f.res.Blocking() {
		if x.Code != reach.CodeSubnetACLRestriction {
			continue
		}
		if fx := f.networkACL(x); len(fx) > 0 {
			parts = append(parts, fx[0])
		}
	}
	if len(parts) < 2 {
		return nil
	}
	return combineACL(parts)
}

// combineACL makes one fix of network ACL entries (each part one entry).
func combineACL(parts []Fix) []Fix {
	var titles, cmds []string
	// The scenario snippet: one block per ACL, its rules per direction.
	type key struct{ acl, dir string }
	var order []key
	rules := map[key][]string{}
	for i, p := range parts {
		t := p.Title
		if i > 0 {
			t = strings.Replace(t, "Add ", "add ", 1)
		}
		titles = append(titles, t)
		cmds = append(cmds, p.Commands...)
		lines := strings.Split(strings.TrimSuffix(p.Scenario, "\n"), "\n")
		if len(lines) != 4 {
			return nil
		}
		k := key{strings.TrimSuffix(strings.TrimSpace(lines[1]), ":"), strings.TrimSuffix(strings.TrimSpace(lines[2]), ":")}
		if _, ok := rules[k]; !ok {
			order = append(order, k)
		}
		rules[k] = append(rules[k], lines[3])
	}
	var yaml strings.Builder
	yaml.WriteString("network_acls:\n")
	last := ""
	for _, k := range order {
		if k.acl != last {
			fmt.Fprintf(&yaml, "  %s:\n", k.acl)
			last = k.acl
		}
		fmt.Fprintf(&yaml, "    %s:\n%s\n", k.dir, strings.Join(rules[k], "\n"))
	}
	applies := make([]func(*engine.Engine) error, len(parts))
	for i := range parts {
		applies[i] = parts[i].apply
	}
	return []Fix{{
		score: 48, Kind: "network-acl",
		Title:    strings.Join(titles, ", and "),
		Detail:   "Network ACLs are stateless: the request and its reply each need a rule, in the subnet's ACL on each side. Rules are evaluated lowest number first.",
		Commands: cmds,
		Scenario: yaml.String(),
		apply: func(e *engine.Engine) error {
			for _, a := range applies {
				if err := a(e); err != nil {
					return err
				}
			}
			return nil
		},
	}}
}

func cidrWord(egress bool, cidr string) string {
	if egress {
		return "to " + cidr
	}
	return "from " + cidr
}

// freeRuleBelow returns the highest free rule number below limit (so the
// new entry is evaluated before it), or 0.
func freeRuleBelow(acl *model.NetworkACL, egress bool, limit int) int {
	used := map[int]bool{}
	for _, e := range acl.Entries {
		if e.Egress == egress {
			used[e.RuleNumber] = true
		}
	}
	if limit == model.ImplicitDenyRule {
		// Nothing before the final deny matched, so any free number works:
		// the conventional 100, 110, …
		for n := 100; n < model.ImplicitDenyRule; n += 10 {
			if !used[n] {
				return n
			}
		}
		return 0
	}
	start := limit - 1
	for n := start; n >= 1; n-- {
		if !used[n] {
			return n
		}
	}
	return 0
}

// routeIPv6 proposes ::/0 to the internet gateway (which lets the
// internet in), or for a source that only goes out, to an egress-only
// internet gateway when the VPC has no internet gateway.
func (f *finder) routeIPv6(x reach.Explanation, rt *model.RouteTable, igw *model.InternetGateway) []Fix {
	in := engine.RouteInput{RouteTableID: rt.ID, DestinationIPv6CIDR: "::/0"}
	target, targetName, flag := "", "", ""
	switch {
	case igw != nil:
		in.GatewayID, target, flag = string(igw.ID), "internet gateway", "--gateway-id "+string(igw.ID)
		targetName = igw.Tags.NameOr(string(igw.ID))
	case x.Code != reach.CodeEgressOnlyInbound:
		g := f.st.VpcEgressOnlyIGW(rt.VpcID)
		if g == nil {
			return nil
		}
		in.EgressOnlyIGWID, target, flag = g.ID, "egress-only internet gateway", "--egress-only-internet-gateway-id "+string(g.ID)
		targetName = g.Tags.NameOr(string(g.ID))
	default:
		return nil
	}
	replace := false
	for _, r := range rt.Routes {
		replace = replace || r.Destination.String() == "::/0"
	}
	verb, call := "create-route", func(e *engine.Engine) error { return e.CreateRoute(in) }
	if replace {
		verb, call = "replace-route", func(e *engine.Engine) error { return e.ReplaceRoute(in) }
	}
	name := rt.Tags.NameOr(string(rt.ID))
	return []Fix{{
		score: 60, Kind: "route",
		Title:    fmt.Sprintf("Route ::/0 to %s %s in route table %s", target, targetName, name),
		Commands: []string{fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-ipv6-cidr-block ::/0 %s", verb, rt.ID, flag)},
		Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: \"::/0\", target: %s}\n", name, targetName),
		apply:    call,
	}}
}

// assignIPv6 proposes an IPv6 address for an instance's or a user ENI
// that has none, in a subnet with an IPv6 block. (A task's ENI gets its
// address from ECS when it starts: no single call gives it one.)
func (f *finder) assignIPv6(x reach.Explanation) []Fix {
	if x.Component != nil && x.Component.Type == "load-balancer" {
		return f.dualStackLB(x)
	}
	if x.NetworkInterface == nil {
		return nil
	}
	n := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.NetworkInterface.ID)]
	if n == nil || n.OwnerKind == model.OwnedByECSTask || n.RequesterManaged {
		return nil
	}
	if s := f.st.Subnets[n.SubnetID]; s == nil || len(s.IPv6) == 0 {
		return nil
	}
	id := n.ID
	return []Fix{{
		score: 40, Kind: "ipv6-address",
		Title:    fmt.Sprintf("Assign an IPv6 address to %s (%s)", eniOwner(f.st, n), id),
		Commands: []string{fmt.Sprintf("aws ec2 assign-ipv6-addresses --network-interface-id %s --ipv6-address-count 1", id)},
		Scenario: "# ipv6_addresses: 1 on the instance (or assign_ipv6_on_creation: true on its subnet)\n",
		apply: func(e *engine.Engine) error {
			_, err := e.AssignIPv6Addresses(id, 1, nil)
			return err
		},
	}}
}

// route proposes a default route to the VPC's internet gateway for the
// route table that had none (or a blackhole).
func (f *finder) route(x reach.Explanation) []Fix {
	var rt *model.RouteTable
	if x.Route != nil {
		rt = f.st.RouteTables[model.RouteTableID(x.Route.RouteTableID)]
	}
	if rt == nil && x.Component != nil {
		rt = f.st.RouteTables[model.RouteTableID(x.Component.ID)]
	}
	if rt == nil {
		return nil
	}
	igw := f.st.VpcInternetGateway(rt.VpcID)
	if x.Code == reach.CodeEgressOnlyInbound || x.Address.Is6() {
		return f.routeIPv6(x, rt, igw)
	}
	if igw == nil {
		return nil
	}
	replace := false
	for _, r := range rt.Routes {
		if r.Destination.String() == "0.0.0.0/0" {
			replace = true
		}
	}
	in := engine.RouteInput{RouteTableID: rt.ID, DestinationCIDR: "0.0.0.0/0", GatewayID: string(igw.ID)}
	verb, call := "create-route", func(e *engine.Engine) error { return e.CreateRoute(in) }
	if replace {
		verb, call = "replace-route", func(e *engine.Engine) error { return e.ReplaceRoute(in) }
	}
	name := rt.Tags.Name()
	if name == "" {
		name = string(rt.ID)
	}
	igwName := igw.Tags.Name()
	if igwName == "" {
		igwName = string(igw.ID)
	}
	return []Fix{{
		score: 60, Kind: "route",
		Title:    fmt.Sprintf("Route 0.0.0.0/0 to internet gateway %s in route table %s", igwName, name),
		Commands: []string{fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block 0.0.0.0/0 --gateway-id %s", verb, rt.ID, igw.ID)},
		Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: 0.0.0.0/0, target: %s}\n", name, igwName),
		apply:    call,
	}}
}

// publicLBSubnets: an internet-facing load balancer whose node sits in a
// subnet without a default route to the internet gateway answers by the
// wrong way. SetSubnets moves its nodes to the VPC's public subnets of
// the same zones (the targets stay where they are: the load balancer
// reaches them by their private addresses).
func (f *finder) publicLBSubnets() []Fix {
	if f.q.To.Kind != reach.KindLoadBalancer {
		return nil
	}
	lb := f.st.LoadBalancers[f.q.To.ARN]
	if lb == nil || lb.Scheme != "internet-facing" {
		return nil
	}
	byZone := map[string]*model.Subnet{}
	for _, s := range f.publicSubnets(lb.VpcID) {
		byZone[s.AvailabilityZone] = s
	}
	var ids []model.SubnetID
	var names, cli []string
	changed := false
	for _, nd := range lb.Nodes {
		s := byZone[nd.AvailabilityZone]
		if s == nil {
			return nil // no public subnet in that zone: a new one is a design choice
		}
		changed = changed || s.ID != nd.SubnetID
		ids = append(ids, s.ID)
		names = append(names, s.Tags.NameOr(string(s.ID)))
		cli = append(cli, string(s.ID))
	}
	if !changed {
		return nil
	}
	arn := lb.ARN
	return []Fix{{
		score: 20, Kind: "load-balancer",
		Title:    fmt.Sprintf("Move the load balancer %s to the public subnets %s (SetSubnets)", lb.Name, strings.Join(names, ", ")),
		Detail:   "An internet-facing load balancer's nodes must be in subnets whose route table sends 0.0.0.0/0 to the internet gateway, or their replies leave by another way.",
		Commands: []string{fmt.Sprintf("aws elbv2 set-subnets --load-balancer-arn %s --subnets %s", arn, strings.Join(cli, " "))},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    subnets: [%s]\n", lb.Name, strings.Join(names, ", ")),
		apply: func(e *engine.Engine) error {
			_, err := e.SetSubnets(arn, ids, nil)
			return err
		},
	}}
}

// targetZones: the targets run in Availability Zones the load balancer
// has no subnet in (Target.NotInUse). SetSubnets keeps the load
// balancer's subnets and adds one in each of the targets' zones: a
// public one for an internet-facing load balancer, any for an internal
// one.
func (f *finder) targetZones() []Fix {
	if f.q.To.Kind != reach.KindLoadBalancer {
		return nil
	}
	lb := f.st.LoadBalancers[f.q.To.ARN]
	if lb == nil {
		return nil
	}
	has := map[string]bool{}
	var ids []model.SubnetID
	for _, nd := range lb.Nodes {
		has[nd.AvailabilityZone] = true
		ids = append(ids, nd.SubnetID)
	}
	candidates := f.lbSubnetCandidates(lb.VpcID, lb.Scheme)
	// The target groups the load balancer's listeners forward to.
	var tgs []string
	for _, l := range f.st.Listeners {
		if l.LoadBalancerARN != lb.ARN {
			continue
		}
		for _, a := range l.DefaultActions {
			tgs = append(tgs, a.ForwardTargetGroups()...)
		}
	}
	for _, r := range f.st.ListenerRules {
		if l := f.st.Listeners[r.ListenerARN]; l != nil && l.LoadBalancerARN == lb.ARN {
			for _, a := range r.Actions {
				tgs = append(tgs, a.ForwardTargetGroups()...)
			}
		}
	}
	slices.Sort(tgs)
	tgs = slices.Compact(tgs)
	var names []string
	for _, tg := range tgs {
		for _, h := range reach.TargetHealth(f.n, tg) {
			z := h.Target.AvailabilityZone
			if h.Reason != reach.ReasonNotInUse || z == "" || has[z] {
				continue
			}
			for _, s := range candidates {
				if s.AvailabilityZone == z {
					has[z] = true
					ids = append(ids, s.ID)
					names = append(names, s.Tags.NameOr(string(s.ID)))
					break
				}
			}
		}
	}
	if len(names) == 0 {
		return nil // no subnet in those zones: a new one is a design choice
	}
	slices.Sort(names)
	cli := make([]string, len(ids))
	var all []string
	for i, id := range ids {
		cli[i] = string(id)
		all = append(all, f.st.Subnets[id].Tags.NameOr(string(id)))
	}
	arn := lb.ARN
	return []Fix{{
		score: 20, Kind: "load-balancer",
		Title:    fmt.Sprintf("Enable the targets' zones on the load balancer %s: add the subnets %s (SetSubnets)", lb.Name, strings.Join(names, ", ")),
		Detail:   "A load balancer sends only to targets in the Availability Zones it has a subnet in; the others are unused (Target.NotInUse).",
		Commands: []string{fmt.Sprintf("aws elbv2 set-subnets --load-balancer-arn %s --subnets %s", arn, strings.Join(cli, " "))},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    subnets: [%s]\n", lb.Name, strings.Join(all, ", ")),
		apply: func(e *engine.Engine) error {
			_, err := e.SetSubnets(arn, ids, nil)
			return err
		},
	}}
}

// publicIPv4LB gives an internet-facing load balancer of type
// dualstack-without-public-ipv4 its public IPv4 addresses back
// (SetIpAddressType dualstack), for IPv4 clients; its security group must
// admit them on the probed port (0.0.0.0/0 added when no rule does, the
// verification says whether one is needed).
func (f *finder) publicIPv4LB(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	lb := f.st.LoadBalancers[x.Component.ARN]
	if lb == nil || lb.IPAddressType != "dualstack-without-public-ipv4" {
		return nil
	}
	arn := lb.ARN
	return []Fix{{
		score: 20, Kind: "load-balancer",
		Title:    fmt.Sprintf("Make the load balancer %s dualstack (public IPv4 addresses for IPv4 clients)", lb.Name),
		Detail:   "A dualstack-without-public-ipv4 load balancer's DNS name answers AAAA records only on the internet: IPv4 clients find nothing to connect to. Dualstack gives each node a public IPv4 address too (billed as public IPv4 addresses are).",
		Commands: []string{fmt.Sprintf("aws elbv2 set-ip-address-type --load-balancer-arn %s --ip-address-type dualstack", arn)},
		Scenario: fmt.Sprintf("load_balancers:\n  %s:\n    ip_address_type: dualstack\n", lb.Name),
		apply: func(e *engine.Engine) error {
			_, err := e.SetIPAddressType(arn, "dualstack")
			return err
		},
	}}
}

// dualStackLB makes an IPv4 load balancer dualstack (SetIpAddressType;
// its subnets need IPv6 CIDR blocks, or AWS refuses and the fix is not
// offered), and lets IPv6 clients in on the probed port through its
// first security group (a group has no ::/0 inbound rule of its own).
func (f *finder) dualStackLB(x reach.Explanation) []Fix {
	lb := f.st.LoadBalancers[x.Component.ARN]
	if lb == nil {
		return nil
	}
	arn, port := lb.ARN, int(f.res.Port)
	var sg model.SecurityGroupID
	if len(lb.SecurityGroups) > 0 {
		sg = lb.SecurityGroups[0]
	}
	cmds := []string{fmt.Sprintf("aws elbv2 set-ip-address-type --load-balancer-arn %s --ip-address-type dualstack", arn)}
	scenario := fmt.Sprintf("load_balancers:\n  %s:\n    ip_address_type: dualstack\n", lb.Name)
	title := fmt.Sprintf("Make the load balancer %s dualstack", lb.Name)
	if sg != "" {
		cmds = append(cmds, fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --ip-permissions 'IpProtocol=tcp,FromPort=%d,ToPort=%d,Ipv6Ranges=[{CidrIpv6=::/0}]'", sg, port, port))
		scenario += fmt.Sprintf("security_groups:\n  %s:\n    ingress:\n      - {protocol: tcp, ports: %d, cidr: \"::/0\"}\n", f.groupName(sg), port)
		title += fmt.Sprintf(", and allow tcp/%d from ::/0 on security group %s", port, f.groupName(sg))
	}
	return []Fix{{
		score: 20, Kind: "load-balancer", Title: title,
		Detail:   "Its DNS name then answers AAAA records with an IPv6 address of each node; the targets still get IPv4 connections from the nodes.",
		Commands: cmds, Scenario: scenario,
		apply: func(e *engine.Engine) error {
			if _, err := e.SetIPAddressType(arn, "dualstack"); err != nil {
				return err
			}
			if sg == "" {
				return nil
			}
			perm := engine.IPPermission{Protocol: "tcp", FromPort: intp(port), ToPort: intp(port), IPv6CIDRs: []engine.RuleSource{{Value: "::/0"}}}
			if _, err := e.AuthorizeSecurityGroup(sg, false, []engine.IPPermission{perm}); err != nil && !strings.Contains(err.Error(), "Duplicate") {
				return err
			}
			return nil
		},
	}}
}

// lbSubnetCandidates lists the subnets a load balancer of vpc could be
// given: the public ones for an internet-facing one, else every subnet of
// the VPC, by CIDR.
func (f *finder) lbSubnetCandidates(vpc model.VpcID, scheme string) []*model.Subnet {
	if scheme == "internet-facing" {
		return f.publicSubnets(vpc)
	}
	var out []*model.Subnet
	for _, s := range f.st.Subnets {
		if s.VpcID == vpc {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b *model.Subnet) int { return strings.Compare(a.CIDR.String(), b.CIDR.String()) })
	return out
}
