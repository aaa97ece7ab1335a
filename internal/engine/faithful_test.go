package engine_test

// One test per row of the "faithful" list and the moto table in
// ../shared/reference/peers.md: each asserts what AWS does (the error code
// and exact message where AWS errors).

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	if !apierr.HasCode(err, code) || apierr.As(err).Message != msg {
		t.Fatalf("err = %v\nwant %s: %s", err, code, msg)
	}
}

// addInstance launches one more container instance of cluster demo in sub.
func (a *article) addInstance(t *testing.T, sub *model.Subnet, instanceType string) *model.Instance {
	t.Helper()
	ud := "IyEvYmluL2Jhc2gKZWNobyBFQ1NfQ0xVU1RFUj1kZW1vID4+IC9ldGMvZWNzL2Vjcy5jb25maWcK" // echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config
	res := must(a.e.RunInstances(engine.RunInstancesInput{ImageID: "ami-0123456789abcdef0", InstanceType: instanceType, SubnetID: sub.ID,
		SecurityGroupIDs: []model.SecurityGroupID{a.instSG.ID}, UserData: ud}))
	if err := a.e.Converge(); err != nil {
		t.Fatal(err)
	}
	return res.Instances[0]
}

func (a *article) taskDef(t *testing.T, mode string, pm ...model.PortMapping) *model.TaskDefinition {
	t.Helper()
	return must(a.e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "app-" + mode, NetworkMode: mode,
		Containers: []model.ContainerDefinition{{Name: "app", Image: "nginx", Memory: 128, Essential: true, PortMappings: pm}}}))
}

func (a *article) run(t *testing.T, td *model.TaskDefinition, n *model.AwsVpcConfiguration) *engine.RunTaskOutput {
	t.Helper()
	out, err := a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: td.ARN, Network: n})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.e.Converge(); err != nil {
		t.Fatal(err)
	}
	return out
}

func (a *article) task(arn string) *model.Task {
	var tk *model.Task
	a.e.Read(func(st *model.State) { tk = st.Tasks[arn] })
	return tk
}

func (a *article) eni(id model.NetworkInterfaceID) *model.NetworkInterface {
	var n *model.NetworkInterface
	a.e.Read(func(st *model.State) { n = st.NetworkInterfaces[id] })
	return n
}

// Row 1: task ENI addresses come from the subnet, skip the reserved five,
// never collide, and every listed subnet is used.
func TestTaskENIAddressesAndSubnets(t *testing.T) {
	a := newArticle(t, "m5.xlarge")
	subC := must(a.e.CreateSubnet(engine.CreateSubnetInput{VpcID: a.vpc.ID, CIDR: "10.0.2.0/28", AvailabilityZone: "us-east-1c"}))
	a.addInstance(t, subC, "m5.xlarge")
	n := &model.AwsVpcConfiguration{Subnets: []model.SubnetID{a.subnet.ID, subC.ID}}
	seen := map[netip.Addr]bool{}
	subnets := map[model.SubnetID]bool{}
	for i := 0; i < 6; i++ {
		out := a.run(t, a.td, n)
		if len(out.Tasks) != 1 {
			t.Fatalf("task %d: %+v", i, out.Failures)
		}
		tk := a.task(out.Tasks[0].ARN)
		eni := a.eni(tk.ENI())
		ip := eni.PrimaryIP()
		sub := map[model.SubnetID]*model.Subnet{a.subnet.ID: a.subnet, subC.ID: subC}[eni.SubnetID]
		if !sub.CIDR.Contains(ip) || sub.Reserved(ip) || seen[ip] {
			t.Errorf("task ENI address %s in %s: reserved or duplicate", ip, sub.CIDR)
		}
		if tk.Attachments[0].PrivateIP != ip || tk.Attachments[0].SubnetID != eni.SubnetID {
			t.Errorf("attachment details %+v disagree with ENI %s %s", tk.Attachments[0], ip, eni.SubnetID)
		}
		seen[ip] = true
		subnets[eni.SubnetID] = true
	}
	if len(subnets) != 2 {
		t.Errorf("tasks used subnets %v, want both", subnets)
	}
}

