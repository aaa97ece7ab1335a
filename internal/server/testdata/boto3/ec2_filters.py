"""Describe filters of EC2 networking that the API reference lists and
ecsnet refused as invalid before (docs/aws-behavior.md, VPC): subnets'
IPv6 association, IPv6-only and DNS filters; security groups' IPv6 rule
ranges; network ACL entries' IPv6 ranges and port ranges; interfaces'
zone id and operator; endpoints' address type and Region; a pending
peering connection's expiration time."""
from common import client

ec2 = client("ec2")


def ids(resp, key, idkey):
    return sorted(x[idkey] for x in resp[key])


vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]["VpcId"]
block = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
dual = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone="us-east-1a",
                         Ipv6CidrBlock=block.replace("/56", "/64"))["Subnet"]
v4 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1b")["Subnet"]
ec2.modify_subnet_attribute(SubnetId=v4["SubnetId"], PrivateDnsHostnameTypeOnLaunch="resource-name")
ec2.modify_subnet_attribute(SubnetId=v4["SubnetId"], EnableResourceNameDnsARecordOnLaunch={"Value": True})


def subnets(name, value):
    f = [{"Name": "vpc-id", "Values": [vpc]}, {"Name": name, "Values": [value]}]
    return ids(ec2.describe_subnets(Filters=f), "Subnets", "SubnetId")


assoc = dual["Ipv6CidrBlockAssociationSet"][0]
assert subnets("ipv6-cidr-block-association.ipv6-cidr-block", assoc["Ipv6CidrBlock"]) == [dual["SubnetId"]]
assert subnets("ipv6-cidr-block-association.association-id", assoc["AssociationId"]) == [dual["SubnetId"]]
assert subnets("ipv6-cidr-block-association.state", "associated") == [dual["SubnetId"]]
assert subnets("ipv6-native", "false") == sorted([dual["SubnetId"], v4["SubnetId"]])
assert subnets("ipv6-native", "true") == []
assert subnets("enable-dns64", "false") == sorted([dual["SubnetId"], v4["SubnetId"]])
assert subnets("map-customer-owned-ip-on-launch", "true") == []
assert subnets("private-dns-name-options-on-launch.hostname-type", "resource-name") == [v4["SubnetId"]]
assert subnets("private-dns-name-options-on-launch.hostname-type", "ip-name") == [dual["SubnetId"]]
assert subnets("private-dns-name-options-on-launch.enable-resource-name-dns-a-record", "true") == [v4["SubnetId"]]
assert subnets("private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record", "true") == []

# ip-permission.cidr is an IPv4 range, ip-permission.ipv6-cidr an IPv6 one.
g4 = ec2.create_security_group(GroupName="v4", Description="d", VpcId=vpc)["GroupId"]
g6 = ec2.create_security_group(GroupName="v6", Description="d", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=g4, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "192.0.2.0/24"}]}])
ec2.authorize_security_group_ingress(GroupId=g6, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "Ipv6Ranges": [{"CidrIpv6": "2001:db8::/32"}]}])


def groups(name, value):
    f = [{"Name": "vpc-id", "Values": [vpc]}, {"Name": name, "Values": [value]}]
    return ids(ec2.describe_security_groups(Filters=f), "SecurityGroups", "GroupId")


assert groups("ip-permission.ipv6-cidr", "2001:db8::/32") == [g6]
assert groups("ip-permission.cidr", "2001:db8::/32") == []
assert groups("ip-permission.cidr", "192.0.2.0/24") == [g4]
# A group created in a VPC with an IPv6 block lets all IPv6 traffic out.
assert g4 in groups("egress.ip-permission.ipv6-cidr", "::/0")

# Network ACL entries: IPv4 and IPv6 ranges apart, port ranges by bound.
acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="6", RuleAction="allow", Egress=False,
                             Ipv6CidrBlock="2001:db8::/32", PortRange={"From": 443, "To": 444})


