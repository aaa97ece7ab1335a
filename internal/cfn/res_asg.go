package cfn

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS::AutoScaling::LaunchConfiguration. Ref: its name.
func createLaunchConfig(c *rctx) error {
	c.s.warnf(c.r.def.line, "%s (AWS::AutoScaling::LaunchConfiguration): accounts created since October 1, 2024 cannot create launch configurations (the stack fails: \"%s\"); an AWS::EC2::LaunchTemplate works in every account", c.r.def.name, engine.LaunchConfigurationsUnavailable)
	p := c.p
	name, err := c.name("LaunchConfigurationName", 255)
	if err != nil {
		return err
	}
	in := engine.CreateLaunchConfigurationInput{Name: name}
	if in.ImageID, err = p.req("ImageId"); err != nil {
		return err
	}
	if in.InstanceType, err = p.req("InstanceType"); err != nil {
		return err
	}
	if in.KeyName, err = p.str("KeyName"); err != nil {
		return err
	}
	groups, err := p.strs("SecurityGroups")
	if err != nil {
		return err
	}
	in.SecurityGroups = c.groupIDsByName(groups)
	if in.UserData, err = c.userData(p, "UserData"); err != nil {
		return err
	}
	if in.AssociatePublicIPAddress, err = p.boolean("AssociatePublicIpAddress"); err != nil {
		return err
	}
	if in.IAMProfile, err = p.str("IamInstanceProfile"); err != nil {
		return err
	}
	// SpotPrice makes the group's instances Spot Instances at that
	// maximum price.
	if in.SpotPrice, err = p.str("SpotPrice"); err != nil {
		return err
	}
	lc, err := c.e().CreateLaunchConfiguration(in)
	if err != nil {
		return err
	}
	c.setRef(lc.Name)
	return nil
}

