#!/usr/bin/env python3
"""CloudFormation on `ecsnet serve`, through boto3: a stack whose resource
fails rolls back (and OnFailure DO_NOTHING / DELETE), change sets (create,
describe, execute, no changes), updates and their rollback, exports and
imports, capabilities, NoEcho, templates.

    ECSNET_ENDPOINT=http://127.0.0.1:4566 scripts/cfn_boto3.py

Run by internal/server's TestCloudFormationBoto3. Prints one "ok" line per
check and exits non-zero on the first failure.
"""
import os
import sys

import boto3
from botocore.exceptions import ClientError, WaiterError

ENDPOINT = os.environ["ECSNET_ENDPOINT"]
KW = dict(endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
cf = boto3.client("cloudformation", **KW)
ec2 = boto3.client("ec2", **KW)
FAST = {"Delay": 1, "MaxAttempts": 20}


def ok(msg):
    print("ok -", msg)


def check(cond, msg):
    if not cond:
        print("FAIL:", msg, file=sys.stderr)
        sys.exit(1)
    ok(msg)


def error(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("Message", "")
    return None, None


def events(stack):
    out = []
    for page in cf.get_paginator("describe_stack_events").paginate(StackName=stack):
        out.extend(page["StackEvents"])
    return list(reversed(out))  # oldest first


def status(stack):
    return cf.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]


def vpc_cidrs():
    return sorted(v["CidrBlock"] for v in ec2.describe_vpcs()["Vpcs"])


FAILING = """
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16}
  Bucket:
    Type: AWS::S3::Bucket
  Good:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.1.0/24}
  Bad:
    Type: AWS::EC2::Subnet
    DependsOn: Good
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.8.1.0/24}
"""

# 1. A failing resource: CREATE_FAILED with the service's error, the
# created resources deleted in reverse order, ROLLBACK_COMPLETE.
before = vpc_cidrs()
sid = cf.create_stack(StackName="failing", TemplateBody=FAILING)["StackId"]
try:
    cf.get_waiter("stack_create_complete").wait(StackName=sid, WaiterConfig=FAST)
    check(False, "stack_create_complete waiter succeeded on a failing stack")
except WaiterError as e:
    check("ROLLBACK_COMPLETE" in str(e), "stack_create_complete waiter fails on ROLLBACK_COMPLETE")
check(status("failing") == "ROLLBACK_COMPLETE", "the failing stack is ROLLBACK_COMPLETE")
ev = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in events("failing")]
failed = [e for e in events("failing") if e["ResourceStatus"] == "CREATE_FAILED"]
check(len(failed) == 1 and failed[0]["LogicalResourceId"] == "Bad" and "The CIDR '10.8.1.0/24' is invalid." in failed[0]["ResourceStatusReason"],
      "CREATE_FAILED on Bad with EC2's error text")
check(ev[0] == ("failing", "CREATE_IN_PROGRESS") and ev[-1] == ("failing", "ROLLBACK_COMPLETE"), "events run CREATE_IN_PROGRESS .. ROLLBACK_COMPLETE")
rb = ev.index(("failing", "ROLLBACK_IN_PROGRESS"))
deleted = [lid for lid, st in ev[rb:] if st == "DELETE_COMPLETE"]
check(deleted.index("Good") < deleted.index("Vpc"), "the rollback deletes Good before Vpc (reverse order)")
check(vpc_cidrs() == before, "the rollback left no VPC behind")
reason = cf.describe_stacks(StackName="failing")["Stacks"][0]["StackStatusReason"]
check(reason == "The following resource(s) failed to create: [Bad]. Rollback requested by user.", "stack status reason: " + reason)
bucket = [e["ResourceStatus"] for e in events("failing") if e["LogicalResourceId"] == "Bucket"]
check("CREATE_COMPLETE" in bucket and bucket[-1] == "DELETE_COMPLETE" and not boto3.client("s3", **KW).list_buckets()["Buckets"],
      "AWS::S3::Bucket is created through S3 and deleted by the rollback (round twenty-four)")
code, _ = error(cf.create_stack, StackName="failing", TemplateBody=FAILING)
check(code == "AlreadyExistsException", "a second CreateStack of the name: AlreadyExistsException")
cf.delete_stack(StackName="failing")
cf.get_waiter("stack_delete_complete").wait(StackName="failing", WaiterConfig=FAST)
ok("a ROLLBACK_COMPLETE stack deletes")

