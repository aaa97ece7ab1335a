"""ECS through boto3: cluster updates, attributes, account settings, task
definition deletion, draining, placement constraints and strategies (with
the cluster query language) and task sets of the EXTERNAL controller."""
import base64

from common import client, ecs_instance_profile, eventually, fails, network

ec2, ecs, elb = client("ec2"), client("ecs"), client("elbv2")
vpc, subnets = network(ec2)

ecs.create_cluster(clusterName="c", configuration={"executeCommandConfiguration": {"logging": "DEFAULT"}})
user_data = "#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"
profile = ecs_instance_profile(client("iam"))
# Three instances: t2.micro in a, t3.small in a, t2.micro in b.
for itype, subnet in [("t2.micro", subnets[0]), ("t3.small", subnets[0]), ("t2.micro", subnets[1])]:
    ec2.run_instances(ImageId="ami-12c6146b", InstanceType=itype, MinCount=1, MaxCount=1, SubnetId=subnet, UserData=user_data,
                      IamInstanceProfile=profile)
cis = eventually("three container instances", lambda: (lambda a: a if len(a) == 3 else None)(ecs.list_container_instances(cluster="c")["containerInstanceArns"]))
desc = ecs.describe_container_instances(cluster="c", containerInstances=cis)["containerInstances"]
attr = lambda ci, n: next((a.get("value") for a in ci["attributes"] if a["name"] == n), None)
by_type = {}
for ci in desc:
    by_type.setdefault((attr(ci, "ecs.instance-type"), attr(ci, "ecs.availability-zone")), []).append(ci["containerInstanceArn"])
small = by_type[("t3.small", "us-east-1a")][0]
micro_b = by_type[("t2.micro", "us-east-1b")][0]

# ListContainerInstances with a cluster query language filter.
got = ecs.list_container_instances(cluster="c", filter="attribute:ecs.instance-type == t2.micro")["containerInstanceArns"]
assert sorted(got) == sorted(a for a in cis if a != small), got
assert ecs.list_container_instances(cluster="c", filter="attribute:ecs.availability-zone == us-east-1b")["containerInstanceArns"] == [micro_b]
fails("InvalidParameterException", None, ecs.list_container_instances, cluster="c", filter="attribute:x ==")

# UpdateCluster / UpdateClusterSettings.
cl = ecs.update_cluster(cluster="c", settings=[{"name": "containerInsights", "value": "enabled"}])["cluster"]
assert cl["settings"] == [{"name": "containerInsights", "value": "enabled"}], cl
assert cl["configuration"]["executeCommandConfiguration"]["logging"] == "DEFAULT", cl
cl = ecs.update_cluster_settings(cluster="c", settings=[{"name": "containerInsights", "value": "disabled"}])["cluster"]
assert cl["settings"][0]["value"] == "disabled"
fails("ClusterNotFoundException", "Cluster not found.", ecs.update_cluster, cluster="nope", settings=[{"name": "containerInsights", "value": "enabled"}])

# Attributes.
out = ecs.put_attributes(cluster="c", attributes=[{"name": "stack", "value": "prod", "targetType": "container-instance", "targetId": small}])
assert out["attributes"][0]["targetId"] == small
fails("TargetNotFoundException", None, ecs.put_attributes, cluster="c",
      attributes=[{"name": "stack", "value": "prod", "targetType": "container-instance", "targetId": "0123456789abcdef0123456789abcdef"}])
listed = ecs.list_attributes(cluster="c", targetType="container-instance", attributeName="stack")["attributes"]
assert [(a["targetId"], a["value"]) for a in listed] == [(small, "prod")], listed
assert len(ecs.list_attributes(cluster="c", targetType="container-instance", attributeName="ecs.instance-type")["attributes"]) == 3

# Account settings.
ecs.put_account_setting_default(name="containerInsights", value="enabled")
s = ecs.delete_account_setting(name="containerInsights")["setting"]
assert s["name"] == "containerInsights" and s["value"] == "enabled", s
assert ecs.list_account_settings(name="containerInsights")["settings"] == []

