package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// rootDevice is the root device name of an AMI ecsnet does not hold
// (Amazon Linux: /dev/xvda); an instance of an image ecsnet holds has that
// image's (model.Instance.RootDeviceName).
const rootDevice = "/dev/xvda"

// BlockDevice is one block device mapping of RunInstances.
type BlockDevice struct {
	Device              string
	SizeGiB             int    // 0: the default (8 GiB for the root volume)
	Type                string // "": gp3 for the root volume, gp2 for others
	IOPS                int
	Throughput          int // MiB/s, gp3 only
	Encrypted           bool
	KmsKeyID            string
	DeleteOnTermination *bool // nil: true for the root volume and for new volumes given at launch
	// SnapshotID restores a snapshot: the volume has its size unless a
	// larger one is asked, and its encryption.
	SnapshotID model.SnapshotID
}

func errVolumeNotFound(id model.VolumeID) error {
	return apierr.Newf("InvalidVolume.NotFound", "The volume '%s' does not exist.", id)
}

var volumeTypes = map[string]bool{"gp2": true, "gp3": true, "io1": true, "io2": true, "st1": true, "sc1": true, "standard": true}

// launchVolumeID derives the id of a volume created at launch from the
// instance id and the device, so that launching draws no ids from the id
// source beyond the instance's own (scenario ids stay as they were).
func launchVolumeID(inst model.InstanceID, device, root string) model.VolumeID {
	if device == root {
		return model.VolumeID("vol-" + strings.TrimPrefix(string(inst), "i-"))
	}
	sum := sha256.Sum256([]byte(string(inst) + device))
	return model.VolumeID("vol-" + hex.EncodeToString(sum[:])[:17])
}

// launchVolumes creates the volumes of a new instance (not yet stored):
// the root volume at the instance's root device (8 GiB gp3 unless a
// mapping for that device says otherwise) and one per other mapping, all
// in the instance's zone, attached, each with the launch's volume tags.
func (t *txn) launchVolumes(inst *model.Instance, maps []BlockDevice, tags model.Tags) {
	rootName := inst.RootDeviceName()
	root := BlockDevice{Device: rootName}
	var others []BlockDevice
	for _, m := range maps {
		if m.Device == rootName {
			root = m
		} else {
			others = append(others, m)
		}
	}
	for _, m := range append([]BlockDevice{root}, others...) {
		size, typ := m.SizeGiB, m.Type
		if typ == "" {
			typ = "gp2"
			if m.Device == rootName {
				typ = "gp3"
			}
		}
		if size == 0 {
			size = 8
		}
		dot := m.DeleteOnTermination == nil || *m.DeleteOnTermination
		m.Encrypted, m.KmsKeyID = t.ebsEncryption(m.Encrypted, m.KmsKeyID)
		v := &model.Volume{ID: launchVolumeID(inst.ID, m.Device, rootName), SizeGiB: size, Type: typ, IOPS: defaultIOPS(typ, size, m.IOPS),
			Throughput: m.Throughput, AvailabilityZone: inst.AvailabilityZone, Encrypted: m.Encrypted, KmsKeyID: m.KmsKeyID,
			CreatedAt: t.now, SnapshotID: string(m.SnapshotID),
			Attachment: &model.VolumeAttachment{InstanceID: inst.ID, Device: m.Device, DeleteOnTermination: dot, AttachedAt: t.now},
			Tags:       tags.Clone()}
		put(t, model.KindVolume, t.st.Volumes, v.ID, v)
		inst.Volumes = append(inst.Volumes, v.ID)
	}
}

// VolumeType is the type of the volume a launch mapping makes: the one
// asked for, else gp3 for the root volume and gp2 for others.
func (b BlockDevice) VolumeType() string {
	switch {
	case b.Type != "":
		return b.Type
	case b.Device == rootDevice:
		return "gp3"
	}
	return "gp2"
}

// volumeAttached records on an instance that a volume was attached to it
// (attached true) or detached from it.
func (t *txn) volumeAttached(inst model.InstanceID, vol model.VolumeID, attached bool) {
	i := t.st.Instances[inst]
	if i == nil {
		return
	}
	c := *i
	c.Volumes = slices.DeleteFunc(slices.Clone(i.Volumes), func(v model.VolumeID) bool { return v == vol })
	if attached {
		c.Volumes = append(c.Volumes, vol)
	}
	put(t, model.KindInstance, t.st.Instances, c.ID, &c)
}

