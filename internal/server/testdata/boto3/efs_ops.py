"""Amazon EFS through boto3 (REST-JSON): file systems (creating, then
available; a reused creation token; FileSystemInUse while mount targets
exist), mount targets (one per Availability Zone, all in one VPC; each an
ENI of its subnet that DescribeNetworkInterfaces shows), their security
groups, access points, tags (both APIs), lifecycle, backup and file system
policies, errors with their HTTP status; and the ECS start path: a Fargate
task with an EFS volume starts only when its ENI reaches the mount target in
its zone on TCP 2049, and with an access point of its own file system."""
import json

from common import client, eventually, fails

efs, ec2, ecs = client("efs"), client("ec2"), client("ecs")

vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]["RouteTableId"]
ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
sa = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
sa2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.3.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
sb = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
other_vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
sc = ec2.create_subnet(VpcId=other_vpc, CidrBlock="10.2.1.0/24", AvailabilityZone="us-east-1c")["Subnet"]["SubnetId"]
task_sg = ec2.create_security_group(GroupName="task", Description="task", VpcId=vpc)["GroupId"]
efs_sg = ec2.create_security_group(GroupName="efs", Description="efs", VpcId=vpc)["GroupId"]

fs = efs.create_file_system(CreationToken="data-1", Encrypted=True, Tags=[{"Key": "Name", "Value": "data"}])
assert fs["ResponseMetadata"]["HTTPStatusCode"] == 201, fs
assert fs["LifeCycleState"] == "creating" and fs["Name"] == "data" and fs["NumberOfMountTargets"] == 0, fs
assert fs["PerformanceMode"] == "generalPurpose" and fs["ThroughputMode"] == "bursting", fs
assert fs["FileSystemArn"] == f"arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/{fs['FileSystemId']}", fs
fid = fs["FileSystemId"]
# Encrypted without a KmsKeyId: the account's AWS managed key for EFS, by its
# key ARN, which KMS then describes under alias/aws/elasticfilesystem.
managed = client("kms").describe_key(KeyId="alias/aws/elasticfilesystem")["KeyMetadata"]
assert fs["KmsKeyId"] == managed["Arn"] and managed["Arn"].startswith("arn:aws:kms:us-east-1:123456789012:key/"), (fs, managed)
assert managed["KeyManager"] == "AWS", managed
err = fails("FileSystemAlreadyExists", None, efs.create_file_system, CreationToken="data-1")
eventually("available", lambda: efs.describe_file_systems(FileSystemId=fid)["FileSystems"][0]["LifeCycleState"] == "available")
assert [f["FileSystemId"] for f in efs.describe_file_systems(CreationToken="data-1")["FileSystems"]] == [fid]

mt = efs.create_mount_target(FileSystemId=fid, SubnetId=sa, SecurityGroups=[efs_sg])
assert mt["SubnetId"] == sa and mt["VpcId"] == vpc and mt["AvailabilityZoneName"] == "us-east-1a" and mt["AvailabilityZoneId"] == "use1-az1", mt
eni = ec2.describe_network_interfaces(NetworkInterfaceIds=[mt["NetworkInterfaceId"]])["NetworkInterfaces"][0]
assert eni["Description"] == f"EFS mount target for {fid} ({mt['MountTargetId']})", eni
assert eni["RequesterManaged"] and eni["InterfaceType"] == "interface" and eni["PrivateIpAddress"] == mt["IpAddress"], eni
assert [g["GroupId"] for g in eni["Groups"]] == [efs_sg], eni
e = fails("MountTargetConflict", None, efs.create_mount_target, FileSystemId=fid, SubnetId=sa2)
fails("MountTargetConflict", None, efs.create_mount_target, FileSystemId=fid, SubnetId=sc)
fails("SubnetNotFound", None, efs.create_mount_target, FileSystemId=fid, SubnetId="subnet-0123456789abcdef0")
try:
    efs.describe_file_systems(FileSystemId="fs-0123456789abcdef0")
    raise AssertionError("no error")
except efs.exceptions.FileSystemNotFound as x:
    assert x.response["ResponseMetadata"]["HTTPStatusCode"] == 404, x.response
    assert x.response["Error"]["Message"] == "File system 'fs-0123456789abcdef0' does not exist.", x.response
