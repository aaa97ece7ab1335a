package model

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// NetworkMode is a task definition's network mode.
type NetworkMode string

// Network modes.
const (
	NetworkModeAwsvpc NetworkMode = "awsvpc"
	NetworkModeBridge NetworkMode = "bridge"
	NetworkModeHost   NetworkMode = "host"
	NetworkModeNone   NetworkMode = "none"
)

// LaunchType is where ECS runs a task.
type LaunchType string

// Launch types.
const (
	LaunchEC2      LaunchType = "EC2"
	LaunchFargate  LaunchType = "FARGATE"
	LaunchExternal LaunchType = "EXTERNAL"
	// LaunchManagedInstances is ECS Managed Instances: EC2 instances ECS
	// launches itself for a managed instances capacity provider.
	LaunchManagedInstances LaunchType = "MANAGED_INSTANCES"
)

// Cluster is an ECS cluster.
type Cluster struct {
	ARN               string
	Name              string
	Status            string // "ACTIVE", "INACTIVE"
	CapacityProviders []string
	DefaultStrategy   []CapacityProviderStrategyItem
	ContainerInsights string
	CreatedAt         time.Time
	Tags              Tags
	// ExecuteCommand is the cluster's executeCommandConfiguration (nil when
	// unset); ServiceConnectNamespace its serviceConnectDefaults.
	ExecuteCommand          *ExecuteCommandConfiguration
	ServiceConnectNamespace string
}

// ExecuteCommandConfiguration is a cluster's ECS Exec configuration.
type ExecuteCommandConfiguration struct {
	KMSKeyID                    string
	Logging                     string // NONE, DEFAULT, OVERRIDE
	CloudWatchLogGroupName      string
	CloudWatchEncryptionEnabled bool
	S3BucketName                string
	S3EncryptionEnabled         bool
	S3KeyPrefix                 string
}

// CapacityProviderStrategyItem is one entry of a capacity provider strategy.
type CapacityProviderStrategyItem struct {
	CapacityProvider string
	Weight           int
	Base             int
}

// CapacityProvider ties an Auto Scaling group (or Fargate) to ECS.
type CapacityProvider struct {
	ARN                          string
	Name                         string
	Status                       string // "ACTIVE", "INACTIVE"
	AutoScalingGroupARN          string
	ManagedScaling               bool
	TargetCapacity               int
	MinimumScalingStepSize       int // 1 when unset
	MaximumScalingStepSize       int // 10000 when unset
	InstanceWarmupPeriod         int // seconds
	ManagedTerminationProtection bool
	ManagedDrainingDisabled      bool   // managedDraining DISABLED (ENABLED by default)
	UpdateStatus                 string // "", UPDATE_COMPLETE, DELETE_IN_PROGRESS, DELETE_COMPLETE
	Tags                         Tags
	// ClusterARN is the cluster a Managed Instances provider belongs to
	// (such providers are cluster-scoped); "" for the others.
	ClusterARN string
	// ManagedInstances is set on an ECS Managed Instances provider.
	ManagedInstances *ManagedInstancesProvider
}

// ManagedInstancesProvider is a capacity provider's managedInstancesProvider:
// ECS launches EC2 instances itself, with this launch template, in these
// subnets and security groups, and registers them with the cluster.
type ManagedInstancesProvider struct {
	InfrastructureRoleARN string
	InstanceProfileARN    string
	Subnets               []SubnetID
	SecurityGroups        []SecurityGroupID
	PropagateTags         string // CAPACITY_PROVIDER or NONE ("": unset)
	Monitoring            string // BASIC or DETAILED ("": unset)
	CapacityOptionType    string // ON_DEMAND, SPOT, RESERVED ("": unset)
	StorageGiB            int    // storageConfiguration.storageSizeGiB (0: unset)
	// AllowedInstanceTypes is instanceRequirements.allowedInstanceTypes;
	// VCPUMin/Max and MemoryMiBMin/Max its vCpuCount and memoryMiB (0:
	// unset). The rest of instanceRequirements is not kept.
	AllowedInstanceTypes       []string
	VCPUMin, VCPUMax           int
	MemoryMiBMin, MemoryMiBMax int
	ScaleInAfter               *int // infrastructureOptimization.scaleInAfter
}

// Type is the provider's type as DescribeCapacityProviders answers it.
func (c *CapacityProvider) Type() string {
	switch {
	case c.IsFargate():
		return c.Name
	case c.ManagedInstances != nil:
		return "MANAGED_INSTANCES"
	}
	return "EC2_AUTOSCALING"
}

// NewCapacityProvider is an ACTIVE Auto Scaling group capacity provider
// with ECS's defaults for what its creation does not say: target capacity
// 100, scaling steps 1 to 10000, instance warm-up 300 seconds.
func NewCapacityProvider(arn, name string) *CapacityProvider {
	return &CapacityProvider{ARN: arn, Name: name, Status: "ACTIVE", TargetCapacity: 100,
		MinimumScalingStepSize: 1, MaximumScalingStepSize: 10000, InstanceWarmupPeriod: 300}
}

