package model

import (
	"net/netip"
	"strings"
	"time"
)

// InstanceState is an EC2 instance state name.
type InstanceState string

// Instance states.
const (
	InstancePending      InstanceState = "pending"
	InstanceRunning      InstanceState = "running"
	InstanceShuttingDown InstanceState = "shutting-down"
	InstanceTerminated   InstanceState = "terminated"
	InstanceStopping     InstanceState = "stopping"
	InstanceStopped      InstanceState = "stopped"
)

// StateCode returns the numeric code AWS sends with the state name.
func (s InstanceState) StateCode() int {
	switch s {
	case InstancePending:
		return 0
	case InstanceRunning:
		return 16
	case InstanceShuttingDown:
		return 32
	case InstanceTerminated:
		return 48
	case InstanceStopping:
		return 64
	case InstanceStopped:
		return 80
	}
	return 0
}

// Instance is an EC2 instance. Its network interfaces are the ENIs whose
// Attachment names it; PrimaryENI is the one at device index 0.
type Instance struct {
	ID      InstanceID
	Type    string
	ImageID string
	// RootDevice is the root device name of the image the instance was
	// launched from ("": /dev/xvda, see RootDeviceName).
	RootDevice       string
	State            InstanceState
	StateReason      string
	SubnetID         SubnetID
	VpcID            VpcID
	AvailabilityZone string
	// PlacementGroup is the name of the placement group the instance was
	// launched into (Placement.GroupName), PartitionNumber its partition
	// in a partition group.
	PlacementGroup  string
	PartitionNumber int
	PrimaryENI      NetworkInterfaceID
	KeyName         string
	UserData        string // decoded user data
	// ProvisionerCommands are the commands a Terraform configuration's
	// remote-exec provisioners run on the instance over SSH once it is
	// up (their inline lines, one a line): not AWS's, but what runs there
	// as user data does.
	ProvisionerCommands string
	// ManagedBy is the ECS Managed Instances capacity provider (its name)
	// that launched the instance; "" for the others.
	ManagedBy string
	// IAMProfile is the instance profile: its ARN when IAM held it at
	// launch or association, else the reference a scenario or template
	// gave. IAMAssociation is its association (nil: none).
	IAMProfile     string
	IAMAssociation *IAMProfileAssociation
	// IAMDeclared says the instance's source declares its instance
	// profile, as CloudFormation templates and Terraform configurations
	// do: IAMProfile "" then means the instance has none, and its ECS
	// agent no credentials. When false (scenario files and snapshots,
	// which need not describe IAM) the instance's credentials are
	// unknown and the analyzer assumes they work (docs/aws-behavior.md).
	IAMDeclared      bool
	LaunchTime       time.Time
	LaunchTemplate   *LaunchTemplateRef
	AutoScalingGroup string
	ReservationID    string
	// LaunchIndex is the instance's place in its reservation (AmiLaunchIndex).
	LaunchIndex int
	ClientToken string
	// AutoPublicIP is set when the primary interface got a public IPv4
	// address from AWS's pool at launch: it gets a new one at each start.
	AutoPublicIP bool
	// Volumes are the EBS volumes attached to the instance, in attachment
	// order.
	Volumes []VolumeID
	// Attributes set with ModifyInstanceAttribute.
	DisableAPITermination bool
	DisableAPIStop        bool
	EBSOptimized          bool
	ShutdownBehavior      string // "stop" (default) or "terminate"
	// Metadata is the instance metadata service's options (nil: the
	// defaults ecsnet launches with).
	Metadata *InstanceMetadataOptions
	// Hibernation is HibernationOptions.Configured at launch.
	Hibernation bool
	// CapacityReservationPreference is CapacityReservationSpecification's
	// preference at launch ("": "open"; or "none"); AutoRecovery is
	// MaintenanceOptions.AutoRecovery ("": "default"; or "disabled").
	CapacityReservationPreference, AutoRecovery string
	// CPUCredits is a burstable instance's credit option ("": the type's
	// default).
	CPUCredits string
	// TrunkENI is the trunk interface ECS attached when awsvpcTrunking was on
	// at launch.
	TrunkENI NetworkInterfaceID
	Tags     Tags
	// Spot is set for a Spot Instance (RunInstances InstanceMarketOptions,
	// market type spot); nil for an On-Demand one. SpotRequest is the
	// request RequestSpotInstances launched it for.
	Spot        *SpotMarketOptions
	SpotRequest SpotInstanceRequestID
	// Monitoring is detailed monitoring (RunInstances Monitoring.Enabled,
	// MonitorInstances); false is basic monitoring.
	Monitoring bool
}

