package terraform

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_placement_group: CreatePlacementGroup; the id is the group's name
// (the provider's), placement_group_id EC2's pg-… id. partition_count and
// spread_level are computed: a partition group without one has EC2's 2
// partitions, a spread group the rack level.
func createPlacementGroup(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	strategy, err := c.req("strategy")
	if err != nil {
		return err
	}
	partitions, err := c.o.integer("partition_count", 0)
	if err != nil {
		return err
	}
	pg, err := c.e().CreatePlacementGroup(engine.CreatePlacementGroupInput{Name: name, Strategy: strategy,
		SpreadLevel: c.o.str("spread_level"), PartitionCount: partitions, Tags: c.plainTags()})
	if err != nil {
		return c.fail("", err)
	}
	c.created(pg.Name, "")
	c.set("name", pg.Name)
	c.set("placement_group_id", string(pg.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "placement-group/"+pg.Name))
	c.out["partition_count"] = cty.NumberIntVal(int64(pg.PartitionCount))
	c.set("spread_level", pg.SpreadLevel)
	return nil
}
