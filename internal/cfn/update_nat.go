package cfn

import (
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// updateNatGateway updates an AWS::EC2::NatGateway in place: its tags
// and its secondary addresses (SecondaryAllocationIds,
// SecondaryPrivateIpAddresses, SecondaryPrivateIpAddressCount, "Update
// requires: No interruption"). The gateway is brought to what the
// template asks through the operations the API has for it: a public
// gateway's Elastic IPs no longer listed are disassociated
// (DisassociateNatGatewayAddress) and new ones associated
// (AssociateNatGatewayAddress), a private gateway's addresses no longer
// listed are unassigned and new ones assigned
// (UnassignPrivateNatGatewayAddress, AssignPrivateNatGatewayAddress), a
// count unassigns the newest addresses or assigns more [probable: the
// provider's own steps are not published; these are the operations and
// the order terraform-provider-aws's update uses]. MaxDrainDurationSeconds
// is taken without effect: ecsnet releases addresses at once.
func updateNatGateway(c *rctx, old obj, changed []string) error {
	if slices.ContainsFunc(changed, func(p string) bool {
		return p == "SecondaryAllocationIds" || p == "SecondaryPrivateIpAddresses" || p == "SecondaryPrivateIpAddressCount"
	}) {
		if err := updateNatSecondary(c); err != nil {
			return err
		}
	}
	if slices.Contains(changed, "AvailabilityZoneAddresses") {
		if err := updateNatZoneAddresses(c); err != nil {
			return err
		}
	}
	return updateEC2Tags(c, old, changed)
}

// natSecondaryNow is a NAT gateway's secondary addresses as they are:
// each non-primary private address of its interface, with the Elastic IP
// associated with it (public gateways).
type natSecondaryNow struct {
	addr  netip.Addr
	alloc model.AllocationID
	assoc model.EIPAssociationID
}

func updateNatSecondary(c *rctx) error {
	p, id := c.p, model.NatGatewayID(c.r.physical)
	want, err := natSecondaryProps(p)
	if err != nil {
		return err
	}
	var conn string
	var now []natSecondaryNow
	c.read(func(st *model.State) {
		ng := st.NatGateways[id]
		if ng == nil {
			return
		}
		conn = ng.ConnectivityType
		if n := st.NetworkInterfaces[ng.NetworkInterface]; n != nil {
			for _, ip := range n.PrivateIPs {
				if ip.Primary {
					continue
				}
				s := natSecondaryNow{addr: ip.Addr}
				if ip.PublicIP != nil {
					s.alloc, s.assoc = ip.PublicIP.AllocationID, ip.PublicIP.AssociationID
				}
				now = append(now, s)
			}
		}
	})
	e := c.e()
	if conn == "public" {
		var drop []model.EIPAssociationID
		for _, s := range now {
			if s.assoc != "" && !slices.Contains(want.AllocationIDs, s.alloc) {
				drop = append(drop, s.assoc)
			}
		}
		if len(drop) > 0 {
			if _, err := e.DisassociateNatGatewayAddresses(id, drop); err != nil {
				return p.at("SecondaryAllocationIds", err)
			}
		}
		var add engine.NatSecondaryAddresses
		for i, a := range want.AllocationIDs {
			if slices.ContainsFunc(now, func(s natSecondaryNow) bool { return s.alloc == a }) {
				continue
			}
			add.AllocationIDs = append(add.AllocationIDs, a)
			if i < len(want.PrivateIPs) {
				add.PrivateIPs = append(add.PrivateIPs, want.PrivateIPs[i])
			}
		}
		if !add.Empty() {
			if _, err := e.AssignNatGatewayAddresses(id, add); err != nil {
				return p.at("SecondaryAllocationIds", err)
			}
		}
		return nil
	}
	key := "SecondaryPrivateIpAddresses"
	var drop, add []netip.Addr
	count := 0
	if want.Count > 0 || len(want.PrivateIPs) == 0 {
		key = "SecondaryPrivateIpAddressCount"
		if extra := len(now) - want.Count; extra > 0 {
			for _, s := range now[len(now)-extra:] {
				drop = append(drop, s.addr)
			}
		} else {
			count = -extra
		}
	} else {
		for _, s := range now {
			if !slices.Contains(want.PrivateIPs, s.addr) {
				drop = append(drop, s.addr)
			}
		}
		for _, a := range want.PrivateIPs {
			if !slices.ContainsFunc(now, func(s natSecondaryNow) bool { return s.addr == a }) {
				add = append(add, a)
			}
		}
	}
	if len(drop) > 0 {
		if _, err := e.UnassignNatGatewayAddresses(id, drop); err != nil {
			return p.at(key, err)
		}
	}
	if len(add) > 0 || count > 0 {
		if _, err := e.AssignNatGatewayAddresses(id, engine.NatSecondaryAddresses{PrivateIPs: add, Count: count}); err != nil {
			return p.at(key, err)
		}
	}
	return nil
}

// updateNatZoneAddresses brings a regional NAT gateway's
// AvailabilityZoneAddresses (AllocationIds: "Update requires: No
// interruption") to the template's: the Elastic IPs no longer listed in
// their zone are disassociated (DisassociateNatGatewayAddress), the new
// ones associated in theirs (AssociateNatGatewayAddress with
// AvailabilityZone), in that order.
func updateNatZoneAddresses(c *rctx) error {
	p, id := c.p, model.NatGatewayID(c.r.physical)
	zones, err := p.objects("AvailabilityZoneAddresses")
	if err != nil {
		return err
	}
	type want struct {
		zone, zoneID string
		alloc        model.AllocationID
	}
	var wants []want
	for _, z := range zones {
		allocs, err := z.strs("AllocationIds")
		if err != nil {
			return p.at("AvailabilityZoneAddresses", err)
		}
		name, err := z.str("AvailabilityZone")
		if err != nil {
			return p.at("AvailabilityZoneAddresses", err)
		}
		zid, err := z.str("AvailabilityZoneId")
		if err != nil {
			return p.at("AvailabilityZoneAddresses", err)
		}
		for _, a := range allocs {
			wants = append(wants, want{name, zid, model.AllocationID(a)})
		}
	}
	var now []model.NatZoneAddress
	c.read(func(st *model.State) {
		if ng := st.NatGateways[id]; ng != nil {
			now = slices.Clone(ng.ZoneAddresses)
		}
	})
	kept := func(a model.NatZoneAddress) bool {
		return slices.ContainsFunc(wants, func(w want) bool {
			return w.alloc == a.AllocationID && (w.zone == a.Zone || w.zone == "" && w.zoneID == a.ZoneID)
		})
	}
	var drop []model.EIPAssociationID
	for _, a := range now {
		if a.AllocationID != "" && !kept(a) {
			drop = append(drop, a.AssociationID)
		}
	}
	if len(drop) > 0 {
		if _, err := c.e().DisassociateNatGatewayAddresses(id, drop); err != nil {
			return p.at("AvailabilityZoneAddresses", err)
		}
	}
	for _, w := range wants {
		if slices.ContainsFunc(now, func(a model.NatZoneAddress) bool {
			return a.AllocationID == w.alloc && (w.zone == a.Zone || w.zone == "" && w.zoneID == a.ZoneID)
		}) {
			continue
		}
		if _, err := c.e().AssociateNatGatewayZoneAddresses(id, engine.NatZoneRequest{Zone: w.zone, ZoneID: w.zoneID, AllocationIDs: []model.AllocationID{w.alloc}}); err != nil {
			return p.at("AvailabilityZoneAddresses", err)
		}
	}
	return nil
}
