package dataplane

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// port25Rule is an internet gateway's (and an egress-only internet
// gateway's) drop of the connections the VPC starts to TCP port 25:
// "Amazon EC2 restricts port 25 by default" on every instance and network
// interface (Amazon SES Developer Guide, "Amazon SES SMTP issues"), so a
// connection to port 25 that leaves for the internet (from an address of
// its own, a NAT gateway's or a NAT instance's; to the internet or back
// in to one of the system's public addresses) never arrives, as the
// analyzer decides (reach/smtp25.go, ECS_SMTP_PORT_25_RESTRICTED). It
// goes after the chain's accept of established connections: connections
// the internet starts to port 25 in the VPC are not restricted, nor are
// their replies. Connections that stay private (an interface endpoint of
// SES's SMTP interface, a peered relay) never reach a gateway.
func port25Rule() Rule {
	return Rule{IIf: "vpc", Proto: model.TCP, Ports: model.Port(reach.SMTPPort), Verdict: Verdict{Kind: "drop"},
		Comment: "EC2 restricts outbound port " + strconv.Itoa(reach.SMTPPort) + " (SMTP)"}
}
