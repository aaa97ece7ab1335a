package fix

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// trapTask returns the task of the article's trap: the probe was addressed
// to an instance (or a task with no public address) while the port is on
// an awsvpc task's own ENI.
func (f *finder) trapTask() *model.Task {
	for _, x := range f.res.Explanations {
		if x.Code != reach.CodePortOnTaskENI && x.Code != reach.CodeAwsvpcNoPublicIP {
			continue
		}
		if tk := f.taskOf(x); tk != nil {
			return tk
		}
	}
	return nil
}

// taskOf finds the task an explanation is about.
func (f *finder) taskOf(x reach.Explanation) *model.Task {
	for _, c := range []*reach.Component{x.Component, x.NetworkInterface} {
		if c == nil {
			continue
		}
		if tk := f.st.Tasks[c.ARN]; tk != nil {
			return tk
		}
		if n := f.st.NetworkInterfaces[model.NetworkInterfaceID(c.ID)]; n != nil && n.OwnerKind == model.OwnedByECSTask {
			return f.st.Tasks[n.ManagedBy]
		}
	}
	if f.q.To.ARN != "" {
		return f.st.Tasks[f.q.To.ARN]
	}
	return nil
}

func (f *finder) serviceOf(tk *model.Task) *model.Service {
	if tk == nil || tk.ServiceName == "" {
		return nil
	}
	for _, s := range f.st.Services {
		if s.Name == tk.ServiceName && s.ClusterARN == tk.ClusterARN && s.Status == "ACTIVE" {
			return s
		}
	}
	return nil
}

func clusterName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

func taskID(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// probedPort is the port the failing probe asked for.
func (f *finder) probedPort() uint16 { return f.res.Port }

// containerFor returns the container of td that maps port.
func containerFor(td *model.TaskDefinition, port uint16) (*model.ContainerDefinition, bool) {
	for i := range td.Containers {
		for _, pm := range td.Containers[i].PortMappings {
			if pm.ContainerPort == port {
				return &td.Containers[i], true
			}
		}
	}
	return nil, false
}

// ecsRemedies are the article's four remedies for a task reached through
// the wrong address.
func (f *finder) ecsRemedies(tk *model.Task) []Fix {
	var out []Fix
	if fx, ok := f.viaLoadBalancer(tk); ok {
		out = append(out, fx)
	}
	if fx, ok := f.viaPrivateAddress(tk); ok {
		out = append(out, fx)
	}
	if fx, ok := f.viaBridge(tk); ok {
		out = append(out, fx)
	}
	if fx, ok := f.viaFargate(tk); ok {
		out = append(out, fx)
	}
	return out
}

// publicSubnets returns one subnet per zone of a VPC whose route table
// sends 0.0.0.0/0 to the VPC's internet gateway, in name order.
func (f *finder) publicSubnets(vpc model.VpcID) []*model.Subnet {
	var out []*model.Subnet
	zones := map[string]bool{}
	subs := make([]*model.Subnet, 0)
	for _, s := range f.st.Subnets {
		if s.VpcID == vpc {
			subs = append(subs, s)
		}
	}
	slices.SortFunc(subs, func(a, b *model.Subnet) int { return strings.Compare(a.CIDR.String(), b.CIDR.String()) })
	for _, s := range subs {
		rt := f.st.SubnetRouteTable(s.ID)
		if rt == nil || zones[s.AvailabilityZone] {
			continue
		}
		for _, r := range rt.Routes {
			if r.Target == model.TargetInternetGateway && r.Destination.Bits() == 0 && engine.RouteState(f.st, rt.VpcID, r) == "active" {
				out = append(out, s)
				zones[s.AvailabilityZone] = true
				break
			}
		}
	}
	return out
}

// lbNameTaken reports whether a load balancer of the account has the name.
func (f *finder) lbNameTaken(name string) bool {
	for _, lb := range f.st.LoadBalancers {
		if lb.Name == name {
			return true
		}
	}
	return false
}

// tgNameTaken reports whether a target group of the account has the name.
func (f *finder) tgNameTaken(name string) bool {
	for _, tg := range f.st.TargetGroups {
		if tg.Name == name {
			return true
		}
	}
	return false
}

// freeName returns base, or base-2, base-3, … when taken.
func freeName(taken func(string) bool, base string) string {
	name := base
	for i := 2; taken(name); i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	return name
}

// viaLoadBalancer: an internet-facing ALB in two public subnets, an ip
// target group on the container port, the service registered with it and
// the task's group admitting the ALB's group.
func (f *finder) viaLoadBalancer(tk *model.Task) (Fix, bool) {
	svc := f.serviceOf(tk)
	eni := f.st.NetworkInterfaces[tk.ENI()]
	td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
	if svc == nil || eni == nil || td == nil || f.st.VpcInternetGateway(eni.VpcID) == nil {
		return Fix{}, false
	}
	port := f.probedPort()
	c, ok := containerFor(td, port)
	if !ok {
		return Fix{}, false
	}
	subnets := f.publicSubnets(eni.VpcID)
	if len(subnets) < 2 {
		return Fix{}, false
	}
	subnets = subnets[:2]
	vpc := eni.VpcID
	lbName := freeName(f.lbNameTaken, svc.Name+"-alb")
	tgName := freeName(f.tgNameTaken, svc.Name+"-tg")
	sgName := freeName(func(s string) bool {
		for _, g := range f.st.SecurityGroups {
			if g.VpcID == vpc && g.Name == s {
				return true
			}
		}
		return false
	}, svc.Name+"-alb-sg")
	taskSG := f.preferredGroup(eni.SecurityGroups)
	cluster := clusterName(svc.ClusterARN)
	container := c.Name
	subnetIDs := []model.SubnetID{subnets[0].ID, subnets[1].ID}
	apply := func(e *engine.Engine) error {
		sg, err := e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: vpc, Name: sgName, Description: "load balancer for " + svc.Name, Tags: model.Tags{"Name": sgName}})
		if err != nil {
			return err
		}
		if _, err := e.AuthorizeSecurityGroup(sg.ID, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(80), ToPort: intp(80), CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}}); err != nil {
			return err
		}
		lb, err := e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: lbName, Subnets: subnetIDs, SecurityGroups: []model.SecurityGroupID{sg.ID}, Tags: model.Tags{"Name": lbName}})
		if err != nil {
			return err
		}
		tg, err := e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: tgName, Protocol: "HTTP", Port: port, VpcID: vpc, TargetType: "ip", Tags: model.Tags{"Name": tgName}})
		if err != nil {
			return err
		}
		if _, err := e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80, DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: tg.ARN}}}); err != nil {
			return err
		}
		if _, err := e.AuthorizeSecurityGroup(taskSG, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(int(port)), ToPort: intp(int(port)), Groups: []engine.RuleSource{{Value: string(sg.ID)}}}}); err != nil {
			return err
		}
		lbs := append(slices.Clone(svc.LoadBalancers), model.ServiceLoadBalancer{TargetGroupARN: tg.ARN, ContainerName: container, ContainerPort: port})
		_, err = e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, LoadBalancers: lbs})
		return err
	}
	cmds := []string{
		fmt.Sprintf(`ALB_SG=$(aws ec2 create-security-group --group-name %s --description "load balancer for %s" --vpc-id %s --query GroupId --output text)`, sgName, svc.Name, vpc),
		`aws ec2 authorize-security-group-ingress --group-id "$ALB_SG" --protocol tcp --port 80 --cidr 0.0.0.0/0`,
		fmt.Sprintf(`LB_ARN=$(aws elbv2 create-load-balancer --name %s --type application --scheme internet-facing --subnets %s %s --security-groups "$ALB_SG" --query 'LoadBalancers[0].LoadBalancerArn' --output text)`, lbName, subnetIDs[0], subnetIDs[1]),
		fmt.Sprintf(`TG_ARN=$(aws elbv2 create-target-group --name %s --protocol HTTP --port %d --vpc-id %s --target-type ip --query 'TargetGroups[0].TargetGroupArn' --output text)`, tgName, port, vpc),
		`aws elbv2 create-listener --load-balancer-arn "$LB_ARN" --protocol HTTP --port 80 --default-actions Type=forward,TargetGroupArn="$TG_ARN"`,
		fmt.Sprintf(`aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d --source-group "$ALB_SG"`, taskSG, port),
		fmt.Sprintf(`aws ecs update-service --cluster %s --service %s --load-balancers targetGroupArn="$TG_ARN",containerName=%s,containerPort=%d`, cluster, svc.Name, container, port),
	}
	sub0, sub1 := subnets[0].Tags.NameOr(string(subnets[0].ID)), subnets[1].Tags.NameOr(string(subnets[1].ID))
	scenario := fmt.Sprintf(`security_groups:
  %[1]s:
    vpc: %[2]s
    ingress:
      - {protocol: tcp, ports: 80, cidr: 0.0.0.0/0}
  %[3]s:
    ingress:
      - {protocol: tcp, ports: %[4]d, group: %[1]s}
target_groups:
  %[5]s: {vpc: %[2]s, protocol: HTTP, port: %[4]d, target_type: ip}
load_balancers:
  %[6]s:
    subnets: [%[7]s, %[8]s]
    security_groups: [%[1]s]
    listeners:
      - {port: 80, protocol: HTTP, forward: %[5]s}
services:
  %[9]s:
    load_balancers:
      - {target_group: %[5]s, container: %[10]s, port: %[4]d}
`, sgName, f.st.VPCs[vpc].Tags.NameOr(string(vpc)), f.groupName(taskSG), port, tgName, lbName, sub0, sub1, svc.Name, container)
	return Fix{
		score: 70, Kind: "load-balancer",
		Title:    fmt.Sprintf("Put an internet-facing Application Load Balancer in front of service %s (target type ip, port %d)", svc.Name, port),
		Detail:   "AWS: inbound access to awsvpc tasks on EC2 \"must be from within a VPC that uses the private IP address or routed through a load balancer from within the VPC\". The load balancer reaches the task's own ENI by its private address.",
		Commands: cmds, Scenario: scenario, apply: apply,
		Verification: Verification{From: "internet", To: lbName + ":80", Protocol: "tcp"},
	}, true
}

