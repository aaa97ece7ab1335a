package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// healthProtocol proposes, for a target group whose HTTP health checks
// fail, the other of HTTP and HTTPS: an application that serves TLS
// answers a plain HTTP check 400 (Terraform's and the ELB API's health
// check protocol defaults to HTTP whatever the group's protocol: an
// HTTPS group, or an NLB's TCP group passing TLS through, left with
// it), and one that serves plain HTTP fails an HTTPS check's handshake.
// An ALB's group takes either health check protocol, and an NLB's TCP or
// TLS group either too (HealthCheckProtocol: HTTP, HTTPS, TCP). Verified
// by the group's targets all turning healthy, so a check that fails for
// another reason gets no such fix.
func (f *finder) healthProtocol(tg *model.TargetGroup) []Fix {
	other := map[string]string{"HTTP": "HTTPS", "HTTPS": "HTTP"}[tg.HealthCheck.Protocol]
	if other == "" {
		return nil
	}
	fx := f.modifyHealth(tg, fmt.Sprintf("Check the health of %s over %s, the protocol the application speaks on the health check port (it checks over %s)", tg.Name, other, tg.HealthCheck.Protocol),
		"--health-check-protocol "+other, "protocol: "+other, engine.ModifyTargetGroupInput{TargetGroupARN: tg.ARN, HealthCheckProtocol: &other})
	fx.score -= 2 // before a path or a matcher: the check's protocol is wrong, not what it asks
	fx.Detail = "A health check speaks its own protocol, not the target group's: an application that serves TLS answers a plain HTTP request 400, and one that serves plain HTTP fails a TLS handshake. " +
		"The load balancer does not validate the target's certificate, so a self-signed one passes an HTTPS check."
	return []Fix{fx}
}
