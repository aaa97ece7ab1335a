"""EC2 networking behaviours found by running an external EC2 test suite
against ecsnet serve, each as AWS answers it (sources in
docs/aws-behavior.md): legacy filter names, VPC attributes and tenancy,
the empty tag set of network ACLs, and the name EC2 gives a missing list
parameter."""
from common import client, eventually, fails

ec2 = client("ec2")

# isDefault: the filter's name in the EC2 API reference before is-default;
# EC2 accepts both.
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
for name in ("isDefault", "is-default"):
    got = ec2.describe_vpcs(Filters=[{"Name": name, "Values": ["true"]}])["Vpcs"]
    assert [v["CidrBlock"] for v in got] == ["172.31.0.0/16"], (name, got)
    got = ec2.describe_vpcs(Filters=[{"Name": name, "Values": ["false"]}])["Vpcs"]
    assert [v["VpcId"] for v in got] == [vpc], (name, got)

# enableNetworkAddressUsageMetrics: off on a new VPC, set on its own.
attr = lambda: ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableNetworkAddressUsageMetrics")["EnableNetworkAddressUsageMetrics"]
assert attr() == {"Value": False}
ec2.modify_vpc_attribute(VpcId=vpc, EnableNetworkAddressUsageMetrics={"Value": True})
assert attr() == {"Value": True}
fails("InvalidParameterCombination", "Fields for multiple attribute types specified: enableDnsSupport, enableNetworkAddressUsageMetrics",
      ec2.modify_vpc_attribute, VpcId=vpc,
      EnableNetworkAddressUsageMetrics={"Value": False}, EnableDnsSupport={"Value": True})
assert attr() == {"Value": True}

# ModifyVpcTenancy: a dedicated VPC can be made default, nothing else.
ded = ec2.create_vpc(CidrBlock="10.1.0.0/16", InstanceTenancy="dedicated")["Vpc"]["VpcId"]
fails("UnsupportedTenancy", "The tenancy value dedicated is not supported.", ec2.modify_vpc_tenancy, VpcId=ded, InstanceTenancy="dedicated")
assert ec2.modify_vpc_tenancy(VpcId=ded, InstanceTenancy="default")["ReturnValue"] is True
assert ec2.describe_vpcs(VpcIds=[ded])["Vpcs"][0]["InstanceTenancy"] == "default"
fails("InvalidVpcID.NotFound", None, ec2.modify_vpc_tenancy, VpcId="vpc-0000000000000dead", InstanceTenancy="default")

# A network ACL always carries its (possibly empty) tag set.
acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]
assert acl["Tags"] == [], acl
got = ec2.describe_network_acls(NetworkAclIds=[acl["NetworkAclId"]])["NetworkAcls"][0]
assert got["Tags"] == [], got

# A missing list parameter is named by EC2's internal name.
fails("MissingParameter", "The request must contain the parameter resourceIdSet", ec2.create_tags, Resources=[], Tags=[{"Key": "k", "Value": "v"}])
fails("MissingParameter", "The request must contain the parameter resourceIdSet", ec2.delete_tags, Resources=[], Tags=[{"Key": "k"}])

# CIDRs are kept in canonical form, not refused: 10.20.1.0/16 is 10.20.0.0/16.
v2 = ec2.create_vpc(CidrBlock="10.20.1.0/16")["Vpc"]
assert v2["CidrBlock"] == "10.20.0.0/16", v2
assert ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.20.0.0/16"]}])["Vpcs"][0]["VpcId"] == v2["VpcId"]
sn = ec2.create_subnet(VpcId=v2["VpcId"], CidrBlock="10.20.1.7/24")["Subnet"]
assert sn["CidrBlock"] == "10.20.1.0/24", sn
fails("InvalidSubnet.Conflict", "The CIDR '10.20.1.9/24' conflicts with another subnet", ec2.create_subnet, VpcId=v2["VpcId"], CidrBlock="10.20.1.9/24")
a = ec2.associate_vpc_cidr_block(VpcId=v2["VpcId"], CidrBlock="10.21.5.0/16")["CidrBlockAssociation"]
assert a["CidrBlock"] == "10.21.0.0/16", a
fails("InvalidVpc.Range", "The CIDR '10.30.0.0/15' is invalid.", ec2.create_vpc, CidrBlock="10.30.0.0/15")

# CreateSubnet answers an empty tag set; DescribeSubnets leaves it out.
s3 = ec2.create_subnet(VpcId=v2["VpcId"], CidrBlock="10.20.9.0/24")["Subnet"]
assert s3["Tags"] == [], s3
assert "Tags" not in ec2.describe_subnets(SubnetIds=[s3["SubnetId"]])["Subnets"][0]

