#!/usr/bin/env python3
"""CloudFormation's stack lifecycle as AWS answers it, through boto3: the
shapes of DescribeStacks (what a stack without parameters or capabilities
leaves out, RollbackConfiguration, LastUpdatedTime of a stack created by a
change set, a deleted stack), the resource events, GetTemplateSummary and
ValidateTemplate, GetTemplate's errors and the template checks, as
LocalStack's AWS-validated snapshots record them (docs/aws-behavior.md).

    ECSNET_ENDPOINT=http://127.0.0.1:4566 scripts/cfn_lifecycle_boto3.py

Run by internal/server's TestCloudFormationLifecycleBoto3. Prints one "ok"
line per check and exits non-zero on the first failure.
"""
import json
import os
import sys

import boto3
import botocore.config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["ECSNET_ENDPOINT"]
KW = dict(endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
cf = boto3.client("cloudformation", **KW)
# as LocalStack's test clients: requests the SDK would refuse reach the server
raw = boto3.client("cloudformation", config=botocore.config.Config(parameter_validation=False), **KW)
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
        return e.response["Error"]["Code"], e.response["Error"].get("Message", ""), e.response["ResponseMetadata"]["HTTPStatusCode"]
    return None, None, None


def stack(name):
    return cf.describe_stacks(StackName=name)["Stacks"][0]


TOPIC = """
AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  TopicName: lifecycle-topic
  Owners: [web, "o'neil"]
  Reviewed: true
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: lifecycle-topic}
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.70.0.0/16}
    Metadata: {Owner: web, Ports: [80, 443]}
"""

# 1. A stack made by CreateStack without parameters nor capabilities.
sid = cf.create_stack(StackName="plain", TemplateBody=TOPIC)["StackId"]
cf.get_waiter("stack_create_complete").wait(StackName="plain", WaiterConfig=FAST)
s = stack("plain")
check("Parameters" not in s and "Capabilities" not in s, "no Parameters, no Capabilities keys when the stack has none")
check(s.get("RollbackConfiguration") == {}, "RollbackConfiguration {}")
check("LastUpdatedTime" not in s and "ChangeSetId" not in s, "CreateStack: no LastUpdatedTime, no ChangeSetId")
check(s.get("EnableTerminationProtection") is False and s.get("NotificationARNs") == [] and s.get("Tags") == [],
      "EnableTerminationProtection false, NotificationARNs [], Tags []")

# DescribeStackResource: the resource's Metadata attribute as JSON ("{}").
md = cf.describe_stack_resource(StackName="plain", LogicalResourceId="Topic")["StackResourceDetail"]
check(md.get("Metadata") == "{}", "DescribeStackResource Metadata of a resource without one: {}")

md = cf.describe_stack_resource(StackName="plain", LogicalResourceId="Vpc")["StackResourceDetail"]
check(json.loads(md.get("Metadata", "")) == {"Owner": "web", "Ports": [80, 443]}, "and of one with Metadata: " + md.get("Metadata", ""))

# 2. Resource events: CREATE_IN_PROGRESS without a physical id, then
# "Resource creation Initiated" with it, then CREATE_COMPLETE.
ev = [e for e in reversed(cf.describe_stack_events(StackName="plain")["StackEvents"]) if e["LogicalResourceId"] == "Topic"]
seq = [(e["ResourceStatus"], e.get("ResourceStatusReason", "")[:27], e["PhysicalResourceId"] != "") for e in ev]
check(seq[:2] == [("CREATE_IN_PROGRESS", "", False), ("CREATE_IN_PROGRESS", "Resource creation Initiated", True)]
      and seq[2][0] == "CREATE_COMPLETE", "resource events: %s" % seq)

# 3. GetTemplateSummary of a stack: Metadata as AWS prints it,
# ResourceIdentifierSummaries, no Capabilities nor DeclaredTransforms.
ts = cf.get_template_summary(StackName="plain")
check(ts["Metadata"] == "{'TopicName': 'lifecycle-topic', 'Owners': ['web', \"o'neil\"], 'Reviewed': True}", "Metadata " + ts["Metadata"])
check(ts["ResourceIdentifierSummaries"] == [{"ResourceType": "AWS::SNS::Topic", "LogicalResourceIds": ["Topic"]},
                                           {"ResourceType": "AWS::EC2::VPC", "LogicalResourceIds": ["Vpc"]}], "ResourceIdentifierSummaries")
check("Capabilities" not in ts and "DeclaredTransforms" not in ts and ts["Parameters"] == [], "no Capabilities, no DeclaredTransforms; Parameters []")
vt = cf.validate_template(TemplateBody=TOPIC)
check(set(vt) - {"ResponseMetadata"} == {"Parameters"}, "ValidateTemplate of a template without parameters, description, IAM: only Parameters")
vt = cf.validate_template(TemplateBody="Transform: AWS::LanguageExtensions\nResources:\n  T: {Type: AWS::SNS::Topic}\n")
check(vt.get("DeclaredTransforms") == ["AWS::LanguageExtensions"], "DeclaredTransforms lists the template's Transform")

# 4. A stack made by a change set: ChangeSetId and LastUpdatedTime; it
# cannot be summarised while REVIEW_IN_PROGRESS.
TWO = TOPIC.replace("lifecycle-topic", "cs-topic") + "Parameters:\n  Env: {Type: String}\n"
caps = ["CAPABILITY_AUTO_EXPAND", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
cs = cf.create_change_set(StackName="viacs", ChangeSetName="first", ChangeSetType="CREATE", TemplateBody=TWO,
                          Capabilities=caps, Parameters=[{"ParameterKey": "Env", "ParameterValue": "prod"}])
cf.get_waiter("change_set_create_complete").wait(ChangeSetName=cs["Id"], WaiterConfig=FAST)
code, msg, _ = error(cf.get_template_summary, StackName="viacs")
check(msg == "GetTemplateSummary cannot be called on REVIEW_IN_PROGRESS stacks.", "GetTemplateSummary of a REVIEW_IN_PROGRESS stack: " + str(msg))
cf.execute_change_set(ChangeSetName=cs["Id"])
cf.get_waiter("stack_create_complete").wait(StackName="viacs", WaiterConfig=FAST)
s = stack("viacs")
check(s.get("ChangeSetId") == cs["Id"] and "LastUpdatedTime" in s and s["LastUpdatedTime"] >= s["CreationTime"],
      "executed CREATE change set: ChangeSetId and LastUpdatedTime")
check(s["Capabilities"] == caps and s["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "prod"}], "Capabilities and Parameters as given")

# 5. A deleted stack, by its id: no ChangeSetId, no EnableTerminationProtection.
cf.delete_stack(StackName="viacs")
cf.get_waiter("stack_delete_complete").wait(StackName=s["StackId"], WaiterConfig=FAST)
d = cf.describe_stacks(StackName=s["StackId"])["Stacks"][0]
check(d["StackStatus"] == "DELETE_COMPLETE" and "DeletionTime" in d and "ChangeSetId" not in d and "EnableTerminationProtection" not in d,
      "DELETE_COMPLETE: DeletionTime, no ChangeSetId, no EnableTerminationProtection")
code, msg, _ = error(cf.describe_stacks, StackName="viacs")
check((code, msg) == ("ValidationError", "Stack with id viacs does not exist"), "by name: Stack with id viacs does not exist")

# 6. GetTemplate's errors.
code, msg, _ = error(cf.get_template, ChangeSetName="does-not-exist")
check((code, msg) == ("ValidationError", "StackName is a required parameter."), "GetTemplate(ChangeSetName=name) without StackName: " + str(msg))
arn = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/gone/d065e78c"
code, msg, status = error(cf.get_template, ChangeSetName=arn)
check((code, msg, status) == ("ChangeSetNotFound", "ChangeSet [%s] does not exist" % arn, 404), "a missing change set ARN: ChangeSetNotFound, 404")
code, msg, _ = error(raw.describe_stack_events)
check(msg == "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null",
      "DescribeStackEvents without StackName: " + str(msg))

# 7. Template checks: null values, an unknown resource attribute.
for outputs in ({"O": {"Value": None}}, {"O": {"Value": None, "Other": None}}):
    t = json.dumps({"Resources": {"Foo": {"Type": "AWS::SNS::Topic"}}, "Outputs": outputs})
    code, msg, _ = error(cf.create_stack, StackName="nulls", TemplateBody=t)
    check(msg == "[/Outputs/O/Value] 'null' values are not allowed in templates", "a null value: " + str(msg))
code, msg, _ = error(cf.validate_template, TemplateBody="Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags:\n        - Key: k\n          Value:\n")
check(msg == "[/Resources/A/Properties/Tags/0/Value] 'null' values are not allowed in templates", "a YAML null in a list: " + str(msg))
t = json.dumps({"Resources": {"A": {"Type": "AWS::SNS::Topic", "Invalid": 10}}})
code, msg, _ = error(cf.create_stack, StackName="badkey", TemplateBody=t)
check(msg == "Invalid template resource property 'Invalid'", "an unknown resource attribute: " + str(msg))
code, msg, _ = error(cf.create_stack, StackName="lint", TemplateBody=json.dumps({"Resources": "", "Outputs": ""}))
check(msg == "Template format error: Any Resources member must be an object.", "Resources not an object: " + str(msg))
check(error(cf.describe_stacks, StackName="nulls")[0] == "ValidationError", "a refused template leaves no stack")

# 8. Change sets: the REVIEW_IN_PROGRESS stack says "User Initiated";
# DescribeChangeSet has RollbackConfiguration and Capabilities, no
# Parameters nor Tags when there are none; a stack name that is not there
# is "Stack [x] does not exist".
MIN = "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: test}\n"
cs = cf.create_change_set(StackName="review", ChangeSetName="one", ChangeSetType="CREATE", TemplateBody=MIN)
cf.get_waiter("change_set_create_complete").wait(ChangeSetName=cs["Id"], WaiterConfig=FAST)
s = stack("review")
check(s["StackStatus"] == "REVIEW_IN_PROGRESS" and s.get("StackStatusReason") == "User Initiated", "REVIEW_IN_PROGRESS, reason User Initiated")
d = cf.describe_change_set(ChangeSetName=cs["Id"])
check(d.get("RollbackConfiguration") == {} and d.get("Capabilities") == [] and "Parameters" not in d and "Tags" not in d,
      "DescribeChangeSet: RollbackConfiguration {}, Capabilities [], no Parameters, no Tags")
code, msg, _ = error(cf.describe_change_set, StackName="somestack", ChangeSetName="DoesNotExist")
check((code, msg) == ("ValidationError", "Stack [somestack] does not exist"), "DescribeChangeSet of a missing stack: " + str(msg))
code, msg, _ = error(cf.delete_change_set, StackName="nostack", ChangeSetName="DoesNotExist")
check(msg == "Stack [nostack] does not exist", "DeleteChangeSet of a missing stack: " + str(msg))

# 9. CreateStack over a REVIEW_IN_PROGRESS stack creates it, under its id;
# its change sets are OBSOLETE.
out = cf.create_stack(StackName="review", TemplateBody=MIN)
check(out["StackId"] == cs["StackId"], "CreateStack of a REVIEW_IN_PROGRESS stack keeps its id")
cf.get_waiter("stack_create_complete").wait(StackName="review", WaiterConfig=FAST)
d = cf.describe_change_set(ChangeSetName=cs["Id"])
check(d["ExecutionStatus"] == "OBSOLETE" and d["Status"] == "CREATE_COMPLETE", "its change set: OBSOLETE")
code, msg, _ = error(cf.execute_change_set, ChangeSetName=cs["Id"])
check(code == "InvalidChangeSetStatus", "an OBSOLETE change set cannot be executed: " + str(msg))
code, msg, _ = error(cf.create_stack, StackName="review", TemplateBody=MIN)
check(code == "AlreadyExistsException", "a second CreateStack: AlreadyExistsException")

# A second CREATE change set may name the REVIEW_IN_PROGRESS stack by its
# id; a deleted stack's id cannot be created again. A change set without
# changes is FAILED: executing it names that status.
cs = cf.create_change_set(StackName="byid", ChangeSetName="one", ChangeSetType="CREATE", TemplateBody=MIN)
cs2 = cf.create_change_set(StackName=cs["StackId"], ChangeSetName="two", ChangeSetType="CREATE", TemplateBody=MIN)
check(cs2["StackId"] == cs["StackId"], "a CREATE change set by the REVIEW_IN_PROGRESS stack's id")
cf.execute_change_set(ChangeSetName=cs2["Id"])
same = cf.create_change_set(StackName="byid", ChangeSetName="same", TemplateBody=MIN)
code, msg, _ = error(cf.execute_change_set, ChangeSetName=same["Id"])
check((code, msg) == ("InvalidChangeSetStatus", "ChangeSet [%s] cannot be executed in its current status of [FAILED]" % same["Id"]),
      "executing a change set without changes: " + str(msg))
cf.delete_stack(StackName="byid")
code, msg, _ = error(cf.create_change_set, StackName=cs["StackId"], ChangeSetName="again", ChangeSetType="CREATE", TemplateBody=MIN)
check(msg == "Stack [%s] already exists and cannot be created again with the changeSet [again]." % cs["StackId"], "a deleted stack's id: " + str(msg))

# 10. TemplateURL: an s3:// URL, a URL that is not S3's.
code, msg, _ = error(cf.create_stack, StackName="url", TemplateURL="s3://my-bucket/test/template.yml")
check(msg == "S3 error: Domain name specified in my-bucket is not a valid S3 domain", "s3:// URL: " + str(msg))
code, msg, _ = error(cf.create_stack, StackName="url", TemplateURL="https://example.com/dummy.yml")
check(msg == "TemplateURL must be a supported URL.", "a non-S3 URL: " + str(msg))

print("PASS: CloudFormation's stack lifecycle through boto3")