eventually("mount target available", lambda: efs.describe_mount_targets(MountTargetId=mt["MountTargetId"])["MountTargets"][0]["LifeCycleState"] == "available")
assert efs.describe_mount_target_security_groups(MountTargetId=mt["MountTargetId"])["SecurityGroups"] == [efs_sg]
assert efs.describe_file_systems(FileSystemId=fid)["FileSystems"][0]["NumberOfMountTargets"] == 1
fails("FileSystemInUse", None, efs.delete_file_system, FileSystemId=fid)

efs.tag_resource(ResourceId=fid, Tags=[{"Key": "team", "Value": "shop"}])
efs.create_tags(FileSystemId=fid, Tags=[{"Key": "env", "Value": "prod"}])
assert efs.list_tags_for_resource(ResourceId=fs["FileSystemArn"])["Tags"] == [
    {"Key": "Name", "Value": "data"}, {"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "shop"}]
efs.untag_resource(ResourceId=fid, TagKeys=["team"])
efs.delete_tags(FileSystemId=fid, TagKeys=["env"])
assert efs.describe_tags(FileSystemId=fid)["Tags"] == [{"Key": "Name", "Value": "data"}]

assert efs.describe_lifecycle_configuration(FileSystemId=fid)["LifecyclePolicies"] == []
efs.put_lifecycle_configuration(FileSystemId=fid, LifecyclePolicies=[{"TransitionToIA": "AFTER_30_DAYS"}])
assert efs.describe_lifecycle_configuration(FileSystemId=fid)["LifecyclePolicies"] == [{"TransitionToIA": "AFTER_30_DAYS"}]
assert efs.describe_backup_policy(FileSystemId=fid)["BackupPolicy"] == {"Status": "DISABLED"}
efs.put_backup_policy(FileSystemId=fid, BackupPolicy={"Status": "ENABLED"})
assert efs.describe_backup_policy(FileSystemId=fid)["BackupPolicy"] == {"Status": "ENABLED"}
fails("PolicyNotFound", None, efs.describe_file_system_policy, FileSystemId=fid)
policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                     "Action": "elasticfilesystem:ClientMount", "Resource": fs["FileSystemArn"]}]})
assert efs.put_file_system_policy(FileSystemId=fid, Policy=policy)["Policy"] == policy
assert efs.describe_file_system_policy(FileSystemId=fid)["Policy"] == policy
efs.delete_file_system_policy(FileSystemId=fid)
fails("PolicyNotFound", None, efs.describe_file_system_policy, FileSystemId=fid)

ap = efs.create_access_point(FileSystemId=fid, ClientToken="ap-1", PosixUser={"Uid": 1000, "Gid": 1000},
                             RootDirectory={"Path": "/app", "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "755"}})
assert ap["RootDirectory"]["Path"] == "/app" and ap["PosixUser"] == {"Uid": 1000, "Gid": 1000} and ap["LifeCycleState"] == "available", ap
fails("AccessPointAlreadyExists", None, efs.create_access_point, FileSystemId=fid, ClientToken="ap-1")
assert [a["AccessPointId"] for a in efs.describe_access_points(FileSystemId=fid)["AccessPoints"]] == [ap["AccessPointId"]]
assert efs.describe_mount_targets(AccessPointId=ap["AccessPointId"])["MountTargets"][0]["MountTargetId"] == mt["MountTargetId"]

# A second file system, for an access point that belongs elsewhere.
fs2 = efs.create_file_system(CreationToken="other")["FileSystemId"]
eventually("fs2", lambda: efs.describe_file_systems(FileSystemId=fs2)["FileSystems"][0]["LifeCycleState"] == "available")
ap2 = efs.create_access_point(FileSystemId=fs2)["AccessPointId"]
page = efs.describe_file_systems(MaxItems=1)
assert len(page["FileSystems"]) == 1 and "NextMarker" in page, page
rest = efs.describe_file_systems(Marker=page["NextMarker"])["FileSystems"]
assert {f["FileSystemId"] for f in page["FileSystems"] + rest} == {fid, fs2}

# The start path: Fargate tasks with an EFS volume, in us-east-1a.
ecs.create_cluster(clusterName="files")


def task_definition(family, fs_id, access_point=None):
    cfg = {"fileSystemId": fs_id, "transitEncryption": "ENABLED"}
    if access_point:
        cfg["authorizationConfig"] = {"accessPointId": access_point}
    ecs.register_task_definition(family=family, networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                 containerDefinitions=[{"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27",
                                                        "mountPoints": [{"sourceVolume": "data", "containerPath": "/data"}]}],
                                 volumes=[{"name": "data", "efsVolumeConfiguration": cfg}])


def settle(family, subnet):
    arn = ecs.run_task(cluster="files", taskDefinition=family, launchType="FARGATE",
                       networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [task_sg],
                                                                     "assignPublicIp": "ENABLED"}})["tasks"][0]["taskArn"]

    def done():
        t = ecs.describe_tasks(cluster="files", tasks=[arn])["tasks"][0]
        return t if t["lastStatus"] in ("RUNNING", "STOPPED") else None
    return eventually(family, done)