// RootDeviceName is the instance's root device name: its image's, or
// /dev/xvda (Amazon Linux's) for an image ecsnet does not hold.
func (i *Instance) RootDeviceName() string {
	if i.RootDevice != "" {
		return i.RootDevice
	}
	return "/dev/xvda"
}

// SpotInstanceRequestID is a Spot Instance request's id (sir-…).
type SpotInstanceRequestID string

// SpotInstanceRequest is a request for one Spot Instance (RequestSpotInstances
// makes one per instance asked for).
type SpotInstanceRequest struct {
	ID      SpotInstanceRequestID
	Options SpotMarketOptions
	// State is open, active, closed, cancelled or failed; StatusCode the
	// status's code (fulfilled, request-canceled-and-instance-running, …).
	State, StatusCode     string
	ValidFrom, ValidUntil time.Time
	LaunchGroup, AZGroup  string
	// Launch is the launch specification as answered: image, type, key,
	// zone, subnet, groups (GroupIdentifiers), kernel, ramdisk, monitoring.
	ImageID, InstanceType, KeyName, AvailabilityZone string
	SubnetID                                         SubnetID
	GroupIDs                                         []SecurityGroupID
	KernelID, RamdiskID                              string
	Monitoring                                       bool
	InstanceID                                       InstanceID
	Created                                          time.Time
	Tags                                             Tags
}

// SpotMarketOptions are a Spot Instance's request options.
type SpotMarketOptions struct {
	Persistent   bool   // SpotInstanceType persistent (else one-time)
	Interruption string // InstanceInterruptionBehavior: terminate, stop or hibernate
	MaxPrice     string // "" : the On-Demand price
	// OptionsOmitted is a launch template's InstanceMarketOptions given
	// without SpotOptions: DescribeLaunchTemplateVersions answers the
	// market type alone, no defaults filled in.
	OptionsOmitted bool `json:",omitempty"`
	// InterruptionOmitted is a launch template's SpotOptions given without
	// InstanceInterruptionBehavior: it is answered without one (launches
	// terminate).
	InterruptionOmitted bool `json:",omitempty"`
}

// Live reports whether the instance is pending or running.
func (i *Instance) Live() bool { return i.State == InstancePending || i.State == InstanceRunning }

// InstanceType holds the limits of an EC2 instance type that matter to ECS
// networking and placement.
type InstanceType struct {
	Name       string
	VCPUs      int
	MemoryMiB  int
	MaxENIs    int // maximum network interfaces
	IPv4PerENI int
	// TrunkTasks is the awsvpc task limit with ENI trunking, 0 when the type
	// does not support trunking.
	TrunkTasks int
	// Hypervisor is "nitro" or "xen", empty for bare metal (as EC2's
	// DescribeInstanceTypes leaves it out).
	Hypervisor string
	BareMetal  bool
	// NetworkCards are the maximum network interfaces of each network card,
	// by card index, for a type of several cards (p4d.24xlarge: 4 cards of
	// 15); nil for one card. MaxENIs is then the default card's (index 0),
	// the limit of interfaces attached without a NetworkCardIndex.
	NetworkCards []int
}

// MaxNetworkInterfaces is the most network interfaces an instance of the
// type takes over all its network cards (DescribeInstanceTypes'
// MaximumNetworkInterfaces: p5.48xlarge 64, 32 cards of 2).
func (t InstanceType) MaxNetworkInterfaces() int {
	if t.NetworkCards == nil {
		return t.MaxENIs
	}
	n := 0
	for _, c := range t.NetworkCards {
		n += c
	}
	return n
}

// TasksWithoutTrunking returns the awsvpc task limit without trunking: one
// ENI is the instance's primary interface.
func (t InstanceType) TasksWithoutTrunking() int { return t.MaxENIs - 1 }

