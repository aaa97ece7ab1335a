package engine

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// CreateServiceInput is CreateService's input.
type CreateServiceInput struct {
	// Principal is the IAM principal (user or role ARN) creating the
	// service, shown as createdBy; its account settings apply to the
	// service's tasks. "" is the root user.
	Principal                string
	Cluster                  string
	Name                     string
	TaskDefinition           string
	DesiredCount             int
	LaunchType               model.LaunchType
	CapacityProviderStrategy []model.CapacityProviderStrategyItem
	Network                  *model.AwsVpcConfiguration
	PlatformVersion          string
	LoadBalancers            []model.ServiceLoadBalancer
	ServiceRegistries        []model.ServiceRegistry
	// ServiceConnect says the service has a Service Connect configuration
	// whose details the source did not give; ServiceConnectConfig is one
	// given (validated and stored, see applyServiceConnect).
	ServiceConnect         bool
	ServiceConnectConfig   *model.ServiceConnectConfiguration
	SchedulingStrategy     string
	HealthCheckGracePeriod int
	ClientToken            string
	PropagateTags          string
	EnableECSManagedTags   bool
	Tags                   model.Tags
	PlacementConstraints   []model.PlacementConstraint
	PlacementStrategy      []model.PlacementStrategy
	DeploymentController   string // ECS (default), CODE_DEPLOY, EXTERNAL
	// DesiredCountSet tells a desiredCount of 0 from none (a DAEMON
	// service takes none).
	DesiredCountSet bool
	// Role is the IAM role (name or ARN) for the load balancer.
	Role string
	// DeploymentConfig holds the request's deploymentConfiguration (nil:
	// none given).
	DeploymentConfig *DeploymentConfigInput
	// EnableExecuteCommand and AZRebalancing ("" for ENABLED, the
	// default of a new service) are kept and answered.
	EnableExecuteCommand bool
	AZRebalancing        string
}

// DeploymentConfigInput is a deploymentConfiguration as given: nil
// members were left out.
type DeploymentConfigInput struct {
	MaximumPercent        *int
	MinimumHealthyPercent *int
	// CircuitBreaker is {enable, rollback}.
	CircuitBreaker *[2]bool
	Alarms         *model.DeploymentAlarms
	// Strategy ("" when not given), BakeTimeInMinutes and LifecycleHooks
	// are a blue/green deployment's; Linear and Canary say that a
	// linearConfiguration or canaryConfiguration was given (refused).
	Strategy          string
	BakeTimeInMinutes *int
	LifecycleHooks    *[]model.DeploymentLifecycleHook
	// Linear and Canary are a linearConfiguration's {stepPercent,
	// stepBakeTimeInMinutes} and a canaryConfiguration's {canaryPercent,
	// canaryBakeTimeInMinutes} (nil: not given).
	Linear, Canary *ShiftConfig
}

// ShiftConfig is a LINEAR or CANARY deployment's traffic step: the
// percentage shifted at a time and the minutes between steps.
type ShiftConfig struct {
	Percent float64
	Minutes int
}

// DefaultDeploymentConfig is the deploymentConfiguration a service gets
// without one: 200/100 for REPLICA, 100/0 for DAEMON (the API's defaults,
// DeploymentConfiguration in the ECS API reference).
func DefaultDeploymentConfig(strategy string) model.DeploymentConfiguration {
	if strategy == "DAEMON" {
		return model.DeploymentConfiguration{MaximumPercent: 100}
	}
	return model.DeploymentConfiguration{MaximumPercent: 200, MinimumHealthyPercent: 100}
}

// ServiceDeploymentConfig is the service's deploymentConfiguration.
func ServiceDeploymentConfig(s *model.Service) model.DeploymentConfiguration {
	if s.DeploymentConfig != nil {
		return *s.DeploymentConfig
	}
	return DefaultDeploymentConfig(s.SchedulingStrategy)
}

// errDaemonDesiredCount is ECS's refusal of a desired count for a DAEMON
// service (CreateService and UpdateService).
func errDaemonDesiredCount() error {
	return errECSInvalid("The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again")
}

// applyDeploymentConfig merges in over the service's configuration and
// validates the result.
func applyDeploymentConfig(s *model.Service, in *DeploymentConfigInput) error {
	if in == nil {
		return nil
	}
	dc := ServiceDeploymentConfig(s)
	if in.MaximumPercent != nil {
		dc.MaximumPercent = *in.MaximumPercent
	}
	if in.MinimumHealthyPercent != nil {
		dc.MinimumHealthyPercent = *in.MinimumHealthyPercent
	}
	if in.CircuitBreaker != nil {
		if slices.ContainsFunc(s.LoadBalancers, func(lb model.ServiceLoadBalancer) bool { return lb.LoadBalancerName != "" && lb.TargetGroupARN == "" }) {
			// aws/containers-roadmap#1272: refused even with enable false.
			return errECSInvalid("Deployment circuit breaker feature is not supported with Classic Load Balancers. Remove the Classic Load Balancer and try again.")
		}
		dc.CircuitBreakerEnable, dc.CircuitBreakerRollback = in.CircuitBreaker[0], in.CircuitBreaker[1]
	}
	if in.Alarms != nil {
		a := *in.Alarms
		a.AlarmNames = slices.Clone(a.AlarmNames)
		dc.Alarms = &a
	}
	if in.Strategy != "" {
		dc.Strategy = in.Strategy
	}
	if in.BakeTimeInMinutes != nil {
		dc.BakeTimeInMinutes = *in.BakeTimeInMinutes
	}
	if in.LifecycleHooks != nil {
		dc.LifecycleHooks = slices.Clone(*in.LifecycleHooks)
	}
	if in.Linear != nil {
		dc.StepPercent, dc.StepBakeTimeInMinutes = in.Linear.Percent, in.Linear.Minutes
	}
	if in.Canary != nil {
		dc.CanaryPercent, dc.CanaryBakeTimeInMinutes = in.Canary.Percent, in.Canary.Minutes
	}
	if err := checkStrategy(&dc, in); err != nil {
		return err
	}
	if s.SchedulingStrategy == "DAEMON" && dc.MaximumPercent > 100 {
		return errECSInvalid("The daemon scheduling strategy does not support values above 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again")
	}
	s.DeploymentConfig = &dc
	return nil
}

