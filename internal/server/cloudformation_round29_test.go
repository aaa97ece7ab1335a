package server_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationContinueUpdateRollback: an update whose service
// cannot start rolls back, and the rollback fails too when the route its
// previous configuration needs was deleted out of band meanwhile: the
// stack is UPDATE_ROLLBACK_FAILED and takes no update. ContinueUpdateRollback
// refuses a stack in another state, a resource to skip the stack does not
// have and one that is not in a failed state, changing nothing; once the
// route is back it deploys the service's previous configuration again,
// waits for it and ends UPDATE_ROLLBACK_COMPLETE. The next time, skipping
// the service ends the rollback at once, the service UPDATE_COMPLETE as
// it is.
func TestCloudFormationContinueUpdateRollback(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body := sweepTemplate(t, "service-stabilize.yaml")
	param := func(k, v string) cfntypes.Parameter {
		return cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)}
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("cont"), TemplateBody: body,
		Parameters: []cfntypes.Parameter{param("ImageReachable", "true")}})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	ids := stackPhysicalIDs(t, cf, "cont")
	continueErr := func(skip ...string) string {
		_, err := cf.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String("cont"), ResourcesToSkip: skip})
		if err == nil {
			return ""
		}
		return err.Error()
	}
	if e := continueErr(); !strings.Contains(e, "ContinueUpdateRollback cannot be called from current stack status") {
		t.Errorf("ContinueUpdateRollback of a CREATE_COMPLETE stack: %q", e)
	}

	// failRollback updates the stack to a service that cannot reach its
	// image (and a new security group, Extra) and, before the update's
	// first step, deletes the route the previous configuration needs.
	withExtra := aws.String(strings.Replace(aws.ToString(body), "\nOutputs:",
		"\n  Extra:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: extra, VpcId: !Ref Vpc}\nOutputs:", 1))
	failRollback := func() int {
		n := len(stackEventsOf(t, cf, id))
		func() {
			defer steps.pause()()
			_, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("cont"), TemplateBody: withExtra,
				Parameters: []cfntypes.Parameter{param("ImageReachable", "false")}})
			must(t, err)
			_, err = c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(ids["Routes"]), DestinationCidrBlock: aws.String("0.0.0.0/0")})
			must(t, err)
		}()
		waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackFailed, 20*time.Second)
		return n
	}
	n := failRollback()
	ev := eventsSince(t, cf, id, n)
	if !slices.Contains(ev, "cont UPDATE_ROLLBACK_FAILED The following resource(s) failed to update: [Service]. ") {
		t.Errorf("events:\n%s", strings.Join(ev, "\n"))
	}
	if _, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("cont"), UsePreviousTemplate: aws.Bool(true)}); err == nil ||
		!strings.Contains(err.Error(), "UPDATE_ROLLBACK_FAILED state and can not be updated") {
		t.Errorf("UpdateStack in UPDATE_ROLLBACK_FAILED: %v", err)
	}
	n = len(stackEventsOf(t, cf, id))
	if e := continueErr("Nope"); !strings.Contains(e, "ResourcesToSkip [Nope] do not exist in stack cont") {
		t.Errorf("skipping an unknown resource: %q", e)
	}
	if e := continueErr("Service", "Vpc"); !strings.Contains(e, "Resources [Vpc] cannot be skipped") {
		t.Errorf("skipping a resource that did not fail: %q", e)
	}
	if ev := eventsSince(t, cf, id, n); len(ev) > 0 {
		t.Errorf("refused ContinueUpdateRollback recorded events: %q", ev)
	}

	// The route back: the rollback goes on and completes.
	restoreRoute := func() {
		_, err := c.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(ids["Routes"]), DestinationCidrBlock: aws.String("0.0.0.0/0"),
			GatewayId: aws.String(ids["Gateway"])})
		must(t, err)
	}
	restoreRoute()
	if e := continueErr(); e != "" {
		t.Fatal(e)
	}
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	want := []string{"cont UPDATE_ROLLBACK_IN_PROGRESS User Initiated", "Service UPDATE_IN_PROGRESS ", "Service UPDATE_COMPLETE ",
		"cont UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ", "Extra DELETE_IN_PROGRESS ", "Extra DELETE_COMPLETE ", "cont UPDATE_ROLLBACK_COMPLETE "}
	if ev := eventsSince(t, cf, id, n); !slices.Equal(ev, want) {
		t.Errorf("events of the continued rollback:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}
	sv, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(ids["Cluster"]), Services: []string{ids["Service"]}})
	must(t, err)
	if s := sv.Services[0]; s.RunningCount != 2 || len(s.Deployments) != 1 {
		t.Errorf("service after the rollback: %d running, %d deployments, want 2 and 1", s.RunningCount, len(s.Deployments))
	}

	// Again, skipping the service.
	failRollback()
	n = len(stackEventsOf(t, cf, id))
	if e := continueErr("Service"); e != "" {
		t.Fatal(e)
	}
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	want = []string{"cont UPDATE_ROLLBACK_IN_PROGRESS User Initiated", "Service UPDATE_COMPLETE Resource skipped during rollback",
		"cont UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ", "Extra DELETE_IN_PROGRESS ", "Extra DELETE_COMPLETE ", "cont UPDATE_ROLLBACK_COMPLETE "}
	if ev := eventsSince(t, cf, id, n); !slices.Equal(ev, want) {
		t.Errorf("events of the rollback skipping Service:\n%s\nwant:\n%s", strings.Join(ev, "\n"), strings.Join(want, "\n"))
	}

	// Deleted while UPDATE_ROLLBACK_FAILED (the stack takes updates
	// again, failRollback's): what the update created goes with the rest.
	restoreRoute()
	failRollback()
	extra := ""
	rs, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(id)})
	must(t, err)
	events, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
	must(t, err)
	for _, e := range events.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Extra" && aws.ToString(e.PhysicalResourceId) != "" && extra == "" {
			extra = aws.ToString(e.PhysicalResourceId)
		}
	}
	for _, r := range rs.StackResources {
		if aws.ToString(r.LogicalResourceId) == "Extra" {
			t.Errorf("Extra listed after the rollback: %s", r.ResourceStatus)
		}
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("cont")})
	must(t, err)
	waitStackFor(t, cf, id, cfntypes.StackStatusDeleteComplete, 20*time.Second)
	sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
	must(t, err)
	for _, g := range sgs.SecurityGroups {
		if aws.ToString(g.GroupId) == extra {
			t.Errorf("the update's security group %s outlived the stack", extra)
		}
	}
	if extra == "" {
		t.Error("no event names Extra's id")
	}
}

