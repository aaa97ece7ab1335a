#!/usr/bin/env python3
"""botocore's waiters against an `ecsnet serve` endpoint: each resource is
made through the API and the waiter that tools use for it (the aws CLI's
`aws X wait`, boto3's get_waiter, the Go SDK's NewXWaiter, all from the
same waiters-2.json acceptors) is run to success; the waiters with failure
acceptors are run against a wrong state too and must fail fast
("Waiter encountered a terminal failure state"), not poll to the end.

    ECSNET_ENDPOINT=http://127.0.0.1:4566 python3 scripts/waiters_boto3.py

Covered (botocore's names):
  ec2: instance_exists, password_data_available (polls: Linux), instance_running, instance_status_ok,
       system_status_ok, instance_stopped, instance_terminated,
       vpc_available, vpc_exists, subnet_available, security_group_exists,
       internet_gateway_exists, key_pair_exists, network_interface_available,
       nat_gateway_available, nat_gateway_deleted, volume_available,
       volume_in_use, volume_deleted, snapshot_completed, image_exists,
       image_available, vpc_peering_connection_exists,
       vpc_peering_connection_deleted, customer_gateway_available,
       vpn_connection_available, vpn_connection_deleted,
       spot_instance_request_fulfilled
  ecs: services_stable, services_inactive, tasks_running, tasks_stopped
  elbv2: load_balancer_exists, load_balancer_available,
         load_balancers_deleted, target_in_service, target_deregistered
  elb: instance_in_service, any_instance_in_service, instance_deregistered
  cloudformation: stack_exists, stack_create_complete,
                  change_set_create_complete, stack_update_complete,
                  stack_rollback_complete, stack_delete_complete
  autoscaling, sts: botocore ships no waiters (the Go SDK's Auto Scaling
  waiters are run by internal/server/waiters_test.go, with the Go SDK's
  own of the services above)
Not covered (ecsnet does not model the resource the waiter polls):
  ec2 bundle/conversion/export/
  import/store-image tasks, image usage reports, secondary networks,
  security group VPC associations; ssm command_executed
  (GetCommandInvocation); ecs daemon_*; cloudformation
  stack_import_complete, stack_refactor_*, type_registration_complete.

Run by internal/server's TestWaitersBoto3. Prints one "ok" line per waiter
and exits non-zero after the run if any waiter misbehaved.
"""
import json
import os
import sys
import time

import boto3
import botocore.config
import botocore.exceptions

ENDPOINT = os.environ["ECSNET_ENDPOINT"]
CFG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
# Quick polling: ecsnet's default step interval is 100 ms. 0.2 s x 150 = 30 s
# at most for a waiter that should succeed.
FAST = {"Delay": 0.2, "MaxAttempts": 150}


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=CFG)


ec2, ecs, elbv2, elb, cfn = client("ec2"), client("ecs"), client("elbv2"), client("elb"), client("cloudformation")
failures = []
START = time.monotonic()


def ok(msg):
    print("ok -", msg, flush=True)


def bad(msg):
    print("FAIL:", msg, file=sys.stderr, flush=True)
    failures.append(msg)


def wait(svc, name, **kw):
    """Runs the waiter to success; records a failure otherwise."""
    t = time.monotonic()
    try:
        svc.get_waiter(name).wait(WaiterConfig=FAST, **kw)
    except botocore.exceptions.WaiterError as e:
        bad(f"{svc.meta.service_model.service_name} {name}: {e} (last response: {json.dumps(e.last_response, default=str)[:600]})")
        return False
    ok(f"{svc.meta.service_model.service_name} {name} ({time.monotonic() - t:.1f}s)")
    return True


