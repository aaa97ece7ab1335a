package engine

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// VPC endpoint types.
const (
	endpointGateway   = "Gateway"
	endpointInterface = "Interface"
	// endpointRequesterID is the AWS account the endpoint ENIs show as
	// requester (the value in the EC2 User Guide's requester-managed ENI
	// example; AWS uses a service account per region).
	endpointRequesterID = "727180483921"
	// defaultEndpointPolicy is the full-access policy AWS attaches to a
	// gateway endpoint when the request gives none (the VPC User Guide's
	// example, with its 2008-10-17 version).
	defaultEndpointPolicy = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
	// defaultInterfacePolicy is an interface endpoint's: the same statement
	// without a Version (DescribeVpcEndpoints as AWS answered it, LocalStack's
	// test_ec2_resource_provider recording of 2024-04).
	defaultInterfacePolicy = `{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}]}`
)

// EndpointService is an AWS service that VPC endpoints can reach, as
// DescribeVpcEndpointServices shows it.
type EndpointService struct {
	Name                 string // com.amazonaws.<region>.<service>
	ServiceID            string // vpce-svc-…, stable for a name
	Types                []string
	Owner                string // "amazon"
	AvailabilityZones    []string
	BaseEndpointDNSNames []string
	// PrivateDNSName is the service's public name that an interface
	// endpoint with private DNS answers in the VPC ("" for gateway-only
	// services).
	PrivateDNSName             string
	VpcEndpointPolicySupported bool
	AcceptanceRequired         bool
	ManagesVpcEndpoints        bool
}

// endpointServiceSpec is one AWS service ecsnet offers endpoints for.
type endpointServiceSpec struct {
	svc        string
	gateway    bool
	iface      bool
	privateDNS string // with %s for the region
	// privateDNSDefault is PrivateDnsEnabled's default for an interface
	// endpoint (true for AWS services; S3 and DynamoDB interface endpoints
	// leave it off).
	privateDNSDefault bool
}

// endpointServiceSpecs lists the services, in name order: ECS's
// neighbours and the services of the PrivateLink guide's table that
// infrastructure code most often makes endpoints for (config, bedrock-*,
// execute-api, …; docs/aws-behavior.md, "Round thirty: EC2 networking").
// Private DNS names follow each service's regional endpoint; ecr.api and
// ecr.dkr are from real DescribeVpcEndpointServices output, the ecs-agent
// and ecs-telemetry names are UNVERIFIED.
func endpointServiceSpecs() []endpointServiceSpec {
	std := func(svc string) endpointServiceSpec {
		return endpointServiceSpec{svc: svc, iface: true, privateDNS: svc + ".%s.amazonaws.com", privateDNSDefault: true}
	}
	return []endpointServiceSpec{
		std("access-analyzer"),
		std("acm-pca"),
		std("apigateway"),
		std("appconfig"),
		std("appconfigdata"),
		std("application-autoscaling"),
		std("athena"),
		std("autoscaling"),
		std("backup"),
		std("batch"),
		std("bedrock"),
		std("bedrock-agent"),
		std("bedrock-agent-runtime"),
		std("bedrock-runtime"),
		std("cloudformation"),
		std("cloudtrail"),
		std("codebuild"),
		std("codecommit"),
		std("codedeploy"),
		std("codedeploy-commands-secure"),
		std("codepipeline"),
		std("config"),
		std("datasync"),
		{svc: "dynamodb", gateway: true, iface: true, privateDNS: "*.ddb.%s.amazonaws.com"},
		std("ebs"),
		std("ec2"),
		std("ec2messages"),
		{svc: "ecr.api", iface: true, privateDNS: "api.ecr.%s.amazonaws.com", privateDNSDefault: true},
		{svc: "ecr.dkr", iface: true, privateDNS: "*.dkr.ecr.%s.amazonaws.com", privateDNSDefault: true},
		std("ecs"),
		{svc: "ecs-agent", iface: true, privateDNS: "ecs-a.%s.amazonaws.com", privateDNSDefault: true},
		{svc: "ecs-telemetry", iface: true, privateDNS: "ecs-t.%s.amazonaws.com", privateDNSDefault: true},
		std("eks"),
		std("eks-auth"),
		std("elasticache"),
		std("elasticbeanstalk"),
		std("elasticfilesystem"),
		std("elasticloadbalancing"),
		std("elasticmapreduce"),
		std("email-smtp"),
		std("es"),
		std("events"),
		{svc: "execute-api", iface: true, privateDNS: "*.execute-api.%s.amazonaws.com", privateDNSDefault: true},
		std("git-codecommit"),
		std("glue"),
		{svc: "kinesis-firehose", iface: true, privateDNS: "firehose.%s.amazonaws.com", privateDNSDefault: true},
		std("kinesis-streams"),
		std("kms"),
		std("lambda"),
		std("logs"),
		std("monitoring"),
		std("rds"),
		std("rds-data"),
		std("redshift"),
		std("redshift-data"),
		std("rekognition"),
		{svc: "s3", gateway: true, iface: true, privateDNS: "*.s3.%s.amazonaws.com"},
		{svc: "sagemaker.api", iface: true, privateDNS: "api.sagemaker.%s.amazonaws.com", privateDNSDefault: true},
		{svc: "sagemaker.runtime", iface: true, privateDNS: "runtime.sagemaker.%s.amazonaws.com", privateDNSDefault: true},
		std("secretsmanager"),
		std("securityhub"),
		std("servicecatalog"),
		std("servicediscovery"),
		std("sns"),
		std("sqs"),
		std("ssm"),
		std("ssmmessages"),
		std("states"),
		std("sts"),
		std("textract"),
		std("transfer"),
		std("xray"),
	}
}

