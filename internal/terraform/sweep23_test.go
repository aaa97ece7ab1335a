package terraform_test

import (
	"strings"
	"testing"
)

// TestSweep23CertificateIssue: a listener naming a certificate the
// configuration requests from ACM is created by Terraform as soon as the
// certificate exists, but ACM issues it only once it is validated, and
// ELB refuses a listener naming a certificate not yet issued
// (UnsupportedCertificate). ecsnet's ACM issues at once, so the listener
// was made without a word: it now warns when nothing validates the
// certificate, and when a validation exists that the listener does not
// wait for; a listener naming the validation's certificate_arn is quiet.
func TestSweep23CertificateIssue(t *testing.T) {
	res := load(t, "testdata/sweep23-acm-issue", nil)
	var plain, racing, waiting bool
	for _, w := range res.Warnings {
		switch {
		case strings.Contains(w.Msg, "aws_lb_listener.plain names aws_acm_certificate.plain, which nothing in the configuration validates") &&
			strings.Contains(w.Msg, "UnsupportedCertificate") && w.Line == 45:
			plain = true
		case strings.Contains(w.Msg, "aws_lb_listener.racing names aws_acm_certificate.validated but does not depend on aws_acm_certificate_validation.validated"):
			racing = true
		case strings.Contains(w.Msg, "aws_lb_listener.waiting"):
			waiting = true
		}
	}
	if !plain || !racing || waiting {
		t.Errorf("warnings: unvalidated %v, racing %v (want both), waiting %v (want none):\n%v", plain, racing, waiting, res.Warnings)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Listeners) != 3 {
		t.Errorf("%d listeners, want the three made (ecsnet's ACM issues at once)", len(st.Listeners))
	}
}