def wait_fails(svc, name, what, **kw):
    """Runs the waiter against a wrong state: it must stop on a failure
    acceptor at once, not poll to its end."""
    t = time.monotonic()
    try:
        svc.get_waiter(name).wait(WaiterConfig={"Delay": 0.2, "MaxAttempts": 25}, **kw)
    except botocore.exceptions.WaiterError as e:
        if "terminal failure state" in str(e) or "Max attempts" not in str(e) and "Waiter encountered" in str(e):
            ok(f"{svc.meta.service_model.service_name} {name} fails fast on {what} ({time.monotonic() - t:.1f}s)")
            return
        bad(f"{svc.meta.service_model.service_name} {name} on {what}: {e}, want a terminal failure")
        return
    bad(f"{svc.meta.service_model.service_name} {name} on {what}: succeeded, want a terminal failure")


def wait_fails_by_error(svc, name, what, code, **kw):
    """Like wait_fails, for a waiter whose failure is an error the call
    raises (botocore: 'Waiter encountered an unexpected error')."""
    t = time.monotonic()
    try:
        svc.get_waiter(name).wait(WaiterConfig={"Delay": 0.2, "MaxAttempts": 25}, **kw)
    except botocore.exceptions.WaiterError as e:
        got = (e.last_response or {}).get("Error", {}).get("Code")
        if "Max attempts" not in str(e) and got == code:
            ok(f"{svc.meta.service_model.service_name} {name} stops on {code} for {what} ({time.monotonic() - t:.1f}s)")
            return
        bad(f"{svc.meta.service_model.service_name} {name} on {what}: {e} (code {got}), want {code} at once")
        return
    bad(f"{svc.meta.service_model.service_name} {name} on {what}: succeeded, want {code}")


