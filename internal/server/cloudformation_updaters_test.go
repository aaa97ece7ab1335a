package server_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

// settingsTemplate names its cluster and target group, as templates
// often do; Insights, Path and Type are settings AWS changes in place.
var settingsTemplate = `
Parameters:
  Insights: {Type: String, Default: disabled}
  Path: {Type: String, Default: /}
  Type: {Type: String, Default: t3.micro}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.63.0.0/16}
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: settings
      ClusterSettings: [{Name: containerInsights, Value: !Ref Insights}]
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {Name: settings-tg, VpcId: !Ref Vpc, Port: 80, Protocol: HTTP, TargetType: ip, HealthCheckPath: !Ref Path}
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {ImageId: ` + testAMI + `, InstanceType: !Ref Type}
Outputs:
  Latest:
    Value: !GetAtt Lt.LatestVersionNumber
`

// TestCloudFormationUpdateAppliesSettings: an update of a cluster's
// container insights, a target group's health check path and a launch
// template's data keeps every physical id (the change set says
// Replacement False) and applies the new settings, where before the
// cluster's "replacement" came back unchanged and the named target group
// failed on its own name. The launch template gets version 2, its
// default version stays 1.
func TestCloudFormationUpdateAppliesSettings(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("settings"), TemplateBody: aws.String(settingsTemplate)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	before := stackPhysicalIDs(t, cf, "settings")

	params := []cfntypes.Parameter{
		{ParameterKey: aws.String("Insights"), ParameterValue: aws.String("enabled")},
		{ParameterKey: aws.String("Path"), ParameterValue: aws.String("/health")},
		{ParameterKey: aws.String("Type"), ParameterValue: aws.String("t3.small")},
	}
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("settings"), ChangeSetName: aws.String("s"),
		UsePreviousTemplate: aws.Bool(true), Parameters: params})
	must(t, err)
	cs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("settings"), ChangeSetName: aws.String("s")})
	must(t, err)
	var changes []string
	for _, ch := range cs.Changes {
		rc := ch.ResourceChange
		changes = append(changes, string(rc.Action)+" "+aws.ToString(rc.LogicalResourceId)+" "+string(rc.Replacement))
	}
	if want := []string{"Modify Cluster False", "Modify Tg False", "Modify Lt False"}; !slices.Equal(changes, want) {
		t.Errorf("change set: %q, want %q", changes, want)
	}
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String("settings"), ChangeSetName: aws.String("s")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	if after := stackPhysicalIDs(t, cf, "settings"); !mapsEqual(after, before) {
		t.Errorf("ids after the update: %v, want %v", after, before)
	}

	cl, err := c.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"settings"}, Include: []ecstypes.ClusterField{ecstypes.ClusterFieldSettings}})
	must(t, err)
	insights := ""
	for _, s := range cl.Clusters[0].Settings {
		if s.Name == ecstypes.ClusterSettingNameContainerInsights {
			insights = aws.ToString(s.Value)
		}
	}
	if insights != "enabled" {
		t.Errorf("containerInsights %q, want enabled", insights)
	}
	tgs, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{"settings-tg"}})
	must(t, err)
	if len(tgs.TargetGroups) != 1 || aws.ToString(tgs.TargetGroups[0].HealthCheckPath) != "/health" {
		t.Errorf("target group health check path: %+v, want /health", tgs.TargetGroups)
	}
	lts, err := c.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{before["Lt"]}})
	must(t, err)
	if lt := lts.LaunchTemplates[0]; aws.ToInt64(lt.LatestVersionNumber) != 2 || aws.ToInt64(lt.DefaultVersionNumber) != 1 {
		t.Errorf("launch template versions: latest %d default %d, want 2 and 1", aws.ToInt64(lt.LatestVersionNumber), aws.ToInt64(lt.DefaultVersionNumber))
	}
	v, err := c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: aws.String(before["Lt"]), Versions: []string{"$Latest"}})
	must(t, err)
	if len(v.LaunchTemplateVersions) != 1 || v.LaunchTemplateVersions[0].LaunchTemplateData.InstanceType != ec2types.InstanceTypeT3Small {
		t.Errorf("latest version: %+v", v.LaunchTemplateVersions)
	}
	st, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("settings")})
	must(t, err)
	for _, o := range st.Stacks[0].Outputs {
		if aws.ToString(o.OutputKey) == "Latest" && aws.ToString(o.OutputValue) != "2" {
			t.Errorf("output Latest %q, want 2", aws.ToString(o.OutputValue))
		}
	}
	if ev := strings.Join(stackEventsOf(t, cf, id), "\n"); strings.Contains(ev, "FAILED") {
		t.Errorf("events:\n%s", ev)
	}
}

