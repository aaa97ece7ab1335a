package reach

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// SMTPPort is the port of SMTP relay between mail servers, which Amazon
// EC2 restricts on the way out to the internet.
const SMTPPort = 25

// port25Drop drops a TCP connection to port 25 that leaves for the
// internet (through an internet gateway, an egress-only internet gateway
// or a NAT gateway): "Amazon EC2 restricts port 25 by default" on every
// instance and network interface, tasks' included (Amazon SES Developer
// Guide, "Amazon SES SMTP issues"; EC2's Request to Remove Email Sending
// Limitations lifts it per account and Region, which ecsnet does not
// model [choice]). A connection that stays private (an interface
// endpoint of SES's SMTP interface, a peered or on-premises relay) is not
// restricted ("Alternatively, you can send email using a different port,
// or use an Amazon VPC endpoint", "Connecting to an Amazon SES SMTP
// endpoint"). It reports whether it dropped the connection.
func (t *tracer) port25Drop(fs *flowState, path *[]Hop, gw *Component, f *flow, p Packet) bool {
	if f.dport != SMTPPort || t.proto != model.TCP {
		return false
	}
	dst := f.dst
	seq := t.add(path, false, Hop{Action: ActionDropped, Blocked: true, Component: gw, Packet: p})
	t.block(fs, Timeout, func() Explanation {
		m := "Amazon EC2 restricts outbound connections to port " + strconv.Itoa(SMTPPort) + " (SMTP) from every instance and network interface by default, so " +
			gw.Label() + " never delivers the connection to " + dst.String() + ":" + strconv.Itoa(SMTPPort) +
			" and the client's connect times out. Send on 587 or 2587 (STARTTLS) or 465 (TLS), which mail services such as Amazon SES accept, " +
			"send through a VPC endpoint of SES's SMTP interface, or ask AWS to remove the account's email sending limitations"
		return Explanation{Code: CodeSMTPPort25Restricted, Path: "forward", Hop: seq, Component: gw, Address: dst, Port: SMTPPort, Message: m, clause: m}
	})
	return true
}
