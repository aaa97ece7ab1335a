package engine

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// ecsRequesterID is the requester shown on ENIs ECS manages. AWS shows an
// AWS-owned account there; which one is not documented (docs/aws-behavior.md).
const ecsRequesterID = "amazon-ecs"

// ECS agent facts for registered container instances.
const (
	agentVersion = "1.89.1"
	// registeredMemoryPercent is the share of an instance type's nominal
	// memory the agent reports (it reads MemTotal, which the kernel and
	// firmware shrink: the ECS guide's m4.large registers 7985 of 8192 MiB).
	registeredMemoryPercent = 97.5
)

// defaultReservedPorts are ECS_RESERVED_PORTS' default.
var defaultReservedPorts = []uint16{22, 2375, 2376, 51678, 51679}

// ecsARN returns arn:PARTITION:ecs:<region>:<account>:<resource>.
func (e *Engine) ecsARN(resource string) string {
	return e.cfg.arn("ecs", resource)
}

var ecsNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

// CreateClusterInput is CreateCluster's input.
type CreateClusterInput struct {
	Name              string
	CapacityProviders []string
	DefaultStrategy   []model.CapacityProviderStrategyItem
	ContainerInsights string
	Tags              model.Tags
	// ExecuteCommand and ServiceConnectNamespace are the cluster's
	// configuration and serviceConnectDefaults.
	ExecuteCommand          *model.ExecuteCommandConfiguration
	ServiceConnectNamespace string
}

// CreateCluster creates a cluster, or returns the active cluster of that
// name unchanged (CreateCluster is idempotent on AWS).
func (e *Engine) CreateCluster(in CreateClusterInput) (*model.Cluster, error) {
	if in.Name == "" {
		in.Name = "default"
	}
	if !ecsNameRE.MatchString(in.Name) {
		return nil, errECSInvalid("Cluster name can only contain letters, numbers, hyphens and underscores, and can have up to 255 characters.")
	}
	if in.ContainerInsights != "" && !validInsights(in.ContainerInsights) {
		return nil, errInvalidSettingValue()
	}
	var out *model.Cluster
	err := e.write(func(t *txn) error {
		arn := t.e.ecsARN("cluster/" + in.Name)
		if c := t.st.Clusters[arn]; c != nil && c.Status == "ACTIVE" {
			out = c
			return nil
		}
		for _, cp := range in.CapacityProviders {
			if err := t.checkCapacityProvider(cp); err != nil {
				return err
			}
		}
		ns, err := t.serviceConnectDefaults(in.ServiceConnectNamespace)
		if err != nil {
			return err
		}
		out = &model.Cluster{ARN: arn, Name: in.Name, Status: "ACTIVE", CapacityProviders: slices.Clone(in.CapacityProviders),
			DefaultStrategy: slices.Clone(in.DefaultStrategy), ContainerInsights: in.ContainerInsights, CreatedAt: t.now, Tags: in.Tags.Clone(),
			ExecuteCommand: in.ExecuteCommand, ServiceConnectNamespace: ns}
		put(t, model.KindCluster, t.st.Clusters, arn, out)
		return nil
	})
	return out, err
}

// clusterARN turns a cluster name or ARN into an ARN ("" is "default").
func (e *Engine) clusterARN(ref string) string {
	if ref == "" {
		ref = "default"
	}
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	return e.ecsARN("cluster/" + ref)
}

// ClusterARN resolves a cluster name or ARN.
func (e *Engine) ClusterARN(ref string) string { return e.clusterARN(ref) }

func (t *txn) cluster(ref string) (*model.Cluster, error) {
	c := t.st.Clusters[t.e.clusterARN(ref)]
	if c == nil || c.Status != "ACTIVE" {
		return nil, errClusterNotFound()
	}
	return c, nil
}

// DeleteCluster marks a cluster INACTIVE. It must have no active services,
// no registered container instances and no running tasks.
func (e *Engine) DeleteCluster(ref string) (*model.Cluster, error) {
	var out *model.Cluster
	err := e.write(func(t *txn) error {
		c, err := t.cluster(ref)
		if err != nil {
			return err
		}
		for _, s := range t.st.Services {
			if s.ClusterARN == c.ARN && s.Status != "INACTIVE" {
				return apierr.New("ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.")
			}
		}
		if t.e.idx.clusterCIs[c.ARN] > 0 {
			return apierr.New("ClusterContainsContainerInstancesException", "The Cluster cannot be deleted while Container Instances are active or draining.")
		}
		if t.e.idx.clusterTasks[c.ARN] > 0 {
			return apierr.New("ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.")
		}
		nc := *c
		nc.Status = "INACTIVE"
		put(t, model.KindCluster, t.st.Clusters, c.ARN, &nc)
		out = &nc
		return nil
	})
	return out, err
}

// Account settings ECS accepts (botocore SettingName).
var settingNames = []string{
	"serviceLongArnFormat", "taskLongArnFormat", "containerInstanceLongArnFormat", "awsvpcTrunking",
	"containerInsights", "fargateFIPSMode", "tagResourceAuthorization", "fargateTaskRetirementWaitPeriod",
	"guardDutyActivate", "defaultLogDriverMode", "fargateEventWindows", "dualStackIPv6",
}

