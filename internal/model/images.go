package model

import "time"

// ImageID identifies an AMI (ami-…).
type ImageID string

// Image is an AMI the account owns: made by CreateImage from an instance,
// by RegisterImage from snapshots, or by CopyImage. Amazon's public images
// are not stored: they are a catalog (engine.PublicImages).
type Image struct {
	ID                 ImageID
	Name, Description  string
	Architecture       string // x86_64, arm64, i386, …
	Platform           string // "windows" or ""
	VirtualizationType string // hvm or paravirtual
	KernelID           string
	RamdiskID          string
	RootDevice         string
	RootDeviceType     string // ebs or instance-store
	ImageLocation      string // RegisterImage's S3 manifest
	BlockDevices       []ImageBlockDevice
	EnaSupport         bool
	SriovNetSupport    string
	BootMode           string
	ImdsSupport        string
	TpmSupport         string
	UefiData           string
	// State is "available", or "deregistered" after DeregisterImage (the
	// record is kept so that the id keeps answering as AWS answers for a
	// deregistered image).
	State           string
	Created         time.Time
	SourceInstance  InstanceID
	SourceImageID   string
	SourceRegion    string
	DeprecationTime time.Time // zero: not deprecated
	// DeregistrationProtection is "", "enabled" or "enabled-with-cooldown".
	DeregistrationProtection string
	LaunchPermissions        []LaunchPermission
	Tags                     Tags
}

// ImageBlockDevice is one block device mapping of an AMI.
type ImageBlockDevice struct {
	Device              string
	VirtualName         string // ephemeralN for an instance store volume
	NoDevice            bool
	SnapshotID          SnapshotID
	SizeGiB             int
	Type                string
	IOPS                int
	Throughput          int
	Encrypted           bool
	DeleteOnTermination bool
}

// LaunchPermission is one grant of an AMI's launchPermission attribute:
// exactly one of its fields is set.
type LaunchPermission struct {
	Group                 string // "all": public
	UserID                string
	OrganizationARN       string
	OrganizationalUnitARN string
}

// Public reports whether the image is public (launch permission for the
// group "all").
func (i *Image) Public() bool {
	for _, p := range i.LaunchPermissions {
		if p.Group == "all" {
			return true
		}
	}
	return false
}

// CreateVolumePermission is one grant of a snapshot's
// createVolumePermission attribute: Group "all" (public) or a UserID.
type CreateVolumePermission struct {
	Group  string
	UserID string
}