// AWS::AutoScaling::AutoScalingGroup. Ref: the group's name. MinSize,
// MaxSize and DesiredCapacity are strings in CloudFormation (numbers are
// accepted too); DesiredCapacity defaults to MinSize. CloudFormation waits
// for the group's instances to launch, and ecsnet runs the engine until
// they run and register with ECS. Metadata.ecsnet.PublicIps pins the
// public addresses of the group's instances, in launch order.
func createASG(c *rctx) error {
	p := c.p
	name, err := c.name("AutoScalingGroupName", 255)
	if err != nil {
		return err
	}
	in := engine.CreateAutoScalingGroupInput{Name: name}
	if lt, err := p.object("LaunchTemplate"); err != nil {
		return err
	} else if lt.n != nil {
		if in.LaunchTemplate, err = launchTemplateSpec(lt); err != nil {
			return err
		}
	}
	if mip, err := p.object("MixedInstancesPolicy"); err != nil {
		return err
	} else if mip.n != nil {
		if in.MixedInstances, in.MixedInstancesTemplate, err = mixedInstancesPolicy(mip); err != nil {
			return err
		}
	}
	if in.LaunchConfigurationName, err = p.str("LaunchConfigurationName"); err != nil {
		return err
	}
	if in.MinSize, err = p.integer("MinSize", 0); err != nil {
		return err
	}
	if !p.has("MinSize") {
		_, err := p.req("MinSize")
		return err
	}
	if in.MaxSize, err = p.integer("MaxSize", 0); err != nil {
		return err
	}
	if !p.has("MaxSize") {
		_, err := p.req("MaxSize")
		return err
	}
	if in.DesiredCapacity, err = p.intPtr("DesiredCapacity"); err != nil {
		return err
	}
	subnets, err := p.strs("VPCZoneIdentifier")
	if err != nil {
		return err
	}
	for _, s := range subnets {
		// A comma-joined string from a nested stack's output is split, as
		// the Auto Scaling API splits VPCZoneIdentifier.
		for _, part := range strings.Split(s, ",") {
			if part = strings.TrimSpace(part); part != "" {
				in.Subnets = append(in.Subnets, model.SubnetID(part))
			}
		}
	}
	if in.AvailabilityZones, err = p.strs("AvailabilityZones"); err != nil {
		return err
	}
	if in.TargetGroupARNs, err = p.strs("TargetGroupARNs"); err != nil {
		return err
	}
	if in.LoadBalancerNames, err = p.strs("LoadBalancerNames"); err != nil {
		return err
	}
	if in.PlacementGroup, err = p.str("PlacementGroup"); err != nil {
		return err
	}
	if in.HealthCheckType, err = p.str("HealthCheckType"); err != nil {
		return err
	}
	if in.HealthCheckGracePeriod, err = p.integer("HealthCheckGracePeriod", 0); err != nil {
		return err
	}
	if b, err := p.boolean("NewInstancesProtectedFromScaleIn"); err != nil {
		return err
	} else if b != nil {
		in.NewInstancesProtected = *b
	}
	if b, err := p.boolean("CapacityRebalance"); err != nil {
		return err
	} else if b != nil {
		in.CapacityRebalance = *b
	}
	hooks, err := p.objects("LifecycleHookSpecificationList")
	if err != nil {
		return err
	}
	for _, hp := range hooks {
		name, err := hp.req("LifecycleHookName")
		if err != nil {
			return err
		}
		h, err := lifecycleHookProps(hp, name)
		if err != nil {
			return err
		}
		in.LifecycleHooks = append(in.LifecycleHooks, h)
	}
	tags, err := p.objects("Tags")
	if err != nil {
		return err
	}
	for _, t := range tags {
		k, err := t.req("Key")
		if err != nil {
			return err
		}
		v, err := t.req("Value")
		if err != nil {
			return err
		}
		prop, err := t.boolean("PropagateAtLaunch")
		if err != nil {
			return err
		}
		if prop == nil {
			_, err := t.req("PropagateAtLaunch")
			return err
		}
		in.Tags = append(in.Tags, model.ASGTag{Key: k, Value: v, PropagateAtLaunch: *prop})
	}
	stackTags := model.Tags{}
	c.stackTags(stackTags)
	for _, k := range []string{"aws:cloudformation:logical-id", "aws:cloudformation:stack-id", "aws:cloudformation:stack-name"} {
		in.Tags = append(in.Tags, model.ASGTag{Key: k, Value: stackTags[k], PropagateAtLaunch: true})
	}
	meta, err := c.ecsnetMeta()
	if err != nil {
		return err
	}
	if in.FixedPublicIPs, err = meta.addrs("PublicIps"); err != nil {
		return err
	}
	signals, never := c.signalCheck(c.groupUserData(in))
	if len(in.Subnets) == 0 {
		c.defaultVPC("names zones, not subnets")
	}
	asg, err := c.e().CreateAutoScalingGroup(in)
	if err != nil {
		key := ""
		switch msg := err.Error(); {
		case strings.Contains(msg, "subnet"):
			key = "VPCZoneIdentifier"
		case strings.Contains(msg, "launch template"):
			key = "LaunchTemplate"
		case strings.Contains(msg, "Desired capacity") || strings.Contains(msg, "min size"):
			key = "DesiredCapacity"
		case strings.Contains(msg, "Max bound"):
			key = "MaxSize"
		case strings.Contains(msg, "Target Group") || strings.Contains(msg, "targetgroup"):
			key = "TargetGroupARNs"
		case strings.Contains(msg, "LoadBalancer") || strings.Contains(msg, "load balancer"):
			key = "LoadBalancerNames"
		}
		return p.at(key, err)
	}
	if err := c.settleOwn(); err != nil {
		return err
	}
	c.setRef(asg.Name)
	if err := c.groupLaunchFailure(asg.Name); err != nil {
		if derr := c.e().DeleteAutoScalingGroup(asg.Name, true); derr != nil {
			return derr
		}
		if serr := c.settleOwn(); serr != nil {
			return serr
		}
		return err
	}
	// The group completes on its Count-th signal; each instance sends
	// one, its id the UniqueId, in the order they were launched.
	policy := c.attribute("CreationPolicy").get("AutoScalingCreationPolicy")
	return c.groupSignalsReceived(signals, c.groupInstances(), policy, never, true, func() error {
		if err := c.e().DeleteAutoScalingGroup(asg.Name, true); err != nil {
			return err
		}
		return c.settleOwn()
	})
}