// errInvalidSettingValue is ECS's answer to a setting value outside the
// setting's values (PutAccountSetting "ENABLED" for "enabled"; a
// containerInsights value misspelt).
func errInvalidSettingValue() error { return errECSInvalid("Invalid setting 'value'") }

// validInsights tells a containerInsights value ECS takes.
func validInsights(v string) bool { return v == "enabled" || v == "disabled" || v == "enhanced" }

// defaultSetting is the value of a setting nobody has set.
func defaultSetting(name string) string {
	switch name {
	case "serviceLongArnFormat", "taskLongArnFormat", "containerInstanceLongArnFormat", "dualStackIPv6":
		return "enabled"
	case "fargateTaskRetirementWaitPeriod":
		return "7"
	case "defaultLogDriverMode":
		return "blocking"
	case "tagResourceAuthorization":
		return "on"
	}
	return "disabled"
}

// PutAccountSetting sets an ECS account setting. principal "" sets the
// account default (what the root user's setting does on AWS).
func (e *Engine) PutAccountSetting(name, value, principal string) (*model.AccountSetting, error) {
	if !slices.Contains(settingNames, name) {
		return nil, errECSInvalid("%s should be one of [%s]", name, strings.Join(settingNames, ","))
	}
	if value == "" {
		return nil, errECSInvalid("value cannot be empty.")
	}
	switch name {
	case "serviceLongArnFormat", "taskLongArnFormat", "containerInstanceLongArnFormat":
		if value != "enabled" && value != "disabled" {
			return nil, errInvalidSettingValue()
		}
		// Since April 2021 every account uses the long ARN format and can
		// no longer opt out (ecsnet models a current account).
		if value == "disabled" {
			return nil, errECSInvalid("You can no longer disable Long Arn settings")
		}
	case "awsvpcTrunking", "dualStackIPv6":
		if value != "enabled" && value != "disabled" {
			return nil, errInvalidSettingValue()
		}
	case "containerInsights":
		if !validInsights(value) {
			return nil, errInvalidSettingValue()
		}
	}
	var out *model.AccountSetting
	err := e.write(func(t *txn) error {
		out = &model.AccountSetting{Name: name, Value: value, PrincipalARN: principal}
		put(t, model.KindAccountSetting, t.st.AccountSettings, out.Key(), out)
		return nil
	})
	return out, err
}

// AccountSetting returns the effective value of a setting for principal
// (its own setting, else the account default, else ECS's default).
func AccountSetting(st *model.State, name, principal string) string {
	if principal != "" {
		if s := st.AccountSettings[name+"|"+principal]; s != nil {
			return s.Value
		}
	}
	if s := st.AccountSettings[name]; s != nil {
		return s.Value
	}
	return defaultSetting(name)
}

// instanceRoleARN is the ARN of the role of inst's instance profile, the
// principal its agent registers as (its account settings are the role's
// own, else the account default; docs/aws-behavior.md); "" when the
// instance has no profile, or the account's IAM does not hold it.
func (t *txn) instanceRoleARN(inst *model.Instance) string {
	if inst.IAMProfile == "" {
		return ""
	}
	name := inst.IAMProfile[strings.LastIndexByte(inst.IAMProfile, '/')+1:]
	var arn string
	t.e.readIAM(t.st, func(st *model.State, _ bool) {
		if p := st.InstanceProfiles[name]; p != nil && len(p.Roles) > 0 {
			if r := st.Roles[p.Roles[0]]; r != nil {
				arn = t.e.RoleARN(r)
			}
		}
	})
	return arn
}

// SettingNames returns the account setting names ECS knows.
func SettingNames() []string { return slices.Clone(settingNames) }

// registeredMemory returns the MEMORY an instance type registers.
func registeredMemory(it model.InstanceType) int {
	return int(float64(it.MemoryMiB) * registeredMemoryPercent / 100)
}

// RegisterContainerInstanceInput is RegisterContainerInstance's input.
type RegisterContainerInstanceInput struct {
	Cluster    string
	InstanceID model.InstanceID
	// CPU and MemoryMiB override what the instance type registers.
	CPU, MemoryMiB int
	Attributes     []model.Attribute
	Tags           model.Tags
	// trunk attaches a trunk ENI whatever the account's awsvpcTrunking
	// (ECS Managed Instances: "every Amazon ECS Managed Instances instance
	// has a trunk Elastic Network Interface (ENI) attached during launch"
	// when its type supports trunking).
	trunk bool
}

// RegisterContainerInstance registers an EC2 instance with a cluster, as
// the ECS agent does when it starts. Instances whose user data sets
// ECS_CLUSTER register by themselves when they start running.
func (e *Engine) RegisterContainerInstance(in RegisterContainerInstanceInput) (*model.ContainerInstance, error) {
	var out *model.ContainerInstance
	err := e.write(func(t *txn) error {
		c, err := t.cluster(in.Cluster)
		if err != nil {
			return err
		}
		inst, err := t.instance(in.InstanceID)
		if err != nil {
			return err
		}
		switch inst.State {
		case model.InstanceRunning:
		case model.InstancePending:
			// Only an agent on a booted instance can call: the call is the
			// instance's first sign of life, ahead of the next Step.
			ni := *inst
			ni.State = model.InstanceRunning
			put(t, model.KindInstance, t.st.Instances, ni.ID, &ni)
			inst = &ni
		default:
			return errECSInvalid("The instance %s is not running.", inst.ID)
		}
		out = t.registerContainerInstance(c, inst, in)
		return nil
	})
	return out, err
}