# --- EC2: the network -------------------------------------------------------
vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
wait(ec2, "vpc_exists", VpcIds=[vpc])
wait(ec2, "vpc_available", VpcIds=[vpc])
subnet_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
subnet_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
wait(ec2, "subnet_available", SubnetIds=[subnet_a, subnet_b])
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
wait(ec2, "internet_gateway_exists", InternetGatewayIds=[igw])
rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet_a)
ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet_b)
sg = ec2.create_security_group(GroupName="waiters", Description="waiters", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
wait(ec2, "security_group_exists", GroupIds=[sg])
wait(ec2, "security_group_exists", Filters=[{"Name": "group-name", "Values": ["waiters"]}])
ec2.create_key_pair(KeyName="waiters")
wait(ec2, "key_pair_exists", KeyNames=["waiters"])
eni = ec2.create_network_interface(SubnetId=subnet_a, Groups=[sg])["NetworkInterface"]["NetworkInterfaceId"]
wait(ec2, "network_interface_available", NetworkInterfaceIds=[eni])

# --- the error acceptors ------------------------------------------------------
# Each waiter's error acceptor names the code AWS answers for a resource it
# does not know (yet, or any more): "retry" must poll to the end, "success"
# must return at once, "failure" must stop at once. A waiter whose code
# differs from ecsnet's fails early (an unexpected error) or polls forever.
M = "0123456789abcdef0"
tg_probe = elbv2.create_target_group(Name="waiters-probe", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
elb.create_load_balancer(LoadBalancerName="waiters-probe", Subnets=[subnet_a], Listeners=[
    {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 80}])
MISSING_LB = f"arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/nope/{M[:16]}"
ERROR_ACCEPTORS = [
    (ec2, "image_exists", "retry", {"ImageIds": [f"ami-{M}"]}),
    (ec2, "instance_exists", "retry", {"InstanceIds": [f"i-{M}"]}),
    (ec2, "instance_running", "retry", {"InstanceIds": [f"i-{M}"]}),
    (ec2, "instance_status_ok", "retry", {"InstanceIds": [f"i-{M}"]}),
    (ec2, "key_pair_exists", "retry", {"KeyNames": ["nope"]}),
    (ec2, "nat_gateway_available", "retry", {"NatGatewayIds": [f"nat-{M}"]}),
    (ec2, "nat_gateway_deleted", "success", {"NatGatewayIds": [f"nat-{M}"]}),
    (ec2, "network_interface_available", "failure", {"NetworkInterfaceIds": [f"eni-{M}"]}),
    (ec2, "security_group_exists", "retry", {"GroupIds": [f"sg-{M}"]}),
    (ec2, "spot_instance_request_fulfilled", "retry", {"SpotInstanceRequestIds": ["sir-01234567"]}),
    (ec2, "volume_deleted", "success", {"VolumeIds": [f"vol-{M}"]}),
    (ec2, "vpc_exists", "retry", {"VpcIds": [f"vpc-{M}"]}),
    (ec2, "vpc_peering_connection_exists", "retry", {"VpcPeeringConnectionIds": [f"pcx-{M}"]}),
    (ec2, "vpc_peering_connection_deleted", "success", {"VpcPeeringConnectionIds": [f"pcx-{M}"]}),
    # botocore's InternetGatewayExists retries on "InvalidInternetGateway.NotFound",
    # a code AWS never answers: AWS says InvalidInternetGatewayID.NotFound, so
    # on AWS (and ecsnet) the waiter stops on it (docs/aws-behavior.md).
    (ec2, "internet_gateway_exists", "error:InvalidInternetGatewayID.NotFound", {"InternetGatewayIds": [f"igw-{M}"]}),
    (elbv2, "load_balancer_exists", "retry", {"LoadBalancerArns": [MISSING_LB]}),
    (elbv2, "load_balancer_available", "retry", {"Names": ["nope"]}),
    (elbv2, "load_balancers_deleted", "success", {"LoadBalancerArns": [MISSING_LB]}),
    (elbv2, "load_balancers_deleted", "success", {"Names": ["nope"]}),
    (elbv2, "target_deregistered", "success", {"TargetGroupArn": tg_probe, "Targets": [{"Id": f"i-{M}"}]}),
    (elb, "instance_deregistered", "success", {"LoadBalancerName": "waiters-probe", "Instances": [{"InstanceId": f"i-{M}"}]}),
    (elb, "instance_in_service", "retry", {"LoadBalancerName": "waiters-probe", "Instances": [{"InstanceId": f"i-{M}"}]}),
    (cfn, "stack_exists", "retry", {"StackName": "nope"}),
    (cfn, "stack_create_complete", "failure:ValidationError", {"StackName": "nope"}),
    (cfn, "stack_update_complete", "failure:ValidationError", {"StackName": "nope"}),
    (cfn, "stack_rollback_complete", "failure:ValidationError", {"StackName": "nope"}),
    (cfn, "stack_delete_complete", "success", {"StackName": "nope"}),
]
for svc, name, want, kw in ERROR_ACCEPTORS:
    label = f"{svc.meta.service_model.service_name} {name} on a missing resource"
    try:
        svc.get_waiter(name).wait(WaiterConfig={"Delay": 0.05, "MaxAttempts": 2}, **kw)
        got = "success"
    except botocore.exceptions.WaiterError as e:
        code = (e.last_response or {}).get("Error", {}).get("Code")
        got = "retry" if "Max attempts exceeded" in str(e) else (
            f"failure:{code}" if "terminal failure" in str(e) else f"error:{code}")
        if want == "failure" and got.startswith("failure"):
            got = "failure"
    if got == want:
        ok(f"{label}: {want}")
    else:
        bad(f"{label}: {got}, want {want}")
elbv2.delete_target_group(TargetGroupArn=tg_probe)
elb.delete_load_balancer(LoadBalancerName="waiters-probe")

nat_eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
nat = ec2.create_nat_gateway(SubnetId=subnet_a, AllocationId=nat_eip)["NatGateway"]["NatGatewayId"]
wait(ec2, "nat_gateway_available", NatGatewayIds=[nat])
ec2.delete_nat_gateway(NatGatewayId=nat)
wait(ec2, "nat_gateway_deleted", NatGatewayIds=[nat])
wait_fails(ec2, "nat_gateway_available", "a deleted NAT gateway", NatGatewayIds=[nat])
# A NAT gateway whose Elastic IP is taken goes to "failed" (FailureCode
# Resource.AlreadyAssociated): nat_gateway_available stops on it.
nat_eip2 = ec2.allocate_address(Domain="vpc")["AllocationId"]
ec2.create_nat_gateway(SubnetId=subnet_a, AllocationId=nat_eip2)
nat_failed = ec2.create_nat_gateway(SubnetId=subnet_b, AllocationId=nat_eip2)["NatGateway"]["NatGatewayId"]
wait_fails(ec2, "nat_gateway_available", "a NAT gateway whose Elastic IP is taken", NatGatewayIds=[nat_failed])

# Peering.
peer_vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=peer_vpc)["VpcPeeringConnection"]["VpcPeeringConnectionId"]
wait(ec2, "vpc_peering_connection_exists", VpcPeeringConnectionIds=[pcx])
ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
wait(ec2, "vpc_peering_connection_deleted", VpcPeeringConnectionIds=[pcx])

# VPN.
cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp="198.51.100.7", BgpAsn=65000)["CustomerGateway"]["CustomerGatewayId"]
wait(ec2, "customer_gateway_available", CustomerGatewayIds=[cgw])
vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
vpn = ec2.create_vpn_connection(Type="ipsec.1", CustomerGatewayId=cgw, VpnGatewayId=vgw,
                                Options={"StaticRoutesOnly": True})["VpnConnection"]["VpnConnectionId"]