// serviceRole resolves CreateService's role: ECS takes one only for a
// service with one load balancer, a bridge or host task definition and no
// service discovery; the others use the service-linked role. A role name
// becomes the account's role ARN.
func (t *txn) serviceRole(role string, td *model.TaskDefinition, lbs int, registries int) (string, error) {
	linked := lbs > 0 || registries > 0 || td != nil && td.NetworkMode == model.NetworkModeAwsvpc
	if role == "" {
		if linked {
			return t.e.ecsServiceLinkedRole(), nil
		}
		return "", nil
	}
	if lbs != 1 || registries > 0 || td != nil && td.NetworkMode == model.NetworkModeAwsvpc {
		return "", errECSInvalid("You cannot specify an IAM role for services that require a service linked role.")
	}
	if strings.HasPrefix(role, "arn:") {
		return role, nil
	}
	return t.e.cfg.iamARN("role/" + strings.TrimPrefix(role, "/")), nil
}

// CreateService creates a service; Step then keeps DesiredCount tasks
// running, registering each in the service's target groups (ip +
// containerPort for awsvpc, instance + host port for bridge and host).
// ecsServiceLinkedRole is the ARN of ECS's service-linked role, which a
// service reports as its roleArn when it uses that role: a service in
// awsvpc network mode, behind a load balancer or with service registries
// given no role, and a service with the EXTERNAL deployment controller.
func (e *Engine) ecsServiceLinkedRole() string {
	return "arn:" + model.Partition(e.cfg.Region) + ":iam::" + e.cfg.Account + ":role/aws-service-role/ecs.amazonaws.com/" + serviceLinkedRoles["ecs.amazonaws.com"]
}

func (e *Engine) CreateService(in CreateServiceInput) (*model.Service, error) {
	var out *model.Service
	err := e.write(func(t *txn) error {
		var err error
		out, err = t.createService(in)
		return err
	})
	return out, err
}

func (t *txn) createService(in CreateServiceInput) (*model.Service, error) {
	if in.DeploymentController == "EXTERNAL" {
		return t.createExternalService(in)
	}
	c, err := t.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	if !ecsNameRE.MatchString(in.Name) {
		return nil, errECSInvalid("Service name can only contain letters, numbers, hyphens and underscores, and can have up to 255 characters.")
	}
	arn := t.e.ecsARN("service/" + c.Name + "/" + in.Name)
	if old := t.st.Services[arn]; old != nil && old.Status != "INACTIVE" {
		if in.ClientToken != "" && old.ClientToken == in.ClientToken {
			return old, nil
		}
		return nil, errECSInvalid("Creation of service was not idempotent.")
	}
	if in.DesiredCount < 0 {
		return nil, errECSInvalid("desiredCount must be greater than or equal to 0.")
	}
	strategy := in.SchedulingStrategy
	if strategy == "" {
		strategy = "REPLICA"
	}
	if strategy != "REPLICA" && strategy != "DAEMON" {
		return nil, errECSInvalid("schedulingStrategy should be one of [REPLICA,DAEMON]")
	}
	if strategy == "DAEMON" && in.DesiredCountSet {
		return nil, errDaemonDesiredCount()
	}
	p, err := t.planLaunch(c.Name, in.TaskDefinition, in.LaunchType, in.CapacityProviderStrategy, in.Network, in.PlatformVersion, false)
	if err != nil {
		return nil, err
	}
	if len(in.LoadBalancers) > 5 {
		return nil, errECSInvalid("load balancers can have at most 5 items.")
	}
	for _, lb := range in.LoadBalancers {
		if err := t.checkServiceLoadBalancer(p.td, lb); err != nil {
			return nil, err
		}
	}
	platform := ""
	if p.fargate {
		platform = in.PlatformVersion
		if platform == "" {
			platform = "LATEST"
		}
	}
	s := &model.Service{
		ARN: arn, Name: in.Name, ClusterARN: c.ARN, TaskDefinitionARN: p.td.ARN, DesiredCount: in.DesiredCount,
		LaunchType: p.launch, CapacityProviders: slices.Clone(in.CapacityProviderStrategy), CreatedLaunchType: p.launch, PlatformVersion: platform,
		Network: p.network, LoadBalancers: slices.Clone(in.LoadBalancers), SchedulingStrategy: strategy, Status: "ACTIVE",
		HealthCheckGracePeriod: in.HealthCheckGracePeriod, CreatedAt: t.now, CreatedBy: cmp.Or(in.Principal, t.e.cfg.iamARN("root")),
		ClientToken: in.ClientToken, PropagateTags: in.PropagateTags, EnableECSManagedTags: in.EnableECSManagedTags, Tags: in.Tags.Clone(),
	}
	if err := t.checkServiceRegistries(in.ServiceRegistries, p.td); err != nil {
		return nil, err
	}
	if s.RoleARN, err = t.serviceRole(in.Role, p.td, len(in.LoadBalancers), len(in.ServiceRegistries)); err != nil {
		return nil, err
	}
	if err := applyDeploymentConfig(s, in.DeploymentConfig); err != nil {
		return nil, err
	}
	az := "ENABLED" // "when no value is specified … ENABLED" (for a compatible service)
	if strategy == "DAEMON" {
		az = "DISABLED" // one task per instance: nothing to rebalance [choice]
	}
	if s.AZRebalancing, err = azRebalancing(firstString(in.AZRebalancing, az)); err != nil {
		return nil, err
	}
	s.EnableExecuteCommand = in.EnableExecuteCommand
	s.ServiceRegistries, s.ServiceConnect = slices.Clone(in.ServiceRegistries), in.ServiceConnect
	if err := t.applyServiceConnect(s, c, p.td, in.ServiceConnectConfig); err != nil {
		return nil, err
	}
	if len(in.CapacityProviderStrategy) == 0 && in.LaunchType == "" && len(c.DefaultStrategy) > 0 {
		s.CapacityProviders = slices.Clone(c.DefaultStrategy)
	}
	if err := t.serviceExtras(s, p, in); err != nil {
		return nil, err
	}
	if err := t.checkBlueGreen(s); err != nil {
		return nil, err
	}
	s.Deployments = []model.Deployment{t.newDeployment(s)}
	put(t, model.KindService, t.st.Services, arn, s)
	return s, nil
}

// newDeployment returns a PRIMARY deployment for the service's current
// task definition.
func (t *txn) newDeployment(s *model.Service) model.Deployment {
	var digits strings.Builder
	for _, c := range t.e.ids.Hex(19) {
		digits.WriteByte(byte('0' + (c-'0')%10))
	}
	return model.Deployment{ID: "ecs-svc/" + digits.String(), Status: "PRIMARY", TaskDefinitionARN: s.TaskDefinitionARN,
		DesiredCount: s.DesiredCount, CreatedAt: t.now, UpdatedAt: t.now, RolloutState: "IN_PROGRESS", ServiceConnect: s.ServiceConnectConfig, Network: s.Network}
}

