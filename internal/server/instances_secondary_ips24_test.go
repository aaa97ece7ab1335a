package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// RunInstances gives the primary network interface the secondary private
// IPv4 addresses its specification asks for: the entries of
// PrivateIpAddresses not marked primary, or SecondaryPrivateIpAddressCount
// more (moto's test_run_instance_in_subnet_with_nic_private_ip_and_public_association,
// with addresses outside the subnet's reserved range).
func TestRunInstancesSecondaryPrivateIPs(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.26.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.26.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	run := func(nic ec2types.InstanceNetworkInterfaceSpecification, count int32) (*ec2.RunInstancesOutput, error) {
		nic.DeviceIndex, nic.SubnetId = aws.Int32(0), s.Subnet.SubnetId
		return e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(count), MaxCount: aws.Int32(count),
			InstanceType: ec2types.InstanceTypeT3Micro, NetworkInterfaces: []ec2types.InstanceNetworkInterfaceSpecification{nic}})
	}
	addrs := func(id *string) (primary string, all []string) {
		t.Helper()
		d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{aws.ToString(id)}})
		must(t, err)
		i := d.Reservations[0].Instances[0]
		for _, p := range i.NetworkInterfaces[0].PrivateIpAddresses {
			all = append(all, aws.ToString(p.PrivateIpAddress))
			if aws.ToBool(p.Primary) != (aws.ToString(p.PrivateIpAddress) == aws.ToString(i.PrivateIpAddress)) {
				t.Errorf("%s: %s primary %v, the instance's address %s", aws.ToString(id), aws.ToString(p.PrivateIpAddress), aws.ToBool(p.Primary), aws.ToString(i.PrivateIpAddress))
			}
		}
		return aws.ToString(i.PrivateIpAddress), all
	}

	r, err := run(ec2types.InstanceNetworkInterfaceSpecification{PrivateIpAddresses: []ec2types.PrivateIpAddressSpecification{
		{PrivateIpAddress: aws.String("10.26.1.13"), Primary: aws.Bool(true)},
		{PrivateIpAddress: aws.String("10.26.1.14"), Primary: aws.Bool(false)}}}, 1)
	must(t, err)
	if got := r.Instances[0].NetworkInterfaces[0].PrivateIpAddresses; len(got) != 2 || aws.ToString(got[1].PrivateIpAddress) != "10.26.1.14" {
		t.Errorf("RunInstances answer: %+v", got)
	}
	if p, all := addrs(r.Instances[0].InstanceId); p != "10.26.1.13" || !slices.Equal(all, []string{"10.26.1.13", "10.26.1.14"}) {
		t.Errorf("by address: primary %s, addresses %v", p, all)
	}

	r, err = run(ec2types.InstanceNetworkInterfaceSpecification{SecondaryPrivateIpAddressCount: aws.Int32(2)}, 2)
	must(t, err)
	seen := map[string]bool{"10.26.1.13": true, "10.26.1.14": true}
	for _, i := range r.Instances {
		p, all := addrs(i.InstanceId)
		if len(all) != 3 || all[0] != p {
			t.Errorf("by count: primary %s, addresses %v", p, all)
		}
		for _, a := range all {
			if seen[a] {
				t.Errorf("address %s given twice", a)
			}
			seen[a] = true
		}
	}

	_, err = run(ec2types.InstanceNetworkInterfaceSpecification{SecondaryPrivateIpAddressCount: aws.Int32(1),
		PrivateIpAddresses: []ec2types.PrivateIpAddressSpecification{{PrivateIpAddress: aws.String("10.26.1.30"), Primary: aws.Bool(true)},
			{PrivateIpAddress: aws.String("10.26.1.31")}}}, 1)
	wantAPIError(t, err, "InvalidParameterCombination", "Secondary private IP addresses and secondary private IP address count may not be specified on the same request")
	_, err = run(ec2types.InstanceNetworkInterfaceSpecification{PrivateIpAddresses: []ec2types.PrivateIpAddressSpecification{
		{PrivateIpAddress: aws.String("10.26.1.40"), Primary: aws.Bool(true)}, {PrivateIpAddress: aws.String("10.26.1.14")}}}, 1)
	wantAPIError(t, err, "InvalidIPAddress.InUse", "Address 10.26.1.14 is in use.")
	// The failed launch left nothing behind: 10.26.1.40 is free.
	_, err = e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: s.Subnet.SubnetId, PrivateIpAddress: aws.String("10.26.1.40")})
	must(t, err)
}

