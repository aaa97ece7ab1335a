package reach

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// CodePeeringDNSPublicAddress: the destination was given by the public
// IPv4 DNS name EC2 gives an instance's public address
// (ec2-203-0-113-2.compute-1.amazonaws.com), the source is in a VPC
// peered with the instance's, and the peering connection does not let the
// source's VPC resolve that VPC's public DNS names to private addresses
// (AllowDnsResolutionFromRemoteVpc off on the instance's side): the name
// resolves to the public address, so the connection leaves through the
// source's way to the internet instead of the peering connection, and
// arrives from a public address (a NAT gateway's) that rules written for
// the peer VPC's block do not admit ("Enable DNS resolution for a VPC
// peering connection", VPC Peering Guide: "DNS resolution disabled
// (default): The public IPv4 DNS hostname resolves to the public IPv4
// address of the instance").
const CodePeeringDNSPublicAddress = "ECS_PEERING_DNS_PUBLIC_ADDRESS"

// pcxDNSMiss is why an instance's public DNS name resolved to its public
// address from a peered VPC: the connection c does not allow DNS
// resolution on side ("requester" or "accepter"), or it does but the VPC
// vpc has DNS resolution or DNS hostnames off.
type pcxDNSMiss struct {
	c    *model.VpcPeeringConnection
	side string
	vpc  model.VpcID
}

// ec2PublicNameAddr reads the public IPv4 DNS name EC2 gives a public
// address: ec2-A-B-C-D.compute-1.amazonaws.com (us-east-1) or
// ec2-A-B-C-D.REGION.compute.amazonaws.com, and returns the address.
func ec2PublicNameAddr(name string) (netip.Addr, bool) {
	s := strings.TrimSuffix(strings.ToLower(name), ".")
	rest, ok := strings.CutPrefix(s, "ec2-")
	if !ok {
		return netip.Addr{}, false
	}
	label, zone, ok := strings.Cut(rest, ".")
	if !ok || zone != "compute-1.amazonaws.com" && !(strings.HasSuffix(zone, ".compute.amazonaws.com") && !strings.Contains(strings.TrimSuffix(zone, ".compute.amazonaws.com"), ".")) {
		return netip.Addr{}, false
	}
	parts := strings.Split(label, "-")
	if len(parts) != 4 {
		return netip.Addr{}, false
	}
	var b [4]byte
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 255 || p != strconv.Itoa(v) {
			return netip.Addr{}, false
		}
		b[i] = byte(v)
	}
	a := netip.AddrFrom4(b)
	return a, isPublic(a)
}

// ec2PublicName returns an address endpoint for the public DNS name of a
// public address, to be resolved from the query's source (completeQuery):
// until then it is the public address.
func (n *Network) ec2PublicName(s string, ep Endpoint) (Endpoint, bool) {
	a, ok := ec2PublicNameAddr(s)
	if !ok {
		return ep, false
	}
	x := n.addressEndpoint(ep, a)
	x.ec2name, x.lookup = true, strings.TrimSuffix(strings.ToLower(s), ".")
	return x, true
}

