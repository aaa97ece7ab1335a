package model

import "time"

// BPAExclusionID is a VPC Block Public Access exclusion id
// (vpcbpa-exclude-…).
type BPAExclusionID string

// VPC Block Public Access modes of an account and region
// (InternetGatewayBlockMode; security-vpc-bpa.html).
const (
	BPAOff           = "off"
	BPABidirectional = "block-bidirectional"
	BPAIngress       = "block-ingress"
)

// Exclusion modes (InternetGatewayExclusionMode).
const (
	BPAAllowBidirectional = "allow-bidirectional"
	BPAAllowEgress        = "allow-egress"
)

// BPAOptionsKey is the key of the one VpcBlockPublicAccessOptions of a
// State (State.BPAOptions).
const BPAOptionsKey = "options"

// VpcBlockPublicAccessOptions is the account's VPC Block Public Access
// setting in the region. A change is update-in-progress until Step
// completes it; until then the previous mode is in force.
type VpcBlockPublicAccessOptions struct {
	Mode           string // BPAOff, BPABidirectional or BPAIngress
	PreviousMode   string // in force while State is update-in-progress
	State          string // "default-state", "update-in-progress", "update-complete"
	LastUpdate     time.Time
	NextTransition time.Time
}

// Effective returns the mode in force.
func (o *VpcBlockPublicAccessOptions) Effective() string {
	if o == nil {
		return BPAOff
	}
	m := o.Mode
	if o.State == "update-in-progress" {
		m = o.PreviousMode
	}
	if m == "" {
		return BPAOff
	}
	return m
}

// VpcBlockPublicAccessExclusion exempts one VPC or one subnet from the
// account's Block Public Access mode. It moves create-in-progress →
// create-complete, update-in-progress → update-complete and
// delete-in-progress → delete-complete, and a deleted exclusion is still
// described for a while (DeletedAt).
type VpcBlockPublicAccessExclusion struct {
	ID             BPAExclusionID
	Mode           string // BPAAllowBidirectional or BPAAllowEgress
	PreviousMode   string // in force while State is update-in-progress
	VpcID          VpcID  // exactly one of VpcID and SubnetID
	SubnetID       SubnetID
	ResourceARN    string
	State          string
	Created        time.Time
	LastUpdate     time.Time
	DeletedAt      time.Time // zero until delete-complete
	NextTransition time.Time
	Tags           Tags
}

// InForce returns the exclusion mode in force, or "" when the exclusion
// is not in force (being created, or deleted).
func (x *VpcBlockPublicAccessExclusion) InForce() string {
	switch x.State {
	case "create-complete", "update-complete", "delete-in-progress":
		return x.Mode
	case "update-in-progress":
		return x.PreviousMode
	}
	return ""
}

// BPAMode returns the account's Block Public Access mode in force in the
// region.
func (s *State) BPAMode() string { return s.BPAOptions[BPAOptionsKey].Effective() }

// BPAExclusionFor returns the exclusion in force for a subnet of vpc (or
// for vpc itself when subnet is empty), and its mode: the subnet's own
// exclusion when it has one, else its VPC's ([choice]: the narrower
// resource wins; docs/aws-behavior.md).
func (s *State) BPAExclusionFor(vpc VpcID, subnet SubnetID) (*VpcBlockPublicAccessExclusion, string) {
	var bySubnet, byVPC *VpcBlockPublicAccessExclusion
	for _, x := range s.BPAExclusions {
		switch {
		case x.InForce() == "":
		case subnet != "" && x.SubnetID == subnet:
			bySubnet = PreferBPAExclusion(bySubnet, x)
		case x.VpcID != "" && x.VpcID == vpc:
			byVPC = PreferBPAExclusion(byVPC, x)
		}
	}
	if bySubnet != nil {
		return bySubnet, bySubnet.InForce()
	}
	if byVPC == nil {
		return nil, ""
	}
	return byVPC, byVPC.InForce()
}

// PreferBPAExclusion returns which of two exclusions in force of one
// resource counts (one being deleted and its replacement): the one not
// being deleted, else the one with the greater id, so the answer never
// depends on map order.
func PreferBPAExclusion(a, b *VpcBlockPublicAccessExclusion) *VpcBlockPublicAccessExclusion {
	switch {
	case a == nil:
		return b
	case (a.State == "delete-in-progress") != (b.State == "delete-in-progress"):
		if a.State == "delete-in-progress" {
			return b
		}
		return a
	case b.ID > a.ID:
		return b
	}
	return a
}

// BPABlocks reports whether Block Public Access mode blocks internet
// traffic of a resource whose exclusion mode is excl (empty: none), for a
// connection through an internet gateway that the resource started
// (outbound) or the internet started; viaNATorEIGW says the connection
// leaves through a NAT gateway or an egress-only internet gateway, which
// block-ingress lets through (security-vpc-bpa.html). allow-egress
// applies only in block-bidirectional mode.
func BPABlocks(mode, excl string, outbound, viaNATorEIGW bool) bool {
	switch {
	case mode == BPAOff || mode == "":
		return false
	case excl == BPAAllowBidirectional:
		return false
	case mode == BPABidirectional:
		return !(outbound && excl == BPAAllowEgress)
	case mode == BPAIngress:
		return !(outbound && viaNATorEIGW)
	}
	return false
}

// BPAStateOf returns the Block Public Access mode DescribeVpcs and
// DescribeSubnets report for a VPC (subnet empty) or a subnet: the
// account's mode as its exclusion leaves it ([choice]: allow-bidirectional
// reads off, allow-egress under block-bidirectional reads block-ingress).
func (s *State) BPAStateOf(vpc VpcID, subnet SubnetID) string {
	mode := s.BPAMode()
	_, excl := s.BPAExclusionFor(vpc, subnet)
	switch {
	case mode == BPAOff:
		return BPAOff
	case excl == BPAAllowBidirectional:
		return BPAOff
	case excl == BPAAllowEgress && mode == BPABidirectional:
		return BPAIngress
	}
	return mode
}
