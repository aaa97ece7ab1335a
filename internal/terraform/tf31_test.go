package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestTF31PlacementGroups: aws_placement_group of each strategy (its id
// the name, partition_count and spread_level computed), an Auto Scaling
// group's placement_group, a launch template's placement { group_name,
// partition_number } and an instance's placement_group: every instance
// lands in its group. The same configuration applies against ecsnet serve
// (scripts/terraform-apply/configs/placement). Before, the groups were
// skipped and the instances placed in none.
func TestTF31PlacementGroups(t *testing.T) {
	res := load(t, "../../scripts/terraform-apply/configs/placement", nil)
	for _, s := range res.Skipped {
		if s.Type == "aws_placement_group" {
			t.Errorf("skipped %s", s.Address)
		}
	}
	groups := map[string]*model.PlacementGroup{}
	byGroup := map[string][]string{}
	res.Engine.Read(func(st *model.State) {
		for _, pg := range st.PlacementGroups {
			groups[pg.Name] = pg
		}
		for _, i := range st.Instances {
			p := i.PlacementGroup
			if i.PartitionNumber != 0 {
				p += "/" + string(rune('0'+i.PartitionNumber))
			}
			byGroup[p] = append(byGroup[p], i.AutoScalingGroup)
		}
	})
	if g := groups["placement-racks"]; g == nil || g.Strategy != "partition" || g.PartitionCount != 3 {
		t.Errorf("placement-racks: %+v", g)
	}
	if g := groups["placement-apart"]; g == nil || g.SpreadLevel != "rack" {
		t.Errorf("placement-apart: %+v", g)
	}
	if g := groups["placement-close"]; g == nil || g.Strategy != "cluster" || g.Tags["Tier"] != "batch" {
		t.Errorf("placement-close: %+v", g)
	}
	if len(byGroup["placement-close"]) != 2 || len(byGroup["placement-racks/2"]) != 1 || len(byGroup["placement-apart"]) != 1 || len(byGroup) != 3 {
		t.Errorf("instances by placement group: %v", byGroup)
	}
	for _, r := range res.Resources {
		if r.Type == "aws_placement_group" && !strings.HasPrefix(r.ID, "placement-") {
			t.Errorf("%s: id %q, want its name", r.Address, r.ID)
		}
	}
}
