package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Load balancer types, schemes and the requester id of their node ENIs.
const (
	lbApplication    = "application"
	lbNetwork        = "network"
	lbGateway        = "gateway"
	lbInternetFacing = "internet-facing"
	lbInternal       = "internal"
	elbRequesterID   = "amazon-elb"
	// lbMinFreeAddrs is how many free addresses ELB wants in each subnet.
	lbMinFreeAddrs = 8
	lbNameMax      = 32
)

// SubnetMapping places a load balancer node in a subnet, optionally with an
// Elastic IP (internet-facing NLB) or a fixed private address (internal NLB).
type SubnetMapping struct {
	SubnetID     model.SubnetID
	AllocationID model.AllocationID
	PrivateIPv4  string
	// IPv6Address is a dual-stack NLB node's IPv6 address.
	IPv6Address string
}

// CreateLoadBalancerInput is CreateLoadBalancer's input. Give Subnets or
// SubnetMappings, not both.
type CreateLoadBalancerInput struct {
	Name           string
	Type           string // "application" (default), "network" or "gateway"
	Scheme         string // "internet-facing" (default) or "internal"; none for "gateway"
	Subnets        []model.SubnetID
	SubnetMappings []SubnetMapping
	SecurityGroups []model.SecurityGroupID
	IPAddressType  string // "ipv4" (default), "dualstack", "dualstack-without-public-ipv4"
	Tags           model.Tags
	TagOrder       []string // Tags' keys in the request's order
}

// lbNodeSpec is one validated node of a load balancer being created.
type lbNodeSpec struct {
	subnet    *model.Subnet
	eip       *model.Address
	privateIP netip.Addr
	ipv6      netip.Addr
}

// CreateLoadBalancer creates an Application Load Balancer (the default), a
// Network Load Balancer or a Gateway Load Balancer, as AWS does:
//   - the name has at most 32 alphanumeric characters or hyphens, does not
//     begin or end with a hyphen and does not begin with "internal-";
//   - the subnets are in one VPC, one per Availability Zone; an ALB needs
//     subnets in at least two zones;
//   - an internet-facing load balancer needs an internet gateway attached to
//     its VPC;
//   - an ALB without security groups gets the VPC's default group; an NLB
//     keeps none unless given some;
//   - every subnet gets a node: a requester-managed ENI ("ELB app/<name>/<id>"
//     or "ELB net/<name>/<id>", requester "amazon-elb") that carries the
//     load balancer's security groups and, when internet-facing, a public IP
//     (an NLB subnet mapping's Elastic IP, else an Amazon-owned address);
//   - a Gateway Load Balancer takes no scheme and no security groups
//     (botocore CreateLoadBalancerInput), has no DNS name, cross-zone load
//     balancing off, and nodes of type gateway_load_balancer.
//
// Creating a load balancer that exists with the same settings returns it
// (AWS's CreateLoadBalancer is idempotent); different settings fail with
// DuplicateLoadBalancerName. ecsnet makes the load balancer "active" at
// once instead of passing through "provisioning".
func (e *Engine) CreateLoadBalancer(in CreateLoadBalancerInput) (*model.LoadBalancer, error) {
	typ := in.Type
	if typ == "" {
		typ = lbApplication
	}
	if typ != lbApplication && typ != lbNetwork && typ != lbGateway {
		return nil, errELBEnum(in.Type, "type", lbApplication, lbNetwork, lbGateway)
	}
	scheme := in.Scheme
	if scheme == "" && typ != lbGateway {
		scheme = lbInternetFacing
	}
	if typ == lbGateway {
		if scheme != "" {
			// The API reference's words (CreateLoadBalancerInput.Scheme).
			return nil, errELBValidation("You can't specify a scheme for a Gateway Load Balancer.")
		}
		if len(in.SecurityGroups) > 0 {
			return nil, errELBConfig("Security groups are not supported for load balancers with type 'gateway'") // probable text
		}
	} else if scheme != lbInternetFacing && scheme != lbInternal {
		return nil, errELBEnum(in.Scheme, "scheme", lbInternetFacing, lbInternal)
	}
	ipType := in.IPAddressType
	if ipType == "" {
		ipType = "ipv4"
	}
	if err := checkIPAddressType(typ, scheme, ipType); err != nil {
		return nil, err
	}
	if err := checkLBName(in.Name); err != nil {
		return nil, err
	}
	mappings := in.SubnetMappings
	switch {
	case len(in.Subnets) > 0 && len(in.SubnetMappings) > 0:
		return nil, errELBValidation("You can specify subnets or subnet mappings, but not both") // UNVERIFIED text
	case len(in.Subnets) > 0:
		mappings = make([]SubnetMapping, len(in.Subnets))
		for i, s := range in.Subnets {
			mappings[i] = SubnetMapping{SubnetID: s}
		}
	}
	if len(mappings) == 0 {
		if typ == lbApplication {
			return nil, errELBValidation("At least two subnets in two different Availability Zones must be specified")
		}
		return nil, errELBValidation("At least one subnet must be specified") // UNVERIFIED text
	}
	var out *model.LoadBalancer
	err := e.write(func(t *txn) error {
		nodes, vpc, err := t.lbNodes(typ, scheme, mappings)
		if err != nil {
			return err
		}
		if err := lbCheckIPv6(ipType, nodes, mappings); err != nil {
			return err
		}
		groups, err := t.lbGroups(typ, vpc, in.SecurityGroups)
		if err != nil {
			return err
		}
		for _, lb := range sortedValues(t.st.LoadBalancers) {
			if lb.Name != in.Name {
				continue
			}
			if sameLBSettings(lb, typ, scheme, nodes, groups, len(in.SecurityGroups) > 0) {
				out = lb
				return nil
			}
			return errDuplicateLBName(in.Name)
		}
		if err := t.lbCheckFreeAddrs(nodes); err != nil {
			return err
		}
		in.IPAddressType = ipType
		out, err = t.createLB(in, typ, scheme, vpc, nodes, groups)
		return err
	})
	return out, err
}

