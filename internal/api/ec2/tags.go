package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerTags(r *api.Registry) {
	add(r, "CreateTags", createTags)
	add(r, "DeleteTags", deleteTags)
	add(r, "DescribeTags", describeTags)
}

func createTags(c *api.Call) (map[string]any, error) {
	res := c.In.Strings("Resources")
	if len(res) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter resourceIdSet")
	}
	tags := api.KeyValues(c.In.Structs("Tags"), "Key", "Value")
	if len(tags) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter tagSet")
	}
	for k := range tags {
		if len(k) >= 4 && k[:4] == "aws:" {
			return nil, apierr.Newf("InvalidParameterValue", "Value ( %s ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use", k)
		}
	}
	return nil, c.Engine.TagEC2Resources(res, engine.TagChange{Add: tags})
}

func deleteTags(c *api.Call) (map[string]any, error) {
	res := c.In.Strings("Resources")
	if len(res) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter resourceIdSet")
	}
	ch := engine.TagChange{}
	if !c.In.Has("Tags") {
		ch.RemoveAll = true
	} else {
		ch.Remove = map[string]*string{}
		for _, t := range c.In.Structs("Tags") {
			if t.Has("Value") {
				v := t.String("Value")
				ch.Remove[t.String("Key")] = &v
			} else {
				ch.Remove[t.String("Key")] = nil
			}
		}
	}
	return nil, c.Engine.TagEC2Resources(res, ch)
}

type tagDesc struct {
	id, typ, key, value string
}

func collectTags(st *model.State) []tagDesc {
	var out []tagDesc
	addAll := func(id, typ string, tags model.Tags) {
		for k, v := range tags {
			out = append(out, tagDesc{id, typ, k, v})
		}
	}
	for _, x := range st.VPCs {
		addAll(string(x.ID), "vpc", x.Tags)
	}
	for _, x := range st.Subnets {
		addAll(string(x.ID), "subnet", x.Tags)
	}
	for _, x := range st.RouteTables {
		addAll(string(x.ID), "route-table", x.Tags)
	}
	for _, x := range st.InternetGateways {
		addAll(string(x.ID), "internet-gateway", x.Tags)
	}
	for _, x := range st.NatGateways {
		addAll(string(x.ID), "natgateway", x.Tags)
	}
	for _, x := range st.Addresses {
		addAll(string(x.AllocationID), "elastic-ip", x.Tags)
	}
	for _, x := range st.SecurityGroups {
		addAll(string(x.ID), "security-group", x.Tags)
		for _, r := range x.Ingress {
			addAll(string(r.ID), "security-group-rule", r.Tags)
		}
		for _, r := range x.Egress {
			addAll(string(r.ID), "security-group-rule", r.Tags)
		}
	}
	for _, x := range st.NetworkACLs {
		addAll(string(x.ID), "network-acl", x.Tags)
	}
	for _, x := range st.NetworkInterfaces {
		addAll(string(x.ID), "network-interface", x.Tags)
	}
	for _, x := range st.DhcpOptions {
		addAll(string(x.ID), "dhcp-options", x.Tags)
	}
	for _, x := range st.FlowLogs {
		addAll(string(x.ID), "vpc-flow-log", x.Tags)
	}
	for _, x := range st.CarrierGateways {
		addAll(string(x.ID), "carrier-gateway", x.Tags)
	}
	for _, x := range st.EndpointServices {
		addAll(string(x.ID), "vpc-endpoint-service", x.Tags)
	}
	for _, x := range st.PrefixLists {
		addAll(string(x.ID), "prefix-list", x.Tags)
	}
	for _, x := range st.VpcPeerings {
		addAll(string(x.ID), "vpc-peering-connection", x.Tags)
	}
	for _, x := range st.TransitGateways {
		addAll(string(x.ID), "transit-gateway", x.Tags)
	}
	for _, x := range st.TransitGatewayAttachments {
		addAll(string(x.ID), "transit-gateway-attachment", x.Tags)
	}
	for _, x := range st.TransitGatewayRouteTables {
		addAll(string(x.ID), "transit-gateway-route-table", x.Tags)
	}
	for _, x := range st.VpnGateways {
		addAll(string(x.ID), "vpn-gateway", x.Tags)
	}
	for _, x := range st.CustomerGateways {
		addAll(string(x.ID), "customer-gateway", x.Tags)
	}
	for _, x := range st.VpnConnections {
		addAll(string(x.ID), "vpn-connection", x.Tags)
	}
	for _, x := range st.VpcEndpoints {
		addAll(string(x.ID), "vpc-endpoint", x.Tags)
	}
	for _, x := range st.Instances {
		addAll(string(x.ID), "instance", x.Tags)
	}
	for _, x := range st.LaunchTemplates {
		addAll(string(x.ID), "launch-template", x.Tags)
	}
	for _, x := range st.Volumes {
		addAll(string(x.ID), "volume", x.Tags)
	}
	for _, x := range st.Snapshots {
		addAll(string(x.ID), "snapshot", x.Tags)
	}
	for _, x := range st.SpotRequests {
		addAll(string(x.ID), "spot-instances-request", x.Tags)
	}
	for _, x := range st.Images {
		if x.State == "available" {
			addAll(string(x.ID), "image", x.Tags)
		}
	}
	for _, x := range st.KeyPairs {
		addAll(string(x.ID), "key-pair", x.Tags)
	}
	for _, x := range st.InsightsPaths {
		addAll(string(x.ID), "network-insights-path", x.Tags)
	}
	for _, x := range st.InsightsAnalyses {
		addAll(string(x.ID), "network-insights-analysis", x.Tags)
	}
	return out
}

func describeTags(c *api.Call) (map[string]any, error) {
	var items []tagDesc
	c.Engine.Read(func(st *model.State) { items = collectTags(st) })
	fs := api.FilterSet[tagDesc]{Attrs: map[string]func(tagDesc) []string{
		"key":           func(t tagDesc) []string { return []string{t.key} },
		"value":         func(t tagDesc) []string { return []string{t.value} },
		"resource-id":   func(t tagDesc) []string { return []string{t.id} },
		"resource-type": func(t tagDesc) []string { return []string{t.typ} },
	}}
	// tag:<key> filters select resources that have that tag.
	var rest []api.Filter
	for _, f := range api.Filters(c.In) {
		if len(f.Name) > 4 && f.Name[:4] == "tag:" {
			want := map[string]bool{}
			for _, t := range items {
				if t.key == f.Name[4:] {
					for _, v := range f.Values {
						if api.Glob(v, t.value) {
							want[t.id] = true
						}
					}
				}
			}
			var keep []tagDesc
			for _, t := range items {
				if want[t.id] {
					keep = append(keep, t)
				}
			}
			items = keep
			continue
		}
		rest = append(rest, f)
	}
	items, err := fs.Apply(items, rest)
	if err != nil {
		return nil, err
	}
	key := func(t tagDesc) string { return t.id + "\x00" + t.key }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, t := range items {
		out[i] = map[string]any{"Key": t.key, "Value": t.value, "ResourceId": t.id, "ResourceType": t.typ}
	}
	return map[string]any{"Tags": out, "NextToken": next}, nil
}
