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
  (ecs/put-cluster-capacity-providers.rst).
* ecs cluster attachments: an Auto Scaling group capacity provider with
  managed scaling gives its cluster an "as_policy" attachment, with managed
  draining a "managed_draining" one, a default Service Connect namespace an
  "sc" one; CreateCluster answers them PRECREATED (the cluster
  PROVISIONING), PutClusterCapacityProviders ACTIVE (a removed provider's
  DELETING), both UPDATE_IN_PROGRESS; DescribeClusters with include
  ATTACHMENTS and UpdateCluster CREATED, UPDATE_COMPLETE
  (ecs/create-cluster.rst #2, describe-clusters.rst #2, update-cluster.rst,
  put-cluster-capacity-providers.rst).
* ec2 run-instances and describe-instances answer every instance's
  CapacityReservationSpecification (open, or none as launched),
  EnclaveOptions, MaintenanceOptions (AutoRecovery default, or disabled) and
  UsageOperationUpdateTime; RunInstances answers a pending instance's
  StateReason "pending", its MetadataOptions "pending" and its interfaces
  "attaching", DescribeInstances then "applied" and "attached"
  (ec2/run-instances.rst #1, describe-instances.rst #1).
* ecs deregister-container-instance answers the agent connected as it was
  when the call came; DescribeContainerInstances then shows it
  disconnected (ecs/deregister-container-instance.rst).
* ec2 modify-network-interface-attribute --attachment changes the
  attachment's DeleteOnTermination: an interface kept survives its
  instance's termination, detached (ec2/modify-network-interface-attribute.rst
  #1).
* ecs: a Fargate service's deployments answer the platform version LATEST
  resolves to (1.4.0) and the platform family Linux; the service answers
  LATEST (ecs/update-service.rst)."""
from common import client, ecs_instance_profile, eventually, fails, network

ec2, ecs, autoscaling = client("ec2"), client("ecs"), client("autoscaling")
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

# Cluster attachments.
autoscaling.create_launch_configuration(LaunchConfigurationName="cp-lc", ImageId=image, InstanceType="t3.micro")
arns = {}
for name in ("managed", "plain"):
    autoscaling.create_auto_scaling_group(AutoScalingGroupName=name + "-asg", LaunchConfigurationName="cp-lc", MinSize=0,
                                          MaxSize=2, VPCZoneIdentifier=subnets[0])
    arns[name] = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name + "-asg"])["AutoScalingGroups"][0]["AutoScalingGroupARN"]
ecs.create_capacity_provider(name="managed", autoScalingGroupProvider={
    "autoScalingGroupArn": arns["managed"], "managedScaling": {"status": "ENABLED", "targetCapacity": 100}})
ecs.create_capacity_provider(name="plain", autoScalingGroupProvider={"autoScalingGroupArn": arns["plain"],
                                                                     "managedDraining": "DISABLED"})


def kinds(cluster):
    return sorted((a["type"], a["status"], tuple(d["name"] for d in a["details"])) for a in cluster.get("attachments", []))


cl = ecs.create_cluster(clusterName="cp", capacityProviders=["managed", "plain"])["cluster"]
assert cl["status"] == "PROVISIONING", cl["status"]
assert cl["attachmentsStatus"] == "UPDATE_IN_PROGRESS", cl
assert kinds(cl) == [("as_policy", "PRECREATED", ("capacityProviderName", "scalingPolicyName")),
                     ("managed_draining", "PRECREATED", ("capacityProviderName", "autoScalingLifecycleHookName"))], kinds(cl)
policy = [a for a in cl["attachments"] if a["type"] == "as_policy"][0]
assert policy["details"][0]["value"] == "managed", policy
assert policy["details"][1]["value"].startswith("ECSManagedAutoScalingPolicy-"), policy
d = ecs.describe_clusters(clusters=["cp"])["clusters"][0]
assert d["status"] == "ACTIVE" and "attachments" not in d and "attachmentsStatus" not in d, d
d = ecs.describe_clusters(clusters=["cp"], include=["ATTACHMENTS"])["clusters"][0]
assert d["attachmentsStatus"] == "UPDATE_COMPLETE", d
assert kinds(d) == [("as_policy", "CREATED", ("capacityProviderName", "scalingPolicyName")),
                    ("managed_draining", "CREATED", ("capacityProviderName", "autoScalingLifecycleHookName"))], kinds(d)
assert sorted(a["id"] for a in d["attachments"]) == sorted(a["id"] for a in cl["attachments"]), "attachment ids changed"
# A cluster whose providers ECS attaches nothing to is ACTIVE at once.
cl = ecs.create_cluster(clusterName="cp-plain", capacityProviders=["plain"])["cluster"]
assert cl["status"] == "ACTIVE" and "attachments" not in cl, cl
# Removing a provider: its attachments are DELETING in the answer, then gone.
cl = ecs.put_cluster_capacity_providers(cluster="cp", capacityProviders=["plain"], defaultCapacityProviderStrategy=[])["cluster"]
assert cl["attachmentsStatus"] == "UPDATE_IN_PROGRESS", cl
assert kinds(cl) == [("as_policy", "DELETING", ("capacityProviderName", "scalingPolicyName")),
                     ("managed_draining", "DELETING", ("capacityProviderName", "autoScalingLifecycleHookName"))], kinds(cl)
d = ecs.describe_clusters(clusters=["cp"], include=["ATTACHMENTS"])["clusters"][0]
assert "attachments" not in d, d
cl = ecs.put_cluster_capacity_providers(cluster="cp", capacityProviders=["plain", "managed"], defaultCapacityProviderStrategy=[])["cluster"]
assert [a["status"] for a in cl["attachments"]] == ["ACTIVE", "ACTIVE"], kinds(cl)
# A default Service Connect namespace: an "sc" attachment, ATTACHED.
cl = ecs.update_cluster(cluster="cp", serviceConnectDefaults={"namespace": "cp-ns"})["cluster"]
assert cl["attachmentsStatus"] == "UPDATE_COMPLETE", cl
assert ("sc", "ATTACHED", ()) in kinds(cl), kinds(cl)

# Instances: the launch options every instance answers, and RunInstances'
# answer while the instance is pending.
r = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnets[0])["Instances"][0]
assert r["State"]["Name"] == "pending", r["State"]
assert r["StateReason"] == {"Code": "pending", "Message": "pending"}, r.get("StateReason")
assert r["MetadataOptions"]["State"] == "pending", r["MetadataOptions"]
assert [n["Attachment"]["Status"] for n in r["NetworkInterfaces"]] == ["attaching"], r["NetworkInterfaces"]
assert r["CapacityReservationSpecification"] == {"CapacityReservationPreference": "open"}, r.get("CapacityReservationSpecification")
assert r["EnclaveOptions"] == {"Enabled": False} and r["MaintenanceOptions"] == {"AutoRecovery": "default"}, r
assert r["UsageOperationUpdateTime"] == r["LaunchTime"], (r.get("UsageOperationUpdateTime"), r["LaunchTime"])
d = ec2.describe_instances(InstanceIds=[r["InstanceId"]])["Reservations"][0]["Instances"][0]
assert d["MetadataOptions"]["State"] == "applied", d["MetadataOptions"]
assert [n["Attachment"]["Status"] for n in d["NetworkInterfaces"]] == ["attached"], d["NetworkInterfaces"]
assert d["CapacityReservationSpecification"] == {"CapacityReservationPreference": "open"}, d
assert d["MaintenanceOptions"] == {"AutoRecovery": "default"} and "UsageOperationUpdateTime" in d, d
r = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnets[0],
                      CapacityReservationSpecification={"CapacityReservationPreference": "none"},
                      MaintenanceOptions={"AutoRecovery": "disabled"})["Instances"][0]
d = ec2.describe_instances(InstanceIds=[r["InstanceId"]])["Reservations"][0]["Instances"][0]
assert d["CapacityReservationSpecification"] == {"CapacityReservationPreference": "none"}, d
assert d["MaintenanceOptions"] == {"AutoRecovery": "disabled"}, d

# DeregisterContainerInstance: the agent was connected when the call came.
profile = ecs_instance_profile(client("iam"))
ec2.run_instances(ImageId=image, InstanceType="t3.medium", MinCount=1, MaxCount=1, SubnetId=subnets[0],
                  IamInstanceProfile=profile, UserData="#!/bin/bash\necho ECS_CLUSTER=MyCluster >> /etc/ecs/ecs.config\n")
ci = eventually("container instance", lambda: ecs.list_container_instances(cluster="MyCluster")["containerInstanceArns"])[0]
assert ecs.describe_container_instances(cluster="MyCluster", containerInstances=[ci])["containerInstances"][0]["agentConnected"]
got = ecs.deregister_container_instance(cluster="MyCluster", containerInstance=ci.split("/")[-1], force=True)["containerInstance"]
assert got["status"] == "INACTIVE" and got["agentConnected"] is True, (got["status"], got["agentConnected"])
d = ecs.describe_container_instances(cluster="MyCluster", containerInstances=[ci])["containerInstances"][0]
assert d["status"] == "INACTIVE" and d["agentConnected"] is False, (d["status"], d["agentConnected"])

# ModifyNetworkInterfaceAttribute Attachment: DeleteOnTermination.
inst = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnets[0])["Instances"][0]
eni = inst["NetworkInterfaces"][0]
att = eni["Attachment"]["AttachmentId"]
assert eni["Attachment"]["DeleteOnTermination"] is True, eni["Attachment"]
fails("InvalidAttachmentID.NotFound", "Interface does not have an attachment with id 'eni-attach-0123456789abcdef0'",
      ec2.modify_network_interface_attribute, NetworkInterfaceId=eni["NetworkInterfaceId"],
      Attachment={"AttachmentId": "eni-attach-0123456789abcdef0", "DeleteOnTermination": False})
ec2.modify_network_interface_attribute(NetworkInterfaceId=eni["NetworkInterfaceId"],
                                       Attachment={"AttachmentId": att, "DeleteOnTermination": False})
a = ec2.describe_network_interface_attribute(NetworkInterfaceId=eni["NetworkInterfaceId"], Attribute="attachment")["Attachment"]
assert a["AttachmentId"] == att and a["DeleteOnTermination"] is False, a
ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
kept = eventually("interface detached", lambda: [n for n in ec2.describe_network_interfaces(
    NetworkInterfaceIds=[eni["NetworkInterfaceId"]])["NetworkInterfaces"] if n["Status"] == "available"])
assert "Attachment" not in kept[0], kept[0]

# A Fargate service's deployments: the resolved platform version.
got = ecs.describe_services(cluster="MyCluster", services=["fargate"])["services"][0]
assert got["platformVersion"] == "LATEST" and got["platformFamily"] == "Linux", got.get("platformVersion")
assert [(d["platformVersion"], d["platformFamily"]) for d in got["deployments"]] == [("1.4.0", "Linux")], got["deployments"]
got = ecs.describe_services(cluster="MyCluster", services=["ecs-simple-service"])["services"][0]
assert "platformFamily" not in got["deployments"][0], got["deployments"][0]
