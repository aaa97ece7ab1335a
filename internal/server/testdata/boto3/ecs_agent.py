"""ECS through boto3: what the container agent calls as an instance boots
(DiscoverPollEndpoint, RegisterContainerInstance before the next control
plane step sees the instance running), ListTaskDefinitions' familyPrefix
(a full family name, not a prefix), Fargate's refusal of pidMode host and
the tags RunTask answers."""
import json

from common import client, fails, network

ec2, ecs = client("ec2"), client("ecs")
vpc, subnets = network(ec2)

# The agent's first call: the regional endpoints it polls. It does not need
# a registered instance, nor an existing cluster.
ep = ecs.discover_poll_endpoint(cluster="not-yet", containerInstance="whatever")
assert ep["endpoint"] == "https://ecs-a-1.us-east-1.amazonaws.com/", ep
assert ep["telemetryEndpoint"] == "https://ecs-t-1.us-east-1.amazonaws.com/", ep
assert ep["serviceConnectEndpoint"].startswith("https://ecs-sc-1.us-east-1."), ep

# RegisterContainerInstance straight after RunInstances: an agent calling
# proves the instance booted, so the registration stands and the instance
# is running from then on.
ecs.create_cluster(clusterName="boot")
inst = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.medium", MinCount=1, MaxCount=1,
                         SubnetId=subnets[0])["Instances"][0]
doc = json.dumps({"instanceId": inst["InstanceId"], "region": "us-east-1",
                  "availabilityZone": "us-east-1a", "instanceType": "t3.medium", "imageId": "ami-12c6146b"})
ci = ecs.register_container_instance(cluster="boot", instanceIdentityDocument=doc)["containerInstance"]
assert ci["ec2InstanceId"] == inst["InstanceId"] and ci["status"] == "ACTIVE", ci
state = ec2.describe_instances(InstanceIds=[inst["InstanceId"]])["Reservations"][0]["Instances"][0]["State"]["Name"]
assert state == "running", state

# A stopped instance cannot register: no agent runs on it.
ec2.stop_instances(InstanceIds=[inst["InstanceId"]])
fails("InvalidParameterException", f"The instance {inst['InstanceId']} is not running.",
      ecs.register_container_instance, cluster="boot", instanceIdentityDocument=doc)

# familyPrefix names one family: "web" lists web's revisions, not web-api's.
for fam in ["web", "web", "web-api"]:
    ecs.register_task_definition(family=fam, containerDefinitions=[{"name": "c", "image": "nginx", "memory": 64}])
arns = ecs.list_task_definitions(familyPrefix="web")["taskDefinitionArns"]
assert [a.rsplit("/", 1)[1] for a in arns] == ["web:1", "web:2"], arns
assert ecs.list_task_definitions(familyPrefix="we")["taskDefinitionArns"] == []
assert len(ecs.list_task_definitions()["taskDefinitionArns"]) == 3
# ListTaskDefinitionFamilies' familyPrefix is a prefix.
assert ecs.list_task_definition_families(familyPrefix="we")["families"] == ["web", "web-api"]

# Fargate shares the process namespace only within the task.
fails("ClientException",
      "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.",
      ecs.register_task_definition, family="pid", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
      cpu="256", memory="512", pidMode="host", containerDefinitions=[{"name": "c", "image": "nginx"}])
td = ecs.register_task_definition(family="pid", networkMode="awsvpc", cpu="256", memory="512", pidMode="host",
                                  containerDefinitions=[{"name": "c", "image": "nginx"}])["taskDefinition"]
assert "FARGATE" not in td["compatibilities"], td["compatibilities"]
td = ecs.register_task_definition(family="pid", requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
                                  cpu="256", memory="512", pidMode="task",
                                  containerDefinitions=[{"name": "c", "image": "nginx"}])["taskDefinition"]
assert td["pidMode"] == "task" and "FARGATE" in td["compatibilities"], td

# RunTask answers its tasks with their tags: [] when there are none (a
# DescribeTasks without include=TAGS answers them empty, aws/aws-cli#4500).
ecs.create_cluster(clusterName="tags")
tasks = ecs.run_task(cluster="tags", taskDefinition="pid:2", launchType="FARGATE", networkConfiguration={
    "awsvpcConfiguration": {"subnets": [subnets[0]]}})["tasks"]
assert len(tasks) == 1 and tasks[0]["tags"] == [], tasks
desc = ecs.describe_tasks(cluster="tags", tasks=[tasks[0]["taskArn"]])["tasks"][0]
assert desc["tags"] == [], desc
assert ecs.describe_tasks(cluster="tags", tasks=[tasks[0]["taskArn"]], include=["TAGS"])["tasks"][0]["tags"] == []
print("ok")
