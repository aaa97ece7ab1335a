package model

import "time"

// CodeDeployApp is an AWS CodeDeploy application, by name.
type CodeDeployApp struct {
	ID, Name        string
	ComputePlatform string // Server, Lambda, ECS
	Created         time.Time
	Tags            Tags
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
}