def acls(name, value):
    f = [{"Name": "vpc-id", "Values": [vpc]}, {"Name": name, "Values": [value]}]
    return ids(ec2.describe_network_acls(Filters=f), "NetworkAcls", "NetworkAclId")


assert acls("entry.ipv6-cidr", "2001:db8::/32") == [acl]
assert acls("entry.cidr", "2001:db8::/32") == []
assert acls("entry.port-range.from", "443") == [acl]
assert acls("entry.port-range.to", "444") == [acl]
assert acls("entry.port-range.to", "443") == []

# An ICMP entry keeps its type and code (-1: any), answered as IcmpTypeCode.
ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=110, Protocol="1", RuleAction="allow", Egress=False,
                             CidrBlock="0.0.0.0/0", IcmpTypeCode={"Type": 8, "Code": -1})
ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=120, Protocol="1", RuleAction="deny", Egress=False,
                             CidrBlock="0.0.0.0/0")
entries = {e["RuleNumber"]: e for e in ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]}
assert entries[110]["IcmpTypeCode"] == {"Type": 8, "Code": -1}, entries[110]
assert entries[120]["IcmpTypeCode"] == {"Type": -1, "Code": -1}, entries[120]
assert "IcmpTypeCode" not in entries[100] and "PortRange" not in entries[110]
assert acls("entry.icmp.type", "8") == [acl]
assert acls("entry.icmp.code", "-1") == [acl]
assert acls("entry.icmp.type", "0") == []
try:
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=130, Protocol="1", RuleAction="allow", Egress=False,
                                 CidrBlock="0.0.0.0/0", IcmpTypeCode={"Type": 256, "Code": 0})
    raise AssertionError("ICMP type 256 accepted")
except ec2.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "InvalidParameterValue", e.response
assert 130 not in {e["RuleNumber"] for e in ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]}

# Interfaces by zone id; none is managed by an operator.
eni = ec2.create_network_interface(SubnetId=v4["SubnetId"])["NetworkInterface"]["NetworkInterfaceId"]
f = [{"Name": "availability-zone-id", "Values": [v4["AvailabilityZoneId"]]}, {"Name": "vpc-id", "Values": [vpc]}]
assert ids(ec2.describe_network_interfaces(Filters=f), "NetworkInterfaces", "NetworkInterfaceId") == [eni]
f = [{"Name": "operator.managed", "Values": ["false"]}, {"Name": "vpc-id", "Values": [vpc]}]
assert ids(ec2.describe_network_interfaces(Filters=f), "NetworkInterfaces", "NetworkInterfaceId") == [eni]

# Endpoints: a gateway endpoint has no IP address type; both are of this Region's services.
rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]["RouteTableId"]
gw = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3", RouteTableIds=[rt])["VpcEndpoint"]["VpcEndpointId"]


def endpoints(name, value):
    f = [{"Name": "vpc-id", "Values": [vpc]}, {"Name": name, "Values": [value]}]
    return ids(ec2.describe_vpc_endpoints(Filters=f), "VpcEndpoints", "VpcEndpointId")


assert endpoints("service-region", "us-east-1") == [gw]
assert endpoints("service-region", "us-west-2") == []
assert endpoints("ip-address-type", "ipv4") == []

# A peering connection pending acceptance expires; the filter takes its time.
peer = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer)["VpcPeeringConnection"]
pcx = ec2.describe_vpc_peering_connections(VpcPeeringConnectionIds=[pcx["VpcPeeringConnectionId"]])["VpcPeeringConnections"][0]
t = pcx["ExpirationTime"]
exp = t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
got = ec2.describe_vpc_peering_connections(Filters=[{"Name": "expiration-time", "Values": [exp]}])["VpcPeeringConnections"]
assert [p["VpcPeeringConnectionId"] for p in got] == [pcx["VpcPeeringConnectionId"]], (exp, got)
print("ok")