# DescribeRegions: the regions a new account has enabled, each with its
# endpoint; an opt-in region by name or with AllRegions.
regions = ec2.describe_regions()["Regions"]
names = [r["RegionName"] for r in regions]
assert "us-east-1" in names and "eu-west-1" in names and "ap-east-1" not in names, names
assert all(r["Endpoint"] == f"ec2.{r['RegionName']}.amazonaws.com" and r["OptInStatus"] == "opt-in-not-required" for r in regions), regions
r = ec2.describe_regions(RegionNames=["ap-east-1"])["Regions"]
assert r == [{"RegionName": "ap-east-1", "Endpoint": "ec2.ap-east-1.amazonaws.com", "OptInStatus": "not-opted-in"}], r
assert "ap-east-1" in [r["RegionName"] for r in ec2.describe_regions(AllRegions=True)["Regions"]]
got = ec2.describe_regions(Filters=[{"Name": "region-name", "Values": ["us-west-2"]}])["Regions"]
assert [r["RegionName"] for r in got] == ["us-west-2"], got

# UpdateSecurityGroupRuleDescriptionsIngress/Egress: by the rule's
# permission (no description removes it) or by rule id; an unknown rule fails.
sg = ec2.create_security_group(GroupName="descs", Description="d", VpcId=vpc)["GroupId"]
perm = lambda d=None: [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                        "IpRanges": [dict({"CidrIp": "10.9.0.0/16"}, **({"Description": d} if d is not None else {}))]}]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=perm("first"))
ranges = lambda: ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"][0]["IpRanges"]
assert ranges() == [{"CidrIp": "10.9.0.0/16", "Description": "first"}], ranges()
assert ec2.update_security_group_rule_descriptions_ingress(GroupId=sg, IpPermissions=perm("second"))["Return"] is True
assert ranges() == [{"CidrIp": "10.9.0.0/16", "Description": "second"}], ranges()
ec2.update_security_group_rule_descriptions_ingress(GroupId=sg, IpPermissions=perm())
assert ranges() == [{"CidrIp": "10.9.0.0/16"}], ranges()
rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [sg]}])["SecurityGroupRules"]
out = [r for r in rules if r["IsEgress"]][0]["SecurityGroupRuleId"]
ec2.update_security_group_rule_descriptions_egress(GroupId=sg, SecurityGroupRuleDescriptions=[{"SecurityGroupRuleId": out, "Description": "all out"}])
eg = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissionsEgress"][0]["IpRanges"]
assert eg == [{"CidrIp": "0.0.0.0/0", "Description": "all out"}], eg
fails("InvalidPermission.NotFound", "The specified rule does not exist in this security group.",
      ec2.update_security_group_rule_descriptions_ingress, GroupId=sg,
      IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.9.0.0/16", "Description": "x"}]}])
fails("InvalidSecurityGroupRuleId.NotFound", None, ec2.update_security_group_rule_descriptions_egress, GroupId=sg,
      SecurityGroupRuleDescriptions=[{"SecurityGroupRuleId": "sgr-0000000000000dead", "Description": "x"}])

# DHCP options: netbios-node-type is 1, 2, 4 or 8; NTP and NetBIOS name
# servers are addresses.
fails("InvalidParameterValue", "Value (0) for parameter netbios-node-type is invalid. Valid values are 1, 2, 4 and 8.",
      ec2.create_dhcp_options, DhcpConfigurations=[{"Key": "netbios-node-type", "Values": ["0"]}])
fails("InvalidParameterValue", "Value (f) for parameter ntp-servers is invalid. It must be an IP address.",
      ec2.create_dhcp_options, DhcpConfigurations=[{"Key": "ntp-servers", "Values": ["f"]}])
d = ec2.create_dhcp_options(DhcpConfigurations=[{"Key": "netbios-node-type", "Values": ["2"]}, {"Key": "ntp-servers", "Values": ["10.0.0.5"]}])
assert d["DhcpOptions"]["DhcpOptionsId"].startswith("dopt-")

# A rule naming a group of the same VPC lists the pair as UserId and GroupId.
other = ec2.create_security_group(GroupName="other", Description="o", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                                                 "UserIdGroupPairs": [{"GroupId": other}]}])
perms = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"]
pair = [p for p in perms if p.get("FromPort") == 5432][0]["UserIdGroupPairs"]
assert pair == [{"UserId": "123456789012", "GroupId": other}], pair

# AssociateAddress without an address is a missing parameter, not a
# malformed allocation id.
fails("MissingParameter", "The request must contain the parameter allocationId", ec2.associate_address, InstanceId="i-0123456789abcdef0")

