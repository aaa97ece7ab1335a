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
	add(r, "ModifyVolume", modifyVolume)
	add(r, "DescribeVolumesModifications", describeVolumesModifications)
	add(r, "DescribeVolumeAttribute", describeVolumeAttribute)
	add(r, "ModifyVolumeAttribute", modifyVolumeAttribute)
	add(r, "DescribeVolumeStatus", describeVolumeStatus)
	add(r, "AttachVolume", attachVolume)
	add(r, "DetachVolume", detachVolume)
	registerSnapshots(r)
	add(r, "GetEbsEncryptionByDefault", func(c *api.Call) (map[string]any, error) { return ebsEncryptionByDefaultOut(c), nil })
	add(r, "EnableEbsEncryptionByDefault", func(c *api.Call) (map[string]any, error) { return setEBSEncryptionByDefault(c, true) })
	add(r, "DisableEbsEncryptionByDefault", func(c *api.Call) (map[string]any, error) { return setEBSEncryptionByDefault(c, false) })
	add(r, "GetEbsDefaultKmsKeyId", getEBSDefaultKMSKeyID)
	add(r, "ModifyEbsDefaultKmsKeyId", func(c *api.Call) (map[string]any, error) { return setEBSDefaultKMSKey(c, c.In.String("KmsKeyId")) })
	add(r, "ResetEbsDefaultKmsKeyId", func(c *api.Call) (map[string]any, error) { return setEBSDefaultKMSKey(c, "") })
}

func ebsEncryptionByDefaultOut(c *api.Call) map[string]any {
	return map[string]any{"EbsEncryptionByDefault": c.Engine.EBSDefaults().Enabled, "SseType": "none"}
}

func setEBSEncryptionByDefault(c *api.Call, on bool) (map[string]any, error) {
	if err := c.Engine.SetEBSEncryptionByDefault(on); err != nil {
		return nil, err
	}
	return map[string]any{"EbsEncryptionByDefault": on}, nil
}

// getEBSDefaultKMSKeyID answers the key ModifyEbsDefaultKmsKeyId set, else
// alias/aws/ebs (the AWS managed key, named by its alias as EC2 does).
func getEBSDefaultKMSKeyID(c *api.Call) (map[string]any, error) {
	key := c.Engine.EBSDefaults().KmsKeyID
	if key == "" {
		key = "alias/aws/ebs"
	}
	return map[string]any{"KmsKeyId": key}, nil
}

func setEBSDefaultKMSKey(c *api.Call, key string) (map[string]any, error) {
	arn, err := c.Engine.SetEBSDefaultKMSKey(key)
	if err != nil {
		return nil, err
	}
	return map[string]any{"KmsKeyId": arn}, nil
}

func volumeAttachmentOut(v *model.Volume, state string) map[string]any {
	a := v.Attachment
	return map[string]any{"VolumeId": v.ID, "InstanceId": a.InstanceID, "Device": a.Device, "State": state,
		"AttachTime": api.Time(ebsTime(a.AttachedAt)), "DeleteOnTermination": a.DeleteOnTermination}
}

func volumeOut(v *model.Volume, state string) map[string]any {
	atts := []any{}
	if v.Attachment != nil {
		atts = append(atts, volumeAttachmentOut(v, "attached"))
	}
	out := map[string]any{"VolumeId": v.ID, "Size": v.SizeGiB, "VolumeType": v.Type, "AvailabilityZone": v.AvailabilityZone,
		"State": state, "CreateTime": api.Time(ebsTime(v.CreatedAt)), "Encrypted": v.Encrypted, "Attachments": atts, "Tags": api.EC2Tags(v.Tags),
		"MultiAttachEnabled": false, "SnapshotId": v.SnapshotID}
	if v.IOPS > 0 {
		out["Iops"] = v.IOPS
	}
	if v.KmsKeyID != "" {
		out["KmsKeyId"] = v.KmsKeyID
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
		Type: c.In.String("VolumeType"), IOPS: int(c.In.Int("Iops")), Throughput: int(c.In.Int("Throughput")),
		Encrypted: c.In.Bool("Encrypted"), KmsKeyID: c.In.String("KmsKeyId"), SnapshotID: c.In.String("SnapshotId"), Tags: tags})
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
	v, err := c.Engine.DetachVolume(model.VolumeID(c.In.String("VolumeId")), model.InstanceID(c.In.String("InstanceId")), c.In.String("Device"))
	if err != nil {
		return nil, err
	}
	return volumeAttachmentOut(v, "detaching"), nil
}

