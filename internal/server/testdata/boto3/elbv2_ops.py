"""ELBv2 through boto3: SSL policies, account limits, listener
certificates, IP address types, rule changes and priorities, tags."""
import ipaddress

from common import client, fails, network, pem, validate_by_dns

ec2, elb, acm = client("ec2"), client("elbv2"), client("acm")
vpc, subnets = network(ec2)

pols = {p["Name"]: p for p in elb.describe_ssl_policies()["SslPolicies"]}
p = pols["ELBSecurityPolicy-2016-08"]
assert p["SslProtocols"] == ["TLSv1", "TLSv1.1", "TLSv1.2"] and len(p["Ciphers"]) == 18, p
assert p["Ciphers"][0] == {"Name": "ECDHE-ECDSA-AES128-GCM-SHA256", "Priority": 1}, p["Ciphers"][0]
one = elb.describe_ssl_policies(Names=["ELBSecurityPolicy-TLS13-1-2-2021-06"])["SslPolicies"]
assert len(one) == 1 and one[0]["SslProtocols"] == ["TLSv1.2", "TLSv1.3"] and one[0]["Ciphers"][0]["Name"] == "TLS_AES_128_GCM_SHA256", one
fails("SSLPolicyNotFound", None, elb.describe_ssl_policies, Names=["nope"])

limits = {l["Name"]: l["Max"] for l in elb.describe_account_limits()["Limits"]}
assert limits["application-load-balancers"] == "50" and limits["target-groups"] == "3000", limits

lb = elb.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
cert = acm.request_certificate(DomainName="web.example.com", ValidationMethod="DNS")["CertificateArn"]
validate_by_dns(acm, cert, "example.com")
cert2 = acm.import_certificate(Certificate=pem("cert2.pem"), PrivateKey=pem("key2.pem"))["CertificateArn"]
l = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": cert}],
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
elb.add_listener_certificates(ListenerArn=l, Certificates=[{"CertificateArn": cert2}])
certs = elb.describe_listener_certificates(ListenerArn=l)["Certificates"]
assert {c["CertificateArn"]: c["IsDefault"] for c in certs} == {cert: True, cert2: False} and len(certs) == 2, certs  # ARNs end in random ids: no order
assert elb.describe_listeners(ListenerArns=[l])["Listeners"][0]["Certificates"] == [{"CertificateArn": cert}]
elb.remove_listener_certificates(ListenerArn=l, Certificates=[{"CertificateArn": cert2}])
assert [c["CertificateArn"] for c in elb.describe_listener_certificates(ListenerArn=l)["Certificates"]] == [cert]
fails("OperationNotPermitted", None, elb.remove_listener_certificates, ListenerArn=l, Certificates=[{"CertificateArn": cert}])
elb.modify_listener(ListenerArn=l, SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06")
assert elb.describe_listeners(ListenerArns=[l])["Listeners"][0]["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"

fails("ValidationError", "You must specify subnets with an associated IPv6 CIDR block.", elb.set_ip_address_type,
      LoadBalancerArn=lb, IpAddressType="dualstack")
block = ec2.associate_vpc_cidr_block(VpcId=vpc, AmazonProvidedIpv6CidrBlock=True)["Ipv6CidrBlockAssociation"]["Ipv6CidrBlock"]
sixes = ipaddress.ip_network(block).subnets(new_prefix=64)  # the /56 may print as "…::/56"
next(sixes)
for s in subnets:
    ec2.associate_subnet_cidr_block(SubnetId=s, Ipv6CidrBlock=str(next(sixes)))
assert elb.set_ip_address_type(LoadBalancerArn=lb, IpAddressType="dualstack")["IpAddressType"] == "dualstack"
assert elb.describe_load_balancers(LoadBalancerArns=[lb])["LoadBalancers"][0]["IpAddressType"] == "dualstack"
fails("ValidationError", None, elb.set_ip_address_type, LoadBalancerArn=lb, IpAddressType="ipv7")

fwd = [{"Type": "forward", "TargetGroupArn": tg}]
r1 = elb.create_rule(ListenerArn=l, Priority=10, Conditions=[{"Field": "path-pattern", "Values": ["/a"]}], Actions=fwd)["Rules"][0]["RuleArn"]
r2 = elb.create_rule(ListenerArn=l, Priority=20, Conditions=[{"Field": "path-pattern", "Values": ["/b"]}], Actions=fwd)["Rules"][0]["RuleArn"]
r = elb.modify_rule(RuleArn=r1, Conditions=[{"Field": "host-header", "Values": ["example.com"]}])["Rules"][0]
assert r["Conditions"][0]["Field"] == "host-header" and r["Priority"] == "10", r
fails("PriorityInUse", None, elb.set_rule_priorities, RulePriorities=[{"RuleArn": r1, "Priority": 20}])
out = elb.set_rule_priorities(RulePriorities=[{"RuleArn": r1, "Priority": 20}, {"RuleArn": r2, "Priority": 10}])["Rules"]
assert {x["RuleArn"]: x["Priority"] for x in out} == {r1: "20", r2: "10"}, out
rules = [x["RuleArn"] for x in elb.describe_rules(ListenerArn=l)["Rules"]]
assert rules[:2] == [r2, r1], rules
fails("OperationNotPermitted", None, elb.set_rule_priorities, RulePriorities=[{"RuleArn": rules[2], "Priority": 5}])

# Tags on every resource kind.
for arn in (lb, tg, l, r1):
    elb.add_tags(ResourceArns=[arn], Tags=[{"Key": "team", "Value": "web"}])
desc = elb.describe_tags(ResourceArns=[lb, tg, l, r1])["TagDescriptions"]
assert all(d["Tags"] == [{"Key": "team", "Value": "web"}] for d in desc) and len(desc) == 4, desc
elb.remove_tags(ResourceArns=[r1], TagKeys=["team"])
assert elb.describe_tags(ResourceArns=[r1])["TagDescriptions"][0]["Tags"] == []
print("elbv2 ops: ok")
