"""Classic ELB policies, Availability Zones, listener certificates and
security groups through boto3, as AWS answers: stickiness and other
policies on the load balancer (Policies), on listeners (PolicyNames) and
on back-end ports (BackendServerDescriptions); unknown policy types and
policies refused; zones of the default VPC; a security group of another
VPC refused with InvalidConfigurationRequest (HTTP 409)."""
from common import client, fails, network, server_certificate

ec2, elb, iam = client("ec2"), client("elb"), client("iam")
vpc, subnets = network(ec2)
cert_a, cert_b = server_certificate(iam, "a", 1), server_certificate(iam, "b", 2)

elb.create_load_balancer(LoadBalancerName="web", Subnets=subnets,
                         Listeners=[{"Protocol": "http", "LoadBalancerPort": 80, "InstancePort": 8080},
                                    {"Protocol": "https", "LoadBalancerPort": 443, "InstancePort": 8443,
                                     "SSLCertificateId": cert_a},
                                    {"Protocol": "tcp", "LoadBalancerPort": 25, "InstancePort": 25}])
d = elb.describe_load_balancers(LoadBalancerNames=["web"])["LoadBalancerDescriptions"][0]
# An HTTPS listener created without a policy gets the default security policy.
assert d["Policies"] == {"AppCookieStickinessPolicies": [], "LBCookieStickinessPolicies": [], "OtherPolicies": ["ELBSecurityPolicy-2016-08"]}, d["Policies"]
by_port = {l["Listener"]["LoadBalancerPort"]: l["PolicyNames"] for l in d["ListenerDescriptions"]}
assert by_port == {80: [], 443: ["ELBSecurityPolicy-2016-08"], 25: []}, by_port
pols = elb.describe_load_balancer_policies(LoadBalancerName="web")["PolicyDescriptions"]
assert [(x["PolicyName"], x["PolicyTypeName"]) for x in pols] == [("ELBSecurityPolicy-2016-08", "SSLNegotiationPolicyType")], pols
assert pols[0]["PolicyAttributeDescriptions"][0] == {"AttributeName": "Reference-Security-Policy", "AttributeValue": "ELBSecurityPolicy-2016-08"}, pols

elb.create_lb_cookie_stickiness_policy(LoadBalancerName="web", PolicyName="lbc", CookieExpirationPeriod=60)
elb.create_lb_cookie_stickiness_policy(LoadBalancerName="web", PolicyName="session")
elb.create_app_cookie_stickiness_policy(LoadBalancerName="web", PolicyName="app", CookieName="JSESSIONID")
elb.create_load_balancer_policy(LoadBalancerName="web", PolicyName="proxy", PolicyTypeName="ProxyProtocolPolicyType",
                                PolicyAttributes=[{"AttributeName": "ProxyProtocol", "AttributeValue": "true"}])
fails("DuplicatePolicyName", None, elb.create_app_cookie_stickiness_policy, LoadBalancerName="web", PolicyName="app", CookieName="x")
fails("PolicyTypeNotFound", None, elb.create_load_balancer_policy, LoadBalancerName="web", PolicyName="p",
      PolicyTypeName="NoSuchPolicyType", PolicyAttributes=[])
p = elb.describe_load_balancers(LoadBalancerNames=["web"])["LoadBalancerDescriptions"][0]["Policies"]
assert p["LBCookieStickinessPolicies"] == [{"PolicyName": "lbc", "CookieExpirationPeriod": 60}, {"PolicyName": "session"}], p
assert p["AppCookieStickinessPolicies"] == [{"PolicyName": "app", "CookieName": "JSESSIONID"}], p
assert p["OtherPolicies"] == ["ELBSecurityPolicy-2016-08", "proxy"], p
got = elb.describe_load_balancer_policies(LoadBalancerName="web", PolicyNames=["proxy"])["PolicyDescriptions"]
assert got == [{"PolicyName": "proxy", "PolicyTypeName": "ProxyProtocolPolicyType",
                "PolicyAttributeDescriptions": [{"AttributeName": "ProxyProtocol", "AttributeValue": "true"}]}], got
fails("PolicyNotFound", None, elb.describe_load_balancer_policies, LoadBalancerName="web", PolicyNames=["nope"])
types = {t["PolicyTypeName"] for t in elb.describe_load_balancer_policy_types()["PolicyTypeDescriptions"]}
assert {"ProxyProtocolPolicyType", "LBCookieStickinessPolicyType", "SSLNegotiationPolicyType"} <= types, types

