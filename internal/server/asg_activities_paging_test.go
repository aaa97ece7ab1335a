package server_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// TestDescribeScalingActivitiesPagingWhileActivitiesStart:
// DescribeScalingActivities pages a group's activities newest first;
// activities that start between two pages come before the first, and
// following NextToken answers each older activity once. Until round
// thirty-six an activity's token was its position in the list, and the
// launches of a scale-out between pages pushed the next page back onto
// activities the first had answered.
func TestDescribeScalingActivitiesPagingWhileActivitiesStart(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	_, err := c.ec2.CreateDefaultVpc(ctx, &ec2.CreateDefaultVpcInput{})
	must(t, err)
	_, err = c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"),
		ImageId: aws.String("ami-12c6146b"), InstanceType: aws.String("t3.micro")})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"),
		LaunchConfigurationName: aws.String("lc"), MinSize: aws.Int32(0), MaxSize: aws.Int32(10), DesiredCapacity: aws.Int32(3),
		AvailabilityZones: []string{"us-east-1a"}})
	must(t, err)
	// all reads every activity, following NextToken.
	all := func() []string {
		var ids []string
		for token, page := (*string)(nil), 0; page == 0 || token != nil; page++ {
			out, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("g"), NextToken: token})
			must(t, err)
			for _, a := range out.Activities {
				ids = append(ids, aws.ToString(a.ActivityId))
			}
			token = out.NextToken
		}
		return ids
	}
	waitActivities := func(n int) {
		for deadline := time.Now().Add(patience); len(all()) < n; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the group has %d activities, want %d", len(all()), n)
			}
		}
	}
	waitActivities(3)
	first, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("g"), MaxRecords: aws.Int32(1)})
	must(t, err)
	if len(first.Activities) != 1 || first.NextToken == nil {
		t.Fatalf("the first page has %d activities and token %v, want 1 and a token", len(first.Activities), first.NextToken)
	}
	before := len(all())
	_, err = c.asg.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("g"), DesiredCapacity: aws.Int32(6)})
	must(t, err)
	waitActivities(before + 3)
	got := []string{aws.ToString(first.Activities[0].ActivityId)}
	for token, page := first.NextToken, 0; token != nil; page++ {
		if page > 20 {
			t.Fatal("more than 20 pages")
		}
		out, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("g"), MaxRecords: aws.Int32(1), NextToken: token})
		must(t, err)
		for _, a := range out.Activities {
			got = append(got, aws.ToString(a.ActivityId))
		}
		token = out.NextToken
	}
	now := all()
	i := slices.Index(now, got[0])
	if i <= 0 {
		t.Fatalf("the scale-out's activities are not before the first page's: it is at %d of %d", i, len(now))
	}
	if want := now[i:]; !slices.Equal(got, want) {
		t.Fatalf("the pages answered %v, want %v: each activity from the first page's on once, newest first", got, want)
	}
}
