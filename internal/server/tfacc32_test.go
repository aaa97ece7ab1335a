package server_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The Terraform AWS provider's acceptance configurations (round
// thirty-two, docs/terraform-acceptance.md) applied against ecsnet: each
// test here is a difference from AWS one of them exposed.

// TestTFAcc32GroupOfZonesHasNoVPCZoneIdentifier: an Auto Scaling group
// created with AvailabilityZones and no VPCZoneIdentifier launches into
// the zones' default subnets, but DescribeAutoScalingGroups answers its
// VPCZoneIdentifier empty (the provider's TestAccAutoScalingGroup_basic
// expects vpc_zone_identifier.# = 0 on AWS); given subnets, it answers
// them, and back to zones, empty again.
func TestTFAcc32GroupOfZonesHasNoVPCZoneIdentifier(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	asg := c.asg
	_, err := c.ec2.CreateDefaultVpc(ctx, &ec2.CreateDefaultVpcInput{})
	must(t, err)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("zones-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	_, err = asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("zones"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(1), MaxSize: aws.Int32(1), AvailabilityZones: []string{"us-east-1a"}})
	must(t, err)
	describe := func() (string, []string) {
		t.Helper()
		g, err := asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"zones"}})
		must(t, err)
		var ids []string
		for _, i := range g.AutoScalingGroups[0].Instances {
			ids = append(ids, aws.ToString(i.InstanceId))
		}
		return aws.ToString(g.AutoScalingGroups[0].VPCZoneIdentifier), ids
	}
	var ids []string
	for deadline := time.Now().Add(patience); len(ids) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, ids = describe()
	}
	if len(ids) != 1 {
		t.Fatalf("the group launched %d instances, want 1", len(ids))
	}
	if got, _ := describe(); got != "" {
		t.Errorf("VPCZoneIdentifier %q of a group given zones, want none", got)
	}
	r, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
	must(t, err)
	subnet := aws.ToString(r.Reservations[0].Instances[0].SubnetId)
	s, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subnet}})
	must(t, err)
	if !aws.ToBool(s.Subnets[0].DefaultForAz) || aws.ToString(s.Subnets[0].AvailabilityZone) != "us-east-1a" {
		t.Errorf("the instance is in %s (%s, default %v), want us-east-1a's default subnet", subnet,
			aws.ToString(s.Subnets[0].AvailabilityZone), aws.ToBool(s.Subnets[0].DefaultForAz))
	}
	_, err = asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("zones"), VPCZoneIdentifier: aws.String(subnet)})
	must(t, err)
	if got, _ := describe(); got != subnet {
		t.Errorf("VPCZoneIdentifier %q after the update, want %q", got, subnet)
	}
	_, err = asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("zones"), AvailabilityZones: []string{"us-east-1a"}})
	must(t, err)
	if got, _ := describe(); got != "" {
		t.Errorf("VPCZoneIdentifier %q after an update to zones, want none", got)
	}
}

