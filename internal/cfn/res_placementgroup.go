package cfn

import (
	"github.com/ecsnet/ecsnet/internal/engine"
)

// typePlacementGroup is an EC2 placement group (CreatePlacementGroup).
// Ref and Fn::GetAtt GroupName are the group's name, which CloudFormation
// generates (the template gives none: GroupName is read-only in the
// resource's schema). Instances launch into it by name: an
// AWS::EC2::Instance's PlacementGroupName, a launch template's
// Placement.GroupName, an Auto Scaling group's PlacementGroup.
const typePlacementGroup = "AWS::EC2::PlacementGroup"

func createPlacementGroup(c *rctx) error {
	p := c.p
	in := engine.CreatePlacementGroupInput{Name: c.s.physicalName(c.r.def.name, 255)}
	var err error
	if in.Strategy, err = p.str("Strategy"); err != nil {
		return err
	}
	if in.SpreadLevel, err = p.str("SpreadLevel"); err != nil {
		return err
	}
	if in.PartitionCount, err = p.integer("PartitionCount", 0); err != nil {
		return err
	}
	if in.Tags, err = p.tagList(); err != nil {
		return err
	}
	pg, err := c.e().CreatePlacementGroup(in)
	if err != nil {
		key := "Strategy"
		switch msg := err.Error(); {
		case containsAny(msg, "artition"):
			key = "PartitionCount"
		case containsAny(msg, "pread level"):
			key = "SpreadLevel"
		}
		return p.at(key, err)
	}
	c.setRef(pg.Name)
	c.set("GroupName", pg.Name)
	return nil
}