func describeVolumes(c *api.Call) (map[string]any, error) {
	items, err := volumesAsked(c)
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
			"create-time":                      func(v V) []string { return []string{ebsTimeFilter(v.CreatedAt)} },
			"attachment.attach-time":           att(func(a *model.VolumeAttachment) string { return ebsTimeFilter(a.AttachedAt) }),
			"attachment.instance-id":           att(func(a *model.VolumeAttachment) string { return string(a.InstanceID) }),
			"attachment.device":                att(func(a *model.VolumeAttachment) string { return a.Device }),
			"attachment.status":                att(func(*model.VolumeAttachment) string { return "attached" }),
			"attachment.delete-on-termination": att(func(a *model.VolumeAttachment) string { return strconv.FormatBool(a.DeleteOnTermination) }),
			"availability-zone-id": func(v V) []string {
				for _, z := range engine.RegionAvailabilityZones(c.Region) {
					if z.Name == v.AvailabilityZone {
						return []string{z.ID}
					}
				}
				return nil
			},
			// No fast snapshot restore, Multi-Attach or managed (operator)
			// volumes are modelled.
			"fast-restored":        func(V) []string { return api.Bool(false) },
			"multi-attach-enabled": func(V) []string { return api.Bool(false) },
			"operator.managed":     func(V) []string { return nil },
			"operator.principal":   func(V) []string { return nil },
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(v V) string { return string(v.ID) }
	items, next, err := pageCapped(c.In, items, key, 5, 500)
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
func blockDevices(in awsproto.Params) ([]engine.BlockDevice, error) {
	var out []engine.BlockDevice
	for _, m := range in.Structs("BlockDeviceMappings") {
		if m.Has("NoDevice") {
			// NoDevice suppresses a mapping of the AMI; its value must be
			// empty.
			if m.String("NoDevice") != "" {
				return nil, apierr.New("InvalidRequest", "The request received was invalid")
			}
			continue
		}
		if m.Has("VirtualName") {
			continue
		}
		b := engine.BlockDevice{Device: m.String("DeviceName")}
		e := m.Struct("Ebs")
		if e == nil {
			return nil, apierr.New("MissingParameter", "The request must contain the parameter ebs")
		}
		b.SizeGiB, b.Type, b.IOPS, b.Encrypted = int(e.Int("VolumeSize")), e.String("VolumeType"), int(e.Int("Iops")), e.Bool("Encrypted")
		b.SnapshotID = model.SnapshotID(e.String("SnapshotId"))
		if b.SizeGiB == 0 && e.String("SnapshotId") == "" && b.Device != "/dev/xvda" {
			return nil, apierr.New("MissingParameter", "The request must contain the parameter size or snapshotId")
		}
		if e.Has("DeleteOnTermination") {
			v := e.Bool("DeleteOnTermination")
			b.DeleteOnTermination = &v
		}
		b.Throughput, b.KmsKeyID = int(e.Int("Throughput")), e.String("KmsKeyId")
		if b.KmsKeyID != "" && !b.Encrypted {
			return nil, apierr.New("InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set.")
		}
		if b.Throughput != 0 && b.VolumeType() != "gp3" {
			return nil, apierr.Newf("InvalidBlockDeviceMapping", "throughput cannot be specified with the volumeType of device '%s'", b.Device)
		}
		out = append(out, b)
	}
	return out, nil
}

func volumeModificationOut(v *model.Volume, done bool) map[string]any {
	m := v.Modification
	out := map[string]any{"VolumeId": v.ID, "ModificationState": "modifying", "Progress": 0, "StartTime": api.Time(m.StartedAt),
		"OriginalSize": m.OriginalSize, "TargetSize": m.TargetSize, "OriginalVolumeType": m.OriginalType, "TargetVolumeType": m.TargetType,
		"OriginalMultiAttachEnabled": false, "TargetMultiAttachEnabled": false}
	if m.OriginalIOPS > 0 {
		out["OriginalIops"] = m.OriginalIOPS
	}
	if m.TargetIOPS > 0 {
		out["TargetIops"] = m.TargetIOPS
	}
	if m.OriginalThroughput > 0 {
		out["OriginalThroughput"] = m.OriginalThroughput
	}
	if m.TargetThroughput > 0 {
		out["TargetThroughput"] = m.TargetThroughput
	}
	if done {
		out["ModificationState"], out["Progress"], out["EndTime"] = "completed", 100, api.Time(m.StartedAt)
	}
	return out
}

func modifyVolume(c *api.Call) (map[string]any, error) {
	v, err := c.Engine.ModifyVolume(model.VolumeID(c.In.String("VolumeId")), engine.ModifyVolumeInput{
		SizeGiB: ptrInt(c.In, "Size"), IOPS: ptrInt(c.In, "Iops"), Throughput: ptrInt(c.In, "Throughput"), Type: c.In.String("VolumeType")})
	if err != nil {
		return nil, err
	}
	return map[string]any{"VolumeModification": volumeModificationOut(v, false)}, nil
}

// describeVolumesModifications lists the most recent modification of each
// volume (API_DescribeVolumesModifications: "the most recent volume
// modification request for the specified EBS volumes").
func describeVolumesModifications(c *api.Call) (map[string]any, error) {
	items, err := volumesAsked(c)
	if err != nil {
		return nil, err
	}
	type V = *model.Volume
	kept := items[:0:0]
	for _, v := range items {
		if v.Modification != nil {
			kept = append(kept, v)
		}
	}
	mod := func(f func(m *model.VolumeModification) string) func(V) []string {
		return func(v V) []string { return []string{f(v.Modification)} }
	}
	fs := api.FilterSet[V]{Attrs: map[string]func(V) []string{
		"volume-id":            func(v V) []string { return api.One(v.ID) },
		"modification-state":   func(V) []string { return []string{"completed"} },
		"target-size":          mod(func(m *model.VolumeModification) string { return strconv.Itoa(m.TargetSize) }),
		"target-iops":          mod(func(m *model.VolumeModification) string { return strconv.Itoa(m.TargetIOPS) }),
		"target-volume-type":   mod(func(m *model.VolumeModification) string { return m.TargetType }),
		"original-size":        mod(func(m *model.VolumeModification) string { return strconv.Itoa(m.OriginalSize) }),
		"original-iops":        mod(func(m *model.VolumeModification) string { return strconv.Itoa(m.OriginalIOPS) }),
		"original-volume-type": mod(func(m *model.VolumeModification) string { return m.OriginalType }),
		"start-time":           mod(func(m *model.VolumeModification) string { return ebsTimeFilter(m.StartedAt) }),
		// No volume is Multi-Attach enabled, before or after.
		"originalMultiAttachEnabled": func(V) []string { return api.Bool(false) },
		"targetMultiAttachEnabled":   func(V) []string { return api.Bool(false) },
	}}
	if kept, err = fs.Apply(kept, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(v V) string { return string(v.ID) }
	kept, next, err := pageCapped(c.In, kept, key, 5, 500)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(kept))
	for i, v := range kept {
		out[i] = volumeModificationOut(v, true)
	}
	return map[string]any{"VolumesModifications": out, "NextToken": next}, nil
}

// volumesAsked returns the volumes VolumeIds names (every volume without
// it), or those of ids when given, or EC2's not-found error for the first
// missing one.
func volumesAsked(c *api.Call, ids ...string) ([]*model.Volume, error) {
	if ids == nil {
		ids = c.In.Strings("VolumeIds")
	}
	var items []*model.Volume
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.Volumes, ids, func(id string) error {
			return apierr.Newf("InvalidVolume.NotFound", "The volume '%s' does not exist.", id)
		})
	})
	return items, err
}