// Usable reports whether c can be named in a cluster or a strategy: it is
// ACTIVE and not being deleted (DeleteCapacityProvider leaves it ACTIVE
// with updateStatus DELETE_IN_PROGRESS until the deletion completes).
func (c *CapacityProvider) Usable() bool {
	return c.Status == "ACTIVE" && c.UpdateStatus != "DELETE_IN_PROGRESS"
}

// IsFargate reports whether c is one of the built-in Fargate providers.
func (c *CapacityProvider) IsFargate() bool {
	return c.Name == "FARGATE" || c.Name == "FARGATE_SPOT"
}

// LaunchFailure is a capacity provider whose Auto Scaling group's latest
// launch failed, as DescribeScalingActivities would show it.
type LaunchFailure struct {
	Provider *CapacityProvider
	Group    *AutoScalingGroup
}

// FailedLaunches lists, by provider name then group name, the capacity
// providers named in providers whose Auto Scaling group cannot launch
// instances (an AMI of the wrong architecture, an instance type the zone
// lacks): the reason tasks waiting on them stay in PROVISIONING.
func (s *State) FailedLaunches(providers map[string]bool) []LaunchFailure {
	var out []LaunchFailure
	for _, cp := range s.CapacityProviders {
		if !providers[cp.Name] || cp.AutoScalingGroupARN == "" {
			continue
		}
		for _, g := range s.AutoScalingGroups {
			if g.ARN == cp.AutoScalingGroupARN && g.LastActivity != "" {
				out = append(out, LaunchFailure{cp, g})
			}
		}
	}
	slices.SortFunc(out, func(a, b LaunchFailure) int {
		return cmp.Or(cmp.Compare(a.Provider.Name, b.Provider.Name), cmp.Compare(a.Group.Name, b.Group.Name))
	})
	return out
}

// FullProviders lists, by provider name then group name, the capacity
// providers named in providers with managed scaling that tasks wait for in
// vain: managed scaling cannot grow their Auto Scaling group (its desired
// capacity is at its MaxSize) and every instance the group wants is a
// registered container instance, so, tasks still waiting, no instance of
// the group can take them. A group whose launch failed is FailedLaunches';
// one still launching is only pending.
func (s *State) FullProviders(providers map[string]bool) []LaunchFailure {
	var out []LaunchFailure
	for _, cp := range s.CapacityProviders {
		if !providers[cp.Name] || !cp.ManagedScaling || cp.AutoScalingGroupARN == "" {
			continue
		}
		for _, g := range s.AutoScalingGroups {
			if g.ARN != cp.AutoScalingGroupARN || g.LastActivity != "" || g.DesiredCapacity < g.MaxSize {
				continue
			}
			registered := 0
			for _, ci := range s.ContainerInstances {
				if i := s.Instances[ci.EC2InstanceID]; i != nil && i.AutoScalingGroup == g.Name && ci.Status == "ACTIVE" {
					registered++
				}
			}
			if registered >= g.DesiredCapacity {
				out = append(out, LaunchFailure{cp, g})
			}
		}
	}
	slices.SortFunc(out, func(a, b LaunchFailure) int {
		return cmp.Or(cmp.Compare(a.Provider.Name, b.Provider.Name), cmp.Compare(a.Group.Name, b.Group.Name))
	})
	return out
}

// ContainerInstance is an EC2 instance registered to a cluster.
type ContainerInstance struct {
	ARN              string
	ClusterARN       string
	EC2InstanceID    InstanceID
	Status           string // "REGISTERING", "ACTIVE", "DRAINING", "REGISTRATION_FAILED", "INACTIVE"
	StatusReason     string
	AgentConnected   bool
	AgentVersion     string
	CPU              int // registered CPU units
	MemoryMiB        int // registered memory
	ReservedPorts    []uint16
	ReservedUDPPorts []uint16
	// TrunkingEnabled is set when awsvpcTrunking was on when the instance
	// registered; tasks then use branch ENIs on the trunk.
	TrunkingEnabled  bool
	AvailabilityZone string
	InstanceType     string
	Attributes       []Attribute
	Version          int64
	RegisteredAt     time.Time
	CapacityProvider string
	Tags             Tags
	// IdleSince is when the last task left an ECS Managed Instances
	// instance (zero while it has tasks): ECS terminates it once idle for
	// its provider's scaleInAfter.
	IdleSince time.Time
	// AgentUpdateStatus is the status of the last UpdateContainerAgent
	// (PENDING, STAGING, STAGED, UPDATING, UPDATED, FAILED; "" when never
	// asked), entered at AgentUpdateAt.
	AgentUpdateStatus string
	AgentUpdateAt     time.Time
}

// Attribute is an ECS attribute (name, optional value).
type Attribute struct{ Name, Value string }

// PlacementConstraint is a task placement constraint: distinctInstance, or
// memberOf with a cluster query language expression.
type PlacementConstraint struct{ Type, Expression string }

