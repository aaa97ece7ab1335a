package model

import (
	"slices"
	"time"
)

// ScalingPolicy is an Auto Scaling policy (SimpleScaling, StepScaling,
// TargetTrackingScaling or PredictiveScaling), stored as given.
type ScalingPolicy struct {
	Name                    string
	ARN                     string
	Type                    string // SimpleScaling (default), StepScaling, TargetTrackingScaling, PredictiveScaling
	AdjustmentType          string // ChangeInCapacity, ExactCapacity, PercentChangeInCapacity
	ScalingAdjustment       *int
	MinAdjustmentMagnitude  *int
	Cooldown                *int
	MetricAggregationType   string
	EstimatedInstanceWarmup *int
	StepAdjustments         []StepAdjustment
	TargetTracking          *TargetTrackingConfiguration
	// Predictive keeps PredictiveScalingConfiguration as given, keyed by
	// member name (ecsnet does not forecast).
	Predictive map[string]any
	Enabled    bool
}

// StepAdjustment is one step of a StepScaling policy.
type StepAdjustment struct {
	LowerBound, UpperBound *float64
	ScalingAdjustment      int
}

// TargetTrackingConfiguration is a target tracking policy's target.
type TargetTrackingConfiguration struct {
	PredefinedMetricType string
	ResourceLabel        string
	// Customized metric (the single-metric form).
	MetricName, Namespace, Statistic, Unit string
	Dimensions                             []KeyValue
	// Period is the customized metric's period in seconds (10, 30 or 60;
	// 0 when not given: AWS's default of 60).
	Period int
	// Metrics keeps the metric math form of a customized metric (its
	// TargetTrackingMetricDataQuery values, keyed by member name) as given.
	Metrics        []any
	TargetValue    float64
	DisableScaleIn bool
}

// ScheduledAction is an Auto Scaling scheduled action.
type ScheduledAction struct {
	Name                              string
	ARN                               string
	StartTime, EndTime                time.Time
	Recurrence, TimeZone              string
	MinSize, MaxSize, DesiredCapacity *int
}

// SuspendedProcess is a suspended Auto Scaling process.
type SuspendedProcess struct {
	Name   string
	Reason string
}

// LifecycleHook is an Auto Scaling lifecycle hook.
type LifecycleHook struct {
	Name                  string
	Transition            string // autoscaling:EC2_INSTANCE_LAUNCHING or _TERMINATING
	RoleARN               string
	NotificationTargetARN string
	NotificationMetadata  string
	HeartbeatTimeout      int
	DefaultResult         string // CONTINUE or ABANDON
}

// MixedInstancesPolicy is a group's mix of instance types and purchase
// options.
type MixedInstancesPolicy struct {
	Overrides                   []LaunchTemplateOverride
	OnDemandAllocationStrategy  string
	OnDemandBaseCapacity        int
	OnDemandPercentageAboveBase int
	SpotAllocationStrategy      string
	SpotInstancePools           int
	SpotMaxPrice                string
}

// LaunchTemplateOverride is one override of a mixed-instances policy.
type LaunchTemplateOverride struct {
	InstanceType     string
	WeightedCapacity string
	ImageID          string
	LaunchTemplate   *LaunchTemplateRef
	// Requirements, in place of InstanceType, asks for any instance type
	// with these attributes (attribute-based instance type selection).
	Requirements *InstanceRequirements
}

// InstanceRequirements are the attributes an override's instance types
// must have. A zero maximum is no limit; empty lists allow everything.
type InstanceRequirements struct {
	VCPUMin, VCPUMax           int
	MemoryMiBMin, MemoryMiBMax int
	// BurstablePerformance is "included" (the default), "excluded" or
	// "required".
	BurstablePerformance string
	// CPUManufacturers: intel, amd, amazon-web-services.
	CPUManufacturers []string
	// InstanceGenerations: current, previous.
	InstanceGenerations []string
	// ExcludedInstanceTypes and AllowedInstanceTypes are names with *
	// wildcards ("t2*", "m5.*").
	ExcludedInstanceTypes []string
	AllowedInstanceTypes  []string
}

// ScalingActivity is one scaling activity of a group, as
// DescribeScalingActivities reports it.
type ScalingActivity struct {
	ID          string
	Description string
	Cause       string
	StartTime   time.Time
	EndTime     time.Time
	StatusCode  string // Successful, Failed, …
	StatusMsg   string
	Details     string
}

