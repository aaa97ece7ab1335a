package server_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// provGroup is an Auto Scaling group of one instance type in the
// estate's cluster c, and a capacity provider NAME-cp on it.
type provGroup struct {
	name           string
	instanceType   ec2types.InstanceType
	desired, max   int32
	managed        bool
	targetCapacity int32
}

// provisioningEstate creates the groups and their capacity providers in
// cluster c (no default strategy), and two bridge-mode task definitions:
// "small" (512 CPU units, 512 MiB) and "big" (4,096 MiB, more memory than
// a t3.micro registers).
func provisioningEstate(t *testing.T, es *estate, groups ...provGroup) {
	t.Helper()
	c := es.c
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"))
	var names []string
	for _, g := range groups {
		lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String(g.name + "-lt"),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: g.instanceType,
				SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsTemplateProfile(t, es.url)}})
		must(t, err)
		_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(g.name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(0), MaxSize: aws.Int32(g.max), DesiredCapacity: aws.Int32(g.desired), VPCZoneIdentifier: aws.String(es.subnets[0])})
		must(t, err)
		arn := aws.ToString(tfGroup(t, c, g.name).AutoScalingGroupARN)
		ms := &ecstypes.ManagedScaling{Status: ecstypes.ManagedScalingStatusDisabled}
		if g.managed {
			ms = &ecstypes.ManagedScaling{Status: ecstypes.ManagedScalingStatusEnabled, TargetCapacity: aws.Int32(g.targetCapacity)}
		}
		_, err = c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String(g.name + "-cp"),
			AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProvider{AutoScalingGroupArn: &arn, ManagedScaling: ms}})
		must(t, err)
		names = append(names, g.name+"-cp")
	}
	_, err := c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"), CapacityProviders: names,
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)
	for name, mem := range map[string]int32{"small": 512, "big": 4096} {
		_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String(name), NetworkMode: ecstypes.NetworkModeBridge,
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("w"), Image: aws.String("nginx"), Cpu: 512, Memory: aws.Int32(mem)}}})
		must(t, err)
	}
	for _, g := range groups {
		want := int(g.desired)
		eventually(t, "the group "+g.name+"'s instances register", func() bool {
			return len(groupContainerInstances(t, c, g.name)) == want
		})
	}
}

// groupContainerInstances lists the ACTIVE container instances of cluster
// c on the group's instances.
func groupContainerInstances(t *testing.T, c clients, group string) []string {
	t.Helper()
	ids := map[string]bool{}
	for _, i := range tfGroup(t, c, group).Instances {
		ids[aws.ToString(i.InstanceId)] = true
	}
	list, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c"), Status: ecstypes.ContainerInstanceStatusActive})
	must(t, err)
	if len(list.ContainerInstanceArns) == 0 {
		return nil
	}
	d, err := c.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: list.ContainerInstanceArns})
	must(t, err)
	var out []string
	for _, ci := range d.ContainerInstances {
		if ids[aws.ToString(ci.Ec2InstanceId)] {
			out = append(out, aws.ToString(ci.ContainerInstanceArn))
		}
	}
	return out
}

func runOn(t *testing.T, c clients, provider, td string, count int32) (*ecs.RunTaskOutput, error) {
	t.Helper()
	return c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(td), Count: aws.Int32(count),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String(provider), Weight: 1}}})
}

