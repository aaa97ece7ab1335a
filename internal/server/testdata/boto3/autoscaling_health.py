"""Auto Scaling health checks through boto3: a group with health check type
ELB behind a Classic Load Balancer whose instances have nothing listening
replaces them once the load balancer has seen two failed checks (10 s) and
the grace period is over; SetInstanceHealth marks an instance Unhealthy,
replaced at once without the grace period, kept until it ends with it."""
import time

from common import client, eventually, network

ec2, asg, elb = client("ec2"), client("autoscaling"), client("elb")
vpc, subnets = network(ec2)
sg = ec2.create_security_group(GroupName="open", Description="open", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
elb.create_load_balancer(LoadBalancerName="web", Subnets=subnets, SecurityGroups=[sg],
                         Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 80}])
elb.configure_health_check(LoadBalancerName="web", HealthCheck={"Target": "HTTP:80/", "Interval": 5, "Timeout": 2,
                                                                 "UnhealthyThreshold": 2, "HealthyThreshold": 2})
asg.create_launch_configuration(LaunchConfigurationName="lc", ImageId="ami-12c6146b", InstanceType="t3.micro", SecurityGroups=[sg])


def group(name):
    return asg.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def terminations(name):
    """The causes of the group's "Terminating EC2 instance" activities, by instance."""
    acts = asg.describe_scaling_activities(AutoScalingGroupName=name)["Activities"]
    return {a["Description"].removeprefix("Terminating EC2 instance: "): a["Cause"]
            for a in acts if a["Description"].startswith("Terminating EC2 instance: ")}


# ELB health checks: the load balancer finds the instance OutOfService, the
# group takes it out of service once the load balancer's checks have failed
# twice and the grace period (1 s) has passed, and launches another.
asg.create_auto_scaling_group(AutoScalingGroupName="clb", LaunchConfigurationName="lc", MinSize=1, MaxSize=2, DesiredCapacity=1,
                              VPCZoneIdentifier=subnets[0], LoadBalancerNames=["web"], HealthCheckType="ELB", HealthCheckGracePeriod=1)
first = eventually("clb launches", lambda: group("clb")["Instances"])[0]["InstanceId"]
# While its registration is in progress (until the first check, Interval
# after registering) the instance is OutOfService for the load balancer
# (ReasonCode ELB); after a failed check, for the instance (ReasonCode
# Instance).
seen = []


def checked():
    states = [s for s in elb.describe_instance_health(LoadBalancerName="web")["InstanceStates"] if s["InstanceId"] == first]
    seen.extend((s["State"], s["ReasonCode"], s["Description"]) for s in states)
    return [s for s in states if s["State"] == "OutOfService" and s["ReasonCode"] == "Instance"]


eventually("the load balancer checks the instance", checked, timeout=30)
for state in seen:
    assert state[0] == "OutOfService", seen
    assert state[1] == "Instance" or state[1:] == ("ELB", "Instance registration is still in progress."), seen
# UnhealthyThreshold (2) checks, Interval (5 s) apart: about 10 s, polled
# slowly.
deadline = time.time() + 30
while not (cause := terminations("clb").get(first)):
    assert time.time() < deadline, "clb replaces its instance: timed out"
    time.sleep(0.25)
launched = ec2.describe_instances(InstanceIds=[first])["Reservations"][0]["Instances"][0]["LaunchTime"]
taken = [a["StartTime"] for a in asg.describe_scaling_activities(AutoScalingGroupName="clb")["Activities"]
         if a["Description"] == "Terminating EC2 instance: " + first][0]
assert (taken - launched).total_seconds() >= 10, f"taken out {taken - launched} after its launch, before two failed checks"
assert cause.startswith("At ") and cause.endswith(" an instance was taken out of service in response to a ELB system health check failure."), cause
eventually("a new instance in clb", lambda: any(i["InstanceId"] != first for i in group("clb")["Instances"]))

# SetInstanceHealth on a group with health check type EC2 (whose instances
# the load balancer's checks do not concern): respecting the grace period
# (the default), the instance is Unhealthy and stays until it ends; without
# it, it is replaced at once, "in response to a user health-check".
asg.create_auto_scaling_group(AutoScalingGroupName="custom", LaunchConfigurationName="lc", MinSize=2, MaxSize=3, DesiredCapacity=2,
                              VPCZoneIdentifier=subnets[1], HealthCheckGracePeriod=3600)
kept, gone = sorted(i["InstanceId"] for i in eventually("custom launches", lambda: len(group("custom")["Instances"]) == 2 and group("custom")["Instances"]))
asg.set_instance_health(InstanceId=kept, HealthStatus="Unhealthy")
asg.set_instance_health(InstanceId=gone, HealthStatus="Unhealthy", ShouldRespectGracePeriod=False)
cause = eventually("custom replaces the instance set Unhealthy without the grace period", lambda: terminations("custom").get(gone))
assert cause.endswith(" an instance was taken out of service in response to a user health-check."), cause
assert kept not in terminations("custom")
inst = asg.describe_auto_scaling_instances(InstanceIds=[kept])["AutoScalingInstances"][0]
assert inst["HealthStatus"] == "UNHEALTHY" and inst["LifecycleState"] == "InService", inst
assert [i["HealthStatus"] for i in group("custom")["Instances"] if i["InstanceId"] == kept] == ["Unhealthy"]
# Healthy again: nothing to replace.
asg.set_instance_health(InstanceId=kept, HealthStatus="Healthy")
assert [i["HealthStatus"] for i in group("custom")["Instances"] if i["InstanceId"] == kept] == ["Healthy"]