// checkServiceLoadBalancer validates one loadBalancers entry against the
// task definition, with ECS's messages.
func (t *txn) checkServiceLoadBalancer(td *model.TaskDefinition, lb model.ServiceLoadBalancer) error {
	if lb.TargetGroupARN == "" {
		if lb.LoadBalancerName != "" {
			return t.checkServiceClassicLB(td, lb)
		}
		return errECSInvalid("Target group ARN must be specified for an Application Load Balancer or a Network Load Balancer.")
	}
	tg := t.st.TargetGroups[lb.TargetGroupARN]
	if tg == nil {
		return errECSInvalid("Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.")
	}
	if len(targetGroupLoadBalancers(t.st, tg.ARN)) == 0 {
		return errECSInvalid("The target group with targetGroupArn %s does not have an associated load balancer.", tg.ARN)
	}
	if err := checkLBContainer(td, lb); err != nil {
		return err
	}
	switch {
	case td.NetworkMode == model.NetworkModeAwsvpc && tg.TargetType != "ip":
		return errECSInvalid("The provided target group %s has target type %s, which is incompatible with the awsvpc network mode specified in the task definition.", tg.ARN, tg.TargetType)
	case (td.NetworkMode == model.NetworkModeBridge || td.NetworkMode == model.NetworkModeHost) && tg.TargetType != "instance":
		return errECSInvalid("The provided target group %s has target type %s, which is incompatible with the %s network mode specified in the task definition.", tg.ARN, tg.TargetType, td.NetworkMode)
	case dynamicHostPort(td, lb) && tg.HealthCheck.Port != "" && tg.HealthCheck.Port != "traffic-port":
		// Each task's host port differs, so a fixed health check port
		// would check something else than the task (AWS's text, quoted
		// in aws-cloudformation/cfn-lint#817).
		return errECSInvalid("The task definition is configured to use a dynamic host port, but the target group with targetGroupArn %s has a health check port specified.", tg.ARN)
	}
	return nil
}

// dynamicHostPort reports whether a bridge-mode task definition maps a
// service load balancer's container port to a dynamic host port (hostPort
// 0 or unset).
func dynamicHostPort(td *model.TaskDefinition, lb model.ServiceLoadBalancer) bool {
	if td.NetworkMode != model.NetworkModeBridge {
		return false
	}
	c, ok := td.Container(lb.ContainerName)
	if !ok {
		return false
	}
	for _, pm := range c.PortMappings {
		if pm.ContainerPort == lb.ContainerPort && pm.HostPort == 0 {
			return true
		}
	}
	return false
}

// checkServiceClassicLB validates a loadBalancers entry that names a
// Classic Load Balancer: it must exist, and the task definition must not
// use the awsvpc network mode (a Classic Load Balancer registers
// instances, never addresses: "Services with tasks that use the awsvpc
// network mode … only support Application Load Balancers and Network Load
// Balancers. Classic Load Balancers are not supported.").
func (t *txn) checkServiceClassicLB(td *model.TaskDefinition, lb model.ServiceLoadBalancer) error {
	if td.NetworkMode == model.NetworkModeAwsvpc {
		// [choice] the documented rule; AWS's exact text is not published.
		return errECSInvalid("Classic Load Balancers are not supported with the awsvpc network mode. Use an Application Load Balancer or a Network Load Balancer with a target group of target type ip.")
	}
	if t.st.ClassicLoadBalancers[lb.LoadBalancerName] == nil {
		// aws/amazon-ecs-agent#647
		return errECSInvalid("The load balancer %s does not exist.", lb.LoadBalancerName)
	}
	if err := checkLBContainer(td, lb); err != nil {
		return err
	}
	if dynamicHostPort(td, lb) {
		// A Classic Load Balancer sends to one fixed instance port, so
		// ECS wants the container port published on a static host port
		// (aws/aws-sdk-ruby#812, aws/aws-sdk-go#818, aws/aws-sdk-js#1397).
		return errECSInvalid("A host port mapping for the container port %d is required.", lb.ContainerPort)
	}
	return nil
}

// checkLBContainer checks that a loadBalancers entry's container exists in
// the task definition and maps its container port.
func checkLBContainer(td *model.TaskDefinition, lb model.ServiceLoadBalancer) error {
	c, ok := td.Container(lb.ContainerName)
	if !ok {
		return errECSInvalid("The container %s does not exist in the task definition.", lb.ContainerName)
	}
	if !slices.ContainsFunc(c.PortMappings, func(pm model.PortMapping) bool { return pm.ContainerPort == lb.ContainerPort }) {
		return errECSInvalid("The container %s did not have a container port %d defined.", lb.ContainerName, lb.ContainerPort)
	}
	return nil
}

func (t *txn) service(cluster *model.Cluster, ref string) (*model.Service, error) {
	arn := ref
	if !strings.HasPrefix(ref, "arn:") {
		arn = t.e.ecsARN("service/" + cluster.Name + "/" + ref)
	}
	s := t.st.Services[arn]
	if s == nil || s.ClusterARN != cluster.ARN {
		return nil, errServiceNotFound()
	}
	return s, nil
}

// UpdateServiceInput is UpdateService's input; nil fields stay as they are.
type UpdateServiceInput struct {
	Cluster            string
	Service            string
	DesiredCount       *int
	TaskDefinition     string
	Network            *model.AwsVpcConfiguration
	PlatformVersion    string
	LoadBalancers      []model.ServiceLoadBalancer // nil keeps them
	ForceNewDeployment bool
	// PlacementConstraints and PlacementStrategy replace the service's
	// when not nil (an empty list removes them).
	PlacementConstraints []model.PlacementConstraint
	PlacementStrategy    []model.PlacementStrategy
	// ServiceRegistries replace the service's Cloud Map registries when
	// not nil (an empty list removes them): a new deployment, as for
	// load balancers.
	ServiceRegistries []model.ServiceRegistry
	// ServiceConnectConfig replaces the service's Service Connect
	// configuration when not nil: a new deployment.
	ServiceConnectConfig *model.ServiceConnectConfiguration
	// DeploymentConfig changes the deploymentConfiguration (nil keeps it).
	DeploymentConfig *DeploymentConfigInput
	// HealthCheckGracePeriod, PropagateTags and EnableECSManagedTags
	// replace the service's when not nil; they start no deployment.
	HealthCheckGracePeriod *int
	PropagateTags          *string
	EnableECSManagedTags   *bool
	EnableExecuteCommand   *bool
	AZRebalancing          string // "" keeps it
	// CapacityProviderStrategy, when not nil, is the service's new
	// strategy; an empty one goes back to the launch type the service was
	// created with, or the cluster's default strategy. A change needs
	// ForceNewDeployment.
	CapacityProviderStrategy []model.CapacityProviderStrategyItem
}

