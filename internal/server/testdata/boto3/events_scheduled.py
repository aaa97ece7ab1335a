"""EventBridge through boto3 and the aws CLI: an ECS scheduled task.

PutRule's schedule validation (rate(1 minutes) and a five-field cron are
refused with AWS's text), ListRules by NamePrefix, put-targets of an ECS
target through the aws CLI's shorthand, DeleteRule refused while the rule
has targets ("Rule can't be deleted since it has targets."), RemoveTargets
then DeleteRule, and `aws cloudformation deploy` of a scheduled task
template. (The rule firing, on a fast engine clock, is the Go SDK test
TestEventBridgeScheduledTasks: here the server's clock is the wall clock.)
"""
import json
import os
import subprocess

from common import ENDPOINT, client, fails, network

ENV = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="secret", AWS_DEFAULT_REGION="us-east-1",
           AWS_PAGER="", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")


def aws(*args):
    p = subprocess.run(["aws", "--endpoint-url", ENDPOINT, "--output", "json", *args], env=ENV, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"aws {' '.join(args)}: {p.returncode} {p.stderr}")
    return json.loads(p.stdout) if p.stdout.strip() else {}


events, ecs, ec2 = client("events"), client("ecs"), client("ec2")
fails("ValidationException", "Parameter ScheduleExpression is not valid.",
      events.put_rule, Name="bad", ScheduleExpression="rate(1 minutes)")
fails("ValidationException", "Parameter ScheduleExpression is not valid.",
      events.put_rule, Name="bad", ScheduleExpression="cron(0 12 * * *)")

vpc, subnets = network(ec2)
cluster = ecs.create_cluster(clusterName="batch")["cluster"]["clusterArn"]
td = ecs.register_task_definition(family="job", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                  containerDefinitions=[{"name": "job", "image": "public.ecr.aws/docker/library/busybox:latest"}])
td_arn = td["taskDefinition"]["taskDefinitionArn"]

arn = aws("events", "put-rule", "--name", "every-minute", "--schedule-expression", "rate(1 minute)")["RuleArn"]
assert arn == "arn:aws:events:us-east-1:123456789012:rule/every-minute", arn
events.put_rule(Name="every-night", ScheduleExpression="cron(0 3 * * ? *)", State="DISABLED")
names = [r["Name"] for r in events.list_rules(NamePrefix="every-")["Rules"]]
assert names == ["every-minute", "every-night"], names

target = (f"Id=job,Arn={cluster},RoleArn=arn:aws:iam::123456789012:role/ecsEventsRole,"
          f"EcsParameters={{TaskDefinitionArn={td_arn},TaskCount=1,LaunchType=FARGATE,Group=cli-jobs,"
          f"NetworkConfiguration={{awsvpcConfiguration={{Subnets=[{subnets[0]}],AssignPublicIp=ENABLED}}}}}}")
out = aws("events", "put-targets", "--rule", "every-minute", "--targets", target)
assert out["FailedEntryCount"] == 0, out
t = events.list_targets_by_rule(Rule="every-minute")["Targets"][0]
assert t["EcsParameters"]["NetworkConfiguration"]["awsvpcConfiguration"]["AssignPublicIp"] == "ENABLED", t
fails("ValidationException", "Rule can't be deleted since it has targets.", events.delete_rule, Name="every-minute")

assert not ecs.list_tasks(cluster="batch", startedBy="events-rule/every-night")["taskArns"]

events.remove_targets(Rule="every-minute", Ids=["job"])
events.delete_rule(Name="every-minute")
fails("ResourceNotFoundException", "Rule every-minute does not exist on EventBus default.", events.describe_rule, Name="every-minute")

# The template of a scheduled Fargate task through `aws cloudformation
# deploy` (a change set): the AWS::Events::Rule is created with its target.
template = os.path.join(os.path.dirname(__file__), "..", "..", "..", "cfn", "testdata", "events", "scheduled-task.yaml")
p = subprocess.run(["aws", "--endpoint-url", ENDPOINT, "cloudformation", "deploy", "--template-file", template, "--stack-name", "sched",
                    "--capabilities", "CAPABILITY_IAM", "--parameter-overrides", "AssignPublicIp=ENABLED"],
                   env=ENV, capture_output=True, text=True, timeout=120)
assert p.returncode == 0, p.stderr
outputs = {o["OutputKey"]: o["OutputValue"] for o in client("cloudformation").describe_stacks(StackName="sched")["Stacks"][0]["Outputs"]}
rule = events.describe_rule(Name=outputs["RuleName"])
assert rule["Arn"] == outputs["RuleArn"] and rule["State"] == "ENABLED", rule
t = events.list_targets_by_rule(Rule=outputs["RuleName"])["Targets"][0]
assert t["EcsParameters"]["NetworkConfiguration"]["awsvpcConfiguration"]["AssignPublicIp"] == "ENABLED", t
