package model

import (
	"net/netip"
	"time"
)

// FileSystem is an Amazon EFS file system of the state's region. ECS task
// definitions mount it with an efsVolumeConfiguration; a task reaches it
// through the file system's mount target in the task's Availability Zone,
// on TCP 2049 (NFS).
type FileSystem struct {
	ID            string // fs-…
	CreationToken string
	Created       time.Time
	// LifeCycleState is creating, available, updating, deleting or
	// deleted (creating → available on the step clock).
	LifeCycleState  string
	PerformanceMode string // generalPurpose or maxIO
	ThroughputMode  string // bursting, provisioned or elastic
	// ProvisionedThroughput is the provisioned MiB/s (provisioned mode).
	ProvisionedThroughput float64
	Encrypted             bool
	KMSKeyID              string
	// AvailabilityZone is a One Zone file system's zone ("" for Regional).
	AvailabilityZone string
	Tags             Tags
	// LifecyclePolicies are PutLifecycleConfiguration's policies, each a
	// map of one transition (TransitionToIA: AFTER_30_DAYS, …).
	LifecyclePolicies []map[string]string
	// BackupStatus is ENABLED, ENABLING, DISABLED or DISABLING.
	BackupStatus string
	// Policy is the file system policy's JSON text, "" for the default.
	Policy string
	// ReplicationProtection is ENABLED or DISABLED.
	ReplicationProtection string
}

// Name is the file system's Name tag.
func (f *FileSystem) Name() string { return f.Tags["Name"] }

// MountTarget is a file system's entry point in one subnet: an ENI with an
// address of the subnet, whose security groups are the mount target's. A
// file system has at most one mount target per Availability Zone, all in
// one VPC.
type MountTarget struct {
	ID               string // fsmt-…
	FileSystemID     string
	SubnetID         SubnetID
	VpcID            VpcID
	AvailabilityZone string
	IP               netip.Addr
	ENI              NetworkInterfaceID
	LifeCycleState   string // creating, available, deleting
	Created          time.Time
}

// AccessPoint is an application entry point into a file system: a POSIX
// identity and a root directory.
type AccessPoint struct {
	ID             string // fsap-…
	FileSystemID   string
	ClientToken    string
	Tags           Tags
	LifeCycleState string
	// PosixUser is nil when none was given.
	PosixUser *PosixUser
	// RootPath is the root directory ("/" by default); RootCreation the
	// owner and permissions to create it with (nil when none).
	RootPath     string
	RootCreation *RootCreationInfo
}

// PosixUser is an access point's POSIX identity.
type PosixUser struct {
	UID, GID      int64
	SecondaryGIDs []int64
}

// RootCreationInfo is how EFS creates an access point's root directory.
type RootCreationInfo struct {
	OwnerUID, OwnerGID int64
	Permissions        string
}
