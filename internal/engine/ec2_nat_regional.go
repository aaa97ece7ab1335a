package engine

import (
	"net/netip"
	"slices"
	"sort"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// NatZoneRequest is one AvailabilityZoneAddresses member of a regional
// NAT gateway's CreateNatGateway, or the zone of an
// AssociateNatGatewayAddress: a zone (by name or id) and the Elastic IPs
// that translate its traffic.
type NatZoneRequest struct {
	Zone          string
	ZoneID        string
	AllocationIDs []model.AllocationID
}

// maxNatAddressesPerZone is how many Elastic IPs a regional NAT gateway
// takes in one zone: 32, as a zonal gateway's primary and secondary
// addresses ("Elastic IP addresses per NAT gateway", amazon-vpc-limits;
// [probable] for a regional gateway's zone).
const maxNatAddressesPerZone = 32

// zoneOf resolves a zone given by name or id to its name.
func (t *txn) zoneOf(name, id string) (string, error) {
	for _, z := range t.e.AvailabilityZones() {
		if (name != "" && z.Name == name) || (name == "" && id != "" && z.ID == id) {
			if name != "" && id != "" && z.ID != id {
				break
			}
			return z.Name, nil
		}
	}
	v := name
	if v == "" {
		v = id
	}
	if name == "" && id == "" {
		return "", apierr.New("MissingParameter", "The request must include the AvailabilityZone or AvailabilityZoneId parameter. Add the required parameter and retry the request.")
	}
	return "", errInvalidParameterValue("Value (%s) for parameter availabilityZone is invalid. %s is not a valid Availability Zone of this Region.", v, v)
}

// claimNatEIP associates an Elastic IP of the account with a regional NAT
// gateway in a zone: it must exist and be free (not associated, not
// another NAT gateway's).
func (t *txn) claimNatEIP(ng *model.NatGateway, zone string, id model.AllocationID) (model.NatZoneAddress, error) {
	eip, err := t.address(id)
	if err != nil {
		return model.NatZoneAddress{}, err
	}
	held := false
	for _, other := range t.st.NatGateways {
		held = held || other.ID != ng.ID && other.AllocationID == id && other.State != "deleted" && other.State != "failed"
	}
	if eip.AssociationID != "" || held {
		return model.NatZoneAddress{}, apierr.Newf("Resource.AlreadyAssociated", "Elastic IP address %s is already associated", id)
	}
	for _, a := range ng.ZoneAddresses {
		if a.AllocationID == id {
			return model.NatZoneAddress{}, apierr.Newf("Resource.AlreadyAssociated", "Elastic IP address %s is already associated", id)
		}
	}
	assoc := model.EIPAssociationID(t.newID("eipassoc"))
	na := *eip
	na.AssociationID = assoc
	t.putAddress(&na)
	zid, _ := t.e.azID(zone)
	return model.NatZoneAddress{Zone: zone, ZoneID: zid, AllocationID: id, AssociationID: assoc, PublicIP: eip.PublicIP}, nil
}

// createRegionalNat creates a regional NAT gateway of a VPC: with
// AvailabilityZoneAddresses (manual mode) it serves those zones with
// those Elastic IPs; without (automatic mode) it serves every zone where
// the VPC has a subnet, with the given Elastic IP (AllocationId) in the
// first of them and addresses AWS provides in the others, and expands to
// the zones of subnets created later. It has no subnet and no interface
// of the VPC (docs/aws-behavior.md, "Regional NAT gateways").
func (t *txn) createRegionalNat(in CreateNatGatewayInput) (*model.NatGateway, error) {
	v, err := t.vpc(in.VpcID)
	if err != nil {
		return nil, err
	}
	ng := &model.NatGateway{ID: model.NatGatewayID(t.newID("nat")), VpcID: v.ID, ConnectivityType: "public",
		AvailabilityMode: "regional", AutoProvisionZones: len(in.Zones) == 0,
		State: "pending", CreatedAt: t.now, Tags: in.Tags.Clone()}
	seen := map[string]bool{}
	for _, z := range in.Zones {
		zone, err := t.zoneOf(z.Zone, z.ZoneID)
		if err != nil {
			return nil, err
		}
		if seen[zone] {
			return nil, errInvalidParameterValue("The Availability Zone %s is specified more than once.", zone) // text [probable]
		}
		seen[zone] = true
		if len(z.AllocationIDs) == 0 {
			return nil, apierr.New("MissingParameter", "The request must include the AllocationIds parameter of each AvailabilityZoneAddress. Add the required parameter and retry the request.") // text [probable]
		}
		if len(z.AllocationIDs) > maxNatAddressesPerZone {
			return nil, apierr.Newf("NatGatewayLimitExceeded", "A regional NAT gateway takes at most %d Elastic IP addresses in an Availability Zone.", maxNatAddressesPerZone) // text [probable]
		}
		for _, id := range z.AllocationIDs {
			a, err := t.claimNatEIP(ng, zone, id)
			if err != nil {
				return nil, err
			}
			ng.ZoneAddresses = append(ng.ZoneAddresses, a)
		}
	}
	if ng.AutoProvisionZones && in.AllocationID != "" {
		ng.AllocationID = in.AllocationID
		if _, err := t.address(in.AllocationID); err != nil {
			return nil, err
		}
	}
	if ng.AutoProvisionZones {
		if err := t.provisionNatZones(ng); err != nil {
			return nil, err
		}
	}
	ng.NextTransition = t.now.Add(t.e.cfg.TaskStartDelay)
	put(t, model.KindNatGateway, t.st.NatGateways, ng.ID, ng)
	return ng, nil
}

// vpcZones returns the zones where a VPC has subnets, in name order.
func (t *txn) vpcZones(vpc model.VpcID) []string {
	var out []string
	for _, s := range t.st.Subnets {
		if s.VpcID == vpc && !slices.Contains(out, s.AvailabilityZone) {
			out = append(out, s.AvailabilityZone)
		}
	}
	sort.Strings(out)
	return out
}

// provisionNatZones gives an automatic-mode regional NAT gateway (not
// stored yet, or a copy about to be) an address in each zone of its VPC's
// subnets it does not serve yet: its AllocationId's Elastic IP in the
// first, then addresses AWS provides, held in the public address index.
// AWS expands within minutes of the first interface in a new zone
// ("upon detection of an elastic network interface"); ecsnet expands when
// the subnet is created [choice].
func (t *txn) provisionNatZones(ng *model.NatGateway) error {
	for _, zone := range t.vpcZones(ng.VpcID) {
		if _, ok := ng.ZoneAddress(zone); ok {
			continue
		}
		if ng.AllocationID != "" && !slices.ContainsFunc(ng.ZoneAddresses, func(a model.NatZoneAddress) bool { return a.AllocationID == ng.AllocationID }) {
			a, err := t.claimNatEIP(ng, zone, ng.AllocationID)
			if err != nil {
				return err
			}
			ng.ZoneAddresses = append(ng.ZoneAddresses, a)
			continue
		}
		ip, err := t.allocPublicIP(netip.Addr{})
		if err != nil {
			return err
		}
		t.holdPublicIP(ip, string(ng.ID), true)
		zid, _ := t.e.azID(zone)
		ng.ZoneAddresses = append(ng.ZoneAddresses, model.NatZoneAddress{Zone: zone, ZoneID: zid, PublicIP: ip})
	}
	return nil
}

// expandRegionalNats gives the automatic-mode regional NAT gateways of a
// VPC an address in a zone where it now has a subnet.
func (t *txn) expandRegionalNats(vpc model.VpcID) {
	for _, id := range sortedKeys(t.st.NatGateways) {
		ng := t.st.NatGateways[id]
		if !ng.Regional() || !ng.AutoProvisionZones || ng.VpcID != vpc || ng.State == "deleted" || ng.State == "failed" {
			continue
		}
		c := *ng
		c.ZoneAddresses = slices.Clone(ng.ZoneAddresses)
		if err := t.provisionNatZones(&c); err != nil {
			continue // no public address left: the zone stays unserved
		}
		if len(c.ZoneAddresses) != len(ng.ZoneAddresses) {
			put(t, model.KindNatGateway, t.st.NatGateways, c.ID, &c)
		}
	}
}

// retractRegionalNats takes from the automatic-mode regional NAT
// gateways of a VPC their addresses in zones where it has no subnet left
// ("retracts from AZs where you've removed all subnets"): AWS's own
// addresses are freed, an Elastic IP disassociated.
func (t *txn) retractRegionalNats(vpc model.VpcID) {
	zones := t.vpcZones(vpc)
	for _, id := range sortedKeys(t.st.NatGateways) {
		ng := t.st.NatGateways[id]
		if !ng.Regional() || !ng.AutoProvisionZones || ng.VpcID != vpc || ng.State == "deleted" || ng.State == "failed" {
			continue
		}
		var gone model.NatGateway
		c := *ng
		c.ZoneAddresses = nil
		for _, a := range ng.ZoneAddresses {
			if slices.Contains(zones, a.Zone) {
				c.ZoneAddresses = append(c.ZoneAddresses, a)
			} else {
				gone.ZoneAddresses = append(gone.ZoneAddresses, a)
			}
		}
		if len(gone.ZoneAddresses) == 0 {
			continue
		}
		gone.ID = ng.ID
		t.releaseZoneAddresses(&gone)
		put(t, model.KindNatGateway, t.st.NatGateways, c.ID, &c)
	}
}

// releaseZoneAddresses gives back a regional NAT gateway's addresses: its
// Elastic IPs are disassociated, the addresses AWS provided freed.
func (t *txn) releaseZoneAddresses(ng *model.NatGateway) {
	for _, a := range ng.ZoneAddresses {
		if a.AllocationID == "" {
			t.holdPublicIP(a.PublicIP, string(ng.ID), false)
			continue
		}
		if eip := t.st.Addresses[a.AllocationID]; eip != nil && eip.AssociationID == a.AssociationID {
			na := *eip
			na.AssociationID = ""
			t.putAddress(&na)
		}
	}
}

// natZoneHoldsAllocation reports whether a live regional NAT gateway holds
// an Elastic IP in one of its zones.
func (t *txn) natZoneHoldsAllocation(id model.AllocationID) bool {
	for _, ng := range t.st.NatGateways {
		if ng.State == "deleted" || ng.State == "failed" {
			continue
		}
		for _, a := range ng.ZoneAddresses {
			if a.AllocationID == id {
				return true
			}
		}
	}
	return false
}

// associateZoneAddresses adds Elastic IPs to a regional NAT gateway in a
// zone (AssociateNatGatewayAddress with AvailabilityZone): a zone it did
// not serve is served from then on.
func (t *txn) associateZoneAddresses(ng *model.NatGateway, zone NatZoneRequest) error {
	name, err := t.zoneOf(zone.Zone, zone.ZoneID)
	if err != nil {
		return err
	}
	c := *ng
	c.ZoneAddresses = slices.Clone(ng.ZoneAddresses)
	n := 0
	for _, a := range c.ZoneAddresses {
		if a.Zone == name {
			n++
		}
	}
	if n+len(zone.AllocationIDs) > maxNatAddressesPerZone {
		return apierr.Newf("NatGatewayLimitExceeded", "A regional NAT gateway takes at most %d Elastic IP addresses in an Availability Zone.", maxNatAddressesPerZone) // text [probable]
	}
	for _, id := range zone.AllocationIDs {
		a, err := t.claimNatEIP(&c, name, id)
		if err != nil {
			return err
		}
		c.ZoneAddresses = append(c.ZoneAddresses, a)
	}
	put(t, model.KindNatGateway, t.st.NatGateways, c.ID, &c)
	return nil
}

// disassociateZoneAddresses removes Elastic IPs from a regional NAT
// gateway by their association ids; a zone left with none is no longer
// served.
func (t *txn) disassociateZoneAddresses(ng *model.NatGateway, assocs []model.EIPAssociationID) error {
	c := *ng
	c.ZoneAddresses = nil
	for _, id := range assocs {
		if !slices.ContainsFunc(ng.ZoneAddresses, func(a model.NatZoneAddress) bool { return a.AssociationID == id && id != "" }) {
			return apierr.Newf("InvalidAssociationID.NotFound", "The association ID '%s' does not exist", id)
		}
	}
	for _, a := range ng.ZoneAddresses {
		if a.AssociationID != "" && slices.Contains(assocs, a.AssociationID) {
			if eip := t.st.Addresses[a.AllocationID]; eip != nil && eip.AssociationID == a.AssociationID {
				na := *eip
				na.AssociationID = ""
				t.putAddress(&na)
			}
			continue
		}
		c.ZoneAddresses = append(c.ZoneAddresses, a)
	}
	put(t, model.KindNatGateway, t.st.NatGateways, c.ID, &c)
	return nil
}

// AssociateNatGatewayZoneAddresses is AssociateNatGatewayAddress with an
// AvailabilityZone: Elastic IPs for a regional NAT gateway in that zone.
func (e *Engine) AssociateNatGatewayZoneAddresses(id model.NatGatewayID, zone NatZoneRequest) (*model.NatGateway, error) {
	var out *model.NatGateway
	err := e.write(func(t *txn) error {
		ng, err := t.liveNat(id)
		if err != nil {
			return err
		}
		if !ng.Regional() {
			return apierr.New("InvalidParameterCombination", "AvailabilityZone and AvailabilityZoneId are for regional NAT gateways only.") // text [probable]
		}
		if err := t.associateZoneAddresses(ng, zone); err != nil {
			return err
		}
		out = t.st.NatGateways[id]
		return nil
	})
	return out, err
}
