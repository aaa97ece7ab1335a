package terraform

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_vpc_peering_connection: CreateVpcPeeringConnection, then, as the
// provider does (resourceVPCPeeringConnectionCreate), a wait for
// active or pending-acceptance (a request AWS refuses, overlapping
// blocks, ends in failed), AcceptVpcPeeringConnection when auto_accept
// is set, and ModifyVpcPeeringConnectionOptions for the accepter and
// requester blocks. auto_accept with peer_region is the provider's own
// refusal.
func createVPCPeering(c *rctx) error {
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	peer, err := c.req("peer_vpc_id")
	if err != nil {
		return err
	}
	region := c.o.str("peer_region")
	auto := c.o.flag("auto_accept")
	if region != "" && auto {
		return c.errf("peer_region", "`peer_region` cannot be set whilst `auto_accept` is `true` when creating an EC2 VPC Peering Connection")
	}
	e := c.e()
	pc, err := e.CreateVpcPeeringConnection(engine.CreateVpcPeeringInput{VpcID: model.VpcID(vpc), PeerVpcID: model.VpcID(peer),
		PeerOwner: c.o.str("peer_owner_id"), PeerRegion: region, Tags: c.tags()})
	if err != nil {
		return c.fail("peer_vpc_id", fmt.Errorf("creating EC2 VPC Peering Connection: %w", err))
	}
	c.created(string(pc.ID), string(pc.ID))
	if pc.Status == "failed" {
		return c.errf("peer_vpc_id", "waiting for EC2 VPC Peering Connection (%s) create: unexpected state 'failed', wanted target 'active, pending-acceptance'. last error: %s", pc.ID, pc.StatusMessage)
	}
	if auto && pc.Status == "pending-acceptance" {
		id := pc.ID
		if pc, err = e.AcceptVpcPeeringConnection(id); err != nil {
			return c.fail("auto_accept", fmt.Errorf("accepting EC2 VPC Peering Connection (%s): %w", id, err))
		}
	}
	if pc, err = c.peeringOptions(pc, "requester", "accepter"); err != nil {
		return err
	}
	c.set("accept_status", pc.Status)
	c.set("peer_owner_id", pc.AccepterOwner)
	if pc.AccepterRegion != "" {
		c.set("peer_region", pc.AccepterRegion)
	} else {
		c.set("peer_region", pc.Region)
	}
	return nil
}

// peeringOptions applies a peering resource's requester and accepter
// blocks (allow_remote_vpc_dns_resolution), which need an active
// connection: the provider's text otherwise.
func (c *rctx) peeringOptions(pc *model.VpcPeeringConnection, requester, accepter string) (*model.VpcPeeringConnection, error) {
	option := func(k string) (*bool, error) {
		bs := c.o.blocks(k)
		if len(bs) == 0 {
			return nil, nil
		}
		return bs[0].boolean("allow_remote_vpc_dns_resolution")
	}
	req, err := option(requester)
	if err != nil {
		return nil, err
	}
	acc, err := option(accepter)
	if err != nil {
		return nil, err
	}
	if req == nil && acc == nil {
		return pc, nil
	}
	if pc.Status != "active" && pc.Status != "provisioning" {
		k := requester
		if req == nil {
			k = accepter
		}
		return nil, c.errf(k, "Unable to modify EC2 VPC Peering Connection Options. EC2 VPC Peering Connection (%s) is not active (current status: %s). Please set the `auto_accept` attribute to `true` or activate the EC2 VPC Peering Connection manually.", pc.ID, pc.Status)
	}
	out, err := c.e().ModifyVpcPeeringConnectionOptions(pc.ID, req, acc)
	if err != nil {
		return nil, c.fail(requester, fmt.Errorf("modifying EC2 VPC Peering Connection (%s) Options: %w", pc.ID, err))
	}
	return out, nil
}

// aws_vpc_peering_connection_accepter: accepts a connection of this
// region (auto_accept), then sets the options of its accepter and
// requester blocks. Its id is the connection's.
func acceptVPCPeering(c *rctx) error {
	id, err := c.req("vpc_peering_connection_id")
	if err != nil {
		return err
	}
	var pc *model.VpcPeeringConnection
	c.read(func(st *model.State) { pc = st.VpcPeerings[model.VpcPeeringConnectionID(id)] })
	if pc == nil {
		return c.errf("vpc_peering_connection_id", "reading EC2 VPC Peering Connection (%s): couldn't find resource", id)
	}
	if c.o.flag("auto_accept") && pc.Status == "pending-acceptance" {
		if pc, err = c.e().AcceptVpcPeeringConnection(pc.ID); err != nil {
			return c.fail("auto_accept", fmt.Errorf("accepting EC2 VPC Peering Connection (%s): %w", id, err))
		}
	}
	if pc, err = c.peeringOptions(pc, "requester", "accepter"); err != nil {
		return err
	}
	c.created(string(pc.ID), string(pc.ID))
	c.set("accept_status", pc.Status)
	c.set("vpc_id", string(pc.AccepterVpc))
	c.set("peer_vpc_id", string(pc.RequesterVpc))
	c.set("peer_owner_id", pc.RequesterOwner)
	return nil
}

// aws_vpc_peering_connection_options: the DNS options of an active
// connection, by its id.
func peeringConnectionOptions(c *rctx) error {
	id, err := c.req("vpc_peering_connection_id")
	if err != nil {
		return err
	}
	var pc *model.VpcPeeringConnection
	c.read(func(st *model.State) { pc = st.VpcPeerings[model.VpcPeeringConnectionID(id)] })
	if pc == nil {
		return c.errf("vpc_peering_connection_id", "reading EC2 VPC Peering Connection (%s): couldn't find resource", id)
	}
	if _, err := c.peeringOptions(pc, "requester", "accepter"); err != nil {
		return err
	}
	c.created(id, id)
	return nil
}