// viaPrivateAddress: connect from inside the VPC to the task's private
// address; nothing changes.
func (f *finder) viaPrivateAddress(tk *model.Task) (Fix, bool) {
	eni := f.st.NetworkInterfaces[tk.ENI()]
	if eni == nil {
		return Fix{}, false
	}
	var from *model.Instance
	if ci := f.st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil {
		from = f.st.Instances[ci.EC2InstanceID]
	}
	if from == nil {
		for _, i := range f.st.Instances {
			if i.VpcID == eni.VpcID && i.State == model.InstanceRunning && (from == nil || i.ID < from.ID) {
				from = i
			}
		}
	}
	if from == nil {
		return Fix{}, false
	}
	port := f.probedPort()
	ip := eni.PrimaryIP()
	name := f.st.InstanceName(from)
	// The probe's own client, when it is in the task's VPC: the fix is
	// verified from where the user connects.
	score := 71
	if i := f.sourceInstance(); i != nil && i.VpcID == eni.VpcID {
		// Ahead of a load balancer for the internet: the client is
		// already inside.
		from, name, score = i, f.from, 69
	}
	return Fix{
		score: score, Kind: "private-address",
		Title:  fmt.Sprintf("Connect from inside the VPC to the task's private address %s:%d (e.g. from %s)", ip, port, name),
		Detail: "The task's ENI has only a private address; anything in the VPC whose security groups and network ACLs allow it reaches it there. Look the address up on the task (DescribeTasks attachment detail privateIPv4Address), not on the instance, which holds several.",
		Commands: []string{
			fmt.Sprintf(`aws ecs describe-tasks --cluster %s --tasks %s --query "tasks[0].attachments[0].details[?name=='privateIPv4Address'].value" --output text`, clusterName(tk.ClusterARN), taskID(tk.ARN)),
			fmt.Sprintf("# then, on %s (%s) or any host in the VPC: curl http://%s:%d", name, from.ID, ip, port),
		},
		Scenario:     "# no change: probe from inside the VPC\nexpect:\n  - {from: " + name + ", to: \"" + ip.String() + ":" + fmt.Sprint(port) + "\", verdict: connected}\n",
		apply:        func(*engine.Engine) error { return nil },
		Verification: Verification{From: name, To: netip.AddrPortFrom(ip, port).String(), Protocol: "tcp"},
	}, true
}

