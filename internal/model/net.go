package model

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Identifiers of VPC resources, as AWS formats them ("vpc-0a1b…").
type (
	VpcID                     string
	SubnetID                  string
	RouteTableID              string
	RouteTableAssocID         string // rtbassoc-…
	InternetGatewayID         string
	EgressOnlyIGWID           string // eigw-…
	NatGatewayID              string
	AllocationID              string // eipalloc-…
	EIPAssociationID          string // eipassoc-…
	SecurityGroupID           string
	SecurityGroupRuleID       string // sgr-…
	NetworkACLID              string
	NetworkACLAssocID         string // aclassoc-…
	NetworkInterfaceID        string
	ENIAttachmentID           string // eni-attach-…
	VpcEndpointID             string
	PrefixListID              string
	VpcPeeringConnectionID    string // pcx-…
	DhcpOptionsID             string // dopt-…
	InstanceID                string
	LaunchTemplateID          string
	NetworkInsightsPathID     string
	NetworkInsightsAnalysisID string
)

// Tags are AWS resource tags. The "Name" tag is also how scenario files name
// resources.
type Tags map[string]string

// Name returns the "Name" tag.
func (t Tags) Name() string { return t["Name"] }

// NameOr returns the "Name" tag, or fallback (an id) when there is none.
func (t Tags) NameOr(fallback string) string {
	if n := t.Name(); n != "" {
		return n
	}
	return fallback
}

// TagKeysInOrder returns the keys of tags in the order ELB answers them:
// the keys of order first (the order they were first added in; a key
// added again keeps its place), then any other key of tags, sorted (tags
// written without an order: CloudFormation, Terraform, older state).
func TagKeysInOrder(tags Tags, order []string) []string {
	keys := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, k := range order {
		if _, ok := tags[k]; ok && !seen[k] {
			keys, seen[k] = append(keys, k), true
		}
	}
	var rest []string
	for k := range tags {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// TagOrderAfter is order once the keys added (in the request's order) are
// in tags: keys still in tags keep their place, new keys follow.
func TagOrderAfter(order, added []string, tags Tags) []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range append(slices.Clone(order), added...) {
		if _, ok := tags[k]; ok && !seen[k] {
			out, seen[k] = append(out, k), true
		}
	}
	return out
}

// Clone returns a copy of t.
func (t Tags) Clone() Tags {
	if t == nil {
		return nil
	}
	c := make(Tags, len(t))
	for k, v := range t {
		c[k] = v
	}
	return c
}

// Changed returns a copy of t without the keys of remove, then with add's
// tags (never nil).
func (t Tags) Changed(add Tags, remove []string) Tags {
	c := t.Clone()
	if c == nil {
		c = Tags{}
	}
	for _, k := range remove {
		delete(c, k)
	}
	for k, v := range add {
		c[k] = v
	}
	return c
}

// Protocol is an IP protocol number as AWS security groups and network ACLs
// use it; AllProtocols (-1) matches every protocol.
type Protocol int16

// Protocols that AWS names.
const (
	AllProtocols Protocol = -1
	ICMP         Protocol = 1
	TCP          Protocol = 6
	UDP          Protocol = 17
	ICMPv6       Protocol = 58
)

// HasPorts reports whether rules for p carry a port range (TCP and UDP).
func (p Protocol) HasPorts() bool { return p == TCP || p == UDP }

// Matches reports whether a rule for protocol p applies to a packet of protocol q.
func (p Protocol) Matches(q Protocol) bool { return p == AllProtocols || p == q }

// String returns the name AWS prints ("tcp", "udp", "icmp", "-1" for all).
func (p Protocol) String() string {
	switch p {
	case AllProtocols:
		return "-1"
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	case ICMP:
		return "icmp"
	case ICMPv6:
		return "icmpv6"
	}
	return strconv.Itoa(int(p))
}

// ParseProtocol parses "tcp", "udp", "icmp", "all", "-1" or a protocol number.
func ParseProtocol(s string) (Protocol, error) {
	switch s {
	case "-1", "all", "ALL", "All":
		return AllProtocols, nil
	case "tcp", "TCP", "6":
		return TCP, nil
	case "udp", "UDP", "17":
		return UDP, nil
	case "icmp", "ICMP", "1":
		return ICMP, nil
	case "icmpv6", "58":
		return ICMPv6, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 255 {
		return 0, fmt.Errorf("invalid protocol %q", s)
	}
	return Protocol(n), nil
}

// PortRange is an inclusive range of ports.
type PortRange struct{ First, Last uint16 }

// AllPorts is 0-65535.
var AllPorts = PortRange{0, 65535}

// EphemeralPorts is 1024-65535, the range AWS recommends network ACLs
// open for replies: the clients behind them pick their source ports from
// it (Linux 32768-60999, Windows 49152-65535, and Elastic Load Balancing
// and NAT gateways the whole range).
func EphemeralPorts() PortRange { return PortRange{1024, 65535} }

// DynamicHostPortRule is 32768-65535, the range a security group should
// admit for bridge-mode tasks with hostPort 0: Amazon ECS draws their host
// ports from the instance's ephemeral range (ip_local_port_range,
// 32768-60999 on the ECS-optimized AMIs; 49153-65535 when the agent
// cannot read it), and the ECS guide's load balancer security group
// advice covers both with 32768-65535.
func DynamicHostPortRule() PortRange { return PortRange{32768, 65535} }

// Port returns the range holding only p.
func Port(p uint16) PortRange { return PortRange{p, p} }

// Contains reports whether p is in r.
func (r PortRange) Contains(p uint16) bool { return r.First <= p && p <= r.Last }

// IsAll reports whether r covers every port.
func (r PortRange) IsAll() bool { return r.First == 0 && r.Last == 65535 }

// Len is the number of ports in r.
func (r PortRange) Len() int { return int(r.Last) - int(r.First) + 1 }

// Overlaps reports whether r and o share a port.
func (r PortRange) Overlaps(o PortRange) bool { return r.First <= o.Last && o.First <= r.Last }

// ParsePortRange parses "first-last" (ECS's containerPortRange): two
// decimal ports from 1 to 65535 joined by a hyphen, first less than last.
func ParsePortRange(s string) (PortRange, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return PortRange{}, fmt.Errorf("port range %q is not first-last", s)
	}
	first, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 16)
	last, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 16)
	switch {
	case err1 != nil || err2 != nil || first == 0 || last == 0:
		return PortRange{}, fmt.Errorf("port range %q: ports must be between 1 and 65535", s)
	case first >= last:
		return PortRange{}, fmt.Errorf("port range %q: the first port must be less than the last", s)
	}
	return PortRange{uint16(first), uint16(last)}, nil
}