// PlacementStrategy is a task placement strategy: random, spread (field
// instanceId, host or attribute:<name>) or binpack (cpu, memory).
type PlacementStrategy struct{ Type, Field string }

// PortMapping maps a container port, possibly to a host port, or a
// range of container ports (containerPortRange) to as many host ports.
type PortMapping struct {
	ContainerPort uint16
	// HostPort is 0 for a dynamic port (bridge) or when unset.
	HostPort    uint16
	Protocol    Protocol // TCP or UDP
	Name        string
	AppProtocol string
	// ContainerPortRange is the containerPortRange ("first-last"); the
	// zero value when the mapping is one containerPort. A range mapping
	// has no ContainerPort or HostPort: awsvpc maps each port at the same
	// port, bridge to a block of dynamic host ports (NetworkBinding).
	ContainerPortRange PortRange
}

// IsRange reports whether pm maps a containerPortRange.
func (pm PortMapping) IsRange() bool { return pm.ContainerPortRange.Last != 0 }

// ContainerPorts is the container ports pm maps: its range, or its one
// container port.
func (pm PortMapping) ContainerPorts() PortRange {
	if pm.IsRange() {
		return pm.ContainerPortRange
	}
	return Port(pm.ContainerPort)
}

// ContainerDefinition is one container of a task definition.
type ContainerDefinition struct {
	Name              string
	Image             string
	CPU               int
	Memory            int // hard limit MiB, 0 when unset
	MemoryReservation int // soft limit MiB, 0 when unset
	Essential         bool
	PortMappings      []PortMapping
	Environment       []KeyValue
	Command           []string
	EntryPoint        []string
	DockerLabels      map[string]string
	Links             []string
	// ListenAddress is the address the application binds to inside the
	// container (ecsnet's addition; AWS cannot know it). The zero value means
	// 0.0.0.0, every address; 127.0.0.1 is the classic mistake.
	ListenAddress netip.Addr
	// AppPorts are the ports the application binds inside the container
	// (ecsnet's addition, like ListenAddress): nil means the container
	// ports of its port mappings. A mapping whose container port is not
	// among them reaches nothing (the classic PORT=8080 behind a
	// containerPort 80): Docker, the ENI and the load balancer get a reset.
	AppPorts []uint16
	// Serves is what the application answers on each HTTP path (ecsnet's
	// addition): a path ("/health", "/api/*") → status. Nil: every path
	// answers 200. A path it does not list answers 404.
	Serves map[string]int
	// AllowedHosts are the Host header names the application answers
	// (ecsnet's addition, like Serves: a web framework's host check, such
	// as Django's ALLOWED_HOSTS): nil answers every Host; otherwise a
	// request whose host (without its port) matches none is answered 400
	// (HostAllowed). A load balancer's health check sends the target's
	// address as its Host, which such a list rarely names.
	AllowedHosts []string
	// TLS says the application speaks TLS (HTTPS) on its ports (ecsnet's
	// addition, like Serves): false, the default, is plain HTTP; the data
	// plane's listeners answer TLS with a self-signed certificate when true.
	TLS bool
	// ProxyProtocol says the application expects a PROXY protocol header
	// (v1 or v2) before the client's bytes on each connection (ecsnet's
	// addition, like TLS: nginx's "listen 80 proxy_protocol", HAProxy's
	// accept-proxy). Without one it reads the client's first bytes as a
	// broken header and closes the connection; an application without it
	// reads an NLB's binary header as a malformed request (400).
	ProxyProtocol bool
	// KeepAliveTimeout is how long, in seconds, the application keeps an
	// idle HTTP keep-alive connection open before it closes it (ecsnet's
	// addition, like Serves: Node.js's server.keepAliveTimeout is 5 s, Go's
	// IdleTimeout, gunicorn's --keep-alive 2 s); 0 is unknown. One shorter
	// than a load balancer's idle timeout closes connections the load
	// balancer still means to reuse: now and then a request gets 502.
	KeepAliveTimeout int
	// ResponseSeconds is how long, in seconds, the application takes to
	// answer a request of each HTTP path (ecsnet's addition, like Serves:
	// a path or pattern such as "/reports/*" → seconds; a path it does not
	// list answers at once). A load balancer that hears nothing for its
	// idle timeout answers 504; a health check that hears nothing for its
	// timeout fails (Target.Timeout).
	ResponseSeconds map[string]int
	// StartSeconds is how long, in seconds, the application takes after
	// the container starts before it listens on its ports (ecsnet's
	// addition, like ResponseSeconds: a JVM's or a framework's start, a
	// migration run first); 0 is at once. A service's task whose target
	// group finds it unhealthy once the service's health check grace
	// period is over is stopped by ECS before it ever listens.
	StartSeconds int
	// Raw keeps every other field of the definition as the client sent it,
	// so DescribeTaskDefinition returns it unchanged.
	Raw map[string]any
}

// KeyValue is a name/value pair.
type KeyValue struct{ Name, Value string }

