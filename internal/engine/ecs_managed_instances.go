package engine

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS Managed Instances: a capacity provider with a managedInstancesProvider
// belongs to one cluster; ECS launches EC2 instances itself, in the
// provider's subnets and security groups with its instance profile,
// registers them as container instances of the cluster and places tasks
// on them. An awsvpc task gets its own ENI (a branch of the instance's
// trunk), with a private address only: the instance's public IP, which
// the subnet may give it, is not the task's ("Allocate a network interface
// for tasks on Amazon ECS Managed Instances"; docs/aws-behavior.md).

// errMI is ECS's refusal of a malformed managed instances provider.
func errMI(format string, args ...any) error { return errECSInvalid(format, args...) }

// checkManagedInstances validates a managedInstancesProvider against the
// state: the cluster exists, the subnets exist and share one VPC, the
// security groups exist in that VPC.
func (t *txn) checkManagedInstances(clusterRef string, mi *model.ManagedInstancesProvider) (*model.Cluster, error) {
	if clusterRef == "" {
		// "Amazon ECS Managed Instances provider isn't supported without a
		// cluster name" (managed-instances-errors).
		return nil, errMI("Amazon ECS Managed Instances provider is not supported without a cluster name.")
	}
	c, err := t.cluster(clusterRef)
	if err != nil {
		return nil, err
	}
	if mi.InfrastructureRoleARN == "" {
		return nil, errMI("infrastructureRoleArn is required for an Amazon ECS Managed Instances capacity provider.")
	}
	if !t.roleAssumable(mi.InfrastructureRoleARN, ecsPrincipal) {
		// The text ECS gives for an infrastructure role it cannot assume
		// (a service's EBS volume role, hashicorp/terraform-provider-aws
		// #38538); the same check for this one is [choice].
		return nil, errMI("ECS was unable to assume the configured ECS Infrastructure Role '%s'. Please verify that the role being passed has the proper trust relationship with Amazon ECS.", mi.InfrastructureRoleARN)
	}
	if mi.InstanceProfileARN == "" {
		// "Amazon ECS Managed Instances capacity provider must specify an
		// instance profile" (managed-instances-errors).
		return nil, errMI("Amazon ECS Managed Instances capacity provider must specify an instance profile.")
	}
	if len(mi.Subnets) == 0 {
		return nil, errMI("subnets can not be empty.")
	}
	if err := t.checkMINetwork(mi); err != nil {
		return nil, err
	}
	switch mi.PropagateTags {
	case "", "CAPACITY_PROVIDER", "NONE":
	default:
		return nil, errMI("propagateTags should be one of [CAPACITY_PROVIDER,NONE]")
	}
	switch mi.Monitoring {
	case "", "BASIC", "DETAILED":
	default:
		return nil, errMI("monitoring should be one of [BASIC,DETAILED]")
	}
	switch mi.CapacityOptionType {
	case "", "ON_DEMAND", "SPOT", "RESERVED":
	default:
		return nil, errMI("capacityOptionType should be one of [ON_DEMAND,SPOT,RESERVED]")
	}
	for _, it := range mi.AllowedInstanceTypes {
		if _, ok := model.LookupInstanceType(it); !ok && !strings.Contains(it, "*") {
			return nil, errMI("The instance type '%s' in allowedInstanceTypes is not valid.", it)
		}
	}
	if v := mi.ScaleInAfter; v != nil && (*v < -1 || *v > 3600) {
		return nil, errMI("scaleInAfter must be -1 or between 0 and 3600.") // [choice] text
	}
	return c, nil
}

// defaultScaleInAfter is how long a Managed Instances instance may stay
// idle before ECS terminates it when the provider sets no scaleInAfter
// ("null - Uses the default optimization behavior"; the default is not
// published: [choice]).
const defaultScaleInAfter = 300 * time.Second