// Scaling processes a group can suspend (SuspendProcesses).
var ScalingProcesses = []string{"Launch", "Terminate", "AddToLoadBalancer", "AlarmNotification",
	"AZRebalance", "HealthCheck", "InstanceRefresh", "ReplaceUnhealthy", "ScheduledActions"}

// Suspended reports whether process is suspended in g.
func (g *AutoScalingGroup) Suspended(process string) bool {
	for _, p := range g.SuspendedProcesses {
		if p.Name == process {
			return true
		}
	}
	return false
}

// IsProtected reports whether instance id is protected from scale in.
func (g *AutoScalingGroup) IsProtected(id InstanceID) bool {
	for _, p := range g.ProtectedInstances {
		if p == id {
			return true
		}
	}
	return false
}

// ASGExtra is the part of an Auto Scaling group that Terraform and the
// Auto Scaling console manage around the group itself: warm pool,
// notifications, metrics collection, instance refreshes, and the
// instances in standby or set unhealthy. It is embedded in
// AutoScalingGroup.
type ASGExtra struct {
	WarmPool          *WarmPool
	Notifications     []ASGNotification
	EnabledMetrics    []EnabledMetric
	InstanceRefreshes []InstanceRefresh // newest first
	StandbyInstances  []InstanceID
	// WarmInstances are the instances in the group's warm pool (launched
	// for it, kept stopped, running or hibernated until scale out takes
	// them); they do not count towards the group's capacity.
	WarmInstances         []InstanceID
	UnhealthyInstances    []UnhealthyInstance
	DefaultInstanceWarmup *int
	MaxInstanceLifetime   int
	DesiredCapacityType   string
	Context               string
	// PlacementGroup is the placement group the group launches its
	// instances into ("" none); it overrides its launch template's.
	PlacementGroup string
	// DeletionProtection is none (\"\"), prevent-force-deletion or
	// prevent-all-deletion.
	DeletionProtection string
	// MaintenanceMinHealthy and MaintenanceMaxHealthy are the instance
	// maintenance policy (nil: none; -1 clears a bound).
	MaintenanceMinHealthy, MaintenanceMaxHealthy *int
	// LaunchClientTokens remembers LaunchInstances' client tokens (the
	// last 50) and the instances each launched, for idempotent retries.
	LaunchClientTokens []LaunchToken
	// LifecycleActions are the lifecycle actions in progress: an instance
	// with one waits (Pending:Wait or Terminating:Wait) until each is
	// completed, abandoned or timed out.
	LifecycleActions []LifecycleAction
	// Deregistering are the instances taken out of service that wait,
	// Terminating, while their load balancers drain them (deregistration
	// delay, Classic connection draining) before the termination hooks
	// or the termination itself.
	Deregistering []DeregisteringInstance `json:",omitempty"`
	// Removing are the target groups and Classic Load Balancers detached
	// from the group whose instances still drain from them: Auto Scaling
	// lists each in state Removing until then, and no longer after.
	Removing []RemovingLoadBalancer `json:",omitempty"`
	// Added are the target groups (ARNs) and Classic Load Balancers
	// (names) attached after the group was created: Auto Scaling lists
	// them Added (once their instances are registered, which ecsnet does
	// at once) rather than InService, which those given at creation are
	// from the start, until an instance of the group passes an ELB health
	// check, with health check type ELB.
	Added []string `json:",omitempty"`
	// ZonesOnly is true for a group given Availability Zones and no
	// VPCZoneIdentifier: it launches into the zones' default subnets
	// (Subnets), and DescribeAutoScalingGroups answers its
	// VPCZoneIdentifier empty, as for a group of EC2-Classic days.
	ZonesOnly bool `json:",omitempty"`
}

// RemovingLoadBalancer is a target group (TargetGroupARN) or Classic
// Load Balancer (LoadBalancerName) detached from a group, in state
// Removing until Until, when its last instance of the group has drained.
type RemovingLoadBalancer struct {
	TargetGroupARN   string `json:",omitempty"`
	LoadBalancerName string `json:",omitempty"`
	Until            time.Time
}

// DeregisteringInstance is an instance of a group waiting for its load
// balancers to drain it: until Until; Activity is the id of the scaling
// activity that terminates it (WaitingForELBConnectionDraining meanwhile).
type DeregisteringInstance struct {
	Instance InstanceID
	Until    time.Time
	Activity string
}

