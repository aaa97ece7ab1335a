package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// TestTFApply26ASGTargetGroupType: Auto Scaling registers its instances by
// id, so a target group of target type ip (made for an awsvpc service, and
// attached to the instances' group as well, as dongnguyenltqb/tf-ecs-basic
// does with aws_autoscaling_attachment) is refused by
// CreateAutoScalingGroup and AttachLoadBalancerTargetGroups alike: "Provided Target Group 'ARN' has invalid
// target type. Please ensure all provided Target Groups have target type
// of instance." (hashicorp/terraform#18674). ecsnet attached it and the
// instances failed their health checks. An instance target group is taken.
func TestTFApply26ASGTargetGroupType(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	if err != nil || len(subs.Subnets) == 0 {
		t.Fatalf("default subnets: %v %v", subs, err)
	}
	vpc := subs.Subnets[0].VpcId
	tg := func(name string, typ elbv2types.TargetTypeEnum) string {
		t.Helper()
		out, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbv2types.ProtocolEnumHttp,
			Port: aws.Int32(80), VpcId: vpc, TargetType: typ})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.TargetGroups[0].TargetGroupArn)
	}
	ipTG, instTG := tg("tasks", elbv2types.TargetTypeEnumIp), tg("hosts", elbv2types.TargetTypeEnumInstance)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("ecs"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	if err != nil {
		t.Fatal(err)
	}
	want := "Provided Target Group '" + ipTG + "' has invalid target type. Please ensure all provided Target Groups have target type of instance."
	create := func(name string, arns ...string) error {
		_, err := c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(0), MaxSize: aws.Int32(1), VPCZoneIdentifier: subs.Subnets[0].SubnetId, TargetGroupARNs: arns})
		return err
	}
	wantAPIError(t, create("bad", instTG, ipTG), "ValidationError", want)
	if err := create("hosts", instTG); err != nil {
		t.Fatalf("a group with an instance target group: %v", err)
	}
	_, err = c.asg.AttachLoadBalancerTargetGroups(ctx, &autoscaling.AttachLoadBalancerTargetGroupsInput{AutoScalingGroupName: aws.String("hosts"), TargetGroupARNs: []string{ipTG}})
	wantAPIError(t, err, "ValidationError", want)
	d, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"hosts"}})
	if err != nil || len(d.AutoScalingGroups) != 1 || len(d.AutoScalingGroups[0].TargetGroupARNs) != 1 || d.AutoScalingGroups[0].TargetGroupARNs[0] != instTG {
		t.Fatalf("the group's target groups: %+v %v, want the instance one only", d, err)
	}
}
