package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// Behaviours LocalStack's AWS-validated tests recorded from AWS
// (tests/aws/services/ec2/test_ec2.snapshot.json,
// tests/aws/services/sts/test_sts.snapshot.json; docs/localstack-suite.md),
// through the Go SDK.

// DescribeRouteTables, DescribeVpcPeeringConnections and
// DescribeVpnGateways answer an empty tagSet for an untagged resource
// (the SDK sees an empty, non-nil list); CreateVpnGateway leaves it out.
func TestLocalStackEmptyTagSets(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v1, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	v2, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: v1.Vpc.VpcId})
	must(t, err)
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{aws.ToString(rt.RouteTable.RouteTableId)}})
	must(t, err)
	if len(rts.RouteTables) != 1 || rts.RouteTables[0].Tags == nil || len(rts.RouteTables[0].Tags) != 0 {
		t.Errorf("DescribeRouteTables Tags: %#v", rts.RouteTables)
	}
	pcx, err := e.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: v1.Vpc.VpcId, PeerVpcId: v2.Vpc.VpcId})
	must(t, err)
	pcxs, err := e.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{
		VpcPeeringConnectionIds: []string{aws.ToString(pcx.VpcPeeringConnection.VpcPeeringConnectionId)}})
	must(t, err)
	if len(pcxs.VpcPeeringConnections) != 1 || pcxs.VpcPeeringConnections[0].Tags == nil {
		t.Errorf("DescribeVpcPeeringConnections Tags: %#v", pcxs.VpcPeeringConnections)
	}
	g, err := e.CreateVpnGateway(ctx, &ec2.CreateVpnGatewayInput{Type: ec2types.GatewayTypeIpsec1})
	must(t, err)
	if g.VpnGateway.Tags != nil {
		t.Errorf("CreateVpnGateway Tags: %#v", g.VpnGateway.Tags)
	}
	gs, err := e.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{VpnGatewayIds: []string{aws.ToString(g.VpnGateway.VpnGatewayId)}})
	must(t, err)
	if len(gs.VpnGateways) != 1 || gs.VpnGateways[0].Tags == nil || len(gs.VpnGateways[0].Tags) != 0 {
		t.Errorf("DescribeVpnGateways Tags: %#v", gs.VpnGateways)
	}
}

// CreateVpc's answer has no BlockPublicAccessStates; DescribeVpcs has it.
func TestLocalStackCreateVpcAnswer(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	if v.Vpc.BlockPublicAccessStates != nil {
		t.Errorf("CreateVpc BlockPublicAccessStates: %#v", v.Vpc.BlockPublicAccessStates)
	}
	if v.Vpc.State != ec2types.VpcStatePending || v.Vpc.Tags != nil {
		t.Errorf("CreateVpc: state %s, tags %#v", v.Vpc.State, v.Vpc.Tags)
	}
	d, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(v.Vpc.VpcId)}})
	must(t, err)
	if d.Vpcs[0].BlockPublicAccessStates == nil {
		t.Errorf("DescribeVpcs has no BlockPublicAccessStates")
	}
}

// A launch template name outside 3 to 128 of letters, digits and
// ( ) . - / _ is InvalidLaunchTemplateName.MalformedException.
func TestLocalStackLaunchTemplateName(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	create := func(name string) error {
		_, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String(name),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI)}})
		return err
	}
	const text = "Launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'"
	for _, bad := range []string{"some illegal name 1", "ab", "a:b:c", "name*"} {
		wantAPIError(t, create(bad), "InvalidLaunchTemplateName.MalformedException", text)
	}
	must(t, create("Ok-name_(1)./x"))
}

// CreateVolume with neither a size nor a snapshot.
func TestLocalStackCreateVolumeWithoutSize(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	_, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a")})
	wantAPIError(t, err, "MissingParameter", "The request must contain the parameter size/snapshot")
}

