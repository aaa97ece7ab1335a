package server_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestRound31PrivateZoneConflictText: CreateHostedZone of a private zone
// whose VPC already has a private zone of that name is refused as AWS
// refuses it (confluentinc/terraform-provider-confluent#395):
// ConflictingDomainExists "The VPC vpc-… in region us-east-1 has already
// been associated with the hosted zone Z… with the same domain name.",
// naming the zone that has it. Before round thirty-one ecsnet answered the
// text of a reusable delegation set's conflict.
func TestRound31PrivateZoneConflictText(t *testing.T) {
	em := newEmulator(t, nil)
	e := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	r := route53Client(em.URL)
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := aws.ToString(v.Vpc.VpcId)
	zone := func(ref string) (*route53.CreateHostedZoneOutput, error) {
		return r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("kafka.example.internal"), CallerReference: aws.String(ref),
			VPC: &r53types.VPC{VPCId: aws.String(vpc), VPCRegion: r53types.VPCRegionUsEast1}})
	}
	first, err := zone("first")
	must(t, err)
	_, err = zone("second")
	id := strings.TrimPrefix(aws.ToString(first.HostedZone.Id), "/hostedzone/")
	want := "The VPC " + vpc + " in region us-east-1 has already been associated with the hosted zone " + id + " with the same domain name."
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ConflictingDomainExists" || ae.ErrorMessage() != want {
		t.Errorf("a second private zone of the name in the VPC: %v, want ConflictingDomainExists %q", err, want)
	}
	l, err := r.ListHostedZonesByName(ctx, &route53.ListHostedZonesByNameInput{})
	must(t, err)
	if len(l.HostedZones) != 1 {
		t.Errorf("zones after the refusal: %d, want 1", len(l.HostedZones))
	}
}

// round31TaskSet is the one task set of the stack's service.
func round31TaskSet(t *testing.T, c clients, cf *cloudformation.Client, stack string) ecstypes.TaskSet {
	t.Helper()
	ids := stackPhysicalIDs(t, cf, stack)
	d, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(ids["Cluster"]), Services: []string{ids["Shop"]}})
	must(t, err)
	if len(d.Services) != 1 || len(d.Services[0].TaskSets) != 1 {
		t.Fatalf("service %s: %+v, want one task set", ids["Shop"], d.Services)
	}
	return d.Services[0].TaskSets[0]
}

// TestRound31TaskSetWaitsForItsOwnSteadyState: CloudFormation creates an
// AWS::ECS::TaskSet and waits for that task set to reach STEADY_STATE (its
// handler reads it with DescribeTaskSets), no more: CreateStack leaves it
// CREATE_IN_PROGRESS with its tasks not yet running (the emulator's steps
// paused), the PrimaryTaskSet that depends on it not yet created, and the
// stack completes once the task set runs its two tasks. Before round
// thirty-one the task set's handler ran the whole engine to its end, so
// the stack was CREATE_COMPLETE as CreateStack returned.
func TestRound31TaskSetWaitsForItsOwnSteadyState(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/cfn31/taskset-wait.yaml")
	must(t, err)
	resume := steps.pause()
	defer resume()
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("external"), TemplateBody: aws.String(string(body))})
	must(t, err)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("external")})
	must(t, err)
	if st := ds.Stacks[0].StackStatus; st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("after CreateStack: stack %s (%s), want CREATE_IN_PROGRESS", st, aws.ToString(ds.Stacks[0].StackStatusReason))
	}
	if s := round30ResourceStatus(t, cf, "external", "Blue"); s != cfntypes.ResourceStatusCreateInProgress {
		t.Errorf("Blue %s, want CREATE_IN_PROGRESS", s)
	}
	if s := round30ResourceStatus(t, cf, "external", "Primary"); s != "" {
		t.Errorf("Primary %s before Blue is stable, want not yet created", s)
	}
	ts := round31TaskSet(t, c, cf, "external")
	if ts.StabilityStatus == ecstypes.StabilityStatusSteadyState || ts.RunningCount == 2 {
		t.Errorf("task set after CreateStack: %s with %d running, want STABILIZING", ts.StabilityStatus, ts.RunningCount)
	}
	if st := round30StepUntil(t, cf, steps, "external", cfntypes.StackStatusCreateInProgress); st != cfntypes.StackStatusCreateComplete {
		t.Fatalf("stack %s, want CREATE_COMPLETE", st)
	}
	ts = round31TaskSet(t, c, cf, "external")
	if ts.StabilityStatus != ecstypes.StabilityStatusSteadyState || ts.RunningCount != 2 || aws.ToString(ts.Status) != "PRIMARY" {
		t.Errorf("task set at CREATE_COMPLETE: %s %s with %d running, want PRIMARY STEADY_STATE with 2", aws.ToString(ts.Status), ts.StabilityStatus, ts.RunningCount)
	}
}