# DescribeInstances filters state-reason-code and source-dest-check.
sub = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]["SubnetId"]
i1, i2 = [i["InstanceId"] for i in ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.micro", MinCount=2, MaxCount=2, SubnetId=sub)["Instances"]]
state = lambda i: ec2.describe_instances(InstanceIds=[i])["Reservations"][0]["Instances"][0]["State"]["Name"]
eventually("running", lambda: state(i1) == "running" and state(i2) == "running", timeout=60)
ec2.stop_instances(InstanceIds=[i1])
ids = lambda f: [i["InstanceId"] for r in ec2.describe_instances(Filters=[f])["Reservations"] for i in r["Instances"]]
assert i1 in ids({"Name": "state-reason-code", "Values": ["Client.UserInitiatedShutdown"]}), ec2.describe_instances(InstanceIds=[i1])
assert i2 not in ids({"Name": "state-reason-code", "Values": ["Client.UserInitiatedShutdown"]})
ec2.modify_instance_attribute(InstanceId=i2, SourceDestCheck={"Value": False})
assert ids({"Name": "source-dest-check", "Values": ["false"]}) == [i2]
assert i1 in ids({"Name": "source-dest-check", "Values": ["true"]})

# RunInstances tag specifications: volume tags tag the launch's volumes and
# network-interface tags its interface, not the instance.
inst = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=sub, TagSpecifications=[
    {"ResourceType": "instance", "Tags": [{"Key": "role", "Value": "web"}]},
    {"ResourceType": "volume", "Tags": [{"Key": "disk", "Value": "root"}]},
    {"ResourceType": "network-interface", "Tags": [{"Key": "nic", "Value": "primary"}]}])["Instances"][0]
assert inst["Tags"] == [{"Key": "role", "Value": "web"}], inst["Tags"]
d = ec2.describe_instances(InstanceIds=[inst["InstanceId"]])["Reservations"][0]["Instances"][0]
vol = d["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
assert ec2.describe_volumes(VolumeIds=[vol])["Volumes"][0]["Tags"] == [{"Key": "disk", "Value": "root"}]
eni = d["NetworkInterfaces"][0]["NetworkInterfaceId"]
assert ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]["TagSet"] == [{"Key": "nic", "Value": "primary"}]

# ip-permission.user-id finds rules naming a group; group-name finds none of
# the rules made with a group id.
f = lambda n, v: [g["GroupId"] for g in ec2.describe_security_groups(Filters=[{"Name": n, "Values": [v]}])["SecurityGroups"]]
assert sg in f("ip-permission.user-id", "123456789012")
assert f("ip-permission.group-name", "other") == []
assert f("egress.ip-permission.group-name", "other") == []

# ResetNetworkInterfaceAttribute turns source/destination checking back on.
sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.200.0/24")["Subnet"]["SubnetId"]
eni = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
sdc = lambda: ec2.describe_network_interface_attribute(NetworkInterfaceId=eni, Attribute="sourceDestCheck")["SourceDestCheck"]
ec2.modify_network_interface_attribute(NetworkInterfaceId=eni, SourceDestCheck={"Value": False})
assert sdc() == {"Value": False}
ec2.reset_network_interface_attribute(NetworkInterfaceId=eni, SourceDestCheck="sourceDestCheck")
assert sdc() == {"Value": True}
fails("MissingParameter", None, ec2.reset_network_interface_attribute, NetworkInterfaceId=eni)
fails("InvalidNetworkInterfaceID.NotFound", None, ec2.reset_network_interface_attribute,
      NetworkInterfaceId="eni-0000000000000dead", SourceDestCheck="sourceDestCheck")

# GetManagedPrefixListAssociations: the groups and route tables that use a list.
pvpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
pl = ec2.create_managed_prefix_list(PrefixListName="office", MaxEntries=2, AddressFamily="IPv4",
                                    Entries=[{"Cidr": "203.0.113.0/24"}])["PrefixList"]["PrefixListId"]
assocs = lambda: sorted(a["ResourceId"] for a in ec2.get_managed_prefix_list_associations(PrefixListId=pl)["PrefixListAssociations"])
assert assocs() == []
psg = ec2.create_security_group(GroupName="office", Description="d", VpcId=pvpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=psg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                                                  "PrefixListIds": [{"PrefixListId": pl}]}])
pigw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=pigw, VpcId=pvpc)
prt = ec2.create_route_table(VpcId=pvpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=prt, DestinationPrefixListId=pl, GatewayId=pigw)
assert assocs() == sorted([psg, prt]), assocs()
got = ec2.get_managed_prefix_list_associations(PrefixListId=pl)["PrefixListAssociations"]
assert all(a["ResourceOwner"] == "123456789012" for a in got), got
fails("InvalidPrefixListID.NotFound", None, ec2.get_managed_prefix_list_associations, PrefixListId="pl-0000000000000dead")

