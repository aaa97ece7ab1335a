package server_test

import (
	"net/netip"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// DeleteOnTermination=false on the launch interface: the interface
// outlives its instance, detached and available, without the public IP.
func TestLaunchENIKeptOnTermination(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	subs, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{filter("default-for-az", "true"), filter("availability-zone", "us-east-1a")}})
	must(t, err)
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		NetworkInterfaces: []ec2types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: subs.Subnets[0].SubnetId,
			DeleteOnTermination: aws.Bool(false), AssociatePublicIpAddress: aws.Bool(true)}}})
	must(t, err)
	inst := r.Instances[0]
	eni := aws.ToString(inst.NetworkInterfaces[0].NetworkInterfaceId)
	if aws.ToBool(inst.NetworkInterfaces[0].Attachment.DeleteOnTermination) {
		t.Error("the attachment says DeleteOnTermination true")
	}
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(inst.InstanceId)}})
	must(t, err)
	waitState(t, e, aws.ToString(inst.InstanceId), ec2types.InstanceStateNameTerminated)
	d, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
	must(t, err)
	n := d.NetworkInterfaces[0]
	if n.Status != ec2types.NetworkInterfaceStatusAvailable || n.Attachment != nil || n.Association != nil {
		t.Errorf("kept interface: status %s, attachment %+v, association %+v", n.Status, n.Attachment, n.Association)
	}
	_, err = e.DeleteNetworkInterface(ctx, &ec2.DeleteNetworkInterfaceInput{NetworkInterfaceId: &eni})
	must(t, err)
}

// Security group rules are resources with tags: CreateTags on sgr-…,
// TagSpecifications on AuthorizeSecurityGroupIngress, tags in
// DescribeSecurityGroupRules (and its tag: filters) and DescribeTags.
func TestSecurityGroupRuleTags(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
	must(t, err)
	a, err := e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}},
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSecurityGroupRule, Tags: []ec2types.Tag{{Key: aws.String("app"), Value: aws.String("web")}}}}})
	must(t, err)
	rule := a.SecurityGroupRules[0]
	if len(rule.Tags) != 1 || aws.ToString(rule.Tags[0].Value) != "web" {
		t.Errorf("AuthorizeSecurityGroupIngress rule tags: %+v", rule.Tags)
	}
	id := aws.ToString(rule.SecurityGroupRuleId)
	_, err = e.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("https")}}})
	must(t, err)
	d, err := e.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []ec2types.Filter{filter("tag:Name", "https")}})
	must(t, err)
	if len(d.SecurityGroupRules) != 1 || aws.ToString(d.SecurityGroupRules[0].SecurityGroupRuleId) != id || len(d.SecurityGroupRules[0].Tags) != 2 {
		t.Fatalf("rules tagged Name=https: %+v", d.SecurityGroupRules)
	}
	tags, err := e.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []ec2types.Filter{filter("resource-id", id)}})
	must(t, err)
	if len(tags.Tags) != 2 || tags.Tags[0].ResourceType != ec2types.ResourceTypeSecurityGroupRule {
		t.Errorf("DescribeTags of %s: %+v", id, tags.Tags)
	}
	_, err = e.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: []ec2types.Tag{{Key: aws.String("app")}}})
	must(t, err)
	_, err = e.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{"sgr-0123456789abcdef0"}, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	wantAPIError(t, err, "InvalidSecurityGroupRuleId.NotFound", "The security group rule ID 'sgr-0123456789abcdef0' does not exist")
}

// A group id filter that is not a group id is InvalidGroupId.Malformed.
func TestSecurityGroupRulesMalformedFilter(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	_, err := e.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []ec2types.Filter{filter("group-id", "foo")}})
	wantAPIError(t, err, "InvalidGroupId.Malformed", "The security group ID 'foo' is malformed")
	d, err := e.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []ec2types.Filter{filter("group-id", "sg-0123456789abcdef0")}})
	must(t, err)
	if len(d.SecurityGroupRules) != 0 {
		t.Errorf("rules of a group that does not exist: %+v", d.SecurityGroupRules)
	}
}

