package model

import "time"

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
	TargetValue                            float64
	DisableScaleIn                         bool
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
