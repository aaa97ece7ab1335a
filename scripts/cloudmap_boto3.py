#!/usr/bin/env python3
"""AWS Cloud Map (servicediscovery) through boto3 against an `ecsnet serve`
endpoint: a private DNS namespace created through its operation, services,
instances registered and discovered, custom health, AWS's errors, tags and
cleanup.

    ECSNET_ENDPOINT=http://127.0.0.1:4566 python3 scripts/cloudmap_boto3.py

DiscoverInstances goes to AWS's data endpoint: botocore puts "data-" in
front of the endpoint's host (data-127.0.0.1), which no resolver knows, so
the client is made with inject_host_prefix=False (or set
AWS_DISABLE_HOST_PREFIX_INJECTION=true) and the call reaches ecsnet's one
port.

Run by internal/server's TestCloudMapBoto3. Prints one "ok" line per check
and exits non-zero on the first failure.
"""
import os
import sys
import time

import boto3
import botocore.config
import botocore.exceptions

ENDPOINT = os.environ["ECSNET_ENDPOINT"]
CFG = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}, inject_host_prefix=False)


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test", config=CFG)


ec2, sd, cfn = client("ec2"), client("servicediscovery"), client("cloudformation")


def ok(msg):
    print("ok -", msg, flush=True)


def fail(msg):
    print("FAIL:", msg, file=sys.stderr, flush=True)
    sys.exit(1)


def want(got, expected, what):
    if got != expected:
        fail(f"{what}: got {got!r}, want {expected!r}")
    ok(what)


def error(code, what, fn, **kw):
    try:
        fn(**kw)
    except botocore.exceptions.ClientError as e:
        want(e.response["Error"]["Code"], code, what)
        return e.response
    fail(f"{what}: no error, want {code}")


def operation(op_id, what):
    deadline = time.time() + 15
    while time.time() < deadline:
        op = sd.get_operation(OperationId=op_id)["Operation"]
        if op["Status"] == "SUCCESS":
            ok(what)
            return op
        if op["Status"] == "FAIL":
            fail(f"{what}: {op.get('ErrorCode')} {op.get('ErrorMessage')}")
        time.sleep(0.05)
    fail(f"{what}: timed out")


vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]

# A private DNS namespace: asynchronous, SUBMITTED then SUCCESS.
op_id = sd.create_private_dns_namespace(Name="corp.local", Vpc=vpc, CreatorRequestId="boto3-1")["OperationId"]
op = operation(op_id, "CreatePrivateDnsNamespace's operation succeeds")
want(op["Type"], "CREATE_NAMESPACE", "operation type")
ns_id = op["Targets"]["NAMESPACE"]
ns = sd.get_namespace(Id=ns_id)["Namespace"]
want((ns["Name"], ns["Type"], ns["Properties"]["HttpProperties"]["HttpName"]), ("corp.local", "DNS_PRIVATE", "corp.local"), "GetNamespace")
want(ns["Properties"]["DnsProperties"]["HostedZoneId"].startswith("Z"), True, "a Route 53 hosted zone id")
want(sd.get_namespace(Id=ns["Arn"])["Namespace"]["Id"], ns_id, "GetNamespace by ARN")
r = error("NamespaceAlreadyExists", "the same name in the same VPC", sd.create_private_dns_namespace, Name="corp.local", Vpc=vpc, CreatorRequestId="boto3-2")
want((r.get("NamespaceId"), r.get("CreatorRequestId")), (ns_id, "boto3-1"), "NamespaceAlreadyExists names the namespace and its request id")
error("InvalidInput", "a namespace in a missing VPC", sd.create_private_dns_namespace, Name="x.local", Vpc="vpc-00000000000000000")
error("NamespaceNotFound", "GetNamespace of a missing namespace", sd.get_namespace, Id="ns-0000000000000000")
names = [n["Name"] for n in sd.list_namespaces(Filters=[{"Name": "TYPE", "Values": ["DNS_PRIVATE"], "Condition": "EQ"}])["Namespaces"]]
want(names, ["corp.local"], "ListNamespaces TYPE filter")

# Services.
svc = sd.create_service(Name="api", NamespaceId=ns_id, DnsConfig={"DnsRecords": [{"Type": "A", "TTL": 10}]},
                        HealthCheckCustomConfig={})["Service"]
want((svc["Type"], svc["DnsConfig"]["RoutingPolicy"], svc["InstanceCount"]), ("DNS_HTTP", "MULTIVALUE", 0), "CreateService")
error("ServiceAlreadyExists", "a second service of the same name", sd.create_service, Name="api", NamespaceId=ns_id)
want([s["Id"] for s in sd.list_services(Filters=[{"Name": "NAMESPACE_ID", "Values": [ns_id]}])["Services"]], [svc["Id"]], "ListServices")
error("ResourceInUse", "DeleteNamespace with a service", sd.delete_namespace, Id=ns_id)

# Instances.
error("InvalidInput", "an A-record instance without AWS_INSTANCE_IPV4", sd.register_instance,
      ServiceId=svc["Id"], InstanceId="i-1", Attributes={"color": "blue"})
for i, color in ((1, "blue"), (2, "green")):
    op_id = sd.register_instance(ServiceId=svc["Id"], InstanceId=f"web-{i}",
                                 Attributes={"AWS_INSTANCE_IPV4": f"10.0.1.{10 + i}", "color": color})["OperationId"]
    operation(op_id, f"RegisterInstance web-{i}")
