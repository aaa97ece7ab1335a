package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestAutoScalingWarmPoolInstances checks a warm pool as AWS documents it
// (ec2-auto-scaling-warm-pools.html), through the Go SDK: the pool holds
// MaxSize - DesiredCapacity instances (at least MinSize), launched and
// stopped (Warmed:Stopped), listed by DescribeWarmPool and not among the
// group's instances; scale out starts a pool instance instead of launching
// one, and the pool is refilled; with ReuseOnScaleIn, scale in returns an
// instance to the pool; DeleteWarmPool terminates the pool's instances.
func TestAutoScalingWarmPoolInstances(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("warm-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	name := "warm"
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: &name,
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(1), MaxSize: aws.Int32(3), DesiredCapacity: aws.Int32(1), VPCZoneIdentifier: aws.String(es.subnets[0] + "," + es.subnets[1])})
	must(t, err)
	_, err = c.asg.PutWarmPool(ctx, &autoscaling.PutWarmPoolInput{AutoScalingGroupName: &name, MinSize: aws.Int32(1)})
	must(t, err)

	pool := func() []asgtypes.Instance {
		out, err := c.asg.DescribeWarmPool(ctx, &autoscaling.DescribeWarmPoolInput{AutoScalingGroupName: &name})
		must(t, err)
		return out.Instances
	}
	warmed := func(want int) func() bool {
		return func() bool {
			p := pool()
			n := 0
			for _, i := range p {
				if i.LifecycleState == asgtypes.LifecycleStateWarmedStopped {
					n++
				}
			}
			return len(p) == want && n == want
		}
	}
	inService := func() []string {
		var ids []string
		for _, i := range tfGroup(t, c, name).Instances {
			if i.LifecycleState == asgtypes.LifecycleStateInService {
				ids = append(ids, aws.ToString(i.InstanceId))
			}
		}
		return ids
	}
	eventually(t, "two instances warmed (MaxSize 3 - desired 1)", warmed(2))
	g := tfGroup(t, c, name)
	if len(g.Instances) != 1 || aws.ToInt32(g.WarmPoolSize) != 2 {
		t.Fatalf("group instances %+v, WarmPoolSize %d", g.Instances, aws.ToInt32(g.WarmPoolSize))
	}
	var warmIDs []string
	for _, i := range pool() {
		warmIDs = append(warmIDs, aws.ToString(i.InstanceId))
	}
	ins, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: warmIDs})
	must(t, err)
	for _, r := range ins.Reservations {
		for _, i := range r.Instances {
			if i.State.Name != ec2types.InstanceStateNameStopped {
				t.Errorf("warm instance %s is %s in EC2, want stopped", aws.ToString(i.InstanceId), i.State.Name)
			}
		}
	}

	// Scale out takes an instance from the pool; the pool shrinks to 1.
	_, err = c.asg.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: &name, DesiredCapacity: aws.Int32(2)})
	must(t, err)
	eventually(t, "two instances in service", func() bool { return len(inService()) == 2 })
	fromPool := ""
	for _, id := range inService() {
		if slices.Contains(warmIDs, id) {
			fromPool = id
		}
	}
	if fromPool == "" {
		t.Fatalf("in service %v, none from the warm pool %v", inService(), warmIDs)
	}
	eventually(t, "the pool at MaxSize 3 - desired 2", warmed(1))
	acts, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: &name})
	must(t, err)
	if !slices.ContainsFunc(acts.Activities, func(a asgtypes.Activity) bool {
		return aws.ToString(a.Description) == "Launching a new EC2 instance from warm pool: "+fromPool
	}) {
		t.Errorf("no activity for the instance taken from the pool")
	}

	// With ReuseOnScaleIn, scale in returns an instance to the pool.
	_, err = c.asg.PutWarmPool(ctx, &autoscaling.PutWarmPoolInput{AutoScalingGroupName: &name, MinSize: aws.Int32(1),
		InstanceReusePolicy: &asgtypes.InstanceReusePolicy{ReuseOnScaleIn: aws.Bool(true)}})
	must(t, err)
	before := inService()
	_, err = c.asg.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: &name, DesiredCapacity: aws.Int32(1)})
	must(t, err)
	eventually(t, "one instance back in the pool", warmed(2))
	returned := 0
	for _, i := range pool() {
		if slices.Contains(before, aws.ToString(i.InstanceId)) {
			returned++
		}
	}
	if returned != 1 || len(inService()) != 1 {
		t.Errorf("pool %+v after scale in from %v", pool(), before)
	}

	// DeleteWarmPool terminates the pool's instances.
	warmIDs = warmIDs[:0]
	for _, i := range pool() {
		warmIDs = append(warmIDs, aws.ToString(i.InstanceId))
	}
	_, err = c.asg.DeleteWarmPool(ctx, &autoscaling.DeleteWarmPoolInput{AutoScalingGroupName: &name})
	must(t, err)
	out, err := c.asg.DescribeWarmPool(ctx, &autoscaling.DescribeWarmPoolInput{AutoScalingGroupName: &name})
	must(t, err)
	if out.WarmPoolConfiguration != nil || len(out.Instances) != 0 {
		t.Errorf("after DeleteWarmPool: %+v, %+v", out.WarmPoolConfiguration, out.Instances)
	}
	ins, err = c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: warmIDs})
	must(t, err)
	for _, r := range ins.Reservations {
		for _, i := range r.Instances {
			if s := string(i.State.Name); !strings.HasPrefix(s, "shutting-down") && s != "terminated" {
				t.Errorf("pool instance %s is %s after DeleteWarmPool", aws.ToString(i.InstanceId), s)
			}
		}
	}
}
