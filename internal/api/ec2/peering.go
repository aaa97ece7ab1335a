package ec2

import (
	"net/netip"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerPeering(r *api.Registry) {
	add(r, "CreateVpcPeeringConnection", createVpcPeeringConnection)
	add(r, "AcceptVpcPeeringConnection", acceptVpcPeeringConnection)
	add(r, "RejectVpcPeeringConnection", rejectVpcPeeringConnection)
	add(r, "DeleteVpcPeeringConnection", deleteVpcPeeringConnection)
	add(r, "DescribeVpcPeeringConnections", describeVpcPeeringConnections)
	add(r, "ModifyVpcPeeringConnectionOptions", modifyVpcPeeringConnectionOptions)
}

func peeringSideOut(vpc model.VpcID, owner, region string, cidrs []netip.Prefix, dns bool) map[string]any {
	out := map[string]any{"VpcId": vpc, "OwnerId": owner, "Region": region,
		"PeeringOptions": map[string]any{"AllowDnsResolutionFromRemoteVpc": dns,
			"AllowEgressFromLocalClassicLinkToRemoteVpc": false, "AllowEgressFromLocalVpcToRemoteClassicLink": false}}
	if len(cidrs) > 0 {
		out["CidrBlock"] = cidrs[0]
		set := make([]any, len(cidrs))
		for i, c := range cidrs {
			set[i] = map[string]any{"CidrBlock": c}
		}
		out["CidrBlockSet"] = set
	}
	return out
}

func peeringOut(c *model.VpcPeeringConnection) map[string]any {
	out := map[string]any{
		"VpcPeeringConnectionId": c.ID,
		"RequesterVpcInfo":       peeringSideOut(c.RequesterVpc, c.RequesterOwner, c.Region, c.RequesterCIDRs, c.RequesterAllowDNS),
		"AccepterVpcInfo":        peeringSideOut(c.AccepterVpc, c.AccepterOwner, c.PeerRegion(), c.AccepterCIDRs, c.AccepterAllowDNS),
		"Status":                 map[string]any{"Code": c.Status, "Message": c.StatusMessage},
		"Tags":                   api.TagList(c.Tags, "Key", "Value"), // present even when empty
	}
	if c.Status == "pending-acceptance" && !c.ExpiresAt.IsZero() {
		out["ExpirationTime"] = api.Time(c.ExpiresAt)
	}
	return out
}

func createVpcPeeringConnection(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "vpc-peering-connection")
	if err != nil {
		return nil, err
	}
	pcx, err := c.Engine.CreateVpcPeeringConnection(engine.CreateVpcPeeringInput{VpcID: model.VpcID(c.In.String("VpcId")),
		PeerVpcID: model.VpcID(c.In.String("PeerVpcId")), PeerOwner: c.In.String("PeerOwnerId"), PeerRegion: c.In.String("PeerRegion"), Tags: tags})
	if err != nil {
		return nil, err
	}
	out := peeringOut(pcx)
	// The request is answered while AWS starts it.
	out["Status"] = map[string]any{"Code": "initiating-request", "Message": "Initiating Request to " + pcx.AccepterOwner}
	return map[string]any{"VpcPeeringConnection": out}, nil
}

func acceptVpcPeeringConnection(c *api.Call) (map[string]any, error) {
	pcx, err := c.Engine.AcceptVpcPeeringConnection(model.VpcPeeringConnectionID(c.In.String("VpcPeeringConnectionId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"VpcPeeringConnection": peeringOut(pcx)}, nil
}

func rejectVpcPeeringConnection(c *api.Call) (map[string]any, error) {
	if err := c.Engine.RejectVpcPeeringConnection(model.VpcPeeringConnectionID(c.In.String("VpcPeeringConnectionId"))); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func deleteVpcPeeringConnection(c *api.Call) (map[string]any, error) {
	if err := c.Engine.DeleteVpcPeeringConnection(model.VpcPeeringConnectionID(c.In.String("VpcPeeringConnectionId"))); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

func describeVpcPeeringConnections(c *api.Call) (map[string]any, error) {
	var items []*model.VpcPeeringConnection
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.VpcPeerings, c.In.Strings("VpcPeeringConnectionIds"), notFound("InvalidVpcPeeringConnectionID.NotFound", "vpcPeeringConnection"))
	})
	if err != nil {
		return nil, err
	}
	cidrs := func(ps []netip.Prefix) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i] = p.String()
		}
		return out
	}
	type P = *model.VpcPeeringConnection
	fs := api.FilterSet[P]{
		Tags: func(x P) model.Tags { return x.Tags },
		Attrs: map[string]func(P) []string{
			"vpc-peering-connection-id": func(x P) []string { return api.One(x.ID) },
			"status-code":               func(x P) []string { return []string{x.Status} },
			"status-message":            func(x P) []string { return []string{x.StatusMessage} },
			"expiration-time": func(x P) []string {
				if x.Status != "pending-acceptance" || x.ExpiresAt.IsZero() {
					return nil
				}
				return []string{x.ExpiresAt.UTC().Format("2006-01-02T15:04:05.000Z")}
			},
			"requester-vpc-info.vpc-id":     func(x P) []string { return api.One(x.RequesterVpc) },
			"accepter-vpc-info.vpc-id":      func(x P) []string { return api.One(x.AccepterVpc) },
			"requester-vpc-info.owner-id":   func(x P) []string { return []string{x.RequesterOwner} },
			"accepter-vpc-info.owner-id":    func(x P) []string { return []string{x.AccepterOwner} },
			"requester-vpc-info.cidr-block": func(x P) []string { return cidrs(x.RequesterCIDRs) },
			"accepter-vpc-info.cidr-block":  func(x P) []string { return cidrs(x.AccepterCIDRs) },
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(x P) string { return string(x.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, x := range items {
		out[i] = peeringOut(x)
	}
	return map[string]any{"VpcPeeringConnections": out, "NextToken": next}, nil
}

func modifyVpcPeeringConnectionOptions(c *api.Call) (map[string]any, error) {
	opt := func(name string) *bool {
		if !c.In.Has(name) || !c.In.Struct(name).Has("AllowDnsResolutionFromRemoteVpc") {
			return nil
		}
		v := c.In.Struct(name).Bool("AllowDnsResolutionFromRemoteVpc")
		return &v
	}
	req, acc := opt("RequesterPeeringConnectionOptions"), opt("AccepterPeeringConnectionOptions")
	pcx, err := c.Engine.ModifyVpcPeeringConnectionOptions(model.VpcPeeringConnectionID(c.In.String("VpcPeeringConnectionId")), req, acc)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if req != nil {
		out["RequesterPeeringConnectionOptions"] = map[string]any{"AllowDnsResolutionFromRemoteVpc": pcx.RequesterAllowDNS,
			"AllowEgressFromLocalClassicLinkToRemoteVpc": false, "AllowEgressFromLocalVpcToRemoteClassicLink": false}
	}
	if acc != nil {
		out["AccepterPeeringConnectionOptions"] = map[string]any{"AllowDnsResolutionFromRemoteVpc": pcx.AccepterAllowDNS,
			"AllowEgressFromLocalClassicLinkToRemoteVpc": false, "AllowEgressFromLocalVpcToRemoteClassicLink": false}
	}
	return out, nil
}