# Task definitions: deregister, then delete.
td = ecs.register_task_definition(family="web", networkMode="bridge", containerDefinitions=[
    {"name": "web", "image": "nginx", "memory": 32, "portMappings": [{"containerPort": 80, "hostPort": 0}]}])["taskDefinition"]
old = ecs.register_task_definition(family="old", containerDefinitions=[{"name": "x", "image": "nginx", "memory": 64}])["taskDefinition"]
out = ecs.delete_task_definitions(taskDefinitions=[old["taskDefinitionArn"]])
assert out["taskDefinitions"] == [] and out["failures"][0]["reason"] == \
    "The specified task definition is still in ACTIVE status. Please deregister the target and try again.", out
assert ecs.deregister_task_definition(taskDefinition="old:1")["taskDefinition"]["status"] == "INACTIVE"
out = ecs.delete_task_definitions(taskDefinitions=["old:1"])
assert out["taskDefinitions"][0]["status"] == "DELETE_IN_PROGRESS", out

# Placement: memberOf with the cluster query language.
def run(**kw):
    return ecs.run_task(cluster="c", taskDefinition="web", **kw)
r = run(count=2, placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.instance-type == t2.micro"}])
ci_of = lambda tasks: sorted(t["containerInstanceArn"] for t in tasks)
assert all(t["containerInstanceArn"] not in (small,) for t in r["tasks"]) and len(r["tasks"]) == 2, r
r = run(placementConstraints=[{"type": "memberOf", "expression": "attribute:stack == prod"}])
assert ci_of(r["tasks"]) == [small], r
r = run(placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.availability-zone in [us-east-1b] and attribute:ecs.instance-type =~ t2.*"}])
assert ci_of(r["tasks"]) == [micro_b], r
r = run(placementConstraints=[{"type": "memberOf", "expression": "not(attribute:ecs.instance-type == t2.micro) or attribute:stack exists"}])
assert ci_of(r["tasks"]) == [small], r
r = run(placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.instance-type == m5.large"}])
assert r["tasks"] == [] and {f["reason"] for f in r["failures"]} == {"MemberOf placement constraint unsatisfied."}, r
fails("InvalidParameterException", None, run, placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.instance-type =="}])
fails("InvalidParameterException", None, run, placementConstraints=[{"type": "sometimes"}])

# distinctInstance: at most one task of the group per instance.
r = run(count=3, group="solo", placementConstraints=[{"type": "distinctInstance"}])
assert len(set(ci_of(r["tasks"]))) == 3, r
r = run(count=1, group="solo", placementConstraints=[{"type": "distinctInstance"}])
assert r["tasks"] == [] and {f["reason"] for f in r["failures"]} == {"DistinctInstance placement constraint unsatisfied."}, r
# task:group: only instances that run a task of group solo... all do; of group none: none.
r = run(placementConstraints=[{"type": "memberOf", "expression": "task:group == service:none"}])
assert r["tasks"] == [], r

# Strategies: binpack on memory fills the fullest instance; spread over zones alternates.
r = run(count=2, group="packed", placementStrategy=[{"type": "binpack", "field": "memory"}])
assert len(set(ci_of(r["tasks"]))) == 1, r
r = run(count=4, group="spread", placementStrategy=[{"type": "spread", "field": "attribute:ecs.availability-zone"}])
zones = {}
az = {ci["containerInstanceArn"]: attr(ci, "ecs.availability-zone") for ci in desc}
for t in r["tasks"]:
    zones[az[t["containerInstanceArn"]]] = zones.get(az[t["containerInstanceArn"]], 0) + 1
assert zones == {"us-east-1a": 2, "us-east-1b": 2}, zones
fails("InvalidParameterException", None, run, placementStrategy=[{"type": "binpack", "field": "disk"}])

# A service keeps its constraints and honours them.
svc = ecs.create_service(cluster="c", serviceName="pinned", taskDefinition="web", desiredCount=2,
                         placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.availability-zone == us-east-1b"}],
                         placementStrategy=[{"type": "spread", "field": "instanceId"}])["service"]
assert svc["placementConstraints"][0]["expression"] == "attribute:ecs.availability-zone == us-east-1b"
assert svc["placementStrategy"] == [{"type": "spread", "field": "instanceId"}]
def pinned_events():
    return [e["message"] for e in ecs.describe_services(cluster="c", services=["pinned"])["services"][0]["events"]]
try:
    eventually("pinned tasks started", lambda: len(ecs.list_tasks(cluster="c", serviceName="pinned")["taskArns"]) == 2)
except AssertionError:
    raise AssertionError(pinned_events())
tasks = eventually("pinned tasks", lambda: (lambda a: a if len(a) == 2 else None)(ecs.list_tasks(cluster="c", serviceName="pinned")["taskArns"]))
for t in ecs.describe_tasks(cluster="c", tasks=tasks)["tasks"]:
    assert t["containerInstanceArn"] == micro_b, t["containerInstanceArn"]

# Fargate refuses placement constraints.
ftd = ecs.register_task_definition(family="f", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                   containerDefinitions=[{"name": "x", "image": "nginx"}])
fails("InvalidParameterException", "Placement constraints are not supported with FARGATE launch type.", ecs.run_task, cluster="c",
      taskDefinition="f", launchType="FARGATE", networkConfiguration={"awsvpcConfiguration": {"subnets": subnets}},
      placementConstraints=[{"type": "distinctInstance"}])

# Draining: no new tasks go on a DRAINING instance; its service tasks move.
out = ecs.update_container_instances_state(cluster="c", containerInstances=[micro_b], status="DRAINING")
assert out["containerInstances"][0]["status"] == "DRAINING"
r = run(placementConstraints=[{"type": "memberOf", "expression": "attribute:ecs.availability-zone == us-east-1b"}])
assert r["tasks"] == [], r
ecs.update_container_instances_state(cluster="c", containerInstances=[micro_b], status="ACTIVE")

# Task sets (EXTERNAL controller), registered with their target group.
tg = elb.create_target_group(Name="ext", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
lb = elb.create_load_balancer(Name="ext", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
svc = ecs.create_service(cluster="c", serviceName="ext", desiredCount=2, deploymentController={"type": "EXTERNAL"})["service"]
assert svc["deploymentController"] == {"type": "EXTERNAL"}
# Without a launch type or strategy the service is EC2, its lists empty (the aws CLI's create-service example 3).
assert svc["launchType"] == "EC2" and svc["taskSets"] == [] and svc["deployments"] == [], svc
fails("InvalidParameterException", None, ecs.create_task_set, cluster="c", service="pinned", taskDefinition="web")
ts = ecs.create_task_set(cluster="c", service="ext", taskDefinition="web", externalId="blue", scale={"value": 50, "unit": "PERCENT"},
                         loadBalancers=[{"targetGroupArn": tg, "containerName": "web", "containerPort": 80}])["taskSet"]
assert ts["computedDesiredCount"] == 1 and ts["externalId"] == "blue" and ts["status"] == "ACTIVE", ts
ecs.update_service_primary_task_set(cluster="c", service="ext", primaryTaskSet=ts["id"])
eventually("task set task registered", lambda: len(elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]) == 1)
green = ecs.create_task_set(cluster="c", service="ext", taskDefinition="web", externalId="green", tags=[{"key": "color", "value": "green"}])["taskSet"]
assert ecs.list_tags_for_resource(resourceArn=green["taskSetArn"])["tags"] == [{"key": "color", "value": "green"}]
ecs.tag_resource(resourceArn=green["taskSetArn"], tags=[{"key": "team", "value": "web"}])
assert len(ecs.list_tags_for_resource(resourceArn=green["taskSetArn"])["tags"]) == 2
# Without a scale a task set is at 0 percent (the aws CLI's create-task-set example).
assert green["status"] == "ACTIVE" and green["scale"] == {"value": 0.0, "unit": "PERCENT"} and green["computedDesiredCount"] == 0, green
ecs.update_task_set(cluster="c", service="ext", taskSet=green["id"], scale={"value": 100, "unit": "PERCENT"})
ecs.update_task_set(cluster="c", service="ext", taskSet=ts["id"], scale={"value": 100, "unit": "PERCENT"})
ecs.update_service_primary_task_set(cluster="c", service="ext", primaryTaskSet=green["taskSetArn"])
sets = {x["externalId"]: x for x in ecs.describe_task_sets(cluster="c", service="ext")["taskSets"]}
assert sets["green"]["status"] == "PRIMARY" and sets["blue"]["status"] == "ACTIVE" and sets["blue"]["computedDesiredCount"] == 2, sets
eventually("task sets running", lambda: all(x["runningCount"] == 2 for x in ecs.describe_task_sets(cluster="c", service="ext")["taskSets"]))
ecs.delete_task_set(cluster="c", service="ext", taskSet=ts["id"], force=True)
eventually("blue drained", lambda: [x["externalId"] for x in ecs.describe_task_sets(cluster="c", service="ext")["taskSets"]] == ["green"])
eventually("blue deregistered", lambda: len(elb.describe_target_health(TargetGroupArn=tg)["TargetHealthDescriptions"]) == 0)
svc = ecs.describe_services(cluster="c", services=["ext"])["services"][0]
assert [x["externalId"] for x in svc["taskSets"]] == ["green"], svc["taskSets"]

# CODE_DEPLOY is accepted, with its primary task set.
svc = ecs.create_service(cluster="c", serviceName="cd", taskDefinition="web", desiredCount=1, deploymentController={"type": "CODE_DEPLOY"})["service"]
assert svc["deploymentController"] == {"type": "CODE_DEPLOY"} and svc["taskSets"][0]["status"] == "PRIMARY", svc
fails("InvalidParameterException", None, ecs.update_service, cluster="c", service="cd", taskDefinition="web")
# ListServicesByNamespace: a Cloud Map namespace (built by CloudFormation)
# and a Fargate service registered in it.
cfn = client("cloudformation")
template = """
Resources:
  NS:
    Type: AWS::ServiceDiscovery::PrivateDnsNamespace
    Properties: {Name: corp.local, Vpc: %s}
  DS:
    Type: AWS::ServiceDiscovery::Service
    Properties: {Name: api, NamespaceId: !Ref NS, DnsConfig: {DnsRecords: [{Type: A, TTL: 10}]}}
  TD:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: api
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions: [{Name: api, Image: nginx}]
  Svc:
    Type: AWS::ECS::Service
    Properties:
      Cluster: c
      ServiceName: api
      LaunchType: FARGATE
      DesiredCount: 0
      TaskDefinition: !Ref TD
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [%s]}}
      ServiceRegistries: [{RegistryArn: !GetAtt DS.Arn}]
""" % (vpc, subnets[0])
cfn.create_stack(StackName="sd", TemplateBody=template)
eventually("stack created", lambda: cfn.describe_stacks(StackName="sd")["Stacks"][0]["StackStatus"] in ("CREATE_COMPLETE", "ROLLBACK_COMPLETE"))
assert cfn.describe_stacks(StackName="sd")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE", cfn.describe_stack_events(StackName="sd")
arns = ecs.list_services_by_namespace(namespace="corp.local")["serviceArns"]
assert [a.rsplit("/", 1)[1] for a in arns] == ["api"], arns
fails("NamespaceNotFoundException", None, ecs.list_services_by_namespace, namespace="nope.local")
print("ecs ops: ok")
