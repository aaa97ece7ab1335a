package server_test

import (
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// TestRound36CDKRestrictDefaultSG: a CDK stack (aws-cdk's
// integ.orphaned-load-balancer-cleanup snapshot, with its BootstrapVersion
// parameter read from Parameter Store and its Custom::VpcRestrictDefaultSG)
// deployed through the Go SDK as `cdk deploy` does: after the create, the
// VPC's default security group has no rules (the CDK's function revokes
// them); after the stack is deleted, the VPC and its group are gone.
// Before round thirty-six the custom resource completed as a placeholder
// and the default group kept its self-ingress and 0.0.0.0/0 egress.
func TestRound36CDKRestrictDefaultSG(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	_, err := ssmClient(em.URL).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version"), Value: aws.String("21"),
		Type: "String"})
	must(t, err)
	body, err := os.ReadFile("../cfn/testdata/sweep36/cdk-orphaned-lb-cleanup.json")
	must(t, err)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("OrphanedLoadBalancerCleanupStack"), TemplateBody: aws.String(string(body)),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam}})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	ids := stackPhysicalIDs(t, cf, "OrphanedLoadBalancerCleanupStack")
	vpc := ids["Vpc8378EB38"]
	sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
	must(t, err)
	if len(sgs.SecurityGroups) != 1 {
		t.Fatalf("%d default groups in %s, want 1", len(sgs.SecurityGroups), vpc)
	}
	if g := sgs.SecurityGroups[0]; len(g.IpPermissions) != 0 || len(g.IpPermissionsEgress) != 0 {
		t.Errorf("default group %s: ingress %+v, egress %+v, want none", aws.ToString(g.GroupId), g.IpPermissions, g.IpPermissionsEgress)
	}
	res, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id),
		LogicalResourceId: aws.String("VpcRestrictDefaultSecurityGroupCustomResourceC73DA2BE")})
	must(t, err)
	if d := res.StackResourceDetail; d.ResourceStatus != cfntypes.ResourceStatusCreateComplete || aws.ToString(d.ResourceStatusReason) != "" {
		t.Errorf("custom resource: %s %q, want CREATE_COMPLETE without a placeholder's reason", d.ResourceStatus, aws.ToString(d.ResourceStatusReason))
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	vpcs, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	must(t, err)
	if len(vpcs.Vpcs) != 0 {
		t.Errorf("VPC %s outlived its stack", vpc)
	}
}

// TestRound36CDKBootstrapThenDeploy: `cdk bootstrap`'s template (the
// stack CDKToolkit) deploys through the Go SDK, its Parameter Store
// version is then what a CDK stack's BootstrapVersion parameter reads,
// and the stack deploys with the bootstrap's execution role as its
// RoleARN, as `cdk deploy` passes it. Deleting CDKToolkit keeps its asset
// bucket (DeletionPolicy Retain), so bootstrapping again fails on the
// bucket's name, as it does in AWS.
func TestRound36CDKBootstrapThenDeploy(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	caps := []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam}
	boot, err := os.ReadFile("../cfn/testdata/sweep36/cdk-bootstrap.yaml")
	must(t, err)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("CDKToolkit"), TemplateBody: aws.String(string(boot)), Capabilities: caps})
	must(t, err)
	bootID := aws.ToString(st.StackId)
	waitStack(t, cf, bootID, cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "CDKToolkit")
	if out["BootstrapVersion"] != "26" || out["BucketName"] != "cdk-hnb659fds-assets-123456789012-us-east-1" {
		t.Errorf("CDKToolkit outputs %v", out)
	}
	v, err := ssmClient(em.URL).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version")})
	must(t, err)
	if aws.ToString(v.Parameter.Value) != "26" {
		t.Errorf("bootstrap version %q, want 26", aws.ToString(v.Parameter.Value))
	}

	body, err := os.ReadFile("../cfn/testdata/sweep36/cdk-asset-image.json")
	must(t, err)
	role := "arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1"
	app, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("aws-ecs-integ-fargate-image"), TemplateBody: aws.String(string(body)),
		Capabilities: caps, RoleARN: aws.String(role)})
	must(t, err)
	appID := aws.ToString(app.StackId)
	waitStack(t, cf, appID, cfntypes.StackStatusCreateComplete)
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(appID)})
	must(t, err)
	waitStack(t, cf, appID, cfntypes.StackStatusDeleteComplete)

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(bootID)})
	must(t, err)
	waitStack(t, cf, bootID, cfntypes.StackStatusDeleteComplete)
	again, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("CDKToolkit"), TemplateBody: aws.String(string(boot)), Capabilities: caps})
	must(t, err)
	againID := aws.ToString(again.StackId)
	waitStack(t, cf, againID, cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(againID)})
	must(t, err)
	found := false
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "StagingBucket" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed &&
			strings.Contains(aws.ToString(e.ResourceStatusReason), "cdk-hnb659fds-assets-123456789012-us-east-1 already exists") {
			found = true
		}
	}
	if !found {
		t.Errorf("no CREATE_FAILED of StagingBucket for the retained bucket's name")
	}
}
