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
	}
	if svc, ok := strings.CutSuffix(host, "."+region); ok && endpointService(svc) {
		return svc
	}
	return ""
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

// resolveOutside resolves an AWS service or internet host name.
func (n *Network) resolveOutside(s string, ep Endpoint) (Endpoint, bool) {
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
	if ep.Kind == KindAWSService && src != nil {
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
