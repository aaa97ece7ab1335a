package engine

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// EBS snapshots: CreateSnapshot copies a volume's size and encryption;
// CreateVolume and launch block device mappings restore one. ecsnet keeps
// no data, so a snapshot completes at once.

func errSnapshotNotFound(id model.SnapshotID) error {
	return apierr.Newf("InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.", id)
}

func (t *txn) snapshot(id model.SnapshotID) (*model.Snapshot, error) {
	if err := checkID(string(id), "snap", "InvalidSnapshotID.Malformed"); err != nil {
		return nil, err
	}
	s := t.st.Snapshots[id]
	if s == nil {
		return nil, errSnapshotNotFound(id)
	}
	return s, nil
}

// CreateSnapshot snapshots a volume.
func (e *Engine) CreateSnapshot(vol model.VolumeID, description string, tags model.Tags) (*model.Snapshot, error) {
	var out *model.Snapshot
	err := e.write(func(t *txn) error {
		v, err := t.volume(vol)
		if err != nil {
			return err
		}
		out = &model.Snapshot{ID: model.SnapshotID(t.newID("snap")), VolumeID: v.ID, SizeGiB: v.SizeGiB, Description: description,
			Encrypted: v.Encrypted, StartTime: t.now, Tags: tags.Clone()}
		put(t, model.KindSnapshot, t.st.Snapshots, out.ID, out)
		return nil
	})
	return out, err
}

// CreateSnapshotsInput is CreateSnapshots' input: the instance whose
// attached volumes to snapshot, the volumes left out, and what each
// snapshot gets.
type CreateSnapshotsInput struct {
	InstanceID         model.InstanceID
	ExcludeBootVolume  bool
	ExcludeDataVolumes []model.VolumeID
	Description        string
	Tags               model.Tags
	// CopyVolumeTags copies each volume's tags to its snapshot
	// (CopyTagsFromSource "volume"); Tags apply over them.
	CopyVolumeTags bool
}

// CreateSnapshots snapshots every EBS volume attached to an instance (a
// crash-consistent set), one snapshot per volume in the order the
// instance lists them. The root volume is excluded by ExcludeBootVolume
// only; naming it among the data volumes to exclude is refused.
func (e *Engine) CreateSnapshots(in CreateSnapshotsInput) ([]*model.Snapshot, error) {
	var out []*model.Snapshot
	err := e.write(func(t *txn) error {
		inst, err := t.instance(in.InstanceID)
		if err != nil {
			return err
		}
		excluded := map[model.VolumeID]bool{}
		for _, id := range in.ExcludeDataVolumes {
			v, err := t.volume(id)
			if err != nil {
				return err
			}
			if v.Attachment == nil || v.Attachment.InstanceID != inst.ID {
				return errInvalidParameterValue("The volume %s is not attached to instance %s.", id, inst.ID)
			}
			if v.Attachment.Device == inst.RootDeviceName() {
				return errInvalidParameterValue("The root volume %s cannot be excluded with ExcludeDataVolumeIds; use ExcludeBootVolume.", id)
			}
			excluded[id] = true
		}
		for _, vid := range inst.Volumes {
			v := t.st.Volumes[vid]
			if v == nil || v.Attachment == nil || v.Attachment.InstanceID != inst.ID || excluded[v.ID] ||
				(in.ExcludeBootVolume && v.Attachment.Device == inst.RootDeviceName()) {
				continue
			}
			var tags model.Tags
			if in.CopyVolumeTags {
				tags = v.Tags.Clone()
			}
			for k, val := range in.Tags {
				if tags == nil {
					tags = model.Tags{}
				}
				tags[k] = val
			}
			s := &model.Snapshot{ID: model.SnapshotID(t.newID("snap")), VolumeID: v.ID, SizeGiB: v.SizeGiB,
				Description: in.Description, Encrypted: v.Encrypted, StartTime: t.now, Tags: tags}
			put(t, model.KindSnapshot, t.st.Snapshots, s.ID, s)
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// DeleteSnapshot deletes a snapshot.
func (e *Engine) DeleteSnapshot(id model.SnapshotID) error {
	return e.write(func(t *txn) error {
		if _, err := t.snapshot(id); err != nil {
			return err
		}
		// AWS refuses to delete a snapshot a registered AMI uses.
		if im := t.snapshotImage(id); im != "" {
			return apierr.Newf("InvalidSnapshot.InUse", "The snapshot %s is currently in use by %s", id, im)
		}
		del(t, model.KindSnapshot, t.st.Snapshots, id)
		return nil
	})
}

// restoreSize is the size of a volume made from a snapshot: the snapshot's
// when none is asked, never less.
func (t *txn) restoreSize(id model.SnapshotID, size int, code string) (int, *model.Snapshot, error) {
	s, err := t.snapshot(id)
	if err != nil {
		return 0, nil, err
	}
	if size == 0 {
		return s.SizeGiB, s, nil
	}
	if size < s.SizeGiB {
		return 0, nil, apierr.Newf(code, "Volume of size %dGB is smaller than snapshot '%s', expect size >= %dGB", size, id, s.SizeGiB)
	}
	return size, s, nil
}

// restoreBlockDevices sizes the launch mappings that restore a snapshot.
func (t *txn) restoreBlockDevices(maps []BlockDevice) ([]BlockDevice, error) {
	var out []BlockDevice
	for _, m := range maps {
		if m.SnapshotID != "" {
			size, snap, err := t.restoreSize(m.SnapshotID, m.SizeGiB, "InvalidBlockDeviceMapping")
			if err != nil {
				return nil, err
			}
			m.SizeGiB, m.Encrypted = size, m.Encrypted || snap.Encrypted
		}
		out = append(out, m)
	}
	return out, nil
}
