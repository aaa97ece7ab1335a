"""Answers as AWS recorded them in LocalStack's AWS-validated CloudFormation
API tests, round twenty-five (docs/localstack-suite.md; localstack/localstack
tests/aws/services/cloudformation/api/...):

- a TemplateURL naming an S3 object (path style or virtual-hosted) is read
  from S3 by CreateStack, UpdateStack, CreateChangeSet, ValidateTemplate and
  GetTemplateSummary (test_update_stack.py test_update_using_template_url);
  a missing key or bucket is CloudFormation's "S3 error: …";
- an AWS::CloudFormation::Stack's template is read from S3 too, and the
  nested stack is a stack of its own: DescribeStacks finds it by id, named
  PARENT-LOGICALID-RANDOM, with ParentId, RootId and its outputs; deleted
  with its parent: by name "Stack with id NAME does not exist"
  (test_nested_stacks.py test_nested_stack_output_refs,
  test_nested_stacks_conditions, test_deletion_of_failed_nested_stack
  2025-08-20);
- DescribeStackResource: "Stack 'NAME' does not exist" for a missing stack,
  "Resource ID does not exist for stack NAME" naming the stack as the
  request did (test_resources.py, 2025-07-25);
- stack policies: SetStackPolicy/GetStackPolicy (no StackPolicyBody before
  one is set), "Error validating stack policy: Invalid stack policy", "You
  cannot specify both StackPolicyURL and StackPolicyBody"; an update the
  policy denies fails before it changes anything, the resource
  UPDATE_FAILED "Action denied by stack policy…" (or "Action not allowed by
  stack policy…" without an Allow), the stack UPDATE_ROLLBACK_COMPLETE
  (test_stack_policies.py, 2022-11);
- ExecuteChangeSet is checked against the stack policy too;
- a nested stack whose resource fails is a failed stack of its own, the
  parent's resource "Embedded stack ARN was not successfully created: …";
- UpdateStack with only a new RollbackConfiguration is an update (not "No
  updates are to be performed."), and DescribeStacks shows the
  configuration (test_update_stack.py test_update_with_rollback_configuration)."""
import botocore.exceptions

from common import client, fails

s3 = client("s3")
cfn = client("cloudformation")
s3.create_bucket(Bucket="tpl25")

child = """
Parameters:
  Name:
    Type: String
Resources:
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Ref Name
Outputs:
  Inner:
    Value: !Ref Name
"""
s3.put_object(Bucket="tpl25", Key="dir/child.yaml", Body=child.encode())
top = """
Parameters:
  Name:
    Type: String
    Default: first
Resources:
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Ref Name
"""
s3.put_object(Bucket="tpl25", Key="top.yaml", Body=top.encode())

# Path style and virtual-hosted, regional or not.
for i, url in enumerate(["https://s3.amazonaws.com/tpl25/top.yaml",
                         "https://tpl25.s3.us-east-1.amazonaws.com/top.yaml"]):
    cfn.create_stack(StackName=f"url25-{i}", TemplateURL=url)
    cfn.get_waiter("stack_create_complete").wait(StackName=f"url25-{i}", WaiterConfig={"Delay": 1})
v = cfn.validate_template(TemplateURL="https://tpl25.s3.amazonaws.com/top.yaml")
assert [p["ParameterKey"] for p in v["Parameters"]] == ["Name"], v
summary = cfn.get_template_summary(TemplateURL="https://s3.us-east-1.amazonaws.com/tpl25/top.yaml")
assert summary["ResourceTypes"] == ["AWS::SSM::Parameter"], summary
cfn.update_stack(StackName="url25-0", TemplateURL="https://tpl25.s3.amazonaws.com/top.yaml",
                 Parameters=[{"ParameterKey": "Name", "ParameterValue": "second"}])
cfn.get_waiter("stack_update_complete").wait(StackName="url25-0", WaiterConfig={"Delay": 1})
fails("ValidationError", "No updates are to be performed.", cfn.update_stack, StackName="url25-0",
      TemplateURL="https://tpl25.s3.amazonaws.com/top.yaml",
      Parameters=[{"ParameterKey": "Name", "ParameterValue": "second"}])
more = " For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html"
fails("ValidationError", "S3 error: The specified key does not exist." + more, cfn.create_stack,
      StackName="nokey25", TemplateURL="https://tpl25.s3.amazonaws.com/nope.yaml")
fails("ValidationError", "S3 error: The specified bucket does not exist" + more, cfn.validate_template,
      TemplateURL="https://s3.amazonaws.com/no-such-bucket-25/top.yaml")
fails("ValidationError", "TemplateURL must be a supported URL.", cfn.validate_template,
      TemplateURL="https://example.com/tpl25/top.yaml")

