package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The tests here replay, call by call, what Terraform's AWS provider
// (internal/service/ecs: cluster.go, cluster_capacity_providers.go,
// capacity_provider.go, task_definition.go, service.go,
// account_setting_default.go, tag.go) sends for each resource's create,
// read, update and delete, waiters included, and check the fields the
// provider reads back.

func ecsTags(kv ...string) []ecstypes.Tag {
	var out []ecstypes.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, ecstypes.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

func tagMap(tags []ecstypes.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// tfReadCluster is the provider's findClusterByNameOrARN: DescribeClusters
// with CONFIGURATIONS, SETTINGS and TAGS; MISSING or INACTIVE is gone.
func tfReadCluster(t *testing.T, c *ecs.Client, id string) *ecstypes.Cluster {
	t.Helper()
	out, err := c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{id},
		Include: []ecstypes.ClusterField{ecstypes.ClusterFieldConfigurations, ecstypes.ClusterFieldSettings, ecstypes.ClusterFieldTags}})
	must(t, err)
	if len(out.Clusters) != 1 {
		return nil
	}
	return &out.Clusters[0]
}

func TestTerraformECSCluster(t *testing.T) {
	t.Parallel()
	c := sdkClients(newEmulator(t, nil).URL).ecs

	// Create: CreateCluster, then waitClusterAvailable (status ACTIVE).
	cr, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("tf"),
		Settings: []ecstypes.ClusterSetting{{Name: ecstypes.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}},
		Configuration: &ecstypes.ClusterConfiguration{ExecuteCommandConfiguration: &ecstypes.ExecuteCommandConfiguration{
			Logging:          ecstypes.ExecuteCommandLoggingOverride,
			LogConfiguration: &ecstypes.ExecuteCommandLogConfiguration{CloudWatchLogGroupName: aws.String("exec"), CloudWatchEncryptionEnabled: true}}},
		Tags: ecsTags("Name", "tf", "env", "test")})
	must(t, err)
	arn := aws.ToString(cr.Cluster.ClusterArn)
	cl := tfReadCluster(t, c, arn)
	if cl == nil || aws.ToString(cl.Status) != "ACTIVE" || aws.ToString(cl.ClusterName) != "tf" {
		t.Fatalf("cluster after create: %+v", cl)
	}
	if len(cl.Settings) != 1 || cl.Settings[0].Name != ecstypes.ClusterSettingNameContainerInsights || aws.ToString(cl.Settings[0].Value) != "enabled" {
		t.Errorf("settings: %+v", cl.Settings)
	}
	if x := cl.Configuration; x == nil || x.ExecuteCommandConfiguration == nil || x.ExecuteCommandConfiguration.Logging != ecstypes.ExecuteCommandLoggingOverride ||
		aws.ToString(x.ExecuteCommandConfiguration.LogConfiguration.CloudWatchLogGroupName) != "exec" {
		t.Errorf("configuration: %+v", x)
	}
	if m := tagMap(cl.Tags); m["Name"] != "tf" || m["env"] != "test" {
		t.Errorf("tags: %v", m)
	}

	// Update: UpdateCluster (settings, configuration), tags through
	// TagResource/UntagResource, waitClusterAvailable, read.
	_, err = c.UpdateCluster(ctx, &ecs.UpdateClusterInput{Cluster: aws.String(arn),
		Settings: []ecstypes.ClusterSetting{{Name: ecstypes.ClusterSettingNameContainerInsights, Value: aws.String("disabled")}}})
	must(t, err)
	_, err = c.UntagResource(ctx, &ecs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"env"}})
	must(t, err)
	_, err = c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(arn), Tags: ecsTags("team", "net")})
	must(t, err)
	cl = tfReadCluster(t, c, arn)
	if aws.ToString(cl.Settings[0].Value) != "disabled" || cl.Configuration == nil {
		t.Errorf("after update: settings %+v configuration %+v", cl.Settings, cl.Configuration)
	}
	if m := tagMap(cl.Tags); len(m) != 2 || m["team"] != "net" {
		t.Errorf("tags after update: %v", m)
	}

	// aws_ecs_tag: TagResource, read by ListTagsForResource, UntagResource.
	_, err = c.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: aws.String(arn), Tags: ecsTags("extra", "1")})
	must(t, err)
	lt, err := c.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	must(t, err)
	if tagMap(lt.Tags)["extra"] != "1" {
		t.Errorf("ListTagsForResource: %+v", lt.Tags)
	}
	_, err = c.UntagResource(ctx, &ecs.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"extra"}})
	must(t, err)

	// Delete: DeleteCluster, then waitClusterDeleted (INACTIVE).
	_, err = c.DeleteCluster(ctx, &ecs.DeleteClusterInput{Cluster: aws.String(arn)})
	must(t, err)
	if cl := tfReadCluster(t, c, arn); cl != nil && aws.ToString(cl.Status) != "INACTIVE" {
		t.Errorf("after delete: %s", aws.ToString(cl.Status))
	}
}

