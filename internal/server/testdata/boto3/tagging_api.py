"""The Resource Groups Tagging API through boto3 (AWS JSON 1.1,
ResourceGroupsTaggingAPI_20170126): TagResources and UntagResources tag an
Auto Scaling group by its ARN (an existing key keeps its PropagateAtLaunch,
a new one is not propagated), an ECS cluster, a VPC and a target group;
a resource that cannot be tagged is reported in FailedResourcesMap with its
service's error code while the others are tagged; GetResources filters by
tag and by resource type and pages (a resource untagged between pages
skips none); GetTagKeys and GetTagValues. Before
round twenty-three ecsnet answered the whole service HTTP 501."""
from common import client, network, fails

asg, ecs, ec2, elbv2, rt = (client(n) for n in ("autoscaling", "ecs", "ec2", "elbv2", "resourcegroupstaggingapi"))
vpc, subnets = network(ec2)
asg.create_launch_configuration(LaunchConfigurationName="lc", ImageId="ami-12c6146b", InstanceType="t3.micro")
asg.create_auto_scaling_group(AutoScalingGroupName="g1", LaunchConfigurationName="lc", MinSize=0, MaxSize=1,
                              DesiredCapacity=0, VPCZoneIdentifier=subnets[0],
                              Tags=[{"Key": "env", "Value": "prod", "PropagateAtLaunch": True},
                                    {"Key": "team", "Value": "platform", "PropagateAtLaunch": False}])
g_arn = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g1"])["AutoScalingGroups"][0]["AutoScalingGroupARN"]
c_arn = ecs.create_cluster(clusterName="c1")["cluster"]["clusterArn"]
tg_arn = elbv2.create_target_group(Name="tg1", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
vpc_arn = f"arn:aws:ec2:us-east-1:123456789012:vpc/{vpc}"
missing = "arn:aws:ecs:us-east-1:123456789012:cluster/nope"
bucket = "arn:aws:s3:::some-bucket"

out = rt.tag_resources(ResourceARNList=[g_arn, c_arn, tg_arn, vpc_arn, missing, bucket],
                       Tags={"owner": "dataops", "env": "staging"})
failed = out["FailedResourcesMap"]
assert set(failed) == {missing, bucket}, failed
assert failed[missing]["ErrorCode"] == "ClusterNotFoundException" and failed[missing]["StatusCode"] == 400, failed
assert failed[bucket]["ErrorCode"] == "InternalServiceException", failed

tags = {t["Key"]: t for t in asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g1"])["AutoScalingGroups"][0]["Tags"]}
assert tags["env"]["Value"] == "staging" and tags["env"]["PropagateAtLaunch"] is True, tags
assert tags["owner"]["Value"] == "dataops" and tags["owner"]["PropagateAtLaunch"] is False, tags
assert tags["team"]["Value"] == "platform", tags
assert {"key": "owner", "value": "dataops"} in ecs.list_tags_for_resource(resourceArn=c_arn)["tags"]
assert {"Key": "owner", "Value": "dataops"} in elbv2.describe_tags(ResourceArns=[tg_arn])["TagDescriptions"][0]["Tags"]
assert {"Key": "owner", "Value": "dataops"} in ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["Tags"]

got = rt.get_resources(TagFilters=[{"Key": "owner", "Values": ["dataops"]}])
assert sorted(r["ResourceARN"] for r in got["ResourceTagMappingList"]) == sorted([g_arn, c_arn, tg_arn, vpc_arn]), got
assert got["PaginationToken"] == "", got
got = rt.get_resources(TagFilters=[{"Key": "owner"}], ResourceTypeFilters=["ecs:cluster", "autoscaling"])
assert sorted(r["ResourceARN"] for r in got["ResourceTagMappingList"]) == sorted([g_arn, c_arn]), got
first = rt.get_resources(TagFilters=[{"Key": "owner"}], ResourcesPerPage=3)
assert len(first["ResourceTagMappingList"]) == 3 and first["PaginationToken"], first
rest = rt.get_resources(TagFilters=[{"Key": "owner"}], ResourcesPerPage=3, PaginationToken=first["PaginationToken"])
assert len(rest["ResourceTagMappingList"]) == 1 and rest["PaginationToken"] == "", rest
# A resource untagged between two pages skips none of the others: the token
# names the next page's first resource (an offset, until round 37, moved a
# resource back onto the first page's end).
first = rt.get_resources(TagFilters=[{"Key": "owner"}], ResourcesPerPage=2)
gone = first["ResourceTagMappingList"][0]["ResourceARN"]
rt.untag_resources(ResourceARNList=[gone], TagKeys=["owner"])
rest = rt.get_resources(TagFilters=[{"Key": "owner"}], ResourcesPerPage=2, PaginationToken=first["PaginationToken"])
paged = [r["ResourceARN"] for r in first["ResourceTagMappingList"] + rest["ResourceTagMappingList"]]
assert sorted(paged) == sorted([g_arn, c_arn, tg_arn, vpc_arn]) and rest["PaginationToken"] == "", (paged, rest)
rt.tag_resources(ResourceARNList=[gone], Tags={"owner": "dataops"})
assert "owner" in rt.get_tag_keys()["TagKeys"]
assert rt.get_tag_values(Key="env")["TagValues"] == ["staging"]

assert rt.untag_resources(ResourceARNList=[g_arn, c_arn], TagKeys=["env", "owner"])["FailedResourcesMap"] == {}
keys = [t["Key"] for t in asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g1"])["AutoScalingGroups"][0]["Tags"]]
assert keys == ["team"], keys
assert ecs.list_tags_for_resource(resourceArn=c_arn)["tags"] == []
rtb = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]["RouteTableId"]
rtb_arn = f"arn:aws:ec2:us-east-1:123456789012:route-table/{rtb}"
assert rt.tag_resources(ResourceARNList=[rtb_arn], Tags={"tier": "edge"})["FailedResourcesMap"] == {}
got = rt.get_resources(ResourceTypeFilters=["ec2:route-table"])["ResourceTagMappingList"]
assert got == [{"ResourceARN": rtb_arn, "Tags": [{"Key": "tier", "Value": "edge"}]}], got
fails("InvalidParameterException", None, rt.tag_resources, ResourceARNList=[c_arn] * 21, Tags={"a": "b"})