// registerContainerInstance registers inst with c (or returns its current
// registration). With awsvpcTrunking on and a type that supports it, ECS
// attaches a trunk ENI and the instance stays REGISTERING until Step.
func (t *txn) registerContainerInstance(c *model.Cluster, inst *model.Instance, in RegisterContainerInstanceInput) *model.ContainerInstance {
	if live := t.e.idx.instanceCIs[inst.ID]; len(live) > 0 {
		return t.st.ContainerInstances[slices.Min(slices.Collect(maps.Keys(live)))]
	}
	it, _ := model.LookupInstanceType(inst.Type)
	ci := &model.ContainerInstance{
		ARN:              t.e.ecsARN("container-instance/" + c.Name + "/" + t.e.ids.Hex(32)),
		ClusterARN:       c.ARN,
		EC2InstanceID:    inst.ID,
		Status:           "ACTIVE",
		AgentConnected:   true,
		AgentVersion:     agentVersion,
		CPU:              it.VCPUs * 1024,
		MemoryMiB:        registeredMemory(it),
		ReservedPorts:    slices.Clone(defaultReservedPorts),
		AvailabilityZone: inst.AvailabilityZone,
		InstanceType:     inst.Type,
		Version:          1,
		RegisteredAt:     t.now,
		Tags:             in.Tags.Clone(),
	}
	if in.CPU > 0 {
		ci.CPU = in.CPU
	}
	if in.MemoryMiB > 0 {
		ci.MemoryMiB = in.MemoryMiB
	}
	osType, osFamily := "linux", "LINUX"
	if im, _ := t.launchableImage(inst.ImageID); im != nil && im.Platform == "windows" {
		osType, osFamily = "windows", windowsOSFamily(im.Name)
	}
	ci.Attributes = []model.Attribute{
		{Name: "ecs.availability-zone", Value: inst.AvailabilityZone},
		{Name: "ecs.cpu-architecture", Value: model.InstanceArchitecture(inst.Type)},
		{Name: "ecs.os-type", Value: osType},
		{Name: "ecs.os-family", Value: osFamily},
		{Name: "ecs.ami-id", Value: inst.ImageID},
		{Name: "ecs.instance-type", Value: inst.Type},
		{Name: "ecs.vpc-id", Value: string(inst.VpcID)},
		{Name: "ecs.subnet-id", Value: string(inst.SubnetID)},
		{Name: "com.amazonaws.ecs.capability.docker-remote-api.1.44"},
	}
	// The agent registers the capabilities of its release: the AMI's
	// (agentVersion), or the one the user data pins on an AMI of its own.
	if v := model.PinnedAgentVersion(inst.UserData); v != "" {
		ci.AgentVersion = v
	}
	ci.Attributes = append(ci.Attributes, agentCapabilityAttributes(ci.AgentVersion, inst.UserData)...)
	ci.Attributes = append(ci.Attributes, in.Attributes...)
	if inst.AutoScalingGroup != "" {
		for _, cp := range t.st.CapacityProviders {
			if asg := t.st.AutoScalingGroups[inst.AutoScalingGroup]; asg != nil && cp.AutoScalingGroupARN == asg.ARN && cp.Usable() {
				ci.CapacityProvider = cp.Name
			}
		}
	}
	if (in.trunk || AccountSetting(t.st, "awsvpcTrunking", t.instanceRoleARN(inst)) == "enabled") && it.TrunkTasks > 0 {
		enis := t.instanceENIs(inst.ID)
		if len(enis) >= it.MaxENIs {
			ci.Status = "REGISTRATION_FAILED"
			ci.StatusReason = "Unable to attach trunk interface: the instance has no free network interface slot."
		} else if trunk, err := t.newENI(eniSpec{
			subnet: t.st.Subnets[inst.SubnetID], description: t.e.ecsARN("attachment/" + t.uuid()),
			groups: t.st.NetworkInterfaces[inst.PrimaryENI].SecurityGroups, typ: model.InterfaceTrunk,
			ownerKind: model.OwnedByECSTrunk, managedBy: ci.ARN, requester: ecsRequesterID,
			attachment: &model.ENIAttachment{ID: model.ENIAttachmentID(t.newID("eni-attach")), InstanceID: inst.ID,
				InstanceOwnerID: t.e.cfg.Account, DeviceIndex: freeDeviceIndex(enis), Status: "attached", AttachedAt: t.now},
		}); err != nil {
			ci.Status = "REGISTRATION_FAILED"
			ci.StatusReason = apierr.As(err).Message
		} else {
			ci.Status = "REGISTERING"
			ci.TrunkingEnabled = true
			ci.Attributes = append(ci.Attributes,
				model.Attribute{Name: "ecs.awsvpc-trunk-id", Value: string(trunk.ID)},
				model.Attribute{Name: "ecs.capability.task-eni-trunking"})
			ni := *inst
			ni.TrunkENI = trunk.ID
			put(t, model.KindInstance, t.st.Instances, ni.ID, &ni)
		}
	}
	put(t, model.KindContainerInstance, t.st.ContainerInstances, ci.ARN, ci)
	return ci
}

