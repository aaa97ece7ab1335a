package reach

import (
	"net/netip"

	"github.com/ecsnet/ecsnet/internal/model"
)

// applianceModeOff is lint's check of inspection VPCs behind a transit
// gateway (inspection.go): a VPC attachment without appliance mode whose
// subnets send the same destinations to a different inspection point in
// each zone (an appliance or endpoint per zone) drops the replies of
// flows between zones, as each direction reaches the appliance of its
// sender's zone (ECS_APPLIANCE_ASYMMETRIC_ROUTING, without a probe).
func (l *linter) applianceModeOff() {
	n := l.n
	t := &tracer{n: n, quiet: true}
	type point struct {
		zone string
		by   *Component
	}
	for _, a := range sortedMap(n.st.TransitGatewayAttachments) {
		if a.ResourceType != model.TGWAttachVPC || a.ApplianceModeSupport == "enable" || a.State == "deleted" || len(a.SubnetIDs) < 2 {
			continue
		}
		seen := map[netip.Prefix]point{}
	subnets:
		for _, id := range a.SubnetIDs {
			sn := n.subnet(id)
			if sn == nil || sn.rt == nil {
				continue
			}
			zone := sn.subnet.AvailabilityZone
			for _, rr := range sn.rt.routes {
				by := t.inspectionPoint(rr)
				if by == nil {
					continue
				}
				p, ok := seen[rr.prefix]
				if !ok {
					seen[rr.prefix] = point{zone, by}
					continue
				}
				if p.zone == zone || p.by.ID == by.ID {
					continue
				}
				ac := n.tgwAttachComp(a)
				vpc := string(a.VpcID)
				if v := n.vpc(a.VpcID); v != nil {
					vpc = v.comp.Label()
				}
				l.add(SeverityWarning, CodeApplianceAsymmetric, ac,
					"transit gateway attachment "+ac.Label()+" of "+vpc+" has appliance mode off, and its subnets send "+rr.prefix.String()+" to "+
						pointLabel(p.by)+" in "+p.zone+" but to "+pointLabel(by)+" in "+zone+
						": the transit gateway keeps each direction of a flow in its sender's zone, so a flow between zones meets one appliance going and another coming back, which drops it",
					"turn appliance mode on for the attachment (aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id "+string(a.ID)+" --options ApplianceModeSupport=enable)")
				break subnets
			}
		}
	}
}
