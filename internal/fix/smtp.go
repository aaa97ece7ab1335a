package fix

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// smtpSubmissionPort: a connection to port 25 on the internet, which
// Amazon EC2 restricts by default (reach.CodeSMTPPort25Restricted). The
// mail client sends on the submission port 587 (STARTTLS) instead, which
// Amazon SES and the other mail services take ("Connecting to an Amazon
// SES SMTP endpoint"); nothing in the system changes, and the same probe
// on 587 verifies it (the security groups and network ACLs on the way may
// still stop it).
func (f *finder) smtpSubmissionPort(x reach.Explanation) []Fix {
	host, port, ok := strings.Cut(f.to, ":")
	if !ok || port != strconv.Itoa(reach.SMTPPort) {
		return nil
	}
	to := host + ":587"
	return []Fix{{
		score: 8, Kind: "client-port",
		Title: fmt.Sprintf("Send mail to %s on port 587 (STARTTLS) instead of 25, which Amazon EC2 restricts", host),
		Detail: "EC2 lets no connection out to port 25 on the internet unless AWS removed the account's email sending limitations (a request, per Region). " +
			"Mail services take authenticated submissions on 587 or 2587 (STARTTLS) and 465 (TLS): point the client's SMTP settings there. " +
			"Alternatively send through an interface endpoint of SES's SMTP interface (com.amazonaws.<region>.email-smtp), which is not restricted.",
		Commands:     []string{fmt.Sprintf("openssl s_client -starttls smtp -connect %s -crlf -quiet   # from the task (ECS Exec)", to)},
		Scenario:     "# no change: the mail client's SMTP port is 587\nexpect:\n  - {from: " + f.from + ", to: \"" + to + "\", verdict: connected}\n",
		apply:        func(*engine.Engine) error { return nil },
		Verification: Verification{From: f.from, To: to, Protocol: "tcp"},
	}}
}