# OnFailure DO_NOTHING keeps what was created; DELETE deletes the stack too.
cf.create_stack(StackName="keep", TemplateBody=FAILING, OnFailure="DO_NOTHING")
check(status("keep") == "CREATE_FAILED" and "10.9.0.0/16" in vpc_cidrs(), "OnFailure=DO_NOTHING: CREATE_FAILED, the VPC kept")
cf.delete_stack(StackName="keep")
cf.get_waiter("stack_delete_complete").wait(StackName="keep", WaiterConfig=FAST)
check("10.9.0.0/16" not in vpc_cidrs(), "deleting the CREATE_FAILED stack deletes the VPC it kept")
gone = cf.create_stack(StackName="gone", TemplateBody=FAILING, OnFailure="DELETE")["StackId"]
check(cf.describe_stacks(StackName=gone)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE", "OnFailure=DELETE: DELETE_COMPLETE, visible by stack id")
code, msg = error(cf.describe_stacks, StackName="gone")
check(code == "ValidationError" and msg == "Stack with id gone does not exist", "by name it does not exist: " + str(msg))
listed = {s["StackName"]: s["StackStatus"] for s in cf.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]}
check(listed.get("gone") == "DELETE_COMPLETE", "list_stacks with a status filter lists the deleted stack")

# 2. Change sets: CREATE, then an UPDATE with changes, then one without.
NET = """
Description: a network that exports its VPC
Parameters:
  Cidr: {Type: String, Default: 10.20.0.0/16}
  Secret: {Type: String, NoEcho: true, Default: hunter2}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !Ref Cidr}
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export: {Name: !Sub "${AWS::StackName}-VpcId"}
"""
cs = cf.create_change_set(StackName="net", ChangeSetName="first", ChangeSetType="CREATE", TemplateBody=NET)
check(status("net") == "REVIEW_IN_PROGRESS", "CreateChangeSet(CREATE) makes a REVIEW_IN_PROGRESS stack")
cf.get_waiter("change_set_create_complete").wait(ChangeSetName=cs["Id"], WaiterConfig=FAST)
d = cf.describe_change_set(ChangeSetName="first", StackName="net")
check(d["Status"] == "CREATE_COMPLETE" and d["ExecutionStatus"] == "AVAILABLE", "the change set is CREATE_COMPLETE and AVAILABLE")
check([(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in d["Changes"]] == [("Add", "Vpc")], "its change: Add Vpc")
check(len(cf.list_change_sets(StackName="net")["Summaries"]) == 1, "list_change_sets lists it")
cf.execute_change_set(ChangeSetName=cs["Id"])
cf.get_waiter("stack_create_complete").wait(StackName="net", WaiterConfig=FAST)
stack = cf.describe_stacks(StackName="net")["Stacks"][0]
check(stack["StackStatus"] == "CREATE_COMPLETE", "executed: CREATE_COMPLETE")
params = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
check(params == {"Cidr": "10.20.0.0/16", "Secret": "****"}, "NoEcho parameters read as ****")
vpc_id = stack["Outputs"][0]["OutputValue"]
check(stack["Outputs"][0]["ExportName"] == "net-VpcId" and vpc_id.startswith("vpc-"), "the output is exported as net-VpcId")
exports = {e["Name"]: e["Value"] for e in cf.list_exports()["Exports"]}
check(exports.get("net-VpcId") == vpc_id, "list_exports lists net-VpcId")
check(cf.get_template(StackName="net")["TemplateBody"] == NET, "get_template returns the template as given")

up = cf.create_change_set(StackName="net", ChangeSetName="second", TemplateBody=NET,
                          Parameters=[{"ParameterKey": "Cidr", "ParameterValue": "10.21.0.0/16"}, {"ParameterKey": "Secret", "UsePreviousValue": True}])
d = cf.describe_change_set(ChangeSetName=up["Id"])
check(d["Status"] == "CREATE_COMPLETE", "an UPDATE change set with a new parameter value is CREATE_COMPLETE")
rc = [c["ResourceChange"] for c in d["Changes"]]
check([(r["Action"], r["LogicalResourceId"], r.get("Replacement")) for r in rc] == [("Modify", "Vpc", "True")],
      "its change: Modify Vpc (Replacement True: a VPC's CidrBlock needs a new VPC)")
same = cf.create_change_set(StackName="net", ChangeSetName="third", TemplateBody=NET,
                            Parameters=[{"ParameterKey": "Cidr", "UsePreviousValue": True}, {"ParameterKey": "Secret", "UsePreviousValue": True}])
d = cf.describe_change_set(ChangeSetName=same["Id"])
check(d["Status"] == "FAILED" and d["StatusReason"].startswith("The submitted information didn't contain changes."),
      "a change set without changes FAILED: " + d["StatusReason"])
cf.delete_change_set(ChangeSetName=same["Id"])
code, _ = error(cf.describe_change_set, ChangeSetName=same["Id"])
check(code == "ChangeSetNotFound", "a deleted change set: ChangeSetNotFound (ChangeSetNotFoundException on the wire)")

# 3. Imports: a stack that imports net-VpcId; the export cannot go while used.
APP = """
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !ImportValue net-VpcId, CidrBlock: 10.20.1.0/24}
"""
cf.create_stack(StackName="app", TemplateBody=APP)
check(status("app") == "CREATE_COMPLETE", "a stack importing net-VpcId is CREATE_COMPLETE")
sub = cf.describe_stack_resource(StackName="app", LogicalResourceId="Subnet")["StackResourceDetail"]["PhysicalResourceId"]
check(ec2.describe_subnets(SubnetIds=[sub])["Subnets"][0]["VpcId"] == vpc_id, "its subnet is in the imported VPC")
check(cf.list_imports(ExportName="net-VpcId")["Imports"] == ["app"], "list_imports: app")
cf.delete_stack(StackName="net")
last = events("net")[-1]
check(status("net") == "CREATE_COMPLETE" and last["ResourceStatusReason"] == "Export net-VpcId cannot be deleted as it is in use by app",
      "delete_stack of the exporter: refused in an event, the stack unchanged")
DUP = NET.replace("${AWS::StackName}-VpcId", "net-VpcId").replace("10.20.0.0", "10.30.0.0")
cf.create_stack(StackName="dup", TemplateBody=DUP)
reason = cf.describe_stacks(StackName="dup")["Stacks"][0]["StackStatusReason"]
check(status("dup") == "ROLLBACK_COMPLETE" and "Export with name net-VpcId is already exported by stack net" in reason,
      "a duplicate export name rolls the stack back: " + reason)
code, msg = error(cf.create_stack, StackName="bad-import", TemplateBody=APP.replace("net-VpcId", "nope"))
check(code == "ValidationError" and "No export named nope found" in msg, "an import of a missing export: ValidationError: " + str(msg))
cf.delete_stack(StackName="app")
cf.get_waiter("stack_delete_complete").wait(StackName="app", WaiterConfig=FAST)
cf.delete_stack(StackName="net")
cf.get_waiter("stack_delete_complete").wait(StackName="net", WaiterConfig=FAST)
check(vpc_id not in [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]], "once app is gone, net deletes, and its VPC with it")