// Row 2: the ENI is deleted when the task stops; nothing leaks.
func TestStopTaskDeletesENI(t *testing.T) {
	a := newArticle(t, "m5.large")
	out := a.run(t, a.td, a.network())
	eni := a.task(out.Tasks[0].ARN).ENI()
	stopped := must(a.e.StopTask("demo", out.Tasks[0].ARN, ""))
	if stopped.DesiredStatus != model.TaskStopped || stopped.LastStatus != model.TaskRunning {
		t.Errorf("StopTask answered last %s desired %s, want RUNNING/STOPPED", stopped.LastStatus, stopped.DesiredStatus)
	}
	if a.eni(eni) == nil {
		t.Error("ENI deleted before the task deprovisioned")
	}
	if err := a.e.Converge(); err != nil {
		t.Fatal(err)
	}
	tk := a.task(out.Tasks[0].ARN)
	if tk.LastStatus != model.TaskStopped || tk.StopCode != "UserInitiated" || tk.StoppedReason != "Task stopped by user" {
		t.Errorf("stopped task = %s %s %q", tk.LastStatus, tk.StopCode, tk.StoppedReason)
	}
	if a.eni(eni) != nil {
		t.Error("task ENI still exists after STOPPED")
	}
	if tk.Attachments[0].Status != "DELETED" {
		t.Errorf("attachment status %s, want DELETED", tk.Attachments[0].Status)
	}
}

// Row 3: Fargate with assignPublicIp ENABLED puts a public IP on the task
// ENI; without it, none.
func TestFargatePublicIP(t *testing.T) {
	a := newArticle(t, "m5.large")
	td := must(a.e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "f", NetworkMode: "awsvpc", CPU: "256", Memory: "512",
		RequiresCompatibilities: []string{"FARGATE"}, Containers: []model.ContainerDefinition{{Essential: true, Name: "web", Image: "nginx", PortMappings: []model.PortMapping{{ContainerPort: 80}}}}}))
	for _, public := range []bool{true, false} {
		n := a.network()
		n.AssignPublicIP = public
		out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: td.ARN, LaunchType: model.LaunchFargate, Network: n}))
		tk := out.Tasks[0]
		if tk.PlatformVersion != "1.4.0" || tk.LaunchType != model.LaunchFargate || tk.ContainerInstanceARN != "" {
			t.Errorf("fargate task fields: %s %s %q", tk.PlatformVersion, tk.LaunchType, tk.ContainerInstanceARN)
		}
		_, has := a.eni(tk.ENI()).PublicIP()
		if has != public {
			t.Errorf("assignPublicIp %v: ENI has public IP %v", public, has)
		}
	}
}

// Moto row: a VPC without enableDnsHostnames still runs awsvpc tasks (moto
// answers 500 and leaks ENIs); the attachment then has no private DNS name.
func TestNoDNSHostnames(t *testing.T) {
	a := newArticle(t, "m5.large")
	f := false
	if err := a.e.ModifyVpcAttribute(a.vpc.ID, nil, &f); err != nil {
		t.Fatal(err)
	}
	out := a.run(t, a.td, a.network())
	if len(out.Tasks) != 1 || a.task(out.Tasks[0].ARN).Attachments[0].DNSName != "" {
		t.Errorf("tasks %d, dns %q", len(out.Tasks), a.task(out.Tasks[0].ARN).Attachments[0].DNSName)
	}
}

// Moto row: securityGroups omitted → the VPC's default security group.
func TestDefaultSecurityGroup(t *testing.T) {
	a := newArticle(t, "m5.large")
	out := a.run(t, a.td, &model.AwsVpcConfiguration{Subnets: []model.SubnetID{a.subnet.ID}})
	if got := a.eni(a.task(out.Tasks[0].ARN).ENI()).SecurityGroups; !slices.Equal(got, []model.SecurityGroupID{a.vpc.DefaultSecurityGroup}) {
		t.Errorf("task ENI groups %v, want the default %s", got, a.vpc.DefaultSecurityGroup)
	}
}

