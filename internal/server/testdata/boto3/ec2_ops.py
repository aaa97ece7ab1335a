"""EC2 through boto3: instance stop/start/reboot and attributes, credit
specifications, volumes, DHCP options, VPC peering, managed prefix lists,
VPC and subnet CIDR blocks, subnet CIDR reservations and
ModifySecurityGroupRules, with the errors AWS answers."""
import base64
import ipaddress

from common import client, eventually, fails

ec2 = client("ec2")
ssm = client("ssm")
# EC2 refuses an id that names no image: launch the ECS-optimized AMI.
AMI = ssm.get_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id")["Parameter"]["Value"]


def state(iid):
    return ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]


# Instances: stop, start, reboot, attributes (default VPC, us-east-1a).
iid = ec2.run_instances(ImageId=AMI, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                        Placement={"AvailabilityZone": "us-east-1a"})["Instances"][0]["InstanceId"]
eventually("running", lambda: state(iid)["State"]["Name"] == "running")
fails("IncorrectInstanceState", f"The instance '{iid}' is not in the 'stopped' state.",
      ec2.modify_instance_attribute, InstanceId=iid, InstanceType={"Value": "m5.large"})
ch = ec2.stop_instances(InstanceIds=[iid])["StoppingInstances"][0]
assert (ch["PreviousState"]["Name"], ch["CurrentState"]["Name"], ch["CurrentState"]["Code"]) == ("running", "stopping", 64), ch
eventually("stopped", lambda: state(iid)["State"]["Name"] == "stopped")
assert "PublicIpAddress" not in state(iid)
fails("IncorrectInstanceState", f"The instance '{iid}' is not in a state from which it can be rebooted.", ec2.reboot_instances, InstanceIds=[iid])
ec2.modify_instance_attribute(InstanceId=iid, InstanceType={"Value": "m5.large"})
ec2.modify_instance_attribute(InstanceId=iid, UserData={"Value": b"#!/bin/bash\necho hi\n"})
ud = ec2.describe_instance_attribute(InstanceId=iid, Attribute="userData")["UserData"]["Value"]
assert base64.b64decode(ud) == b"#!/bin/bash\necho hi\n", ud
ec2.modify_instance_attribute(InstanceId=iid, DisableApiTermination={"Value": True})
assert ec2.describe_instance_attribute(InstanceId=iid, Attribute="disableApiTermination")["DisableApiTermination"]["Value"] is True
fails("OperationNotPermitted", f"The instance '{iid}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.",
      ec2.terminate_instances, InstanceIds=[iid])
ec2.modify_instance_attribute(InstanceId=iid, Attribute="disableApiTermination", Value="false")
ch = ec2.start_instances(InstanceIds=[iid])["StartingInstances"][0]
assert (ch["PreviousState"]["Name"], ch["CurrentState"]["Name"]) == ("stopped", "pending"), ch
eventually("running again", lambda: state(iid)["State"]["Name"] == "running")
assert state(iid)["InstanceType"] == "m5.large"
ec2.reboot_instances(InstanceIds=[iid])
fails("InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist", ec2.stop_instances, InstanceIds=["i-0123456789abcdef0"])
burst = ec2.run_instances(ImageId=AMI, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
spec = ec2.describe_instance_credit_specifications(InstanceIds=[burst])["InstanceCreditSpecifications"]
assert spec == [{"InstanceId": burst, "CpuCredits": "unlimited"}], spec

# Volumes.
vol = ec2.create_volume(AvailabilityZone="us-east-1a", Size=10)
assert (vol["State"], vol["VolumeType"], vol["Size"]) == ("creating", "gp2", 10), vol
vid = vol["VolumeId"]
eventually("available", lambda: ec2.describe_volumes(VolumeIds=[vid])["Volumes"][0]["State"] == "available")
other = ec2.create_volume(AvailabilityZone="us-east-1b", Size=10)["VolumeId"]
fails("InvalidVolume.ZoneMismatch", f"The volume '{other}' is not in the same availability zone as instance '{iid}'",
      ec2.attach_volume, VolumeId=other, InstanceId=iid, Device="/dev/sdf")
att = ec2.attach_volume(VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
assert (att["State"], att["Device"], att["InstanceId"]) == ("attaching", "/dev/sdf", iid), att
fails("VolumeInUse", f"Volume {vid} is currently attached to {iid}", ec2.delete_volume, VolumeId=vid)
attached = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [iid]}])["Volumes"]
assert vid in [v["VolumeId"] for v in attached], attached
det = ec2.detach_volume(VolumeId=vid)
assert det["State"] == "detaching", det
eventually("detached", lambda: ec2.describe_volumes(VolumeIds=[vid])["Volumes"][0]["State"] == "available")
ec2.delete_volume(VolumeId=vid)
ec2.delete_volume(VolumeId=other)
fails("InvalidVolume.NotFound", None, ec2.describe_volumes, VolumeIds=[vid])