# 4. UpdateStack: a good update, a failing one (UPDATE_ROLLBACK_COMPLETE),
# and none at all.
cf.create_stack(StackName="upd", TemplateBody=NET)
cf.update_stack(StackName="upd", TemplateBody=NET, Parameters=[{"ParameterKey": "Cidr", "ParameterValue": "10.40.0.0/16"}])
cf.get_waiter("stack_update_complete").wait(StackName="upd", WaiterConfig=FAST)
check(status("upd") == "UPDATE_COMPLETE" and "10.40.0.0/16" in vpc_cidrs() and "10.20.0.0/16" not in vpc_cidrs(),
      "update_stack: UPDATE_COMPLETE, the VPC replaced")
code, msg = error(cf.update_stack, StackName="upd", UsePreviousTemplate=True,
                  Parameters=[{"ParameterKey": "Cidr", "UsePreviousValue": True}, {"ParameterKey": "Secret", "UsePreviousValue": True}])
check(code == "ValidationError" and msg == "No updates are to be performed.", "an update without changes: No updates are to be performed.")
BROKEN = NET.replace("Outputs:", """  Bad:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 192.168.0.0/24}
Outputs:""")
cf.update_stack(StackName="upd", TemplateBody=BROKEN)
try:
    cf.get_waiter("stack_update_complete").wait(StackName="upd", WaiterConfig=FAST)
    check(False, "stack_update_complete succeeded on a failing update")
except WaiterError as e:
    check("UPDATE_ROLLBACK_COMPLETE" in str(e), "stack_update_complete fails on UPDATE_ROLLBACK_COMPLETE")
check("10.40.0.0/16" in vpc_cidrs() and cf.get_template(StackName="upd")["TemplateBody"] == NET,
      "after the rollback the stack has its VPC and its previous template")

