package server_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
)

// wantLimitError checks that err is the AWS error code, with msg in its
// message.
func wantLimitError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), msg) {
		t.Errorf("%s: %v, want %s %q", what, err, code, msg)
	}
}

func ec2Tags(n int, key func(i int) string, value string) []ec2types.Tag {
	out := make([]ec2types.Tag, n)
	for i := range out {
		out[i] = ec2types.Tag{Key: aws.String(key(i)), Value: aws.String(value)}
	}
	return out
}

// TestTagLimits: AWS's limits on tags (50 per resource, keys of 128
// characters, values of 256, valid UTF-8, the aws: prefix reserved) and on
// container definitions (10 per task definition), with AWS's errors,
// through the AWS SDK for Go v2.
func TestTagLimits(t *testing.T) {
	c := sdkClients(newEmulator(t, nil).URL)
	name := func(i int) string { return fmt.Sprintf("k%02d", i) }

	// EC2: on create (TagSpecifications) and with CreateTags.
	before, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	must(t, err)
	_, err = c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: ec2Tags(51, name, "v")}}})
	wantLimitError(t, "CreateVpc with 51 tags", err, "TagLimitExceeded", "The maximum number of Tags for a resource has been reached.")
	after, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	must(t, err)
	if len(after.Vpcs) != len(before.Vpcs) {
		t.Errorf("a refused CreateVpc left a VPC behind: %d VPCs, %d before", len(after.Vpcs), len(before.Vpcs))
	}
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: ec2Tags(50, name, strings.Repeat("v", 256))}}})
	must(t, err)
	id := []string{aws.ToString(vpc.Vpc.VpcId)}
	_, err = c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: id, Tags: ec2Tags(1, func(int) string { return "one-more" }, "v")})
	wantLimitError(t, "a 51st tag", err, "TagLimitExceeded", "The maximum number of Tags for a resource has been reached.")
	_, err = c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: id, Tags: ec2Tags(1, name, "overwritten")})
	must(t, err) // replacing one of the 50 is fine
	cases := []struct {
		what, key, value, code, msg string
	}{
		{"a 129-character key", strings.Repeat("k", 129), "v", "InvalidParameterValue", "Tag key exceeds the maximum length of 128 characters"},
		{"a 257-character value", "k00", strings.Repeat("v", 257), "InvalidParameterValue", "Tag value exceeds the maximum length of 256 characters"},
		{"the aws: prefix", "aws:owner", "v", "InvalidParameterValue", "Value ( aws:owner ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use"},
		{"invalid UTF-8", "k00", "\xff\xfe", "InvalidParameterValue", "valid UTF-8"},
	}
	for _, x := range cases {
		_, err = c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: id, Tags: []ec2types.Tag{{Key: aws.String(x.key), Value: aws.String(x.value)}}})
		wantLimitError(t, "CreateTags with "+x.what, err, x.code, x.msg)
	}
	_, err = c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: id, Tags: []ec2types.Tag{{Key: aws.String("k01"), Value: aws.String(strings.Repeat("é", 256))}}})
	must(t, err) // 256 characters (512 bytes) is within the limit

	// ECS: tags on create and with TagResource; containers per task definition.
	ecsTags := func(n int, key string) []ecstypes.Tag {
		out := make([]ecstypes.Tag, n)
		for i := range out {
			out[i] = ecstypes.Tag{Key: aws.String(fmt.Sprintf("%s%02d", key, i)), Value: aws.String("v")}
		}
		return out
	}
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("many"), Tags: ecsTags(51, "k")})
	wantLimitError(t, "CreateCluster with 51 tags", err, "InvalidParameterException", "less than or equal to 50")
	cl, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("fifty"), Tags: ecsTags(50, "k")})
	must(t, err)
	_, err = c.ecs.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: cl.Cluster.ClusterArn, Tags: ecsTags(1, "more")})
	wantLimitError(t, "a 51st ECS tag", err, "InvalidParameterException", "less than or equal to 50")
	_, err = c.ecs.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: cl.Cluster.ClusterArn, Tags: []ecstypes.Tag{{Key: aws.String(strings.Repeat("k", 129)), Value: aws.String("v")}}})
	wantLimitError(t, "a 129-character ECS key", err, "InvalidParameterException", "less than or equal to 128")
	containers := func(n int) []ecstypes.ContainerDefinition {
		out := make([]ecstypes.ContainerDefinition, n)
		for i := range out {
			out[i] = ecstypes.ContainerDefinition{Name: aws.String(fmt.Sprintf("c%d", i)), Image: aws.String("nginx"), Memory: aws.Int32(64)}
		}
		return out
	}
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("big"), ContainerDefinitions: containers(11)})
	wantLimitError(t, "11 containers", err, "ClientException", "Too many containers.")
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("big"), ContainerDefinitions: containers(10)})
	must(t, err)

	// ELBv2.
	elbTags := make([]elbtypes.Tag, 51)
	for i := range elbTags {
		elbTags[i] = elbtypes.Tag{Key: aws.String(name(i)), Value: aws.String("v")}
	}
	_, err = c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		VpcId: vpc.Vpc.VpcId, Tags: elbTags})
	wantLimitError(t, "CreateTargetGroup with 51 tags", err, "TooManyTags", "You've reached the limit on the number of tags for this resource.")
}
