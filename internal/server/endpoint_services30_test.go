package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestEndpointServicesCatalogue30: AWS services that infrastructure code
// often reaches through interface endpoints (AWS Config, Amazon Bedrock's
// runtimes, API Gateway's execute-api, SageMaker's API) are endpoint
// services DescribeVpcEndpointServices names and CreateVpcEndpoint takes,
// with their private DNS names (moto's
// test_vpc_endpoint_services_integration.py asks for bedrock-agent-runtime
// and config).
func TestEndpointServicesCatalogue30(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	out, err := c.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{
		"com.amazonaws.us-east-1.config", "com.amazonaws.us-east-1.bedrock-agent-runtime", "com.amazonaws.us-east-1.bedrock-runtime",
		"com.amazonaws.us-east-1.execute-api", "com.amazonaws.us-east-1.sagemaker.api",
	}})
	must(t, err)
	dns := map[string]string{}
	for _, d := range out.ServiceDetails {
		dns[aws.ToString(d.ServiceName)] = aws.ToString(d.PrivateDnsName)
		if len(d.ServiceType) != 1 || d.ServiceType[0].ServiceType != ec2types.ServiceTypeInterface || aws.ToString(d.Owner) != "amazon" {
			t.Errorf("%s: types %v owner %q", aws.ToString(d.ServiceName), d.ServiceType, aws.ToString(d.Owner))
		}
	}
	for name, want := range map[string]string{
		"com.amazonaws.us-east-1.config":                "config.us-east-1.amazonaws.com",
		"com.amazonaws.us-east-1.bedrock-agent-runtime": "bedrock-agent-runtime.us-east-1.amazonaws.com",
		"com.amazonaws.us-east-1.bedrock-runtime":       "bedrock-runtime.us-east-1.amazonaws.com",
		"com.amazonaws.us-east-1.execute-api":           "*.execute-api.us-east-1.amazonaws.com",
		"com.amazonaws.us-east-1.sagemaker.api":         "api.sagemaker.us-east-1.amazonaws.com",
	} {
		if got, ok := dns[name]; !ok || got != want {
			t.Errorf("%s: private DNS %q (listed %v), want %q", name, got, ok, want)
		}
	}

	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc.Vpc.VpcId, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	ep, err := c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: aws.String("com.amazonaws.us-east-1.bedrock-runtime"),
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: []string{aws.ToString(sub.Subnet.SubnetId)}})
	must(t, err)
	if ep.VpcEndpoint.PrivateDnsEnabled == nil || !*ep.VpcEndpoint.PrivateDnsEnabled || len(ep.VpcEndpoint.NetworkInterfaceIds) != 1 {
		t.Errorf("bedrock-runtime endpoint: private DNS %v, ENIs %v", ep.VpcEndpoint.PrivateDnsEnabled, ep.VpcEndpoint.NetworkInterfaceIds)
	}
	_, err = c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: aws.String("com.amazonaws.us-east-1.config"),
		VpcEndpointType: ec2types.VpcEndpointTypeGateway})
	apiErrorIs(t, "gateway endpoint to config", err, "InvalidParameter", "Endpoint type (Gateway) does not match available service types ([Interface])")
}

// TestEndpointServicesFilters30: DescribeVpcEndpointServices answers a
// filter it does not know (vpc-id, which DescribeVpcEndpoints has) with
// InvalidFilter, as AWS answered mondoohq/mql#4454, not the
// InvalidParameterValue of the other Describe calls; it knows the filters
// the API reference lists (service-region, supported-ip-address-types,
// tags besides owner, service-name and service-type).
func TestEndpointServicesFilters30(t *testing.T) {
	em := newEmulator(t, nil)
	c := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	_, err := c.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{"vpc-0123456789abcdef0"}}}})
	apiErrorIs(t, "vpc-id filter", err, "InvalidFilter", "The filter 'vpc-id' is invalid")
	_, err = c.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.us-east-1.s3"},
		Filters: []ec2types.Filter{{Name: aws.String("ServiceType"), Values: []string{"Gateway"}}}})
	apiErrorIs(t, "ServiceType filter", err, "InvalidFilter", "The filter 'ServiceType' is invalid")
	got, err := c.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: []ec2types.Filter{
		{Name: aws.String("service-region"), Values: []string{"us-east-1"}},
		{Name: aws.String("supported-ip-address-types"), Values: []string{"ipv4"}},
		{Name: aws.String("service-name"), Values: []string{"com.amazonaws.us-east-1.s3"}},
	}})
	must(t, err)
	if len(got.ServiceNames) != 1 {
		t.Errorf("service-region filter: %v", got.ServiceNames)
	}
	got, err = c.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{Filters: []ec2types.Filter{
		{Name: aws.String("service-region"), Values: []string{"eu-west-1"}},
	}})
	must(t, err)
	if len(got.ServiceNames) != 0 {
		t.Errorf("service-region eu-west-1 from us-east-1: %v", got.ServiceNames)
	}
}
