"""Network Insights paths and ping: CreateNetworkInsightsPath's Protocol
is tcp or udp (the EC2 model's Protocol enum); icmp is refused, as AWS
does, before anything is created. (ecsnet probe --protocol icmp answers
pings.)"""
from common import client, fails

ec2 = client("ec2")

vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
a = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
b = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]

before = ec2.describe_network_insights_paths()["NetworkInsightsPaths"]
for proto in ("icmp", "ICMP", "-1"):
    fails("InvalidParameterValue", f"Value ({proto}) for parameter Protocol is invalid. Valid values: tcp, udp.",
          ec2.create_network_insights_path, Source=a, Destination=b, Protocol=proto)
assert ec2.describe_network_insights_paths()["NetworkInsightsPaths"] == before

path = ec2.create_network_insights_path(Source=a, Destination=b, Protocol="tcp", DestinationPort=22)["NetworkInsightsPath"]
assert path["Protocol"] == "tcp", path
ec2.delete_network_insights_path(NetworkInsightsPathId=path["NetworkInsightsPathId"])
