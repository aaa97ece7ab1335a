package server_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
)

// A launch configuration may name its security groups (the default VPC's)
// instead of giving their ids, as moto's test_create_launch_configuration
// does: CreateLaunchConfiguration checks them, and the group's instances
// get those groups. Until round twenty-eight ecsnet took any list and the
// group's launches failed ("Invalid id: \"web\" (expecting \"sg-...\")").
func TestLaunchConfigurationSecurityGroupNames(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	lc := func(name string, groups ...string) error {
		_, err := c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String(name),
			ImageId: aws.String("ami-12c6146b"), InstanceType: aws.String("t3.micro"), SecurityGroups: groups})
		return err
	}
	// A region without a default VPC has no groups to name.
	var ae smithy.APIError
	if err := lc("bad", "web"); !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != "No default VPC for this user" {
		t.Errorf("without a default VPC: %v", err)
	}
	dv, err := c.ec2.CreateDefaultVpc(ctx, &ec2.CreateDefaultVpcInput{})
	must(t, err)
	def := aws.ToString(dv.Vpc.VpcId)
	sg, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
	must(t, err)
	other, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.28.0.0/16")})
	must(t, err)
	_, err = c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("elsewhere"), Description: aws.String("d"), VpcId: other.Vpc.VpcId})
	must(t, err)

	for _, tc := range []struct {
		groups []string
		msg    string
	}{
		{[]string{"web", aws.ToString(sg.GroupId)}, "Must use either use group-id or group-name for all the security groups, not both at the same time"},
		{[]string{"web", "nope"}, "The security group 'nope' does not exist in default VPC '" + def + "'"},
		{[]string{"elsewhere"}, "The security group 'elsewhere' does not exist in default VPC '" + def + "'"},
	} {
		if err := lc("bad", tc.groups...); !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != tc.msg {
			t.Errorf("%v: %v, want ValidationError %q", tc.groups, err, tc.msg)
		}
	}

	must(t, lc("by-name", "web", "default"))
	d, err := c.asg.DescribeLaunchConfigurations(ctx, &autoscaling.DescribeLaunchConfigurationsInput{LaunchConfigurationNames: []string{"by-name"}})
	must(t, err)
	if got := d.LaunchConfigurations[0].SecurityGroups; len(got) != 2 || got[0] != "web" || got[1] != "default" {
		t.Errorf("described groups %v, want the names as given", got)
	}
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"),
		LaunchConfigurationName: aws.String("by-name"), MinSize: aws.Int32(1), MaxSize: aws.Int32(1), AvailabilityZones: []string{"us-east-1a"}})
	must(t, err)
	var ids []string
	for deadline := time.Now().Add(patience); len(ids) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"g"}})
		must(t, err)
		for _, i := range g.AutoScalingGroups[0].Instances {
			ids = append(ids, aws.ToString(i.InstanceId))
		}
	}
	if len(ids) != 1 {
		a, _ := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("g")})
		for _, x := range a.Activities {
			t.Logf("activity %s: %s", x.StatusCode, aws.ToString(x.StatusMessage))
		}
		t.Fatalf("the group launched %d instances, want 1", len(ids))
	}
	r, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
	must(t, err)
	inst := r.Reservations[0].Instances[0]
	if aws.ToString(inst.VpcId) != def {
		t.Errorf("instance in %s, want the default VPC %s", aws.ToString(inst.VpcId), def)
	}
	got := map[string]bool{}
	for _, g := range inst.SecurityGroups {
		got[aws.ToString(g.GroupName)] = true
	}
	if len(got) != 2 || !got["web"] || !got["default"] {
		t.Errorf("instance groups %v, want web and default", inst.SecurityGroups)
	}
}
