package reach

import "testing"

// TestSESSMTPEndpoint: SES's SMTP interface endpoint (email-smtp) answers
// its Regional name (email-smtp.REGION.amazonaws.com) with private DNS
// and serves the SMTP ports, not HTTPS ("Setting up VPC endpoints with
// Amazon SES"); its group decides which of them a sender reaches.
func TestSESSMTPEndpoint(t *testing.T) {
	const story = "examples/failures/ses-smtp-endpoint-sg-https-only.yaml"
	n := storyWith(t, story, "", "")
	x := check(t, probeSpec(t, n, "mailer/0", "email-smtp.us-east-1.amazonaws.com:587", "tcp"), Timeout, CodeSGRulesMismatch)
	if x[CodeSGRulesMismatch].Component == nil || x[CodeSGRulesMismatch].Component.Name != "endpoints-sg" {
		t.Errorf("decided by %+v", x[CodeSGRulesMismatch].Component)
	}
	open := storyWith(t, story, "ingress: [{protocol: tcp, ports: 443, cidr: 10.40.0.0/16}]", "ingress: [{protocol: tcp, ports: 0-65535, cidr: 10.40.0.0/16}]")
	for _, port := range []string{"25", "465", "587", "2465", "2587"} {
		r := probeSpec(t, open, "mailer/0", "email-smtp.us-east-1.amazonaws.com:"+port, "tcp")
		if r.Verdict != Connected {
			t.Errorf("port %s: %s: %s", port, r.Verdict, r.Summary)
		}
	}
	check(t, probeSpec(t, open, "mailer/0", "email-smtp.us-east-1.amazonaws.com:443", "tcp"), Timeout, CodeEndpointPort)
	if got := awsServiceName("bedrock-runtime.us-west-2.amazonaws.com", "us-west-2"); got != "bedrock-runtime" {
		t.Errorf("bedrock-runtime's Regional name: %q", got)
	}
}
