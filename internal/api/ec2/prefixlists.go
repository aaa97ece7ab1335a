package ec2

import (
	"maps"
	"slices"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerPrefixLists(r *api.Registry) {
	add(r, "CreateManagedPrefixList", createManagedPrefixList)
	add(r, "DescribeManagedPrefixLists", describeManagedPrefixLists)
	add(r, "ModifyManagedPrefixList", modifyManagedPrefixList)
	add(r, "DeleteManagedPrefixList", deleteManagedPrefixList)
	add(r, "GetManagedPrefixListEntries", getManagedPrefixListEntries)
	add(r, "GetManagedPrefixListAssociations", getManagedPrefixListAssociations)
}

func managedPrefixListOut(c *api.Call, p *model.PrefixList, state string) map[string]any {
	owner, family, maxEntries, version := p.Owner, p.AddressFamily, p.MaxEntries, p.Version
	if p.AWSManaged() {
		owner, family, maxEntries, version = "AWS", "IPv4", len(p.CIDRs), 1
	}
	arnOwner := owner
	if p.AWSManaged() {
		arnOwner = "aws"
	}
	if family == "" {
		family = "IPv4"
	}
	return map[string]any{
		"PrefixListId": p.ID, "PrefixListName": p.Name, "AddressFamily": family, "State": state,
		"PrefixListArn": arn(c.Region, arnOwner, "prefix-list", string(p.ID)), "MaxEntries": maxEntries, "Version": version,
		"OwnerId": owner, "Tags": api.EC2Tags(p.Tags),
	}
}

func entries(list []awsproto.Params) []engine.PrefixListEntry {
	out := make([]engine.PrefixListEntry, len(list))
	for i, e := range list {
		out[i] = engine.PrefixListEntry{CIDR: e.String("Cidr"), Description: e.String("Description")}
	}
	return out
}

func createManagedPrefixList(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "prefix-list")
	if err != nil {
		return nil, err
	}
	p, err := c.Engine.CreateManagedPrefixList(engine.CreateManagedPrefixListInput{Name: c.In.String("PrefixListName"),
		AddressFamily: c.In.String("AddressFamily"), MaxEntries: int(c.In.Int("MaxEntries")), Entries: entries(c.In.Structs("Entries")), Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"PrefixList": managedPrefixListOut(c, p, "create-in-progress")}, nil
}

func modifyManagedPrefixList(c *api.Call) (map[string]any, error) {
	var remove []string
	for _, r := range c.In.Structs("RemoveEntries") {
		remove = append(remove, r.String("Cidr"))
	}
	p, err := c.Engine.ModifyManagedPrefixList(engine.ModifyManagedPrefixListInput{ID: model.PrefixListID(c.In.String("PrefixListId")),
		CurrentVersion: int(c.In.Int("CurrentVersion")), Name: c.In.String("PrefixListName"), MaxEntries: int(c.In.Int("MaxEntries")),
		Add: entries(c.In.Structs("AddEntries")), Remove: remove})
	if err != nil {
		return nil, err
	}
	return map[string]any{"PrefixList": managedPrefixListOut(c, p, "modify-in-progress")}, nil
}

func deleteManagedPrefixList(c *api.Call) (map[string]any, error) {
	p, err := c.Engine.DeleteManagedPrefixList(model.PrefixListID(c.In.String("PrefixListId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"PrefixList": managedPrefixListOut(c, p, "delete-in-progress")}, nil
}

func describeManagedPrefixLists(c *api.Call) (map[string]any, error) {
	var items []*model.PrefixList
	var err error
	c.Engine.Read(func(st *model.State) {
		// Lists deleted a short while ago are answered too, delete-complete.
		all := maps.Clone(st.PrefixLists)
		for id, p := range st.DeletedPrefixLists {
			if all[id] == nil {
				all[id] = p
			}
		}
		items, err = byIDs(all, c.In.Strings("PrefixListIds"), func(id string) error {
			return apierr.Newf("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", id)
		})
	})
	if err != nil {
		return nil, err
	}
	type P = *model.PrefixList
	fs := api.FilterSet[P]{
		Tags: func(p P) model.Tags { return p.Tags },
		Attrs: map[string]func(P) []string{
			"prefix-list-id":   func(p P) []string { return api.One(p.ID) },
			"prefix-list-name": func(p P) []string { return api.One(p.Name) },
			"owner-id": func(p P) []string {
				if p.AWSManaged() {
					return []string{"AWS"}
				}
				return []string{p.Owner}
			},
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(p P) string { return string(p.ID) }
	items, next, err := page(c.In, items, key, 1, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, p := range items {
		state := "create-complete"
		if p.Version > 1 || p.Modified {
			state = "modify-complete"
		}
		if !p.DeletedAt.IsZero() {
			state = "delete-complete"
		}
		o := managedPrefixListOut(c, p, state)
		if p.ModifyFailure != "" {
			o["State"], o["StateMessage"] = "modify-failed", p.ModifyFailure
		}
		if p.DeleteFailure != "" {
			o["State"], o["StateMessage"] = "delete-failed", p.DeleteFailure
		}
		out[i] = o
	}
	return map[string]any{"PrefixLists": out, "NextToken": next}, nil
}

func getManagedPrefixListEntries(c *api.Call) (map[string]any, error) {
	id := model.PrefixListID(c.In.String("PrefixListId"))
	var p *model.PrefixList
	c.Engine.Read(func(st *model.State) { p = st.PrefixLists[id] })
	if p == nil {
		return nil, apierr.Newf("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", id)
	}
	if v := c.In.Int("TargetVersion"); v != 0 && int(v) != p.Version && !(p.AWSManaged() && v == 1) {
		return nil, apierr.Newf("InvalidParameterValue", "The prefix list %s does not have version %d; ecsnet keeps only the current version (%d).", id, v, p.Version)
	}
	out := make([]any, len(p.CIDRs))
	for i, x := range p.CIDRs {
		e := map[string]any{"Cidr": x}
		if i < len(p.Descriptions) && p.Descriptions[i] != "" {
			e["Description"] = p.Descriptions[i]
		}
		out[i] = e
	}
	return map[string]any{"Entries": out}, nil
}

// getManagedPrefixListAssociations lists the security groups and route
// tables that reference a prefix list, by id, in the account.
func getManagedPrefixListAssociations(c *api.Call) (map[string]any, error) {
	id := model.PrefixListID(c.In.String("PrefixListId"))
	var ids []string
	found := false
	c.Engine.Read(func(st *model.State) {
		if found = st.PrefixLists[id] != nil; !found {
			return
		}
		for _, g := range st.SecurityGroups {
			if slices.ContainsFunc(slices.Concat(g.Ingress, g.Egress), func(r model.SecurityGroupRule) bool { return r.PrefixList == id }) {
				ids = append(ids, string(g.ID))
			}
		}
		for _, rt := range st.RouteTables {
			if slices.ContainsFunc(rt.Routes, func(r model.Route) bool { return r.DestinationPrefixList == id }) {
				ids = append(ids, string(rt.ID))
			}
		}
	})
	if !found {
		return nil, apierr.Newf("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", id)
	}
	key := func(s string) string { return s }
	ids, next, err := page(c.In, ids, key, 5, 255)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(ids))
	for i, r := range ids {
		out[i] = map[string]any{"ResourceId": r, "ResourceOwner": c.Account}
	}
	return map[string]any{"PrefixListAssociations": out, "NextToken": next}, nil
}
