package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerENIPermissions(r *api.Registry) {
	add(r, "CreateNetworkInterfacePermission", createNetworkInterfacePermission)
	add(r, "DescribeNetworkInterfacePermissions", describeNetworkInterfacePermissions)
	add(r, "DeleteNetworkInterfacePermission", deleteNetworkInterfacePermission)
}

// eniPermission is a permission with the interface it is on.
type eniPermission struct {
	eni model.NetworkInterfaceID
	p   model.ENIPermission
}

func eniPermissionOut(x eniPermission) map[string]any {
	return map[string]any{
		"NetworkInterfacePermissionId": x.p.ID,
		"NetworkInterfaceId":           string(x.eni),
		"AwsAccountId":                 x.p.AccountID,
		"Permission":                   x.p.Permission,
		"PermissionState":              map[string]any{"State": x.p.State},
	}
}

func createNetworkInterfacePermission(c *api.Call) (map[string]any, error) {
	id := model.NetworkInterfaceID(c.In.String("NetworkInterfaceId"))
	p, err := c.Engine.CreateNetworkInterfacePermission(id, c.In.String("AwsAccountId"), c.In.String("AwsService"), c.In.String("Permission"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"InterfacePermission": eniPermissionOut(eniPermission{eni: id, p: p})}, nil
}

func deleteNetworkInterfacePermission(c *api.Call) (map[string]any, error) {
	if err := c.Engine.DeleteNetworkInterfacePermission(c.In.String("NetworkInterfacePermissionId"), c.In.Bool("Force")); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, nil
}

var eniPermissionFilters = api.FilterSet[eniPermission]{
	Attrs: map[string]func(eniPermission) []string{
		"network-interface-permission.network-interface-permission-id": func(x eniPermission) []string { return api.One(x.p.ID) },
		"network-interface-permission.network-interface-id":            func(x eniPermission) []string { return api.One(string(x.eni)) },
		"network-interface-permission.aws-account-id":                  func(x eniPermission) []string { return api.One(x.p.AccountID) },
		"network-interface-permission.aws-service":                     func(eniPermission) []string { return nil },
		"network-interface-permission.permission":                      func(x eniPermission) []string { return api.One(x.p.Permission) },
	},
}

// describeNetworkInterfacePermissions lists the permissions of every
// interface, or those NetworkInterfacePermissionIds names (an unknown id is
// InvalidNetworkInterfacePermissionID.NotFound, as Terraform expects after
// a delete), in pages of at most 50 unless MaxResults (5 to 255) says.
func describeNetworkInterfacePermissions(c *api.Call) (map[string]any, error) {
	var all []eniPermission
	c.Engine.Read(func(st *model.State) {
		for _, n := range st.NetworkInterfaces {
			for _, p := range n.Permissions {
				all = append(all, eniPermission{eni: n.ID, p: p})
			}
		}
	})
	items := all
	if want := c.In.Strings("NetworkInterfacePermissionIds"); len(want) > 0 {
		byID := make(map[string]eniPermission, len(all))
		for _, x := range all {
			byID[x.p.ID] = x
		}
		items = make([]eniPermission, 0, len(want))
		seen := map[string]bool{}
		for _, id := range want {
			x, ok := byID[id]
			if !ok {
				return nil, apierr.Newf("InvalidNetworkInterfacePermissionID.NotFound", "The network interface permission ID '%s' does not exist", id)
			}
			if !seen[id] {
				seen[id] = true
				items = append(items, x)
			}
		}
	}
	items, err := eniPermissionFilters.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	// Without MaxResults a page holds up to 50 (the API's MaxResults doc).
	items, next, err := pageDefault(c.In, items, func(x eniPermission) string { return x.p.ID }, 5, 255, 50)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, x := range items {
		out[i] = eniPermissionOut(x)
	}
	return map[string]any{"NetworkInterfacePermissions": out, "NextToken": next}, nil
}