prefix = "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: "
task_definition("files", fid, ap["AccessPointId"])
t = settle("files", sa)
assert t["lastStatus"] == "STOPPED" and t["stopCode"] == "TaskFailedToStart", t
assert t["stoppedReason"] == prefix + "b'mount.nfs4: Connection timed out' : unsuccessful EFS utils command execution; code: 32", t
ec2.authorize_security_group_ingress(GroupId=efs_sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
                                                                     "UserIdGroupPairs": [{"GroupId": task_sg}]}])
t = settle("files", sa)
assert t["lastStatus"] == "RUNNING", t
# us-east-1b has no mount target: the name does not resolve there.
t = settle("files", sb)
assert t["lastStatus"] == "STOPPED" and t["stoppedReason"].startswith(prefix + f'Failed to resolve "{fid}.efs.us-east-1.amazonaws.com"'), t
# An access point of another file system.
task_definition("mixed", fid, ap2)
t = settle("mixed", sa)
assert t["lastStatus"] == "STOPPED" and "access denied by server" in t["stoppedReason"], t

# Security groups of a mount target, then deletion.
efs.modify_mount_target_security_groups(MountTargetId=mt["MountTargetId"], SecurityGroups=[task_sg])
assert efs.describe_mount_target_security_groups(MountTargetId=mt["MountTargetId"])["SecurityGroups"] == [task_sg]
ecs.stop_task(cluster="files", task=ecs.list_tasks(cluster="files", desiredStatus="RUNNING")["taskArns"][0])
efs.delete_mount_target(MountTargetId=mt["MountTargetId"])
eventually("mount target gone", lambda: efs.describe_mount_targets(FileSystemId=fid)["MountTargets"] == [])
assert ec2.describe_network_interfaces(Filters=[{"Name": "network-interface-id", "Values": [mt["NetworkInterfaceId"]]}])["NetworkInterfaces"] == []
efs.delete_access_point(AccessPointId=ap["AccessPointId"])
fails("AccessPointNotFound", None, efs.describe_access_points, AccessPointId=ap["AccessPointId"])
efs.delete_file_system(FileSystemId=fid)
eventually("file system gone", lambda: fid not in [f["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"]])

# RegisterTaskDefinition's EFS rules: an access point needs transit
# encryption and no other root directory than "/"; IAM authorization needs
# transit encryption.
for cfg, msg in [({"fileSystemId": fs2, "authorizationConfig": {"accessPointId": ap2}}, "When using an EFS access point, transit encryption must be enabled."),
                 ({"fileSystemId": fs2, "transitEncryption": "ENABLED", "rootDirectory": "/data", "authorizationConfig": {"accessPointId": ap2}},
                  'When using an EFS access point, the root directory must either be set to "/" or be omitted.'),
                 ({"fileSystemId": fs2, "authorizationConfig": {"iam": "ENABLED"}}, "When using EFS IAM authorization, transit encryption must be enabled.")]:
    fails("ClientException", msg, ecs.register_task_definition, family="bad", containerDefinitions=[{"name": "app", "image": "nginx", "memory": 64}],
          volumes=[{"name": "data", "efsVolumeConfiguration": cfg}])
