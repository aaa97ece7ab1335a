"""DescribeSpotPriceHistory from ecsnet's deterministic price table, CIDRs
with host bits as EC2 keeps them (canonical form), and public addresses
from each region's own ranges (sources in docs/aws-behavior.md)."""
import datetime
import ipaddress

import boto3

from common import ENDPOINT, client, fails

ec2 = client("ec2")
now = datetime.datetime.now(datetime.timezone.utc)

# Without StartTime: the price in effect now, one per zone and product,
# stamped with the time of its last change.
h = ec2.describe_spot_price_history(InstanceTypes=["m5.large"])["SpotPriceHistory"]
zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
products = {"Linux/UNIX", "Red Hat Enterprise Linux", "SUSE Linux", "Windows"}
assert len(h) == len(zones) * len(products), h
assert {p["ProductDescription"] for p in h} == products, h
assert {p["AvailabilityZone"] for p in h} == set(zones), h
for p in h:
    assert p["InstanceType"] == "m5.large" and p["AvailabilityZoneId"].startswith("use1-az"), p
    assert now - datetime.timedelta(hours=6) <= p["Timestamp"] <= now, p
    assert len(p["SpotPrice"].split(".")[1]) == 6 and 0 < float(p["SpotPrice"]) < 0.096, p
# The same question, the same answer.
assert ec2.describe_spot_price_history(InstanceTypes=["m5.large"])["SpotPriceHistory"] == h

# A window: every change in it, and the last one before it, newest first.
start = now - datetime.timedelta(days=2)
w = ec2.describe_spot_price_history(InstanceTypes=["c5.xlarge"], ProductDescriptions=["Linux/UNIX"],
                                    AvailabilityZone=zones[0], StartTime=start)["SpotPriceHistory"]
assert 9 <= len(w) <= 10, w
stamps = [p["Timestamp"] for p in w]
assert stamps == sorted(stamps, reverse=True) and stamps[-1] <= start < stamps[-2], stamps
assert all(a["SpotPrice"] != b["SpotPrice"] for a, b in zip(w, w[1:])), w
assert ec2.describe_spot_price_history(InstanceTypes=["c5.xlarge"], ProductDescriptions=["Linux/UNIX"],
                                       AvailabilityZone=zones[0], StartTime=start, EndTime=start)["SpotPriceHistory"] == w[-1:]

# Filters: by zone id, product (an "(Amazon VPC)" name when asked for),
# exact price and timestamp (with wildcards).
f = ec2.describe_spot_price_history(Filters=[{"Name": "instance-type", "Values": ["t3.*"]},
                                             {"Name": "availability-zone-id", "Values": ["use1-az2"]},
                                             {"Name": "product-description", "Values": ["Linux/UNIX (Amazon VPC)"]}])["SpotPriceHistory"]
assert len(f) == 7 and {p["ProductDescription"] for p in f} == {"Linux/UNIX (Amazon VPC)"}, f
assert {p["AvailabilityZone"] for p in f} == {"us-east-1b"}, f
one = f[0]
got = ec2.describe_spot_price_history(InstanceTypes=[one["InstanceType"]], ProductDescriptions=[one["ProductDescription"]],
                                      Filters=[{"Name": "spot-price", "Values": [one["SpotPrice"]]},
                                               {"Name": "timestamp", "Values": [one["Timestamp"].strftime("%a %b %d %H:%M:%S UTC %Y")]}])["SpotPriceHistory"]
assert one in got, (one, got)
assert ec2.describe_spot_price_history(InstanceTypes=["m5.large"], ProductDescriptions=["Windows"],
                                       Filters=[{"Name": "timestamp", "Values": ["*1999*"]}])["SpotPriceHistory"] == []
fails("InvalidParameterValue", "The filter 'colour' is invalid", ec2.describe_spot_price_history,
      Filters=[{"Name": "colour", "Values": ["red"]}])
fails("InvalidParameterCombination", None, ec2.describe_spot_price_history, AvailabilityZone="us-east-1a", AvailabilityZoneId="use1-az1")
fails("InvalidParameterValue", None, ec2.describe_spot_price_history, MaxResults=1001)
fails("InvalidParameterValue", "Invalid value 'nope' for parameter nextToken.", ec2.describe_spot_price_history, NextToken="nope")

