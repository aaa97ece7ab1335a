package engine

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Failure is an entry of RunTask's and StartTask's failures list.
type Failure struct {
	ARN    string
	Reason string
	Detail string
}

// Placement failure reasons, as ECS reports them.
const (
	ReasonENI      = "RESOURCE:ENI"
	ReasonPorts    = "RESOURCE:PORTS"
	ReasonCPU      = "RESOURCE:CPU"
	ReasonMemory   = "RESOURCE:MEMORY"
	ReasonLocation = "LOCATION"
	ReasonAgent    = "AGENT"
	// ReasonAttribute: the instance lacks an attribute the task needs,
	// here the ecs.cpu-architecture its runtimePlatform names
	// (api_failures_messages.md: "ATTRIBUTE").
	ReasonAttribute = "ATTRIBUTE"
)

// RunTaskInput is RunTask's (and StartTask's) input.
type RunTaskInput struct {
	Cluster                  string
	TaskDefinition           string
	Count                    int
	LaunchType               model.LaunchType
	CapacityProviderStrategy []model.CapacityProviderStrategyItem
	// Network is the awsvpcConfiguration; nil when the request has no
	// networkConfiguration.
	Network         *model.AwsVpcConfiguration
	PlatformVersion string
	Group           string
	StartedBy       string
	Tags            model.Tags
	ClientToken     string
	// ContainerInstances makes this a StartTask: the tasks go on exactly
	// these instances.
	ContainerInstances []string
	// PlacementConstraints and PlacementStrategy add to the task
	// definition's constraints; a service's tasks take the service's.
	PlacementConstraints []model.PlacementConstraint
	PlacementStrategy    []model.PlacementStrategy
	// Principal is the IAM principal (user or role ARN) that starts the
	// tasks, whose account settings apply; "" is the root user.
	Principal string
	// tokenChecked: the caller looked the clientToken up already (a
	// share of a RunTask split over capacity providers).
	tokenChecked bool
	// daemonTwin: TaskDefinition is the ARN of a daemon task definition's
	// twin (a daemon task, which only the engine starts).
	daemonTwin bool
}

// RunTaskOutput is RunTask's result: the tasks started and, for the ones
// that could not be placed, the failures.
type RunTaskOutput struct {
	Tasks    []*model.Task
	Failures []Failure
	// limited: a service's tasks stopped short of the count, the cluster
	// holding as many tasks waiting for capacity as ECS's quota allows
	// (Config.ProvisioningTasksPerCluster; RunTask is refused instead).
	limited bool
}

// RunTask starts tasks. Every check happens before anything is created, so
// a rejected request leaves nothing behind; tasks that cannot be placed come
// back as failures (RESOURCE:ENI, RESOURCE:PORTS, RESOURCE:CPU,
// RESOURCE:MEMORY, LOCATION), never silently dropped.
func (e *Engine) RunTask(in RunTaskInput) (*RunTaskOutput, error) {
	var out *RunTaskOutput
	err := e.write(func(t *txn) error {
		var err error
		out, err = t.runTaskSpread(in)
		return err
	})
	return out, err
}

// runTaskSpread is RunTask: with a capacity provider strategy of several
// providers (the request's, or the cluster's default), the tasks are
// split over them as a service's are (spreadOver: base first, then by
// weight; the tasks of this request count, [choice]), each provider's
// share placed on its own capacity. Everything happens in one
// transaction, so a share that fails validation leaves nothing behind.
func (t *txn) runTaskSpread(in RunTaskInput) (*RunTaskOutput, error) {
	strategy := in.CapacityProviderStrategy
	if in.LaunchType == "" && len(strategy) == 0 && in.ContainerInstances == nil {
		if c, err := t.cluster(in.Cluster); err == nil {
			strategy = c.DefaultStrategy
		}
	}
	count := max(in.Count, 1)
	if len(strategy) < 2 || in.ContainerInstances != nil || in.LaunchType != "" || count > 10 {
		return t.runTask(in, nil)
	}
	if in.ClientToken != "" {
		if prior := t.tokenTasks(in); len(prior) > 0 {
			return &RunTaskOutput{Tasks: prior}, nil
		}
	}
	out := &RunTaskOutput{}
	for _, c := range spreadOver(strategy, map[string]int{}, count) {
		part := in
		part.CapacityProviderStrategy, part.Count, part.tokenChecked = c.strategy, c.n, true
		o, err := t.runTask(part, nil)
		if err != nil {
			return nil, err
		}
		out.Tasks = append(out.Tasks, o.Tasks...)
		for _, f := range o.Failures {
			if !slices.Contains(out.Failures, f) {
				out.Failures = append(out.Failures, f)
			}
		}
	}
	return out, nil
}

// tokenTasks returns the tasks an earlier RunTask with in's clientToken
// started.
func (t *txn) tokenTasks(in RunTaskInput) []*model.Task {
	var prior []*model.Task
	for _, arn := range sortedKeys(t.e.idx.clientTokens[tokenKey{t.e.clusterARN(in.Cluster), in.ClientToken}]) {
		prior = append(prior, t.st.Tasks[arn])
	}
	return prior
}

// launchPlan is how a task request will run.
type launchPlan struct {
	cluster   *model.Cluster
	td        *model.TaskDefinition
	fargate   bool
	provider  string                  // capacity provider name, when a strategy chose one
	managed   *model.CapacityProvider // an ECS Managed Instances provider
	asgName   string                  // EC2 capacity provider's Auto Scaling group
	launch    model.LaunchType
	network   *model.AwsVpcConfiguration
	subnets   []*model.Subnet
	platform  string
	cpu, mem  int
	groupName string
	// placement is nil without constraints or strategies.
	placement *compiledPlacement
	// required are the task definition's attributes placement checks
	// (model.RequiredInstanceAttributes), made on the first fit.
	required []string
}

