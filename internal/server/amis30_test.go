package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestUnknownImageRefused: with --known-images-only, an AMI id of the
// right shape that names no image is refused by RunInstances, by a launch
// template's RunInstances and by CreateLaunchConfiguration, as EC2 and
// Auto Scaling refuse it; the ECS-optimized AMI of the public parameter
// and moto's example image launch. Without it (the default: ecsnet does
// not hold every AMI that exists) the unknown id launches.
func TestUnknownImageRefused(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		c := sdkClients(newEmulator(t, nil).URL)
		v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.30.0.0/16")})
		must(t, err)
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.30.1.0/24")})
		must(t, err)
		_, err = c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: ec2types.InstanceTypeT3Micro,
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: s.Subnet.SubnetId})
		must(t, err)
	})
	em := newEmulatorWith(t, server.Options{KnownImagesOnly: true})
	c := sdkClients(em.URL)
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.30.0.0/16")})
	must(t, err)
	s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.30.1.0/24")})
	must(t, err)
	const unknown = "ami-0123456789abcdef0"
	run := func(in *ec2.RunInstancesInput) error {
		in.MinCount, in.MaxCount, in.SubnetId = aws.Int32(1), aws.Int32(1), s.Subnet.SubnetId
		_, err := c.ec2.RunInstances(ctx, in)
		return err
	}
	wantAPIError(t, run(&ec2.RunInstancesInput{ImageId: aws.String(unknown), InstanceType: ec2types.InstanceTypeT3Micro}),
		"InvalidAMIID.NotFound", "The image id '["+unknown+"]' does not exist")
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("unknown-image"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(unknown), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	wantAPIError(t, run(&ec2.RunInstancesInput{LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}}),
		"InvalidAMIID.NotFound", "The image id '["+unknown+"]' does not exist")
	_, err = c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("unknown-image"),
		ImageId: aws.String(unknown), InstanceType: aws.String("t3.micro")})
	wantAPIError(t, err, "ValidationError", "AMI "+unknown+" is invalid: The image id '["+unknown+"]' does not exist")

	p, err := ssm.NewFromConfig(sdkConfig(), func(o *ssm.Options) { o.BaseEndpoint = aws.String(em.URL) }).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")})
	must(t, err)
	must(t, run(&ec2.RunInstancesInput{ImageId: p.Parameter.Value, InstanceType: ec2types.InstanceTypeT3Micro}))
	must(t, run(&ec2.RunInstancesInput{ImageId: aws.String("ami-12c6146b"), InstanceType: ec2types.InstanceTypeT3Micro}))
	d, err := c.ec2.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-12c6146b"}})
	must(t, err)
	if len(d.Images) != 1 || d.Images[0].Platform != "windows" || aws.ToString(d.Images[0].RootDeviceName) != "/dev/sda1" {
		t.Errorf("moto's example image: %+v", d.Images)
	}
}
