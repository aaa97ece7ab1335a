package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestLaunchConfigurationChecks29: CreateLaunchConfiguration refuses what
// Auto Scaling refuses, with its texts: an instance type EC2 does not
// have, an image id that is no AMI id or names a deregistered image, and a
// security group id that does not exist; nothing is created.
func TestLaunchConfigurationChecks29(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	lc := func(name, image, typ string, groups ...string) error {
		_, err := c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String(name),
			ImageId: aws.String(image), InstanceType: aws.String(typ), SecurityGroups: groups})
		return err
	}
	apiErrorIs(t, "type t3.huge", lc("a", "ami-12c6146b", "t3.huge"), "ValidationError", "The specified instance type t3.huge is not valid")
	apiErrorIs(t, "image image-1", lc("b", "image-1", "t3.micro"), "ValidationError", "AMI image-1 is invalid: The image id '[image-1]' does not exist")
	img, err := c.ec2.RegisterImage(ctx, &ec2.RegisterImageInput{Name: aws.String("mine"), RootDeviceName: aws.String("/dev/xvda"),
		Architecture: "x86_64", VirtualizationType: aws.String("hvm"), BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"),
			Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(8)}}}})
	must(t, err)
	must(t, lc("mine", aws.ToString(img.ImageId), "t3.micro"))
	_, err = c.asg.DeleteLaunchConfiguration(ctx, &autoscaling.DeleteLaunchConfigurationInput{LaunchConfigurationName: aws.String("mine")})
	must(t, err)
	_, err = c.ec2.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: img.ImageId})
	must(t, err)
	id := aws.ToString(img.ImageId)
	apiErrorIs(t, "deregistered image", lc("c", id, "t3.micro"), "ValidationError", "AMI "+id+" is invalid: The image id '["+id+"]' does not exist")
	apiErrorIs(t, "group sg-0123456789abcdef0", lc("d", "ami-12c6146b", "t3.micro", "sg-0123456789abcdef0"), "ValidationError",
		"The security group 'sg-0123456789abcdef0' does not exist")
	out, err := c.asg.DescribeLaunchConfigurations(ctx, &autoscaling.DescribeLaunchConfigurationsInput{})
	must(t, err)
	if len(out.LaunchConfigurations) != 0 {
		t.Errorf("%d launch configurations created", len(out.LaunchConfigurations))
	}
	must(t, lc("e", "ami-12c6146b", "t3.micro"))
}
