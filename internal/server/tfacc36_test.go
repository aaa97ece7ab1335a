package server_test

import "testing"

// TestTFAcc36ACMEmailValidation applies a certificate validated by EMAIL
// (after the provider's TestAccACMCertificate_emailValidation). The
// provider's create waits for DescribeCertificate to answer a validation
// option with a ResourceRecord or ValidationEmails; ecsnet answered an
// empty ValidationEmails list and the apply timed out. ACM answers the
// five system addresses of each name's validation domain, which the
// configuration's postcondition reads from validation_emails.
func TestTFAcc36ACMEmailValidation(t *testing.T) {
	terraformApply(t, "testdata/terraform/tfacc36-acm-email", "us-west-2", "")
}
