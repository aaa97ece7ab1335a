package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A private NAT gateway takes no Elastic IP ("You cannot specify an Elastic
// IP address with a private NAT gateway"), and a count of secondary
// addresses with addresses is refused (round 34 models secondary
// addresses: TestTF34PrivateNatGatewaySecondaryAddresses).
func TestNatGatewayParameters(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	a, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(t, err)
	_, err = e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: s.Subnet.SubnetId, ConnectivityType: ec2types.ConnectivityTypePrivate, AllocationId: a.AllocationId})
	wantAPIError(t, err, "InvalidParameterCombination", "You cannot specify an Elastic IP address with a private NAT gateway.")
	_, err = e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: s.Subnet.SubnetId, ConnectivityType: ec2types.ConnectivityTypePrivate,
		SecondaryPrivateIpAddressCount: aws.Int32(2), SecondaryPrivateIpAddresses: []string{"10.0.1.50"}})
	wantAPIError(t, err, "InvalidParameterCombination", "Secondary private IP addresses and secondary private IP address count may not be specified on the same request")
	ng, err := e.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: s.Subnet.SubnetId, ConnectivityType: ec2types.ConnectivityTypePrivate})
	must(t, err)
	if n := ng.NatGateway; len(n.NatGatewayAddresses) != 1 || n.NatGatewayAddresses[0].AllocationId != nil || n.NatGatewayAddresses[0].PublicIp != nil {
		t.Errorf("private NAT gateway: %+v", n.NatGatewayAddresses)
	}
	d, err := e.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(a.AllocationId)}})
	must(t, err)
	if d.Addresses[0].AssociationId != nil {
		t.Errorf("the refused call associated the address: %+v", d.Addresses[0])
	}
}

// ReleaseAddress with a network border group the address is not in is
// InvalidAddress.NotFound, and leaves the address allocated; with the
// Region's group it releases it.
func TestReleaseAddressNetworkBorderGroup(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	a, err := e.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
	must(t, err)
	_, err = e.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId, NetworkBorderGroup: aws.String("us-west-2")})
	wantAPIError(t, err, "InvalidAddress.NotFound", "Address '"+aws.ToString(a.PublicIp)+"' not found in network border group 'us-west-2'.")
	_, err = e.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(a.AllocationId)}})
	must(t, err)
	_, err = e.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: a.AllocationId, NetworkBorderGroup: aws.String("us-east-1")})
	must(t, err)
	_, err = e.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{AllocationIds: []string{aws.ToString(a.AllocationId)}})
	wantAPIError(t, err, "InvalidAllocationID.NotFound", "The allocation ID '"+aws.ToString(a.AllocationId)+"' does not exist")
}
