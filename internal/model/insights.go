package model

import (
	"net/netip"
	"time"
)

// PathFilter narrows a Network Insights path's packet header.
type PathFilter struct {
	SourceAddress      netip.Addr
	SourcePorts        *PortRange
	DestinationAddress netip.Addr
	DestinationPorts   *PortRange
}

// NetworkInsightsPath is a Reachability Analyzer path: a source, a
// destination and a packet description.
type NetworkInsightsPath struct {
	ID                  NetworkInsightsPathID
	ARN                 string
	CreatedAt           time.Time
	Source              string
	Destination         string
	SourceARN           string
	DestinationARN      string
	SourceIP            netip.Addr
	DestinationIP       netip.Addr
	Protocol            Protocol
	DestinationPort     uint16 // 0 when not given
	FilterAtSource      *PathFilter
	FilterAtDestination *PathFilter
	Tags                Tags
}

// AnalysisComponent names a component in an analysis result.
type AnalysisComponent struct {
	ID   string
	ARN  string
	Name string
}

// PacketHeader is the header of a packet at a hop.
type PacketHeader struct {
	Protocol         Protocol
	SourceAddrs      []netip.Prefix
	DestinationAddrs []netip.Prefix
	SourcePorts      []PortRange
	DestinationPorts []PortRange
}

// AnalysisSecurityGroupRule is the security group rule that decided a hop.
type AnalysisSecurityGroupRule struct {
	SecurityGroupID SecurityGroupID
	Direction       string // "ingress" or "egress"
	Protocol        Protocol
	Ports           *PortRange
	CIDR            netip.Prefix
	PrefixListID    PrefixListID
}

// AnalysisACLRule is the network ACL entry that decided a hop.
type AnalysisACLRule struct {
	RuleNumber int
	Egress     bool
	Action     ACLAction
	Protocol   Protocol
	Ports      *PortRange
	CIDR       netip.Prefix
}

// AnalysisRoute is the route that forwarded a packet.
type AnalysisRoute struct {
	Destination       netip.Prefix
	DestinationPrefix PrefixListID
	Target            RouteTargetKind
	TargetID          string
	Origin            string
	State             string
}

// AnalysisTGWRoute is a route of a transit gateway route table in an
// analysis: static or propagated, to an attachment or a blackhole.
type AnalysisTGWRoute struct {
	Destination  netip.Prefix
	State        string
	Origin       string // static or propagated
	AttachmentID TransitGatewayAttachmentID
}

// Explanation tells why a path is blocked (or adds detail), with an AWS
// Reachability Analyzer explanation code or an ecsnet ECS_* code.
type Explanation struct {
	Code              string
	Direction         string
	Component         *AnalysisComponent
	Vpc               *AnalysisComponent
	Subnet            *AnalysisComponent
	SecurityGroups    []AnalysisComponent
	ACL               *AnalysisComponent
	ACLRule           *AnalysisACLRule
	SecurityGroupRule *AnalysisSecurityGroupRule
	RouteTable        *AnalysisComponent
	Route             *AnalysisRoute
	Address           netip.Addr
	Port              uint16
	Protocols         []Protocol
	LoadBalancerARN   string
	ListenerPort      uint16
	TargetGroup       *AnalysisComponent
	Target            string
	TargetPort        uint16
	MissingComponent  string
	Detail            string // ecsnet's plain-language sentence
}

// PathComponent is one hop of an analysis's forward or return path.
type PathComponent struct {
	SequenceNumber    int
	Component         AnalysisComponent
	Vpc               *AnalysisComponent
	Subnet            *AnalysisComponent
	ACLRule           *AnalysisACLRule
	SecurityGroupRule *AnalysisSecurityGroupRule
	Route             *AnalysisRoute
	// TGWRoute is the transit gateway route table route that decided a
	// hop through a transit gateway (TransitGatewayRouteTableRoute).
	TGWRoute          *AnalysisTGWRoute
	InboundHeader     *PacketHeader
	OutboundHeader    *PacketHeader
	AttachedTo        *AnalysisComponent
	ListenerPort      uint16
	Explanations      []Explanation
	AdditionalDetails []KeyValue
}

// NetworkInsightsAnalysis is one run of a path: the result, frozen at the
// time it ran.
type NetworkInsightsAnalysis struct {
	ID               NetworkInsightsAnalysisID
	ARN              string
	PathID           NetworkInsightsPathID
	StartDate        time.Time
	Status           string // running, succeeded, failed
	StatusMessage    string
	WarningMessage   string
	NetworkPathFound bool
	Forward          []PathComponent
	Return           []PathComponent
	Explanations     []Explanation
	FilterInARNs     []string
	FilterOutARNs    []string
	Tags             Tags
}
