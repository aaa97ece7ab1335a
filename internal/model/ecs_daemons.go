package model

import "time"

// Daemon is an ECS Managed Daemon (CreateDaemon): one task of its
// current revision's daemon task definition on every container instance
// of the revision's Managed Instances capacity providers, in a cluster,
// at arn:…:daemon/<cluster>/<name>.
type Daemon struct {
	ARN, Name, ClusterARN string
	// Status is ACTIVE or DELETE_IN_PROGRESS (DeleteDaemon); a deleted
	// daemon is gone once its draining deployment is done.
	Status string
	// RevisionARN is the revision the daemon runs (its latest);
	// DeploymentARN its latest deployment.
	RevisionARN, DeploymentARN string
	CreatedAt, UpdatedAt       time.Time
	Tags                       Tags
	// ClientToken is CreateDaemon's clientToken ("": none) and
	// RequestDigest the digest of the request that made the daemon, so a
	// retry with the token answers the daemon and another request with it
	// is refused.
	ClientToken, RequestDigest string
}

// DaemonRevision is a daemon's configuration as one deployment made it
// (immutable): its daemon task definition, the images of its containers,
// the capacity providers it runs on and the task settings.
type DaemonRevision struct {
	ARN, DaemonARN, ClusterARN string
	TaskDefinitionARN          string
	CapacityProviderARNs       []string
	Images                     []DaemonContainerImage
	PropagateTags              string
	ECSManagedTags             bool
	ExecuteCommand             bool
	CreatedAt                  time.Time
}

// DaemonContainerImage is one container's image in a daemon revision.
type DaemonContainerImage struct{ ContainerName, Image string }

// DaemonDeployment rolls a daemon's instances from its source revisions
// to TargetRevisionARN ("" for DeleteDaemon's deployment, which drains
// the daemon's tasks).
type DaemonDeployment struct {
	ARN, DaemonARN, ClusterARN string
	// Status is one of PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, …
	// (DaemonDeploymentStatus).
	Status, StatusReason string
	TargetRevisionARN    string
	SourceRevisionARNs   []string
	Config               DaemonDeploymentConfig
	CreatedAt, StartedAt time.Time
	StoppedAt            time.Time
	FinishedAt           time.Time
	// FailureCount counts the daemon tasks the deployment could not start
	// (its circuit breaker's failureCount); Rollback is set once the
	// circuit breaker rolled it back.
	FailureCount int
	Rollback     *DaemonRollback
}

// DaemonRollback is a daemon deployment's rollback: why, when, and the
// revision (and its capacity providers) it deploys again.
type DaemonRollback struct {
	Reason               string
	StartedAt            time.Time
	TargetRevisionARN    string
	CapacityProviderARNs []string
}

// DaemonDeploymentConfig is a daemon's deploymentConfiguration.
type DaemonDeploymentConfig struct {
	DrainPercent      float64
	BakeTimeInMinutes int
	AlarmNames        []string
	AlarmsEnabled     bool
}
