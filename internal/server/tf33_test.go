package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// Round thirty-three's Terraform acceptance configurations
// (docs/terraform-acceptance.md): each test here is a difference from AWS
// one of them exposed.

// TestTF33NLBAnswersOnlyTheAddressesItWasGiven: an internal NLB's subnet
// mappings answer a PrivateIPv4Address only where the mapping gave one
// (the provider reads LoadBalancerAddresses back into subnet_mapping, whose
// private_ipv4_address is optional and not computed: an address ELB picked
// was a perpetual replacement in round 32's lb-nlb-basic); the node ENI
// still has its address.
func TestTF33NLBAnswersOnlyTheAddressesItWasGiven(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.33.0.0/16")})
	must(t, err)
	var subnets []string
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, AvailabilityZone: aws.String(zone),
			CidrBlock: aws.String([]string{"10.33.1.0/24", "10.33.2.0/24"}[i])})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("mapped"),
		Type: elbtypes.LoadBalancerTypeEnumNetwork, Scheme: elbtypes.LoadBalancerSchemeEnumInternal,
		SubnetMappings: []elbtypes.SubnetMapping{{SubnetId: aws.String(subnets[0])},
			{SubnetId: aws.String(subnets[1]), PrivateIPv4Address: aws.String("10.33.2.10")}}})
	must(t, err)
	d, err := c.elb.DescribeLoadBalancers(ctx, &elasticloadbalancingv2.DescribeLoadBalancersInput{
		LoadBalancerArns: []string{aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)}})
	must(t, err)
	got := map[string][]elbtypes.LoadBalancerAddress{}
	for _, z := range d.LoadBalancers[0].AvailabilityZones {
		got[aws.ToString(z.SubnetId)] = z.LoadBalancerAddresses
	}
	if a := got[subnets[0]]; len(a) != 0 {
		t.Errorf("the mapping without an address answers %d addresses (private %q), want none", len(a), aws.ToString(a[0].PrivateIPv4Address))
	}
	if a := got[subnets[1]]; len(a) != 1 || aws.ToString(a[0].PrivateIPv4Address) != "10.33.2.10" {
		t.Errorf("the mapping of 10.33.2.10 answers %+v, want that address", a)
	}
	enis, err := c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{
		{Name: aws.String("subnet-id"), Values: []string{subnets[0]}}}})
	must(t, err)
	if len(enis.NetworkInterfaces) != 1 || aws.ToString(enis.NetworkInterfaces[0].PrivateIpAddress) == "" {
		t.Errorf("the node ENI of the first subnet: %d interfaces, want one with an address", len(enis.NetworkInterfaces))
	}
}

// TestTF33LaunchTemplateSecondaryAddressCount: a launch template
// interface's SecondaryPrivateIpAddressCount (the provider's
// network_interfaces.ipv4_address_count) is kept and answered (it was
// dropped, a diff on the second plan), and an instance launched from the
// template gets that many secondary addresses.
func TestTF33LaunchTemplateSecondaryAddressCount(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.34.0.0/16")})
	must(t, err)
	s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.34.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("counted"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			NetworkInterfaces: []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{{DeviceIndex: aws.Int32(0),
				SubnetId: s.Subnet.SubnetId, SecondaryPrivateIpAddressCount: aws.Int32(2)}}}})
	must(t, err)
	v, err := c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	if got := aws.ToInt32(v.LaunchTemplateVersions[0].LaunchTemplateData.NetworkInterfaces[0].SecondaryPrivateIpAddressCount); got != 2 {
		t.Errorf("SecondaryPrivateIpAddressCount %d, want 2", got)
	}
	r, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
	must(t, err)
	if n := r.Instances[0].NetworkInterfaces; len(n) != 1 || len(n[0].PrivateIpAddresses) != 3 {
		t.Errorf("the instance's interfaces %d, addresses of the first %d, want one with 3", len(n), len(n[0].PrivateIpAddresses))
	}
}

// TestTF33CalculatedHealthCheckHasNoInterval: a CALCULATED health check
// answers no RequestInterval or FailureThreshold (it probes no endpoint;
// the provider's TestAccRoute53HealthCheck_withChildHealthChecks plans
// nothing on AWS, and an answered request_interval forced a replacement);
// an HTTP check answers its defaults, 30 and 3.
func TestTF33CalculatedHealthCheckHasNoInterval(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	r53 := route53.NewFromConfig(sdkConfig(), func(o *route53.Options) { o.BaseEndpoint = aws.String(em.URL) })
	child, err := r53.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("child"),
		HealthCheckConfig: &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeHttp, FullyQualifiedDomainName: aws.String("child.example.com")}})
	must(t, err)
	parent, err := r53.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("parent"),
		HealthCheckConfig: &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeCalculated, HealthThreshold: aws.Int32(1),
			ChildHealthChecks: []string{aws.ToString(child.HealthCheck.Id)}}})
	must(t, err)
	got, err := r53.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: parent.HealthCheck.Id})
	must(t, err)
	if c := got.HealthCheck.HealthCheckConfig; c.RequestInterval != nil || c.FailureThreshold != nil {
		t.Errorf("the calculated check answers RequestInterval %d, FailureThreshold %d, want neither", aws.ToInt32(c.RequestInterval), aws.ToInt32(c.FailureThreshold))
	}
	got, err = r53.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: child.HealthCheck.Id})
	must(t, err)
	if c := got.HealthCheck.HealthCheckConfig; aws.ToInt32(c.RequestInterval) != 30 || aws.ToInt32(c.FailureThreshold) != 3 {
		t.Errorf("the HTTP check answers RequestInterval %d, FailureThreshold %d, want 30 and 3", aws.ToInt32(c.RequestInterval), aws.ToInt32(c.FailureThreshold))
	}
}
