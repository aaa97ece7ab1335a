package engine

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// EC2 placement groups (CreatePlacementGroup, DescribePlacementGroups,
// DeletePlacementGroup) and the launches into them (RunInstances'
// Placement.GroupName, a launch template's placement). Sources and the
// texts marked [choice] are in docs/aws-behavior.md, "Round thirty: EC2".

// placementGroupQuota is EC2's quota of placement groups per account per
// Region (500, "Placement group rules and limitations").
const placementGroupQuota = 500

// maxPartitions is the most partitions a partition placement group has
// ("a maximum of seven partitions per Availability Zone").
const maxPartitions = 7

// maxSpreadPerZone is how many running instances a rack spread group holds
// in one Availability Zone ("a maximum of seven running instances per
// Availability Zone per group").
const maxSpreadPerZone = 7

func errPlacementGroupUnknown(name string) error {
	return apierr.Newf("InvalidPlacementGroup.Unknown", "The Placement Group '%s' is unknown.", name)
}

func errPlacementGroupIDUnknown(id string) error {
	return apierr.Newf("InvalidPlacementGroup.Unknown", "The Placement Group ID '%s' is unknown.", id)
}

// CreatePlacementGroupInput is CreatePlacementGroup's input.
type CreatePlacementGroupInput struct {
	Name, Strategy, SpreadLevel string
	// PartitionCount is 0 when the request gives none.
	PartitionCount int
	Tags           model.Tags
}

// CreatePlacementGroup creates a placement group, available at once.
func (e *Engine) CreatePlacementGroup(in CreatePlacementGroupInput) (*model.PlacementGroup, error) {
	if in.Name == "" {
		return nil, errMissingParameter("groupName")
	}
	if len(in.Name) > 255 || strings.IndexFunc(in.Name, func(r rune) bool { return r > 0x7e || r < 0x20 }) >= 0 {
		return nil, errInvalidParameterValue("Value (%s) for parameter groupName is invalid. Placement group names must be up to 255 ASCII characters.", in.Name)
	}
	if in.Strategy == "" {
		// Strategy is optional (botocore's CreatePlacementGroupRequest, the
		// AWS::EC2::PlacementGroup schema); a group made without one is a
		// cluster group, the only strategy there was before spread and
		// partition ([choice], docs/aws-behavior.md).
		in.Strategy = "cluster"
	}
	if in.PartitionCount != 0 && in.Strategy != "partition" {
		return nil, errInvalidParameterValue("Partition count is only valid for the partition strategy.")
	}
	if in.Strategy == "partition" {
		if in.PartitionCount == 0 {
			in.PartitionCount = 2
		}
		if in.PartitionCount < 1 || in.PartitionCount > maxPartitions {
			return nil, errInvalidParameterValue("Value (%d) for parameter partitionCount is invalid. The partition count must be between 1 and %d.", in.PartitionCount, maxPartitions)
		}
	}
	if in.SpreadLevel != "" && in.Strategy != "spread" {
		return nil, errInvalidParameterValue("Spread level is only valid for the spread strategy.")
	}
	if in.SpreadLevel == "host" {
		return nil, errInvalidParameterValue("The spread level host is supported only for placement groups on an Outpost.")
	}
	if in.Strategy == "spread" && in.SpreadLevel == "" {
		in.SpreadLevel = "rack"
	}
	var out *model.PlacementGroup
	err := e.write(func(t *txn) error {
		if t.placementGroupByName(in.Name) != nil {
			return apierr.Newf("InvalidPlacementGroup.Duplicate", "The Placement Group '%s' already exists.", in.Name)
		}
		if len(t.st.PlacementGroups) >= placementGroupQuota {
			return apierr.Newf("MaxPlacementGroupsExceeded", "You've reached the limit of %d placement groups in this Region.", placementGroupQuota)
		}
		pg := &model.PlacementGroup{ID: model.PlacementGroupID(t.newID("pg")), Name: in.Name, Strategy: in.Strategy,
			PartitionCount: in.PartitionCount, SpreadLevel: in.SpreadLevel, Created: t.now, Tags: in.Tags.Clone()}
		put(t, model.KindPlacementGroup, t.st.PlacementGroups, pg.ID, pg)
		out = pg
		return nil
	})
	return out, err
}

