package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// cloudMapZone: a Cloud Map private DNS namespace's names resolve only in
// the VPCs its Route 53 hosted zone is associated with; from any other the
// Resolver answers NXDOMAIN. Associating the client's VPC with the zone
// makes the name resolve there (Cloud Map developer guide, "Private DNS
// namespaces"; Route 53 AssociateVPCWithHostedZone). The packets then
// need a path between the VPCs (peering or a transit gateway), which the
// verification probe walks.
func (f *finder) cloudMapZone(x reach.Explanation) []Fix {
	vpc, ok := f.q.Unresolved()
	if !ok || vpc == "" || x.Component == nil {
		return nil
	}
	ns := f.st.Namespaces[x.Component.ID]
	if ns == nil {
		return nil
	}
	vpcName := string(vpc)
	if v := f.st.VPCs[vpc]; v != nil && v.Tags["Name"] != "" {
		vpcName = v.Tags["Name"]
	}
	region := f.st.Region
	id := ns.ID
	return []Fix{{
		score: 10, Kind: "cloud-map",
		Title: fmt.Sprintf("Associate the hosted zone of the Cloud Map namespace %s with VPC %s", ns.Name, vpcName),
		Detail: "A private DNS namespace is a Route 53 private hosted zone that Cloud Map associates with one VPC; its names resolve only in the VPCs associated with the zone. " +
			"Associating the client's VPC lets its Resolver answer the name; the connection then also needs a route between the VPCs (peering or a transit gateway) and the target's security group must admit the client's address.",
		Commands: []string{fmt.Sprintf("aws route53 associate-vpc-with-hosted-zone --hosted-zone-id %s --vpc VPCRegion=%s,VPCId=%s", ns.HostedZoneID, region, vpc)},
		Scenario: fmt.Sprintf("namespaces:\n  %s:\n    associated_vpcs: [%s]\n", ns.Name, vpcName),
		apply: func(e *engine.Engine) error {
			return e.AssociateNamespaceVPC(id, vpc)
		},
	}}
}