// TestCloudFormationContinueUpdateRollbackNested: the same failed
// rollback inside a nested stack. The nested stack ends
// UPDATE_ROLLBACK_FAILED with its parent (it stayed UPDATE_ROLLBACK_IN_PROGRESS
// for ever before), the parent's resource is named Svc, and
// ContinueUpdateRollback on the parent skipping "Svc.Service" completes
// both.
func TestCloudFormationContinueUpdateRollbackNested(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	child, err := os.ReadFile("../cfn/testdata/sweep/service-stabilize.yaml")
	must(t, err)
	s3c := s3Client(em.URL, "us-east-1", true)
	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("templates29c")})
	must(t, err)
	_, err = s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("templates29c"), Key: aws.String("svc.yaml"), Body: strings.NewReader(string(child))})
	must(t, err)
	parent := `Parameters:
  Reachable: {Type: String, Default: "true"}
Resources:
  Svc:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://templates29c.s3.amazonaws.com/svc.yaml
      Parameters: {ImageReachable: !Ref Reachable}
`
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("outer"), TemplateBody: aws.String(parent)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	nested := stackPhysicalIDs(t, cf, "outer")["Svc"]
	ids := stackPhysicalIDs(t, cf, nested)

	resume := steps.pause()
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("outer"), TemplateBody: aws.String(parent),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Reachable"), ParameterValue: aws.String("false")}}})
	must(t, err)
	_, err = c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(ids["Routes"]), DestinationCidrBlock: aws.String("0.0.0.0/0")})
	must(t, err)
	resume()
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackFailed, 20*time.Second)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusUpdateRollbackFailed {
		t.Errorf("nested stack %s after its parent's rollback failed, want UPDATE_ROLLBACK_FAILED", st)
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if r := aws.ToString(ds.Stacks[0].StackStatusReason); r != "The following resource(s) failed to update: [Svc]. " {
		t.Errorf("parent's reason %q", r)
	}
	if _, err := cf.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String(nested)}); err == nil {
		t.Error("ContinueUpdateRollback naming the nested stack: no error")
	}
	_, err = cf.ContinueUpdateRollback(ctx, &cloudformation.ContinueUpdateRollbackInput{StackName: aws.String("outer"), ResourcesToSkip: []string{"Svc.Service"}})
	must(t, err)
	waitStackFor(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete, 20*time.Second)
	if st := stackStatus(t, cf, nested); st != cfntypes.StackStatusUpdateRollbackComplete {
		t.Errorf("nested stack %s after ContinueUpdateRollback, want UPDATE_ROLLBACK_COMPLETE", st)
	}
}