parent = """
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Sub "https://s3.${AWS::Region}.${AWS::URLSuffix}/tpl25/dir/child.yaml"
      Parameters:
        Name: nested-value
Outputs:
  ChildId:
    Value: !Ref Child
  Out:
    Value: !Join ["-", [!GetAtt Child.Outputs.Inner, suffix]]
"""
cfn.create_stack(StackName="parent25", TemplateBody=parent)
cfn.get_waiter("stack_create_complete").wait(StackName="parent25", WaiterConfig={"Delay": 1})
top_stack = cfn.describe_stacks(StackName="parent25")["Stacks"][0]
outs = {o["OutputKey"]: o["OutputValue"] for o in top_stack["Outputs"]}
assert outs["Out"] == "nested-value-suffix", outs
assert "ParentId" not in top_stack and "RootId" not in top_stack, top_stack
nested = cfn.describe_stacks(StackName=outs["ChildId"])["Stacks"][0]
assert nested["StackId"] == outs["ChildId"], nested
assert nested["StackName"].startswith("parent25-Child-") and ":" not in nested["StackName"], nested
assert nested["ParentId"] == top_stack["StackId"] and nested["RootId"] == top_stack["StackId"], nested
assert nested["StackStatus"] == "CREATE_COMPLETE", nested
assert [(o["OutputKey"], o["OutputValue"]) for o in nested["Outputs"]] == [("Inner", "nested-value")], nested
assert [(p["ParameterKey"], p["ParameterValue"]) for p in nested["Parameters"]] == [("Name", "nested-value")], nested
res = cfn.describe_stack_resources(StackName=outs["ChildId"])["StackResources"]
assert [(r["LogicalResourceId"], r["ResourceType"]) for r in res] == [("Param", "AWS::SSM::Parameter")], res
names = [s["StackName"] for s in cfn.describe_stacks()["Stacks"]]
assert nested["StackName"] in names, names
# The parent lists the nested stack as one resource; the nested stack's
# resources and their events are the nested stack's.
res = cfn.describe_stack_resources(StackName="parent25")["StackResources"]
assert [(r["LogicalResourceId"], r["ResourceType"], r["PhysicalResourceId"]) for r in res] == \
    [("Child", "AWS::CloudFormation::Stack", outs["ChildId"])], res
ev = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in cfn.describe_stack_events(StackName="parent25")["StackEvents"]]
assert all("/" not in lid for lid, _ in ev), ev
ev = [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", ""))
      for e in cfn.describe_stack_events(StackName=outs["ChildId"])["StackEvents"]][::-1]
assert ev[0] == (nested["StackName"], "CREATE_IN_PROGRESS", "User Initiated") and ev[-1][:2] == (nested["StackName"], "CREATE_COMPLETE"), ev
assert ("Param", "CREATE_COMPLETE", "") in ev, ev
assert cfn.get_template(StackName=outs["ChildId"])["TemplateBody"] == child, "the nested stack's template"
# An update of the parent updates the nested stack in place: same ARN.
cfn.update_stack(StackName="parent25", TemplateBody=parent.replace("nested-value", "nested-value2"))
cfn.get_waiter("stack_update_complete").wait(StackName="parent25", WaiterConfig={"Delay": 1})
again = cfn.describe_stacks(StackName=outs["ChildId"])["Stacks"][0]
assert again["StackStatus"] == "UPDATE_COMPLETE", again
assert [(o["OutputKey"], o["OutputValue"]) for o in again["Outputs"]] == [("Inner", "nested-value2")], again
assert [s["StackId"] for s in cfn.describe_stacks()["Stacks"] if s["StackName"].startswith("parent25-")] == [outs["ChildId"]]

cfn.delete_stack(StackName="parent25")
cfn.get_waiter("stack_delete_complete").wait(StackName="parent25", WaiterConfig={"Delay": 1})
fails("ValidationError", f"Stack with id {nested['StackName']} does not exist", cfn.describe_stacks,
      StackName=nested["StackName"])
gone = cfn.describe_stacks(StackName=outs["ChildId"])["Stacks"][0]
assert gone["StackStatus"] == "DELETE_COMPLETE", gone

fails("ValidationError", "Stack 'not-a-valid-stack' does not exist", cfn.describe_stack_resource,
      StackName="not-a-valid-stack", LogicalResourceId="not-a-valid-resource")
url0 = cfn.describe_stacks(StackName="url25-0")["Stacks"][0]["StackId"]
for name in ["url25-0", url0]:
    fails("ValidationError", f"Resource not-a-valid-resource does not exist for stack {name}",
          cfn.describe_stack_resource, StackName=name, LogicalResourceId="not-a-valid-resource")

