"""AWS::ElasticLoadBalancing::LoadBalancer through CloudFormation (boto3):
a stack creates a Classic Load Balancer with its listeners, health check,
policies, attributes and instances; an update changes it in place; a property
the API refuses rolls the stack back; deleting the stack deletes it."""
import json

from common import client

cf, elb, ec2 = client("cloudformation"), client("elb"), client("ec2")

tpl = {
    "Resources": {
        "Web": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"}},
        "LB": {"Type": "AWS::ElasticLoadBalancing::LoadBalancer", "Properties": {
            "LoadBalancerName": "cfn-clb",
            "AvailabilityZones": ["us-east-1a"],
            "Instances": [{"Ref": "Web"}],
            "Listeners": [{"LoadBalancerPort": "80", "InstancePort": "8080", "Protocol": "HTTP", "PolicyNames": ["sticky"]}],
            "HealthCheck": {"Target": "HTTP:8080/health", "Interval": "10", "Timeout": "5", "HealthyThreshold": "3", "UnhealthyThreshold": "2"},
            "LBCookieStickinessPolicy": [{"PolicyName": "sticky", "CookieExpirationPeriod": "60"}],
            "Policies": [{"PolicyName": "proxy", "PolicyType": "ProxyProtocolPolicyType", "InstancePorts": ["8080"],
                          "Attributes": [{"Name": "ProxyProtocol", "Value": "true"}]}],
            "CrossZone": True,
            "ConnectionDrainingPolicy": {"Enabled": True, "Timeout": 60},
            "Tags": [{"Key": "team", "Value": "web"}],
        }},
    },
    "Outputs": {"DNS": {"Value": {"Fn::GetAtt": ["LB", "DNSName"]}}, "Name": {"Value": {"Ref": "LB"}}},
}
cf.create_stack(StackName="clb", TemplateBody=json.dumps(tpl))
stack = cf.describe_stacks(StackName="clb")["Stacks"][0]
assert stack["StackStatus"] == "CREATE_COMPLETE", stack
outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
d = elb.describe_load_balancers(LoadBalancerNames=["cfn-clb"])["LoadBalancerDescriptions"][0]
assert outputs == {"Name": "cfn-clb", "DNS": d["DNSName"]}, outputs
web = cf.describe_stack_resource(StackName="clb", LogicalResourceId="Web")["StackResourceDetail"]["PhysicalResourceId"]
assert d["Instances"] == [{"InstanceId": web}] and d["AvailabilityZones"] == ["us-east-1a"], d
assert d["HealthCheck"] == {"Target": "HTTP:8080/health", "Interval": 10, "Timeout": 5, "UnhealthyThreshold": 2, "HealthyThreshold": 3}, d
assert d["ListenerDescriptions"] == [{"Listener": {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080},
                                      "PolicyNames": ["sticky"]}], d
assert d["Policies"] == {"AppCookieStickinessPolicies": [], "LBCookieStickinessPolicies": [{"PolicyName": "sticky", "CookieExpirationPeriod": 60}],
                         "OtherPolicies": ["proxy"]}, d["Policies"]
assert d["BackendServerDescriptions"] == [{"InstancePort": 8080, "PolicyNames": ["proxy"]}], d
a = elb.describe_load_balancer_attributes(LoadBalancerName="cfn-clb")["LoadBalancerAttributes"]
assert a["CrossZoneLoadBalancing"] == {"Enabled": True} and a["ConnectionDraining"] == {"Enabled": True, "Timeout": 60}, a
tags = {t["Key"]: t["Value"] for t in elb.describe_tags(LoadBalancerNames=["cfn-clb"])["TagDescriptions"][0]["Tags"]}
assert tags["team"] == "web" and tags["aws:cloudformation:stack-name"] == "clb" and tags["aws:cloudformation:logical-id"] == "LB", tags

# An update changes it in place (AvailabilityZones: no interruption): now in us-east-1b.
tpl["Resources"]["LB"]["Properties"]["AvailabilityZones"] = ["us-east-1b"]
cf.update_stack(StackName="clb", TemplateBody=json.dumps(tpl))
d = elb.describe_load_balancers(LoadBalancerNames=["cfn-clb"])["LoadBalancerDescriptions"][0]
assert d["AvailabilityZones"] == ["us-east-1b"] and len(d["Instances"]) == 1, d

# A health check the API refuses fails the stack, and nothing stays behind.
bad = json.loads(json.dumps(tpl))
bad["Resources"]["LB"]["Properties"]["LoadBalancerName"] = "cfn-bad"
bad["Resources"]["LB"]["Properties"]["HealthCheck"]["Timeout"] = "20"
cf.create_stack(StackName="bad", TemplateBody=json.dumps(bad))
assert cf.describe_stacks(StackName="bad")["Stacks"][0]["StackStatus"] in ("ROLLBACK_COMPLETE", "CREATE_FAILED")
names = [x["LoadBalancerName"] for x in elb.describe_load_balancers()["LoadBalancerDescriptions"]]
assert names == ["cfn-clb"], names

cf.delete_stack(StackName="clb")
assert elb.describe_load_balancers()["LoadBalancerDescriptions"] == []
print("classic elb through cloudformation: ok")