wait(ec2, "vpn_connection_available", VpnConnectionIds=[vpn])
ec2.delete_vpn_connection(VpnConnectionId=vpn)
wait(ec2, "vpn_connection_deleted", VpnConnectionIds=[vpn])
wait_fails(ec2, "vpn_connection_available", "a deleted VPN connection", VpnConnectionIds=[vpn])

# --- EC2: instances, volumes, snapshots, images ------------------------------
AMI = client("ssm").get_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id")["Parameter"]["Value"]
r = ec2.run_instances(ImageId=AMI, InstanceType="t3.micro", MinCount=2, MaxCount=2, SubnetId=subnet_a,
                      SecurityGroupIds=[sg])["Instances"]
i1, i2 = r[0]["InstanceId"], r[1]["InstanceId"]
wait(ec2, "instance_exists", InstanceIds=[i1, i2])
wait(ec2, "instance_running", InstanceIds=[i1, i2])
wait(ec2, "instance_status_ok", InstanceIds=[i1, i2])
wait(ec2, "system_status_ok", InstanceIds=[i1, i2])
wait(ec2, "instance_running", Filters=[{"Name": "instance-id", "Values": [i1]}])
# GetPasswordData: a Linux instance never has a Windows password, so
# PasswordData stays "" and password_data_available polls on, as on AWS.
pd = ec2.get_password_data(InstanceId=i1)
if pd.get("PasswordData") != "" or pd.get("InstanceId") != i1:
    bad(f"get_password_data: {pd}, want an empty PasswordData")
try:
    ec2.get_waiter("password_data_available").wait(InstanceId=i1, WaiterConfig={"Delay": 0.05, "MaxAttempts": 2})
    bad("ec2 password_data_available on a Linux instance: succeeded")
except botocore.exceptions.WaiterError as e:
    if "Max attempts exceeded" in str(e):
        ok("ec2 password_data_available polls on a Linux instance (PasswordData \"\")")
    else:
        bad(f"ec2 password_data_available on a Linux instance: {e}, want polling")
# A web server on 80 (nginx from the user data): the load balancers' target.
web = ec2.run_instances(ImageId=AMI, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnet_a,
                        SecurityGroupIds=[sg], UserData="#!/bin/bash\ndnf install -y nginx\nsystemctl start nginx\n")[
    "Instances"][0]["InstanceId"]
wait(ec2, "instance_running", InstanceIds=[web])
ec2.terminate_instances(InstanceIds=[i2])
wait_fails(ec2, "instance_stopped", "a terminated instance", InstanceIds=[i2])
wait(ec2, "instance_terminated", InstanceIds=[i2])
wait_fails(ec2, "instance_running", "a terminated instance", InstanceIds=[i2])

