"""Site-to-Site VPN through boto3, on a new account's default VPC: a virtual
private gateway (available at once; attaching, then attached), a
customer gateway (an identical request returns the same one), a static VPN
connection with a route, route propagation, gateway route tables, and the
errors and deletion order AWS has."""
from common import client, fails

ec2 = client("ec2")
vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
rtb = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]["RouteTableId"]
igw = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}])["InternetGateways"][0]["InternetGatewayId"]

g = ec2.create_vpn_gateway(Type="ipsec.1", AmazonSideAsn=65100)["VpnGateway"]
vgw = g["VpnGatewayId"]
assert (g["State"], g["AmazonSideAsn"], g["VpcAttachments"]) == ("available", 65100, []), g
fails("InvalidVpnGatewayID.NotFound", "The virtual private gateway ID 'vgw-0123456789abcdef0' does not exist",
      ec2.attach_vpn_gateway, VpnGatewayId="vgw-0123456789abcdef0", VpcId=vpc)
# A route to the gateway needs it attached to the table's VPC.
fails("InvalidParameterValue", f"route table {rtb} and network gateway {vgw} belong to different networks",
      ec2.create_route, RouteTableId=rtb, DestinationCidrBlock="10.50.0.0/16", GatewayId=vgw)
a = ec2.attach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc)["VpcAttachment"]
assert a == {"VpcId": vpc, "State": "attaching"}, a
d = ec2.describe_vpn_gateways(Filters=[{"Name": "attachment.state", "Values": ["attached"]}])["VpnGateways"]
assert [x["VpnGatewayId"] for x in d] == [vgw] and d[0]["State"] == "available", d

cgw = ec2.create_customer_gateway(Type="ipsec.1", IpAddress="198.51.100.50")["CustomerGateway"]
assert (cgw["BgpAsn"], cgw["IpAddress"], cgw["State"]) == ("65000", "198.51.100.50", "available"), cgw
same = ec2.create_customer_gateway(Type="ipsec.1", IpAddress="198.51.100.50")["CustomerGateway"]
assert same["CustomerGatewayId"] == cgw["CustomerGatewayId"], same
other = ec2.create_customer_gateway(Type="ipsec.1", IpAddress="198.51.100.50", DeviceName="backup")["CustomerGateway"]
assert other["CustomerGatewayId"] != cgw["CustomerGatewayId"], other

c = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw["CustomerGatewayId"], VpnGatewayId=vgw,
                              Options={"StaticRoutesOnly": True})["VpnConnection"]
vpn = c["VpnConnectionId"]
assert c["State"] == "pending" and c["Options"]["StaticRoutesOnly"] is True, c
outside = [t["OutsideIpAddress"] for t in c["VgwTelemetry"]]
assert len(set(outside)) == 2, outside
assert "<vpn_connection id=\"%s\">" % vpn in c["CustomerGatewayConfiguration"]
ec2.create_vpn_connection_route(VpnConnectionId=vpn, DestinationCidrBlock="10.60.0.0/16")
fails("RouteAlreadyExists", "The route identified by 10.60.0.0/16 already exists.",
      ec2.create_vpn_connection_route, VpnConnectionId=vpn, DestinationCidrBlock="10.60.0.0/16")
d = ec2.describe_vpn_connections(Filters=[{"Name": "vpn-gateway-id", "Values": [vgw]}])["VpnConnections"]
assert [(x["VpnConnectionId"], x["State"]) for x in d] == [(vpn, "available")], d
assert d[0]["Routes"] == [{"DestinationCidrBlock": "10.60.0.0/16", "Source": "Static", "State": "available"}], d[0]["Routes"]

# Propagation: the connection's static route appears in the main table.
ec2.enable_vgw_route_propagation(RouteTableId=rtb, GatewayId=vgw)
rt = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]
assert rt["PropagatingVgws"] == [{"GatewayId": vgw}], rt
prop = [r for r in rt["Routes"] if r.get("GatewayId") == vgw]
assert prop == [{"DestinationCidrBlock": "10.60.0.0/16", "GatewayId": vgw, "Origin": "EnableVgwRoutePropagation", "State": "active"}], prop
ec2.disable_vgw_route_propagation(RouteTableId=rtb, GatewayId=vgw)
rt = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]
assert rt["PropagatingVgws"] == [] and not [r for r in rt["Routes"] if r.get("GatewayId") == vgw], rt

# A gateway route table for the internet gateway.
edge = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
assoc = ec2.associate_route_table(RouteTableId=edge, GatewayId=igw)
assert assoc["AssociationState"] == {"State": "associated"}, assoc
found = ec2.describe_route_tables(Filters=[{"Name": "association.gateway-id", "Values": [igw]}])["RouteTables"]
assert [t["RouteTableId"] for t in found] == [edge], found
assert found[0]["Associations"][0]["GatewayId"] == igw and "SubnetId" not in found[0]["Associations"][0], found
ec2.disassociate_route_table(AssociationId=assoc["AssociationId"])

# Deleting, in AWS's order.
fails("IncorrectState", None, ec2.delete_customer_gateway, CustomerGatewayId=cgw["CustomerGatewayId"])
fails("IncorrectState", None, ec2.delete_vpn_gateway, VpnGatewayId=vgw)
ec2.delete_vpn_connection(VpnConnectionId=vpn)
ec2.delete_customer_gateway(CustomerGatewayId=cgw["CustomerGatewayId"])
ec2.detach_vpn_gateway(VpnGatewayId=vgw, VpcId=vpc)
fails("InvalidVpnGatewayAttachment.NotFound", None, ec2.detach_vpn_gateway, VpnGatewayId=vgw, VpcId=vpc)
ec2.delete_vpn_gateway(VpnGatewayId=vgw)
g = ec2.describe_vpn_gateways(VpnGatewayIds=[vgw])["VpnGateways"][0]
assert g["State"] == "deleted", g
c = ec2.describe_vpn_connections(VpnConnectionIds=[vpn])["VpnConnections"][0]
assert c["State"] == "deleted" and c["Routes"] == [], c
print("ok")
