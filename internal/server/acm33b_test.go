package server_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	clb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	clbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"
)

// TestACM33bListenersRefuseCertificatesNotIssued: ELB refuses an ACM
// certificate that is still PENDING_VALIDATION. ELBv2's CreateListener,
// ModifyListener and AddListenerCertificates answer UnsupportedCertificate
// ("The certificate '…' must have a fully-qualified domain name, a
// supported signature, and a supported key size.", the error of a
// listener Terraform creates before aws_acm_certificate_validation
// completes); Classic's CreateLoadBalancer, CreateLoadBalancerListeners
// and SetLoadBalancerListenerSSLCertificate answer CertificateNotFound.
// Once the validation CNAME is in the account's public zone, ACM issues
// the certificate and every one of those calls accepts it. Before this
// round ELB took the pending certificate.
func TestACM33bListenersRefuseCertificatesNotIssued(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	r53 := route53Client(em.URL)
	c := sdkClients(em.URL)
	classic := classicClient(em.URL)
	z, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("pay.example.net"), CallerReference: aws.String("acm33b")})
	must(t, err)
	zone := strings.TrimPrefix(aws.ToString(z.HostedZone.Id), "/hostedzone/")

	// issued: CloudFormation writes its record (HostedZoneId)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("issued"), TemplateBody: aws.String(cfn33Template("refunds", zone))})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	issued := stackPhysicalIDs(t, cf, "issued")["Cert"]
	// pending: nothing writes its record
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("pending"), TemplateBody: aws.String(cfn33Template("checkout", ""))})
	must(t, err)
	pendingStack := aws.ToString(out.StackId)
	var pending string
	eventually(t, "the pending certificate's physical id", func() bool {
		pending = stackPhysicalIDs(t, cf, "pending")["Cert"]
		return strings.HasPrefix(pending, "arn:aws:acm:")
	})
	if !strings.HasPrefix(issued, "arn:aws:acm:") || issued == pending {
		t.Fatalf("certificates %q and %q", issued, pending)
	}

	subnets := round32Subnets(t, c)
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("edge"),
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Subnets: subnets})
	must(t, err)
	lbARN := lb.LoadBalancers[0].LoadBalancerArn
	fixed := []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("404")}}}
	https := func(port int32, cert string) (*elbv2.CreateListenerOutput, error) {
		return c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Port: aws.Int32(port), Protocol: elbtypes.ProtocolEnumHttps,
			Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(cert)}}, DefaultActions: fixed})
	}
	refused := func(what string, err error, code, msg string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != msg {
			t.Errorf("%s with the pending certificate: %v, want %s: %s", what, err, code, msg)
		}
	}
	unsupported := "The certificate '" + pending + "' must have a fully-qualified domain name, a supported signature, and a supported key size."
	notFound := "Server Certificate not found for the key: " + pending

	_, err = https(443, pending)
	refused("CreateListener", err, "UnsupportedCertificate", unsupported)
	l443, err := https(443, issued)
	must(t, err)
	_, err = c.elb.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: l443.Listeners[0].ListenerArn,
		Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(pending)}}})
	refused("AddListenerCertificates", err, "UnsupportedCertificate", unsupported)
	l80, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp, DefaultActions: fixed})
	must(t, err)
	modify := func() error {
		_, err := c.elb.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l80.Listeners[0].ListenerArn, Protocol: elbtypes.ProtocolEnumHttps,
			Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(pending)}}})
		return err
	}
	refused("ModifyListener", modify(), "UnsupportedCertificate", unsupported)

	classicHTTPS := func(cert string) clbtypes.Listener {
		return clbtypes.Listener{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstanceProtocol: aws.String("HTTP"), InstancePort: aws.Int32(80), SSLCertificateId: aws.String(cert)}
	}
	_, err = classic.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String("old"), Subnets: subnets, Scheme: aws.String("internal"),
		Listeners: []clbtypes.Listener{classicHTTPS(pending)}})
	refused("Classic CreateLoadBalancer", err, "CertificateNotFound", notFound)
	_, err = classic.CreateLoadBalancer(ctx, &clb.CreateLoadBalancerInput{LoadBalancerName: aws.String("old"), Subnets: subnets, Scheme: aws.String("internal"),
		Listeners: []clbtypes.Listener{classicHTTPS(issued)}})
	must(t, err)
	addClassic := func() error {
		l := classicHTTPS(pending)
		l.LoadBalancerPort = 8443
		_, err := classic.CreateLoadBalancerListeners(ctx, &clb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("old"), Listeners: []clbtypes.Listener{l}})
		return err
	}
	refused("Classic CreateLoadBalancerListeners", addClassic(), "CertificateNotFound", notFound)
	setClassic := func() error {
		_, err := classic.SetLoadBalancerListenerSSLCertificate(ctx, &clb.SetLoadBalancerListenerSSLCertificateInput{LoadBalancerName: aws.String("old"),
			LoadBalancerPort: 443, SSLCertificateId: aws.String(pending)})
		return err
	}
	refused("Classic SetLoadBalancerListenerSSLCertificate", setClassic(), "CertificateNotFound", notFound)

	// The validation record, as the certificate's owner writes it: ACM
	// issues the certificate and ELB takes it.
	var name, value string
	for _, e := range stackEventsOf(t, cf, pendingStack) {
		if reason, ok := strings.CutPrefix(e, "Cert CREATE_IN_PROGRESS "); ok {
			if m := dnsRecordRE.FindStringSubmatch(reason); m != nil {
				name, value = m[1], m[2]
			}
		}
	}
	if name == "" {
		t.Fatalf("no DNS record event of the pending certificate in %q", stackEventsOf(t, cf, pendingStack))
	}
	_, err = r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(zone),
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert,
			ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String(name), Type: r53types.RRTypeCname, TTL: aws.Int64(300),
				ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(value)}}}}}}})
	must(t, err)
	waitStackFor(t, cf, pendingStack, cfntypes.StackStatusCreateComplete, 10*time.Second)

	_, err = https(8443, pending)
	must(t, err)
	_, err = c.elb.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: l443.Listeners[0].ListenerArn,
		Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(pending)}}})
	must(t, err)
	must(t, modify())
	must(t, addClassic())
	must(t, setClassic())
}

// TestTerraformApplyACM33bCertificateValidation: terraform apply of a
// certificate validated by DNS (its records for_each over
// domain_validation_options in a public zone, aws_acm_certificate_validation
// waiting for the issue) and an HTTPS listener naming the validation's
// certificate_arn applies cleanly, plans empty and destroys; a listener
// naming a certificate nothing validates fails the apply as on AWS
// (UnsupportedCertificate). Before, ELB took the pending certificate and
// the second apply went through.
func TestTerraformApplyACM33bCertificateValidation(t *testing.T) {
	terraformApply(t, "../../scripts/terraform-apply/configs/acm-https", "us-east-1", "")
	terraformApply(t, "testdata/acm33b-unvalidated", "us-east-1", "UnsupportedCertificate: The certificate 'arn:aws:acm:us-east-1:")
}