// TestRunTaskProvisioningOnEmptyGroup checks ECS cluster auto scaling for
// RunTask through the Go SDK: on a capacity provider with managed scaling
// whose group has no instance, RunTask answers every task PROVISIONING
// (no container instance, no failure); the tasks drive managed scaling,
// which sets the group's desired capacity as AWS computes it (six tasks
// of 512 CPU units need two t3.large instances, M = 2; at a target
// capacity of 50 the desired capacity is M × 100 / 50 = 4); and the tasks
// run once the instances register.
func TestRunTaskProvisioningOnEmptyGroup(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	provisioningEstate(t, es, provGroup{name: "empty", instanceType: ec2types.InstanceTypeT3Large, max: 10, managed: true, targetCapacity: 50})
	out, err := runOn(t, c, "empty-cp", "small", 6)
	must(t, err)
	if len(out.Tasks) != 6 || len(out.Failures) != 0 {
		t.Fatalf("RunTask: %d tasks, failures %+v; want 6 tasks, no failure", len(out.Tasks), out.Failures)
	}
	var arns []string
	for _, tk := range out.Tasks {
		arns = append(arns, aws.ToString(tk.TaskArn))
		if aws.ToString(tk.LastStatus) != "PROVISIONING" || aws.ToString(tk.DesiredStatus) != "RUNNING" || tk.ContainerInstanceArn != nil ||
			aws.ToString(tk.CapacityProviderName) != "empty-cp" {
			t.Errorf("task %s: lastStatus %s, desiredStatus %s, container instance %v, provider %q; want PROVISIONING, RUNNING, none, empty-cp",
				aws.ToString(tk.TaskArn), aws.ToString(tk.LastStatus), aws.ToString(tk.DesiredStatus), aws.ToString(tk.ContainerInstanceArn), aws.ToString(tk.CapacityProviderName))
		}
	}
	eventually(t, "managed scaling sets the desired capacity", func() bool {
		return aws.ToInt32(tfGroup(t, c, "empty").DesiredCapacity) != 0
	})
	if got := aws.ToInt32(tfGroup(t, c, "empty").DesiredCapacity); got != 4 {
		t.Errorf("desired capacity %d, want 4 (two instances needed, target capacity 50)", got)
	}
	eventually(t, "the six tasks run", func() bool {
		d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: arns})
		must(t, err)
		for _, tk := range d.Tasks {
			if aws.ToString(tk.LastStatus) != "RUNNING" || tk.ContainerInstanceArn == nil {
				return false
			}
		}
		return len(d.Tasks) == 6
	})
	if got := aws.ToInt32(tfGroup(t, c, "empty").DesiredCapacity); got != 4 {
		t.Errorf("desired capacity %d once the tasks run, want 4", got)
	}
}

// TestRunTaskWithoutManagedScaling checks that a capacity provider whose
// managed scaling is off fails at once, as ECS did before cluster auto
// scaling: with no instance, RunTask is refused (InvalidParameterException);
// with an instance too small for the task, RunTask answers no task and a
// RESOURCE:MEMORY failure naming the container instance; no task waits
// and the groups do not grow. A strategy that gives a share to such a
// provider without instances is refused whole, the share of a provider
// with managed scaling included (one transaction, [choice]).
func TestRunTaskWithoutManagedScaling(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	provisioningEstate(t, es, provGroup{name: "none", instanceType: ec2types.InstanceTypeT3Micro, max: 2},
		provGroup{name: "tiny", instanceType: ec2types.InstanceTypeT3Micro, desired: 1, max: 2},
		provGroup{name: "auto", instanceType: ec2types.InstanceTypeT3Micro, max: 2, managed: true, targetCapacity: 100})
	_, err := runOn(t, c, "none-cp", "small", 1)
	wantAPIError(t, err, "InvalidParameterException", "No Container Instances were found in your capacity provider.")
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("small"), Count: aws.Int32(2),
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("auto-cp"), Weight: 1},
			{CapacityProvider: aws.String("none-cp"), Weight: 1}}})
	wantAPIError(t, err, "InvalidParameterException", "No Container Instances were found in your capacity provider.")
	out, err := runOn(t, c, "tiny-cp", "big", 2)
	must(t, err)
	cis := groupContainerInstances(t, c, "tiny")
	if len(out.Tasks) != 0 || len(out.Failures) != 1 || len(cis) != 1 ||
		aws.ToString(out.Failures[0].Reason) != "RESOURCE:MEMORY" || aws.ToString(out.Failures[0].Arn) != cis[0] {
		t.Errorf("RunTask: %d tasks, failures %+v; want none and RESOURCE:MEMORY on %v", len(out.Tasks), out.Failures, cis)
	}
	list, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c")})
	must(t, err)
	if len(list.TaskArns) != 0 {
		t.Errorf("tasks %v, want none", list.TaskArns)
	}
	for name, want := range map[string]int32{"none": 0, "tiny": 1, "auto": 0} {
		if got := aws.ToInt32(tfGroup(t, c, name).DesiredCapacity); got != want {
			t.Errorf("group %s: desired capacity %d, want %d", name, got, want)
		}
	}
}

