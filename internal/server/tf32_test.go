package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// TestTF32AmazonLinux2Kernel510EBS: Amazon Linux 2's kernel-5.10 image
// on an EBS (standard) root volume, which AWS publishes beside the gp2
// one (/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-ebs,
// named in the AWS CDK's aws-ec2 README), is found by a Terraform
// `data "aws_ami"` query of the public configurations read in round
// thirty-two (name "amzn2-ami-kernel*-ebs", owners amazon, architecture
// x86_64): DescribeImages answered none ("Your query returned no
// results"), and the parameter did not exist.
func TestTF32AmazonLinux2Kernel510EBS(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	d, err := c.ec2.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"}, Filters: []ec2types.Filter{
		{Name: aws.String("name"), Values: []string{"amzn2-ami-kernel*-ebs"}},
		{Name: aws.String("virtualization-type"), Values: []string{"hvm"}},
		{Name: aws.String("architecture"), Values: []string{"x86_64"}},
	}})
	must(t, err)
	if len(d.Images) != 1 || !strings.HasPrefix(aws.ToString(d.Images[0].Name), "amzn2-ami-kernel-5.10-hvm-2.0.") ||
		!strings.HasSuffix(aws.ToString(d.Images[0].Name), "-x86_64-ebs") {
		t.Fatalf("images named amzn2-ami-kernel*-ebs: %+v", d.Images)
	}
	p, err := ssm.NewFromConfig(sdkConfig(), func(o *ssm.Options) { o.BaseEndpoint = aws.String(em.URL) }).GetParameter(ctx,
		&ssm.GetParameterInput{Name: aws.String("/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-x86_64-ebs")})
	must(t, err)
	if aws.ToString(p.Parameter.Value) != aws.ToString(d.Images[0].ImageId) {
		t.Errorf("parameter %s, image %s", aws.ToString(p.Parameter.Value), aws.ToString(d.Images[0].ImageId))
	}
}