func TestTerraformECSCapacityProviders(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeM5Large, 0)
	c := es.c.ecs
	lt, err := es.c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("tf-node"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM5Large}})
	must(t, err)
	_, err = es.c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("tf-asg"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(0), MaxSize: aws.Int32(2), VPCZoneIdentifier: aws.String(es.subnets[0]), NewInstancesProtectedFromScaleIn: aws.Bool(true)})
	must(t, err)
	g, err := es.c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"tf-asg"}})
	must(t, err)
	asgARN := aws.ToString(g.AutoScalingGroups[0].AutoScalingGroupARN)

	// aws_ecs_capacity_provider create, then read with include TAGS.
	cr, err := c.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String("tf-cp"),
		AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProvider{AutoScalingGroupArn: aws.String(asgARN),
			ManagedTerminationProtection: ecstypes.ManagedTerminationProtectionEnabled, ManagedDraining: ecstypes.ManagedDrainingDisabled,
			ManagedScaling: &ecstypes.ManagedScaling{Status: ecstypes.ManagedScalingStatusEnabled, TargetCapacity: aws.Int32(80),
				MaximumScalingStepSize: aws.Int32(4), InstanceWarmupPeriod: aws.Int32(60)}},
		Tags: ecsTags("Name", "cp")})
	must(t, err)
	cpARN := aws.ToString(cr.CapacityProvider.CapacityProviderArn)
	readCP := func() *ecstypes.CapacityProvider {
		t.Helper()
		out, err := c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: []string{cpARN},
			Include: []ecstypes.CapacityProviderField{ecstypes.CapacityProviderFieldTags}})
		must(t, err)
		if len(out.CapacityProviders) != 1 {
			t.Fatalf("DescribeCapacityProviders: %+v failures %+v", out.CapacityProviders, out.Failures)
		}
		return &out.CapacityProviders[0]
	}
	// Without include=TAGS the tags are answered empty.
	plain, err := c.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: []string{cpARN}})
	must(t, err)
	if len(plain.CapacityProviders) != 1 || plain.CapacityProviders[0].Tags == nil || len(plain.CapacityProviders[0].Tags) != 0 {
		t.Errorf("DescribeCapacityProviders without include: %+v", plain.CapacityProviders)
	}
	cp := readCP()
	p := cp.AutoScalingGroupProvider
	if cp.Status != ecstypes.CapacityProviderStatusActive || aws.ToString(cp.Name) != "tf-cp" || p == nil ||
		aws.ToString(p.AutoScalingGroupArn) != asgARN || p.ManagedDraining != ecstypes.ManagedDrainingDisabled ||
		p.ManagedTerminationProtection != ecstypes.ManagedTerminationProtectionEnabled {
		t.Fatalf("capacity provider: %+v / %+v", cp, p)
	}
	if ms := p.ManagedScaling; ms.Status != ecstypes.ManagedScalingStatusEnabled || aws.ToInt32(ms.TargetCapacity) != 80 ||
		aws.ToInt32(ms.MinimumScalingStepSize) != 1 || aws.ToInt32(ms.MaximumScalingStepSize) != 4 || aws.ToInt32(ms.InstanceWarmupPeriod) != 60 {
		t.Errorf("managed scaling: %+v", ms)
	}
	if tagMap(cp.Tags)["Name"] != "cp" {
		t.Errorf("tags: %+v", cp.Tags)
	}

	// Update: UpdateCapacityProvider, then waitCapacityProviderUpdated
	// (updateStatus UPDATE_COMPLETE).
	_, err = c.UpdateCapacityProvider(ctx, &ecs.UpdateCapacityProviderInput{Name: aws.String("tf-cp"),
		AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProviderUpdate{ManagedDraining: ecstypes.ManagedDrainingEnabled,
			ManagedScaling: &ecstypes.ManagedScaling{Status: ecstypes.ManagedScalingStatusEnabled, TargetCapacity: aws.Int32(100), InstanceWarmupPeriod: aws.Int32(0)}}})
	must(t, err)
	cp = readCP()
	if cp.UpdateStatus != ecstypes.CapacityProviderUpdateStatusUpdateComplete || cp.AutoScalingGroupProvider.ManagedDraining != ecstypes.ManagedDrainingEnabled ||
		aws.ToInt32(cp.AutoScalingGroupProvider.ManagedScaling.TargetCapacity) != 100 || aws.ToInt32(cp.AutoScalingGroupProvider.ManagedScaling.InstanceWarmupPeriod) != 0 ||
		aws.ToInt32(cp.AutoScalingGroupProvider.ManagedScaling.MaximumScalingStepSize) != 4 {
		t.Errorf("after update: %s %+v %+v", cp.UpdateStatus, cp.AutoScalingGroupProvider, cp.AutoScalingGroupProvider.ManagedScaling)
	}
	_, err = c.UpdateCapacityProvider(ctx, &ecs.UpdateCapacityProviderInput{Name: aws.String("tf-cp"),
		AutoScalingGroupProvider: &ecstypes.AutoScalingGroupProviderUpdate{ManagedScaling: &ecstypes.ManagedScaling{MinimumScalingStepSize: aws.Int32(5)}}})
	wantAPIError(t, err, "InvalidParameterException", "The managed scaling minimum scaling step size must be less than or equal to the maximum scaling step size. Specify valid values and try again.")

	// aws_ecs_cluster_capacity_providers: PutClusterCapacityProviders,
	// then the cluster read back.
	_, err = c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"),
		CapacityProviders:               []string{"tf-cp", "FARGATE"},
		DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{{CapacityProvider: aws.String("tf-cp"), Weight: 1, Base: 1}}})
	must(t, err)
	cl := tfReadCluster(t, c, "c")
	if strings.Join(cl.CapacityProviders, ",") != "tf-cp,FARGATE" || len(cl.DefaultCapacityProviderStrategy) != 1 ||
		aws.ToString(cl.DefaultCapacityProviderStrategy[0].CapacityProvider) != "tf-cp" || cl.DefaultCapacityProviderStrategy[0].Base != 1 {
		t.Errorf("cluster capacity providers: %v %+v", cl.CapacityProviders, cl.DefaultCapacityProviderStrategy)
	}

	// A provider a cluster uses cannot be deleted.
	_, err = c.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderInput{CapacityProvider: aws.String(cpARN)})
	wantAPIError(t, err, "ClientException", "The specified capacity provider is in use and cannot be removed.")

	// Delete of aws_ecs_cluster_capacity_providers: empty lists.
	_, err = c.PutClusterCapacityProviders(ctx, &ecs.PutClusterCapacityProvidersInput{Cluster: aws.String("c"),
		CapacityProviders: []string{}, DefaultCapacityProviderStrategy: []ecstypes.CapacityProviderStrategyItem{}})
	must(t, err)

	// Delete: DeleteCapacityProvider answers the provider still ACTIVE,
	// DELETE_IN_PROGRESS, with empty tags (the aws CLI's example); then
	// waitCapacityProviderDeleted polls until it is INACTIVE.
	del, err := c.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderInput{CapacityProvider: aws.String(cpARN)})
	must(t, err)
	if d := del.CapacityProvider; d.Status != ecstypes.CapacityProviderStatusActive || d.UpdateStatus != ecstypes.CapacityProviderUpdateStatusDeleteInProgress ||
		d.Tags == nil || len(d.Tags) != 0 {
		t.Errorf("DeleteCapacityProvider: %s %s tags %v", d.Status, d.UpdateStatus, d.Tags)
	}
	eventually(t, "capacity provider INACTIVE", func() bool {
		cp := readCP()
		return cp.Status == ecstypes.CapacityProviderStatusInactive && cp.UpdateStatus == ecstypes.CapacityProviderUpdateStatusDeleteComplete
	})
	// A second delete is the error the provider ignores.
	_, err = c.DeleteCapacityProvider(ctx, &ecs.DeleteCapacityProviderInput{CapacityProvider: aws.String(cpARN)})
	wantAPIError(t, err, "ClientException", "The specified capacity provider does not exist. Specify a valid name or ARN and try again.")
}