// planLaunch validates a request (shared by RunTask and services).
func (t *txn) planLaunch(clusterRef, tdRef string, launch model.LaunchType, strategy []model.CapacityProviderStrategyItem,
	network *model.AwsVpcConfiguration, platform string, daemonTwin bool) (*launchPlan, error) {
	// The request's enums are validated before anything is looked up.
	switch launch {
	case "", model.LaunchEC2, model.LaunchFargate, model.LaunchExternal:
	case model.LaunchManagedInstances:
		// "If you want to use Amazon ECS Managed Instances, you must use
		// the capacityProviderStrategy request parameter and omit the
		// launchType request parameter" (RunTask, CreateService).
		return nil, errECSInvalid("To use Amazon ECS Managed Instances, specify a capacity provider strategy with a Managed Instances capacity provider and omit the launch type.")
	default:
		return nil, errECSInvalid("launch type should be one of [EC2,FARGATE,EXTERNAL]")
	}
	c, err := t.cluster(clusterRef)
	if err != nil {
		return nil, err
	}
	td, err := t.taskDefinition(tdRef)
	if daemonTwin {
		// A daemon task runs its daemon task definition's twin, which
		// no task definition reference names.
		if td, err = t.st.TaskDefinitions[tdRef], nil; td == nil || !td.DaemonTaskDefinition {
			td, err = nil, errTaskDefinitionNotFound()
		}
	}
	if err != nil {
		if !strings.HasPrefix(tdRef, "arn:") && !strings.Contains(tdRef, ":") {
			return nil, errECSClient("TaskDefinition not found.")
		}
		return nil, err
	}
	if td.Status != "ACTIVE" {
		return nil, errECSInvalid("TaskDefinition is inactive")
	}
	p := &launchPlan{cluster: c, td: td}
	if launch != "" && len(strategy) > 0 {
		return nil, errECSInvalid("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.")
	}
	if launch == "" && len(strategy) == 0 && len(c.DefaultStrategy) > 0 {
		strategy = c.DefaultStrategy
	}
	switch {
	case len(strategy) > 0:
		// "Only capacity providers that are already associated with a
		// cluster … can be used in a capacity provider strategy"; FARGATE
		// and FARGATE_SPOT too "only need to be associated with a cluster"
		// (CapacityProviderStrategyItem). A Managed Instances provider is
		// the cluster's own (checked below).
		for _, s := range strategy {
			if err := t.checkCapacityProvider(s.CapacityProvider); err != nil {
				return nil, err
			}
			if cp := t.capacityProvider(s.CapacityProvider); cp.ManagedInstances == nil && !slices.Contains(c.CapacityProviders, cp.Name) {
				return nil, errECSInvalid("The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.")
			}
		}
		item := strategy[0]
		for _, s := range strategy {
			if s.Base > item.Base || (item.Weight == 0 && s.Weight > 0) {
				item = s
			}
		}
		if err := t.checkCapacityProvider(item.CapacityProvider); err != nil {
			return nil, err
		}
		cp := t.capacityProvider(item.CapacityProvider)
		p.provider = cp.Name
		switch {
		case cp.IsFargate():
			p.fargate = true
		case cp.ManagedInstances != nil:
			if cp.ClusterARN != c.ARN {
				// Cluster-scoped: "it becomes available only within the
				// specified cluster" (CreateCapacityProvider).
				return nil, errECSInvalid("The specified capacity provider was not found. Specify a valid capacity provider and try again.")
			}
			if !slices.Contains(td.Compatibilities, model.LaunchManagedInstances) {
				return nil, errECSInvalid("Task definition does not support launch_type MANAGED_INSTANCES.")
			}
			p.managed = cp
		default:
			for _, g := range t.st.AutoScalingGroups {
				if g.ARN == cp.AutoScalingGroupARN {
					p.asgName = g.Name
				}
			}
		}
	case launch == "" || launch == model.LaunchEC2:
		p.launch = model.LaunchEC2
		if platform != "" {
			// Platform versions are Fargate's (docs/aws-behavior.md).
			return nil, errECSInvalid("The platform version must be null when specifying an EC2 launch type.")
		}
	case launch == model.LaunchFargate:
		p.fargate, p.launch = true, model.LaunchFargate
	case launch == model.LaunchExternal:
		p.launch = model.LaunchExternal
	default:
		return nil, errECSInvalid("launch type should be one of [EC2,FARGATE,EXTERNAL]")
	}
	if p.fargate && !slices.Contains(td.Compatibilities, model.LaunchFargate) {
		return nil, errECSInvalid("Task definition does not support launch_type FARGATE.")
	}
	if p.fargate {
		// Windows and Linux have platform versions of their own; the
		// latest Windows one is 1.0.0, the latest Linux one 1.4.0 (AWS,
		// "Fargate platform versions for Amazon ECS").
		windows := td.RuntimePlatform != nil && strings.HasPrefix(td.RuntimePlatform.OperatingSystemFamily, "WINDOWS")
		switch {
		case windows && (platform == "" || platform == "LATEST" || platform == "1.0.0"):
			p.platform = "1.0.0"
		case windows:
			return nil, errECSInvalid("The specified platform version does not exist.")
		case platform == "" || platform == "LATEST" || platform == "1.4.0":
			p.platform = "1.4.0"
		case platform == "1.3.0":
			p.platform = "1.3.0"
		default:
			return nil, errECSInvalid("The specified platform version does not exist.")
		}
		if fireLensS3Config(td) {
			return nil, errPlatformIncompatible()
		}
	}
	if td.NetworkMode == model.NetworkModeAwsvpc {
		if network == nil {
			return nil, errNetworkConfigRequired()
		}
		if err := t.checkAwsVpc(p, network); err != nil {
			return nil, err
		}
	} else if network != nil {
		return nil, errNetworkConfigNotValid()
	}
	p.cpu, p.mem = taskCPUMem(td, nil)
	return p, nil
}

