"""ACM's answers as AWS recorded them in LocalStack's AWS-validated tests
(localstack/localstack tests/aws/services/acm/test_acm.snapshot.json:
test_certificate_for_subdomain_wildcard, 2023-04-18;
test_create_certificate_for_multiple_alternative_domains, 2024-01-09;
test_domain_validation, 2024-04-12; docs/localstack-suite.md, round
twenty-one): an issued certificate's key usages (DIGITAL_SIGNATURE,
KEY_ENCIPHERMENT) and extended key usages (TLS web server and client
authentication, with their OIDs); ListCertificates' summary with the key
algorithm written RSA-2048 (as DescribeCertificate), the usages by name
and IssuedAt; an EMAIL validation with ValidationEmails []; an imported
certificate (test_import_certificate, 2024-02-22) with its own key usages
and extended key usages (an OID ACM has no name for: CUSTOM), its subject
in the certificate's order, its issuer's organization as Issuer,
certificate transparency logging DISABLED, validation options naming its
domains only, and ImportedAt in its summary."""
from common import client, pem, validate_by_dns

acm = client("acm")

dns = acm.request_certificate(DomainName="*.w.example.com", ValidationMethod="DNS")["CertificateArn"]
validate_by_dns(acm, dns, "example.com")
d = acm.describe_certificate(CertificateArn=dns)["Certificate"]
assert d["Status"] == "ISSUED", d
assert d["KeyUsages"] == [{"Name": "DIGITAL_SIGNATURE"}, {"Name": "KEY_ENCIPHERMENT"}], d["KeyUsages"]
assert d["ExtendedKeyUsages"] == [{"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"},
                                  {"Name": "TLS_WEB_CLIENT_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.2"}], d["ExtendedKeyUsages"]
assert d["KeyAlgorithm"] == "RSA-2048", d
assert "ValidationEmails" not in d["DomainValidationOptions"][0], d["DomainValidationOptions"]

email = acm.request_certificate(DomainName="test.example.com",
                                SubjectAlternativeNames=["test.example.com", "another.domain.com"])["CertificateArn"]
d = acm.describe_certificate(CertificateArn=email)["Certificate"]
opts = d["DomainValidationOptions"]
assert [o["ValidationMethod"] for o in opts] == ["EMAIL", "EMAIL"], opts
assert all(o["ValidationEmails"] == [] for o in opts), opts

# The EC key is asked for explicitly: its usages have no KEY_ENCIPHERMENT.
ec = acm.request_certificate(DomainName="ec.example.com", KeyAlgorithm="EC_prime256v1", ValidationMethod="DNS")["CertificateArn"]
validate_by_dns(acm, ec, "example.com")
d = acm.describe_certificate(CertificateArn=ec)["Certificate"]
assert d["KeyUsages"] == [{"Name": "DIGITAL_SIGNATURE"}] and d["KeyAlgorithm"] == "EC-prime256v1", d

summaries = {c["CertificateArn"]: c for c in acm.list_certificates()["CertificateSummaryList"]}
s = summaries[dns]
assert s["KeyAlgorithm"] == "RSA-2048", s
assert s["KeyUsages"] == ["DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"], s
assert s["ExtendedKeyUsages"] == ["TLS_WEB_SERVER_AUTHENTICATION", "TLS_WEB_CLIENT_AUTHENTICATION"], s
assert "IssuedAt" in s and "ImportedAt" not in s, s
# The filter still takes the request's spelling.
listed = acm.list_certificates(Includes={"keyTypes": ["EC_prime256v1"]})["CertificateSummaryList"]
assert [c["CertificateArn"] for c in listed] == [ec] and listed[0]["KeyAlgorithm"] == "EC-prime256v1", listed

imported = acm.import_certificate(Certificate=pem("cert1.pem"), PrivateKey=pem("key1.pem"))["CertificateArn"]
listed = acm.list_certificates(Includes={"keyTypes": ["EC_prime256v1"]})["CertificateSummaryList"]
s = [c for c in listed if c["CertificateArn"] == imported][0]
assert "ImportedAt" in s and "IssuedAt" not in s, s

own = acm.import_certificate(Certificate=pem("usages.pem"), PrivateKey=pem("usages-key.pem"))["CertificateArn"]
d = acm.describe_certificate(CertificateArn=own)["Certificate"]
assert d["Subject"] == "C=AU,ST=Some-State,O=Example Org,OU=Testing,CN=usages.example.com", d["Subject"]
assert d["Issuer"] == "Example Org", d["Issuer"]
assert d["Serial"] == "03:e9", d["Serial"]
assert d["KeyUsages"] == [{"Name": "DIGITAL_SIGNATURE"}, {"Name": "NON_REPUDIATION"}], d["KeyUsages"]
assert d["ExtendedKeyUsages"] == [{"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"},
                                  {"Name": "CODE_SIGNING", "OID": "1.3.6.1.5.5.7.3.3"},
                                  {"Name": "CUSTOM", "OID": "1.3.6.1.4.1.311.10.3.4"}], d["ExtendedKeyUsages"]
assert d["Options"] == {"CertificateTransparencyLoggingPreference": "DISABLED"}, d["Options"]
assert d["DomainValidationOptions"] == [{"DomainName": "usages.example.com"}, {"DomainName": "alt.example.com"}], d["DomainValidationOptions"]
listed = acm.list_certificates(Includes={"keyTypes": ["EC_prime256v1"]})["CertificateSummaryList"]
s = [c for c in listed if c["CertificateArn"] == own][0]
assert s["KeyUsages"] == ["DIGITAL_SIGNATURE", "NON_REPUDIATION"], s
assert s["ExtendedKeyUsages"] == ["TLS_WEB_SERVER_AUTHENTICATION", "CODE_SIGNING", "CUSTOM"], s
# A certificate without the extensions has neither usage.
d = acm.describe_certificate(CertificateArn=imported)["Certificate"]
assert d["KeyUsages"] == [] and d["ExtendedKeyUsages"] == [] and d["Issuer"] == "www1.example.com", d
print("acm localstack21: ok")