// Moto row: an unknown security group or subnet is an error, not a phantom.
func TestUnknownGroupAndSubnet(t *testing.T) {
	a := newArticle(t, "m5.large")
	before := stateJSON(t, a.e)
	_, err := a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web",
		Network: &model.AwsVpcConfiguration{Subnets: []model.SubnetID{a.subnet.ID}, SecurityGroups: []model.SecurityGroupID{"sg-0123456789abcdef0"}}})
	wantErr(t, err, "InvalidParameterException", "Error retrieving security group information for [sg-0123456789abcdef0]: The security group 'sg-0123456789abcdef0' does not exist (ErrorCode: InvalidGroup.NotFound)")
	_, err = a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web",
		Network: &model.AwsVpcConfiguration{Subnets: []model.SubnetID{a.subnet.ID, "subnet-0123456789abcdef0"}}})
	wantErr(t, err, "InvalidParameterException", "Error retrieving subnet information for ["+string(a.subnet.ID)+", subnet-0123456789abcdef0]: The subnet ID 'subnet-0123456789abcdef0' does not exist (ErrorCode: InvalidSubnetID.NotFound)")
	if stateJSON(t, a.e) != before {
		t.Error("a failed RunTask changed the state")
	}
}

// Row 4 and moto row: six awsvpc tasks on one m5.large: two fit without
// trunking, the rest fail with RESOURCE:ENI naming the container instance.
func TestSixTasksOnM5Large(t *testing.T) {
	a := newArticle(t, "m5.large")
	out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Count: 6, Network: a.network()}))
	if len(out.Tasks) != 2 {
		t.Fatalf("placed %d tasks, want 2", len(out.Tasks))
	}
	if len(out.Failures) != 1 || out.Failures[0].Reason != "RESOURCE:ENI" || out.Failures[0].ARN == "" {
		t.Errorf("failures = %+v, want one RESOURCE:ENI with the container instance ARN", out.Failures)
	}
}

// Row 4: LOCATION when the subnets are in another zone than every instance.
func TestLocationFailure(t *testing.T) {
	a := newArticle(t, "m5.large")
	subB := must(a.e.CreateSubnet(engine.CreateSubnetInput{VpcID: a.vpc.ID, CIDR: "10.0.3.0/24", AvailabilityZone: "us-east-1b"}))
	out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Network: &model.AwsVpcConfiguration{Subnets: []model.SubnetID{subB.ID}}}))
	if len(out.Tasks) != 0 || len(out.Failures) != 1 || out.Failures[0].Reason != "LOCATION" {
		t.Errorf("tasks %d failures %+v, want LOCATION", len(out.Tasks), out.Failures)
	}
}

// Moto rows: two bridge tasks with hostPort 3000 on one instance: the second
// fails with RESOURCE:PORTS (moto drops it silently).
func TestBridgeStaticPortConflict(t *testing.T) {
	a := newArticle(t, "m5.large")
	td := a.taskDef(t, "bridge", model.PortMapping{ContainerPort: 3000, HostPort: 3000})
	if out := a.run(t, td, nil); len(out.Tasks) != 1 {
		t.Fatalf("first: %+v", out.Failures)
	}
	out := a.run(t, td, nil)
	if len(out.Tasks) != 0 || len(out.Failures) != 1 || out.Failures[0].Reason != "RESOURCE:PORTS" {
		t.Errorf("second: tasks %d failures %+v, want RESOURCE:PORTS", len(out.Tasks), out.Failures)
	}
}

// A host port among the reserved ones (22) cannot be used.
func TestReservedPort(t *testing.T) {
	a := newArticle(t, "m5.large")
	td := a.taskDef(t, "bridge", model.PortMapping{ContainerPort: 80, HostPort: 22})
	if out := a.run(t, td, nil); len(out.Failures) != 1 || out.Failures[0].Reason != "RESOURCE:PORTS" {
		t.Errorf("failures %+v, want RESOURCE:PORTS for host port 22", out.Failures)
	}
}