// describeVolumeAttribute answers one attribute of a volume: autoEnableIO
// (false until ModifyVolumeAttribute sets it) or productCodes (none: a
// volume ecsnet makes carries no Marketplace code) (botocore's
// examples-1.json: DescribeVolumeAttribute).
func describeVolumeAttribute(c *api.Call) (map[string]any, error) {
	vols, err := volumesAsked(c, c.In.String("VolumeId"))
	if err != nil {
		return nil, err
	}
	v := vols[0]
	out := map[string]any{"VolumeId": v.ID}
	switch a := c.In.String("Attribute"); a {
	case "autoEnableIO":
		out["AutoEnableIO"] = map[string]any{"Value": v.AutoEnableIO}
	case "productCodes":
		out["ProductCodes"] = []any{}
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
	}
	return out, nil
}

// modifyVolumeAttribute sets autoEnableIO, the one attribute it changes;
// without it the call changes nothing [choice].
func modifyVolumeAttribute(c *api.Call) (map[string]any, error) {
	id := model.VolumeID(c.In.String("VolumeId"))
	if !c.In.Has("AutoEnableIO") {
		_, err := volumesAsked(c, string(id))
		return nil, err
	}
	return nil, c.Engine.SetVolumeAutoEnableIO(id, c.In.Struct("AutoEnableIO").Bool("Value"))
}