elb.set_load_balancer_policies_of_listener(LoadBalancerName="web", LoadBalancerPort=443, PolicyNames=["app"])
elb.set_load_balancer_policies_for_backend_server(LoadBalancerName="web", InstancePort=25, PolicyNames=["proxy"])
fails("PolicyNotFound", None, elb.set_load_balancer_policies_of_listener, LoadBalancerName="web", LoadBalancerPort=80, PolicyNames=["nope"])
fails("ListenerNotFound", None, elb.set_load_balancer_policies_of_listener, LoadBalancerName="web", LoadBalancerPort=81, PolicyNames=[])
d = elb.describe_load_balancers(LoadBalancerNames=["web"])["LoadBalancerDescriptions"][0]
by_port = {l["Listener"]["LoadBalancerPort"]: l["PolicyNames"] for l in d["ListenerDescriptions"]}
assert by_port == {80: [], 443: ["app"], 25: []}, by_port
assert d["BackendServerDescriptions"] == [{"InstancePort": 25, "PolicyNames": ["proxy"]}], d["BackendServerDescriptions"]
fails("InvalidConfigurationRequest", None, elb.delete_load_balancer_policy, LoadBalancerName="web", PolicyName="app")
elb.set_load_balancer_policies_of_listener(LoadBalancerName="web", LoadBalancerPort=443, PolicyNames=[])
elb.delete_load_balancer_policy(LoadBalancerName="web", PolicyName="app")
assert len(elb.describe_load_balancer_policies(LoadBalancerName="web")["PolicyDescriptions"]) == 4

# Listener certificates: HTTPS and SSL listeners only.
elb.set_load_balancer_listener_ssl_certificate(LoadBalancerName="web", LoadBalancerPort=443,
                                               SSLCertificateId=cert_b)
d = elb.describe_load_balancers(LoadBalancerNames=["web"])["LoadBalancerDescriptions"][0]
certs = {l["Listener"]["LoadBalancerPort"]: l["Listener"].get("SSLCertificateId") for l in d["ListenerDescriptions"]}
assert certs[443] == cert_b, certs
fails("InvalidConfigurationRequest", None, elb.set_load_balancer_listener_ssl_certificate, LoadBalancerName="web",
      LoadBalancerPort=80, SSLCertificateId=cert_b)

# Security groups: one of another VPC is refused as AWS refuses it.
other = ec2.create_security_group(GroupName="other", Description="default VPC")["GroupId"]
err = fails("InvalidConfigurationRequest", f'Security group "{other}" does not belong to VPC "{vpc}"',
            elb.apply_security_groups_to_load_balancer, LoadBalancerName="web", SecurityGroups=[other])
fails("InvalidSecurityGroup", "One or more of the specified security groups do not exist.",
      elb.apply_security_groups_to_load_balancer, LoadBalancerName="web", SecurityGroups=["sg-12345678901234567"])
try:
    elb.apply_security_groups_to_load_balancer(LoadBalancerName="web", SecurityGroups=[other])
except Exception as e:  # noqa: BLE001
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 409, e.response["ResponseMetadata"]

# Availability Zones: a load balancer of the default VPC takes zones (their
# default subnets); one in another VPC takes subnets instead.
elb.create_load_balancer(LoadBalancerName="zoned", AvailabilityZones=["us-east-1a"],
                         Listeners=[{"Protocol": "tcp", "LoadBalancerPort": 80, "InstancePort": 80}])
out = elb.enable_availability_zones_for_load_balancer(LoadBalancerName="zoned", AvailabilityZones=["us-east-1b", "us-east-1c"])
assert out["AvailabilityZones"] == ["us-east-1a", "us-east-1b", "us-east-1c"], out
z = elb.describe_load_balancers(LoadBalancerNames=["zoned"])["LoadBalancerDescriptions"][0]
assert z["AvailabilityZones"] == ["us-east-1a", "us-east-1b", "us-east-1c"] and len(z["Subnets"]) == 3, z
out = elb.disable_availability_zones_for_load_balancer(LoadBalancerName="zoned", AvailabilityZones=["us-east-1b"])
assert out["AvailabilityZones"] == ["us-east-1a", "us-east-1c"], out
fails("ValidationError", None, elb.disable_availability_zones_for_load_balancer, LoadBalancerName="zoned",
      AvailabilityZones=["us-east-1a", "us-east-1c"])
fails("InvalidConfigurationRequest", None, elb.enable_availability_zones_for_load_balancer, LoadBalancerName="web",
      AvailabilityZones=["us-east-1c"])
print("classic elb policies: ok")
