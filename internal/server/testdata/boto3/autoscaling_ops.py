"""Auto Scaling operations through boto3: policies, scheduled actions,
processes (honoured), instance protection (honoured), target groups,
lifecycle hooks, activities, limits, mixed instances and launch template
tags and versions."""
import base64
import datetime

from common import client, eventually, fails, network

ec2, asg, elb = client("ec2"), client("autoscaling"), client("elbv2")
vpc, subnets = network(ec2)

lt = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={
    "ImageId": "ami-12c6146b", "InstanceType": "t3.micro",
    "UserData": base64.b64encode(b"#!/bin/sh\necho v1").decode(),
    "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "web"}]},
                          {"ResourceType": "volume", "Tags": [{"Key": "vol", "Value": "yes"}]}]})["LaunchTemplate"]
v2 = ec2.create_launch_template_version(LaunchTemplateName="web", SourceVersion="1",
                                        LaunchTemplateData={"InstanceType": "t3.small"})["LaunchTemplateVersion"]
assert v2["VersionNumber"] == 2
data = v2["LaunchTemplateData"]
assert data["InstanceType"] == "t3.small" and data["ImageId"] == "ami-12c6146b", data  # merged from version 1
assert data["TagSpecifications"][0]["Tags"] == [{"Key": "team", "Value": "web"}], data

# RunInstances: $Latest, tags copied from the template, overrides win.
r = ec2.run_instances(LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"}, MinCount=1, MaxCount=1, SubnetId=subnets[0],
                      TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "one"}]}])["Instances"][0]
assert r["InstanceType"] == "t3.small", r["InstanceType"]
tags = {t["Key"]: t["Value"] for t in r["Tags"]}
# EC2 also tags it with the template and the version it used.
assert tags == {"team": "web", "Name": "one", "aws:ec2launchtemplate:id": lt["LaunchTemplateId"], "aws:ec2launchtemplate:version": "2"}, tags
r = ec2.run_instances(LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"]}, InstanceType="m5.large", MinCount=1, MaxCount=1,
                      SubnetId=subnets[0])["Instances"][0]
assert r["InstanceType"] == "m5.large", r["InstanceType"]  # $Default is 1 (t3.micro), overridden
ec2.modify_launch_template(LaunchTemplateName="web", DefaultVersion="2")
r = ec2.run_instances(LaunchTemplate={"LaunchTemplateName": "web", "Version": "$DEFAULT"}, MinCount=1, MaxCount=1, SubnetId=subnets[0])["Instances"][0]
assert r["InstanceType"] == "t3.small"  # the keywords are case-insensitive
r = ec2.run_instances(LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Default"}, MinCount=1, MaxCount=1, SubnetId=subnets[0])["Instances"][0]
assert r["InstanceType"] == "t3.small"

# Not found texts.
fails("ValidationError", "AutoScalingGroup name not found - null", asg.update_auto_scaling_group, AutoScalingGroupName="nope", MinSize=1)
fails("ValidationError", "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found", asg.delete_auto_scaling_group,
      AutoScalingGroupName="nope")
# The Describe calls that name a group fail on a missing one too (an error, not an empty list).
for describe in (asg.describe_scheduled_actions, asg.describe_policies, asg.describe_lifecycle_hooks, asg.describe_load_balancer_target_groups):
    fails("ValidationError", "AutoScalingGroup name not found - null", describe, AutoScalingGroupName="nope")

tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]

# Mixed instances: the first override's type is launched; the distribution is stored.
asg.create_auto_scaling_group(AutoScalingGroupName="mixed", MinSize=2, MaxSize=6, VPCZoneIdentifier=",".join(subnets),
                              MixedInstancesPolicy={"LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateName": "web", "Version": "$Latest"},
                                                                       "Overrides": [{"InstanceType": "m5.large"}, {"InstanceType": "c5.large"}]},
                                                    "InstancesDistribution": {"OnDemandBaseCapacity": 1, "OnDemandPercentageAboveBaseCapacity": 50}},
                              DefaultCooldown=60)
g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["mixed"])["AutoScalingGroups"][0]
assert "LaunchTemplate" not in g and g["DefaultCooldown"] == 60
mip = g["MixedInstancesPolicy"]
assert [o["InstanceType"] for o in mip["LaunchTemplate"]["Overrides"]] == ["m5.large", "c5.large"]
assert mip["InstancesDistribution"]["OnDemandBaseCapacity"] == 1 and mip["InstancesDistribution"]["OnDemandPercentageAboveBaseCapacity"] == 50
insts = eventually("mixed launches", lambda: [i for i in asg.describe_auto_scaling_instances()["AutoScalingInstances"]
                                             if i["AutoScalingGroupName"] == "mixed"] or None)
ids = [i["InstanceId"] for i in insts]
desc = ec2.describe_instances(InstanceIds=ids)["Reservations"]
for res in desc:
    for i in res["Instances"]:
        assert i["InstanceType"] == "m5.large", i["InstanceType"]
        tags = {t["Key"]: t["Value"] for t in i["Tags"]}
        assert tags.get("team") == "web" and tags.get("aws:autoscaling:groupName") == "mixed", tags

