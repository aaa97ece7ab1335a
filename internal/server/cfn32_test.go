package server_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestRound32CertificateOfTheStack: an AWS::CertificateManager::Certificate
// is requested from ACM, so the HTTPS listener that names it (by Ref in the
// same stack, as katsuhiko/aws-cfn-ecs's load balancer stack names its
// certificate stack's export) finds it and the stack completes; deleting
// the stack deletes the certificate, after which ELB refuses it
// (CertificateNotFound). Before round thirty-two the certificate was a
// placeholder ACM did not hold, and the listener failed "Certificate '…'
// not found".
func TestRound32CertificateOfTheStack(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/cfn32/certificate-listener.yaml")
	must(t, err)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("edge"), TemplateBody: aws.String(string(body))})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	cert := stackOutputs(t, cf, "edge")["CertificateArn"]
	if !strings.HasPrefix(cert, "arn:aws:acm:us-east-1:123456789012:certificate/") {
		t.Fatalf("Ref of the certificate %q, want an ACM certificate ARN", cert)
	}
	ids := stackPhysicalIDs(t, cf, "edge")
	if ids["SiteCert"] != cert {
		t.Errorf("the certificate's physical id %q, want its ARN %q", ids["SiteCert"], cert)
	}
	ls, err := c.elb.DescribeListeners(ctx, &elasticloadbalancingv2.DescribeListenersInput{ListenerArns: []string{ids["Https"]}})
	must(t, err)
	if len(ls.Listeners) != 1 || len(ls.Listeners[0].Certificates) != 1 || aws.ToString(ls.Listeners[0].Certificates[0].CertificateArn) != cert {
		t.Errorf("the listener's certificates %+v, want %s", ls.Listeners, cert)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	// the certificate went with the stack: ELB no longer finds it
	lb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("after"),
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: round32Subnets(t, c)})
	must(t, err)
	_, err = c.elb.CreateListener(ctx, &elasticloadbalancingv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn,
		Port: aws.Int32(443), Protocol: elbtypes.ProtocolEnumHttps, Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(cert)}},
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "CertificateNotFound" {
		t.Errorf("a listener on the deleted stack's certificate: %v, want CertificateNotFound", err)
	}
}

// round32Subnets makes a VPC with two subnets in two zones, for an
// internal load balancer outside any stack.
func round32Subnets(t *testing.T, c clients) []string {
	t.Helper()
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	var out []string
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, AvailabilityZone: aws.String(zone),
			CidrBlock: aws.String(fmt.Sprintf("10.9.%d.0/24", i))})
		must(t, err)
		out = append(out, aws.ToString(s.Subnet.SubnetId))
	}
	return out
}

// round32GroupTemplate is an Auto Scaling group of Size instances,
// launching into the placement group Into when one is given.
const round32GroupTemplate = `
Parameters:
  Into: {Type: String, Default: ""}
  Size: {Type: Number, Default: 1}
Conditions:
  Placed: !Not [!Equals [!Ref Into, ""]]
Resources:
  Net:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.52.0.0/16}
  Hall:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Net, CidrBlock: 10.52.3.0/24}
  Shape:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ami-0123456789abcdef0, InstanceType: m5.large}
  Workers:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref Shape
      VPCZoneIdentifier: [!Ref Hall]
      PlacementGroup: !If [Placed, !Ref Into, !Ref AWS::NoValue]
      MinSize: !Ref Size
      MaxSize: !Ref Size
Outputs:
  Workers: {Value: !Ref Workers}
`