# DHCP options.
default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
conf = {c["Key"]: c["Values"][0]["Value"] for c in
        ec2.describe_dhcp_options(DhcpOptionsIds=[default_vpc["DhcpOptionsId"]])["DhcpOptions"][0]["DhcpConfigurations"]}
assert conf == {"domain-name": "ec2.internal", "domain-name-servers": "AmazonProvidedDNS"}, conf
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
dopt = ec2.create_dhcp_options(DhcpConfigurations=[{"Key": "domain-name", "Values": ["corp.example"]},
                                                   {"Key": "domain-name-servers", "Values": ["10.0.0.2"]}])["DhcpOptions"]["DhcpOptionsId"]
ec2.associate_dhcp_options(DhcpOptionsId=dopt, VpcId=vpc)
fails("DependencyViolation", f"The dhcpOptions '{dopt}' has dependencies and cannot be deleted.", ec2.delete_dhcp_options, DhcpOptionsId=dopt)
assert [v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "dhcp-options-id", "Values": [dopt]}])["Vpcs"]] == [vpc]
ec2.associate_dhcp_options(DhcpOptionsId="default", VpcId=vpc)
ec2.delete_dhcp_options(DhcpOptionsId=dopt)
fails("InvalidDhcpOptionID.NotFound", f"The dhcpOption ID '{dopt}' does not exist", ec2.describe_dhcp_options, DhcpOptionsIds=[dopt])

# VPC peering.
peer = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer)["VpcPeeringConnection"]
assert pcx["Status"]["Code"] == "initiating-request", pcx
pid = pcx["VpcPeeringConnectionId"]
pending = ec2.describe_vpc_peering_connections(Filters=[{"Name": "status-code", "Values": ["pending-acceptance"]}])["VpcPeeringConnections"]
assert [p["VpcPeeringConnectionId"] for p in pending] == [pid] and pending[0]["AccepterVpcInfo"]["CidrBlock"] == "10.1.0.0/16", pending
assert ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pid)["VpcPeeringConnection"]["Status"]["Code"] == "active"
fails("InvalidStateTransition", f"Invalid state transition for {pid}, attempted to transition from active to active",
      ec2.accept_vpc_peering_connection, VpcPeeringConnectionId=pid)
opts = ec2.modify_vpc_peering_connection_options(VpcPeeringConnectionId=pid,
                                                 RequesterPeeringConnectionOptions={"AllowDnsResolutionFromRemoteVpc": True})
