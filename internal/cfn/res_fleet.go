package cfn

import (
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const (
	typeSpotFleet = "AWS::EC2::SpotFleet"
	typeEC2Fleet  = "AWS::EC2::EC2Fleet"
)

// number reads an optional Number property that may be fractional.
func (o obj) number(key string) (float64, error) {
	s, err := o.str(key)
	if err != nil || s == "" {
		return 0, err
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, o.invalid(key, "expected type: Number, found: String (%q)", s)
	}
	return f, nil
}

// fleetTagSpecs reads TagSpecifications' tags of resource type rt.
func (o obj) fleetTagSpecs(rt string) (model.Tags, error) {
	specs, err := o.objects("TagSpecifications")
	if err != nil {
		return nil, err
	}
	var out model.Tags
	for _, ts := range specs {
		if t, _ := ts.str("ResourceType"); t != rt {
			continue
		}
		tags, err := ts.tagList()
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = model.Tags{}
		}
		for k, v := range tags {
			out[k] = v
		}
	}
	return out, nil
}

// fleetOverride reads a launch template override (price is SpotPrice or
// MaxPrice).
func (o obj) fleetOverride(price string) (model.FleetPool, error) {
	var p model.FleetPool
	var err error
	for _, f := range []struct {
		key string
		dst *string
	}{{"InstanceType", &p.InstanceType}, {"AvailabilityZone", &p.AvailabilityZone}, {price, &p.MaxPrice}} {
		if *f.dst, err = o.str(f.key); err != nil {
			return p, err
		}
	}
	sub, err := o.str("SubnetId")
	if err != nil {
		return p, err
	}
	p.SubnetID = model.SubnetID(sub)
	if p.WeightedCapacity, err = o.number("WeightedCapacity"); err != nil {
		return p, err
	}
	if o.has("Priority") {
		pr, err := o.number("Priority")
		if err != nil {
			return p, err
		}
		p.Priority = &pr
	}
	return p, nil
}

// fleetTemplates reads LaunchTemplateConfigs.
func (o obj) fleetTemplates(price string) ([]model.FleetTemplateConfig, error) {
	cfgs, err := o.objects("LaunchTemplateConfigs")
	if err != nil {
		return nil, err
	}
	var out []model.FleetTemplateConfig
	for _, c := range cfgs {
		s, err := c.object("LaunchTemplateSpecification")
		if err != nil {
			return nil, err
		}
		var ref model.LaunchTemplateRef
		id, err := s.str("LaunchTemplateId")
		if err != nil {
			return nil, err
		}
		ref.ID = model.LaunchTemplateID(id)
		if ref.Name, err = s.str("LaunchTemplateName"); err != nil {
			return nil, err
		}
		if ref.Version, err = s.str("Version"); err != nil {
			return nil, err
		}
		cfg := model.FleetTemplateConfig{Template: ref}
		ovs, err := c.objects("Overrides")
		if err != nil {
			return nil, err
		}
		for _, ov := range ovs {
			p, err := ov.fleetOverride(price)
			if err != nil {
				return nil, err
			}
			cfg.Overrides = append(cfg.Overrides, p)
		}
		out = append(out, cfg)
	}
	return out, nil
}