// endpointService returns the spec of a service name in the engine's
// region, with only the endpoint types that name offers: in China an
// interface endpoint service is mostly cn.com.amazonaws.<region>.<svc>
// (model.EndpointServiceName), so there com.amazonaws.cn-north-1.s3 is
// S3's gateway service only and com.amazonaws.cn-north-1.ecr.api none.
func (e *Engine) endpointService(name string) (endpointServiceSpec, bool) {
	region := e.cfg.Region
	svc, chinese, ok := model.EndpointServiceOf(region, name)
	if !ok {
		return endpointServiceSpec{}, false
	}
	for _, s := range endpointServiceSpecs() {
		if s.svc != svc {
			continue
		}
		if s.iface && model.EndpointServiceName(region, svc, endpointInterface) != name {
			s.iface = false
		}
		if chinese {
			s.gateway = false
		}
		return s, s.iface || s.gateway
	}
	return endpointServiceSpec{}, false
}

// privateDNSName returns the service's private DNS name in region, in the
// region's domain (amazonaws.com.cn in China: model.DNSSuffix).
func (s endpointServiceSpec) privateDNSName(region string) string {
	return strings.TrimSuffix(fmt.Sprintf(s.privateDNS, region), "amazonaws.com") + model.DNSSuffix(region)
}

// types returns the endpoint types the service offers.
func (s endpointServiceSpec) types() []string {
	var out []string
	if s.gateway {
		out = append(out, endpointGateway)
	}
	if s.iface {
		out = append(out, endpointInterface)
	}
	return out
}

// VpcEndpointServices returns the AWS services of the engine's region that
// VPC endpoints can reach, in name order (one entry per service; a service
// offering both types lists both).
func (e *Engine) VpcEndpointServices() []EndpointService {
	region, suffix := e.cfg.Region, model.DNSSuffix(e.cfg.Region)
	var zones []string
	for _, z := range e.AvailabilityZones() {
		zones = append(zones, z.Name)
	}
	var out []EndpointService
	var specs []endpointServiceSpec
	for _, s := range endpointServiceSpecs() {
		// A service whose interface endpoint service has another name
		// (China) is two services.
		if s.gateway && s.iface && model.EndpointServiceName(region, s.svc, endpointInterface) != model.EndpointServiceName(region, s.svc, endpointGateway) {
			gw, iface := s, s
			gw.iface, iface.gateway = false, false
			specs = append(specs, gw, iface)
			continue
		}
		specs = append(specs, s)
	}
	for _, s := range specs {
		name := model.EndpointServiceName(region, s.svc, s.types()[0])
		h := fnv.New128a()
		h.Write([]byte(name))
		es := EndpointService{
			Name:                       name,
			ServiceID:                  "vpce-svc-" + hex.EncodeToString(h.Sum(nil))[:17],
			Types:                      s.types(),
			Owner:                      "amazon",
			AvailabilityZones:          slices.Clone(zones),
			VpcEndpointPolicySupported: true,
		}
		if s.iface {
			es.PrivateDNSName = s.privateDNSName(region)
			base := strings.TrimPrefix(es.PrivateDNSName, "*.")
			es.BaseEndpointDNSNames = []string{strings.TrimSuffix(base, "."+region+"."+suffix) + "." + region + ".vpce." + suffix}
		} else {
			es.BaseEndpointDNSNames = []string{s.svc + "." + region + "." + suffix}
		}
		out = append(out, es)
	}
	return out
}

// CreateVpcEndpointInput is CreateVpcEndpoint's input.
type CreateVpcEndpointInput struct {
	VpcID             model.VpcID
	ServiceName       string
	Type              string // "Gateway" (AWS's default), "Interface" or "GatewayLoadBalancer"
	RouteTableIDs     []model.RouteTableID
	SubnetIDs         []model.SubnetID
	SecurityGroupIDs  []model.SecurityGroupID
	PrivateDNSEnabled *bool
	PolicyDocument    string
	// SubnetConfigurations fixes the address of an interface endpoint's
	// interface in a subnet (SubnetConfigurations); a subnet named only
	// there is one of the endpoint's subnets too ([choice]).
	SubnetConfigurations []EndpointSubnetConfiguration
	// IPAddressType is an interface endpoint's IP address type (ipv4,
	// dualstack, ipv6; empty is ipv4) and DNSRecordIPType its DNS
	// options' record type (empty is the IP address type's).
	IPAddressType   string
	DNSRecordIPType string
	Tags            model.Tags
}

// EndpointSubnetConfiguration is the addresses an interface endpoint's
// interface takes in a subnet (EC2's SubnetConfiguration: "You must
// provide an IPv4 address if the VPC endpoint supports IPv4", "You must
// provide an IPv6 address if the VPC endpoint supports IPv6").
type EndpointSubnetConfiguration struct {
	SubnetID model.SubnetID
	IPv4     netip.Addr
	IPv6     netip.Addr
}

// endpointFixed is the addresses subnet configurations fix, per subnet.
type endpointFixed struct {
	v4 map[model.SubnetID]netip.Addr
	v6 map[model.SubnetID]netip.Addr
}