// TaskDefinition is one revision of a task definition family.
type TaskDefinition struct {
	ARN                     string
	Family                  string
	Revision                int
	Status                  string // "ACTIVE", "INACTIVE", "DELETE_IN_PROGRESS"
	NetworkMode             NetworkMode
	Containers              []ContainerDefinition
	RequiresCompatibilities []LaunchType
	Compatibilities         []LaunchType
	CPU                     string // task-level, in CPU units ("1 vCPU" is registered as "1024")
	Memory                  string
	TaskRoleARN             string
	ExecutionRoleARN        string
	PIDMode, IPCMode        string
	RequiresAttributes      []Attribute
	RegisteredAt            time.Time
	DeregisteredAt          time.Time
	RegisteredBy            string
	PlacementConstraints    []PlacementConstraint
	// RuntimePlatform is the task definition's runtimePlatform, as
	// registered (nil when not given).
	RuntimePlatform *RuntimePlatform
	// Raw keeps the task-definition-level fields ecsnet does not model.
	Raw  map[string]any
	Tags Tags
	// DaemonTaskDefinition marks a daemon task definition's twin, stored
	// under the daemon task definition's ARN, so daemon tasks are read as
	// every task is (State.TaskDefinitions[task.TaskDefinitionARN]); the
	// task definition APIs neither list nor describe it.
	DaemonTaskDefinition bool
}

// RuntimePlatform is a task definition's runtimePlatform: the CPU
// architecture (X86_64, ARM64) and operating system family (LINUX,
// WINDOWS_SERVER_…) its tasks need; either may be empty.
type RuntimePlatform struct {
	CPUArchitecture       string
	OperatingSystemFamily string
}

// Architecture is the ecs.cpu-architecture attribute value (x86_64,
// arm64) a task of td needs, "" when its runtimePlatform names no CPU
// architecture and the task may go on either.
func (td *TaskDefinition) Architecture() string {
	if td.RuntimePlatform == nil {
		return ""
	}
	switch td.RuntimePlatform.CPUArchitecture {
	case "ARM64":
		return "arm64"
	case "X86_64":
		return "x86_64"
	}
	return ""
}

// Container returns the container definition named name.
func (td *TaskDefinition) Container(name string) (*ContainerDefinition, bool) {
	for i := range td.Containers {
		if td.Containers[i].Name == name {
			return &td.Containers[i], true
		}
	}
	return nil, false
}

// TaskStatus is a task's lastStatus or desiredStatus.
type TaskStatus string

// Task statuses, in lifecycle order.
const (
	TaskProvisioning   TaskStatus = "PROVISIONING"
	TaskPending        TaskStatus = "PENDING"
	TaskActivating     TaskStatus = "ACTIVATING"
	TaskRunning        TaskStatus = "RUNNING"
	TaskDeactivating   TaskStatus = "DEACTIVATING"
	TaskStopping       TaskStatus = "STOPPING"
	TaskDeprovisioning TaskStatus = "DEPROVISIONING"
	TaskStopped        TaskStatus = "STOPPED"
)

// AwsVpcConfiguration is the awsvpc part of a network configuration.
type AwsVpcConfiguration struct {
	Subnets        []SubnetID
	SecurityGroups []SecurityGroupID
	AssignPublicIP bool
	// DefaultGroup: no group was given, SecurityGroups is the VPC's
	// default group the tasks get (ECS describes the configuration
	// without it).
	DefaultGroup bool
}

// TaskAttachment is an ECS attachment of a task, here always an ENI.
type TaskAttachment struct {
	ID        string // a UUID
	Type      string // "ElasticNetworkInterface"
	Status    string // PRECREATED, CREATED, ATTACHING, ATTACHED, DETACHING, DETACHED, DELETED, FAILED
	ENI       NetworkInterfaceID
	SubnetID  SubnetID
	MAC       string
	PrivateIP netip.Addr
	DNSName   string
	// IPv6 is the ENI's IPv6 address in a dual-stack subnet with the
	// dualStackIPv6 account setting on; invalid otherwise.
	IPv6 netip.Addr
}

// NetworkBinding is a host port bound for a container (bridge and host),
// or, for a containerPortRange, a block of host ports (HostPortRange, as
// long as ContainerPortRange, port i of one bound to port i of the other;
// ContainerPort and HostPort are 0 then).
type NetworkBinding struct {
	BindIP             netip.Addr
	ContainerPort      uint16
	HostPort           uint16
	Protocol           Protocol
	ContainerPortRange PortRange
	HostPortRange      PortRange
}

// IsRange reports whether b binds a port range.
func (b NetworkBinding) IsRange() bool { return b.HostPortRange.Last != 0 }

// HostPorts is the host ports b binds: its range, or its one host port.
func (b NetworkBinding) HostPorts() PortRange {
	if b.IsRange() {
		return b.HostPortRange
	}
	return Port(b.HostPort)
}

