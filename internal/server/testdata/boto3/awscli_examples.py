"""What the aws CLI's own examples (aws/aws-cli, awscli/examples, recorded
from AWS's answers) showed ecsnet answering differently, through boto3
(scripts/awscli-examples, docs/awscli-examples.md):

* ecs create-service: a service that uses ECS's service-linked role (awsvpc
  network mode, a load balancer or service registries given no role, the
  EXTERNAL deployment controller) answers it as roleArn; a bridge service
  without a load balancer answers none (ecs/create-service.rst).
* ec2 describe-instances takes the filters placement-group-name and
  placement-partition-number (no instance is in a placement group: none
  match) and
  metadata-options.http-tokens, .http-put-response-hop-limit,
  .http-endpoint, .http-protocol-ipv6 and .instance-metadata-tags
  (ec2/describe-instances.rst, examples 14 and 15).
* ec2 create-vpc with an Amazon-provided IPv6 block answers the block
  "associating" (the VPC "pending"); DescribeVpcs then shows it
  "associated" (ec2/create-vpc.rst, example 3).
* ecs put-cluster-capacity-providers answers the cluster with its settings
  (containerInsights), as update-cluster does
  (ecs/put-cluster-capacity-providers.rst)."""
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

# DescribeInstances: the placement-group and metadata-options filters.
image = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "architecture", "Values": ["x86_64"]}])["Images"][0]["ImageId"]
tagged = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnets[0],
                           MetadataOptions={"InstanceMetadataTags": "enabled", "HttpTokens": "optional"})["Instances"][0]["InstanceId"]
plain = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1,
                          SubnetId=subnets[0])["Instances"][0]["InstanceId"]


def ids(name, *values):
    r = ec2.describe_instances(Filters=[{"Name": name, "Values": list(values)}])["Reservations"]
    return sorted(i["InstanceId"] for res in r for i in res["Instances"])


assert ids("metadata-options.instance-metadata-tags", "enabled") == [tagged], ids("metadata-options.instance-metadata-tags", "enabled")
assert ids("metadata-options.http-tokens", "required") == [plain]
assert ids("metadata-options.http-tokens", "optional") == [tagged]
assert ids("metadata-options.http-endpoint", "enabled") == sorted([tagged, plain])
assert ids("metadata-options.http-put-response-hop-limit", "2") == sorted([tagged, plain])
assert ids("metadata-options.http-protocol-ipv6", "enabled") == []
assert ids("placement-group-name", "my-placement-group") == []
assert ids("placement-partition-number", "7") == []

# CreateVpc: the IPv6 block is still associating in the answer.
v = ec2.create_vpc(CidrBlock="10.9.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
assert v["State"] == "pending", v["State"]
assert [b["Ipv6CidrBlockState"]["State"] for b in v["Ipv6CidrBlockAssociationSet"]] == ["associating"], v
d = ec2.describe_vpcs(VpcIds=[v["VpcId"]])["Vpcs"][0]
assert [b["Ipv6CidrBlockState"]["State"] for b in d["Ipv6CidrBlockAssociationSet"]] == ["associated"], d

# PutClusterCapacityProviders: the cluster's settings are in the answer.
ecs.create_cluster(clusterName="insights", settings=[{"name": "containerInsights", "value": "enabled"}])
cl = ecs.put_cluster_capacity_providers(cluster="insights", capacityProviders=["FARGATE"],
                                        defaultCapacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1}])["cluster"]
assert cl["settings"] == [{"name": "containerInsights", "value": "enabled"}], cl.get("settings")
assert cl["capacityProviders"] == ["FARGATE"], cl["capacityProviders"]