// ModifySecurityGroupRules changes a rule in place: same id, same tags.
func TestModifySecurityGroupRules(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
	must(t, err)
	a, err := e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
			IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}},
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSecurityGroupRule, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}})
	must(t, err)
	id := a.SecurityGroupRules[0].SecurityGroupRuleId
	_, err = e.ModifySecurityGroupRules(ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: g.GroupId, SecurityGroupRules: []ec2types.SecurityGroupRuleUpdate{{
		SecurityGroupRuleId: id, SecurityGroupRule: &ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(8080), ToPort: aws.Int32(8081),
			CidrIpv4: aws.String("10.0.0.0/8"), Description: aws.String("internal")}}}})
	must(t, err)
	d, err := e.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{aws.ToString(id)}})
	must(t, err)
	r := d.SecurityGroupRules[0]
	if aws.ToInt32(r.FromPort) != 8080 || aws.ToInt32(r.ToPort) != 8081 || aws.ToString(r.CidrIpv4) != "10.0.0.0/8" || aws.ToString(r.Description) != "internal" || len(r.Tags) != 1 {
		t.Errorf("modified rule: %d-%d %s %q tags %v", aws.ToInt32(r.FromPort), aws.ToInt32(r.ToPort), aws.ToString(r.CidrIpv4), aws.ToString(r.Description), r.Tags)
	}
	_, err = e.ModifySecurityGroupRules(ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: g.GroupId, SecurityGroupRules: []ec2types.SecurityGroupRuleUpdate{{
		SecurityGroupRuleId: aws.String("sgr-0123456789abcdef0"), SecurityGroupRule: &ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("-1"), CidrIpv4: aws.String("10.0.0.0/8")}}}})
	wantAPIError(t, err, "InvalidSecurityGroupRuleId.NotFound", "The security group rule ID 'sgr-0123456789abcdef0' does not exist")
}

// A secondary IPv4 block: associated with a local route in every route
// table, refused while a subnet uses it, then disassociated.
func TestVpcCidrBlocks(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	vpc := v.Vpc.VpcId
	a, err := e.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: vpc, CidrBlock: aws.String("10.1.0.0/16")})
	must(t, err)
	assoc := a.CidrBlockAssociation.AssociationId
	rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("vpc-id", aws.ToString(vpc))}})
	must(t, err)
	locals := 0
	for _, r := range rts.RouteTables[0].Routes {
		if aws.ToString(r.GatewayId) == "local" {
			locals++
		}
	}
	if locals != 2 {
		t.Errorf("%d local routes, want 2", locals)
	}
	_, err = e.AssociateVpcCidrBlock(ctx, &ec2.AssociateVpcCidrBlockInput{VpcId: vpc, CidrBlock: aws.String("10.1.128.0/17")})
	if err == nil {
		t.Error("an overlapping block was associated")
	}
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.1.1.0/24")})
	must(t, err)
	_, err = e.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: assoc})
	wantAPIError(t, err, "InvalidCidrBlock.InUse", "The vpc "+aws.ToString(vpc)+" currently has a subnet within CIDR block 10.1.0.0/16")
	_, err = e.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: s.Subnet.SubnetId})
	must(t, err)
	_, err = e.DisassociateVpcCidrBlock(ctx, &ec2.DisassociateVpcCidrBlockInput{AssociationId: assoc})
	must(t, err)
	d, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(vpc)}})
	must(t, err)
	if len(d.Vpcs[0].CidrBlockAssociationSet) != 1 {
		t.Errorf("blocks after disassociation: %+v", d.Vpcs[0].CidrBlockAssociationSet)
	}
}

