"""Auto Scaling through boto3, round 8: target tracking policies on metric
math and high-resolution customized metrics, and the NextToken Auto Scaling
refuses."""
from common import client, eventually, fails, network

ec2, asg = client("ec2"), client("autoscaling")
vpc, subnets = network(ec2)

asg.create_launch_configuration(LaunchConfigurationName="lc", ImageId="ami-12c6146b", InstanceType="t3.micro")
asg.create_auto_scaling_group(AutoScalingGroupName="g", LaunchConfigurationName="lc", MinSize=0, MaxSize=2,
                              VPCZoneIdentifier=subnets[0])

# A customized metric as metric math: the queries are stored and answered.
cpu = {"Id": "cpu", "Label": "cpu", "ReturnData": False,
       "MetricStat": {"Metric": {"MetricName": "CPUUtilization", "Namespace": "AWS/EC2",
                                 "Dimensions": [{"Name": "AutoScalingGroupName", "Value": "g"}]},
                      "Stat": "Average", "Period": 30}}
square = {"Id": "load", "Label": "square", "Expression": "cpu^2"}
asg.put_scaling_policy(AutoScalingGroupName="g", PolicyName="math", PolicyType="TargetTrackingScaling",
                       TargetTrackingConfiguration={"CustomizedMetricSpecification": {"Metrics": [cpu, square]}, "TargetValue": 40.0})
# One metric with a high-resolution period.
asg.put_scaling_policy(AutoScalingGroupName="g", PolicyName="fast", PolicyType="TargetTrackingScaling",
                       TargetTrackingConfiguration={"CustomizedMetricSpecification": {
                           "MetricName": "Queue", "Namespace": "App", "Statistic": "Average", "Period": 10}, "TargetValue": 5.0})
pols = {p["PolicyName"]: p for p in asg.describe_policies(AutoScalingGroupName="g")["ScalingPolicies"]}
cm = pols["math"]["TargetTrackingConfiguration"]["CustomizedMetricSpecification"]
assert cm == {"Metrics": [cpu, square]}, cm
cm = pols["fast"]["TargetTrackingConfiguration"]["CustomizedMetricSpecification"]
assert cm["MetricName"] == "Queue" and cm["Period"] == 10, cm

# What a customized metric cannot be.
def tt(spec):
    return dict(AutoScalingGroupName="g", PolicyName="bad", PolicyType="TargetTrackingScaling",
                TargetTrackingConfiguration=dict(spec, TargetValue=1.0))


fails("ValidationError", None, asg.put_scaling_policy, **tt({"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
                                                             "CustomizedMetricSpecification": {"Metrics": [cpu, square]}}))
fails("ValidationError", None, asg.put_scaling_policy, **tt({"CustomizedMetricSpecification": {"Metrics": [dict(cpu, ReturnData=True), square]}}))
fails("ValidationError", None, asg.put_scaling_policy, **tt({"CustomizedMetricSpecification": {"Metrics": [cpu, dict(square, MetricStat=cpu["MetricStat"])]}}))
fails("ValidationError", None, asg.put_scaling_policy, **tt({"CustomizedMetricSpecification": {"Metrics": [cpu, dict(square, Id="cpu")]}}))
fails("ValidationError", None, asg.put_scaling_policy, **tt({"CustomizedMetricSpecification": {
    "MetricName": "Queue", "Namespace": "App", "Statistic": "Average", "Metrics": [cpu, square]}}))
fails("ValidationError", None, asg.put_scaling_policy, **tt({"CustomizedMetricSpecification": {
    "MetricName": "Queue", "Namespace": "App", "Statistic": "Average", "Period": 20}}))
assert sorted(p["PolicyName"] for p in asg.describe_policies(AutoScalingGroupName="g")["ScalingPolicies"]) == ["fast", "math"]

# An empty NextToken is an invalid one, not the first page.
fails("InvalidNextToken", "The token '' was invalid", asg.describe_auto_scaling_groups, NextToken="")
fails("InvalidNextToken", "The token '' was invalid", asg.describe_scaling_activities, NextToken="")
fails("InvalidNextToken", "The token '%%' was invalid", asg.describe_launch_configurations, NextToken="%%")