// TestCloudFormationUpdateWaitsForServices: an update waits for the ECS
// services it changed to stabilize, as a create does. More tasks: the
// stack stays UPDATE_IN_PROGRESS until they run, then the service's
// UPDATE_COMPLETE, the cleanup and UPDATE_COMPLETE. A change whose tasks
// cannot start (no more route to the image): the circuit breaker trips,
// the service is UPDATE_FAILED with CloudFormation's text, and the stack
// rolls back to its previous template, the internet gateway the update
// removed bound again (its cleanup had waited), not made anew.
func TestCloudFormationUpdateWaitsForServices(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body := aws.ToString(sweepTemplate(t, "service-stabilize.yaml"))
	reachable := []cfntypes.Parameter{{ParameterKey: aws.String("ImageReachable"), ParameterValue: aws.String("true")}}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("waits"), TemplateBody: aws.String(body), Parameters: reachable})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	before := stackPhysicalIDs(t, cf, "waits")
	// A new revision of the task definition: the service starts a new
	// deployment, and the stack stays UPDATE_IN_PROGRESS until that
	// deployment has completed (its tasks running, the old ones gone).
	n := len(stackEventsOf(t, cf, id))
	resume := steps.pause()
	newRevision := strings.Replace(strings.Replace(body, "DesiredCount: 2", "DesiredCount: 3", 1), `Memory: "512"`, `Memory: "1024"`, 1)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("waits"),
		TemplateBody: aws.String(newRevision), Parameters: reachable})
	must(t, err)
	primary := func() ecstypes.Deployment {
		sv, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(before["Cluster"]), Services: []string{before["Service"]}})
		must(t, err)
		for _, d := range sv.Services[0].Deployments {
			if aws.ToString(d.Status) == "PRIMARY" {
				return d
			}
		}
		t.Fatalf("no PRIMARY deployment: %+v", sv.Services[0].Deployments)
		return ecstypes.Deployment{}
	}
	sawInProgress := false
	for i := 0; ; i++ {
		if i == 200 {
			t.Fatal("the update did not complete in 200 steps")
		}
		if i > 0 {
			steps.step()
		}
		// The stack first, then the deployment: a stack that is
		// complete must be so after its deployment is.
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
		must(t, err)
		st := ds.Stacks[0].StackStatus
		d := primary()
		if aws.ToString(d.TaskDefinition) == before["TaskDef"] {
			t.Fatalf("PRIMARY deployment runs %s, want the new revision", before["TaskDef"])
		}
		if st == cfntypes.StackStatusUpdateComplete {
			if d.RolloutState != ecstypes.DeploymentRolloutStateCompleted || d.RunningCount != 3 {
				t.Errorf("UPDATE_COMPLETE with the deployment %s, %d running, want COMPLETED with 3", d.RolloutState, d.RunningCount)
			}
			break
		}
		if st != cfntypes.StackStatusUpdateInProgress && st != cfntypes.StackStatusUpdateCompleteCleanupInProgress {
			t.Fatalf("stack %s (%s) during the deployment", st, aws.ToString(ds.Stacks[0].StackStatusReason))
		}
		if st == cfntypes.StackStatusUpdateInProgress && d.RolloutState == ecstypes.DeploymentRolloutStateInProgress {
			sawInProgress = true
		}
	}
	resume()
	if !sawInProgress {
		t.Error("never saw the stack UPDATE_IN_PROGRESS while the new deployment was IN_PROGRESS")
	}
	ev := eventsSince(t, cf, id, n)
	want := []string{"waits UPDATE_IN_PROGRESS User Initiated", "TaskDef UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.",
		"TaskDef UPDATE_IN_PROGRESS Resource creation Initiated", "TaskDef UPDATE_COMPLETE ",
		"Service UPDATE_IN_PROGRESS ", "Service UPDATE_COMPLETE ",
		"waits UPDATE_COMPLETE_CLEANUP_IN_PROGRESS ", "TaskDef DELETE_IN_PROGRESS ", "TaskDef DELETE_COMPLETE ", "waits UPDATE_COMPLETE "}
	if !slices.Equal(ev, want) {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	before = stackPhysicalIDs(t, cf, "waits")

	// No way to the image any more: the new tasks cannot start.
	n = len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("waits"),
		TemplateBody: aws.String(strings.Replace(body, "DesiredCount: 2", "DesiredCount: 3", 1))})
	must(t, err)
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	ev = eventsSince(t, cf, id, n)
	failed := ""
	for _, e := range ev {
		if rest, ok := strings.CutPrefix(e, "Service UPDATE_FAILED "); ok {
			failed = rest
		}
	}
	if !strings.Contains(failed, "ECS Deployment Circuit Breaker was triggered") {
		t.Errorf("service failure %q, want the circuit breaker's; events:\n%s", failed, strings.Join(ev, "\n"))
	}
	if !slices.Contains(ev, "waits UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Service]. ") ||
		slices.Contains(ev, "Gateway DELETE_COMPLETE ") {
		t.Errorf("events:\n%s", strings.Join(ev, "\n"))
	}
	if after := stackPhysicalIDs(t, cf, "waits"); !mapsEqual(after, before) {
		t.Errorf("after the rollback: %v, want %v", after, before)
	}
	sv, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(before["Cluster"]), Services: []string{before["Service"]}})
	must(t, err)
	if nc := sv.Services[0].NetworkConfiguration.AwsvpcConfiguration; nc.AssignPublicIp != ecstypes.AssignPublicIpEnabled {
		t.Errorf("service assignPublicIp %s after the rollback, want ENABLED", nc.AssignPublicIp)
	}
	gw, err := c.ec2.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{InternetGatewayIds: []string{before["Gateway"]}})
	must(t, err)
	if len(gw.InternetGateways) != 1 || len(gw.InternetGateways[0].Attachments) != 1 {
		t.Errorf("gateway after the rollback: %+v, want it attached", gw.InternetGateways)
	}

	// Without the breaker the update waits until it times out:
	// CancelUpdateStack rolls it back meanwhile.
	n = len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("waits"), TemplateBody: aws.String(body),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Breaker"), ParameterValue: aws.String("false")}}})
	must(t, err)
	_, err = cf.CancelUpdateStack(ctx, &cloudformation.CancelUpdateStackInput{StackName: aws.String("waits")})
	must(t, err)
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	if ev := eventsSince(t, cf, id, n); !slices.Contains(ev, "Service UPDATE_FAILED Resource update cancelled") ||
		!slices.Contains(ev, "waits UPDATE_ROLLBACK_IN_PROGRESS User Initiated") {
		t.Errorf("events after CancelUpdateStack:\n%s", strings.Join(ev, "\n"))
	}
	if _, err := cf.CancelUpdateStack(ctx, &cloudformation.CancelUpdateStackInput{StackName: aws.String("waits")}); err == nil {
		t.Error("CancelUpdateStack of a stack in UPDATE_ROLLBACK_COMPLETE: no error")
	}
}

