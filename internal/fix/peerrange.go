package fix

import (
	"maps"
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
)

// uniqueSources drops the security group rule sources that admit what an
// earlier or better-ranked one already admits (the same group, prefix
// list or address blocks): a NAT gateway's private address is both "the
// NAT gateway's private address" and the plain address of another VPC,
// one rule an engineer adds once. The better-ranked (lower score)
// description is kept, at the first one's place.
func uniqueSources(in []sgSource) []sgSource {
	key := func(s sgSource) string {
		k := string(s.group) + "|" + string(s.prefixList) + "|" + s.cidr.String()
		for _, m := range s.more {
			k += "," + m.String()
		}
		return k
	}
	at := map[string]int{}
	out := in[:0:0]
	for _, s := range in {
		k := key(s)
		if i, seen := at[k]; seen {
			if s.score < out[i].score {
				out[i] = s
			}
			continue
		}
		at[k] = len(out)
		out = append(out, s)
	}
	return out
}

// aclPeerBlock returns the block a network ACL entry of acl names for a
// private IPv4 (or VPC IPv6) peer outside the ACL's VPC: the range of the other VPC of
// the state that holds it (reached through a peering connection or a
// transit gateway). Network ACL rules for peered and attached VPCs name
// the other VPC's CIDR block ("Update your security groups to reference
// peer security groups" and the peering guide's example ACLs name the peer
// VPC's range; the Transit Gateway guide's network ACL examples name the
// VPCs' ranges): every task, node and replacement of the other VPC comes
// from it, one address does not. When several VPCs of the state hold the
// address (overlapping ranges, private NAT), the one with an interface at
// it; ok is false when none or no single VPC holds it.
func (f *finder) aclPeerBlock(acl *model.NetworkACL, peer netip.Addr) (netip.Prefix, bool) {
	if !peer.IsValid() || peer.Is4() && !peer.IsPrivate() {
		return netip.Prefix{}, false
	}
	var found []netip.Prefix
	var owners []model.VpcID
	for _, id := range slices.Sorted(maps.Keys(f.st.VPCs)) {
		if id == acl.VpcID {
			continue
		}
		v := f.st.VPCs[id]
		for _, b := range vpcBlocks(v) {
			if b.Contains(peer) {
				found, owners = append(found, b), append(owners, id)
				break
			}
		}
	}
	switch len(found) {
	case 0:
		return netip.Prefix{}, false
	case 1:
		return found[0], true
	}
	for i, id := range owners {
		if peer.Is4() && f.eniAt(id, peer.String()) != nil || peer.Is6() && f.eniWithIPv6(id, peer) != nil {
			return found[i], true
		}
	}
	return netip.Prefix{}, false
}

// vpcBlocks are a VPC's IPv4 blocks and its IPv6 blocks.
func vpcBlocks(v *model.VPC) []netip.Prefix {
	out := v.CIDRs()
	for _, b := range v.IPv6 {
		out = append(out, b.CIDR)
	}
	return out
}
