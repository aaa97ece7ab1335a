package dataplane

import (
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// bpaRules returns the internet gateway's (eigw false) or the
// egress-only internet gateway's (eigw true) drops for the account's VPC
// Block Public Access mode in VPC v (security-vpc-bpa.html), to go after
// the chain's accept of established connections and before its accepts:
// a connection the internet starts to an address whose subnet BPA blocks
// inbound, and one an address starts out when BPA blocks its subnet
// outbound. The subnet that counts is that of the ENI the gateway sees,
// as the analyzer decides (reach/bpa.go): the ENI's own for its public
// IPv4 address and its IPv6 addresses, the NAT gateway's for traffic
// that a NAT gateway translated (its private address is the source at
// the internet gateway). A connection the gateway let out is established
// and its replies come back; a blocked one never starts, so conntrack
// holds nothing for it. Nil when BPA is off.
func (pl *planner) bpaRules(v *model.VPC, eigw bool) []Rule {
	mode := pl.st.BPAMode()
	if mode == model.BPAOff || mode == "" {
		return nil
	}
	var inDrop, outDrop []netip.Prefix
	blocks := func(sub model.SubnetID, outbound, viaNATorEIGW bool) bool {
		_, excl := pl.st.BPAExclusionFor(v.ID, sub)
		return model.BPABlocks(mode, excl, outbound, viaNATorEIGW)
	}
	if !eigw {
		for _, e := range sorted(pl.st.NetworkInterfaces, func(e *model.NetworkInterface) string { return string(e.ID) }) {
			if e.VpcID != v.ID {
				continue
			}
			nat := e.Type == model.InterfaceNatGateway
			for _, p := range e.PrivateIPs {
				if p.PublicIP == nil || !p.PublicIP.PublicIP.IsValid() {
					continue
				}
				a := netip.PrefixFrom(p.Addr, 32)
				if blocks(e.SubnetID, false, false) {
					inDrop = append(inDrop, a)
				}
				if blocks(e.SubnetID, true, nat) {
					outDrop = append(outDrop, a)
				}
			}
		}
	}
	if pl.v6 {
		for _, s := range sorted(pl.st.Subnets, func(s *model.Subnet) string { return string(s.ID) }) {
			c, ok := subnetIPv6(s)
			if s.VpcID != v.ID || !ok {
				continue
			}
			if !eigw && blocks(s.ID, false, false) {
				inDrop = append(inDrop, c)
			}
			if blocks(s.ID, true, eigw) {
				outDrop = append(outDrop, c)
			}
		}
	}
	var out []Rule
	for _, ps := range [][]netip.Prefix{inDrop, outDrop} {
		slices.SortFunc(ps, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	}
	// One rule per address family: ruleExprs keeps a list of host
	// addresses as one set only when they are all of one family.
	split := func(ps []netip.Prefix) [][]netip.Prefix {
		var v4, v6 []netip.Prefix
		for _, p := range ps {
			if p.Addr().Is4() {
				v4 = append(v4, p)
			} else {
				v6 = append(v6, p)
			}
		}
		return slices.DeleteFunc([][]netip.Prefix{v4, v6}, func(x []netip.Prefix) bool { return len(x) == 0 })
	}
	for _, ps := range split(inDrop) {
		out = append(out, Rule{IIf: "inet", Dst: ps, Verdict: Verdict{Kind: "drop"}, Comment: "VPC Block Public Access " + mode + ": the internet starts no connection here"})
		if !eigw {
			// A connection from the VPC to one of its own public
			// addresses goes out through the internet gateway and back
			// in (hairpin): it enters the blocked subnet through the
			// gateway as the internet's does.
			out = append(out, Rule{IIf: "vpc", OIf: "vpc", Dst: ps, Verdict: Verdict{Kind: "drop"}, Comment: "VPC Block Public Access " + mode + ": no connection in here through the gateway, from the VPC either"})
		}
	}
	for _, ps := range split(outDrop) {
		out = append(out, Rule{IIf: "vpc", Src: ps, Verdict: Verdict{Kind: "drop"}, Comment: "VPC Block Public Access " + mode + ": no connection out from here"})
	}
	return out
}
