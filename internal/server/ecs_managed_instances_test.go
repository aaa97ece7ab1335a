package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestManagedInstancesPlaceAwsvpcTasks checks ECS Managed Instances through
// the Go SDK: a managedInstancesProvider needs a cluster and existing
// subnets; it is answered type MANAGED_INSTANCES with its cluster; a task
// definition requiring MANAGED_INSTANCES must name its network mode and is
// answered with that compatibility; RunTask refuses the launch type (a
// capacity provider strategy is how) and a public IP for the task; with the
// provider's strategy ECS launches an instance in the provider's subnet and
// group, registers it with the cluster under the provider, and the awsvpc
// task's ENI has a private address only, while the instance, in a subnet
// that maps public IPs, has one: the article's trap.
func TestManagedInstancesPlaceAwsvpcTasks(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	role, profile := infrastructureRole(t, es.url, "ecsInfrastructureRole", "ecs.amazonaws.com"), "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
	mip := func(subnets ...string) *ecstypes.CreateManagedInstancesProviderConfiguration {
		return &ecstypes.CreateManagedInstancesProviderConfiguration{InfrastructureRoleArn: aws.String(role),
			PropagateTags: ecstypes.PropagateMITagsCapacityProvider,
			InstanceLaunchTemplate: &ecstypes.InstanceLaunchTemplate{Ec2InstanceProfileArn: aws.String(profile),
				NetworkConfiguration: &ecstypes.ManagedInstancesNetworkConfiguration{Subnets: subnets, SecurityGroups: []string{es.open}}}}
	}
	_, err := c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("mi"), ManagedInstancesProvider: mip(es.subnets...)})
	wantCode(t, err, "InvalidParameterException") // no cluster
	// An infrastructure role that trusts the tasks' principal, not ECS's.
	role = infrastructureRole(t, es.url, "tasksOnly", "ecs-tasks.amazonaws.com")
	_, err = c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("mi"), Cluster: aws.String("c"), ManagedInstancesProvider: mip(es.subnets[0])})
	wantLimitError(t, "an infrastructure role ECS cannot assume", err, "InvalidParameterException",
		"ECS was unable to assume the configured ECS Infrastructure Role '"+role+"'. Please verify that the role being passed has the proper trust relationship with Amazon ECS.")
	role = "arn:aws:iam::123456789012:role/ecsInfrastructureRole"
	_, err = c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("mi"), Cluster: aws.String("c"), ManagedInstancesProvider: mip("subnet-0123456789abcdef0")})
	wantCode(t, err, "InvalidParameterException") // no such subnet
	out, err := c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("mi"), Cluster: aws.String("c"),
		ManagedInstancesProvider: mip(es.subnets[0]), Tags: []ecstypes.Tag{{Key: aws.String("team"), Value: aws.String("web")}}})
	must(t, err)
	cp := out.CapacityProvider
	if cp.Type != ecstypes.CapacityProviderTypeManagedInstances || aws.ToString(cp.Cluster) != "c" || cp.ManagedInstancesProvider == nil ||
		aws.ToString(cp.ManagedInstancesProvider.InfrastructureRoleArn) != role ||
		!slices.Equal(cp.ManagedInstancesProvider.InstanceLaunchTemplate.NetworkConfiguration.Subnets, []string{es.subnets[0]}) {
		t.Fatalf("created provider: %+v", cp)
	}
	_, err = c.ecs.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"), CapacityProviders: []string{"mi"},
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)

	container := []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(512),
		PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}}}}
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), ContainerDefinitions: container,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances}})
	wantCode(t, err, "ClientException") // no network mode
	td, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), ContainerDefinitions: container,
		NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances}})
	must(t, err)
	if !slices.Contains(td.TaskDefinition.Compatibilities, ecstypes.CompatibilityManagedInstances) {
		t.Errorf("compatibilities %v lack MANAGED_INSTANCES", td.TaskDefinition.Compatibilities)
	}
	strategy := []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("mi"), Weight: 1}}
	network := func(public ecstypes.AssignPublicIp) *ecstypes.NetworkConfiguration {
		return &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{es.subnets[0]},
			SecurityGroups: []string{es.open}, AssignPublicIp: public}}
	}
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		LaunchType: ecstypes.LaunchTypeManagedInstances, NetworkConfiguration: network(ecstypes.AssignPublicIpDisabled)})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
		CapacityProviderStrategy: strategy, NetworkConfiguration: network(ecstypes.AssignPublicIpEnabled)})
	wantCode(t, err, "InvalidParameterException")

	run, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"), Count: aws.Int32(2),
		CapacityProviderStrategy: strategy, NetworkConfiguration: network(ecstypes.AssignPublicIpDisabled)})
	must(t, err)
	if len(run.Tasks) != 2 || len(run.Failures) > 0 {
		t.Fatalf("RunTask: %d tasks, failures %+v", len(run.Tasks), run.Failures)
	}
	tk := run.Tasks[0]
	if tk.LaunchType != ecstypes.LaunchTypeManagedInstances || aws.ToString(tk.CapacityProviderName) != "mi" {
		t.Errorf("task launch type %q provider %q", tk.LaunchType, aws.ToString(tk.CapacityProviderName))
	}
	if aws.ToString(run.Tasks[1].ContainerInstanceArn) != aws.ToString(tk.ContainerInstanceArn) {
		t.Errorf("the second task got another instance: ECS packs tasks on the instance it launched")
	}
	cis, err := c.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: []string{aws.ToString(tk.ContainerInstanceArn)}})
	must(t, err)
	ci := cis.ContainerInstances[0]
	if aws.ToString(ci.CapacityProviderName) != "mi" || aws.ToString(ci.Status) != "ACTIVE" {
		t.Errorf("container instance provider %q status %q", aws.ToString(ci.CapacityProviderName), aws.ToString(ci.Status))
	}
	di, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(ci.Ec2InstanceId)}})
	must(t, err)
	inst := di.Reservations[0].Instances[0]
	if aws.ToString(inst.SubnetId) != es.subnets[0] || len(inst.SecurityGroups) != 1 || aws.ToString(inst.SecurityGroups[0].GroupId) != es.open {
		t.Errorf("managed instance in %s with groups %+v, want the provider's", aws.ToString(inst.SubnetId), inst.SecurityGroups)
	}
	if aws.ToString(inst.PublicIpAddress) == "" {
		t.Errorf("the managed instance, in a subnet that maps public IPs, has none")
	}
	if !slices.ContainsFunc(inst.Tags, func(tg ec2types.Tag) bool { return aws.ToString(tg.Key) == "team" && aws.ToString(tg.Value) == "web" }) {
		t.Errorf("propagateTags CAPACITY_PROVIDER: instance tags %+v lack the provider's", inst.Tags)
	}
	var eni string
	for _, a := range tk.Attachments {
		for _, d := range a.Details {
			if aws.ToString(d.Name) == "networkInterfaceId" {
				eni = aws.ToString(d.Value)
			}
		}
	}
	enis, err := c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
	must(t, err)
	n := enis.NetworkInterfaces[0]
	if n.Association != nil && aws.ToString(n.Association.PublicIp) != "" || aws.ToString(n.PrivateIpAddress) == "" || aws.ToString(n.PrivateIpAddress) == aws.ToString(inst.PrivateIpAddress) {
		t.Errorf("task ENI %s: private %s, association %+v; want its own private address only", eni, aws.ToString(n.PrivateIpAddress), n.Association)
	}

	up, err := c.ecs.UpdateCapacityProvider(ctx, &ecs.UpdateCapacityProviderInput{Name: aws.String("mi"), Cluster: aws.String("c"),
		ManagedInstancesProvider: &ecstypes.UpdateManagedInstancesProviderConfiguration{InfrastructureRoleArn: aws.String(role),
			PropagateTags: ecstypes.PropagateMITagsNone,
			InstanceLaunchTemplate: &ecstypes.InstanceLaunchTemplateUpdate{Ec2InstanceProfileArn: aws.String(profile),
				NetworkConfiguration: &ecstypes.ManagedInstancesNetworkConfiguration{Subnets: es.subnets, SecurityGroups: []string{es.open}}}}})
	must(t, err)
	if up.CapacityProvider.ManagedInstancesProvider.PropagateTags != ecstypes.PropagateMITagsNone ||
		len(up.CapacityProvider.ManagedInstancesProvider.InstanceLaunchTemplate.NetworkConfiguration.Subnets) != 2 {
		t.Errorf("updated provider: %+v", up.CapacityProvider.ManagedInstancesProvider)
	}
	d, err := c.ecs.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: []string{"mi"}})
	must(t, err)
	if len(d.CapacityProviders) != 1 || d.CapacityProviders[0].Type != ecstypes.CapacityProviderTypeManagedInstances {
		t.Errorf("DescribeCapacityProviders: %+v", d.CapacityProviders)
	}

	// Deleting the provider (its cluster's own) terminates the instances
	// ECS launched for it, and the cluster no longer lists it.
	del, err := c.ecs.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderInput{CapacityProvider: aws.String("mi"), Cluster: aws.String("c")})
	must(t, err)
	if del.CapacityProvider.UpdateStatus != ecstypes.CapacityProviderUpdateStatusDeleteInProgress {
		t.Errorf("DeleteCapacityProvider: updateStatus %q", del.CapacityProvider.UpdateStatus)
	}
	eventually(t, "the managed instance terminates", func() bool {
		di, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(ci.Ec2InstanceId)}})
		return err == nil && di.Reservations[0].Instances[0].State.Name == ec2types.InstanceStateNameTerminated
	})
	cl, err := c.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"c"}})
	must(t, err)
	if slices.Contains(cl.Clusters[0].CapacityProviders, "mi") {
		t.Errorf("the cluster still lists the deleted provider: %v", cl.Clusters[0].CapacityProviders)
	}
}