# A group from a launch template, with a target group.
asg.create_auto_scaling_group(AutoScalingGroupName="web", MinSize=2, MaxSize=8, VPCZoneIdentifier=",".join(subnets),
                              LaunchTemplate={"LaunchTemplateName": "web"}, TargetGroupARNs=[tg])
group_insts = lambda: [i for i in asg.describe_auto_scaling_instances()["AutoScalingInstances"] if i["AutoScalingGroupName"] == "web"]
eventually("two instances", lambda: len(group_insts()) == 2)
assert asg.describe_load_balancer_target_groups(AutoScalingGroupName="web")["LoadBalancerTargetGroups"] == [
    {"LoadBalancerTargetGroupARN": tg, "State": "InService"}]
asg.detach_load_balancer_target_groups(AutoScalingGroupName="web", TargetGroupARNs=[tg])
assert asg.describe_load_balancer_target_groups(AutoScalingGroupName="web")["LoadBalancerTargetGroups"] == []
asg.attach_traffic_sources(AutoScalingGroupName="web", TrafficSources=[{"Identifier": tg, "Type": "elbv2"}])
ts = asg.describe_traffic_sources(AutoScalingGroupName="web")["TrafficSources"]
assert ts[0]["Identifier"] == tg and ts[0]["Type"] == "elbv2", ts

# Policies.
asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="up", AdjustmentType="ChangeInCapacity", ScalingAdjustment=2, Cooldown=60)
asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="pct", AdjustmentType="PercentChangeInCapacity", ScalingAdjustment=10)
arn = asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="tt", PolicyType="TargetTrackingScaling",
                             TargetTrackingConfiguration={"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
                                                          "TargetValue": 50.0})
assert len(arn["Alarms"]) == 2 and arn["Alarms"][0]["AlarmName"].startswith("TargetTracking-web-AlarmHigh-"), arn["Alarms"]
asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="step", PolicyType="StepScaling", AdjustmentType="ChangeInCapacity",
                       StepAdjustments=[{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1},
                                        {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 3}])
asg.put_scaling_policy(AutoScalingGroupName="web", PolicyName="predict", PolicyType="PredictiveScaling",
                       PredictiveScalingConfiguration={"MetricSpecifications": [{"TargetValue": 5, "PredefinedMetricPairSpecification": {
                           "PredefinedMetricType": "ASGCPUUtilization"}}], "SchedulingBufferTime": 7})
pols = {p["PolicyName"]: p for p in asg.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]}
assert pols["predict"]["PredictiveScalingConfiguration"] == {"MetricSpecifications": [{"TargetValue": 5.0, "PredefinedMetricPairSpecification": {
    "PredefinedMetricType": "ASGCPUUtilization"}}], "SchedulingBufferTime": 7}, pols["predict"]
asg.delete_policy(AutoScalingGroupName="web", PolicyName="predict")
pols = {p["PolicyName"]: p for p in asg.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]}
assert set(pols) == {"up", "pct", "tt", "step"}, pols.keys()
assert pols["up"]["Cooldown"] == 60 and pols["up"]["ScalingAdjustment"] == 2 and pols["up"]["PolicyType"] == "SimpleScaling"
assert pols["tt"]["TargetTrackingConfiguration"]["TargetValue"] == 50.0
assert len(pols["step"]["StepAdjustments"]) == 2
assert [p["PolicyName"] for p in asg.describe_policies(PolicyTypes=["StepScaling"])["ScalingPolicies"]] == ["step"]
fails("ValidationError", None, asg.put_scaling_policy, AutoScalingGroupName="web", PolicyName="bad", PolicyType="TargetTrackingScaling")
asg.execute_policy(AutoScalingGroupName="web", PolicyName="up")
assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["DesiredCapacity"] == 4
asg.execute_policy(AutoScalingGroupName="web", PolicyName="pct")  # 10% of 4 = 0.4 -> 1
assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["DesiredCapacity"] == 5
asg.execute_policy(AutoScalingGroupName="web", PolicyName="step", MetricValue=25, BreachThreshold=10)  # +3
assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["DesiredCapacity"] == 8
asg.delete_policy(AutoScalingGroupName="web", PolicyName="pct")
assert len(asg.describe_policies(AutoScalingGroupName="web")["ScalingPolicies"]) == 3
eventually("eight instances", lambda: len(group_insts()) == 8)

# Protection is honoured on scale in; a suspended Terminate holds the group.
ids = sorted(i["InstanceId"] for i in group_insts())
asg.set_instance_protection(AutoScalingGroupName="web", InstanceIds=ids[:3], ProtectedFromScaleIn=True)
fails("ValidationError", "The instance i-00000000000000000 is not part of Auto Scaling group web.", asg.set_instance_protection,
      AutoScalingGroupName="web", InstanceIds=["i-00000000000000000"], ProtectedFromScaleIn=True)