// TestRound32GroupUpdateWhoseLaunchesFail: a stack update that grows an
// Auto Scaling group and moves it into a placement group that does not
// exist fails as the create of such a group fails (the handler waits for
// the group to stabilize and gives up on its failed scaling activity,
// "Group did not stabilize. … Failed Scaling Activity: …"), and the stack
// rolls back: the group is again of one instance, in no placement group.
// Before round thirty-two the update completed with the group short of its
// size.
func TestRound32GroupUpdateWhoseLaunchesFail(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("workers"), TemplateBody: aws.String(round32GroupTemplate)})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	name := stackOutputs(t, cf, "workers")["Workers"]
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Into"), ParameterValue: aws.String("no-such-group")},
			{ParameterKey: aws.String("Size"), ParameterValue: aws.String("2")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(id)})
	must(t, err)
	reason := ""
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Workers" && e.ResourceStatus == cfntypes.ResourceStatusUpdateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	want := "Group did not stabilize. {current/minSize/maxSize} group size = {1/2/2}. Failed Scaling Activity: Launching a new EC2 instance.  Status Reason: The Placement Group 'no-such-group' is unknown. Launching EC2 instance failed."
	if reason != want {
		t.Errorf("Workers UPDATE_FAILED reason %q, want %q", reason, want)
	}
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{name}})
	must(t, err)
	if len(g.AutoScalingGroups) != 1 {
		t.Fatalf("groups named %s after the rollback: %d, want 1", name, len(g.AutoScalingGroups))
	}
	if grp := g.AutoScalingGroups[0]; aws.ToInt32(grp.MinSize) != 1 || aws.ToString(grp.PlacementGroup) != "" {
		t.Errorf("group after the rollback: min %d, placement group %q; want 1 and none", aws.ToInt32(grp.MinSize), aws.ToString(grp.PlacementGroup))
	}
}

// TestRound32DaemonUpdatedInPlace: a stack update that changes an
// AWS::ECS::Daemon's DaemonTaskDefinitionArn, DeploymentConfiguration and
// Tags ("Update requires: No interruption") updates the daemon in place,
// UpdateDaemon's new revision and deployment: the daemon keeps its ARN,
// has two deployments (the second to the new daemon task definition, with
// the new drain percentage, SUCCESSFUL once the stack completes) and the
// new tag; DeploymentArn answers the new deployment. Before round
// thirty-two every change replaced the daemon (a daemon of the same name
// could not be created while the old one existed).
func TestRound32DaemonUpdatedInPlace(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body, err := os.ReadFile("../cfn/testdata/cfn32/daemon-update.yaml")
	must(t, err)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("agents"), TemplateBody: aws.String(string(body)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	before := stackPhysicalIDs(t, cf, "agents")
	first := stackOutputs(t, cf, "agents")["Deployment"]
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Image"), ParameterValue: aws.String("public.ecr.aws/example/collector:2")},
			{ParameterKey: aws.String("Drain"), ParameterValue: aws.String("30")}, {ParameterKey: aws.String("Team"), ParameterValue: aws.String("observability")}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	after := stackPhysicalIDs(t, cf, "agents")
	daemon := after["Collector"]
	if daemon != before["Collector"] {
		t.Fatalf("the daemon after the update %s, want the same daemon %s", daemon, before["Collector"])
	}
	second := stackOutputs(t, cf, "agents")["Deployment"]
	if second == first || second == "" {
		t.Errorf("DeploymentArn after the update %q, want a new deployment (was %q)", second, first)
	}
	deps, err := c.ecs.ListDaemonDeployments(ctx, &ecs.ListDaemonDeploymentsInput{DaemonArn: aws.String(daemon)})
	must(t, err)
	if len(deps.DaemonDeployments) != 2 || aws.ToString(deps.DaemonDeployments[0].DaemonDeploymentArn) != second {
		t.Fatalf("the daemon's deployments %+v, want two, the newest %s", deps.DaemonDeployments, second)
	}
	d, err := c.ecs.DescribeDaemonDeployments(ctx, &ecs.DescribeDaemonDeploymentsInput{DaemonDeploymentArns: []string{second}})
	must(t, err)
	if len(d.DaemonDeployments) != 1 {
		t.Fatalf("DescribeDaemonDeployments: %+v", d)
	}
	dep := d.DaemonDeployments[0]
	if dep.Status != ecstypes.DaemonDeploymentStatusSuccessful || dep.DeploymentConfiguration == nil || aws.ToFloat64(dep.DeploymentConfiguration.DrainPercent) != 30 {
		t.Errorf("the update's deployment: %s %+v, want SUCCESSFUL with drainPercent 30", dep.Status, dep.DeploymentConfiguration)
	}
	revs, err := c.ecs.DescribeDaemonRevisions(ctx, &ecs.DescribeDaemonRevisionsInput{DaemonRevisionArns: []string{aws.ToString(dep.TargetDaemonRevision.Arn)}})
	must(t, err)
	if len(revs.DaemonRevisions) != 1 || aws.ToString(revs.DaemonRevisions[0].DaemonTaskDefinitionArn) != after["CollectorDef"] || after["CollectorDef"] == before["CollectorDef"] {
		t.Errorf("the new revision %+v, want the new daemon task definition %s", revs.DaemonRevisions, after["CollectorDef"])
	}
	tags, err := c.ecs.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: aws.String(daemon)})
	must(t, err)
	team := ""
	for _, tag := range tags.Tags {
		if aws.ToString(tag.Key) == "team" {
			team = aws.ToString(tag.Value)
		}
	}
	if team != "observability" {
		t.Errorf("the daemon's team tag %q, want observability", team)
	}
}

