"""The ECS agent registers an instance with the credentials of its instance
role (boto3): an instance launched with ECS_CLUSTER but no instance profile
keeps running and never joins the cluster, whose service logs that no
container instance was found; one whose role may not call
ecs:RegisterContainerInstance (an explicit Deny) never joins either. After
associate_iam_instance_profile with a role that has
AmazonEC2ContainerServiceforEC2Role the agent, retrying, registers it."""
from common import client, ecs_instance_profile, eventually, network

ec2, ecs, iam = client("ec2"), client("ecs"), client("iam")
vpc, subnets = network(ec2)
ecs.create_cluster(clusterName="creds")
ecs.register_task_definition(family="web", networkMode="bridge",
                             containerDefinitions=[{"name": "web", "image": "public.ecr.aws/nginx/nginx:latest", "memory": 128}])
ecs.create_service(cluster="creds", serviceName="web", taskDefinition="web", desiredCount=1, launchType="EC2")
user_data = "#!/bin/bash\necho ECS_CLUSTER=creds >> /etc/ecs/ecs.config\n"


def launch(**profile):
    return ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.large", MinCount=1, MaxCount=1, SubnetId=subnets[0],
                             UserData=user_data, **profile)["Instances"][0]["InstanceId"]


def running(iid):
    return ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"


def registered():
    arns = ecs.list_container_instances(cluster="creds")["containerInstanceArns"]
    if not arns:
        return []
    cis = ecs.describe_container_instances(cluster="creds", containerInstances=arns)["containerInstances"]
    return sorted(ci["ec2InstanceId"] for ci in cis)


bare = launch()
eventually("the instance without a profile runs", lambda: running(bare))
want = "was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster."
eventually("the service's placement event", lambda: any(
    want in ev["message"] for ev in ecs.describe_services(cluster="creds", services=["web"])["services"][0]["events"]))
assert registered() == [], registered()

# A role with the ECS policy and an inline Deny of registration.
trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
iam.create_role(RoleName="denied", AssumeRolePolicyDocument=trust)
iam.attach_role_policy(RoleName="denied", PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
iam.put_role_policy(RoleName="denied", PolicyName="no-ecs",
                    PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ecs:RegisterContainerInstance","Resource":"*"}]}')
iam.create_instance_profile(InstanceProfileName="denied")
iam.add_role_to_instance_profile(InstanceProfileName="denied", RoleName="denied")
denied = launch(IamInstanceProfile={"Name": "denied"})
eventually("the instance whose role is denied runs", lambda: running(denied))

# Both run, so the step that registers the first has judged the second.
ec2.associate_iam_instance_profile(InstanceId=bare, IamInstanceProfile=ecs_instance_profile(iam))
eventually("the instance registers once it has a profile", registered)
assert registered() == [bare], registered()
iam.delete_role_policy(RoleName="denied", PolicyName="no-ecs")
eventually("the denied instance registers once the Deny is gone", lambda: registered() == sorted([bare, denied]))