// resolveEC2PublicName resolves q.To, given by an instance's public DNS
// name, from q.From, as the Amazon-provided DNS server does (Amazon VPC
// User Guide, "DNS attributes for your VPC": the public DNS hostname
// "resolves to the public IPv4 address of the instance outside the
// network of the instance, and to the private IPv4 address of the
// instance from within the network of the instance"): from the
// interface's own VPC to its private address when the VPC has DNS
// hostnames on (else the interface has no public DNS hostname); from a
// VPC peered with it to the private address only when the connection is
// active, the interface's side allows DNS resolution from the remote VPC
// and both VPCs have DNS support and DNS hostnames on (VPC Peering Guide,
// "Enable DNS resolution for a VPC peering connection"); anywhere else
// (the internet, a VPC whose DNS servers do not forward to the Resolver)
// to the public address.
func (n *Network) resolveEC2PublicName(q *Query) {
	e := q.To.eni
	vpc := sourceVPC(&q.From)
	if e == nil || vpc == "" || e.public != q.To.Address || n.privateZonesHidden(vpc) != nil {
		return
	}
	owner := n.st.VPCs[e.eni.VpcID]
	src := n.st.VPCs[vpc]
	if owner == nil || src == nil {
		return
	}
	if !owner.EnableDNSHostnames && vpc == owner.ID {
		return // the interface has no public DNS name: the public answer
	}
	name := q.To.lookup
	private := func(why string) {
		x := n.addressEndpoint(Endpoint{Spec: q.To.Spec, Port: q.To.Port}, e.primary)
		x.ec2name, x.lookup = true, name
		q.To = x
		q.r53note = name + " is the public DNS name of " + e.comp.Label() + "'s public address " + e.public.String() + "; " + why + ", so it resolves to the private address " + e.primary.String()
	}
	if vpc == owner.ID {
		private("asked from inside its VPC " + owner.Tags.NameOr(string(owner.ID)))
		return
	}
	for _, c := range n.st.VpcPeerings {
		peer, ok := c.Peer(vpc)
		if c.Status != "active" || !ok || peer != owner.ID {
			continue
		}
		allow := c.RequesterAllowDNS
		side := "requester"
		if c.AccepterVpc == owner.ID {
			allow, side = c.AccepterAllowDNS, "accepter"
		}
		label := c.Tags.NameOr(string(c.ID))
		var off *model.VPC // a VPC without DNS resolution or DNS hostnames
		for _, v := range []*model.VPC{owner, src} {
			if off == nil && (!v.EnableDNSSupport || !v.EnableDNSHostnames) {
				off = v
			}
		}
		if allow && off == nil {
			private("the VPC peering connection " + label + " lets the VPC " + src.Tags.NameOr(string(src.ID)) + " resolve the public DNS names of the VPC " + owner.Tags.NameOr(string(owner.ID)) + " to private addresses")
			return
		}
		q.pcxDNS = &pcxDNSMiss{c: c, side: side}
		if allow {
			// The option is on, but it takes both VPCs' DNS attributes.
			q.pcxDNS.vpc = off.ID
			q.r53note = name + " is the public DNS name of " + e.comp.Label() + "'s public address " + e.public.String() + ", in the VPC " + owner.Tags.NameOr(string(owner.ID)) +
				", peered with the source's VPC " + src.Tags.NameOr(string(src.ID)) + " by " + label + ", which allows DNS resolution from the remote VPC on the " + side +
				" side; but the VPC " + off.Tags.NameOr(string(off.ID)) + " has " + dnsAttrsOff(off) + " (both VPCs need DNS resolution and DNS hostnames), so the name resolves to the public address, and the connection goes out to the internet instead of through the peering connection"
			return
		}
		q.r53note = name + " is the public DNS name of " + e.comp.Label() + "'s public address " + e.public.String() + ", in the VPC " + owner.Tags.NameOr(string(owner.ID)) +
			", peered with the source's VPC " + src.Tags.NameOr(string(src.ID)) + " by " + label + "; the connection does not allow DNS resolution from the remote VPC on the " + side +
			" side (AllowDnsResolutionFromRemoteVpc, default off), so the name resolves to the public address, and the connection goes out to the internet instead of through the peering connection"
		return
	}
}

// dnsAttrsOff names the DNS attributes a VPC has off.
func dnsAttrsOff(v *model.VPC) string {
	switch {
	case !v.EnableDNSSupport && !v.EnableDNSHostnames:
		return "DNS resolution and DNS hostnames off (enableDnsSupport, enableDnsHostnames)"
	case !v.EnableDNSSupport:
		return "DNS resolution off (enableDnsSupport)"
	}
	return "DNS hostnames off (enableDnsHostnames)"
}

// PeeringDNSAttributesOff reports the VPC whose DNS resolution or DNS
// hostnames are off while the peering connection's option is on, so that
// the query's destination name resolved to a public address.
func (q *Query) PeeringDNSAttributesOff() (model.VpcID, bool) {
	if q.pcxDNS == nil || q.pcxDNS.vpc == "" {
		return "", false
	}
	return q.pcxDNS.vpc, true
}

// PeeringDNSPublic reports the VPC peering connection whose DNS option
// made the query's destination name resolve to a public address, and the
// side ("requester" or "accepter") whose option is off.
func (q *Query) PeeringDNSPublic() (*model.VpcPeeringConnection, string, bool) {
	if q.pcxDNS == nil {
		return nil, "", false
	}
	return q.pcxDNS.c, q.pcxDNS.side, true
}

// peeringDNSPublic explains a failed probe to a name that resolved to a
// public address for want of the peering connection's DNS option.
func (t *tracer) peeringDNSPublic() {
	if t.pcxDNSNote == "" || t.quiet || t.res.Reachable {
		return
	}
	m := t.pcxDNSNote
	t.res.Explanations = append(t.res.Explanations, Explanation{Code: CodePeeringDNSPublicAddress, Path: "forward", Message: m, clause: m})
}