pol_tpl = """
Parameters:
  V:
    Type: String
Resources:
  P1:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !Ref V}
  P2:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: fixed}
"""
cfn.create_stack(StackName="pol25", TemplateBody=pol_tpl, Parameters=[{"ParameterKey": "V", "ParameterValue": "a"}])
cfn.get_waiter("stack_create_complete").wait(StackName="pol25", WaiterConfig={"Delay": 1})
assert "StackPolicyBody" not in cfn.get_stack_policy(StackName="pol25"), "a policy before one is set"
for bad in ["not json", '{"Statement": [{"Effect": "Deny", "Action": "Delete:*", "Principal": "*", "Resource": "*"}]}',
            '{"Statement": [{"Effect": "Deny", "Action": "Update:*", "Principal": "me", "Resource": "*"}]}']:
    fails("ValidationError", "Error validating stack policy: Invalid stack policy", cfn.set_stack_policy,
          StackName="pol25", StackPolicyBody=bad)
s3.put_object(Bucket="tpl25", Key="policy.json", Body=b"{}")
fails("ValidationError", "You cannot specify both StackPolicyURL and StackPolicyBody", cfn.set_stack_policy,
      StackName="pol25", StackPolicyBody="{}", StackPolicyURL="https://tpl25.s3.amazonaws.com/policy.json")
cfn.set_stack_policy(StackName="pol25", StackPolicyURL="https://tpl25.s3.amazonaws.com/policy.json")
assert cfn.get_stack_policy(StackName="pol25")["StackPolicyBody"] == "{}"
deny_p1 = '{"Statement": [{"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"}, ' \
          '{"Effect": "Deny", "Action": "Update:Modify", "Principal": "*", "Resource": "LogicalResourceId/P1"}]}'