// checkAwsVpc validates an awsvpcConfiguration: 1-16 subnets and at most 5
// security groups, all existing and in one VPC (default group when none),
// and assignPublicIp only on Fargate.
func (t *txn) checkAwsVpc(p *launchPlan, n *model.AwsVpcConfiguration) error {
	if len(n.Subnets) == 0 {
		return errECSInvalid("subnets can not be empty.")
	}
	if len(n.Subnets) > 16 {
		return errECSInvalid("subnets can have at most 16 items.")
	}
	if len(n.SecurityGroups) > 5 {
		return errECSInvalid("security groups can have at most 5 items.")
	}
	if n.AssignPublicIP && !p.fargate {
		return errAssignPublicIP()
	}
	ids := make([]string, len(n.Subnets))
	for i, s := range n.Subnets {
		ids[i] = string(s)
	}
	var vpc model.VpcID
	for _, id := range n.Subnets {
		s := t.st.Subnets[id]
		if s == nil {
			return errSubnetLookup(ids, string(id))
		}
		if vpc != "" && s.VpcID != vpc {
			return errECSInvalid("The subnets in the awsvpcConfiguration must all be in the same VPC.")
		}
		vpc = s.VpcID
		p.subnets = append(p.subnets, s)
	}
	groups := make([]string, len(n.SecurityGroups))
	for i, g := range n.SecurityGroups {
		groups[i] = string(g)
	}
	for _, g := range n.SecurityGroups {
		sg := t.st.SecurityGroups[g]
		if sg == nil {
			return errGroupLookup(groups, string(g))
		}
		if sg.VpcID != vpc {
			// AWS's words (a CreateService error quoted in
			// aws/aws-dotnet-deploy pull request 735).
			return errECSInvalid("Security group %s does not appear to belong to the same VPC as the input subnets.", g)
		}
	}
	cfg := *n
	cfg.Subnets = slices.Clone(n.Subnets)
	cfg.SecurityGroups = slices.Clone(n.SecurityGroups)
	if len(cfg.SecurityGroups) == 0 {
		cfg.SecurityGroups = []model.SecurityGroupID{t.st.VPCs[vpc].DefaultSecurityGroup}
		cfg.DefaultGroup = true
	}
	p.network = &cfg
	return nil
}

func (t *txn) runTask(in RunTaskInput, svc *model.Service) (*RunTaskOutput, error) {
	if in.ClientToken != "" && !in.tokenChecked {
		// RunTask is idempotent per client token: the same token returns
		// the tasks it started (whatever became of them since).
		if prior := t.tokenTasks(in); len(prior) > 0 {
			return &RunTaskOutput{Tasks: prior}, nil
		}
	}
	count := in.Count
	if count == 0 {
		count = 1
	}
	if count < 1 || count > 10 {
		return nil, errECSInvalid("Count must be between 1 and 10.")
	}
	p, err := t.planLaunch(in.Cluster, in.TaskDefinition, in.LaunchType, in.CapacityProviderStrategy, in.Network, in.PlatformVersion, in.daemonTwin)
	if err != nil {
		return nil, err
	}
	if err := t.taskRolesAssumable(p.td); err != nil {
		return nil, err
	}
	p.groupName = in.Group
	if p.groupName == "" {
		p.groupName = "family:" + p.td.Family
	}
	constraints, strategy := in.PlacementConstraints, in.PlacementStrategy
	if svc != nil && constraints == nil && strategy == nil {
		constraints, strategy = svc.PlacementConstraints, svc.PlacementStrategy
	}
	if err := checkPlacement(constraints, strategy, false); err != nil {
		return nil, err
	}
	if p.fargate && (len(constraints) > 0 || len(p.td.PlacementConstraints) > 0) {
		return nil, errECSInvalid("Placement constraints are not supported with FARGATE launch type.")
	}
	if p.fargate && len(strategy) > 0 {
		return nil, errECSInvalid("Placement strategies are not supported with FARGATE launch type.") // probable
	}
	if !p.fargate {
		if p.placement, err = compilePlacement(p.td, constraints, strategy); err != nil {
			return nil, err
		}
	}
	var cands []*model.ContainerInstance
	// With a capacity provider whose managed scaling is on, a task that
	// finds no capacity waits for it (PROVISIONING) instead of failing.
	wait := in.ContainerInstances == nil && t.managedScaling(p.provider)
	if !p.fargate {
		cands, err = t.candidates(p, in.ContainerInstances)
		if err != nil {
			return nil, err
		}
		if len(cands) == 0 && in.ContainerInstances == nil && !wait && p.managed == nil {
			if p.provider != "" {
				return nil, errECSInvalid("No Container Instances were found in your capacity provider.")
			}
			return nil, errECSInvalid("No Container Instances were found in your cluster.")
		}
	}
	out := &RunTaskOutput{}
	for i := 0; i < count; i++ {
		var tk *model.Task
		if p.fargate {
			tk, err = t.startFargateTask(p, in, svc)
			if err != nil {
				return nil, err
			}
		} else {
			ci, failures := t.place(p, cands)
			if ci == nil && p.managed != nil && in.ContainerInstances == nil {
				// ECS launches an instance for the task.
				nci, err := t.launchManagedInstance(p, p.managed)
				if d := (*launchDenied)(nil); errors.As(err, &d) {
					out.Tasks = append(out.Tasks, t.failLaunch(p, in, svc, d))
					continue
				}
				if err != nil {
					return nil, err
				}
				if nci != nil {
					cands = append(cands, nci)
					if reason, _ := t.fit(p, nci); reason == "" {
						ci, failures = nci, nil
					}
				}
			}
			if ci == nil && wait {
				if t.e.idx.clusterAwaiting[p.cluster.ARN] >= t.e.cfg.ProvisioningTasksPerCluster {
					// ECS's quota of PROVISIONING tasks per cluster: RunTask
					// fails whole (a ClientException, not a failure); a
					// service starts what it placed and tries again later.
					if svc == nil {
						return nil, errProvisioningLimit()
					}
					out.limited = true
					break
				}
				tk = t.awaitCapacity(p, in, svc, constraints, strategy)
				out.Tasks = append(out.Tasks, tk)
				continue
			}
			if ci == nil {
				for _, f := range failures {
					if !slices.Contains(out.Failures, f) {
						out.Failures = append(out.Failures, f)
					}
				}
				continue
			}
			tk, err = t.startEC2Task(p, in, svc, ci)
			if err != nil {
				return nil, err
			}
		}
		out.Tasks = append(out.Tasks, tk)
	}
	return out, nil
}