// TestRound31ExpressServiceWaitsForItsDeployment: an
// AWS::ECS::ExpressGatewayService is an ECS service, and CloudFormation
// waits for it as for an AWS::ECS::Service: CreateStack leaves it
// CREATE_IN_PROGRESS with its first deployment IN_PROGRESS (the emulator's
// steps paused), and the stack completes once the deployment runs its
// minimum of tasks. Before round thirty-one its handler ran the whole
// engine to its end inside CreateStack.
func TestRound31ExpressServiceWaitsForItsDeployment(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{DefaultVPC: true, StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	const tmpl = `
Resources:
  TaskExecution:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: "sts:AssumeRole"}]}
  Infrastructure:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ecs.amazonaws.com}, Action: "sts:AssumeRole"}]}
  Api:
    Type: AWS::ECS::ExpressGatewayService
    Properties:
      ServiceName: orders
      ExecutionRoleArn: !GetAtt TaskExecution.Arn
      InfrastructureRoleArn: !GetAtt Infrastructure.Arn
      PrimaryContainer: {Image: "orders:7", ContainerPort: 8080}
      ScalingTarget: {MinTaskCount: 2, MaxTaskCount: 4}
`
	resume := steps.pause()
	defer resume()
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("express"), TemplateBody: aws.String(tmpl),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	deployment := func() ecstypes.Deployment {
		t.Helper()
		d, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("default"), Services: []string{"orders"}})
		must(t, err)
		if len(d.Services) != 1 || len(d.Services[0].Deployments) == 0 {
			t.Fatalf("service orders: %+v", d.Services)
		}
		return d.Services[0].Deployments[0]
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("express")})
	must(t, err)
	if st := ds.Stacks[0].StackStatus; st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("after CreateStack: stack %s (%s), want CREATE_IN_PROGRESS", st, aws.ToString(ds.Stacks[0].StackStatusReason))
	}
	if s := round30ResourceStatus(t, cf, "express", "Api"); s != cfntypes.ResourceStatusCreateInProgress {
		t.Errorf("Api %s, want CREATE_IN_PROGRESS", s)
	}
	if d := deployment(); d.RolloutState != ecstypes.DeploymentRolloutStateInProgress {
		t.Errorf("deployment after CreateStack: %s with %d running, want IN_PROGRESS", d.RolloutState, d.RunningCount)
	}
	if st := round30StepUntil(t, cf, steps, "express", cfntypes.StackStatusCreateInProgress); st != cfntypes.StackStatusCreateComplete {
		t.Fatalf("stack %s, want CREATE_COMPLETE", st)
	}
	if d := deployment(); d.RolloutState != ecstypes.DeploymentRolloutStateCompleted || d.RunningCount != 2 {
		t.Errorf("deployment at CREATE_COMPLETE: %s with %d running, want COMPLETED with 2", d.RolloutState, d.RunningCount)
	}
}

// TestRound31PlacementGroups: AWS::EC2::PlacementGroup creates an EC2
// placement group whose Ref and GroupName are its generated name; an
// AWS::EC2::Instance's PlacementGroupName, a launch template's
// Placement.GroupName and an Auto Scaling group's PlacementGroup (over its
// template's) launch the instances into their groups, which
// DescribeInstances shows in Placement.GroupName. An instance naming a
// group that does not exist fails with RunInstances' refusal and the stack
// rolls back. Before round thirty-one the groups were skipped and the
// instances launched into none.
func TestRound31PlacementGroups(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/cfn31/placement.yaml")
	must(t, err)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("hpc"), TemplateBody: aws.String(string(body))})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "hpc")
	if !strings.HasPrefix(out["Close"], "hpc-Close-") || out["CloseName"] != out["Close"] {
		t.Errorf("Ref Close %q, GroupName %q: want the generated name hpc-Close-…, twice", out["Close"], out["CloseName"])
	}
	pgs, err := c.ec2.DescribePlacementGroups(ctx, &ec2.DescribePlacementGroupsInput{GroupNames: []string{out["Close"], out["Apart"]}})
	must(t, err)
	strategies := map[string]string{}
	for _, g := range pgs.PlacementGroups {
		strategies[aws.ToString(g.GroupName)] = string(g.Strategy)
	}
	if strategies[out["Close"]] != "cluster" || strategies[out["Apart"]] != "spread" {
		t.Errorf("placement groups: %v", strategies)
	}
	in, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	must(t, err)
	groups := map[string]int{}
	for _, r := range in.Reservations {
		for _, i := range r.Instances {
			if i.Placement != nil {
				groups[aws.ToString(i.Placement.GroupName)]++
			}
		}
	}
	// the broker and the Workers group's instance in Close, the Hosts
	// group's two in Apart
	if groups[out["Close"]] != 2 || groups[out["Apart"]] != 2 {
		t.Errorf("instances per placement group: %v, want 2 in %s and 2 in %s", groups, out["Close"], out["Apart"])
	}

	bad, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("nogroup"), TemplateBody: aws.String(string(body)),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("GroupName"), ParameterValue: aws.String("missing-group")}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(bad.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: bad.StackId})
	must(t, err)
	found := false
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Broker" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed &&
			strings.Contains(aws.ToString(e.ResourceStatusReason), "The Placement Group 'missing-group' is unknown.") {
			found = true
		}
	}
	if !found {
		t.Errorf("no Broker CREATE_FAILED with EC2's unknown placement group text")
	}
	deleteRound21(t, cf, "hpc")
	pgs, err = c.ec2.DescribePlacementGroups(ctx, &ec2.DescribePlacementGroupsInput{})
	must(t, err)
	if len(pgs.PlacementGroups) != 0 {
		t.Errorf("placement groups after delete-stack: %d", len(pgs.PlacementGroups))
	}
}