// viaBridge: run the service in the bridge network mode, with the
// container port published on the same host port of every instance, and
// open that port on the instances' security group.
func (f *finder) viaBridge(tk *model.Task) (Fix, bool) {
	svc := f.serviceOf(tk)
	td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
	if svc == nil || td == nil || tk.ContainerInstanceARN == "" {
		return Fix{}, false
	}
	port := f.probedPort()
	c, ok := containerFor(td, port)
	if !ok {
		return Fix{}, false
	}
	cluster := clusterName(svc.ClusterARN)
	var hostGroups []model.SecurityGroupID
	instances := 0
	for _, ci := range f.st.ContainerInstances {
		if ci.ClusterARN != svc.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		instances++
		if inst := f.st.Instances[ci.EC2InstanceID]; inst != nil {
			if n := f.st.NetworkInterfaces[inst.PrimaryENI]; n != nil {
				if g := f.preferredGroup(n.SecurityGroups); g != "" && !slices.Contains(hostGroups, g) {
					hostGroups = append(hostGroups, g)
				}
			}
		}
	}
	if instances == 0 {
		return Fix{}, false
	}
	slices.Sort(hostGroups)
	newSvc := freeName(func(s string) bool {
		for _, x := range f.st.Services {
			if x.Name == s && x.ClusterARN == svc.ClusterARN && x.Status != "INACTIVE" {
				return true
			}
		}
		return false
	}, svc.Name+"-bridge")
	containers := slices.Clone(td.Containers)
	for i := range containers {
		containers[i].PortMappings = slices.Clone(containers[i].PortMappings)
		for j := range containers[i].PortMappings {
			pm := &containers[i].PortMappings[j]
			pm.HostPort = pm.ContainerPort
		}
		if containers[i].Memory == 0 && containers[i].MemoryReservation == 0 && td.Memory == "" {
			containers[i].Memory = 512
		}
	}
	in := revisionOf(td, model.NetworkModeBridge, containers)
	in.RequiresCompatibilities = nil // the bridge mode is EC2's
	apply := func(e *engine.Engine) error {
		ntd, err := e.RegisterTaskDefinition(in)
		if err != nil {
			return err
		}
		for _, g := range hostGroups {
			if _, err := e.AuthorizeSecurityGroup(g, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(int(port)), ToPort: intp(int(port)), CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}}); err != nil {
				return err
			}
		}
		if _, err := e.CreateService(engine.CreateServiceInput{Cluster: cluster, Name: newSvc, TaskDefinition: ntd.ARN, DesiredCount: instances, LaunchType: model.LaunchEC2}); err != nil {
			return err
		}
		if svc.SchedulingStrategy != "DAEMON" { // a DAEMON service takes no desired count
			zero := 0
			if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, DesiredCount: &zero}); err != nil {
				return err
			}
		}
		_, err = e.DeleteService(cluster, svc.Name, false)
		return err
	}
	var cmds []string
	cmds = append(cmds, fmt.Sprintf(`aws ecs register-task-definition --family %s --network-mode bridge --container-definitions '[{"name":"%s","image":"%s","memory":%d,"portMappings":[{"containerPort":%d,"hostPort":%d}]}]'`,
		td.Family, c.Name, c.Image, max(c.Memory, 512), port, port))
	var groupNames []string
	for _, g := range hostGroups {
		cmds = append(cmds, fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id %s --protocol tcp --port %d --cidr 0.0.0.0/0", g, port))
		groupNames = append(groupNames, f.groupName(g))
	}
	cmds = append(cmds,
		fmt.Sprintf("aws ecs create-service --cluster %s --service-name %s --task-definition %s --desired-count %d --launch-type EC2", cluster, newSvc, td.Family, instances),
		fmt.Sprintf("aws ecs update-service --cluster %s --service %s --desired-count 0", cluster, svc.Name),
		fmt.Sprintf("aws ecs delete-service --cluster %s --service %s", cluster, svc.Name))
	scenario := fmt.Sprintf("task_definitions:\n  %s:\n    network_mode: bridge\n    containers:\n      %s:\n        ports: [\"%d:%d\"]\n", td.Family, c.Name, port, port)
	for _, g := range groupNames {
		scenario += fmt.Sprintf("security_groups:\n  %s:\n    ingress:\n      - {protocol: tcp, ports: %d, cidr: 0.0.0.0/0}\n", g, port)
	}
	scenario += fmt.Sprintf("services:\n  %s:          # replaces %s (bridge mode takes no subnets or security groups)\n    launch_type: EC2\n    desired: %d\n", newSvc, svc.Name, instances)
	return Fix{
		score: 72, Kind: "network-mode",
		Title:    fmt.Sprintf("Run %s in the bridge network mode with host port %d, and open %d on the instances' security group %s", svc.Name, port, port, strings.Join(groupNames, ", ")),
		Detail:   "In bridge mode Docker publishes the container port on every address of the instance, its public IP included. The network mode of a service cannot be changed in place, so the service is replaced. (AWS recommends awsvpc; this trades isolation for reach.)",
		Commands: cmds, Scenario: scenario, apply: apply,
	}, true
}

// fargateSize returns the smallest Fargate task size for cpu and memory.
func fargateSize(cpu, mem int) (string, string) {
	sizes := []struct{ cpu, lo, hi, step int }{
		{256, 512, 2048, 512}, {512, 1024, 4096, 1024}, {1024, 2048, 8192, 1024}, {2048, 4096, 16384, 1024}, {4096, 8192, 30720, 1024},
	}
	for _, s := range sizes {
		if cpu > s.cpu {
			continue
		}
		for m := s.lo; m <= s.hi; m += s.step {
			if m >= mem && !(s.cpu == 256 && m == 1536) {
				return fmt.Sprint(s.cpu), fmt.Sprint(m)
			}
		}
	}
	return "4096", "30720"
}

// viaFargate: run the service on Fargate in public subnets with
// assignPublicIp ENABLED, so the task's own ENI has a public IP.
func (f *finder) viaFargate(tk *model.Task) (Fix, bool) {
	svc := f.serviceOf(tk)
	td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
	eni := f.st.NetworkInterfaces[tk.ENI()]
	if svc == nil || td == nil || eni == nil {
		return Fix{}, false
	}
	port := f.probedPort()
	c, ok := containerFor(td, port)
	if !ok {
		return Fix{}, false
	}
	subnets := f.publicSubnets(eni.VpcID)
	if len(subnets) == 0 {
		return Fix{}, false
	}
	cpuNeed, memNeed := 0, 0
	for _, x := range td.Containers {
		cpuNeed += x.CPU
		memNeed += max(x.Memory, x.MemoryReservation)
	}
	cpu, mem := fargateSize(cpuNeed, memNeed)
	cluster := clusterName(svc.ClusterARN)
	family := td.Family + "-fargate"
	newSvc := freeName(func(s string) bool {
		for _, x := range f.st.Services {
			if x.Name == s && x.ClusterARN == svc.ClusterARN && x.Status != "INACTIVE" {
				return true
			}
		}
		return false
	}, svc.Name+"-fargate")
	containers := slices.Clone(td.Containers)
	for i := range containers {
		containers[i].PortMappings = slices.Clone(containers[i].PortMappings)
		for j := range containers[i].PortMappings {
			containers[i].PortMappings[j].HostPort = containers[i].PortMappings[j].ContainerPort
		}
	}
	var subnetIDs []model.SubnetID
	var subnetNames []string
	for _, s := range subnets {
		subnetIDs = append(subnetIDs, s.ID)
		subnetNames = append(subnetNames, s.Tags.NameOr(string(s.ID)))
	}
	groups := slices.Clone(eni.SecurityGroups)
	apply := func(e *engine.Engine) error {
		ntd, err := e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: family, NetworkMode: "awsvpc", Containers: containers, CPU: cpu, Memory: mem,
			RequiresCompatibilities: []string{"FARGATE"}, TaskRoleARN: td.TaskRoleARN, ExecutionRoleARN: td.ExecutionRoleARN})
		if err != nil {
			return err
		}
		_, err = e.CreateService(engine.CreateServiceInput{Cluster: cluster, Name: newSvc, TaskDefinition: ntd.ARN, DesiredCount: 1, LaunchType: model.LaunchFargate,
			Network: &model.AwsVpcConfiguration{Subnets: subnetIDs, SecurityGroups: groups, AssignPublicIP: true}})
		return err
	}
	var sids, gids []string
	for _, s := range subnetIDs {
		sids = append(sids, string(s))
	}
	var gnames []string
	for _, g := range groups {
		gids = append(gids, string(g))
		gnames = append(gnames, f.groupName(g))
	}
	cmds := []string{
		fmt.Sprintf(`aws ecs register-task-definition --family %s --requires-compatibilities FARGATE --network-mode awsvpc --cpu %s --memory %s --container-definitions '[{"name":"%s","image":"%s","portMappings":[{"containerPort":%d}]}]'`,
			family, cpu, mem, c.Name, c.Image, port),
		fmt.Sprintf("aws ecs create-service --cluster %s --service-name %s --task-definition %s --desired-count 1 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=ENABLED}'",
			cluster, newSvc, family, strings.Join(sids, ","), strings.Join(gids, ",")),
	}
	scenario := fmt.Sprintf(`task_definitions:
  %[1]s:
    network_mode: awsvpc
    requires: [FARGATE]
    cpu: "%[2]s"
    memory: "%[3]s"
    containers:
      %[4]s: {image: %[5]s, ports: [%[6]d]}
services:
  %[7]s:
    cluster: %[8]s
    task_definition: %[1]s
    launch_type: FARGATE
    subnets: [%[9]s]
    security_groups: [%[10]s]
    assign_public_ip: true
`, family, cpu, mem, c.Name, c.Image, port, newSvc, cluster, strings.Join(subnetNames, ", "), strings.Join(gnames, ", "))
	return Fix{
		score: 73, Kind: "fargate",
		Title:    fmt.Sprintf("Run %s on Fargate with assignPublicIp ENABLED in a public subnet: each task's ENI gets its own public IP", svc.Name),
		Detail:   "Fargate tasks may have a public IP on their ENI (EC2 tasks may not). The address changes with every task; put a load balancer in front for a stable name.",
		Commands: cmds, Scenario: scenario, apply: apply,
		Verification: Verification{From: "internet", To: newSvc + "/0:" + fmt.Sprint(port), Protocol: "tcp"},
	}, true
}

