"""Classic ELB (API 2012-06-01) through boto3: answered as Classic ELB,
never as ELBv2; load balancers, listeners, health checks, instances and
their health, attributes, tags, and an Auto Scaling group's
LoadBalancerNames."""
import botocore.exceptions

from common import client, eventually, fails, network

ec2, elb, asg, v2 = client("ec2"), client("elb"), client("autoscaling"), client("elbv2")
vpc, subnets = network(ec2)

dns = elb.create_load_balancer(LoadBalancerName="web", Subnets=subnets,
                               Listeners=[{"Protocol": "http", "LoadBalancerPort": 80, "InstancePort": 8080}],
                               Tags=[{"Key": "team", "Value": "web"}])["DNSName"]
assert dns.startswith("web-") and dns.endswith(".us-east-1.elb.amazonaws.com"), dns
assert v2.describe_load_balancers()["LoadBalancers"] == [], "a Classic ELB is not an ELBv2 load balancer"
d = elb.describe_load_balancers(LoadBalancerNames=["web"])["LoadBalancerDescriptions"][0]
assert d["ListenerDescriptions"][0]["Listener"] == {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080}, d
assert d["HealthCheck"] == {"Target": "TCP:8080", "Interval": 30, "Timeout": 5, "UnhealthyThreshold": 2, "HealthyThreshold": 10}, d["HealthCheck"]
assert d["VPCId"] == vpc and sorted(d["Subnets"]) == sorted(subnets) and sorted(d["AvailabilityZones"]) == ["us-east-1a", "us-east-1b"], d
assert d["Scheme"] == "internet-facing" and len(d["SecurityGroups"]) == 1, d
assert ec2.describe_security_groups(GroupIds=d["SecurityGroups"])["SecurityGroups"][0]["GroupName"] == "default", "outside the default VPC: the VPC's default group"
fails("LoadBalancerNotFound", "Cannot find Load Balancer nope", elb.describe_load_balancers, LoadBalancerNames=["nope"])
fails("LoadBalancerNotFound", "There is no ACTIVE Load Balancer named 'nope'", elb.describe_load_balancer_attributes, LoadBalancerName="nope")

elb.create_load_balancer_listeners(LoadBalancerName="web", Listeners=[{"Protocol": "TCP", "LoadBalancerPort": 443, "InstancePort": 8443}])
fails("DuplicateListener", None, elb.create_load_balancer_listeners, LoadBalancerName="web",
      Listeners=[{"Protocol": "TCP", "LoadBalancerPort": 443, "InstancePort": 9999}])
elb.delete_load_balancer_listeners(LoadBalancerName="web", LoadBalancerPorts=[443])
assert len(elb.describe_load_balancers(LoadBalancerNames=["web"])["LoadBalancerDescriptions"][0]["ListenerDescriptions"]) == 1

hc = elb.configure_health_check(LoadBalancerName="web", HealthCheck={"Target": "HTTP:8080/health", "Interval": 10, "Timeout": 5,
                                                                   "UnhealthyThreshold": 3, "HealthyThreshold": 3})["HealthCheck"]
assert hc["Target"] == "HTTP:8080/health"
fails("ValidationError", None, elb.configure_health_check, LoadBalancerName="web",
      HealthCheck={"Target": "HTTP:8080/health", "Interval": 5, "Timeout": 10, "UnhealthyThreshold": 3, "HealthyThreshold": 3})

i = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnets[0])["Instances"][0]["InstanceId"]
out = elb.register_instances_with_load_balancer(LoadBalancerName="web", Instances=[{"InstanceId": i}])
assert out["Instances"] == [{"InstanceId": i}]
# Nothing listens on the instance's 8080: running, it fails the health check
# (after "Instance registration is still in progress." and "Instance has not
# passed the configured HealthyThreshold number of health checks
# consecutively.", while its first checks run).
eventually("out of service, checked", lambda: "UnhealthyThreshold" in elb.describe_instance_health(LoadBalancerName="web")["InstanceStates"][0]["Description"])
h = elb.describe_instance_health(LoadBalancerName="web")["InstanceStates"][0]
assert h["State"] == "OutOfService" and h["Description"] == "Instance has failed at least the UnhealthyThreshold number of health checks consecutively.", h
# A web server on 80, and the health check there: InService.
user_data = "#!/bin/bash\ndnf install -y nginx\nsystemctl start nginx\n"
w = ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=subnets[0],
                      UserData=user_data)["Instances"][0]["InstanceId"]
elb.configure_health_check(LoadBalancerName="web", HealthCheck={"Target": "HTTP:80/", "Interval": 10, "Timeout": 5,
                                                               "UnhealthyThreshold": 3, "HealthyThreshold": 3})
elb.register_instances_with_load_balancer(LoadBalancerName="web", Instances=[{"InstanceId": w}])
eventually("in service", lambda: {x["InstanceId"]: x["State"] for x in elb.describe_instance_health(LoadBalancerName="web")["InstanceStates"]} == {
    i: "OutOfService", w: "InService"})