// LaunchTemplateRef names a launch template and version ("$Default",
// "$Latest" or a number).
type LaunchTemplateRef struct {
	ID      LaunchTemplateID
	Name    string
	Version string
}

// LaunchTemplateNetworkInterface is the network interface part of launch
// template data.
type LaunchTemplateNetworkInterface struct {
	DeviceIndex              int
	AssociatePublicIPAddress *bool
	SubnetID                 SubnetID
	Groups                   []SecurityGroupID
	DeleteOnTermination      *bool
	// IPv6AddressCount asks for that many IPv6 addresses (0: the
	// subnet's AssignIpv6AddressOnCreation decides).
	IPv6AddressCount int
	// NetworkInterfaceID is an existing network interface the template
	// names, kept as given and answered back (CreateLaunchTemplate does
	// not check that it exists).
	NetworkInterfaceID NetworkInterfaceID `json:",omitempty"`
	// InterfaceType is the interface's InterfaceType (efa, efa-only,
	// interface), kept as given ("": not given).
	InterfaceType string `json:",omitempty"`
	// PrivateIPAddress, PrivateIPAddresses and IPv6Addresses are fixed
	// addresses, kept as given; the primary interface (device 0) of a
	// launch takes them.
	PrivateIPAddress   string                    `json:",omitempty"`
	PrivateIPAddresses []LaunchTemplatePrivateIP `json:",omitempty"`
	IPv6Addresses      []string                  `json:",omitempty"`
	// SecondaryPrivateIPAddressCount asks for that many secondary private
	// IPv4 addresses, picked at launch (SecondaryPrivateIpAddressCount).
	SecondaryPrivateIPAddressCount int `json:",omitempty"`
}

// LaunchTemplatePrivateIP is one of a launch template interface's
// PrivateIpAddresses.
type LaunchTemplatePrivateIP struct {
	Address string
	Primary bool
}

// FixedIPv4 is the interface's fixed primary private IPv4 address and its
// secondary ones ("" and none when it names none): PrivateIpAddress, else
// the entry marked Primary, else the first.
func (ni LaunchTemplateNetworkInterface) FixedIPv4() (primary string, secondary []string) {
	primary = ni.PrivateIPAddress
	for _, p := range ni.PrivateIPAddresses {
		if p.Primary && primary == "" {
			primary = p.Address
		}
	}
	for _, p := range ni.PrivateIPAddresses {
		switch {
		case p.Address == primary:
		case primary == "":
			primary = p.Address
		default:
			secondary = append(secondary, p.Address)
		}
	}
	return primary, secondary
}

// LaunchTemplateData is what a launch template version specifies.
type LaunchTemplateData struct {
	ImageID          string
	InstanceType     string
	KeyName          string
	SecurityGroupIDs []SecurityGroupID
	// SecurityGroupNames are SecurityGroups: group names, resolved in the
	// default VPC at launch (AWS does not check them at creation).
	SecurityGroupNames []string
	UserData           string // base64, as given
	IAMProfileARN      string
	IAMProfileName     string
	NetworkInterfaces  []LaunchTemplateNetworkInterface
	// TagSpecifications are the tags given to the resources launched from
	// the template, by resource type (instance, volume, network-interface).
	TagSpecifications []LaunchTemplateTagSpec
	// BlockDevices are the template's block device mappings, as given.
	BlockDevices []LCBlockDevice
	// Placement is the template's placement group (nil: none).
	Placement *LaunchTemplatePlacement
	// Monitoring is Monitoring.Enabled (detailed monitoring); nil: not
	// given.
	Monitoring *bool
	// DisableAPITermination and DisableAPIStop are the launched
	// instances' protections, as given (nil: not given).
	DisableAPITermination, DisableAPIStop *bool
	// Spot is InstanceMarketOptions with market type spot: the instances
	// launched from the template are Spot Instances. nil: On-Demand.
	Spot *SpotMarketOptions
	// Metadata is MetadataOptions, as given (nil: not given); the
	// instances launched from the template take it.
	Metadata *LaunchTemplateMetadataOptions
	// EbsOptimized, InstanceInitiatedShutdownBehavior, CPUCredits
	// (CreditSpecification) and PrivateDNSName are kept as given (nil, "":
	// not given) and answered back; they change nothing ecsnet analyses.
	EbsOptimized                      *bool
	InstanceInitiatedShutdownBehavior string
	CPUCredits                        string
	PrivateDNSName                    *LaunchTemplatePrivateDNSNameOptions
	// KernelID and RAMDiskID are KernelId and RamDiskId, kept as given
	// and answered back ("": not given).
	KernelID  string `json:",omitempty"`
	RAMDiskID string `json:",omitempty"`
	// CPUCoreCount and CPUThreadsPerCore (CpuOptions), Hibernation
	// (HibernationOptions.Configured), Enclave (EnclaveOptions.Enabled)
	// and CapacityReservationPreference are kept as given (nil, "": not
	// given) and answered back; they change nothing ecsnet analyses.
	CPUCoreCount                  *int   `json:",omitempty"`
	CPUThreadsPerCore             *int   `json:",omitempty"`
	Hibernation                   *bool  `json:",omitempty"`
	Enclave                       *bool  `json:",omitempty"`
	CapacityReservationPreference string `json:",omitempty"`
}