// TestTFAcc32LaunchTemplateKeepsWhatWasGiven: the provider's
// TestAccEC2LaunchTemplate_data template (kernel and RAM disk ids, a
// placement of an Availability Zone alone, an interface named by its id,
// a spot market without spot options) is answered by
// DescribeLaunchTemplateVersions as it was given: nothing dropped, no
// spot options filled in (ecsnet's answers made the second plan dirty).
func TestTFAcc32LaunchTemplateKeepsWhatWasGiven(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("data"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String("ami-12a3b456"), KernelId: aws.String("aki-a12bc3de"),
			RamDiskId: aws.String("ari-a12bc3de"), InstanceType: ec2types.InstanceTypeT2Micro,
			Placement:             &ec2types.LaunchTemplatePlacementRequest{AvailabilityZone: aws.String("us-east-1a")},
			InstanceMarketOptions: &ec2types.LaunchTemplateInstanceMarketOptionsRequest{MarketType: ec2types.MarketTypeSpot},
			NetworkInterfaces: []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{{
				NetworkInterfaceId: aws.String("eni-123456ab"), Groups: []string{"sg-1a23bc45"}}}}})
	must(t, err)
	v, err := c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	d := v.LaunchTemplateVersions[0].LaunchTemplateData
	if got := aws.ToString(d.KernelId); got != "aki-a12bc3de" {
		t.Errorf("KernelId %q, want aki-a12bc3de", got)
	}
	if got := aws.ToString(d.RamDiskId); got != "ari-a12bc3de" {
		t.Errorf("RamDiskId %q, want ari-a12bc3de", got)
	}
	if d.Placement == nil || aws.ToString(d.Placement.AvailabilityZone) != "us-east-1a" {
		t.Errorf("Placement %+v, want the zone us-east-1a", d.Placement)
	}
	if m := d.InstanceMarketOptions; m == nil || m.MarketType != ec2types.MarketTypeSpot || m.SpotOptions != nil {
		t.Errorf("InstanceMarketOptions %+v, want market type spot and no spot options", m)
	}
	if len(d.NetworkInterfaces) != 1 || aws.ToString(d.NetworkInterfaces[0].NetworkInterfaceId) != "eni-123456ab" {
		t.Errorf("NetworkInterfaces %+v, want eni-123456ab", d.NetworkInterfaces)
	}
	// Spot options given are answered with them.
	lt2, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("spot"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{InstanceMarketOptions: &ec2types.LaunchTemplateInstanceMarketOptionsRequest{
			MarketType: ec2types.MarketTypeSpot, SpotOptions: &ec2types.LaunchTemplateSpotMarketOptionsRequest{SpotInstanceType: ec2types.SpotInstanceTypeOneTime}}}})
	must(t, err)
	v, err = c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt2.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	if m := v.LaunchTemplateVersions[0].LaunchTemplateData.InstanceMarketOptions; m == nil || m.SpotOptions == nil || m.SpotOptions.SpotInstanceType != ec2types.SpotInstanceTypeOneTime {
		t.Errorf("InstanceMarketOptions %+v, want the spot options given", m)
	}
}

// TestTFAcc32LaunchTemplateOptions: the provider's launch template
// configurations for cpu_options, hibernation_options, enclave_options,
// capacity_reservation_specification and an EFA interface are answered
// by DescribeLaunchTemplateVersions as given (ecsnet dropped them, so a
// second plan wanted to add each block again).
func TestTFAcc32LaunchTemplateOptions(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("options"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{
			CpuOptions:                       &ec2types.LaunchTemplateCpuOptionsRequest{CoreCount: aws.Int32(1), ThreadsPerCore: aws.Int32(2)},
			HibernationOptions:               &ec2types.LaunchTemplateHibernationOptionsRequest{Configured: aws.Bool(true)},
			EnclaveOptions:                   &ec2types.LaunchTemplateEnclaveOptionsRequest{Enabled: aws.Bool(true)},
			CapacityReservationSpecification: &ec2types.LaunchTemplateCapacityReservationSpecificationRequest{CapacityReservationPreference: ec2types.CapacityReservationPreferenceOpen},
			NetworkInterfaces:                []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{{InterfaceType: aws.String("efa")}}}})
	must(t, err)
	v, err := c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	d := v.LaunchTemplateVersions[0].LaunchTemplateData
	if d.CpuOptions == nil || aws.ToInt32(d.CpuOptions.CoreCount) != 1 || aws.ToInt32(d.CpuOptions.ThreadsPerCore) != 2 {
		t.Errorf("CpuOptions %+v, want 1 core of 2 threads", d.CpuOptions)
	}
	if d.HibernationOptions == nil || !aws.ToBool(d.HibernationOptions.Configured) {
		t.Errorf("HibernationOptions %+v, want configured", d.HibernationOptions)
	}
	if d.EnclaveOptions == nil || !aws.ToBool(d.EnclaveOptions.Enabled) {
		t.Errorf("EnclaveOptions %+v, want enabled", d.EnclaveOptions)
	}
	if d.CapacityReservationSpecification == nil || d.CapacityReservationSpecification.CapacityReservationPreference != ec2types.CapacityReservationPreferenceOpen {
		t.Errorf("CapacityReservationSpecification %+v, want preference open", d.CapacityReservationSpecification)
	}
	if len(d.NetworkInterfaces) != 1 || aws.ToString(d.NetworkInterfaces[0].InterfaceType) != "efa" {
		t.Errorf("NetworkInterfaces %+v, want an efa interface", d.NetworkInterfaces)
	}
}
