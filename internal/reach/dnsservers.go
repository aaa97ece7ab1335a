package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// dnsServerMiss is why a client cannot ask any of the DNS servers its
// VPC's DHCP options give: each server's address and the finding that
// dropped the query to the first.
type dnsServerMiss struct {
	opts    *model.DhcpOptions
	servers []string
	first   netip.Addr
	verdict Verdict
	blocked *Explanation
	why     string
}

// dnsServersUnreachable checks the way from a client ENI to the DNS
// servers of its VPC's DHCP options set, when they are servers of the
// VPC's own (domain-name-servers IP addresses, without
// AmazonProvidedDNS): a lookup is a UDP query to port 53 of each server in
// turn (the resolver's nameserver order), through the client's security
// groups and network ACLs, its route table, and the server's network ACL
// and security groups, as any packet. The name resolves when one server
// gets the query; it returns nil then, and when a server is not a
// network interface the state knows (on premises, behind a VPN or a
// transit gateway, in an account the source does not hold): ecsnet cannot
// show that it fails. The Amazon-provided DNS server is not filtered by
// security groups or network ACLs (Amazon VPC User Guide, "Amazon DNS
// server").
func (n *Network) dnsServersUnreachable(src *eniNode) *dnsServerMiss {
	v := n.st.VPCs[src.eni.VpcID]
	if v == nil {
		return nil
	}
	o := n.st.DhcpOptions[v.DhcpOptions]
	if o == nil || o.IsDefault {
		return nil
	}
	servers := o.Options["domain-name-servers"]
	if len(servers) == 0 || slices.Contains(servers, "AmazonProvidedDNS") {
		return nil
	}
	var miss *dnsServerMiss
	for _, s := range servers {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return nil // not an address ecsnet can follow
		}
		dst := n.eniAt(src.eni.VpcID, a)
		if dst == nil && n.lazy {
			// A start check's network compiles what it meets: the
			// server's ENI, found by its address.
			dst = n.lazyENIAt(src.eni.VpcID, a)
		}
		if dst == nil {
			dst = n.peeredENI(src, a)
		}
		if dst == nil {
			return nil // a server the state does not hold: taken to answer
		}
		f := flow{srcENI: src, src: src.primary, srcRef: src, sport: DefaultClientPort, dst: a, dport: 53, dstHint: dst}
		t := tracer{n: n, quiet: true, proto: model.UDP, clientPort: DefaultClientPort}
		g := f
		if v, _ := t.connect(&g, nil, nil); v != Timeout && v != NoRoute {
			return nil // the query reaches the server's host
		}
		if miss == nil {
			// The first server's finding, traced again with recording.
			res := &Result{}
			lt := tracer{n: n, res: res, proto: model.UDP, clientPort: DefaultClientPort}
			var fwd, ret []Hop
			vv, _ := lt.connect(&f, &fwd, &ret)
			miss = &dnsServerMiss{opts: o, servers: servers, first: a, verdict: vv, why: "the query gets " + string(vv)}
			if x, i := firstBlocking(res, fwd, ret); x != nil {
				miss.blocked, miss.why = x, clauseOf(&res.Explanations[i])
			}
		}
	}
	return miss
}

// dnsServerUnreachable blocks a query by name whose client cannot reach
// any DNS server of its VPC's DHCP options: the lookup times out and no
// packet leaves for the destination. The deciding component is the one
// that dropped the query (a security group, network ACL or route table).
func (t *tracer) dnsServerUnreachable(fs *flowState, q *Query, m *dnsServerMiss) {
	t.block(fs, NXDomain, func() Explanation { return m.explanation(q.nxName, "client") })
}

