package reach

import "testing"

// TestSMTPPort25Restricted: EC2 restricts port 25 to the internet from
// every instance and task ("Amazon SES SMTP issues"): through a NAT
// gateway and through the internet gateway on a task's own public IP the
// connect times out, while 587 leaves; SES's SMTP interface endpoint, a
// private path, takes 25.
func TestSMTPPort25Restricted(t *testing.T) {
	n := storyWith(t, "examples/failures/smtp-port-25-from-fargate.yaml", "", "")
	x := check(t, probeSpec(t, n, "web/0", "smtp.sendgrid.net:25", "tcp"), Timeout, CodeSMTPPort25Restricted)[CodeSMTPPort25Restricted]
	if x.Component == nil || x.Component.Name != "nat-a" {
		t.Errorf("decided by %+v", x.Component)
	}
	checkClean(t, probeSpec(t, n, "web/0", "smtp.sendgrid.net:587", "tcp"), Connected)

	public := storyWith(t, "examples/failures/alb-keepalive-shorter-than-idle-timeout.yaml", "", "")
	check(t, probeSpec(t, public, "api/0", "198.51.100.25:25", "tcp"), Timeout, CodeSMTPPort25Restricted)
	if r := probeSpec(t, public, "api/0", "198.51.100.25:25", "udp"); r.HasCode(CodeSMTPPort25Restricted) {
		t.Errorf("udp/25: %s", codeList(r))
	}

	ses := storyWith(t, "examples/failures/ses-smtp-endpoint-sg-https-only.yaml", "ports: 443, cidr: 10.40.0.0/16}", "ports: 443, cidr: 10.40.0.0/16}, {protocol: tcp, ports: 25, cidr: 10.40.0.0/16}")
	checkClean(t, probeSpec(t, ses, "mailer/0", "email-smtp.us-east-1.amazonaws.com:25", "tcp"), Connected)
}
