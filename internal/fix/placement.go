package fix

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A service ECS cannot place all tasks of answers through the tasks it did
// place: the probe reaches, yet the service runs short. Its events say
// why, in ECS's words: "RESOURCE:PORTS" (a static host port already used
// on every instance) or "RESOURCE:ENI" (no free ENI attachment point for
// an awsvpc task). Service event messages, Amazon ECS Developer Guide.

// running counts a service's tasks that are not stopped.
func running(st *model.State, s *model.Service) int {
	n := 0
	for _, tk := range st.Tasks {
		if tk.ServiceName == s.Name && tk.ClusterARN == s.ClusterARN && tk.Active() {
			n++
		}
	}
	return n
}

// shortServices returns the services the probe's result names as running
// short for want of placement (ECS_HOST_PORT_CONFLICT, ECS_ENI_CAPACITY),
// with the code of each.
func (f *finder) shortServices() ([]*model.Service, map[string]string) {
	var out []*model.Service
	codes := map[string]string{}
	for _, x := range f.res.Explanations {
		if (x.Code != reach.CodePortConflict && x.Code != reach.CodeENICapacity && x.Code != reach.CodePlacementZone && x.Code != reach.CodeSubnetNoFreeAddresses) || x.Component == nil {
			continue
		}
		if s := f.st.Services[x.Component.ARN]; s != nil && codes[s.ARN] == "" {
			out = append(out, s)
			codes[s.ARN] = x.Code
		}
	}
	return out, codes
}

// placementFixes proposes, for each short service, changes after which
// ECS places every task: dynamic host ports for a static port conflict,
// and more container instances in the cluster's Auto Scaling group.
func (f *finder) placementFixes(svcs []*model.Service, codes map[string]string) []Fix {
	var out []Fix
	for _, s := range svcs {
		if codes[s.ARN] == reach.CodePortConflict {
			if fx, ok := f.dynamicPorts(s); ok {
				out = append(out, fx)
			}
		}
		if codes[s.ARN] == reach.CodePlacementZone {
			if fx, ok := f.zoneSubnets(s); ok {
				out = append(out, fx)
			}
			continue // more instances of the same zones never help
		}
		if codes[s.ARN] == reach.CodeSubnetNoFreeAddresses {
			if fx, ok := f.roomierSubnets(s); ok {
				out = append(out, fx)
			}
			continue // more instances give no addresses
		}
		if codes[s.ARN] == reach.CodeENICapacity {
			if fx, ok := f.trunking(s); ok {
				out = append(out, fx)
			}
			if fx, ok := f.trunkingType(s); ok {
				out = append(out, fx)
			}
		}
		if fx, ok := f.moreInstances(s); ok {
			out = append(out, fx)
		}
	}
	return out
}

