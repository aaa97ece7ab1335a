package cfn_test

import (
	"strings"
	"testing"
)

// certListener33 is a public zone, a DNS-validated certificate (VALIDATE
// becomes its DomainValidationOptions) and an HTTPS listener naming it, and
// one naming a certificate ARN of the account the template does not make.
const certListener33 = `
Resources:
  Zone: {Type: AWS::Route53::HostedZone, Properties: {Name: tickets.example.org}}
  Net: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.33.0.0/16}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Net, CidrBlock: 10.33.1.0/24, AvailabilityZone: us-east-1a}}
  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Net, CidrBlock: 10.33.2.0/24, AvailabilityZone: us-east-1b}}
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: tickets.example.org
      ValidationMethod: DNS
      VALIDATE
  Edge: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Scheme: internal, Subnets: [!Ref A, !Ref B]}}
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Edge
      Port: 443
      Protocol: HTTPS
      Certificates: [{CertificateArn: !Ref Cert}]
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: "404"}}]
  Legacy:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Edge
      Port: 8443
      Protocol: HTTPS
      Certificates: [{CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/0d5e7a1c-3b2f-4c8e-9a61-2f4b8c7d9e10}]
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: "404"}}]
`

// Check reads a certificate's DomainValidationOptions: with the template's
// public zone as HostedZoneId the validation record is written there and
// ACM issues the certificate; without one check warns that CloudFormation
// would wait for it. A listener's certificate ARN the template does not
// create is warned of (the deploy refuses it unless the account has it).
func TestCheckCertificateValidation(t *testing.T) {
	warned := func(name, validate string) (string, bool) {
		res := loadText(t, name, strings.Replace(certListener33, "VALIDATE", validate, 1), nil)
		st, _ := res.Engine.Snapshot()
		cert := st.Certificates[res.PhysicalIDs["Cert"]]
		if cert == nil {
			t.Fatalf("%s: no certificate", name)
		}
		pending, unknown := false, false
		for _, w := range res.Warnings {
			pending = pending || strings.Contains(w.Msg, "PENDING_VALIDATION")
			unknown = unknown || strings.Contains(w.Msg, "Legacy: certificate arn:aws:acm:us-east-1:123456789012:certificate/0d5e7a1c") && strings.Contains(w.Msg, "CertificateNotFound")
		}
		if !unknown {
			t.Errorf("%s: no warning of the Legacy listener's certificate in %v", name, res.Warnings)
		}
		return cert.Status, pending
	}
	if status, pending := warned("zoned.yaml", "DomainValidationOptions: [{DomainName: tickets.example.org, HostedZoneId: !Ref Zone}]"); status != "ISSUED" || pending {
		t.Errorf("validated in the template's zone: %s (warned pending: %v), want ISSUED without a warning", status, pending)
	}
	// a zone of the account check cannot see (christoferson/aws-cloudformation's
	// certificate template takes its id as a parameter): a stand-in zone
	if status, pending := warned("account.yaml", "DomainValidationOptions: [{DomainName: tickets.example.org, HostedZoneId: Z0ACCOUNTZONE1234}]"); status != "ISSUED" || pending {
		t.Errorf("validated in a zone of the account: %s (warned pending: %v), want ISSUED without a warning", status, pending)
	}
	if status, pending := warned("bare.yaml", ""); status != "PENDING_VALIDATION" || !pending {
		t.Errorf("with no zone to validate in: %s (warned pending: %v), want PENDING_VALIDATION and a warning", status, pending)
	}
}
