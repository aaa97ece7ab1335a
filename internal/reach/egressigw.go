package reach

// An egress VPC whose transit gateway attachment subnets route the
// internet straight to the internet gateway, with no NAT gateway on the
// way: the packets from the spoke VPCs keep their private source
// addresses, which are not addresses of the egress VPC's interfaces, let
// alone ones with a public IPv4 address. An internet gateway translates
// only the private addresses of its own VPC's interfaces that have a
// public IPv4 address or Elastic IP (VPC User Guide, "Enable internet
// access": "instances must have a public IPv4 address or an Elastic IP
// address", the internet gateway "performs network address translation
// ... for instances that have been assigned public IPv4 addresses"), so
// it drops them and the client times out. The whitepaper "Centralized
// egress to internet" routes the attachment subnets' 0.0.0.0/0 to a NAT
// gateway, in a public subnet whose 0.0.0.0/0 goes to the internet
// gateway.

// attachmentToIGW records the drop of a packet, handed by a transit
// gateway leg to attachment subnet sub, that sub's route rr sends to
// the egress VPC's internet gateway.
func (t *tracer) attachmentToIGW(fs *flowState, f *flow, path *[]Hop, sub *subnetNode, leg tgwLeg, rr *rtRoute, p Packet) {
	n := t.n
	t.add(path, false, Hop{Action: ActionRouted, Component: n.tgwAttachComp(leg.to), Subnet: sub.comp, Packet: p})
	t.add(path, false, Hop{Action: ActionRouted, Component: sub.rt.comp, Subnet: sub.comp, Packet: p, Route: rr.view})
	t.aclCheck(fs, path, false, sub, true, p)
	igw := sub.vpc.igwC
	vpc := sub.vpc.comp.Label()
	seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: igw, Packet: p, Route: rr.view})
	t.block(fs, Timeout, func() Explanation {
		m := "route table " + sub.rt.comp.Label() + " of the transit gateway attachment's subnet " + sub.comp.Label() + " in " + vpc + " sends " + f.dst.String() +
			" straight to the internet gateway " + igw.Label() + ", but the packet's source " + p.Source.String() + " is a private address of another VPC, with no public IPv4 address: the internet gateway translates only its own VPC's interfaces that have one, and drops it. " +
			"Route " + rr.prefix.String() + " from the attachment subnets to a NAT gateway in a public subnet of " + vpc + " (centralized egress), whose subnet routes 0.0.0.0/0 to the internet gateway and the spoke VPCs back to the transit gateway"
		return Explanation{Code: CodeIGWPublicIPEgress, Path: "forward", Hop: seq, Component: sub.rt.comp, Route: rr.view, Address: f.dst, Message: m, clause: m}
	})
}
