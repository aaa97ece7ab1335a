"""ECS through boto3, seventh round against moto's suite: the tagging
operations refuse a short-format ARN of a service, task or container
instance ("Long arn format must be used for tagging operations"), and
ListTagsForResource of a task definition that does not exist is
DescribeTaskDefinition's "Unable to describe task definition."."""
from common import client, fails

ecs = client("ecs")
ecs.create_cluster(clusterName="c")
ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 64}])
svc = ecs.create_service(cluster="c", serviceName="s", taskDefinition="web", desiredCount=0,
                         tags=[{"key": "team", "value": "net"}])["service"]["serviceArn"]
assert svc == "arn:aws:ecs:us-east-1:123456789012:service/c/s", svc
assert ecs.list_tags_for_resource(resourceArn=svc)["tags"] == [{"key": "team", "value": "net"}]

long_only = "Long arn format must be used for tagging operations"
for short in ["arn:aws:ecs:us-east-1:123456789012:service/s",
              "arn:aws:ecs:us-east-1:123456789012:task/0123456789abcdef0123456789abcdef",
              "arn:aws:ecs:us-east-1:123456789012:container-instance/0123456789abcdef0123456789abcdef"]:
    fails("InvalidParameterException", long_only, ecs.list_tags_for_resource, resourceArn=short)
    fails("InvalidParameterException", long_only, ecs.tag_resource, resourceArn=short, tags=[{"key": "k", "value": "v"}])
    fails("InvalidParameterException", long_only, ecs.untag_resource, resourceArn=short, tagKeys=["k"])

# A long-format ARN of a service that does not exist is not found.
fails("ResourceNotFoundException", None, ecs.tag_resource,
      resourceArn="arn:aws:ecs:us-east-1:123456789012:service/c/nope", tags=[{"key": "k", "value": "v"}])

td = "arn:aws:ecs:us-east-1:123456789012:task-definition/nope:1"
fails("ClientException", "Unable to describe task definition.", ecs.list_tags_for_resource, resourceArn=td)
assert ecs.list_tags_for_resource(resourceArn="arn:aws:ecs:us-east-1:123456789012:task-definition/web:1")["tags"] == []
print("ecs round 7: ok")