// azRebalancing checks an availabilityZoneRebalancing value.
func azRebalancing(v string) (string, error) {
	if v != "ENABLED" && v != "DISABLED" {
		return "", errECSInvalid("availabilityZoneRebalancing should be one of [ENABLED,DISABLED]") // probable
	}
	return v, nil
}

// UpdateService changes a service; a new task definition, network or
// forceNewDeployment starts a new deployment that replaces the tasks.
func (e *Engine) UpdateService(in UpdateServiceInput) (*model.Service, error) {
	var out *model.Service
	err := e.write(func(t *txn) error {
		c, err := t.cluster(in.Cluster)
		if err != nil {
			return err
		}
		s, err := t.service(c, in.Service)
		if err != nil {
			return err
		}
		if s.Status != "ACTIVE" {
			return errServiceNotActive()
		}
		ns := cloneService(s)
		if in.DesiredCount != nil && ns.SchedulingStrategy == "DAEMON" {
			return errDaemonDesiredCount()
		}
		if err := applyDeploymentConfig(ns, in.DeploymentConfig); err != nil {
			return err
		}
		if in.HealthCheckGracePeriod != nil {
			ns.HealthCheckGracePeriod = *in.HealthCheckGracePeriod
		}
		if in.PropagateTags != nil {
			ns.PropagateTags = *in.PropagateTags
		}
		if in.EnableECSManagedTags != nil {
			ns.EnableECSManagedTags = *in.EnableECSManagedTags
		}
		if in.EnableExecuteCommand != nil {
			ns.EnableExecuteCommand = *in.EnableExecuteCommand
		}
		if in.AZRebalancing != "" {
			if ns.AZRebalancing, err = azRebalancing(in.AZRebalancing); err != nil {
				return err
			}
		}
		if done, err := t.updateServiceExtras(ns, in); done || err != nil {
			out = ns
			return err
		}
		redeploy := in.ForceNewDeployment
		tdRef := s.TaskDefinitionARN
		if in.TaskDefinition != "" {
			tdRef = in.TaskDefinition
		}
		network := s.Network
		if in.Network != nil {
			network = in.Network
		}
		launch, strategy, err := serviceCapacity(s, c, in)
		if err != nil {
			return err
		}
		p, err := t.planLaunch(c.Name, tdRef, launch, strategy, network, firstString(in.PlatformVersion, s.PlatformVersion), false)
		if err != nil {
			return err
		}
		if ns.CreatedLaunchType == "" && len(s.CapacityProviders) == 0 {
			ns.CreatedLaunchType = s.LaunchType // a service stored before the field
		}
		ns.LaunchType, ns.CapacityProviders = launch, strategy
		if p.td.ARN != s.TaskDefinitionARN || in.Network != nil {
			redeploy = true
		}
		ns.TaskDefinitionARN, ns.Network = p.td.ARN, p.network
		if in.PlatformVersion != "" {
			ns.PlatformVersion = in.PlatformVersion
		}
		if in.LoadBalancers != nil {
			for _, lb := range in.LoadBalancers {
				if err := t.checkServiceLoadBalancer(p.td, lb); err != nil {
					return err
				}
			}
			ns.LoadBalancers, redeploy = slices.Clone(in.LoadBalancers), true
		} else if p.td.ARN != s.TaskDefinitionARN {
			// The service's load balancers must suit a new task
			// definition's network mode too ([choice]: the checks of
			// CreateService, with its texts).
			for _, lb := range ns.LoadBalancers {
				if err := t.checkServiceLoadBalancer(p.td, lb); err != nil {
					return err
				}
			}
		}
		if in.ServiceRegistries != nil {
			if err := t.checkServiceRegistries(in.ServiceRegistries, p.td); err != nil {
				return err
			}
			ns.ServiceRegistries, redeploy = slices.Clone(in.ServiceRegistries), true
		}
		if in.ServiceConnectConfig != nil {
			if err := t.applyServiceConnect(ns, c, p.td, in.ServiceConnectConfig); err != nil {
				return err
			}
			redeploy = true
		} else if p.td.ARN != s.TaskDefinitionARN && ns.ServiceConnect && ns.ServiceConnectConfig != nil {
			// A new task definition must still name the endpoints' ports.
			if err := t.applyServiceConnect(ns, c, p.td, ns.ServiceConnectConfig); err != nil {
				return err
			}
		}
		if in.DesiredCount != nil {
			if *in.DesiredCount < 0 {
				return errECSInvalid("desiredCount must be greater than or equal to 0.")
			}
			ns.DesiredCount = *in.DesiredCount
		}
		if err := t.checkBlueGreen(ns); err != nil {
			return err
		}
		if redeploy {
			for i := range ns.Deployments {
				ns.Deployments[i].Status = "ACTIVE"
			}
			d := t.newDeployment(ns)
			if len(ns.Deployments) > 0 {
				// A rolling update keeps the target groups the service
				// serves from ([choice]); a blue/green one takes the others.
				d.Alternate = ns.Deployments[len(ns.Deployments)-1].Alternate
			}
			if IsBlueGreen(ns) {
				t.newBlueGreenDeployment(&d, ns.Deployments)
			}
			ns.Deployments = append([]model.Deployment{d}, ns.Deployments...)
		} else if len(ns.Deployments) > 0 {
			ns.Deployments[0].DesiredCount, ns.Deployments[0].UpdatedAt = ns.DesiredCount, t.now
		}
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
		out = ns
		return nil
	})
	return out, err
}

func firstString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// DeleteService deletes a service scaled to 0 (or any, with force): it
// drains, its tasks stop, then it becomes INACTIVE.
func (e *Engine) DeleteService(cluster, ref string, force bool) (*model.Service, error) {
	var out *model.Service
	err := e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		s, err := t.service(c, ref)
		if err != nil {
			return err
		}
		if s.Status == "INACTIVE" {
			return errServiceNotFound()
		}
		// A DAEMON service has no desired count to scale down (ECS
		// refuses one): it is deleted as it stands.
		if s.DesiredCount > 0 && !force && s.SchedulingStrategy != "DAEMON" {
			return errECSInvalid("The service cannot be stopped while it is scaled above 0.")
		}
		ns := cloneService(s)
		ns.Status, ns.DesiredCount = "DRAINING", 0
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
		// Application Auto Scaling deletes the service's scalable target
		// (and its policies and scheduled actions) with it.
		t.deregisterServiceTargets(ns)
		out = ns
		return nil
	})
	return out, err
}