elb.deregister_instances_from_load_balancer(LoadBalancerName="web", Instances=[{"InstanceId": i}, {"InstanceId": w}])
assert elb.describe_instance_health(LoadBalancerName="web")["InstanceStates"] == []

a = elb.describe_load_balancer_attributes(LoadBalancerName="web")["LoadBalancerAttributes"]
assert a["CrossZoneLoadBalancing"] == {"Enabled": False} and a["ConnectionSettings"] == {"IdleTimeout": 60}, a
elb.modify_load_balancer_attributes(LoadBalancerName="web", LoadBalancerAttributes={
    "CrossZoneLoadBalancing": {"Enabled": True}, "ConnectionDraining": {"Enabled": True, "Timeout": 60}})
a = elb.describe_load_balancer_attributes(LoadBalancerName="web")["LoadBalancerAttributes"]
assert a["CrossZoneLoadBalancing"] == {"Enabled": True} and a["ConnectionDraining"] == {"Enabled": True, "Timeout": 60}, a
assert a["AdditionalAttributes"] == [{"Key": "elb.http.desyncmitigationmode", "Value": "defensive"}], a
# ModifyLoadBalancerAttributes answers the attributes it was given, not all of them.
m = elb.modify_load_balancer_attributes(LoadBalancerName="web", LoadBalancerAttributes={"CrossZoneLoadBalancing": {"Enabled": False}})
assert m["LoadBalancerName"] == "web" and m["LoadBalancerAttributes"] == {"CrossZoneLoadBalancing": {"Enabled": False}}, m
m = elb.modify_load_balancer_attributes(LoadBalancerName="web", LoadBalancerAttributes={
    "AdditionalAttributes": [{"Key": "elb.http.desyncmitigationmode", "Value": "strictest"}]})
assert m["LoadBalancerAttributes"] == {"AdditionalAttributes": [{"Key": "elb.http.desyncmitigationmode", "Value": "strictest"}]}, m
fails("LoadBalancerAttributeNotFound", "The specified load balancer attribute does not exist.", elb.modify_load_balancer_attributes,
      LoadBalancerName="web", LoadBalancerAttributes={"AdditionalAttributes": [{"Key": "elb.nope", "Value": "x"}]})
fails("ValidationError", None, elb.modify_load_balancer_attributes, LoadBalancerName="web",
      LoadBalancerAttributes={"CrossZoneLoadBalancing": {"Enabled": True}, "AdditionalAttributes": [{"Key": "elb.http.desyncmitigationmode", "Value": "lenient"}]})
a = elb.describe_load_balancer_attributes(LoadBalancerName="web")["LoadBalancerAttributes"]
assert a["CrossZoneLoadBalancing"] == {"Enabled": False} and a["AdditionalAttributes"] == [{"Key": "elb.http.desyncmitigationmode", "Value": "strictest"}], a

elb.add_tags(LoadBalancerNames=["web"], Tags=[{"Key": "env", "Value": "prod"}])
tags = elb.describe_tags(LoadBalancerNames=["web"])["TagDescriptions"][0]["Tags"]
assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "prod"), ("team", "web")], tags
elb.remove_tags(LoadBalancerNames=["web"], Tags=[{"Key": "env"}])
assert elb.describe_tags(LoadBalancerNames=["web"])["TagDescriptions"][0]["Tags"] == [{"Key": "team", "Value": "web"}]

# An Auto Scaling group registers its instances with the Classic ELB.
asg.create_launch_configuration(LaunchConfigurationName="lc", ImageId="ami-12c6146b", InstanceType="t3.micro")
fails("ValidationError", "Provided Load Balancers may not be valid. Please ensure they exist and try again.", asg.create_auto_scaling_group,
      AutoScalingGroupName="bad", LaunchConfigurationName="lc", MinSize=1, MaxSize=1, VPCZoneIdentifier=subnets[0], LoadBalancerNames=["nope"])
asg.create_auto_scaling_group(AutoScalingGroupName="g", LaunchConfigurationName="lc", MinSize=2, MaxSize=2,
                              VPCZoneIdentifier=",".join(subnets), LoadBalancerNames=["web"])
assert asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]["LoadBalancerNames"] == ["web"]
assert asg.describe_load_balancers(AutoScalingGroupName="g")["LoadBalancers"] == [{"LoadBalancerName": "web", "State": "InService"}]
eventually("group registered", lambda: len(elb.describe_instance_health(LoadBalancerName="web")["InstanceStates"]) == 2)
asg.detach_load_balancers(AutoScalingGroupName="g", LoadBalancerNames=["web"])
# Connection draining is on (above): the instances drain, InService "Instance deregistration currently in progress.", then leave.
states = elb.describe_instance_health(LoadBalancerName="web")["InstanceStates"]
assert all(s["State"] == "InService" and s["Description"] == "Instance deregistration currently in progress." for s in states), states
eventually("the detached instances drain", lambda: elb.describe_instance_health(LoadBalancerName="web")["InstanceStates"] == [])

