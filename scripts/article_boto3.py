#!/usr/bin/env python3
"""Builds the article's system from nothing with boto3 against an `ecsnet
serve` endpoint and checks that ecsnet answers as AWS does: the task's ENI,
the instance's ENIs, the assignPublicIp error, RESOURCE:ENI and two Network
Insights analyses.

    ECSNET_ENDPOINT=http://127.0.0.1:4566 python3 scripts/article_boto3.py

Run by internal/server's TestArticleBoto3 (go test ./...). Prints one "ok"
line per check and exits non-zero on the first failure.
"""
import ipaddress
import json
import os
import sys
import time

import boto3
import botocore.config
import botocore.exceptions

ENDPOINT = os.environ["ECSNET_ENDPOINT"]
CFG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=CFG)


ec2, ecs = client("ec2"), client("ecs")


def ok(msg):
    print("ok -", msg, flush=True)


def fail(msg):
    print("FAIL:", msg, file=sys.stderr, flush=True)
    sys.exit(1)


def want(got, expected, what):
    if got != expected:
        fail(f"{what}: got {got!r}, want {expected!r}")
    ok(what)


def poll(what, cond, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = cond()
        if value:
            ok(what)
            return value
        time.sleep(0.05)
    fail(f"{what}: timed out")


# The network.
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnet)


def security_group(name, port):
    gid = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    return gid


instance_sg, task_sg = security_group("instance-sg", 22), security_group("task-sg", 3000)
ok(f"network built ({vpc}, {subnet}, {igw})")

# The instance profile the ECS agent's credentials come from (the ECS
# console's ecsInstanceRole): without it the instance never registers.
iam = client("iam")
iam.create_role(RoleName="ecsInstanceRole", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
iam.attach_role_policy(RoleName="ecsInstanceRole",
                       PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
iam.create_instance_profile(InstanceProfileName="ecsInstanceRole")
iam.add_role_to_instance_profile(InstanceProfileName="ecsInstanceRole", RoleName="ecsInstanceRole")

# The cluster, an m5.large that joins it, the awsvpc task definition, the service.
ecs.create_cluster(clusterName="demo")
# The ECS-optimized AMI, from its public parameter (EC2 refuses an id that
# names no image).
ami = client("ssm").get_parameter(Name="/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id")["Parameter"]["Value"]
instance = ec2.run_instances(ImageId=ami, InstanceType="m5.large", MinCount=1, MaxCount=1,
                             SubnetId=subnet, SecurityGroupIds=[instance_sg], IamInstanceProfile={"Name": "ecsInstanceRole"},
                             UserData="#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n")["Instances"][0]["InstanceId"]
poll(f"instance {instance} registered with demo",
     lambda: len(ecs.list_container_instances(cluster="demo")["containerInstanceArns"]) == 1)
ecs.register_task_definition(family="web", networkMode="awsvpc", requiresCompatibilities=["EC2"], containerDefinitions=[{
    "name": "web", "image": "public.ecr.aws/docker/library/node:20", "memory": 512, "portMappings": [{"containerPort": 3000}]}])


def network(public=False):
    return {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [task_sg],
                                    "assignPublicIp": "ENABLED" if public else "DISABLED"}}


ecs.create_service(cluster="demo", serviceName="web", taskDefinition="web", desiredCount=1, launchType="EC2",
                   networkConfiguration=network())


def running_task():
    arns = ecs.list_tasks(cluster="demo", serviceName="web")["taskArns"]
    if len(arns) != 1:
        return None
    t = ecs.describe_tasks(cluster="demo", tasks=arns)["tasks"][0]
    return t if t["lastStatus"] == "RUNNING" else None


task = poll("the service's task is RUNNING", running_task)

# describe-tasks: the ENI attachment with a private address in the subnet.
att = task["attachments"][0]
want(att["type"], "ElasticNetworkInterface", "describe_tasks: ElasticNetworkInterface attachment")
details = {d["name"]: d["value"] for d in att["details"]}
want([d["name"] for d in att["details"]], ["subnetId", "networkInterfaceId", "macAddress", "privateDnsName", "privateIPv4Address"],
     "describe_tasks: attachment details subnetId, networkInterfaceId, macAddress, privateDnsName, privateIPv4Address")
eni, ip = details["networkInterfaceId"], details["privateIPv4Address"]
if ipaddress.ip_address(ip) not in ipaddress.ip_network("10.0.1.0/24"):
    fail(f"task address {ip} is not in 10.0.1.0/24")
ok(f"describe_tasks: the task's private address {ip} is in the subnet")
want(task["containers"][0]["networkInterfaces"][0]["privateIpv4Address"], ip,
     "describe_tasks: containers[0].networkInterfaces[0].privateIpv4Address")

# describe-network-interfaces.
n = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]
want(n["Attachment"]["InstanceId"], instance, "describe_network_interfaces: the task ENI is attached to the instance")
if n["Attachment"]["DeviceIndex"] < 1:
    fail(f"task ENI at device index {n['Attachment']['DeviceIndex']}")