// launchTemplateSpec reads {LaunchTemplateId | LaunchTemplateName, Version}.
// CloudFormation requires Version.
func launchTemplateSpec(o obj) (*model.LaunchTemplateRef, error) {
	id, err := o.str("LaunchTemplateId")
	if err != nil {
		return nil, err
	}
	name, err := o.str("LaunchTemplateName")
	if err != nil {
		return nil, err
	}
	if id == "" && name == "" {
		_, err := o.req("LaunchTemplateId")
		return nil, err
	}
	v, err := o.req("Version")
	if err != nil {
		return nil, err
	}
	return &model.LaunchTemplateRef{ID: model.LaunchTemplateID(id), Name: name, Version: v}, nil
}

// mixedInstancesPolicy reads an AutoScalingGroup's MixedInstancesPolicy:
// its launch template, the Overrides (instance types, weights, a template
// of their own) and the InstancesDistribution, with the Auto Scaling API's
// defaults for what it leaves out (100% on-demand above a base of 0,
// "prioritized" on-demand and "lowest-price" Spot allocation, 2 Spot pools).
// The group launches the first override's instance type (the
// prioritized order; ecsnet knows no Spot prices), as the launch
// template alone may name none; an override of InstanceRequirements
// launches the smallest known type that has them.
func mixedInstancesPolicy(mip obj) (*model.MixedInstancesPolicy, *model.LaunchTemplateRef, error) {
	lt, err := mip.object("LaunchTemplate")
	if err != nil {
		return nil, nil, err
	}
	if lt.n == nil {
		_, err := mip.req("LaunchTemplate")
		return nil, nil, err
	}
	spec, err := lt.object("LaunchTemplateSpecification")
	if err != nil {
		return nil, nil, err
	}
	if spec.n == nil {
		_, err := lt.req("LaunchTemplateSpecification")
		return nil, nil, err
	}
	ref, err := launchTemplateSpec(spec)
	if err != nil {
		return nil, nil, err
	}
	out := &model.MixedInstancesPolicy{OnDemandPercentageAboveBase: 100, OnDemandAllocationStrategy: "prioritized",
		SpotAllocationStrategy: "lowest-price", SpotInstancePools: 2}
	overrides, err := lt.objects("Overrides")
	if err != nil {
		return nil, nil, err
	}
	for _, o := range overrides {
		var ov model.LaunchTemplateOverride
		if ov.InstanceType, err = o.str("InstanceType"); err != nil {
			return nil, nil, err
		}
		if ov.WeightedCapacity, err = o.str("WeightedCapacity"); err != nil {
			return nil, nil, err
		}
		if ir, err := o.object("InstanceRequirements"); err != nil {
			return nil, nil, err
		} else if ir.n != nil {
			if ov.Requirements, err = instanceRequirements(ir); err != nil {
				return nil, nil, err
			}
		}
		if own, err := o.object("LaunchTemplateSpecification"); err != nil {
			return nil, nil, err
		} else if own.n != nil {
			if ov.LaunchTemplate, err = launchTemplateSpec(own); err != nil {
				return nil, nil, err
			}
		}
		out.Overrides = append(out.Overrides, ov)
	}
	d, err := mip.object("InstancesDistribution")
	if err != nil || d.n == nil {
		return out, ref, err
	}
	if d.has("OnDemandAllocationStrategy") {
		if out.OnDemandAllocationStrategy, err = d.str("OnDemandAllocationStrategy"); err != nil {
			return nil, nil, err
		}
	}
	if out.OnDemandBaseCapacity, err = d.integer("OnDemandBaseCapacity", 0); err != nil {
		return nil, nil, err
	}
	if out.OnDemandPercentageAboveBase, err = d.integer("OnDemandPercentageAboveBaseCapacity", 100); err != nil {
		return nil, nil, err
	}
	if d.has("SpotAllocationStrategy") {
		if out.SpotAllocationStrategy, err = d.str("SpotAllocationStrategy"); err != nil {
			return nil, nil, err
		}
	}
	if out.SpotInstancePools, err = d.integer("SpotInstancePools", 2); err != nil {
		return nil, nil, err
	}
	if out.SpotMaxPrice, err = d.str("SpotMaxPrice"); err != nil {
		return nil, nil, err
	}
	return out, ref, nil
}

