package server_test

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A launch template's network interface with fixed private IPv4 and IPv6
// addresses: kept and answered as given (the Terraform provider plans them
// again otherwise), and the instance launched from it takes them.
func TestLaunchTemplateFixedAddresses(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	vpcs, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(vpc.Vpc.VpcId)}})
	must(t, err)
	// The /56's second /64 and its address ::50, by arithmetic: the
	// block's text is compressed when its fourth group is zero.
	b := netip.MustParsePrefix(aws.ToString(vpcs.Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock)).Addr().As16()
	b[7] = 1
	sub6 := netip.PrefixFrom(netip.AddrFrom16(b), 64).String()
	b[15] = 0x50
	fixed6 := netip.AddrFrom16(b).String()
	sn, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.1.1.0/24"), Ipv6CidrBlock: aws.String(sub6), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("fixed"), LaunchTemplateData: &ec2types.RequestLaunchTemplateData{
		ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
		NetworkInterfaces: []ec2types.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest{{DeviceIndex: aws.Int32(0), SubnetId: sn.Subnet.SubnetId,
			PrivateIpAddresses: []ec2types.PrivateIpAddressSpecification{{PrivateIpAddress: aws.String("10.1.1.50"), Primary: aws.Bool(true)}, {PrivateIpAddress: aws.String("10.1.1.51")}},
			Ipv6Addresses:      []ec2types.InstanceIpv6AddressRequest{{Ipv6Address: aws.String(fixed6)}}}}}})
	must(t, err)
	vs, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId})
	must(t, err)
	ni := vs.LaunchTemplateVersions[0].LaunchTemplateData.NetworkInterfaces[0]
	if len(ni.PrivateIpAddresses) != 2 || aws.ToString(ni.PrivateIpAddresses[0].PrivateIpAddress) != "10.1.1.50" || !aws.ToBool(ni.PrivateIpAddresses[0].Primary) ||
		len(ni.Ipv6Addresses) != 1 || aws.ToString(ni.Ipv6Addresses[0].Ipv6Address) != fixed6 {
		t.Fatalf("template interface answered %+v", ni)
	}
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
	must(t, err)
	in := run.Instances[0]
	if aws.ToString(in.PrivateIpAddress) != "10.1.1.50" {
		t.Errorf("instance private IP %s, want the template's 10.1.1.50", aws.ToString(in.PrivateIpAddress))
	}
	got := map[string]bool{}
	for _, n := range in.NetworkInterfaces {
		for _, p := range n.PrivateIpAddresses {
			got[aws.ToString(p.PrivateIpAddress)] = true
		}
		for _, a := range n.Ipv6Addresses {
			got[aws.ToString(a.Ipv6Address)] = true
		}
	}
	if !got["10.1.1.51"] || !got[fixed6] {
		t.Errorf("instance addresses %v, want 10.1.1.51 and %s too", got, fixed6)
	}
}