// ContainerPortFor is the container port host port p of b reaches (p
// must be in HostPorts).
func (b NetworkBinding) ContainerPortFor(p uint16) uint16 {
	if b.IsRange() {
		return b.ContainerPortRange.First + (p - b.HostPortRange.First)
	}
	return b.ContainerPort
}

// Container is a running (or stopped) container of a task.
type Container struct {
	Name            string
	ARN             string
	Image           string
	LastStatus      TaskStatus
	NetworkBindings []NetworkBinding
	ExitCode        *int
	Reason          string
	CPU             int
	Memory          int
}

// Task is one run of a task definition.
type Task struct {
	ARN                  string
	ClusterARN           string
	TaskDefinitionARN    string
	ContainerInstanceARN string
	LaunchType           LaunchType
	CapacityProvider     string
	PlatformVersion      string
	PlatformFamily       string
	LastStatus           TaskStatus
	DesiredStatus        TaskStatus
	CPU                  string
	Memory               string
	AvailabilityZone     string
	Group                string
	StartedBy            string
	ServiceName          string
	Attachments          []TaskAttachment
	Containers           []Container
	StopCode             string
	StoppedReason        string
	Connectivity         string
	CreatedAt            time.Time
	PullStartedAt        time.Time
	StartedAt            time.Time
	StoppingAt           time.Time
	StoppedAt            time.Time
	ConnectivityAt       time.Time
	Version              int64
	// NextTransition is when the engine may advance LastStatus next; the
	// zero time means "not before the next step".
	NextTransition time.Time
	// ClientToken is the RunTask request's idempotency token.
	ClientToken string
	// NetworkMode and Network are copied from the task definition and the
	// run request, so a task needs no lookups to be analyzed.
	NetworkMode NetworkMode
	Network     *AwsVpcConfiguration
	Tags        Tags
	// ProtectedUntil is when the task's scale-in protection expires
	// (UpdateTaskProtection); the zero time means unprotected.
	ProtectedUntil time.Time
	// TargetsHealthy says that a service task was found healthy in its
	// service's target groups (ECS's view of the ELB health checks); a
	// deployment of a service with target groups completes only when its
	// tasks are.
	TargetsHealthy bool
	// AwaitingCapacity says that the task waits, PROVISIONING and on no
	// container instance yet, for capacity its capacity provider's
	// managed scaling launches (ECS cluster auto scaling); it stops
	// (TaskFailedToStart) if none is found by CapacityWaitUntil.
	// PlacementConstraints and PlacementStrategy are its run request's,
	// kept to place it.
	AwaitingCapacity     bool
	CapacityWaitUntil    time.Time
	PlacementConstraints []PlacementConstraint
	PlacementStrategy    []PlacementStrategy
}

// Protected reports whether the task is protected from scale-in at now.
func (t *Task) Protected(now time.Time) bool { return now.Before(t.ProtectedUntil) }

// ENI returns the task's network interface id (awsvpc), if any.
func (t *Task) ENI() NetworkInterfaceID {
	for _, a := range t.Attachments {
		if a.Type == "ElasticNetworkInterface" && a.ENI != "" {
			return a.ENI
		}
	}
	return ""
}

// Active reports whether the task holds resources: it is not STOPPED.
func (t *Task) Active() bool { return t.LastStatus != TaskStopped }

// ServiceLoadBalancer ties a service's container port to a target group.
type ServiceLoadBalancer struct {
	TargetGroupARN   string
	LoadBalancerName string
	ContainerName    string
	ContainerPort    uint16
	// Advanced is the load balancer's advancedConfiguration (nil: none):
	// the second target group and listener rules of a blue/green, linear
	// or canary deployment.
	Advanced *AdvancedConfiguration
}

// AdvancedConfiguration is a service load balancer's advancedConfiguration:
// ECS registers the tasks of every other deployment in the alternate
// target group and shifts the production (and test) listener rule's
// forward weights between the two groups.
type AdvancedConfiguration struct {
	AlternateTargetGroupARN string
	// ProductionListenerRule and TestListenerRule are a listener rule's
	// ARN (Application Load Balancer) or a listener's (Network Load
	// Balancer); TestListenerRule may be "".
	ProductionListenerRule string
	TestListenerRule       string
	RoleARN                string
}

// ServiceEvent is a line of a service's event log.
type ServiceEvent struct {
	ID        string
	CreatedAt time.Time
	Message   string
}

