package reach

import (
	"strings"
)

// apiGatewayInvokeHost reports whether host (a name without its
// .amazonaws.com suffix) is an API Gateway API's default invoke name,
// API_ID.execute-api.REGION: the name every REST, HTTP and WebSocket API
// of the Region is called by, public or private. A private API's
// endpoint-specific alias (API_ID-VPCE_ID.execute-api.REGION) is not one:
// it is a public DNS record of the endpoint, which private DNS does not
// decide (API Gateway developer guide, "Invoke a private API").
func apiGatewayInvokeHost(host, region string) bool {
	id, ok := strings.CutSuffix(host, ".execute-api."+region)
	return ok && id != "" && !strings.Contains(id, ".") && !strings.Contains(id, "-vpce-")
}

// apiGatewayThroughEndpoint answers 403 Forbidden to a call of an API
// Gateway API's default invoke name that the VPC's Route 53 Resolver sent
// to an execute-api interface endpoint with private DNS: that endpoint's
// private DNS name is *.execute-api.REGION.amazonaws.com, so it takes the
// invoke name of every API of the Region, and "VPC endpoints can route
// traffic only to private APIs": a public (Regional or edge-optimized)
// API called through it answers HTTP 403 (AWS re:Post Knowledge Center,
// "Why do I get an HTTP 403 Forbidden error when connecting to my API
// Gateway APIs from a VPC?"). ecsnet models no API Gateway APIs, so it
// takes an invoke name to be a public API's, as the story's is [choice];
// a private API's call passes (its resource policy permitting), which the
// message says.
func (t *tracer) apiGatewayThroughEndpoint(fs *flowState, q *Query, dst *eniNode) {
	if q.To.Kind != KindAWSService || q.To.svcName != "execute-api" || dst == nil || dst.kind != eniEndpoint || dst.endpoint == nil || dst.endpoint.service != "execute-api" {
		return
	}
	x := dst.endpoint
	t.block(fs, HTTPVerdict(403), func() Explanation {
		m := q.To.Name + " is an API Gateway API's default invoke name, and the interface endpoint " + x.comp.Label() + " (" + x.ep.ServiceName +
			") has private DNS on: its private DNS name *.execute-api." + t.n.st.Region + ".amazonaws.com takes the invoke name of every API of the Region, so the VPC's Resolver answers " +
			dst.primary.String() + " and the call goes through the endpoint, which carries calls to private APIs only: a public (Regional or edge-optimized) API answers 403 Forbidden. " +
			"Call the public API by a custom domain name, or turn the endpoint's private DNS off and call private APIs by their endpoint-specific names (API_ID-VPCE_ID.execute-api…) " +
			"(ecsnet takes the name for a public API's; a private API's call passes, its resource policy permitting)"
		return Explanation{Code: CodeAPIGatewayPublicThroughEndpoint, Path: "forward", Component: x.comp, Decided: x.comp, Address: dst.primary, Port: 443, Message: m, clause: m}
	})
}