func (t *txn) containerInstance(cluster *model.Cluster, ref string) (*model.ContainerInstance, error) {
	arn := ref
	if !strings.HasPrefix(ref, "arn:") {
		arn = t.e.ecsARN("container-instance/" + cluster.Name + "/" + ref)
	}
	ci := t.st.ContainerInstances[arn]
	if ci == nil || ci.ClusterARN != cluster.ARN {
		return nil, errECSInvalid("The referenced container instance %s was not found.", ref)
	}
	return ci, nil
}

// DeregisterContainerInstance removes an instance from its cluster. With
// tasks still running it needs force; the tasks are then stopped. It
// returns the instance as the API answers it (AgentConnected as before).
func (e *Engine) DeregisterContainerInstance(cluster, ref string, force bool) (*model.ContainerInstance, error) {
	var out *model.ContainerInstance
	err := e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		ci, err := t.containerInstance(c, ref)
		if err != nil {
			return err
		}
		if len(t.hostTasks(ci.ARN)) > 0 && !force {
			return errECSInvalid("Found running tasks on the instance.")
		}
		// The answer shows the agent connected as it was when the call
		// came: it learns of the deregistration afterwards
		// (awscli/examples/ecs/deregister-container-instance.rst).
		answer := *t.deregisterContainerInstance(ci, "Instance deregistered")
		answer.AgentConnected = ci.AgentConnected
		out = &answer
		return nil
	})
	return out, err
}

func (t *txn) deregisterContainerInstance(ci *model.ContainerInstance, reason string) *model.ContainerInstance {
	for _, tk := range t.hostTasks(ci.ARN) {
		t.stopTask(tk, "TaskFailedToStart", reason, true)
	}
	if inst := t.st.Instances[ci.EC2InstanceID]; inst != nil && inst.TrunkENI != "" {
		t.deleteENI(inst.TrunkENI)
		ni := *inst
		ni.TrunkENI = ""
		put(t, model.KindInstance, t.st.Instances, ni.ID, &ni)
	}
	nc := *ci
	nc.Status, nc.AgentConnected = "INACTIVE", false
	nc.Version++
	put(t, model.KindContainerInstance, t.st.ContainerInstances, nc.ARN, &nc)
	return &nc
}

// instanceGone deregisters the container instance of a terminated instance.
func (t *txn) instanceGone(id model.InstanceID) {
	for _, ci := range sortedValues(t.st.ContainerInstances) {
		if ci.EC2InstanceID == id && ci.Status != "INACTIVE" {
			t.deregisterContainerInstance(ci, "Host EC2 (instance "+string(id)+") terminated.")
		}
	}
}

// Resources is what a container instance has left (or has in use).
type Resources struct {
	CPU, MemoryMiB int
	TCPPorts       []uint16 // reserved, then tasks' static host ports
	UDPPorts       []uint16
	// TaskENIs is the number of awsvpc task ENIs (or branch ENIs) in use.
	TaskENIs int
}

// Remaining returns a container instance's remaining resources, as
// DescribeContainerInstances reports them.
func Remaining(st *model.State, ci *model.ContainerInstance) Resources {
	var tasks []*model.Task
	for _, tk := range st.Tasks {
		if tk.ContainerInstanceARN == ci.ARN {
			tasks = append(tasks, tk)
		}
	}
	return remaining(st, ci, tasks)
}

// remaining subtracts what tasks (those placed on ci) hold from ci's
// registered resources. Ports are the agent's reserved ports (in their
// registered order) followed by the static host ports of the tasks'
// port mappings, sorted: ECS lists "the ports that were reserved by the
// Amazon ECS container agent … and any task containers that have reserved
// port mappings on the host"; ports Docker assigns dynamically (bridge,
// hostPort 0) are not reserved and are not listed.
func remaining(st *model.State, ci *model.ContainerInstance, tasks []*model.Task) Resources {
	r := Resources{CPU: ci.CPU, MemoryMiB: ci.MemoryMiB}
	var tcp, udp []uint16
	for _, tk := range tasks {
		if !tk.Active() {
			continue
		}
		td := st.TaskDefinitions[tk.TaskDefinitionARN]
		cpu, mem := taskCPUMem(td, tk)
		r.CPU -= cpu
		r.MemoryMiB -= mem
		if tk.ENI() != "" {
			r.TaskENIs++
		}
		for _, c := range tk.Containers {
			for _, b := range c.NetworkBindings {
				if !staticHostPort(td, c.Name, b) {
					continue
				}
				if b.Protocol == model.UDP {
					udp = append(udp, b.HostPort)
				} else {
					tcp = append(tcp, b.HostPort)
				}
			}
		}
	}
	r.TCPPorts = appendPorts(slices.Clone(ci.ReservedPorts), tcp)
	r.UDPPorts = appendPorts(slices.Clone(ci.ReservedUDPPorts), udp)
	return r
}

// appendPorts appends the sorted ports of more that are not in dst yet.
func appendPorts(dst, more []uint16) []uint16 {
	slices.Sort(more)
	for _, p := range slices.Compact(more) {
		if !slices.Contains(dst, p) {
			dst = append(dst, p)
		}
	}
	return dst
}