func TestTerraformECSTaskDefinitionAndService(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeM5Large, 0)
	c := es.c.ecs

	// aws_ecs_task_definition: RegisterTaskDefinition with tags, read by
	// DescribeTaskDefinition with include TAGS.
	register := func(image string) string {
		t.Helper()
		out, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("tf-web"),
			NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
			Cpu: aws.String("256"), Memory: aws.String("512"),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String(image), Essential: aws.Bool(true),
				PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80), Protocol: ecstypes.TransportProtocolTcp}}}},
			Tags: ecsTags("app", "web")})
		must(t, err)
		return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
	}
	td1 := register("nginx:1")
	dt, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(td1), Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags}})
	must(t, err)
	td := dt.TaskDefinition
	if aws.ToString(td.Family) != "tf-web" || td.Revision != 1 || td.Status != ecstypes.TaskDefinitionStatusActive || td.NetworkMode != ecstypes.NetworkModeAwsvpc ||
		aws.ToString(td.Cpu) != "256" || aws.ToString(td.Memory) != "512" || len(td.ContainerDefinitions) != 1 || aws.ToString(td.ContainerDefinitions[0].Image) != "nginx:1" ||
		len(td.RequiresCompatibilities) != 1 || tagMap(dt.Tags)["app"] != "web" {
		t.Fatalf("task definition: %+v tags %+v", td, dt.Tags)
	}
	td2 := register("nginx:2")

	// aws_ecs_service create: CreateService, then the provider waits for
	// ACTIVE (DescribeServices include TAGS) and, with
	// wait_for_steady_state, for the deployment started after the call:
	// ListServiceDeployments (createdAt after), the one whose target
	// revision ARN holds the PRIMARY deployment's id digits, then
	// DescribeServiceDeployments until SUCCESSFUL.
	net := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets, SecurityGroups: []string{es.open}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}
	readService := func() *ecstypes.Service {
		t.Helper()
		out, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"tf-svc"}, Include: []ecstypes.ServiceField{ecstypes.ServiceFieldTags}})
		must(t, err)
		if len(out.Services) != 1 {
			t.Fatalf("DescribeServices: %+v %+v", out.Services, out.Failures)
		}
		return &out.Services[0]
	}
	waitSteady := func(opTime time.Time) {
		t.Helper()
		var primary string
		for _, d := range readService().Deployments {
			if aws.ToString(d.Status) == "PRIMARY" {
				primary = aws.ToString(d.Id)
			}
		}
		digits := primary[strings.IndexByte(primary, '/')+1:]
		var deployment string
		eventually(t, "the deployment is listed", func() bool {
			l, err := c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("c"), Service: aws.String("tf-svc"),
				CreatedAt: &ecstypes.CreatedAt{After: aws.Time(opTime)}})
			must(t, err)
			for _, d := range l.ServiceDeployments {
				if strings.Contains(aws.ToString(d.TargetServiceRevisionArn), digits) {
					deployment = aws.ToString(d.ServiceDeploymentArn)
				}
			}
			return deployment != ""
		})
		eventually(t, "the deployment succeeds", func() bool {
			d, err := c.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{deployment}})
			must(t, err)
			if len(d.ServiceDeployments) != 1 {
				t.Fatalf("DescribeServiceDeployments: %+v", d.Failures)
			}
			switch d.ServiceDeployments[0].Status {
			case ecstypes.ServiceDeploymentStatusSuccessful:
				return true
			case ecstypes.ServiceDeploymentStatusInProgress, ecstypes.ServiceDeploymentStatusPending:
				return false
			}
			t.Fatalf("deployment %s: %s", deployment, d.ServiceDeployments[0].Status)
			return false
		})
	}
	opTime := time.Now().Add(-time.Second)
	_, err = c.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("tf-svc"), TaskDefinition: aws.String(td1),
		DesiredCount: aws.Int32(2), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net,
		DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeEcs},
		PropagateTags:        ecstypes.PropagateTagsService, EnableECSManagedTags: true, Tags: ecsTags("svc", "tf")})
	must(t, err)
	s := readService()
	if aws.ToString(s.Status) != "ACTIVE" || aws.ToString(s.TaskDefinition) != td1 || s.DesiredCount != 2 || s.LaunchType != ecstypes.LaunchTypeFargate ||
		s.DeploymentController == nil || s.DeploymentController.Type != ecstypes.DeploymentControllerTypeEcs || s.PropagateTags != ecstypes.PropagateTagsService ||
		!s.EnableECSManagedTags || s.SchedulingStrategy != ecstypes.SchedulingStrategyReplica || tagMap(s.Tags)["svc"] != "tf" ||
		s.NetworkConfiguration == nil || len(s.NetworkConfiguration.AwsvpcConfiguration.Subnets) != 2 {
		t.Fatalf("service: %+v", s)
	}
	waitSteady(opTime)
	if s := readService(); s.RunningCount != 2 || len(s.Deployments) != 1 {
		t.Errorf("steady service: running %d, deployments %d", s.RunningCount, len(s.Deployments))
	}

	// Update: UpdateService to the new revision, then the same wait.
	opTime = time.Now().Add(-time.Second)
	_, err = c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("tf-svc"), TaskDefinition: aws.String(td2)})
	must(t, err)
	waitSteady(opTime)
	s = readService()
	if aws.ToString(s.TaskDefinition) != td2 || s.RunningCount != 2 || len(s.Deployments) != 1 {
		t.Errorf("after update: %s running %d deployments %d", aws.ToString(s.TaskDefinition), s.RunningCount, len(s.Deployments))
	}
	// Both deployments are listed: the first succeeded and was replaced.
	l, err := c.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("c"), Service: aws.String("tf-svc")})
	must(t, err)
	if len(l.ServiceDeployments) != 2 || l.ServiceDeployments[0].Status != ecstypes.ServiceDeploymentStatusSuccessful {
		t.Errorf("ListServiceDeployments: %+v", l.ServiceDeployments)
	}
	rev, err := c.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{aws.ToString(l.ServiceDeployments[0].TargetServiceRevisionArn)}})
	must(t, err)
	if len(rev.ServiceRevisions) != 1 || aws.ToString(rev.ServiceRevisions[0].TaskDefinition) != td2 {
		t.Errorf("DescribeServiceRevisions: %+v %+v", rev.ServiceRevisions, rev.Failures)
	}

	// Delete: DescribeServices, UpdateService desiredCount 0,
	// DeleteService, then waitServiceInactive.
	_, err = c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("tf-svc"), DesiredCount: aws.Int32(0)})
	must(t, err)
	_, err = c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("tf-svc")})
	must(t, err)
	eventually(t, "the service goes INACTIVE", func() bool {
		out, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"tf-svc"}})
		must(t, err)
		return len(out.Services) == 1 && aws.ToString(out.Services[0].Status) == "INACTIVE"
	})

	// aws_ecs_task_definition delete: DeregisterTaskDefinition, then
	// DeleteTaskDefinitions; a read then sees it not ACTIVE.
	_, err = c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(td1)})
	must(t, err)
	del, err := c.DeleteTaskDefinitions(ctx, &ecs.DeleteTaskDefinitionsInput{TaskDefinitions: []string{td1}})
	must(t, err)
	if len(del.TaskDefinitions) != 1 || del.TaskDefinitions[0].Status != ecstypes.TaskDefinitionStatusDeleteInProgress || len(del.Failures) != 0 {
		t.Errorf("DeleteTaskDefinitions: %+v %+v", del.TaskDefinitions, del.Failures)
	}
}