// rollbackWaitTemplate: two Fargate services; Web's tasks can reach their
// image (a public subnet), Worker's only when WorkerSubnet is Public;
// WebVersion makes a new revision of Web's task definition.
const rollbackWaitTemplate = `
Parameters:
  WebVersion: {Type: String, Default: "1"}
  WorkerSubnet: {Type: String, Default: Public, AllowedValues: [Public, Private]}
Conditions:
  WorkerPublic: !Equals [!Ref WorkerSubnet, Public]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16}
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.0.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  Private:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  Gateway:
    Type: AWS::EC2::InternetGateway
  Attachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}
  Routes:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  DefaultRoute:
    Type: AWS::EC2::Route
    DependsOn: Attachment
    Properties: {RouteTableId: !Ref Routes, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Gateway}
  PublicRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Public, RouteTableId: !Ref Routes}
  Cluster:
    Type: AWS::ECS::Cluster
  TaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions: [{Name: main, Image: public.ecr.aws/nginx/nginx:latest}]
  WebTaskDef:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions:
        - Name: main
          Image: public.ecr.aws/nginx/nginx:latest
          Environment: [{Name: VERSION, Value: !Ref WebVersion}]
  Web:
    Type: AWS::ECS::Service
    DependsOn: [PublicRoutes, DefaultRoute]
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref WebTaskDef
      DesiredCount: 3
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [!Ref Public], AssignPublicIp: ENABLED}
  Worker:
    Type: AWS::ECS::Service
    DependsOn: [PublicRoutes, DefaultRoute]
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref TaskDef
      DesiredCount: 1
      DeploymentConfiguration:
        DeploymentCircuitBreaker: {Enable: true, Rollback: true}
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: [!If [WorkerPublic, !Ref Public, !Ref Private]]
          AssignPublicIp: !If [WorkerPublic, ENABLED, DISABLED]
`

