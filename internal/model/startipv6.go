package model

import "strings"

// StartPathName is how a client without an IPv4 address (a network
// interface of an IPv6-only subnet) reaches one registry or AWS service
// of a task's start path: the name the ECS agent (or Fargate) calls there,
// and whether that name answers over IPv6. It is ecsnet's one table of
// which start-path names are dual-stack; docs/aws-behavior.md gives each
// row's source.
type StartPathName struct {
	// Service is the start path's name for the step: ecr.api (registry
	// auth), ecr.dkr (a registry's IPv4-only name), ecr.dkr-dualstack (its
	// dual-stack name), s3 and s3-dualstack (ECR's layers behind each),
	// secretsmanager, ssm, logs, ecs, ecs-agent, ecs-telemetry,
	// public.ecr.aws, ecr-public.aws.com (ECR Public's dual-stack name)
	// and docker.io.
	Service string
	// Host is the name called, REGION standing for the region and ACCOUNT
	// for the registry's account.
	Host string
	// IPv6 reports that Host has IPv6 addresses: an IPv6-only client
	// reaches it through an egress-only or internet gateway. Without,
	// only DNS64 and NAT64 reach it.
	IPv6 bool
	// Probable marks a row AWS does not document as such (which name the
	// agent calls from an IPv6-only interface, or whether a name has
	// AAAA records).
	Probable bool
}

// StartPathNames is the table, in the start path's order.
func StartPathNames() []StartPathName {
	return []StartPathName{
		// ECS: "In an IPv6-only configuration, Amazon ECS workloads must use
		// the Amazon ECR dual-stack image URI endpoints"; the registry auth
		// the agent fetches for them, by ECR's dual-stack API name.
		{Service: "ecr.api", Host: "ecr.REGION.api.aws", IPv6: true, Probable: true},
		{Service: "secretsmanager", Host: "secretsmanager.REGION.api.aws", IPv6: true, Probable: true},
		{Service: "ssm", Host: "ssm.REGION.api.aws", IPv6: true, Probable: true},
		// ECR's IPv4-only and dual-stack registry names (ECR User Guide,
		// "Making requests to Amazon ECR registries").
		{Service: "ecr.dkr", Host: "ACCOUNT.dkr.ecr.REGION.amazonaws.com"},
		{Service: "ecr.dkr-dualstack", Host: "ACCOUNT.dkr-ecr.REGION.on.aws", IPv6: true},
		// ECR's layers, from S3: the IPv4-only bucket name behind the
		// classic registry name, S3's dual-stack name behind the
		// dual-stack one.
		{Service: "s3", Host: "prod-REGION-starport-layer-bucket.s3.REGION.amazonaws.com"},
		{Service: "s3-dualstack", Host: "prod-REGION-starport-layer-bucket.s3.dualstack.REGION.amazonaws.com", IPv6: true, Probable: true},
		// ECR Public: public.ecr.aws is its IPv4 name, ecr-public.aws.com
		// its dual-stack one (ECR Public User Guide, "Making requests to
		// Amazon ECR Public registries").
		{Service: "public.ecr.aws", Host: "public.ecr.aws"},
		{Service: "ecr-public.aws.com", Host: "ecr-public.aws.com", IPv6: true},
		// Docker Hub's registry answers over IPv4 only.
		{Service: "docker.io", Host: "registry-1.docker.io", Probable: true},
		{Service: "logs", Host: "logs.REGION.api.aws", IPv6: true, Probable: true},
		// The ECS agent (1.99.1 and later) detects an IPv6-only instance
		// by its default routes and calls ECS by its dual-stack name
		// (ECS Developer Guide, "Using a VPC in IPv6-only mode";
		// "Using Amazon ECS dual-stack endpoints": ecs.REGION.api.aws). The
		// names of its communication and telemetry services are those
		// DiscoverPollEndpoint answers: their dual-stack form is taken.
		{Service: "ecs", Host: "ecs.REGION.api.aws", IPv6: true},
		{Service: "ecs-agent", Host: "ecs-a-1.REGION.api.aws", IPv6: true, Probable: true},
		{Service: "ecs-telemetry", Host: "ecs-t-1.REGION.api.aws", IPv6: true, Probable: true},
	}
}

// StartPathNameOf returns the table's row of a service, with REGION and
// ACCOUNT filled in; ok is false for a service the table does not hold
// (another registry, an AWS service off the start path), which is taken
// to answer over IPv4 only.
func StartPathNameOf(service, region, account string) (StartPathName, bool) {
	for _, r := range StartPathNames() {
		if r.Service == service {
			r.Host = strings.NewReplacer("REGION", region, "ACCOUNT", account).Replace(r.Host)
			if strings.HasPrefix(region, "cn-") {
				// China's suffixes: amazonaws.com.cn, and for dual-stack
				// names api.amazonwebservices.com.cn (botocore
				// partitions.json, dualStackDnsSuffix) and ECR's
				// on.amazonwebservices.com.cn.
				r.Host = strings.NewReplacer(".api.aws", ".api.amazonwebservices.com.cn", ".on.aws", ".on.amazonwebservices.com.cn", ".amazonaws.com", ".amazonaws.com.cn").Replace(r.Host)
			}
			return r, true
		}
	}
	return StartPathName{}, false
}
