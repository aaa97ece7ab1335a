package engine

import (
	"net/netip"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// peeringRequestLifetime is how long a request waits for acceptance
// before it expires (vpc-peering-basics.md: one week).
const peeringRequestLifetime = 7 * 24 * time.Hour

func errPeeringNotFound(id model.VpcPeeringConnectionID) error {
	return apierr.Newf("InvalidVpcPeeringConnectionID.NotFound", "The vpcPeeringConnection ID '%s' does not exist", id)
}

func (t *txn) peering(id model.VpcPeeringConnectionID) (*model.VpcPeeringConnection, error) {
	if err := checkID(string(id), "pcx", "InvalidVpcPeeringConnectionId.Malformed"); err != nil {
		return nil, err
	}
	c := t.st.VpcPeerings[id]
	if c == nil {
		return nil, errPeeringNotFound(id)
	}
	return c, nil
}

// CreateVpcPeeringInput is CreateVpcPeeringConnection's input.
type CreateVpcPeeringInput struct {
	VpcID, PeerVpcID model.VpcID
	PeerOwner        string // default the account
	PeerRegion       string // default the engine's region
	Tags             model.Tags
}

// CreateVpcPeeringConnection requests a peering connection between two
// VPCs of the account. It waits in pending-acceptance for the accepter;
// a request AWS cannot honour (an unknown peer VPC, overlapping CIDR
// blocks) is created in state failed, as AWS reports it. With a
// PeerRegion other than the engine's (an inter-Region connection) the
// peer VPC is looked up in that region's engine (WithRegions), and the
// connection is recorded there too, where it is accepted.
func (e *Engine) CreateVpcPeeringConnection(in CreateVpcPeeringInput) (*model.VpcPeeringConnection, error) {
	if in.PeerVpcID == "" {
		return nil, errMissingParameter("peerVpcId")
	}
	cross := in.PeerRegion != "" && in.PeerRegion != e.cfg.Region
	var peerEng *Engine
	var peerCIDRs []netip.Prefix
	peerFound := false
	if cross {
		if e.regions == nil {
			return nil, apierr.Newf("UnsupportedOperation", "ecsnet peers VPCs of one region only (%s), not with %s.", e.cfg.Region, in.PeerRegion)
		}
		// A dry run holds this engine's lock: it reaches no other region
		// (two dry runs peering opposite ways would wait on each other).
		if e.dry == nil {
			pe, err := e.regions(in.PeerRegion)
			if err != nil {
				return nil, apierr.Newf("InvalidParameterValue", "Invalid value '%s' for peerRegion.", in.PeerRegion)
			}
			peerEng = pe
			pe.Read(func(st *model.State) {
				if v := st.VPCs[in.PeerVpcID]; v != nil {
					peerFound, peerCIDRs = true, v.CIDRs()
				}
			})
		}
	}
	var out *model.VpcPeeringConnection
	err := e.write(func(t *txn) error {
		v, err := t.vpc(in.VpcID)
		if err != nil {
			return err
		}
		owner := in.PeerOwner
		if owner == "" {
			owner = t.e.cfg.Account
		}
		c := &model.VpcPeeringConnection{ID: model.VpcPeeringConnectionID(t.newID("pcx")), RequesterVpc: v.ID, RequesterOwner: t.e.cfg.Account,
			RequesterCIDRs: v.CIDRs(), AccepterVpc: in.PeerVpcID, AccepterOwner: owner, Region: t.e.cfg.Region,
			Status: "pending-acceptance", StatusMessage: "Pending Acceptance by " + owner, ExpiresAt: t.now.Add(peeringRequestLifetime), Tags: in.Tags.Clone()}
		if cross {
			c.AccepterRegion = in.PeerRegion
		} else if peer := t.st.VPCs[in.PeerVpcID]; peer != nil {
			peerFound, peerCIDRs = true, peer.CIDRs()
		}
		const failed = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range"
		switch {
		case !peerFound || owner != t.e.cfg.Account:
			c.Status, c.StatusMessage = "failed", failed
		case (!cross && in.PeerVpcID == v.ID) || overlapping(v.CIDRs(), peerCIDRs):
			c.Status, c.StatusMessage = "failed", failed
			c.AccepterCIDRs = peerCIDRs
		default:
			c.AccepterCIDRs = peerCIDRs
		}
		put(t, model.KindVpcPeering, t.st.VpcPeerings, c.ID, c)
		out = c
		return nil
	})
	if err == nil && peerEng != nil && out.Status == "pending-acceptance" {
		peerEng.recordPeering(out)
	}
	return out, err
}

// recordPeering writes an inter-Region connection as the other region
// changed it; the tags stay this region's own (AWS does not copy them
// across).
func (e *Engine) recordPeering(c *model.VpcPeeringConnection) {
	_ = e.write(func(t *txn) error {
		n := *c
		n.Tags = nil
		if old := t.st.VpcPeerings[c.ID]; old != nil {
			n.Tags = old.Tags
		}
		put(t, model.KindVpcPeering, t.st.VpcPeerings, n.ID, &n)
		return nil
	})
}

// mirrorPeering passes a change of an inter-Region connection to the
// region of its other side (not in a dry run).
func (e *Engine) mirrorPeering(c *model.VpcPeeringConnection) {
	if c == nil || !c.InterRegion() || e.dry != nil || e.regions == nil {
		return
	}
	other := c.Region
	if other == e.cfg.Region {
		other = c.AccepterRegion
	}
	if pe, err := e.regions(other); err == nil {
		pe.recordPeering(c)
	}
}

func overlapping(a, b []netip.Prefix) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Overlaps(y) {
				return true
			}
		}
	}
	return false
}