// describeVolumeStatus answers every volume as healthy: status ok, I/O
// enabled (passed), and io-performance "not-applicable" but for
// Provisioned IOPS volumes (io1, io2: "normal"), with no events or
// actions (botocore's examples-1.json: DescribeVolumeStatus; the filters of
// the API reference).
func describeVolumeStatus(c *api.Call) (map[string]any, error) {
	items, err := volumesAsked(c)
	if err != nil {
		return nil, err
	}
	type V = *model.Volume
	perf := func(v V) string {
		if v.Type == "io1" || v.Type == "io2" {
			return "normal"
		}
		return "not-applicable"
	}
	fs := api.FilterSet[V]{Attrs: map[string]func(V) []string{
		"volume-id":                    func(v V) []string { return api.One(v.ID) },
		"availability-zone":            func(v V) []string { return []string{v.AvailabilityZone} },
		"volume-status.status":         func(V) []string { return []string{"ok"} },
		"volume-status.details-name":   func(V) []string { return []string{"io-enabled", "io-performance"} },
		"volume-status.details-status": func(v V) []string { return []string{"passed", perf(v)} },
		"action.code":                  func(V) []string { return nil },
		"action.description":           func(V) []string { return nil },
		"action.event-id":              func(V) []string { return nil },
		"event.description":            func(V) []string { return nil },
		"event.event-id":               func(V) []string { return nil },
		"event.event-type":             func(V) []string { return nil },
		"event.not-after":              func(V) []string { return nil },
		"event.not-before":             func(V) []string { return nil },
	}}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(v V) string { return string(v.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, v := range items {
		out[i] = map[string]any{"VolumeId": v.ID, "AvailabilityZone": v.AvailabilityZone, "Actions": []any{}, "Events": []any{},
			"VolumeStatus": map[string]any{"Status": "ok", "Details": []any{
				map[string]any{"Name": "io-enabled", "Status": "passed"},
				map[string]any{"Name": "io-performance", "Status": perf(v)},
			}}}
	}
	return map[string]any{"VolumeStatuses": out, "NextToken": next}, nil
}