// candidates returns the container instances a task may go on.
func (t *txn) candidates(p *launchPlan, explicit []string) ([]*model.ContainerInstance, error) {
	var out []*model.ContainerInstance
	if explicit != nil {
		if len(explicit) == 0 {
			// StartTask with an empty list: the text DescribeContainerInstances
			// answers for one (docs/aws-behavior.md, round thirty-one).
			return nil, errECSClient("Container Instances cannot be empty.")
		}
		if len(explicit) > 10 {
			return nil, errECSInvalid("containerInstances can have at most 10 items.")
		}
		for _, ref := range explicit {
			ci, err := t.containerInstance(p.cluster, ref)
			if err != nil {
				return nil, err
			}
			out = append(out, ci)
		}
		return out, nil
	}
	for _, ci := range sortedValues(t.st.ContainerInstances) {
		if ci.ClusterARN != p.cluster.ARN || ci.Status != "ACTIVE" {
			continue
		}
		if p.managed != nil && ci.CapacityProvider != p.managed.Name {
			continue
		}
		if p.asgName != "" {
			if inst := t.st.Instances[ci.EC2InstanceID]; inst == nil || inst.AutoScalingGroup != p.asgName {
				continue
			}
		}
		out = append(out, ci)
	}
	return out, nil
}

// fit returns why a task cannot go on ci ("" when it can), checking in the
// order ECS reports: the zone, CPU, memory, ports, then ENIs.
func (t *txn) fit(p *launchPlan, ci *model.ContainerInstance) (string, *model.Subnet) {
	if !ci.AgentConnected || ci.Status != "ACTIVE" {
		return ReasonAgent, nil
	}
	if arch := p.td.Architecture(); arch != "" {
		if v, _ := attribute(ci, "ecs.cpu-architecture"); v != arch {
			return ReasonAttribute, nil
		}
	}
	if p.required == nil {
		p.required = append([]string{}, model.RequiredInstanceAttributes(p.td)...)
	}
	for _, name := range p.required {
		if _, ok := attribute(ci, name); !ok {
			return ReasonAttribute, nil
		}
	}
	var subnet *model.Subnet
	if p.td.NetworkMode == model.NetworkModeAwsvpc {
		for _, s := range p.subnets {
			if s.AvailabilityZone == ci.AvailabilityZone {
				subnet = s
				break
			}
		}
		if subnet == nil {
			return ReasonLocation, nil
		}
	}
	u := t.host(ci.ARN)
	if p.cpu > ci.CPU-u.cpu {
		return ReasonCPU, nil
	}
	if p.mem > ci.MemoryMiB-u.mem {
		return ReasonMemory, nil
	}
	if _, ok := t.hostPorts(p.td, ci, u); !ok {
		return ReasonPorts, nil
	}
	if p.td.NetworkMode == model.NetworkModeAwsvpc && u.enis >= eniCapacity(ci, t.instanceENIs(ci.EC2InstanceID)) {
		return ReasonENI, nil
	}
	if !p.placement.empty() {
		if r := t.placementReason(p, ci, u); r != "" {
			return r, nil
		}
	}
	return "", subnet
}

// place picks the container instance for one task: among those that fit,
// the one running the fewest tasks of the same group (spread), then the
// fewest tasks overall, then by ARN. When none fits it returns one failure
// per instance.
func (t *txn) place(p *launchPlan, cands []*model.ContainerInstance) (*model.ContainerInstance, []Failure) {
	if p.placement != nil && len(p.placement.strategy) > 0 {
		var fits []*model.ContainerInstance
		var failures []Failure
		for _, ci := range cands {
			if reason, _ := t.fit(p, ci); reason != "" {
				failures = append(failures, Failure{ARN: ci.ARN, Reason: reason})
				continue
			}
			fits = append(fits, ci)
		}
		if len(fits) == 0 {
			return nil, failures
		}
		t.orderByStrategy(p, fits)
		return fits[0], nil
	}
	var best *model.ContainerInstance
	bestGroup, bestAll := 0, 0
	var failures []Failure
	for _, ci := range cands {
		if reason, _ := t.fit(p, ci); reason != "" {
			failures = append(failures, Failure{ARN: ci.ARN, Reason: reason})
			continue
		}
		u := t.host(ci.ARN)
		group, all := u.groups[p.groupName], u.tasks
		if best == nil || group < bestGroup || (group == bestGroup && all < bestAll) {
			best, bestGroup, bestAll = ci, group, all
		}
	}
	if best != nil {
		return best, nil
	}
	return nil, failures
}

