package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestLaunchTemplateSpot14: a launch template's InstanceMarketOptions
// (market type spot) is kept and read back as Terraform's provider reads
// it (an InstanceInterruptionBehavior not given is answered without one,
// round thirty-two), and RunInstances from the template launches a Spot
// Instance; before, the options were dropped and the instance was On-Demand.
func TestLaunchTemplateSpot14(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("spot"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: "t3.small",
			InstanceMarketOptions: &ec2types.LaunchTemplateInstanceMarketOptionsRequest{MarketType: ec2types.MarketTypeSpot,
				SpotOptions: &ec2types.LaunchTemplateSpotMarketOptionsRequest{MaxPrice: aws.String("0.08")}}}})
	must(t, err)
	vers, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	mo := vers.LaunchTemplateVersions[0].LaunchTemplateData.InstanceMarketOptions
	if mo == nil || mo.MarketType != ec2types.MarketTypeSpot || mo.SpotOptions == nil || aws.ToString(mo.SpotOptions.MaxPrice) != "0.08" ||
		mo.SpotOptions.SpotInstanceType != ec2types.SpotInstanceTypeOneTime || mo.SpotOptions.InstanceInterruptionBehavior != "" {
		t.Errorf("InstanceMarketOptions read back: %+v", mo)
	}
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.9.1.0/24")})
	must(t, err)
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub.Subnet.SubnetId,
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
	must(t, err)
	if run.Instances[0].InstanceLifecycle != ec2types.InstanceLifecycleTypeSpot {
		t.Errorf("instance lifecycle %q, want spot", run.Instances[0].InstanceLifecycle)
	}
	// An unknown market type is refused at creation.
	_, err = e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("bad"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI),
			InstanceMarketOptions: &ec2types.LaunchTemplateInstanceMarketOptionsRequest{MarketType: "auction"}}})
	if err == nil {
		t.Errorf("market type auction accepted")
	}
}
