package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// CreateSecurityGroup checks the form of VpcId before it looks the VPC up:
// vpc- followed by anything but 8 or 17 lowercase hexadecimal digits is
// InvalidVpcId.Malformed "The vpc ID 'vpc-xxxxxxxx' is malformed", as AWS
// answered an aws CLI session's `create-security-group --vpc-id
// vpc-xxxxxxxx` (2026-05). ecsnet answered InvalidVpcID.NotFound before. A
// well-formed id no VPC has is still NotFound, an id without the prefix
// still "Invalid id: … (expecting "vpc-...")", and a VPC that exists is
// taken whatever its id looks like.
func TestCreateSecurityGroupMalformedVpc38(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	create := func(vpc string) error {
		_, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: aws.String(vpc)})
		return err
	}
	for _, id := range []string{"vpc-xxxxxxxx", "vpc-012345678", "vpc-0123456789ABCDEF0", "vpc-says-what"} {
		wantErrorPart32(t, create(id), "InvalidVpcId.Malformed", "The vpc ID '"+id+"' is malformed")
	}
	wantErrorPart32(t, create("vpc-0123456789abcdef0"), "InvalidVpcID.NotFound", "vpc-0123456789abcdef0")
	wantErrorPart32(t, create("vpc-12345678"), "InvalidVpcID.NotFound", "vpc-12345678")
	wantErrorPart32(t, create("MalformedVpcId"), "InvalidVpcID.Malformed", `Invalid id: "MalformedVpcId" (expecting "vpc-...")`)
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	must(t, create(aws.ToString(vpc.Vpc.VpcId)))
}
