package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestRegisterTaskDefinitionUnits: task-level cpu and memory given in vCPU
// and GB are registered as CPU units and MiB, as RegisterTaskDefinition
// documents ("String values are converted to an integer …"), and read back
// so by DescribeTaskDefinition and the tasks (1Strategy's Fargate sample
// writes Memory: 0.5GB).
func TestRegisterTaskDefinitionUnits(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	for _, tc := range []struct{ cpu, mem, wantCPU, wantMem string }{
		{"0.25 vCPU", "0.5GB", "256", "512"},
		{"1 vcpu", "2 GB", "1024", "2048"},
		{"512", "1024", "512", "1024"},
	} {
		out, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("units"),
			Cpu: aws.String(tc.cpu), Memory: aws.String(tc.mem), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
			ContainerDefinitions:    []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx")}}})
		must(t, err)
		if got := [2]string{aws.ToString(out.TaskDefinition.Cpu), aws.ToString(out.TaskDefinition.Memory)}; got != [2]string{tc.wantCPU, tc.wantMem} {
			t.Errorf("RegisterTaskDefinition(%q, %q) = %v, want [%s %s]", tc.cpu, tc.mem, got, tc.wantCPU, tc.wantMem)
		}
		d, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: out.TaskDefinition.TaskDefinitionArn})
		must(t, err)
		if got := [2]string{aws.ToString(d.TaskDefinition.Cpu), aws.ToString(d.TaskDefinition.Memory)}; got != [2]string{tc.wantCPU, tc.wantMem} {
			t.Errorf("DescribeTaskDefinition after (%q, %q) = %v, want [%s %s]", tc.cpu, tc.mem, got, tc.wantCPU, tc.wantMem)
		}
	}
}

// TestCloudFormationMixedInstancesPolicy: an AutoScalingGroup's
// MixedInstancesPolicy reaches Auto Scaling (DescribeAutoScalingGroups
// shows it), and a launch template without an instance type launches the
// first override, as Spot when the policy asks for no on-demand capacity;
// an override of InstanceRequirements launches the smallest type that has
// them (c5.large), from a template and from CreateAutoScalingGroup alike.
func TestCloudFormationMixedInstancesPolicy(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("mixed"),
		TemplateBody: sweepTemplate(t, "mixed-instances.yaml")})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
	must(t, err)
	if len(g.AutoScalingGroups) != 2 {
		t.Fatalf("%d groups, want 2", len(g.AutoScalingGroups))
	}
	var subnet *string
	for _, grp := range g.AutoScalingGroups {
		m := grp.MixedInstancesPolicy
		if m == nil {
			t.Fatalf("group %s has no MixedInstancesPolicy", aws.ToString(grp.AutoScalingGroupName))
		}
		subnet = grp.VPCZoneIdentifier
		if p := aws.ToInt32(m.InstancesDistribution.OnDemandPercentageAboveBaseCapacity); p != 0 {
			t.Errorf("OnDemandPercentageAboveBaseCapacity = %d, want 0", p)
		}
		switch ov := m.LaunchTemplate.Overrides; len(ov) {
		case 2:
			if aws.ToString(ov[0].InstanceType) != "m5.large" || aws.ToString(ov[1].InstanceType) != "c5.large" {
				t.Errorf("overrides = %+v, want m5.large and c5.large", ov)
			}
		case 1:
			r := ov[0].InstanceRequirements
			if r == nil || aws.ToInt32(r.VCpuCount.Min) != 2 || aws.ToInt32(r.MemoryMiB.Max) != 8192 || len(r.ExcludedInstanceTypes) != 7 {
				t.Errorf("InstanceRequirements = %+v, want the template's", r)
			}
		default:
			t.Errorf("overrides = %+v", ov)
		}
	}
	// The same requirements through the Auto Scaling API.
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("api"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMIOf("us-east-1", "arm64"))}})
	must(t, err)
	_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("api"),
		MinSize: aws.Int32(1), MaxSize: aws.Int32(1), VPCZoneIdentifier: subnet,
		MixedInstancesPolicy: &asgtypes.MixedInstancesPolicy{LaunchTemplate: &asgtypes.LaunchTemplate{
			LaunchTemplateSpecification: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			Overrides: []asgtypes.LaunchTemplateOverrides{{InstanceRequirements: &asgtypes.InstanceRequirements{
				VCpuCount: &asgtypes.VCpuCountRequest{Min: aws.Int32(8)}, MemoryMiB: &asgtypes.MemoryMiBRequest{Min: aws.Int32(16384)},
				CpuManufacturers: []asgtypes.CpuManufacturer{asgtypes.CpuManufacturerAmazonWebServices}}}}}}})
	must(t, err)
	eventually(t, "the groups' four instances run", func() bool {
		d, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
			{Name: aws.String("instance-state-name"), Values: []string{"running"}}}})
		if err != nil {
			return false
		}
		types := map[ec2types.InstanceType]int{}
		for _, r := range d.Reservations {
			for _, in := range r.Instances {
				types[in.InstanceType]++
				if in.InstanceType != "a1.2xlarge" && in.InstanceLifecycle != ec2types.InstanceLifecycleTypeSpot {
					t.Fatalf("instance %s (%s) is on-demand, want spot", aws.ToString(in.InstanceId), in.InstanceType)
				}
			}
		}
		return types["m5.large"] == 2 && types["c5.large"] == 1 && types["a1.2xlarge"] == 1
	})
}

// TestVpcIPv6BlockQuota: a VPC takes up to five Amazon-provided IPv6
// blocks (the "IPv6 CIDR blocks per VPC" quota; container-patterns'
// dual-stack VPC associates two), the sixth is CidrLimitExceeded; the
// default security group keeps one ::/0 egress rule, and a block no
// subnet uses can be disassociated while another has subnets.
func TestVpcIPv6BlockQuota(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	id := v.Vpc.VpcId
	var assocs []*ec2.AssociateVpcCidrBlockOutput
	for range 4 {
		a, err := c.ec2.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: id, AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
		must(t, err)
		assocs = append(assocs, a)
	}
	_, err = c.ec2.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: id, AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	if err == nil || !strings.Contains(err.Error(), "CidrLimitExceeded") || !strings.Contains(err.Error(), "maximum number of allowed IPv6 CIDRs: 5") {
		t.Errorf("the sixth block: %v, want CidrLimitExceeded (5)", err)
	}
	d, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(id)}})
	must(t, err)
	if n := len(d.Vpcs[0].Ipv6CidrBlockAssociationSet); n != 5 {
		t.Errorf("%d IPv6 blocks, want 5", n)
	}
	g, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{aws.ToString(id)}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
	must(t, err)
	n := 0
	for _, p := range g.SecurityGroups[0].IpPermissionsEgress {
		n += len(p.Ipv6Ranges)
	}
	if n != 1 {
		t.Errorf("the default group has %d IPv6 egress ranges, want 1", n)
	}
	// A subnet in the first block does not keep another block associated.
	_, err = c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: id, CidrBlock: aws.String("10.0.0.0/24"),
		Ipv6CidrBlock: aws.String(prefix64(aws.ToString(d.Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock)))})
	must(t, err)
	_, err = c.ec2.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: assocs[3].Ipv6CidrBlockAssociation.AssociationId})
	must(t, err)
}

// prefix64 is the first /64 of an IPv6 /56.
func prefix64(cidr string) string {
	return strings.Replace(cidr, "/56", "/64", 1)
}