// Deployment is a service deployment.
type Deployment struct {
	ID                string
	Status            string // PRIMARY, ACTIVE, INACTIVE
	TaskDefinitionARN string
	DesiredCount      int
	CreatedAt         time.Time
	UpdatedAt         time.Time
	RolloutState      string
	// FailedTasks counts the deployment's consecutively failed tasks
	// (failed to start, or stopped for failing health checks); a task that
	// reaches a healthy state resets it to 0. The deployment circuit
	// breaker fails the deployment when it reaches the threshold.
	FailedTasks int
	// ForgivenStarts are the deployment's tasks that failed to start
	// before the scheduler's back-off last ran out (Engine.
	// RetryThrottledServices): they no longer stop it from launching.
	ForgivenStarts int
	// ThrottledUntil is when the scheduler, which stopped launching the
	// deployment's tasks after they kept failing to start, tries again
	// (zero: not throttled); Throttles counts its back-offs so far.
	ThrottledUntil time.Time
	Throttles      int
	// ServiceConnect is the Service Connect configuration the deployment
	// runs its tasks with (nil: none).
	ServiceConnect *ServiceConnectConfiguration
	// Alternate says that the deployment's tasks register in each load
	// balancer's alternate target group (AdvancedConfiguration) instead
	// of its TargetGroupARN: a blue/green service's deployments take
	// turns.
	Alternate bool
	// Network is the awsvpc configuration the deployment's tasks run
	// with (nil: the service's), which a rollback restores.
	Network *AwsVpcConfiguration
	// Stage is a blue/green deployment's lifecycle stage
	// (RECONCILE_SERVICE … CLEAN_UP; "" for a rolling update), entered at
	// StageAt.
	Stage   string
	StageAt time.Time
	// Shifted is the percentage of production traffic a LINEAR or
	// CANARY deployment has shifted to its target groups so far.
	Shifted float64
	// RolledBack is set on a deployment ECS rolled back (the circuit
	// breaker, StopServiceDeployment), with RollbackReason and when.
	RolledBack     bool
	RollbackReason string
	RollbackAt     time.Time
	// HookRuns are the PAUSE lifecycle hooks the deployment reached, in
	// order; one AWAITING_ACTION holds it at its stage. A pointer keeps
	// Deployment comparable: treat the list as immutable and replace it.
	HookRuns *[]HookRun
}

// Runs is the deployment's HookRuns (nil: none).
func (d *Deployment) Runs() []HookRun {
	if d.HookRuns == nil {
		return nil
	}
	return *d.HookRuns
}

// ServiceConnectConfiguration is a service's serviceConnectConfiguration:
// its tasks join Namespace (a Cloud Map namespace) with a Service Connect
// proxy; Services are the endpoints the service offers there (none for a
// client-only service).
type ServiceConnectConfiguration struct {
	Enabled bool
	// Namespace is the namespace as given (name or ARN, or the cluster's
	// serviceConnectDefaults); NamespaceID the Cloud Map namespace it
	// resolved to ("" when the source gave no namespace ecsnet knows).
	Namespace   string
	NamespaceID string
	Services    []ServiceConnectService
	// LogDriver and LogOptions are the proxy's logConfiguration, kept.
	LogDriver  string
	LogOptions map[string]string
}

// ServiceConnectService is one endpoint of a Service Connect service:
// the task definition's port mapping PortName, registered in Cloud Map as
// DiscoveryName (DiscoveryARN the Cloud Map service ECS created), reached
// by clients at ClientAliases.
type ServiceConnectService struct {
	PortName      string
	DiscoveryName string
	DiscoveryARN  string
	ClientAliases []ServiceConnectClientAlias
	// IngressPortOverride is the port the server task's proxy listens on
	// (0: the port mapping's container port).
	IngressPortOverride uint16
	// PerRequestTimeoutSeconds is timeout.perRequestTimeoutSeconds when
	// the request gave it (0 included), nil when not: ECS refuses it on a
	// port without an appProtocol (TCP).
	PerRequestTimeoutSeconds *int64
	// Unmodelled keeps the members ecsnet does not model (tls, timeout)
	// as the request gave them, so they are answered back.
	Unmodelled map[string]any
}

// ServiceConnectClientAlias is a name and port clients use: DNSName
// ("" means discoveryName.namespace) at Port.
type ServiceConnectClientAlias struct {
	Port    uint16
	DNSName string
}

