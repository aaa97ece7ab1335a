package reach

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Endpoint policies. A VPC endpoint's policy is a resource policy that
// every request through the endpoint must pass, besides the caller's IAM
// policies (AWS PrivateLink Guide, "Control access to VPC endpoints using
// endpoint policies": "an explicit deny in any of these policies
// overrides the allow"; the default policy allows everything). ecsnet
// evaluates it for the requests a start path makes. It models no IAM
// principal: a statement's Principal is taken to match the caller (the
// task execution role) [choice]. Conditions: aws:ResourceAccount (ECR's
// layer bucket belongs to an AWS account, never the caller's) and
// aws:PrincipalAccount (the caller's account) are evaluated with the
// String operators; a condition on any other key is taken to hold in an
// Allow and not to hold in a Deny, so that the analyzer reports no denial
// it cannot show [choice].

// PolicyAllows reports whether an endpoint policy document allows action
// on resource: an explicit Deny that matches wins, else an Allow must
// match (the implicit deny). A document that does not parse allows
// nothing; an empty one is the default policy (everything).
func PolicyAllows(doc, action, resource, account string) bool {
	if strings.TrimSpace(doc) == "" {
		return true
	}
	allow, deny := model.PolicyDecision(doc, action, resource, account)
	return allow && !deny
}

// ecrLayerBucket is the S3 bucket ECR keeps a region's image layers in
// (Amazon ECR User Guide, "Minimum Amazon S3 bucket permissions for
// Amazon ECR": arn:aws:s3:::prod-region-starport-layer-bucket/*).
func ecrLayerBucket(region string) string {
	return "arn:aws:s3:::prod-" + region + "-starport-layer-bucket/*"
}

// ecrLayerObject is an object of that bucket, as a layer download asks it.
func ecrLayerObject(region string) string {
	return "arn:aws:s3:::prod-" + region + "-starport-layer-bucket/docker/registry/v2/blobs/sha256/layer"
}

// ECRLayerBucket is ecrLayerBucket, for fixes.
func ECRLayerBucket(region string) string { return ecrLayerBucket(region) }

// s3GatewayPolicy checks the policy of the S3 gateway endpoint on the
// ENI's route table for a layer download (s3:GetObject on ECR's layer
// bucket of region). It returns the endpoint that denies it, or nil.
func (c *pullCheck) s3GatewayPolicy(region string) *endpointNode {
	sn := c.src.subnet
	if sn == nil || sn.rt == nil {
		return nil
	}
	for _, ep := range c.n.st.VpcEndpoints {
		if ep.Type != "Gateway" || ep.ServiceName != "com.amazonaws."+region+".s3" || !slices.Contains(ep.RouteTables, sn.rt.rt.ID) {
			continue
		}
		if !PolicyAllows(ep.PolicyDocument, "s3:GetObject", ecrLayerObject(region), c.n.st.Account) {
			return c.n.endpoint(ep.ID)
		}
	}
	return nil
}