ok(f"describe_network_interfaces: the task ENI is at device index {n['Attachment']['DeviceIndex']} (>= 1)")
want("Association" in n, False, "describe_network_interfaces: the task ENI has no public IP")
want(n["RequesterManaged"], True, "describe_network_interfaces: the task ENI is requester-managed")
primary = ec2.describe_network_interfaces(Filters=[
    {"Name": "attachment.instance-id", "Values": [instance]},
    {"Name": "attachment.device-index", "Values": ["0"]}])["NetworkInterfaces"]
want(len(primary), 1, "describe_network_interfaces: one primary ENI at device index 0")
public_ip = primary[0].get("Association", {}).get("PublicIp")
if not public_ip:
    fail("the instance's primary ENI has no public IP")
ok(f"describe_network_interfaces: the primary ENI has the public IP {public_ip}")


# run-task assignPublicIp=ENABLED on EC2: AWS's exact error, nothing left behind.
def snapshot():
    enis = sorted((x["NetworkInterfaceId"], x["Status"]) for x in ec2.describe_network_interfaces()["NetworkInterfaces"])
    tasks = sorted(ecs.list_tasks(cluster="demo")["taskArns"] + ecs.list_tasks(cluster="demo", desiredStatus="STOPPED")["taskArns"])
    return enis, tasks


before = snapshot()
try:
    ecs.run_task(cluster="demo", taskDefinition="web", launchType="EC2", networkConfiguration=network(public=True))
    fail("run_task with assignPublicIp=ENABLED on EC2 succeeded")
except botocore.exceptions.ClientError as e:
    want((e.response["Error"]["Code"], e.response["Error"]["Message"]),
         ("InvalidParameterException", "Assign public IP is not supported for this launch type."),
         "run_task assignPublicIp=ENABLED on EC2: InvalidParameterException")
want(snapshot(), before, "the failed run_task left nothing behind")

# m5.large: the second awsvpc task fits, the third fails with RESOURCE:ENI.
r = ecs.run_task(cluster="demo", taskDefinition="web", launchType="EC2", networkConfiguration=network())
want((len(r["tasks"]), len(r["failures"])), (1, 0), "run_task: a second awsvpc task fits")
r = ecs.run_task(cluster="demo", taskDefinition="web", launchType="EC2", networkConfiguration=network())
want((len(r["tasks"]), [f["reason"] for f in r["failures"]]), (0, ["RESOURCE:ENI"]), "run_task: the third fails with RESOURCE:ENI")


# Network Insights.
def analyze(src, dst):
    path = ec2.create_network_insights_path(Source=src, Destination=dst, DestinationPort=3000, Protocol="tcp")
    start = ec2.start_network_insights_analysis(NetworkInsightsPathId=path["NetworkInsightsPath"]["NetworkInsightsPathId"])
    an = start["NetworkInsightsAnalysis"]
    want(an["Status"], "running", f"start_network_insights_analysis {src} -> {dst}: running")

    def done():
        a = ec2.describe_network_insights_analyses(NetworkInsightsAnalysisIds=[an["NetworkInsightsAnalysisId"]])["NetworkInsightsAnalyses"][0]
        return a if a["Status"] != "running" else None

    a = poll(f"analysis {an['NetworkInsightsAnalysisId']} completed", done)
    want(a["Status"], "succeeded", "the analysis succeeded")
    return a


a = analyze(igw, instance)
want(a["NetworkPathFound"], False, "internet gateway -> instance:3000: not found")
sg_explanations = [x for x in a["Explanations"] if x["ExplanationCode"] == "ENI_SG_RULES_MISMATCH"]
want([g["Id"] for x in sg_explanations for g in x.get("SecurityGroups", [])], [instance_sg],
     "internet gateway -> instance:3000: ENI_SG_RULES_MISMATCH names the instance's security group")
a = analyze(igw, eni)
want((a["NetworkPathFound"], "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS" in [x["ExplanationCode"] for x in a["Explanations"]]), (False, True),
     "internet gateway -> task ENI:3000: not found, IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS")
print("PASS: the article's system, built with boto3, behaves as on AWS")
