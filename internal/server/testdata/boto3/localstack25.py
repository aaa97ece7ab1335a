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
  request did (test_resources.py, 2025-07-25)."""
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