// TestRound32ExpressServiceUpdateWaitsForItsDeployment: a stack update
// that changes an AWS::ECS::ExpressGatewayService's container waits for
// the deployment UpdateExpressGatewayService starts, as for an
// AWS::ECS::Service, no more: UpdateStack leaves the service
// UPDATE_IN_PROGRESS with the new deployment IN_PROGRESS (the emulator's
// steps paused), and the stack completes once it runs its tasks. Before
// round thirty-two the update ran the whole engine to its end inside
// UpdateStack.
func TestRound32ExpressServiceUpdateWaitsForItsDeployment(t *testing.T) {
	em, steps := newSteppedEmulator(t, server.Options{DefaultVPC: true, StackStabilizeTimeout: 20 * time.Second})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	const tmpl = `
Parameters:
  Tag: {Type: String, Default: "3"}
Resources:
  Runner:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: "sts:AssumeRole"}]}
  Platform:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ecs.amazonaws.com}, Action: "sts:AssumeRole"}]}
  Ledger:
    Type: AWS::ECS::ExpressGatewayService
    Properties:
      ServiceName: ledger
      ExecutionRoleArn: !GetAtt Runner.Arn
      InfrastructureRoleArn: !GetAtt Platform.Arn
      PrimaryContainer: {Image: !Sub "ledger:${Tag}", ContainerPort: 9000}
      ScalingTarget: {MinTaskCount: 2, MaxTaskCount: 3}
`
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("ledger"), TemplateBody: aws.String(tmpl), Capabilities: caps})
	must(t, err)
	id := aws.ToString(st.StackId)
	if s := round30StepUntil(t, cf, steps, "ledger", cfntypes.StackStatusCreateInProgress); s != cfntypes.StackStatusCreateComplete {
		t.Fatalf("stack %s, want CREATE_COMPLETE", s)
	}
	deployments := func() []ecstypes.Deployment {
		t.Helper()
		d, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("default"), Services: []string{"ledger"}})
		must(t, err)
		if len(d.Services) != 1 {
			t.Fatalf("service ledger: %+v", d.Services)
		}
		return d.Services[0].Deployments
	}
	resume := steps.pause()
	defer resume()
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), UsePreviousTemplate: aws.Bool(true), Capabilities: caps,
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Tag"), ParameterValue: aws.String("4")}}})
	must(t, err)
	if s := stackStatus(t, cf, id); s != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("after UpdateStack: stack %s, want UPDATE_IN_PROGRESS", s)
	}
	if s := round30ResourceStatus(t, cf, "ledger", "Ledger"); s != cfntypes.ResourceStatusUpdateInProgress {
		t.Errorf("Ledger %s, want UPDATE_IN_PROGRESS", s)
	}
	if d := deployments(); len(d) != 2 || d[0].RolloutState != ecstypes.DeploymentRolloutStateInProgress {
		t.Errorf("deployments after UpdateStack: %+v, want the new one IN_PROGRESS beside the old", d)
	}
	if s := round30StepUntil(t, cf, steps, "ledger", cfntypes.StackStatusUpdateInProgress); s != cfntypes.StackStatusUpdateComplete {
		t.Fatalf("stack %s, want UPDATE_COMPLETE", s)
	}
	if d := deployments(); len(d) != 1 || d[0].RolloutState != ecstypes.DeploymentRolloutStateCompleted || d[0].RunningCount != 2 {
		t.Errorf("deployments at UPDATE_COMPLETE: %+v, want one COMPLETED with 2 running", d)
	}
}
