package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerStaleSecurityGroups(r *api.Registry) {
	add(r, "DescribeStaleSecurityGroups", describeStaleSecurityGroups)
}

// staleOut is a StaleIpPermissionSet: one permission per stale rule, its
// protocol and ports and the group pair it references.
func staleOut(c *api.Call, refs []engine.StaleReference) []any {
	out := make([]any, len(refs))
	for i, s := range refs {
		from, to := wirePorts(s.Rule.Protocol, s.Rule.Ports)
		pair := map[string]any{"GroupId": s.Rule.Group, "UserId": c.Account, "VpcId": api.Str(s.RefVpc),
			"VpcPeeringConnectionId": api.Str(s.Peering), "PeeringStatus": api.Str(s.PeeringStatus), "Description": api.Str(s.Rule.Description)}
		out[i] = map[string]any{"IpProtocol": s.Rule.Protocol.String(), "FromPort": from, "ToPort": to, "UserIdGroupPairs": []any{pair}}
	}
	return out
}

func describeStaleSecurityGroups(c *api.Call) (map[string]any, error) {
	groups, err := c.Engine.StaleSecurityGroups(model.VpcID(c.In.String("VpcId")))
	if err != nil {
		return nil, err
	}
	groups, next, err := page(c.In, groups, func(g engine.StaleGroup) string { return string(g.Group.ID) }, 5, 255)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(groups))
	for i, g := range groups {
		out[i] = map[string]any{"GroupId": g.Group.ID, "GroupName": g.Group.Name, "Description": g.Group.Description, "VpcId": g.Group.VpcID,
			"StaleIpPermissions": staleOut(c, g.Ingress), "StaleIpPermissionsEgress": staleOut(c, g.Egress)}
	}
	return map[string]any{"StaleSecurityGroupSet": out, "NextToken": next}, nil
}
