package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/ecsnet/ecsnet/internal/server"
)

// In a region of another partition (cn-north-1: aws-cn, us-gov-west-1:
// aws-us-gov) every ARN the emulator writes is of that partition: ECS
// clusters, task definitions (RegisteredBy), ELBv2 target groups and
// load balancers, Auto Scaling launch configurations and groups (their
// service-linked role), launch templates (CreatedBy) and a KMS key's
// default policy.
func TestARNsOfTheRegionsPartitionRound27(t *testing.T) {
	for region, partition := range map[string]string{"cn-north-1": "aws-cn", "us-gov-west-1": "aws-us-gov"} {
		t.Run(region, func(t *testing.T) {
			em := newEmulatorWith(t, server.Options{Region: region})
			cfg := sdkConfig()
			cfg.Region = region
			endpoint := aws.String(em.URL)
			want := "arn:" + partition + ":"
			check := func(what, arn string) {
				t.Helper()
				if !strings.HasPrefix(arn, want) {
					t.Errorf("%s: %q, want %s…", what, arn, want)
				}
			}
			ec := ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = endpoint })
			cl, err := ec.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
			must(t, err)
			check("cluster", aws.ToString(cl.Cluster.ClusterArn))
			td, err := ec.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
				ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(128)}}})
			must(t, err)
			check("task definition", aws.ToString(td.TaskDefinition.TaskDefinitionArn))
			check("task definition's registeredBy", aws.ToString(td.TaskDefinition.RegisteredBy))

			e := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = endpoint })
			v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
			must(t, err)
			elb := elbv2.NewFromConfig(cfg, func(o *elbv2.Options) { o.BaseEndpoint = endpoint })
			tg, err := elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: "HTTP", Port: aws.Int32(80), VpcId: v.Vpc.VpcId})
			must(t, err)
			check("target group", aws.ToString(tg.TargetGroups[0].TargetGroupArn))

			lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web-lt"),
				LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMIIn(region)), InstanceType: ec2types.InstanceTypeT3Micro}})
			must(t, err)
			check("launch template's createdBy", aws.ToString(lt.LaunchTemplate.CreatedBy))

			as := autoscaling.NewFromConfig(cfg, func(o *autoscaling.Options) { o.BaseEndpoint = endpoint })
			_, err = as.CreateLaunchConfiguration(ctx, &autoscaling.CreateLaunchConfigurationInput{LaunchConfigurationName: aws.String("lc"),
				ImageId: aws.String(testAMIIn(region)), InstanceType: aws.String("t3.micro")})
			must(t, err)
			lcs, err := as.DescribeLaunchConfigurations(ctx, &autoscaling.DescribeLaunchConfigurationsInput{})
			must(t, err)
			check("launch configuration", aws.ToString(lcs.LaunchConfigurations[0].LaunchConfigurationARN))
			s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String(region + "a")})
			must(t, err)
			_, err = as.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("g"),
				LaunchConfigurationName: aws.String("lc"), MinSize: aws.Int32(0), MaxSize: aws.Int32(1), VPCZoneIdentifier: s.Subnet.SubnetId})
			must(t, err)
			gs, err := as.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
			must(t, err)
			check("group", aws.ToString(gs.AutoScalingGroups[0].AutoScalingGroupARN))
			check("group's service-linked role", aws.ToString(gs.AutoScalingGroups[0].ServiceLinkedRoleARN))

			km := kms.NewFromConfig(cfg, func(o *kms.Options) { o.BaseEndpoint = endpoint })
			k, err := km.CreateKey(ctx, &kms.CreateKeyInput{})
			must(t, err)
			p, err := km.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: k.KeyMetadata.KeyId, PolicyName: aws.String("default")})
			must(t, err)
			if !strings.Contains(aws.ToString(p.Policy), `"`+want+`iam::`) || strings.Contains(aws.ToString(p.Policy), `"arn:aws:`) {
				t.Errorf("key policy %s", aws.ToString(p.Policy))
			}
		})
	}
}

// An account lives in one partition: a server whose region is cn-north-1
// serves the China regions (cn-northwest-1 too), lists them in
// DescribeRegions with their amazonaws.com.cn endpoints, and refuses a
// credential scoped to a commercial region as AWS refuses another
// partition's.
func TestRegionsOfThePartition(t *testing.T) {
	em := newEmulatorWith(t, server.Options{Region: "cn-north-1"})
	client := func(region string) *ec2.Client {
		cfg := sdkConfig()
		cfg.Region = region
		return ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	}
	out, err := client("cn-north-1").DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
	must(t, err)
	var got []string
	for _, r := range out.Regions {
		got = append(got, aws.ToString(r.RegionName)+" "+aws.ToString(r.Endpoint))
	}
	if want := "cn-north-1 ec2.cn-north-1.amazonaws.com.cn,cn-northwest-1 ec2.cn-northwest-1.amazonaws.com.cn"; strings.Join(got, ",") != want {
		t.Errorf("DescribeRegions in cn-north-1: %q, want %q", strings.Join(got, ","), want)
	}
	if _, err := client("cn-northwest-1").CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}); err != nil {
		t.Errorf("CreateVpc in cn-northwest-1: %v", err)
	}
	_, err = client("us-east-1").DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err == nil || !strings.Contains(err.Error(), "AuthFailure") || !strings.Contains(err.Error(), "Credential should be scoped to a valid region, not 'us-east-1'.") {
		t.Errorf("DescribeVpcs in us-east-1 from a cn-north-1 account: %v, want AuthFailure", err)
	}
}
