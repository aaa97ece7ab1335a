package reach

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// throughRegionalNAT carries a packet of S's subnet to a regional NAT
// gateway (AvailabilityMode regional): a gateway of the VPC, in no subnet
// of it, that translates each zone's traffic to its address in that zone
// and sends it on to the VPC's internet gateway by its own route table
// (docs/aws-behavior.md, "Regional NAT gateways"). Only the source
// subnet's network ACL applies on the way. A zone the gateway has no
// address in (manual mode, the zone not among its
// AvailabilityZoneAddresses) is not served: CodeRegionalNATZoneNotServed.
func (t *tracer) throughRegionalNAT(fs *flowState, f *flow, path *[]Hop, S *eniNode, rr *rtRoute, ng *natNode, p Packet) arrival {
	t.aclCheck(fs, path, false, S.subnet, true, p)
	if ng.ng.State != "available" {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: ng.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "NAT gateway " + ng.comp.Label() + " is " + ng.ng.State + ", not available, so it forwards nothing"
			return Explanation{Code: CodeBadState, Path: "forward", Hop: seq, Component: ng.comp, Message: m, clause: m}
		})
		return arrival{}
	}
	zone := S.subnet.subnet.AvailabilityZone
	za, ok := ng.ng.ZoneAddress(zone)
	if !ok {
		seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: ng.comp, Subnet: S.subnet.comp, Packet: p})
		t.block(fs, Timeout, func() Explanation {
			m := "regional NAT gateway " + ng.comp.Label() + " has no address in " + zone + ", the zone of subnet " + S.subnet.comp.Label() +
				" (it serves " + servedZones(ng.ng) + "; with AvailabilityZoneAddresses it serves only the zones listed), so it translates nothing from there" +
				"; associate an Elastic IP with it in " + zone + " (associate-nat-gateway-address --availability-zone " + zone + ")"
			return Explanation{Code: CodeRegionalNATZoneNotServed, Path: "forward", Hop: seq, Component: ng.comp, Route: rr.view, Message: m, clause: m}
		})
		return arrival{}
	}
	vpc := S.subnet.vpc
	if vpc.igwC == nil {
		seq := t.add(path, false, Hop{Action: ActionNoRoute, Blocked: true, Component: ng.comp, Packet: p})
		t.block(fs, NoRoute, func() Explanation {
			m := "regional NAT gateway " + ng.comp.Label() + " sends the internet's traffic to its VPC's internet gateway, and the VPC has none attached"
			return Explanation{Code: CodeCannotRoute, Path: "forward", Hop: seq, Component: ng.comp, Message: m, clause: m}
		})
		return arrival{}
	}
	p.Source = za.PublicIP
	if nat64Prefix.Contains(p.Destination) {
		p.Destination = f.dst
	}
	seq := t.add(path, false, Hop{Action: ActionTranslated, Component: ng.comp, Packet: p,
		Note: "a regional NAT gateway translates a zone's traffic to its address in that zone (" + zone + ")"})
	t.info(func() Explanation {
		m := "the regional NAT gateway rewrites the source to " + za.PublicIP.String() + ", its address in " + zone + ", and the source port to one of " + model.EphemeralPorts().String()
		if t.echo {
			m = "the regional NAT gateway rewrites the source to " + za.PublicIP.String() + ", its address in " + zone + ", and the echo identifier"
		}
		return Explanation{Code: CodeRemapEphemeralPort, Path: "forward", Hop: seq, Component: ng.comp, Message: m}
	})
	if t.port25Drop(fs, path, ng.comp, f, p) {
		return arrival{}
	}
	t.add(path, false, Hop{Action: ActionRouted, Component: vpc.igwC, Packet: p})
	a := t.fromInternet(fs, f, path, za.PublicIP)
	a.kind, a.nat = viaNAT, ng
	return a
}

// throughRegionalNATBack carries the reply back: the internet gateway to
// the gateway's address in the source's zone, the gateway back to the
// source, the source subnet's inbound ACL.
func (t *tracer) throughRegionalNATBack(fs *flowState, f *flow, path *[]Hop, p Packet, ng *natNode) {
	S := f.srcENI
	t.add(path, true, Hop{Action: ActionRouted, Component: S.subnet.vpc.igwC, Packet: p})
	p.Destination = f.src
	t.add(path, true, Hop{Action: ActionTranslated, Component: ng.comp, Packet: p})
	t.aclCheck(fs, path, true, S.subnet, false, p)
	t.received(path, S, p)
}

// servedZones names the zones a regional NAT gateway has addresses in.
func servedZones(ng *model.NatGateway) string {
	var zs []string
	for _, a := range ng.ZoneAddresses {
		if len(zs) == 0 || zs[len(zs)-1] != a.Zone {
			zs = append(zs, a.Zone)
		}
	}
	if len(zs) == 0 {
		return "no zone"
	}
	return strings.Join(zs, ", ")
}

// regionalNATInbound drops a connection from the internet to one of a
// regional NAT gateway's addresses: as a zonal one, it carries only
// connections that start inside the VPC.
func (t *tracer) regionalNATInbound(fs *flowState, path *[]Hop, ng *natNode, p Packet) {
	seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: ng.comp, Packet: p})
	t.block(fs, Timeout, func() Explanation {
		m := p.Destination.String() + " belongs to regional NAT gateway " + ng.comp.Label() + ", which only carries connections that start inside the VPC: nothing enters through a NAT gateway"
		return Explanation{Code: CodeNATNoInbound, Path: "forward", Hop: seq, Component: ng.comp, Address: p.Destination, Message: m, clause: m}
	})
}
