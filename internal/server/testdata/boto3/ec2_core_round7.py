"""EC2 core networking through boto3 (issue 10, round 7): the checks AWS
makes on ENI attribute names and on ReleaseAddress's parameters."""
from common import client, fails

ec2 = client("ec2")

vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
eni = ec2.create_network_interface(SubnetId=subnet, Description="round 7")["NetworkInterface"]["NetworkInterfaceId"]

# DescribeNetworkInterfaceAttribute: the attribute must be one of the five.
fails("InvalidParameterValue", "Value (attach) for parameter attribute is invalid. Unknown attribute.",
      ec2.describe_network_interface_attribute, NetworkInterfaceId=eni, Attribute="attach")
got = ec2.describe_network_interface_attribute(NetworkInterfaceId=eni, Attribute="description")
assert got["Description"] == {"Value": "round 7"}, got
got = ec2.describe_network_interface_attribute(NetworkInterfaceId=eni, Attribute="sourceDestCheck")
assert got["SourceDestCheck"] == {"Value": True}, got

# ReleaseAddress: neither an allocation id nor a public IP is a missing
# parameter; a public IP alone is refused for a VPC address.
fails("MissingParameter", "The request must contain the parameter allocationId", ec2.release_address)
addr = ec2.allocate_address(Domain="vpc")
fails("InvalidParameterValue", "You must specify an allocation id when releasing a VPC elastic IP address",
      ec2.release_address, PublicIp=addr["PublicIp"])
ec2.release_address(AllocationId=addr["AllocationId"])

print("ok")
