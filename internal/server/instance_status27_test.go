package server_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A running instance's status checks (instance, system and attached EBS)
// are "initializing" for the first minutes after its launch, as on AWS,
// then "ok" with reachability "passed"; a filter on
// attached-ebs-status.status finds it by that status.
func TestDescribeInstanceStatusInitializingRound27(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: s.Subnet.SubnetId})
	must(t, err)
	id := aws.ToString(r.Instances[0].InstanceId)
	must(t, ec2.NewInstanceRunningWaiter(e, func(o *ec2.InstanceRunningWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}, waitFor))
	status := func(filters ...ec2types.Filter) []ec2types.InstanceStatus {
		t.Helper()
		d, err := e.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: []string{id}, Filters: filters})
		must(t, err)
		return d.InstanceStatuses
	}
	st := status()
	if len(st) != 1 {
		t.Fatalf("a running instance: %+v", st)
	}
	for name, sum := range map[string]*ec2types.InstanceStatusSummary{"instance": st[0].InstanceStatus, "system": st[0].SystemStatus} {
		if sum == nil || sum.Status != ec2types.SummaryStatusInitializing || len(sum.Details) != 1 || sum.Details[0].Status != ec2types.StatusTypeInitializing {
			t.Errorf("%s status just after launch: %+v", name, sum)
		}
	}
	if eb := st[0].AttachedEbsStatus; eb == nil || eb.Status != ec2types.SummaryStatusInitializing || len(eb.Details) != 1 || eb.Details[0].Status != ec2types.StatusTypeInitializing {
		t.Errorf("attached EBS status just after launch: %+v", eb)
	}
	if got := status(ec2types.Filter{Name: aws.String("attached-ebs-status.status"), Values: []string{"initializing"}}); len(got) != 1 {
		t.Errorf("attached-ebs-status.status=initializing finds %d", len(got))
	}
	start := time.Now()
	must(t, ec2.NewInstanceStatusOkWaiter(e, func(o *ec2.InstanceStatusOkWaiterOptions) { o.MinDelay, o.MaxDelay = waitMin, waitMax }).
		Wait(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: []string{id}}, waitFor))
	t.Logf("ok after %v more", time.Since(start))
	st = status()
	if eb := st[0].AttachedEbsStatus; eb == nil || eb.Status != ec2types.SummaryStatusOk || eb.Details[0].Status != ec2types.StatusTypePassed {
		t.Errorf("attached EBS status later: %+v", eb)
	}
	if got := status(ec2types.Filter{Name: aws.String("attached-ebs-status.status"), Values: []string{"ok"}}); len(got) != 1 {
		t.Errorf("attached-ebs-status.status=ok finds %d", len(got))
	}
}