// defaultIOPS is a volume's IOPS: given, gp3's baseline 3000, or gp2's
// 3 per GiB (100 to 16000) (ebs-volume-types.md).
func defaultIOPS(typ string, size, iops int) int {
	switch {
	case iops > 0:
		return iops
	case typ == "gp3":
		return 3000
	case typ == "gp2":
		return min(max(3*size, 100), 16000)
	}
	return 0
}

// launchBlockDevices turns the block device mappings of a launch template
// or launch configuration into RunInstances' (NoDevice and instance-store
// mappings make no volume and are left out).
func launchBlockDevices(maps []model.LCBlockDevice) []BlockDevice {
	var out []BlockDevice
	for _, m := range maps {
		if m.NoDevice || m.VirtualName != "" || m.Ebs == nil {
			continue
		}
		b := BlockDevice{Device: m.DeviceName, Type: m.Ebs.VolumeType, SnapshotID: model.SnapshotID(m.Ebs.SnapshotID),
			DeleteOnTermination: m.Ebs.DeleteOnTermination}
		if m.Ebs.VolumeSize != nil {
			b.SizeGiB = *m.Ebs.VolumeSize
		}
		if m.Ebs.Iops != nil {
			b.IOPS = *m.Ebs.Iops
		}
		if m.Ebs.Encrypted != nil {
			b.Encrypted = *m.Ebs.Encrypted
		}
		out = append(out, b)
	}
	return out
}

// overBlockDevices returns the template's mappings with the request's over
// them: a device the request maps is the request's, the template's other
// devices are kept.
func overBlockDevices(template, request []BlockDevice) []BlockDevice {
	if len(template) == 0 {
		return request
	}
	out := slices.DeleteFunc(template, func(t BlockDevice) bool {
		return slices.ContainsFunc(request, func(r BlockDevice) bool { return r.Device == t.Device })
	})
	return append(out, request...)
}

// checkBlockDevices validates RunInstances' block device mappings.
func checkBlockDevices(maps []BlockDevice) error {
	seen := map[string]bool{}
	for _, m := range maps {
		if m.Device == "" {
			return errMissingParameter("BlockDeviceMapping.DeviceName")
		}
		if seen[m.Device] {
			return errInvalidParameterValue("Invalid block device mapping: duplicate device name %s", m.Device)
		}
		seen[m.Device] = true
		if m.Type != "" && !volumeTypes[m.Type] {
			return errInvalidParameterValue("Value (%s) for parameter volumeType is invalid. Valid values are: standard, io1, io2, gp2, sc1, st1, gp3.", m.Type)
		}
		if m.SizeGiB < 0 || m.SizeGiB > 16384 {
			return errInvalidParameterValue("Volume of %dGiB is too large; maximum is 16384GiB", m.SizeGiB)
		}
	}
	return nil
}

// instanceVolumesGone deletes the volumes of a terminated instance that
// delete on termination and detaches the others.
func (t *txn) instanceVolumesGone(id model.InstanceID) {
	for _, vid := range t.st.Instances[id].Volumes {
		v := t.st.Volumes[vid]
		if v == nil || v.Attachment == nil || v.Attachment.InstanceID != id {
			continue
		}
		if v.Attachment.DeleteOnTermination {
			del(t, model.KindVolume, t.st.Volumes, v.ID)
			continue
		}
		c := *v
		c.Attachment = nil
		put(t, model.KindVolume, t.st.Volumes, c.ID, &c)
	}
}

// CreateVolumeInput is CreateVolume's input.
type CreateVolumeInput struct {
	AvailabilityZone string
	SizeGiB          int
	Type             string
	IOPS             int
	Throughput       int // MiB/s, gp3 only (0: the default 125)
	Encrypted        bool
	KmsKeyID         string
	SnapshotID       string
	Tags             model.Tags
}