# Pages: a 30-day history of three types is more than one call's 1,000
# items; the paginator walks it in pages of 100 that begin the same.
month = dict(InstanceTypes=["m5.large", "c5.large", "r5.large"], ProductDescriptions=["Linux/UNIX"],
             StartTime=now - datetime.timedelta(days=30))
first = ec2.describe_spot_price_history(**month)
assert len(first["SpotPriceHistory"]) == 1000 and first["NextToken"], len(first["SpotPriceHistory"])
pages = list(ec2.get_paginator("describe_spot_price_history").paginate(**month, PaginationConfig={"PageSize": 100}))
assert len(pages) > 1 and all(len(p["SpotPriceHistory"]) == 100 for p in pages[:-1]), [len(p["SpotPriceHistory"]) for p in pages]
whole = [x for p in pages for x in p["SpotPriceHistory"]]
assert whole[:1000] == first["SpotPriceHistory"]
assert len(whole) in (3 * len(zones) * (30 * 4 + 1), 3 * len(zones) * (30 * 4 + 2)), len(whole)
# Nothing older than 90 days.
old = ec2.describe_spot_price_history(InstanceTypes=["m5.large"], ProductDescriptions=["Linux/UNIX"], AvailabilityZone=zones[0],
                                      StartTime=now - datetime.timedelta(days=200))["SpotPriceHistory"]
assert min(p["Timestamp"] for p in old) >= now - datetime.timedelta(days=90, hours=6), old[-1]

# CIDRs with host bits: routes, network ACL entries and security group
# rules keep the canonical block, and a rule given both ways is one rule.
vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
ec2.create_route(RouteTableId=rt, DestinationCidrBlock="100.68.0.18/18", GatewayId=igw)
routes = ec2.describe_route_tables(RouteTableIds=[rt])["RouteTables"][0]["Routes"]
assert [r["DestinationCidrBlock"] for r in routes] == ["10.9.0.0/16", "100.68.0.0/18"], routes
fails("RouteAlreadyExists", None, ec2.create_route, RouteTableId=rt, DestinationCidrBlock="100.68.0.0/18", GatewayId=igw)
ec2.delete_route(RouteTableId=rt, DestinationCidrBlock="100.68.0.18/18")
acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Protocol="-1", RuleAction="allow", Egress=False, CidrBlock="100.68.0.18/18")
entries = ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]
assert [e["CidrBlock"] for e in entries if e["RuleNumber"] == 100] == ["100.68.0.0/18"], entries
sg = ec2.create_security_group(VpcId=vpc, GroupName="hostbits", Description="d")["GroupId"]
r = ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                                                    "IpRanges": [{"CidrIp": "100.68.0.18/18"}]}])
assert [x["CidrIpv4"] for x in r["SecurityGroupRules"]] == ["100.68.0.0/18"], r
fails("InvalidPermission.Duplicate", None, ec2.authorize_security_group_ingress, GroupId=sg,
      IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "100.68.0.0/18"}]}])

# Public addresses come from the region's own ranges: an Elastic IP and an
# instance's public IP in eu-west-1 and in us-east-1.
pools = {"us-east-1": ["3.80.0.0/12", "54.160.0.0/13"],
         "eu-west-1": ["52.208.0.0/13", "34.240.0.0/13", "54.216.0.0/15"]}
for region, nets in pools.items():
    nets = [ipaddress.ip_network(n) for n in nets]
    inside = lambda ip: any(ipaddress.ip_address(ip) in n for n in nets)
    e = boto3.client("ec2", endpoint_url=ENDPOINT, region_name=region, aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    ssm = boto3.client("ssm", endpoint_url=ENDPOINT, region_name=region, aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
    ips = [e.allocate_address(Domain="vpc")["PublicIp"] for _ in range(5)]
    assert all(inside(ip) for ip in ips), (region, ips)
    ami = ssm.get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]
    sub = e.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]["SubnetId"]
    i = e.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=sub)["Instances"][0]["InstanceId"]
    pub = e.describe_instances(InstanceIds=[i])["Reservations"][0]["Instances"][0]["PublicIpAddress"]
    assert inside(pub), (region, pub)