// Service keeps DesiredCount copies of a task definition running.
type Service struct {
	ARN               string
	Name              string
	ClusterARN        string
	TaskDefinitionARN string
	DesiredCount      int
	LaunchType        LaunchType
	CapacityProviders []CapacityProviderStrategyItem
	// CreatedLaunchType is the launch type the service was created with
	// ("" for a capacity provider strategy): an UpdateService with an
	// empty strategy goes back to it.
	CreatedLaunchType LaunchType
	PlatformVersion   string
	Network           *AwsVpcConfiguration
	LoadBalancers     []ServiceLoadBalancer
	// ServiceRegistries register the tasks with Cloud Map services.
	ServiceRegistries []ServiceRegistry
	// ServiceConnect is set when the service has a Service Connect
	// configuration; ServiceConnectConfig holds it (nil when a source
	// told only that one exists). Treat the configuration as immutable:
	// an update replaces it whole.
	ServiceConnect         bool
	ServiceConnectConfig   *ServiceConnectConfiguration
	SchedulingStrategy     string // REPLICA, DAEMON
	Status                 string // ACTIVE, DRAINING, INACTIVE
	HealthCheckGracePeriod int
	Events                 []ServiceEvent // newest first, as AWS lists them
	Deployments            []Deployment
	// PastDeployments are the deployments retired from Deployments,
	// newest first (at most 10), for ListServiceDeployments.
	PastDeployments      []Deployment
	CreatedAt            time.Time
	CreatedBy            string
	ClientToken          string
	PropagateTags        string
	EnableECSManagedTags bool
	Tags                 Tags
	PlacementConstraints []PlacementConstraint
	PlacementStrategy    []PlacementStrategy
	// DeploymentController is ECS (""), CODE_DEPLOY or EXTERNAL; the
	// latter two deploy through task sets.
	DeploymentController string
	TaskSets             []TaskSet
	// RoleARN is the IAM role ECS uses to call the load balancer (only
	// for one load balancer of a bridge or host task definition).
	RoleARN string
	// DeploymentConfig is the service's deploymentConfiguration; nil
	// means AWS's defaults for its scheduling strategy.
	DeploymentConfig *DeploymentConfiguration
	// EnableExecuteCommand is the service's enableExecuteCommand (ecsnet
	// runs no ECS Exec agent: it is kept and answered).
	EnableExecuteCommand bool
	// AZRebalancing is ENABLED or DISABLED; "" (a service stored before
	// ecsnet kept it) reads as DISABLED.
	AZRebalancing string
	// Express is set on a service that ECS Express Mode made
	// (CreateExpressGatewayService): its configuration and the resources
	// made for it, which DeleteExpressGatewayService removes.
	Express *ExpressGateway
}

// UsesTaskSets reports whether the service deploys through task sets: its
// deployment controller is EXTERNAL or CODE_DEPLOY.
func (s *Service) UsesTaskSets() bool {
	return s.DeploymentController == "EXTERNAL" || s.DeploymentController == "CODE_DEPLOY"
}

// TaskSetOf returns the task set of the service that started task tk (ECS
// starts a task set's tasks with startedBy set to the task set's id), or
// nil.
func (s *Service) TaskSetOf(tk *Task) *TaskSet {
	if tk == nil || tk.StartedBy == "" {
		return nil
	}
	for i := range s.TaskSets {
		if s.TaskSets[i].ID == tk.StartedBy {
			return &s.TaskSets[i]
		}
	}
	return nil
}

// ExpressGateway is an ECS Express Mode service's configuration (the
// current revision's) and the resources ECS made for it.
type ExpressGateway struct {
	InfrastructureRoleARN string
	ExecutionRoleARN      string
	TaskRoleARN           string
	CPU, Memory           string
	HealthCheckPath       string
	Image                 string
	ContainerPort         int
	Command               []string
	Environment           []KeyValue
	// Secrets are name/valueFrom pairs.
	Secrets                        []KeyValue
	LogGroup, LogStreamPrefix      string
	RepositoryCredentialsParameter string
	Subnets                        []SubnetID
	SecurityGroups                 []SecurityGroupID
	// ScalingMetric is AVERAGE_CPU, AVERAGE_MEMORY or
	// REQUEST_COUNT_PER_TARGET; ScalingTarget its target value.
	ScalingMetric      string
	ScalingTarget      int
	MinTasks, MaxTasks int
	ScalingPolicyName  string
	Endpoint           string // the host name (no scheme)
	AccessType         string // PUBLIC or PRIVATE
	LoadBalancerARN    string
	ListenerARN        string
	RuleARN            string
	TargetGroupARN     string
	LoadBalancerGroup  SecurityGroupID
	CertificateARN     string
	LogGroupCreated    bool
	// IngressRules are the rules ECS added to the tasks' security groups
	// (from the load balancer's group), which deleting the service revokes.
	IngressRules []SecurityGroupRuleID
	RevisionARN  string
	UpdatedAt    time.Time
}

// DeploymentConfiguration is a service's deploymentConfiguration: the
// rolling update's bounds, its circuit breaker and its CloudWatch alarms.
type DeploymentConfiguration struct {
	MaximumPercent         int
	MinimumHealthyPercent  int
	CircuitBreakerEnable   bool
	CircuitBreakerRollback bool
	// Alarms is nil when the service has no alarm configuration.
	Alarms *DeploymentAlarms
	// Strategy is ROLLING ("" reads as ROLLING) or BLUE_GREEN;
	// BakeTimeInMinutes is how long a blue/green deployment keeps the
	// blue tasks after production traffic shifted; LifecycleHooks are kept
	// and answered (ecsnet runs no Lambda: see docs/aws-behavior.md).
	Strategy          string
	BakeTimeInMinutes int
	LifecycleHooks    []DeploymentLifecycleHook
	// StepPercent and StepBakeTimeInMinutes are a LINEAR deployment's
	// linearConfiguration, CanaryPercent and CanaryBakeTimeInMinutes a
	// CANARY deployment's canaryConfiguration.
	StepPercent             float64
	StepBakeTimeInMinutes   int
	CanaryPercent           float64
	CanaryBakeTimeInMinutes int
}

