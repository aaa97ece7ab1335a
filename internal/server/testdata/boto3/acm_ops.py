"""AWS Certificate Manager through boto3, as far as load balancer listeners
need it: a requested certificate (PENDING_VALIDATION, each name's CNAME
record given, until the records are in a public Route 53 zone of the
account: then ISSUED, the certificate_validated waiter done), an imported one (its PEM parsed; a key of another
certificate refused), describe, list (RSA_1024 and RSA_2048 keys unless
Includes.keyTypes says otherwise), tags, and delete (refused while a
listener uses it). A listener naming an ACM certificate that does not
exist, or one of another region, is refused with CertificateNotFound."""
from common import client, fails, network, pem, validate_by_dns

ec2, acm, elbv2 = client("ec2"), client("acm"), client("elbv2")

arn = acm.request_certificate(DomainName="www.example.com", SubjectAlternativeNames=["www.example.com", "api.example.com"],
                              ValidationMethod="DNS", IdempotencyToken="tok1",
                              Tags=[{"Key": "team", "Value": "web"}])["CertificateArn"]
assert arn.startswith("arn:aws:acm:us-east-1:") and ":certificate/" in arn, arn
assert acm.request_certificate(DomainName="www.example.com", SubjectAlternativeNames=["api.example.com"],
                               ValidationMethod="DNS", IdempotencyToken="tok1")["CertificateArn"] == arn
d = acm.describe_certificate(CertificateArn=arn)["Certificate"]
assert d["Status"] == "PENDING_VALIDATION" and d["Type"] == "AMAZON_ISSUED", d
assert "NotAfter" not in d and "IssuedAt" not in d and "Serial" not in d, d
# Amazon is the issuer before validation too (LocalStack's test_acm.py recordings of
# AWS: PENDING_VALIDATION and FAILED certificates answer "Issuer": "Amazon")
assert d["Issuer"] == "Amazon", d
opts = d["DomainValidationOptions"]
assert all(o["ValidationStatus"] == "PENDING_VALIDATION" and o["ResourceRecord"]["Name"].endswith("." + o["DomainName"] + ".")
           and o["ResourceRecord"]["Value"].endswith(".acm-validations.aws.") for o in opts), opts
# the same name's record is the same in every request of the account
again = acm.request_certificate(DomainName="api.example.com", ValidationMethod="DNS")["CertificateArn"]
assert acm.describe_certificate(CertificateArn=again)["Certificate"]["DomainValidationOptions"][0]["ResourceRecord"] == opts[1]["ResourceRecord"]
validate_by_dns(acm, arn, "example.com")
d = acm.describe_certificate(CertificateArn=arn)["Certificate"]
assert d["Status"] == "ISSUED" and "IssuedAt" in d and "NotAfter" in d and d["Issuer"] == "Amazon", d
# the other request of api.example.com validated with it
assert acm.describe_certificate(CertificateArn=again)["Certificate"]["Status"] == "ISSUED"
acm.delete_certificate(CertificateArn=again)
assert d["DomainName"] == "www.example.com" and d["SubjectAlternativeNames"] == ["www.example.com", "api.example.com"], d
opts = d["DomainValidationOptions"]
assert [o["DomainName"] for o in opts] == ["www.example.com", "api.example.com"], opts
assert all(o["ValidationStatus"] == "SUCCESS" and o["ResourceRecord"]["Type"] == "CNAME" for o in opts), opts
assert d["InUseBy"] == [], d
fails("ValidationException", None, acm.request_certificate, DomainName="not a domain")

imported = acm.import_certificate(Certificate=pem("cert1.pem"), PrivateKey=pem("key1.pem"))["CertificateArn"]
d = acm.describe_certificate(CertificateArn=imported)["Certificate"]
assert d["Type"] == "IMPORTED" and d["DomainName"] == "www1.example.com" and d["NotAfter"].year == 2126, d
assert acm.get_certificate(CertificateArn=imported)["Certificate"] == pem("cert1.pem").strip()
fails("ValidationException", None, acm.import_certificate, Certificate=pem("cert1.pem"), PrivateKey=pem("key2.pem"))
fails("ValidationException", None, acm.import_certificate, Certificate=b"cert-body", PrivateKey=pem("key1.pem"))

# The test certificates have P-256 keys: listed only when asked for.
listed = [c["CertificateArn"] for c in acm.list_certificates()["CertificateSummaryList"]]
assert listed == [arn], listed
listed = [c["CertificateArn"] for c in acm.list_certificates(Includes={"keyTypes": ["EC_prime256v1"]})["CertificateSummaryList"]]
assert listed == [imported], listed

acm.add_tags_to_certificate(CertificateArn=imported, Tags=[{"Key": "a", "Value": "b"}])
assert acm.list_tags_for_certificate(CertificateArn=imported)["Tags"] == [{"Key": "a", "Value": "b"}]
acm.remove_tags_from_certificate(CertificateArn=imported, Tags=[{"Key": "a"}])
assert acm.list_tags_for_certificate(CertificateArn=imported)["Tags"] == []

vpc, subnets = network(ec2)
sg = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
lb = elbv2.create_load_balancer(Name="alb", Subnets=subnets, SecurityGroups=[sg])["LoadBalancers"][0]["LoadBalancerArn"]
tg = elbv2.create_target_group(Name="tg", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
forward = [{"Type": "forward", "TargetGroupArn": tg}]
west = arn.replace("us-east-1", "us-west-2")
fails("CertificateNotFound", f"Certificate '{west}' not found", elbv2.create_listener, LoadBalancerArn=lb,
      Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": west}], DefaultActions=forward)
elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": arn}], DefaultActions=forward)
assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == [lb]
fails("ResourceInUseException", None, acm.delete_certificate, CertificateArn=arn)
acm.delete_certificate(CertificateArn=imported)
fails("ResourceNotFoundException", f"Could not find certificate {imported}.", acm.describe_certificate, CertificateArn=imported)
print("acm ops: ok")