// serviceTaskDefinition returns the service of the task an explanation
// names and that task's task definition (nil, nil when either is missing).
func (f *finder) serviceTaskDefinition(x reach.Explanation) (*model.Service, *model.TaskDefinition) {
	tk := f.taskOf(x)
	svc := f.serviceOf(tk)
	if tk == nil || svc == nil {
		return nil, nil
	}
	td := f.st.TaskDefinitions[tk.TaskDefinitionARN]
	if td == nil {
		return nil, nil
	}
	return svc, td
}

// listenEverywhere: the application binds 127.0.0.1; make it bind every
// address (a new task definition revision) and redeploy.
func (f *finder) listenEverywhere(x reach.Explanation) []Fix {
	svc, td := f.serviceTaskDefinition(x)
	if td == nil {
		return nil
	}
	containers := slices.Clone(td.Containers)
	var names []string
	for i := range containers {
		if containers[i].ListenAddress.IsValid() && containers[i].ListenAddress.IsLoopback() {
			containers[i].ListenAddress = netip.Addr{}
			names = append(names, containers[i].Name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	in := revisionOf(td, td.NetworkMode, containers)
	cluster := clusterName(svc.ClusterARN)
	return []Fix{{
		score: 15, Kind: "application",
		Title:  fmt.Sprintf("Make container %s listen on 0.0.0.0, not 127.0.0.1, and redeploy %s", strings.Join(names, ", "), svc.Name),
		Detail: "An application bound to 127.0.0.1 accepts connections from inside its own network namespace only; the ENI address, Docker's port mapping and the load balancer all get a reset.",
		Commands: []string{
			"# change the application's bind address (e.g. HOST=0.0.0.0, --host 0.0.0.0, server.address=0.0.0.0), build and push the image, then:",
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition with the new image", td.Family),
			fmt.Sprintf("aws ecs update-service --cluster %s --service %s --task-definition %s --force-new-deployment", cluster, svc.Name, td.Family),
		},
		Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        listen: 0.0.0.0\n", td.Family, names[0]),
		apply:    redeployWith(in, cluster, svc.Name),
	}}
}

// appOnContainerPort: a container's application listens on other ports
// than a port mapping's container port (ContainerDefinition.AppPorts);
// make it listen on the mapped port (a new task definition revision: the
// application's port setting, e.g. PORT, changed) and redeploy.
func (f *finder) appOnContainerPort(x reach.Explanation) []Fix {
	svc, td := f.serviceTaskDefinition(x)
	if td == nil {
		return nil
	}
	containers := slices.Clone(td.Containers)
	var name string
	var old []uint16
	for i := range containers {
		c := &containers[i]
		if len(c.AppPorts) == 0 {
			continue
		}
		for _, pm := range c.PortMappings {
			if pm.ContainerPort == x.Port && !slices.Contains(c.AppPorts, x.Port) {
				name, old = c.Name, c.AppPorts
				c.AppPorts = nil // the mappings' container ports
			}
		}
	}
	if name == "" {
		return nil
	}
	var was []string
	for _, p := range old {
		was = append(was, fmt.Sprint(p))
	}
	in := revisionOf(td, td.NetworkMode, containers)
	cluster := clusterName(svc.ClusterARN)
	return []Fix{{
		score: 15, Kind: "application",
		Title: fmt.Sprintf("Make the application of container %s listen on %d (its containerPort), not %s, and redeploy %s",
			name, x.Port, strings.Join(was, ", "), svc.Name),
		Detail: "Docker, the task ENI and the load balancer send to the container port of the port mapping; an application that listens on another port answers them with a reset. " +
			"Either set the application's port (often the PORT environment variable) to the container port, or map the port it listens on (containerPort, the service's load balancer containerPort and the target group's health check).",
		Commands: []string{
			fmt.Sprintf("# set the application's port to %d (e.g. \"environment\": [{\"name\": \"PORT\", \"value\": \"%d\"}]) in %s.json, then:", x.Port, x.Port, td.Family),
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json", td.Family),
			fmt.Sprintf("aws ecs update-service --cluster %s --service %s --task-definition %s --force-new-deployment", cluster, svc.Name, td.Family),
		},
		Scenario: fmt.Sprintf("task_definitions:\n  %s:\n    containers:\n      %s:\n        app_ports: [%d]\n", td.Family, name, x.Port),
		apply:    redeployWith(in, cluster, svc.Name),
	}}
}

// redeployWith registers a task definition and updates the service to it.
func redeployWith(in engine.RegisterTaskDefinitionInput, cluster, service string) func(*engine.Engine) error {
	return func(e *engine.Engine) error {
		ntd, err := e.RegisterTaskDefinition(in)
		if err != nil {
			return err
		}
		return applyServiceUpdate(e, engine.UpdateServiceInput{Cluster: cluster, Service: service, TaskDefinition: ntd.ARN})
	}
}

// assignPublicIP: a Fargate service in a public subnet without public IPs
// gets assignPublicIp ENABLED.
func (f *finder) assignPublicIP(x reach.Explanation) []Fix {
	tk := f.taskOf(x)
	svc := f.serviceOf(tk)
	if tk == nil || svc == nil || tk.LaunchType != model.LaunchFargate {
		return nil
	}
	return f.servicePublicIP(svc, tk)
}

// internetFacingTwin: an internal load balancer asked for from the
// internet. Its scheme is fixed at creation and an ALB target group
// serves one load balancer, so the way out is a new internet-facing load
// balancer in public subnets of the same zones, with the same security
// groups, a copy of the target group and a listener on the probed port,
// and the service registering its tasks in both target groups.
func (f *finder) internetFacingTwin() []Fix {
	if f.q.To.Kind != reach.KindLoadBalancer {
		return nil
	}
	lb := f.st.LoadBalancers[f.q.To.ARN]
	if lb == nil || lb.Scheme != "internal" {
		return nil
	}
	fx, twin, ok := f.lbTwin(lb, false)
	if !ok {
		return nil
	}
	if z, r, ok := f.q.Route53Record(); ok && !z.Private {
		fx = repointAtTwin(fx, twin, z, r, f.to)
	}
	return []Fix{fx}
}

// repointAtTwin extends a twin load balancer's fix for a destination
// reached by name: the public record that named the internal load
// balancer becomes an alias to the twin, and the fix is verified by the
// name the probe asked for (to), as the clients use it.
func repointAtTwin(fx Fix, twin string, z *model.HostedZone, r *model.RecordSet, to string) Fix {
	apply, zoneID, name, typ := fx.apply, z.ID, r.Name, r.Type
	if typ == "CNAME" {
		typ = "A" // an alias replaces the CNAME
	}
	fx.apply = func(e *engine.Engine) error {
		if err := apply(e); err != nil {
			return err
		}
		var dns, zone string
		e.Read(func(st *model.State) {
			for _, lb := range st.LoadBalancers {
				if lb.Name == twin {
					dns, zone = strings.ToLower(lb.DNSName), lb.CanonicalHostedZoneID
				}
			}
		})
		if typ != r.Type {
			if err := e.DeleteRecordSet(zoneID, name, r.Type, nil); err != nil {
				return err
			}
		}
		return e.UpsertRecordSet(zoneID, engine.RecordSetInput{Name: name, Type: typ, Alias: &model.AliasTarget{DNSName: dns, HostedZoneID: zone}})
	}
	fx.Title += ", and point the record " + name + " at it"
	fx.Detail += " The public record " + name + " names the internal load balancer, whose private addresses the internet cannot reach: an alias to the new one's DNS name serves the internet."
	fx.Commands = append(fx.Commands,
		`LB_DNS=$(aws elbv2 describe-load-balancers --load-balancer-arns "$LB_ARN" --query 'LoadBalancers[0].[DNSName,CanonicalHostedZoneId]' --output text)`,
		fmt.Sprintf(`aws route53 change-resource-record-sets --hosted-zone-id %s --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"%s","Type":"%s","AliasTarget":{"DNSName":"'"$(echo $LB_DNS | cut -d' ' -f1)"'","HostedZoneId":"'"$(echo $LB_DNS | cut -d' ' -f2)"'","EvaluateTargetHealth":false}}}]}'`,
			zoneID, name, typ))
	rel := strings.TrimSuffix(strings.TrimSuffix(name, z.Name), ".")
	if rel == "" {
		rel = `"@"`
	}
	fx.Scenario += fmt.Sprintf("hosted_zones:\n  %s:\n    records:\n      %s: {alias: %s}   # the new load balancer\n", z.Name, rel, twin)
	fx.Verification.To = to
	return fx
}

// publicNLBTwin: an internet-facing Network Load Balancer with a node in a
// subnet whose default route is not the internet gateway answers its
// clients the wrong way, and SetSubnets cannot take it out of the subnets
// it has ("When you specify subnets for a Network Load Balancer, you must
// include all subnets that were enabled previously", SetSubnets): a new
// one in the public subnets takes its place.
func (f *finder) publicNLBTwin() []Fix {
	if f.q.To.Kind != reach.KindLoadBalancer {
		return nil
	}
	lb := f.st.LoadBalancers[f.q.To.ARN]
	if lb == nil || lb.Scheme != "internet-facing" || lb.Type != "network" {
		return nil
	}
	if !slices.ContainsFunc(lb.Nodes, func(nd model.LoadBalancerNode) bool { return !f.st.PublicSubnet(nd.SubnetID) }) {
		return nil
	}
	if fx, _, ok := f.lbTwin(lb, true); ok {
		return []Fix{fx}
	}
	return nil
}

// lbTwin makes an internet-facing load balancer in the public subnets of
// lb's zones, with a copy of the target group behind the probed listener
// that the service registers in too: beside an internal lb, or (replace)
// in place of an internet-facing NLB stuck in private subnets. twin is
// the new load balancer's name; ok is false when there is no such fix.
func (f *finder) lbTwin(lb *model.LoadBalancer, replace bool) (fx Fix, twin string, ok bool) {
	port := f.probedPort()
	var listener *model.Listener
	for _, l := range f.st.Listeners {
		if l.LoadBalancerARN == lb.ARN && l.Port == port {
			listener = l
		}
	}
	if listener == nil || len(listener.DefaultActions) != 1 || listener.DefaultActions[0].TargetGroupARN == "" || len(listener.Certificates) > 0 {
		return Fix{}, "", false
	}
	tg := f.st.TargetGroups[listener.DefaultActions[0].TargetGroupARN]
	var svc *model.Service
	var sl model.ServiceLoadBalancer
	for _, s := range sortedServices(f.st) {
		for _, x := range s.LoadBalancers {
			if tg != nil && x.TargetGroupARN == tg.ARN && s.Status == "ACTIVE" {
				svc, sl = s, x
			}
		}
	}
	if svc == nil {
		return Fix{}, "", false
	}
	byZone := map[string]*model.Subnet{}
	for _, s := range f.publicSubnets(lb.VpcID) {
		byZone[s.AvailabilityZone] = s
	}
	var subnetIDs []model.SubnetID
	var subnetNames, subnetCLI []string
	for _, nd := range lb.Nodes {
		s := byZone[nd.AvailabilityZone]
		if s == nil {
			return Fix{}, "", false // no public subnet in that zone: a new one is a design choice
		}
		subnetIDs = append(subnetIDs, s.ID)
		subnetNames = append(subnetNames, s.Tags.NameOr(string(s.ID)))
		subnetCLI = append(subnetCLI, string(s.ID))
	}
	lbName := freeName(f.lbNameTaken, lb.Name+"-public")
	tgName := freeName(f.tgNameTaken, tg.Name+"-public")
	groups := slices.Clone(lb.SecurityGroups)
	var groupCLI []string
	for _, g := range groups {
		groupCLI = append(groupCLI, string(g))
	}
	hc := tg.HealthCheck
	tgIn := engine.CreateTargetGroupInput{Name: tgName, Protocol: tg.Protocol, ProtocolVersion: tg.ProtocolVersion, Port: tg.Port, VpcID: tg.VpcID, TargetType: tg.TargetType,
		HealthCheckProtocol: hc.Protocol, HealthCheckPort: hc.Port, HealthCheckPath: hc.Path, HealthCheckIntervalSeconds: hc.IntervalSeconds, HealthCheckTimeoutSeconds: hc.TimeoutSeconds,
		HealthyThresholdCount: hc.HealthyThreshold, UnhealthyThresholdCount: hc.UnhealthyThreshold, Matcher: hc.Matcher, Tags: model.Tags{"Name": tgName}}
	lbType := lb.Type
	cluster := clusterName(svc.ClusterARN)
	proto := listener.Protocol
	apply := func(e *engine.Engine) error {
		nlb, err := e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: lbName, Type: lbType, Scheme: "internet-facing", Subnets: subnetIDs, SecurityGroups: groups, Tags: model.Tags{"Name": lbName}})
		if err != nil {
			return err
		}
		ntg, err := e.CreateTargetGroup(tgIn)
		if err != nil {
			return err
		}
		if _, err := e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: nlb.ARN, Protocol: proto, Port: port, DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: ntg.ARN}}}); err != nil {
			return err
		}
		lbs := append(slices.Clone(svc.LoadBalancers), model.ServiceLoadBalancer{TargetGroupARN: ntg.ARN, ContainerName: sl.ContainerName, ContainerPort: sl.ContainerPort})
		_, err = e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, LoadBalancers: lbs})
		return err
	}
	var keep []string
	for _, x := range svc.LoadBalancers {
		keep = append(keep, fmt.Sprintf("targetGroupArn=%s,containerName=%s,containerPort=%d", x.TargetGroupARN, x.ContainerName, x.ContainerPort))
	}
	keep = append(keep, fmt.Sprintf(`targetGroupArn="$TG_ARN",containerName=%s,containerPort=%d`, sl.ContainerName, sl.ContainerPort))
	sgFlag := ""
	if len(groupCLI) > 0 {
		sgFlag = " --security-groups " + strings.Join(groupCLI, " ")
	}
	cmds := []string{
		fmt.Sprintf(`LB_ARN=$(aws elbv2 create-load-balancer --name %s --type %s --scheme internet-facing --subnets %s%s --query 'LoadBalancers[0].LoadBalancerArn' --output text)`, lbName, lbType, strings.Join(subnetCLI, " "), sgFlag),
		fmt.Sprintf(`TG_ARN=$(aws elbv2 create-target-group --name %s --protocol %s --port %d --vpc-id %s --target-type %s --health-check-path %s --query 'TargetGroups[0].TargetGroupArn' --output text)`, tgName, tg.Protocol, tg.Port, tg.VpcID, tg.TargetType, hcPathOr(hc.Path)),
		fmt.Sprintf(`aws elbv2 create-listener --load-balancer-arn "$LB_ARN" --protocol %s --port %d --default-actions Type=forward,TargetGroupArn="$TG_ARN"`, proto, port),
		fmt.Sprintf(`aws ecs update-service --cluster %s --service %s --load-balancers %s`, cluster, svc.Name, strings.Join(keep, " ")),
	}
	scenario := fmt.Sprintf("target_groups:\n  %s: {vpc: %s, protocol: %s, port: %d, target_type: %s}\nload_balancers:\n  %s:\n    subnets: [%s]\n    listeners:\n      - {port: %d, protocol: %s, forward: %s}\nservices:\n  %s:\n    load_balancers:\n      - {target_group: %s, container: %s, port: %d}\n",
		tgName, f.st.VPCs[tg.VpcID].Tags.NameOr(string(tg.VpcID)), tg.Protocol, tg.Port, tg.TargetType, lbName, strings.Join(subnetNames, ", "), port, proto, tgName, svc.Name, tgName, sl.ContainerName, sl.ContainerPort)
	title := fmt.Sprintf("Create an internet-facing load balancer %s in %s beside the internal %s, with a copy %s of %s that the service %s registers in too",
		lbName, strings.Join(subnetNames, ", "), lb.Name, tgName, tg.Name, svc.Name)
	detail := "A load balancer's scheme is fixed at creation, and an Application Load Balancer's target group serves one load balancer: the internal one keeps serving the VPC, the new one the internet."
	if replace {
		title = fmt.Sprintf("Create a Network Load Balancer %s in the public subnets %s to take the place of %s, with a copy %s of %s that the service %s registers in too",
			lbName, strings.Join(subnetNames, ", "), lb.Name, tgName, tg.Name, svc.Name)
		detail = "An internet-facing load balancer's nodes must be in subnets whose route table sends 0.0.0.0/0 to the internet gateway, and a Network Load Balancer keeps the subnets it has " +
			"(SetSubnets must name them all): a new one in the public subnets replaces it; point the clients (DNS) at it, then delete the old one."
	}
	return Fix{
		score: 60, Kind: "load-balancer",
		Title:        title,
		Detail:       detail,
		Commands:     cmds,
		Scenario:     scenario,
		apply:        apply,
		Verification: Verification{From: f.from, To: lbName + ":" + strconv.Itoa(int(port)), Protocol: f.proto},
	}, lbName, true
}