func (r PortRange) String() string {
	if r.First == r.Last {
		return strconv.Itoa(int(r.First))
	}
	return strconv.Itoa(int(r.First)) + "-" + strconv.Itoa(int(r.Last))
}

// VPC is a virtual private cloud. Creating one also creates its main route
// table, default network ACL and default security group.
type VPC struct {
	ID        VpcID
	CIDR      netip.Prefix   // the primary IPv4 CIDR
	Secondary []netip.Prefix // further associated IPv4 CIDRs
	IsDefault bool

	EnableDNSSupport   bool
	EnableDNSHostnames bool
	// EnableNAUMetrics is the enableNetworkAddressUsageMetrics attribute
	// (stored and reported; it has no effect on reachability).
	EnableNAUMetrics bool
	InstanceTenancy  string

	MainRouteTable       RouteTableID
	DefaultNetworkACL    NetworkACLID
	DefaultSecurityGroup SecurityGroupID
	// CIDRAssociationIDs are the vpc-cidr-assoc ids of CIDR then Secondary.
	CIDRAssociationIDs []string
	// DhcpOptions is the VPC's DHCP options set ("default": none).
	DhcpOptions DhcpOptionsID
	// IPv6 are the VPC's IPv6 blocks (/56, Amazon-provided).
	IPv6 []IPv6Block

	Tags Tags
}

// IPv6Block is an IPv6 CIDR block associated with a VPC or subnet.
type IPv6Block struct {
	CIDR          netip.Prefix
	AssociationID string
}

// ResolverAddr is the address of the VPC's Amazon-provided DNS server
// (the Route 53 Resolver) in it: the base of its primary IPv4 CIDR block
// plus two (Amazon VPC User Guide, "Amazon DNS server"); invalid when the
// VPC has no CIDR block.
func (v *VPC) ResolverAddr() netip.Addr {
	if !v.CIDR.IsValid() {
		return netip.Addr{}
	}
	return v.CIDR.Masked().Addr().Next().Next()
}

// CIDRs returns the primary and secondary CIDRs.
func (v *VPC) CIDRs() []netip.Prefix {
	return append([]netip.Prefix{v.CIDR}, v.Secondary...)
}

// Contains reports whether a is inside one of the VPC's CIDRs (IPv4 or
// IPv6).
func (v *VPC) Contains(a netip.Addr) bool {
	if v.CIDR.Contains(a) {
		return true
	}
	for _, p := range v.Secondary {
		if p.Contains(a) {
			return true
		}
	}
	for _, b := range v.IPv6 {
		if b.CIDR.Contains(a) {
			return true
		}
	}
	return false
}

