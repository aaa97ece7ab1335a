"""Shared helpers of the boto3 client tests: clients against ECSNET_ENDPOINT,
a VPC with two subnets, waiting, and asserting AWS errors."""
import os
import time

import boto3
import botocore.exceptions

ENDPOINT = os.environ["ECSNET_ENDPOINT"]


def client(name):
    return boto3.client(name, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")


def network(ec2):
    """A VPC with two public subnets (us-east-1a, us-east-1b): an internet
    gateway, a default route to it, public IPs on launch."""
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i + 1}.0/24", AvailabilityZone=az)["Subnet"]["SubnetId"]
               for i, az in enumerate(["us-east-1a", "us-east-1b"])]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    for s in subnets:
        ec2.modify_subnet_attribute(SubnetId=s, MapPublicIpOnLaunch={"Value": True})
    return vpc, subnets


def eventually(what, cond, timeout=10):
    deadline = time.time() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError(f"{what}: timed out")
        time.sleep(0.02)


def fails(code, message, fn, *args, **kwargs):
    """Calls fn and asserts it fails with AWS error code (and message, when
    not None: exact, or a prefix when it ends with '…')."""
    try:
        fn(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        assert err["Code"] == code, f"{fn.__name__}: code {err['Code']!r}, want {code!r} ({err.get('Message')})"
        if message is not None:
            got = err.get("Message", "")
            if message.endswith("…"):
                assert got.startswith(message[:-1]), f"{fn.__name__}: message {got!r}, want prefix {message!r}"
            else:
                assert got == message, f"{fn.__name__}: message {got!r}, want {message!r}"
        return err
    raise AssertionError(f"{fn.__name__} succeeded, want {code}")


def pem(name):
    """A PEM file of testdata/certs: self-signed test certificates (P-256,
    valid until 2126) and their keys, made for these tests only."""
    with open(os.path.join(os.path.dirname(__file__), "..", "certs", name)) as f:
        return f.read()


def server_certificate(iam, name, n=1):
    """Uploads test certificate n to IAM and returns its ARN."""
    return iam.upload_server_certificate(ServerCertificateName=name, CertificateBody=pem(f"cert{n}.pem"),
                                         PrivateKey=pem(f"key{n}.pem"))["ServerCertificateMetadata"]["Arn"]


def ecs_instance_profile(iam):
    """The instance profile an ECS container instance needs to register, as
    the ECS console makes it (once): the role ecsInstanceRole, trusted by EC2,
    with AmazonEC2ContainerServiceforEC2Role, in the profile ecsInstanceRole.
    Returns the IamInstanceProfile parameter of run_instances."""
    try:
        iam.get_instance_profile(InstanceProfileName="ecsInstanceRole")
        return {"Name": "ecsInstanceRole"}
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] != "NoSuchEntity":
            raise
    trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
    iam.create_role(RoleName="ecsInstanceRole", AssumeRolePolicyDocument=trust)
    iam.attach_role_policy(RoleName="ecsInstanceRole",
                           PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
    iam.create_instance_profile(InstanceProfileName="ecsInstanceRole")
    iam.add_role_to_instance_profile(InstanceProfileName="ecsInstanceRole", RoleName="ecsInstanceRole")
    return {"Name": "ecsInstanceRole"}


def validate_by_dns(acm, arn, zone_name):
    """Validates a DNS-validated ACM certificate as its owner does: each
    name's CNAME record (DomainValidationOptions[].ResourceRecord) written
    into a public Route 53 zone of the account (made when missing), then
    ACM's certificate_validated waiter until it is ISSUED."""
    r53 = client("route53")
    zones = [z["Id"] for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == zone_name + "."]
    zone = zones[0] if zones else r53.create_hosted_zone(Name=zone_name, CallerReference="validate-" + arn[-12:])["HostedZone"]["Id"]
    d = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    changes = {}
    for o in d["DomainValidationOptions"]:
        rr = o["ResourceRecord"]
        changes[rr["Name"]] = {"Action": "UPSERT", "ResourceRecordSet": {"Name": rr["Name"], "Type": rr["Type"], "TTL": 300,
                                                                       "ResourceRecords": [{"Value": rr["Value"]}]}}
    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": list(changes.values())})
    acm.get_waiter("certificate_validated").wait(CertificateArn=arn, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
