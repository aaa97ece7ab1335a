package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestASGPlacementGroup: an Auto Scaling group's PlacementGroup (the
// provider's aws_autoscaling_group placement_group) is kept, described
// back, and its instances launch into the group, in place of its launch
// template's; the group cannot be deleted while they run.
func TestASGPlacementGroup(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.31.0.0/16")})
	must(t, err)
	sa, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.31.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	for name, strategy := range map[string]ec2types.PlacementStrategy{"close": ec2types.PlacementStrategyCluster, "racks": ec2types.PlacementStrategyPartition} {
		_, err := c.ec2.CreatePlacementGroup(ctx, &ec2.CreatePlacementGroupInput{GroupName: aws.String(name), Strategy: strategy})
		must(t, err)
	}
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("hosts"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeC5Large,
			Placement: &ec2types.LaunchTemplatePlacementRequest{GroupName: aws.String("racks")}}})
	must(t, err)
	spec := &astypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId, Version: aws.String("$Latest")}
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("close"),
		MinSize: aws.Int32(2), MaxSize: aws.Int32(2), VPCZoneIdentifier: sa.Subnet.SubnetId, LaunchTemplate: spec, PlacementGroup: aws.String("close")})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("racks"),
		MinSize: aws.Int32(1), MaxSize: aws.Int32(1), VPCZoneIdentifier: sa.Subnet.SubnetId, LaunchTemplate: spec})
	must(t, err)
	groups := map[string]string{}
	eventually(t, "the groups' instances", func() bool {
		d, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
		must(t, err)
		n := 0
		for _, g := range d.AutoScalingGroups {
			groups[aws.ToString(g.AutoScalingGroupName)] = aws.ToString(g.PlacementGroup)
			n += len(g.Instances)
		}
		return n == 3
	})
	if groups["close"] != "close" || groups["racks"] != "" {
		t.Errorf("DescribeAutoScalingGroups PlacementGroup: %v", groups)
	}
	d, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	must(t, err)
	in := map[string]int{}
	for _, r := range d.Reservations {
		for _, i := range r.Instances {
			in[aws.ToString(i.Placement.GroupName)]++
		}
	}
	if in["close"] != 2 || in["racks"] != 1 {
		t.Errorf("instances by placement group: %v", in)
	}
	_, err = c.ec2.DeletePlacementGroup(ctx, &ec2.DeletePlacementGroupInput{GroupName: aws.String("close")})
	wantAPIError(t, err, "InvalidPlacementGroup.InUse", "The Placement Group 'close' is in use and may not be deleted.")

	// UpdateAutoScalingGroup takes the group out of it (an empty name).
	_, err = c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("close"), PlacementGroup: aws.String("")})
	must(t, err)
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"close"}})
	must(t, err)
	if p := g.AutoScalingGroups[0].PlacementGroup; p != nil {
		t.Errorf("after the update: PlacementGroup %q", aws.ToString(p))
	}
}