// endpointAddresses checks an endpoint's subnet configurations against
// its IP address type and returns the addresses each configured subnet's
// interface takes, and the subnets the configurations name that subnets
// does not.
func endpointAddresses(typ, ipType string, subnets []model.SubnetID, configs []EndpointSubnetConfiguration) (endpointFixed, []model.SubnetID, error) {
	fixed := endpointFixed{v4: map[model.SubnetID]netip.Addr{}, v6: map[model.SubnetID]netip.Addr{}}
	if len(configs) == 0 {
		return fixed, nil, nil
	}
	if typ == endpointGateway {
		return fixed, nil, apierr.New("InvalidParameter", "Subnet configurations are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.") // text [choice], as the Subnet IDs one
	}
	if ipType == "" {
		ipType = "ipv4"
	}
	want4, want6 := ipType != "ipv6", ipType != "ipv4"
	seen := map[model.SubnetID]bool{}
	var extra []model.SubnetID
	for _, c := range configs {
		if c.SubnetID == "" {
			return fixed, nil, errMissingParameter("SubnetConfiguration.SubnetId")
		}
		// The documented rule [probable]; the texts [choice].
		switch {
		case want4 && !c.IPv4.IsValid():
			return fixed, nil, apierr.Newf("InvalidParameter", "An IPv4 address must be provided for subnet %s of a VPC endpoint of IP address type %s.", c.SubnetID, ipType)
		case want6 && !c.IPv6.IsValid():
			return fixed, nil, apierr.Newf("InvalidParameter", "An IPv6 address must be provided for subnet %s of a VPC endpoint of IP address type %s.", c.SubnetID, ipType)
		case !want4 && c.IPv4.IsValid():
			return fixed, nil, apierr.Newf("InvalidParameter", "An IPv4 address cannot be given for subnet %s of a VPC endpoint of IP address type %s.", c.SubnetID, ipType)
		case !want6 && c.IPv6.IsValid():
			return fixed, nil, apierr.Newf("InvalidParameter", "An IPv6 address cannot be given for subnet %s of a VPC endpoint of IP address type %s.", c.SubnetID, ipType)
		}
		if seen[c.SubnetID] {
			return fixed, nil, apierr.Newf("InvalidParameter", "Subnet %s is given more than one subnet configuration.", c.SubnetID) // text [choice]
		}
		seen[c.SubnetID] = true
		if c.IPv4.IsValid() {
			fixed.v4[c.SubnetID] = c.IPv4
		}
		if c.IPv6.IsValid() {
			fixed.v6[c.SubnetID] = c.IPv6
		}
		if !slices.Contains(subnets, c.SubnetID) {
			extra = append(extra, c.SubnetID)
		}
	}
	return fixed, extra, nil
}

// configured reports whether the configurations fix an address in subnet id.
func (f endpointFixed) configured(id model.SubnetID) bool {
	_, a := f.v4[id]
	_, b := f.v6[id]
	return a || b
}

// checkEndpointIPTypes checks an interface endpoint's IP address type and
// DNS record IP type, and that the record type fits the address type
// (PrivateLink guide, "DNS record IP types": ipv4 needs an ipv4 or
// dualstack endpoint, ipv6 an ipv6 or dualstack one, dualstack and
// service-defined a dualstack one). The texts are [choice].
func checkEndpointIPTypes(ipType, dnsType string) error {
	if !slices.Contains([]string{"ipv4", "dualstack", "ipv6"}, ipType) {
		return errInvalidParameterValue("Value (%s) for parameter IpAddressType is invalid. Valid values are ipv4, dualstack, ipv6.", ipType)
	}
	if dnsType == "" {
		return nil
	}
	fits := map[string][]string{"ipv4": {"ipv4", "dualstack"}, "ipv6": {"ipv6", "dualstack"}, "dualstack": {"dualstack"}, "service-defined": {"dualstack"}}
	allowed, known := fits[dnsType]
	if !known {
		return errInvalidParameterValue("Value (%s) for parameter DnsOptions.DnsRecordIpType is invalid. Valid values are ipv4, dualstack, ipv6, service-defined.", dnsType)
	}
	if !slices.Contains(allowed, ipType) {
		return apierr.Newf("InvalidParameter", "DnsRecordIpType %s is not supported for VPC endpoints of IP address type %s.", dnsType, ipType)
	}
	return nil
}

// endpointSubnetFits checks that a subnet has the address ranges an
// endpoint's IP address type needs (PrivateLink guide, "IP address
// types": ipv4 needs subnets with IPv4 ranges, dualstack subnets with
// both, ipv6 IPv6-only subnets). The texts are [choice].
func endpointSubnetFits(ipType string, s *model.Subnet) error {
	switch {
	case ipType == "ipv4" && s.IPv6Native:
		return apierr.Newf("InvalidParameter", "Subnet %s is an IPv6-only subnet: a VPC endpoint of IP address type ipv4 needs subnets with IPv4 address ranges.", s.ID)
	case ipType == "dualstack" && (s.IPv6Native || len(s.IPv6) == 0):
		return apierr.Newf("InvalidParameter", "Subnet %s does not have both IPv4 and IPv6 address ranges: a VPC endpoint of IP address type dualstack needs subnets with both.", s.ID)
	case ipType == "ipv6" && !s.IPv6Native:
		return apierr.Newf("InvalidParameter", "Subnet %s is not an IPv6-only subnet: a VPC endpoint of IP address type ipv6 needs IPv6-only subnets.", s.ID)
	}
	return nil
}