// peeringTransition moves a connection from pending-acceptance (the only
// state AcceptVpcPeeringConnection and RejectVpcPeeringConnection act on).
func (e *Engine) peeringTransition(id model.VpcPeeringConnectionID, to string) (*model.VpcPeeringConnection, error) {
	var out *model.VpcPeeringConnection
	err := e.write(func(t *txn) error {
		c, err := t.peering(id)
		if err != nil {
			return err
		}
		if c.InterRegion() && c.AccepterRegion != t.e.cfg.Region {
			verb := "accepted"
			if to == "rejected" {
				verb = "accepted or rejected"
			}
			return apierr.Newf("OperationNotPermitted", "Incorrect region (%s) specified for this request. VPC peering connection %s must be %s in region %s", t.e.cfg.Region, id, verb, c.AccepterRegion)
		}
		if c.Status != "pending-acceptance" {
			return apierr.Newf("InvalidStateTransition", "Invalid state transition for %s, attempted to transition from %s to %s", id, c.Status, to)
		}
		n := *c
		n.Status, n.StatusMessage = to, ""
		switch to {
		case "active":
			n.StatusMessage = "Active"
		case "rejected":
			n.StatusMessage = "Rejected by " + c.AccepterOwner
		}
		put(t, model.KindVpcPeering, t.st.VpcPeerings, id, &n)
		out = &n
		return nil
	})
	if err == nil {
		e.mirrorPeering(out)
	}
	return out, err
}

// AcceptVpcPeeringConnection makes a pending connection active.
func (e *Engine) AcceptVpcPeeringConnection(id model.VpcPeeringConnectionID) (*model.VpcPeeringConnection, error) {
	return e.peeringTransition(id, "active")
}

