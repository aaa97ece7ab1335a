package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestRound31bPlacementGroupWithoutStrategy: Strategy is optional in
// CreatePlacementGroup (botocore) and in AWS::EC2::PlacementGroup; a group
// made without one is a cluster group. Before this round the engine
// refused it (MissingParameter strategy).
func TestRound31bPlacementGroupWithoutStrategy(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	out, err := c.ec2.CreatePlacementGroup(ctx, &ec2.CreatePlacementGroupInput{GroupName: aws.String("plain")})
	must(t, err)
	if out.PlacementGroup.Strategy != ec2types.PlacementStrategyCluster {
		t.Errorf("strategy %q, want cluster", out.PlacementGroup.Strategy)
	}
	cf := cfnClient(em.URL)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("pg"), TemplateBody: aws.String(`
Resources:
  Group:
    Type: AWS::EC2::PlacementGroup
Outputs:
  Name:
    Value: !Ref Group
`)})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	name := stackOutputs(t, cf, "pg")["Name"]
	d, err := c.ec2.DescribePlacementGroups(ctx, &ec2.DescribePlacementGroupsInput{GroupNames: []string{name}})
	must(t, err)
	if len(d.PlacementGroups) != 1 || d.PlacementGroups[0].Strategy != ec2types.PlacementStrategyCluster {
		t.Errorf("stack's group: %+v, want one cluster group", d.PlacementGroups)
	}
}

// round31bPlacementTemplate is an Auto Scaling group launching into the
// placement group named by the parameter Into (First or Second).
const round31bPlacementTemplate = `
Parameters:
  Into: {Type: String, AllowedValues: [First, Second]}
Conditions:
  First: !Equals [!Ref Into, First]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.34.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.34.1.0/24}
  First:
    Type: AWS::EC2::PlacementGroup
    Properties: {Strategy: cluster}
  Second:
    Type: AWS::EC2::PlacementGroup
    Properties: {Strategy: spread}
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ami-0123456789abcdef0, InstanceType: c5.large}
  Hosts:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref Config
      VPCZoneIdentifier: [!Ref Subnet]
      PlacementGroup: !If [First, !Ref First, !Ref Second]
      MinSize: 1
      MaxSize: 1
Outputs:
  Hosts: {Value: !Ref Hosts}
  Second: {Value: !Ref Second}
`

// TestRound31bUpdateAutoScalingGroupPlacementGroup: a stack update that
// changes an Auto Scaling group's PlacementGroup updates the group in
// place (the property's "Update requires: No interruption"): the group
// keeps its name and answers the new placement group. Before this round
// the change replaced the group.
func TestRound31bUpdateAutoScalingGroupPlacementGroup(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	param := func(v string) []cfntypes.Parameter {
		return []cfntypes.Parameter{{ParameterKey: aws.String("Into"), ParameterValue: aws.String(v)}}
	}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("hosts"),
		TemplateBody: aws.String(round31bPlacementTemplate), Parameters: param("First")})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	before := stackOutputs(t, cf, "hosts")
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("hosts"),
		TemplateBody: aws.String(round31bPlacementTemplate), Parameters: param("Second")})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusUpdateComplete)
	after := stackOutputs(t, cf, "hosts")
	if after["Hosts"] != before["Hosts"] {
		t.Errorf("group %s replaced by %s, want it updated in place", before["Hosts"], after["Hosts"])
	}
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{after["Hosts"]}})
	must(t, err)
	if len(g.AutoScalingGroups) != 1 || aws.ToString(g.AutoScalingGroups[0].PlacementGroup) != after["Second"] {
		t.Errorf("group after the update: %+v, want PlacementGroup %s", g.AutoScalingGroups, after["Second"])
	}
}

// TestRound31bGroupWhoseLaunchesFail: an AWS::AutoScaling::AutoScalingGroup
// whose launches fail (its placement group does not exist) fails the
// stack, as CloudFormation's handler gives up on a group that does not
// stabilize, with the failed scaling activity's reason; the stack rolls
// back and the group is gone. Before this round the group was
// CREATE_COMPLETE with no instances.
func TestRound31bGroupWhoseLaunchesFail(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body := strings.Replace(round31bPlacementTemplate, "PlacementGroup: !If [First, !Ref First, !Ref Second]", "PlacementGroup: no-such-group", 1)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("broken"), TemplateBody: aws.String(body),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Into"), ParameterValue: aws.String("First")}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId})
	must(t, err)
	reason := ""
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Hosts" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	want := "Group did not stabilize. {current/minSize/maxSize} group size = {0/1/1}. Failed Scaling Activity: Launching a new EC2 instance.  Status Reason: The Placement Group 'no-such-group' is unknown. Launching EC2 instance failed."
	if reason != want {
		t.Errorf("Hosts CREATE_FAILED reason %q, want %q", reason, want)
	}
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
	must(t, err)
	if len(g.AutoScalingGroups) != 0 {
		t.Errorf("groups after the rollback: %d, want none", len(g.AutoScalingGroups))
	}
}