// Moto row: two bridge tasks with hostPort 0 are both placed, each with its
// own host port from the dynamic range, reported in networkBindings.
func TestBridgeDynamicPorts(t *testing.T) {
	a := newArticle(t, "m5.large")
	td := a.taskDef(t, "bridge", model.PortMapping{ContainerPort: 3000})
	var ports []uint16
	for i := 0; i < 2; i++ {
		out := a.run(t, td, nil)
		if len(out.Tasks) != 1 {
			t.Fatalf("task %d: %+v", i, out.Failures)
		}
		b := a.task(out.Tasks[0].ARN).Containers[0].NetworkBindings
		if len(b) != 1 || b[0].ContainerPort != 3000 || b[0].BindIP != netip.IPv4Unspecified() || b[0].HostPort < 32768 || b[0].HostPort > 60999 {
			t.Fatalf("bindings %+v", b)
		}
		ports = append(ports, b[0].HostPort)
	}
	if ports[0] == ports[1] {
		t.Errorf("both tasks got host port %d", ports[0])
	}
}

// Moto row: two host-mode tasks on 8080 conflict.
func TestHostModeConflict(t *testing.T) {
	a := newArticle(t, "m5.large")
	td := a.taskDef(t, "host", model.PortMapping{ContainerPort: 8080})
	first := a.run(t, td, nil)
	if len(first.Tasks) != 1 || a.task(first.Tasks[0].ARN).Containers[0].NetworkBindings[0].HostPort != 8080 {
		t.Fatalf("first host task: %+v", first)
	}
	if out := a.run(t, td, nil); len(out.Failures) != 1 || out.Failures[0].Reason != "RESOURCE:PORTS" {
		t.Errorf("second host task failures %+v, want RESOURCE:PORTS", out.Failures)
	}
}

// Moto row: a bridge task given a networkConfiguration is rejected; an
// awsvpc task without one too.
func TestNetworkConfigurationRules(t *testing.T) {
	a := newArticle(t, "m5.large")
	td := a.taskDef(t, "bridge", model.PortMapping{ContainerPort: 80})
	_, err := a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: td.ARN, Network: a.network()})
	wantErr(t, err, "InvalidParameterException", "Network Configuration is not valid for the given networkMode of this task definition.")
	_, err = a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web"})
	wantErr(t, err, "InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.")
}

// Task definition rules: awsvpc host port must equal the container port,
// and is filled in when absent.
func TestAwsvpcHostPort(t *testing.T) {
	a := newArticle(t, "m5.large")
	_, err := a.e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "x", NetworkMode: "awsvpc",
		Containers: []model.ContainerDefinition{{Essential: true, Name: "x", Image: "nginx", Memory: 64, PortMappings: []model.PortMapping{{ContainerPort: 3000, HostPort: 8080}}}}})
	wantErr(t, err, "ClientException", "When networkMode=awsvpc, the host ports and container ports in port mappings must match.")
	if pm := a.td.Containers[0].PortMappings[0]; pm.HostPort != 3000 {
		t.Errorf("awsvpc hostPort = %d, want it filled with 3000", pm.HostPort)
	}
}

// Fargate rules at registration.
func TestFargateTaskDefinitionRules(t *testing.T) {
	a := newArticle(t, "m5.large")
	reg := func(mode, cpu, mem string) error {
		_, err := a.e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "f", NetworkMode: mode, CPU: cpu, Memory: mem,
			RequiresCompatibilities: []string{"FARGATE"}, Containers: []model.ContainerDefinition{{Essential: true, Name: "x", Image: "nginx"}}})
		return err
	}
	wantErr(t, reg("bridge", "256", "512"), "ClientException", "Fargate only supports network mode ‘awsvpc’.")
	wantErr(t, reg("awsvpc", "", "512"), "ClientException", "Fargate requires that 'cpu' be defined at the task level.")
	wantErr(t, reg("awsvpc", "256", "4096"), "ClientException", "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.")
	wantErr(t, reg("awsvpc", "0.25 vCPU", "128"), "ClientException", "No Fargate configuration exists for given values: 256 CPU, 128 memory. See the Amazon ECS documentation for the valid values.")
	if err := reg("awsvpc", "0.5 vCPU", "1 GB"); err != nil {
		t.Errorf("512/1024 in vCPU/GB units: %v", err)
	}
	_, err := a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", LaunchType: model.LaunchFargate, Network: a.network()})
	wantErr(t, err, "InvalidParameterException", "Task definition does not support launch_type FARGATE.")
}