// CreateRole answers without MaxSessionDuration and RoleLastUsed; an
// assumed role's id is the IAM role's RoleId and the session name; a
// session name is at most 64 characters.
func TestLocalStackAssumeRoleIdentity(t *testing.T) {
	em := newEmulator(t, nil)
	c := stsClient(em.URL, sdkConfig())
	r, err := iamClient(em.URL).CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}`)})
	must(t, err)
	if r.Role.MaxSessionDuration != nil || r.Role.RoleLastUsed != nil {
		t.Errorf("CreateRole: MaxSessionDuration %v, RoleLastUsed %+v", r.Role.MaxSessionDuration, r.Role.RoleLastUsed)
	}
	ar, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: r.Role.Arn, RoleSessionName: aws.String("s1")})
	must(t, err)
	if got, want := aws.ToString(ar.AssumedRoleUser.AssumedRoleId), aws.ToString(r.Role.RoleId)+":s1"; got != want {
		t.Errorf("AssumedRoleId %s, want %s", got, want)
	}
	_, err = c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: r.Role.Arn, RoleSessionName: aws.String(strings.Repeat("s", 65))})
	wantAPIError(t, err, "ValidationError", "1 validation error detected: Value '"+strings.Repeat("s", 65)+
		"' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64")
}

// Session tags: a transitive key must be among the tags, keys are
// case-insensitive, and a chained session cannot set a key its caller's
// session passes on.
func TestLocalStackSessionTags(t *testing.T) {
	em := newEmulator(t, nil)
	c := stsClient(em.URL, sdkConfig())
	role1, role2 := aws.String("arn:aws:iam::123456789012:role/one"), aws.String("arn:aws:iam::123456789012:role/two")
	tag := func(k, v string) ststypes.Tag { return ststypes.Tag{Key: aws.String(k), Value: aws.String(v)} }
	_, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role1, RoleSessionName: aws.String("s0"),
		Tags: []ststypes.Tag{tag("SessionTag1", "v")}, TransitiveTagKeys: []string{"InvalidKey"}})
	wantAPIError(t, err, "InvalidParameterValue", "The specified transitive tag key must be included in the requested tags.")
	_, err = c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role1, RoleSessionName: aws.String("s0"),
		Tags: []ststypes.Tag{tag("SessionTag1", "v"), tag("sessiontag1", "w")}})
	wantAPIError(t, err, "InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
	s1, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role1, RoleSessionName: aws.String("s0"),
		Tags: []ststypes.Tag{tag("SessionTag1", "v")}, TransitiveTagKeys: []string{"sessiontag1"}})
	must(t, err)
	cfg := sdkConfig()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(s1.Credentials.AccessKeyId),
		aws.ToString(s1.Credentials.SecretAccessKey), aws.ToString(s1.Credentials.SessionToken))
	chained := stsClient(em.URL, cfg)
	for _, k := range []string{"SessionTag1", "SESSIONTAG1"} {
		_, err = chained.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role2, RoleSessionName: aws.String("s2"), Tags: []ststypes.Tag{tag(k, "other")}})
		wantAPIError(t, err, "InvalidParameterValue",
			"One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
	}
	// The transitive tag passes on: a session chained from s2 still cannot set it.
	s2, err := chained.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role2, RoleSessionName: aws.String("s2"), Tags: []ststypes.Tag{tag("Other", "x")}})
	must(t, err)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(s2.Credentials.AccessKeyId),
		aws.ToString(s2.Credentials.SecretAccessKey), aws.ToString(s2.Credentials.SessionToken))
	_, err = stsClient(em.URL, cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: role1, RoleSessionName: aws.String("s3"), Tags: []ststypes.Tag{tag("sessionTag1", "x")}})
	if apiCode(err) != "InvalidParameterValue" {
		t.Errorf("a tag the grand-caller's session passes on: %v", err)
	}
}

// GetParameter: a root-level name with or without its leading slash (the
// answer names it as asked), a parameter ARN, and a malformed path
// (tests/aws/services/ssm/test_ssm.py, validated against AWS).
func TestLocalStackSSMParameterNames(t *testing.T) {
	em := newEmulator(t, nil)
	c := ssmClient(em.URL)
	_, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("param-1"), Value: aws.String("123"), Type: ssmtypes.ParameterTypeString})
	must(t, err)
	_, err = c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/a/b/c"), Value: aws.String("abc"), Type: ssmtypes.ParameterTypeString})
	must(t, err)
	g, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/param-1")})
	must(t, err)
	if aws.ToString(g.Parameter.Name) != "/param-1" || aws.ToString(g.Parameter.Value) != "123" {
		t.Errorf("GetParameter /param-1: %s %s", aws.ToString(g.Parameter.Name), aws.ToString(g.Parameter.Value))
	}
	gs, err := c.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/param-1"}})
	must(t, err)
	if len(gs.Parameters) != 1 || aws.ToString(gs.Parameters[0].Name) != "/param-1" {
		t.Errorf("GetParameters /param-1: %+v %v", gs.Parameters, gs.InvalidParameters)
	}
	for _, name := range []string{"param-1", "/a/b/c"} {
		p, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name)})
		must(t, err)
		byARN, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: p.Parameter.ARN})
		must(t, err)
		if aws.ToString(byARN.Parameter.Name) != name || aws.ToString(byARN.Parameter.ARN) != aws.ToString(p.Parameter.ARN) || byARN.Parameter.Selector != nil {
			t.Errorf("by ARN %s: name %s, ARN %s, selector %v", aws.ToString(p.Parameter.ARN), aws.ToString(byARN.Parameter.Name),
				aws.ToString(byARN.Parameter.ARN), aws.ToString(byARN.Parameter.Selector))
		}
	}
	for _, bad := range []string{"/a//b//c", "a/b/c"} {
		_, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(bad)})
		wantAPIError(t, err, "ValidationException", `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`)
	}
}
