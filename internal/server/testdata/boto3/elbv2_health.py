"""Target health through boto3, as Elastic Load Balancing reports it for
EC2 instances: a web server the user data installs and starts answers the
health checks (Apache's welcome page is a 403, nginx's a 200), nothing
listening fails them; a target asked for but not registered is unused
(Target.NotRegistered); a stopped instance is unused (Target.InvalidState);
a terminated one leaves the list but, asked for by id, is draining. And
DescribeSSLPolicies answers a name given twice once."""
from common import client, eventually, network

ec2, elb = client("ec2"), client("elbv2")
vpc, subnets = network(ec2)
sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])

APACHE = "#!/bin/bash\nsudo yum install -y httpd\nsudo systemctl start httpd\n"
NGINX = "#!/bin/bash\napt-get install -y nginx\nsystemctl enable --now nginx\n"
INSTALLED_ONLY = "#!/bin/bash\nyum install -y httpd\n"  # never started


def launch(user_data, subnet):
    return ec2.run_instances(ImageId="ami-12c6146b", InstanceType="t3.micro", MinCount=1, MaxCount=1,
                             SubnetId=subnet, SecurityGroupIds=[sg], UserData=user_data)["Instances"][0]["InstanceId"]


apache, nginx, idle = launch(APACHE, subnets[0]), launch(NGINX, subnets[1]), launch(INSTALLED_ONLY, subnets[0])
eventually("instances running", lambda: all(
    r["Instances"][0]["State"]["Name"] == "running"
    for r in ec2.describe_instances(InstanceIds=[apache, nginx, idle])["Reservations"]))
lb = elb.create_load_balancer(Name="web", Subnets=subnets, SecurityGroups=[sg], Scheme="internal")["LoadBalancers"][0]["LoadBalancerArn"]


def group(name, matcher):
    tg = elb.create_target_group(Name=name, Protocol="HTTP", Port=80, VpcId=vpc, HealthCheckPath="/",
                                 Matcher={"HttpCode": matcher})["TargetGroups"][0]["TargetGroupArn"]
    return tg


tg403, tg200 = group("apache", "403"), group("nginx", "200")
elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg403}])
elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=8080, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg200}])
elb.register_targets(TargetGroupArn=tg403, Targets=[{"Id": apache}, {"Id": idle}])
elb.register_targets(TargetGroupArn=tg200, Targets=[{"Id": nginx}, {"Id": apache}])


def health(tg, **kw):
    return {d["Target"]["Id"]: d["TargetHealth"] for d in elb.describe_target_health(TargetGroupArn=tg, **kw)["TargetHealthDescriptions"]}


# New targets are initial until their first health checks settle.
eventually("the targets' first checks", lambda: all(
    x["State"] != "initial" for tg in (tg403, tg200) for x in health(tg).values()))
h = health(tg403)
assert h[apache] == {"State": "healthy"}, h
assert h[idle]["State"] == "unhealthy" and h[idle]["Reason"] == "Target.FailedHealthChecks", h
h = health(tg200)
assert h[nginx] == {"State": "healthy"}, h
# Apache answers 403 on /, which the 200 matcher refuses.
assert h[apache]["State"] == "unhealthy" and h[apache]["Reason"] == "Target.ResponseCodeMismatch", h

# Asked for, not registered: unused, with the registered port's health check port.
d = elb.describe_target_health(TargetGroupArn=tg403, Targets=[{"Id": nginx}])["TargetHealthDescriptions"]
assert d == [{"Target": {"Id": nginx, "Port": 80}, "HealthCheckPort": "80", "TargetHealth": {
    "State": "unused", "Reason": "Target.NotRegistered", "Description": "Target is not registered to the target group"}}], d

# Stopped: unused, Target.InvalidState.
ec2.stop_instances(InstanceIds=[idle])
eventually("idle stopped", lambda: health(tg403)[idle]["State"] == "unused")
assert health(tg403)[idle] == {"State": "unused", "Reason": "Target.InvalidState", "Description": "Target is in the stopped state"}

# Terminated: deregistered, gone from the list; asked for by id, draining.
ec2.terminate_instances(InstanceIds=[apache])
eventually("apache gone from the list", lambda: apache not in health(tg403))
for tg in (tg403, tg200):
    assert health(tg, Targets=[{"Id": apache, "Port": 80}])[apache] == {
        "State": "draining", "Reason": "Target.DeregistrationInProgress", "Description": "Target deregistration is in progress"}
assert list(health(tg200)) == [nginx]
# DescribeSSLPolicies: a name given twice answers one policy.
pols = elb.describe_ssl_policies(Names=["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-2016-08"])["SslPolicies"]
assert [p["Name"] for p in pols] == ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-2-2017-01"], [p["Name"] for p in pols]
print("ok")