// dynamicPorts: a bridge-mode service whose containers publish static
// host ports gets a task definition revision with hostPort 0, so that
// Docker picks a free port from the ephemeral range for each task and
// several tasks share an instance; the instances' security groups then
// admit that range from the load balancer's groups (the ECS guide's
// advice for dynamic port mapping).
func (f *finder) dynamicPorts(s *model.Service) (Fix, bool) {
	td := f.st.TaskDefinitions[runTaskDefinition(s, nil)]
	if td == nil || td.NetworkMode != model.NetworkModeBridge && td.NetworkMode != model.NetworkModeHost || len(runLoadBalancers(s, nil)) == 0 {
		return Fix{}, false
	}
	containers := slices.Clone(td.Containers)
	changed := false
	var mapped []string
	for i := range containers {
		containers[i].PortMappings = slices.Clone(containers[i].PortMappings)
		for j := range containers[i].PortMappings {
			pm := &containers[i].PortMappings[j]
			if pm.HostPort != 0 || td.NetworkMode == model.NetworkModeHost {
				pm.HostPort, changed = 0, true
				mapped = append(mapped, fmt.Sprintf("%s:%d", containers[i].Name, pm.ContainerPort))
			}
		}
	}
	if !changed {
		return Fix{}, false
	}
	// The load balancers' groups, and the instances' groups to open.
	var lbGroups, hostGroups []model.SecurityGroupID
	clientCIDR := ""
	for _, h := range f.res.Forward {
		if h.AttachedTo == nil || h.AttachedTo.Type != "load-balancer" {
			continue
		}
		if lb := f.st.LoadBalancers[h.AttachedTo.ARN]; lb != nil {
			for _, g := range lb.SecurityGroups {
				if !slices.Contains(lbGroups, g) {
					lbGroups = append(lbGroups, g)
				}
			}
			if len(lb.SecurityGroups) == 0 && lb.Type == "network" && clientCIDR == "" {
				// A Network Load Balancer without security groups keeps
				// the client's address for instance targets: the
				// instances admit the clients on the dynamic ports.
				clientCIDR = "0.0.0.0/0"
				if v := f.st.VPCs[lb.VpcID]; lb.Scheme == "internal" && v != nil {
					clientCIDR = v.CIDR.String()
				}
			}
		}
	}
	for _, ci := range f.st.ContainerInstances {
		if ci.ClusterARN != s.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		if inst := f.st.Instances[ci.EC2InstanceID]; inst != nil {
			if n := f.st.NetworkInterfaces[inst.PrimaryENI]; n != nil {
				if g := f.preferredGroup(n.SecurityGroups); g != "" && !slices.Contains(hostGroups, g) {
					hostGroups = append(hostGroups, g)
				}
			}
		}
	}
	slices.Sort(lbGroups)
	slices.Sort(hostGroups)
	cluster := clusterName(s.ClusterARN)
	in := revisionOf(td, model.NetworkModeBridge, containers)
	dyn := model.DynamicHostPortRule()
	perm := func(g model.SecurityGroupID) engine.IPPermission {
		return engine.IPPermission{Protocol: "tcp", FromPort: intp(int(dyn.First)), ToPort: intp(int(dyn.Last)), Groups: []engine.RuleSource{{Value: string(g)}}}
	}
	apply := func(e *engine.Engine) error {
		for _, h := range hostGroups {
			for _, g := range lbGroups {
				if _, err := e.AuthorizeSecurityGroup(h, false, []engine.IPPermission{perm(g)}); err != nil && !strings.Contains(err.Error(), "Duplicate") {
					return err
				}
			}
			if clientCIDR != "" {
				p := engine.IPPermission{Protocol: "tcp", FromPort: intp(int(dyn.First)), ToPort: intp(int(dyn.Last)), CIDRs: []engine.RuleSource{{Value: clientCIDR}}}
				if _, err := e.AuthorizeSecurityGroup(h, false, []engine.IPPermission{p}); err != nil && !strings.Contains(err.Error(), "Duplicate") {
					return err
				}
			}
		}
		return redeployWith(in, cluster, s.Name)(e)
	}
	var cmds, opened []string
	for _, h := range hostGroups {
		for _, g := range lbGroups {
			cmds = append(cmds, fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %s --source-group %s", h, dyn, g))
			opened = append(opened, fmt.Sprintf("%s from %s", f.groupName(h), f.groupName(g)))
		}
		if clientCIDR != "" {
			cmds = append(cmds, fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %s --cidr %s", h, dyn, clientCIDR))
			opened = append(opened, fmt.Sprintf("%s from %s (the Network Load Balancer's clients)", f.groupName(h), clientCIDR))
		}
	}
	cmds = append(cmds,
		fmt.Sprintf("aws ecs register-task-definition --family %s --network-mode bridge --container-definitions file://containers.json   # the same containers, \"hostPort\": 0", td.Family))
	cmds = append(cmds, redeployCommands(f.st, s, td.Family)...)
	title := fmt.Sprintf("Use dynamic host ports (hostPort 0) for %s in %s", strings.Join(mapped, ", "), td.Family)
	if td.NetworkMode == model.NetworkModeHost {
		// In host mode the container's port is the host's: the bridge
		// network mode maps it to a free one.
		title = fmt.Sprintf("Run %s in the bridge network mode with dynamic host ports (hostPort 0) for %s", td.Family, strings.Join(mapped, ", "))
	}
	scenario := fmt.Sprintf("task_definitions:\n  %s:\n    containers:   # each port mapping: {container: PORT, host: 0}\n", td.Family)
	if len(opened) > 0 {
		title += fmt.Sprintf(", and allow tcp/%s on %s", dyn, strings.Join(opened, ", "))
		for _, h := range hostGroups {
			scenario += fmt.Sprintf("security_groups:\n  %s:\n    ingress:\n", f.groupName(h))
			for _, g := range lbGroups {
				scenario += fmt.Sprintf("      - {protocol: tcp, ports: %s, group: %s}\n", dyn, f.groupName(g))
			}
			if clientCIDR != "" {
				scenario += fmt.Sprintf("      - {protocol: tcp, ports: %s, cidr: %s}\n", dyn, clientCIDR)
			}
		}
	}
	return Fix{
		score: 20, Kind: "placement", Title: title,
		Detail: "A static host port can be bound by one task per instance; with hostPort 0 Docker gives each task a free port from the ephemeral range, " +
			"and the service registers that port with the target group.",
		Commands: cmds, Scenario: scenario, apply: apply,
		Verification: Verification{From: "placement", To: s.ARN},
	}, true
}

// moreInstances raises the desired capacity of the Auto Scaling group
// whose instances serve the service's cluster to the smallest size at
// which ECS places every task (found by trying each size on a copy).
func (f *finder) moreInstances(s *model.Service) (Fix, bool) {
	var asg *model.AutoScalingGroup
	for _, ci := range f.st.ContainerInstances {
		if ci.ClusterARN != s.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		if inst := f.st.Instances[ci.EC2InstanceID]; inst != nil && inst.AutoScalingGroup != "" {
			asg = f.st.AutoScalingGroups[inst.AutoScalingGroup]
			break
		}
	}
	if asg == nil {
		return Fix{}, false
	}
	short := s.DesiredCount - running(f.st, s)
	name := asg.Name
	for size := asg.DesiredCapacity + 1; size <= asg.DesiredCapacity+short; size++ {
		n := size
		apply := func(e *engine.Engine) error {
			_, err := e.UpdateAutoScalingGroup(engine.UpdateAutoScalingGroupInput{Name: name, DesiredCapacity: &n, MaxSize: intp(max(n, asg.MaxSize))})
			return err
		}
		clone := f.e.Clone()
		if apply(clone) != nil || clone.Converge() != nil {
			continue
		}
		st, _ := clone.Snapshot()
		cs := st.Services[s.ARN]
		if cs == nil || running(st, cs) < cs.DesiredCount {
			continue
		}
		return Fix{
			score: 30, Kind: "placement",
			Title:    fmt.Sprintf("Scale the Auto Scaling group %s to %d instances, so that ECS places all %d tasks of %s", name, n, s.DesiredCount, s.Name),
			Detail:   "Each container instance holds as many of the tasks as its free host ports and ENI attachment points allow; a capacity provider with managed scaling does this by itself.",
			Commands: []string{fmt.Sprintf("aws autoscaling update-auto-scaling-group --auto-scaling-group-name %s --desired-capacity %d --max-size %d", name, n, max(n, asg.MaxSize))},
			Scenario: fmt.Sprintf("auto_scaling_groups:\n  %s:\n    desired: %d\n    max: %d\n", name, n, max(n, asg.MaxSize)),
			apply:    apply, Verification: Verification{From: "placement", To: s.ARN},
		}, true
	}
	return Fix{}, false
}

// verifyPlacement applies a placement fix to a clone, lets the cluster
// settle, and checks that the service runs every desired task and that
// the original probe still reaches, with healthy targets.
func (f *finder) verifyPlacement(c Fix) (Verification, bool) {
	return f.verifyRunning(c, c.Verification.To)
}

// shortStarts returns the notes of the probe's result that name a service
// running short because some of its tasks stop before they run (a
// start-path failure from some of its subnets only), one per service.
func (f *finder) shortStarts() []reach.Explanation {
	var out []reach.Explanation
	seen := map[string]bool{}
	for _, x := range f.res.Explanations {
		if x.Blocking || x.Component == nil || x.Tasks == nil || x.Tasks.Failure == nil || seen[x.Component.ARN] {
			continue
		}
		if f.st.Services[x.Component.ARN] == nil {
			continue
		}
		seen[x.Component.ARN] = true
		out = append(out, x)
	}
	return out
}

// verifyRunning applies c to a clone and probes again: c holds when the
// service svcARN runs all its desired tasks and the probe still reaches.
func (f *finder) verifyRunning(c Fix, svcARN string) (Verification, bool) {
	st, r, ok := f.probeFixed(c, f.from, f.to, f.proto)
	if !ok || st.Services[svcARN] == nil {
		return Verification{}, false
	}
	s := st.Services[svcARN]
	got := running(st, s)
	v := Verification{From: f.from, To: f.to, Protocol: f.proto, Verdict: r.Verdict,
		Summary: fmt.Sprintf("the service %s runs %d of %d tasks; %s", s.Name, got, s.DesiredCount, r.Summary)}
	return v, got >= s.DesiredCount && r.Reachable && !r.HasCode(reach.CodeTargetUnhealthy)
}

// trunkCapable are instance types that support ENI trunking, smallest
// first, that trunkingType proposes (container-instance-eni.md,
// "Supported Amazon EC2 instance types").
var trunkCapable = []string{"c5.large", "m5.large", "r5.large", "c5.xlarge", "m5.xlarge", "r5.xlarge", "c5.2xlarge", "m5.2xlarge", "r5.2xlarge"}

// trunkingType: with awsvpcTrunking on, instances of a type that does not
// support trunking (t2, t3 …) still hold only MaxENIs-1 awsvpc tasks. A
// new launch template version with the smallest trunk-capable type that
// has at least the old one's vCPUs and memory, made the default, and an
// instance refresh give each instance its trunk interface.
func (f *finder) trunkingType(s *model.Service) (Fix, bool) {
	if engine.AccountSetting(f.st, "awsvpcTrunking", "") != "enabled" {
		return Fix{}, false
	}
	var asg *model.AutoScalingGroup
	var ids []model.InstanceID
	var cur model.InstanceType
	for _, ci := range f.st.ContainerInstances {
		if ci.ClusterARN != s.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		inst := f.st.Instances[ci.EC2InstanceID]
		if inst == nil || inst.AutoScalingGroup == "" {
			return Fix{}, false
		}
		it, ok := model.LookupInstanceType(inst.Type)
		if !ok || it.TrunkTasks > 0 {
			return Fix{}, false // trunking is not what is missing
		}
		asg, cur = f.st.AutoScalingGroups[inst.AutoScalingGroup], it
		ids = append(ids, inst.ID)
	}
	if asg == nil || asg.LaunchTemplate == nil {
		return Fix{}, false
	}
	switch strings.ToLower(asg.LaunchTemplate.Version) {
	case "", "$default", "$latest":
	default:
		return Fix{}, false // a pinned version: the group would need updating too
	}
	var to string
	for _, name := range trunkCapable {
		if it, ok := model.LookupInstanceType(name); ok && it.VCPUs >= cur.VCPUs && it.MemoryMiB >= cur.MemoryMiB {
			to = name
			break
		}
	}
	var lt *model.LaunchTemplate
	for _, x := range f.st.LaunchTemplates {
		if x.ID == asg.LaunchTemplate.ID || (asg.LaunchTemplate.ID == "" && x.Name == asg.LaunchTemplate.Name) {
			lt = x
		}
	}
	if to == "" || lt == nil {
		return Fix{}, false
	}
	slices.Sort(ids)
	ref := model.LaunchTemplateRef{ID: lt.ID}
	it, _ := model.LookupInstanceType(to)
	return Fix{
		score: 20, Kind: "placement",
		Title: fmt.Sprintf("Change the instance type of launch template %s from %s to %s, which supports ENI trunking (%d awsvpc tasks instead of %d), and replace the instances of %s",
			lt.Name, cur.Name, to, it.TrunkTasks, cur.TasksWithoutTrunking(), asg.Name),
		Detail: "awsvpcTrunking is on, but only some instance types have a trunk interface; the others keep one awsvpc task per free network interface. A new launch template version with a supported type, made the default, and an instance refresh replace them.",
		Commands: []string{
			fmt.Sprintf("aws ec2 create-launch-template-version --launch-template-id %s --source-version '$Default' --launch-template-data '{\"InstanceType\":\"%s\"}'    # → VersionNumber", lt.ID, to),
			fmt.Sprintf("aws ec2 modify-launch-template --launch-template-id %s --default-version <VersionNumber>", lt.ID),
			fmt.Sprintf("aws autoscaling start-instance-refresh --auto-scaling-group-name %s", asg.Name),
		},
		Scenario: fmt.Sprintf("launch_templates:\n  %s:\n    instance_type: %s\n", lt.Name, to),
		apply: func(e *engine.Engine) error {
			_, num, err := e.CreateLaunchTemplateVersion(ref, "", "$Default", model.LaunchTemplateData{InstanceType: to})
			if err != nil {
				return err
			}
			if _, err := e.ModifyLaunchTemplate(ref, strconv.Itoa(num)); err != nil {
				return err
			}
			return replaceInstances(e, ids)
		},
		Verification: Verification{From: "placement", To: s.ARN},
	}, true
}

// replaceInstances terminates the Auto Scaling instances ids without
// lowering their groups' desired capacity, so that each group launches
// replacements (as an instance refresh does), and runs the engine until
// they have.
func replaceInstances(e *engine.Engine, ids []model.InstanceID) error {
	for _, id := range ids {
		if _, _, err := e.TerminateInstanceInAutoScalingGroup(id, false); err != nil {
			return err
		}
	}
	return e.Converge()
}

// trunking turns the awsvpcTrunking account setting on and replaces the
// cluster's Auto Scaling instances: ENI trunking applies only to
// instances launched after it is on, and gives a supported type many
// more awsvpc tasks (a c5.large 10 instead of 2). Increasing Amazon ECS
// Linux container instance network interfaces, Amazon ECS Developer
// Guide. Types that do not support it gain nothing, and the fix then
// fails its verification.
func (f *finder) trunking(s *model.Service) (Fix, bool) {
	var asg string
	var ids []model.InstanceID
	for _, ci := range f.st.ContainerInstances {
		if ci.ClusterARN != s.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		inst := f.st.Instances[ci.EC2InstanceID]
		if inst == nil || inst.AutoScalingGroup == "" {
			return Fix{}, false // an instance no group replaces
		}
		asg = inst.AutoScalingGroup
		ids = append(ids, inst.ID)
	}
	if asg == "" {
		return Fix{}, false
	}
	slices.Sort(ids)
	return Fix{
		score: 25, Kind: "placement",
		Title:  fmt.Sprintf("Turn awsvpcTrunking on for the account and replace the instances of %s, so that each holds more awsvpc tasks", asg),
		Detail: "Trunking applies to container instances launched after it is on: the instance refresh replaces them.",
		Commands: []string{
			"aws ecs put-account-setting-default --name awsvpcTrunking --value enabled",
			fmt.Sprintf("aws autoscaling start-instance-refresh --auto-scaling-group-name %s", asg),
		},
		Scenario: "settings:\n  awsvpcTrunking: enabled\n",
		apply: func(e *engine.Engine) error {
			if _, err := e.PutAccountSetting("awsvpcTrunking", "enabled", ""); err != nil {
				return err
			}
			return replaceInstances(e, ids)
		},
		Verification: Verification{From: "placement", To: s.ARN},
	}, true
}

// zoneSubnets: an awsvpc service on EC2 whose subnets are in no zone of
// its cluster's container instances ("LOCATION": ECS attaches a task's
// ENI, created in one of the service's subnets, only to an instance of
// that subnet's zone) runs in the subnets its container instances run
// in, in the service's VPC. A new network configuration is a new
// deployment (UpdateService).
func (f *finder) zoneSubnets(s *model.Service) (Fix, bool) {
	cur := runNetwork(s, nil) // a task set's, for a service of task sets
	if cur == nil || len(cur.Subnets) == 0 {
		return Fix{}, false
	}
	first := f.st.Subnets[cur.Subnets[0]]
	if first == nil {
		return Fix{}, false
	}
	var ids []model.SubnetID
	var names []string
	for _, ci := range f.st.ContainerInstances {
		if ci.ClusterARN != s.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		inst := f.st.Instances[ci.EC2InstanceID]
		if inst == nil || slices.Contains(ids, inst.SubnetID) {
			continue
		}
		sn := f.st.Subnets[inst.SubnetID]
		if sn == nil || sn.VpcID != first.VpcID {
			continue
		}
		ids = append(ids, sn.ID)
	}
	if len(ids) == 0 {
		return Fix{}, false
	}
	slices.SortFunc(ids, func(a, b model.SubnetID) int { return strings.Compare(f.subnetName(a), f.subnetName(b)) })
	var idStrs []string
	for _, id := range ids {
		names = append(names, f.subnetName(id))
		idStrs = append(idStrs, string(id))
	}
	var sgStrs []string
	for _, g := range cur.SecurityGroups {
		sgStrs = append(sgStrs, string(g))
	}
	network := model.AwsVpcConfiguration{Subnets: ids, SecurityGroups: slices.Clone(cur.SecurityGroups), AssignPublicIP: cur.AssignPublicIP}
	name := s.Name
	cmds, apply, ok := f.runIn(s, network, idStrs, sgStrs)
	if !ok {
		return Fix{}, false
	}
	return Fix{
		score: 15, Kind: "placement",
		Title: fmt.Sprintf("Run the service %s in the subnets %s, the Availability Zones of its cluster's container instances", name, strings.Join(names, ", ")),
		Detail: "ECS creates an awsvpc task's network interface in one of the service's subnets and attaches it to a container instance of that subnet's " +
			"Availability Zone; with no instance in those zones, no task is placed (\"LOCATION\"). Launching instances in the subnets' zones works too.",
		Commands:     cmds,
		Scenario:     fmt.Sprintf("services:\n  %s:\n    subnets: [%s]\n", name, strings.Join(names, ", ")),
		apply:        apply,
		Verification: Verification{From: "placement", To: s.ARN},
	}, true
}

// subnetName is a subnet's Name tag, or its id.
func (f *finder) subnetName(id model.SubnetID) string {
	if sn := f.st.Subnets[id]; sn != nil {
		return sn.Tags.NameOr(string(id))
	}
	return string(id)
}

// roomierSubnets: an awsvpc service whose subnets have no free address
// left places no more tasks. The fix runs it in other subnets of its VPC
// that route as its own do (the same default route target, so its
// egress does not change) and have room for every task it wants, one per
// Availability Zone of its subnets where one exists, the roomiest first.
// Verified by placing every task and probing again.
func (f *finder) roomierSubnets(s *model.Service) (Fix, bool) {
	cur := runNetwork(s, nil) // a task set's, for a service of task sets
	if cur == nil || len(cur.Subnets) == 0 {
		return Fix{}, false
	}
	first := f.st.Subnets[cur.Subnets[0]]
	if first == nil {
		return Fix{}, false
	}
	defaultTarget := func(id model.SubnetID) string {
		if rt := f.st.SubnetRouteTable(id); rt != nil {
			for _, r := range rt.Routes {
				if r.Destination.IsValid() && r.Destination.Bits() == 0 && r.Destination.Addr().Is4() {
					return r.TargetID
				}
			}
		}
		return ""
	}
	targets := map[string]bool{}
	for _, id := range cur.Subnets {
		targets[defaultTarget(id)] = true
	}
	free := map[model.SubnetID]int{}
	var cands []*model.Subnet
	for _, sn := range f.st.Subnets {
		if sn.VpcID != first.VpcID || slices.Contains(cur.Subnets, sn.ID) || !targets[defaultTarget(sn.ID)] {
			continue
		}
		if free[sn.ID] = f.st.SubnetFreeAddresses(sn.ID); free[sn.ID] > 0 {
			cands = append(cands, sn)
		}
	}
	slices.SortFunc(cands, func(a, b *model.Subnet) int {
		if free[a.ID] != free[b.ID] {
			return free[b.ID] - free[a.ID]
		}
		return strings.Compare(f.subnetName(a.ID), f.subnetName(b.ID))
	})
	var ids []model.SubnetID
	zones := map[string]bool{}
	room := 0
	for _, sn := range cands {
		if zones[sn.AvailabilityZone] {
			continue
		}
		zones[sn.AvailabilityZone] = true
		ids = append(ids, sn.ID)
		room += free[sn.ID]
	}
	if len(ids) == 0 || room < s.DesiredCount {
		return Fix{}, false
	}
	slices.SortFunc(ids, func(a, b model.SubnetID) int { return strings.Compare(f.subnetName(a), f.subnetName(b)) })
	var names, idStrs, sgStrs []string
	for _, id := range ids {
		names = append(names, fmt.Sprintf("%s (%d free)", f.subnetName(id), free[id]))
		idStrs = append(idStrs, string(id))
	}
	for _, g := range cur.SecurityGroups {
		sgStrs = append(sgStrs, string(g))
	}
	var scen []string
	for _, id := range ids {
		scen = append(scen, f.subnetName(id))
	}
	network := model.AwsVpcConfiguration{Subnets: ids, SecurityGroups: slices.Clone(cur.SecurityGroups), AssignPublicIP: cur.AssignPublicIP}
	name := s.Name
	cmds, apply, ok := f.runIn(s, network, idStrs, sgStrs)
	if !ok {
		return Fix{}, false
	}
	return Fix{
		score: 15, Kind: "placement",
		Title: fmt.Sprintf("Run the service %s in the subnets %s, which route as its own and have room for its %d tasks", name, strings.Join(names, ", "), s.DesiredCount),
		Detail: "Every awsvpc task takes an address of its subnet for its network interface; a subnet without a free one (load balancer nodes, " +
			"endpoints and other services take theirs too) places no more tasks. A subnet's CIDR block cannot grow: use subnets with room.",
		Commands:     cmds,
		Scenario:     fmt.Sprintf("services:\n  %s:\n    subnets: [%s]\n", name, strings.Join(scen, ", ")),
		apply:        apply,
		Verification: Verification{From: "placement", To: s.ARN},
	}, true
}

// runIn moves service s to a network configuration and lets it settle:
// UpdateService (a new deployment), a replacing task set or a CodeDeploy
// deployment for a service of task sets (taskset.go); subnets and groups
// are the configuration's IDs, for the command.
func (f *finder) runIn(s *model.Service, network model.AwsVpcConfiguration, subnets, groups []string) ([]string, func(*engine.Engine) error, bool) {
	cluster := clusterName(s.ClusterARN)
	nw := network
	nw.Subnets = slices.Clone(network.Subnets)
	cmds, update, ok := serviceUpdate(f.st, s, nil, engine.UpdateServiceInput{Cluster: cluster, Service: s.Name, Network: &nw},
		networkCommand(cluster, s.Name, subnets, groups, network.AssignPublicIP))
	if !ok {
		return nil, nil, false
	}
	return cmds, func(e *engine.Engine) error {
		if err := update(e); err != nil {
			return err
		}
		return e.Converge()
	}, true
}

// networkCommand is the aws CLI call that gives a service those subnets
// and security groups. UpdateService replaces the whole
// awsvpcConfiguration, whose assignPublicIp defaults to DISABLED: a
// service that has a public IP keeps it only when the call says so.
func networkCommand(cluster, name string, subnets, groups []string, publicIP bool) string {
	pub := ""
	if publicIP {
		pub = ",assignPublicIp=ENABLED"
	}
	return fmt.Sprintf("aws ecs update-service --cluster %s --service %s --network-configuration 'awsvpcConfiguration={subnets=[%s],securityGroups=[%s]%s}'",
		cluster, name, strings.Join(subnets, ","), strings.Join(groups, ","), pub)
}
