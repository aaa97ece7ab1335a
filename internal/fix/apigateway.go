package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// apiGatewayPrivateDNSOff: a public API Gateway API called by its default
// invoke name from a VPC whose execute-api interface endpoint has private
// DNS (reach.CodeAPIGatewayPublicThroughEndpoint). The endpoint's private
// DNS off, the invoke name resolves to API Gateway's public addresses
// again (through the NAT gateway or the internet gateway); private APIs
// are then called by their endpoint-specific names (AWS re:Post Knowledge
// Center, "Why do I get an HTTP 403 Forbidden error when connecting to my
// API Gateway APIs from a VPC?"; API Gateway developer guide, "Invoke a
// private API"). The other remedy, a custom domain name for the public
// API, is outside what ecsnet models.
func (f *finder) apiGatewayPrivateDNSOff(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "vpc-endpoint" {
		return nil
	}
	id := model.VpcEndpointID(x.Component.ID)
	ep := f.st.VpcEndpoints[id]
	if ep == nil || !ep.PrivateDNSEnabled {
		return nil
	}
	name := x.Component.Label()
	return []Fix{{
		score: 6, Kind: "vpc-endpoints",
		Title: fmt.Sprintf("Turn private DNS off on the interface endpoint %s (execute-api), so public APIs' invoke names resolve publicly again", name),
		Detail: "With private DNS on, *.execute-api.<region>.amazonaws.com resolves to the endpoint for every API of the Region, and the endpoint carries calls to private APIs only. " +
			"Off, public APIs are reached through the NAT gateway (or a public IP); call private APIs by their endpoint-specific names (API_ID-VPCE_ID.execute-api.<region>.amazonaws.com) " +
			"or the endpoint's own DNS name with the Host or x-apigw-api-id header. Alternatively keep private DNS and give the public API a custom domain name.",
		Commands: []string{fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --no-private-dns-enabled", id)},
		Scenario: fmt.Sprintf("vpc_endpoints:\n  %s: {…, private_dns: false}\n", name),
		apply: func(e *engine.Engine) error {
			off := false
			_, err := e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: id, PrivateDNSEnabled: &off})
			return err
		},
	}}
}