// CreateVolume creates an available volume in a zone.
func (e *Engine) CreateVolume(in CreateVolumeInput) (*model.Volume, error) {
	if in.AvailabilityZone == "" {
		return nil, errMissingParameter("AvailabilityZone")
	}
	if in.Type == "" {
		in.Type = "gp2"
	}
	if !volumeTypes[in.Type] {
		return nil, errInvalidParameterValue("Value (%s) for parameter volumeType is invalid. Valid values are: standard, io1, io2, gp2, sc1, st1, gp3.", in.Type)
	}
	if in.SizeGiB == 0 && in.SnapshotID == "" {
		return nil, errMissingParameter("size/snapshot")
	}
	if in.SizeGiB < 0 || in.SizeGiB > 16384 {
		return nil, errInvalidParameterValue("Volume of %dGiB is too large; maximum is 16384GiB", in.SizeGiB)
	}
	if (in.Type == "io1" || in.Type == "io2") && in.IOPS == 0 {
		return nil, errMissingParameter("iops")
	}
	if in.KmsKeyID != "" && !in.Encrypted {
		return nil, apierr.New("InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set.")
	}
	if in.Throughput != 0 {
		if in.Type != "gp3" {
			return nil, apierr.New("InvalidParameterCombination", "throughput can only be specified for volumeType gp3.")
		}
		if in.Throughput < 125 || in.Throughput > 2000 {
			return nil, errInvalidParameterValue("Volume throughput of %d MiB/s is not valid; it must be between 125 and 2000 MiB/s.", in.Throughput)
		}
	}
	var out *model.Volume
	err := e.write(func(t *txn) error {
		if _, ok := t.e.azID(in.AvailabilityZone); !ok {
			return errInvalidParameterValue("Invalid availability zone: [%s]", in.AvailabilityZone)
		}
		if in.SnapshotID != "" {
			size, snap, err := t.restoreSize(model.SnapshotID(in.SnapshotID), in.SizeGiB, "InvalidParameterValue")
			if err != nil {
				return err
			}
			in.SizeGiB, in.Encrypted = size, in.Encrypted || snap.Encrypted
		}
		in.Encrypted, in.KmsKeyID = t.ebsEncryption(in.Encrypted, in.KmsKeyID)
		v := &model.Volume{ID: model.VolumeID(t.newID("vol")), SizeGiB: in.SizeGiB, Type: in.Type, IOPS: defaultIOPS(in.Type, in.SizeGiB, in.IOPS),
			Throughput: in.Throughput, AvailabilityZone: in.AvailabilityZone, Encrypted: in.Encrypted, KmsKeyID: in.KmsKeyID,
			CreatedAt: t.now, SnapshotID: in.SnapshotID, Tags: in.Tags.Clone()}
		put(t, model.KindVolume, t.st.Volumes, v.ID, v)
		out = v
		return nil
	})
	return out, err
}

func (t *txn) volume(id model.VolumeID) (*model.Volume, error) {
	if err := checkID(string(id), "vol", "InvalidVolumeID.Malformed"); err != nil {
		return nil, err
	}
	v := t.st.Volumes[id]
	if v == nil {
		return nil, errVolumeNotFound(id)
	}
	return v, nil
}

// DeleteVolume deletes an available volume.
func (e *Engine) DeleteVolume(id model.VolumeID) error {
	return e.write(func(t *txn) error {
		v, err := t.volume(id)
		if err != nil {
			return err
		}
		if v.Attachment != nil {
			return apierr.Newf("VolumeInUse", "Volume %s is currently attached to %s", id, v.Attachment.InstanceID)
		}
		del(t, model.KindVolume, t.st.Volumes, id)
		return nil
	})
}

// AttachVolume attaches an available volume to an instance of its zone at
// a free device name.
func (e *Engine) AttachVolume(id model.VolumeID, inst model.InstanceID, device string) (*model.Volume, error) {
	if device == "" {
		return nil, errMissingParameter("device")
	}
	var out *model.Volume
	err := e.write(func(t *txn) error {
		v, err := t.volume(id)
		if err != nil {
			return err
		}
		i, err := t.instance(inst)
		if err != nil {
			return err
		}
		if i.State != model.InstanceRunning && i.State != model.InstanceStopped {
			return apierr.Newf("IncorrectState", "Instance '%s' is not 'running'.", inst)
		}
		if v.Attachment != nil {
			return apierr.Newf("VolumeInUse", "%s is already attached to an instance", id)
		}
		if v.AvailabilityZone != i.AvailabilityZone {
			return apierr.Newf("InvalidVolume.ZoneMismatch", "The volume '%s' is not in the same availability zone as instance '%s'", id, inst)
		}
		for _, o := range t.st.Volumes {
			if o.Attachment != nil && o.Attachment.InstanceID == inst && o.Attachment.Device == device {
				return errInvalidParameterValue("Invalid value '%s' for unixDevice. Attachment point %s is already in use", device, device)
			}
		}
		c := *v
		c.Attachment = &model.VolumeAttachment{InstanceID: inst, Device: device, AttachedAt: t.now}
		put(t, model.KindVolume, t.st.Volumes, id, &c)
		t.volumeAttached(inst, id, true)
		out = &c
		return nil
	})
	return out, err
}