// checkLBName applies AWS's load balancer name rules.
func checkLBName(name string) error {
	switch {
	case name == "":
		return errELBValidation("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
	case len(name) > lbNameMax:
		return errELBValidation("The load balancer name '%s' cannot be longer than '32' characters", name)
	case !alnumHyphen(name):
		return errELBValidation("The load balancer name '%s' can only contain characters that are alphanumeric characters and hyphens(-)", name)
	case strings.HasPrefix(name, "-"):
		return errELBValidation("The load balancer name '%s' cannot begin with a hyphen(-)", name)
	case strings.HasSuffix(name, "-"):
		return errELBValidation("The load balancer name '%s' cannot end with a hyphen(-)", name)
	case strings.HasPrefix(name, "internal-"):
		return errELBValidation("The load balancer name '%s' cannot begin with 'internal-'", name)
	}
	return nil
}

// alnumHyphen reports whether s holds only ASCII letters, digits and hyphens.
func alnumHyphen(s string) bool {
	for _, c := range s {
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// lbNodes validates a load balancer's subnets (and their Elastic IPs or
// private addresses) and returns one node per subnet, in the order given.
func (t *txn) lbNodes(typ, scheme string, mappings []SubnetMapping) ([]lbNodeSpec, model.VpcID, error) {
	var nodes []lbNodeSpec
	var vpc model.VpcID
	zones := map[string]model.SubnetID{}
	for _, m := range mappings {
		s := t.st.Subnets[m.SubnetID]
		if s == nil {
			// Probable text (EC2's); the code is ELBv2's SubnetNotFound.
			return nil, "", apierr.Newf("SubnetNotFound", "The subnet ID '%s' does not exist", m.SubnetID)
		}
		if vpc == "" {
			vpc = s.VpcID
		} else if s.VpcID != vpc {
			return nil, "", errELBConfig("Subnets must all be in the same VPC; '%s' is in '%s', not '%s'", s.ID, s.VpcID, vpc) // UNVERIFIED text
		}
		if _, dup := zones[s.AvailabilityZone]; dup {
			return nil, "", errELBConfig("A load balancer cannot be attached to multiple subnets in the same Availability Zone")
		}
		zones[s.AvailabilityZone] = s.ID
		n := lbNodeSpec{subnet: s}
		if m.AllocationID != "" {
			if typ != lbNetwork || scheme != lbInternetFacing {
				return nil, "", errELBConfig("Elastic IP addresses can only be specified for internet-facing Network Load Balancers") // UNVERIFIED text
			}
			a := t.st.Addresses[m.AllocationID]
			if a == nil {
				return nil, "", apierr.Newf("AllocationIdNotFound", "The allocation ID '%s' does not exist", m.AllocationID) // UNVERIFIED text
			}
			if a.AssociationID != "" {
				return nil, "", errELBConfig("Elastic IP address '%s' is already associated", a.AllocationID) // UNVERIFIED text
			}
			for _, other := range nodes {
				if other.eip != nil && other.eip.AllocationID == a.AllocationID {
					return nil, "", errELBConfig("Elastic IP address '%s' is already associated", a.AllocationID) // UNVERIFIED text
				}
			}
			n.eip = a
		}
		if m.PrivateIPv4 != "" {
			ip, err := netip.ParseAddr(m.PrivateIPv4)
			if typ != lbNetwork || scheme != lbInternal {
				return nil, "", errELBConfig("Private IPv4 addresses can only be specified for internal Network Load Balancers") // UNVERIFIED text
			}
			if err != nil || !ip.Is4() || !s.CIDR.Contains(ip) || s.Reserved(ip) {
				return nil, "", errELBConfig("The private IPv4 address '%s' is not valid for subnet '%s'", m.PrivateIPv4, s.ID) // UNVERIFIED text
			}
			if _, taken := t.e.idx.privateIPs[vpcAddr{s.VpcID, ip}]; taken {
				return nil, "", errELBConfig("The private IPv4 address '%s' is already in use", m.PrivateIPv4) // UNVERIFIED text
			}
			n.privateIP = ip
		}
		nodes = append(nodes, n)
	}
	if typ == lbApplication && len(zones) < 2 {
		return nil, "", errELBValidation("At least two subnets in two different Availability Zones must be specified")
	}
	if scheme == lbInternetFacing && t.st.VpcInternetGateway(vpc) == nil {
		return nil, "", errELBInvalidSubnet("VPC %s has no internet gateway", vpc)
	}
	return nodes, vpc, nil
}

// IP address types of load balancers.
const (
	ipDualstack         = "dualstack"
	ipDualstackNoPublic = "dualstack-without-public-ipv4"
)

// checkIPAddressType validates a load balancer's IP address type:
// dualstack-without-public-ipv4 is for internet-facing Application Load
// Balancers only.
func checkIPAddressType(typ, scheme, ipType string) error {
	switch ipType {
	case "ipv4", ipDualstack:
	case ipDualstackNoPublic:
		if typ != lbApplication || scheme != lbInternetFacing {
			return errELBValidation("IP address type 'dualstack-without-public-ipv4' is only supported for internet-facing Application Load Balancers") // probable
		}
	default:
		return errELBEnum(ipType, "ipAddressType", "ipv4", ipDualstack, ipDualstackNoPublic)
	}
	return nil
}

// lbCheckIPv6 checks a dual-stack load balancer's subnets (each needs an
// IPv6 block) and the IPv6 addresses of its subnet mappings.
func lbCheckIPv6(ipType string, nodes []lbNodeSpec, mappings []SubnetMapping) error {
	for i := range nodes {
		m := mappings[i]
		if ipType == "ipv4" {
			if m.IPv6Address != "" {
				return errELBValidation("IPv6 addresses can only be specified for dualstack load balancers") // probable
			}
			continue
		}
		block, ok := subnetIPv6Block(nodes[i].subnet)
		if !ok {
			// AWS's text (kubernetes-sigs/aws-load-balancer-controller#4852).
			return errELBValidation("You must specify subnets with an associated IPv6 CIDR block.")
		}
		if m.IPv6Address != "" {
			a, err := netip.ParseAddr(m.IPv6Address)
			if err != nil || !a.Is6() || a.Is4In6() || !block.Contains(a) {
				return errELBConfig("The IPv6 address '%s' is not valid for subnet '%s'", m.IPv6Address, nodes[i].subnet.ID) // probable
			}
			nodes[i].ipv6 = a
		}
	}
	return nil
}

// lbGroups validates a load balancer's security groups: all in its VPC. An
// ALB given none gets the VPC's default group; an NLB given none has none.
func (t *txn) lbGroups(typ string, vpc model.VpcID, groups []model.SecurityGroupID) ([]model.SecurityGroupID, error) {
	if len(groups) == 0 {
		if typ == lbApplication {
			return []model.SecurityGroupID{t.st.VPCs[vpc].DefaultSecurityGroup}, nil
		}
		return nil, nil
	}
	var out []model.SecurityGroupID
	for _, g := range groups {
		sg := t.st.SecurityGroups[g]
		if sg == nil {
			return nil, apierr.Newf("InvalidSecurityGroup", "Security group '%s' does not exist", g) // UNVERIFIED text
		}
		if sg.VpcID != vpc {
			return nil, errELBConfig("Security group '%s' does not belong to VPC '%s'", g, vpc)
		}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	if len(out) > maxSGsPerENI {
		return nil, apierr.New("TooManySecurityGroups", "You've reached the limit on the number of security groups per load balancer") // UNVERIFIED text
	}
	return out, nil
}

// lbCheckFreeAddrs fails when a subnet has fewer than eight free addresses.
func (t *txn) lbCheckFreeAddrs(nodes []lbNodeSpec) error {
	for _, n := range nodes {
		if t.freeAddrs(n.subnet) < lbMinFreeAddrs {
			return errELBInvalidSubnet("Not enough IP space available in %s. ELB requires at least 8 free IP addresses in each subnet.", n.subnet.ID)
		}
	}
	return nil
}

// freeAddrs counts a subnet's free private addresses: its size less the five
// AWS reserves less those ENIs hold.
func (t *txn) freeAddrs(s *model.Subnet) int {
	return 1<<(32-s.CIDR.Bits()) - 5 - t.e.idx.subnetAddrs[s.ID]
}

// sameLBSettings reports whether lb matches a repeated create request.
func sameLBSettings(lb *model.LoadBalancer, typ, scheme string, nodes []lbNodeSpec, groups []model.SecurityGroupID, groupsGiven bool) bool {
	if lb.Type != typ || lb.Scheme != scheme || len(lb.Nodes) != len(nodes) {
		return false
	}
	for _, n := range nodes {
		if !slices.ContainsFunc(lb.Nodes, func(x model.LoadBalancerNode) bool { return x.SubnetID == n.subnet.ID }) {
			return false
		}
	}
	if !groupsGiven {
		return true
	}
	a, b := slices.Clone(lb.SecurityGroups), slices.Clone(groups)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// createLB stores a new load balancer and creates its node ENIs.
func (t *txn) createLB(in CreateLoadBalancerInput, typ, scheme string, vpc model.VpcID, nodes []lbNodeSpec, groups []model.SecurityGroupID) (*model.LoadBalancer, error) {
	id := t.e.ids.Hex(16)
	seg := lbARNSegment(typ)
	region := t.e.cfg.Region
	lb := &model.LoadBalancer{
		ARN:                   t.e.cfg.arn("elasticloadbalancing", fmt.Sprintf("loadbalancer/%s/%s/%s", seg, in.Name, id)),
		Name:                  in.Name,
		Type:                  typ,
		Scheme:                scheme,
		VpcID:                 vpc,
		SecurityGroups:        groups,
		State:                 "active",
		IPAddressType:         in.IPAddressType,
		CrossZone:             typ == lbApplication,
		CreatedAt:             t.now,
		Tags:                  in.Tags.Clone(),
		TagOrder:              model.TagOrderAfter(nil, in.TagOrder, in.Tags),
		CanonicalHostedZoneID: lbHostedZone(typ, region),
	}
	switch typ {
	case lbGateway:
		// A Gateway Load Balancer has no DNS name: traffic reaches it
		// through routes to its endpoints (awscli's create-load-balancer
		// example 4 shows neither a DNS name, a hosted zone nor a scheme).
		lb.CanonicalHostedZoneID = ""
	case lbApplication:
		// ALB names carry a random decimal number (8 to 10 digits in real
		// dumps), unrelated to the ARN's id.
		prefix := ""
		if scheme == lbInternal {
			prefix = "internal-"
		}
		lb.DNSName = fmt.Sprintf("%s%s-%d.%s.elb.%s", prefix, in.Name, 1+t.e.ids.Uint64()%(1<<31-1), region, model.DNSSuffix(region))
	default:
		// NLB names carry the ARN's id (internal ones get no prefix).
		lb.DNSName = fmt.Sprintf("%s-%s.elb.%s.%s", in.Name, id, region, model.DNSSuffix(region))
	}
	for _, n := range nodes {
		node, err := t.newLBNode(lb, n)
		if err != nil {
			return nil, err
		}
		lb.Nodes = append(lb.Nodes, node)
	}
	put(t, model.KindLoadBalancer, t.st.LoadBalancers, lb.ARN, lb)
	return lb, nil
}

func lbARNSegment(typ string) string {
	switch typ {
	case lbNetwork:
		return "net"
	case lbGateway:
		return "gwy"
	}
	return "app"
}

// newLBNode creates the node ENI of a load balancer in one subnet.
func (t *txn) newLBNode(lb *model.LoadBalancer, n lbNodeSpec) (model.LoadBalancerNode, error) {
	name, id := lbNameID(lb.ARN)
	typ := model.InterfaceNormal
	// Node ENIs show as attached, to an instance owned by ELB
	// ("amazon-elb" for ALBs, "amazon-aws" for NLBs): Terraform's provider
	// waits for them to go by these owners (waitForALBNetworkInterfacesToDetach).
	owner := elbRequesterID
	switch lb.Type {
	case lbNetwork:
		typ, owner = model.InterfaceNLB, "amazon-aws"
	case lbGateway:
		typ, owner = model.InterfaceGWLB, "amazon-aws" // [choice] the owner, as an NLB's
	}
	spec := eniSpec{
		attachment: &model.ENIAttachment{ID: model.ENIAttachmentID(t.newID("eni-attach")), InstanceOwnerID: owner, DeviceIndex: 1,
			Status: "attached", AttachedAt: t.now},
		subnet:      n.subnet,
		privateIP:   n.privateIP,
		groups:      lb.SecurityGroups,
		description: fmt.Sprintf("ELB %s/%s/%s", lbARNSegment(lb.Type), name, id),
		typ:         typ,
		ownerKind:   model.OwnedByLoadBalancer,
		managedBy:   lb.ARN,
		requester:   elbRequesterID,
		publicIP:    lb.Scheme == lbInternetFacing && n.eip == nil && lb.IPAddressType != ipDualstackNoPublic,
	}
	if lb.IPAddressType != "ipv4" {
		if n.ipv6.IsValid() {
			spec.ipv6 = []netip.Addr{n.ipv6}
		} else {
			spec.ipv6Count = 1
		}
	}
	eni, err := t.newENI(spec)
	if err != nil {
		if apierr.HasCode(err, "InsufficientFreeAddressesInSubnet") {
			return model.LoadBalancerNode{}, errELBInvalidSubnet("Not enough IP space available in %s. ELB requires at least 8 free IP addresses in each subnet.", n.subnet.ID)
		}
		return model.LoadBalancerNode{}, err
	}
	if len(lb.SecurityGroups) == 0 || n.eip != nil {
		c := cloneENI(eni)
		if len(lb.SecurityGroups) == 0 {
			c.SecurityGroups = nil // newENI gives the default group; an NLB without groups has none
		}
		if n.eip != nil {
			assoc := model.EIPAssociationID(t.newID("eipassoc"))
			c.PrivateIPs[0].PublicIP = &model.PublicIPAssociation{PublicIP: n.eip.PublicIP, AllocationID: n.eip.AllocationID,
				AssociationID: assoc, IPOwnerID: t.e.cfg.Account}
			na := *n.eip
			na.AssociationID, na.NetworkInterfaceID, na.PrivateIP, na.InstanceID = assoc, c.ID, c.PrimaryIP(), ""
			t.putAddress(&na)
		}
		t.putENI(c)
		eni = c
	}
	node := model.LoadBalancerNode{SubnetID: n.subnet.ID, AvailabilityZone: n.subnet.AvailabilityZone, ENI: eni.ID,
		FixedPrivateIPv4: n.privateIP, FixedIPv6: n.ipv6}
	if n.eip != nil {
		node.AllocationID = n.eip.AllocationID
	}
	return node, nil
}

// deleteLBNode deletes a node ENI, first giving back its Elastic IP.
func (t *txn) deleteLBNode(node model.LoadBalancerNode) {
	n := t.st.NetworkInterfaces[node.ENI]
	if n == nil {
		return
	}
	for _, p := range n.PrivateIPs {
		if p.PublicIP != nil && p.PublicIP.AllocationID != "" {
			t.unlinkAddress(p.PublicIP.AllocationID)
		}
	}
	t.deleteENI(node.ENI)
}

// lbNameID returns the name and id parts of a load balancer ARN
// (…:loadbalancer/app/<name>/<id>).
func lbNameID(arn string) (string, string) {
	_, rest, _ := strings.Cut(arn, ":loadbalancer/")
	parts := strings.Split(rest, "/")
	if len(parts) != 3 {
		return "", ""
	}
	return parts[1], parts[2]
}

// validLBARN reports whether arn has the shape of a load balancer ARN.
func validLBARN(arn string) bool {
	if _, ok := model.CutARN(arn, "elasticloadbalancing"); !ok {
		return false
	}
	_, rest, ok := strings.Cut(arn, ":loadbalancer/")
	parts := strings.Split(rest, "/")
	return ok && len(parts) == 3 && (parts[0] == "app" || parts[0] == "net" || parts[0] == "gwy") && parts[1] != "" && parts[2] != ""
}

// lbHostedZone returns the Route 53 hosted zone of a region's load balancer
// DNS names (AWS General Reference, "Elastic Load Balancing endpoints").
// Regions not listed get us-east-1's zones.
func lbHostedZone(typ, region string) string {
	if typ == lbNetwork {
		switch region {
		case "us-east-2":
			return "ZLMOA37VPKANP"
		case "us-west-1":
			return "Z24FKFUX50B4VW"
		case "us-west-2":
			return "Z18D5FSROUN65G"
		case "ca-central-1":
			return "Z2EPGBW3API2WT"
		case "eu-central-1":
			return "Z3F0SRJ5LGBH90"
		case "eu-west-1":
			return "Z2IFOLAFXWLO4F"
		case "eu-west-2":
			return "ZD4D7Y8KGAS4G"
		case "eu-west-3":
			return "Z1CMS0P5QUZ6D5"
		case "eu-north-1":
			return "Z1UDT6IFJ4EJM"
		case "ap-northeast-1":
			return "Z31USIVHYNEOWT"
		case "ap-northeast-2":
			return "ZIBE1TIR4HY56"
		case "ap-southeast-1":
			return "ZKVM4W9LS7TM"
		case "ap-southeast-2":
			return "ZCT6FZBF4DROD"
		case "ap-south-1":
			return "ZVDDRBQ08TROA"
		case "sa-east-1":
			return "ZTK26PT1VY4CU"
		}
		return "Z26RNL4JYFTOTI"
	}
	switch region {
	case "us-east-2":
		return "Z3AADJGX6KTTL2"
	case "us-west-1":
		return "Z368ELLRRE2KJ0"
	case "us-west-2":
		return "Z1H1FL5HABSF5"
	case "ca-central-1":
		return "ZQSVJUPU6J1EY"
	case "eu-central-1":
		return "Z215JYRZR1TBD5"
	case "eu-west-1":
		return "Z32O12XQLNTSW2"
	case "eu-west-2":
		return "ZHURV8PSTC4K8"
	case "eu-west-3":
		return "Z3Q77PNBQS71R4"
	case "eu-north-1":
		return "Z23TAZ6LKFMNIO"
	case "ap-northeast-1":
		return "Z14GRHDCWA56QT"
	case "ap-northeast-2":
		return "ZWKZPGTI48KDX"
	case "ap-southeast-1":
		return "Z1LMS91P8CMLE5"
	case "ap-southeast-2":
		return "Z1GM3OXH4ZPM65"
	case "ap-south-1":
		return "ZP97RAFLXTNZK"
	case "sa-east-1":
		return "Z2P70J7HTTTPLU"
	}
	return "Z35SXDOTRQ7X7K"
}

func cloneLB(lb *model.LoadBalancer) *model.LoadBalancer {
	c := *lb
	c.Nodes = slices.Clone(lb.Nodes)
	c.SecurityGroups = slices.Clone(lb.SecurityGroups)
	c.Tags = lb.Tags.Clone()
	return &c
}

// loadBalancer returns the load balancer with the given ARN: ValidationError
// for a malformed ARN, LoadBalancerNotFound for an unknown one.
func (t *txn) loadBalancer(arn string) (*model.LoadBalancer, error) {
	if !validLBARN(arn) {
		return nil, errBadARN(arn, "load balancer")
	}
	lb := t.st.LoadBalancers[arn]
	if lb == nil {
		return nil, errLBNotFound()
	}
	return lb, nil
}

// DeleteLoadBalancer deletes a load balancer with its listeners, their
// rules and its node ENIs (giving back any Elastic IPs and Amazon-owned
// public addresses). Its target groups and their targets stay. As on AWS,
// deleting a load balancer that does not exist succeeds.
func (e *Engine) DeleteLoadBalancer(arn string) error {
	if !validLBARN(arn) {
		return errBadARN(arn, "load balancer")
	}
	return e.write(func(t *txn) error {
		lb := t.st.LoadBalancers[arn]
		if lb == nil {
			return nil
		}
		// "You can't delete a load balancer if deletion protection is
		// enabled" (DeleteLoadBalancer, ELBv2 API reference).
		if lb.Attributes["deletion_protection.enabled"] == "true" {
			return apierr.Newf("OperationNotPermitted", "Load balancer '%s' cannot be deleted because deletion protection is enabled", arn)
		}
		if err := t.lbInEndpointService(arn); err != nil {
			return err
		}
		for _, l := range sortedValues(t.st.Listeners) {
			if l.LoadBalancerARN == arn {
				t.deleteListener(l.ARN)
			}
		}
		for _, n := range lb.Nodes {
			t.deleteLBNode(n)
		}
		del(t, model.KindLoadBalancer, t.st.LoadBalancers, arn)
		return nil
	})
}

// SetSecurityGroups replaces a load balancer's security groups on the load
// balancer and on every node ENI, returning the groups now in force. An NLB
// created without security groups cannot get any (AWS).
//
// enforce is EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic ("on",
// "off", or "" to leave it), which only a Network Load Balancer has.
func (e *Engine) SetSecurityGroups(arn string, groups []model.SecurityGroupID, enforce string) ([]model.SecurityGroupID, error) {
	var out []model.SecurityGroupID
	err := e.write(func(t *txn) error {
		lb, err := t.loadBalancer(arn)
		if err != nil {
			return err
		}
		if lb.Type == lbNetwork && len(lb.SecurityGroups) == 0 {
			return errELBConfig("SetSecurityGroups is not supported for load balancers of type 'network'")
		}
		if lb.Type == lbGateway {
			return errELBConfig("SetSecurityGroups is not supported for load balancers of type 'gateway'") // as the NLB text
		}
		if len(groups) == 0 && lb.Type == lbApplication {
			return errELBValidation("At least one security group must be specified") // UNVERIFIED text
		}
		switch {
		case enforce == "":
		case enforce != "on" && enforce != "off":
			return errELBValidation("1 validation error detected: Value '%s' at 'enforceSecurityGroupInboundRulesOnPrivateLinkTraffic' failed to satisfy constraint: Member must satisfy enum value set: [on, off]", enforce)
		case lb.Type != lbNetwork:
			return errELBConfig("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is not supported for load balancers of type '%s'", lb.Type) // UNVERIFIED text
		}
		g, err := t.lbGroups(lb.Type, lb.VpcID, groups)
		if err != nil {
			return err
		}
		c := cloneLB(lb)
		c.SecurityGroups = g
		if enforce != "" {
			c.PrivateLinkInboundOff = enforce == "off"
		}
		for _, node := range c.Nodes {
			if n := t.st.NetworkInterfaces[node.ENI]; n != nil {
				nc := cloneENI(n)
				nc.SecurityGroups = slices.Clone(g)
				t.putENI(nc)
			}
		}
		put(t, model.KindLoadBalancer, t.st.LoadBalancers, arn, c)
		out = g
		return nil
	})
	return out, err
}

// SetSubnets replaces the subnets (Availability Zones) a load balancer has
// nodes in: nodes in subnets no longer listed are deleted, new subnets get
// new nodes. The rules of CreateLoadBalancer apply (one VPC, one subnet per
// zone, two zones for an ALB). An NLB can add subnets but not remove them.
func (e *Engine) SetSubnets(arn string, subnets []model.SubnetID, mappings []SubnetMapping) (*model.LoadBalancer, error) {
	if len(subnets) > 0 && len(mappings) > 0 {
		return nil, errELBValidation("You can specify subnets or subnet mappings, but not both") // UNVERIFIED text
	}
	if len(subnets) > 0 {
		mappings = make([]SubnetMapping, len(subnets))
		for i, s := range subnets {
			mappings[i] = SubnetMapping{SubnetID: s}
		}
	}
	var out *model.LoadBalancer
	err := e.write(func(t *txn) error {
		lb, err := t.loadBalancer(arn)
		if err != nil {
			return err
		}
		if len(mappings) == 0 && lb.Type == lbApplication {
			return errELBValidation("At least two subnets in two different Availability Zones must be specified")
		}
		// Existing nodes keep their Elastic IPs; only new subnets may name one.
		var fresh []SubnetMapping
		keep := map[model.SubnetID]bool{}
		for _, m := range mappings {
			if slices.ContainsFunc(lb.Nodes, func(n model.LoadBalancerNode) bool { return n.SubnetID == m.SubnetID }) {
				keep[m.SubnetID] = true
				fresh = append(fresh, SubnetMapping{SubnetID: m.SubnetID})
			} else {
				fresh = append(fresh, m)
			}
		}
		nodes, vpc, err := t.lbNodes(lb.Type, lb.Scheme, fresh)
		if err != nil {
			return err
		}
		if vpc != lb.VpcID {
			return errELBConfig("Subnets must all be in the same VPC; '%s' is in '%s', not '%s'", nodes[0].subnet.ID, vpc, lb.VpcID) // UNVERIFIED text
		}
		if lb.Type == lbNetwork && len(keep) < len(lb.Nodes) {
			return errELBConfig("Subnets cannot be removed from a Network Load Balancer") // UNVERIFIED text
		}
		var added []lbNodeSpec
		for _, n := range nodes {
			if !keep[n.subnet.ID] {
				added = append(added, n)
			}
		}
		if err := t.lbCheckFreeAddrs(added); err != nil {
			return err
		}
		c := cloneLB(lb)
		c.Nodes = nil
		for _, n := range lb.Nodes {
			if keep[n.SubnetID] {
				c.Nodes = append(c.Nodes, n)
			} else {
				t.deleteLBNode(n)
			}
		}
		for _, n := range added {
			node, err := t.newLBNode(c, n)
			if err != nil {
				return err
			}
			c.Nodes = append(c.Nodes, node)
		}
		put(t, model.KindLoadBalancer, t.st.LoadBalancers, arn, c)
		out = c
		return nil
	})
	return out, err
}
