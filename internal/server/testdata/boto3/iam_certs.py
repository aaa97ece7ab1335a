"""IAM server certificates through boto3, and load balancer listeners that
name them, as AWS answers: a body that is not a PEM certificate refused
with MalformedCertificate, a key of another certificate with
KeyPairMismatch; upload, get, list (by path prefix), rename, delete; a
listener (Classic SSLCertificateId, v2 Certificates) that names an
uploaded certificate accepted, one that names an unknown certificate
refused with CertificateNotFound."""
from common import client, fails, network, pem, server_certificate

ec2, iam, elb, elbv2 = client("ec2"), client("iam"), client("elb"), client("elbv2")

fails("MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.",
      iam.upload_server_certificate, ServerCertificateName="bad", CertificateBody="cert-body", PrivateKey=pem("key1.pem"))
fails("MalformedCertificate", None, iam.upload_server_certificate, ServerCertificateName="bad",
      CertificateBody=pem("cert1.pem"), PrivateKey="private-key")
fails("KeyPairMismatch", None, iam.upload_server_certificate, ServerCertificateName="bad",
      CertificateBody=pem("cert1.pem"), PrivateKey=pem("key2.pem"))
fails("MalformedCertificate", None, iam.upload_server_certificate, ServerCertificateName="bad",
      CertificateBody=pem("cert1.pem"), PrivateKey=pem("key1.pem"), CertificateChain="not a chain")

meta = iam.upload_server_certificate(ServerCertificateName="web", Path="/lb/", CertificateBody=pem("cert1.pem"),
                                     PrivateKey=pem("key1.pem"), CertificateChain=pem("cert2.pem"),
                                     Tags=[{"Key": "team", "Value": "web"}])["ServerCertificateMetadata"]
arn = meta["Arn"]
assert arn.startswith("arn:aws:iam::") and arn.endswith(":server-certificate/lb/web"), arn
assert meta["ServerCertificateId"].startswith("ASCA"), meta
assert meta["Expiration"].year == 2126, meta
fails("EntityAlreadyExists", "The Server Certificate with name web already exists.", iam.upload_server_certificate,
      ServerCertificateName="web", CertificateBody=pem("cert1.pem"), PrivateKey=pem("key1.pem"))

got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
assert got["CertificateBody"] == pem("cert1.pem").strip(), got
assert got["CertificateChain"] == pem("cert2.pem").strip(), got
assert got["ServerCertificateMetadata"]["Arn"] == arn
assert got["Tags"] == [{"Key": "team", "Value": "web"}], got
assert "PrivateKey" not in got
fails("NoSuchEntity", "The Server Certificate with name nope cannot be found.", iam.get_server_certificate,
      ServerCertificateName="nope")

other = server_certificate(iam, "other", 2)
names = [m["ServerCertificateName"] for m in iam.list_server_certificates()["ServerCertificateMetadataList"]]
assert names == ["other", "web"], names
names = [m["ServerCertificateName"] for m in iam.list_server_certificates(PathPrefix="/lb/")["ServerCertificateMetadataList"]]
assert names == ["web"], names
iam.tag_server_certificate(ServerCertificateName="other", Tags=[{"Key": "a", "Value": "b"}])
assert iam.list_server_certificate_tags(ServerCertificateName="other")["Tags"] == [{"Key": "a", "Value": "b"}]

# Listeners name certificates by ARN; an unknown one is refused.
vpc, subnets = network(ec2)
elb.create_load_balancer(LoadBalancerName="classic", Subnets=subnets,
                         Listeners=[{"Protocol": "https", "LoadBalancerPort": 443, "InstancePort": 80, "SSLCertificateId": arn}])
d = elb.describe_load_balancers(LoadBalancerNames=["classic"])["LoadBalancerDescriptions"][0]
assert d["ListenerDescriptions"][0]["Listener"]["SSLCertificateId"] == arn, d
unknown = arn.replace("/lb/web", "/lb/gone")
fails("CertificateNotFound", f"Server Certificate not found for the key: {unknown}", elb.create_load_balancer_listeners,
      LoadBalancerName="classic", Listeners=[{"Protocol": "ssl", "LoadBalancerPort": 8443, "InstancePort": 80,
                                               "SSLCertificateId": unknown}])
fails("CertificateNotFound", None, elb.create_load_balancer, LoadBalancerName="classic2", Subnets=subnets,
      Listeners=[{"Protocol": "https", "LoadBalancerPort": 443, "InstancePort": 80, "SSLCertificateId": "invalid_arn"}])
fails("CertificateNotFound", None, elb.set_load_balancer_listener_ssl_certificate, LoadBalancerName="classic",
      LoadBalancerPort=443, SSLCertificateId=unknown)
elb.set_load_balancer_listener_ssl_certificate(LoadBalancerName="classic", LoadBalancerPort=443, SSLCertificateId=other)