// driftTemplate: a VPC with two subnets, a security group open on port
// 80, an idle Fargate service, and a wait condition handle (a type drift
// detection does not check).
const driftTemplate = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.29.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.29.0.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  Spare:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.29.1.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 80, ToPort: "80", CidrIp: 0.0.0.0/0}]
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
  Service:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      LaunchType: FARGATE
      TaskDefinition: !Ref TaskDef
      DesiredCount: 0
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [!Ref Subnet], SecurityGroups: [!Ref Web]}
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
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref Vpc, Port: 80, Protocol: HTTP, TargetType: ip, HealthCheckPath: /health}
  Handle:
    Type: AWS::CloudFormation::WaitConditionHandle
`

// TestCloudFormationDriftDetection: DetectStackDrift finds a stack as
// its template made it IN_SYNC; after a rule added to its security
// group and the template's one revoked, its service's desired count
// changed and a subnet deleted, all through the API, it is DRIFTED with
// three resources: the group MODIFIED (the rule REMOVE, the new one
// ADD), the service MODIFIED (DesiredCount NOT_EQUAL), the subnet
// DELETED. The wait condition handle is NOT_CHECKED and not listed.
// DescribeStacks and DescribeStackResources show the drift;
// DetectStackResourceDrift checks one resource.
func TestCloudFormationDriftDetection(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("drifty"), TemplateBody: aws.String(driftTemplate)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStackFor(t, cf, id, cfntypes.StackStatusCreateComplete, 20*time.Second)
	ids := stackPhysicalIDs(t, cf, "drifty")
	detect := func() *cloudformation.DescribeStackDriftDetectionStatusOutput {
		d, err := cf.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: aws.String("drifty")})
		must(t, err)
		st, err := cf.DescribeStackDriftDetectionStatus(ctx, &cloudformation.DescribeStackDriftDetectionStatusInput{StackDriftDetectionId: d.StackDriftDetectionId})
		must(t, err)
		if st.DetectionStatus != cfntypes.StackDriftDetectionStatusDetectionComplete || aws.ToString(st.StackId) != id {
			t.Errorf("detection %s of %s", st.DetectionStatus, aws.ToString(st.StackId))
		}
		return st
	}
	drifts := func(filters ...cfntypes.StackResourceDriftStatus) map[string]cfntypes.StackResourceDrift {
		out, err := cf.DescribeStackResourceDrifts(ctx, &cloudformation.DescribeStackResourceDriftsInput{StackName: aws.String("drifty"), StackResourceDriftStatusFilters: filters})
		must(t, err)
		m := map[string]cfntypes.StackResourceDrift{}
		for _, d := range out.StackResourceDrifts {
			m[aws.ToString(d.LogicalResourceId)] = d
		}
		return m
	}
	if st := detect(); st.StackDriftStatus != cfntypes.StackDriftStatusInSync || aws.ToInt32(st.DriftedStackResourceCount) != 0 {
		t.Errorf("fresh stack: %s, %d drifted", st.StackDriftStatus, aws.ToInt32(st.DriftedStackResourceCount))
	}
	for name, d := range drifts() {
		if d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusInSync {
			t.Errorf("fresh %s: %s %+v", name, d.StackResourceDriftStatus, d.PropertyDifferences)
		}
	}
	if _, listed := drifts()["Handle"]; listed {
		t.Error("the wait condition handle is listed among the checked resources")
	}

	// Out of band.
	_, err = c.ec2.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(ids["Web"]),
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIp: aws.String("10.0.0.0/8")})
	must(t, err)
	_, err = c.ec2.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(ids["Web"]),
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80), CidrIp: aws.String("0.0.0.0/0")})
	must(t, err)
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(ids["Cluster"]), Service: aws.String(ids["Service"]), DesiredCount: aws.Int32(2)})
	must(t, err)
	_, err = c.ec2.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(ids["Spare"])})
	must(t, err)
	_, err = c.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(ids["Routes"]), DestinationCidrBlock: aws.String("0.0.0.0/0")})
	must(t, err)
	_, err = c.elb.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: aws.String(ids["Tg"]), HealthCheckPath: aws.String("/")})
	must(t, err)

	if st := detect(); st.StackDriftStatus != cfntypes.StackDriftStatusDrifted || aws.ToInt32(st.DriftedStackResourceCount) != 5 {
		t.Errorf("after the changes: %s, %d drifted, want DRIFTED and 5", st.StackDriftStatus, aws.ToInt32(st.DriftedStackResourceCount))
	}
	all := drifts()
	diffs := func(d cfntypes.StackResourceDrift) []string {
		var out []string
		for _, p := range d.PropertyDifferences {
			out = append(out, string(p.DifferenceType)+" "+aws.ToString(p.PropertyPath)+" "+aws.ToString(p.ExpectedValue)+" "+aws.ToString(p.ActualValue))
		}
		return out
	}
	wantSG := []string{`REMOVE /SecurityGroupIngress/0 {"CidrIp":"0.0.0.0/0","FromPort":80,"IpProtocol":"tcp","ToPort":80} null`,
		`ADD /SecurityGroupIngress/0 null {"CidrIp":"10.0.0.0/8","FromPort":22,"IpProtocol":"tcp","ToPort":22}`}
	if d := all["Web"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusModified || !slices.Equal(diffs(d), wantSG) {
		t.Errorf("Web: %s\n%s\nwant\n%s", d.StackResourceDriftStatus, strings.Join(diffs(d), "\n"), strings.Join(wantSG, "\n"))
	}
	if d := all["Service"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusModified || !slices.Equal(diffs(d), []string{"NOT_EQUAL /DesiredCount 0 2"}) {
		t.Errorf("Service: %s %q", d.StackResourceDriftStatus, diffs(d))
	}
	if d := all["Spare"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusDeleted {
		t.Errorf("Spare: %s, want DELETED", d.StackResourceDriftStatus)
	}
	if d := all["DefaultRoute"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusDeleted {
		t.Errorf("DefaultRoute: %s, want DELETED", d.StackResourceDriftStatus)
	}
	if d := all["Tg"]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusModified || !slices.Equal(diffs(d), []string{"NOT_EQUAL /HealthCheckPath /health /"}) {
		t.Errorf("Tg: %s %q", d.StackResourceDriftStatus, diffs(d))
	}
	for _, name := range []string{"Vpc", "Subnet", "Routes", "Cluster"} {
		if d := all[name]; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusInSync {
			t.Errorf("%s: %s %q", name, d.StackResourceDriftStatus, diffs(d))
		}
	}
	if m := drifts(cfntypes.StackResourceDriftStatusModified); len(m) != 3 {
		t.Errorf("MODIFIED filter: %d resources, want 3", len(m))
	}
	if _, err := cf.DescribeStackResourceDrifts(ctx, &cloudformation.DescribeStackResourceDriftsInput{StackName: aws.String("drifty"),
		StackResourceDriftStatusFilters: []cfntypes.StackResourceDriftStatus{"CHANGED"}}); err == nil || !strings.Contains(err.Error(), "Member must satisfy enum value set") {
		t.Errorf("an unknown filter: %v", err)
	}

	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("drifty")})
	must(t, err)
	if di := ds.Stacks[0].DriftInformation; di.StackDriftStatus != cfntypes.StackDriftStatusDrifted || di.LastCheckTimestamp == nil {
		t.Errorf("DescribeStacks drift information %+v", di)
	}
	rs, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String("drifty")})
	must(t, err)
	for _, r := range rs.StackResources {
		want := cfntypes.StackResourceDriftStatusInSync
		switch aws.ToString(r.LogicalResourceId) {
		case "Web", "Service", "Tg":
			want = cfntypes.StackResourceDriftStatusModified
		case "Spare", "DefaultRoute":
			want = cfntypes.StackResourceDriftStatusDeleted
		case "Handle", "Attachment":
			want = cfntypes.StackResourceDriftStatusNotChecked
		}
		if got := r.DriftInformation.StackResourceDriftStatus; got != want {
			t.Errorf("DescribeStackResources %s: %s, want %s", aws.ToString(r.LogicalResourceId), got, want)
		}
	}
	ls, err := cf.ListStackResources(ctx, &cloudformation.ListStackResourcesInput{StackName: aws.String("drifty")})
	must(t, err)
	for _, r := range ls.StackResourceSummaries {
		if aws.ToString(r.LogicalResourceId) == "Service" && r.DriftInformation.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusModified {
			t.Errorf("ListStackResources Service: %s", r.DriftInformation.StackResourceDriftStatus)
		}
	}

	// One resource: the service back to its template's count is IN_SYNC.
	_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(ids["Cluster"]), Service: aws.String(ids["Service"]), DesiredCount: aws.Int32(0)})
	must(t, err)
	one, err := cf.DetectStackResourceDrift(ctx, &cloudformation.DetectStackResourceDriftInput{StackName: aws.String("drifty"), LogicalResourceId: aws.String("Service")})
	must(t, err)
	if d := one.StackResourceDrift; d.StackResourceDriftStatus != cfntypes.StackResourceDriftStatusInSync || len(d.PropertyDifferences) != 0 {
		t.Errorf("DetectStackResourceDrift Service: %s %q", d.StackResourceDriftStatus, diffs(*d))
	}
	if _, err := cf.DetectStackResourceDrift(ctx, &cloudformation.DetectStackResourceDriftInput{StackName: aws.String("drifty"), LogicalResourceId: aws.String("Nope")}); err == nil {
		t.Error("DetectStackResourceDrift of a resource the stack does not have: no error")
	}

	// A stack that rolled back its create is not checked.
	failed, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("typo"), TemplateBody: sweepTemplate(t, "unknown-property.yaml")})
	must(t, err)
	waitStackFor(t, cf, aws.ToString(failed.StackId), cfntypes.StackStatusRollbackComplete, 20*time.Second)
	if _, err := cf.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: aws.String("typo")}); err == nil ||
		!strings.Contains(err.Error(), "ROLLBACK_COMPLETE") {
		t.Errorf("DetectStackDrift of a ROLLBACK_COMPLETE stack: %v", err)
	}
}

// TestCloudFormationDriftAWSCLI runs scripts/cfn-drift-awscli.sh: drift
// detection and a ContinueUpdateRollback refusal through the aws CLI.
func TestCloudFormationDriftAWSCLI(t *testing.T) {
	t.Parallel() // a script of its own server: it overlaps with the others
	requireTool(t, "aws", "--version")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "bash", filepath.Join("..", "..", "scripts", "cfn-drift-awscli.sh"))
}