// Subnet is a range of a VPC's addresses in one Availability Zone. Its route
// table is found through RouteTable associations and its network ACL through
// NetworkACL associations.
type Subnet struct {
	ID                  SubnetID
	VpcID               VpcID
	CIDR                netip.Prefix
	AvailabilityZone    string
	AvailabilityZoneID  string
	MapPublicIPOnLaunch bool
	DefaultForAZ        bool
	// IPv6 is the subnet's IPv6 block (a /64 of its VPC's), if any.
	IPv6                        []IPv6Block
	AssignIPv6AddressOnCreation bool
	// IPv6Native marks an IPv6-only subnet: it has no IPv4 CIDR.
	IPv6Native bool
	// EnableDNS64 makes the Route 53 Resolver answer AAAA records with
	// NAT64 addresses for IPv4-only names.
	EnableDNS64 bool
	// HostnameType is the hostname instances launched in the subnet get:
	// "ip-name" (ip-10-0-0-1…) or "resource-name" (i-0123….region.compute.internal);
	// empty means "ip-name", except in an IPv6-only subnet, which is
	// always "resource-name".
	HostnameType string
	// ResourceNameDNSA and ResourceNameDNSAAAA answer DNS A / AAAA
	// queries for the resource-based names of instances launched here.
	ResourceNameDNSA    bool
	ResourceNameDNSAAAA bool
	// CIDRReservations set ranges aside: AWS assigns no address from
	// them automatically.
	CIDRReservations []SubnetCIDRReservation
	Tags             Tags
}

// Hostname returns the subnet's hostname type on launch.
func (s *Subnet) Hostname() string {
	switch {
	case s.HostnameType != "":
		return s.HostnameType
	case s.IPv6Native:
		return "resource-name"
	}
	return "ip-name"
}

// SubnetCIDRReservation is a subnet CIDR reservation (scr-…): "explicit"
// (addresses assigned only by hand) or "prefix" (for prefix delegation).
type SubnetCIDRReservation struct {
	ID          string
	CIDR        netip.Prefix
	Type        string
	Description string
	Tags        Tags
}

// InReservation reports whether a lies in one of the subnet's CIDR
// reservations.
func (s *Subnet) InReservation(a netip.Addr) bool {
	for _, r := range s.CIDRReservations {
		if r.CIDR.Contains(a) {
			return true
		}
	}
	return false
}

// Reserved reports whether a is one of the five addresses AWS reserves in
// every subnet: network, VPC router (+1), DNS (+2), future use (+3), broadcast.
func (s *Subnet) Reserved(a netip.Addr) bool {
	first := s.CIDR.Masked().Addr()
	for i := 0; i < 4; i++ {
		if a == first {
			return true
		}
		first = first.Next()
	}
	return a == LastAddr(s.CIDR)
}