az = ec2.describe_instances(InstanceIds=[i1])["Reservations"][0]["Instances"][0]["Placement"]["AvailabilityZone"]
vol = ec2.create_volume(AvailabilityZone=az, Size=8, VolumeType="gp3")["VolumeId"]
wait(ec2, "volume_available", VolumeIds=[vol])
ec2.attach_volume(VolumeId=vol, InstanceId=i1, Device="/dev/sdf")
wait(ec2, "volume_in_use", VolumeIds=[vol])
snap = ec2.create_snapshot(VolumeId=vol)["SnapshotId"]
wait(ec2, "snapshot_completed", SnapshotIds=[snap])
ec2.detach_volume(VolumeId=vol)
wait(ec2, "volume_available", VolumeIds=[vol])
ec2.delete_volume(VolumeId=vol)
wait(ec2, "volume_deleted", VolumeIds=[vol])

img = ec2.create_image(InstanceId=i1, Name="waiters-image")["ImageId"]
wait(ec2, "image_exists", ImageIds=[img])
wait(ec2, "image_available", ImageIds=[img])

ec2.stop_instances(InstanceIds=[i1])
wait(ec2, "instance_stopped", InstanceIds=[i1])
ec2.start_instances(InstanceIds=[i1])
wait(ec2, "instance_running", InstanceIds=[i1])

try:
    spot = ec2.request_spot_instances(InstanceCount=1, LaunchSpecification={
        "ImageId": AMI, "InstanceType": "t3.micro", "SubnetId": subnet_a})["SpotInstanceRequests"][0]["SpotInstanceRequestId"]
    wait(ec2, "spot_instance_request_fulfilled", SpotInstanceRequestIds=[spot])
except botocore.exceptions.ClientError as e:
    bad(f"request_spot_instances: {e}")

# --- ELBv2 -------------------------------------------------------------------
lb = elbv2.create_load_balancer(Name="waiters-alb", Subnets=[subnet_a, subnet_b], SecurityGroups=[sg])[
    "LoadBalancers"][0]["LoadBalancerArn"]
wait(elbv2, "load_balancer_exists", LoadBalancerArns=[lb])
wait(elbv2, "load_balancer_available", LoadBalancerArns=[lb])
wait(elbv2, "load_balancer_available", Names=["waiters-alb"])
tg = elbv2.create_target_group(Name="waiters-tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance",
                               HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=2, HealthyThresholdCount=2)["TargetGroups"][0]["TargetGroupArn"]
elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80,
                      DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
elbv2.register_targets(TargetGroupArn=tg, Targets=[{"Id": web, "Port": 80}])
wait(elbv2, "target_in_service", TargetGroupArn=tg, Targets=[{"Id": web, "Port": 80}])
wait(elbv2, "target_in_service", TargetGroupArn=tg)
elbv2.deregister_targets(TargetGroupArn=tg, Targets=[{"Id": web, "Port": 80}])
wait(elbv2, "target_deregistered", TargetGroupArn=tg, Targets=[{"Id": web, "Port": 80}])
elbv2.delete_load_balancer(LoadBalancerArn=lb)
wait(elbv2, "load_balancers_deleted", LoadBalancerArns=[lb])

# --- ELB (Classic) -----------------------------------------------------------
elb.create_load_balancer(LoadBalancerName="waiters-clb", Subnets=[subnet_a], SecurityGroups=[sg],
                         Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP",
                                     "InstancePort": 80}])
elb.configure_health_check(LoadBalancerName="waiters-clb", HealthCheck={
    "Target": "HTTP:80/", "Interval": 5, "Timeout": 2, "UnhealthyThreshold": 2, "HealthyThreshold": 2})