// DHCP options: the region's default set (the default VPC uses it), sets
// of one's own, associations, and deletion only when unused.
func TestDhcpOptions(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	def := defaultVpcOf(t, e)
	d, err := e.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{aws.ToString(def.DhcpOptionsId)}})
	must(t, err)
	conf := map[string]string{}
	for _, c := range d.DhcpOptions[0].DhcpConfigurations {
		conf[aws.ToString(c.Key)] = aws.ToString(c.Values[0].Value)
	}
	if conf["domain-name"] != "ec2.internal" || conf["domain-name-servers"] != "AmazonProvidedDNS" {
		t.Errorf("default set: %v", conf)
	}
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	if aws.ToString(v.Vpc.DhcpOptionsId) != aws.ToString(def.DhcpOptionsId) {
		t.Errorf("a new VPC uses %s, want the default set %s", aws.ToString(v.Vpc.DhcpOptionsId), aws.ToString(def.DhcpOptionsId))
	}
	c, err := e.CreateDhcpOptions(ctx, &ec2.CreateDhcpOptionsInput{DhcpConfigurations: []ec2types.NewDhcpConfiguration{
		{Key: aws.String("domain-name"), Values: []string{"corp.example"}}, {Key: aws.String("domain-name-servers"), Values: []string{"10.0.0.2", "10.0.0.3"}}}})
	must(t, err)
	id := aws.ToString(c.DhcpOptions.DhcpOptionsId)
	_, err = e.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: &id, VpcId: v.Vpc.VpcId})
	must(t, err)
	_, err = e.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: &id})
	wantAPIError(t, err, "DependencyViolation", "The dhcpOptions '"+id+"' has dependencies and cannot be deleted.")
	f, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{filter("dhcp-options-id", id)}})
	must(t, err)
	if len(f.Vpcs) != 1 {
		t.Errorf("%d VPCs use %s", len(f.Vpcs), id)
	}
	_, err = e.AssociateDhcpOptions(ctx, &ec2.AssociateDhcpOptionsInput{DhcpOptionsId: aws.String("default"), VpcId: v.Vpc.VpcId})
	must(t, err)
	_, err = e.DeleteDhcpOptions(ctx, &ec2.DeleteDhcpOptionsInput{DhcpOptionsId: &id})
	must(t, err)
	_, err = e.DescribeDhcpOptions(ctx, &ec2.DescribeDhcpOptionsInput{DhcpOptionsIds: []string{id}})
	wantAPIError(t, err, "InvalidDhcpOptionID.NotFound", "The dhcpOption ID '"+id+"' does not exist")
}