// TestCloudFormationRollbackWaitsForServices: a change set whose update
// waits on its ECS services is EXECUTE_IN_PROGRESS meanwhile, then
// EXECUTE_FAILED when the update fails (a service's circuit breaker
// trips). The rollback changes the other service back to its previous
// task definition and waits for it to stabilize before its cleanup: at
// UPDATE_ROLLBACK_COMPLETE that service runs its tasks of the previous
// revision, in one completed deployment.
func TestCloudFormationRollbackWaitsForServices(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rbw"), TemplateBody: aws.String(rollbackWaitTemplate)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	ids := stackPhysicalIDs(t, cf, "rbw")
	web := func() ecstypes.Service {
		t.Helper()
		sv, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(ids["Cluster"]), Services: []string{ids["Web"]}})
		must(t, err)
		return sv.Services[0]
	}
	execStatus := func() cfntypes.ExecutionStatus {
		t.Helper()
		cs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("fewer")})
		must(t, err)
		return cs.ExecutionStatus
	}
	n := len(stackEventsOf(t, cf, id))
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("fewer"),
		UsePreviousTemplate: aws.Bool(true), Parameters: []cfntypes.Parameter{
			{ParameterKey: aws.String("WebVersion"), ParameterValue: aws.String("2")},
			{ParameterKey: aws.String("WorkerSubnet"), ParameterValue: aws.String("Private")}}})
	must(t, err)
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("fewer")})
	must(t, err)
	// The change set first, then the stack: a stack still UPDATE_IN_PROGRESS
	// after the change set was read was so when it was read (the update may
	// fail, and the change set turn EXECUTE_FAILED, between two reads).
	st := execStatus()
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if ds.Stacks[0].StackStatus == cfntypes.StackStatusUpdateInProgress && st != cfntypes.ExecutionStatusExecuteInProgress {
		t.Errorf("change set while its update waits: %s, want EXECUTE_IN_PROGRESS", st)
	}
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	if svc := web(); len(svc.Deployments) != 1 || svc.Deployments[0].RolloutState != ecstypes.DeploymentRolloutStateCompleted || svc.RunningCount != 3 {
		t.Errorf("Web at UPDATE_ROLLBACK_COMPLETE: %d deployments (first %s), %d running; want one completed, 3 running",
			len(svc.Deployments), svc.Deployments[0].RolloutState, svc.RunningCount)
	}
	if st := execStatus(); st != cfntypes.ExecutionStatusExecuteFailed {
		t.Errorf("change set after the rollback: %s, want EXECUTE_FAILED", st)
	}
	ev := eventsSince(t, cf, id, n)
	rb := slices.Index(ev, "rbw UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Worker]. ")
	cleanup := slices.Index(ev, "rbw UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ")
	if rb < 0 || cleanup < rb || !slices.Contains(ev[rb:cleanup], "Web UPDATE_COMPLETE ") {
		t.Errorf("events:\n%s", strings.Join(ev, "\n"))
	}
}