// LastAddr returns the highest address of p (its broadcast address).
func LastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	host := 32 - p.Bits()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if host > 0 {
		v |= (1 << host) - 1
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// RouteTargetKind says where a route sends traffic.
type RouteTargetKind uint8

// Route target kinds.
const (
	TargetLocal RouteTargetKind = iota + 1
	TargetInternetGateway
	TargetNatGateway
	TargetNetworkInterface
	TargetInstance
	TargetVpcEndpoint // a gateway endpoint, through its prefix list
	TargetBlackhole   // a route whose target no longer exists
	TargetVpcPeering  // a VPC peering connection
	// TargetEgressOnlyIGW is an egress-only internet gateway (IPv6
	// destinations only).
	TargetEgressOnlyIGW
	// TargetTransitGateway is a transit gateway the VPC is attached to.
	TargetTransitGateway
	// TargetVpnGateway is a virtual private gateway: out of the VPC to
	// the on-premises network (vpn.go).
	TargetVpnGateway
)

func (k RouteTargetKind) String() string {
	switch k {
	case TargetLocal:
		return "local"
	case TargetInternetGateway:
		return "internet-gateway"
	case TargetNatGateway:
		return "nat-gateway"
	case TargetNetworkInterface:
		return "network-interface"
	case TargetInstance:
		return "instance"
	case TargetVpcEndpoint:
		return "vpc-endpoint"
	case TargetBlackhole:
		return "blackhole"
	case TargetVpcPeering:
		return "vpc-peering-connection"
	case TargetEgressOnlyIGW:
		return "egress-only-internet-gateway"
	case TargetTransitGateway:
		return "transit-gateway"
	case TargetVpnGateway:
		return "vpn-gateway"
	}
	return "unknown"
}

// Route is one entry of a route table. Exactly one of Destination and
// DestinationPrefixList is set.
type Route struct {
	Destination           netip.Prefix
	DestinationPrefixList PrefixListID
	Target                RouteTargetKind
	// TargetID is the gateway, NAT gateway, ENI, instance or endpoint id
	// ("local" for the local route).
	TargetID string
	// Origin is "CreateRouteTable" for the local route, "CreateRoute" for
	// routes users add and "CreateRoute" too for endpoint routes (AWS shows
	// "CreateRoute"), as DescribeRouteTables reports it;
	// "EnableVgwRoutePropagation" for a route a virtual private gateway
	// propagates.
	Origin string
}

// RouteTableAssociation ties a route table to a subnet, or marks it main.
type RouteTableAssociation struct {
	ID       RouteTableAssocID
	SubnetID SubnetID // empty for the main and gateway associations
	// GatewayID is the internet gateway or virtual private gateway of a
	// gateway (edge) association: traffic entering the VPC through it is
	// routed by the table (vpn.go).
	GatewayID string
	Main      bool
}

// RouteTable is a VPC route table.
type RouteTable struct {
	ID           RouteTableID
	VpcID        VpcID
	Routes       []Route
	Associations []RouteTableAssociation
	// PropagatingVgws are the virtual private gateways whose routes the
	// table receives (EnableVgwRoutePropagation).
	PropagatingVgws []VpnGatewayID
	Tags            Tags
}

// IsMain reports whether rt is its VPC's main route table.
func (rt *RouteTable) IsMain() bool {
	for _, a := range rt.Associations {
		if a.Main {
			return true
		}
	}
	return false
}

// RoutesToInternetGateway reports whether the table has a route to an
// internet gateway, which makes its subnets public (false for a nil table).
func (rt *RouteTable) RoutesToInternetGateway() bool {
	if rt == nil {
		return false
	}
	for _, r := range rt.Routes {
		if r.Target == TargetInternetGateway {
			return true
		}
	}
	return false
}

// InternetGateway is an internet gateway, attached to at most one VPC.
type InternetGateway struct {
	ID    InternetGatewayID
	VpcID VpcID // empty when detached
	Tags  Tags
}

// EgressOnlyInternetGateway is an egress-only internet gateway: attached
// to one VPC for its whole life, it lets IPv6 traffic out to the internet
// and the replies back, and the internet start no connection
// (egress-only-internet-gateway.md).
type EgressOnlyInternetGateway struct {
	ID    EgressOnlyIGWID
	VpcID VpcID
	Tags  Tags
}

// NatGateway is a NAT gateway: a zonal one in a subnet, with its own
// network interface, or a regional one of a VPC (AvailabilityMode
// regional), with no subnet and an address per Availability Zone.
type NatGateway struct {
	ID               NatGatewayID
	VpcID            VpcID
	SubnetID         SubnetID
	ConnectivityType string // "public" or "private"
	State            string // "pending", "available", "deleting", "deleted", "failed"
	NetworkInterface NetworkInterfaceID
	AllocationID     AllocationID // public NAT gateways
	PrivateIP        netip.Addr
	PublicIP         netip.Addr
	CreatedAt        time.Time
	FailureCode      string
	FailureMessage   string
	// NextTransition is when the engine may move a pending gateway on.
	NextTransition time.Time
	Tags           Tags
	// AvailabilityMode is "zonal" (also when empty) or "regional".
	AvailabilityMode string
	// AutoProvisionZones is a regional gateway created without
	// AvailabilityZoneAddresses: AWS gives it an address in every zone
	// where its VPC has a subnet. Without it only the zones of
	// ZoneAddresses are served.
	AutoProvisionZones bool
	// ZoneAddresses are a regional gateway's public addresses, in the
	// order they were given: the first of a zone translates that zone's
	// traffic.
	ZoneAddresses []NatZoneAddress
}

// Regional reports whether the gateway is a regional NAT gateway.
func (ng *NatGateway) Regional() bool { return ng.AvailabilityMode == "regional" }

// ZoneAddress returns the address a regional gateway translates the
// traffic of zone to (its first address there), and whether it has one.
func (ng *NatGateway) ZoneAddress(zone string) (NatZoneAddress, bool) {
	for _, a := range ng.ZoneAddresses {
		if a.Zone == zone {
			return a, true
		}
	}
	return NatZoneAddress{}, false
}

// NatZoneAddress is one public address of a regional NAT gateway in one
// Availability Zone: an Elastic IP of the account (AllocationID), or, in
// automatic mode, an address AWS provides (no AllocationID).
type NatZoneAddress struct {
	Zone          string
	ZoneID        string // the zone's id (use1-az1)
	AllocationID  AllocationID
	AssociationID EIPAssociationID
	PublicIP      netip.Addr
}

// Address is an Elastic IP address.
type Address struct {
	AllocationID       AllocationID
	PublicIP           netip.Addr
	Domain             string // "vpc"
	AssociationID      EIPAssociationID
	NetworkInterfaceID NetworkInterfaceID
	PrivateIP          netip.Addr
	InstanceID         InstanceID
	// PtrRecord is the reverse DNS name set by ModifyAddressAttribute
	// (with its trailing dot); empty: the default EC2 name.
	PtrRecord string
	Tags      Tags
}

// SecurityGroupRule is one ingress or egress rule with one source or
// destination: an IPv4 CIDR, another security group, or a prefix list.
type SecurityGroupRule struct {
	ID          SecurityGroupRuleID
	Egress      bool
	Protocol    Protocol
	Ports       PortRange // for TCP/UDP; ICMP keeps type in First and code in Last
	CIDR        netip.Prefix
	Group       SecurityGroupID
	PrefixList  PrefixListID
	Description string
	Tags        Tags
}

// SecurityGroup is a VPC security group: stateful allow rules attached to
// network interfaces.
type SecurityGroup struct {
	ID          SecurityGroupID
	VpcID       VpcID
	Name        string
	Description string
	Ingress     []SecurityGroupRule
	Egress      []SecurityGroupRule
	Tags        Tags
	// UnknownRules are rules a source (Terraform) gives whose source or
	// destination is a value unknown at analysis time (a variable without
	// a default): their protocol and ports, no source, and Description
	// says why. They are not in Ingress or Egress; the analyzer cannot
	// say what they admit, so it does not call the group closed.
	UnknownRules []SecurityGroupRule
}

// ACLAction is a network ACL entry's verdict.
type ACLAction uint8

// Network ACL actions.
const (
	Allow ACLAction = iota + 1
	Deny
)

func (a ACLAction) String() string {
	if a == Allow {
		return "allow"
	}
	return "deny"
}

// ImplicitDenyRule is the rule number AWS shows for the final "*" deny entry.
const ImplicitDenyRule = 32767

// ACLEntry is one numbered network ACL rule.
type ACLEntry struct {
	RuleNumber int
	Egress     bool
	Action     ACLAction
	Protocol   Protocol
	Ports      PortRange
	CIDR       netip.Prefix
}

// NetworkACLAssociation ties a network ACL to a subnet.
type NetworkACLAssociation struct {
	ID       NetworkACLAssocID
	SubnetID SubnetID
}

// NetworkACL is a stateless, ordered subnet firewall. Entries are kept
// sorted: ingress entries first, then egress, each by rule number. The
// implicit deny entries (rule 32767) are stored like any other so describe
// output matches AWS.
type NetworkACL struct {
	ID           NetworkACLID
	VpcID        VpcID
	IsDefault    bool
	Entries      []ACLEntry
	Associations []NetworkACLAssociation
	Tags         Tags
}

// InterfaceType is an ENI's type, as DescribeNetworkInterfaces reports it.
type InterfaceType string

// Interface types ecsnet creates.
const (
	InterfaceNormal     InterfaceType = "interface"
	InterfaceTrunk      InterfaceType = "trunk"
	InterfaceBranch     InterfaceType = "branch"
	InterfaceNatGateway InterfaceType = "nat_gateway"
	InterfaceNLB        InterfaceType = "network_load_balancer"
	InterfaceEndpoint   InterfaceType = "vpc_endpoint"
	// InterfaceGWLB is a Gateway Load Balancer node's ENI, and
	// InterfaceGWLBEndpoint a Gateway Load Balancer endpoint's (EC2's
	// NetworkInterfaceType values).
	InterfaceGWLB         InterfaceType = "gateway_load_balancer"
	InterfaceGWLBEndpoint InterfaceType = "gateway_load_balancer_endpoint"
	// InterfaceLambda is a Lambda function's Hyperplane ENI.
	InterfaceLambda InterfaceType = "lambda"
)

// PublicIPAssociation is a public address mapped 1:1 to a private address by
// the internet gateway.
type PublicIPAssociation struct {
	PublicIP      netip.Addr
	AllocationID  AllocationID     // set for an Elastic IP
	AssociationID EIPAssociationID // set for an Elastic IP
	IPOwnerID     string           // "amazon" for auto-assigned addresses, else the account
}

// PrivateIP is one private address of an ENI.
type PrivateIP struct {
	Addr     netip.Addr
	Primary  bool
	PublicIP *PublicIPAssociation
}

// ENIAttachment attaches an ENI to an instance at a device index.
type ENIAttachment struct {
	ID                  ENIAttachmentID
	InstanceID          InstanceID
	InstanceOwnerID     string
	DeviceIndex         int
	Status              string // "attaching", "attached", "detaching", "detached"
	DeleteOnTermination bool
	AttachedAt          time.Time
}

// ENIOwnerKind says which service manages an ENI on the account's behalf.
type ENIOwnerKind uint8

// Who manages an ENI.
const (
	OwnedByUser         ENIOwnerKind = iota
	OwnedByInstance                  // an instance's primary ENI
	OwnedByECSTask                   // an awsvpc task ENI (EC2 or Fargate)
	OwnedByECSTrunk                  // the trunk ENI of a container instance
	OwnedByLoadBalancer              // a load balancer node
	OwnedByNatGateway
	OwnedByVpcEndpoint
	// OwnedByClassicLoadBalancer is a Classic Load Balancer's node
	// (ManagedBy: its name); the analyzer compiles it as a node of the
	// load balancer.
	OwnedByClassicLoadBalancer
	// OwnedByEFSMountTarget is an Amazon EFS mount target's ENI
	// (ManagedBy: the mount target's id).
	OwnedByEFSMountTarget
)

// NetworkInterface is an elastic network interface.
type NetworkInterface struct {
	ID               NetworkInterfaceID
	SubnetID         SubnetID
	VpcID            VpcID
	AvailabilityZone string
	Description      string
	Type             InterfaceType
	MAC              string
	PrivateIPs       []PrivateIP // the primary address first
	// IPv6 are the ENI's IPv6 addresses (global unicast addresses of its
	// subnet's /64: reachable from the internet through an internet
	// gateway, without translation).
	IPv6             []netip.Addr
	SecurityGroups   []SecurityGroupID
	SourceDestCheck  bool
	Attachment       *ENIAttachment
	RequesterManaged bool
	RequesterID      string
	OwnerID          string
	// TrunkID and VlanID tie a branch ENI to its trunk.
	TrunkID NetworkInterfaceID
	VlanID  int
	// ManagedBy says which resource owns the ENI (a task ARN, a load balancer
	// ARN, a NAT gateway id, an endpoint id or an instance id).
	OwnerKind ENIOwnerKind
	ManagedBy string
	Tags      Tags
	// Permissions are the grants CreateNetworkInterfacePermission made on
	// the ENI; they go with it when it is deleted.
	Permissions []ENIPermission
}

// ENIPermission lets another account (AccountID) attach the ENI to its
// instances (INSTANCE-ATTACH) or associate an Elastic IP with it
// (EIP-ASSOCIATE).
type ENIPermission struct {
	ID         string // eni-perm-…
	AccountID  string
	Permission string
	State      string // granted (pending, revoking, revoked are not modelled)
}

// PrimaryIP returns the primary private address.
func (n *NetworkInterface) PrimaryIP() netip.Addr {
	for _, p := range n.PrivateIPs {
		if p.Primary {
			return p.Addr
		}
	}
	if len(n.PrivateIPs) > 0 {
		return n.PrivateIPs[0].Addr
	}
	return netip.Addr{}
}

// PublicIP returns the public address associated with the primary private
// address, if any.
func (n *NetworkInterface) PublicIP() (netip.Addr, bool) {
	for _, p := range n.PrivateIPs {
		if p.Primary && p.PublicIP != nil {
			return p.PublicIP.PublicIP, true
		}
	}
	return netip.Addr{}, false
}

// Status returns "in-use" when attached (or managed) and "available" otherwise.
func (n *NetworkInterface) Status() string {
	if n.Attachment != nil || n.OwnerKind != OwnedByUser || n.TrunkID != "" {
		return "in-use"
	}
	return "available"
}

// HasAddr reports whether a is one of n's addresses (private IPv4 or
// IPv6).
func (n *NetworkInterface) HasAddr(a netip.Addr) bool {
	for _, p := range n.PrivateIPs {
		if p.Addr == a {
			return true
		}
	}
	if a.Is6() {
		for _, p := range n.IPv6 {
			if p == a {
				return true
			}
		}
	}
	return false
}

// PrimaryIPv6 returns the ENI's first IPv6 address, if any.
func (n *NetworkInterface) PrimaryIPv6() (netip.Addr, bool) {
	if len(n.IPv6) == 0 {
		return netip.Addr{}, false
	}
	return n.IPv6[0], true
}

// VpcEndpoint is a gateway (S3, DynamoDB) or interface endpoint.
type VpcEndpoint struct {
	ID                VpcEndpointID
	VpcID             VpcID
	ServiceName       string // com.amazonaws.<region>.<service>
	Type              string // "Gateway" or "Interface"
	State             string
	RouteTables       []RouteTableID       // gateway endpoints
	Subnets           []SubnetID           // interface endpoints
	NetworkInterfaces []NetworkInterfaceID // interface endpoints, one per subnet
	SecurityGroups    []SecurityGroupID    // interface endpoints
	PrivateDNSEnabled bool
	PolicyDocument    string
	// IPAddressType is an interface endpoint's IP address type: "ipv4"
	// (empty means it), "dualstack" or "ipv6"; its network interfaces
	// have the addresses of those families.
	IPAddressType string
	// DNSRecordIPType is which records its DNS names answer: "ipv4" (A),
	// "ipv6" (AAAA), "dualstack" (both) or "service-defined" (A for the
	// private DNS name, A and AAAA for the Regional and zonal names);
	// empty means the IP address type's.
	DNSRecordIPType string
	CreatedAt       time.Time
	Tags            Tags
}

// AddressType is the endpoint's IP address type, "ipv4" when unset.
func (ep *VpcEndpoint) AddressType() string {
	if ep.IPAddressType == "" {
		return "ipv4"
	}
	return ep.IPAddressType
}

// RecordType is the endpoint's DNS record IP type, its IP address type's
// when unset.
func (ep *VpcEndpoint) RecordType() string {
	if ep.DNSRecordIPType == "" {
		return ep.AddressType()
	}
	return ep.DNSRecordIPType
}

// PrivateNameAAAA reports whether the endpoint's private DNS name (the
// service's own name) answers AAAA records; PrivateNameA whether it
// answers A records (PrivateLink guide, "DNS record IP types":
// service-defined creates A records for the private name and AAAA only
// for the Regional and zonal names).
func (ep *VpcEndpoint) PrivateNameAAAA() bool {
	t := ep.RecordType()
	return t == "ipv6" || t == "dualstack"
}

// PrivateNameA reports whether the endpoint's private DNS name answers A
// records.
func (ep *VpcEndpoint) PrivateNameA() bool { return ep.RecordType() != "ipv6" }

// RegionalDNSName is an interface endpoint's regional DNS name, the first
// of its DnsEntries ("vpce-0123abcd-0123abcd.ecr.api.us-east-1.vpce.amazonaws.com"),
// which a private hosted zone's alias record may point at.
func (ep *VpcEndpoint) RegionalDNSName(region string) string {
	svc, _, ok := EndpointServiceOf(region, ep.ServiceName)
	if id, custom := strings.CutPrefix(ep.ServiceName, "com.amazonaws.vpce."+region+"."); custom {
		// An endpoint service of an account (PrivateLink):
		// vpce-…-….vpce-svc-….<region>.vpce.amazonaws.com.
		svc, ok = id, true
	}
	if !ok {
		svc = ep.ServiceName
	}
	return string(ep.ID) + "-" + strings.ToLower(string(ep.ID[5:13])) + "." + svc + "." + region + ".vpce." + DNSSuffix(region)
}

// VpcEndpointHostedZoneID is the hosted zone id of interface endpoints'
// DNS names, which an alias record to one names (Z7HUB22UULQXV in
// us-east-1).
const VpcEndpointHostedZoneID = "Z7HUB22UULQXV"

// PrefixList is a prefix list: AWS-managed (S3's, DynamoDB's), or one the
// account manages (CreateManagedPrefixList), which has an owner.
type PrefixList struct {
	ID    PrefixListID
	Name  string
	CIDRs []netip.Prefix
	// Owner is the account of a customer-managed list; empty for AWS's.
	Owner         string
	AddressFamily string // IPv4 or IPv6
	MaxEntries    int
	Version       int
	Descriptions  []string // per CIDR, for customer-managed lists
	// DeleteFailure is why a DeleteManagedPrefixList failed (the list is
	// then delete-failed); empty otherwise.
	DeleteFailure string
	// ModifyFailure is why the last ModifyManagedPrefixList's resize
	// failed (the list is then modify-failed, its size unchanged); empty
	// otherwise.
	ModifyFailure string
	// Modified is set once a ModifyManagedPrefixList has been taken (a
	// rename or resize too, which keep the version): the list is then
	// modify-complete rather than create-complete.
	Modified bool
	// DeletedAt is when DeleteManagedPrefixList deleted it (lists in
	// State.DeletedPrefixLists only).
	DeletedAt time.Time
	Tags      Tags
}

// AWSManaged reports whether AWS manages the list.
func (p *PrefixList) AWSManaged() bool { return p.Owner == "" }

// Weight is how many rules a security group rule that references the list
// counts against the group's rule quota: a customer-managed list's
// MaxEntries (not its current entries), an AWS-managed list's published
// weight (CloudFront's origin-facing lists 55, S3's and DynamoDB's 1).
func (p *PrefixList) Weight() int {
	if !p.AWSManaged() {
		return max(p.MaxEntries, 1)
	}
	if strings.HasSuffix(p.Name, "cloudfront.origin-facing") {
		return 55
	}
	return 1
}

// PrivateDNSName returns the private DNS name EC2 gives an address:
// ip-10-0-1-5.ec2.internal in us-east-1, ip-10-0-1-5.<region>.compute.internal
// elsewhere.
func PrivateDNSName(region string, a netip.Addr) string {
	if !a.Is4() {
		return ""
	}
	host := "ip-" + dashed(a)
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}

// PublicDNSName returns the public DNS name EC2 gives a public address:
// ec2-203-0-113-2.compute-1.amazonaws.com in us-east-1,
// ec2-203-0-113-2.<region>.compute.amazonaws.com elsewhere, under the
// partition's domain (amazonaws.com.cn in the China regions).
func PublicDNSName(region string, a netip.Addr) string {
	if !a.Is4() {
		return ""
	}
	if region == "us-east-1" {
		return "ec2-" + dashed(a) + ".compute-1.amazonaws.com"
	}
	return "ec2-" + dashed(a) + "." + region + ".compute." + DNSSuffix(region)
}

func dashed(a netip.Addr) string {
	b := a.As4()
	return strconv.Itoa(int(b[0])) + "-" + strconv.Itoa(int(b[1])) + "-" + strconv.Itoa(int(b[2])) + "-" + strconv.Itoa(int(b[3]))
}

// VpcPeeringConnection connects two VPCs of the region: once active, each
// side reaches the other through routes that name the connection.
type VpcPeeringConnection struct {
	ID             VpcPeeringConnectionID
	RequesterVpc   VpcID
	RequesterOwner string
	RequesterCIDRs []netip.Prefix
	AccepterVpc    VpcID
	AccepterOwner  string
	AccepterCIDRs  []netip.Prefix
	// Region is the requester VPC's region.
	Region string
	// AccepterRegion is the accepter VPC's region when it is not Region:
	// an inter-Region connection, recorded in both regions' states (each
	// with its own tags).
	AccepterRegion string
	// Status is pending-acceptance, active, rejected, deleted or failed.
	Status        string
	StatusMessage string
	// DNS resolution of the other side's public DNS names to private
	// addresses, as each side allows it.
	RequesterAllowDNS bool
	AccepterAllowDNS  bool
	ExpiresAt         time.Time
	Tags              Tags
}

// PeerRegion returns the accepter VPC's region.
func (c *VpcPeeringConnection) PeerRegion() string {
	if c.AccepterRegion != "" {
		return c.AccepterRegion
	}
	return c.Region
}

// InterRegion reports whether the connection joins VPCs of two regions.
func (c *VpcPeeringConnection) InterRegion() bool {
	return c.AccepterRegion != "" && c.AccepterRegion != c.Region
}

// Peer returns the VPC on the other side of the connection from v, if v
// is one of its sides.
func (c *VpcPeeringConnection) Peer(v VpcID) (VpcID, bool) {
	switch v {
	case c.RequesterVpc:
		return c.AccepterVpc, true
	case c.AccepterVpc:
		return c.RequesterVpc, true
	}
	return "", false
}

// DhcpOptions is a DHCP options set: what instances in the VPCs that use
// it learn by DHCP (domain-name, domain-name-servers, ntp-servers, …).
type DhcpOptions struct {
	ID DhcpOptionsID
	// Options maps an option name to its values, in the order given.
	Options map[string][]string
	// IsDefault marks the set AWS creates for the region.
	IsDefault bool
	// NoResolverForwarding is ecsnet's addition (not AWS state): the set's
	// own DNS servers (domain-name-servers without AmazonProvidedDNS) do
	// not forward the names of Route 53 private hosted zones to the VPC's
	// Route 53 Resolver, so the private DNS names of interface endpoints
	// are not seen and AWS services' names resolve to their public
	// addresses. False, the default, takes them to forward (a set made
	// through the API, or read from an account, says nothing of its
	// servers).
	NoResolverForwarding bool
	Tags                 Tags
}