func TestTerraformECSTaskProtection(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeM5Large, 0)
	c := es.c.ecs
	es.taskDef(t, "p", ecstypes.NetworkModeAwsvpc, 0, ecstypes.CompatibilityFargate)
	net := &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: es.subnets[:1], SecurityGroups: []string{es.open}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}
	_, err := c.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("p"), TaskDefinition: aws.String("p"),
		DesiredCount: aws.Int32(2), LaunchType: ecstypes.LaunchTypeFargate, NetworkConfiguration: net})
	must(t, err)
	var tasks []string
	eventually(t, "two tasks run", func() bool {
		l, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("p"), DesiredStatus: ecstypes.DesiredStatusRunning})
		must(t, err)
		tasks = l.TaskArns
		if len(tasks) != 2 {
			return false
		}
		d, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: tasks})
		must(t, err)
		return aws.ToString(d.Tasks[0].LastStatus) == "RUNNING" && aws.ToString(d.Tasks[1].LastStatus) == "RUNNING"
	})
	up, err := c.UpdateTaskProtection(ctx, &ecs.UpdateTaskProtectionInput{Cluster: aws.String("c"), Tasks: tasks[:1], ProtectionEnabled: true, ExpiresInMinutes: aws.Int32(60)})
	must(t, err)
	if len(up.ProtectedTasks) != 1 || !up.ProtectedTasks[0].ProtectionEnabled || up.ProtectedTasks[0].ExpirationDate == nil {
		t.Fatalf("UpdateTaskProtection: %+v %+v", up.ProtectedTasks, up.Failures)
	}
	get, err := c.GetTaskProtection(ctx, &ecs.GetTaskProtectionInput{Cluster: aws.String("c"), Tasks: append(tasks, "0123456789abcdef0123456789abcdef")})
	must(t, err)
	if len(get.ProtectedTasks) != 2 || len(get.Failures) != 1 || aws.ToString(get.Failures[0].Reason) != "MISSING" {
		t.Errorf("GetTaskProtection: %+v %+v", get.ProtectedTasks, get.Failures)
	}
	_, err = c.UpdateTaskProtection(ctx, &ecs.UpdateTaskProtectionInput{Cluster: aws.String("c"), Tasks: tasks[:1], ProtectionEnabled: true, ExpiresInMinutes: aws.Int32(3000)})
	wantAPIError(t, err, "InvalidParameterException", "expiresInMinutes must be between 1 and 2880.")

	// Scale-in stops the unprotected task only.
	_, err = c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("p"), DesiredCount: aws.Int32(1)})
	must(t, err)
	eventually(t, "one task is left", func() bool {
		l, err := c.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("p")})
		must(t, err)
		if len(l.TaskArns) == 1 && l.TaskArns[0] != tasks[0] {
			t.Fatalf("the protected task %s was stopped; left: %v", tasks[0], l.TaskArns)
		}
		return len(l.TaskArns) == 1
	})

	// ExecuteCommand: no exec agent runs in ecsnet's tasks.
	_, err = c.ExecuteCommand(ctx, &ecs.ExecuteCommandInput{Cluster: aws.String("c"), Task: aws.String(tasks[0]), Command: aws.String("ls"), Interactive: true})
	wantAPIError(t, err, "InvalidParameterException", "The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try the command again or run a new task with execute command enabled and try again.")

	// The agent's reports are acknowledged.
	ack, err := c.SubmitTaskStateChange(ctx, &ecs.SubmitTaskStateChangeInput{Cluster: aws.String("c"), Task: aws.String(tasks[0]), Status: aws.String("RUNNING")})
	must(t, err)
	if aws.ToString(ack.Acknowledgment) == "" {
		t.Error("SubmitTaskStateChange: no acknowledgment")
	}
	_, err = c.SubmitContainerStateChange(ctx, &ecs.SubmitContainerStateChangeInput{Cluster: aws.String("c"), Task: aws.String(tasks[0]), ContainerName: aws.String("nope")})
	wantAPIError(t, err, "InvalidParameterException", "The referenced container was not found.")
}