// DetachVolume detaches a volume; the root volume of an instance that is
// not stopped cannot be detached.
func (e *Engine) DetachVolume(id model.VolumeID, inst model.InstanceID, device string) (*model.Volume, error) {
	var out *model.Volume
	err := e.write(func(t *txn) error {
		v, err := t.volume(id)
		if err != nil {
			return err
		}
		if inst != "" {
			if _, err := t.instance(inst); err != nil {
				return err
			}
		}
		if v.Attachment == nil && (inst != "" || device != "") {
			return apierr.Newf("InvalidAttachment.NotFound", "The volume %s is not attached to instance %s as device %s", id, inst, device)
		}
		if v.Attachment == nil || (inst != "" && v.Attachment.InstanceID != inst) {
			return apierr.Newf("IncorrectState", "Volume '%s' is in the 'available' state.", id)
		}
		if device != "" && v.Attachment.Device != device {
			return apierr.Newf("InvalidAttachment.NotFound", "The volume %s is not attached to instance %s as device %s", id, v.Attachment.InstanceID, device)
		}
		if i := t.st.Instances[v.Attachment.InstanceID]; i != nil && v.Attachment.Device == i.RootDeviceName() && i.State != model.InstanceStopped {
			return apierr.Newf("OperationNotPermitted", "Unable to detach root volume '%s' from instance '%s'", id, i.ID)
		}
		out = &model.Volume{}
		*out = *v
		c := *v
		c.Attachment = nil
		put(t, model.KindVolume, t.st.Volumes, id, &c)
		t.volumeAttached(v.Attachment.InstanceID, id, false)
		return nil
	})
	return out, err
}

// setDeleteOnTermination sets an attachment's DeleteOnTermination
// (ModifyInstanceAttribute BlockDeviceMappings).
func (t *txn) setDeleteOnTermination(inst model.InstanceID, device string, dot bool) error {
	for _, vid := range t.st.Instances[inst].Volumes {
		v := t.st.Volumes[vid]
		if v != nil && v.Attachment != nil && v.Attachment.InstanceID == inst && v.Attachment.Device == device {
			c := *v
			a := *v.Attachment
			a.DeleteOnTermination = dot
			c.Attachment = &a
			put(t, model.KindVolume, t.st.Volumes, c.ID, &c)
			return nil
		}
	}
	return errInvalidParameterValue("No device is currently mapped at %s", device)
}

// SetVolumeAutoEnableIO sets a volume's autoEnableIO attribute
// (ModifyVolumeAttribute).
func (e *Engine) SetVolumeAutoEnableIO(id model.VolumeID, on bool) error {
	return e.write(func(t *txn) error {
		v, err := t.volume(id)
		if err != nil {
			return err
		}
		c := *v
		c.AutoEnableIO = on
		put(t, model.KindVolume, t.st.Volumes, c.ID, &c)
		return nil
	})
}

// ModifyVolumeInput is ModifyVolume's input; nil fields keep the volume's
// value.
type ModifyVolumeInput struct {
	SizeGiB, IOPS, Throughput *int
	Type                      string
}

