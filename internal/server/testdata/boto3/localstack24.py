"""Answers as AWS recorded them in LocalStack's AWS-validated tests, round
twenty-four (docs/localstack-suite.md; localstack/localstack
tests/aws/services/...):

- a Secrets Manager error carries its message under "Message", the member
  name of the modeled exception, which botocore copies beside "Error"
  (cloudformation/resources/test_secretsmanager.snapshot.json,
  test_cfn_handle_secretsmanager_secret, 2024-07-03);
- CloudWatch DescribeAlarms: a whole Threshold is a float (65.0), and a
  metric alarm has StateTransitionedTimestamp
  (cloudformation/resources/test_cloudwatch.snapshot.json,
  test_composite_alarm_creation 2024-07-16, test_alarm_ext_statistic
  2023-11-27);
- CloudFormation AWS::SecretsManager::ResourcePolicy puts the policy on the
  secret, Ref is the secret's ARN (test_cfn_secret_policy, 2024-07-03);
- CloudFormation AWS::CloudWatch::CompositeAlarm creates the composite
  alarm, deleted with the stack (test_composite_alarm_creation);
- Route 53 CreateHostedZone in a VPC that does not exist: InvalidVPCId
  "The VPC ID is invalid." (route53/test_route53.snapshot.json,
  test_create_hosted_zone_in_non_existent_vpc, 2024-04-10)."""
import json

import botocore.exceptions

from common import client, eventually, fails

sm = client("secretsmanager")
try:
    sm.describe_secret(SecretId="no-such-secret")
    raise AssertionError("describe_secret of a missing secret succeeded")
except botocore.exceptions.ClientError as e:
    r = e.response
    assert r["Error"]["Code"] == "ResourceNotFoundException", r
    assert r["Error"]["Message"] == "Secrets Manager can't find the specified secret.", r
    assert r.get("Message") == "Secrets Manager can't find the specified secret.", r

cw = client("cloudwatch")
cw.put_metric_alarm(AlarmName="mem", ComparisonOperator="GreaterThanThreshold", EvaluationPeriods=1,
                    MetricName="MemoryUsage", Namespace="CustomNamespace", Period=60, Statistic="Average",
                    Threshold=65, TreatMissingData="breaching")
a = cw.describe_alarms(AlarmNames=["mem"])["MetricAlarms"][0]
assert isinstance(a["Threshold"], float) and a["Threshold"] == 65.0, a
assert a["StateTransitionedTimestamp"] == a["StateUpdatedTimestamp"], a

cfn = client("cloudformation")
template = """
Resources:
  SNS:
    Type: AWS::SNS::Topic
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Description: a secret with a resource policy
  Policy:
    Type: AWS::SecretsManager::ResourcePolicy
    Properties:
      BlockPublicPolicy: true
      SecretId: !Ref Secret
      ResourcePolicy:
        Version: '2012-10-17'
        Statement:
          - Resource: "*"
            Action: secretsmanager:ReplicateSecretToRegions
            Effect: Allow
            Principal:
              AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
  Cpu:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: HighCPUUsage
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      MetricName: CPUUsage
      Namespace: CustomNamespace
      Period: 60
      Statistic: Average
      Threshold: 70
  Composite:
    Type: AWS::CloudWatch::CompositeAlarm
    DependsOn: Cpu
    Properties:
      AlarmName: HighResourceUsage
      AlarmRule: ALARM(HighCPUUsage)
      AlarmActions: [!Ref SNS]
      AlarmDescription: usage is high
Outputs:
  SecretId: {Value: !GetAtt Secret.Id}
  PolicyRef: {Value: !Ref Policy}
  CompositeName: {Value: !Ref Composite}
  CompositeArn: {Value: !GetAtt Composite.Arn}
"""
stack = cfn.create_stack(StackName="ls24", TemplateBody=template)["StackId"]


def status():
    s = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return s if not s["StackStatus"].endswith("IN_PROGRESS") else None


s = eventually("stack", status)
assert s["StackStatus"] == "CREATE_COMPLETE", s
out = {o["OutputKey"]: o["OutputValue"] for o in s["Outputs"]}
assert out["PolicyRef"] == out["SecretId"] and ":secret:" in out["SecretId"], out
p = sm.get_resource_policy(SecretId=out["SecretId"])
assert p["ARN"] == out["SecretId"], p
doc = json.loads(p["ResourcePolicy"])
assert doc["Statement"][0]["Action"] == "secretsmanager:ReplicateSecretToRegions", doc
assert doc["Statement"][0]["Principal"]["AWS"].endswith(":root"), doc

# The policy updates in place: the secret keeps it, with the new action.
cfn.update_stack(StackName=stack, TemplateBody=template.replace("secretsmanager:ReplicateSecretToRegions",
                                                                "secretsmanager:GetSecretValue"))
s = eventually("policy update", status)
assert s["StackStatus"] == "UPDATE_COMPLETE", s
doc = json.loads(sm.get_resource_policy(SecretId=out["SecretId"])["ResourcePolicy"])
assert doc["Statement"][0]["Action"] == "secretsmanager:GetSecretValue", doc

