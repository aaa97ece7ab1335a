package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// UpdateAutoScalingGroup with a MixedInstancesPolicy changes only the
// members the request gives ("All optional parameters are left unchanged if
// not specified"): a script raising OnDemandBaseCapacity alone keeps the
// group's launch template, overrides and the rest of its distribution.
func TestUpdateAutoScalingGroupMixedInstancesPolicyPartial(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	sn, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{filter("default-for-az", "true")}})
	must(t, err)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("mixed"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI)}})
	must(t, err)
	ltID := aws.ToString(lt.LaunchTemplate.LaunchTemplateId)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("mixed"),
		MinSize: aws.Int32(0), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(0), VPCZoneIdentifier: sn.Subnets[0].SubnetId,
		MixedInstancesPolicy: &asgtypes.MixedInstancesPolicy{
			LaunchTemplate: &asgtypes.LaunchTemplate{
				LaunchTemplateSpecification: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: &ltID, Version: aws.String("$Latest")},
				Overrides:                   []asgtypes.LaunchTemplateOverrides{{InstanceType: aws.String("t3.micro")}, {InstanceType: aws.String("t3.small")}}},
			InstancesDistribution: &asgtypes.InstancesDistribution{OnDemandBaseCapacity: aws.Int32(1), OnDemandPercentageAboveBaseCapacity: aws.Int32(50),
				SpotAllocationStrategy: aws.String("capacity-optimized"), SpotMaxPrice: aws.String("0.05")}}})
	must(t, err)
	policy := func() *asgtypes.MixedInstancesPolicy {
		d, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"mixed"}})
		must(t, err)
		return d.AutoScalingGroups[0].MixedInstancesPolicy
	}
	check := func(when string, base, pct int32, spot, price string, types ...string) {
		t.Helper()
		p := policy()
		if p == nil || p.LaunchTemplate == nil || p.InstancesDistribution == nil {
			t.Fatalf("%s: policy %+v", when, p)
		}
		if id := aws.ToString(p.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId); id != ltID {
			t.Errorf("%s: launch template %s, want %s", when, id, ltID)
		}
		var got []string
		for _, o := range p.LaunchTemplate.Overrides {
			got = append(got, aws.ToString(o.InstanceType))
		}
		if len(got) != len(types) || (len(got) > 0 && got[0] != types[0]) || (len(got) > 1 && got[1] != types[1]) {
			t.Errorf("%s: overrides %v, want %v", when, got, types)
		}
		d := p.InstancesDistribution
		if aws.ToInt32(d.OnDemandBaseCapacity) != base || aws.ToInt32(d.OnDemandPercentageAboveBaseCapacity) != pct ||
			aws.ToString(d.SpotAllocationStrategy) != spot || aws.ToString(d.SpotMaxPrice) != price {
			t.Errorf("%s: distribution base %d pct %d spot %s price %q, want %d %d %s %q", when, aws.ToInt32(d.OnDemandBaseCapacity),
				aws.ToInt32(d.OnDemandPercentageAboveBaseCapacity), aws.ToString(d.SpotAllocationStrategy), aws.ToString(d.SpotMaxPrice), base, pct, spot, price)
		}
	}
	check("created", 1, 50, "capacity-optimized", "0.05", "t3.micro", "t3.small")
	_, err = c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("mixed"),
		MixedInstancesPolicy: &asgtypes.MixedInstancesPolicy{InstancesDistribution: &asgtypes.InstancesDistribution{OnDemandBaseCapacity: aws.Int32(2)}}})
	must(t, err)
	check("after raising OnDemandBaseCapacity alone", 2, 50, "capacity-optimized", "0.05", "t3.micro", "t3.small")
	_, err = c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("mixed"),
		MixedInstancesPolicy: &asgtypes.MixedInstancesPolicy{LaunchTemplate: &asgtypes.LaunchTemplate{
			Overrides: []asgtypes.LaunchTemplateOverrides{{InstanceType: aws.String("t3.large")}}}}})
	must(t, err)
	check("after new overrides alone", 2, 50, "capacity-optimized", "0.05", "t3.large")
	// "To remove a maximum price that you previously set, include the
	// property but specify an empty string".
	_, err = c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("mixed"),
		MixedInstancesPolicy: &asgtypes.MixedInstancesPolicy{InstancesDistribution: &asgtypes.InstancesDistribution{SpotMaxPrice: aws.String("")}}})
	must(t, err)
	check("after SpotMaxPrice \"\"", 2, 50, "capacity-optimized", "", "t3.large")
}