elb.register_instances_with_load_balancer(LoadBalancerName="waiters-clb", Instances=[{"InstanceId": web}])
wait(elb, "instance_in_service", LoadBalancerName="waiters-clb", Instances=[{"InstanceId": web}])
wait(elb, "instance_in_service", LoadBalancerName="waiters-clb")
wait(elb, "any_instance_in_service", LoadBalancerName="waiters-clb")
elb.deregister_instances_from_load_balancer(LoadBalancerName="waiters-clb", Instances=[{"InstanceId": web}])
wait(elb, "instance_deregistered", LoadBalancerName="waiters-clb", Instances=[{"InstanceId": web}])
elb.delete_load_balancer(LoadBalancerName="waiters-clb")

# --- ECS ---------------------------------------------------------------------
ecs.create_cluster(clusterName="waiters")
ecs.register_task_definition(family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                             cpu="256", memory="512", containerDefinitions=[{
                                 "name": "web", "image": "public.ecr.aws/docker/library/nginx:latest",
                                 "portMappings": [{"containerPort": 80}]}])
net = {"awsvpcConfiguration": {"subnets": [subnet_a], "securityGroups": [sg], "assignPublicIp": "ENABLED"}}
ecs.create_service(cluster="waiters", serviceName="web", taskDefinition="web", desiredCount=2,
                   launchType="FARGATE", networkConfiguration=net)
wait(ecs, "services_stable", cluster="waiters", services=["web"])
wait_fails(ecs, "services_stable", "a missing service", cluster="waiters", services=["nope"])
wait_fails(ecs, "services_inactive", "a missing service", cluster="waiters", services=["nope"])
task = ecs.run_task(cluster="waiters", taskDefinition="web", launchType="FARGATE",
                    networkConfiguration=net)["tasks"][0]["taskArn"]
wait(ecs, "tasks_running", cluster="waiters", tasks=[task])
ecs.stop_task(cluster="waiters", task=task)
wait(ecs, "tasks_stopped", cluster="waiters", tasks=[task])
wait_fails(ecs, "tasks_running", "a stopped task", cluster="waiters", tasks=[task])
wait_fails(ecs, "tasks_running", "a missing task", cluster="waiters",
           tasks=["arn:aws:ecs:us-east-1:123456789012:task/waiters/0123456789abcdef0123456789abcdef"])
# A rolling update: services_stable waits for the new deployment alone.
ecs.register_task_definition(family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                             cpu="256", memory="512", containerDefinitions=[{
                                 "name": "web", "image": "public.ecr.aws/docker/library/nginx:1.27",
                                 "portMappings": [{"containerPort": 80}]}])
ecs.update_service(cluster="waiters", service="web", taskDefinition="web:2")
wait(ecs, "services_stable", cluster="waiters", services=["web"])
svc = ecs.describe_services(cluster="waiters", services=["web"])["services"][0]
if [d["taskDefinition"].rsplit("/", 1)[1] for d in svc["deployments"]] != ["web:2"] or svc["runningCount"] != 2:
    bad(f"services_stable returned before the rollout ended: {svc['deployments']}")
# The pipeline of a service behind an ALB: services_stable, then every
# target of its group healthy (target_in_service without Targets).
alb = elbv2.create_load_balancer(Name="waiters-svc", Subnets=[subnet_a, subnet_b], SecurityGroups=[sg])[
    "LoadBalancers"][0]["LoadBalancerArn"]
ip_tg = elbv2.create_target_group(Name="waiters-ip", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")[
    "TargetGroups"][0]["TargetGroupArn"]
elbv2.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": ip_tg}])
ecs.create_service(cluster="waiters", serviceName="behind-alb", taskDefinition="web", desiredCount=2,
                   launchType="FARGATE", networkConfiguration=net,
                   loadBalancers=[{"targetGroupArn": ip_tg, "containerName": "web", "containerPort": 80}])
wait(ecs, "services_stable", cluster="waiters", services=["web", "behind-alb"])
if wait(elbv2, "target_in_service", TargetGroupArn=ip_tg):
    n = len(elbv2.describe_target_health(TargetGroupArn=ip_tg)["TargetHealthDescriptions"])
    if n != 2:
        bad(f"target_in_service on the service's group: {n} targets, want 2")
