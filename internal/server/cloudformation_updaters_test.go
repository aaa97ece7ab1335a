package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// settingsTemplate names its cluster and target group, as templates
// often do; Insights, Path and Type are settings AWS changes in place.
const settingsTemplate = `
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
      LaunchTemplateData: {ImageId: ami-0123456789abcdef0, InstanceType: !Ref Type}
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
