package reach

import (
	"cmp"
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
// task execution role) [choice]. Conditions: aws:ResourceAccount (the
// account of the resource's ARN: a secret's owner; ECR's layer bucket
// belongs to an AWS account, never the caller's) and
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
	return "arn:" + model.Partition(region) + ":s3:::prod-" + region + "-starport-layer-bucket/*"
}

// ecrLayerObject is an object of that bucket, as a layer download asks it.
func ecrLayerObject(region string) string {
	return "arn:" + model.Partition(region) + ":s3:::prod-" + region + "-starport-layer-bucket/docker/registry/v2/blobs/sha256/layer"
}

// ECRLayerBucket is ecrLayerBucket, for fixes.
func ECRLayerBucket(region string) string { return ecrLayerBucket(region) }

// s3GatewayPolicy checks the policy of the S3 gateway endpoint on the
// ENI's route table for a layer download (s3:GetObject on ECR's layer
// bucket of region). It returns the endpoint that denies it, or nil.
func (c *pullCheck) s3GatewayPolicy(region string) *endpointNode {
	return c.s3GatewayPolicyOn(region, ecrLayerObject(region))
}

// s3GatewayPolicyOn checks the policy of the S3 gateway endpoint on the
// ENI's route table for s3:GetObject on object (an S3 object ARN of a
// bucket of region). It returns the endpoint that denies it, or nil.
func (c *pullCheck) s3GatewayPolicyOn(region, object string) *endpointNode {
	sn := c.src.subnet
	if sn == nil || sn.rt == nil {
		return nil
	}
	for _, ep := range c.n.st.VpcEndpoints {
		if ep.Type != "Gateway" || ep.ServiceName != "com.amazonaws."+region+".s3" || !slices.Contains(ep.RouteTables, sn.rt.rt.ID) {
			continue
		}
		if !PolicyAllows(ep.PolicyDocument, "s3:GetObject", object, c.n.st.Account) {
			return c.n.endpoint(ep.ID)
		}
	}
	return nil
}

// interfacePolicy checks the policy of the interface endpoint through
// which the ENI reaches svc of the VPC's region (the endpoint its private
// DNS name resolves to) for action on resource. It returns the endpoint
// that does not allow it, or nil (no endpoint: the public service, which
// no endpoint policy governs).
func (c *pullCheck) interfacePolicy(svc, action string, resource func() string) *endpointNode {
	ep, _, ok := c.n.serviceEndpoint(c.src.eni.VpcID, svc, c.src.eni.AvailabilityZone)
	// The default policy (none given) allows everything: no resource is
	// built for it, so the common start check allocates nothing here.
	if !ok || strings.TrimSpace(ep.PolicyDocument) == "" || PolicyAllows(ep.PolicyDocument, action, resource(), c.n.st.Account) {
		return nil
	}
	return c.n.endpoint(ep.ID)
}

// EndpointNeeds is what a start path asks of the endpoint of a service
// (its last name part: "ecr.api", "ecr.dkr", "s3"): the actions and the
// resource its policy must allow, for the fixes.
func EndpointNeeds(serviceName, region, account string) ([]string, string) {
	switch {
	case strings.HasSuffix(serviceName, ".ecr.api"):
		return []string{"ecr:GetAuthorizationToken"}, "*"
	case strings.HasSuffix(serviceName, ".ecr.dkr"):
		return []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, "arn:" + model.Partition(region) + ":ecr:" + region + ":" + account + ":repository/*"
	case strings.HasSuffix(serviceName, ".s3"):
		return []string{"s3:GetObject"}, ecrLayerBucket(region)
	case strings.HasSuffix(serviceName, ".secretsmanager"):
		return []string{"secretsmanager:GetSecretValue"}, "arn:" + model.Partition(region) + ":secretsmanager:" + region + ":" + account + ":secret:*"
	case strings.HasSuffix(serviceName, ".ssm"):
		return []string{"ssm:GetParameters"}, "arn:" + model.Partition(region) + ":ssm:" + region + ":" + account + ":parameter/*"
	}
	return nil, ""
}

// endpointDenied is the AccessDeniedException a service answers a call
// that no statement of the endpoint's policy allows (IAM User Guide,
// "Access denied error messages": "… is not authorized to perform: …
// because no VPC endpoint policy allows the … action"). The principal is
// the task execution role's session [choice: the session name is left
// out].
func (c *pullCheck) endpointDenied(action, resource string) string {
	who := "arn:" + model.Partition(c.n.st.Region) + ":sts::" + c.n.st.Account + ":assumed-role/" + cmp.Or(roleName(c.execRole), "ecsTaskExecutionRole")
	return "AccessDeniedException: User: " + who + " is not authorized to perform: " + action + " on resource: " + resource +
		" because no VPC endpoint policy allows the " + action + " action"
}

// roleName is the name of a role given by name or ARN.
func roleName(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
