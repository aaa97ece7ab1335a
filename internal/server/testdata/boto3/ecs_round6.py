"""ECS through boto3, sixth round against moto's suite: a DAEMON service
takes no desired count (CreateService, UpdateService) and no maximumPercent
above 100, and is deleted without scaling down; deploymentConfiguration is
kept and answered (defaults 200/100 for REPLICA, 100/0 for DAEMON); a role
is taken only for one load balancer of a bridge or host task definition and
answered as roleArn; an empty taskDefinition fails the family's parse;
UpdateService changes healthCheckGracePeriodSeconds (answered for every
service, 0 by default), propagateTags and enableECSManagedTags;
enableExecuteCommand and availabilityZoneRebalancing (ENABLED for a new
REPLICA service) are kept; a setting value outside the setting's values is
"Invalid setting 'value'"."""
from common import client, fails, network

ec2, ecs, elb = client("ec2"), client("ecs"), client("elbv2")
vpc, subnets = network(ec2)
ecs.create_cluster(clusterName="c")
ecs.register_task_definition(family="web", containerDefinitions=[
    {"name": "web", "image": "nginx", "memory": 64, "portMappings": [{"containerPort": 80}]}])
ecs.register_task_definition(family="vpcweb", networkMode="awsvpc", containerDefinitions=[
    {"name": "web", "image": "nginx", "memory": 64, "portMappings": [{"containerPort": 80}]}])

# DAEMON: no desired count, at most 100 % during a deployment.
daemon_count = "The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again"
fails("InvalidParameterException", daemon_count, ecs.create_service, cluster="c", serviceName="d",
      taskDefinition="web", desiredCount=2, schedulingStrategy="DAEMON")
above = "The daemon scheduling strategy does not support values above 100 for maximumPercent on a deployment configuration. Change the maximumPercent value to 100, and try again"
fails("InvalidParameterException", above, ecs.create_service, cluster="c", serviceName="d",
      taskDefinition="web", schedulingStrategy="DAEMON", deploymentConfiguration={"maximumPercent": 200})
d = ecs.create_service(cluster="c", serviceName="d", taskDefinition="web", schedulingStrategy="DAEMON")["service"]
assert d["schedulingStrategy"] == "DAEMON"
assert d["deploymentConfiguration"] == {"maximumPercent": 100, "minimumHealthyPercent": 0,
                                        "deploymentCircuitBreaker": {"enable": False, "rollback": False}}, d["deploymentConfiguration"]
fails("InvalidParameterException", daemon_count, ecs.update_service, cluster="c", service="d", desiredCount=1)
fails("InvalidParameterException", above, ecs.update_service, cluster="c", service="d",
      deploymentConfiguration={"maximumPercent": 150})
assert ecs.delete_service(cluster="c", service="d")["service"]["status"] == "DRAINING"

# REPLICA: the defaults, then what CreateService and UpdateService set.
s = ecs.create_service(cluster="c", serviceName="r", taskDefinition="web", desiredCount=0)["service"]
assert s["deploymentConfiguration"] == {"maximumPercent": 200, "minimumHealthyPercent": 100,
                                        "deploymentCircuitBreaker": {"enable": False, "rollback": False}}
assert "roleArn" not in s
s = ecs.update_service(cluster="c", service="r", deploymentConfiguration={
    "maximumPercent": 150, "minimumHealthyPercent": 50,
    "deploymentCircuitBreaker": {"enable": True, "rollback": True},
    "alarms": {"alarmNames": ["high-5xx"], "enable": True, "rollback": False}})["service"]
want = {"maximumPercent": 150, "minimumHealthyPercent": 50, "deploymentCircuitBreaker": {"enable": True, "rollback": True},
        "alarms": {"alarmNames": ["high-5xx"], "enable": True, "rollback": False}}
assert s["deploymentConfiguration"] == want, s["deploymentConfiguration"]
s = ecs.update_service(cluster="c", service="r", deploymentConfiguration={"minimumHealthyPercent": 0})["service"]
assert s["deploymentConfiguration"] == dict(want, minimumHealthyPercent=0), s["deploymentConfiguration"]
got = ecs.describe_services(cluster="c", services=["r"])["services"][0]["deploymentConfiguration"]
assert got == dict(want, minimumHealthyPercent=0), got