# Two subnets of one zone, zones and subnets together, more than 10 tags, a tag key twice: refused as AWS refuses them.
third = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.9.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
fails("InvalidConfigurationRequest", "ELB cannot be attached to multiple subnets in the same AZ.", elb.attach_load_balancer_to_subnets,
      LoadBalancerName="web", Subnets=[third])
try:
    elb.attach_load_balancer_to_subnets(LoadBalancerName="web", Subnets=[third])
except botocore.exceptions.ClientError as e:
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 409, e.response["ResponseMetadata"]
ec2.delete_subnet(SubnetId=third)
fails("ValidationError", "Only one of SubnetIds or AvailabilityZones may be specified", elb.create_load_balancer,
      LoadBalancerName="both", Subnets=subnets, AvailabilityZones=["us-east-1a"],
      Listeners=[{"Protocol": "tcp", "LoadBalancerPort": 80, "InstancePort": 80}])
fails("TooManyTags", "The quota for the number of tags that can be assigned to a load balancer has been reached.", elb.create_load_balancer,
      LoadBalancerName="tagged", Subnets=subnets, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(11)],
      Listeners=[{"Protocol": "tcp", "LoadBalancerPort": 80, "InstancePort": 80}])
fails("DuplicateTagKeys", "A tag key was specified more than once.", elb.add_tags, LoadBalancerNames=["web"],
      Tags=[{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}])
assert [x["LoadBalancerName"] for x in elb.describe_load_balancers()["LoadBalancerDescriptions"]] == ["web"]

# In zones: the default VPC's default subnets.
elb.create_load_balancer(LoadBalancerName="zoned", AvailabilityZones=["us-east-1a", "us-east-1b"],
                         Listeners=[{"Protocol": "tcp", "LoadBalancerPort": 80, "InstancePort": 80}])
z = elb.describe_load_balancers(LoadBalancerNames=["zoned"])["LoadBalancerDescriptions"][0]
default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
assert z["VPCId"] == default_vpc and len(z["Subnets"]) == 2, z
elb.delete_load_balancer(LoadBalancerName="zoned")

# The load balancer has a network interface in each subnet, which holds the
# subnet and its security group until the load balancer goes.
def nodes():
    enis = ec2.describe_network_interfaces(Filters=[{"Name": "description", "Values": ["ELB web"]}])["NetworkInterfaces"]
    return sorted((n["SubnetId"], n["RequesterId"], n["Groups"][0]["GroupId"]) for n in enis)
assert nodes() == sorted((s, "amazon-elb", d["SecurityGroups"][0]) for s in subnets), nodes()
group = ec2.create_security_group(GroupName="lb", Description="lb", VpcId=vpc)["GroupId"]
elb.apply_security_groups_to_load_balancer(LoadBalancerName="web", SecurityGroups=[group])
assert nodes() == sorted((s, "amazon-elb", group) for s in subnets), nodes()
fails("DependencyViolation", None, ec2.delete_subnet, SubnetId=subnets[0])
fails("DependencyViolation", None, ec2.delete_security_group, GroupId=group)
elb.delete_load_balancer(LoadBalancerName="web")
assert nodes() == [], nodes()
elb.delete_load_balancer(LoadBalancerName="web")  # deleting a missing load balancer succeeds
assert elb.describe_load_balancers()["LoadBalancerDescriptions"] == []
print("classic elb: ok")

# In the default VPC, a load balancer created without security groups gets
# the account's default_elb_<uuid> group, created once ("zoned" above) with
# its listener ports open; later ones share it unchanged.
elb.create_load_balancer(LoadBalancerName="indefault", AvailabilityZones=["us-east-1a"],
                         Listeners=[{"Protocol": "tcp", "LoadBalancerPort": 81, "InstancePort": 8080},
                                    {"Protocol": "http", "LoadBalancerPort": 82, "InstancePort": 8081}])
d = elb.describe_load_balancers(LoadBalancerNames=["indefault"])["LoadBalancerDescriptions"][0]
assert d["SecurityGroups"] == z["SecurityGroups"] and len(d["SecurityGroups"]) == 1, (d, z)
g = ec2.describe_security_groups(GroupIds=d["SecurityGroups"])["SecurityGroups"][0]
assert g["GroupName"].startswith("default_elb_") and len(g["GroupName"]) == len("default_elb_") + 36, g
assert g["VpcId"] == default_vpc, g
assert [(p["IpProtocol"], p["FromPort"], p["ToPort"], p["IpRanges"]) for p in g["IpPermissions"]] == [("tcp", 80, 80, [{"CidrIp": "0.0.0.0/0"}])], g
