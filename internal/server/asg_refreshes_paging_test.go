package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// TestDescribeInstanceRefreshesPagingWhileRefreshesStart:
// DescribeInstanceRefreshes pages a group's refreshes newest first; a
// refresh started between two pages comes before the first page, and
// following NextToken answers each older refresh once. Until round
// thirty-six a refresh's token was its position in the list, and the new
// refresh pushed the next page back onto a refresh already answered.
func TestDescribeInstanceRefreshesPagingWhileRefreshesStart(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	_, err := c.ec2.CreateDefaultVpc(ctx, &ec2.CreateDefaultVpcInput{})
	must(t, err)
	_, err = c.asg.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"),
		ImageId: aws.String("ami-12c6146b"), InstanceType: aws.String("t3.micro")})
	must(t, err)
	name := "g"
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name,
		LaunchConfigurationName: aws.String("lc"), MinSize: aws.Int32(0), MaxSize: aws.Int32(2), DesiredCapacity: aws.Int32(1),
		AvailabilityZones: []string{"us-east-1a"}})
	must(t, err)
	// Refreshes stay in progress until cancelled.
	_, err = c.asg.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: &name, ScalingProcesses: []string{"InstanceRefresh"}})
	must(t, err)
	refresh := func() {
		r, err := c.asg.StartInstanceRefresh(ctx, &autoscaling.StartInstanceRefreshInput{AutoScalingGroupName: &name})
		must(t, err)
		_, err = c.asg.CancelInstanceRefresh(ctx, &autoscaling.CancelInstanceRefreshInput{AutoScalingGroupName: &name})
		must(t, err)
		eventually(t, "the refresh is cancelled", func() bool {
			return tfRefresh(t, c, name, aws.ToString(r.InstanceRefreshId)).Status == asgtypes.InstanceRefreshStatusCancelled
		})
	}
	for range 3 {
		refresh()
	}
	pages := func(token *string, start []string) []string {
		got := start
		for page := 0; page == 0 || token != nil; page++ {
			if page > 10 {
				t.Fatal("more than 10 pages")
			}
			out, err := c.asg.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: &name,
				MaxRecords: aws.Int32(1), NextToken: token})
			must(t, err)
			for _, r := range out.InstanceRefreshes {
				got = append(got, aws.ToString(r.InstanceRefreshId))
			}
			token = out.NextToken
		}
		return got
	}
	first, err := c.asg.DescribeInstanceRefreshes(ctx, &autoscaling.DescribeInstanceRefreshesInput{AutoScalingGroupName: &name, MaxRecords: aws.Int32(1)})
	must(t, err)
	if len(first.InstanceRefreshes) != 1 || first.NextToken == nil {
		t.Fatalf("the first page has %d refreshes and token %v, want 1 and a token", len(first.InstanceRefreshes), first.NextToken)
	}
	refresh()
	got := pages(first.NextToken, []string{aws.ToString(first.InstanceRefreshes[0].InstanceRefreshId)})
	all := pages(nil, nil)
	if len(all) != 4 || all[1] != got[0] {
		t.Fatalf("all refreshes %v, want 4, the new one first", all)
	}
	if !slices.Equal(got, all[1:]) {
		t.Fatalf("the pages answered %v, want %v: each refresh from the first page's on once, newest first", got, all[1:])
	}
}