func TestTerraformECSAccountSettingDefault(t *testing.T) {
	t.Parallel()
	c := sdkClients(newEmulator(t, nil).URL).ecs
	// Create/Update: PutAccountSettingDefault; read: ListAccountSettings
	// with the name and effectiveSettings.
	_, err := c.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultInput{Name: ecstypes.SettingNameContainerInsights, Value: aws.String("enabled")})
	must(t, err)
	l, err := c.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{Name: ecstypes.SettingNameContainerInsights, EffectiveSettings: true})
	must(t, err)
	if len(l.Settings) != 1 || aws.ToString(l.Settings[0].Value) != "enabled" || !strings.HasPrefix(aws.ToString(l.Settings[0].PrincipalArn), "arn:aws:iam::") {
		t.Fatalf("ListAccountSettings: %+v", l.Settings)
	}
	// Effective settings nobody set are the user's at their default;
	// only guardDutyActivate is AWS-managed.
	types := map[string]ecstypes.SettingType{}
	pages := ecs.NewListAccountSettingsPaginator(c, &ecs.ListAccountSettingsInput{EffectiveSettings: true})
	for pages.HasMorePages() {
		p, err := pages.NextPage(ctx)
		must(t, err)
		for _, s := range p.Settings {
			types[string(s.Name)] = s.Type
		}
	}
	if types["guardDutyActivate"] != ecstypes.SettingTypeAwsManaged || types["taskLongArnFormat"] != ecstypes.SettingTypeUser ||
		types["containerInsights"] != ecstypes.SettingTypeUser || len(types) < 11 {
		t.Errorf("effective setting types: %v", types)
	}
	// Delete: back to disabled.
	_, err = c.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultInput{Name: ecstypes.SettingNameContainerInsights, Value: aws.String("disabled")})
	must(t, err)
	l, err = c.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{Name: ecstypes.SettingNameContainerInsights, EffectiveSettings: true})
	must(t, err)
	if len(l.Settings) != 1 || aws.ToString(l.Settings[0].Value) != "disabled" {
		t.Errorf("after delete: %+v", l.Settings)
	}
}

