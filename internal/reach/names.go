package reach

import (
	"net/netip"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Endpoint kinds for names outside the modelled resources.
const (
	// KindAWSService is an AWS service by name ("ecr", "logs", "s3") or
	// DNS name ("api.ecr.us-east-1.amazonaws.com"): it resolves, as the
	// VPC's resolver would, to the VPC's interface endpoint with private
	// DNS for it, else to the service's public address.
	KindAWSService EndpointKind = "aws-service"
	// KindInternetHost is a host on the internet by DNS name ("docker.io",
	// "public.ecr.aws").
	KindInternetHost EndpointKind = "internet-host"
)

// awsServiceName maps a name people write to the AWS service (its VPC
// endpoint service suffix), or "".
func awsServiceName(s, region string) string {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	switch s {
	case "ecr", "ecr.api", "api.ecr":
		return "ecr.api"
	case "ecr.dkr", "dkr.ecr":
		return "ecr.dkr"
	case "ecs", "ecs-agent", "ecs-telemetry", "logs", "s3", "secretsmanager", "ssm", "sts", "ssmmessages", "ec2messages", "kms", "dynamodb", "cloudformation":
		return s
	case "cloudwatch-logs", "cloudwatch logs":
		return "logs"
	case "firehose", "kinesis-firehose":
		return "kinesis-firehose"
	case "kinesis", "kinesis-streams":
		return "kinesis-streams"
	case "sqs", "sns", "xray", "monitoring", "lambda", "events", "states":
		return s
	}
	host, ok := strings.CutSuffix(s, "."+model.DNSSuffix(region))
	if !ok {
		return ""
	}
	switch {
	case host == "api.ecr."+region || host == "ecr."+region:
		return "ecr.api"
	case strings.HasSuffix(host, ".dkr.ecr."+region):
		return "ecr.dkr"
	case strings.HasPrefix(host, "ecs-a-") && strings.HasSuffix(host, "."+region):
		return "ecs-agent"
	case strings.HasPrefix(host, "ecs-t-") && strings.HasSuffix(host, "."+region):
		return "ecs-telemetry"
	case host == "s3" || host == "s3."+region || strings.HasSuffix(host, ".s3."+region) || strings.HasSuffix(host, ".s3"):
		return "s3"
	case host == "sts":
		return "sts"
	case apiGatewayInvokeHost(host, region):
		return "execute-api"
	}
	if svc, ok := strings.CutSuffix(host, "."+region); ok && endpointService(svc) {
		return svc
	}
	if prefix, ok := strings.CutSuffix(host, "."+region); ok {
		return endpointHostService(prefix)
	}
	return ""
}

// endpointHostService maps the first label of a Regional service name
// (PREFIX.REGION.amazonaws.com) to the interface endpoint service whose
// private DNS answers that name, for the services beyond the start
// path's: mostly the same word, but Kinesis Data Firehose's endpoint
// (com.amazonaws.REGION.kinesis-firehose) answers firehose.REGION…, and
// Kinesis Data Streams' (kinesis-streams) kinesis.REGION… (Amazon VPC
// PrivateLink guide, "AWS services that integrate with AWS PrivateLink":
// the service names; Amazon Data Firehose developer guide, "Using
// Firehose with AWS PrivateLink"). "" for another name.
func endpointHostService(prefix string) string {
	switch prefix {
	case "firehose":
		return "kinesis-firehose"
	case "kinesis":
		return "kinesis-streams"
	case "sqs", "sns", "kms", "xray", "ssmmessages", "ec2messages", "monitoring", "lambda", "events", "states",
		"elasticloadbalancing", "servicediscovery", "elasticfilesystem", "rds", "ec2", "dynamodb":
		return prefix
	case "access-analyzer", "acm-pca", "apigateway", "appconfig", "appconfigdata", "application-autoscaling", "athena",
		"autoscaling", "backup", "batch", "bedrock", "bedrock-agent", "bedrock-agent-runtime", "bedrock-runtime",
		"cloudtrail", "codebuild", "codecommit", "codedeploy", "codedeploy-commands-secure", "codepipeline", "config",
		"datasync", "ebs", "eks", "eks-auth", "elasticache", "elasticbeanstalk", "elasticmapreduce", "email-smtp", "es",
		"git-codecommit", "glue", "rds-data", "redshift", "redshift-data", "rekognition", "securityhub",
		"servicecatalog", "textract", "transfer":
		// The other interface endpoint services whose private DNS name is
		// their Regional endpoint, PREFIX.REGION.amazonaws.com (the SES
		// SMTP interface's email-smtp.REGION…, bedrock-runtime.REGION…).
		return prefix
	}
	return ""
}

// endpointHost is the Regional name an interface endpoint service's
// private DNS answers (endpointHostService's inverse), or "".
func endpointHost(svc, region string) string {
	prefix := svc
	switch svc {
	case "kinesis-firehose":
		prefix = "firehose"
	case "kinesis-streams":
		prefix = "kinesis"
	}
	if endpointHostService(prefix) != svc {
		return ""
	}
	return prefix + "." + region + "." + model.DNSSuffix(region)
}

// legacyServiceName recognizes the names of AWS services that no
// interface endpoint's private DNS answers: Amazon SQS's legacy endpoints
// (queue.amazonaws.com, REGION.queue.amazonaws.com, which older SDKs,
// boto3 among them, still call: boto/boto3#1900, #2172, #3311) and AWS
// STS's global endpoint (sts.amazonaws.com, the SDKs' "legacy" default).
// A VPC endpoint's private DNS answers only the Regional name
// (sqs.REGION.amazonaws.com, sts.REGION.amazonaws.com: Amazon SQS
// developer guide, "Internetwork traffic privacy in Amazon SQS"; IAM user
// guide, "Create a VPC endpoint for AWS STS": "you must use the matching
// regional endpoint"), so these resolve to the service's public
// addresses from every VPC. It returns the service and its Regional name.
func legacyServiceName(s, region string) (svc, regional string) {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	suffix := "." + model.DNSSuffix(region)
	host, ok := strings.CutSuffix(s, suffix)
	if !ok {
		return "", ""
	}
	switch host {
	case "queue", region + ".queue":
		return "sqs", "sqs." + region + suffix
	case "sts":
		return "sts", "sts." + region + suffix
	case "s3":
		// S3's legacy global endpoint is us-east-1's (S3 user guide,
		// VirtualHosting.html, "Legacy global endpoint": requests to it go
		// to us-east-1; aws/aws-cli#1330): from another region's VPC it
		// resolves to us-east-1's addresses, outside the region's S3
		// prefix list, so no gateway endpoint's route carries it.
		if region != "us-east-1" && suffix == ".amazonaws.com" {
			return "s3", "s3." + region + suffix
		}
	}
	return "", ""
}

// internetHost reports whether a name is a host on the internet ecsnet
// knows how to reach: a registry, or a DNS name under a public suffix.
func internetHost(s string) bool {
	s = strings.ToLower(s)
	switch s {
	case "docker.io", "registry-1.docker.io", "index.docker.io", "public.ecr.aws", "ghcr.io", "quay.io", "gcr.io", "registry.gitlab.com":
		return true
	}
	if !strings.Contains(s, ".") || strings.ContainsAny(s, " /:") {
		return false
	}
	for _, suffix := range []string{".com", ".io", ".org", ".net", ".aws", ".dev", ".co"} {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}

// globalBucketName returns the bucket of a virtual-hosted name on S3's
// legacy global endpoint (BUCKET.s3.amazonaws.com), in the aws partition
// only (S3 user guide, VirtualHosting.html, "Legacy global endpoint").
func globalBucketName(s, region string) (string, bool) {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if model.Partition(region) != "aws" {
		return "", false
	}
	b, ok := strings.CutSuffix(s, ".s3.amazonaws.com")
	if !ok || b == "" || strings.HasPrefix(b, "s3.") {
		return "", false
	}
	return b, true
}

// globalBucketRegion is the Region whose S3 addresses a bucket's name on
// the legacy global endpoint resolves to: S3 updates DNS so that
// BUCKET.s3.amazonaws.com goes to the bucket's Region, except for a
// bucket of a Region launched after March 20, 2019 (the opt-in Regions),
// whose name keeps the default, US East (N. Virginia), which answers it
// with 400 (S3 user guide, VirtualHosting.html, "Legacy global
// endpoint"). A bucket the state does not hold is taken to be in the
// VPC's Region [choice].
func (n *Network) globalBucketRegion(bucket string) string {
	b := n.st.Buckets[bucket]
	switch {
	case b == nil || b.Region == "":
		return n.st.Region
	case model.RegionOptIn(b.Region):
		return "us-east-1"
	}
	return b.Region
}

// resolveOutside resolves an AWS service or internet host name.
func (n *Network) resolveOutside(s string, ep Endpoint) (Endpoint, bool) {
	if b, ok := globalBucketName(s, n.st.Region); ok {
		ep.Kind, ep.Name, ep.ID = KindAWSService, strings.ToLower(strings.TrimSuffix(s, ".")), "s3"
		ep.svcName, ep.s3Region = "s3", n.globalBucketRegion(b)
		return ep, true
	}
	if svc, _ := legacyServiceName(s, n.st.Region); svc != "" {
		ep.Kind, ep.Name, ep.ID = KindAWSService, strings.ToLower(strings.TrimSuffix(s, ".")), svc
		ep.svcName = svc
		return ep, true
	}
	if svc := awsServiceName(s, n.st.Region); svc != "" {
		ep.Kind, ep.Name, ep.ID = KindAWSService, serviceHost(svc, n.st.Region), svc
		if strings.HasSuffix(strings.ToLower(s), "."+model.DNSSuffix(n.st.Region)) {
			ep.Name = strings.ToLower(s)
		}
		ep.svcName = svc
		return ep, true
	}
	if internetHost(s) {
		kind := strings.ToLower(s)
		switch kind {
		case "registry-1.docker.io", "index.docker.io":
			kind = "docker.io"
		}
		ep.Kind, ep.Name, ep.ID = KindInternetHost, strings.ToLower(s), strings.ToLower(s)
		ep.svcName = kind
		return ep, true
	}
	return ep, false
}

// outsideAddr resolves an outside destination for a source ENI as the
// VPC's resolver would: an AWS service with an interface endpoint with
// private DNS in the source's VPC resolves to that endpoint's ENI in the
// source's zone (else its first); any other name to its public address
// (one TEST-NET-1 address per service; S3 to an address of its prefix
// list, so a gateway endpoint's route applies).
func (n *Network) outsideAddr(ep *Endpoint, src *eniNode) (netip.Addr, *eniNode, string) {
	svc := ep.svcName
	if r := ep.s3Region; r != "" && r != n.st.Region {
		addr := registryAddr(svc)
		return addr, nil, ep.Name + " is the bucket's name on S3's legacy global endpoint: S3's DNS answers it with the addresses of " + n.bucketRegionWhy(ep) +
			" (ecsnet uses " + addr.String() + "), outside " + n.st.Region + "'s S3 prefix list, and no VPC endpoint's private DNS answers it"
	}
	if regional := n.RegionalName(*ep); regional != "" {
		addr := registryAddr(svc)
		if svc == "s3" {
			return addr, nil, ep.Name + " is S3's legacy global endpoint, in us-east-1: it resolves to a public address of S3 in us-east-1 (ecsnet uses " + addr.String() + "), outside " +
				n.st.Region + "'s S3 prefix list, and no VPC endpoint's private DNS answers it"
		}
		return addr, nil, ep.Name + " resolves to a public address of the service (ecsnet uses " + addr.String() + "): no VPC endpoint's private DNS answers it, only the Regional name " + regional
	}
	// DynamoDB's interface endpoints answer their own names (*.ddb.REGION…,
	// the engine's spec), not dynamodb.REGION…: the service's name goes to
	// its public addresses, where a gateway endpoint's route applies.
	if ep.Kind == KindAWSService && src != nil && svc != "dynamodb" {
		if e, dst, ok := n.serviceEndpoint(src.eni.VpcID, svc, src.eni.AvailabilityZone); ok && dst != nil {
			if x := n.eni(dst.eni.ID); x != nil {
				dst = x
			}
			return dst.primary, dst, ep.Name + " resolves to " + dst.primary.String() + ", the ENI of the interface endpoint " + string(e.ID) + " in " + dst.eni.AvailabilityZone + " (private DNS)"
		}
	}
	addr := registryAddr(svc)
	if svc == "s3" || svc == "dynamodb" {
		// The services with gateway endpoints: their public addresses are
		// their prefix list's, which a gateway endpoint's route matches
		// (Amazon VPC PrivateLink guide, "Gateway endpoints": "the prefix
		// list for the service ... as the destination").
		if pl := n.servicePrefixList(svc); pl != nil && len(pl.CIDRs) > 0 {
			addr = pl.CIDRs[0].Addr().Next()
			what := "S3"
			if svc == "dynamodb" {
				what = "DynamoDB"
			}
			return addr, nil, ep.Name + " resolves to a public address of " + what + " (" + addr.String() + ", in the prefix list " + string(pl.ID) + ")"
		}
	}
	return addr, nil, ep.Name + " resolves to a public address (ecsnet uses " + addr.String() + ")"
}

// legacyNameNote explains a destination named by a legacy or global name
// (legacyServiceName) from a VPC that has an interface endpoint with
// private DNS for the service: the endpoint answers the Regional name
// only. "" when the VPC has no such endpoint (the name then goes where
// the Regional one would).
func (n *Network) legacyNameNote(ep *Endpoint, src *eniNode) string {
	if r := ep.s3Region; r != "" && r != n.st.Region && src != nil {
		if g := n.gatewayEndpoint(src.eni.VpcID, "s3"); g != nil {
			return ep.Name + " is the bucket's name on S3's legacy global endpoint, which S3's DNS answers with the addresses of " + n.bucketRegionWhy(ep) +
				"; the gateway endpoint " + string(g.ID) + " (" + g.ServiceName + ") routes only " + n.st.Region + "'s S3 prefix list, so the call leaves for the internet instead: give the subnet a way out (a NAT gateway), or keep the bucket in " + n.st.Region
		}
		return ""
	}
	regional := n.RegionalName(*ep)
	if regional == "" || src == nil {
		return ""
	}
	e, _, ok := n.endpointWithDNS(src.eni.VpcID, ep.svcName, src.eni.AvailabilityZone)
	if !ok && ep.svcName == "s3" {
		if g := n.gatewayEndpoint(src.eni.VpcID, "s3"); g != nil {
			return ep.Name + " is S3's legacy global endpoint, which is us-east-1's: it resolves to S3's addresses in us-east-1, and the gateway endpoint " + string(g.ID) + " (" + g.ServiceName +
				") routes only " + n.st.Region + "'s S3 prefix list, so the call leaves for the internet instead; call " + regional + " (the SDK client's region " + n.st.Region + ", or its endpoint URL)"
		}
	}
	if !ok {
		return ""
	}
	what := map[string]string{"sqs": "Amazon SQS's legacy endpoint name", "sts": "AWS STS's global endpoint name", "s3": "S3's legacy global endpoint name (us-east-1's)"}[ep.svcName]
	return ep.Name + " is " + what + ": the interface endpoint " + string(e.ID) + " (" + e.ServiceName + ") answers only the Regional name " + regional +
		" with its private DNS, so " + ep.Name + " resolves to the service's public addresses and the call leaves for them; call " + regional + " (the SDK's endpoint URL or Regional setting)"
}

// bucketRegionWhy names the Region a bucket's global name resolves to, and
// why.
func (n *Network) bucketRegionWhy(ep *Endpoint) string {
	b, _ := globalBucketName(ep.Name, n.st.Region)
	if x := n.st.Buckets[b]; x != nil && x.Region != ep.s3Region {
		return ep.s3Region + " (the bucket is in " + x.Region + ", a Region launched after March 20, 2019, for which S3 does not update the global name's DNS: US East (N. Virginia) answers it with 400 Bad Request)"
	}
	return "the bucket's Region " + ep.s3Region
}

// RegionalName is the Regional name of the AWS service a destination
// names by a legacy or global name that no VPC endpoint answers
// (sqs.us-east-1.amazonaws.com for us-east-1.queue.amazonaws.com), or "".
func (n *Network) RegionalName(ep Endpoint) string {
	if ep.Kind != KindAWSService {
		return ""
	}
	_, regional := legacyServiceName(ep.Name, n.st.Region)
	return regional
}

// gatewayEndpoint returns a VPC's gateway endpoint for a service (s3,
// dynamodb), or nil.
func (n *Network) gatewayEndpoint(vpc model.VpcID, svc string) *model.VpcEndpoint {
	var out *model.VpcEndpoint
	for _, ep := range n.st.VpcEndpoints {
		if ep.VpcID == vpc && ep.Type == "Gateway" && isServiceName(ep.ServiceName, n.st.Region, svc) && (out == nil || ep.ID < out.ID) {
			out = ep
		}
	}
	return out
}

// PrivateNameEndpoint returns the interface endpoint whose private DNS
// answers the AWS service name s in the VPC (for a client in zone az),
// as outsideAddr resolves it: nil when the name is no service's, is a
// legacy or global name (no endpoint answers it), or no interface
// endpoint with private DNS of the VPC answers it (a private hosted
// zone's records to an endpoint answer as their own types say). Its
// DNS record IP type says which records the name has (PrivateLink guide,
// "DNS record IP types").
func (n *Network) PrivateNameEndpoint(vpc model.VpcID, s, az string) *model.VpcEndpoint {
	ep, ok := n.resolveOutside(s, Endpoint{})
	if !ok || ep.Kind != KindAWSService || ep.svcName == "dynamodb" || ep.s3Region != "" && ep.s3Region != n.st.Region || n.RegionalName(ep) != "" {
		return nil
	}
	if n.privateZonesHidden(vpc) != nil {
		return nil
	}
	x, dst, ok := n.endpointWithDNS(vpc, ep.svcName, az)
	if !ok || dst == nil {
		return nil
	}
	return x
}

// endpointComp is an interface endpoint's component.
func (n *Network) endpointComp(ep *model.VpcEndpoint) *Component {
	if x := n.endpoint(ep.ID); x != nil {
		return x.comp
	}
	return nil
}