// CreateVpcEndpoint creates a VPC endpoint to an AWS service
// (com.amazonaws.<region>.<service>), as AWS does:
//   - the endpoint type defaults to Gateway and must be one the service
//     offers (S3 and DynamoDB have gateway endpoints; the others are
//     interface endpoints);
//   - a gateway endpoint adds a route from the service's managed prefix list
//     to the endpoint in each route table given (RouteAlreadyExists when the
//     table already routes that prefix list);
//   - an interface endpoint creates a requester-managed ENI ("VPC Endpoint
//     Interface vpce-…") in each subnet given, one subnet per zone, with the
//     security groups given or the VPC's default group; private DNS is on by
//     default and needs the VPC's enableDnsSupport and enableDnsHostnames,
//     and only one endpoint per VPC can hold a service's private DNS name.
//
// A gateway endpoint is available at once; an interface endpoint answers
// "pending" and Step makes it available (stepVpcEndpoints), as AWS
// answers (the aws CLI's create-vpc-endpoint examples).
func (e *Engine) CreateVpcEndpoint(in CreateVpcEndpointInput) (*model.VpcEndpoint, error) {
	if in.VpcID == "" {
		return nil, errMissingParameter("VpcId")
	}
	if !wellFormedID(string(in.VpcID), "vpc") {
		return nil, errEndpointMalformed("InvalidVpcId.Malformed", string(in.VpcID), "vpc")
	}
	if err := checkEndpointPolicy(in.PolicyDocument); err != nil {
		return nil, err
	}
	if in.ServiceName == "" {
		return nil, errMissingParameter("ServiceName")
	}
	typ := in.Type
	if typ == "" {
		typ = endpointGateway
	}
	if typ != endpointGateway && typ != endpointInterface && typ != endpointGWLB {
		return nil, errInvalidParameterValue("Value (%s) for parameter VpcEndpointType is invalid.", in.Type) // UNVERIFIED text
	}
	ipType := in.IPAddressType
	if ipType == "" {
		ipType = e.defaultEndpointIPType(typ, in)
	}
	if err := checkEndpointIPTypes(ipType, in.DNSRecordIPType); err != nil {
		return nil, err
	}
	if typ == endpointGateway && (ipType != "ipv4" || in.DNSRecordIPType != "" && in.DNSRecordIPType != "ipv4") {
		return nil, apierr.New("UnsupportedOperation", "ecsnet models gateway endpoints of IP address type ipv4 only.")
	}
	fixed, extra, err := endpointAddresses(typ, ipType, in.SubnetIDs, in.SubnetConfigurations)
	if err != nil {
		return nil, err
	}
	in.SubnetIDs = append(slices.Clone(in.SubnetIDs), extra...)
	// Subnets belong to interface and GWLB endpoints, route tables to
	// gateway endpoints; EC2 refuses the other, before it looks at the
	// service (a Gateway endpoint of an interface-only service given
	// subnets gets this error, not the service-type one).
	if typ == endpointGateway && len(in.SubnetIDs) > 0 {
		return nil, apierr.Newf("InvalidParameter", "Subnet IDs are only supported for Interface and GatewayLoadBalancer type VPC Endpoints.")
	}
	if typ != endpointGateway && len(in.RouteTableIDs) > 0 {
		return nil, apierr.Newf("InvalidParameter", "Route table IDs are only supported for Gateway type VPC Endpoint.")
	}
	var out *model.VpcEndpoint
	err = e.write(func(t *txn) error {
		v := t.st.VPCs[in.VpcID]
		if v == nil {
			return errVpcNotFound(in.VpcID)
		}
		if svc := t.accountEndpointService(in.ServiceName); svc != nil && (ipType != "ipv4" || in.DNSRecordIPType != "" && in.DNSRecordIPType != "ipv4") {
			return apierr.New("UnsupportedOperation", "ecsnet models endpoints of IP address type ipv4 only to endpoint services.")
		} else if svc != nil && svc.Type == endpointGWLB {
			ep, err := t.createGWLBEndpoint(v, svc, in, typ, fixed.v4)
			out = ep
			return err
		} else if svc != nil {
			ep, err := t.createPrivateLinkEndpoint(v, svc, in, typ, fixed)
			out = ep
			return err
		}
		spec, ok := t.e.endpointService(in.ServiceName)
		if !ok {
			return apierr.Newf("InvalidServiceName", "The Vpc Endpoint Service '%s' does not exist", in.ServiceName)
		}
		if !slices.Contains(spec.types(), typ) {
			return apierr.Newf("InvalidParameter", "Endpoint type (%s) does not match available service types ([%s])", typ, strings.Join(spec.types(), ", "))
		}
		ep := &model.VpcEndpoint{
			ID:             model.VpcEndpointID(t.newID("vpce")),
			VpcID:          v.ID,
			ServiceName:    in.ServiceName,
			Type:           typ,
			State:          endpointCreatedState(typ, false),
			PolicyDocument: in.PolicyDocument,
			CreatedAt:      t.now,
			Tags:           in.Tags.Clone(),
		}
		if ep.PolicyDocument == "" {
			ep.PolicyDocument = defaultPolicyFor(typ)
		}
		if typ == endpointGateway {
			for _, rt := range in.RouteTableIDs {
				if err := t.addEndpointRoute(ep, rt); err != nil {
					return err
				}
			}
			put(t, model.KindVpcEndpoint, t.st.VpcEndpoints, ep.ID, ep)
			out = ep
			return nil
		}
		dns := spec.privateDNSDefault
		if in.PrivateDNSEnabled != nil {
			dns = *in.PrivateDNSEnabled
		}
		if dns {
			if err := t.checkPrivateDNS(v, spec, ep); err != nil {
				return err
			}
		}
		ep.PrivateDNSEnabled = dns
		if ipType != "ipv4" {
			ep.IPAddressType = ipType
		}
		if in.DNSRecordIPType != "" && in.DNSRecordIPType != ipType {
			ep.DNSRecordIPType = in.DNSRecordIPType
		}
		groups, err := t.endpointGroups(v, in.SecurityGroupIDs)
		if err != nil {
			return err
		}
		ep.SecurityGroups = groups
		if err := t.addEndpointSubnets(ep, in.SubnetIDs, fixed); err != nil {
			return err
		}
		put(t, model.KindVpcEndpoint, t.st.VpcEndpoints, ep.ID, ep)
		out = ep
		return nil
	})
	return out, err
}

