package server_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
)

// A scheduled action's Recurrence is a Unix cron expression (five fields).
// Probing past moto's test_autoscaling_scheduledactions.py setup (round
// thirty-one) found that PutScheduledUpdateGroupAction and its batch took
// any string ("bogus", six fields, minute 60) and stored it.
func TestScheduledActionRecurrenceIsUnixCron(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.31.0.0/16")})
	must(t, err)
	sub, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.31.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	_, err = c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"),
		ImageId: aws.String("ami-12c6146b"), InstanceType: aws.String("t3.micro")})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"),
		LaunchConfigurationName: aws.String("lc"), MinSize: aws.Int32(0), MaxSize: aws.Int32(2), VPCZoneIdentifier: sub.Subnet.SubnetId})
	must(t, err)
	put := func(name, rec string) error {
		_, err := c.asg.PutScheduledUpdateGroupAction(ctx, &autoscaling.PutScheduledUpdateGroupActionInput{AutoScalingGroupName: aws.String("g"),
			ScheduledActionName: aws.String(name), Recurrence: aws.String(rec), MinSize: aws.Int32(1)})
		return err
	}
	for _, rec := range []string{"0 8 * * *", "*/15 9-17 * * 1-5", "0 0 1,15 JAN,JUL MON", "0 20 * * MON-FRI", "0 0 * * 0"} {
		if err := put("ok", rec); err != nil {
			t.Errorf("%q: %v", rec, err)
		}
	}
	var ae smithy.APIError
	for _, rec := range []string{"bogus", "0 8 * * * *", "60 8 * * *", "0 24 * * *", "0 8 32 * *", "0 8 * 13 *", "0 8 * * 8"} {
		err := put("bad", rec)
		if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" {
			t.Errorf("%q: %v, want ValidationError", rec, err)
		}
	}
	b, err := c.asg.BatchPutScheduledUpdateGroupAction(ctx, &autoscaling.BatchPutScheduledUpdateGroupActionInput{AutoScalingGroupName: aws.String("g"),
		ScheduledUpdateGroupActions: []astypes.ScheduledUpdateGroupActionRequest{
			{ScheduledActionName: aws.String("b1"), Recurrence: aws.String("30 6 * * *"), MinSize: aws.Int32(1)},
			{ScheduledActionName: aws.String("b2"), Recurrence: aws.String("every day"), MinSize: aws.Int32(1)},
		}})
	must(t, err)
	if len(b.FailedScheduledUpdateGroupActions) != 1 || aws.ToString(b.FailedScheduledUpdateGroupActions[0].ScheduledActionName) != "b2" ||
		aws.ToString(b.FailedScheduledUpdateGroupActions[0].ErrorCode) != "ValidationError" {
		t.Errorf("batch failures %+v, want b2's ValidationError", b.FailedScheduledUpdateGroupActions)
	}
	d, err := c.asg.DescribeScheduledActions(ctx, &autoscaling.DescribeScheduledActionsInput{AutoScalingGroupName: aws.String("g")})
	must(t, err)
	var names []string
	for _, a := range d.ScheduledUpdateGroupActions {
		names = append(names, aws.ToString(a.ScheduledActionName))
	}
	slices.Sort(names)
	if len(names) != 2 || names[0] != "b1" || names[1] != "ok" {
		t.Errorf("stored actions %v, want [b1 ok]", names)
	}
}