func hcPathOr(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// revisionOf is the input of a new revision of td with these containers
// in networkMode, and everything else as td has it (sizes, roles, PID
// and IPC modes, compatibilities, placement constraints, runtime
// platform, tags and the fields ecsnet does not model), as the console's
// "Create new revision" starts from the revision it copies.
func revisionOf(td *model.TaskDefinition, networkMode model.NetworkMode, containers []model.ContainerDefinition) engine.RegisterTaskDefinitionInput {
	in := engine.RegisterTaskDefinitionInput{Family: td.Family, NetworkMode: string(networkMode), Containers: containers, CPU: td.CPU, Memory: td.Memory,
		TaskRoleARN: td.TaskRoleARN, ExecutionRoleARN: td.ExecutionRoleARN, PIDMode: td.PIDMode, IPCMode: td.IPCMode,
		Raw: td.Raw, Tags: td.Tags.Clone(), PlacementConstraints: slices.Clone(td.PlacementConstraints)}
	if td.RuntimePlatform != nil {
		rp := *td.RuntimePlatform
		in.RuntimePlatform = &rp
	}
	for _, c := range td.RequiresCompatibilities {
		in.RequiresCompatibilities = append(in.RequiresCompatibilities, string(c))
	}
	return in
}

// serviceGroups: an awsvpc service created without security groups runs
// its tasks in the VPC's default group (AwsVpcConfiguration: "If you
// don't specify a security group, the default security group for the VPC
// is used"), which admits only its own members. When that group drops the
// probe on the way in and another group of the VPC has an inbound rule
// for the port, the fix gives the service that group instead (a new
// deployment replaces the tasks), rather than opening the default group.
func (f *finder) serviceGroups(x reach.Explanation) []Fix {
	if x.Component == nil || x.Direction != "ingress" || x.Port == 0 {
		return nil
	}
	def := f.st.SecurityGroups[model.SecurityGroupID(x.Component.ID)]
	if def == nil || def.Name != "default" {
		return nil
	}
	tk := f.taskOf(x)
	svc := f.serviceOf(tk)
	if svc == nil {
		return nil
	}
	if nw := runNetwork(svc, tk); nw == nil || len(nw.SecurityGroups) != 1 || nw.SecurityGroups[0] != def.ID {
		return nil
	}
	var groups []*model.SecurityGroup
	for _, g := range f.st.SecurityGroups {
		if g.VpcID != def.VpcID || g.ID == def.ID {
			continue
		}
		for _, r := range g.Ingress {
			if r.Protocol.Matches(model.TCP) && (r.Protocol == model.AllProtocols || r.Ports.Contains(x.Port)) {
				groups = append(groups, g)
				break
			}
		}
	}
	slices.SortFunc(groups, func(a, b *model.SecurityGroup) int { return strings.Compare(string(a.ID), string(b.ID)) })
	var out []Fix
	for _, g := range groups[:min(len(groups), 3)] {
		name := f.groupName(g.ID)
		out = append(out, f.serviceGroupFix(svc, tk, g.ID, name, 9,
			fmt.Sprintf("Give the service %s the security group %s (its tasks run in the VPC's default group, which admits only its own members)", svc.Name, name),
			"A service created without securityGroups gets the VPC's default security group. "+
				"Updating its network configuration starts a new deployment whose tasks carry the group meant for them."))
	}
	return out
}

// unattachedGroup: a security group written to admit the connection
// exists in the VPC, but no network interface carries it, and the
// service's own group drops the connection (CDK's
// connections.addSecurityGroup on a pattern's service defines the group
// without putting it in the service's network configuration,
// aws/aws-cdk#17269). The fix adds that group to the service's groups (a
// new deployment; a service takes up to five), next to the ones it has.
func (f *finder) unattachedGroup(x reach.Explanation) []Fix {
	if x.Component == nil || x.Direction != "ingress" || x.Port == 0 {
		return nil
	}
	drop := f.st.SecurityGroups[model.SecurityGroupID(x.Component.ID)]
	tk := f.taskOf(x)
	svc := f.serviceOf(tk)
	pkt, ok := f.hopPacket(x)
	if drop == nil || svc == nil || !ok {
		return nil
	}
	cur := runNetwork(svc, tk) // a task set's, for a service of task sets
	if cur == nil || len(cur.SecurityGroups) >= 5 {
		return nil
	}
	carried := map[model.SecurityGroupID]bool{}
	for _, n := range f.st.NetworkInterfaces {
		for _, g := range n.SecurityGroups {
			carried[g] = true
		}
	}
	pname := protoName(pkt.Protocol)
	proto, err := model.ParseProtocol(pname)
	if err != nil {
		return nil
	}
	var groups []*model.SecurityGroup
	admits := map[model.SecurityGroupID]string{}
	for _, g := range f.st.SecurityGroups {
		if g.VpcID != drop.VpcID || carried[g.ID] || g.Name == "default" {
			continue
		}
		for _, r := range g.Ingress {
			if !r.Protocol.Matches(proto) || (r.Protocol != model.AllProtocols && !r.Ports.Contains(x.Port)) {
				continue
			}
			if r.CIDR.IsValid() && r.CIDR.Contains(pkt.Source) {
				groups = append(groups, g)
				admits[g.ID] = r.CIDR.String()
				break
			}
		}
	}
	slices.SortFunc(groups, func(a, b *model.SecurityGroup) int { return strings.Compare(string(a.ID), string(b.ID)) })
	var out []Fix
	for _, g := range groups[:min(len(groups), 2)] {
		name := f.groupName(g.ID)
		fx := f.serviceGroupFix(svc, tk, g.ID, name, 8,
			fmt.Sprintf("Add the security group %s to the service %s (it admits %s/%d from %s, which holds %s, but no network interface carries it)", name, svc.Name, pname, x.Port, admits[g.ID], pkt.Source),
			"A security group acts only on the network interfaces that carry it; a service's tasks carry the groups of its network configuration. "+
				"Updating the network configuration starts a new deployment whose tasks carry the group too.")
		// Keep the groups the service has: add, do not replace.
		netw := *cur
		netw.SecurityGroups = append(slices.Clone(cur.SecurityGroups), g.ID)
		var names []string
		for _, id := range netw.SecurityGroups {
			names = append(names, f.groupName(id))
		}
		cmds, apply, ok := networkUpdate(f.st, svc, tk, &netw, "")
		if !ok {
			continue
		}
		fx.Commands, fx.apply = cmds, apply
		fx.Scenario = fmt.Sprintf("services:\n  %s:\n    security_groups: [%s]\n", svc.Name, strings.Join(names, ", "))
		out = append(out, fx)
	}
	return out
}

// sourceGroups: the client of a connection that a security group drops on
// the way in runs in the VPC's default group only (a task started by
// RunTask, or a service created, without securityGroups: "If you don't
// specify a security group, the default security group for the VPC is
// used"), and the destination's group admits the port from other groups.
// The fix gives the client one of those groups rather than opening the
// destination to the default group, which every resource created without
// a group shares: a service by UpdateService, a standalone task by running
// it again (RunTask with the same task definition, subnets and name) and
// stopping the one without the group.
func (f *finder) sourceGroups(x reach.Explanation) []Fix {
	if x.Component == nil || x.Direction != "ingress" || x.Port == 0 || f.q.From.ARN == "" {
		return nil
	}
	dst := f.st.SecurityGroups[model.SecurityGroupID(x.Component.ID)]
	tk := f.st.Tasks[f.q.From.ARN]
	if tk == nil {
		if svc := f.st.Services[f.q.From.ARN]; svc != nil {
			tk = f.firstRunningTask(svc)
		}
	}
	if dst == nil || tk == nil || tk.Network == nil || len(tk.Network.SecurityGroups) != 1 {
		return nil
	}
	def := f.st.SecurityGroups[tk.Network.SecurityGroups[0]]
	if def == nil || def.Name != "default" || def.VpcID != dst.VpcID {
		return nil
	}
	proto := model.Protocol(f.q.Protocol)
	var groups []model.SecurityGroupID
	for _, r := range dst.Ingress {
		if r.Group == "" || r.Group == def.ID || slices.Contains(groups, r.Group) || !r.Protocol.Matches(proto) {
			continue
		}
		if r.Protocol != model.AllProtocols && !r.Ports.Contains(x.Port) {
			continue
		}
		if g := f.st.SecurityGroups[r.Group]; g != nil && g.VpcID == def.VpcID {
			groups = append(groups, r.Group)
		}
	}
	slices.Sort(groups)
	cluster := clusterName(tk.ClusterARN)
	svc := f.serviceOf(tk)
	var out []Fix
	for _, g := range groups {
		netw := *tk.Network
		netw.SecurityGroups = []model.SecurityGroupID{g}
		name := f.groupName(g)
		netCLI := awsvpcCLI(&netw)
		why := fmt.Sprintf("(it runs in the VPC's default group, and %s admits tcp/%d from %s)", dst.Name, x.Port, name)
		if proto == model.UDP {
			why = fmt.Sprintf("(it runs in the VPC's default group, and %s admits udp/%d from %s)", dst.Name, x.Port, name)
		}
		if svc != nil && runNetwork(svc, tk) != nil {
			out = append(out, f.serviceGroupFix(svc, tk, g, name, 9,
				fmt.Sprintf("Give the service %s the security group %s %s", svc.Name, name, why),
				"A service created without securityGroups gets the VPC's default security group. Updating its network configuration starts a new deployment whose tasks carry the group the destination admits."))
		} else {
			task := *tk
			label := f.st.TaskName(tk)
			family := task.TaskDefinitionARN
			if td := f.st.TaskDefinitions[task.TaskDefinitionARN]; td != nil {
				family = fmt.Sprintf("%s:%d", td.Family, td.Revision)
			}
			launch := ""
			if task.LaunchType != "" {
				launch = " --launch-type " + string(task.LaunchType)
			}
			out = append(out, Fix{
				score: 9, Kind: "task",
				Title:  fmt.Sprintf("Run the task %s again with the security group %s %s", label, name, why),
				Detail: "RunTask without securityGroups puts the task in the VPC's default security group. A task's groups cannot be changed while it runs: run it again with the group the destination admits (and stop the old one).",
				Commands: []string{
					fmt.Sprintf("aws ecs run-task --cluster %s --task-definition %s%s --network-configuration %s", cluster, family, launch, netCLI),
					fmt.Sprintf("aws ecs stop-task --cluster %s --task %s", cluster, taskID(task.ARN)),
				},
				Scenario: fmt.Sprintf("tasks:\n  %s:\n    security_groups: [%s]\n", label, name),
				apply: func(e *engine.Engine) error {
					if _, err := e.StopTask(cluster, task.ARN, "Replaced by a task with security group "+name); err != nil {
						return err
					}
					_, err := e.RunTask(engine.RunTaskInput{Cluster: cluster, TaskDefinition: task.TaskDefinitionARN, Count: 1,
						LaunchType: task.LaunchType, Network: &netw, PlatformVersion: task.PlatformVersion, Group: task.Group,
						StartedBy: task.StartedBy, Tags: task.Tags})
					return err
				},
			})
		}
		if len(out) == 3 {
			break
		}
	}
	return out
}

// firstRunningTask is a service's first RUNNING task, by name order.
func (f *finder) firstRunningTask(svc *model.Service) *model.Task {
	var best *model.Task
	for _, tk := range f.st.Tasks {
		if tk.ServiceName != svc.Name || tk.ClusterARN != svc.ClusterARN || tk.LastStatus != model.TaskRunning {
			continue
		}
		if best == nil || f.st.TaskName(tk) < f.st.TaskName(best) {
			best = tk
		}
	}
	return best
}

// startDefaultGroup: a service created without security groups runs in
// the VPC's default group, and that group lets the start path out to
// nowhere (a hardening baseline removes its rules: Security Hub control
// EC2.2, "VPC default security groups should not allow inbound or outbound
// traffic"). Rather than reopening the default group, the fix gives the
// service a group of its own VPC whose egress admits the blocked
// connection; groups made for load balancers or VPC endpoints are left
// out. Each is verified by probing again, which also checks that the
// group admits what reaches the tasks.
func (f *finder) startDefaultGroup(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil {
		return nil
	}
	sf := x.Tasks.Failure
	b := sf.Blocked
	if b == nil || b.Code != reach.CodeSGRulesMismatch || b.Direction != "egress" || b.Port == 0 || len(sf.Groups) != 1 {
		return nil
	}
	def := f.st.SecurityGroups[sf.Groups[0]]
	svc := f.serviceNamed(x.Tasks.Service)
	if def == nil || def.Name != "default" || svc == nil {
		return nil
	}
	if nw := runNetwork(svc, nil); nw == nil || len(nw.SecurityGroups) > 1 || len(nw.SecurityGroups) == 1 && nw.SecurityGroups[0] != def.ID {
		return nil
	}
	taken := map[model.SecurityGroupID]bool{}
	for _, lb := range f.st.LoadBalancers {
		for _, g := range lb.SecurityGroups {
			taken[g] = true
		}
	}
	for _, ep := range f.st.VpcEndpoints {
		for _, g := range ep.SecurityGroups {
			taken[g] = true
		}
	}
	var groups []*model.SecurityGroup
	for _, g := range f.st.SecurityGroups {
		if g.VpcID != def.VpcID || g.ID == def.ID || taken[g.ID] {
			continue
		}
		for _, r := range g.Egress {
			if r.Protocol.Matches(model.TCP) && (r.Protocol == model.AllProtocols || r.Ports.Contains(b.Port)) &&
				r.CIDR.IsValid() && (!b.Address.IsValid() || r.CIDR.Contains(b.Address)) {
				groups = append(groups, g)
				break
			}
		}
	}
	slices.SortFunc(groups, func(a, b *model.SecurityGroup) int { return strings.Compare(string(a.ID), string(b.ID)) })
	var out []Fix
	for _, g := range groups[:min(len(groups), 3)] {
		out = append(out, f.serviceGroupFix(svc, nil, g.ID, g.Name, 4,
			fmt.Sprintf("Give the service %s the security group %s (its tasks run in the VPC's default group, which lets tcp/%d out to nowhere)", svc.Name, g.Name, b.Port),
			"A service created without securityGroups gets the VPC's default security group; a hardened account keeps that group without rules. "+
				"Updating the service's network configuration starts a new deployment whose tasks carry a group of their own."))
	}
	return out
}

// sourceInstance is the probe's source when it is an EC2 instance, else nil.
func (f *finder) sourceInstance() *model.Instance {
	if f.q.From.Kind != reach.KindInstance {
		return nil
	}
	return f.st.Instances[model.InstanceID(f.q.From.ID)]
}

// serviceGroupFix gives an awsvpc service one security group instead of
// the ones it has, by UpdateService (a new deployment); name is how the
// scenario file names the group.
//
// For a service of the EXTERNAL controller the change is a task set
// that replaces task tk's, for a CODE_DEPLOY one a CodeDeploy deployment
// (taskset.go); one that AWS takes by no such call (a CODE_DEPLOY
// service without a deployment group in the state) is a fix whose change
// fails, which no probe verifies.
func (f *finder) serviceGroupFix(svc *model.Service, tk *model.Task, g model.SecurityGroupID, name string, score int, title, detail string) Fix {
	netw := *runNetwork(svc, tk)
	netw.SecurityGroups = []model.SecurityGroupID{g}
	cmds, apply, ok := networkUpdate(f.st, svc, tk, &netw, "")
	if !ok {
		apply = func(*engine.Engine) error {
			return fmt.Errorf("the service %s's task set changes only by a CodeDeploy deployment, and it has no deployment group", svc.Name)
		}
	}
	return Fix{
		score: score, Kind: "service", Title: title, Detail: detail,
		Commands: cmds,
		Scenario: fmt.Sprintf("services:\n  %s:\n    security_groups: [%s]\n", svc.Name, name),
		apply:    apply,
	}
}

// awsvpcCLI is an awsvpc network configuration as the aws CLI's
// --network-configuration takes it.
func awsvpcCLI(n *model.AwsVpcConfiguration) string {
	var sids, gids []string
	for _, s := range n.Subnets {
		sids = append(sids, string(s))
	}
	for _, g := range n.SecurityGroups {
		gids = append(gids, string(g))
	}
	pub := "DISABLED"
	if n.AssignPublicIP {
		pub = "ENABLED"
	}
	return fmt.Sprintf("'awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=%s}'", strings.Join(sids, ","), strings.Join(gids, ","), pub)
}