assert out["CompositeName"] == "HighResourceUsage", out
c = cw.describe_alarms(AlarmNames=["HighResourceUsage"], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"]
assert len(c) == 1 and c[0]["AlarmArn"] == out["CompositeArn"], c
assert c[0]["AlarmRule"] == "ALARM(HighCPUUsage)" and c[0]["AlarmDescription"] == "usage is high", c
assert len(c[0]["AlarmActions"]) == 1 and ":sns:" in c[0]["AlarmActions"][0], c

cfn.delete_stack(StackName=stack)
s = eventually("deletion", status)
assert s["StackStatus"] == "DELETE_COMPLETE", s
assert not cw.describe_alarms(AlarmNames=["HighResourceUsage"], AlarmTypes=["CompositeAlarm"])["CompositeAlarms"]
fails("ResourceNotFoundException", "Secrets Manager can't find the specified secret.",
      sm.describe_secret, SecretId=out["SecretId"])

r53 = client("route53")
fails("InvalidVPCId", "The VPC ID is invalid.", r53.create_hosted_zone, Name="zone-x.com", CallerReference="r1",
      VPC={"VPCId": "non-existent", "VPCRegion": "us-east-1"})
vpc = client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
z = r53.create_hosted_zone(Name="zone-y.com", CallerReference="r2", VPC={"VPCId": vpc, "VPCRegion": "us-east-1"},
                           HostedZoneConfig={"PrivateZone": True})["HostedZone"]["Id"]
fails("InvalidVPCId", "The VPC ID is invalid.", r53.associate_vpc_with_hosted_zone, HostedZoneId=z,
      VPC={"VPCId": "vpc-00000000000000000", "VPCRegion": "us-east-1"})

# AWS::KMS::Key and AWS::KMS::Alias update in place (kms/resource_providers
# test_aws_kms_key.py and test_aws_kms_alias.py, recorded 2026-02-23): the
# key keeps its id, takes the new description, rotation and tags, and a
# property removed goes back to its default; the alias keeps its name and
# points at the new key.
kms = client("kms")


def key_template(props, target):
    return f"""
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
{props}
  Other:
    Type: AWS::KMS::Key
  Alias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/ls24-test-alias
      TargetKeyId: !Ref {target}
Outputs:
  KeyId: {{Value: !Ref Key}}
  OtherId: {{Value: !Ref Other}}
"""


full = """      Description: Initial test KMS key
      EnableKeyRotation: true
      Tags:
        - {Key: Environment, Value: Dev}
        - {Key: Team, Value: Engineering}"""
variant = """      Description: Updated test KMS key
      Enabled: true
      EnableKeyRotation: false
      Tags:
        - {Key: Environment, Value: Prod}
        - {Key: Project, Value: CloudFormation}"""
stack = cfn.create_stack(StackName="ls24kms", TemplateBody=key_template(full, "Key"))["StackId"]
s = eventually("kms stack", status)
assert s["StackStatus"] == "CREATE_COMPLETE", s
out = {o["OutputKey"]: o["OutputValue"] for o in s["Outputs"]}
key = out["KeyId"]
assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
cfn.update_stack(StackName=stack, TemplateBody=key_template(variant, "Other"))
s = eventually("kms update", status)
assert s["StackStatus"] == "UPDATE_COMPLETE", s
assert {o["OutputKey"]: o["OutputValue"] for o in s["Outputs"]}["KeyId"] == key, s
meta = kms.describe_key(KeyId=key)["KeyMetadata"]
assert meta["Description"] == "Updated test KMS key" and meta["Enabled"] and meta["KeyState"] == "Enabled", meta
assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False
assert kms.list_resource_tags(KeyId=key)["Tags"] == [{"TagKey": "Environment", "TagValue": "Prod"},
                                                     {"TagKey": "Project", "TagValue": "CloudFormation"}]
alias = [a for a in kms.list_aliases()["Aliases"] if a["AliasName"] == "alias/ls24-test-alias"]
assert len(alias) == 1 and alias[0]["TargetKeyId"] == out["OtherId"], alias
cfn.update_stack(StackName=stack, TemplateBody=key_template("      Enabled: true", "Other"))
s = eventually("kms removal", status)
assert s["StackStatus"] == "UPDATE_COMPLETE", s
assert kms.describe_key(KeyId=key)["KeyMetadata"]["Description"] == ""
assert kms.list_resource_tags(KeyId=key)["Tags"] == []

# A refusal by KMS names the service as the SDK for Java v2 does ("Service:
# Kms"), not EC2: the alias exists already.
stack = cfn.create_stack(StackName="ls24dup", TemplateBody="""
Resources:
  Dup:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/ls24-test-alias
      TargetKeyId: %s
""" % key)["StackId"]
s = eventually("duplicate alias", status)
assert s["StackStatus"] == "ROLLBACK_COMPLETE", s
failed = [e for e in cfn.describe_stack_events(StackName=stack)["StackEvents"] if e["ResourceStatus"] == "CREATE_FAILED"]
assert failed and "(Service: Kms, Status Code: 400" in failed[0]["ResourceStatusReason"], failed