// DeploymentLifecycleHook is a deploymentConfiguration lifecycle hook.
type DeploymentLifecycleHook struct {
	TargetType    string // AWS_LAMBDA (""), PAUSE
	HookTargetARN string
	RoleARN       string
	Stages        []string
	// HookDetails is the hook's hookDetails document as given (nil: none).
	HookDetails any
	// TimeoutMinutes and TimeoutAction are its timeoutConfiguration (0
	// and "": none given; AWS's defaults are 1440 and ROLLBACK).
	TimeoutMinutes int
	TimeoutAction  string
}

// HookRun is one run of a PAUSE lifecycle hook in a deployment: its hookId,
// the stage it paused, its status (AWAITING_ACTION, SUCCEEDED, FAILED,
// TIMED_OUT), when it times out and what ECS then does (CONTINUE,
// ROLLBACK). Hook is the hook's index in the deploymentConfiguration.
type HookRun struct {
	ID            string
	Hook          int
	Stage         string
	Status        string
	ExpiresAt     time.Time
	TimeoutAction string
}

// DeploymentAlarms are the CloudWatch alarms a deployment watches.
type DeploymentAlarms struct {
	AlarmNames []string
	Enable     bool
	Rollback   bool
}

// TaskSet is a set of tasks of a service deployed by an external (or
// CodeDeploy) controller.
type TaskSet struct {
	ID                string // ecs-svc/<digits>
	ARN               string
	ExternalID        string
	StartedBy         string
	Status            string // PRIMARY, ACTIVE, DRAINING
	TaskDefinitionARN string
	LaunchType        LaunchType
	CapacityProviders []CapacityProviderStrategyItem
	PlatformVersion   string
	Network           *AwsVpcConfiguration
	LoadBalancers     []ServiceLoadBalancer
	ScaleValue        float64 // percent of the service's desired count
	StabilityStatus   string  // STEADY_STATE, STABILIZING
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Tags              Tags
}

// ComputedDesiredCount is the task set's share of desired tasks: its scale
// (a percent) of the service's desired count, rounded up.
func (ts *TaskSet) ComputedDesiredCount(desired int) int {
	n := float64(desired) * ts.ScaleValue / 100
	c := int(n)
	if float64(c) < n {
		c++
	}
	return c
}

// ImageDigest is the manifest digest of a container image as ECS reports
// it (a task container's imageDigest, a service revision's resolved
// image): the digest an image reference pins (name@sha256:…), else one
// derived from the reference, since ecsnet models no registry (a tag
// names one image for ever; a reference without a tag names :latest).
func ImageDigest(image string) string {
	if i := strings.LastIndex(image, "@"); i >= 0 && strings.HasPrefix(image[i+1:], "sha256:") {
		return image[i+1:]
	}
	ref := image
	if slash := strings.LastIndexByte(ref, '/'); !strings.Contains(ref[slash+1:], ":") {
		ref += ":latest"
	}
	sum := sha256.Sum256([]byte(ref))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// DaemonTaskDefinition is one revision of an ECS Managed Daemons daemon
// task definition (RegisterDaemonTaskDefinition): the containers a
// daemon runs on every instance of its capacity providers.
type DaemonTaskDefinition struct {
	ARN              string
	Family           string
	Revision         int
	TaskRoleARN      string
	ExecutionRoleARN string
	CPU, Memory      string
	Containers       []DaemonContainer
	Volumes          []DaemonVolume
	// Status is ACTIVE or DELETE_IN_PROGRESS (DeleteDaemonTaskDefinition,
	// at DeleteRequestedAt).
	Status            string
	RegisteredAt      time.Time
	DeleteRequestedAt time.Time
	RegisteredBy      string
	Tags              Tags
}

// DaemonContainer is a daemon task definition's container: its name and
// image, and Definition, the whole containerDefinition as given, as JSON
// (the members ecsnet does not model, answered back).
type DaemonContainer struct {
	Name, Image string
	Definition  string
}

// DaemonVolume is a daemon task definition's volume: a bind mount of
// SourcePath on the host ("": a path Docker chooses).
type DaemonVolume struct {
	Name       string
	Host       bool
	SourcePath string
}

// UnmappedAppPorts are the ports c's application binds (AppPorts) that
// none of its port mappings names. In the awsvpc and host network modes
// the container shares a network namespace with the task's ENI or the
// instance and nothing publishes ports, so the application answers on
// them as on a mapped port, subject to the security groups and network
// ACLs; a load balancer cannot register one as a target's container port
// (docs/aws-behavior.md, "Ports a container binds without a port
// mapping"). In bridge mode they stay inside the container.
func (c ContainerDefinition) UnmappedAppPorts() []uint16 {
	var out []uint16
	for _, p := range c.AppPorts {
		if slices.ContainsFunc(c.PortMappings, func(pm PortMapping) bool { return pm.ContainerPorts().Contains(p) }) || slices.Contains(out, p) {
			continue
		}
		out = append(out, p)
	}
	return out
}
