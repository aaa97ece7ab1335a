package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// CreateNetworkInterface takes secondary private IPv4 addresses, by address
// (PrivateIpAddresses, one marked primary, as Terraform's private_ips sends
// them) or by count (SecondaryPrivateIpAddressCount, private_ips_count);
// AssignPrivateIpAddresses with AllowReassignment moves a secondary address
// from another interface, never a primary one.
func TestNetworkInterfaceSecondaryAddresses(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	subnet := s.Subnet.SubnetId
	addrs := func(id *string) (primary string, all []string) {
		t.Helper()
		d, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{aws.ToString(id)}})
		must(t, err)
		n := d.NetworkInterfaces[0]
		for _, p := range n.PrivateIpAddresses {
			all = append(all, aws.ToString(p.PrivateIpAddress))
			if aws.ToBool(p.Primary) != (aws.ToString(p.PrivateIpAddress) == aws.ToString(n.PrivateIpAddress)) {
				t.Errorf("%s: %s primary %v, the interface's address %s", aws.ToString(id), aws.ToString(p.PrivateIpAddress), aws.ToBool(p.Primary), aws.ToString(n.PrivateIpAddress))
			}
		}
		return aws.ToString(n.PrivateIpAddress), all
	}

	byAddr, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet, PrivateIpAddresses: []ec2types.PrivateIpAddressSpecification{
		{PrivateIpAddress: aws.String("10.0.1.20"), Primary: aws.Bool(true)},
		{PrivateIpAddress: aws.String("10.0.1.21"), Primary: aws.Bool(false)},
		{PrivateIpAddress: aws.String("10.0.1.22")}}})
	must(t, err)
	one := byAddr.NetworkInterface.NetworkInterfaceId
	if p, all := addrs(one); p != "10.0.1.20" || len(all) != 3 || all[1] != "10.0.1.21" || all[2] != "10.0.1.22" {
		t.Errorf("by address: primary %s, addresses %v", p, all)
	}
	if len(byAddr.NetworkInterface.PrivateIpAddresses) != 3 {
		t.Errorf("CreateNetworkInterface answer: %+v", byAddr.NetworkInterface.PrivateIpAddresses)
	}

	byCount, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet, SecondaryPrivateIpAddressCount: aws.Int32(2)})
	must(t, err)
	two := byCount.NetworkInterface.NetworkInterfaceId
	p2, all2 := addrs(two)
	if len(all2) != 3 || p2 != all2[0] {
		t.Errorf("by count: primary %s, addresses %v", p2, all2)
	}
	for _, a := range all2 {
		if a == "10.0.1.20" || a == "10.0.1.21" || a == "10.0.1.22" {
			t.Errorf("by count got %s, which the first interface holds", a)
		}
	}

	_, err = e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet, SecondaryPrivateIpAddressCount: aws.Int32(1),
		PrivateIpAddresses: []ec2types.PrivateIpAddressSpecification{{PrivateIpAddress: aws.String("10.0.1.30"), Primary: aws.Bool(true)},
			{PrivateIpAddress: aws.String("10.0.1.31")}}})
	wantAPIError(t, err, "InvalidParameterCombination", "Secondary private IP addresses and secondary private IP address count may not be specified on the same request")
	_, err = e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet,
		PrivateIpAddresses: []ec2types.PrivateIpAddressSpecification{{PrivateIpAddress: aws.String("10.0.1.40")}, {PrivateIpAddress: aws.String("10.0.1.21")}}})
	wantAPIError(t, err, "InvalidIPAddress.InUse", "Address 10.0.1.21 is in use.")
	// The failed call left nothing behind: 10.0.1.40 is free.
	free, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: subnet, PrivateIpAddress: aws.String("10.0.1.40")})
	must(t, err)

	_, err = e.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: free.NetworkInterface.NetworkInterfaceId,
		PrivateIpAddresses: []string{"10.0.1.21"}})
	wantAPIError(t, err, "InvalidIPAddress.InUse", "Address 10.0.1.21 is in use.")
	_, err = e.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: free.NetworkInterface.NetworkInterfaceId,
		PrivateIpAddresses: []string{"10.0.1.21"}, AllowReassignment: aws.Bool(true)})
	must(t, err)
	if _, all := addrs(one); len(all) != 2 || all[1] != "10.0.1.22" {
		t.Errorf("after the reassignment the first interface has %v, want 10.0.1.20 and 10.0.1.22", all)
	}
	if _, all := addrs(free.NetworkInterface.NetworkInterfaceId); len(all) != 2 || all[1] != "10.0.1.21" {
		t.Errorf("after the reassignment the third interface has %v", all)
	}
	_, err = e.AssignPrivateIpAddresses(ctx, &ec2.AssignPrivateIpAddressesInput{NetworkInterfaceId: free.NetworkInterface.NetworkInterfaceId,
		PrivateIpAddresses: []string{"10.0.1.20"}, AllowReassignment: aws.Bool(true)})
	wantAPIError(t, err, "InvalidIPAddress.InUse", "Address 10.0.1.20 is in use.")
}
