// Package ec2 serves Amazon EC2 (the ec2 query protocol): VPC networking,
// instances, launch templates, endpoints, tags and Network Insights.
package ec2

import "github.com/ecsnet/ecsnet/internal/api"

// Register adds the EC2 handlers to r.
func Register(r *api.Registry) {
	registerVPCs(r)
	registerRoutes(r)
	registerEgressOnlyIGWs(r)
	registerBPA(r)
	registerFlowLogs(r)
	registerEndpointServices(r)
	registerSecurity(r)
	registerENIs(r)
	registerInstances(r)
	registerEndpoints(r)
	registerPeering(r)
	registerTGW(r)
	registerVPN(r)
	registerPrefixLists(r)
	registerDhcp(r)
	registerVolumes(r)
	registerSpot(r)
	registerFleets(r)
	registerKeyPairs(r)
	registerPlacementGroups(r)
	registerStaleSecurityGroups(r)
	registerImages(r)
	registerCredits(r)
	registerTags(r)
	registerInsights(r)
}
