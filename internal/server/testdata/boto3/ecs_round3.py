"""ECS through boto3, third round against moto's suite: a deleted cluster
stays listed (INACTIVE), remainingResources lists only reserved ports
(never a dynamically assigned one), and an empty DescribeContainerInstances
is a ClientException."""
from common import client, ecs_instance_profile, eventually, fails, network

ec2, ecs = client("ec2"), client("ecs")
vpc, subnets = network(ec2)

# ListClusters keeps a deleted cluster, INACTIVE, until it is created again.
ecs.create_cluster(clusterName="gone")
ecs.create_cluster(clusterName="c")
assert ecs.delete_cluster(cluster="gone")["cluster"]["status"] == "INACTIVE"
arns = ecs.list_clusters()["clusterArns"]
assert sorted(a.split("/")[-1] for a in arns) == ["c", "gone"], arns
st = {c["clusterName"]: c["status"] for c in ecs.describe_clusters(clusters=arns)["clusters"]}
assert st == {"c": "ACTIVE", "gone": "INACTIVE"}, st
fails("ClusterNotFoundException", "Cluster not found.", ecs.delete_cluster, cluster="gone")
assert ecs.create_cluster(clusterName="gone")["cluster"]["status"] == "ACTIVE"
assert len(ecs.list_clusters()["clusterArns"]) == 2

# An empty list: the cluster is checked first, then the list.
fails("ClusterNotFoundException", "Cluster not found.", ecs.describe_container_instances, cluster="nope", containerInstances=[])
fails("ClientException", "Container Instances cannot be empty.", ecs.describe_container_instances, cluster="c", containerInstances=[])
fails("InvalidParameterException", "Tasks cannot be empty.", ecs.describe_tasks, cluster="c", tasks=[])

# remainingResources: a static host port is reserved, a dynamic one is not.
user_data = "#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"
ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.large", MinCount=1, MaxCount=1, SubnetId=subnets[0], UserData=user_data,
                  IamInstanceProfile=ecs_instance_profile(client("iam")))
ci = eventually("a container instance", lambda: ecs.list_container_instances(cluster="c")["containerInstanceArns"])[0]
ecs.register_task_definition(family="static", containerDefinitions=[
    {"name": "web", "image": "nginx", "memory": 64, "portMappings": [{"containerPort": 8080, "hostPort": 80}]}])
ecs.register_task_definition(family="dynamic", containerDefinitions=[
    {"name": "web", "image": "nginx", "memory": 64, "portMappings": [{"containerPort": 8080}]}])
ecs.run_task(cluster="c", taskDefinition="static")
dyn = ecs.run_task(cluster="c", taskDefinition="dynamic")["tasks"][0]["taskArn"]


def ports(kind):
    desc = ecs.describe_container_instances(cluster="c", containerInstances=[ci])["containerInstances"][0]
    return next(r["stringSetValue"] for r in desc[kind] if r["name"] == "PORTS")


registered = ports("registeredResources")
assert registered == ["22", "2375", "2376", "51678", "51679"], registered
assert ports("remainingResources") == registered + ["80"], ports("remainingResources")


def dynamic_port():
    t = ecs.describe_tasks(cluster="c", tasks=[dyn])["tasks"][0]
    b = t["containers"][0].get("networkBindings") or []
    return b[0]["hostPort"] if b else None


hp = eventually("a dynamic host port", dynamic_port)
assert 32768 <= hp <= 60999, hp
assert str(hp) not in ports("remainingResources")

# "tags" is always answered; without include=TAGS it is empty, even for a
# tagged task or cluster.
ecs.tag_resource(resourceArn=ecs.describe_clusters(clusters=["c"])["clusters"][0]["clusterArn"], tags=[{"key": "team", "value": "a"}])
assert ecs.describe_clusters(clusters=["c"])["clusters"][0]["tags"] == []
assert ecs.describe_clusters(clusters=["c"], include=["TAGS"])["clusters"][0]["tags"] == [{"key": "team", "value": "a"}]
tagged = ecs.run_task(cluster="c", taskDefinition="dynamic", tags=[{"key": "k", "value": "v"}])["tasks"][0]
assert tagged["tags"] == [{"key": "k", "value": "v"}], tagged["tags"]
assert ecs.describe_tasks(cluster="c", tasks=[tagged["taskArn"]])["tasks"][0]["tags"] == []
assert ecs.describe_tasks(cluster="c", tasks=[tagged["taskArn"]], include=["TAGS"])["tasks"][0]["tags"] == [{"key": "k", "value": "v"}]

# A platform version is Fargate's: with the EC2 launch type (given or
# defaulted) RunTask and CreateService refuse one.
msg = "The platform version must be null when specifying an EC2 launch type."
fails("InvalidParameterException", msg, ecs.run_task, cluster="c", taskDefinition="static", platformVersion="LATEST")
fails("InvalidParameterException", msg, ecs.create_service, cluster="c", serviceName="s", taskDefinition="static",
      desiredCount=1, launchType="EC2", platformVersion="1.4.0")
fails("InvalidParameterException", msg, ecs.create_service, cluster="c", serviceName="s", taskDefinition="static",
      desiredCount=1, platformVersion="2")
assert "platformVersion" not in ecs.create_service(cluster="c", serviceName="s", taskDefinition="static", desiredCount=0)["service"]
