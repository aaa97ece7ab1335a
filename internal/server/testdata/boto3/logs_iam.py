"""CloudWatch Logs and IAM through boto3, as an ECS deployment uses them: the
task execution role with AWS's managed policy, an instance profile, a log
group with retention; a Fargate task whose awslogs group is missing stops
with AWS's reason, and runs once the group exists."""
import json

from common import client, eventually, fails

iam, logs, ecs, ec2 = client("iam"), client("logs"), client("ecs"), client("ec2")

trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="ecsTaskExecutionRole", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
assert role["Arn"] == "arn:aws:iam::123456789012:role/ecsTaskExecutionRole", role
# botocore decodes IAM's URL-encoded documents back to the document.
assert iam.get_role(RoleName="ecsTaskExecutionRole")["Role"]["AssumeRolePolicyDocument"] == trust
iam.attach_role_policy(RoleName="ecsTaskExecutionRole",
                       PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
names = [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName="ecsTaskExecutionRole")["AttachedPolicies"]]
assert names == ["AmazonECSTaskExecutionRolePolicy"], names
fails("NoSuchEntity", "The role with name nope cannot be found.", iam.get_role, RoleName="nope")
fails("DeleteConflict", "Cannot delete entity, must detach all policies first.", iam.delete_role, RoleName="ecsTaskExecutionRole")
iam.create_instance_profile(InstanceProfileName="ecsInstanceProfile")
iam.add_role_to_instance_profile(InstanceProfileName="ecsInstanceProfile", RoleName="ecsTaskExecutionRole")
prof = iam.get_instance_profile(InstanceProfileName="ecsInstanceProfile")["InstanceProfile"]
assert [r["RoleName"] for r in prof["Roles"]] == ["ecsTaskExecutionRole"], prof

fails("ResourceNotFoundException", "The specified log group does not exist.", logs.delete_log_group, logGroupName="/ecs/web")

subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
ecs.create_cluster(clusterName="c")
ecs.register_task_definition(family="web", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                             executionRoleArn=role["Arn"],
                             containerDefinitions=[{"name": "web", "image": "nginx", "logConfiguration": {
                                 "logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1",
                                                                     "awslogs-stream-prefix": "web"}}}])


def run():
    arn = ecs.run_task(cluster="c", taskDefinition="web", launchType="FARGATE", networkConfiguration={
        "awsvpcConfiguration": {"subnets": [subnet], "assignPublicIp": "ENABLED"}})["tasks"][0]["taskArn"]

    def settled():
        t = ecs.describe_tasks(cluster="c", tasks=[arn])["tasks"][0]
        return t if t["lastStatus"] in ("RUNNING", "STOPPED") else None
    return eventually("task " + arn, settled)


t = run()
assert t["lastStatus"] == "STOPPED" and t["stopCode"] == "TaskFailedToStart", t
assert "ResourceNotFoundException: The specified log group does not exist." in t["stoppedReason"], t["stoppedReason"]

logs.create_log_group(logGroupName="/ecs/web")
logs.put_retention_policy(logGroupName="/ecs/web", retentionInDays=30)
g = logs.describe_log_groups(logGroupNamePrefix="/ecs/")["logGroups"][0]
assert g["logGroupName"] == "/ecs/web" and g["retentionInDays"] == 30 and g["arn"].endswith(":log-group:/ecs/web:*"), g
fails("InvalidParameterException", None, logs.put_retention_policy, logGroupName="/ecs/web", retentionInDays=2)
t = run()
assert t["lastStatus"] == "RUNNING", t