// hostPorts assigns the host ports a task needs on container instance ci,
// whose tasks use u: static ports must be free (and not reserved), dynamic
// ones (bridge, hostPort 0) come from the configured range. ok is false on
// a conflict.
func (t *txn) hostPorts(td *model.TaskDefinition, ci *model.ContainerInstance, u *hostUsage) (map[string][]model.NetworkBinding, bool) {
	if td.NetworkMode != model.NetworkModeBridge && td.NetworkMode != model.NetworkModeHost {
		return nil, true
	}
	// The ports this task takes, a few: a slice, not a map (this runs
	// twice for every task placed in bridge or host mode); a set once a
	// port range's block makes them many.
	type port struct {
		proto model.Protocol
		port  uint16
	}
	var mine []port
	var mineSet map[port]bool
	take := func(p port) {
		mine = append(mine, p)
		switch {
		case mineSet != nil:
			mineSet[p] = true
		case len(mine) > 64:
			mineSet = make(map[port]bool, len(mine))
			for _, q := range mine {
				mineSet[q] = true
			}
		}
	}
	used := func(proto model.Protocol, p uint16) bool {
		if u.ports[proto][p] > 0 {
			return true
		}
		if mineSet != nil && mineSet[port{proto, p}] || mineSet == nil && slices.Contains(mine, port{proto, p}) {
			return true
		}
		switch proto {
		case model.TCP:
			return slices.Contains(ci.ReservedPorts, p)
		case model.UDP:
			return slices.Contains(ci.ReservedUDPPorts, p)
		}
		return false
	}
	var busy map[model.Protocol][]bool // per protocol, for port ranges (lazily)
	var out map[string][]model.NetworkBinding
	for _, c := range td.Containers {
		for _, pm := range c.PortMappings {
			if pm.IsRange() {
				// A containerPortRange takes as many contiguous free host
				// ports of the dynamic range (the agent's
				// getHostPortRange); none: the task cannot go here. The
				// dynamic range's use is read once per protocol into a
				// bitmap, kept up to date as this task takes ports.
				rng := t.e.cfg.DynamicHostPorts
				if busy == nil {
					busy = map[model.Protocol][]bool{}
				}
				if busy[pm.Protocol] == nil {
					b := make([]bool, rng.Len())
					for p := int(rng.First); p <= int(rng.Last); p++ {
						b[p-int(rng.First)] = used(pm.Protocol, uint16(p))
					}
					busy[pm.Protocol] = b
				}
				b := busy[pm.Protocol]
				hr, ok := freeBlock(rng, pm.ContainerPortRange.Len(), func(p uint16) bool { return b[int(p)-int(rng.First)] })
				if !ok {
					return nil, false
				}
				for p := int(hr.First); p <= int(hr.Last); p++ {
					b[p-int(rng.First)] = true
				}
				for p := int(hr.First); p <= int(hr.Last); p++ {
					take(port{pm.Protocol, uint16(p)})
				}
				if out == nil {
					out = map[string][]model.NetworkBinding{}
				}
				out[c.Name] = append(out[c.Name], model.NetworkBinding{BindIP: netip.IPv4Unspecified(), Protocol: pm.Protocol,
					ContainerPortRange: pm.ContainerPortRange, HostPortRange: hr})
				continue
			}
			host := pm.HostPort
			if host == 0 && td.NetworkMode == model.NetworkModeHost {
				host = pm.ContainerPort
			}
			if host == 0 {
				rng := t.e.cfg.DynamicHostPorts
				for p := int(rng.First); p <= int(rng.Last); p++ {
					if !used(pm.Protocol, uint16(p)) {
						host = uint16(p)
						break
					}
				}
				if host == 0 {
					return nil, false
				}
			} else if used(pm.Protocol, host) {
				return nil, false
			}
			take(port{pm.Protocol, host})
			if b := busy[pm.Protocol]; b != nil && t.e.cfg.DynamicHostPorts.Contains(host) {
				b[int(host)-int(t.e.cfg.DynamicHostPorts.First)] = true
			}
			if out == nil {
				out = map[string][]model.NetworkBinding{}
			}
			out[c.Name] = append(out[c.Name], model.NetworkBinding{BindIP: netip.IPv4Unspecified(), ContainerPort: pm.ContainerPort, HostPort: host, Protocol: pm.Protocol})
		}
	}
	return out, true
}

// freeBlock returns the first n contiguous ports of rng for which used
// is false.
func freeBlock(rng model.PortRange, n int, used func(uint16) bool) (model.PortRange, bool) {
	run := 0
	for p := int(rng.First); p <= int(rng.Last); p++ {
		if used(uint16(p)) {
			run = 0
			continue
		}
		if run++; run == n {
			return model.PortRange{First: uint16(p - n + 1), Last: uint16(p)}, true
		}
	}
	return model.PortRange{}, false
}

// newTask builds the task record common to both launch types.
func (t *txn) newTask(p *launchPlan, in RunTaskInput, svc *model.Service) *model.Task {
	id := t.e.ids.Hex(32)
	tk := &model.Task{
		ARN:               t.e.ecsARN("task/" + p.cluster.Name + "/" + id),
		ClusterARN:        p.cluster.ARN,
		TaskDefinitionARN: p.td.ARN,
		LaunchType:        p.launch,
		CapacityProvider:  p.provider,
		LastStatus:        model.TaskPending,
		DesiredStatus:     model.TaskRunning,
		CPU:               p.td.CPU,
		Memory:            p.td.Memory,
		Group:             p.groupName,
		StartedBy:         in.StartedBy,
		Connectivity:      "CONNECTED",
		CreatedAt:         t.now,
		ConnectivityAt:    t.now,
		Version:           1,
		NextTransition:    t.now.Add(t.e.cfg.TaskStartDelay),
		NetworkMode:       p.td.NetworkMode,
		Network:           p.network,
		ClientToken:       in.ClientToken,
		Tags:              in.Tags.Clone(),
	}
	if tk.CPU == "" {
		tk.CPU = itoa(p.cpu)
	}
	if tk.Memory == "" {
		tk.Memory = itoa(p.mem)
	}
	if svc != nil {
		tk.ServiceName = svc.Name
	}
	if p.fargate {
		tk.PlatformVersion, tk.PlatformFamily = p.platform, "Linux"
		if p.launch == "" {
			tk.LaunchType = model.LaunchFargate
		}
	}
	if tk.LaunchType == "" && p.managed != nil {
		// [choice] A task ECS Managed Instances runs is answered launch
		// type MANAGED_INSTANCES (the LaunchType enum's value for them).
		tk.LaunchType = model.LaunchManagedInstances
	}
	if tk.LaunchType == "" && tk.CapacityProvider != "" {
		tk.LaunchType = model.LaunchEC2
	}
	for _, c := range p.td.Containers {
		tk.Containers = append(tk.Containers, model.Container{
			Name: c.Name, Image: c.Image, LastStatus: model.TaskPending, CPU: c.CPU, Memory: c.Memory,
			ARN: t.e.ecsARN("container/" + p.cluster.Name + "/" + id + "/" + t.uuid()),
		})
	}
	return tk
}