ecs.update_service(cluster="waiters", service="behind-alb", desiredCount=0)
ecs.delete_service(cluster="waiters", service="behind-alb")
elbv2.delete_load_balancer(LoadBalancerArn=alb)
ecs.update_service(cluster="waiters", service="web", desiredCount=0)
ecs.delete_service(cluster="waiters", service="web")
wait(ecs, "services_inactive", cluster="waiters", services=["web"])
wait_fails(ecs, "services_stable", "an inactive service", cluster="waiters", services=["web"])

# The EC2 launch type: a container instance joins through its user data; a
# bridge-mode service on its host port 8080 is stable with one task. Three
# tasks cannot share the port on one instance: services_stable must keep
# polling (runningCount 1 of 3), not succeed.
ecs.create_cluster(clusterName="waiters-ec2")
# (a public IP: the agent reaches ECS's endpoint through the internet gateway,
# and an instance profile whose role may register: its credentials; without
# either it never registers)
iam = client("iam")
iam.create_role(RoleName="ecsInstanceRole", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
iam.attach_role_policy(RoleName="ecsInstanceRole",
                       PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
iam.create_instance_profile(InstanceProfileName="ecsInstanceRole")
iam.add_role_to_instance_profile(InstanceProfileName="ecsInstanceRole", RoleName="ecsInstanceRole")
ci = ec2.run_instances(ImageId=AMI, InstanceType="m5.large", MinCount=1, MaxCount=1, IamInstanceProfile={"Name": "ecsInstanceRole"}, NetworkInterfaces=[
    {"DeviceIndex": 0, "SubnetId": subnet_a, "Groups": [sg], "AssociatePublicIpAddress": True}], UserData="#!/bin/bash\necho ECS_CLUSTER=waiters-ec2 >> /etc/ecs/ecs.config\n")[
    "Instances"][0]["InstanceId"]
wait(ec2, "instance_running", InstanceIds=[ci])
ecs.register_task_definition(family="bridge", networkMode="bridge", requiresCompatibilities=["EC2"], containerDefinitions=[{
    "name": "web", "image": "public.ecr.aws/docker/library/nginx:latest", "memory": 128,
    "portMappings": [{"containerPort": 80, "hostPort": 8080}]}])
ecs.create_service(cluster="waiters-ec2", serviceName="bridge", taskDefinition="bridge", desiredCount=1, launchType="EC2")
wait(ecs, "services_stable", cluster="waiters-ec2", services=["bridge"])
bridge_tasks = ecs.list_tasks(cluster="waiters-ec2", serviceName="bridge")["taskArns"]
wait(ecs, "tasks_running", cluster="waiters-ec2", tasks=bridge_tasks)
ecs.update_service(cluster="waiters-ec2", service="bridge", desiredCount=3)
try:
    ecs.get_waiter("services_stable").wait(cluster="waiters-ec2", services=["bridge"],
                                            WaiterConfig={"Delay": 0.2, "MaxAttempts": 5})
    bad("ecs services_stable on a service that cannot place its tasks: succeeded")
except botocore.exceptions.WaiterError as e:
    if "Max attempts exceeded" in str(e):
        ok("ecs services_stable polls on a service that cannot place its tasks")
    else:
        bad(f"ecs services_stable on a service that cannot place its tasks: {e}, want polling")
ecs.update_service(cluster="waiters-ec2", service="bridge", desiredCount=1)
wait(ecs, "services_stable", cluster="waiters-ec2", services=["bridge"])
ecs.delete_service(cluster="waiters-ec2", service="bridge", force=True)
ec2.terminate_instances(InstanceIds=[ci])

# --- CloudFormation ----------------------------------------------------------
TEMPLATE = {"Resources": {"Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
    "GroupDescription": "waiters", "VpcId": vpc}}}}