# 5. Templates: validation, summaries, capabilities, URLs.
IAM = """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties: {RoleName: named, AssumeRolePolicyDocument: {}}
"""
code, msg = error(cf.create_stack, StackName="iam", TemplateBody=IAM, Capabilities=["CAPABILITY_IAM"])
check(code == "InsufficientCapabilitiesException" and msg == "Requires capabilities : [CAPABILITY_NAMED_IAM]", "a named IAM role needs CAPABILITY_NAMED_IAM")
v = cf.validate_template(TemplateBody=IAM)
check(v["Capabilities"] == ["CAPABILITY_NAMED_IAM"] and "AWS::IAM::Role" in v["CapabilitiesReason"], "validate_template reports the capability")
s = cf.get_template_summary(TemplateBody=NET)
check(s["ResourceTypes"] == ["AWS::EC2::VPC"] and [p["ParameterKey"] for p in s["Parameters"]] == ["Cidr", "Secret"],
      "get_template_summary: resource types and parameters")
code, msg = error(cf.validate_template, TemplateBody="Resources: [")
check(code == "ValidationError" and msg.startswith("Template format error"), "a broken template: " + str(msg))
code, msg = error(cf.create_stack, StackName="url", TemplateURL="https://s3.amazonaws.com/bucket/t.yaml")
check(code == "ValidationError" and msg.startswith("S3 error: The specified bucket does not exist"), "TemplateURL of a bucket that does not exist: " + str(msg))
code, msg = error(cf.create_stack, StackName="params", TemplateBody=NET, Parameters=[{"ParameterKey": "Nope", "ParameterValue": "x"}])
check(code == "ValidationError" and msg == "Parameters: [Nope] do not exist in the template", "an unknown parameter: " + str(msg))

# 6. Termination protection, and rolling back a CREATE_FAILED stack.
cf.create_stack(StackName="tp", TemplateBody=NET, EnableTerminationProtection=True)
code, msg = error(cf.delete_stack, StackName="tp")
check(code == "ValidationError" and msg == "Stack [tp] cannot be deleted while TerminationProtection is enabled", "termination protection: " + str(msg))
cf.update_termination_protection(StackName="tp", EnableTerminationProtection=False)
cf.delete_stack(StackName="tp")
cf.get_waiter("stack_delete_complete").wait(StackName="tp", WaiterConfig=FAST)
ok("without termination protection the stack deletes")
cf.create_stack(StackName="keep2", TemplateBody=FAILING, DisableRollback=True)
check(status("keep2") == "CREATE_FAILED" and "10.9.0.0/16" in vpc_cidrs(), "DisableRollback: CREATE_FAILED, the VPC kept")
cf.rollback_stack(StackName="keep2")
check(status("keep2") == "ROLLBACK_COMPLETE" and "10.9.0.0/16" not in vpc_cidrs(), "rollback_stack: ROLLBACK_COMPLETE, the VPC deleted")

# 7. Failure texts as the resource handlers word them: EC2's in the SDK v2
# form, ECS's with "Invalid request provided: <call> error:" and the SDK for
# Java v1's form (a capacity provider's name may not start with "ecs").
check(failed[0]["ResourceStatusReason"].startswith('Resource handler returned message: "The CIDR') and
      "(Service: Ec2, Status Code: 400, Request ID: " in failed[0]["ResourceStatusReason"] and
      failed[0]["ResourceStatusReason"].endswith("HandlerErrorCode: InvalidRequest)"), "EC2's failure text: " + failed[0]["ResourceStatusReason"])
ECSBAD = """
Resources:
  Provider:
    Type: AWS::ECS::CapacityProvider
    Properties:
      Name: ecs-provider
      AutoScalingGroupProvider: {AutoScalingGroupArn: nothing}
"""
cf.create_stack(StackName="ecsbad", TemplateBody=ECSBAD)
failed = [e for e in events("ecsbad") if e["ResourceStatus"] == "CREATE_FAILED"]
r = failed[0]["ResourceStatusReason"] if failed else ""
check(r.startswith('Resource handler returned message: "Invalid request provided: CreateCapacityProvider error: ') and
      "(Service: AmazonECS; Status Code: 400; Error Code: " in r and "; Proxy: null)" in r and
      r.endswith("HandlerErrorCode: InvalidRequest)"), "ECS's failure text: " + r)

print("PASS: CloudFormation through boto3")