// explanation is ECS_DNS_SERVER_UNREACHABLE for a lookup of name by a
// client (who names it), with the component that dropped the query to
// the first server.
func (m *dnsServerMiss) explanation(name, who string) Explanation {
	which := "its DNS server " + m.first.String()
	if len(m.servers) > 1 {
		which = "any of its DNS servers (" + strings.Join(m.servers, ", ") + ")"
	}
	msg := name + " does not resolve: the VPC's DHCP options set " + m.opts.Tags.NameOr(string(m.opts.ID)) + " (" + string(m.opts.ID) +
		") gives DNS servers of its own, and the " + who + " cannot reach " + which + " on udp/53, so the lookup times out: to " + m.first.String() + ", " + m.why
	x := Explanation{Code: CodeDNSServerUnreachable, Path: "forward", Message: msg, clause: msg}
	if b := m.blocked; b != nil {
		x.Component, x.Decided, x.Packet, x.Direction, x.Path = b.Component, b.Decided, b.Packet, b.Direction, b.Path
		x.NetworkInterface, x.SecurityGroups, x.ACLRule, x.Route, x.SecurityGroupRule = b.NetworkInterface, b.SecurityGroups, b.ACLRule, b.Route, b.SecurityGroupRule
		x.Address, x.Protocol, x.Port = b.Address, b.Protocol, b.Port
	}
	return x
}

// lazyENIAt compiles, in a lazy network, the network interface of a VPC
// that holds an address (nil for none).
func (n *Network) lazyENIAt(vpc model.VpcID, a netip.Addr) *eniNode {
	var found *model.NetworkInterface
	for _, e := range n.st.NetworkInterfaces {
		if e.VpcID == vpc && e.HasAddr(a) && (found == nil || e.ID < found.ID) {
			found = e
		}
	}
	if found == nil {
		return nil
	}
	e := n.eni(found.ID)
	if e != nil && e.instance == nil && e.kind == eniHost {
		// The DNS server's instance, as far as a query to it needs: its
		// state (a server on a stopped instance answers nothing).
		if i := n.st.Instances[found.Attachment.InstanceID]; i != nil {
			name := i.Tags.NameOr(string(i.ID))
			e.instance = &instanceNode{inst: i, name: name, running: i.State == model.InstanceRunning, primary: e, enis: []*eniNode{e},
				comp: &Component{Type: "instance", ID: string(i.ID), ARN: n.arn("ec2", "instance/"+string(i.ID)), Name: name}}
			e.instance.sockets = dnsServerSockets(e.instance, dhcpDNSServers(n.st))
		}
	}
	return e
}

// dhcpDNSServers returns, per VPC, the IPv4 addresses its DHCP options
// set gives as domain-name-servers (not AmazonProvidedDNS); nil when no
// VPC has servers of its own.
func dhcpDNSServers(st *model.State) map[model.VpcID][]netip.Addr {
	var out map[model.VpcID][]netip.Addr
	for _, v := range st.VPCs {
		o := st.DhcpOptions[v.DhcpOptions]
		if o == nil || o.IsDefault {
			continue
		}
		for _, s := range o.Options["domain-name-servers"] {
			if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
				if out == nil {
					out = map[model.VpcID][]netip.Addr{}
				}
				out[v.ID] = append(out[v.ID], a)
			}
		}
	}
	return out
}

// dnsServerSockets returns the DNS server's sockets of an instance whose
// network interface holds an address that its VPC's DHCP options give as
// a domain name server: udp/53, where the VPC's clients send their
// queries, and tcp/53, where a resolver asks again when an answer is
// truncated (RFC 7766). The options name the address because a DNS
// server runs there [choice: EC2 does not know what an instance runs;
// without this a query that reaches the server would be refused, and a
// network ACL or group that drops the answer would not be what decides].
// A server of a peered VPC is not given sockets.
func dnsServerSockets(i *instanceNode, servers map[model.VpcID][]netip.Addr) []*socket {
	for _, e := range i.enis {
		if slices.ContainsFunc(servers[e.eni.VpcID], e.eni.HasAddr) {
			out := []*socket{
				{proto: model.UDP, port: 53, kind: "dns", view: &Socket{Kind: "dns", Protocol: "udp", Port: 53}},
				{proto: model.TCP, port: 53, kind: "dns", view: &Socket{Kind: "dns", Protocol: "tcp", Port: 53}},
			}
			slices.SortFunc(out, compareSockets) // findSocket searches a sorted list
			return out
		}
	}
	return nil
}