// ModifyVolume changes a volume's size, type, IOPS or throughput. EC2
// applies a modification in the background (modifying, optimizing,
// completed) while the volume stays usable; ecsnet applies it at once and
// keeps it as the volume's most recent modification.
func (e *Engine) ModifyVolume(id model.VolumeID, in ModifyVolumeInput) (*model.Volume, error) {
	var out *model.Volume
	err := e.write(func(t *txn) error {
		v, err := t.volume(id)
		if err != nil {
			return err
		}
		c := *v
		m := &model.VolumeModification{OriginalSize: v.SizeGiB, OriginalType: v.Type, OriginalIOPS: v.IOPS,
			OriginalThroughput: v.Throughput, StartedAt: t.now}
		if v.Type == "gp3" && m.OriginalThroughput == 0 {
			m.OriginalThroughput = 125
		}
		if in.Type != "" {
			if !volumeTypes[in.Type] {
				return errInvalidParameterValue("Value (%s) for parameter volumeType is invalid. Valid values are: standard, io1, io2, gp2, sc1, st1, gp3.", in.Type)
			}
			c.Type = in.Type
		}
		if in.SizeGiB != nil {
			if *in.SizeGiB < v.SizeGiB {
				return errInvalidParameterValue("New size cannot be smaller than existing size")
			}
			if *in.SizeGiB > 16384 {
				return errInvalidParameterValue("Volume of %dGiB is too large; maximum is 16384GiB", *in.SizeGiB)
			}
			c.SizeGiB = *in.SizeGiB
		}
		// API_ModifyVolume: IOPS and throughput keep their values while the
		// type stays; a change to io1, io2 or gp3 defaults to 3,000 IOPS,
		// to gp3 to 125 MiB/s.
		iops := 0
		switch {
		case in.IOPS != nil:
			iops = *in.IOPS
		case c.Type == v.Type:
			iops = v.IOPS
		case c.Type == "io1" || c.Type == "io2" || c.Type == "gp3":
			iops = 3000
		}
		if c.Type != v.Type && c.Type != "gp3" {
			c.Throughput = 0
		}
		c.IOPS = defaultIOPS(c.Type, c.SizeGiB, iops)
		if in.Throughput != nil {
			c.Throughput = *in.Throughput
		}
		if c.SizeGiB == v.SizeGiB && c.Type == v.Type && c.IOPS == v.IOPS && c.Throughput == v.Throughput {
			return errInvalidParameterValue("Modification of volume %s must change at least one of the size, type, IOPS or throughput.", id)
		}
		m.TargetSize, m.TargetType, m.TargetIOPS, m.TargetThroughput = c.SizeGiB, c.Type, c.IOPS, c.Throughput
		if c.Type == "gp3" && m.TargetThroughput == 0 {
			m.TargetThroughput = 125
		}
		c.Modification = m
		put(t, model.KindVolume, t.st.Volumes, id, &c)
		out = &c
		return nil
	})
	return out, err
}

// ebsEncryption is whether a new volume is encrypted and with which key:
// encryption by default encrypts every new volume, whatever the request
// asked; an encrypted volume without a key of its own takes the account's
// default EBS key, the region's AWS managed key aws/ebs unless
// ModifyEbsDefaultKmsKeyId named another.
func (t *txn) ebsEncryption(encrypted bool, key string) (bool, string) {
	d := t.st.EBSDefaults[model.EBSDefaultsKey]
	if d != nil && d.Enabled {
		encrypted = true
	}
	switch {
	case !encrypted:
		return false, key
	case key != "":
		return true, key
	case d != nil && d.KmsKeyID != "":
		return true, d.KmsKeyID
	}
	return true, t.awsManagedKMSKey("aws/ebs")
}

// EBSDefaults is the account's EBS encryption by default in the region.
func (e *Engine) EBSDefaults() model.EBSEncryptionDefaults {
	var out model.EBSEncryptionDefaults
	e.Read(func(st *model.State) {
		if d := st.EBSDefaults[model.EBSDefaultsKey]; d != nil {
			out = *d
		}
	})
	return out
}

// SetEBSEncryptionByDefault turns the account's EBS encryption by default
// in the region on or off.
func (e *Engine) SetEBSEncryptionByDefault(on bool) error {
	return e.changeEBSDefaults(func(_ *txn, d *model.EBSEncryptionDefaults) { d.Enabled = on })
}

// SetEBSDefaultKMSKey makes key (a key id, key ARN, alias name or alias
// ARN) the account's default key for EBS encryption in the region, ""
// the AWS managed key aws/ebs again, and returns the key's ARN. A key the
// account does not have is kept as given: EBS checks it only when it
// encrypts ([choice]; AWS validates it asynchronously).
func (e *Engine) SetEBSDefaultKMSKey(key string) (string, error) {
	var arn string
	err := e.changeEBSDefaults(func(t *txn, d *model.EBSEncryptionDefaults) {
		switch k := FindKMSKey(t.st, key); {
		case key == "":
			arn, d.KmsKeyID = t.awsManagedKMSKey("aws/ebs"), ""
		case k != nil:
			arn, d.KmsKeyID = k.ARN, k.ARN
		default:
			arn, d.KmsKeyID = key, key
		}
	})
	return arn, err
}

func (e *Engine) changeEBSDefaults(fn func(t *txn, d *model.EBSEncryptionDefaults)) error {
	return e.write(func(t *txn) error {
		var d model.EBSEncryptionDefaults
		if old := t.st.EBSDefaults[model.EBSDefaultsKey]; old != nil {
			d = *old
		}
		fn(t, &d)
		put(t, model.KindEBSDefaults, t.st.EBSDefaults, model.EBSDefaultsKey, &d)
		return nil
	})
}