want(sorted(i["Id"] for i in sd.list_instances(ServiceId=svc["Id"])["Instances"]), ["web-1", "web-2"], "ListInstances")
want(sd.get_instance(ServiceId=svc["Id"], InstanceId="web-2")["Instance"]["Attributes"]["color"], "green", "GetInstance")
error("InstanceNotFound", "GetInstance of a missing instance", sd.get_instance, ServiceId=svc["Id"], InstanceId="nope")
found = sd.discover_instances(NamespaceName="corp.local", ServiceName="api")
want(sorted(i["Attributes"]["AWS_INSTANCE_IPV4"] for i in found["Instances"]), ["10.0.1.11", "10.0.1.12"], "DiscoverInstances")
found = sd.discover_instances(NamespaceName="corp.local", ServiceName="api", QueryParameters={"color": "green"})
want([i["InstanceId"] for i in found["Instances"]], ["web-2"], "DiscoverInstances QueryParameters")
rev = found["InstancesRevision"]
sd.update_instance_custom_health_status(ServiceId=svc["Id"], InstanceId="web-1", Status="UNHEALTHY")
want(sd.get_instances_health_status(ServiceId=svc["Id"])["Status"], {"web-1": "UNHEALTHY", "web-2": "HEALTHY"}, "GetInstancesHealthStatus")
want([i["InstanceId"] for i in sd.discover_instances(NamespaceName="corp.local", ServiceName="api")["Instances"]], ["web-2"],
     "DiscoverInstances returns the healthy instances")
want(sd.discover_instances_revision(NamespaceName="corp.local", ServiceName="api")["InstancesRevision"] > rev, True,
     "a health change moves the revision on")
error("ServiceNotFound", "DiscoverInstances of a missing service", sd.discover_instances, NamespaceName="corp.local", ServiceName="nope")
error("NamespaceNotFound", "DiscoverInstances in a missing namespace", sd.discover_instances, NamespaceName="nope.local", ServiceName="api")
error("ResourceInUse", "DeleteService with instances", sd.delete_service, Id=svc["Id"])

# Updates, tags, operations.
op_id = sd.update_service(Id=svc["Id"], Service={"Description": "the API", "DnsConfig": {"DnsRecords": [{"Type": "A", "TTL": 30}]}})["OperationId"]
operation(op_id, "UpdateService")
got = sd.get_service(Id=svc["Id"])["Service"]
want((got["Description"], got["DnsConfig"]["DnsRecords"][0]["TTL"], got["InstanceCount"]), ("the API", 30, 2), "GetService after the update")
sd.tag_resource(ResourceARN=svc["Arn"], Tags=[{"Key": "team", "Value": "net"}])
want(sd.list_tags_for_resource(ResourceARN=svc["Arn"])["Tags"], [{"Key": "team", "Value": "net"}], "TagResource")
sd.untag_resource(ResourceARN=svc["Arn"], TagKeys=["team"])
want(sd.list_tags_for_resource(ResourceARN=svc["Arn"])["Tags"], [], "UntagResource")
ops = sd.list_operations(Filters=[{"Name": "TYPE", "Values": ["REGISTER_INSTANCE"], "Condition": "EQ"}])["Operations"]
want(len(ops), 2, "ListOperations TYPE filter")

# Cleanup in dependency order.
for i in (1, 2):
    operation(sd.deregister_instance(ServiceId=svc["Id"], InstanceId=f"web-{i}")["OperationId"], f"DeregisterInstance web-{i}")
sd.delete_service(Id=svc["Id"])
error("ServiceNotFound", "GetService after DeleteService", sd.get_service, Id=svc["Id"])
op = operation(sd.delete_namespace(Id=ns_id)["OperationId"], "DeleteNamespace")
want(op["Type"], "DELETE_NAMESPACE", "delete operation type")
error("NamespaceNotFound", "GetNamespace after DeleteNamespace", sd.get_namespace, Id=ns_id)
# CloudFormation builds the same records: namespaces, a service, an
# instance; deleting the stack removes them.
TEMPLATE = """
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16}
  Private:
    Type: AWS::ServiceDiscovery::PrivateDnsNamespace
    Properties: {Name: stack.local, Vpc: !Ref Vpc, Properties: {DnsProperties: {SOA: {TTL: 50}}}}
  Apis:
    Type: AWS::ServiceDiscovery::HttpNamespace
    Properties: {Name: stack-apis}
  Svc:
    Type: AWS::ServiceDiscovery::Service
    Properties: {Name: orders, NamespaceId: !GetAtt Apis.Id, HealthCheckCustomConfig: {}}
  Inst:
    Type: AWS::ServiceDiscovery::Instance
    Properties: {ServiceId: !Ref Svc, InstanceId: o-1, InstanceAttributes: {url: "http://o1"}}
Outputs:
  Zone: {Value: !GetAtt Private.HostedZoneId}
"""
cfn.create_stack(StackName="cloudmap", TemplateBody=TEMPLATE)
stack = cfn.describe_stacks(StackName="cloudmap")["Stacks"][0]
want(stack["StackStatus"], "CREATE_COMPLETE", "a stack of Cloud Map resources")
by_name = {n["Name"]: n for n in sd.list_namespaces()["Namespaces"]}
want(by_name["stack.local"]["Properties"]["DnsProperties"]["SOA"]["TTL"], 50, "the template's SOA TTL")
want(stack["Outputs"][0]["OutputValue"], by_name["stack.local"]["Properties"]["DnsProperties"]["HostedZoneId"], "HostedZoneId attribute")
found = sd.discover_instances(NamespaceName="stack-apis", ServiceName="orders")["Instances"]
want([(i["InstanceId"], i["Attributes"]["url"], i["HealthStatus"]) for i in found], [("o-1", "http://o1", "HEALTHY")], "the template's instance")
cfn.delete_stack(StackName="cloudmap")
want(sd.list_namespaces()["Namespaces"], [], "DeleteStack removes the namespaces")
print("PASS")