// inPlaceMoreTemplate: a dual-stack subnet whose /64 is the Block-th of its
// VPC's /56, a launch template tagged through its TagSpecifications, and
// a network load balancer with a security group.
const inPlaceMoreTemplate = `
Parameters:
  Block: {Type: Number, Default: 1}
  Team: {Type: String, Default: a}
  Enforce: {Type: String, Default: "on"}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.70.0.0/16}
  Ipv6:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
  Subnet:
    Type: AWS::EC2::Subnet
    DependsOn: Ipv6
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.70.1.0/24
      AvailabilityZone: !Select [0, !GetAZs ""]
      Ipv6CidrBlock: !Select [!Ref Block, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 256, 64]]
      AssignIpv6AddressOnCreation: true
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {InstanceType: t3.micro}
      TagSpecifications:
        - ResourceType: launch-template
          Tags: [{Key: team, Value: !Ref Team}]
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: nlb, VpcId: !Ref Vpc}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: network
      Scheme: internal
      Subnets: [!Ref Subnet]
      SecurityGroups: [!Ref Sg]
      EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: !Ref Enforce
`

// TestCloudFormationUpdateInPlaceMore: a subnet's Ipv6CidrBlock, a launch
// template's TagSpecifications and a network load balancer's
// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic update in place
// ("Update requires: No interruption"): the change set says Modify,
// Replacement False, and the update keeps every physical id; the subnet
// has its new block, the launch template its new tag and no new version.
func TestCloudFormationUpdateInPlaceMore(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("inplace"), TemplateBody: aws.String(inPlaceMoreTemplate)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	before := stackPhysicalIDs(t, cf, "inplace")
	block := func() string {
		t.Helper()
		sn, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{before["Subnet"]}})
		must(t, err)
		var out []string
		for _, a := range sn.Subnets[0].Ipv6CidrBlockAssociationSet {
			if a.Ipv6CidrBlockState.State == ec2types.SubnetCidrBlockStateCodeAssociated {
				out = append(out, aws.ToString(a.Ipv6CidrBlock))
			}
		}
		return strings.Join(out, " ")
	}
	first := block()
	lt := func() (string, int64) {
		t.Helper()
		l, err := c.ec2.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{before["Lt"]}})
		must(t, err)
		team := ""
		for _, tag := range l.LaunchTemplates[0].Tags {
			if aws.ToString(tag.Key) == "team" {
				team = aws.ToString(tag.Value)
			}
		}
		return team, aws.ToInt64(l.LaunchTemplates[0].LatestVersionNumber)
	}
	if team, _ := lt(); team != "a" || first == "" {
		t.Fatalf("after the create: subnet block %q, launch template's team tag %q", first, team)
	}

	params := []cfntypes.Parameter{
		{ParameterKey: aws.String("Block"), ParameterValue: aws.String("2")},
		{ParameterKey: aws.String("Team"), ParameterValue: aws.String("b")},
		{ParameterKey: aws.String("Enforce"), ParameterValue: aws.String("off")},
	}
	_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("c"),
		UsePreviousTemplate: aws.Bool(true), Parameters: params})
	must(t, err)
	cs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("c")})
	must(t, err)
	var changes []string
	for _, ch := range cs.Changes {
		rc := ch.ResourceChange
		changes = append(changes, string(rc.Action)+" "+aws.ToString(rc.LogicalResourceId)+" "+string(rc.Replacement))
	}
	slices.Sort(changes)
	if want := []string{"Modify Lt False", "Modify Nlb False", "Modify Subnet False"}; !slices.Equal(changes, want) {
		t.Errorf("change set: %q, want %q", changes, want)
	}
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{StackName: aws.String(id), ChangeSetName: aws.String("c")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	if after := stackPhysicalIDs(t, cf, "inplace"); !mapsEqual(after, before) {
		t.Errorf("ids after the update: %v, want %v", after, before)
	}
	if b := block(); b == first || b == "" || strings.Contains(b, " ") {
		t.Errorf("subnet's IPv6 block after the update: %q (was %q), want one new block", b, first)
	}
	if team, latest := lt(); team != "b" || latest != 1 {
		t.Errorf("launch template after the update: team %q, latest version %d; want b, 1", team, latest)
	}
	lbs, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{before["Nlb"]}})
	must(t, err)
	if got := aws.ToString(lbs.LoadBalancers[0].EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic); got != "off" {
		t.Errorf("the NLB's EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic after the update: %q, want off", got)
	}
}

