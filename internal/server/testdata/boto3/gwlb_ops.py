"""Gateway Load Balancers through boto3: a GWLB (no scheme, no security
groups, no DNS name, an ARN of loadbalancer/gwy/…), a GENEVE target group
on port 6081 with its health check defaults, a listener without port or
protocol, the attributes, an endpoint service on the GWLB, a Gateway Load
Balancer endpoint (one subnet, accepted by the service owner), a route to
it, and the errors AWS gives for invalid combinations."""
from common import client, fails, network

ec2, elb = client("ec2"), client("elbv2")
vpc, subnets = network(ec2)

fails("ValidationError", "You can't specify a scheme for a Gateway Load Balancer.",
      elb.create_load_balancer, Name="gw", Type="gateway", Subnets=subnets[:1], Scheme="internal")
sg = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"][0]["GroupId"]
fails("InvalidConfigurationRequest", None,
      elb.create_load_balancer, Name="gw", Type="gateway", Subnets=subnets[:1], SecurityGroups=[sg])
lb = elb.create_load_balancer(Name="gw", Type="gateway", Subnets=subnets)["LoadBalancers"][0]
arn = lb["LoadBalancerArn"]
assert ":loadbalancer/gwy/gw/" in arn and lb["Type"] == "gateway", lb
assert "DNSName" not in lb and "Scheme" not in lb and "SecurityGroups" not in lb, lb
assert sorted(z["ZoneName"] for z in lb["AvailabilityZones"]) == ["us-east-1a", "us-east-1b"], lb
enis = ec2.describe_network_interfaces(Filters=[{"Name": "description", "Values": ["ELB gwy/gw/*"]}])["NetworkInterfaces"]
assert len(enis) == 2 and all(e["InterfaceType"] == "gateway_load_balancer" and e["Groups"] == [] for e in enis), enis
attrs = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
assert attrs == {"deletion_protection.enabled": "false", "load_balancing.cross_zone.enabled": "false"}, attrs
elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}])
fails("InvalidConfigurationRequest", None, elb.set_security_groups, LoadBalancerArn=arn, SecurityGroups=[sg])

fails("ValidationError", None, elb.create_target_group, Name="appliances", Protocol="GENEVE", Port=6080, VpcId=vpc)
tg = elb.create_target_group(Name="appliances", Protocol="GENEVE", Port=6081, VpcId=vpc)["TargetGroups"][0]
assert (tg["Protocol"], tg["Port"], tg["HealthCheckProtocol"], tg["HealthCheckPort"], tg["HealthCheckIntervalSeconds"],
        tg["HealthCheckTimeoutSeconds"], tg["HealthyThresholdCount"], tg["UnhealthyThresholdCount"], tg["TargetType"]) == \
    ("GENEVE", 6081, "TCP", "80", 10, 5, 5, 2, "instance"), tg