// Moto row: reading never moves state; a task stays RUNNING until stopped.
func TestStateStaysRunning(t *testing.T) {
	a := newArticle(t, "m5.large")
	out := a.run(t, a.td, a.network())
	for i := 0; i < 5; i++ {
		if _, err := a.e.Step(); err != nil {
			t.Fatal(err)
		}
		if tk := a.task(out.Tasks[0].ARN); tk.LastStatus != model.TaskRunning || tk.DesiredStatus != model.TaskRunning {
			t.Fatalf("after %d steps: %s/%s", i+1, tk.LastStatus, tk.DesiredStatus)
		}
	}
}

// Row 7: tasks have complete fields.
func TestTaskFields(t *testing.T) {
	a := newArticle(t, "m5.large")
	out := a.run(t, a.td, a.network())
	tk := a.task(out.Tasks[0].ARN)
	if tk.CPU == "" || tk.Memory != "512" || tk.AvailabilityZone != "us-east-1a" || tk.LaunchType != model.LaunchEC2 || tk.ContainerInstanceARN == "" ||
		tk.Group != "family:web" || tk.PlatformVersion != "" || len(tk.Containers) != 1 || tk.Containers[0].ARN == "" {
		t.Errorf("task fields: %+v", tk)
	}
	if len(tk.ARN) != len("arn:aws:ecs:us-east-1:123456789012:task/demo/")+32 {
		t.Errorf("task ARN %s: want the long format with a 32-hex id", tk.ARN)
	}
}

// Rows 8 and 9: a service with a load balancer runs desiredCount tasks and
// registers them in the target group (ip + containerPort for awsvpc), and
// deregisters them when they stop; an instance target group is refused for
// awsvpc with AWS's message.
func TestServiceWithLoadBalancer(t *testing.T) {
	a := newArticle(t, "m5.xlarge")
	subC := must(a.e.CreateSubnet(engine.CreateSubnetInput{VpcID: a.vpc.ID, CIDR: "10.0.2.0/24", AvailabilityZone: "us-east-1c"}))
	lb := must(a.e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: "web", Subnets: []model.SubnetID{a.subnet.ID, subC.ID}}))
	ipTG := must(a.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "web-ip", Protocol: "HTTP", Port: 3000, VpcID: a.vpc.ID, TargetType: "ip"}))
	instTG := must(a.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "web-inst", Protocol: "HTTP", Port: 3000, VpcID: a.vpc.ID}))
	must(a.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80, DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: ipTG.ARN}}}))
	must(a.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 81, DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: instTG.ARN}}}))

	_, err := a.e.CreateService(engine.CreateServiceInput{Cluster: "demo", Name: "bad", TaskDefinition: "web", DesiredCount: 1, Network: a.network(),
		LoadBalancers: []model.ServiceLoadBalancer{{TargetGroupARN: instTG.ARN, ContainerName: "web", ContainerPort: 3000}}})
	wantErr(t, err, "InvalidParameterException", "The provided target group "+instTG.ARN+" has target type instance, which is incompatible with the awsvpc network mode specified in the task definition.")
	_, err = a.e.CreateService(engine.CreateServiceInput{Cluster: "demo", Name: "bad", TaskDefinition: "web", DesiredCount: 1, Network: a.network(),
		LoadBalancers: []model.ServiceLoadBalancer{{TargetGroupARN: ipTG.ARN, ContainerName: "web", ContainerPort: 8080}}})
	wantErr(t, err, "InvalidParameterException", "The container web did not have a container port 8080 defined.")

	must(a.e.CreateService(engine.CreateServiceInput{Cluster: "demo", Name: "web", TaskDefinition: "web", DesiredCount: 2, Network: a.network(),
		LoadBalancers: []model.ServiceLoadBalancer{{TargetGroupARN: ipTG.ARN, ContainerName: "web", ContainerPort: 3000}}}))
	if err := a.e.Converge(); err != nil {
		t.Fatal(err)
	}
	var targets []model.Target
	var running []*model.Task
	a.e.Read(func(st *model.State) {
		targets = st.TargetGroups[ipTG.ARN].Targets.Slice()
		for _, tk := range st.Tasks {
			if tk.ServiceName == "web" && tk.LastStatus == model.TaskRunning {
				running = append(running, tk)
			}
		}
	})
	if len(running) != 2 || len(targets) != 2 {
		t.Fatalf("running %d targets %+v, want 2 and 2", len(running), targets)
	}
	for _, tk := range running {
		want := tk.Attachments[0].PrivateIP.String()
		if !slices.ContainsFunc(targets, func(x model.Target) bool { return x.ID == want && x.Port == 3000 }) {
			t.Errorf("task %s (%s) not registered as %s:3000 in %+v", tk.ARN, want, want, targets)
		}
	}
	two := 1
	must(a.e.UpdateService(engine.UpdateServiceInput{Cluster: "demo", Service: "web", DesiredCount: &two}))
	if err := a.e.Converge(); err != nil {
		t.Fatal(err)
	}
	a.e.Read(func(st *model.State) { targets = st.TargetGroups[ipTG.ARN].Targets.Slice() })
	live := 0
	for _, x := range targets {
		if !x.Draining {
			live++
		}
	}
	if live != 1 {
		t.Errorf("after scaling to 1: targets %+v, want one registered", targets)
	}
}