// Volumes: the root volume of an instance (deleted with it unless told
// otherwise), volumes of one's own, attach and detach with AWS's errors.
func TestVolumes(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		Placement:           &ec2types.Placement{AvailabilityZone: aws.String("us-east-1a")},
		BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(30), DeleteOnTermination: aws.Bool(false)}}}})
	must(t, err)
	id := aws.ToString(r.Instances[0].InstanceId)
	inst := waitState(t, e, id, ec2types.InstanceStateNameRunning)
	if len(inst.BlockDeviceMappings) != 1 || aws.ToString(inst.BlockDeviceMappings[0].DeviceName) != "/dev/xvda" {
		t.Fatalf("block devices: %+v", inst.BlockDeviceMappings)
	}
	root := aws.ToString(inst.BlockDeviceMappings[0].Ebs.VolumeId)
	v, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(10)})
	must(t, err)
	vol := aws.ToString(v.VolumeId)
	if v.State != ec2types.VolumeStateCreating || v.VolumeType != ec2types.VolumeTypeGp2 {
		t.Errorf("CreateVolume: %s %s", v.State, v.VolumeType)
	}
	other, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1b"), Size: aws.Int32(10)})
	must(t, err)
	_, err = e.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: other.VolumeId, InstanceId: &id, Device: aws.String("/dev/sdf")})
	wantAPIError(t, err, "InvalidVolume.ZoneMismatch", "The volume '"+aws.ToString(other.VolumeId)+"' is not in the same availability zone as instance '"+id+"'")
	a, err := e.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: &vol, InstanceId: &id, Device: aws.String("/dev/sdf")})
	must(t, err)
	if a.State != ec2types.VolumeAttachmentStateAttaching {
		t.Errorf("AttachVolume: %s", a.State)
	}
	_, err = e.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: &vol})
	wantAPIError(t, err, "VolumeInUse", "Volume "+vol+" is currently attached to "+id)
	_, err = e.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: &root})
	wantAPIError(t, err, "OperationNotPermitted", "Unable to detach root volume '"+root+"' from instance '"+id+"'")
	d, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{filter("attachment.instance-id", id)}})
	must(t, err)
	if len(d.Volumes) != 2 {
		t.Errorf("%d volumes attached to %s, want 2", len(d.Volumes), id)
	}
	for _, x := range d.Volumes {
		if aws.ToString(x.VolumeId) == root && aws.ToInt32(x.Size) != 30 {
			t.Errorf("root volume size %d", aws.ToInt32(x.Size))
		}
	}
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	waitState(t, e, id, ec2types.InstanceStateNameTerminated)
	// The root volume was kept (DeleteOnTermination false); the attached
	// one did not delete on termination either (AttachVolume's default).
	d, err = e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{root, vol}})
	must(t, err)
	for _, x := range d.Volumes {
		if x.State != ec2types.VolumeStateAvailable || len(x.Attachments) != 0 {
			t.Errorf("%s after termination: %s %+v", aws.ToString(x.VolumeId), x.State, x.Attachments)
		}
	}
	_, err = e.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: &vol})
	must(t, err)
}

// IPv6 subnet CIDR reservations lie in the subnet's IPv6 block and are
// listed apart from the IPv4 ones (moto's
// test_subnets.py::test_get_subnet_cidr_reservations_dual).
func TestSubnetCidrReservationsIPv6(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(t, err)
	vpc56 := netip.MustParsePrefix(aws.ToString(v.Vpc.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock))
	sub64 := netip.PrefixFrom(vpc56.Addr(), 64)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.0.0/24"), Ipv6CidrBlock: aws.String(sub64.String())})
	must(t, err)
	sid := s.Subnet.SubnetId
	v4, err := e.CreateSubnetCidrReservation(ctx, &ec2.CreateSubnetCidrReservationInput{SubnetId: sid, Cidr: aws.String("10.0.0.0/32"),
		ReservationType: ec2types.SubnetCidrReservationTypePrefix})
	must(t, err)
	v6cidr := netip.PrefixFrom(sub64.Addr().Next().Next(), 127).String()
	v6, err := e.CreateSubnetCidrReservation(ctx, &ec2.CreateSubnetCidrReservationInput{SubnetId: sid, Cidr: aws.String(v6cidr),
		ReservationType: ec2types.SubnetCidrReservationTypePrefix})
	must(t, err)
	if aws.ToString(v6.SubnetCidrReservation.Cidr) != v6cidr {
		t.Errorf("IPv6 reservation %s, want %s", aws.ToString(v6.SubnetCidrReservation.Cidr), v6cidr)
	}
	// Outside the subnet's IPv6 block (another /64 of the VPC's /56).
	other := netip.PrefixFrom(netip.AddrFrom16(func() [16]byte { b := sub64.Addr().As16(); b[7] = 1; return b }()), 127).String()
	_, err = e.CreateSubnetCidrReservation(ctx, &ec2.CreateSubnetCidrReservationInput{SubnetId: sid, Cidr: aws.String(other),
		ReservationType: ec2types.SubnetCidrReservationTypePrefix})
	wantAPIError(t, err, "InvalidParameterValue", "Reservation CIDR should be within subnet CIDR block ("+sub64.String()+")")
	g, err := e.GetSubnetCidrReservations(ctx, &ec2.GetSubnetCidrReservationsInput{SubnetId: sid})
	must(t, err)
	if len(g.SubnetIpv4CidrReservations) != 1 || aws.ToString(g.SubnetIpv4CidrReservations[0].SubnetCidrReservationId) != aws.ToString(v4.SubnetCidrReservation.SubnetCidrReservationId) ||
		len(g.SubnetIpv6CidrReservations) != 1 || aws.ToString(g.SubnetIpv6CidrReservations[0].SubnetCidrReservationId) != aws.ToString(v6.SubnetCidrReservation.SubnetCidrReservationId) {
		t.Errorf("reservations: IPv4 %+v, IPv6 %+v", g.SubnetIpv4CidrReservations, g.SubnetIpv6CidrReservations)
	}
	// A subnet without an IPv6 block takes no IPv6 reservation.
	s2, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	must(t, err)
	_, err = e.CreateSubnetCidrReservation(ctx, &ec2.CreateSubnetCidrReservationInput{SubnetId: s2.Subnet.SubnetId, Cidr: aws.String(v6cidr),
		ReservationType: ec2types.SubnetCidrReservationTypeExplicit})
	wantAPIError(t, err, "InvalidParameterValue", "Reservation CIDR should be within subnet CIDR block (10.0.1.0/24)")
}