// defaultEndpointIPType is an interface endpoint's IP address type when
// the request gives none: ipv6 when every subnet it names is IPv6-only,
// else ipv4 ([probable]: the API reference documents no default; ipv4 is
// the only type IPv4 subnets all take, ipv6 the only one IPv6-only
// subnets take).
func (e *Engine) defaultEndpointIPType(typ string, in CreateVpcEndpointInput) string {
	if typ == endpointGateway {
		return "ipv4"
	}
	subnets := slices.Clone(in.SubnetIDs)
	for _, c := range in.SubnetConfigurations {
		subnets = append(subnets, c.SubnetID)
	}
	all6 := len(subnets) > 0
	e.Read(func(st *model.State) {
		for _, id := range subnets {
			if s := st.Subnets[id]; s == nil || !s.IPv6Native {
				all6 = false
			}
		}
	})
	if all6 {
		return "ipv6"
	}
	return "ipv4"
}

// wellFormedID reports whether id is prefix, a dash and lowercase
// letters or digits.
func wellFormedID(id, prefix string) bool {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// errEndpointMalformed is the malformed-id message of the VPC endpoint APIs.
func errEndpointMalformed(code, id, prefix string) error {
	return apierr.Newf(code, "Invalid Id: '%s' (expecting '%s-...; the Id may only contain lowercase alphanumeric characters and a single dash')", id, prefix)
}

// checkPrivateDNS checks that an interface endpoint may hold its service's
// private DNS name in the VPC.
func (t *txn) checkPrivateDNS(v *model.VPC, spec endpointServiceSpec, ep *model.VpcEndpoint) error {
	if !v.EnableDNSSupport || !v.EnableDNSHostnames {
		return apierr.Newf("InvalidParameter", "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for %s", v.ID)
	}
	for _, other := range sortedValues(t.st.VpcEndpoints) {
		if other.ID != ep.ID && other.VpcID == v.ID && other.ServiceName == ep.ServiceName && other.PrivateDNSEnabled {
			return apierr.Newf("InvalidParameter", "private-dns-enabled cannot be set because there is already a conflicting DNS domain for %s in the VPC %s",
				spec.privateDNSName(t.e.cfg.Region), v.ID)
		}
	}
	return nil
}

// endpointGroups validates an interface endpoint's security groups; none
// means the VPC's default group.
func (t *txn) endpointGroups(v *model.VPC, groups []model.SecurityGroupID) ([]model.SecurityGroupID, error) {
	if len(groups) == 0 {
		return []model.SecurityGroupID{v.DefaultSecurityGroup}, nil
	}
	var out []model.SecurityGroupID
	for _, g := range groups {
		sg := t.st.SecurityGroups[g]
		if sg == nil {
			return nil, errGroupNotFound(string(g))
		}
		if sg.VpcID != v.ID {
			return nil, errGroupNotFoundInVpc(string(g), v.ID) // UNVERIFIED for endpoints
		}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	if len(out) > maxSGsPerENI {
		return nil, apierr.New("SecurityGroupsPerInterfaceLimitExceeded", "The maximum number of security groups per interface has been reached.")
	}
	return out, nil
}

// addEndpointRoute routes the service's prefix list to a gateway endpoint in
// a route table of its VPC, and records the table on ep.
func (t *txn) addEndpointRoute(ep *model.VpcEndpoint, id model.RouteTableID) error {
	rt := t.st.RouteTables[id]
	if rt == nil {
		return errRouteTableNotFound(id)
	}
	if rt.VpcID != ep.VpcID {
		return apierr.Newf("InvalidParameter", "route table %s is not in vpc %s", id, ep.VpcID) // UNVERIFIED text
	}
	if slices.Contains(ep.RouteTables, id) {
		return nil
	}
	pl := t.prefixListFor(ep.ServiceName)
	for _, r := range rt.Routes {
		if r.DestinationPrefixList == pl {
			return apierr.Newf("RouteAlreadyExists", "route table %s already has a route with destination-prefix-list-id %s", id, pl)
		}
	}
	c := cloneRT(rt)
	c.Routes = append(c.Routes, model.Route{DestinationPrefixList: pl, Target: model.TargetVpcEndpoint, TargetID: string(ep.ID), Origin: "CreateRoute"})
	put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
	ep.RouteTables = append(ep.RouteTables, id)
	return nil
}

// removeEndpointRoute deletes a gateway endpoint's route from a table.
func (t *txn) removeEndpointRoute(ep *model.VpcEndpoint, id model.RouteTableID) {
	rt := t.st.RouteTables[id]
	if rt != nil {
		i := slices.IndexFunc(rt.Routes, func(r model.Route) bool {
			return r.Target == model.TargetVpcEndpoint && r.TargetID == string(ep.ID)
		})
		if i >= 0 {
			c := cloneRT(rt)
			c.Routes = slices.Delete(c.Routes, i, i+1)
			put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		}
	}
	ep.RouteTables = slices.DeleteFunc(ep.RouteTables, func(x model.RouteTableID) bool { return x == id })
}

// prefixListFor returns the managed prefix list of a gateway service.
func (t *txn) prefixListFor(service string) model.PrefixListID {
	for _, pl := range sortedValues(t.st.PrefixLists) {
		if pl.Name == service {
			return pl.ID
		}
	}
	return ""
}

// addEndpointSubnets creates an interface endpoint's ENIs in new subnets:
// subnets of its VPC, at most one per zone (counting the subnets it has).
func (t *txn) addEndpointSubnets(ep *model.VpcEndpoint, subnets []model.SubnetID, fixed endpointFixed) error {
	zones := map[string]model.SubnetID{}
	for _, id := range ep.Subnets {
		if s := t.st.Subnets[id]; s != nil {
			zones[s.AvailabilityZone] = id
		}
	}
	var add []*model.Subnet
	for _, id := range subnets {
		if slices.Contains(ep.Subnets, id) {
			continue
		}
		s, err := t.subnet(id)
		if err != nil {
			return err
		}
		if s.VpcID != ep.VpcID {
			return apierr.Newf("InvalidParameter", "The subnet ID '%s' is not in VPC '%s'", id, ep.VpcID) // UNVERIFIED text
		}
		if err := endpointSubnetFits(ep.AddressType(), s); err != nil {
			return err
		}
		if first, dup := zones[s.AvailabilityZone]; dup {
			return apierr.Newf("DuplicateSubnetsInSameZone", "Found another VPC endpoint subnet in the availability zone of %s. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.", first)
		}
		zones[s.AvailabilityZone] = s.ID
		add = append(add, s)
	}
	for _, s := range add {
		// A dualstack or ipv6 endpoint's interface has one IPv6 address
		// of the subnet's, or the configured one ([probable]: one, as an
		// IPv4 endpoint's has one IPv4 address).
		var v6 []netip.Addr
		count := 0
		if ep.AddressType() != "ipv4" {
			if a, ok := fixed.v6[s.ID]; ok {
				v6 = []netip.Addr{a}
			} else {
				count = 1
			}
		}
		n, err := t.newENI(eniSpec{
			subnet:      s,
			privateIP:   fixed.v4[s.ID],
			ipv6Count:   count,
			ipv6:        v6,
			groups:      ep.SecurityGroups,
			description: "VPC Endpoint Interface " + string(ep.ID),
			typ:         model.InterfaceEndpoint,
			ownerKind:   model.OwnedByVpcEndpoint,
			managedBy:   string(ep.ID),
			requester:   endpointRequesterID,
		})
		if err != nil {
			return err
		}
		ep.Subnets = append(ep.Subnets, s.ID)
		ep.NetworkInterfaces = append(ep.NetworkInterfaces, n.ID)
	}
	return nil
}

// removeEndpointSubnet deletes an interface endpoint's ENI in a subnet.
func (t *txn) removeEndpointSubnet(ep *model.VpcEndpoint, id model.SubnetID) {
	i := slices.Index(ep.Subnets, id)
	if i < 0 {
		return
	}
	if i < len(ep.NetworkInterfaces) {
		t.deleteENI(ep.NetworkInterfaces[i])
		ep.NetworkInterfaces = slices.Delete(ep.NetworkInterfaces, i, i+1)
	}
	ep.Subnets = slices.Delete(ep.Subnets, i, i+1)
}

// endpoint returns the endpoint with the given id.
func (t *txn) endpoint(id model.VpcEndpointID) (*model.VpcEndpoint, error) {
	if !wellFormedID(string(id), "vpce") {
		return nil, errEndpointMalformed("InvalidVpcEndpointId.Malformed", string(id), "vpce")
	}
	ep := t.st.VpcEndpoints[id]
	if ep == nil {
		return nil, errEndpointNotFound(id)
	}
	return ep, nil
}

func cloneEndpoint(ep *model.VpcEndpoint) *model.VpcEndpoint {
	c := *ep
	c.RouteTables = slices.Clone(ep.RouteTables)
	c.Subnets = slices.Clone(ep.Subnets)
	c.NetworkInterfaces = slices.Clone(ep.NetworkInterfaces)
	c.SecurityGroups = slices.Clone(ep.SecurityGroups)
	c.Tags = ep.Tags.Clone()
	return &c
}

// ModifyVpcEndpointInput changes an endpoint; empty fields change nothing.
type ModifyVpcEndpointInput struct {
	ID                     model.VpcEndpointID
	AddRouteTableIDs       []model.RouteTableID
	RemoveRouteTableIDs    []model.RouteTableID
	AddSubnetIDs           []model.SubnetID
	RemoveSubnetIDs        []model.SubnetID
	AddSecurityGroupIDs    []model.SecurityGroupID
	RemoveSecurityGroupIDs []model.SecurityGroupID
	PrivateDNSEnabled      *bool
	PolicyDocument         *string
	ResetPolicy            bool
	// SubnetConfigurations moves an interface's address: "we replace the
	// existing endpoint network interface with a new endpoint network
	// interface with this IP address"; a subnet the endpoint is not in is
	// added with the address ([choice]).
	SubnetConfigurations []EndpointSubnetConfiguration
	// IPAddressType and DNSRecordIPType change an interface endpoint's
	// IP address type and DNS record IP type; a record type not given
	// after a new address type is the new type's default ([choice]).
	IPAddressType   *string
	DNSRecordIPType *string
}

// ModifyVpcEndpoint changes an endpoint: a gateway endpoint's route tables
// (adding or removing its prefix-list routes), an interface endpoint's
// subnets (creating or deleting ENIs, one subnet per zone), security groups
// (applied to every ENI; at least one must remain) and private DNS, and the
// policy.
func (e *Engine) ModifyVpcEndpoint(in ModifyVpcEndpointInput) (*model.VpcEndpoint, error) {
	if in.PolicyDocument != nil {
		if err := checkEndpointPolicy(*in.PolicyDocument); err != nil {
			return nil, err
		}
	}
	var out *model.VpcEndpoint
	err := e.write(func(t *txn) error {
		ep, err := t.endpoint(in.ID)
		if err != nil {
			return err
		}
		c := cloneEndpoint(ep)
		if c.Type == endpointGWLB && (len(in.AddSubnetIDs)+len(in.RemoveSubnetIDs)+len(in.AddSecurityGroupIDs)+len(in.RemoveSecurityGroupIDs)+
			len(in.AddRouteTableIDs)+len(in.RemoveRouteTableIDs) > 0 || in.PrivateDNSEnabled != nil) {
			// "You can't change this subnet later on" (PrivateLink guide,
			// Gateway Load Balancer endpoints); the text is UNVERIFIED.
			return apierr.New("InvalidParameter", "The subnet, security groups, route tables and private DNS of a Gateway Load Balancer endpoint cannot be changed")
		}
		if c.Type == endpointGateway {
			if len(in.AddSubnetIDs)+len(in.RemoveSubnetIDs)+len(in.AddSecurityGroupIDs)+len(in.RemoveSecurityGroupIDs) > 0 || in.PrivateDNSEnabled != nil {
				return apierr.New("InvalidParameter", "Subnets, security groups and private DNS apply to interface endpoints only") // UNVERIFIED text
			}
			for _, id := range in.RemoveRouteTableIDs {
				t.removeEndpointRoute(c, id)
			}
			for _, id := range in.AddRouteTableIDs {
				if err := t.addEndpointRoute(c, id); err != nil {
					return err
				}
			}
		} else {
			if len(in.AddRouteTableIDs)+len(in.RemoveRouteTableIDs) > 0 {
				return apierr.New("InvalidParameter", "Route tables apply to gateway endpoints only") // UNVERIFIED text
			}
			v := t.st.VPCs[c.VpcID]
			if len(in.AddSecurityGroupIDs)+len(in.RemoveSecurityGroupIDs) > 0 {
				groups := slices.DeleteFunc(slices.Clone(c.SecurityGroups), func(g model.SecurityGroupID) bool {
					return slices.Contains(in.RemoveSecurityGroupIDs, g)
				})
				if len(in.AddSecurityGroupIDs) > 0 {
					add, err := t.endpointGroups(v, in.AddSecurityGroupIDs)
					if err != nil {
						return err
					}
					for _, g := range add {
						if !slices.Contains(groups, g) {
							groups = append(groups, g)
						}
					}
				}
				if len(groups) == 0 {
					return apierr.New("InvalidParameter", "An interface endpoint must have at least one security group") // UNVERIFIED text
				}
				if len(groups) > maxSGsPerENI {
					return apierr.New("SecurityGroupsPerInterfaceLimitExceeded", "The maximum number of security groups per interface has been reached.")
				}
				c.SecurityGroups = groups
				for _, id := range c.NetworkInterfaces {
					if n := t.st.NetworkInterfaces[id]; n != nil {
						nc := cloneENI(n)
						nc.SecurityGroups = slices.Clone(groups)
						t.putENI(nc)
					}
				}
			}
			ipType, dnsType := c.AddressType(), c.DNSRecordIPType
			if in.IPAddressType != nil && *in.IPAddressType != ipType {
				ipType, dnsType = *in.IPAddressType, ""
			}
			if in.DNSRecordIPType != nil {
				dnsType = *in.DNSRecordIPType
			}
			if err := checkEndpointIPTypes(ipType, dnsType); err != nil {
				return err
			}
			if ipType != c.AddressType() || dnsType != c.DNSRecordIPType {
				if t.accountEndpointService(c.ServiceName) != nil && (ipType != "ipv4" || dnsType != "" && dnsType != "ipv4") {
					return apierr.New("UnsupportedOperation", "ecsnet models endpoints of IP address type ipv4 only to endpoint services.")
				}
			}
			c.IPAddressType, c.DNSRecordIPType = ipType, dnsType
			if ipType == "ipv4" {
				c.IPAddressType = ""
			}
			if dnsType == ipType {
				c.DNSRecordIPType = ""
			}
			fixed, extra, err := endpointAddresses(c.Type, ipType, append(slices.Clone(c.Subnets), in.AddSubnetIDs...), in.SubnetConfigurations)
			if err != nil {
				return err
			}
			for _, id := range in.RemoveSubnetIDs {
				t.removeEndpointSubnet(c, id)
			}
			for _, id := range slices.Clone(c.Subnets) {
				i := slices.Index(c.Subnets, id)
				if i >= len(c.NetworkInterfaces) {
					continue
				}
				// An interface whose addresses are not the ones configured,
				// or not of the (new) IP address type's families, is
				// replaced by a new one ([choice], as SubnetConfigurations:
				// "we replace the existing endpoint network interface").
				n := t.st.NetworkInterfaces[c.NetworkInterfaces[i]]
				if n != nil && !fixed.configured(id) && endpointENIFits(ipType, n) {
					continue
				}
				if n != nil && fixed.configured(id) && endpointENIFits(ipType, n) && n.PrimaryIP() == fixed.v4[id] && (len(n.IPv6) > 0 && n.IPv6[0] == fixed.v6[id]) == fixed.v6[id].IsValid() {
					continue
				}
				if s := t.st.Subnets[id]; s != nil {
					if err := endpointSubnetFits(ipType, s); err != nil {
						return err
					}
				}
				t.removeEndpointSubnet(c, id)
				extra = append(extra, id)
			}
			if err := t.addEndpointSubnets(c, append(slices.Clone(in.AddSubnetIDs), extra...), fixed); err != nil {
				return err
			}
			if in.PrivateDNSEnabled != nil && *in.PrivateDNSEnabled != c.PrivateDNSEnabled {
				if *in.PrivateDNSEnabled {
					spec, _ := t.e.endpointService(c.ServiceName)
					if err := t.checkPrivateDNS(v, spec, c); err != nil {
						return err
					}
				}
				c.PrivateDNSEnabled = *in.PrivateDNSEnabled
			}
		}
		switch {
		case in.ResetPolicy:
			c.PolicyDocument = defaultPolicyFor(c.Type)
		case in.PolicyDocument != nil:
			c.PolicyDocument = *in.PolicyDocument
		}
		put(t, model.KindVpcEndpoint, t.st.VpcEndpoints, c.ID, c)
		out = c
		return nil
	})
	return out, err
}

// endpointENIFits reports whether an endpoint's interface has the address
// families of an IP address type.
func endpointENIFits(ipType string, n *model.NetworkInterface) bool {
	has4, has6 := n.PrimaryIP().Is4(), len(n.IPv6) > 0
	return has4 == (ipType != "ipv6") && has6 == (ipType != "ipv4")
}

// EndpointUnsuccessfulItem is DeleteVpcEndpoints' report of an endpoint it
// could not delete (EC2's UnsuccessfulItem).
type EndpointUnsuccessfulItem struct {
	ResourceID string
	Code       string
	Message    string
}

// DeleteVpcEndpoints deletes endpoints: a gateway endpoint's routes go from
// its route tables, an interface endpoint's ENIs are deleted. As on AWS, an
// id that does not exist does not fail the call but comes back as an
// unsuccessful item (InvalidVpcEndpoint.NotFound); a malformed id fails the
// whole call.
func (e *Engine) DeleteVpcEndpoints(ids []model.VpcEndpointID) ([]EndpointUnsuccessfulItem, error) {
	if len(ids) == 0 {
		return nil, errMissingParameter("VpcEndpointId")
	}
	for _, id := range ids {
		if !wellFormedID(string(id), "vpce") {
			return nil, errEndpointMalformed("InvalidVpcEndpointId.Malformed", string(id), "vpce")
		}
	}
	var out []EndpointUnsuccessfulItem
	err := e.write(func(t *txn) error {
		for _, id := range ids {
			ep := t.st.VpcEndpoints[id]
			if ep == nil {
				// Code from the EC2 error list (bulk requests report it per
				// item); the message follows InvalidVpcEndpointId.NotFound's.
				out = append(out, EndpointUnsuccessfulItem{ResourceID: string(id), Code: "InvalidVpcEndpoint.NotFound",
					Message: fmt.Sprintf("The Vpc Endpoint Id '%s' does not exist", id)})
				continue
			}
			c := cloneEndpoint(ep)
			for _, rt := range slices.Clone(c.RouteTables) {
				t.removeEndpointRoute(c, rt)
			}
			for _, n := range c.NetworkInterfaces {
				t.deleteENI(n)
			}
			del(t, model.KindVpcEndpoint, t.st.VpcEndpoints, id)
		}
		return nil
	})
	return out, err
}

// defaultPolicyFor is the policy an endpoint of type typ gets when none is
// given.
func defaultPolicyFor(typ string) string {
	if typ == endpointGateway {
		return defaultEndpointPolicy
	}
	return defaultInterfacePolicy
}

// checkEndpointPolicy refuses an endpoint policy that is not a JSON
// object: "InvalidPolicyDocument: The Policy Document is not valid.
// Syntax error at position (1,75)" (hashicorp/terraform-provider-aws#42291);
// the position is the line and column where the JSON parser stopped
// [choice: AWS's parser and its counting are not published].
func checkEndpointPolicy(doc string) error {
	if doc == "" {
		return nil
	}
	var v any
	err := json.Unmarshal([]byte(doc), &v)
	if _, object := v.(map[string]any); err == nil && object {
		return nil
	}
	offset := 1
	var se *json.SyntaxError
	if errors.As(err, &se) {
		offset = max(int(se.Offset), 1)
	}
	line, col := 1, offset
	if i := strings.LastIndexByte(doc[:min(offset-1, len(doc))], '\n'); i >= 0 {
		line, col = 1+strings.Count(doc[:i+1], "\n"), offset-1-i
	}
	return apierr.Newf("InvalidPolicyDocument", "The Policy Document is not valid. Syntax error at position (%d,%d)", line, col)
}
