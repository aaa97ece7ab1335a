package engine

import (
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

var anyIPv6 = netip.MustParsePrefix("::/0")

// allocIPv6Block returns a /56 of the region's Amazon pool
// (regionIPv6Pool) that no VPC has.
func (t *txn) allocIPv6Block() netip.Prefix {
	pool := regionIPv6Pool(t.e.cfg.Region)
	base := pool.Addr().As16()
	for {
		// The bits between the pool's length and /56, from an id: its
		// low 56-len bits, the last of them at bit 55 (for a /32, bytes 4
		// to 6 of the address are the id's low three bytes).
		n := t.e.ids.Uint64()
		b := base
		for i := 0; i < 56-pool.Bits(); i++ {
			if n>>i&1 == 1 {
				bit := 55 - i
				b[bit/8] |= 0x80 >> (bit % 8)
			}
		}
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

// maxVpcIPv6Blocks is the quota "IPv6 CIDR blocks per VPC" (5 by
// default, vpc-service.html).
const maxVpcIPv6Blocks = 5

// addVpcIPv6 associates an Amazon-provided /56 with a VPC: its local
// route in every route table and, for the VPC's first IPv6 block, the
// default network ACL's IPv6 entries and the ::/0 egress rule of the
// default security group (vpc-migrate-ipv6.md).
func (t *txn) addVpcIPv6(v *model.VPC) (model.IPv6Block, error) {
	if len(v.IPv6) >= maxVpcIPv6Blocks {
		return model.IPv6Block{}, apierr.Newf("CidrLimitExceeded", "This network '%s' has met its maximum number of allowed IPv6 CIDRs: %d", v.ID, maxVpcIPv6Blocks)
	}
	first := len(v.IPv6) == 0
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
	if acl := t.st.NetworkACLs[v.DefaultNetworkACL]; acl != nil && first {
		c := cloneACL(acl)
		for _, egress := range []bool{false, true} {
			c.Entries = append(c.Entries,
				model.ACLEntry{RuleNumber: 101, Egress: egress, Action: model.Allow, Protocol: model.AllProtocols, Ports: model.AllPorts, CIDR: anyIPv6},
				model.ACLEntry{RuleNumber: model.ImplicitDenyRule, Egress: egress, Action: model.Deny, Protocol: model.AllProtocols, Ports: model.AllPorts, CIDR: anyIPv6})
		}
		sortACLEntries(c.Entries)
		put(t, model.KindNetworkACL, t.st.NetworkACLs, c.ID, c)
	}
	if g := t.st.SecurityGroups[v.DefaultSecurityGroup]; g != nil && first {
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
		for _, b := range s.IPv6 {
			if s.VpcID == v.ID && b.CIDR.Overlaps(p) {
				return p, apierr.Newf("InvalidCidrBlock.InUse", "The vpc %s currently has a subnet within CIDR block %s", v.ID, p)
			}
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

// subnetIPv6 checks a subnet IPv6 block: a /44 to /64, in steps of 4,
// inside the VPC's block (the whole /56 is allowed), overlapping no other
// subnet's.
func (t *txn) subnetIPv6(v *model.VPC, cidr string, except model.SubnetID) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() {
		return netip.Prefix{}, errBadCIDR("ipv6CidrBlock", cidr)
	}
	inside := false
	for _, b := range v.IPv6 {
		inside = inside || (b.CIDR.Contains(p.Addr()) && p.Bits() >= b.CIDR.Bits())
	}
	if !inside || p.Bits() < 44 || p.Bits() > 64 || p.Bits()%4 != 0 || p.Masked() != p {
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
				if s.AssignIPv6AddressOnCreation {
					// AWS's text (terraform-provider-aws#46017, 2026).
					return apierr.Newf("InvalidCidrBlock.InUse", "The subnet IPv6 CIDR block with association ID %s may not be disassociated, because its subnet has assign-ipv6-address-on-creation set to true.", assoc)
				}
				ns := *s
				ns.IPv6 = nil
				// The block's reservations go with it ([choice]).
				ns.CIDRReservations = slices.DeleteFunc(slices.Clone(s.CIDRReservations), func(r model.SubnetCIDRReservation) bool {
					return b.CIDR.Overlaps(r.CIDR)
				})
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
			return errInvalidParameterValue("Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet (%s) has an IPv6 CIDR block associated with it.", id)
		}
		ns := *s
		ns.AssignIPv6AddressOnCreation = on
		put(t, model.KindSubnet, t.st.Subnets, id, &ns)
		return nil
	})
}

// ipv6Reserved reports whether a is one of the addresses AWS reserves in
// every subnet's IPv6 block: the first four and the last
// (subnet-sizing.md, "Subnet CIDR blocks").
func ipv6Reserved(a netip.Addr) bool {
	b := a.As16()
	low := uint64(0)
	for _, x := range b[8:] {
		low = low<<8 | uint64(x)
	}
	return low < 4 || low == ^uint64(0)
}

// maxIPv6PerENI is the most IPv6 addresses an interface takes: 50 on the
// largest instance types (ec2-instance-network-bandwidth / "IP addresses
// per network interface per instance type"); ecsnet does not vary it by
// type ([choice]).
const maxIPv6PerENI = 50

// subnetIPv6Block returns the subnet's IPv6 block, if it has one.
func subnetIPv6Block(s *model.Subnet) (netip.Prefix, bool) {
	if len(s.IPv6) == 0 {
		return netip.Prefix{}, false
	}
	return s.IPv6[0].CIDR, true
}

// errNoSubnetIPv6 answers a request for IPv6 addresses in a subnet
// without an IPv6 block. UNVERIFIED text (docs/aws-behavior.md).
func errNoSubnetIPv6(s *model.Subnet) error {
	return errInvalidParameterValue("The subnet %s does not have an IPv6 CIDR block, so no IPv6 address can be assigned.", s.ID)
}

// allocIPv6 returns IPv6 addresses of the subnet's block for an ENI: want
// when given (each inside the block, not reserved, not in use), else
// count free addresses chosen at random, as AWS does.
func (t *txn) allocIPv6(s *model.Subnet, count int, want []netip.Addr) ([]netip.Addr, error) {
	if count > 0 && len(want) > 0 {
		return nil, apierr.New("InvalidParameterCombination", "IPv6 addresses and IPv6 address count may not be specified on the same request")
	}
	if count < 0 {
		return nil, errInvalidParameterValue("Invalid value '%d' for Ipv6AddressCount.", count)
	}
	if count > maxIPv6PerENI || len(want) > maxIPv6PerENI {
		return nil, apierr.New("AddressLimitExceeded", "The maximum number of addresses has been reached.")
	}
	if count == 0 && len(want) == 0 {
		return nil, nil
	}
	block, ok := subnetIPv6Block(s)
	if !ok {
		return nil, errNoSubnetIPv6(s)
	}
	used := t.e.idx.privateIPs
	var out []netip.Addr
	for _, a := range want {
		if !a.Is6() || a.Is4In6() || !block.Contains(a) {
			return nil, errInvalidParameterValue("Address %s does not fall within the subnet's address range", a)
		}
		if ipv6Reserved(a) {
			return nil, errInvalidParameterValue("Address %s is in subnet's reserved address range", a)
		}
		if _, taken := used[vpcAddr{s.VpcID, a}]; taken || slices.Contains(out, a) {
			return nil, apierr.Newf("InvalidIPAddress.InUse", "Address %s is in use.", a)
		}
		out = append(out, a)
	}
	base := block.Addr().As16()
	for len(out) < count {
		n := t.e.ids.Uint64()
		b := base
		for i := 0; i < 8; i++ {
			b[15-i] = byte(n >> (8 * i))
		}
		a := netip.AddrFrom16(b)
		if ipv6Reserved(a) || slices.Contains(out, a) || s.InReservation(a) {
			continue
		}
		if _, taken := used[vpcAddr{s.VpcID, a}]; taken {
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// parseIPv6Addrs parses IPv6 address parameters.
func parseIPv6Addrs(param string, in []string) ([]netip.Addr, error) {
	out := make([]netip.Addr, 0, len(in))
	for _, s := range in {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is6() || a.Is4In6() {
			return nil, errInvalidParameterValue("Value (%s) for parameter %s is invalid. Not a valid IPv6 address.", s, param)
		}
		out = append(out, a)
	}
	return out, nil
}

// AssignIPv6Addresses assigns IPv6 addresses of its subnet's block to an
// ENI: count new ones chosen by EC2, or the given ones.
func (e *Engine) AssignIPv6Addresses(id model.NetworkInterfaceID, count int, addrs []string) ([]netip.Addr, error) {
	want, err := parseIPv6Addrs("ipv6Addresses", addrs)
	if err != nil {
		return nil, err
	}
	if count == 0 && len(want) == 0 {
		return nil, errMissingParameter("ipv6AddressCount")
	}
	var out []netip.Addr
	err = e.write(func(t *txn) error {
		n, err := t.eni(id)
		if err != nil {
			return err
		}
		s := t.st.Subnets[n.SubnetID]
		if s == nil {
			return errSubnetNotFound(n.SubnetID)
		}
		if len(n.IPv6)+count+len(want) > maxIPv6PerENI {
			return apierr.New("AddressLimitExceeded", "The maximum number of addresses has been reached.")
		}
		if out, err = t.allocIPv6(s, count, want); err != nil {
			return err
		}
		c := cloneENI(n)
		c.IPv6 = append(c.IPv6, out...)
		t.putENI(c)
		return nil
	})
	return out, err
}

// UnassignIPv6Addresses removes IPv6 addresses from an ENI; each must be
// one of its addresses.
func (e *Engine) UnassignIPv6Addresses(id model.NetworkInterfaceID, addrs []string) ([]netip.Addr, error) {
	want, err := parseIPv6Addrs("ipv6Addresses", addrs)
	if err != nil {
		return nil, err
	}
	if len(want) == 0 {
		return nil, errMissingParameter("ipv6Addresses")
	}
	err = e.write(func(t *txn) error {
		n, err := t.eni(id)
		if err != nil {
			return err
		}
		for _, a := range want {
			if !slices.Contains(n.IPv6, a) {
				// UNVERIFIED text, modelled on UnassignPrivateIpAddresses'.
				return errInvalidParameterValue("Some of the specified addresses are not assigned to interface %s", id)
			}
		}
		c := cloneENI(n)
		c.IPv6 = slices.DeleteFunc(c.IPv6, func(a netip.Addr) bool { return slices.Contains(want, a) })
		if len(c.IPv6) == 0 {
			c.IPv6 = nil
		}
		t.putENI(c)
		return nil
	})
	return want, err
}

// SubnetAttributes is one ModifySubnetAttribute request: the attributes it
// sets (nil or empty: unchanged).
type SubnetAttributes struct {
	MapPublicIP      *bool
	AssignIPv6       *bool
	EnableDNS64      *bool
	HostnameType     string
	ResourceNameA    *bool
	ResourceNameAAAA *bool
}

// ModifySubnetAttributes sets a subnet's attributes. An IPv6-only subnet
// keeps what it cannot do without IPv4: resource-name hostnames, no A
// records, no public IPv4 addresses, IPv6 addresses on every interface;
// DNS64 and AAAA records need an IPv6 block (configure-subnets.md,
// ec2-instance-naming.md).
func (e *Engine) ModifySubnetAttributes(id model.SubnetID, in SubnetAttributes) error {
	switch in.HostnameType {
	case "", "ip-name", "resource-name":
	default:
		return errInvalidParameterValue("Value (%s) for parameter privateDnsHostnameTypeOnLaunch is invalid. Valid values: ip-name, resource-name", in.HostnameType)
	}
	return e.write(func(t *txn) error {
		s, err := t.subnet(id)
		if err != nil {
			return err
		}
		ns := *s
		has6 := len(s.IPv6) > 0
		// needs6 is AWS's text for DNS64 (terraform-aws-modules/terraform-aws-vpc#1194),
		// used alike for AAAA records and AssignIpv6AddressOnCreation.
		needs6 := func(name string) error {
			if name == "assign-ipv6-address-on-creation" { // terraform-aws-modules/terraform-aws-vpc#735
				return errInvalidParameterValue("Invalid value 'true' for %s. Cannot set %s to true unless the subnet (%s) has an IPv6 CIDR block associated with it.", name, name, id)
			}
			return errInvalidParameterValue("Invalid value 'true' for %s. Cannot set %s to true unless the subnet has an IPv6 CIDR block associated with it.", name, name)
		}
		ipv6Only := func(name, value string) error {
			// UNVERIFIED text ([choice], docs/aws-behavior.md).
			return errInvalidParameterValue("Invalid value '%s' for %s. The subnet (%s) is an IPv6-only subnet.", value, name, id)
		}
		if v := in.MapPublicIP; v != nil {
			if *v && s.IPv6Native {
				return ipv6Only("map-public-ip-on-launch", "true")
			}
			ns.MapPublicIPOnLaunch = *v
		}
		if v := in.AssignIPv6; v != nil {
			if *v && !has6 {
				return needs6("assign-ipv6-address-on-creation")
			}
			if !*v && s.IPv6Native {
				return ipv6Only("assign-ipv6-address-on-creation", "false")
			}
			ns.AssignIPv6AddressOnCreation = *v
		}
		if v := in.EnableDNS64; v != nil {
			if *v && !has6 {
				return needs6("enable-dns64")
			}
			ns.EnableDNS64 = *v
		}
		if in.HostnameType != "" {
			if in.HostnameType == "ip-name" && s.IPv6Native {
				return ipv6Only("private-dns-hostname-type-on-launch", "ip-name")
			}
			ns.HostnameType = in.HostnameType
		}
		if v := in.ResourceNameA; v != nil {
			if *v && s.IPv6Native {
				return ipv6Only("enable-resource-name-dns-a-record-on-launch", "true")
			}
			ns.ResourceNameDNSA = *v
		}
		if v := in.ResourceNameAAAA; v != nil {
			if *v && !has6 {
				return needs6("enable-resource-name-dns-aaaa-record-on-launch")
			}
			ns.ResourceNameDNSAAAA = *v
		}
		put(t, model.KindSubnet, t.st.Subnets, id, &ns)
		return nil
	})
}
