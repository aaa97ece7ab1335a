"""CloudWatch alarms through boto3, which speaks CloudWatch's JSON 1.0
protocol (botocore 1.43 lists smithy-rpc-v2-cbor, json, query and prefers
json): a step scaling policy's alarm, listed back on the policy
(DescribeScalingPolicies' Alarms) as AWS does; a bad ComparisonOperator is
ValidationError with AWS's Coral message (the code comes from the
x-amzn-query-error header, CloudWatch being query-compatible); a Period
that is not 10, 20, 30 or a multiple of 60 is refused; DescribeAlarms'
filters and pages; SetAlarmState; tags; DeleteAlarms of an unknown alarm
deletes nothing."""
from common import client, fails

cw, aas = client("cloudwatch"), client("application-autoscaling")
assert cw.meta.service_model.resolved_protocol == "json", cw.meta.service_model.resolved_protocol

ecs, ec2 = client("ecs"), client("ec2")
ecs.create_cluster(clusterName="c")
ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 128}])
ecs.create_service(cluster="c", serviceName="web", taskDefinition="web", desiredCount=0)
target = dict(ServiceNamespace="ecs", ResourceId="service/c/web", ScalableDimension="ecs:service:DesiredCount")
aas.register_scalable_target(MinCapacity=0, MaxCapacity=4, **target)
policy = aas.put_scaling_policy(PolicyName="up", PolicyType="StepScaling", StepScalingPolicyConfiguration={
    "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}, **target)["PolicyARN"]

alarm = dict(MetricName="CPUUtilization", Namespace="AWS/ECS", Statistic="Average", Period=60, EvaluationPeriods=2,
             Threshold=70.0, Dimensions=[{"Name": "ClusterName", "Value": "c"}, {"Name": "ServiceName", "Value": "web"}])
fails("ValidationError", "1 validation error detected: Value 'Bigger' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
      "[GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, "
      "LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold]",
      cw.put_metric_alarm, AlarmName="bad", ComparisonOperator="Bigger", **alarm)
fails("ValidationError", None, cw.put_metric_alarm, AlarmName="bad", ComparisonOperator="GreaterThanThreshold", **{**alarm, "Period": 45})
assert cw.describe_alarms()["MetricAlarms"] == []

cw.put_metric_alarm(AlarmName="web-cpu-high", ComparisonOperator="GreaterThanThreshold", AlarmActions=[policy],
                    Tags=[{"Key": "team", "Value": "web"}], **alarm)
for i in range(3):
    cw.put_metric_alarm(AlarmName="other-%d" % i, ComparisonOperator="LessThanThreshold", **alarm)

a = cw.describe_alarms(AlarmNames=["web-cpu-high"])["MetricAlarms"][0]
assert a["AlarmArn"] == "arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-cpu-high", a["AlarmArn"]
assert a["StateValue"] == "INSUFFICIENT_DATA" and a["ActionsEnabled"] is True, a
assert a["AlarmActions"] == [policy] and a["OKActions"] == [] and a["Period"] == 60 and a["Threshold"] == 70.0, a
assert a["Dimensions"] == alarm["Dimensions"], a

p = aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"][0]
assert p["Alarms"] == [{"AlarmName": "web-cpu-high", "AlarmARN": a["AlarmArn"]}], p["Alarms"]

names, token = [], None
while True:
    kw = {"NextToken": token} if token else {}
    out = cw.describe_alarms(AlarmNamePrefix="other-", MaxRecords=2, **kw)
    names += [x["AlarmName"] for x in out["MetricAlarms"]]
    token = out.get("NextToken")
    if not token:
        break
assert names == ["other-0", "other-1", "other-2"], names
assert [x["AlarmName"] for x in cw.describe_alarms(ActionPrefix=policy)["MetricAlarms"]] == ["web-cpu-high"]
m = cw.describe_alarms_for_metric(MetricName="CPUUtilization", Namespace="AWS/ECS", Dimensions=alarm["Dimensions"])["MetricAlarms"]
assert len(m) == 4, m

cw.set_alarm_state(AlarmName="web-cpu-high", StateValue="ALARM", StateReason="testing")
assert [x["AlarmName"] for x in cw.describe_alarms(StateValue="ALARM")["MetricAlarms"]] == ["web-cpu-high"]
cw.disable_alarm_actions(AlarmNames=["web-cpu-high"])
assert cw.describe_alarms(AlarmNames=["web-cpu-high"])["MetricAlarms"][0]["ActionsEnabled"] is False
fails("ResourceNotFound", None, cw.set_alarm_state, AlarmName="nope", StateValue="OK", StateReason="x")

assert cw.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"] == [{"Key": "team", "Value": "web"}]
cw.tag_resource(ResourceARN=a["AlarmArn"], Tags=[{"Key": "env", "Value": "prod"}])
cw.untag_resource(ResourceARN=a["AlarmArn"], TagKeys=["team"])
assert cw.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"] == [{"Key": "env", "Value": "prod"}]

fails("ResourceNotFound", None, cw.delete_alarms, AlarmNames=["other-0", "nope"])
assert len(cw.describe_alarms()["MetricAlarms"]) == 4
cw.delete_alarms(AlarmNames=["web-cpu-high"])
assert aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"][0]["Alarms"] == []

# An EC2 Auto Scaling step policy lists the alarms whose actions name it.
asg = client("autoscaling")
vpc, subnets = __import__("common").network(ec2)
ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
asg.create_auto_scaling_group(AutoScalingGroupName="web", MinSize=0, MaxSize=2, VPCZoneIdentifier=",".join(subnets),
                              LaunchTemplate={"LaunchTemplateName": "web"})
step = asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="out", PolicyType="StepScaling", AdjustmentType="ChangeInCapacity",
                              StepAdjustments=[{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}])["PolicyARN"]
cw.put_metric_alarm(AlarmName="asg-cpu", ComparisonOperator="GreaterThanThreshold", AlarmActions=[step],
                    **{**alarm, "Dimensions": [{"Name": "AutoScalingGroupName", "Value": "web"}]})
pol = asg.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"][0]
assert pol["Alarms"] == [{"AlarmName": "asg-cpu", "AlarmARN": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:asg-cpu"}], pol["Alarms"]