# GetSecurityGroupsForVpc: the VPC's own groups (its default group and psg), with filters.
got = ec2.get_security_groups_for_vpc(VpcId=pvpc)["SecurityGroupForVpcs"]
assert sorted(g["GroupName"] for g in got) == ["default", "office"], got
assert all(g["PrimaryVpcId"] == pvpc and g["OwnerId"] == "123456789012" for g in got), got
got = ec2.get_security_groups_for_vpc(VpcId=pvpc, Filters=[{"Name": "group-name", "Values": ["office"]}])["SecurityGroupForVpcs"]
assert [g["GroupId"] for g in got] == [psg], got
fails("InvalidVpcID.NotFound", None, ec2.get_security_groups_for_vpc, VpcId="vpc-0000000000000dead")

# Accept/RejectTransitGatewayVpcAttachment: one account's own attachments are
# accepted at once, so neither applies to them.
tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
eventually("tgw available", lambda: ec2.describe_transit_gateways(TransitGatewayIds=[tgw])["TransitGateways"][0]["State"] == "available")
tsn = ec2.create_subnet(VpcId=pvpc, CidrBlock="10.50.1.0/24")["Subnet"]["SubnetId"]
att = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=pvpc, SubnetIds=[tsn])["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
eventually("attachment available", lambda: ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[att])["TransitGatewayVpcAttachments"][0]["State"] == "available")
fails("IncorrectState", f"Transit Gateway Attachment {att} is in invalid state available.", ec2.accept_transit_gateway_vpc_attachment, TransitGatewayAttachmentId=att)
fails("IncorrectState", None, ec2.reject_transit_gateway_vpc_attachment, TransitGatewayAttachmentId=att)
fails("InvalidTransitGatewayAttachmentID.NotFound", None, ec2.accept_transit_gateway_vpc_attachment, TransitGatewayAttachmentId="tgw-attach-0000000000000dead")
assert ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[att])["TransitGatewayVpcAttachments"][0]["State"] == "available"

# DescribeSecurityGroupReferences: the peered VPCs whose groups name a group.
v1 = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
v2 = ec2.create_vpc(CidrBlock="10.62.0.0/16")["Vpc"]["VpcId"]
pcx = ec2.create_vpc_peering_connection(VpcId=v1, PeerVpcId=v2)["VpcPeeringConnection"]["VpcPeeringConnectionId"]
eventually("peering pending", lambda: ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])["VpcPeeringConnections"][0]["Status"]["Code"] == "pending-acceptance")
ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
eventually("peering active", lambda: ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx])["VpcPeeringConnections"][0]["Status"]["Code"] == "active")
ga = ec2.create_security_group(GroupName="a", Description="d", VpcId=v1)["GroupId"]
gb = ec2.create_security_group(GroupName="b", Description="d", VpcId=v2)["GroupId"]
refs = lambda g: ec2.describe_security_group_references(GroupId=[g])["SecurityGroupReferenceSet"]
assert refs(ga) == [], refs(ga)
ec2.authorize_security_group_ingress(GroupId=gb, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                                                 "UserIdGroupPairs": [{"GroupId": ga, "VpcId": v1, "VpcPeeringConnectionId": pcx}]}])
assert refs(ga) == [{"GroupId": ga, "ReferencingVpcId": v2, "VpcPeeringConnectionId": pcx}], refs(ga)
assert refs(gb) == []
fails("InvalidGroup.NotFound", None, ec2.describe_security_group_references, GroupId=["sg-0000000000000dead"])

# A NAT gateway's id given as GatewayId makes a NAT gateway route.
nsub = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.201.0/24")["Subnet"]["SubnetId"]
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
nat = ec2.create_nat_gateway(SubnetId=nsub, AllocationId=alloc)["NatGateway"]["NatGatewayId"]
nrt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=nrt, DestinationCidrBlock="0.0.0.0/0", GatewayId=nat)
route = [r for r in ec2.describe_route_tables(RouteTableIds=[nrt])["RouteTables"][0]["Routes"]
         if r.get("DestinationCidrBlock") == "0.0.0.0/0"][0]
assert route.get("NatGatewayId") == nat and "GatewayId" not in route, route

# Availability Zones: the zone group and its long name.
zs = ec2.describe_availability_zones()["AvailabilityZones"]
assert {(z["GroupName"], z["GroupLongName"], z["NetworkBorderGroup"]) for z in zs} == {("us-east-1-zg-1", "US East (N. Virginia) 1", "us-east-1")}, zs
assert len(ec2.describe_availability_zones(Filters=[{"Name": "group-name", "Values": ["us-east-1-zg-1"]}])["AvailabilityZones"]) == len(zs)
assert len(ec2.describe_availability_zones(Filters=[{"Name": "group-long-name", "Values": ["US East*"]}])["AvailabilityZones"]) == len(zs)
assert ec2.describe_availability_zones(Filters=[{"Name": "zone-type", "Values": ["local-zone"]}])["AvailabilityZones"] == []
