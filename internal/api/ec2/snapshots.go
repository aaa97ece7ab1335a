package ec2

import (
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerSnapshots(r *api.Registry) {
	add(r, "CreateSnapshot", createSnapshot)
	add(r, "DeleteSnapshot", deleteSnapshot)
	add(r, "DescribeSnapshots", describeSnapshots)
}

func snapshotOut(c *api.Call, s *model.Snapshot, state string) map[string]any {
	progress := "100%"
	if state == "pending" {
		progress = ""
	}
	out := map[string]any{"SnapshotId": s.ID, "VolumeId": s.VolumeID, "VolumeSize": s.SizeGiB, "Description": s.Description,
		"Encrypted": s.Encrypted, "OwnerId": c.Account, "StartTime": api.Time(s.StartTime), "State": state,
		"StorageTier": "standard", "Tags": api.EC2Tags(s.Tags)}
	if progress != "" {
		out["Progress"] = progress
	}
	return out
}

func createSnapshot(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "snapshot")
	if err != nil {
		return nil, err
	}
	s, err := c.Engine.CreateSnapshot(model.VolumeID(c.In.String("VolumeId")), c.In.String("Description"), tags)
	if err != nil {
		return nil, err
	}
	return snapshotOut(c, s, "pending"), nil
}

func deleteSnapshot(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteSnapshot(model.SnapshotID(c.In.String("SnapshotId")))
}

// describeSnapshots lists the account's snapshots (ecsnet keeps no public
// or shared ones): OwnerIds other than "self" or the account find none.
func describeSnapshots(c *api.Call) (map[string]any, error) {
	if err := noIDsWithMax(c.In, "SnapshotIds", "SnapshotId"); err != nil {
		return nil, err
	}
	var items []*model.Snapshot
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.Snapshots, c.In.Strings("SnapshotIds"), func(id string) error {
			if len(id) < 6 || id[:5] != "snap-" {
				return apierr.Newf("InvalidSnapshotID.Malformed", "Invalid id: \"%s\" (expecting \"snap-...\")", id)
			}
			return apierr.Newf("InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.", id)
		})
	})
	if err != nil {
		return nil, err
	}
	if owners := c.In.Strings("OwnerIds"); len(owners) > 0 {
		mine := false
		for _, o := range owners {
			mine = mine || o == "self" || o == c.Account
		}
		if !mine {
			items = nil
		}
	}
	// RestorableByUserIds: the snapshots those accounts may create
	// volumes from: the account's own for its own id or "self", those
	// shared with an account by id or with everyone (all) for another.
	if users := c.In.Strings("RestorableByUserIds"); len(users) > 0 {
		items = slices.DeleteFunc(items, func(s *model.Snapshot) bool {
			for _, u := range users {
				if u == "self" || u == c.Account {
					return false
				}
				for _, p := range s.CreateVolumePermissions {
					if p.Group == "all" || p.UserID == u {
						return false
					}
				}
			}
			return true
		})
	}
	type S = *model.Snapshot
	fs := api.FilterSet[S]{
		Tags: func(s S) model.Tags { return s.Tags },
		Attrs: map[string]func(S) []string{
			"snapshot-id":  func(s S) []string { return api.One(s.ID) },
			"volume-id":    func(s S) []string { return api.One(s.VolumeID) },
			"volume-size":  func(s S) []string { return []string{strconv.Itoa(s.SizeGiB)} },
			"description":  func(s S) []string { return []string{s.Description} },
			"encrypted":    func(s S) []string { return api.Bool(s.Encrypted) },
			"owner-id":     func(S) []string { return []string{c.Account} },
			"status":       func(S) []string { return []string{"completed"} },
			"progress":     func(S) []string { return []string{"100%"} },
			"storage-tier": func(S) []string { return []string{"standard"} },
		},
	}
	key := func(s S) string { return string(s.ID) }
	return describePage(c, items, fs, key, "Snapshots", func(s S) any { return snapshotOut(c, s, "completed") })
}