// TestECSLongArnSettingsCannotBeDisabled: the ARN-format settings can be
// turned on but no longer off, for the account default as for a principal
// (terraform-provider-aws's aws_ecs_account_setting_default ignores this
// error on destroy); nothing is stored, and ARNs stay long.
func TestECSLongArnSettingsCannotBeDisabled(t *testing.T) {
	t.Parallel()
	c := sdkClients(newEmulator(t, nil).URL).ecs
	const text = "You can no longer disable Long Arn settings"
	for _, name := range []ecstypes.SettingName{
		ecstypes.SettingNameServiceLongArnFormat,
		ecstypes.SettingNameTaskLongArnFormat,
		ecstypes.SettingNameContainerInstanceLongArnFormat,
	} {
		_, err := c.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultInput{Name: name, Value: aws.String("disabled")})
		wantAPIError(t, err, "InvalidParameterException", text)
		_, err = c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: name, Value: aws.String("disabled")})
		wantAPIError(t, err, "InvalidParameterException", text)
		// A value outside enabled/disabled is still the value error.
		_, err = c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: name, Value: aws.String("DISABLED")})
		wantAPIError(t, err, "InvalidParameterException", "Invalid setting 'value'")
		put, err := c.PutAccountSetting(ctx, &ecs.PutAccountSettingInput{Name: name, Value: aws.String("enabled")})
		must(t, err)
		if aws.ToString(put.Setting.Value) != "enabled" {
			t.Errorf("PutAccountSetting %s enabled: %+v", name, put.Setting)
		}
	}
	l, err := c.ListAccountSettings(ctx, &ecs.ListAccountSettingsInput{Value: aws.String("disabled")})
	must(t, err)
	if len(l.Settings) != 0 {
		t.Errorf("settings disabled after the refusals: %+v", l.Settings)
	}
	// Other enabled/disabled settings can still be turned off.
	_, err = c.PutAccountSettingDefault(ctx, &ecs.PutAccountSettingDefaultInput{Name: ecstypes.SettingNameAwsvpcTrunking, Value: aws.String("disabled")})
	must(t, err)
	_, err = c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("arns")})
	must(t, err)
	_, err = c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("arns"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name:   aws.String("c"),
			Image:  aws.String("nginx"),
			Memory: aws.Int32(128),
		}},
	})
	must(t, err)
	svc, err := c.CreateService(ctx, &ecs.CreateServiceInput{
		Cluster:        aws.String("arns"),
		ServiceName:    aws.String("s"),
		TaskDefinition: aws.String("arns"),
	})
	must(t, err)
	if got := aws.ToString(svc.Service.ServiceArn); !strings.HasSuffix(got, ":service/arns/s") {
		t.Errorf("service ARN %q, want the long format", got)
	}
}