// TestCloudFormationUpdateCleanupDeleteFails: an old resource the cleanup
// cannot delete (another group's rule references the replaced security
// group) is DELETE_FAILED under its old physical id during
// UPDATE_COMPLETE_CLEANUP_IN_PROGRESS; the stack still completes, with
// the new group.
func TestCloudFormationUpdateCleanupDeleteFails(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	tpl := func(desc string) *string {
		return aws.String(`
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.64.0.0/16}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: ` + desc + `, VpcId: !Ref Vpc}
`)
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("clean"), TemplateBody: tpl("one")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	before := stackPhysicalIDs(t, cf, "clean")
	other, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("outside"), Description: aws.String("x"), VpcId: aws.String(before["Vpc"])})
	must(t, err)
	_, err = c.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: other.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(before["Sg"])}}}}})
	must(t, err)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("clean"), TemplateBody: tpl("two")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
	must(t, err)
	var got []string
	cleanup := false
	for i := len(ev.StackEvents) - 1; i >= 0; i-- {
		e := ev.StackEvents[i]
		if e.ResourceStatus == cfntypes.ResourceStatus(statusCleanup) {
			cleanup = true
		}
		if cleanup && aws.ToString(e.LogicalResourceId) == "Sg" {
			got = append(got, aws.ToString(e.PhysicalResourceId)+" "+string(e.ResourceStatus)+" "+aws.ToString(e.ResourceStatusReason))
		}
	}
	want := []string{before["Sg"] + " DELETE_IN_PROGRESS ", before["Sg"] + " DELETE_FAILED resource " + before["Sg"] + " has a dependent object"}
	if !slices.Equal(got, want) {
		t.Errorf("cleanup events of Sg: %q, want %q", got, want)
	}
	if after := stackPhysicalIDs(t, cf, "clean"); after["Sg"] == before["Sg"] || after["Vpc"] != before["Vpc"] {
		t.Errorf("after the update: %v (before %v), want a new group", after, before)
	}
}

const statusCleanup = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"

// stepper runs an emulator's steps in the background, every 10 ms, until
// paused; paused, the test steps it by hand.
type stepper struct {
	srv    *server.Server
	mu     sync.Mutex
	resume func() // while paused (the test's goroutine only)
}

// pause stops the background steps until the function it returns is
// called (or the test ends: a test that fails while paused still
// stops).
func (s *stepper) pause() (resume func()) {
	s.mu.Lock()
	s.resume = sync.OnceFunc(s.mu.Unlock)
	return s.resume
}

// step runs one step (the steps paused).
func (s *stepper) step() { s.srv.Step() }

// newSteppedEmulator is newEmulatorWith whose steps a test can pause.
func newSteppedEmulator(t *testing.T, o server.Options) (*emulator, *stepper) {
	t.Helper()
	o.Registry, o.Analyzer, o.EngineOptions = services.Registry(), services.Analyzer(), services.EngineOptions()
	o.StepInterval, o.Models = 10*time.Millisecond, testModels
	srv, err := server.New(o)
	must(t, err)
	hs := httptest.NewServer(srv)
	steps := &stepper{srv: srv}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(o.StepInterval)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				steps.mu.Lock()
				srv.Step()
				steps.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		if steps.resume != nil {
			steps.resume()
		}
		close(stop)
		<-done
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return &emulator{srv: srv, URL: hs.URL}, steps
}