// LaunchTemplatePrivateDNSNameOptions are a launch template's
// PrivateDnsNameOptions as given ("" and nil: not given).
type LaunchTemplatePrivateDNSNameOptions struct {
	HostnameType           string
	EnableResourceNameA    *bool
	EnableResourceNameAAAA *bool
}

// LaunchTemplateMetadataOptions are a launch template's instance metadata
// options as given: "" and nil are options not given, which
// DescribeLaunchTemplateVersions leaves out.
type LaunchTemplateMetadataOptions struct {
	HTTPTokens, HTTPEndpoint, HTTPProtocolIPv6, InstanceMetadataTags string
	HopLimit                                                         *int
}

// LaunchTemplateTagSpec is one TagSpecification of launch template data.
type LaunchTemplateTagSpec struct {
	ResourceType string
	Tags         Tags
}

// TemplateTags returns the tags the data gives resources of type rt.
func (d LaunchTemplateData) TemplateTags(rt string) Tags {
	var out Tags
	for _, s := range d.TagSpecifications {
		if s.ResourceType != rt {
			continue
		}
		if out == nil {
			out = Tags{}
		}
		for k, v := range s.Tags {
			out[k] = v
		}
	}
	return out
}

// LaunchTemplateVersion is one version of a launch template.
type LaunchTemplateVersion struct {
	Number      int
	Description string
	Data        LaunchTemplateData
	CreatedAt   time.Time
}

// LaunchTemplate is an EC2 launch template.
type LaunchTemplate struct {
	ID             LaunchTemplateID
	Name           string
	DefaultVersion int
	Versions       []LaunchTemplateVersion
	// DeletedVersion is the highest number of a deleted version: EC2
	// never gives a deleted version's number to a new version.
	DeletedVersion int
	CreatedAt      time.Time
	Tags           Tags
}

// Version returns version v ("$Latest", "$Default", "" or a number).
func (lt *LaunchTemplate) Version(v string) (LaunchTemplateVersion, bool) {
	want := lt.DefaultVersion
	switch strings.ToLower(v) { // AWS accepts $LATEST and $DEFAULT too
	case "", "$default":
	case "$latest":
		want = lt.Versions[len(lt.Versions)-1].Number
	default:
		n := 0
		for _, c := range v {
			if c < '0' || c > '9' {
				return LaunchTemplateVersion{}, false
			}
			n = n*10 + int(c-'0')
			if n > 1<<20 {
				return LaunchTemplateVersion{}, false
			}
		}
		want = n
	}
	for _, ver := range lt.Versions {
		if ver.Number == want {
			return ver, true
		}
	}
	return LaunchTemplateVersion{}, false
}

// LaunchConfiguration is a legacy Auto Scaling launch configuration.
type LaunchConfiguration struct {
	Name                     string
	ARN                      string
	ImageID                  string
	InstanceType             string
	SecurityGroups           []SecurityGroupID
	UserData                 string // base64
	AssociatePublicIPAddress *bool
	IAMProfile               string
	KeyName                  string
	CreatedAt                time.Time
	// SpotPrice, when set, launches Spot Instances at that maximum price.
	SpotPrice string
	// InstanceMonitoring is detailed monitoring; nil means AWS's default
	// for launch configurations (on).
	InstanceMonitoring *bool
	EbsOptimized       bool
	BlockDevices       []LCBlockDevice
	// Metadata holds the instance metadata options as given (HttpTokens,
	// HttpPutResponseHopLimit, HttpEndpoint); nil when none were.
	Metadata *LCMetadataOptions
	// ClassicLinkVPCID and ClassicLinkGroups are kept for backward
	// compatibility, as AWS keeps them (EC2-Classic is retired).
	ClassicLinkVPCID  string
	ClassicLinkGroups []string
}

