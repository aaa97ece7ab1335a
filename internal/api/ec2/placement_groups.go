package ec2

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerPlacementGroups(r *api.Registry) {
	add(r, "CreatePlacementGroup", createPlacementGroup)
	add(r, "DeletePlacementGroup", deletePlacementGroup)
	add(r, "DescribePlacementGroups", describePlacementGroups)
}

// placementGroupOut is a PlacementGroup; its ARN names the group
// (arn:…:ec2:REGION:ACCOUNT:placement-group/NAME).
func placementGroupOut(c *api.Call, pg *model.PlacementGroup) map[string]any {
	out := map[string]any{"GroupName": pg.Name, "GroupId": pg.ID, "State": "available", "Strategy": pg.Strategy,
		"GroupArn": model.EC2ARN(c.Region, c.Account, "placement-group/"+pg.Name), "Tags": api.EC2Tags(pg.Tags)}
	if pg.PartitionCount > 0 {
		out["PartitionCount"] = pg.PartitionCount
	}
	if pg.SpreadLevel != "" {
		out["SpreadLevel"] = pg.SpreadLevel
	}
	return out
}

func createPlacementGroup(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "placement-group")
	if err != nil {
		return nil, err
	}
	pg, err := c.Engine.CreatePlacementGroup(engine.CreatePlacementGroupInput{Name: c.In.String("GroupName"), Strategy: c.In.String("Strategy"),
		SpreadLevel: c.In.String("SpreadLevel"), PartitionCount: int(c.In.Int("PartitionCount")), Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"PlacementGroup": placementGroupOut(c, pg)}, nil
}

func deletePlacementGroup(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeletePlacementGroup(c.In.String("GroupName"))
}

func describePlacementGroups(c *api.Call) (map[string]any, error) {
	groups, err := c.Engine.PlacementGroups(c.In.Strings("GroupNames"), ids[model.PlacementGroupID](c.In, "GroupIds"))
	if err != nil {
		return nil, err
	}
	type P = *model.PlacementGroup
	fs := api.FilterSet[P]{
		Tags: func(p P) model.Tags { return p.Tags },
		Attrs: map[string]func(P) []string{
			"group-name":   func(p P) []string { return []string{p.Name} },
			"group-arn":    func(p P) []string { return []string{model.EC2ARN(c.Region, c.Account, "placement-group/"+p.Name)} },
			"spread-level": func(p P) []string { return api.One(p.SpreadLevel) },
			"state":        func(P) []string { return []string{"available"} },
			"strategy":     func(p P) []string { return []string{p.Strategy} },
		},
	}
	if groups, err = fs.Apply(groups, api.Filters(c.In)); err != nil {
		return nil, err
	}
	out := make([]any, len(groups))
	for i, pg := range groups {
		out[i] = placementGroupOut(c, pg)
	}
	return map[string]any{"PlacementGroups": out}, nil
}

// instancePlacementOut is an instance's Placement: its zone and the
// placement group it was launched into (GroupId while the group exists).
func instancePlacementOut(st *model.State, i *model.Instance) map[string]any {
	out := map[string]any{"AvailabilityZone": i.AvailabilityZone, "GroupName": i.PlacementGroup, "Tenancy": "default"}
	if i.PlacementGroup == "" {
		return out
	}
	for _, pg := range st.PlacementGroups {
		if pg.Name == i.PlacementGroup {
			out["GroupId"] = pg.ID
		}
	}
	if i.PartitionNumber != 0 {
		out["PartitionNumber"] = i.PartitionNumber
	}
	return out
}

// launchTemplatePlacementOut is a launch template's Placement, nil
// without one.
func launchTemplatePlacementOut(p *model.LaunchTemplatePlacement) any {
	if p == nil {
		return nil
	}
	out := map[string]any{"GroupName": api.Str(p.GroupName)}
	if p.PartitionNumber != 0 {
		out["PartitionNumber"] = p.PartitionNumber
	}
	if p.AvailabilityZone != "" {
		out["AvailabilityZone"] = p.AvailabilityZone
	}
	return out
}