// staticHostPort reports whether binding b of container name comes from a
// port mapping with a fixed host port (host mode, or a hostPort in the
// task definition) rather than one Docker assigned dynamically.
func staticHostPort(td *model.TaskDefinition, name string, b model.NetworkBinding) bool {
	if td == nil || td.NetworkMode == model.NetworkModeHost {
		return true
	}
	if b.IsRange() {
		return false // a containerPortRange's host ports are always dynamic
	}
	for _, c := range td.Containers {
		if c.Name != name {
			continue
		}
		for _, pm := range c.PortMappings {
			if pm.ContainerPort == b.ContainerPort && pm.Protocol == b.Protocol {
				return pm.HostPort != 0
			}
		}
	}
	return true
}

// eniCapacity returns how many awsvpc tasks a container instance can
// hold: branch ENIs under trunking, else the type's ENI limit minus the
// ENIs already attached that are not task ENIs (the primary, at least).
func eniCapacity(ci *model.ContainerInstance, attached []*model.NetworkInterface) int {
	it, ok := model.LookupInstanceType(ci.InstanceType)
	if !ok {
		return 0
	}
	if ci.TrunkingEnabled {
		return it.TrunkTasks
	}
	others := 0
	for _, n := range attached {
		if n.OwnerKind != model.OwnedByECSTask {
			others++
		}
	}
	return it.MaxENIs - others
}

// CreateCapacityProviderInput is CreateCapacityProvider's input.
type CreateCapacityProviderInput struct {
	Name                         string
	AutoScalingGroupARN          string
	ManagedScaling               bool
	TargetCapacity               int
	ManagedTerminationProtection bool
	Scaling                      ScalingSteps
	ManagedDraining              string // ENABLED (default) or DISABLED
	Tags                         model.Tags
	// Cluster and ManagedInstances make an ECS Managed Instances provider
	// (AutoScalingGroupARN then empty).
	Cluster          string
	ManagedInstances *model.ManagedInstancesProvider
}

// ScalingSteps are a managed scaling's optional step sizes and warm-up
// period (nil: ECS's default, or unchanged on update).
type ScalingSteps struct {
	Min, Max, Warmup *int
}

// check validates the steps as ECS does: step sizes 1-10,000, warm-up
// 0-10,000 seconds, the minimum not above the maximum.
func (s ScalingSteps) check(target int) error {
	if target != 0 && (target < 1 || target > 100) {
		return errECSInvalid("The managed scaling target capacity must be between 1 and 100. Specify a valid target capacity and try again.") // probable text
	}
	if s.Min != nil && (*s.Min < 1 || *s.Min > 10000) {
		return errECSInvalid("The managed scaling minimum scaling step size must be between 1 and 10000. Specify a valid value and try again.") // probable text
	}
	if s.Max != nil && (*s.Max < 1 || *s.Max > 10000) {
		return errECSInvalid("The managed scaling maximum scaling step size must be between 1 and 10000. Specify a valid value and try again.") // probable text
	}
	if s.Warmup != nil && (*s.Warmup < 0 || *s.Warmup > 10000) {
		return errECSInvalid("The managed scaling instance warmup period must be between 0 and 10000. Specify a valid value and try again.") // probable text
	}
	return nil
}

// apply sets the given steps on cp and checks minimum <= maximum.
func (s ScalingSteps) apply(cp *model.CapacityProvider) error {
	if s.Min != nil {
		cp.MinimumScalingStepSize = *s.Min
	}
	if s.Max != nil {
		cp.MaximumScalingStepSize = *s.Max
	}
	if s.Warmup != nil {
		cp.InstanceWarmupPeriod = *s.Warmup
	}
	if cp.MinimumScalingStepSize > cp.MaximumScalingStepSize {
		return errECSInvalid("The managed scaling minimum scaling step size must be less than or equal to the maximum scaling step size. Specify valid values and try again.") // probable text
	}
	return nil
}

func checkManagedDraining(v string) error {
	if v != "" && v != "ENABLED" && v != "DISABLED" {
		return errECSInvalid("managedDraining should be one of [ENABLED,DISABLED]") // probable
	}
	return nil
}