// DeletePlacementGroup deletes a placement group by name; one that holds
// an instance that is not terminated is in use.
func (e *Engine) DeletePlacementGroup(name string) error {
	if name == "" {
		return errMissingParameter("groupName")
	}
	return e.write(func(t *txn) error {
		pg := t.placementGroupByName(name)
		if pg == nil {
			return errPlacementGroupUnknown(name)
		}
		for _, inst := range t.st.Instances {
			if inst.PlacementGroup == pg.Name && inst.State != model.InstanceTerminated {
				return apierr.Newf("InvalidPlacementGroup.InUse", "The Placement Group '%s' is in use and may not be deleted.", name)
			}
		}
		del(t, model.KindPlacementGroup, t.st.PlacementGroups, pg.ID)
		return nil
	})
}

// PlacementGroups returns the groups the names and ids select (all without
// either), sorted by name; a name or id that is no group is refused.
func (e *Engine) PlacementGroups(names []string, ids []model.PlacementGroupID) ([]*model.PlacementGroup, error) {
	var out []*model.PlacementGroup
	var err error
	e.Read(func(st *model.State) {
		for _, id := range ids {
			if !strings.HasPrefix(string(id), "pg-") {
				err = apierr.Newf("InvalidPlacementGroupId.Malformed", "Invalid id: \"%s\" (expecting \"pg-...\")", id)
				return
			}
			if st.PlacementGroups[id] == nil {
				err = errPlacementGroupIDUnknown(string(id))
				return
			}
		}
		byName := map[string]*model.PlacementGroup{}
		for _, pg := range st.PlacementGroups {
			byName[pg.Name] = pg
		}
		for _, n := range names {
			if byName[n] == nil {
				err = errPlacementGroupUnknown(n)
				return
			}
		}
		for _, pg := range st.PlacementGroups {
			if (len(names) > 0 || len(ids) > 0) && !slices.Contains(names, pg.Name) && !slices.Contains(ids, pg.ID) {
				continue
			}
			out = append(out, pg)
		}
	})
	slices.SortFunc(out, func(a, b *model.PlacementGroup) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

func (t *txn) placementGroupByName(name string) *model.PlacementGroup {
	for _, pg := range t.st.PlacementGroups {
		if pg.Name == name {
			return pg
		}
	}
	return nil
}

// checkPlacement checks a launch of count instances into the placement
// group named (RunInstances' Placement.GroupName, or its launch
// template's) in the zone: the group must exist; a cluster group stays in
// the Availability Zone of its first running instance; a spread group holds
// at most seven running instances in a zone; a partition number must be
// one of the group's partitions. Only an engine that is a whole emulated
// account judges it (EmulatedAccount, ecsnet serve): an analyzed source
// does not hold the account's placement groups.
func (t *txn) checkPlacement(name string, partition, count int, zone string) error {
	if name == "" {
		if partition != 0 {
			return errInvalidParameterValue("Partition number can only be specified with a partition placement group.")
		}
		return nil
	}
	pg := t.placementGroupByName(name)
	if pg == nil {
		if !t.e.cfg.EmulatedAccount {
			return nil
		}
		return errPlacementGroupUnknown(name)
	}
	if partition != 0 && (pg.Strategy != "partition" || partition < 1 || partition > pg.PartitionCount) {
		return errInvalidParameterValue("Value (%d) for parameter partitionNumber is invalid. The placement group '%s' has partitions 1 to %d.", partition, name, pg.PartitionCount)
	}
	inZone := 0
	for _, inst := range t.st.Instances {
		if inst.PlacementGroup != pg.Name || inst.State == model.InstanceTerminated || inst.State == model.InstanceStopped {
			continue
		}
		if pg.Strategy == "cluster" && inst.AvailabilityZone != zone {
			return apierr.Newf("InvalidParameterCombination", "The placement group '%s' is in the Availability Zone %s: a cluster placement group cannot span Availability Zones.", name, inst.AvailabilityZone)
		}
		if inst.AvailabilityZone == zone {
			inZone++
		}
	}
	if pg.Strategy == "spread" && inZone+count > maxSpreadPerZone {
		return apierr.Newf("InsufficientInstanceCapacity", "A spread placement group can have at most %d running instances per Availability Zone; '%s' has %d in %s.", maxSpreadPerZone, name, inZone, zone)
	}
	return nil
}
