package engine

import (
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// amazonIPv6Pool is where Amazon-provided VPC blocks come from: a /56 of
// 2600:1f18::/32, part of the range AWS publishes for us-east-1
// (ip-ranges.json); ecsnet uses it in every region.
var amazonIPv6Pool = netip.MustParsePrefix("2600:1f18::/32")

var anyIPv6 = netip.MustParsePrefix("::/0")

// allocIPv6Block returns a /56 of the Amazon pool that no VPC has.
func (t *txn) allocIPv6Block() netip.Prefix {
	base := amazonIPv6Pool.Addr().As16()
	for {
		n := t.e.ids.Uint64()
		b := base
		b[4], b[5], b[6] = byte(n>>16), byte(n>>8), byte(n)
		p := netip.PrefixFrom(netip.AddrFrom16(b), 56)
		taken := false
		for _, v := range t.st.VPCs {
			for _, x := range v.IPv6 {
				taken = taken || x.CIDR == p
			}
		}
		if !taken {
			return p
		}
	}
}

// addVpcIPv6 associates an Amazon-provided /56 with a VPC: its local
// route in every route table, the default network ACL's IPv6 entries and
// the ::/0 egress rule of the default security group (vpc-migrate-ipv6.md).
func (t *txn) addVpcIPv6(v *model.VPC) (model.IPv6Block, error) {
	if len(v.IPv6) >= 1 {
		return model.IPv6Block{}, apierr.Newf("CidrLimitExceeded", "This network '%s' has met its maximum number of allowed IPv6 CIDRs: 1", v.ID)
	}
	b := model.IPv6Block{CIDR: t.allocIPv6Block(), AssociationID: t.newID("vpc-cidr-assoc")}
	nv := *v
	nv.IPv6 = append(slices.Clone(v.IPv6), b)
	put(t, model.KindVPC, t.st.VPCs, nv.ID, &nv)
	for _, rt := range sortedValues(t.st.RouteTables) {
		if rt.VpcID == v.ID {
			c := cloneRT(rt)
			c.Routes = append(c.Routes, localRoute(b.CIDR))
			put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
		}
	}
	if acl := t.st.NetworkACLs[v.DefaultNetworkACL]; acl != nil {
		c := cloneACL(acl)
		for _, egress := range []bool{false, true} {
			c.Entries = append(c.Entries,
				model.ACLEntry{RuleNumber: 101, Egress: egress, Action: model.Allow, Protocol: model.AllProtocols, Ports: model.AllPorts, CIDR: anyIPv6},
				model.ACLEntry{RuleNumber: model.ImplicitDenyRule, Egress: egress, Action: model.Deny, Protocol: model.AllProtocols, Ports: model.AllPorts, CIDR: anyIPv6})
		}
		sortACLEntries(c.Entries)
		put(t, model.KindNetworkACL, t.st.NetworkACLs, c.ID, c)
	}
	if g := t.st.SecurityGroups[v.DefaultSecurityGroup]; g != nil {
		c := *g
		r := allEgress(t)
		r.CIDR = anyIPv6
		c.Egress = append(slices.Clone(g.Egress), r)
		put(t, model.KindSecurityGroup, t.st.SecurityGroups, c.ID, &c)
	}
	return b, nil
}

// AssociateVpcIPv6 associates an Amazon-provided IPv6 /56 with a VPC.
func (e *Engine) AssociateVpcIPv6(id model.VpcID) (model.IPv6Block, error) {
	var out model.IPv6Block
	err := e.write(func(t *txn) error {
		v, err := t.vpc(id)
		if err != nil {
			return err
		}
		out, err = t.addVpcIPv6(v)
		return err
	})
	return out, err
}

// disassociateVpcIPv6 removes an IPv6 block that no subnet uses, with its
// local routes.
func (t *txn) disassociateVpcIPv6(v *model.VPC, i int) (netip.Prefix, error) {
	p := v.IPv6[i].CIDR
	for _, s := range t.st.Subnets {
		if s.VpcID == v.ID && len(s.IPv6) > 0 {
			return p, apierr.Newf("InvalidCidrBlock.InUse", "The vpc %s currently has a subnet within CIDR block %s", v.ID, p)
		}
	}
	nv := *v
	nv.IPv6 = slices.Delete(slices.Clone(v.IPv6), i, i+1)
	put(t, model.KindVPC, t.st.VPCs, v.ID, &nv)
	for _, rt := range sortedValues(t.st.RouteTables) {
		if rt.VpcID != v.ID {
			continue
		}
		c := cloneRT(rt)
		c.Routes = slices.DeleteFunc(c.Routes, func(r model.Route) bool { return r.Target == model.TargetLocal && r.Destination == p })
		put(t, model.KindRouteTable, t.st.RouteTables, c.ID, c)
	}
	return p, nil
}

// subnetIPv6 checks a subnet IPv6 block: a /64 inside the VPC's block,
// overlapping no other subnet's.
func (t *txn) subnetIPv6(v *model.VPC, cidr string, except model.SubnetID) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() {
		return netip.Prefix{}, errBadCIDR("ipv6CidrBlock", cidr)
	}
	inside := false
	for _, b := range v.IPv6 {
		inside = inside || (b.CIDR.Contains(p.Addr()) && p.Bits() >= b.CIDR.Bits())
	}
	if !inside || p.Bits() != 64 || p.Masked() != p {
		return netip.Prefix{}, apierr.Newf("InvalidSubnet.Range", "The IPv6 CIDR '%s' is invalid.", cidr)
	}
	for _, s := range t.st.Subnets {
		for _, b := range s.IPv6 {
			if s.ID != except && s.VpcID == v.ID && b.CIDR.Overlaps(p) {
				return netip.Prefix{}, apierr.Newf("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", cidr)
			}
		}
	}
	return p, nil
}

