package snapshot

import (
	"net/netip"

	"github.com/ecsnet/ecsnet/internal/model"
)

// VPC peering connections in a snapshot (ec2 describe-vpc-peering-
// connections, ec2-describe-vpc-peering-connections.json; collected since
// round thirty-three): each side's VPC, owner, Region and CIDR blocks, the
// status and the DNS resolution options. A route to pcx-… is then the
// connection's, as in a scenario.

// ec2PeeringSide is RequesterVpcInfo or AccepterVpcInfo.
type ec2PeeringSide struct {
	VpcID        string `json:"VpcId"`
	OwnerID      string `json:"OwnerId,omitempty"`
	Region       string `json:"Region,omitempty"`
	CidrBlock    string `json:"CidrBlock,omitempty"`
	CidrBlockSet []struct {
		CidrBlock string `json:"CidrBlock"`
	} `json:"CidrBlockSet,omitempty"`
	PeeringOptions *struct {
		AllowDNSResolutionFromRemoteVpc bool `json:"AllowDnsResolutionFromRemoteVpc"`
	} `json:"PeeringOptions,omitempty"`
}

// ec2VpcPeering is an item of describe-vpc-peering-connections.
type ec2VpcPeering struct {
	VpcPeeringConnectionID string         `json:"VpcPeeringConnectionId"`
	RequesterVpcInfo       ec2PeeringSide `json:"RequesterVpcInfo"`
	AccepterVpcInfo        ec2PeeringSide `json:"AccepterVpcInfo"`
	Status                 struct {
		Code    string `json:"Code"`
		Message string `json:"Message,omitempty"`
	} `json:"Status"`
	ExpirationTime awsTime  `json:"ExpirationTime"`
	Tags           []ec2Tag `json:"Tags,omitempty"`
}

// peeringCIDRs reads a side's CIDR blocks: CidrBlockSet, else CidrBlock.
func (b *builder) peeringCIDRs(s ec2PeeringSide, id string, at pos) []netip.Prefix {
	var out []netip.Prefix
	list := []string{}
	for _, c := range s.CidrBlockSet {
		list = append(list, c.CidrBlock)
	}
	if len(list) == 0 && s.CidrBlock != "" {
		list = append(list, s.CidrBlock)
	}
	for _, c := range list {
		p, ok := prefix(c)
		if !ok {
			b.rd.warn(at.warning(CodeBadValue, id, "a CIDR block of VPC peering connection "+id+" skipped: "+quote(c)+" does not parse"))
			continue
		}
		out = append(out, p)
	}
	return out
}

// vpcPeerings builds the VPC peering connections (before the route tables
// that route to them).
func (b *builder) vpcPeerings() {
	for _, it := range b.rd.peerings {
		x := it.v
		if x.VpcPeeringConnectionID == "" {
			continue
		}
		r, a := x.RequesterVpcInfo, x.AccepterVpcInfo
		c := &model.VpcPeeringConnection{ID: model.VpcPeeringConnectionID(x.VpcPeeringConnectionID),
			RequesterVpc: model.VpcID(r.VpcID), RequesterOwner: r.OwnerID, RequesterCIDRs: b.peeringCIDRs(r, x.VpcPeeringConnectionID, it.at),
			AccepterVpc: model.VpcID(a.VpcID), AccepterOwner: a.OwnerID, AccepterCIDRs: b.peeringCIDRs(a, x.VpcPeeringConnectionID, it.at),
			Region: r.Region, Status: x.Status.Code, StatusMessage: x.Status.Message, Tags: ec2Tags(x.Tags)}
		if c.Region == "" {
			c.Region = b.region
		}
		if a.Region != "" && a.Region != c.Region {
			c.AccepterRegion = a.Region
		}
		if r.PeeringOptions != nil {
			c.RequesterAllowDNS = r.PeeringOptions.AllowDNSResolutionFromRemoteVpc
		}
		if a.PeeringOptions != nil {
			c.AccepterAllowDNS = a.PeeringOptions.AllowDNSResolutionFromRemoteVpc
		}
		if c.Status == "pending-acceptance" {
			c.ExpiresAt = x.ExpirationTime.Time
		}
		b.st.VpcPeerings[c.ID] = c
	}
}

// peeringRoute reports whether a route's pcx-… is in the snapshot.
func (b *builder) peeringRoute(id string) bool {
	return b.st.VpcPeerings[model.VpcPeeringConnectionID(id)] != nil
}

// vpcPeeringsOut is describe-vpc-peering-connections' answer.
func (w *writer) vpcPeeringsOut() []ec2VpcPeering {
	out := []ec2VpcPeering{}
	side := func(vpc model.VpcID, owner, region string, cidrs []netip.Prefix, dns bool) ec2PeeringSide {
		s := ec2PeeringSide{VpcID: string(vpc), OwnerID: owner, Region: region}
		for i, c := range cidrs {
			if i == 0 {
				s.CidrBlock = c.String()
			}
			s.CidrBlockSet = append(s.CidrBlockSet, struct {
				CidrBlock string `json:"CidrBlock"`
			}{c.String()})
		}
		s.PeeringOptions = &struct {
			AllowDNSResolutionFromRemoteVpc bool `json:"AllowDnsResolutionFromRemoteVpc"`
		}{dns}
		return s
	}
	for _, c := range sortedValues(w.st.VpcPeerings) {
		x := ec2VpcPeering{VpcPeeringConnectionID: string(c.ID), Tags: tagsOut(c.Tags),
			RequesterVpcInfo: side(c.RequesterVpc, c.RequesterOwner, c.Region, c.RequesterCIDRs, c.RequesterAllowDNS),
			AccepterVpcInfo:  side(c.AccepterVpc, c.AccepterOwner, c.PeerRegion(), c.AccepterCIDRs, c.AccepterAllowDNS)}
		x.Status.Code, x.Status.Message = c.Status, c.StatusMessage
		if c.Status == "pending-acceptance" {
			x.ExpirationTime = awsTime{c.ExpiresAt}
		}
		out = append(out, x)
	}
	return out
}