// TestCapacityWaitFollowsStepScale checks the end of a capacity wait with
// the default wait, 30 minutes of AWS's time, which the emulator scales
// as ELB's durations (one step interval is ten seconds: 1.8 s at the
// tests' 10 ms): a task that no instance of its managed provider can
// take, the group at its maximum, waits PROVISIONING, then stops with
// stopCode TaskFailedToStart and the stoppedReason ECS gives, the
// resource the instances lack ("TaskFailedToStart: RESOURCE:MEMORY").
func TestCapacityWaitFollowsStepScale(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	provisioningEstate(t, es, provGroup{name: "full", instanceType: ec2types.InstanceTypeT3Micro, desired: 1, max: 1, managed: true, targetCapacity: 100})
	out, err := runOn(t, c, "full-cp", "big", 1)
	must(t, err)
	if len(out.Tasks) != 1 || len(out.Failures) != 0 || aws.ToString(out.Tasks[0].LastStatus) != "PROVISIONING" {
		t.Fatalf("RunTask: %+v, failures %+v; want one PROVISIONING task", out.Tasks, out.Failures)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	// Not eventually's 10 s: a loaded machine steps late, and the wait
	// lasts its steps.
	for deadline := time.Now().Add(time.Minute); aws.ToString(describeTask(t, c, arn).LastStatus) != "STOPPED"; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the task still waits after a minute: %s", aws.ToString(describeTask(t, c, arn).LastStatus))
		}
	}
	tk := describeTask(t, c, arn)
	if tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart || aws.ToString(tk.StoppedReason) != "TaskFailedToStart: RESOURCE:MEMORY" {
		t.Errorf("stopped task: stopCode %q, stoppedReason %q; want TaskFailedToStart, %q", tk.StopCode, aws.ToString(tk.StoppedReason), "TaskFailedToStart: RESOURCE:MEMORY")
	}
	if aws.ToInt32(tfGroup(t, c, "full").DesiredCapacity) != 1 {
		t.Errorf("the group grew past its maximum")
	}
}