asg.suspend_processes(AutoScalingGroupName="web", ScalingProcesses=["Terminate"])
g = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
assert [p["ProcessName"] for p in g["SuspendedProcesses"]] == ["Terminate"], g["SuspendedProcesses"]
asg.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=2)
import time
time.sleep(0.2)
assert len(group_insts()) == 8, "Terminate is suspended"
asg.resume_processes(AutoScalingGroupName="web")
eventually("scale in to the protected", lambda: sorted(i["InstanceId"] for i in group_insts()) == ids[:3])
for i in group_insts():
    assert i["ProtectedFromScaleIn"]

# A suspended Launch stops launches.
asg.suspend_processes(AutoScalingGroupName="web", ScalingProcesses=["Launch"])
asg.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=5)
time.sleep(0.2)
assert len(group_insts()) == 3
asg.resume_processes(AutoScalingGroupName="web", ScalingProcesses=["Launch"])
eventually("launches resume", lambda: len(group_insts()) == 5)

# TerminateInstanceInAutoScalingGroup.
victim = sorted(i["InstanceId"] for i in group_insts())[-1]
act = asg.terminate_instance_in_auto_scaling_group(InstanceId=victim, ShouldDecrementDesiredCapacity=True)["Activity"]
assert act["Description"] == "Terminating EC2 instance: " + victim, act
assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["DesiredCapacity"] == 4
fails("ValidationError", "Instance Id not found - No managed instance found for instance ID: i-00000000000000000",
      asg.terminate_instance_in_auto_scaling_group, InstanceId="i-00000000000000000", ShouldDecrementDesiredCapacity=False)
acts = asg.describe_scaling_activities(AutoScalingGroupName="web")["Activities"]
assert acts[0]["Description"] == "Terminating EC2 instance: " + victim, acts[0]
assert any(a["Description"].startswith("Launching a new EC2 instance: i-") for a in acts)

# AttachInstances / DetachInstances.
loose = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnets[1])["Instances"][0]["InstanceId"]
eventually("loose instance running", lambda: ec2.describe_instances(InstanceIds=[loose])["Reservations"][0]["Instances"][0]["State"]["Name"] == "running")
before = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["DesiredCapacity"]
asg.attach_instances(AutoScalingGroupName="web", InstanceIds=[loose])
assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]["DesiredCapacity"] == before + 1
assert any(i["InstanceId"] == loose for i in group_insts())
acts = asg.detach_instances(AutoScalingGroupName="web", InstanceIds=[loose], ShouldDecrementDesiredCapacity=True)["Activities"]
assert acts[0]["Description"] == "Detaching EC2 instance: " + loose, acts
assert not any(i["InstanceId"] == loose for i in group_insts())
assert ec2.describe_instances(InstanceIds=[loose])["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"

# Scheduled actions: stored, and a one-off whose time has come runs.
future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
asg.put_scheduled_update_group_action(AutoScalingGroupName="web", ScheduledActionName="night", Recurrence="0 22 * * *", DesiredCapacity=2)
asg.put_scheduled_update_group_action(AutoScalingGroupName="web", ScheduledActionName="tomorrow", StartTime=future, MinSize=3)
out = asg.batch_put_scheduled_update_group_action(AutoScalingGroupName="web", ScheduledUpdateGroupActions=[
    {"ScheduledActionName": "a", "Recurrence": "0 1 * * *", "MaxSize": 9},
    {"ScheduledActionName": "past", "StartTime": datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc), "MaxSize": 9}])
assert [f["ScheduledActionName"] for f in out["FailedScheduledUpdateGroupActions"]] == ["past"], out
names = sorted(a["ScheduledActionName"] for a in asg.describe_scheduled_actions(AutoScalingGroupName="web")["ScheduledUpdateGroupActions"])
assert names == ["a", "night", "tomorrow"], names
asg.delete_scheduled_action(AutoScalingGroupName="web", ScheduledActionName="a")
fails("ValidationError", None, asg.delete_scheduled_action, AutoScalingGroupName="web", ScheduledActionName="a")
fails("ValidationError", "Given start time is in the past.", asg.put_scheduled_update_group_action, AutoScalingGroupName="web",
      ScheduledActionName="old", StartTime=datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc), MinSize=1)

# Lifecycle hooks.
asg.put_lifecycle_hook(AutoScalingGroupName="web", LifecycleHookName="drain", LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING")
h = asg.describe_lifecycle_hooks(AutoScalingGroupName="web")["LifecycleHooks"]
assert h[0]["LifecycleHookName"] == "drain" and h[0]["HeartbeatTimeout"] == 3600 and h[0]["DefaultResult"] == "ABANDON", h
asg.delete_lifecycle_hook(AutoScalingGroupName="web", LifecycleHookName="drain")
assert asg.describe_lifecycle_hooks(AutoScalingGroupName="web")["LifecycleHooks"] == []

lim = asg.describe_account_limits()
assert lim["MaxNumberOfAutoScalingGroups"] == 500 and lim["MaxNumberOfLaunchConfigurations"] == 200 and lim["NumberOfAutoScalingGroups"] == 2, lim
print("autoscaling ops: ok")
