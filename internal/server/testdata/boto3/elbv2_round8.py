"""ELBv2 behaviours of the eighth round (boto3): a CloudFormation listener
answers its actions as the API's do (no Order on a lone action, the engine's
numbering for several)."""
import json

from common import client

cf, elbv2 = client("cloudformation"), client("elbv2")

redirect = {"Type": "redirect", "RedirectConfig": {"Port": "443", "Protocol": "HTTPS", "StatusCode": "HTTP_301"}}
fixed = {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}
tpl = {
    "Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.8.0.0/16"}},
        "A": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.8.1.0/24", "AvailabilityZone": "us-east-1a"}},
        "B": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.8.2.0/24", "AvailabilityZone": "us-east-1b"}},
        "LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
               "Properties": {"Name": "cfn-order", "Scheme": "internal", "Subnets": [{"Ref": "A"}, {"Ref": "B"}]}},
        "Http": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
            "LoadBalancerArn": {"Ref": "LB"}, "Port": 80, "Protocol": "HTTP", "DefaultActions": [redirect]}},
        "Rule": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {
            "ListenerArn": {"Ref": "Http"}, "Priority": 5,
            "Conditions": [{"Field": "path-pattern", "Values": ["/gone/*"]}], "Actions": [fixed]}},
    },
}
cf.create_stack(StackName="order", TemplateBody=json.dumps(tpl))
assert cf.describe_stacks(StackName="order")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
lb = elbv2.describe_load_balancers(Names=["cfn-order"])["LoadBalancers"][0]["LoadBalancerArn"]
listener = elbv2.describe_listeners(LoadBalancerArn=lb)["Listeners"][0]
assert listener["DefaultActions"] == [{"Type": "redirect", "RedirectConfig": {
    "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}", "StatusCode": "HTTP_301"}}], listener
rules = elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
rule = [r for r in rules if r["Priority"] == "5"][0]
assert rule["Actions"] == [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}], rule
print("ok")
