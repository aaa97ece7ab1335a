"""Application Auto Scaling for an ECS service through boto3: a target for
a service that does not exist is refused ("ECS service doesn't exist");
registering a target of MinCapacity 2 over a service of desiredCount 0
sets its desired count to 2 (a scaling activity in AWS's words) and ECS
runs two tasks; an update of MaxCapacity 1 scales it in; policies answer
their target tracking alarms; scheduled actions and tags; pages of
MaxResults; a policy of no target is ObjectNotFoundException; deleting the
service deregisters its target. Other namespaces are refused."""
from common import client, eventually, fails, network

ec2, ecs, aas = client("ec2"), client("ecs"), client("application-autoscaling")
vpc, subnets = network(ec2)
ecs.create_cluster(clusterName="c")
ecs.register_task_definition(family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                             containerDefinitions=[{"name": "web", "image": "nginx", "portMappings": [{"containerPort": 80}]}])
target = dict(ServiceNamespace="ecs", ResourceId="service/c/web", ScalableDimension="ecs:service:DesiredCount")

fails("ValidationException", "ECS service doesn't exist: service/c/web", aas.register_scalable_target, MinCapacity=2, MaxCapacity=4, **target)
fails("ValidationException", None, aas.register_scalable_target, ServiceNamespace="dynamodb", ResourceId="table/t",
      ScalableDimension="dynamodb:table:ReadCapacityUnits", MinCapacity=1, MaxCapacity=2)

ecs.create_service(cluster="c", serviceName="web", taskDefinition="web", desiredCount=0, launchType="FARGATE",
                   networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "assignPublicIp": "ENABLED"}})
arn = aas.register_scalable_target(MinCapacity=2, MaxCapacity=4, Tags={"team": "web"}, **target)["ScalableTargetARN"]
assert arn.startswith("arn:aws:application-autoscaling:us-east-1:") and ":scalable-target/" in arn, arn
svc = lambda: ecs.describe_services(cluster="c", services=["web"])["services"][0]
assert svc()["desiredCount"] == 2, svc()
eventually("two running tasks", lambda: svc()["runningCount"] == 2)
act = aas.describe_scaling_activities(ServiceNamespace="ecs", ResourceId="service/c/web")["ScalingActivities"]
assert len(act) == 1, act
assert act[0]["Description"] == "Setting desired count to 2." and act[0]["Cause"] == "minimum capacity was set to 2", act
assert act[0]["StatusCode"] == "Successful", act
assert act[0]["StatusMessage"] == "Successfully set desired count to 2. Change successfully fulfilled by ecs.", act

aas.register_scalable_target(MaxCapacity=1, MinCapacity=1, **target)
assert svc()["desiredCount"] == 1, svc()
act = aas.describe_scaling_activities(ServiceNamespace="ecs")["ScalingActivities"]
assert [a["Cause"] for a in act] == ["maximum capacity was set to 1", "minimum capacity was set to 2"], act
fails("ValidationException", "The scalable target that you tried to tag already exists. To update tags on an existing scalable target, use the TagResource API.",
      aas.register_scalable_target, Tags={"x": "y"}, **target)
t = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=["service/c/web"])["ScalableTargets"]
assert len(t) == 1 and t[0]["MinCapacity"] == 1 and t[0]["MaxCapacity"] == 1 and t[0]["ScalableTargetARN"] == arn, t
assert t[0]["SuspendedState"] == {"DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False,
                                  "ScheduledScalingSuspended": False}, t
assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"team": "web"}
aas.tag_resource(ResourceARN=arn, Tags={"env": "prod"})
aas.untag_resource(ResourceARN=arn, TagKeys=["team"])
assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"env": "prod"}
fails("ResourceNotFoundException", None, aas.list_tags_for_resource, ResourceARN=arn + "x")

fails("ObjectNotFoundException",
      "No scalable target registered for service namespace: ecs, resource ID: service/c/other, scalable dimension: ecs:service:DesiredCount",
      aas.put_scaling_policy, PolicyName="p", PolicyType="StepScaling", ServiceNamespace="ecs", ResourceId="service/c/other",
      ScalableDimension="ecs:service:DesiredCount")
out = aas.put_scaling_policy(PolicyName="cpu75", PolicyType="TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration={
    "TargetValue": 75.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
    "ScaleOutCooldown": 60, "ScaleInCooldown": 60}, **target)
assert out["PolicyARN"].startswith("arn:aws:autoscaling:us-east-1:") and \
    out["PolicyARN"].endswith(":resource/ecs/service/c/web:policyName/cpu75"), out
names = [a["AlarmName"] for a in out["Alarms"]]
assert len(names) == 2 and names[0].startswith("TargetTracking-service/c/web-AlarmHigh-") and \
    names[1].startswith("TargetTracking-service/c/web-AlarmLow-"), names
for i in range(3):
    aas.put_scaling_policy(PolicyName=f"step{i}", PolicyType="StepScaling", StepScalingPolicyConfiguration={
        "AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": i + 1}]}, **target)
fails("ValidationException", None, aas.put_scaling_policy, PolicyName="tt", PolicyType="TargetTrackingScaling", **target)
seen, token = [], None
while True:
    kw = {"NextToken": token} if token else {}
    page = aas.describe_scaling_policies(ServiceNamespace="ecs", MaxResults=3, **kw)
    seen += [p["PolicyName"] for p in page["ScalingPolicies"]]
    token = page.get("NextToken")
    if not token:
        break
assert seen == ["cpu75", "step0", "step1", "step2"], seen
p = aas.describe_scaling_policies(ServiceNamespace="ecs", PolicyNames=["cpu75"])["ScalingPolicies"][0]
assert p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 75.0 and len(p["Alarms"]) == 2, p
aas.delete_scaling_policy(PolicyName="step0", **target)
fails("ObjectNotFoundException", None, aas.delete_scaling_policy, PolicyName="step0", **target)

aas.put_scheduled_action(ScheduledActionName="night", Schedule="cron(0 22 * * ? *)", Timezone="Europe/Paris",
                         ScalableTargetAction={"MinCapacity": 0, "MaxCapacity": 1}, **target)
sa = aas.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"]
assert len(sa) == 1 and sa[0]["Schedule"] == "cron(0 22 * * ? *)" and sa[0]["Timezone"] == "Europe/Paris", sa
assert sa[0]["ScalableTargetAction"] == {"MinCapacity": 0, "MaxCapacity": 1}, sa
assert ":scheduledActionName/night" in sa[0]["ScheduledActionARN"], sa

# Deleting the service deregisters its target, policies and scheduled actions.
ecs.delete_service(cluster="c", service="web", force=True)
assert aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
assert aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"] == []
assert aas.describe_scheduled_actions(ServiceNamespace="ecs")["ScheduledActions"] == []
fails("ObjectNotFoundException", None, aas.deregister_scalable_target, **target)