// CreateCapacityProvider ties an Auto Scaling group to ECS.
func (e *Engine) CreateCapacityProvider(in CreateCapacityProviderInput) (*model.CapacityProvider, error) {
	if err := in.Scaling.check(in.TargetCapacity); err != nil {
		return nil, err
	}
	if err := checkManagedDraining(in.ManagedDraining); err != nil {
		return nil, err
	}
	low := strings.ToLower(in.Name)
	if !ecsNameRE.MatchString(in.Name) || strings.HasPrefix(low, "aws") || strings.HasPrefix(low, "ecs") || strings.HasPrefix(low, "fargate") {
		return nil, errECSClient("The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with \"aws\", \"ecs\", or \"fargate\". Specify a valid name and try again.")
	}
	var out *model.CapacityProvider
	err := e.write(func(t *txn) error {
		arn := t.e.ecsARN("capacity-provider/" + in.Name)
		if cp := t.st.CapacityProviders[arn]; cp != nil && cp.Status == "ACTIVE" {
			return errECSClient("The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.")
		}
		if in.ManagedInstances != nil {
			c, err := t.checkManagedInstances(in.Cluster, in.ManagedInstances)
			if err != nil {
				return err
			}
			out = &model.CapacityProvider{ARN: arn, Name: in.Name, Status: "ACTIVE", ClusterARN: c.ARN, Tags: in.Tags.Clone()}
			mi := *in.ManagedInstances
			mi.Subnets, mi.SecurityGroups = slices.Clone(mi.Subnets), slices.Clone(mi.SecurityGroups)
			mi.AllowedInstanceTypes = slices.Clone(mi.AllowedInstanceTypes)
			out.ManagedInstances = &mi
			put(t, model.KindCapacityProvider, t.st.CapacityProviders, arn, out)
			return nil
		}
		var asg *model.AutoScalingGroup
		for _, g := range t.st.AutoScalingGroups {
			if g.ARN == in.AutoScalingGroupARN || g.Name == in.AutoScalingGroupARN {
				asg = g
			}
		}
		if asg == nil {
			return errECSClient("The specified Auto Scaling group ARN is invalid. Specify a valid Auto Scaling group ARN and try again.")
		}
		for _, cp := range t.st.CapacityProviders {
			if cp.AutoScalingGroupARN == asg.ARN && cp.Status == "ACTIVE" {
				return errECSClient("The specified Auto Scaling group ARN is already being used by another capacity provider. Specify a unique Auto Scaling group ARN and try again.")
			}
		}
		if in.ManagedTerminationProtection && !asg.NewInstancesProtected {
			return errECSClient("The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.")
		}
		target := in.TargetCapacity
		if target == 0 {
			target = 100
		}
		out = model.NewCapacityProvider(arn, in.Name)
		out.AutoScalingGroupARN, out.ManagedScaling, out.TargetCapacity = asg.ARN, in.ManagedScaling, target
		out.ManagedTerminationProtection, out.ManagedDrainingDisabled = in.ManagedTerminationProtection, in.ManagedDraining == "DISABLED"
		out.Tags = in.Tags.Clone()
		if err := in.Scaling.apply(out); err != nil {
			return err
		}
		put(t, model.KindCapacityProvider, t.st.CapacityProviders, arn, out)
		// ECS tags the group it manages AmazonECSManaged (propagated to
		// the instances it launches), unless the group has the tag already.
		if !slices.ContainsFunc(asg.Tags, func(tg model.ASGTag) bool { return tg.Key == ecsManagedTag }) {
			g := cloneASG(asg)
			g.Tags = append(g.Tags, model.ASGTag{Key: ecsManagedTag, PropagateAtLaunch: true})
			put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, g.Name, g)
		}
		for _, ci := range t.st.ContainerInstances {
			if inst := t.st.Instances[ci.EC2InstanceID]; inst != nil && inst.AutoScalingGroup == asg.Name && ci.CapacityProvider == "" {
				nci := *ci
				nci.CapacityProvider = in.Name
				put(t, model.KindContainerInstance, t.st.ContainerInstances, nci.ARN, &nci)
			}
		}
		return nil
	})
	return out, err
}

// ecsManagedTag is the tag ECS puts on an Auto Scaling group when a
// capacity provider is created for it ("Associating an ECS Capacity
// Provider to an Auto Scaling Group will automatically add the
// AmazonECSManaged tag", Terraform's aws_ecs_capacity_provider); its value
// is empty ([choice]).
const ecsManagedTag = "AmazonECSManaged"

func (t *txn) checkCapacityProvider(name string) error {
	if name == "FARGATE" || name == "FARGATE_SPOT" {
		return nil
	}
	if cp := t.st.CapacityProviders[t.e.ecsARN("capacity-provider/"+name)]; cp != nil && cp.Usable() {
		return nil
	}
	if cp := t.st.CapacityProviders[name]; cp != nil && cp.Usable() {
		return nil
	}
	return errECSInvalid("The specified capacity provider was not found. Specify a valid capacity provider and try again.")
}

// capacityProvider returns a provider by name; FARGATE and FARGATE_SPOT are
// built in.
func (t *txn) capacityProvider(name string) *model.CapacityProvider {
	if name == "FARGATE" || name == "FARGATE_SPOT" {
		return &model.CapacityProvider{Name: name, ARN: t.e.ecsARN("capacity-provider/" + name), Status: "ACTIVE"}
	}
	if strings.HasPrefix(name, "arn:") {
		return t.st.CapacityProviders[name]
	}
	return t.st.CapacityProviders[t.e.ecsARN("capacity-provider/"+name)]
}

// UpdateCapacityProviderInput is UpdateCapacityProvider's input: nil
// fields stay as they are.
type UpdateCapacityProviderInput struct {
	Name                         string
	ManagedScaling               *bool
	TargetCapacity               *int
	Scaling                      ScalingSteps
	ManagedTerminationProtection *bool
	ManagedDraining              string
	// Cluster and ManagedInstances update an ECS Managed Instances
	// provider: the new configuration replaces the old (new instances use
	// it, running ones keep theirs).
	Cluster          string
	ManagedInstances *model.ManagedInstancesProvider
}