// attachENI records a task ENI as the task's ECS attachment.
func (t *txn) attachENI(tk *model.Task, attachmentID string, n *model.NetworkInterface) {
	vpc := t.st.VPCs[n.VpcID]
	dns := ""
	if vpc != nil && vpc.EnableDNSHostnames && vpc.EnableDNSSupport {
		dns = model.PrivateDNSName(t.e.cfg.Region, n.PrimaryIP())
	}
	tk.LastStatus = model.TaskProvisioning
	for i := range tk.Containers {
		tk.Containers[i].LastStatus = model.TaskPending
	}
	tk.Attachments = []model.TaskAttachment{{
		ID: attachmentID, Type: "ElasticNetworkInterface", Status: "PRECREATED", ENI: n.ID, SubnetID: n.SubnetID,
		MAC: n.MAC, PrivateIP: n.PrimaryIP(), DNSName: dns,
	}}
	if a, ok := n.PrimaryIPv6(); ok {
		tk.Attachments[0].IPv6 = a
	}
	tk.AvailabilityZone = n.AvailabilityZone
}

// taskIPv6Count is how many IPv6 addresses ECS asks for on an awsvpc
// task's ENI: one in a subnet with an IPv6 block when the dualStackIPv6
// account setting is on (task-networking-awsvpc.md, "Using a VPC in
// dual-stack mode"; fargate-task-networking.md), else none. The setting
// is the one in effect for the principal that starts the task: a
// service's creator for its tasks, RunTask's caller otherwise.
func (t *txn) taskIPv6Count(s *model.Subnet, in RunTaskInput, svc *model.Service) int {
	principal := in.Principal
	if svc != nil {
		principal = svc.CreatedBy
	}
	if len(s.IPv6) > 0 && AccountSetting(t.st, "dualStackIPv6", principal) == "enabled" {
		return 1
	}
	return 0
}

func (t *txn) startFargateTask(p *launchPlan, in RunTaskInput, svc *model.Service) (*model.Task, error) {
	tk := t.newTask(p, in, svc)
	// Spread tasks over the subnets: the one holding the fewest of this
	// group's active tasks, in the order given.
	counts := t.e.idx.groupSubnets[p.groupName] // kept in step by putTask
	subnet := p.subnets[0]
	for _, s := range p.subnets {
		if counts[s.ID] < counts[subnet.ID] {
			subnet = s
		}
	}
	attachment := t.uuid()
	eni, err := t.newENI(eniSpec{
		subnet: subnet, groups: p.network.SecurityGroups, description: t.e.ecsARN("attachment/" + attachment),
		ownerKind: model.OwnedByECSTask, managedBy: tk.ARN, requester: ecsRequesterID, publicIP: p.network.AssignPublicIP,
		ipv6Count: t.taskIPv6Count(subnet, in, svc),
		attachment: &model.ENIAttachment{ID: model.ENIAttachmentID(t.newID("eni-attach")), InstanceOwnerID: ecsRequesterID,
			DeviceIndex: 1, Status: "attached", AttachedAt: t.now},
	})
	if apierr.HasCode(err, "InsufficientFreeAddressesInSubnet") {
		return t.failStart(tk, subnetFullReason), nil
	}
	if err != nil {
		return nil, err
	}
	t.attachENI(tk, attachment, eni)
	t.putTask(tk)
	return tk, nil
}

// subnetFullReason is the stopped reason of an awsvpc task whose ENI the
// subnet has no address for: RunTask answers the task, which stops in
// PROVISIONING (paradisec-archive/nabu#1259: "Tasks reach PROVISIONING and
// then stop with InsufficientFreeAddressesInSubnet … By then RunTask has
// returned 200"); the text after the code is EC2's CreateNetworkInterface
// message (aws/amazon-vpc-cni-k8s#1773), the whole a [choice].
const subnetFullReason = "InsufficientFreeAddressesInSubnet: The specified subnet does not have enough free addresses to satisfy the request."

func (t *txn) startEC2Task(p *launchPlan, in RunTaskInput, svc *model.Service, ci *model.ContainerInstance) (*model.Task, error) {
	tk := t.newTask(p, in, svc)
	if err := t.placeTask(tk, p, in, svc, ci); apierr.HasCode(err, "InsufficientFreeAddressesInSubnet") {
		tk.ContainerInstanceARN, tk.AvailabilityZone = ci.ARN, ci.AvailabilityZone
		return t.failStart(tk, subnetFullReason), nil
	} else if err != nil {
		return nil, err
	}
	t.putTask(tk)
	return tk, nil
}

