package model

import "time"

// CodeDeployApp is an AWS CodeDeploy application, by name.
type CodeDeployApp struct {
	ID, Name        string
	ComputePlatform string // Server, Lambda, ECS
	Created         time.Time
	Tags            Tags
	// Revisions are the application's registered revisions
	// (RegisterApplicationRevision, and those CreateDeployment deployed).
	Revisions []CodeDeployRevision
}

// CodeDeployRevision is a revision an application knows: its location as
// given and when it was registered and used.
type CodeDeployRevision struct {
	Location            map[string]any
	Key                 string // the location's canonical JSON: a revision's identity
	Description         string
	Groups              []string // the deployment groups it was deployed to
	Registered          time.Time
	FirstUsed, LastUsed time.Time
}

// CodeDeployConfig is a deployment configuration: one of AWS's predefined
// CodeDeployDefault.* or the account's own (CreateDeploymentConfig).
type CodeDeployConfig struct {
	Name, ID        string
	ComputePlatform string
	Type            string // AllAtOnce, TimeBasedCanary, TimeBasedLinear (ECS and Lambda)
	Percentage      int    // canary or linear step
	IntervalMinutes int
	// MinimumHealthyHosts is a Server configuration's minimumHealthyHosts
	// (type HOST_COUNT or FLEET_PERCENT, and value), kept as given.
	MinimumHealthyHosts map[string]any
	Created             time.Time
}

// CodeDeployGroup is a deployment group of a CodeDeploy application, by
// CodeDeployGroupKey. ecsnet deploys the groups of the ECS compute
// platform (blue/green with traffic control); the members it does not act
// on (alarms, triggers, rollback) are kept as given in Config.
type CodeDeployGroup struct {
	ID, Name, App  string
	ARN            string
	ConfigName     string // the deployment configuration, CodeDeployDefault.ECSAllAtOnce by default
	ServiceRoleARN string
	DeploymentType string // BLUE_GREEN, IN_PLACE
	Option         string // WITH_TRAFFIC_CONTROL, WITHOUT_TRAFFIC_CONTROL
	ECSServices    []CodeDeployECSService
	// TargetGroupPairs are the load balancer's pairs: two target group
	// names, the production listeners and the test listeners.
	TargetGroupPairs []CodeDeployTargetGroupPair
	// TerminationWaitMinutes is how long the original task set runs
	// after the traffic moved (terminateBlueInstancesOnDeploymentSuccess).
	TerminationWaitMinutes int
	// Config holds the members given and echoed as they are
	// (blueGreenDeploymentConfiguration, alarmConfiguration, …).
	Config          map[string]any
	LastSuccessful  string // deployment ids
	LastAttempted   string
	TerminationHook bool
	Created         time.Time
	Tags            Tags
}

// CodeDeployECSService names the ECS service of a deployment group.
type CodeDeployECSService struct{ Cluster, Service string }

// CodeDeployTargetGroupPair is a deployment group's targetGroupPairInfo.
type CodeDeployTargetGroupPair struct {
	TargetGroups  []string // names
	ProdListeners []string // ARNs
	TestListeners []string
}

// CodeDeployGroupKey is a CodeDeployGroup's key: its application and name.
func CodeDeployGroupKey(app, name string) string { return app + "/" + name }

// CodeDeployment is a CodeDeploy deployment, by id (d-XXXXXXXXX).
type CodeDeployment struct {
	ID, App, Group   string
	ConfigName       string
	Status           string // Created, InProgress, Succeeded, Failed, Stopped
	ErrorCode        string
	ErrorMessage     string
	Description      string
	Creator          string // user
	Revision         map[string]any
	AppSpec          string
	Created, Started time.Time
	Completed        time.Time
	ComputePlatform  string
	// The ECS blue/green deployment: the service, its original and
	// replacement task sets, the target groups (ARNs) traffic moved from
	// and to.
	Cluster, Service   string
	OriginalTaskSet    string
	ReplacementTaskSet string
	FromTargetGroup    string
	ToTargetGroup      string
	// TerminateAt is when the original task set is removed (zero: done).
	TerminateAt time.Time
	// Events are the ECS lifecycle events in their order (BeforeInstall …
	// AfterAllowTraffic).
	Events []CodeDeployLifecycleEvent
	// TrafficWeight is the percent of production traffic the replacement
	// task set has; NextShiftAt is when a canary or linear deployment
	// moves more (zero: no shift waits).
	TrafficWeight float64
	NextShiftAt   time.Time
	// ReadyUntil is when a deployment waiting for ContinueDeployment
	// (status Ready, STOP_DEPLOYMENT) stops.
	ReadyUntil time.Time
	// ReadyContinued reports ContinueDeployment of a Ready deployment.
	ReadyContinued bool
	// InstallBy is when the replacement task set must be steady.
	InstallBy time.Time
	// RollbackDeploymentID is the deployment that rolled this one back;
	// RollbackOf the one this deployment rolled back; RollbackMessage
	// says why.
	RollbackDeploymentID, RollbackOf, RollbackMessage string
	// AlarmConfig is CreateDeployment's overrideAlarmConfiguration
	// (nil: the group's alarmConfiguration watches the deployment).
	AlarmConfig map[string]any
}

// CodeDeployLifecycleEvent is one lifecycle event of a deployment's
// target; Hook is the Lambda function the AppSpec names for it.
type CodeDeployLifecycleEvent struct {
	Name, Status        string // Pending, InProgress, Succeeded, Failed, Skipped
	Hook, HookExecution string
	// HookResult is what PutLifecycleEventHookExecutionStatus reported
	// of the hook (Succeeded, Failed; empty: nothing yet).
	HookResult     string
	Message        string // diagnostics
	ErrorCode      string
	Started, Ended time.Time
}