assert opts["RequesterPeeringConnectionOptions"]["AllowDnsResolutionFromRemoteVpc"] is True, opts
rtb = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]["RouteTableId"]
ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="10.1.0.0/16", VpcPeeringConnectionId=pid)
got = ec2.describe_route_tables(Filters=[{"Name": "route.vpc-peering-connection-id", "Values": [pid]}])["RouteTables"]
assert [r["RouteTableId"] for r in got] == [rtb], got
ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock="10.1.0.0/16")
assert ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pid)["Return"] is True
assert ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pid])["VpcPeeringConnections"][0]["Status"]["Code"] in ("deleting", "deleted")
rej = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer)["VpcPeeringConnection"]["VpcPeeringConnectionId"]
assert ec2.reject_vpc_peering_connection(VpcPeeringConnectionId=rej)["Return"] is True
assert ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[rej])["VpcPeeringConnections"][0]["Status"]["Code"] == "rejected"

# Managed prefix lists.
pl = ec2.create_managed_prefix_list(PrefixListName="office", AddressFamily="IPv4", MaxEntries=3,
                                    Entries=[{"Cidr": "203.0.113.0/24", "Description": "HQ"}])["PrefixList"]
plid = pl["PrefixListId"]
assert (pl["Version"], pl["OwnerId"], pl["MaxEntries"]) == (1, "123456789012", 3), pl
assert ec2.modify_managed_prefix_list(PrefixListId=plid, CurrentVersion=1, AddEntries=[{"Cidr": "198.51.100.0/24"}])["PrefixList"]["Version"] == 2
fails("PrefixListVersionMismatch", "The prefix list has the incorrect version number.",
      ec2.modify_managed_prefix_list, PrefixListId=plid, CurrentVersion=1, RemoveEntries=[{"Cidr": "198.51.100.0/24"}])
entries = ec2.get_managed_prefix_list_entries(PrefixListId=plid)["Entries"]
assert sorted(e["Cidr"] for e in entries) == ["198.51.100.0/24", "203.0.113.0/24"], entries
owners = sorted(p["OwnerId"] for p in ec2.describe_managed_prefix_lists()["PrefixLists"])
assert owners == ["123456789012", "AWS", "AWS", "AWS"], owners
assert len(ec2.describe_prefix_lists()["PrefixLists"]) == 2
sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                                                 "PrefixListIds": [{"PrefixListId": plid}]}])
# Deleting a list a rule references is accepted; the deletion then fails.
assert ec2.delete_managed_prefix_list(PrefixListId=plid)["PrefixList"]["State"] == "delete-in-progress"
pl = ec2.describe_managed_prefix_lists(PrefixListIds=[plid])["PrefixLists"][0]
assert pl["State"] == "delete-failed" and pl["StateMessage"] == f"The prefix list {plid} is referenced by security group {sg}.", pl
fails("InvalidPrefixListModification", "The prefix list pl-63a5400a is managed by AWS and cannot be modified.",
      ec2.modify_managed_prefix_list, PrefixListId="pl-63a5400a", PrefixListName="x")

# ModifySecurityGroupRules: the rule keeps its id and tags.
rule = ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                                                                        "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
                                            TagSpecifications=[{"ResourceType": "security-group-rule", "Tags": [{"Key": "k", "Value": "v"}]}])
