package reach

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ServiceZonesElsewhere returns the private hosted zones that point an
// AWS service's name (of svcs: "ecr.api", "ecr.dkr", "logs", …) at an
// interface endpoint, as shared or centralized endpoints are set up (the
// endpoints' private DNS off, in a hub VPC; a private zone per service
// name with an alias to the endpoint's regional DNS name), but that are
// not associated with vpc: the Route 53 Resolver of vpc does not answer
// from them, so the name resolves to the service's public addresses
// (Amazon VPC PrivateLink guide, "Access an AWS service using an
// interface VPC endpoint" / centralized endpoints: "associate the private
// hosted zone with the VPCs"; Route 53 developer guide, "Working with
// private hosted zones": a private zone answers only in the VPCs
// associated with it). Zones by service, in svcs' order, each once.
func (n *Network) ServiceZonesElsewhere(vpc model.VpcID, svcs []string) []*model.HostedZone {
	var out []*model.HostedZone
	for _, svc := range svcs {
		if z := n.serviceZoneElsewhere(vpc, svc); z != nil && !slices.Contains(out, z) {
			out = append(out, z)
		}
	}
	return out
}

// serviceZoneElsewhere is ServiceZonesElsewhere for one service: the
// zone (the first by id) whose records send the service's name to one of
// its interface endpoints, or nil.
func (n *Network) serviceZoneElsewhere(vpc model.VpcID, svc string) *model.HostedZone {
	host := serviceLookupName(svc, n.st.Account, n.st.Region)
	if host == "" {
		return nil
	}
	var best *model.HostedZone
	for _, z := range n.st.HostedZones {
		if !z.Private || z.AssociatedWith(vpc) || !z.Covers(host) || (best != nil && z.ID > best.ID) {
			continue
		}
		for _, r := range z.Lookup(host) {
			target := recordTarget(r)
			label, _, _ := strings.Cut(target, ".")
			if !strings.HasPrefix(label, "vpce-") || !strings.Contains(target, ".vpce.amazonaws.com") {
				continue
			}
			for _, ep := range n.st.VpcEndpoints {
				if ep.Type == "Interface" && isServiceName(ep.ServiceName, n.st.Region, svc) && (label == string(ep.ID) || strings.HasPrefix(label, string(ep.ID)+"-")) {
					best = z
				}
			}
		}
	}
	return best
}

// serviceLookupName is the name a client of an AWS service looks up: the
// registry's for ecr.dkr (ACCOUNT.dkr.ecr.REGION…), api.ecr.REGION… for
// ecr.api, SERVICE.REGION… for the others with an interface endpoint; ""
// for another.
func serviceLookupName(svc, account, region string) string {
	domain := region + "." + model.DNSSuffix(region)
	switch svc {
	case "ecr.dkr":
		return account + ".dkr.ecr." + domain
	case "ecr.api":
		return "api.ecr." + domain
	}
	if !endpointService(svc) {
		return ""
	}
	return svc + "." + domain
}

// zoneElsewhereNote says why an AWS service's name resolves publicly from
// vpc although a private hosted zone points it at an interface endpoint;
// "" when no zone does.
func (n *Network) zoneElsewhereNote(vpc model.VpcID, svc string) string {
	z := n.serviceZoneElsewhere(vpc, svc)
	if z == nil {
		return ""
	}
	var with []string
	for _, v := range z.VPCs {
		with = append(with, n.vpcName(v))
	}
	return " (the private hosted zone " + z.Name + " (" + z.ID + ") points " + serviceLookupName(svc, n.st.Account, n.st.Region) +
		" at an interface endpoint, but it is associated with " + strings.Join(with, ", ") + " only, not with " + n.vpcName(vpc) +
		", so its Resolver answers the service's public address: associate the zone with the VPC)"
}