// placeTask puts a new task (not yet stored) on container instance ci:
// its ENI (awsvpc) or host ports (bridge, host).
func (t *txn) placeTask(tk *model.Task, p *launchPlan, in RunTaskInput, svc *model.Service, ci *model.ContainerInstance) error {
	tk.ContainerInstanceARN = ci.ARN
	tk.AvailabilityZone = ci.AvailabilityZone
	_, subnet := t.fit(p, ci)
	switch p.td.NetworkMode {
	case model.NetworkModeAwsvpc:
		attachment := t.uuid()
		spec := eniSpec{subnet: subnet, groups: p.network.SecurityGroups, description: t.e.ecsARN("attachment/" + attachment),
			ownerKind: model.OwnedByECSTask, managedBy: tk.ARN, requester: ecsRequesterID, ipv6Count: t.taskIPv6Count(subnet, in, svc)}
		inst := t.st.Instances[ci.EC2InstanceID]
		if ci.TrunkingEnabled && inst.TrunkENI != "" {
			spec.typ = model.InterfaceBranch
		} else {
			spec.attachment = &model.ENIAttachment{ID: model.ENIAttachmentID(t.newID("eni-attach")), InstanceID: inst.ID,
				InstanceOwnerID: t.e.cfg.Account, DeviceIndex: freeDeviceIndex(t.instanceENIs(inst.ID)), Status: "attached", AttachedAt: t.now}
		}
		eni, err := t.newENI(spec)
		if err != nil {
			return err
		}
		if spec.typ == model.InterfaceBranch {
			c := cloneENI(eni)
			c.TrunkID, c.VlanID = inst.TrunkENI, t.freeVLAN(inst.TrunkENI)
			t.putENI(c)
			eni = c
		}
		t.attachENI(tk, attachment, eni)
	case model.NetworkModeBridge, model.NetworkModeHost:
		bindings, _ := t.hostPorts(p.td, ci, t.host(ci.ARN))
		for i := range tk.Containers {
			tk.Containers[i].NetworkBindings = bindings[tk.Containers[i].Name]
		}
	}
	return nil
}

// freeVLAN returns the lowest VLAN id not used on a trunk.
func (t *txn) freeVLAN(trunk model.NetworkInterfaceID) int {
	used := t.e.idx.trunkVLANs[trunk]
	for v := 1; ; v++ {
		if _, ok := used[v]; !ok {
			return v
		}
	}
}

// task resolves a task id or ARN in a cluster.
func (t *txn) task(cluster *model.Cluster, ref string) (*model.Task, error) {
	arn := ref
	if !strings.HasPrefix(ref, "arn:") {
		arn = t.e.ecsARN("task/" + cluster.Name + "/" + ref)
	}
	tk := t.st.Tasks[arn]
	if tk == nil || tk.ClusterARN != cluster.ARN {
		return nil, errECSInvalid("The referenced task was not found.")
	}
	return tk, nil
}

// StopTask asks a task to stop. It answers with the task still running;
// Step takes it through DEPROVISIONING to STOPPED, deleting its ENI.
func (e *Engine) StopTask(cluster, ref, reason string) (*model.Task, error) {
	var out *model.Task
	err := e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		tk, err := t.task(c, ref)
		if err != nil {
			return err
		}
		if reason == "" {
			reason = "Task stopped by user"
		}
		out = t.stopTask(tk, "UserInitiated", reason, false)
		return nil
	})
	return out, err
}

// stopTask sets a task's desired status to STOPPED and deregisters it from
// its load balancers. With now, it skips the lifecycle and stops at once.
func (t *txn) stopTask(tk *model.Task, code, reason string, now bool) *model.Task {
	if tk.DesiredStatus == model.TaskStopped && !now {
		return tk
	}
	c := cloneTask(tk)
	if c.DesiredStatus != model.TaskStopped {
		c.DesiredStatus = model.TaskStopped
		c.StopCode, c.StoppedReason = code, reason
		c.StoppingAt = t.now
		c.Version++
	}
	c.NextTransition = t.now.Add(t.e.cfg.TaskStartDelay)
	t.deregisterTaskTargets(c)
	t.deregisterTaskInstances(c)
	t.putTask(c)
	if now {
		t.finishStop(c)
	}
	return t.st.Tasks[c.ARN]
}

// finishStop moves a task to STOPPED and frees its ENI.
func (t *txn) finishStop(tk *model.Task) {
	c := cloneTask(tk)
	c.LastStatus = model.TaskStopped
	c.StoppedAt, c.StoppingAt = t.now, firstTime(c.StoppingAt, t.now)
	c.Version++
	for i := range c.Containers {
		c.Containers[i].LastStatus = model.TaskStopped
		c.Containers[i].NetworkBindings = nil
	}
	for i := range c.Attachments {
		c.Attachments[i].Status = "DELETED"
		t.deleteENI(c.Attachments[i].ENI)
	}
	t.putTask(c)
}

func cloneTask(tk *model.Task) *model.Task {
	c := *tk
	c.Attachments = slices.Clone(tk.Attachments)
	c.Containers = slices.Clone(tk.Containers)
	for i := range c.Containers {
		c.Containers[i].NetworkBindings = slices.Clone(tk.Containers[i].NetworkBindings)
	}
	c.PlacementConstraints = slices.Clone(tk.PlacementConstraints)
	c.PlacementStrategy = slices.Clone(tk.PlacementStrategy)
	return &c
}

// taskTarget is a target a service task registers in a target group.
type taskTarget struct {
	tg     string
	target model.Target
}

// taskTargets returns the targets a service task registers: ip +
// containerPort for awsvpc, instance id + host port for bridge and host.
func (t *txn) taskTargets(tk *model.Task) []taskTarget {
	return taskTargetsOf(t.st, t.serviceOf(tk), tk, t.now)
}