// scaleInIdleManagedInstances terminates the Managed Instances instances
// that have had no task for their provider's scaleInAfter (-1: never):
// "Idle Instance Detection … removes EC2 instances that have no running
// tasks … marks the container instance as DEREGISTERING, which initiates
// the cleanup sequence that safely terminates the underlying EC2
// instance" (managed-instances-infrastructure-optimization). It records
// when each instance became idle and forgets it when a task comes.
func (t *txn) scaleInIdleManagedInstances() {
	after := map[string]time.Duration{}
	for _, cp := range t.st.CapacityProviders {
		if mi := cp.ManagedInstances; mi != nil && cp.Status == "ACTIVE" {
			d := defaultScaleInAfter
			if mi.ScaleInAfter != nil {
				d = time.Duration(*mi.ScaleInAfter) * time.Second
			}
			after[cp.Name] = d
		}
	}
	if len(after) == 0 {
		return
	}
	// An instance is idle when only daemon tasks are left on it (they run
	// on every instance; [choice]).
	busy := func(ci *model.ContainerInstance) bool {
		u := t.e.idx.hosts[ci.ARN]
		if u == nil {
			return false
		}
		for arn := range u.arns {
			if tk := t.st.Tasks[arn]; tk != nil && !t.isDaemonTask(tk) {
				return true
			}
		}
		return false
	}
	var due []*model.ContainerInstance // idle (or idle no more) instances, by ARN
	for _, ci := range t.st.ContainerInstances {
		if _, ok := after[ci.CapacityProvider]; ok && ci.Status == "ACTIVE" && !(busy(ci) && ci.IdleSince.IsZero()) {
			due = append(due, ci)
		}
	}
	slices.SortFunc(due, func(a, b *model.ContainerInstance) int { return strings.Compare(a.ARN, b.ARN) })
	for _, ci := range due {
		switch d := after[ci.CapacityProvider]; {
		case busy(ci) || ci.IdleSince.IsZero():
			// A task came, or the last one left.
			nc := *ci
			nc.IdleSince = time.Time{}
			if !busy(ci) {
				nc.IdleSince = t.now
			}
			put(t, model.KindContainerInstance, t.st.ContainerInstances, nc.ARN, &nc)
		case d >= 0 && t.due(ci.IdleSince.Add(d)):
			t.deregisterContainerInstance(ci, "Instance deregistered")
			if inst := t.st.Instances[ci.EC2InstanceID]; inst != nil {
				t.terminate(inst.ID, userShutdownReason)
			}
		}
	}
}

// checkMINetwork checks the provider's subnets and groups: all exist, the
// subnets in one VPC ("All subnets must be in the same VPC",
// ManagedInstancesNetworkConfiguration) and the groups in it.
func (t *txn) checkMINetwork(mi *model.ManagedInstancesProvider) error {
	ids := make([]string, len(mi.Subnets))
	for i, s := range mi.Subnets {
		ids[i] = string(s)
	}
	var vpc model.VpcID
	for _, id := range mi.Subnets {
		s := t.st.Subnets[id]
		if s == nil {
			return errSubnetLookup(ids, string(id))
		}
		if vpc != "" && s.VpcID != vpc {
			return errMI("The subnets in the managed instances network configuration must all be in the same VPC.")
		}
		vpc = s.VpcID
	}
	groups := make([]string, len(mi.SecurityGroups))
	for i, g := range mi.SecurityGroups {
		groups[i] = string(g)
	}
	for _, g := range mi.SecurityGroups {
		sg := t.st.SecurityGroups[g]
		if sg == nil {
			return errGroupLookup(groups, string(g))
		}
		if sg.VpcID != vpc {
			return errMI("Security group %s does not appear to belong to the same VPC as the input subnets.", g)
		}
	}
	return nil
}

// miInstanceTypes are the types ecsnet picks from when a provider names
// none ([choice]: ECS picks "the most cost-optimized general-purpose"
// types that fit; ecsnet takes the smallest of these that holds the task).
var miInstanceTypes = []string{"m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge", "m5.8xlarge", "m5.12xlarge", "m5.24xlarge"}

// miInstanceType is the type ECS launches for a task needing cpu units
// and mem MiB: the first allowed (or default) type that holds it and
// meets the provider's vCPU and memory bounds.
func miInstanceType(mi *model.ManagedInstancesProvider, cpu, mem int) (model.InstanceType, bool) {
	names := mi.AllowedInstanceTypes
	if len(names) == 0 || slices.ContainsFunc(names, func(s string) bool { return strings.Contains(s, "*") }) {
		names = miInstanceTypes
	}
	for _, n := range names {
		it, ok := model.LookupInstanceType(n)
		if !ok {
			continue
		}
		if mi.VCPUMin > 0 && it.VCPUs < mi.VCPUMin || mi.VCPUMax > 0 && it.VCPUs > mi.VCPUMax ||
			mi.MemoryMiBMin > 0 && it.MemoryMiB < mi.MemoryMiBMin || mi.MemoryMiBMax > 0 && it.MemoryMiB > mi.MemoryMiBMax {
			continue
		}
		if it.VCPUs*1024 >= cpu && registeredMemory(it) >= mem {
			return it, true
		}
	}
	return model.InstanceType{}, false
}