// LCBlockDevice is a block device mapping of a launch configuration or a
// launch template.
type LCBlockDevice struct {
	DeviceName  string
	VirtualName string
	NoDevice    bool
	Ebs         *LCEbs
}

// LCEbs is the EBS part of a launch configuration's block device mapping;
// nil pointers are parameters not given.
type LCEbs struct {
	SnapshotID          string
	VolumeSize          *int
	VolumeType          string
	DeleteOnTermination *bool
	Iops                *int
	Throughput          *int
	Encrypted           *bool
}

// LCMetadataOptions are a launch configuration's instance metadata options.
type LCMetadataOptions struct {
	HTTPTokens   string
	HopLimit     *int
	HTTPEndpoint string
}

// AutoScalingGroup launches and terminates instances to keep DesiredCapacity.
type AutoScalingGroup struct {
	Name                   string
	ARN                    string
	LaunchTemplate         *LaunchTemplateRef
	LaunchConfiguration    string
	MinSize                int
	MaxSize                int
	DesiredCapacity        int
	Subnets                []SubnetID
	TargetGroupARNs        []string
	HealthCheckType        string // comma-separated: EC2, EBS, ELB, VPC_LATTICE
	HealthCheckGracePeriod int
	NewInstancesProtected  bool
	CapacityRebalance      bool
	CreatedAt              time.Time
	Status                 string // "" or "Delete in progress"
	Tags                   []ASGTag
	// FixedPublicIPs are addresses given, in launch order, to the public IPs of
	// the group's instances (scenario files use this to match real outputs).
	FixedPublicIPs []netip.Addr
	// LaunchCount is how many instances the group has launched: the next
	// one is instance LaunchCount+1 and takes FixedPublicIPs[LaunchCount].
	LaunchCount int
	// LastActivity describes the group's latest failed scaling activity, as
	// DescribeScalingActivities would ("" after a successful launch).
	LastActivity string

	DefaultCooldown     int // seconds; 300 when not given
	TerminationPolicies []string
	// LoadBalancerNames are Classic Load Balancers the group registers with.
	LoadBalancerNames  []string
	Policies           []ScalingPolicy
	ScheduledActions   []ScheduledAction
	SuspendedProcesses []SuspendedProcess
	LifecycleHooks     []LifecycleHook
	MixedInstances     *MixedInstancesPolicy
	// PlacementGroup is the placement group its instances launch into
	// (the group's PlacementGroup, over its launch template's).
	PlacementGroup string
	// ProtectedInstances are the instances protected from scale in
	// (SetInstanceProtection, or NewInstancesProtected at launch).
	ProtectedInstances []InstanceID
	// Activities are the group's latest scaling activities, newest first.
	Activities []ScalingActivity
	ASGExtra
}

// ASGTag is an Auto Scaling group tag.
type ASGTag struct {
	Key, Value        string
	PropagateAtLaunch bool
}

// VolumeID identifies an EBS volume ("vol-…").
type VolumeID string

// VolumeAttachment attaches a volume to an instance at a device name.
type VolumeAttachment struct {
	InstanceID          InstanceID
	Device              string
	DeleteOnTermination bool
	AttachedAt          time.Time
}

// EBSDefaultsKey is the key of the one EBSEncryptionDefaults of a State
// (State.EBSDefaults).
const EBSDefaultsKey = "ebs"

// EBSEncryptionDefaults is the account's EBS encryption by default in a
// region (EnableEbsEncryptionByDefault, ModifyEbsDefaultKmsKeyId): when
// Enabled, every new volume is encrypted, with KmsKeyID unless the request
// names a key; KmsKeyID "" is the region's AWS managed key aws/ebs.
type EBSEncryptionDefaults struct {
	Enabled  bool
	KmsKeyID string
}