// TestRound31AutoScalingGroupPlacementGroup: CreateAutoScalingGroup's
// PlacementGroup launches the group's instances into the group, and
// DescribeAutoScalingGroups answers it. Before round thirty-one it was
// refused ("ecsnet does not model PlacementGroup in Auto Scaling groups.").
func TestRound31AutoScalingGroupPlacementGroup(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.33.0.0/16")})
	must(t, err)
	s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.33.1.0/24")})
	must(t, err)
	_, err = c.ec2.CreatePlacementGroup(ctx, &ec2.CreatePlacementGroupInput{GroupName: aws.String("low-latency"), Strategy: ec2types.PlacementStrategyCluster})
	must(t, err)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("hosts"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: ec2types.InstanceTypeC5Large}})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("hosts"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("$Latest")},
		MinSize:        aws.Int32(2), MaxSize: aws.Int32(2), VPCZoneIdentifier: s.Subnet.SubnetId,
		PlacementGroup: aws.String("low-latency")})
	must(t, err)
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"hosts"}})
	must(t, err)
	if len(g.AutoScalingGroups) != 1 || aws.ToString(g.AutoScalingGroups[0].PlacementGroup) != "low-latency" || len(g.AutoScalingGroups[0].Instances) != 2 {
		t.Fatalf("group: %+v, want PlacementGroup low-latency and 2 instances", g.AutoScalingGroups)
	}
	var ids []string
	for _, i := range g.AutoScalingGroups[0].Instances {
		ids = append(ids, aws.ToString(i.InstanceId))
	}
	in, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
	must(t, err)
	for _, r := range in.Reservations {
		for _, i := range r.Instances {
			if i.Placement == nil || aws.ToString(i.Placement.GroupName) != "low-latency" {
				t.Errorf("instance %s placement %+v, want low-latency", aws.ToString(i.InstanceId), i.Placement)
			}
		}
	}
}

// TestRound31TaskSetScaleUpdateWaits: a new Scale updates the task set in
// place (UpdateTaskSet) and the update waits for the task set to reach
// STEADY_STATE again, as its create does: UpdateStack leaves the stack
// UPDATE_IN_PROGRESS with the task set still running its two tasks (the
// emulator's steps paused), and the update completes once it runs one.
// Before round thirty-one the handler ran the engine to its end.
func TestRound31TaskSetScaleUpdateWaits(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/cfn31/taskset-wait.yaml")
	must(t, err)
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("scaled"), TemplateBody: aws.String(string(body))})
	must(t, err)
	waitStack(t, cf, "scaled", cfntypes.StackStatusCreateComplete)
	resume := steps.pause()
	defer resume()
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("scaled"),
		TemplateBody: aws.String(strings.Replace(string(body), "Value: 100", "Value: 50", 1))})
	must(t, err)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("scaled")})
	must(t, err)
	if st := ds.Stacks[0].StackStatus; st != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("after UpdateStack: stack %s, want UPDATE_IN_PROGRESS", st)
	}
	if ts := round31TaskSet(t, c, cf, "scaled"); ts.RunningCount != 2 {
		t.Errorf("task set after UpdateStack: %s with %d running, want still 2", ts.StabilityStatus, ts.RunningCount)
	}
	if st := round30StepUntil(t, cf, steps, "scaled", cfntypes.StackStatusUpdateInProgress); st != cfntypes.StackStatusUpdateComplete {
		t.Fatalf("stack %s, want UPDATE_COMPLETE", st)
	}
	if ts := round31TaskSet(t, c, cf, "scaled"); ts.StabilityStatus != ecstypes.StabilityStatusSteadyState || ts.RunningCount != 1 {
		t.Errorf("task set at UPDATE_COMPLETE: %s with %d running, want STEADY_STATE with 1", ts.StabilityStatus, ts.RunningCount)
	}
}
