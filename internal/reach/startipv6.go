package reach

import (
	"net/netip"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The start path of an interface without an IPv4 address (an IPv6-only
// subnet's): ECS calls the registries and AWS services that have a
// dual-stack name by that name, over IPv6, through the subnet's ::/0
// route (an egress-only or an internet gateway); the others only DNS64
// and NAT64 reach (probe.go, nat64). Which names are dual-stack is
// model.StartPathNames. An interface of a dual-stack subnet keeps IPv4
// for all of it (aws/containers-roadmap#2792: Fargate pulls over IPv4
// there, even by the dual-stack name).

// ipv6Only reports whether the check's interface has no IPv4 address.
func (c *pullCheck) ipv6Only() bool { return c.src.ipv6Only() }

// ipv6Only reports whether an interface has no IPv4 address (an
// IPv6-only subnet's).
func (e *eniNode) ipv6Only() bool {
	return e != nil && e.subnet != nil && e.subnet.subnet.IPv6Native && !e.primary.Is4()
}

// dualStackName returns the table's row of a name a probe is sent to when
// it is one of the start path's dual-stack names (an ECR registry's
// ACCOUNT.dkr-ecr.REGION.on.aws of any account and Region, ECR's and the
// services' REGION.api.aws names, ecr-public.aws.com), with Host the name.
func (n *Network) dualStackName(name string) (model.StartPathName, bool) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if model.ECRDualStack(name) {
		row, _ := model.StartPathNameOf("ecr.dkr-dualstack", model.ECRRegistryRegion(name), "")
		row.Host = name
		return row, true
	}
	for _, r := range model.StartPathNames() {
		if !r.IPv6 || strings.Contains(r.Host, "ACCOUNT") {
			continue
		}
		if row, _ := model.StartPathNameOf(r.Service, n.st.Region, n.st.Account); row.Host == name {
			return row, true
		}
	}
	return model.StartPathName{}, false
}

// startPathService is the table's service for a step: the dual-stack
// registry's rows while an image is pulled by its dual-stack name.
func (c *pullCheck) startPathService(svc string) string {
	if !c.dualStack {
		return svc
	}
	switch svc {
	case "ecr.dkr":
		return "ecr.dkr-dualstack"
	case "s3":
		return "s3-dualstack"
	case "public.ecr.aws":
		return "ecr-public.aws.com"
	}
	return svc
}

// ipv6Name returns the name an IPv6-only interface calls for a step of
// its start path when that name answers over IPv6; ok is false for a
// client with an IPv4 address, or a name that is IPv4 only.
func (c *pullCheck) ipv6Name(svc, region string) (model.StartPathName, bool) {
	if !c.ipv6Only() || c.envFile || c.firelensConfig {
		// Environment files and FireLens's configuration are downloaded
		// by S3's IPv4 name [choice].
		return model.StartPathName{}, false
	}
	row, ok := model.StartPathNameOf(c.startPathService(svc), region, c.n.st.Account)
	if !ok || !row.IPv6 {
		return model.StartPathName{}, false
	}
	return row, true
}

// calledHost is the name a step's error text shows: the dual-stack name
// an IPv6-only interface calls, else def.
func (c *pullCheck) calledHost(svc, region, def string) string {
	if row, ok := c.ipv6Name(svc, region); ok && !strings.Contains(row.Host, "ACCOUNT") {
		return row.Host
	}
	return def
}

// needsIPv6Route marks the sentence of an IPv6-only interface's start
// path that found no way out over IPv6 (StartFixHint looks for it).
const needsIPv6Route = ", over IPv6: it needs a route for ::/0 to an egress-only internet gateway (or an internet gateway)"

// registryAddr6 is the representative IPv6 address of a dual-stack name
// on the start path: 2001:db8:0:2::N from RFC 3849's documentation
// prefix, N the last byte of the service's IPv4 representative.
func registryAddr6(svc string) netip.Addr {
	last := registryAddr(strings.TrimSuffix(svc, "-dualstack")).As4()[3]
	return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 2, 15: last})
}

// reachOverIPv6 reaches a dual-stack name from an IPv6-only interface:
// its IPv6 address through the interface's routes (::/0 to an
// egress-only or internet gateway).
func (c *pullCheck) reachOverIPv6(svc string, row model.StartPathName) (Verdict, netip.Addr, string) {
	addr := registryAddr6(row.Service)
	f := flow{srcENI: c.src, src: c.src.primary, srcRef: c.src, sport: DefaultClientPort, dst: addr, dport: 443}
	v, why := c.connect(f)
	if v == Connected {
		return v, addr, ""
	}
	why = strings.ReplaceAll(why, addr.String(), row.Host+" ("+addr.String()+")")
	filtered := c.blocked != nil && (c.blocked.Code == CodeSGRulesMismatch || c.blocked.Code == CodeSubnetACLRestriction)
	if !filtered {
		why += "; from the IPv6-only subnet the start path calls " + svc + " by its dual-stack name " + row.Host + needsIPv6Route
	}
	return v, addr, why
}

// dualStackHint is the sentence for an ECR image an IPv6-only interface
// could not reach by the registry's IPv4-only name: the dual-stack name
// would have carried the pull over IPv6. "" otherwise.
func (c *pullCheck) dualStackHint(im image) string {
	if im.kind != "ecr" || im.dualStack || !c.ipv6Only() {
		return ""
	}
	if x := c.blocked; x != nil && x.Code != CodeIPv6OnlyNoNAT64 {
		return "" // the IPv4 way was refused for another reason
	}
	return "; " + im.host + " is ECR's IPv4-only registry name: in an IPv6-only subnet ECS pulls from ECR by the registry's dual-stack name, " +
		DualStackImageRef(im.raw) + ", over IPv6 (or DNS64 and NAT64 carry the IPv4 name)"
}

// DualStackImageRef rewrites an ECR image reference by its registry's
// IPv4-only name (ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]/…) to
// the same image by the dual-stack name (ACCOUNT.dkr-ecr[-fips].REGION.on.aws,
// on.amazonwebservices.com.cn in China); "" when ref is no such reference.
func DualStackImageRef(ref string) string {
	host, rest, ok := strings.Cut(ref, "/")
	if !ok || model.ECRDualStack(host) {
		return ""
	}
	region := model.ECRRegistryRegion(host)
	if region == "" {
		return ""
	}
	account, _, _ := strings.Cut(host, ".")
	dual := model.ECRDualStackHost(account, region)
	if strings.Contains(host, ".dkr.ecr-fips.") {
		dual = strings.Replace(dual, ".dkr-ecr.", ".dkr-ecr-fips.", 1)
	}
	return dual + "/" + rest
}

// endpointNoAAAA is the step of an IPv6-only interface whose service has
// an interface endpoint with private DNS in the VPC that answers the
// service's names with no AAAA record (endpointIPv6 says why): the
// interface has no IPv4 address to connect to the A records' address
// from.
func (c *pullCheck) endpointNoAAAA(why string, dst *eniNode) (Verdict, netip.Addr, string) {
	m := why + "; the IPv6-only subnet " + c.src.subnet.comp.Label() + "'s interfaces have no IPv4 address to connect from"
	c.blocked = &Explanation{Code: CodeNoIPv6Address, Blocking: true, Path: "forward", Component: dst.comp, Message: m, clause: m}
	return NoRoute, dst.primary, m
}