func cloneService(s *model.Service) *model.Service {
	c := *s
	c.Events = slices.Clone(s.Events)
	c.Deployments = slices.Clone(s.Deployments)
	c.PastDeployments = slices.Clone(s.PastDeployments)
	c.LoadBalancers = slices.Clone(s.LoadBalancers)
	c.TaskSets = slices.Clone(s.TaskSets)
	return &c
}

// maxFailedStarts is how many tasks of a deployment may fail to start
// before the scheduler stops launching (AWS throttles such services).
const maxFailedStarts = 3

// RetryThrottledServices lets every service whose scheduler stopped
// launching after maxFailedStarts failures to start (without a deployment
// circuit breaker, which fails the deployment instead) try again, as
// ECS's back-off does once its delay has passed: ECS never stops
// retrying such a service, it "incrementally increase[s] the time between
// retries". A cause that has gone since (a NAT gateway Terraform created
// after the service) no longer keeps the tasks from running; one that
// stays makes them fail again. It returns how many services retry;
// Converge then runs them.
func (e *Engine) RetryThrottledServices() int {
	n := 0
	_ = e.write(func(t *txn) error {
		for _, arn := range sortedKeys(t.st.Services) {
			s := t.st.Services[arn]
			if s.Status != "ACTIVE" || len(s.Deployments) == 0 || breakerOn(s) ||
				s.UsesTaskSets() {
				continue
			}
			u := t.e.idx.services[svcKey{s.ClusterARN, s.Name}]
			if u == nil {
				continue
			}
			d := s.Deployments[0]
			failed := u.failed[d.ID]
			if failed-d.ForgivenStarts < maxFailedStarts || u.activeBy[d.ID] >= s.DesiredCount {
				continue
			}
			ns := cloneService(s)
			ns.Deployments[0].ForgivenStarts, ns.Deployments[0].ThrottledUntil = failed, time.Time{}
			put(t, model.KindService, t.st.Services, ns.ARN, ns)
			n++
		}
		return nil
	})
	return n
}

// throttleDelay is how long the scheduler waits before it tries again to
// start the tasks of a deployment it throttled n times before: a minute,
// doubling each time, at most 27 minutes ("the time between subsequent
// restart attempts is incrementally increased up to a maximum of 27
// minutes", service-throttle-logic; the first delay and the doubling are
// [choice]).
func throttleDelay(n int) time.Duration {
	d := time.Minute << min(n, 5)
	return min(d, 27*time.Minute)
}

// breakerOn reports whether s's deployments are watched by the deployment
// circuit breaker (rolling updates only).
func breakerOn(s *model.Service) bool {
	return s.DeploymentConfig != nil && s.DeploymentConfig.CircuitBreakerEnable && s.DeploymentController == "" && len(s.Deployments) > 0
}

// CircuitBreakerThreshold is how many consecutive tasks of a deployment
// of desired tasks may fail before the deployment circuit breaker fails
// it (see breakerThreshold).
func CircuitBreakerThreshold(desired int) int { return breakerThreshold(desired) }

// breakerThreshold is how many tasks of a deployment may fail to start
// before the circuit breaker fails it: half the desired count, at least 3
// and at most 200 (ServiceDeploymentCircuitBreaker, ECS API reference).
func breakerThreshold(desired int) int {
	return min(max((desired+1)/2, 3), 200)
}

// maxServiceEvents is how many events DescribeServices keeps (AWS: 100).
const maxServiceEvents = 100

// event adds a service event unless it repeats the newest one.
func (t *txn) event(s *model.Service, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if len(s.Events) > 0 && s.Events[0].Message == msg {
		return
	}
	s.Events = append([]model.ServiceEvent{{ID: t.uuid(), CreatedAt: t.now, Message: msg}}, s.Events...)
	if len(t.st.EventRules) > 0 {
		t.noteServiceAction(s, msg)
	}
	if len(s.Events) > maxServiceEvents {
		s.Events = s.Events[:maxServiceEvents]
	}
}

