package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Round twenty-one: what Terraform's AWS provider read back differently
// from what it wrote (a perpetual diff on the second plan) or was refused.

// A launch template's MetadataOptions are kept as given: the provider's
// aws_launch_template with metadata_options planned them again on every
// run because DescribeLaunchTemplateVersions left them out. An instance
// launched from the template takes them.
func TestLaunchTemplateMetadataOptionsRoundTrip(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.9.1.0/24")})
	must(t, err)
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("imds"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			MetadataOptions: &ec2types.LaunchTemplateInstanceMetadataOptionsRequest{HttpTokens: ec2types.LaunchTemplateHttpTokensStateOptional,
				HttpPutResponseHopLimit: aws.Int32(1)}}})
	must(t, err)
	out, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	m := out.LaunchTemplateVersions[0].LaunchTemplateData.MetadataOptions
	if m == nil || m.HttpTokens != ec2types.LaunchTemplateHttpTokensStateOptional || aws.ToInt32(m.HttpPutResponseHopLimit) != 1 {
		t.Fatalf("MetadataOptions = %+v, want HttpTokens optional, hop limit 1", m)
	}
	if m.HttpEndpoint != "" || m.InstanceMetadataTags != "" {
		t.Errorf("options not given are left out, as given: %+v", m)
	}
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: s.Subnet.SubnetId,
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
	must(t, err)
	im := r.Instances[0].MetadataOptions
	if im == nil || im.HttpTokens != ec2types.HttpTokensStateOptional || aws.ToInt32(im.HttpPutResponseHopLimit) != 1 || im.HttpEndpoint != ec2types.InstanceMetadataEndpointStateEnabled {
		t.Errorf("the instance's MetadataOptions = %+v, want the template's (optional, 1) over the defaults", im)
	}
}