// instanceRequirements reads an override's InstanceRequirements: the
// attributes that choose its instance types (VCpuCount and MemoryMiB
// ranges, BurstablePerformance, CpuManufacturers, InstanceGenerations,
// ExcludedInstanceTypes, AllowedInstanceTypes; the others do not change
// which of ecsnet's types match).
func instanceRequirements(o obj) (*model.InstanceRequirements, error) {
	r := &model.InstanceRequirements{}
	for _, rg := range []struct {
		key      string
		min, max *int
	}{{"VCpuCount", &r.VCPUMin, &r.VCPUMax}, {"MemoryMiB", &r.MemoryMiBMin, &r.MemoryMiBMax}} {
		v, err := o.object(rg.key)
		if err != nil {
			return nil, err
		}
		if v.n == nil {
			_, err := o.req(rg.key)
			return nil, err
		}
		if *rg.min, err = v.integer("Min", 0); err != nil {
			return nil, err
		}
		if *rg.max, err = v.integer("Max", 0); err != nil {
			return nil, err
		}
	}
	var err error
	if r.BurstablePerformance, err = o.str("BurstablePerformance"); err != nil {
		return nil, err
	}
	for _, l := range []struct {
		key string
		to  *[]string
	}{{"CpuManufacturers", &r.CPUManufacturers}, {"InstanceGenerations", &r.InstanceGenerations},
		{"ExcludedInstanceTypes", &r.ExcludedInstanceTypes}, {"AllowedInstanceTypes", &r.AllowedInstanceTypes}} {
		if *l.to, err = o.strs(l.key); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// groupUserData returns the user data a group's instances will get.
func (c *rctx) groupUserData(in engine.CreateAutoScalingGroupInput) string {
	out := ""
	c.read(func(st *model.State) {
		if in.LaunchConfigurationName != "" {
			if lc := st.LaunchConfigurations[in.LaunchConfigurationName]; lc != nil {
				out = lc.UserData
			}
			return
		}
		ref := in.LaunchTemplate
		if ref == nil {
			ref = in.MixedInstancesTemplate
		}
		if ref == nil {
			return
		}
		for _, lt := range st.LaunchTemplates {
			if lt.ID == ref.ID || ref.ID == "" && lt.Name == ref.Name {
				if v, ok := lt.Version(ref.Version); ok {
					out = v.Data.UserData
				}
			}
		}
	})
	return out
}

// groupLaunchFailure is CloudFormation's failure of a group that did not
// reach its minimum size because its launches fail (an unknown placement
// group, an AMI that does not exist, a subnet out of addresses …): the
// handler waits for the group to stabilize and gives up on the latest
// failed scaling activity, naming its status message. nil when the group
// has its instances or its latest activity did not fail.
func (c *rctx) groupLaunchFailure(name string) error {
	var msg string
	c.read(func(st *model.State) {
		g := st.AutoScalingGroups[name]
		if g == nil || len(g.Activities) == 0 || g.Activities[0].StatusCode != "Failed" {
			return
		}
		live := 0
		for _, inst := range st.Instances {
			if inst.AutoScalingGroup == name && inst.Live() {
				live++
			}
		}
		if live >= g.MinSize && live >= g.DesiredCapacity {
			return
		}
		msg = fmt.Sprintf("Group did not stabilize. {current/minSize/maxSize} group size = {%d/%d/%d}. Failed Scaling Activity: %s",
			live, g.MinSize, g.MaxSize, g.Activities[0].Description)
	})
	if msg == "" {
		return nil
	}
	return errors.New(msg)
}
