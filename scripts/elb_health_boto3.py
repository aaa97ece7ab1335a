#!/usr/bin/env python3
"""A Classic Load Balancer's new instance through boto3, against an
`ecsnet serve` endpoint: right after RegisterInstancesWithLoadBalancer
DescribeInstanceHealth answers OutOfService, reason code ELB, "Instance
registration is still in progress."; after the first health check,
OutOfService, reason code Instance, "Instance has not passed the configured
HealthyThreshold number of health checks consecutively."; once
HealthyThreshold checks have passed, InService. An instance in a zone the
load balancer does not have stays OutOfService (ELB, "Instance is in the EC2
Availability Zone for which LoadBalancer is not configured to route traffic
to.") without passing through registration.

    ECSNET_ENDPOINT=http://127.0.0.1:4566 python3 scripts/elb_health_boto3.py

Run by internal/server's TestELBHealthBoto3 (on an engine clock slowed ten
times, so that each state lasts long enough to be seen). Exits non-zero if
a state is missed or wrong.
"""
import os
import sys
import time

import boto3
import botocore.config

ENDPOINT = os.environ["ECSNET_ENDPOINT"]
CFG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=CFG)


ec2, elb = client("ec2"), client("elb")
failures = []


def bad(msg):
    print("FAIL:", msg, file=sys.stderr, flush=True)
    failures.append(msg)


vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
subnets = {az: ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.30.{i}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
           for i, az in enumerate(["us-east-1a", "us-east-1b", "us-east-1c"], start=1)}
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
    {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
ami = client("ssm").get_parameter(Name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")["Parameter"]["Value"]
nginx = "#!/bin/bash\ndnf install -y nginx\nsystemctl start nginx\n"


def run(subnet):
    i = ec2.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                          SubnetId=subnet, SecurityGroupIds=[sg], UserData=nginx)["Instances"][0]["InstanceId"]
    ec2.get_waiter("instance_running").wait(InstanceIds=[i], WaiterConfig={"Delay": 0.1, "MaxAttempts": 300})
    return i


web, far = run(subnets["us-east-1a"]), run(subnets["us-east-1c"])
elb.create_load_balancer(LoadBalancerName="health", Subnets=[subnets["us-east-1a"], subnets["us-east-1b"]],
                         SecurityGroups=[sg], Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80,
                                                          "InstanceProtocol": "HTTP", "InstancePort": 80}])
elb.configure_health_check(LoadBalancerName="health", HealthCheck={
    "Target": "HTTP:80/", "Interval": 30, "Timeout": 5, "UnhealthyThreshold": 2, "HealthyThreshold": 3})
elb.register_instances_with_load_balancer(LoadBalancerName="health", Instances=[{"InstanceId": web}, {"InstanceId": far}])

seen = []
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    states = {s["InstanceId"]: s for s in elb.describe_instance_health(LoadBalancerName="health")["InstanceStates"]}
    s = states[web]
    step = (s["State"], s["ReasonCode"], s["Description"])
    if not seen or seen[-1] != step:
        seen.append(step)
    f = states[far]
    if (f["State"], f["ReasonCode"]) != ("OutOfService", "ELB") or "not configured to route traffic" not in f["Description"]:
        bad(f"the instance in us-east-1c: {f}, want OutOfService ELB (zone not configured)")
        break
    if s["State"] == "InService":
        break
    time.sleep(0.02)
want = [
    ("OutOfService", "ELB", "Instance registration is still in progress."),
    ("OutOfService", "Instance", "Instance has not passed the configured HealthyThreshold number of health checks consecutively."),
    ("InService", "N/A", "N/A"),
]
if seen != want:
    bad(f"the new instance went {seen}, want {want}")
else:
    print("ok - a new instance: registration in progress, not yet HealthyThreshold checks, InService", flush=True)

if failures:
    sys.exit(1)