// taskTargetsOf is taskTargets for a task of svc in st, registered at now.
func taskTargetsOf(st *model.State, svc *model.Service, tk *model.Task, now time.Time) []taskTarget {
	if svc == nil {
		return nil
	}
	var out []taskTarget
	lbs := svc.LoadBalancers
	if ts := svc.TaskSetOf(tk); ts != nil {
		lbs = ts.LoadBalancers
	}
	for _, lb := range lbs {
		if lb.TargetGroupARN == "" {
			continue
		}
		target := model.Target{RegisteredAt: now, AvailabilityZone: tk.AvailabilityZone}
		switch tk.NetworkMode {
		case model.NetworkModeAwsvpc:
			if len(tk.Attachments) == 0 {
				continue
			}
			target.ID, target.Port = tk.Attachments[0].PrivateIP.String(), lb.ContainerPort
			if tg := st.TargetGroups[taskTargetGroup(svc, tk, lb)]; tg != nil && tg.IPAddressType == tgIPv6 {
				// An IPv6 target group takes the task by its IPv6 address;
				// a task without one is not registered.
				if !tk.Attachments[0].IPv6.IsValid() {
					continue
				}
				target.ID = tk.Attachments[0].IPv6.String()
			}
		default:
			ci := st.ContainerInstances[tk.ContainerInstanceARN]
			if ci == nil {
				continue
			}
			target.ID = string(ci.EC2InstanceID)
			for _, c := range tk.Containers {
				for _, b := range c.NetworkBindings {
					if c.Name == lb.ContainerName && b.ContainerPort == lb.ContainerPort {
						target.Port = b.HostPort
					}
				}
			}
			if target.Port == 0 {
				continue
			}
		}
		out = append(out, taskTarget{taskTargetGroup(svc, tk, lb), target})
	}
	return out
}

func (t *txn) registerTaskTargets(tk *model.Task) {
	for _, x := range t.taskTargets(tk) {
		t.registerTarget(x.tg, x.target)
	}
	for _, name := range t.taskClassicLBs(tk) {
		if ci := t.st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil {
			t.clbRegister(name, ci.EC2InstanceID, true)
		}
	}
}

// deregisterTaskTargets deregisters a stopping task from its target
// groups, through draining as DeregisterTargets does (the task waits in
// DEACTIVATING until its targets leave: advanceTask), and from its
// Classic Load Balancers.
func (t *txn) deregisterTaskTargets(tk *model.Task) {
	for _, x := range t.taskTargets(tk) {
		if tg := t.st.TargetGroups[x.tg]; tg != nil {
			t.drainTarget(tg, x.target.ID, x.target.Port, t.deregistrationDelay(tg))
		}
	}
	for _, name := range t.taskClassicLBs(tk) {
		ci := t.st.ContainerInstances[tk.ContainerInstanceARN]
		if ci == nil || t.classicLBStillUsed(ci.ARN, tk.ARN, name) {
			continue
		}
		t.clbRegister(name, ci.EC2InstanceID, false)
	}
}

// taskClassicLBs returns the Classic Load Balancers a service task's
// container instance registers with (bridge and host tasks on EC2: ECS
// registers the container instance, and the load balancer sends to its
// listeners' instance ports).
func (t *txn) taskClassicLBs(tk *model.Task) []string {
	if tk.NetworkMode == model.NetworkModeAwsvpc || tk.ContainerInstanceARN == "" {
		return nil
	}
	svc := t.serviceOf(tk)
	if svc == nil {
		return nil
	}
	var out []string
	for _, lb := range svc.LoadBalancers {
		if lb.TargetGroupARN == "" && lb.LoadBalancerName != "" {
			out = append(out, lb.LoadBalancerName)
		}
	}
	return out
}

// classicLBStillUsed reports whether another active task on a container
// instance keeps it registered with a Classic Load Balancer.
func (t *txn) classicLBStillUsed(ci, except, name string) bool {
	u := t.e.idx.hosts[ci]
	if u == nil {
		return false
	}
	for arn := range u.arns {
		if arn == except {
			continue
		}
		if o := t.st.Tasks[arn]; o != nil && o.DesiredStatus != model.TaskStopped && slices.Contains(t.taskClassicLBs(o), name) {
			return true
		}
	}
	return false
}

// serviceOf returns the service that started a task.
func (t *txn) serviceOf(tk *model.Task) *model.Service {
	if tk.ServiceName == "" {
		return nil
	}
	cl := t.st.Clusters[tk.ClusterARN]
	if cl == nil {
		return nil
	}
	return t.st.Services[t.e.ecsARN("service/"+cl.Name+"/"+tk.ServiceName)]
}

func firstTime(a, b time.Time) time.Time {
	if a.IsZero() {
		return b
	}
	return a
}

// closestMatch is how a service event words the reason the closest
// matching container instance could not take a task: AWS's sentences for
// ports, CPU, memory and a missing attribute (service-event-messages.md),
// "encountered error"
// with the RunTask failure reason for the others (ENI, AGENT, constraints).
func closestMatch(reason string) string {
	switch reason {
	case ReasonPorts:
		return "is already using a port required by your task."
	case ReasonCPU:
		return "has insufficient CPU units available."
	case ReasonMemory:
		return "has insufficient memory available."
	case ReasonAttribute:
		return "is missing an attribute required by your task."
	}
	return "encountered error \"" + reason + "\"."
}

// fireLensS3Config reports whether a container of td takes its FireLens
// configuration file from S3 (firelensConfiguration options
// config-file-type s3): the ECS agent downloads it on EC2 (the instance
// attribute ecs.capability.firelens.options.config.s3); "For tasks hosted
// on AWS Fargate, the only supported config-file-type value is file"
// (ECS Developer Guide, firelens-taskdef), and a launch on Fargate is
// refused (aws-samples/amazon-ecs-firelens-examples#32).
func fireLensS3Config(td *model.TaskDefinition) bool {
	for _, c := range td.Containers {
		fc, _ := model.RawField(c.Raw, "firelensConfiguration").(map[string]any)
		opts, _ := model.RawField(fc, "options").(map[string]any)
		if model.RawString(opts, "config-file-type") == "s3" {
			return true
		}
	}
	return false
}
