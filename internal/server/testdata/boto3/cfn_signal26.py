"""Round twenty-six through boto3: a CreationPolicy's wait and SignalResource.
- an instance whose CreationPolicy waits for one signal (its user data runs
  no cfn-signal) keeps its stack CREATE_IN_PROGRESS, the instance
  CREATE_IN_PROGRESS "Resource creation Initiated";
- signal_resource SUCCESS completes it ("Received SUCCESS signal with
  UniqueId ID") and the stack_create_complete waiter returns;
- a second signal is refused: ValidationError "Resource Host is in
  CREATE_COMPLETE state and cannot be signaled";
- a Status other than SUCCESS or FAILURE (botocore does not check enums
  client-side) is ValidationError."""
import os

from common import client, fails

cfn = client("cloudformation")
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "..", "..", "cfn", "testdata", "signalwait", "instance.yaml")) as f:
    body = f.read()

stack = cfn.create_stack(StackName="sig26", TemplateBody=body)["StackId"]
s = cfn.describe_stacks(StackName=stack)["Stacks"][0]
assert s["StackStatus"] == "CREATE_IN_PROGRESS", s["StackStatus"]
host = cfn.describe_stack_resource(StackName="sig26", LogicalResourceId="Host")["StackResourceDetail"]
assert host["ResourceStatus"] == "CREATE_IN_PROGRESS", host

cfn.signal_resource(StackName="sig26", LogicalResourceId="Host", UniqueId=host["PhysicalResourceId"], Status="SUCCESS")
cfn.get_waiter("stack_create_complete").wait(StackName=stack, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
reasons = [e.get("ResourceStatusReason") for e in cfn.describe_stack_events(StackName=stack)["StackEvents"]
           if e["LogicalResourceId"] == "Host"]
assert "Received SUCCESS signal with UniqueId " + host["PhysicalResourceId"] in reasons, reasons

fails("ValidationError", "Resource Host is in CREATE_COMPLETE state and cannot be signaled", cfn.signal_resource,
      StackName="sig26", LogicalResourceId="Host", UniqueId="again", Status="SUCCESS")
fails("ValidationError", None, cfn.signal_resource, StackName="sig26", LogicalResourceId="Host", UniqueId="x", Status="MAYBE")
