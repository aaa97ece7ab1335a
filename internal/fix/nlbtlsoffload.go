package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// nlbTLSOffloadFixes: a Network Load Balancer's TLS listener forwards the
// decrypted bytes in plain through a target group of protocol TCP to
// applications that serve TLS (reach.CodeNLBTLSListenerPlainToTLSTarget).
// A target group's protocol cannot be modified, so the load balancer
// re-encrypts through a copy of the group of protocol TLS (the listeners
// forwarding to it, the services registering in it: copyTargetGroup);
// verified by the probe.
func (f *finder) nlbTLSOffloadFixes(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	tg := f.st.TargetGroups[x.Component.ARN]
	if tg == nil || tg.Protocol != "TCP" {
		return nil
	}
	return f.copyTargetGroup(tg, "TLS", "", "tls",
		func(name, svcs string) string {
			return fmt.Sprintf("Forward to a new target group %s of protocol TLS instead of %s (TCP), and %s", name, tg.Name, registerIn(svcs))
		},
		"The TLS listener ends the clients' TLS; a target group of protocol TCP then sends the decrypted bytes in plain, which an application serving TLS rejects. "+
			"A target group of protocol TLS opens a new TLS connection to each target (the load balancer does not validate the targets' certificates). "+
			"A target group's protocol cannot be modified: a copy of the group of protocol TLS, the listener forwarding to it, and its targets registered there (a service's by a new deployment). "+
			"Or a TCP listener in front of the TCP group passes the clients' TLS through to the application untouched.",
		fmt.Sprintf("target_groups:\n  %s:\n    protocol: TLS\n", tg.Name))
}