// TestProvisioningTasksPerCluster checks ECS's quota of tasks waiting in
// PROVISIONING in a cluster (500 on AWS; 3 here): RunTask that would take
// a cluster past it is refused whole, ClientException "Tasks provisioning
// capacity limit exceeded." (no task created); a task that finds capacity
// still runs; a service records "service S was unable to place tasks in
// your cluster because the tasks provisioning capacity limit was
// exceeded." and starts its task once a waiting one goes.
func TestProvisioningTasksPerCluster(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil, engine.WithProvisioningTasksPerCluster(3)), "t3.micro", 0)
	c := es.c
	provisioningEstate(t, es, provGroup{name: "capped", instanceType: ec2types.InstanceTypeT3Large, max: 0, managed: true, targetCapacity: 100},
		provGroup{name: "warm", instanceType: ec2types.InstanceTypeT3Large, desired: 1, max: 1})
	first, err := runOn(t, c, "capped-cp", "small", 2)
	must(t, err)
	if len(first.Tasks) != 2 {
		t.Fatalf("RunTask: %d tasks, want 2", len(first.Tasks))
	}
	_, err = runOn(t, c, "capped-cp", "small", 2)
	wantAPIError(t, err, "ClientException", "Tasks provisioning capacity limit exceeded.")
	list, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c")})
	must(t, err)
	if len(list.TaskArns) != 2 {
		t.Errorf("%d tasks after the refused RunTask, want 2", len(list.TaskArns))
	}
	third, err := runOn(t, c, "capped-cp", "small", 1)
	must(t, err)
	if len(third.Tasks) != 1 || aws.ToString(third.Tasks[0].LastStatus) != "PROVISIONING" {
		t.Fatalf("RunTask of the third waiting task: %+v", third.Tasks)
	}
	placed, err := runOn(t, c, "warm-cp", "small", 1)
	must(t, err)
	if len(placed.Tasks) != 1 || placed.Tasks[0].ContainerInstanceArn == nil {
		t.Errorf("RunTask on the warm provider: %+v, failures %+v; want a placed task", placed.Tasks, placed.Failures)
	}
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("s"), TaskDefinition: aws.String("small"),
		DesiredCount: aws.Int32(1), CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("capped-cp"), Weight: 1}}})
	must(t, err)
	const event = "service s was unable to place tasks in your cluster because the tasks provisioning capacity limit was exceeded."
	eventually(t, "the service reports the quota", func() bool {
		d, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"s"}})
		must(t, err)
		return len(d.Services) == 1 && len(d.Services[0].Events) > 0 && aws.ToString(d.Services[0].Events[0].Message) == event
	})
	_, err = c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("c"), Task: first.Tasks[0].TaskArn})
	must(t, err)
	eventually(t, "the service's task waits for capacity", func() bool {
		l, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("s")})
		must(t, err)
		return len(l.TaskArns) == 1 && aws.ToString(describeTask(t, c, l.TaskArns[0]).LastStatus) == "PROVISIONING"
	})
}

// TestScenarioCapacityWait: a region loaded from a scenario runs on the
// step loop's clock as a region opened empty does: the task its service
// started waiting for capacity during the scenario's build (the group at
// its maximum size, 0) stops once AWS's 30 minutes have passed on the
// scaled clock (TaskFailedToStart). Before, the region kept the
// scenario's configuration, and the task waited 30 wall-clock minutes.
func TestScenarioCapacityWait(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	sc, err := scenario.Parse("capped.yaml", []byte(`name: capped
vpcs:
  main: {cidr: 10.0.0.0/16, internet_gateway: igw}
subnets:
  public-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
route_tables:
  public:
    vpc: main
    routes: [{destination: 0.0.0.0/0, target: igw}]
security_groups:
  node-sg: {vpc: main}
clusters:
  c: {capacity_providers: [node-cp]}
launch_templates:
  node-lt:
    instance_type: t3.micro
    security_groups: [node-sg]
    user_data: |
      #!/bin/bash
      echo ECS_CLUSTER=c >> /etc/ecs/ecs.config
auto_scaling_groups:
  node-asg: {launch_template: node-lt, subnets: [public-a], min: 0, max: 0, desired: 0}
capacity_providers:
  node-cp: {auto_scaling_group: node-asg, managed_scaling: true}
task_definitions:
  td:
    network_mode: bridge
    containers:
      app: {image: nginx, memory: 64}
services:
  svc:
    cluster: c
    task_definition: td
    desired: 1
    capacity_provider_strategy: [{capacity_provider: node-cp, weight: 1}]
`))
	must(t, err)
	must(t, em.srv.LoadScenario(sc))
	c := sdkClients(em.URL)
	first, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c")})
	must(t, err)
	if len(first.TaskArns) != 1 || aws.ToString(describeTask(t, c, first.TaskArns[0]).LastStatus) != "PROVISIONING" {
		t.Fatalf("tasks %v, want the service's one PROVISIONING", first.TaskArns)
	}
	for deadline := time.Now().Add(time.Minute); aws.ToString(describeTask(t, c, first.TaskArns[0]).LastStatus) != "STOPPED"; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the scenario's waiting task still waits after a minute")
		}
	}
	if tk := describeTask(t, c, first.TaskArns[0]); tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart {
		t.Errorf("stopCode %q, stoppedReason %q; want TaskFailedToStart", tk.StopCode, aws.ToString(tk.StoppedReason))
	}
}
