package engine

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Route 53 is global, and a private hosted zone may hold VPCs of several
// regions. ecsnet keeps a copy of such a zone in the state of each region
// that has one of its VPCs: the same id, name, records and tags, with
// that region's VPCs only, so the analyzer of every region resolves the
// names of the zones its VPCs are associated with. The Route 53 API
// (api/route53) writes every copy.

// AddHostedZoneRegion copies zone, a private zone of another region, into
// this region's state, associated with vpc, one of this region's VPCs
// (AssociateVPCWithHostedZone with a VPCRegion the zone has no VPC of
// yet): "InvalidVPCId" when the VPC does not exist,
// "ConflictingDomainExists" when the VPC is already associated with a
// private zone of the same name.
func (e *Engine) AddHostedZoneRegion(zone *model.HostedZone, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		if !zone.Private {
			return apierr.Newf("PublicZoneVPCAssociation", "You're trying to associate a VPC with a public hosted zone. Amazon Route 53 doesn't support associating a VPC with a public hosted zone.")
		}
		if t.st.VPCs[vpc] == nil {
			return apierr.New("InvalidVPCId", "The VPC ID is invalid.")
		}
		if x := t.st.HostedZones[zone.ID]; x != nil {
			return apierr.Newf("ConflictingDomainExists", "The VPC %s in %s region has already been associated with the hosted zone %s with the same domain name.", vpc, t.st.Region, zone.ID)
		}
		for _, id := range sortedKeys(t.st.HostedZones) {
			if x := t.st.HostedZones[id]; x.Private && x.Name == zone.Name && slices.Contains(x.VPCs, vpc) {
				return zoneVPCConflict(vpc, t.st.Region, x.ID)
			}
		}
		c := *zone
		c.VPCs = []model.VpcID{vpc}
		c.Tags = zone.Tags.Clone()
		c.Records = slices.Clone(zone.Records)
		put(t, model.KindHostedZone, t.st.HostedZones, c.ID, &c)
		return nil
	})
}

// RemoveHostedZoneRegion drops this region's copy of a zone whose only VPC
// here is vpc (DisassociateVPCFromHostedZone of the copy's last VPC while
// the zone keeps VPCs of other regions); the copy's records go with it,
// which the other regions' copies keep.
func (e *Engine) RemoveHostedZoneRegion(ref string, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		z, err := HostedZone(t.st, ref)
		if err != nil {
			return err
		}
		if !slices.Equal(z.VPCs, []model.VpcID{vpc}) {
			return &apierr.Error{Code: "VPCAssociationNotFound", HTTPStatus: 404,
				Message: "The specified VPC " + string(vpc) + " and hosted zone " + z.ID + " are not currently associated."}
		}
		del(t, model.KindHostedZone, t.st.HostedZones, z.ID)
		return nil
	})
}

// AddHealthCheckRegion copies h, a health check kept in another region's
// state, into this region's, where a record of a copy of a zone names it
// (health checks are global: every region's records resolve the same
// check, and its analyzer reads it). A check already here stays as it is.
func (e *Engine) AddHealthCheckRegion(h *model.Route53HealthCheck) error {
	return e.write(func(t *txn) error {
		if t.st.HealthChecks[h.ID] != nil {
			return nil
		}
		c := *h
		c.Tags = h.Tags.Clone()
		c.Config.Regions = slices.Clone(h.Config.Regions)
		c.Config.ChildHealthChecks = slices.Clone(h.Config.ChildHealthChecks)
		put(t, model.KindHealthCheck, t.st.HealthChecks, c.ID, &c)
		return nil
	})
}

// Route53Write runs fn as one transaction: the writes fn makes through
// the Engine it is given (this region's part of a Route 53 write that
// reaches several regions' copies) are kept together or not at all.
func (e *Engine) Route53Write(fn func(b *Engine) error) error {
	return e.composite("Route53Write", fn)
}

// RestoreRoute53 puts back this region's copy of a zone (nil: the region
// held none) and of health checks (a nil value: none) as a Route 53 write
// found them, when the write was refused in a later region after this
// region's part was committed: the write is undone in every region.
func (e *Engine) RestoreRoute53(zoneID string, zone *model.HostedZone, checks map[string]*model.Route53HealthCheck) error {
	return e.write(func(t *txn) error {
		if zoneID != "" {
			if zone != nil {
				put(t, model.KindHostedZone, t.st.HostedZones, zoneID, zone)
			} else if t.st.HostedZones[zoneID] != nil {
				del(t, model.KindHostedZone, t.st.HostedZones, zoneID)
			}
		}
		for _, id := range sortedKeys(checks) {
			if h := checks[id]; h != nil {
				put(t, model.KindHealthCheck, t.st.HealthChecks, id, h)
			} else if t.st.HealthChecks[id] != nil {
				del(t, model.KindHealthCheck, t.st.HealthChecks, id)
			}
		}
		return nil
	})
}
