package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestPlacementGroups: CreatePlacementGroup of each strategy,
// DescribePlacementGroups by name, id and filter, the refusals (a
// duplicate, an unknown group, seven partitions at most, a partition count
// of another strategy), launches into a group (by RunInstances and by a
// launch template) that DescribeInstances reports, a partition number, a
// cluster group kept in one zone, and a group in use that cannot be
// deleted until its instances are terminated.
func TestPlacementGroups(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.31.0.0/16")})
	must(t, err)
	sa, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.31.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	sb, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.31.2.0/24"), AvailabilityZone: aws.String("us-east-1b")})
	must(t, err)
	create := func(name string, strategy ec2types.PlacementStrategy, partitions int32) (*ec2.CreatePlacementGroupOutput, error) {
		in := &ec2.CreatePlacementGroupInput{GroupName: aws.String(name), Strategy: strategy}
		if partitions != 0 {
			in.PartitionCount = aws.Int32(partitions)
		}
		return e.CreatePlacementGroup(ctx, in)
	}
	hpc, err := create("hpc", ec2types.PlacementStrategyCluster, 0)
	must(t, err)
	if g := hpc.PlacementGroup; g.State != ec2types.PlacementGroupStateAvailable || len(aws.ToString(g.GroupId)) != 20 ||
		aws.ToString(g.GroupArn) != "arn:aws:ec2:us-east-1:123456789012:placement-group/hpc" {
		t.Errorf("cluster group: %+v", g)
	}
	_, err = create("hpc", ec2types.PlacementStrategySpread, 0)
	wantAPIError(t, err, "InvalidPlacementGroup.Duplicate", "The Placement Group 'hpc' already exists.")
	spread, err := e.CreatePlacementGroup(ctx, &ec2.CreatePlacementGroupInput{GroupName: aws.String("web"), Strategy: ec2types.PlacementStrategySpread,
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypePlacementGroup, Tags: []ec2types.Tag{{Key: aws.String("tier"), Value: aws.String("web")}}}}})
	must(t, err)
	if spread.PlacementGroup.SpreadLevel != ec2types.SpreadLevelRack || len(spread.PlacementGroup.Tags) != 1 {
		t.Errorf("spread group: %+v", spread.PlacementGroup)
	}
	_, err = create("kafka", ec2types.PlacementStrategyPartition, 8)
	wantAPIError(t, err, "InvalidParameterValue", "Value (8) for parameter partitionCount is invalid. The partition count must be between 1 and 7.")
	_, err = create("kafka", ec2types.PlacementStrategyCluster, 3)
	wantAPIError(t, err, "InvalidParameterValue", "Partition count is only valid for the partition strategy.")
	kafka, err := create("kafka", ec2types.PlacementStrategyPartition, 3)
	must(t, err)
	if aws.ToInt32(kafka.PlacementGroup.PartitionCount) != 3 {
		t.Errorf("partition group: %+v", kafka.PlacementGroup)
	}

	d, err := e.DescribePlacementGroups(ctx, &ec2.DescribePlacementGroupsInput{})
	must(t, err)
	if len(d.PlacementGroups) != 3 {
		t.Errorf("all groups: %+v", d.PlacementGroups)
	}
	d, err = e.DescribePlacementGroups(ctx, &ec2.DescribePlacementGroupsInput{GroupIds: []string{aws.ToString(kafka.PlacementGroup.GroupId)}})
	must(t, err)
	if len(d.PlacementGroups) != 1 || aws.ToString(d.PlacementGroups[0].GroupName) != "kafka" {
		t.Errorf("by id: %+v", d.PlacementGroups)
	}
	d, err = e.DescribePlacementGroups(ctx, &ec2.DescribePlacementGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("strategy"), Values: []string{"spread"}}}})
	must(t, err)
	if len(d.PlacementGroups) != 1 || aws.ToString(d.PlacementGroups[0].GroupName) != "web" {
		t.Errorf("by strategy: %+v", d.PlacementGroups)
	}
	_, err = e.DescribePlacementGroups(ctx, &ec2.DescribePlacementGroupsInput{GroupNames: []string{"nope"}})
	wantAPIError(t, err, "InvalidPlacementGroup.Unknown", "The Placement Group 'nope' is unknown.")

	run := func(subnet *string, p *ec2types.Placement) (*ec2.RunInstancesOutput, error) {
		return e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeC5Large,
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: subnet, Placement: p})
	}
	_, err = run(sa.Subnet.SubnetId, &ec2types.Placement{GroupName: aws.String("nope")})
	wantAPIError(t, err, "InvalidPlacementGroup.Unknown", "The Placement Group 'nope' is unknown.")
	r, err := run(sa.Subnet.SubnetId, &ec2types.Placement{GroupName: aws.String("hpc")})
	must(t, err)
	inst := aws.ToString(r.Instances[0].InstanceId)
	if p := r.Instances[0].Placement; aws.ToString(p.GroupName) != "hpc" || aws.ToString(p.GroupId) != aws.ToString(hpc.PlacementGroup.GroupId) {
		t.Errorf("placement: %+v", p)
	}
	_, err = run(sb.Subnet.SubnetId, &ec2types.Placement{GroupName: aws.String("hpc")})
	wantAPIError(t, err, "InvalidParameterCombination",
		"The placement group 'hpc' is in the Availability Zone us-east-1a: a cluster placement group cannot span Availability Zones.")
	_, err = run(sa.Subnet.SubnetId, &ec2types.Placement{GroupName: aws.String("kafka"), PartitionNumber: aws.Int32(4)})
	wantAPIError(t, err, "InvalidParameterValue", "Value (4) for parameter partitionNumber is invalid. The placement group 'kafka' has partitions 1 to 3.")
	r, err = run(sb.Subnet.SubnetId, &ec2types.Placement{GroupName: aws.String("kafka"), PartitionNumber: aws.Int32(2)})
	must(t, err)
	if p := r.Instances[0].Placement; aws.ToInt32(p.PartitionNumber) != 2 {
		t.Errorf("partition: %+v", p)
	}

	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("spread"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			Placement: &ec2types.LaunchTemplatePlacementRequest{GroupName: aws.String("web")}}})
	must(t, err)
	v1, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	if p := v1.LaunchTemplateVersions[0].LaunchTemplateData.Placement; p == nil || aws.ToString(p.GroupName) != "web" {
		t.Errorf("template placement: %+v", p)
	}
	r, err = e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sb.Subnet.SubnetId,
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
	must(t, err)
	di, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(r.Instances[0].InstanceId)}})
	must(t, err)
	if p := di.Reservations[0].Instances[0].Placement; aws.ToString(p.GroupName) != "web" {
		t.Errorf("launched from the template: %+v", p)
	}
	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(7), MaxCount: aws.Int32(7), SubnetId: sb.Subnet.SubnetId,
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
	wantAPIError(t, err, "InsufficientInstanceCapacity",
		"A spread placement group can have at most 7 running instances per Availability Zone; 'web' has 1 in us-east-1b.")

	_, err = e.DeletePlacementGroup(ctx, &ec2.DeletePlacementGroupInput{GroupName: aws.String("hpc")})
	wantAPIError(t, err, "InvalidPlacementGroup.InUse", "The Placement Group 'hpc' is in use and may not be deleted.")
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{inst}})
	must(t, err)
	eventually(t, "terminated", func() bool {
		_, err := e.DeletePlacementGroup(ctx, &ec2.DeletePlacementGroupInput{GroupName: aws.String("hpc")})
		return err == nil
	})
	_, err = e.DeletePlacementGroup(ctx, &ec2.DeletePlacementGroupInput{GroupName: aws.String("hpc")})
	wantAPIError(t, err, "InvalidPlacementGroup.Unknown", "The Placement Group 'hpc' is unknown.")
}
