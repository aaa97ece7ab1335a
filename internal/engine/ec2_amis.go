package engine

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// The account's own AMIs (model.Image): CreateImage snapshots an
// instance's volumes, RegisterImage names snapshots, CopyImage copies an
// image (its snapshots too) from a region of the account, DeregisterImage
// retires one and keeps its snapshots. ecsnet keeps no data, so an image
// is available at once, as its snapshots are.

func errImageNotFound(id string) error {
	return apierr.Newf("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
}

// errImageUnavailable is the answer for a deregistered image's id
// (InvalidAMIID.Unavailable: "the specified AMI has been deregistered and is
// no longer available"; the message wording is ecsnet's).
func errImageUnavailable(id model.ImageID) error {
	return apierr.Newf("InvalidAMIID.Unavailable", "The image id '[%s]' is no longer available", id)
}

// checkImageID refuses an id that is not ami-….
func checkImageID(id string) error {
	if !strings.HasPrefix(id, "ami-") || len(id) <= 4 {
		return apierr.Newf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", id)
	}
	return nil
}

// ownImage returns one of the account's registered images.
func (t *txn) ownImage(id model.ImageID) (*model.Image, error) {
	if err := checkImageID(string(id)); err != nil {
		return nil, err
	}
	im := t.st.Images[id]
	if im == nil {
		if _, ok := PublicImage(t.e.cfg.Region, string(id)); ok {
			return nil, apierr.Newf("AuthFailure", "Not authorized for image:%s", id)
		}
		return nil, errImageNotFound(string(id))
	}
	if im.State == "deregistered" {
		return nil, errImageNotFound(string(id))
	}
	return im, nil
}

// amiName is what AWS accepts as an AMI name (CreateImage, RegisterImage,
// CopyImage): 3 to 128 of letters, digits, ( ) [ ] space . / - ' @ _.
var amiName = regexp.MustCompile(`^[a-zA-Z0-9()\[\] ./\-'@_]{3,128}$`)

func (t *txn) checkImageName(name string) error {
	if name == "" {
		return errMissingParameter("name")
	}
	if !amiName.MatchString(name) {
		return errInvalidParameterValue("AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'")
	}
	for _, im := range t.st.Images {
		if im.Name == name && im.State != "deregistered" {
			return apierr.Newf("InvalidAMIName.Duplicate", "AMI name %s is already in use by AMI %s", name, im.ID)
		}
	}
	return nil
}

// CreateImageInput is CreateImage's input.
type CreateImageInput struct {
	InstanceID   model.InstanceID
	Name         string
	Description  string
	NoReboot     bool
	BlockDevices []model.ImageBlockDevice // overrides by device; NoDevice drops one
	ImageTags    model.Tags
	SnapshotTags model.Tags
}

// CreateImage makes an AMI of an instance: a snapshot of each of its EBS
// volumes (described "Created by CreateImage(i-…) for ami-…"), mapped at
// the volume's device, plus the new volumes the request maps.
func (e *Engine) CreateImage(in CreateImageInput) (*model.Image, error) {
	var out *model.Image
	err := e.write(func(t *txn) error {
		inst, err := t.instance(in.InstanceID)
		if err != nil {
			return err
		}
		switch inst.State {
		case model.InstanceRunning, model.InstanceStopping, model.InstanceStopped:
		default:
			return errInvalidParameterValue("Invalid value '%s' for instanceId. Instance is not in state 'running' or 'stopping' or 'stopped'", inst.ID)
		}
		if err := t.checkImageName(in.Name); err != nil {
			return err
		}
		im := &model.Image{ID: model.ImageID(t.newID("ami")), Name: in.Name, Description: in.Description,
			Architecture: "x86_64", VirtualizationType: "hvm", RootDevice: inst.RootDeviceName(), RootDeviceType: "ebs",
			EnaSupport: true, SriovNetSupport: "simple", State: "available", Created: t.now, SourceInstance: inst.ID,
			Tags: in.ImageTags.Clone()}
		if src, ok := t.launchableImage(inst.ImageID); ok {
			im.Architecture, im.Platform, im.BootMode, im.ImdsSupport = src.Architecture, src.Platform, src.BootMode, src.ImdsSupport
			im.KernelID, im.RamdiskID, im.TpmSupport = src.KernelID, src.RamdiskID, src.TpmSupport
			if src.RootDevice != "" {
				im.RootDevice = src.RootDevice
			}
		}
		over := map[string]model.ImageBlockDevice{}
		for _, b := range in.BlockDevices {
			over[b.Device] = b
		}
		for _, vid := range inst.Volumes {
			v := t.st.Volumes[vid]
			if v == nil || v.Attachment == nil || v.Attachment.InstanceID != inst.ID {
				continue
			}
			dev := v.Attachment.Device
			b := model.ImageBlockDevice{Device: dev, SizeGiB: v.SizeGiB, Type: v.Type, IOPS: v.IOPS, Throughput: v.Throughput,
				Encrypted: v.Encrypted, DeleteOnTermination: v.Attachment.DeleteOnTermination}
			if dev == inst.RootDeviceName() && im.RootDevice != dev {
				dev, b.Device = im.RootDevice, im.RootDevice
			}
			if o, ok := over[dev]; ok {
				delete(over, dev)
				if o.NoDevice {
					continue
				}
				if o.SizeGiB != 0 {
					if o.SizeGiB < v.SizeGiB {
						return apierr.Newf("InvalidBlockDeviceMapping", "Volume of size %dGB is smaller than snapshot, expect size >= %dGB", o.SizeGiB, v.SizeGiB)
					}
					b.SizeGiB = o.SizeGiB
				}
				if o.Type != "" {
					b.Type = o.Type
				}
				b.DeleteOnTermination = o.DeleteOnTermination
			}
			snap := &model.Snapshot{ID: model.SnapshotID(t.newID("snap")), VolumeID: v.ID, SizeGiB: v.SizeGiB,
				Description: "Created by CreateImage(" + string(inst.ID) + ") for " + string(im.ID),
				Encrypted:   v.Encrypted, StartTime: t.now, Tags: in.SnapshotTags.Clone()}
			put(t, model.KindSnapshot, t.st.Snapshots, snap.ID, snap)
			b.SnapshotID = snap.ID
			im.BlockDevices = append(im.BlockDevices, b)
		}
		for _, dev := range slices.Sorted(mapsKeys(over)) {
			o := over[dev]
			if o.NoDevice {
				continue
			}
			if o.VirtualName == "" && o.SnapshotID == "" && o.SizeGiB == 0 {
				return apierr.Newf("InvalidBlockDeviceMapping", "The device '%s' has no snapshot or volume size", dev)
			}
			if o.SnapshotID != "" {
				if _, err := t.snapshot(o.SnapshotID); err != nil {
					return err
				}
			}
			if o.Type == "" && o.VirtualName == "" {
				o.Type = "gp2"
			}
			im.BlockDevices = append(im.BlockDevices, o)
		}
		put(t, model.KindImage, t.st.Images, im.ID, im)
		out = im
		return nil
	})
	return out, err
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// launchableImage returns the image an id names, the account's or a
// public one, if it can be launched.
func (t *txn) launchableImage(id string) (*model.Image, bool) {
	if im := t.st.Images[model.ImageID(id)]; im != nil {
		return im, im.State == "available"
	}
	if pub, ok := PublicImage(t.e.cfg.Region, id); ok {
		return pub.Model(), true
	}
	return nil, false
}

// checkImageArchitecture refuses to launch an arm64 image on an x86_64
// instance type or the reverse, as EC2 does (InvalidParameterValue, the
// text of observed RunInstances errors). An i386 image counts as x86_64
// [choice: EC2 also refuses i386 on types that lack it, which ecsnet's
// catalogue does not record]; Mac images, and images ecsnet does not know,
// are not checked.
func (t *txn) checkImageArchitecture(imageID, instanceType string) error {
	im, ok := t.launchableImage(imageID)
	if !ok || im == nil {
		return nil
	}
	imageArch := im.Architecture
	switch imageArch {
	case "i386", "x86_64":
		imageArch = "x86_64"
	case "arm64":
	default:
		return nil
	}
	if typeArch := model.InstanceArchitecture(instanceType); typeArch != imageArch {
		return errInvalidParameterValue("The architecture '%s' of the specified instance type does not match the architecture '%s' of the specified AMI. "+
			"Specify an instance type and an AMI that have matching architectures, and try again. "+
			"You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.", typeArch, im.Architecture)
	}
	return nil
}

// checkLaunchImage refuses to launch an image the account deregistered
// (AWS: InvalidAMIID.NotFound) and, with Config.KnownImagesOnly (ecsnet
// serve --known-images-only), an id that names no image of the account's
// nor a public one, as EC2 refuses it. Otherwise a well-formed unknown id
// is accepted: an analyzed source (a scenario, a template, a Terraform
// configuration, a snapshot) and a client of ecsnet serve name real AMIs
// that ecsnet does not hold.
func (t *txn) checkLaunchImage(id string) error {
	if im := t.st.Images[model.ImageID(id)]; im != nil && im.State != "available" {
		return errImageNotFound(id)
	}
	if _, known := t.launchableImage(id); !known && t.e.cfg.KnownImagesOnly {
		return errImageNotFound(id)
	}
	return nil
}

// Model returns the public image as the model's Image, public to all.
func (im Image) Model() *model.Image {
	out := &model.Image{ID: model.ImageID(im.ID), Name: im.Name, Description: im.Description, Architecture: im.Architecture,
		VirtualizationType: "hvm", RootDevice: im.RootDevice, RootDeviceType: "ebs", EnaSupport: true, SriovNetSupport: "simple",
		BootMode: im.BootMode, ImdsSupport: im.ImdsSupport, State: "available", Created: im.Created,
		DeprecationTime: im.Created.AddDate(2, 0, 0), ImageLocation: "amazon/" + im.Name,
		BlockDevices: []model.ImageBlockDevice{{Device: im.RootDevice, SnapshotID: model.SnapshotID(im.SnapshotID), SizeGiB: im.RootSizeGiB,
			Type: im.RootVolumeType, DeleteOnTermination: true}},
		LaunchPermissions: []model.LaunchPermission{{Group: "all"}}}
	if im.Windows {
		out.Platform = "windows"
	}
	return out
}

// RegisterImageInput is RegisterImage's input.
type RegisterImageInput struct {
	Name, Description  string
	ImageLocation      string
	Architecture       string
	RootDevice         string
	VirtualizationType string
	KernelID           string
	RamdiskID          string
	EnaSupport         bool
	SriovNetSupport    string
	BootMode           string
	ImdsSupport        string
	TpmSupport         string
	UefiData           string
	BlockDevices       []model.ImageBlockDevice
	Tags               model.Tags
}

var imageArchitectures = map[string]bool{"i386": true, "x86_64": true, "arm64": true, "x86_64_mac": true, "arm64_mac": true}

// RegisterImage registers an AMI: EBS-backed from the snapshot mapped at
// its root device, or instance store-backed from an S3 manifest.
func (e *Engine) RegisterImage(in RegisterImageInput) (*model.Image, error) {
	if in.Architecture == "" {
		// AWS: "Default: For Amazon EBS-backed AMIs, i386."
		in.Architecture = "i386"
	}
	if !imageArchitectures[in.Architecture] {
		return nil, errInvalidParameterValue("Value (%s) for parameter architecture is invalid. Valid values are: i386, x86_64, arm64, x86_64_mac, arm64_mac.", in.Architecture)
	}
	if in.VirtualizationType == "" {
		in.VirtualizationType = "paravirtual"
	}
	if in.VirtualizationType != "hvm" && in.VirtualizationType != "paravirtual" {
		return nil, errInvalidParameterValue("Value (%s) for parameter virtualizationType is invalid. Valid values are: hvm, paravirtual.", in.VirtualizationType)
	}
	if in.ImageLocation == "" && in.RootDevice == "" {
		return nil, apierr.New("InvalidParameterCombination", "Either imageLocation or rootDeviceName must be provided.")
	}
	var out *model.Image
	err := e.write(func(t *txn) error {
		if err := t.checkImageName(in.Name); err != nil {
			return err
		}
		im := &model.Image{ID: model.ImageID(t.newID("ami")), Name: in.Name, Description: in.Description, Architecture: in.Architecture,
			VirtualizationType: in.VirtualizationType, KernelID: in.KernelID, RamdiskID: in.RamdiskID, RootDevice: in.RootDevice,
			ImageLocation: in.ImageLocation, EnaSupport: in.EnaSupport, SriovNetSupport: in.SriovNetSupport, BootMode: in.BootMode,
			ImdsSupport: in.ImdsSupport, TpmSupport: in.TpmSupport, UefiData: in.UefiData, State: "available", Created: t.now,
			Tags: in.Tags.Clone()}
		im.RootDeviceType = "instance-store"
		seen := map[string]bool{}
		for _, b := range in.BlockDevices {
			if b.Device == "" {
				return errMissingParameter("BlockDeviceMapping.DeviceName")
			}
			if seen[b.Device] {
				return errInvalidParameterValue("Invalid block device mapping: duplicate device name %s", b.Device)
			}
			seen[b.Device] = true
			if b.SnapshotID != "" {
				s, err := t.snapshot(b.SnapshotID)
				if err != nil {
					return err
				}
				if b.SizeGiB == 0 {
					b.SizeGiB = s.SizeGiB
				} else if b.SizeGiB < s.SizeGiB {
					return apierr.Newf("InvalidBlockDeviceMapping", "Volume of size %dGB is smaller than snapshot '%s', expect size >= %dGB", b.SizeGiB, s.ID, s.SizeGiB)
				}
				b.Encrypted = b.Encrypted || s.Encrypted
			}
			if b.VirtualName == "" && !b.NoDevice && b.Type == "" {
				b.Type = "standard"
			}
			if b.Device == in.RootDevice && (b.SnapshotID != "" || b.SizeGiB > 0) {
				im.RootDeviceType = "ebs"
			}
			im.BlockDevices = append(im.BlockDevices, b)
		}
		if in.ImageLocation == "" && im.RootDeviceType != "ebs" {
			return apierr.Newf("InvalidBlockDeviceMapping", "The root device name %s has no block device mapping with a snapshot.", in.RootDevice)
		}
		put(t, model.KindImage, t.st.Images, im.ID, im)
		out = im
		return nil
	})
	return out, err
}

// DeregisterImage deregisters one of the account's images. Its snapshots
// stay unless deleteSnapshots, which spares any another image uses.
func (e *Engine) DeregisterImage(id model.ImageID, deleteSnapshots bool) error {
	return e.write(func(t *txn) error {
		if err := checkImageID(string(id)); err != nil {
			return err
		}
		im := t.st.Images[id]
		if im != nil && im.State == "deregistered" {
			return errImageUnavailable(id)
		}
		im, err := t.ownImage(id)
		if err != nil {
			return err
		}
		if im.DeregistrationProtection != "" {
			return apierr.Newf("InvalidParameterValue", "Image %s is protected from deregistration. Disable deregistration protection and try again.", id)
		}
		c := *im
		c.State = "deregistered"
		put(t, model.KindImage, t.st.Images, c.ID, &c)
		if deleteSnapshots {
			for _, b := range im.BlockDevices {
				if b.SnapshotID != "" && t.st.Snapshots[b.SnapshotID] != nil && t.snapshotImage(b.SnapshotID) == "" {
					del(t, model.KindSnapshot, t.st.Snapshots, b.SnapshotID)
				}
			}
		}
		return nil
	})
}

// snapshotImage returns the registered image that uses a snapshot, if any.
func (t *txn) snapshotImage(id model.SnapshotID) model.ImageID {
	var found model.ImageID
	for _, im := range t.st.Images {
		if im.State == "deregistered" {
			continue
		}
		for _, b := range im.BlockDevices {
			if b.SnapshotID == id && (found == "" || im.ID < found) {
				found = im.ID
			}
		}
	}
	return found
}

// CopyImageInput is CopyImage's input.
type CopyImageInput struct {
	SourceRegion  string
	SourceImageID string
	Name          string
	Description   string
	Encrypted     bool
	CopyImageTags bool
	Tags          model.Tags
}

// CopyImage copies an image of this account, or a public one, from a
// region of the account into this one, with a copy of each snapshot.
func (e *Engine) CopyImage(in CopyImageInput) (*model.Image, error) {
	if in.SourceRegion == "" {
		return nil, errMissingParameter("sourceRegion")
	}
	if in.SourceImageID == "" {
		return nil, errMissingParameter("sourceImageId")
	}
	if err := checkImageID(in.SourceImageID); err != nil {
		return nil, err
	}
	var src *model.Image
	srcSnaps := map[model.SnapshotID]*model.Snapshot{}
	readSource := func(st *model.State) {
		if im := st.Images[model.ImageID(in.SourceImageID)]; im != nil && im.State == "available" {
			src = im
			for _, b := range im.BlockDevices {
				if s := st.Snapshots[b.SnapshotID]; s != nil {
					srcSnaps[s.ID] = s
				}
			}
		}
	}
	same := in.SourceRegion == e.cfg.Region
	if !same {
		if e.regions == nil || e.dry != nil {
			if e.dry == nil {
				return nil, apierr.Newf("UnsupportedOperation", "ecsnet copies images within one region only (%s), not from %s.", e.cfg.Region, in.SourceRegion)
			}
		} else {
			se, err := e.regions(in.SourceRegion)
			if err != nil {
				return nil, errInvalidParameterValue("Invalid region: %s", in.SourceRegion)
			}
			se.Read(readSource)
		}
	}
	if src == nil && !same {
		if pub, ok := PublicImage(in.SourceRegion, in.SourceImageID); ok {
			src = pub.Model()
		}
	}
	var out *model.Image
	err := e.write(func(t *txn) error {
		if same {
			readSource(t.st)
			if src == nil {
				if pub, ok := PublicImage(in.SourceRegion, in.SourceImageID); ok {
					src = pub.Model()
				}
			}
		}
		if src == nil {
			return errImageNotFound(in.SourceImageID)
		}
		if err := t.checkImageName(in.Name); err != nil {
			return err
		}
		im := *src
		im.ID = model.ImageID(t.newID("ami"))
		im.Name, im.Description, im.State, im.Created = in.Name, in.Description, "available", t.now
		im.SourceImageID, im.SourceRegion, im.SourceInstance = in.SourceImageID, in.SourceRegion, ""
		im.LaunchPermissions, im.DeregistrationProtection, im.DeprecationTime, im.ImageLocation = nil, "", time.Time{}, ""
		im.Tags = in.Tags.Clone()
		if in.CopyImageTags {
			merged := src.Tags.Clone()
			if merged == nil {
				merged = model.Tags{}
			}
			for k, v := range in.Tags {
				merged[k] = v
			}
			im.Tags = merged
		}
		im.BlockDevices = slices.Clone(src.BlockDevices)
		task := strconv.FormatInt(t.now.UnixMilli(), 10)
		for i, b := range im.BlockDevices {
			if b.SnapshotID == "" {
				continue
			}
			s := &model.Snapshot{ID: model.SnapshotID(t.newID("snap")), VolumeID: "vol-ffffffff", SizeGiB: b.SizeGiB,
				Encrypted: b.Encrypted || in.Encrypted, StartTime: t.now, SourceRegion: in.SourceRegion, SourceSnapshot: b.SnapshotID,
				Description: "Copied for DestinationAmi " + string(im.ID) + " from SourceAmi " + in.SourceImageID +
					" for SourceSnapshot " + string(b.SnapshotID) + ". Task created on " + commas(task) + "."}
			if os := srcSnaps[b.SnapshotID]; os != nil {
				s.SizeGiB = os.SizeGiB
			}
			put(t, model.KindSnapshot, t.st.Snapshots, s.ID, s)
			im.BlockDevices[i].SnapshotID = s.ID
			im.BlockDevices[i].Encrypted = s.Encrypted
		}
		put(t, model.KindImage, t.st.Images, im.ID, &im)
		out = &im
		return nil
	})
	return out, err
}

// commas groups a decimal number's digits by three ("1,614,876,645,734").
func commas(n string) string {
	var b strings.Builder
	for i, r := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ImageChange is a change of an image's attributes (ModifyImageAttribute,
// ResetImageAttribute, the deprecation and deregistration protection
// operations); nil fields are left alone.
type ImageChange struct {
	Description              *string
	ImdsSupport              *string
	AddPermissions           []model.LaunchPermission
	RemovePermissions        []model.LaunchPermission
	ResetPermissions         bool
	DeprecationTime          *time.Time
	DeregistrationProtection *string
}

// ModifyImage applies a change to one of the account's images.
func (e *Engine) ModifyImage(id model.ImageID, c ImageChange) (*model.Image, error) {
	var out *model.Image
	err := e.write(func(t *txn) error {
		im, err := t.ownImage(id)
		if err != nil {
			return err
		}
		n := *im
		if c.Description != nil {
			n.Description = *c.Description
		}
		if c.ImdsSupport != nil {
			if *c.ImdsSupport != "v2.0" {
				return errInvalidParameterValue("Value (%s) for parameter imdsSupport is invalid. Valid values are: v2.0.", *c.ImdsSupport)
			}
			n.ImdsSupport = *c.ImdsSupport
		}
		if c.ResetPermissions {
			n.LaunchPermissions = nil
		}
		perms := slices.Clone(n.LaunchPermissions)
		for _, p := range c.AddPermissions {
			if err := checkLaunchPermission(p); err != nil {
				return err
			}
			if !slices.Contains(perms, p) {
				perms = append(perms, p)
			}
		}
		for _, p := range c.RemovePermissions {
			if err := checkLaunchPermission(p); err != nil {
				return err
			}
			perms = slices.DeleteFunc(perms, func(q model.LaunchPermission) bool { return q == p })
		}
		n.LaunchPermissions = perms
		if c.DeprecationTime != nil {
			at := *c.DeprecationTime
			// AWS: not in the past; at most 10 years from now, 2 years
			// from its creation for a public image (the texts are ecsnet's).
			switch {
			case at.IsZero():
			case at.Before(t.now):
				return errInvalidParameterValue("The deprecation time %s is in the past.", at.Format(time.RFC3339))
			case at.After(t.now.AddDate(10, 0, 0)):
				return errInvalidParameterValue("The deprecation time %s is more than 10 years from now.", at.Format(time.RFC3339))
			case n.Public() && at.After(n.Created.AddDate(2, 0, 0)):
				return errInvalidParameterValue("The deprecation time %s of a public image is more than 2 years after its creation.", at.Format(time.RFC3339))
			}
			n.DeprecationTime = at
		}
		if c.DeregistrationProtection != nil {
			n.DeregistrationProtection = *c.DeregistrationProtection
		}
		put(t, model.KindImage, t.st.Images, n.ID, &n)
		out = &n
		return nil
	})
	return out, err
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// checkLaunchPermission checks one launch permission grant: the group
// "all" or a 12-digit account id.
func checkLaunchPermission(p model.LaunchPermission) error {
	if p.Group != "" && p.Group != "all" {
		return apierr.Newf("InvalidAMIAttributeItemValue", "Invalid attribute item value \"%s\" for group item type.", p.Group)
	}
	if p.UserID != "" && !accountID.MatchString(p.UserID) {
		return apierr.Newf("InvalidAMIAttributeItemValue", "Invalid attribute item value \"%s\" for userId item type.", p.UserID)
	}
	return nil
}

// CopySnapshotInput is CopySnapshot's input.
type CopySnapshotInput struct {
	SourceRegion   string
	SourceSnapshot model.SnapshotID
	Description    string
	Encrypted      bool
	Tags           model.Tags
}

// CopySnapshot copies a snapshot of a region of the account into this one.
func (e *Engine) CopySnapshot(in CopySnapshotInput) (*model.Snapshot, error) {
	if in.SourceRegion == "" {
		return nil, errMissingParameter("sourceRegion")
	}
	if in.SourceSnapshot == "" {
		return nil, errMissingParameter("sourceSnapshotId")
	}
	if err := checkID(string(in.SourceSnapshot), "snap", "InvalidSnapshotID.Malformed"); err != nil {
		return nil, err
	}
	var src *model.Snapshot
	same := in.SourceRegion == e.cfg.Region
	if !same {
		if e.regions == nil {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet copies snapshots within one region only (%s), not from %s.", e.cfg.Region, in.SourceRegion)
		}
		if e.dry == nil {
			se, err := e.regions(in.SourceRegion)
			if err != nil {
				return nil, errInvalidParameterValue("Invalid region: %s", in.SourceRegion)
			}
			se.Read(func(st *model.State) { src = st.Snapshots[in.SourceSnapshot] })
		}
	}
	var out *model.Snapshot
	err := e.write(func(t *txn) error {
		if same {
			src = t.st.Snapshots[in.SourceSnapshot]
		}
		if src == nil {
			return errSnapshotNotFound(in.SourceSnapshot)
		}
		desc := in.Description
		if desc == "" {
			desc = "[Copied " + string(src.ID) + " from " + in.SourceRegion + "]"
		}
		s := &model.Snapshot{ID: model.SnapshotID(t.newID("snap")), VolumeID: "vol-ffffffff", SizeGiB: src.SizeGiB, Description: desc,
			Encrypted: src.Encrypted || in.Encrypted, StartTime: t.now, Tags: in.Tags.Clone(), SourceRegion: in.SourceRegion,
			SourceSnapshot: src.ID}
		put(t, model.KindSnapshot, t.st.Snapshots, s.ID, s)
		out = s
		return nil
	})
	return out, err
}

// SnapshotPermissionChange changes a snapshot's createVolumePermission.
type SnapshotPermissionChange struct {
	Add, Remove []model.CreateVolumePermission
	Reset       bool
}

// ModifySnapshotPermissions applies a change to who may create volumes
// from one of the account's snapshots.
func (e *Engine) ModifySnapshotPermissions(id model.SnapshotID, c SnapshotPermissionChange) error {
	return e.write(func(t *txn) error {
		s, err := t.snapshot(id)
		if err != nil {
			return err
		}
		n := *s
		perms := slices.Clone(s.CreateVolumePermissions)
		if c.Reset {
			perms = nil
		}
		check := func(p model.CreateVolumePermission) error {
			if p.Group != "" && p.Group != "all" {
				return errInvalidParameterValue("Value (%s) for parameter group is invalid. Valid values are: all.", p.Group)
			}
			if p.UserID != "" && !accountID.MatchString(p.UserID) {
				return errInvalidParameterValue("Value (%s) for parameter userId is invalid. Expected a 12-digit account id.", p.UserID)
			}
			return nil
		}
		for _, p := range c.Add {
			if err := check(p); err != nil {
				return err
			}
			if n.Encrypted && p.Group == "all" {
				return apierr.Newf("OperationNotPermitted", "Encrypted snapshots with EBS default key cannot be shared")
			}
			if !slices.Contains(perms, p) {
				perms = append(perms, p)
			}
		}
		for _, p := range c.Remove {
			if err := check(p); err != nil {
				return err
			}
			perms = slices.DeleteFunc(perms, func(q model.CreateVolumePermission) bool { return q == p })
		}
		n.CreateVolumePermissions = perms
		put(t, model.KindSnapshot, t.st.Snapshots, n.ID, &n)
		return nil
	})
}

// hexID reports whether id is prefix, a dash and 8 or 17 lowercase hex
// digits (the two lengths of EC2 resource ids).
func hexID(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	if !ok || (len(rest) != 8 && len(rest) != 17) {
		return false
	}
	for _, c := range rest {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// imageBlockDevices adds an account image's block device mappings to a
// launch's: the image's root volume (its snapshot, size and type) becomes
// the instance's root volume (at the image's root device, as the instance's
// root device is the image's), and its other EBS volumes are created too;
// a mapping the launch gives for the same device overrides what it sets.
func (t *txn) imageBlockDevices(id string, maps []BlockDevice) []BlockDevice {
	im := t.st.Images[model.ImageID(id)]
	if im == nil || im.State != "available" {
		return maps
	}
	out := slices.Clone(maps)
	for _, b := range im.BlockDevices {
		if b.NoDevice || b.VirtualName != "" || (b.SnapshotID == "" && b.SizeGiB == 0) {
			continue
		}
		dev := b.Device
		dot := b.DeleteOnTermination
		from := BlockDevice{Device: dev, SizeGiB: b.SizeGiB, Type: b.Type, IOPS: b.IOPS, Encrypted: b.Encrypted,
			DeleteOnTermination: &dot, SnapshotID: b.SnapshotID}
		i := slices.IndexFunc(out, func(m BlockDevice) bool { return m.Device == dev })
		if i < 0 {
			out = append(out, from)
			continue
		}
		m := &out[i]
		if m.SnapshotID == "" {
			m.SnapshotID = from.SnapshotID
		}
		if m.SizeGiB == 0 {
			m.SizeGiB = from.SizeGiB
		}
		if m.Type == "" {
			m.Type, m.IOPS = from.Type, max(m.IOPS, from.IOPS)
		}
		if m.DeleteOnTermination == nil {
			m.DeleteOnTermination = from.DeleteOnTermination
		}
		m.Encrypted = m.Encrypted || from.Encrypted
	}
	return out
}