// createSpotFleet requests a Spot Fleet (RequestSpotFleet) from
// SpotFleetRequestConfigData; Ref is its id.
func createSpotFleet(c *rctx) error {
	d, err := c.p.object("SpotFleetRequestConfigData")
	if err != nil {
		return err
	}
	var r model.SpotFleetRequest
	if r.IamFleetRole, err = d.req("IamFleetRole"); err != nil {
		return err
	}
	if r.TargetCapacity, err = d.integer("TargetCapacity", 0); err != nil {
		return err
	}
	if r.OnDemandTargetCapacity, err = d.integer("OnDemandTargetCapacity", 0); err != nil {
		return err
	}
	if r.InstancePoolsToUseCount, err = d.integer("InstancePoolsToUseCount", 0); err != nil {
		return err
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"Type", &r.Type}, {"AllocationStrategy", &r.AllocationStrategy}, {"OnDemandAllocationStrategy", &r.OnDemandAllocationStrategy},
		{"SpotPrice", &r.SpotPrice}, {"ExcessCapacityTerminationPolicy", &r.ExcessCapacityTerminationPolicy},
		{"InstanceInterruptionBehavior", &r.InstanceInterruptionBehavior}, {"TargetCapacityUnitType", &r.TargetCapacityUnitType}} {
		if *f.dst, err = d.str(f.key); err != nil {
			return err
		}
	}
	if r.Tags, err = d.fleetTagSpecs("spot-fleet-request"); err != nil {
		return err
	}
	specs, err := d.objects("LaunchSpecifications")
	if err != nil {
		return err
	}
	for _, s := range specs {
		var p model.FleetPool
		if p.ImageID, err = s.req("ImageId"); err != nil {
			return err
		}
		for _, f := range []struct {
			key string
			dst *string
		}{{"InstanceType", &p.InstanceType}, {"KeyName", &p.KeyName}, {"SpotPrice", &p.MaxPrice}} {
			if *f.dst, err = s.str(f.key); err != nil {
				return err
			}
		}
		if p.UserData, err = s.str("UserData"); err != nil {
			return err
		}
		sub, err := s.str("SubnetId")
		if err != nil {
			return err
		}
		p.SubnetID = model.SubnetID(sub)
		if p.WeightedCapacity, err = s.number("WeightedCapacity"); err != nil {
			return err
		}
		groups, err := s.objects("SecurityGroups")
		if err != nil {
			return err
		}
		for _, g := range groups {
			id, err := g.req("GroupId")
			if err != nil {
				return err
			}
			p.GroupIDs = append(p.GroupIDs, model.SecurityGroupID(id))
		}
		if pl, err := s.object("Placement"); err != nil {
			return err
		} else if p.AvailabilityZone, err = pl.str("AvailabilityZone"); err != nil {
			return err
		}
		if prof, err := s.object("IamInstanceProfile"); err != nil {
			return err
		} else if p.IAMProfile, err = prof.str("Arn"); err != nil {
			return err
		}
		if p.InstanceTags, err = s.fleetTagSpecs("instance"); err != nil {
			return err
		}
		r.Specs = append(r.Specs, p)
	}
	if r.Templates, err = d.fleetTemplates("SpotPrice"); err != nil {
		return err
	}
	r.FromTemplates = len(r.Templates) > 0
	out, err := c.e().RequestSpotFleet(r, engine.FleetLaunch{})
	if err != nil {
		return c.p.at("SpotFleetRequestConfigData", err)
	}
	c.setRef(string(out.ID))
	return nil
}

// createEC2Fleet creates an EC2 Fleet (CreateFleet); Ref is its id.
func createEC2Fleet(c *rctx) error {
	p := c.p
	var f model.Fleet
	var err error
	if f.Type, err = p.str("Type"); err != nil {
		return err
	}
	if f.ExcessCapacityTerminationPolicy, err = p.str("ExcessCapacityTerminationPolicy"); err != nil {
		return err
	}
	tc, err := p.object("TargetCapacitySpecification")
	if err != nil {
		return err
	}
	if f.Target.Total, err = tc.integer("TotalTargetCapacity", 0); err != nil {
		return err
	}
	if f.Target.OnDemand, err = tc.integer("OnDemandTargetCapacity", 0); err != nil {
		return err
	}
	if f.Target.Spot, err = tc.integer("SpotTargetCapacity", 0); err != nil {
		return err
	}
	if f.Target.DefaultType, err = tc.str("DefaultTargetCapacityType"); err != nil {
		return err
	}
	if so, err := p.object("SpotOptions"); err != nil {
		return err
	} else {
		if f.SpotAllocationStrategy, err = so.str("AllocationStrategy"); err != nil {
			return err
		}
		if f.SpotInterruptionBehavior, err = so.str("InstanceInterruptionBehavior"); err != nil {
			return err
		}
	}
	if od, err := p.object("OnDemandOptions"); err != nil {
		return err
	} else if f.OnDemandAllocationStrategy, err = od.str("AllocationStrategy"); err != nil {
		return err
	}
	if f.Tags, err = p.fleetTagSpecs("fleet"); err != nil {
		return err
	}
	if f.Templates, err = p.fleetTemplates("MaxPrice"); err != nil {
		return err
	}
	out, err := c.e().CreateFleet(f, engine.FleetLaunch{})
	if err != nil {
		return c.p.at("LaunchTemplateConfigs", err)
	}
	c.setRef(string(out.ID))
	return nil
}

// deleteFleet cancels a Spot Fleet or deletes an EC2 Fleet, terminating
// its instances, as CloudFormation does.
func deleteFleet(e *engine.Engine, typ, id string) error {
	var err error
	if typ == typeSpotFleet {
		_, err = e.CancelSpotFleetRequests([]string{id}, true)
	} else {
		_, err = e.DeleteFleets([]string{id}, true)
	}
	return err
}
