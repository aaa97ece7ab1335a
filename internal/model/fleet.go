package model

import "time"

// SpotFleetRequestID is a Spot Fleet request's id (sfr-…).
type SpotFleetRequestID string

// FleetID is an EC2 Fleet's id (fleet-…).
type FleetID string

// FleetPool is one launch pool of a fleet: a launch specification (Spot
// Fleet's LaunchSpecifications) or a launch template with one of its
// overrides (LaunchTemplateConfigs). Empty fields take the template's.
type FleetPool struct {
	// Template is the launch template, nil for a launch specification.
	Template         *LaunchTemplateRef
	ImageID          string
	InstanceType     string
	SubnetID         SubnetID
	AvailabilityZone string
	KeyName          string
	GroupIDs         []SecurityGroupID
	UserData         string
	IAMProfile       string
	// WeightedCapacity is the capacity units one instance counts for
	// (0: not given, which counts 1).
	WeightedCapacity float64
	// Priority is the override's priority (nil: not given).
	Priority *float64
	MaxPrice string
	// InstanceTags are the specification's instance tags.
	InstanceTags Tags
	// A Spot Fleet launch specification's other parameters, as given
	// (nil, empty: not given).
	EbsOptimized   *bool
	Monitoring     *bool
	BlockDevices   []LCBlockDevice
	PlacementGroup string
	Tenancy        string
	KernelID       string
	RamdiskID      string
	AddressingType string
}

// FleetMarketOptions are an EC2 Fleet's SpotOptions or OnDemandOptions
// beyond the allocation strategy, and Spot Fleet's price caps, as given.
type FleetMarketOptions struct {
	SingleInstanceType     bool
	SingleAvailabilityZone bool
	MinTargetCapacity      int
	MaxTotalPrice          string
	// PoolsToUse is SpotOptions.InstancePoolsToUseCount (0: not given).
	PoolsToUse int
	// ReplacementStrategy and TerminationDelay are the capacity
	// rebalancing maintenance strategy ("": none).
	ReplacementStrategy string
	TerminationDelay    int
	// CapacityReservationUsage is OnDemandOptions'
	// CapacityReservationOptions.UsageStrategy.
	CapacityReservationUsage string
}

// Weight is the capacity units one of the pool's instances counts for.
func (p FleetPool) Weight() float64 {
	if p.WeightedCapacity > 0 {
		return p.WeightedCapacity
	}
	return 1
}

// FleetInstance is an instance a fleet launched.
type FleetInstance struct {
	ID           InstanceID
	InstanceType string
	SubnetID     SubnetID
	Spot         bool
	Weight       float64
	// SpotRequest is the Spot Instance request made for it (Spot Fleet).
	SpotRequest SpotInstanceRequestID
	// Pool is the index of the pool it came from.
	Pool int
}

// FleetEvent is a row of a Spot Fleet request's history.
type FleetEvent struct {
	Time       time.Time
	Type       string // fleetRequestChange, instanceChange, error, information
	SubType    string
	Info       string
	InstanceID InstanceID
	// Spot and Pool say which launch an error event is about.
	Spot bool `json:",omitempty"`
	Pool int  `json:",omitempty"`
}

// SpotFleetRequest is a Spot Fleet request (RequestSpotFleet).
type SpotFleetRequest struct {
	ID SpotFleetRequestID
	// State is submitted, active, modifying, cancelled_running or
	// cancelled_terminating (reported cancelled once its instances have
	// terminated).
	State                            string
	IamFleetRole                     string
	Type                             string // request, maintain or instant
	AllocationStrategy               string
	OnDemandAllocationStrategy       string
	TargetCapacity                   int
	OnDemandTargetCapacity           int
	SpotPrice                        string
	ExcessCapacityTerminationPolicy  string
	InstanceInterruptionBehavior     string
	InstancePoolsToUseCount          int
	TerminateInstancesWithExpiration bool
	ReplaceUnhealthyInstances        bool
	ValidFrom, ValidUntil            time.Time
	ClientToken                      string
	TargetCapacityUnitType           string
	// OnDemandMaxTotalPrice, SpotMaxTotalPrice and Context are as given;
	// Spot's ReplacementStrategy and TerminationDelay are its
	// SpotMaintenanceStrategies.
	OnDemandMaxTotalPrice, SpotMaxTotalPrice, Context string
	Spot                                              FleetMarketOptions
	// FromTemplates is set when the pools came from LaunchTemplateConfigs.
	FromTemplates bool
	// Specs and Templates are LaunchSpecifications and LaunchTemplateConfigs
	// as given (a SubnetId may list several, comma-separated); Pools are
	// their launch pools, one per subnet.
	Specs     []FleetPool
	Templates []FleetTemplateConfig
	Pools     []FleetPool
	Instances []FleetInstance
	History   []FleetEvent
	Created   time.Time
	Tags      Tags
}

// FleetTargetCapacity is an EC2 Fleet's TargetCapacitySpecification.
type FleetTargetCapacity struct {
	Total, OnDemand, Spot int
	DefaultType           string // spot or on-demand
	UnitType              string
}

// Fleet is an EC2 Fleet (CreateFleet).
type Fleet struct {
	ID FleetID
	// State is submitted, active, modifying, deleted_running or
	// deleted_terminating (reported deleted once its instances have
	// terminated).
	State                            string
	Type                             string // instant, request or maintain
	Target                           FleetTargetCapacity
	SpotAllocationStrategy           string
	OnDemandAllocationStrategy       string
	SpotInterruptionBehavior         string
	ExcessCapacityTerminationPolicy  string
	TerminateInstancesWithExpiration bool
	ReplaceUnhealthyInstances        bool
	ValidFrom, ValidUntil            time.Time
	ClientToken                      string
	// SpotOptions and OnDemandOptions' other members, and Context, as
	// given.
	SpotOptions, OnDemandOptions FleetMarketOptions
	Context                      string
	Pools                        []FleetPool
	// Templates are the LaunchTemplateConfigs as given (for the answer).
	Templates []FleetTemplateConfig
	Instances []FleetInstance
	// Errors are the launches that failed (Type error, SubType the error
	// code, Info its message).
	Errors []FleetEvent
	// History is the fleet's history (DescribeFleetHistory): Type
	// fleet-change, instance-change or service-error.
	History []FleetEvent
	Created time.Time
	// DeletedAt is when DeleteFleets terminated its instances.
	DeletedAt time.Time
	Tags      Tags
}

// FleetTemplateConfig is one LaunchTemplateConfigs entry of an EC2 Fleet,
// kept to answer DescribeFleets: its template and its overrides' pools.
type FleetTemplateConfig struct {
	Template  LaunchTemplateRef
	Overrides []FleetPool
}