sg = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
lb = elbv2.create_load_balancer(Name="alb", Subnets=subnets, SecurityGroups=[sg])["LoadBalancers"][0]["LoadBalancerArn"]
tg = elbv2.create_target_group(Name="tg", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
forward = [{"Type": "forward", "TargetGroupArn": tg}]
fails("CertificateNotFound", f"Certificate '{unknown}' not found", elbv2.create_listener, LoadBalancerArn=lb,
      Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": unknown}], DefaultActions=forward)
listener = elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": arn}],
                                 DefaultActions=forward)["Listeners"][0]
assert listener["Certificates"] == [{"CertificateArn": arn}], listener
fails("CertificateNotFound", "Certificate 'lalala' not found", elbv2.modify_listener, ListenerArn=listener["ListenerArn"],
      Certificates=[{"CertificateArn": "lalala"}])
fails("CertificateNotFound", None, elbv2.add_listener_certificates, ListenerArn=listener["ListenerArn"],
      Certificates=[{"CertificateArn": unknown}])
fails("ListenerNotFound", None, elbv2.add_listener_certificates, ListenerArn=listener["ListenerArn"] + "0",
      Certificates=[{"CertificateArn": unknown}])
elbv2.add_listener_certificates(ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": other}])
listener = elbv2.modify_listener(ListenerArn=listener["ListenerArn"], Certificates=[{"CertificateArn": other}])["Listeners"][0]
assert listener["Certificates"] == [{"CertificateArn": other}], listener

# Authenticate actions (HTTPS listeners only) come before the action that
# ends the list; the client secret is never answered.
oidc = {"Type": "authenticate-oidc", "Order": 1, "AuthenticateOidcConfig": {
    "Issuer": "https://idp.example.com", "AuthorizationEndpoint": "https://idp.example.com/auth",
    "TokenEndpoint": "https://idp.example.com/token", "UserInfoEndpoint": "https://idp.example.com/userinfo",
    "ClientId": "ci", "ClientSecret": "secret"}}
rule = elbv2.create_rule(ListenerArn=listener["ListenerArn"], Priority=5, Conditions=[{"Field": "path-pattern", "Values": ["/app/*"]}],
                         Actions=[oidc, {"Type": "forward", "TargetGroupArn": tg, "Order": 2}])["Rules"][0]
got = rule["Actions"][0]["AuthenticateOidcConfig"]
assert "ClientSecret" not in got and got["ClientId"] == "ci", got
assert (got["SessionCookieName"], got["Scope"], got["SessionTimeout"], got["OnUnauthenticatedRequest"]) == \
    ("AWSELBAuthSessionCookie", "openid", 604800, "authenticate"), got
assert [a["Type"] for a in rule["Actions"]] == ["authenticate-oidc", "forward"], rule
cognito = {"Type": "authenticate-cognito", "Order": 1, "AuthenticateCognitoConfig": {
    "UserPoolArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_ABCD1234",
    "UserPoolClientId": "abcd1234abcd", "UserPoolDomain": "testpool", "OnUnauthenticatedRequest": "deny"}}
got = elbv2.modify_listener(ListenerArn=listener["ListenerArn"],
                            DefaultActions=[cognito, {"Type": "forward", "TargetGroupArn": tg, "Order": 2}])["Listeners"][0]["DefaultActions"]
assert got[0]["AuthenticateCognitoConfig"]["UserPoolDomain"] == "testpool" and got[0]["AuthenticateCognitoConfig"]["OnUnauthenticatedRequest"] == "deny", got
fails("InvalidLoadBalancerAction", None, elbv2.create_rule, ListenerArn=listener["ListenerArn"], Priority=6,
      Conditions=[{"Field": "path-pattern", "Values": ["/x/*"]}], Actions=[dict(oidc, Order=1)])
both = dict(oidc, AuthenticateOidcConfig=dict(oidc["AuthenticateOidcConfig"], UseExistingClientSecret=True))
fails("InvalidLoadBalancerAction", "You cannot both specify a client secret and set UseExistingClientSecret to true",
      elbv2.create_rule, ListenerArn=listener["ListenerArn"], Priority=7, Conditions=[{"Field": "path-pattern", "Values": ["/y/*"]}],
      Actions=[both, {"Type": "forward", "TargetGroupArn": tg, "Order": 2}])
http = elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forward)["Listeners"][0]["ListenerArn"]
fails("InvalidLoadBalancerAction", None, elbv2.create_rule, ListenerArn=http, Priority=1,
      Conditions=[{"Field": "path-pattern", "Values": ["/x/*"]}], Actions=[oidc, {"Type": "forward", "TargetGroupArn": tg, "Order": 2}])

# Rename and move: the ARN follows; the old name is gone.
iam.update_server_certificate(ServerCertificateName="web", NewServerCertificateName="web2", NewPath="/")
fails("NoSuchEntity", None, iam.get_server_certificate, ServerCertificateName="web")
meta = iam.get_server_certificate(ServerCertificateName="web2")["ServerCertificate"]["ServerCertificateMetadata"]
assert meta["Arn"].endswith(":server-certificate/web2") and meta["Path"] == "/", meta
iam.delete_server_certificate(ServerCertificateName="web2")
fails("NoSuchEntity", None, iam.delete_server_certificate, ServerCertificateName="web2")
print("ok")
