package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/ecsnet/ecsnet/internal/server"
)

// retainedGroupBody is a VPC, a security group in it with DeletionPolicy
// Retain, and a subnet that fails (its CIDR is outside the VPC's).
const retainedGroupBody = `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.61.0.0/16}
  Kept:
    Type: AWS::EC2::SecurityGroup
    DeletionPolicy: Retain
    Properties: {GroupDescription: kept, VpcId: !Ref Vpc}
  Bad:
    Type: AWS::EC2::Subnet
    DependsOn: Kept
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.62.0.0/24}
`

// TestCloudFormationRollbackKeepsRetainedGroup: the rollback of a failed
// create keeps the security group it created with DeletionPolicy Retain;
// the VPC that holds it then cannot be deleted (DependencyViolation), so
// the VPC is DELETE_FAILED and the stack ROLLBACK_FAILED, as on AWS —
// not a VPC said DELETE_COMPLETE that is still there. With OnFailure
// DELETE the stack goes straight to DELETE_IN_PROGRESS "… Delete
// requested by user." (no ROLLBACK_ states), then DELETE_FAILED.
func TestCloudFormationRollbackKeepsRetainedGroup(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	vpcs := func() int {
		out, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{
			{Name: aws.String("cidr"), Values: []string{"10.61.0.0/16"}}}})
		must(t, err)
		return len(out.Vpcs)
	}

	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("keeps"), TemplateBody: aws.String(retainedGroupBody)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, "ROLLBACK_FAILED")
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if r := aws.ToString(ds.Stacks[0].StackStatusReason); r != "The following resource(s) failed to delete: [Vpc]. " {
		t.Errorf("stack reason = %q", r)
	}
	events := stackEventsOf(t, cf, id)
	if !slices.Contains(events, "Kept DELETE_SKIPPED ") || !slices.ContainsFunc(events, func(e string) bool {
		return strings.HasPrefix(e, "Vpc DELETE_FAILED ") && strings.Contains(e, "has dependencies and cannot be deleted")
	}) {
		t.Errorf("events = %q, want Kept DELETE_SKIPPED and Vpc DELETE_FAILED", events)
	}
	if n := vpcs(); n != 1 {
		t.Errorf("%d VPCs 10.61.0.0/16 after the rollback, want 1 (it holds the retained group)", n)
	}
	res, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("Vpc")})
	must(t, err)
	if st := res.StackResourceDetail.ResourceStatus; st != cfntypes.ResourceStatusDeleteFailed {
		t.Errorf("Vpc is %s, want DELETE_FAILED", st)
	}

	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("keeps-del"), TemplateBody: aws.String(retainedGroupBody),
		OnFailure: cfntypes.OnFailureDelete})
	must(t, err)
	id = aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteFailed)
	events = stackEventsOf(t, cf, id)
	want := "keeps-del DELETE_IN_PROGRESS The following resource(s) failed to create: [Bad]. Delete requested by user."
	if !slices.Contains(events, want) || slices.ContainsFunc(events, func(e string) bool { return strings.Contains(e, "ROLLBACK") }) {
		t.Errorf("events = %q, want %q and no ROLLBACK_ state", events, want)
	}
}

// TestCloudFormationDeleteWhileCreating: DeleteStack of a stack in
// CREATE_IN_PROGRESS (its create waiting for an ECS service that does
// not stabilize) is accepted, as CloudFormation accepts it: the creation
// is cancelled (the service CREATE_FAILED "Resource creation cancelled")
// and every resource deleted, the stack DELETE_COMPLETE.
func TestCloudFormationDeleteWhileCreating(t *testing.T) {
	em := newEmulatorWith(t, server.Options{StackStabilizeTimeout: time.Hour})
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("cancelled"),
		TemplateBody: sweepTemplate(t, "service-stabilize.yaml"),
		Parameters:   []cfntypes.Parameter{{ParameterKey: aws.String("Breaker"), ParameterValue: aws.String("false")}}})
	must(t, err)
	id := aws.ToString(out.StackId)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if st := ds.Stacks[0].StackStatus; st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("just created: %s, want CREATE_IN_PROGRESS (waiting for the service)", st)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("cancelled")})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	events := stackEventsOf(t, cf, id)
	i := slices.Index(events, "cancelled DELETE_IN_PROGRESS User Initiated")
	j := slices.Index(events, "Service CREATE_FAILED Resource creation cancelled")
	k := slices.Index(events, "Service DELETE_COMPLETE ")
	if i < 0 || j < i || k < j || !slices.Contains(events, "Vpc DELETE_COMPLETE ") {
		t.Errorf("events = %q, want the stack's DELETE_IN_PROGRESS, the service cancelled, then everything deleted", events)
	}
	l, err := c.ecs.ListClusters(ctx, &ecs.ListClustersInput{})
	must(t, err)
	for _, arn := range l.ClusterArns {
		d, err := c.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{arn}})
		must(t, err)
		if len(d.Clusters) == 1 && aws.ToString(d.Clusters[0].Status) == "ACTIVE" {
			t.Errorf("cluster %s still ACTIVE after the stack's deletion", arn)
		}
	}
}

// TestCloudFormationDeleteServiceWithRegistry: deleting a stack whose ECS
// service registers in a Cloud Map service of the same stack, behind a
// target group with a deregistration delay (the service DRAINING while
// its tasks drain), deletes the Cloud Map service too: DELETE_COMPLETE,
// as on AWS (round fourteen's sweep: a Copilot backend service's stack
// was DELETE_FAILED on DiscoveryService).
func TestCloudFormationDeleteServiceWithRegistry(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("registry"),
		TemplateBody: sweepTemplate(t, "round14-registry.yaml")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if events := stackEventsOf(t, cf, id); !slices.Contains(events, "Discovery DELETE_COMPLETE ") {
		t.Errorf("events = %q, want the Cloud Map service deleted", events)
	}
}

// TestCloudFormationCustomResourceStackOutput: on the endpoint, Fn::GetAtt
// of a custom resource whose property names a live stack is that stack's
// output of the attribute's name (Copilot's environment controller
// answers the environment stack's outputs): the workload's listener rule
// lands on the environment's listener and the stack completes, where it
// rolled back on a placeholder ARN.
func TestCloudFormationCustomResourceStackOutput(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	env := createSweepStack(t, cf, "round14-env", "round14-env.yaml")
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("round14-api"),
		TemplateBody: sweepTemplate(t, "round14-custom.yaml")})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	rule, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("Rule")})
	must(t, err)
	c := sdkClients(em.URL)
	rules, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(rule.StackResourceDetail.PhysicalResourceId)}})
	must(t, err)
	if got, want := aws.ToString(rules.Rules[0].RuleArn), aws.ToString(rule.StackResourceDetail.PhysicalResourceId); got != want || !strings.Contains(got, ":listener-rule/app/") {
		t.Errorf("rule %s, want %s on the environment's listener", got, want)
	}
	if l := stackOutput(env, "HTTPListenerArn"); !strings.HasPrefix(aws.ToString(rules.Rules[0].RuleArn), strings.Replace(l, ":listener/", ":listener-rule/", 1)) {
		t.Errorf("rule %s is not on the listener %s", aws.ToString(rules.Rules[0].RuleArn), l)
	}
}