// Volume is an EBS volume.
type Volume struct {
	ID               VolumeID
	SizeGiB          int
	Type             string // gp2, gp3, io1, io2, st1, sc1, standard
	IOPS             int
	Throughput       int
	AvailabilityZone string
	Encrypted        bool
	// KmsKeyID is the KMS key CreateVolume named for an encrypted volume
	// ("" for the account's default EBS key).
	KmsKeyID   string
	SnapshotID string
	CreatedAt  time.Time
	// Attachment is set while the volume is attached (no Multi-Attach).
	Attachment *VolumeAttachment
	Tags       Tags
	// Modification is the volume's most recent ModifyVolume, if any.
	Modification *VolumeModification
	// AutoEnableIO is the autoEnableIO attribute (ModifyVolumeAttribute):
	// I/O resumes on its own after EC2 finds the data possibly inconsistent.
	AutoEnableIO bool
}

// VolumeModification is one ModifyVolume request: the volume before and
// after it.
type VolumeModification struct {
	OriginalSize, TargetSize             int
	OriginalType, TargetType             string
	OriginalIOPS, TargetIOPS             int
	OriginalThroughput, TargetThroughput int
	StartedAt                            time.Time
}

// State returns "in-use" or "available", as DescribeVolumes reports it.
func (v *Volume) State() string {
	if v.Attachment != nil {
		return "in-use"
	}
	return "available"
}

// KeyPairID is an EC2 key pair id (key-…).
type KeyPairID string

// KeyPair is an EC2 key pair. EC2 keeps only the public half: the private
// key of a created pair is returned once, by CreateKeyPair, and not stored.
type KeyPair struct {
	ID          KeyPairID
	Name        string
	Type        string // rsa or ed25519
	Fingerprint string
	// PublicKey is the public key in OpenSSH authorized_keys form.
	PublicKey string
	CreatedAt time.Time
	Tags      Tags
}

// InstanceMetadataOptions are an instance's IMDS settings
// (ModifyInstanceMetadataOptions).
type InstanceMetadataOptions struct {
	HTTPTokens, HTTPEndpoint, HTTPProtocolIPv6, InstanceMetadataTags string
	HopLimit                                                         int
}

// DefaultMetadataOptions are the IMDS options of an instance launched
// without any: IMDSv2 required, hop limit 2 (the defaults of the Amazon
// Linux 2023 AMIs, docs/aws-behavior.md).
func DefaultMetadataOptions() InstanceMetadataOptions {
	return InstanceMetadataOptions{HTTPTokens: "required", HTTPEndpoint: "enabled", HTTPProtocolIPv6: "disabled",
		InstanceMetadataTags: "disabled", HopLimit: 2}
}

// IAMProfileAssociation is an instance's association with an IAM instance
// profile (AssociateIamInstanceProfile, or a launch that names a profile).
type IAMProfileAssociation struct {
	ID string // iip-assoc-…
	// ProfileID is the profile's id (AIPA…) when IAM held it.
	ProfileID string
	Created   time.Time
}

// SnapshotID identifies an EBS snapshot (snap-…).
type SnapshotID string

// Snapshot is an EBS snapshot of a volume (CreateSnapshot).
type Snapshot struct {
	ID          SnapshotID
	VolumeID    VolumeID
	SizeGiB     int
	Description string
	Encrypted   bool
	StartTime   time.Time
	Tags        Tags
	// SourceRegion and SourceSnapshot name the snapshot CopySnapshot or
	// CopyImage copied ("" for one taken of a volume).
	SourceRegion   string
	SourceSnapshot SnapshotID
	// CreateVolumePermissions lists who else may create volumes from it.
	CreateVolumePermissions []CreateVolumePermission
}

// ELBHealthCheck reports whether the group's health check types (a
// comma-separated list of EC2, EBS, ELB and VPC_LATTICE) include ELB: the
// group then takes its load balancers' health checks as its instances'.
func (g *AutoScalingGroup) ELBHealthCheck() bool {
	rest := g.HealthCheckType
	for rest != "" {
		var t string
		t, rest, _ = strings.Cut(rest, ",")
		if strings.TrimSpace(t) == "ELB" {
			return true
		}
	}
	return false
}
