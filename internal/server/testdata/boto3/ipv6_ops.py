"""IPv6 through boto3: a dual-stack VPC and subnet, interface IPv6
addresses (counts, fixed addresses, assign and unassign, AWS's errors), an
egress-only internet gateway with a ::/0 route, an instance that gets an
address from AssignIpv6AddressOnCreation, and a Fargate task's IPv6
address in DescribeTasks."""
import ipaddress

from common import client, fails

ec2, ecs = client("ec2"), client("ecs")

vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
block = ipaddress.ip_network(vpc["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"])
assert block.prefixlen == 56, block
sub64 = list(block.subnets(new_prefix=64))[3]
subnet = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.1.3.0/24", Ipv6CidrBlock=str(sub64))["Subnet"]["SubnetId"]
v4only = ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock="10.1.4.0/24")["Subnet"]["SubnetId"]

# Interfaces.
eni = ec2.create_network_interface(SubnetId=subnet, Ipv6AddressCount=2)["NetworkInterface"]
addrs = [a["Ipv6Address"] for a in eni["Ipv6Addresses"]]
assert len(addrs) == 2 and all(ipaddress.ip_address(a) in sub64 for a in addrs), eni["Ipv6Addresses"]
assert all(a["IsPrimaryIpv6"] is False for a in eni["Ipv6Addresses"])
fixed = str(sub64[0x99])
out = ec2.assign_ipv6_addresses(NetworkInterfaceId=eni["NetworkInterfaceId"], Ipv6Addresses=[fixed])
assert out["AssignedIpv6Addresses"] == [fixed] and out["NetworkInterfaceId"] == eni["NetworkInterfaceId"], out
fails("InvalidIPAddress.InUse", f"Address {fixed} is in use.", ec2.create_network_interface, SubnetId=subnet,
      Ipv6Addresses=[{"Ipv6Address": fixed}])
fails("InvalidParameterValue", "Address 2001:db8::5 does not fall within the subnet's address range",
      ec2.assign_ipv6_addresses, NetworkInterfaceId=eni["NetworkInterfaceId"], Ipv6Addresses=["2001:db8::5"])
fails("InvalidParameterValue", None, ec2.create_network_interface, SubnetId=v4only, Ipv6AddressCount=1)
out = ec2.unassign_ipv6_addresses(NetworkInterfaceId=eni["NetworkInterfaceId"], Ipv6Addresses=[addrs[0]])
assert out["UnassignedIpv6Addresses"] == [addrs[0]], out
got = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni["NetworkInterfaceId"]])["NetworkInterfaces"][0]
assert sorted(a["Ipv6Address"] for a in got["Ipv6Addresses"]) == sorted([addrs[1], fixed]), got["Ipv6Addresses"]

# AssignIpv6AddressOnCreation, and RunInstances' combination error.
fails("InvalidParameterValue",
      f"Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet ({v4only}) has an IPv6 CIDR block associated with it.",
      ec2.modify_subnet_attribute, SubnetId=v4only, AssignIpv6AddressOnCreation={"Value": True})
ec2.modify_subnet_attribute(SubnetId=subnet, AssignIpv6AddressOnCreation={"Value": True})
assoc = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["Ipv6CidrBlockAssociationSet"][0]["AssociationId"]
fails("InvalidCidrBlock.InUse",
      f"The subnet IPv6 CIDR block with association ID {assoc} may not be disassociated, because its subnet has assign-ipv6-address-on-creation set to true.",
      ec2.disassociate_subnet_cidr_block, AssociationId=assoc)
inst = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]
ni = inst["NetworkInterfaces"][0]
assert len(ni["Ipv6Addresses"]) == 1 and inst["Ipv6Address"] == ni["Ipv6Addresses"][0]["Ipv6Address"], inst
fails("InvalidParameterCombination", "IPv6 addresses and IPv6 address count may not be specified on the same request",
      ec2.run_instances, ImageId="ami-12c6146b", InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnet,
      Ipv6AddressCount=1, Ipv6Addresses=[{"Ipv6Address": str(sub64[0x77])}])

# An egress-only internet gateway and its ::/0 route.
eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc["VpcId"])["EgressOnlyInternetGateway"]
assert eigw["Attachments"] == [{"State": "attached", "VpcId": vpc["VpcId"]}], eigw
rt = ec2.create_route_table(VpcId=vpc["VpcId"])["RouteTable"]["RouteTableId"]
assert ec2.create_route(RouteTableId=rt, DestinationIpv6CidrBlock="::/0", EgressOnlyInternetGatewayId=eigw["EgressOnlyInternetGatewayId"])["Return"]
routes = ec2.describe_route_tables(RouteTableIds=[rt])["RouteTables"][0]["Routes"]
assert {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": eigw["EgressOnlyInternetGatewayId"],
        "Origin": "CreateRoute", "State": "active"} in routes, routes
assert any(r.get("DestinationIpv6CidrBlock") == str(block) and r.get("GatewayId") == "local" for r in routes), routes
got = ec2.describe_egress_only_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc["VpcId"]]}])
assert [g["EgressOnlyInternetGatewayId"] for g in got["EgressOnlyInternetGateways"]] == [eigw["EgressOnlyInternetGatewayId"]], got
fails("InvalidGatewayID.NotFound", "The eigw ID 'eigw-0123456789abcdef0' does not exist",
      ec2.delete_egress_only_internet_gateway, EgressOnlyInternetGatewayId="eigw-0123456789abcdef0")

# A Fargate task in the dual-stack subnet (dualStackIPv6 is on by default).
ecs.create_cluster(clusterName="v6")
ecs.register_task_definition(family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                             containerDefinitions=[{"name": "web", "image": "nginx", "portMappings": [{"containerPort": 80}]}])
task = ecs.run_task(cluster="v6", taskDefinition="web", launchType="FARGATE",
                    networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet]}})["tasks"][0]
details = {d["name"]: d["value"] for d in task["attachments"][0]["details"]}
assert ipaddress.ip_address(details["ipv6Address"]) in sub64, details
print("ok")
