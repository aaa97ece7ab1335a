package ec2

import (
	"slices"
	"strconv"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerSnapshots(r *api.Registry) {
	add(r, "CreateSnapshot", createSnapshot)
	add(r, "DeleteSnapshot", deleteSnapshot)
	add(r, "DescribeSnapshots", describeSnapshots)
	add(r, "CreateSnapshots", createSnapshots)
}

// ebsTime is a volume's or snapshot's time as EC2 answers it: in whole
// seconds (CreateTime and StartTime end in ".000Z").
func ebsTime(t time.Time) time.Time { return t.Truncate(time.Second) }

// ebsTimeFilter is the value the create-time, start-time and
// attachment.attach-time filters compare: the time as answered.
func ebsTimeFilter(t time.Time) string { return ebsTime(t).UTC().Format("2006-01-02T15:04:05.000Z") }

func snapshotOut(c *api.Call, s *model.Snapshot, state string) map[string]any {
	progress := "100%"
	if state == "pending" {
		progress = ""
	}
	out := map[string]any{"SnapshotId": s.ID, "VolumeId": s.VolumeID, "VolumeSize": s.SizeGiB, "Description": s.Description,
		"Encrypted": s.Encrypted, "OwnerId": c.Account, "StartTime": api.Time(ebsTime(s.StartTime)), "State": state,
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
	out := snapshotOut(c, s, "pending")
	out["Tags"] = createdSnapshotTags(s.Tags)
	return out, nil
}

// createdSnapshotTags is a new snapshot's tag set as CreateSnapshot and
// CreateSnapshots answer it: an empty set is answered (`"Tags": []` in
// the AWS CLI's examples of both), where DescribeSnapshots, like
// ecsnet's other EC2 descriptions, leaves it out.
func createdSnapshotTags(tags model.Tags) any {
	if len(tags) == 0 {
		return []any{}
	}
	return api.EC2Tags(tags)
}

// createSnapshots snapshots the volumes attached to an instance; the
// answer lists them as SnapshotInfo (no Progress), pending.
func createSnapshots(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "snapshot")
	if err != nil {
		return nil, err
	}
	spec := c.In.Struct("InstanceSpecification")
	if spec.String("InstanceId") == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter InstanceSpecification.InstanceId")
	}
	copyTags := false
	switch src := c.In.String("CopyTagsFromSource"); src {
	case "":
	case "volume":
		copyTags = true
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter copyTagsFromSource is invalid. Valid values are: volume.", src)
	}
	var exclude []model.VolumeID
	for _, id := range spec.Strings("ExcludeDataVolumeIds") {
		exclude = append(exclude, model.VolumeID(id))
	}
	snaps, err := c.Engine.CreateSnapshots(engine.CreateSnapshotsInput{InstanceID: model.InstanceID(spec.String("InstanceId")),
		ExcludeBootVolume: spec.Bool("ExcludeBootVolume"), ExcludeDataVolumes: exclude, Description: c.In.String("Description"),
		Tags: tags, CopyVolumeTags: copyTags})
	if err != nil {
		return nil, err
	}
	out := make([]any, len(snaps))
	for i, s := range snaps {
		out[i] = map[string]any{"SnapshotId": s.ID, "VolumeId": s.VolumeID, "VolumeSize": s.SizeGiB, "Description": s.Description,
			"Encrypted": s.Encrypted, "OwnerId": c.Account, "StartTime": api.Time(ebsTime(s.StartTime)), "State": "pending",
			"Tags": createdSnapshotTags(s.Tags)}
	}
	return map[string]any{"Snapshots": out}, nil
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
			"start-time":   func(s S) []string { return []string{ebsTimeFilter(s.StartTime)} },
			// The account's own snapshots have no Amazon owner alias, and no
			// copy is a time-based one.
			"owner-alias":   func(S) []string { return nil },
			"transfer-type": func(S) []string { return nil },
		},
	}
	key := func(s S) string { return string(s.ID) }
	return describePage(c, items, fs, key, "Snapshots", func(s S) any { return snapshotOut(c, s, "completed") })
}
