"""What the aws CLI's own examples (aws/aws-cli, awscli/examples, recorded
from AWS's answers) showed ecsnet answering differently, through boto3
(scripts/awscli-examples, docs/awscli-examples.md):

* ecs create-service: a service that uses ECS's service-linked role (awsvpc
  network mode, a load balancer or service registries given no role, the
  EXTERNAL deployment controller) answers it as roleArn; a bridge service
  without a load balancer answers none (ecs/create-service.rst)."""
from common import client, network

ec2, ecs = client("ec2"), client("ecs")
vpc, subnets = network(ec2)
SLR = "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"

ecs.create_cluster(clusterName="MyCluster")
ecs.register_task_definition(family="sample-fargate", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                             cpu="256", memory="512",
                             containerDefinitions=[{"name": "web", "image": "nginx", "essential": True}])
ecs.register_task_definition(family="sleep360", containerDefinitions=[
    {"name": "sleep", "image": "busybox", "memory": 10, "command": ["sleep", "360"]}])
s = ecs.create_service(cluster="MyCluster", serviceName="fargate", taskDefinition="sample-fargate", desiredCount=0,
                       launchType="FARGATE", networkConfiguration={"awsvpcConfiguration": {"subnets": subnets[:1]}})["service"]
assert s["roleArn"] == SLR, s.get("roleArn")
got = ecs.describe_services(cluster="MyCluster", services=["fargate"])["services"][0]
assert got["roleArn"] == SLR, got.get("roleArn")
s = ecs.create_service(cluster="MyCluster", serviceName="ecs-simple-service", taskDefinition="sleep360",
                       desiredCount=0)["service"]
assert "roleArn" not in s, s["roleArn"]
s = ecs.create_service(cluster="MyCluster", serviceName="external", deploymentController={"type": "EXTERNAL"},
                       desiredCount=1)["service"]
assert s["roleArn"] == SLR, s.get("roleArn")
