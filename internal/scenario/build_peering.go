package scenario

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// VPC peering connections in scenario files:
//
//	vpc_peering_connections:
//	  app-shared: {requester: app, accepter: shared}   # accepted: false leaves it pending-acceptance
//	  # requester_allow_remote_vpc_dns_resolution / accepter_…: true lets the peer VPC resolve
//	  # that side's public DNS names to private addresses (ModifyVpcPeeringConnectionOptions)
//
// and a VPC route's target may name a peering connection. Both VPCs are
// of the file's account and region; the connection is requested
// (CreateVpcPeeringConnection) and, unless accepted is false, accepted
// (AcceptVpcPeeringConnection), as the console's two steps do.

type peeringSpec struct {
	Requester string            `yaml:"requester"`
	Accepter  string            `yaml:"accepter"`
	Accepted  *bool             `yaml:"accepted"`
	Tags      map[string]string `yaml:"tags"`
	// The AllowDnsResolutionFromRemoteVpc option of each side (default
	// false, as on AWS), set once the connection is active.
	RequesterDNS *bool `yaml:"requester_allow_remote_vpc_dns_resolution"`
	AccepterDNS  *bool `yaml:"accepter_allow_remote_vpc_dns_resolution"`
}

// peerings requests and accepts the VPC peering connections, before the
// security groups (whose rules may name a group of the peer VPC) and the
// routes that name them.
func (b *builder) peerings(sp *fileSpec) error {
	for _, p := range sp.Peerings {
		owner := "vpc peering connection " + strconv.Quote(p.Name)
		req, err := b.ref("vpc", p.Value.Requester, p.line("requester"), owner)
		if err != nil {
			return err
		}
		acc, err := b.ref("vpc", p.Value.Accepter, p.line("accepter"), owner)
		if err != nil {
			return err
		}
		c, err := b.e.CreateVpcPeeringConnection(engine.CreateVpcPeeringInput{VpcID: model.VpcID(req), PeerVpcID: model.VpcID(acc), Tags: tags(p.Name, p.Value.Tags)})
		if err != nil {
			return b.fail(p.Line, owner, err)
		}
		if c.Status == "failed" {
			return b.errf(p.Line, "%s: the peering connection failed: %s", owner, c.StatusMessage)
		}
		b.set("vpc peering connection", p.Name, string(c.ID))
		if p.Value.Accepted == nil || *p.Value.Accepted {
			if _, err := b.e.AcceptVpcPeeringConnection(c.ID); err != nil {
				return b.fail(p.line("accepted"), owner, err)
			}
		}
		if p.Value.RequesterDNS != nil || p.Value.AccepterDNS != nil {
			at := p.line("requester_allow_remote_vpc_dns_resolution")
			if p.Value.RequesterDNS == nil {
				at = p.line("accepter_allow_remote_vpc_dns_resolution")
			}
			// A connection still pending acceptance is refused, as AWS
			// refuses it (OperationNotPermitted).
			if _, err := b.e.ModifyVpcPeeringConnectionOptions(c.ID, p.Value.RequesterDNS, p.Value.AccepterDNS); err != nil {
				return b.fail(at, owner, err)
			}
		}
	}
	return nil
}