# role: refused without a load balancer and for awsvpc, taken for one
# target group of a bridge task definition (a name becomes the role's ARN).
linked = "You cannot specify an IAM role for services that require a service linked role."
fails("InvalidParameterException", linked, ecs.create_service, cluster="c", serviceName="x",
      taskDefinition="web", desiredCount=1, role="arn:aws:iam::123456789012:role/test-role")
lb = elb.create_load_balancer(Name="lb", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
tg = elb.create_target_group(Name="tg", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
ipg = elb.create_target_group(Name="ip", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
for g in (tg, ipg):
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80 if g == tg else 81,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": g}])
fails("InvalidParameterException", linked, ecs.create_service, cluster="c", serviceName="x", taskDefinition="vpcweb",
      desiredCount=1, role="ecsServiceRole", networkConfiguration={"awsvpcConfiguration": {"subnets": subnets[:1]}},
      loadBalancers=[{"targetGroupArn": ipg, "containerName": "web", "containerPort": 80}])
s = ecs.create_service(cluster="c", serviceName="lbs", taskDefinition="web", desiredCount=0, role="ecsServiceRole",
                       loadBalancers=[{"targetGroupArn": tg, "containerName": "web", "containerPort": 80}])["service"]
assert s["roleArn"] == "arn:aws:iam::123456789012:role/ecsServiceRole", s["roleArn"]
got = ecs.describe_services(cluster="c", services=["lbs"])["services"][0]["roleArn"]
assert got == s["roleArn"], got

# An empty taskDefinition is not a missing one.
fails("InvalidParameterException", "Family should not be null or empty.", ecs.create_service, cluster="c",
      serviceName="e", taskDefinition="", desiredCount=0)
fails("InvalidParameterException", "Family should not be null or empty.", ecs.create_service, cluster="c",
      serviceName="e", taskDefinition="", deploymentController={"type": "EXTERNAL"})

# UpdateService's other members.
s = ecs.describe_services(cluster="c", services=["r"])["services"][0]
assert s["healthCheckGracePeriodSeconds"] == 0 and s["propagateTags"] == "NONE" and s["enableECSManagedTags"] is False, s
s = ecs.update_service(cluster="c", service="r", healthCheckGracePeriodSeconds=30, propagateTags="SERVICE",
                       enableECSManagedTags=True)["service"]
assert (s["healthCheckGracePeriodSeconds"], s["propagateTags"], s["enableECSManagedTags"]) == (30, "SERVICE", True), s
assert len(s["deployments"]) == 1, s["deployments"]
assert s["enableExecuteCommand"] is False and s["availabilityZoneRebalancing"] == "ENABLED", s
s = ecs.update_service(cluster="c", service="r", enableExecuteCommand=True, availabilityZoneRebalancing="DISABLED")["service"]
assert s["enableExecuteCommand"] is True and s["availabilityZoneRebalancing"] == "DISABLED", s
s = ecs.update_service(cluster="c", service="r", desiredCount=0)["service"]
assert s["enableExecuteCommand"] is True and s["availabilityZoneRebalancing"] == "DISABLED", s
x = ecs.create_service(cluster="c", serviceName="x2", taskDefinition="web", desiredCount=0, enableExecuteCommand=True,
                       availabilityZoneRebalancing="DISABLED")["service"]
assert x["enableExecuteCommand"] is True and x["availabilityZoneRebalancing"] == "DISABLED", x

# Setting values: ECS answers "Invalid setting 'value'".
bad = "Invalid setting 'value'"
fails("InvalidParameterException", bad, ecs.put_account_setting, name="taskLongArnFormat", value="ENABLED")
fails("InvalidParameterException", bad, ecs.put_account_setting_default, name="awsvpcTrunking", value="on")
fails("InvalidParameterException", bad, ecs.update_cluster, cluster="c", settings=[{"name": "containerInsights", "value": "enhaced"}])
fails("InvalidParameterException", bad, ecs.update_cluster_settings, cluster="c", settings=[{"name": "containerInsights", "value": "v"}])
fails("InvalidParameterException", bad, ecs.create_cluster, clusterName="ci", settings=[{"name": "containerInsights", "value": "yes"}])
assert ecs.update_cluster(cluster="c", settings=[{"name": "containerInsights", "value": "enhanced"}])["cluster"]["settings"] == \
    [{"name": "containerInsights", "value": "enhanced"}]
assert ecs.put_account_setting(name="taskLongArnFormat", value="enabled")["setting"]["value"] == "enabled"