// TestECSDescribeDetails checks answers that moto's ECS tests exposed.
func TestECSDescribeDetails(t *testing.T) {
	t.Parallel()
	c := sdkClients(newEmulator(t, nil).URL).ecs
	_, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("d")})
	must(t, err)

	// A missing service is named by its short ARN.
	ds, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("d"), Services: []string{"nope"}})
	must(t, err)
	if len(ds.Failures) != 1 || aws.ToString(ds.Failures[0].Arn) != "arn:aws:ecs:us-east-1:123456789012:service/nope" || aws.ToString(ds.Failures[0].Reason) != "MISSING" {
		t.Errorf("DescribeServices failures: %+v", ds.Failures)
	}

	// DeregisterTaskDefinition's three refusals.
	_, err = c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("fake")})
	wantAPIError(t, err, "ClientException", "Revision is missing.")
	_, err = c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("fake:foo")})
	wantAPIError(t, err, "ClientException", "Invalid revision number. Number: foo")
	_, err = c.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("fake:1")})
	wantAPIError(t, err, "ClientException", "Unable to describe task definition.")

	// An EFS volume without rootDirectory reads "/".
	_, err = c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("efs"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("a"), Image: aws.String("nginx"), Memory: aws.Int32(128)}},
		Volumes: []ecstypes.Volume{{Name: aws.String("v"), EfsVolumeConfiguration: &ecstypes.EFSVolumeConfiguration{FileSystemId: aws.String("fs-1234"),
			TransitEncryption: ecstypes.EFSTransitEncryptionEnabled}}}})
	must(t, err)
	td, err := c.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("efs")})
	must(t, err)
	if v := td.TaskDefinition.Volumes; len(v) != 1 || v[0].EfsVolumeConfiguration == nil || aws.ToString(v[0].EfsVolumeConfiguration.RootDirectory) != "/" {
		t.Errorf("volumes: %+v", v)
	}
	// A bridge-mode definition also runs on ECS Anywhere; ECS lists EXTERNAL first.
	if c := td.TaskDefinition.Compatibilities; len(c) != 2 || c[0] != ecstypes.CompatibilityExternal || c[1] != ecstypes.CompatibilityEc2 {
		t.Errorf("compatibilities: %v", c)
	}

	// DescribeTasks and DescribeContainerInstances check the cluster, then
	// the list.
	_, err = c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("no-such-cluster"), Tasks: []string{}})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
	_, err = c.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("d"), ContainerInstances: []string{}})
	wantAPIError(t, err, "ClientException", "Container Instances cannot be empty.")

	// An unknown launch type is refused before the cluster is looked up.
	_, err = c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("no-such-cluster"), TaskDefinition: aws.String("efs"), LaunchType: "Fargate"})
	wantAPIError(t, err, "InvalidParameterException", "launch type should be one of [EC2,FARGATE,EXTERNAL]")
}
