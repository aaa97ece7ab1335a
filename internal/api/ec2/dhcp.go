package ec2

import (
	"sort"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerDhcp(r *api.Registry) {
	add(r, "CreateDhcpOptions", createDhcpOptions)
	add(r, "DeleteDhcpOptions", deleteDhcpOptions)
	add(r, "DescribeDhcpOptions", describeDhcpOptions)
	add(r, "AssociateDhcpOptions", associateDhcpOptions)
}

func dhcpOut(account string, d *model.DhcpOptions) map[string]any {
	keys := make([]string, 0, len(d.Options))
	for k := range d.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	confs := make([]any, len(keys))
	for i, k := range keys {
		vals := make([]any, len(d.Options[k]))
		for j, v := range d.Options[k] {
			vals[j] = map[string]any{"Value": v}
		}
		confs[i] = map[string]any{"Key": k, "Values": vals}
	}
	return map[string]any{"DhcpOptionsId": d.ID, "DhcpConfigurations": confs, "OwnerId": account, "Tags": api.EC2Tags(d.Tags)}
}

func createDhcpOptions(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "dhcp-options")
	if err != nil {
		return nil, err
	}
	opts := map[string][]string{}
	for _, conf := range c.In.Structs("DhcpConfigurations") {
		opts[conf.String("Key")] = append(opts[conf.String("Key")], conf.Strings("Values")...)
	}
	d, err := c.Engine.CreateDhcpOptions(opts, tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"DhcpOptions": dhcpOut(c.Account, d)}, nil
}

func deleteDhcpOptions(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteDhcpOptions(model.DhcpOptionsID(c.In.String("DhcpOptionsId")))
}

func associateDhcpOptions(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.AssociateDhcpOptions(model.DhcpOptionsID(c.In.String("DhcpOptionsId")), model.VpcID(c.In.String("VpcId")))
}

func describeDhcpOptions(c *api.Call) (map[string]any, error) {
	var items []*model.DhcpOptions
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.DhcpOptions, c.In.Strings("DhcpOptionsIds"), notFound("InvalidDhcpOptionID.NotFound", "dhcpOption"))
	})
	if err != nil {
		return nil, err
	}
	type D = *model.DhcpOptions
	values := func(key string) func(D) []string { return func(d D) []string { return d.Options[key] } }
	fs := api.FilterSet[D]{
		Tags: func(d D) model.Tags { return d.Tags },
		Attrs: map[string]func(D) []string{
			"dhcp-options-id": func(d D) []string { return api.One(d.ID) },
			"key": func(d D) []string {
				var out []string
				for k := range d.Options {
					out = append(out, k)
				}
				return out
			},
			"value": func(d D) []string {
				var out []string
				for _, v := range d.Options {
					out = append(out, v...)
				}
				return out
			},
			"owner-id":            func(D) []string { return []string{c.Account} },
			"domain-name":         values("domain-name"),
			"domain-name-servers": values("domain-name-servers"),
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(d D) string { return string(d.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, d := range items {
		out[i] = dhcpOut(c.Account, d)
	}
	return map[string]any{"DhcpOptions": out, "NextToken": next}, nil
}