// AcceptInAccepterRegion accepts a pending connection where it waits:
// here, or for an inter-Region connection in its accepter's region (the
// change comes back here as every inter-Region change does), as
// CloudFormation accepts a request between VPCs of one account.
func (e *Engine) AcceptInAccepterRegion(c *model.VpcPeeringConnection) (*model.VpcPeeringConnection, error) {
	if !c.InterRegion() || c.AccepterRegion == e.cfg.Region {
		return e.AcceptVpcPeeringConnection(c.ID)
	}
	if e.regions == nil || e.dry != nil {
		return nil, apierr.Newf("UnsupportedOperation", "ecsnet peers VPCs of one region only (%s), not with %s.", e.cfg.Region, c.AccepterRegion)
	}
	pe, err := e.regions(c.AccepterRegion)
	if err != nil {
		return nil, err
	}
	return pe.AcceptVpcPeeringConnection(c.ID)
}

// RejectVpcPeeringConnection rejects a pending connection.
func (e *Engine) RejectVpcPeeringConnection(id model.VpcPeeringConnectionID) error {
	_, err := e.peeringTransition(id, "rejected")
	return err
}

// DeleteVpcPeeringConnection deletes a pending or active connection: it
// stays visible in state deleted, and routes through it become
// blackholes.
func (e *Engine) DeleteVpcPeeringConnection(id model.VpcPeeringConnectionID) error {
	var out *model.VpcPeeringConnection
	err := e.write(func(t *txn) error {
		c, err := t.peering(id)
		if err != nil {
			return err
		}
		// "You cannot delete a VPC peering connection that's in the
		// failed or rejected state" (DeleteVpcPeeringConnection); AWS's
		// text, which terraform-provider-aws matches ("to deleting") to
		// take such a connection for gone, names the deleting state.
		switch c.Status {
		case "pending-acceptance", "active":
		default:
			return apierr.Newf("InvalidStateTransition", "Invalid state transition for %s, attempted to transition from %s to deleting", id, c.Status)
		}
		n := *c
		n.Status, n.StatusMessage = "deleted", "Deleted by "+t.e.cfg.Account
		put(t, model.KindVpcPeering, t.st.VpcPeerings, id, &n)
		out = &n
		return nil
	})
	if err == nil {
		e.mirrorPeering(out)
	}
	return err
}

// ModifyVpcPeeringConnectionOptions sets each side's DNS resolution
// option; the connection must be active.
func (e *Engine) ModifyVpcPeeringConnectionOptions(id model.VpcPeeringConnectionID, requesterDNS, accepterDNS *bool) (*model.VpcPeeringConnection, error) {
	var out *model.VpcPeeringConnection
	err := e.write(func(t *txn) error {
		c, err := t.peering(id)
		if err != nil {
			return err
		}
		if c.Status != "active" {
			return apierr.Newf("OperationNotPermitted", "Peering %s is not active. Peering options can be added only to active peerings.", id)
		}
		n := *c
		if requesterDNS != nil {
			n.RequesterAllowDNS = *requesterDNS
		}
		if accepterDNS != nil {
			n.AccepterAllowDNS = *accepterDNS
		}
		put(t, model.KindVpcPeering, t.st.VpcPeerings, id, &n)
		out = &n
		return nil
	})
	if err == nil {
		e.mirrorPeering(out)
	}
	return out, err
}

// expirePeerings moves requests not accepted within a week to expired
// (Step).
func (t *txn) expirePeerings() {
	for _, c := range sortedValues(t.st.VpcPeerings) {
		if c.Status == "pending-acceptance" && !c.ExpiresAt.IsZero() && t.due(c.ExpiresAt) {
			n := *c
			n.Status, n.StatusMessage = "expired", "Expired"
			put(t, model.KindVpcPeering, t.st.VpcPeerings, n.ID, &n)
		}
	}
}

// peered reports whether an active peering connection joins VPCs a and b:
// a security group may then reference a group of the other VPC
// (vpc-peering-security-groups.md).
func (t *txn) peered(a, b model.VpcID) bool {
	for _, c := range t.st.VpcPeerings {
		if peer, ok := c.Peer(a); ok && peer == b && c.Status == "active" {
			return true
		}
	}
	return false
}
