package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// acm33bBase is a load balancer and a public zone of the certificates'
// domain; each test adds its certificate, records and validation.
const acm33bBase = `provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.40.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_lb" "front" {
  name     = "front"
  internal = true
  subnets  = [aws_subnet.a.id, aws_subnet.b.id]
}

resource "aws_route53_zone" "pub" {
  name = "tickets.example.net"
}

resource "aws_acm_certificate" "site" {
  domain_name               = "tickets.example.net"
  subject_alternative_names = ["api.tickets.example.net"]
  validation_method         = "DNS"
}
`

// acm33bConfig writes a module of acm33bBase and more.
func acm33bConfig(t *testing.T, more string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(acm33bBase+more), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const acm33bRecords = `
resource "aws_route53_record" "check" {
  for_each = {
    for o in aws_acm_certificate.site.domain_validation_options : o.domain_name => o
  }
  zone_id = ZONE
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 300
}
`

const acm33bListener = `
resource "aws_lb_listener" "tls" {
  load_balancer_arn = aws_lb.front.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = CERT
  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      status_code  = "404"
    }
  }
}
`

// TestACM33bValidationWaitsForTheRecords: aws_acm_certificate is
// PENDING_VALIDATION when the provider creates it (its status attribute);
// the validation records of its domain_validation_options in a public
// zone get it ISSUED, so aws_acm_certificate_validation completes and the
// listener that names the validation's certificate_arn is quiet.
func TestACM33bValidationWaitsForTheRecords(t *testing.T) {
	dir := acm33bConfig(t, strings.ReplaceAll(acm33bRecords, "ZONE", "aws_route53_zone.pub.zone_id")+`
resource "aws_acm_certificate_validation" "site" {
  certificate_arn         = aws_acm_certificate.site.arn
  validation_record_fqdns = [for r in aws_route53_record.check : r.fqdn]
}

output "status_at_create" {
  value = aws_acm_certificate.site.status
}
`+strings.ReplaceAll(acm33bListener, "CERT", "aws_acm_certificate_validation.site.certificate_arn"))
	res := load(t, dir, nil)
	if got := res.Outputs["status_at_create"]; got != "PENDING_VALIDATION" {
		t.Errorf("aws_acm_certificate's status %s, want PENDING_VALIDATION (the provider does not wait)", got)
	}
	st, _ := res.Engine.Snapshot()
	for _, c := range st.Certificates {
		if c.Status != "ISSUED" {
			t.Errorf("certificate %s after its records: %s, want ISSUED", c.DomainName, c.Status)
		}
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "aws_lb_listener.tls") || strings.Contains(w.Msg, "aws_acm_certificate_validation") {
			t.Errorf("warning %s", w.Msg)
		}
	}
}

// TestACM33bValidationFailures: aws_acm_certificate_validation fails as
// the provider does when ACM does not issue the certificate: no record at
// all (its 75-minute wait, or the timeouts block's, runs out), records in
// a private zone (ACM looks in public DNS), a validation_record_fqdns
// that lacks a name's record, an imported certificate. Before, ecsnet
// took every certificate as issued.
func TestACM33bValidationFailures(t *testing.T) {
	cases := []struct {
		name, more, want string
	}{
		{"no records", `
resource "aws_acm_certificate_validation" "site" {
  certificate_arn = aws_acm_certificate.site.arn
}
`, `main.tf:38: aws_acm_certificate_validation.site: waiting for ACM Certificate (ARN) to be issued: timeout while waiting for state to become 'ISSUED' (last state: 'PENDING_VALIDATION', timeout: 1h15m0s)`},
		{"its timeout", `
resource "aws_acm_certificate_validation" "site" {
  certificate_arn = aws_acm_certificate.site.arn
  timeouts {
    create = "20m"
  }
}
`, `(last state: 'PENDING_VALIDATION', timeout: 20m0s)`},
		{"private zone", `
resource "aws_route53_zone" "inside" {
  name = "tickets.example.net"
  vpc {
    vpc_id = aws_vpc.v.id
  }
}
` + strings.ReplaceAll(acm33bRecords, "ZONE", "aws_route53_zone.inside.zone_id") + `
resource "aws_acm_certificate_validation" "site" {
  certificate_arn         = aws_acm_certificate.site.arn
  validation_record_fqdns = [for r in aws_route53_record.check : r.fqdn]
}
`, `to be issued: timeout while waiting for state to become 'ISSUED'`},
		{"a record missing", strings.ReplaceAll(acm33bRecords, "ZONE", "aws_route53_zone.pub.zone_id") + `
resource "aws_acm_certificate_validation" "site" {
  certificate_arn         = aws_acm_certificate.site.arn
  validation_record_fqdns = [aws_route53_record.check["tickets.example.net"].fqdn]
}
`, `aws_acm_certificate_validation.site: missing api.tickets.example.net DNS validation record: _`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			es := loadErrs(t, acm33bConfig(t, tc.more))
			var msgs []string
			for _, e := range es {
				msgs = append(msgs, e.Error())
			}
			got := strings.Join(msgs, "\n")
			want := tc.want
			if i := strings.Index(got, "(arn:aws:acm:"); i >= 0 && strings.Contains(want, "(ARN)") {
				j := strings.Index(got[i:], ")")
				want = strings.Replace(want, "(ARN)", got[i:i+j+1], 1)
			}
			if !strings.Contains(got, want) {
				t.Errorf("errors:\n%s\nwant one containing:\n%s", got, want)
			}
		})
	}
}