// ENI capacity counts only what ECS attached: a user ENI attached to the
// instance takes a slot too (AWS: manually attached ENIs break placement).
func TestManualENITakesSlot(t *testing.T) {
	a := newArticle(t, "m5.large")
	n := must(a.e.CreateNetworkInterface(engine.CreateNetworkInterfaceInput{SubnetID: a.subnet.ID}))
	must(a.e.AttachNetworkInterface(n.ID, a.inst.ID, 1))
	out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Count: 2, Network: a.network()}))
	if len(out.Tasks) != 1 || len(out.Failures) != 1 || out.Failures[0].Reason != "RESOURCE:ENI" {
		t.Errorf("tasks %d failures %+v, want 1 placed and RESOURCE:ENI", len(out.Tasks), out.Failures)
	}
}

// Detaching a task ENI is refused as AWS refuses service-managed attachments.
func TestDetachTaskENI(t *testing.T) {
	a := newArticle(t, "m5.large")
	out := a.run(t, a.td, a.network())
	att := a.eni(a.task(out.Tasks[0].ARN).ENI()).Attachment.ID
	wantErr(t, a.e.DetachNetworkInterface(att), "OperationNotPermitted", "You are not allowed to manage 'ela-attach' attachments.")
}

// The instance public IP stays on the primary ENI: associating an Elastic IP
// by instance id fails once a task ENI is attached (more than one ENI).
func TestAssociateAddressMultipleENIs(t *testing.T) {
	a := newArticle(t, "m5.large")
	a.run(t, a.td, a.network())
	eip := must(a.e.AllocateAddress(netip.Addr{}, nil))
	_, err := a.e.AssociateAddress(engine.AssociateAddressInput{AllocationID: eip.AllocationID, InstanceID: a.inst.ID})
	wantErr(t, err, "InvalidInstanceID", "There are multiple interfaces attached to instance '"+string(a.inst.ID)+"'. Please specify an interface ID for the operation instead.")
}