tga = {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"])["Attributes"]}
assert tga["target_failover.on_unhealthy"] == "no_rebalance" and tga["stickiness.type"] == "source_ip_dest_ip_proto", tga
tcp = elb.create_target_group(Name="tcp", Protocol="TCP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]

fails("ValidationError", None, elb.create_listener, LoadBalancerArn=arn, Protocol="TCP", Port=80,
      DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])
fails("IncompatibleProtocols", None, elb.create_listener, LoadBalancerArn=arn,
      DefaultActions=[{"Type": "forward", "TargetGroupArn": tcp}])
lis = elb.create_listener(LoadBalancerArn=arn, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}])["Listeners"][0]
assert ":listener/gwy/gw/" in lis["ListenerArn"] and "Port" not in lis and "Protocol" not in lis, lis
la = elb.describe_listener_attributes(ListenerArn=lis["ListenerArn"])["Attributes"]
tg2 = elb.create_target_group(Name="appliances2", Protocol="GENEVE", Port=6081, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
mod = elb.modify_listener(ListenerArn=lis["ListenerArn"], DefaultActions=[{"Type": "forward", "TargetGroupArn": tg2}])["Listeners"][0]
assert "SslPolicy" not in mod and "Port" not in mod and mod["DefaultActions"][0]["TargetGroupArn"] == tg2, mod
fails("ValidationError", None, elb.modify_listener, ListenerArn=lis["ListenerArn"], Port=80)
assert la == [{"Key": "tcp.idle_timeout.seconds", "Value": "350"}], la

svc = ec2.create_vpc_endpoint_service_configuration(GatewayLoadBalancerArns=[arn])["ServiceConfiguration"]
assert svc["ServiceType"] == [{"ServiceType": "GatewayLoadBalancer"}] and svc["AcceptanceRequired"] is True, svc
assert svc["GatewayLoadBalancerArns"] == [arn] and "BaseEndpointDnsNames" not in svc, svc
name = svc["ServiceName"]
assert name == "com.amazonaws.vpce.us-east-1." + svc["ServiceId"], name
listed = ec2.describe_vpc_endpoint_services(ServiceNames=[name])["ServiceDetails"]
assert listed[0]["ServiceType"] == [{"ServiceType": "GatewayLoadBalancer"}], listed
fails("ResourceInUse", None, elb.delete_load_balancer, LoadBalancerArn=arn)

fails("InvalidParameter", None, ec2.create_vpc_endpoint, VpcEndpointType="GatewayLoadBalancer", VpcId=vpc,
      ServiceName=name, SubnetIds=subnets)
fails("InvalidParameter", None, ec2.create_vpc_endpoint, VpcEndpointType="Interface", VpcId=vpc,
      ServiceName=name, SubnetIds=subnets[:1])
ep = ec2.create_vpc_endpoint(VpcEndpointType="GatewayLoadBalancer", VpcId=vpc, ServiceName=name, SubnetIds=subnets[:1])["VpcEndpoint"]
gwlbe = ep["VpcEndpointId"]
assert ep["VpcEndpointType"] == "GatewayLoadBalancer" and ep["State"] == "pendingAcceptance" and ep["SubnetIds"] == subnets[:1], ep
assert len(ep["NetworkInterfaceIds"]) == 1, ep
eni = ec2.describe_network_interfaces(NetworkInterfaceIds=ep["NetworkInterfaceIds"])["NetworkInterfaces"][0]
assert eni["InterfaceType"] == "gateway_load_balancer_endpoint" and eni["Groups"] == [], eni
acc = ec2.accept_vpc_endpoint_connections(ServiceId=svc["ServiceId"], VpcEndpointIds=[gwlbe, "vpce-0123456789abcdef0"])
assert [u["ResourceId"] for u in acc["Unsuccessful"]] == ["vpce-0123456789abcdef0"], acc
assert ec2.describe_vpc_endpoints(VpcEndpointIds=[gwlbe])["VpcEndpoints"][0]["State"] == "available"
fails("InvalidParameter", None, ec2.modify_vpc_endpoint, VpcEndpointId=gwlbe, AddSubnetIds=subnets[1:])

rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", VpcEndpointId=gwlbe)
routes = ec2.describe_route_tables(RouteTableIds=[rt])["RouteTables"][0]["Routes"]
assert {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": gwlbe, "Origin": "CreateRoute", "State": "active"} in routes, routes
ec2.replace_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", VpcEndpointId=gwlbe)
s3 = ec2.create_vpc_endpoint(VpcId=vpc, ServiceName="com.amazonaws.us-east-1.s3")["VpcEndpoint"]["VpcEndpointId"]
fails("RouteNotSupported", None, ec2.create_route, RouteTableId=rt, DestinationCidrBlock="10.9.0.0/16", VpcEndpointId=s3)

dl = ec2.delete_vpc_endpoint_service_configurations(ServiceIds=[svc["ServiceId"]])["Unsuccessful"]
assert [u["Error"]["Code"] for u in dl] == ["ExistingVpcEndpointConnections"], dl
ec2.delete_vpc_endpoints(VpcEndpointIds=[gwlbe])
assert ec2.delete_vpc_endpoint_service_configurations(ServiceIds=[svc["ServiceId"]])["Unsuccessful"] == []
elb.delete_load_balancer(LoadBalancerArn=arn)
print("gwlb_ops: ok")