// UpdateCapacityProvider changes an Auto Scaling group capacity provider's
// managed scaling, managed termination protection and managed draining.
// ECS applies the change asynchronously; ecsnet applies it at once and
// reports updateStatus UPDATE_COMPLETE, the state ECS ends in.
func (e *Engine) UpdateCapacityProvider(in UpdateCapacityProviderInput) (*model.CapacityProvider, error) {
	target := 0
	if in.TargetCapacity != nil {
		target = *in.TargetCapacity
		if target == 0 {
			target = -1
		}
	}
	if err := in.Scaling.check(target); err != nil {
		return nil, err
	}
	if err := checkManagedDraining(in.ManagedDraining); err != nil {
		return nil, err
	}
	var out *model.CapacityProvider
	err := e.write(func(t *txn) error {
		cp := t.capacityProvider(in.Name)
		if cp != nil && cp.IsFargate() {
			return errECSClient("The specified capacity provider is reserved and cannot be updated.") // probable
		}
		if cp == nil || !cp.Usable() {
			return errECSClient("The specified capacity provider does not exist. Specify a valid name or ARN and try again.")
		}
		if (cp.ManagedInstances != nil) != (in.ManagedInstances != nil) {
			if cp.ManagedInstances != nil {
				return errECSInvalid("managedInstancesProvider must be provided to update an Amazon ECS Managed Instances capacity provider.") // probable
			}
			return errECSInvalid("autoScalingGroupProvider must be provided.") // probable
		}
		n := *cp
		if in.ManagedInstances != nil {
			if in.Cluster != "" && t.e.clusterARN(in.Cluster) != cp.ClusterARN {
				return errECSClient("The specified capacity provider does not exist. Specify a valid name or ARN and try again.")
			}
			if _, err := t.checkManagedInstances(cp.ClusterARN, in.ManagedInstances); err != nil {
				return err
			}
			mi := *in.ManagedInstances
			mi.Subnets, mi.SecurityGroups = slices.Clone(mi.Subnets), slices.Clone(mi.SecurityGroups)
			mi.AllowedInstanceTypes = slices.Clone(mi.AllowedInstanceTypes)
			n.ManagedInstances = &mi
		}
		if in.ManagedScaling != nil {
			n.ManagedScaling = *in.ManagedScaling
		}
		if in.TargetCapacity != nil {
			n.TargetCapacity = *in.TargetCapacity
		}
		if err := in.Scaling.apply(&n); err != nil {
			return err
		}
		if in.ManagedTerminationProtection != nil {
			if *in.ManagedTerminationProtection {
				if asg := t.asgByARN(n.AutoScalingGroupARN); asg != nil && !asg.NewInstancesProtected {
					return errECSClient("The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.")
				}
			}
			n.ManagedTerminationProtection = *in.ManagedTerminationProtection
		}
		if in.ManagedDraining != "" {
			n.ManagedDrainingDisabled = in.ManagedDraining == "DISABLED"
		}
		n.UpdateStatus = "UPDATE_COMPLETE"
		put(t, model.KindCapacityProvider, t.st.CapacityProviders, n.ARN, &n)
		out = &n
		return nil
	})
	return out, err
}

func (t *txn) asgByARN(arn string) *model.AutoScalingGroup {
	for _, g := range t.st.AutoScalingGroups {
		if g.ARN == arn {
			return g
		}
	}
	return nil
}

// DeleteCapacityProvider deletes an Auto Scaling group capacity provider
// that no cluster lists and no service's strategy uses. As ECS does, it
// answers the provider still ACTIVE with updateStatus DELETE_IN_PROGRESS;
// the step completes the deletion (finishCapacityProviderDeletions). While
// it is in progress the provider can be neither used, updated nor deleted
// again, and its name and Auto Scaling group stay taken.
func (e *Engine) DeleteCapacityProvider(name string) (*model.CapacityProvider, error) {
	var out *model.CapacityProvider
	err := e.write(func(t *txn) error {
		cp := t.capacityProvider(name)
		if cp != nil && cp.IsFargate() {
			return errECSClient("The specified capacity provider is reserved and cannot be deleted.") // probable
		}
		if cp == nil || !cp.Usable() {
			return errECSClient("The specified capacity provider does not exist. Specify a valid name or ARN and try again.")
		}
		for _, c := range t.st.Clusters {
			if c.Status == "ACTIVE" && slices.Contains(c.CapacityProviders, cp.Name) && cp.ManagedInstances == nil {
				return errECSClient("The specified capacity provider is in use and cannot be removed.") // probable: ECS asks to disassociate it from the cluster first
			}
		}
		for _, s := range t.st.Services {
			if s.Status != "INACTIVE" && slices.ContainsFunc(s.CapacityProviders, func(i model.CapacityProviderStrategyItem) bool { return i.CapacityProvider == cp.Name }) {
				return errECSClient("The specified capacity provider is in use and cannot be removed.") // probable
			}
		}
		n := *cp
		n.UpdateStatus = "DELETE_IN_PROGRESS"
		put(t, model.KindCapacityProvider, t.st.CapacityProviders, n.ARN, &n)
		out = &n
		return nil
	})
	return out, err
}