// AssociateSubnetIPv6 associates a /64 of the VPC's IPv6 block with a
// subnet (one per subnet).
func (e *Engine) AssociateSubnetIPv6(id model.SubnetID, cidr string) (model.IPv6Block, error) {
	var out model.IPv6Block
	err := e.write(func(t *txn) error {
		s, err := t.subnet(id)
		if err != nil {
			return err
		}
		if len(s.IPv6) > 0 {
			return apierr.Newf("InvalidParameterValue", "Subnet %s already has an IPv6 CIDR block.", id)
		}
		p, err := t.subnetIPv6(t.st.VPCs[s.VpcID], cidr, id)
		if err != nil {
			return err
		}
		out = model.IPv6Block{CIDR: p, AssociationID: t.newID("subnet-cidr-assoc")}
		ns := *s
		ns.IPv6 = []model.IPv6Block{out}
		put(t, model.KindSubnet, t.st.Subnets, ns.ID, &ns)
		return nil
	})
	return out, err
}

// DisassociateSubnetIPv6 removes a subnet's IPv6 block (not from an
// IPv6-only subnet).
func (e *Engine) DisassociateSubnetIPv6(assoc string) (model.SubnetID, model.IPv6Block, error) {
	var sub model.SubnetID
	var out model.IPv6Block
	err := e.write(func(t *txn) error {
		for _, s := range sortedValues(t.st.Subnets) {
			for _, b := range s.IPv6 {
				if b.AssociationID != assoc {
					continue
				}
				if s.IPv6Native {
					return apierr.Newf("OperationNotPermitted", "The IPv6 CIDR block of IPv6-only subnet %s cannot be disassociated.", s.ID)
				}
				ns := *s
				ns.IPv6, ns.AssignIPv6AddressOnCreation = nil, false
				put(t, model.KindSubnet, t.st.Subnets, ns.ID, &ns)
				sub, out = s.ID, b
				return nil
			}
		}
		return apierr.Newf("InvalidSubnetCidrBlockAssociationID.NotFound", "The subnet CIDR block with association ID '%s' does not exist", assoc)
	})
	return sub, out, err
}

// SetAssignIPv6OnCreation sets a subnet's AssignIpv6AddressOnCreation; it
// needs an IPv6 block.
func (e *Engine) SetAssignIPv6OnCreation(id model.SubnetID, on bool) error {
	return e.write(func(t *txn) error {
		s, err := t.subnet(id)
		if err != nil {
			return err
		}
		if on && len(s.IPv6) == 0 {
			return errInvalidParameterValue("Invalid value 'true' for assignIpv6AddressOnCreation. Subnet %s does not have an IPv6 CIDR block.", id)
		}
		ns := *s
		ns.AssignIPv6AddressOnCreation = on
		put(t, model.KindSubnet, t.st.Subnets, id, &ns)
		return nil
	})
}
