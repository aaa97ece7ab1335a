package ec2

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerVolumes(r *api.Registry) {
	add(r, "CreateVolume", createVolume)
	add(r, "DeleteVolume", deleteVolume)
	add(r, "DescribeVolumes", describeVolumes)
	add(r, "AttachVolume", attachVolume)
	add(r, "DetachVolume", detachVolume)
}

func volumeAttachmentOut(v *model.Volume, state string) map[string]any {
	a := v.Attachment
	return map[string]any{"VolumeId": v.ID, "InstanceId": a.InstanceID, "Device": a.Device, "State": state,
		"AttachTime": api.Time(a.AttachedAt), "DeleteOnTermination": a.DeleteOnTermination}
}

func volumeOut(v *model.Volume, state string) map[string]any {
	atts := []any{}
	if v.Attachment != nil {
		atts = append(atts, volumeAttachmentOut(v, "attached"))
	}
	out := map[string]any{"VolumeId": v.ID, "Size": v.SizeGiB, "VolumeType": v.Type, "AvailabilityZone": v.AvailabilityZone,
		"State": state, "CreateTime": api.Time(v.CreatedAt), "Encrypted": v.Encrypted, "Attachments": atts, "Tags": api.EC2Tags(v.Tags),
		"MultiAttachEnabled": false, "SnapshotId": v.SnapshotID}
	if v.IOPS > 0 {
		out["Iops"] = v.IOPS
	}
	if v.Type == "gp3" {
		t := v.Throughput
		if t == 0 {
			t = 125
		}
		out["Throughput"] = t
	}
	return out
}

func createVolume(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "volume")
	if err != nil {
		return nil, err
	}
	v, err := c.Engine.CreateVolume(engine.CreateVolumeInput{AvailabilityZone: c.In.String("AvailabilityZone"), SizeGiB: int(c.In.Int("Size")),
		Type: c.In.String("VolumeType"), IOPS: int(c.In.Int("Iops")), Encrypted: c.In.Bool("Encrypted"), SnapshotID: c.In.String("SnapshotId"), Tags: tags})
	if err != nil {
		return nil, err
	}
	return volumeOut(v, "creating"), nil
}

func deleteVolume(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteVolume(model.VolumeID(c.In.String("VolumeId")))
}

func attachVolume(c *api.Call) (map[string]any, error) {
	v, err := c.Engine.AttachVolume(model.VolumeID(c.In.String("VolumeId")), model.InstanceID(c.In.String("InstanceId")), c.In.String("Device"))
	if err != nil {
		return nil, err
	}
	return volumeAttachmentOut(v, "attaching"), nil
}

func detachVolume(c *api.Call) (map[string]any, error) {
	v, err := c.Engine.DetachVolume(model.VolumeID(c.In.String("VolumeId")), model.InstanceID(c.In.String("InstanceId")))
	if err != nil {
		return nil, err
	}
	return volumeAttachmentOut(v, "detaching"), nil
}

func describeVolumes(c *api.Call) (map[string]any, error) {
	var items []*model.Volume
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.Volumes, c.In.Strings("VolumeIds"), func(id string) error {
			return apierr.Newf("InvalidVolume.NotFound", "The volume '%s' does not exist.", id)
		})
	})
	if err != nil {
		return nil, err
	}
	type V = *model.Volume
	att := func(f func(*model.VolumeAttachment) string) func(V) []string {
		return func(v V) []string {
			if v.Attachment == nil {
				return nil
			}
			return []string{f(v.Attachment)}
		}
	}
	fs := api.FilterSet[V]{
		Tags: func(v V) model.Tags { return v.Tags },
		Attrs: map[string]func(V) []string{
			"volume-id":                        func(v V) []string { return api.One(v.ID) },
			"status":                           func(v V) []string { return []string{v.State()} },
			"availability-zone":                func(v V) []string { return []string{v.AvailabilityZone} },
			"volume-type":                      func(v V) []string { return []string{v.Type} },
			"size":                             func(v V) []string { return []string{strconv.Itoa(v.SizeGiB)} },
			"encrypted":                        func(v V) []string { return api.Bool(v.Encrypted) },
			"snapshot-id":                      func(v V) []string { return []string{v.SnapshotID} },
			"attachment.instance-id":           att(func(a *model.VolumeAttachment) string { return string(a.InstanceID) }),
			"attachment.device":                att(func(a *model.VolumeAttachment) string { return a.Device }),
			"attachment.status":                att(func(*model.VolumeAttachment) string { return "attached" }),
			"attachment.delete-on-termination": att(func(a *model.VolumeAttachment) string { return strconv.FormatBool(a.DeleteOnTermination) }),
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(v V) string { return string(v.ID) }
	items, next, err := page(c.In, api.SortBy(items, key), key, 5, 500)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = volumeOut(v, v.State())
	}
	return map[string]any{"Volumes": out, "NextToken": next}, nil
}

// blockDevices reads RunInstances' BlockDeviceMappings.
func blockDevices(in awsproto.Params) []engine.BlockDevice {
	var out []engine.BlockDevice
	for _, m := range in.Structs("BlockDeviceMappings") {
		if m.Has("NoDevice") || m.Has("VirtualName") {
			continue
		}
		b := engine.BlockDevice{Device: m.String("DeviceName")}
		if e := m.Struct("Ebs"); e != nil {
			b.SizeGiB, b.Type, b.IOPS, b.Encrypted = int(e.Int("VolumeSize")), e.String("VolumeType"), int(e.Int("Iops")), e.Bool("Encrypted")
			if e.Has("DeleteOnTermination") {
				v := e.Bool("DeleteOnTermination")
				b.DeleteOnTermination = &v
			}
		}
		out = append(out, b)
	}
	return out
}