// launchManagedInstance launches one instance for the Managed Instances
// provider of plan p and registers it with p's cluster (ACTIVE at once,
// its trunk attached when the type supports trunking, as ECS does for
// every managed instance). It returns nil when no subnet of the provider
// is in a zone of the task's subnets (awsvpc) or no type holds the task.
func (t *txn) launchManagedInstance(p *launchPlan, cp *model.CapacityProvider) (*model.ContainerInstance, error) {
	mi := cp.ManagedInstances
	var subnet *model.Subnet
	count := t.miInstancesBySubnet(cp)
	for _, id := range mi.Subnets {
		s := t.st.Subnets[id]
		if s == nil {
			continue
		}
		if len(p.subnets) > 0 && !slices.ContainsFunc(p.subnets, func(ts *model.Subnet) bool { return ts.AvailabilityZone == s.AvailabilityZone }) {
			continue
		}
		// Spread over the subnets: the one with the fewest of the
		// provider's instances.
		if subnet == nil || count[s.ID] < count[subnet.ID] {
			subnet = s
		}
	}
	dcpu, dmem := t.daemonReservation(p.cluster.ARN, cp.Name)
	it, ok := miInstanceType(mi, p.cpu+dcpu, p.mem+dmem)
	if subnet == nil || !ok {
		return nil, nil
	}
	var denied string
	t.e.readIAM(t.st, func(st *model.State, complete bool) {
		denied = model.ManagedInstancesPassRole(st, mi.InfrastructureRoleARN, mi.InstanceProfileARN, t.e.cfg.Region, t.e.cfg.Account, complete)
	})
	if denied != "" {
		return nil, &launchDenied{reason: denied}
	}
	tags := model.Tags{}
	if mi.PropagateTags == "CAPACITY_PROVIDER" {
		// "tags applied to the capacity provider are automatically applied
		// to all instances launched by this provider" (PropagateMITags).
		maps.Copy(tags, cp.Tags)
	}
	monitoring := mi.Monitoring == "DETAILED"
	res, err := t.runInstances(RunInstancesInput{
		ImageID: fakeAMI(t.e.cfg.Region, "al2023-ami-ecs-hvm-2023.0."+publicRelease+"-kernel-6.1-x86_64"), InstanceType: it.Name,
		SubnetID: subnet.ID, SecurityGroupIDs: slices.Clone(mi.SecurityGroups), IAMProfile: mi.InstanceProfileARN,
		Tags: tags, Monitoring: &monitoring,
	})
	if err != nil {
		return nil, err
	}
	inst := res.Instances[0]
	ni := *inst
	ni.State = model.InstanceRunning
	ni.ManagedBy = cp.Name
	put(t, model.KindInstance, t.st.Instances, ni.ID, &ni)
	ci := t.registerContainerInstance(p.cluster, &ni, RegisterContainerInstanceInput{trunk: true})
	nci := *ci
	nci.CapacityProvider = cp.Name
	if nci.Status == "REGISTERING" {
		nci.Status = "ACTIVE"
	}
	put(t, model.KindContainerInstance, t.st.ContainerInstances, nci.ARN, &nci)
	// The daemons' tasks start first ("Amazon ECS starts a daemon task
	// before scheduling other tasks", API_CreateDaemon).
	t.startDaemonTasks(&nci)
	return &nci, nil
}

// launchDenied is an instance launch IAM refused: the task that needed it
// fails to start with reason.
type launchDenied struct{ reason string }

func (d *launchDenied) Error() string { return d.reason }

// failLaunch makes the task a launch refused by IAM was for, and stops it
// at once (TaskFailedToStart), as ECS does with a task whose instance it
// could not launch; a service's deployment counts the failure.
func (t *txn) failLaunch(p *launchPlan, in RunTaskInput, svc *model.Service, d *launchDenied) *model.Task {
	return t.failStart(t.newTask(p, in, svc), d.reason)
}

// failStart stores a new task (not yet stored) in PROVISIONING and stops
// it at once (TaskFailedToStart, reason), as ECS does with a task it
// accepted and could not start; a service's deployment counts the
// failure.
func (t *txn) failStart(tk *model.Task, reason string) *model.Task {
	tk.LastStatus = model.TaskProvisioning
	t.putTask(tk)
	c := t.stopTask(tk, "TaskFailedToStart", reason, false)
	t.deploymentTaskFailed(c)
	t.advanceTask(c)
	if x := t.st.Tasks[c.ARN]; x != nil {
		return x
	}
	return c
}

// miInstancesBySubnet counts the provider's live instances per subnet.
func (t *txn) miInstancesBySubnet(cp *model.CapacityProvider) map[model.SubnetID]int {
	n := map[model.SubnetID]int{}
	for _, ci := range t.st.ContainerInstances {
		if ci.CapacityProvider != cp.Name || ci.Status == "INACTIVE" {
			continue
		}
		if inst := t.st.Instances[ci.EC2InstanceID]; inst != nil {
			n[inst.SubnetID]++
		}
	}
	return n
}