// TestACM33bListenerWithoutValidation: a listener naming a certificate
// nothing validates is kept (the analyzer checks the system as if the
// apply went through), with a warning that says ACM leaves it
// PENDING_VALIDATION, so ELB refuses the listener on AWS; with the
// configuration's records (but no validation resource to wait for) it
// says the certificate is issued only after the listener may be made.
func TestACM33bListenerWithoutValidation(t *testing.T) {
	for _, tc := range []struct{ more, want string }{
		{"", "so ecsnet leaves it PENDING_VALIDATION"},
		{strings.ReplaceAll(acm33bRecords, "ZONE", "aws_route53_zone.pub.zone_id"), "get it ISSUED here, but only after Terraform may have created the listener"},
	} {
		res := load(t, acm33bConfig(t, tc.more+strings.ReplaceAll(acm33bListener, "CERT", "aws_acm_certificate.site.arn")), nil)
		found := false
		for _, w := range res.Warnings {
			found = found || strings.Contains(w.Msg, "aws_lb_listener.tls names aws_acm_certificate.site") && strings.Contains(w.Msg, tc.want)
		}
		if !found {
			t.Errorf("no warning saying %q in %v", tc.want, res.Warnings)
		}
		st, _ := res.Engine.Snapshot()
		if len(st.Listeners) != 1 {
			t.Errorf("%d listeners, want the one the configuration makes", len(st.Listeners))
		}
	}
}

// TestACM33bValidationRecordsOutOfView: validation records ecsnet does not
// create (here through a provider of another region, as Route 53 is
// global; another DNS provider's records alike) may validate the
// certificate on AWS: the validation is warned of, not failed.
func TestACM33bValidationRecordsOutOfView(t *testing.T) {
	dir := acm33bConfig(t, `
provider "aws" {
  alias  = "dns"
  region = "us-west-2"
}

resource "aws_route53_record" "elsewhere" {
  provider = aws.dns
  for_each = {
    for o in aws_acm_certificate.site.domain_validation_options : o.domain_name => o
  }
  zone_id = "Z0123456789ABCDEFGHIJ"
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  records = [each.value.resource_record_value]
  ttl     = 300
}

resource "aws_acm_certificate_validation" "site" {
  certificate_arn         = aws_acm_certificate.site.arn
  validation_record_fqdns = [for r in aws_route53_record.elsewhere : r.fqdn]
}
`)
	res := load(t, dir, nil)
	found := false
	for _, w := range res.Warnings {
		found = found || strings.Contains(w.Msg, "aws_acm_certificate_validation.site waits for ACM") && strings.Contains(w.Msg, "aws_route53_record.elsewhere")
	}
	if !found {
		t.Errorf("no warning of the records out of view in %v", res.Warnings)
	}
}