cfn.create_stack(StackName="waiters", TemplateBody=json.dumps(TEMPLATE))
wait(cfn, "stack_exists", StackName="waiters")
wait(cfn, "stack_create_complete", StackName="waiters")
TEMPLATE["Resources"]["Group"]["Properties"]["Tags"] = [{"Key": "k", "Value": "v"}]
cfn.create_change_set(StackName="waiters", ChangeSetName="cs", TemplateBody=json.dumps(TEMPLATE))
wait(cfn, "change_set_create_complete", StackName="waiters", ChangeSetName="cs")
cfn.execute_change_set(StackName="waiters", ChangeSetName="cs")
wait(cfn, "stack_update_complete", StackName="waiters")
# A change set without changes fails: the waiter's failure acceptor.
cfn.create_change_set(StackName="waiters", ChangeSetName="same", TemplateBody=json.dumps(TEMPLATE))
wait_fails(cfn, "change_set_create_complete", "a change set without changes", StackName="waiters",
           ChangeSetName="same")
# An update that fails rolls back: stack_update_complete fails on UPDATE_ROLLBACK_COMPLETE.
BROKEN = {"Resources": {"Group": TEMPLATE["Resources"]["Group"], "Bad": {
    "Type": "AWS::EC2::Subnet", "Properties": {"VpcId": vpc, "CidrBlock": "10.99.0.0/24"}}}}
cfn.update_stack(StackName="waiters", TemplateBody=json.dumps(BROKEN))
wait_fails(cfn, "stack_update_complete", "an update that rolls back", StackName="waiters")
wait(cfn, "stack_rollback_complete", StackName="waiters")  # UPDATE_ROLLBACK_COMPLETE
wait_fails(cfn, "stack_delete_complete", "a stack that is not being deleted", StackName="waiters")
# A create that fails: stack_create_complete fails, stack_rollback_complete succeeds.
cfn.create_stack(StackName="waiters-bad", TemplateBody=json.dumps({"Resources": {"Bad": BROKEN["Resources"]["Bad"]}}))
wait_fails(cfn, "stack_create_complete", "a create that rolls back", StackName="waiters-bad")
cfn.delete_stack(StackName="waiters-bad")
stack_id = cfn.describe_stacks(StackName="waiters")["Stacks"][0]["StackId"]
cfn.delete_stack(StackName="waiters")
wait(cfn, "stack_delete_complete", StackName="waiters")
wait(cfn, "stack_delete_complete", StackName=stack_id)  # by id: DELETE_COMPLETE
# A delete that fails (its security group is in use by an instance outside
# the stack: DependencyViolation) ends DELETE_FAILED: the waiter stops on it.
cfn.create_stack(StackName="waiters-inuse", TemplateBody=json.dumps({"Resources": {"Group": {
    "Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "in use", "VpcId": vpc}}}}))
wait(cfn, "stack_create_complete", StackName="waiters-inuse")
inuse_sg = cfn.describe_stack_resources(StackName="waiters-inuse")["StackResources"][0]["PhysicalResourceId"]
inuse = ec2.run_instances(ImageId=AMI, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnet_a,
                          SecurityGroupIds=[inuse_sg])["Instances"][0]["InstanceId"]
cfn.delete_stack(StackName="waiters-inuse")
wait_fails(cfn, "stack_delete_complete", "a delete that fails (DELETE_FAILED)", StackName="waiters-inuse")
ec2.terminate_instances(InstanceIds=[inuse])
wait_fails_by_error(cfn, "stack_create_complete", "a missing stack", "ValidationError", StackName="nope")

# --- teardown of the instance ------------------------------------------------
ec2.terminate_instances(InstanceIds=[i1, web])
wait(ec2, "instance_terminated", InstanceIds=[i1, web])

print(f"{time.monotonic() - START:.1f}s", flush=True)
if failures:
    print(f"{len(failures)} waiter(s) misbehaved:", file=sys.stderr)
    for f in failures:
        print(" -", f, file=sys.stderr)
    sys.exit(1)
print("all waiters ok")
