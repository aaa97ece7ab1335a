package terraform

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Spot Fleet and EC2 Fleet: read as the instances they launch. The engine
// fulfils a fleet when it is created (ecsnet has no capacity shortage), so
// the instances are there, in the pools' subnets with their groups and
// user data, when what depends on the fleet is created.

// fleetNumber reads an optional number that may be fractional (weights,
// priorities).
func fleetNumber(o obj, k string) (float64, *float64, error) {
	s := o.str(k)
	if s == "" {
		return 0, nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r := o.at(k)
		return 0, nil, &Error{File: r.Filename, Line: r.Start.Line, Msg: fmt.Sprintf("Inappropriate value for attribute %q: a number is required", k)}
	}
	return f, &f, nil
}

// fleetOverride reads an overrides (Spot Fleet) or override (EC2 Fleet)
// block; price is spot_price or max_price.
func fleetOverride(o obj, price string) (model.FleetPool, error) {
	p := model.FleetPool{InstanceType: o.str("instance_type"), SubnetID: model.SubnetID(o.str("subnet_id")),
		AvailabilityZone: o.str("availability_zone"), MaxPrice: o.str(price)}
	var err error
	if p.WeightedCapacity, _, err = fleetNumber(o, "weighted_capacity"); err != nil {
		return p, err
	}
	if _, p.Priority, err = fleetNumber(o, "priority"); err != nil {
		return p, err
	}
	return p, nil
}

// fleetTemplates reads launch_template_config blocks: the template by id,
// name and version (Spot Fleet's id/name, EC2 Fleet's launch_template_id/
// launch_template_name) and its overrides.
func fleetTemplates(c *rctx, overrides, prefix, price string) ([]model.FleetTemplateConfig, error) {
	var out []model.FleetTemplateConfig
	for _, b := range c.o.blocks("launch_template_config") {
		s := b.block("launch_template_specification")
		cfg := model.FleetTemplateConfig{Template: model.LaunchTemplateRef{ID: model.LaunchTemplateID(s.str(prefix + "id")),
			Name: s.str(prefix + "name"), Version: s.str("version")}}
		for _, ov := range b.blocks(overrides) {
			p, err := fleetOverride(ov, price)
			if err != nil {
				return nil, err
			}
			cfg.Overrides = append(cfg.Overrides, p)
		}
		out = append(out, cfg)
	}
	return out, nil
}

// aws_spot_fleet_request: launch_specification blocks (ami, instance
// type, subnet, groups, user data the provider encodes, instance profile,
// tags given to the instances) or launch_template_config blocks.
func createSpotFleet(c *rctx) error {
	role, err := c.req("iam_fleet_role")
	if err != nil {
		return err
	}
	r := model.SpotFleetRequest{IamFleetRole: role, Type: c.o.str("fleet_type"), AllocationStrategy: c.o.str("allocation_strategy"),
		OnDemandAllocationStrategy: c.o.str("on_demand_allocation_strategy"), SpotPrice: c.o.str("spot_price"),
		ExcessCapacityTerminationPolicy: c.o.str("excess_capacity_termination_policy"),
		InstanceInterruptionBehavior:    c.o.str("instance_interruption_behaviour"),
		TargetCapacityUnitType:          c.o.str("target_capacity_unit_type"), Tags: c.plainTags()}
	if r.TargetCapacity, err = c.o.integer("target_capacity", 0); err != nil {
		return err
	}
	if r.OnDemandTargetCapacity, err = c.o.integer("on_demand_target_capacity", 0); err != nil {
		return err
	}
	if r.InstancePoolsToUseCount, err = c.o.integer("instance_pools_to_use_count", 0); err != nil {
		return err
	}
	for _, s := range c.o.blocks("launch_specification") {
		p := model.FleetPool{ImageID: s.str("ami"), InstanceType: s.str("instance_type"), SubnetID: model.SubnetID(s.str("subnet_id")),
			AvailabilityZone: s.str("availability_zone"), KeyName: s.str("key_name"), GroupIDs: groupIDs(s.strs("vpc_security_group_ids")),
			MaxPrice: s.str("spot_price"), InstanceTags: model.Tags(stringMap(s.get("tags")))}
		if ud := s.str("user_data"); ud != "" {
			p.UserData = base64.StdEncoding.EncodeToString([]byte(ud))
		}
		p.IAMProfile = s.str("iam_instance_profile_arn")
		if p.IAMProfile == "" {
			p.IAMProfile = s.str("iam_instance_profile")
		}
		if p.WeightedCapacity, _, err = fleetNumber(s, "weighted_capacity"); err != nil {
			return err
		}
		r.Specs = append(r.Specs, p)
	}
	if r.Templates, err = fleetTemplates(c, "overrides", "", "spot_price"); err != nil {
		return err
	}
	r.FromTemplates = len(r.Templates) > 0
	out, err := c.e().RequestSpotFleet(r, engine.FleetLaunch{SpotPrice: r.SpotPrice})
	if err != nil {
		return c.fail("launch_specification", err)
	}
	c.created(string(out.ID), "")
	c.set("spot_request_state", out.State)
	// The provider waits (wait_for_fulfillment) or not; the fleet is
	// fulfilled at once here, its instances running.
	return c.e().Converge()
}

// aws_ec2_fleet: launch_template_config blocks with their override blocks,
// target_capacity_specification, spot_options and on_demand_options.
func createEC2Fleet(c *rctx) error {
	f := model.Fleet{Type: c.o.str("type"), ExcessCapacityTerminationPolicy: c.o.str("excess_capacity_termination_policy"), Tags: c.plainTags()}
	tc := c.o.block("target_capacity_specification")
	var err error
	if f.Target.Total, err = tc.integer("total_target_capacity", 0); err != nil {
		return err
	}
	if f.Target.OnDemand, err = tc.integer("on_demand_target_capacity", 0); err != nil {
		return err
	}
	if f.Target.Spot, err = tc.integer("spot_target_capacity", 0); err != nil {
		return err
	}
	f.Target.DefaultType = tc.str("default_target_capacity_type")
	f.Target.UnitType = tc.str("target_capacity_unit_type")
	so := c.o.block("spot_options")
	f.SpotAllocationStrategy, f.SpotInterruptionBehavior = so.str("allocation_strategy"), so.str("instance_interruption_behavior")
	f.OnDemandAllocationStrategy = c.o.block("on_demand_options").str("allocation_strategy")
	if f.Templates, err = fleetTemplates(c, "override", "launch_template_", "max_price"); err != nil {
		return err
	}
	out, err := c.e().CreateFleet(f, engine.FleetLaunch{})
	if err != nil {
		return c.fail("launch_template_config", err)
	}
	c.created(string(out.ID), "")
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "fleet/"+string(out.ID)))
	return c.e().Converge()
}