// TestManagedInstancesService checks a service on a Managed Instances
// provider through the Go SDK: CreateService with launch type
// MANAGED_INSTANCES is refused (a strategy is how); with the provider's
// strategy the service's tasks run on an instance ECS launched, and a
// service using the provider keeps it from being deleted.
func TestManagedInstancesService(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	_, err := c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("mi"), Cluster: aws.String("c"),
		ManagedInstancesProvider: &ecstypes.CreateManagedInstancesProviderConfiguration{
			InfrastructureRoleArn: aws.String(infrastructureRole(t, es.url, "ecsInfrastructureRole", "ecs.amazonaws.com")),
			InstanceLaunchTemplate: &ecstypes.InstanceLaunchTemplate{Ec2InstanceProfileArn: aws.String("arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"),
				NetworkConfiguration: &ecstypes.ManagedInstancesNetworkConfiguration{Subnets: es.subnets, SecurityGroups: []string{es.open}}}}})
	must(t, err)
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances},
		ContainerDefinitions:    []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(512)}}})
	must(t, err)
	network := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets, SecurityGroups: []string{es.open}}}
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("bad"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeManagedInstances, NetworkConfiguration: network})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(2), NetworkConfiguration: network,
		CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("mi"), Weight: 1}}})
	must(t, err)
	var tasks []ecstypes.Task
	eventually(t, "the service's two tasks run", func() bool {
		l, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("web")})
		if err != nil || len(l.TaskArns) != 2 {
			return false
		}
		d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: l.TaskArns})
		if err != nil {
			return false
		}
		tasks = d.Tasks
		for _, tk := range tasks {
			if aws.ToString(tk.LastStatus) != "RUNNING" {
				return false
			}
		}
		return true
	})
	for _, tk := range tasks {
		if tk.LaunchType != ecstypes.LaunchTypeManagedInstances || aws.ToString(tk.CapacityProviderName) != "mi" || aws.ToString(tk.ContainerInstanceArn) == "" {
			t.Errorf("task %s: launch type %q provider %q instance %q", aws.ToString(tk.TaskArn), tk.LaunchType,
				aws.ToString(tk.CapacityProviderName), aws.ToString(tk.ContainerInstanceArn))
		}
	}
	_, err = c.ecs.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderInput{CapacityProvider: aws.String("mi"), Cluster: aws.String("c")})
	wantCode(t, err, "ClientException")
}