cfn.set_stack_policy(StackName="pol25", StackPolicyBody=deny_p1)
assert cfn.get_stack_policy(StackName="pol25")["StackPolicyBody"] == deny_p1
p1 = cfn.describe_stack_resource(StackName="pol25", LogicalResourceId="P1")["StackResourceDetail"]["PhysicalResourceId"]
ssm = client("ssm")
cfn.update_stack(StackName="pol25", TemplateBody=pol_tpl, Parameters=[{"ParameterKey": "V", "ParameterValue": "b"}])
st = cfn.describe_stacks(StackName="pol25")["Stacks"][0]
assert st["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE", st
ev = [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", ""))
      for e in cfn.describe_stack_events(StackName="pol25")["StackEvents"]]
assert ("P1", "UPDATE_FAILED", "Action denied by stack policy: Statement [#2] does not allow [Update:Modify] for resource [LogicalResourceId/P1]") in ev, ev
assert ("pol25", "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [P1]. ") in ev, ev
assert ssm.get_parameter(Name=p1)["Parameter"]["Value"] == "a", "the denied update changed the parameter"
# No Allow statement: implicitly denied.
cfn.set_stack_policy(StackName="pol25", StackPolicyBody='{"Statement": [{"Effect": "Deny", "Action": "Update:Replace", "Principal": "*", "Resource": "*"}]}')
cfn.update_stack(StackName="pol25", TemplateBody=pol_tpl, Parameters=[{"ParameterKey": "V", "ParameterValue": "c"}])
ev = [e.get("ResourceStatusReason", "") for e in cfn.describe_stack_events(StackName="pol25")["StackEvents"]]
assert ev[3].startswith("Action not allowed by stack policy"), ev[:5]
# An empty policy protects nothing; a policy during the update overrides it.
cfn.set_stack_policy(StackName="pol25", StackPolicyBody="{}")
cfn.update_stack(StackName="pol25", TemplateBody=pol_tpl, Parameters=[{"ParameterKey": "V", "ParameterValue": "d"}],
                 StackPolicyDuringUpdateBody='{"Statement": [{"Effect": "Deny", "Action": "Update:*", "Principal": "*", "Resource": "*"}]}')
assert cfn.describe_stacks(StackName="pol25")["Stacks"][0]["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
cfn.update_stack(StackName="pol25", TemplateBody=pol_tpl, Parameters=[{"ParameterKey": "V", "ParameterValue": "e"}])
cfn.get_waiter("stack_update_complete").wait(StackName="pol25", WaiterConfig={"Delay": 1})
assert ssm.get_parameter(Name=p1)["Parameter"]["Value"] == "e"

cw = client("cloudwatch")
cw.put_metric_alarm(AlarmName="HighResourceUsage25", ComparisonOperator="GreaterThanThreshold", EvaluationPeriods=1,
                    MetricName="CPUUsage", Namespace="CustomNamespace", Period=60, Statistic="Average", Threshold=70)
alarm = cw.describe_alarms(AlarmNames=["HighResourceUsage25"])["MetricAlarms"][0]["AlarmArn"]
# Round twenty-six: the update is monitored for MonitoringTimeInMinutes (as
# on AWS, it stays UPDATE_IN_PROGRESS that long), so this one monitors its
# trigger (INSUFFICIENT_DATA, which does not roll back) for 0 minutes.
rc = {"RollbackTriggers": [{"Arn": alarm, "Type": "AWS::CloudWatch::Alarm"}], "MonitoringTimeInMinutes": 0}
assert cfn.describe_stacks(StackName="pol25")["Stacks"][0]["RollbackConfiguration"] == {}
cfn.update_stack(StackName="pol25", TemplateBody=pol_tpl, Parameters=[{"ParameterKey": "V", "UsePreviousValue": True}],
                 RollbackConfiguration=rc)
cfn.get_waiter("stack_update_complete").wait(StackName="pol25", WaiterConfig={"Delay": 1})
assert cfn.describe_stacks(StackName="pol25")["Stacks"][0]["RollbackConfiguration"]["RollbackTriggers"] == rc["RollbackTriggers"]
fails("ValidationError", "No updates are to be performed.", cfn.update_stack, StackName="pol25", TemplateBody=pol_tpl,
      Parameters=[{"ParameterKey": "V", "UsePreviousValue": True}], RollbackConfiguration=rc)

# ExecuteChangeSet is checked against the stack policy as UpdateStack is.
cfn.set_stack_policy(StackName="pol25", StackPolicyBody='{"Statement": [{"Effect": "Deny", "Action": "Update:*", "Principal": "*", "Resource": "*"}]}')
cs = cfn.create_change_set(StackName="pol25", ChangeSetName="cs25", TemplateBody=pol_tpl,
                           Parameters=[{"ParameterKey": "V", "ParameterValue": "f"}])
cfn.get_waiter("change_set_create_complete").wait(ChangeSetName=cs["Id"], WaiterConfig={"Delay": 1})
cfn.execute_change_set(ChangeSetName=cs["Id"])
assert cfn.describe_stacks(StackName="pol25")["Stacks"][0]["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
assert cfn.describe_change_set(ChangeSetName=cs["Id"])["ExecutionStatus"] == "EXECUTE_FAILED"
assert ssm.get_parameter(Name=p1)["Parameter"]["Value"] == "e"

# A resource of a nested stack fails: the nested stack fails as a stack of
# its own, the parent's resource CREATE_FAILED "Embedded stack ARN was not
# successfully created: …"; with DO_NOTHING both stay CREATE_FAILED until
# the parent's deletion deletes the nested stack.
s3.put_object(Bucket="tpl25", Key="bad.yaml", Body=b"""
Resources:
  S:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-12345678, CidrBlock: 10.0.0.0/24}
""")
bad_parent = """
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://tpl25.s3.amazonaws.com/bad.yaml
"""
cfn.create_stack(StackName="emb25", TemplateBody=bad_parent, OnFailure="DO_NOTHING")
top = cfn.describe_stacks(StackName="emb25")["Stacks"][0]
assert top["StackStatus"] == "CREATE_FAILED", top
kids = [s for s in cfn.describe_stacks()["Stacks"] if s["StackName"].startswith("emb25-Child-")]
assert len(kids) == 1 and kids[0]["StackStatus"] == "CREATE_FAILED" and kids[0]["ParentId"] == top["StackId"], kids
assert kids[0]["StackStatusReason"] == "The following resource(s) failed to create: [S]. ", kids
ev = {(e["LogicalResourceId"], e["ResourceStatus"]): e.get("ResourceStatusReason", "")
      for e in cfn.describe_stack_events(StackName="emb25")["StackEvents"]}
assert ev[("Child", "CREATE_FAILED")] == f"Embedded stack {kids[0]['StackId']} was not successfully created: The following resource(s) failed to create: [S]. ", ev
kev = {(e["LogicalResourceId"], e["ResourceStatus"]): e.get("ResourceStatusReason", "")
       for e in cfn.describe_stack_events(StackName=kids[0]["StackId"])["StackEvents"]}
assert kev[("S", "CREATE_FAILED")].startswith("Resource handler returned message: \"The vpc ID 'vpc-12345678' does not exist"), kev
cfn.delete_stack(StackName="emb25")
cfn.get_waiter("stack_delete_complete").wait(StackName="emb25", WaiterConfig={"Delay": 1})
fails("ValidationError", f"Stack with id {kids[0]['StackName']} does not exist", cfn.describe_stacks, StackName=kids[0]["StackName"])