# Purchase options: a launch configuration with a SpotPrice launches Spot
# Instances (and cannot have a warm pool); a mixed-instances group splits its
# desired capacity between On-Demand (the base first, then the percentage
# above it) and Spot.
def lifecycles(group):
    ids = [i["InstanceId"] for i in asg.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]["Instances"]]
    insts = [i for r in ec2.describe_instances(InstanceIds=ids)["Reservations"] for i in r["Instances"]]
    return sorted(i.get("InstanceLifecycle", "on-demand") for i in insts)


asg.create_launch_configuration(LaunchConfigurationName="spot", ImageId="ami-12c6146b", InstanceType="t3.micro", SpotPrice="0.01")
asg.create_auto_scaling_group(AutoScalingGroupName="spot", LaunchConfigurationName="spot", MinSize=2, MaxSize=2, VPCZoneIdentifier=subnets[0])
assert lifecycles("spot") == ["spot", "spot"], lifecycles("spot")
fails("ValidationError", None, asg.put_warm_pool, AutoScalingGroupName="spot", MinSize=1)

ec2.create_launch_template(LaunchTemplateName="mix", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
mixed = {"LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateName": "mix"}, "Overrides": [{"InstanceType": "t3.micro"}]},
         "InstancesDistribution": {"OnDemandBaseCapacity": 1, "OnDemandPercentageAboveBaseCapacity": 25}}
asg.create_auto_scaling_group(AutoScalingGroupName="mix", MixedInstancesPolicy=mixed, MinSize=5, MaxSize=5, VPCZoneIdentifier=subnets[0])
# 1 base + 25 % of 4 = 2 On-Demand, 3 Spot.
assert lifecycles("mix") == ["on-demand", "on-demand", "spot", "spot", "spot"], lifecycles("mix")
weighted = {"LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateName": "mix"},
                               "Overrides": [{"InstanceType": "t3.micro", "WeightedCapacity": "4"}]},
            "InstancesDistribution": {"OnDemandBaseCapacity": 2, "OnDemandPercentageAboveBaseCapacity": 50}}
asg.create_auto_scaling_group(AutoScalingGroupName="weighted", MixedInstancesPolicy=weighted, MinSize=0, MaxSize=10, DesiredCapacity=8,
                              VPCZoneIdentifier=subnets[0])
# 5 units On-Demand, 3 Spot, filled as a whole: one instance of each (8 units).
assert lifecycles("weighted") == ["on-demand", "spot"], lifecycles("weighted")

# ExitStandby at MaxSize: an instance put on standby without decrementing
# the desired capacity was replaced; back in service, the group has one
# instance more than it needs (the desired capacity stays at MaxSize) and
# terminates one.
asg.create_auto_scaling_group(AutoScalingGroupName="sb", LaunchConfigurationName="lc", MinSize=0, MaxSize=2, DesiredCapacity=2,
                              VPCZoneIdentifier=subnets[0])


def states(group):
    return sorted((i["InstanceId"], i["LifecycleState"]) for i in
                  asg.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]["Instances"])


eventually("two in service", lambda: [s for _, s in states("sb")] == ["InService", "InService"])
first = states("sb")[0][0]
asg.enter_standby(AutoScalingGroupName="sb", InstanceIds=[first], ShouldDecrementDesiredCapacity=False)
eventually("a replacement in service", lambda: sorted(s for _, s in states("sb")) == ["InService", "InService", "Standby"])
act = asg.exit_standby(AutoScalingGroupName="sb", InstanceIds=[first])["Activities"][0]
assert act["Description"] == "Moving EC2 instance out of Standby: " + first, act
assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["sb"])["AutoScalingGroups"][0]["DesiredCapacity"] == 2
eventually("back to two", lambda: [s for _, s in states("sb")] == ["InService", "InService"])
print("autoscaling round 8: ok")
