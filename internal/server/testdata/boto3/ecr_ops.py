"""Amazon ECR through boto3: repositories (name rules, duplicates, tags,
tag mutability, scanning, lifecycle and repository policies), the
registry's auth token, images recorded with put_image (tags move, the
last tag's deletion deletes the image), and the start path: once the
account has repositories, a Fargate task whose image names one of its
repositories that does not exist stops with CannotPullContainerError, and
so does one whose tag its repository, recording images, does not hold;
one with a tag it holds runs (a repository that records no image is taken
to hold it: docker push is outside the API)."""
import base64
import json

from common import client, eventually, fails

ecr, ec2, ecs, iam = client("ecr"), client("ec2"), client("ecs"), client("iam")

fails("InvalidParameterException",
      "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression "
      "'(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''",
      ecr.create_repository, repositoryName="Web")
repo = ecr.create_repository(repositoryName="shop/web", tags=[{"Key": "team", "Value": "shop"}],
                             imageScanningConfiguration={"scanOnPush": True})["repository"]
assert repo["repositoryUri"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web", repo
assert repo["repositoryArn"] == "arn:aws:ecr:us-east-1:123456789012:repository/shop/web", repo
assert repo["imageTagMutability"] == "MUTABLE" and repo["encryptionConfiguration"] == {"encryptionType": "AES256"}, repo
fails("RepositoryAlreadyExistsException",
      "The repository with name 'shop/web' already exists in the registry with id '123456789012'",
      ecr.create_repository, repositoryName="shop/web")
fails("RepositoryNotFoundException",
      "The repository with name 'shop/api' does not exist in the registry with id '123456789012'",
      ecr.describe_repositories, repositoryNames=["shop/api"])
assert ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"] == [{"Key": "team", "Value": "shop"}]

ecr.put_image_tag_mutability(repositoryName="shop/web", imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
                             imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest*"}])
got = ecr.describe_repositories(repositoryNames=["shop/web"])["repositories"][0]
assert got["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION", got
assert got["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "latest*"}], got

lifecycle = json.dumps({"rules": [{"rulePriority": 1, "description": "expire untagged",
                                   "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
                                   "action": {"type": "expire"}}]})
ecr.put_lifecycle_policy(repositoryName="shop/web", lifecyclePolicyText=lifecycle)
assert ecr.get_lifecycle_policy(repositoryName="shop/web")["lifecyclePolicyText"] == lifecycle

auth = ecr.get_authorization_token()["authorizationData"][0]
user, _, password = base64.b64decode(auth["authorizationToken"]).decode().partition(":")
assert user == "AWS" and password, auth
assert auth["proxyEndpoint"] == "https://123456789012.dkr.ecr.us-east-1.amazonaws.com", auth

manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                       "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7, "digest": "sha256:0a"},
                       "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 93, "digest": "sha256:0b"}]})
other = manifest.replace('"size": 7', '"size": 8')
img = ecr.put_image(repositoryName="shop/web", imageManifest=manifest, imageTag="v1")["image"]
ecr.put_image(repositoryName="shop/web", imageManifest=manifest, imageTag="latest")
ecr.put_image(repositoryName="shop/web", imageManifest=other, imageTag="latest")  # latest* is mutable
fails("ImageTagAlreadyExistsException", None, ecr.put_image, repositoryName="shop/web", imageManifest=other, imageTag="v1")
details = {d["imageDigest"]: d for d in ecr.describe_images(repositoryName="shop/web")["imageDetails"]}
assert details[img["imageId"]["imageDigest"]]["imageTags"] == ["v1"], details
assert details[img["imageId"]["imageDigest"]]["imageSizeInBytes"] == 100, details
fails("RepositoryNotEmptyException", None, ecr.delete_repository, repositoryName="shop/web")
deleted = ecr.batch_delete_image(repositoryName="shop/web", imageIds=[{"imageTag": "v1"}])
assert deleted["imageIds"] == [{"imageDigest": img["imageId"]["imageDigest"], "imageTag": "v1"}], deleted
assert len(ecr.list_images(repositoryName="shop/web")["imageIds"]) == 1

# The start path, on the default VPC's public subnets, with the execution
# role a new account does not have until it is made (ECS must be able to
# assume it).
iam.create_role(RoleName="ecsTaskExecutionRole", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                                            "Action": "sts:AssumeRole"}]}))
iam.attach_role_policy(RoleName="ecsTaskExecutionRole",
                       PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
ecs.create_cluster(clusterName="shop")
for family, image in [("web", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:latest"),
                      ("web-v2", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:v2"),
                      ("api", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:v1")]:
    ecs.register_task_definition(family=family, networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
                                 executionRoleArn="arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
                                 containerDefinitions=[{"name": "app", "image": image}])


def settle(family):
    arn = ecs.run_task(cluster="shop", taskDefinition=family, launchType="FARGATE",
                       networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "assignPublicIp": "ENABLED"}})["tasks"][0]["taskArn"]

    def done():
        t = ecs.describe_tasks(cluster="shop", tasks=[arn])["tasks"][0]
        return t if t["lastStatus"] in ("RUNNING", "STOPPED") else None
    return eventually(family, done)


t = settle("web")
assert t["lastStatus"] == "RUNNING", t
# The repository records images, none tagged v2: not found.
t = settle("web-v2")
ref = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:v2"
assert t["lastStatus"] == "STOPPED" and t["stoppedReason"] == f"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {ref}: {ref}: not found", t
t = settle("api")
ref = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api:v1"
assert t["lastStatus"] == "STOPPED" and t["stopCode"] == "TaskFailedToStart", t
assert t["stoppedReason"] == f"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {ref}: {ref}: not found", t

ecr.delete_repository(repositoryName="shop/web", force=True)
fails("RepositoryNotFoundException", None, ecr.delete_repository, repositoryName="shop/web")