// Subnet CIDR reservations: AWS assigns no address from them.
func TestSubnetCidrReservations(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	must(t, err)
	r, err := e.CreateSubnetCidrReservation(ctx, &ec2.CreateSubnetCidrReservationInput{SubnetId: s.Subnet.SubnetId, Cidr: aws.String("10.0.1.0/28"),
		ReservationType: ec2types.SubnetCidrReservationTypeExplicit, Description: aws.String("appliances")})
	must(t, err)
	_, err = e.CreateSubnetCidrReservation(ctx, &ec2.CreateSubnetCidrReservationInput{SubnetId: s.Subnet.SubnetId, Cidr: aws.String("10.0.1.8/29"),
		ReservationType: ec2types.SubnetCidrReservationTypePrefix})
	wantAPIError(t, err, "InvalidParameterValue", "Reservation CIDR 10.0.1.8/29 has overlap with existing reserved CIDR block")
	n, err := e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: s.Subnet.SubnetId})
	must(t, err)
	if got := aws.ToString(n.NetworkInterface.PrivateIpAddress); got != "10.0.1.16" {
		t.Errorf("first free address %s, want 10.0.1.16 (after the reserved 10.0.1.0/28)", got)
	}
	g, err := e.GetSubnetCidrReservations(ctx, &ec2.GetSubnetCidrReservationsInput{SubnetId: s.Subnet.SubnetId})
	must(t, err)
	if len(g.SubnetIpv4CidrReservations) != 1 || aws.ToString(g.SubnetIpv4CidrReservations[0].Description) != "appliances" {
		t.Errorf("reservations: %+v", g.SubnetIpv4CidrReservations)
	}
	_, err = e.DeleteSubnetCidrReservation(ctx, &ec2.DeleteSubnetCidrReservationInput{SubnetCidrReservationId: r.SubnetCidrReservation.SubnetCidrReservationId})
	must(t, err)
	_, err = e.DeleteSubnetCidrReservation(ctx, &ec2.DeleteSubnetCidrReservationInput{SubnetCidrReservationId: r.SubnetCidrReservation.SubnetCidrReservationId})
	wantAPIError(t, err, "InvalidSubnetCidrReservationID.NotFound", "The subnet-cidr-reservation ID '"+aws.ToString(r.SubnetCidrReservation.SubnetCidrReservationId)+"' does not exist")
	n, err = e.CreateNetworkInterface(ctx, &ec2.CreateNetworkInterfaceInput{SubnetId: s.Subnet.SubnetId})
	must(t, err)
	if got := aws.ToString(n.NetworkInterface.PrivateIpAddress); got != "10.0.1.4" {
		t.Errorf("first free address after deletion %s, want 10.0.1.4", got)
	}
}