// IsDeregistering reports whether instance id waits, Terminating, for its
// load balancers to drain it.
func (g *AutoScalingGroup) IsDeregistering(id InstanceID) bool {
	return slices.ContainsFunc(g.Deregistering, func(d DeregisteringInstance) bool { return d.Instance == id })
}

// LifecycleAction is an instance waiting on a lifecycle hook.
type LifecycleAction struct {
	Instance InstanceID
	Hook     string
	Token    string
	// Terminating is true for a termination hook's action (the instance
	// is leaving the group), false for a launch hook's.
	Terminating bool
	// Deadline is when the hook's DefaultResult applies: HeartbeatTimeout
	// after the launch or the last heartbeat.
	Deadline time.Time
}

// Waiting reports whether instance id waits on a launch lifecycle action.
func (g *AutoScalingGroup) Waiting(id InstanceID) bool {
	for _, a := range g.LifecycleActions {
		if a.Instance == id && !a.Terminating {
			return true
		}
	}
	return false
}

// Leaving reports whether instance id is on its way out of the group:
// draining from its load balancers or waiting on a termination lifecycle
// action. It no longer counts towards the group's capacity.
func (g *AutoScalingGroup) Leaving(id InstanceID) bool {
	if g.IsDeregistering(id) {
		return true
	}
	for _, a := range g.LifecycleActions {
		if a.Instance == id && a.Terminating {
			return true
		}
	}
	return false
}

// LaunchToken is one LaunchInstances request remembered by its client
// token.
type LaunchToken struct {
	Token     string
	Capacity  int
	Instances []InstanceID
}

// WarmPool is a group's warm pool configuration.
type WarmPool struct {
	MinSize                  int
	MaxGroupPreparedCapacity *int
	PoolState                string // Stopped (default), Running, Hibernated
	ReuseOnScaleIn           *bool
}

// ASGNotification sends a group's notifications of some types to an SNS
// topic.
type ASGNotification struct {
	TopicARN string
	Types    []string
}

// EnabledMetric is a group metric whose collection is enabled.
type EnabledMetric struct {
	Metric, Granularity string
}

// UnhealthyInstance is an instance marked Unhealthy: by SetInstanceHealth,
// by the EC2 health check (stopped or terminated outside Auto Scaling) or
// by the ELB health check (a load balancer reports it unhealthy). It is
// replaced once RespectGrace allows (after the group's grace period from
// its launch).
type UnhealthyInstance struct {
	ID           InstanceID
	RespectGrace bool
	// Cause is the health check that marked it, as the activity's cause
	// names it ("a user health-check", …); "" is SetInstanceHealth's.
	Cause string
}

// InstanceRefresh is an instance refresh of a group.
type InstanceRefresh struct {
	ID                                         string
	Status                                     string // Pending, InProgress, Successful, Failed, Cancelling, Cancelled, RollbackInProgress, RollbackSuccessful, …
	StatusReason                               string
	StartTime, EndTime                         time.Time
	Strategy                                   string // Rolling, ReplaceRootVolume
	MinHealthyPercentage, MaxHealthyPercentage int
	InstanceWarmup                             *int
	SkipMatching                               bool
	AutoRollback                               bool
	// Preferences keeps the preferences ecsnet does not act on, as given.
	Preferences map[string]any
	// Desired is the desired configuration's launch template (nil: the
	// group's own); Previous* is the group's configuration before the
	// refresh, for a rollback.
	Desired                     *LaunchTemplateRef
	PreviousTemplate            *LaunchTemplateRef
	PreviousLaunchConfiguration string
	// ToReplace are the instances the refresh replaces; Replaced counts
	// those done.
	ToReplace []InstanceID
	Replaced  int
	Total     int
}

// Active reports whether a refresh still runs (it blocks another).
func (r InstanceRefresh) Active() bool {
	switch r.Status {
	case "Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking":
		return true
	}
	return false
}

// InStandby reports whether instance id is in standby.
func (g *AutoScalingGroup) InStandby(id InstanceID) bool {
	for _, s := range g.StandbyInstances {
		if s == id {
			return true
		}
	}
	return false
}

// InWarmPool reports whether instance id is in the group's warm pool.
func (g *AutoScalingGroup) InWarmPool(id InstanceID) bool {
	for _, w := range g.WarmInstances {
		if w == id {
			return true
		}
	}
	return false
}

// Unhealthy reports whether instance id was set unhealthy.
func (g *AutoScalingGroup) Unhealthy(id InstanceID) bool {
	for _, u := range g.UnhealthyInstances {
		if u.ID == id {
			return true
		}
	}
	return false
}