// reconcileService starts or stops tasks so that DesiredCount tasks of the
// current task definition run, and retires tasks of older deployments. Like
// ECS's scheduler it works in batches: one call starts, or stops, at most
// batch tasks (Step calls it until Config.ServiceLaunchBatch is reached),
// and it reads the service's task counts from the index instead of walking
// its tasks. It returns how many tasks it started or stopped (task sets of
// EXTERNAL and CODE_DEPLOY services count 0: their work is bounded by
// their task sets).
func (t *txn) reconcileService(s *model.Service, batch int) int {
	if s.UsesTaskSets() {
		t.reconcileTaskSets(s)
		return 0
	}
	ns := cloneService(s)
	u := t.e.idx.services[svcKey{s.ClusterARN, s.Name}]
	if u == nil {
		u = &svcUsage{}
	}
	acted := 0
	current := 0
	for k, n := range u.byDeploy {
		if k.taskDef == s.TaskDefinitionARN && deploymentOfID(s, k.startedBy) == 0 {
			current += n
		}
	}
	old := len(u.wanted) - current
	deployment := ""
	if len(ns.Deployments) > 0 {
		deployment = ns.Deployments[0].ID
	}
	cluster := t.st.Clusters[s.ClusterARN]
	if cluster == nil || cluster.Status != "ACTIVE" {
		return 0
	}
	// A DAEMON service runs one task on every active container instance
	// of its cluster: its desired count follows them.
	if ns.SchedulingStrategy == "DAEMON" && ns.Status == "ACTIVE" {
		ns.DesiredCount = t.e.idx.activeCIs[s.ClusterARN]
	}
	// The counts stay as they were before this pass (as the scheduler saw
	// them), so retiring an old deployment waits for the pass after its
	// replacements start.
	// ECS backs off a service whose tasks keep failing to start; ecsnet
	// stops launching for the deployment after three such failures.
	// With the deployment circuit breaker on, ECS fails the deployment
	// when its failed tasks reach the breaker's threshold instead.
	failedStarts := u.failed[deployment]
	if len(ns.Deployments) > 0 {
		failedStarts -= ns.Deployments[0].ForgivenStarts
	}
	limit, breaker := maxFailedStarts, breakerOn(s)
	if breaker {
		// The breaker counts the deployment's consecutive failures: the
		// tasks that failed to start and those stopped for failing their
		// load balancer's health checks, since the last task that
		// reached a healthy state (Deployment.FailedTasks).
		limit = breakerThreshold(ns.DesiredCount)
		failedStarts = ns.Deployments[0].FailedTasks
	}
	stage := ""
	if blueGreenInProgress(ns) {
		n, rolledBack := t.advanceBlueGreen(ns, u, current, batch)
		acted += n
		if rolledBack {
			put(t, model.KindService, t.st.Services, ns.ARN, ns)
			return acted
		}
		stage = ns.Deployments[0].Stage
		deployment = ns.Deployments[0].ID
	}
	switch want := ns.DesiredCount; {
	case stage == "RECONCILE_SERVICE" || stage == "PRE_SCALE_UP":
		// a blue/green deployment starts its tasks at SCALE_UP
	case current < want && failedStarts >= limit && breaker:
		if d := &ns.Deployments[0]; d.RolloutState == "IN_PROGRESS" {
			d.RolloutState, d.UpdatedAt = "FAILED", t.now
			t.event(ns, "(service %s) (deployment %s) deployment failed: tasks failed to start.", s.Name, d.ID)
		}
	case current < want && failedStarts >= limit:
		// ECS's service throttle logic: it "doesn't ever stop a failing
		// service from retrying", the time between attempts growing.
		switch d := &ns.Deployments[0]; {
		case d.ThrottledUntil.IsZero():
			d.ThrottledUntil = t.now.Add(throttleDelay(d.Throttles))
		case t.due(d.ThrottledUntil):
			// The back-off is over: the failures so far no longer hold
			// the scheduler back; the next pass launches again.
			d.ForgivenStarts, d.ThrottledUntil = u.failed[deployment], time.Time{}
			d.Throttles++
		}
		t.event(ns, "(service %s) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section.", s.Name)
	case current < want:
		n := min(want-current, batch)
		var started []string
		var failures []Failure
		var runErr error
		scaling, limited := false, false
		for _, c := range t.spreadTasks(s, u, n) {
			m, chunkFailed := c.n, false
			for m > 0 {
				out, err := t.runTask(RunTaskInput{Cluster: cluster.Name, TaskDefinition: s.TaskDefinitionARN, Count: min(m, 10),
					LaunchType: s.LaunchType, CapacityProviderStrategy: c.strategy, Network: s.Network,
					PlatformVersion: s.PlatformVersion, Group: "service:" + s.Name, StartedBy: deployment, Tags: serviceTaskTags(s)}, ns)
				if err != nil {
					runErr, chunkFailed = err, true
					break
				}
				for _, tk := range out.Tasks {
					started = append(started, model.LastSegment(tk.ARN))
				}
				failures = append(failures, out.Failures...)
				chunkFailed = chunkFailed || len(out.Failures) > 0
				limited = limited || out.limited
				if len(out.Tasks) == 0 || out.limited {
					break
				}
				m -= len(out.Tasks)
			}
			if m > 0 && chunkFailed && t.managedScaleOut(c.strategy, t.st.TaskDefinitions[s.TaskDefinitionARN], m) {
				scaling = true
			}
		}
		acted += len(started)
		if len(started) > 0 {
			t.event(ns, "(service %s) has started %d tasks: %s.", s.Name, len(started), taskList(started))
		}
		unplaced := min(want-current, batch) - len(started)
		switch {
		case limited:
			t.event(ns, "service %s was unable to place tasks in your cluster because the tasks provisioning capacity limit was exceeded.", s.Name)
		case unplaced > 0 && (runErr != nil || len(failures) > 0) && scaling:
			// The tasks wait (PROVISIONING on AWS) for the instances the
			// capacity provider's managed scaling launches.
		case runErr != nil && strings.HasPrefix(errMessage(runErr), unableToAssume):
			t.event(ns, "service %s failed to launch a task with (error %s).", s.Name, errMessage(runErr))
		case runErr != nil:
			t.event(ns, "service %s was unable to place a task because no container instance met all of its requirements. Reason: %s For more information, see the Troubleshooting section.", s.Name, errMessage(runErr))
		case len(failures) > 0:
			t.event(ns, "service %s was unable to place a task because no container instance met all of its requirements. The closest matching container-instance %s %s For more information, see the Troubleshooting section.", s.Name, containerInstanceID(failures[0].ARN), closestMatch(failures[0].Reason))
		}
	case current > want:
		// The newest tasks by ARN go first, as many as a batch allows.
		// Tasks protected from scale-in (UpdateTaskProtection) stay.
		extra := t.unprotected(func(k int) []*model.Task { return t.serviceTasks(s, u, true, k, true) }, min(current-want, batch), current)
		acted += len(extra)
		var stopped []string
		for _, tk := range extra {
			t.stopTask(tk, "ServiceSchedulerInitiated", "Scaling activity initiated by (deployment "+deployment+")", false)
			stopped = append(stopped, model.LastSegment(tk.ARN))
		}
		if len(stopped) > 0 {
			t.event(ns, "(service %s) has stopped %d running tasks: %s.", s.Name, len(stopped), taskList(stopped))
		}
	}
	// Once the primary deployment runs its tasks, the older ones go: their
	// tasks are stopped, then they are past deployments. One with no task
	// left (all its tasks failed to start, say an update rolled back
	// before any ran) goes at once.
	switch {
	case old > 0 && current >= ns.DesiredCount && batch > acted && (stage == "" || stage == "CLEAN_UP"):
		retire := t.unprotected(func(k int) []*model.Task { return t.serviceTasks(s, u, false, k, false) }, batch-acted, old)
		acted += len(retire)
		var stopped []string
		for _, tk := range retire {
			t.stopTask(tk, "ServiceSchedulerInitiated", "Deployment replaced task (deployment "+deployment+")", false)
			stopped = append(stopped, model.LastSegment(tk.ARN))
		}
		if len(stopped) > 0 {
			t.event(ns, "(service %s) has stopped %d running tasks: %s.", s.Name, len(stopped), taskList(stopped))
		}
		if len(retire) == old {
			retireOlderDeployments(ns)
		}
	case old == 0 && len(ns.Deployments) > 1 && current >= ns.DesiredCount && stage == "":
		retireOlderDeployments(ns)
	}
	running := u.running
	if running == ns.DesiredCount && len(ns.Deployments) == 1 && old == 0 && t.targetsSettled(s, u) {
		if ns.Deployments[0].RolloutState != "COMPLETED" {
			ns.Deployments[0].RolloutState = "COMPLETED"
		}
		t.event(ns, "(service %s) has reached a steady state.", s.Name)
	}
	if ns.Status == "DRAINING" && running == 0 && current == 0 && u.active == 0 {
		ns.Status = "INACTIVE"
		t.deleteServiceConnectDiscoveryServices(ns)
	}
	if !servicesEqual(s, ns) || s.DesiredCount != ns.DesiredCount {
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
	}
	return acted
}

// retireOlderDeployments makes a service's deployments but its primary
// past ones (ListServiceDeployments), the newest first.
func retireOlderDeployments(s *model.Service) {
	s.PastDeployments = append(slices.Clone(s.Deployments[1:]), s.PastDeployments...)
	s.PastDeployments = s.PastDeployments[:min(len(s.PastDeployments), maxPastDeployments)]
	s.Deployments = s.Deployments[:1]
}