// finishCapacityProviderDeletions completes DeleteCapacityProvider: the
// provider turns INACTIVE (updateStatus DELETE_COMPLETE), still
// describable, and its Auto Scaling group's container instances lose it.
func (t *txn) finishCapacityProviderDeletions() {
	var deleting []string
	for arn, cp := range t.st.CapacityProviders {
		if cp.UpdateStatus == "DELETE_IN_PROGRESS" {
			deleting = append(deleting, arn)
		}
	}
	slices.Sort(deleting)
	for _, arn := range deleting {
		cp := t.st.CapacityProviders[arn]
		n := *cp
		n.Status, n.UpdateStatus = "INACTIVE", "DELETE_COMPLETE"
		put(t, model.KindCapacityProvider, t.st.CapacityProviders, n.ARN, &n)
		if cp.ManagedInstances != nil {
			// ECS terminates the instances it launched for the provider,
			// and its cluster no longer lists it ([choice]).
			for _, ci := range sortedValues(t.st.ContainerInstances) {
				if ci.CapacityProvider == cp.Name && ci.Status != "INACTIVE" && t.st.Instances[ci.EC2InstanceID] != nil {
					t.terminate(ci.EC2InstanceID, "")
				}
			}
			if c := t.st.Clusters[cp.ClusterARN]; c != nil && slices.Contains(c.CapacityProviders, cp.Name) {
				nc := *c
				nc.CapacityProviders = slices.DeleteFunc(slices.Clone(c.CapacityProviders), func(n string) bool { return n == cp.Name })
				nc.DefaultStrategy = slices.DeleteFunc(slices.Clone(c.DefaultStrategy), func(i model.CapacityProviderStrategyItem) bool { return i.CapacityProvider == cp.Name })
				put(t, model.KindCluster, t.st.Clusters, nc.ARN, &nc)
			}
			continue
		}
		for _, ci := range t.st.ContainerInstances {
			if ci.CapacityProvider == cp.Name {
				nci := *ci
				nci.CapacityProvider = ""
				put(t, model.KindContainerInstance, t.st.ContainerInstances, nci.ARN, &nci)
			}
		}
	}
}

// PutClusterCapacityProviders sets a cluster's capacity providers and
// default strategy.
func (e *Engine) PutClusterCapacityProviders(cluster string, providers []string, strategy []model.CapacityProviderStrategyItem) (*model.Cluster, error) {
	var out *model.Cluster
	err := e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		for _, p := range providers {
			if err := t.checkCapacityProvider(p); err != nil {
				return err
			}
			// A Managed Instances provider "becomes available only within
			// the specified cluster" (CreateCapacityProvider's cluster).
			if cp := t.capacityProvider(p); cp != nil && cp.ClusterARN != "" && cp.ClusterARN != c.ARN {
				return errECSInvalid("The specified capacity provider was not found. Specify a valid capacity provider and try again.")
			}
		}
		for _, s := range strategy {
			if !slices.Contains(providers, s.CapacityProvider) {
				return errECSInvalid("The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.")
			}
		}
		for _, old := range c.CapacityProviders {
			if slices.Contains(providers, old) {
				continue
			}
			for _, s := range t.st.Services {
				if s.ClusterARN == c.ARN && s.Status == "ACTIVE" && slices.ContainsFunc(s.CapacityProviders, func(i model.CapacityProviderStrategyItem) bool { return i.CapacityProvider == old }) {
					return apierr.New("ResourceInUseException", "The specified capacity provider is in use and cannot be removed.")
				}
			}
		}
		nc := *c
		nc.CapacityProviders, nc.DefaultStrategy = slices.Clone(providers), slices.Clone(strategy)
		put(t, model.KindCluster, t.st.Clusters, nc.ARN, &nc)
		out = &nc
		return nil
	})
	return out, err
}

// itoa is strconv.Itoa, short for the many ARNs and messages built here.
func itoa(n int) string { return strconv.Itoa(n) }

// windowsOSFamily is the ecs.os-family attribute the agent of a Windows
// AMI reports, read from the image's name
// ("Windows_Server-2019-English-Core-ECS_Optimized-…" is
// WINDOWS_SERVER_2019_CORE; ECS Developer Guide, "Amazon ECS task
// definition parameters", operatingSystemFamily's values); a name that
// says neither release nor edition is taken as 2022 Full ([choice]).
func windowsOSFamily(imageName string) string {
	release, edition := "2022", "FULL"
	for _, r := range []string{"2016", "2019", "2022", "2025", "2004", "20H2"} {
		if strings.Contains(imageName, "-"+r+"-") {
			release = r
		}
	}
	if strings.Contains(imageName, "-Core-") {
		edition = "CORE"
	}
	return "WINDOWS_SERVER_" + release + "_" + edition
}

// agentCapabilityAttributes are the capability attributes an ECS agent of
// a release registers (model.AgentCapabilities). ecs-init starts the agent
// with task IAM roles on in every network mode; ecs.config (the user data)
// may turn them off.
func agentCapabilityAttributes(version, userData string) []model.Attribute {
	var out []model.Attribute
	for _, name := range model.AgentCapabilities(version) {
		switch {
		case name == model.AttrTaskIAMRole && model.AgentCapabilityOff(userData, "ECS_ENABLE_TASK_IAM_ROLE"),
			name == model.AttrTaskIAMRoleNetworkHost && model.AgentCapabilityOff(userData, "ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST"):
			continue
		}
		out = append(out, model.Attribute{Name: name})
	}
	return out
}
