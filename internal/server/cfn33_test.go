package server_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// cfn33CertTemplate is a DNS-validated certificate and a parameter that
// names it (so CloudFormation creates it only once the certificate is
// issued). ZONE becomes the DomainValidationOptions' HostedZoneId line.
const cfn33CertTemplate = `
Resources:
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: NAME.pay.example.net
      ValidationMethod: DNS
      DomainValidationOptions:
        - DomainName: NAME.pay.example.net
          ZONE
  CertName:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !Ref Cert}
`

func cfn33Template(name, zone string) string {
	body := strings.ReplaceAll(cfn33CertTemplate, "NAME", name)
	if zone == "" {
		return strings.Replace(body, "ZONE", "ValidationDomain: pay.example.net", 1)
	}
	return strings.Replace(body, "ZONE", "HostedZoneId: "+zone, 1)
}

// dnsRecordRE is CloudFormation's event of a certificate waiting for its
// DNS validation.
var dnsRecordRE = regexp.MustCompile(`^Content of DNS Record is: \{Name: (\S+),Type: CNAME,Value: (\S+)\}$`)

// TestCfn33CertificateWaitsForValidation: a DNS-validated certificate keeps
// its stack CREATE_IN_PROGRESS, its event naming the validation record, and
// holds back what names it until the record is in a public hosted zone of
// the account; written there (by its owner), ACM issues it and the stack
// completes. With DomainValidationOptions' HostedZoneId, CloudFormation
// writes the record itself and the stack completes alone (deleting it
// removes the record). One never validated fails after CloudFormation's
// 12 hours and rolls back. Before round thirty-three ACM issued every
// certificate at once.
func TestCfn33CertificateWaitsForValidation(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	r53 := route53Client(em.URL)
	z, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("pay.example.net"), CallerReference: aws.String("cfn33")})
	must(t, err)
	zone := strings.TrimPrefix(aws.ToString(z.HostedZone.Id), "/hostedzone/")

	// 1. No HostedZoneId: the stack waits for the owner's record.
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("owner"), TemplateBody: aws.String(cfn33Template("checkout", ""))})
	must(t, err)
	id := aws.ToString(out.StackId)
	eventually(t, "the certificate's DNS record event", func() bool {
		return slices.ContainsFunc(stackEventsOf(t, cf, id), func(e string) bool {
			reason, ok := strings.CutPrefix(e, "Cert CREATE_IN_PROGRESS ")
			return ok && dnsRecordRE.MatchString(reason)
		})
	})
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("a certificate waiting for its DNS record: stack %s, want CREATE_IN_PROGRESS", st)
	}
	var name, value string
	for _, e := range stackEventsOf(t, cf, id) {
		if reason, ok := strings.CutPrefix(e, "Cert CREATE_IN_PROGRESS "); ok {
			if m := dnsRecordRE.FindStringSubmatch(reason); m != nil {
				name, value = m[1], m[2]
			}
		}
		if strings.HasPrefix(e, "CertName ") {
			t.Errorf("the parameter naming the pending certificate was created: %q", e)
		}
	}
	if !strings.HasSuffix(name, ".checkout.pay.example.net.") || !strings.HasSuffix(value, ".acm-validations.aws.") {
		t.Fatalf("no DNS record event of the certificate in %q", stackEventsOf(t, cf, id))
	}
	_, err = r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: aws.String(zone),
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert,
			ResourceRecordSet: &r53types.ResourceRecordSet{Name: aws.String(name), Type: r53types.RRTypeCname, TTL: aws.Int64(300),
				ResourceRecords: []r53types.ResourceRecord{{Value: aws.String(value)}}}}}}})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	if ids := stackPhysicalIDs(t, cf, "owner"); ids["CertName"] == "" {
		t.Errorf("the parameter naming the certificate was not created once it was issued: %v", ids)
	}

	// 2. HostedZoneId: CloudFormation writes the record; deleting the
	// stack removes it.
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("zoned"), TemplateBody: aws.String(cfn33Template("refunds", zone))})
	must(t, err)
	id = aws.ToString(out.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	records := func() []string {
		rs, err := r53.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zone)})
		must(t, err)
		var out []string
		for _, r := range rs.ResourceRecordSets {
			if r.Type == r53types.RRTypeCname {
				out = append(out, aws.ToString(r.Name))
			}
		}
		return out
	}
	if rs := records(); len(rs) != 2 || !strings.Contains(strings.Join(rs, " "), ".refunds.pay.example.net.") {
		t.Errorf("CNAME records %v, want checkout's and the one CloudFormation wrote for refunds", rs)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)
	if rs := records(); len(rs) != 1 || strings.Contains(rs[0], "refunds") {
		t.Errorf("CNAME records after the delete %v, want checkout's only", rs)
	}

	// 3. Never validated: CloudFormation gives up after 12 hours.
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("never"), TemplateBody: aws.String(cfn33Template("ledger", ""))})
	must(t, err)
	id = aws.ToString(out.StackId)
	clk.Advance(11 * time.Hour)
	time.Sleep(300 * time.Millisecond)
	if st := stackStatus(t, cf, id); st != cfntypes.StackStatusCreateInProgress {
		t.Fatalf("11 hours on: %s, want CREATE_IN_PROGRESS", st)
	}
	clk.Advance(2 * time.Hour)
	waitStack(t, cf, id, cfntypes.StackStatusRollbackComplete)
	if reason := failedEvent(t, cf, id, "Cert"); reason != "Resource timed out waiting for completion" {
		t.Errorf("the certificate failed with %q", reason)
	}
}