// maxPastDeployments is how many retired deployments a service keeps for
// ListServiceDeployments (ecsnet's bound; ECS keeps 90 days of them).
const maxPastDeployments = 10

// unprotected returns up to k of the tasks get returns that are not
// protected from scale-in. get(k) lists the first k candidates; when some
// of them are protected it asks again for all of them (at most all).
func (t *txn) unprotected(get func(k int) []*model.Task, k, all int) []*model.Task {
	keep := func(in []*model.Task) []*model.Task {
		out := in[:0:0]
		for _, tk := range in {
			if !tk.Protected(t.now) {
				out = append(out, tk)
			}
		}
		return out
	}
	tasks := get(k)
	out := keep(tasks)
	if len(out) < len(tasks) && k < all {
		out = keep(get(all))
	}
	return out[:min(k, len(out))]
}

// serviceTasks returns up to k of a service's tasks whose desired status
// is RUNNING, of the current deployment or of older ones, ordered by ARN:
// the k greatest (newest first) with last, else the k least. It walks the
// service's tasks once, keeping only k.
func (t *txn) serviceTasks(s *model.Service, u *svcUsage, current bool, k int, last bool) []*model.Task {
	return t.deploymentTasks(u, func(dk deployKey) bool {
		return (dk.taskDef == s.TaskDefinitionARN && deploymentOfID(s, dk.startedBy) == 0) == current
	}, k, last)
}

// deploymentTasks returns up to k of a service's tasks whose desired
// status is RUNNING and whose deployment (what started them, and their
// task definition) is one of those match accepts, ordered by ARN: the k
// greatest (newest first) with last, else the k least. It takes them from
// the heaps of the service's index: about k·log n, whatever the service's
// size.
func (t *txn) deploymentTasks(u *svcUsage, match func(deployKey) bool, k int, last bool) []*model.Task {
	if k <= 0 || u == nil {
		return nil
	}
	var arns []string
	for dk, o := range u.order {
		if !match(dk) {
			continue
		}
		h := &o.lo
		if last {
			h = &o.hi
		}
		arns = append(arns, h.first(k, u.wanted)...)
	}
	slices.Sort(arns)
	if last {
		slices.Reverse(arns)
	}
	out := make([]*model.Task, 0, min(k, len(arns)))
	for _, arn := range arns[:min(k, len(arns))] {
		out = append(out, t.st.Tasks[arn])
	}
	return out
}

// ServiceTaskCounts returns, for the tasks of a service whose desired status
// is RUNNING, how many are RUNNING and how many pending (PROVISIONING,
// PENDING, ACTIVATING), by what started them (a deployment id). It reads the
// engine's index instead of walking the tasks: call it inside Read, where it
// describes the state Read shows.
func (e *Engine) ServiceTaskCounts(clusterARN, name string) map[string][2]int {
	u := e.idx.services[svcKey{clusterARN, name}]
	if u == nil {
		return nil
	}
	return maps.Clone(u.byStatus)
}

// deploymentOf returns the index of the deployment that started a task
// (0 is the primary; -1 when none matches).
func deploymentOf(s *model.Service, tk *model.Task) int { return deploymentOfID(s, tk.StartedBy) }

// deploymentOfID is deploymentOf for a task's startedBy.
func deploymentOfID(s *model.Service, startedBy string) int {
	for i, d := range s.Deployments {
		if d.ID == startedBy {
			return i
		}
	}
	if len(s.Deployments) <= 1 {
		return 0
	}
	return -1
}

func servicesEqual(a, b *model.Service) bool {
	return a.Status == b.Status && len(a.Events) == len(b.Events) && (len(a.Events) == 0 || a.Events[0].ID == b.Events[0].ID) &&
		len(a.Deployments) == len(b.Deployments) && (len(a.Deployments) == 0 || a.Deployments[0] == b.Deployments[0])
}

func serviceTaskTags(s *model.Service) model.Tags {
	if s.PropagateTags == "SERVICE" {
		return s.Tags.Clone()
	}
	return nil
}

func containerInstanceID(arn string) string { return model.LastSegment(arn) }

func taskList(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = "(task " + id + ")"
	}
	return strings.Join(parts, " ")
}

func errMessage(err error) string {
	if e, ok := err.(interface{ ErrorMessage() string }); ok {
		return e.ErrorMessage()
	}
	return err.Error()
}

// taskChunk is a number of a service's tasks to start under a capacity
// provider strategy.
type taskChunk struct {
	strategy []model.CapacityProviderStrategyItem
	n        int
}

// spreadTasks says under which capacity providers a service starts its
// next n tasks. With a strategy of several providers, ECS places each
// task on one of them: the provider with a base first, until it runs
// base tasks, then the others in proportion to their weights, counting
// the tasks the service already runs on each; each provider's tasks then
// wait for its own capacity (managed scaling grows its group). Otherwise
// (a launch type, one provider) the tasks go together.
func (t *txn) spreadTasks(s *model.Service, u *svcUsage, n int) []taskChunk {
	strategy := s.CapacityProviders
	if len(strategy) < 2 || n <= 0 {
		return []taskChunk{{strategy, n}}
	}
	have := map[string]int{}
	for arn := range u.wanted {
		if tk := t.st.Tasks[arn]; tk != nil {
			have[tk.CapacityProvider]++
		}
	}
	return spreadOver(strategy, have, n)
}

// spreadOver splits n tasks over the providers of strategy (at least
// two), given how many tasks run on each already (have, which it
// changes): base first, then by weight (see spreadTasks).
func spreadOver(strategy []model.CapacityProviderStrategyItem, have map[string]int, n int) []taskChunk {
	count := map[string]int{}
	for range n {
		pick := -1
		for i, it := range strategy {
			if it.Base > 0 && have[it.CapacityProvider] < it.Base {
				pick = i
				break
			}
		}
		if pick < 0 {
			// The provider whose share of the tasks beyond the bases,
			// with one more, is the least for its weight (the first in
			// the strategy on a tie).
			best := 0.0
			for i, it := range strategy {
				if it.Weight <= 0 {
					continue
				}
				share := float64(max(have[it.CapacityProvider]-it.Base, 0)+1) / float64(it.Weight)
				if pick < 0 || share < best {
					pick, best = i, share
				}
			}
		}
		if pick < 0 {
			return []taskChunk{{strategy, n}} // no weights: ECS's own checks refuse the strategy
		}
		have[strategy[pick].CapacityProvider]++
		count[strategy[pick].CapacityProvider]++
	}
	var out []taskChunk
	for _, it := range strategy {
		if k := count[it.CapacityProvider]; k > 0 {
			out = append(out, taskChunk{[]model.CapacityProviderStrategyItem{it}, k})
		}
	}
	return out
}