// A DAEMON service runs one task on each container instance.
func TestDaemonService(t *testing.T) {
	a := newArticle(t, "m5.large")
	subC := must(a.e.CreateSubnet(engine.CreateSubnetInput{VpcID: a.vpc.ID, CIDR: "10.0.2.0/24", AvailabilityZone: "us-east-1c"}))
	a.addInstance(t, subC, "m5.large")
	td := a.taskDef(t, "bridge", model.PortMapping{ContainerPort: 9100, HostPort: 9100})
	must(a.e.CreateService(engine.CreateServiceInput{Cluster: "demo", Name: "agent", TaskDefinition: td.ARN, SchedulingStrategy: "DAEMON"}))
	if err := a.e.Converge(); err != nil {
		t.Fatal(err)
	}
	hosts := map[string]bool{}
	a.e.Read(func(st *model.State) {
		for _, tk := range st.Tasks {
			if tk.ServiceName == "agent" && tk.LastStatus == model.TaskRunning {
				hosts[tk.ContainerInstanceARN] = true
			}
		}
	})
	if len(hosts) != 2 {
		t.Errorf("daemon tasks on %d hosts, want one on each of 2", len(hosts))
	}
}

// RunTask with a client token is idempotent, in the engine (so it survives
// restarts of the emulator).
func TestRunTaskClientToken(t *testing.T) {
	a := newArticle(t, "m5.large")
	in := engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Network: a.network(), ClientToken: "once"}
	first := must(a.e.RunTask(in))
	second := must(a.e.RunTask(in))
	if len(first.Tasks) != 1 || len(second.Tasks) != 1 || first.Tasks[0].ARN != second.Tasks[0].ARN {
		t.Errorf("same token started %d then %d tasks (%v)", len(first.Tasks), len(second.Tasks), second.Tasks)
	}
}

// A bridge service whose container port maps to a dynamic host port is
// refused behind a target group with a fixed health check port (each
// task's host port differs), with AWS's text; traffic-port, or a static
// host port, is accepted.
func TestDynamicHostPortHealthCheckPort(t *testing.T) {
	a := newArticle(t, "m5.large")
	subC := must(a.e.CreateSubnet(engine.CreateSubnetInput{VpcID: a.vpc.ID, CIDR: "10.0.2.0/24", AvailabilityZone: "us-east-1c"}))
	lb := must(a.e.CreateLoadBalancer(engine.CreateLoadBalancerInput{Name: "web", Subnets: []model.SubnetID{a.subnet.ID, subC.ID}}))
	fixed := must(a.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "fixed", Protocol: "HTTP", Port: 3000, VpcID: a.vpc.ID, HealthCheckPort: "3000"}))
	traffic := must(a.e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "traffic", Protocol: "HTTP", Port: 3000, VpcID: a.vpc.ID}))
	for i, tg := range []*model.TargetGroup{fixed, traffic} {
		must(a.e.CreateListener(engine.CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: uint16(80 + i), DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: tg.ARN}}}))
	}
	for _, host := range []uint16{0, 3000} {
		must(a.e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: fmt.Sprintf("bridge-%d", host), NetworkMode: "bridge",
			Containers: []model.ContainerDefinition{{Name: "web", Image: "node:20", Memory: 256, Essential: true,
				PortMappings: []model.PortMapping{{ContainerPort: 3000, HostPort: host}}}}}))
	}
	svc := func(name, td string, tg *model.TargetGroup) error {
		_, err := a.e.CreateService(engine.CreateServiceInput{Cluster: "demo", Name: name, TaskDefinition: td, DesiredCount: 1,
			LoadBalancers: []model.ServiceLoadBalancer{{TargetGroupARN: tg.ARN, ContainerName: "web", ContainerPort: 3000}}})
		return err
	}
	wantErr(t, svc("dynamic", "bridge-0", fixed), "InvalidParameterException",
		"The task definition is configured to use a dynamic host port, but the target group with targetGroupArn "+fixed.ARN+" has a health check port specified.")
	if err := svc("dynamic", "bridge-0", traffic); err != nil {
		t.Errorf("dynamic host port, traffic-port: %v", err)
	}
	if err := svc("static", "bridge-3000", fixed); err != nil {
		t.Errorf("static host port, health check port 3000: %v", err)
	}
}