// TestManagedInstancesIdleScaleIn checks ECS Managed Instances' idle
// instance detection through the Go SDK: once its last task stops, an
// instance of a provider whose infrastructureOptimization.scaleInAfter is
// 1 s is deregistered and terminated; one whose provider sets -1 stays;
// scaleInAfter outside -1..3600 is refused.
func TestManagedInstancesIdleScaleIn(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	role := infrastructureRole(t, es.url, "ecsInfrastructureRole", "ecs.amazonaws.com")
	provider := func(name string, after int32) error {
		_, err := c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String(name), Cluster: aws.String("c"),
			ManagedInstancesProvider: &ecstypes.CreateManagedInstancesProviderConfiguration{InfrastructureRoleArn: aws.String(role),
				InfrastructureOptimization: &ecstypes.InfrastructureOptimization{ScaleInAfter: aws.Int32(after)},
				InstanceLaunchTemplate: &ecstypes.InstanceLaunchTemplate{Ec2InstanceProfileArn: aws.String("arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"),
					NetworkConfiguration: &ecstypes.ManagedInstancesNetworkConfiguration{Subnets: es.subnets, SecurityGroups: []string{es.open}}}}})
		return err
	}
	wantCode(t, provider("bad", 3601), "InvalidParameterException")
	must(t, provider("quick", 1))
	must(t, provider("never", -1))
	_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("job"), NetworkMode: ecstypes.NetworkModeHost,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityManagedInstances},
		ContainerDefinitions:    []ecstypes.ContainerDefinition{{Name: aws.String("job"), Image: aws.String("busybox"), Memory: aws.Int32(256)}}})
	must(t, err)
	instanceOf := map[string]string{}
	for _, p := range []string{"quick", "never"} {
		run, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("job"),
			CapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String(p), Weight: 1}}})
		must(t, err)
		if len(run.Tasks) != 1 {
			t.Fatalf("RunTask on %s: %+v", p, run.Failures)
		}
		instanceOf[p] = aws.ToString(run.Tasks[0].ContainerInstanceArn)
		_, err = c.ecs.StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String("c"), Task: run.Tasks[0].TaskArn})
		must(t, err)
	}
	status := func(p string) (ci ecstypes.ContainerInstance, state ec2types.InstanceStateName) {
		d, err := c.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: []string{instanceOf[p]}})
		must(t, err)
		ci = d.ContainerInstances[0]
		di, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(ci.Ec2InstanceId)}})
		must(t, err)
		return ci, di.Reservations[0].Instances[0].State.Name
	}
	eventually(t, "the idle instance of 'quick' is deregistered and terminated", func() bool {
		ci, state := status("quick")
		return aws.ToString(ci.Status) == "INACTIVE" && state == ec2types.InstanceStateNameTerminated
	})
	if ci, state := status("never"); aws.ToString(ci.Status) != "ACTIVE" || state != ec2types.InstanceStateNameRunning {
		t.Errorf("scaleInAfter -1: the idle instance is %s (%s), want ACTIVE and running", aws.ToString(ci.Status), state)
	}
}