rid = rule["SecurityGroupRules"][0]["SecurityGroupRuleId"]
assert ec2.modify_security_group_rules(GroupId=sg, SecurityGroupRules=[{"SecurityGroupRuleId": rid, "SecurityGroupRule": {
    "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8081, "CidrIpv4": "10.0.0.0/8", "Description": "internal"}}])["Return"] is True
r = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rid])["SecurityGroupRules"][0]
assert (r["FromPort"], r["ToPort"], r["CidrIpv4"], r["Description"], r["Tags"]) == (8080, 8081, "10.0.0.0/8", "internal", [{"Key": "k", "Value": "v"}]), r
fails("InvalidSecurityGroupRuleId.NotFound", "The security group rule ID 'sgr-0123456789abcdef0' does not exist", ec2.modify_security_group_rules,
      GroupId=sg, SecurityGroupRules=[{"SecurityGroupRuleId": "sgr-0123456789abcdef0", "SecurityGroupRule": {"IpProtocol": "-1", "CidrIpv4": "10.0.0.0/8"}}])
ec2.delete_security_group(GroupId=sg)
ec2.delete_managed_prefix_list(PrefixListId=plid)

# VPC CIDR blocks: a secondary IPv4 block and an Amazon-provided IPv6 one.
a = ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.2.0.0/16")
assert (a["VpcId"], a["CidrBlockAssociation"]["CidrBlock"]) == (vpc, "10.2.0.0/16"), a
assoc = a["CidrBlockAssociation"]["AssociationId"]
try:
    ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.2.128.0/17")
    raise AssertionError("an overlapping block was associated")
except ec2.exceptions.ClientError:
    pass
sub = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
fails("InvalidCidrBlock.InUse", f"The vpc {vpc} currently has a subnet within CIDR block 10.2.0.0/16", ec2.disassociate_vpc_cidr_block, AssociationId=assoc)
v6 = ec2.associate_vpc_cidr_block(VpcId=vpc, AmazonProvidedIpv6CidrBlock=True)["Ipv6CidrBlockAssociation"]
eventually("IPv6 block associated", lambda: any(b["Ipv6CidrBlockState"]["State"] == "associated"
                                                for b in ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0].get("Ipv6CidrBlockAssociationSet", [])))
block = next(b for b in ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"] if b["AssociationId"] == v6["AssociationId"])
net = ipaddress.ip_network(block["Ipv6CidrBlock"])
assert net.prefixlen == 56, block
sub64 = str(next(net.subnets(new_prefix=64)))
sa = ec2.associate_subnet_cidr_block(SubnetId=sub, Ipv6CidrBlock=sub64)
assert (sa["SubnetId"], sa["Ipv6CidrBlockAssociation"]["Ipv6CidrBlock"]) == (sub, sub64), sa
got = ec2.describe_subnets(SubnetIds=[sub])["Subnets"][0]["Ipv6CidrBlockAssociationSet"]
assert [b["Ipv6CidrBlock"] for b in got] == [sub64], got
d = ec2.disassociate_subnet_cidr_block(AssociationId=sa["Ipv6CidrBlockAssociation"]["AssociationId"])
assert d["Ipv6CidrBlockAssociation"]["Ipv6CidrBlockState"]["State"] in ("disassociating", "disassociated"), d

# Subnet CIDR reservations: no address is assigned from them.
res = ec2.create_subnet_cidr_reservation(SubnetId=sub, Cidr="10.2.1.0/28", ReservationType="explicit", Description="appliances")
res = res["SubnetCidrReservation"]
assert (res["Cidr"], res["ReservationType"], res["Description"]) == ("10.2.1.0/28", "explicit", "appliances"), res
try:
    ec2.create_subnet_cidr_reservation(SubnetId=sub, Cidr="10.2.1.8/29", ReservationType="prefix")
    raise AssertionError("an overlapping reservation was created")
except ec2.exceptions.ClientError:
    pass
eni = ec2.create_network_interface(SubnetId=sub)["NetworkInterface"]
assert eni["PrivateIpAddress"] == "10.2.1.16", eni["PrivateIpAddress"]
got = ec2.get_subnet_cidr_reservations(SubnetId=sub)
assert [r["SubnetCidrReservationId"] for r in got["SubnetIpv4CidrReservations"]] == [res["SubnetCidrReservationId"]], got
assert got["SubnetIpv6CidrReservations"] == [], got
ec2.delete_subnet_cidr_reservation(SubnetCidrReservationId=res["SubnetCidrReservationId"])
assert ec2.get_subnet_cidr_reservations(SubnetId=sub)["SubnetIpv4CidrReservations"] == []
ec2.delete_network_interface(NetworkInterfaceId=eni["NetworkInterfaceId"])
ec2.delete_subnet(SubnetId=sub)
d = ec2.disassociate_vpc_cidr_block(AssociationId=assoc)
assert d["CidrBlockAssociation"]["CidrBlockState"]["State"] in ("disassociating", "disassociated"), d
print("PASS")