// DescribeInstances filters on its instances' network interfaces by the
// names the API documents: network-interface.private-dns-name (moto's
// test_get_instances_filtering_by_ni_private_dns), .status,
// .attachment.instance-id, .attachment.status, .addresses.primary.
func TestDescribeInstancesNetworkInterfaceFilters(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: s.Subnet.SubnetId, PrivateIpAddress: aws.String("10.0.0.10")})
	must(t, err)
	id := aws.ToString(r.Instances[0].InstanceId)
	other, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: s.Subnet.SubnetId, PrivateIpAddress: aws.String("10.0.0.11")})
	must(t, err)
	find := func(name string, values ...string) []string {
		t.Helper()
		d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String(name), Values: values}}})
		must(t, err)
		var ids []string
		for _, res := range d.Reservations {
			for _, i := range res.Instances {
				ids = append(ids, aws.ToString(i.InstanceId))
			}
		}
		return ids
	}
	if got := find("network-interface.private-dns-name", "ip-10-0-0-10.ec2.internal"); !slices.Equal(got, []string{id}) {
		t.Errorf("network-interface.private-dns-name: %v, want [%s]", got, id)
	}
	if got := find("network-interface.private-dns-name", "ip-10-0-0-99.ec2.internal"); len(got) != 0 {
		t.Errorf("network-interface.private-dns-name of no interface: %v", got)
	}
	if got := find("network-interface.attachment.instance-id", id); !slices.Equal(got, []string{id}) {
		t.Errorf("network-interface.attachment.instance-id: %v", got)
	}
	for _, f := range [][2]string{{"network-interface.status", "in-use"}, {"network-interface.attachment.status", "attached"}, {"network-interface.addresses.primary", "true"}} {
		got := find(f[0], f[1])
		if !slices.Contains(got, id) || !slices.Contains(got, aws.ToString(other.Instances[0].InstanceId)) {
			t.Errorf("%s=%s: %v", f[0], f[1], got)
		}
	}
	if got := find("network-interface.status", "available"); len(got) != 0 {
		t.Errorf("network-interface.status=available: %v", got)
	}
}

// DescribeInstances takes the instance-level filters the API documents
// with the values DescribeInstances answers (hypervisor, virtualization
// type, root device, block device mappings, EBS optimization, the zone id,
// the public address's owner), and the ones for attributes no ecsnet
// instance has (kernel, ramdisk, platform) are valid and match none.
func TestDescribeInstancesDocumentedFilters(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	igw, err := e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(t, err)
	_, err = e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: v.Vpc.VpcId})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro, NetworkInterfaces: []ec2types.InstanceNetworkInterfaceSpecification{
			{DeviceIndex: aws.Int32(0), SubnetId: s.Subnet.SubnetId, AssociatePublicIpAddress: aws.Bool(true)}}})
	must(t, err)
	id := aws.ToString(r.Instances[0].InstanceId)
	d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	i := d.Reservations[0].Instances[0]
	if len(i.BlockDeviceMappings) == 0 || i.NetworkInterfaces[0].Association == nil {
		t.Fatalf("instance without a root volume or a public address: %+v", i)
	}
	find := func(name string, values ...string) []string {
		t.Helper()
		d, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String(name), Values: values}}})
		must(t, err)
		var ids []string
		for _, res := range d.Reservations {
			for _, i := range res.Instances {
				ids = append(ids, aws.ToString(i.InstanceId))
			}
		}
		return ids
	}
	for _, f := range [][2]string{
		{"hypervisor", string(i.Hypervisor)}, {"virtualization-type", string(i.VirtualizationType)},
		{"root-device-type", string(i.RootDeviceType)}, {"root-device-name", aws.ToString(i.RootDeviceName)},
		{"ebs-optimized", "false"}, {"availability-zone-id", aws.ToString(i.Placement.AvailabilityZoneId)},
		{"block-device-mapping.volume-id", aws.ToString(i.BlockDeviceMappings[0].Ebs.VolumeId)},
		{"block-device-mapping.device-name", aws.ToString(i.BlockDeviceMappings[0].DeviceName)},
		{"network-interface.association.ip-owner-id", aws.ToString(i.NetworkInterfaces[0].Association.IpOwnerId)},
		{"network-interface.addresses.association.public-ip", aws.ToString(i.PublicIpAddress)},
	} {
		if got := find(f[0], f[1]); !slices.Equal(got, []string{id}) {
			t.Errorf("%s=%s: %v, want [%s]", f[0], f[1], got, id)
		}
	}
	for _, f := range [][2]string{{"ebs-optimized", "true"}, {"kernel-id", "aki-12345678"}, {"platform", "windows"}, {"block-device-mapping.volume-id", "vol-0123456789abcdef0"}} {
		if got := find(f[0], f[1]); len(got) != 0 {
			t.Errorf("%s=%s: %v, want none", f[0], f[1], got)
		}
	}
}

// DescribeInstanceStatus takes the documented status filters with the
// values it answers: an instance's checks are "ok" (reachability
// "passed") once it runs and "initializing" while it is pending; no
// instance has scheduled events.
func TestDescribeInstanceStatusFilters(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: s.Subnet.SubnetId})
	must(t, err)
	id := aws.ToString(r.Instances[0].InstanceId)
	find := func(name string, values ...string) (ids []string) {
		t.Helper()
		d, err := e.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true),
			Filters: []ec2types.Filter{{Name: aws.String(name), Values: values}}})
		must(t, err)
		for _, st := range d.InstanceStatuses {
			ids = append(ids, aws.ToString(st.InstanceId))
		}
		return ids
	}
	for _, f := range [][]string{{"instance-status.status", "ok", "initializing"}, {"system-status.status", "ok", "initializing"},
		{"instance-status.reachability", "passed", "initializing"}, {"system-status.reachability", "passed", "initializing"}, {"availability-zone-id", "use1-az1"}} {
		if got := find(f[0], f[1:]...); !slices.Equal(got, []string{id}) {
			t.Errorf("%s=%v: %v, want [%s]", f[0], f[1:], got, id)
		}
	}
	for _, f := range [][]string{{"instance-status.status", "impaired"}, {"event.code", "system-reboot"}, {"availability-zone-id", "use1-az2"}} {
		if got := find(f[0], f[1:]...); len(got) != 0 {
			t.Errorf("%s=%v: %v, want none", f[0], f[1:], got)
		}
	}
}
