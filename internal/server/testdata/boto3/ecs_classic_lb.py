"""ECS services behind a Classic Load Balancer through boto3: a bridge
service names the load balancer (loadBalancerName), and ECS registers its
container instance with it once the task runs and deregisters it when the
task stops; awsvpc services cannot use a Classic Load Balancer, and a name
that does not exist is refused."""
from common import client, ecs_instance_profile, eventually, fails, network

ec2, ecs, elb = client("ec2"), client("ecs"), client("elb")
vpc, subnets = network(ec2)

elb.create_load_balancer(LoadBalancerName="legacy", Subnets=subnets,
                         Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080}])
ecs.create_cluster(clusterName="c")
user_data = "#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"
inst = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.large", MinCount=1, MaxCount=1, SubnetId=subnets[0],
                         UserData=user_data, IamInstanceProfile=ecs_instance_profile(client("iam")))["Instances"][0]["InstanceId"]
eventually("a container instance", lambda: ecs.list_container_instances(cluster="c")["containerInstanceArns"])

ecs.register_task_definition(family="web", networkMode="bridge", containerDefinitions=[
    {"name": "web", "image": "nginx", "memory": 64, "portMappings": [{"containerPort": 80, "hostPort": 8080}]}])
ecs.register_task_definition(family="vpc", networkMode="awsvpc", containerDefinitions=[
    {"name": "web", "image": "nginx", "memory": 64, "portMappings": [{"containerPort": 80}]}])

# A Classic Load Balancer registers instances, never addresses.
fails("InvalidParameterException", "Classic Load Balancers are not supported with the awsvpc network mode.…",
      ecs.create_service, cluster="c", serviceName="v", taskDefinition="vpc", desiredCount=1,
      networkConfiguration={"awsvpcConfiguration": {"subnets": subnets[:1]}},
      loadBalancers=[{"loadBalancerName": "legacy", "containerName": "web", "containerPort": 80}])
fails("InvalidParameterException", "The load balancer nope does not exist.",
      ecs.create_service, cluster="c", serviceName="n", taskDefinition="web", desiredCount=1,
      loadBalancers=[{"loadBalancerName": "nope", "containerName": "web", "containerPort": 80}])
fails("InvalidParameterException", "The container web did not have a container port 81 defined.",
      ecs.create_service, cluster="c", serviceName="p", taskDefinition="web", desiredCount=1,
      loadBalancers=[{"loadBalancerName": "legacy", "containerName": "web", "containerPort": 81}])
fails("InvalidParameterException", "Deployment circuit breaker feature is not supported with Classic Load Balancers. Remove the Classic Load Balancer and try again.",
      ecs.create_service, cluster="c", serviceName="cb", taskDefinition="web", desiredCount=1,
      deploymentConfiguration={"deploymentCircuitBreaker": {"enable": False, "rollback": False}},
      loadBalancers=[{"loadBalancerName": "legacy", "containerName": "web", "containerPort": 80}])
assert ecs.list_services(cluster="c")["serviceArns"] == []

svc = ecs.create_service(cluster="c", serviceName="web", taskDefinition="web", desiredCount=1,
                         loadBalancers=[{"loadBalancerName": "legacy", "containerName": "web", "containerPort": 80}])["service"]
assert svc["loadBalancers"] == [{"loadBalancerName": "legacy", "containerName": "web", "containerPort": 80}], svc["loadBalancers"]


def registered():
    d = elb.describe_load_balancers(LoadBalancerNames=["legacy"])["LoadBalancerDescriptions"][0]
    return [i["InstanceId"] for i in d["Instances"]]


assert eventually("the instance registered", lambda: registered() == [inst])
health = elb.describe_instance_health(LoadBalancerName="legacy")["InstanceStates"]
assert [h["InstanceId"] for h in health] == [inst], health

# A new task definition must suit the service's load balancer too.
fails("InvalidParameterException", "Classic Load Balancers are not supported with the awsvpc network mode.…",
      ecs.update_service, cluster="c", service="web", taskDefinition="vpc",
      networkConfiguration={"awsvpcConfiguration": {"subnets": subnets[:1]}})

# The task stops: ECS deregisters the container instance.
ecs.update_service(cluster="c", service="web", desiredCount=0)
assert eventually("the instance deregistered", lambda: registered() == [])