// managedScaleOut grows the Auto Scaling group of a capacity provider with
// managed scaling in the strategy when unplaced tasks (of task definition
// td) cannot be placed, as ECS's CapacityProviderReservation drives it
// ("Deep dive on Amazon ECS cluster auto scaling"): with N instances in
// the group, ECS computes M, the instances needed, as N plus the new
// instances the tasks need on the group's instance type (the most any of
// its resources asks: CPU, memory, task ENIs for awsvpc, a static host
// port), that number bounded by the provider's minimum and maximum
// scaling step sizes; the metric M/N·100 then exceeds the target
// capacity, and the target tracking policy sets the desired capacity to
// M·100/targetCapacity (rounded up), never past the group's MaxSize.
// While instances it launched are not yet container instances of the
// cluster it waits for them. It reports whether the group grows.
func (t *txn) managedScaleOut(strategy []model.CapacityProviderStrategyItem, td *model.TaskDefinition, unplaced int) bool {
	for _, item := range strategy {
		cp := t.capacityProvider(item.CapacityProvider)
		if cp == nil || !cp.ManagedScaling || cp.IsFargate() || !cp.Usable() {
			continue
		}
		g := t.asgByARN(cp.AutoScalingGroupARN)
		if g == nil {
			continue
		}
		registered := 0
		for _, ci := range t.st.ContainerInstances {
			if in := t.st.Instances[ci.EC2InstanceID]; in != nil && in.AutoScalingGroup == g.Name && ci.Status != "INACTIVE" {
				registered++
			}
		}
		if registered < g.DesiredCapacity {
			// Instances launched have not registered (yet, or ever: an
			// agent that cannot reach ECS); the scheduler says why it
			// cannot place the tasks until they do.
			return false
		}
		if g.DesiredCapacity >= g.MaxSize {
			continue
		}
		need := t.instancesNeeded(g, td, unplaced)
		step := min(max(need, cp.MinimumScalingStepSize, 1), max(cp.MaximumScalingStepSize, 1))
		target := cp.TargetCapacity
		if target <= 0 || target > 100 {
			target = 100
		}
		m := g.DesiredCapacity + step
		desired := min((m*100+target-1)/target, g.MaxSize)
		if desired <= g.DesiredCapacity {
			continue
		}
		c := cloneASG(g)
		c.DesiredCapacity = desired
		t.putASG(c)
		t.scaleGroup(c)
		return true
	}
	return false
}

// instancesNeeded is how many new instances of g's instance type n tasks
// of td need: for each resource, the tasks' total over what one instance
// offers, rounded up, and the most of these (one per task when its
// instance type is unknown).
func (t *txn) instancesNeeded(g *model.AutoScalingGroup, td *model.TaskDefinition, n int) int {
	it, ok := model.LookupInstanceType(t.asgInstanceType(g))
	if td == nil || !ok || n <= 0 {
		return n
	}
	cpu, mem := taskCPUMem(td, nil)
	ceil := func(need, per int) int {
		if need <= 0 {
			return 0
		}
		if per <= 0 {
			return n
		}
		return (need + per - 1) / per
	}
	need := max(ceil(n*cpu, it.VCPUs*1024), ceil(n*mem, registeredMemory(it)), 1)
	if td.NetworkMode == model.NetworkModeAwsvpc {
		need = max(need, ceil(n, it.MaxENIs-1)) // the primary interface is the instance's
	}
	if td.NetworkMode == model.NetworkModeBridge || td.NetworkMode == model.NetworkModeHost {
		for _, c := range td.Containers {
			for _, pm := range c.PortMappings {
				if pm.HostPort != 0 || td.NetworkMode == model.NetworkModeHost {
					return n // a static host port: one task per instance
				}
			}
		}
	}
	return min(need, n)
}

// asgInstanceType is the instance type g launches: the first override of
// a mixed instances policy, else its launch template's or launch
// configuration's ("" when unknown).
func (t *txn) asgInstanceType(g *model.AutoScalingGroup) string {
	if m := g.MixedInstances; m != nil && len(m.Overrides) > 0 {
		o := m.Overrides[0]
		if o.InstanceType != "" {
			return o.InstanceType
		}
		if o.Requirements != nil {
			typ, _ := model.SelectInstanceType(*o.Requirements)
			return typ
		}
	}
	if g.LaunchTemplate != nil {
		if lt, err := t.launchTemplate(*g.LaunchTemplate); err == nil {
			if v, ok := lt.Version(g.LaunchTemplate.Version); ok {
				return v.Data.InstanceType
			}
		}
		return ""
	}
	if lc := t.st.LaunchConfigurations[g.LaunchConfiguration]; lc != nil {
		return lc.InstanceType
	}
	return ""
}

// serviceCapacity is the launch type and capacity provider strategy a
// service runs on after an UpdateService: a new strategy replaces its
// launch type or strategy; an empty one goes back to the launch type it
// was created with, else to the cluster's default strategy. ECS takes
// either change only with forceNewDeployment (API_UpdateService
// capacityProviderStrategy; AWS::ECS::Service CapacityProviderStrategy).
func serviceCapacity(s *model.Service, c *model.Cluster, in UpdateServiceInput) (model.LaunchType, []model.CapacityProviderStrategyItem, error) {
	launch, strategy := s.LaunchType, s.CapacityProviders
	switch {
	case in.CapacityProviderStrategy == nil:
		return launch, strategy, nil
	case len(in.CapacityProviderStrategy) > 0:
		launch, strategy = "", slices.Clone(in.CapacityProviderStrategy)
	case len(s.CapacityProviders) == 0:
		return launch, strategy, nil // on a launch type already
	case s.CreatedLaunchType != "":
		launch, strategy = s.CreatedLaunchType, nil
	case len(c.DefaultStrategy) > 0:
		launch, strategy = "", slices.Clone(c.DefaultStrategy)
	default:
		return "", nil, errECSInvalid("No launch type to fall back to for empty capacity provider strategy. Your service was not created with a launch type.")
	}
	if launch == s.LaunchType && slices.Equal(strategy, s.CapacityProviders) {
		return launch, strategy, nil
	}
	if !in.ForceNewDeployment {
		return "", nil, errECSInvalid("When switching from launch type to capacity provider strategy on an existing service, or making a change to a capacity provider strategy on a service that is already using one, you must force a new deployment.")
	}
	return launch, strategy, nil
}
