"""EC2 networking behaviours found by running an external EC2 test suite
against ecsnet serve, each as AWS answers it (sources in
docs/aws-behavior.md): legacy filter names, VPC attributes and tenancy,
the empty tag set of network ACLs, and the name EC2 gives a missing list
parameter."""
from common import client, fails

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
fails("InvalidParameterValue", None, ec2.modify_vpc_attribute, VpcId=vpc,
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
