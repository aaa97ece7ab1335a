package engine

import (
	"net/netip"
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A NAT gateway's secondary addresses (CreateNatGateway's
// SecondaryAllocationIds, SecondaryPrivateIpAddresses and
// SecondaryPrivateIpAddressCount; AssignPrivateNatGatewayAddress,
// UnassignPrivateNatGatewayAddress, AssociateNatGatewayAddress,
// DisassociateNatGatewayAddress) are the secondary private addresses of its
// interface: a public gateway's secondary Elastic IPs are associated with
// them as an Elastic IP is with an instance's secondary address. The
// gateway's primary address stays its PrivateIP and PublicIP; the others
// are read from its interface.

// maxNatGatewayAddresses is the most private IPv4 addresses a NAT gateway
// holds, its primary one included: "Private IPv4 addresses per NAT
// gateway: 8" (Amazon VPC quotas, NAT gateways; [probable] not
// adjustable). A public NAT gateway's Elastic IPs count among them.
const maxNatGatewayAddresses = 8

// NatSecondaryAddresses asks for a NAT gateway's secondary addresses: the
// private addresses given, or Count the subnet picks, and for a public
// gateway the Elastic IPs to associate with them (one per address; with
// no private addresses given each Elastic IP takes one the subnet picks).
type NatSecondaryAddresses struct {
	AllocationIDs []model.AllocationID
	PrivateIPs    []netip.Addr
	Count         int
}

// Empty reports whether nothing is asked for.
func (s NatSecondaryAddresses) Empty() bool {
	return len(s.AllocationIDs) == 0 && len(s.PrivateIPs) == 0 && s.Count == 0
}

// check validates the request against the gateway's connectivity type, as
// the parameters' documentation states: secondary Elastic IPs are for
// public gateways ("You cannot specify an Elastic IP address with a
// private NAT gateway"), an address count for private ones ("[Private NAT
// gateway only]"), and a count with addresses is refused ("You can't
// specify this parameter when also specifying private IP addresses"). A
// public gateway's private addresses pair with its Elastic IPs, so their
// numbers must match ([probable]; the texts are [choice]).
func (s NatSecondaryAddresses) check(connectivity string) error {
	if s.Count < 0 {
		return errInvalidParameterValue("Invalid value '%d' for secondaryPrivateIpAddressCount.", s.Count)
	}
	if s.Count > 0 && len(s.PrivateIPs) > 0 {
		return apierr.New("InvalidParameterCombination", "Secondary private IP addresses and secondary private IP address count may not be specified on the same request")
	}
	if connectivity == "private" {
		if len(s.AllocationIDs) > 0 {
			return apierr.New("InvalidParameterCombination", "You cannot specify an Elastic IP address with a private NAT gateway.")
		}
		return nil
	}
	if s.Count > 0 {
		return apierr.New("InvalidParameterCombination", "SecondaryPrivateIpAddressCount is only supported for a private NAT gateway.")
	}
	if len(s.PrivateIPs) > 0 && len(s.PrivateIPs) != len(s.AllocationIDs) {
		return apierr.New("InvalidParameterCombination", "The number of secondary private IP addresses must match the number of secondary allocation IDs of a public NAT gateway.")
	}
	return nil
}

// addNatAddresses gives a NAT gateway's interface the secondary addresses
// asked for and associates a public gateway's Elastic IPs with them. The
// Elastic IPs must be free (an associated one, or one another NAT gateway
// holds, is Resource.AlreadyAssociated as CreateNatGateway's primary one).
func (t *txn) addNatAddresses(ng *model.NatGateway, req NatSecondaryAddresses) error {
	n := t.st.NetworkInterfaces[ng.NetworkInterface]
	if n == nil {
		return apierr.Newf("InvalidParameterValue", "NAT gateway %s has no network interface", ng.ID) // [choice]: a failed or pending-failure gateway
	}
	s := t.st.Subnets[n.SubnetID]
	if s == nil {
		return errSubnetNotFound(n.SubnetID)
	}
	var eips []*model.Address
	for _, id := range req.AllocationIDs {
		a, err := t.address(id)
		if err != nil {
			return err
		}
		if a.AssociationID != "" || t.natHoldsAllocation(id) {
			return apierr.Newf("Resource.AlreadyAssociated", "Elastic IP address [%s] is already associated", id)
		}
		if slices.ContainsFunc(eips, func(x *model.Address) bool { return x.AllocationID == id }) {
			return errInvalidParameterValue("Allocation ID %s is given more than once.", id) // [choice]
		}
		eips = append(eips, a)
	}
	count := req.Count
	if len(req.AllocationIDs) > 0 && len(req.PrivateIPs) == 0 {
		count = len(req.AllocationIDs)
	}
	if len(n.PrivateIPs)+count+len(req.PrivateIPs) > maxNatGatewayAddresses {
		return apierr.Newf("PrivateIpAddressLimitExceeded", "A NAT gateway can have at most %d private IPv4 addresses.", maxNatGatewayAddresses) // text [choice]
	}
	_, added, err := t.assignPrivateIPs(n, s, req.PrivateIPs, count, false)
	if err != nil {
		return err
	}
	for i, a := range eips {
		c := cloneENI(t.st.NetworkInterfaces[n.ID])
		assoc := model.EIPAssociationID(t.newID("eipassoc"))
		for k := range c.PrivateIPs {
			if c.PrivateIPs[k].Addr == added[i] {
				c.PrivateIPs[k].PublicIP = &model.PublicIPAssociation{PublicIP: a.PublicIP, AllocationID: a.AllocationID, AssociationID: assoc, IPOwnerID: t.e.cfg.Account}
			}
		}
		t.putENI(c)
		na := *a
		na.AssociationID, na.NetworkInterfaceID, na.PrivateIP = assoc, n.ID, added[i]
		t.putAddress(&na)
	}
	return nil
}

// natHoldsAllocation reports whether a live NAT gateway holds an Elastic
// IP as its primary address.
func (t *txn) natHoldsAllocation(id model.AllocationID) bool {
	for _, other := range t.st.NatGateways {
		if other.AllocationID == id && other.State != "deleted" && other.State != "failed" {
			return true
		}
	}
	return false
}

// releaseNatAddresses disassociates every Elastic IP of a NAT gateway's
// interface (its primary one and its secondary ones), before the interface
// goes.
func (t *txn) releaseNatAddresses(ng *model.NatGateway) {
	n := t.st.NetworkInterfaces[ng.NetworkInterface]
	if n == nil {
		return
	}
	for _, p := range n.PrivateIPs {
		if p.PublicIP != nil && p.PublicIP.AllocationID != "" {
			t.unlinkAddress(p.PublicIP.AllocationID)
		}
	}
}

// liveNat returns a NAT gateway that can take address changes: it must
// exist and be available ([probable]: AWS changes addresses of an
// available gateway; the text is the NAT gateway API's own).
func (t *txn) liveNat(id model.NatGatewayID) (*model.NatGateway, error) {
	if err := checkID(string(id), "nat", "InvalidNatGatewayID.Malformed"); err != nil {
		return nil, err
	}
	ng := t.st.NatGateways[id]
	if ng == nil || ng.State == "deleted" || ng.State == "deleting" {
		return nil, errNatNotFound(id)
	}
	if ng.State != "available" {
		return nil, apierr.Newf("IncorrectState", "NAT gateway %s is in state %s; its addresses can be changed when it is available.", id, ng.State) // text [choice]
	}
	return ng, nil
}

// AssignNatGatewayAddresses adds secondary addresses to a NAT gateway:
// AssignPrivateNatGatewayAddress (private addresses or a count, a private
// gateway) and AssociateNatGatewayAddress (Elastic IPs with optional
// private addresses, a public gateway). ecsnet assigns them at once, so
// they answer "succeeded" (AWS passes through "assigning"/"associating").
func (e *Engine) AssignNatGatewayAddresses(id model.NatGatewayID, req NatSecondaryAddresses) (*model.NatGateway, error) {
	var out *model.NatGateway
	err := e.write(func(t *txn) error {
		ng, err := t.liveNat(id)
		if err != nil {
			return err
		}
		if req.Empty() {
			return errMissingParameter("PrivateIpAddresses")
		}
		if ng.Regional() {
			// A regional gateway's addresses are per zone: Elastic IPs
			// with an AvailabilityZone, no private addresses of a subnet.
			return apierr.New("MissingParameter", "The request must include the AvailabilityZone or AvailabilityZoneId parameter for a regional NAT gateway. Add the required parameter and retry the request.") // text [probable]
		}
		if err := req.check(ng.ConnectivityType); err != nil {
			return err
		}
		if err := t.addNatAddresses(ng, req); err != nil {
			return err
		}
		out = ng
		return nil
	})
	return out, err
}

// UnassignNatGatewayAddresses removes secondary private addresses from a
// NAT gateway (UnassignPrivateNatGatewayAddress, a private gateway):
// "You cannot unassign your primary private IP". ecsnet releases them at
// once, without AWS's drain (MaxDrainDurationSeconds, default 350).
func (e *Engine) UnassignNatGatewayAddresses(id model.NatGatewayID, addrs []netip.Addr) (*model.NatGateway, error) {
	var out *model.NatGateway
	err := e.write(func(t *txn) error {
		ng, err := t.liveNat(id)
		if err != nil {
			return err
		}
		if len(addrs) == 0 {
			return errMissingParameter("PrivateIpAddresses")
		}
		if ng.ConnectivityType != "private" {
			return apierr.New("InvalidParameterValue", "Private IP addresses can be unassigned from a private NAT gateway only; disassociate a public NAT gateway's Elastic IPs.") // text [choice]
		}
		n := t.st.NetworkInterfaces[ng.NetworkInterface]
		for _, a := range addrs {
			i := slices.IndexFunc(n.PrivateIPs, func(p model.PrivateIP) bool { return p.Addr == a })
			if i < 0 {
				return errInvalidParameterValue("The private IP address %s is not assigned to NAT gateway %s.", a, id) // text [choice]
			}
			if n.PrivateIPs[i].Primary {
				return errInvalidParameterValue("The primary private IP address %s of NAT gateway %s cannot be unassigned.", a, id) // text [choice]
			}
		}
		c := cloneENI(n)
		c.PrivateIPs = slices.DeleteFunc(c.PrivateIPs, func(p model.PrivateIP) bool { return slices.Contains(addrs, p.Addr) })
		t.putENI(c)
		out = ng
		return nil
	})
	return out, err
}

// DisassociateNatGatewayAddresses removes secondary Elastic IPs from a
// public NAT gateway by their association ids, with the private addresses
// they were associated with (DisassociateNatGatewayAddress): "You cannot
// disassociate your primary EIP".
func (e *Engine) DisassociateNatGatewayAddresses(id model.NatGatewayID, assocs []model.EIPAssociationID) (*model.NatGateway, error) {
	var out *model.NatGateway
	err := e.write(func(t *txn) error {
		ng, err := t.liveNat(id)
		if err != nil {
			return err
		}
		if len(assocs) == 0 {
			return errMissingParameter("AssociationIds")
		}
		if ng.Regional() {
			if err := t.disassociateZoneAddresses(ng, assocs); err != nil {
				return err
			}
			out = t.st.NatGateways[id]
			return nil
		}
		n := t.st.NetworkInterfaces[ng.NetworkInterface]
		var drop []netip.Addr
		for _, as := range assocs {
			i := slices.IndexFunc(n.PrivateIPs, func(p model.PrivateIP) bool {
				return p.PublicIP != nil && p.PublicIP.AssociationID == as
			})
			if i < 0 {
				return apierr.Newf("InvalidAssociationID.NotFound", "The association ID '%s' does not exist", as)
			}
			if n.PrivateIPs[i].Primary {
				return errInvalidParameterValue("The primary Elastic IP address of NAT gateway %s cannot be disassociated.", id) // text [choice]
			}
			t.unlinkAddress(n.PrivateIPs[i].PublicIP.AllocationID)
			drop = append(drop, n.PrivateIPs[i].Addr)
		}
		c := cloneENI(t.st.NetworkInterfaces[n.ID])
		c.PrivateIPs = slices.DeleteFunc(c.PrivateIPs, func(p model.PrivateIP) bool { return slices.Contains(drop, p.Addr) })
		t.putENI(c)
		out = ng
		return nil
	})
	return out, err
}
