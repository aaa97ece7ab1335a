package terraform

import (
	"cmp"
	"fmt"
	"net/netip"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_launch_template. user_data is base64 already (Terraform passes it
// through), as LaunchTemplateData.UserData.
func createLaunchTemplate(c *rctx) error {
	d := model.LaunchTemplateData{ImageID: c.o.str("image_id"), InstanceType: c.o.str("instance_type"), KeyName: c.o.str("key_name"),
		SecurityGroupIDs: groupIDs(c.o.strs("vpc_security_group_ids")), UserData: c.o.str("user_data")}
	if p := c.o.block("iam_instance_profile"); p.v != cty.NilVal {
		d.IAMProfileARN, d.IAMProfileName = p.str("arn"), p.str("name")
		c.externalProfileWarning(blockAttrExprs(c.r.body, "iam_instance_profile", "name", "arn"), cmp.Or(d.IAMProfileName, d.IAMProfileARN),
			"an Auto Scaling group launching from the template is refused (\"ValidationError: You must use a valid fully-formed launch template.\") and RunInstances with it too")
	}
	c.externalKeyWarning(d.KeyName, "an Auto Scaling group launching from the template is refused (\"ValidationError: You must use a valid fully-formed launch template. The key pair '"+d.KeyName+"' does not exist\") and RunInstances with it too (\"InvalidKeyPair.NotFound\")")
	for i, n := range c.o.blocks("network_interfaces") {
		ni := model.LaunchTemplateNetworkInterface{SubnetID: model.SubnetID(n.str("subnet_id")), Groups: groupIDs(n.strs("security_groups"))}
		var err error
		if ni.DeviceIndex, err = n.integer("device_index", 0); err != nil {
			return err
		}
		// associate_public_ip_address is a string in the provider's schema
		// ("true", "false" or unset).
		switch n.str("associate_public_ip_address") {
		case "true":
			t := true
			ni.AssociatePublicIPAddress = &t
		case "false":
			f := false
			ni.AssociatePublicIPAddress = &f
		}
		if b, err := n.boolean("delete_on_termination"); err == nil && b != nil {
			ni.DeleteOnTermination = b
		}
		if err := c.launchTemplateAddresses(n, i, &ni); err != nil {
			return err
		}
		d.NetworkInterfaces = append(d.NetworkInterfaces, ni)
	}
	// disable_api_termination and disable_api_stop: the provider sends
	// them when true (GetOk), as RequestLaunchTemplateData's booleans.
	for name, dst := range map[string]**bool{"disable_api_termination": &d.DisableAPITermination, "disable_api_stop": &d.DisableAPIStop} {
		b, err := c.o.boolean(name)
		if err != nil {
			return err
		}
		if b != nil && *b {
			*dst = b
		}
	}
	if m := c.o.block("monitoring"); m.v != cty.NilVal {
		b, err := m.boolean("enabled")
		if err != nil {
			return err
		}
		d.Monitoring = b
	}
	// instance_market_options with market_type "spot": the template
	// launches Spot Instances (one-time unless spot_instance_type says
	// persistent; interrupted ones are terminated unless told otherwise).
	if mo := c.o.block("instance_market_options"); mo.v != cty.NilVal && mo.str("market_type") == "spot" {
		so := mo.block("spot_options")
		d.Spot = &model.SpotMarketOptions{Persistent: so.str("spot_instance_type") == "persistent",
			Interruption: so.str("instance_interruption_behavior"), MaxPrice: so.str("max_price")}
		if d.Spot.Interruption == "" {
			d.Spot.Interruption = "terminate"
		}
	}
	// placement: the placement group (by name) and partition the
	// template's instances launch into.
	if p := c.o.block("placement"); p.v != cty.NilVal && p.str("group_name") != "" {
		n, err := p.integer("partition_number", 0)
		if err != nil {
			return err
		}
		d.Placement = &model.LaunchTemplatePlacement{GroupName: p.str("group_name"), PartitionNumber: n}
	}
	// tag_specifications: the tags of the instances, volumes and network
	// interfaces launched from the template (an Auto Scaling group's
	// instances are named by them).
	for _, ts := range c.o.blocks("tag_specifications") {
		d.TagSpecifications = append(d.TagSpecifications, model.LaunchTemplateTagSpec{ResourceType: ts.str("resource_type"), Tags: stringMap(ts.get("tags"))})
	}
	lt, err := c.e().CreateLaunchTemplate(engine.CreateLaunchTemplateInput{Name: c.name(128), Description: c.o.str("description"), Data: d, Tags: c.plainTags()})
	if err != nil {
		return c.fail("", err)
	}
	c.created(string(lt.ID), "")
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "launch-template/"+string(lt.ID)))
	c.set("name", lt.Name)
	c.out["latest_version"] = cty.NumberIntVal(int64(len(lt.Versions)))
	c.out["default_version"] = cty.NumberIntVal(int64(lt.DefaultVersion))
	return nil
}

// aws_launch_configuration. user_data is text here; the provider encodes it.
func createLaunchConfiguration(c *rctx) error {
	if !c.l.fromJSON {
		c.l.warnf(c.r.rng, "%s: accounts created since October 1, 2024 cannot create launch configurations (terraform apply fails: \"UnsupportedOperation: %s\"); an aws_launch_template works in every account", c.addr, engine.LaunchConfigurationsUnavailable)
	}
	name := c.name(255)
	in := engine.CreateLaunchConfigurationInput{Name: name, ImageID: c.o.str("image_id"), InstanceType: c.o.str("instance_type"),
		SecurityGroups: groupIDs(c.o.strs("security_groups")), UserData: userData(c.o), IAMProfile: c.o.str("iam_instance_profile"), KeyName: c.o.str("key_name")}
	c.externalProfileWarning(attrExprs(c.r.body, "iam_instance_profile"), in.IAMProfile, "launches from it are refused")
	c.externalKeyWarning(in.KeyName, "CreateLaunchConfiguration refuses it (\"ValidationError: The key pair '"+in.KeyName+"' does not exist\")")
	if b, err := c.o.boolean("associate_public_ip_address"); err != nil {
		return err
	} else {
		in.AssociatePublicIPAddress = b
	}
	if ud := c.o.str("user_data"); c.l.fromJSON && len(ud) == 40 && strings.Trim(ud, "0123456789abcdef") == "" {
		c.l.warnf(c.r.rng, "%s: the state keeps only a hash of the user data; which ECS cluster its instances join is unknown (they join none)", c.addr)
		in.UserData = ""
	}
	lc, err := c.e().CreateLaunchConfiguration(in)
	if err != nil {
		return c.fail("", err)
	}
	c.created(lc.Name, "")
	c.set("name", lc.Name)
	c.set("arn", lc.ARN)
	return nil
}

func ltSpec(o obj) *model.LaunchTemplateRef {
	if o.v == cty.NilVal {
		return nil
	}
	ref := &model.LaunchTemplateRef{ID: model.LaunchTemplateID(o.str("id")), Name: o.str("name"), Version: o.str("version")}
	if ref.ID == "" {
		ref.ID = model.LaunchTemplateID(o.str("launch_template_id"))
	}
	if ref.Name == "" {
		ref.Name = o.str("launch_template_name")
	}
	if ref.Version == "" {
		ref.Version = "$Default"
	}
	return ref
}

// mixedInstancesPolicy reads a group's mixed_instances_policy: the
// overrides (instance types with their weights, their own launch
// templates, or instance requirements) and the distribution between
// On-Demand and Spot, with the provider's defaults (100% On-Demand above
// the base, "prioritized", "lowest-price" over 2 pools).
func mixedInstancesPolicy(mip obj) (*model.MixedInstancesPolicy, error) {
	out := &model.MixedInstancesPolicy{OnDemandPercentageAboveBase: 100, OnDemandAllocationStrategy: "prioritized",
		SpotAllocationStrategy: "lowest-price", SpotInstancePools: 2}
	for _, o := range mip.block("launch_template").blocks("override") {
		ov := model.LaunchTemplateOverride{InstanceType: o.str("instance_type"), WeightedCapacity: o.str("weighted_capacity")}
		if spec := o.block("launch_template_specification"); spec.v != cty.NilVal {
			ov.LaunchTemplate = ltSpec(spec)
		}
		if ir := o.block("instance_requirements"); ir.v != cty.NilVal {
			req := &model.InstanceRequirements{BurstablePerformance: ir.str("burstable_performance"),
				CPUManufacturers: ir.strs("cpu_manufacturers"), InstanceGenerations: ir.strs("instance_generations"),
				ExcludedInstanceTypes: ir.strs("excluded_instance_types"), AllowedInstanceTypes: ir.strs("allowed_instance_types")}
			var err error
			for _, r := range []struct {
				block    string
				min, max *int
			}{{"vcpu_count", &req.VCPUMin, &req.VCPUMax}, {"memory_mib", &req.MemoryMiBMin, &req.MemoryMiBMax}} {
				b := ir.block(r.block)
				if b.v == cty.NilVal {
					continue
				}
				if *r.min, err = b.integer("min", 0); err != nil {
					return nil, err
				}
				if *r.max, err = b.integer("max", 0); err != nil {
					return nil, err
				}
			}
			ov.Requirements = req
		}
		out.Overrides = append(out.Overrides, ov)
	}
	d := mip.block("instances_distribution")
	if d.v == cty.NilVal {
		return out, nil
	}
	var err error
	if v := d.str("on_demand_allocation_strategy"); v != "" {
		out.OnDemandAllocationStrategy = v
	}
	if out.OnDemandBaseCapacity, err = d.integer("on_demand_base_capacity", 0); err != nil {
		return nil, err
	}
	if out.OnDemandPercentageAboveBase, err = d.integer("on_demand_percentage_above_base_capacity", 100); err != nil {
		return nil, err
	}
	if v := d.str("spot_allocation_strategy"); v != "" {
		out.SpotAllocationStrategy = v
	}
	if out.SpotInstancePools, err = d.integer("spot_instance_pools", 2); err != nil {
		return nil, err
	}
	out.SpotMaxPrice = d.str("spot_max_price")
	return out, nil
}

// aws_autoscaling_group: desired_capacity defaults to min_size. The tag
// ecsnet:public-ips pins the instances' public addresses;
// initial_lifecycle_hook blocks are hooks the group has from its creation.
func createASG(c *rctx) error {
	name := c.name(255)
	min, err := c.o.integer("min_size", 0)
	if err != nil {
		return err
	}
	max, err := c.o.integer("max_size", 0)
	if err != nil {
		return err
	}
	in := engine.CreateAutoScalingGroupInput{Name: name, MinSize: min, MaxSize: max, Subnets: subnetIDs(c.o.strSet("vpc_zone_identifier")),
		AvailabilityZones: c.o.strSet("availability_zones"), TargetGroupARNs: c.o.strs("target_group_arns"), LoadBalancerNames: c.o.strs("load_balancers"), HealthCheckType: c.o.str("health_check_type"),
		NewInstancesProtected: c.o.flag("protect_from_scale_in"), CapacityRebalance: c.o.flag("capacity_rebalance"),
		LaunchConfigurationName: c.o.str("launch_configuration")}
	if len(in.Subnets) == 0 && len(in.AvailabilityZones) > 0 {
		// By zones: the group launches in the default VPC's default subnets.
		if _, err := c.defaultVPC(); err != nil {
			return err
		}
	}
	if pg := c.o.str("placement_group"); pg != "" {
		in.Options.PlacementGroup = &pg
	}
	if c.o.has("desired_capacity") {
		d, err := c.o.integer("desired_capacity", min)
		if err != nil {
			return err
		}
		in.DesiredCapacity = &d
	}
	if in.HealthCheckGracePeriod, err = c.o.integer("health_check_grace_period", 300); err != nil {
		return err
	}
	in.LaunchTemplate = ltSpec(c.o.block("launch_template"))
	if mip := c.o.block("mixed_instances_policy"); mip.v != cty.NilVal {
		if in.MixedInstances, err = mixedInstancesPolicy(mip); err != nil {
			return err
		}
		in.MixedInstancesTemplate = ltSpec(mip.block("launch_template").block("launch_template_specification"))
	}
	for _, b := range c.o.blocks("initial_lifecycle_hook") {
		h, err := lifecycleHook(b)
		if err != nil {
			return err
		}
		in.LifecycleHooks = append(in.LifecycleHooks, h)
	}
	tags := map[string]string{}
	for _, t := range append(c.o.blocks("tag"), c.o.blocks("tags")...) {
		k := t.str("key")
		tags[k] = t.str("value")
		if k == publicIPsTag || k == "" {
			continue
		}
		in.Tags = append(in.Tags, model.ASGTag{Key: k, Value: t.str("value"), PropagateAtLaunch: t.flag("propagate_at_launch")})
	}
	if in.FixedPublicIPs, err = c.pinnedIPs(tags); err != nil {
		return err
	}
	g, err := c.e().CreateAutoScalingGroup(in)
	if err != nil {
		return c.fail("", err)
	}
	// The provider waits for the group's capacity, unless
	// wait_for_capacity_timeout is "0".
	if c.o.str("wait_for_capacity_timeout") != "0" {
		if err := c.e().Converge(); err != nil {
			return c.fail("", err)
		}
		if err := c.capacityFailed(g.Name); err != nil {
			return err
		}
	}
	c.created(g.Name, g.Name)
	c.set("name", g.Name)
	c.set("arn", g.ARN)
	c.out["desired_capacity"] = cty.NumberIntVal(int64(g.DesiredCapacity))
	return nil
}

// lifecycleHook reads a lifecycle hook's arguments, shared by
// aws_autoscaling_lifecycle_hook and aws_autoscaling_group's
// initial_lifecycle_hook blocks; the engine gives AWS's defaults
// (default_result ABANDON, heartbeat_timeout 3600) and validates.
func lifecycleHook(o obj) (model.LifecycleHook, error) {
	h := model.LifecycleHook{Name: o.str("name"), Transition: o.str("lifecycle_transition"), DefaultResult: o.str("default_result"),
		NotificationMetadata: o.str("notification_metadata"), NotificationTargetARN: o.str("notification_target_arn"), RoleARN: o.str("role_arn")}
	var err error
	h.HeartbeatTimeout, err = o.integer("heartbeat_timeout", 0)
	return h, err
}

// aws_autoscaling_lifecycle_hook: PutLifecycleHook; its id is the hook's
// name. A launch hook concerns the instances the group launches after it
// (the provider creates it once the group has its capacity):
// initial_lifecycle_hook is for those launched at creation.
func createLifecycleHook(c *rctx) error {
	group, err := c.req("autoscaling_group_name")
	if err != nil {
		return err
	}
	if _, err := c.req("name"); err != nil {
		return err
	}
	if _, err := c.req("lifecycle_transition"); err != nil {
		return err
	}
	h, err := lifecycleHook(c.o)
	if err != nil {
		return err
	}
	if err := c.e().PutLifecycleHook(group, h); err != nil {
		return c.fail("", err)
	}
	c.created(h.Name, "")
	return nil
}

// capacityFailed is the provider's capacity waiter giving up: the group
// has fewer running instances than it wants, and its scaling activities
// say why a launch failed (terraform-provider-aws
// internal/service/autoscaling: the waiter returns each Failed activity
// as "scaling activity (ID): Failed: MESSAGE" and the create fails with
// "waiting for Auto Scaling Group (NAME) capacity satisfied: …"). A
// launch EC2 refuses (an arm64 image on an x86_64 type) never comes
// right, so apply fails once the timeout passes.
func (c *rctx) capacityFailed(name string) error {
	var err error
	c.read(func(st *model.State) {
		g := st.AutoScalingGroups[name]
		if g == nil || len(g.Activities) == 0 || g.Activities[0].StatusCode != "Failed" {
			return
		}
		live := 0
		for _, in := range st.Instances {
			if in.AutoScalingGroup == name && in.State != "terminated" && in.State != "shutting-down" {
				live++
			}
		}
		if live >= g.DesiredCapacity {
			return
		}
		a := g.Activities[0]
		err = c.fail("", fmt.Errorf("waiting for Auto Scaling Group (%s) capacity satisfied: scaling activity (%s): Failed: %s", name, a.ID, a.StatusMsg))
	})
	return err
}

// externalProfileWarning warns of an instance profile named by a value
// that no resource, data source or module of the configuration gives (a
// literal such as "ecsInstanceRole", or a root module variable): it must already
// exist in the account, and EC2 refuses the launch when it does not
// (`failure` is where and how). A configuration read onto --base is not
// judged: the base's account is the one it runs in.
func (c *rctx) externalProfileWarning(exprs []hcl.Expression, profile, failure string) {
	if !c.external(exprs, profile) {
		return
	}
	kind := "name"
	if strings.HasPrefix(profile, "arn:") {
		kind = "arn"
	}
	c.l.warnf(c.r.rng, "%s names the instance profile %q, which this configuration neither creates nor reads: it must already exist in the account (the ECS console's first run creates ecsInstanceRole), else %s: \"Value (%s) for parameter iamInstanceProfile.%s is invalid. Invalid IAM Instance Profile %s\"",
		c.addr, profile, failure, profile, kind, map[string]string{"name": "name", "arn": "ARN"}[kind])
}

// externalKeyWarning warns of a key pair (key_name) named by a value that
// no resource, data source or module of the configuration gives: a key
// pair is a region's, and EC2 refuses a launch naming one the region does
// not have, "InvalidKeyPair.NotFound: The key pair 'NAME' does not exist"
// (RunInstances; an Auto Scaling group's CreateAutoScalingGroup of the
// template: "ValidationError: You must use a valid fully-formed launch
// template. The key pair 'NAME' does not exist"; CreateLaunchConfiguration:
// "ValidationError: The key pair 'NAME' does not exist"). `failure` is
// where and how.
func (c *rctx) externalKeyWarning(key, failure string) {
	if !c.external(attrExprs(c.r.body, "key_name"), key) {
		return
	}
	c.l.warnf(c.r.rng, "%s names the key pair %q, which this configuration neither creates nor reads: it must already exist in the region (%s), else %s", c.addr, key, c.l.region, failure)
}

// external reports whether value, given by exprs, comes from outside the
// configuration: a literal or a root module variable, not a resource's,
// data source's or module's attribute (nor a child module's variable or a
// local value, which may carry one). Not judged (false) without a value
// or an expression ecsnet can place, from a plan or state, or on --base.
func (c *rctx) external(exprs []hcl.Expression, value string) bool {
	if value == "" || c.l.fromJSON || c.l.opts.Base != nil || len(exprs) == 0 {
		return false
	}
	for _, e := range exprs {
		if e == nil {
			continue
		}
		for _, tr := range e.Variables() {
			if tr.RootName() != "var" || (c.mi.parent != nil && c.givenByCall(tr)) {
				return false
			}
		}
	}
	return true
}

// givenByCall reports whether a child module's variable (var.NAME) is
// given by the module call that made the instance, or the call is not
// found: a variable the call leaves out has its default, a literal.
func (c *rctx) givenByCall(tr hcl.Traversal) bool {
	if len(tr) < 2 {
		return true
	}
	a, ok := tr[1].(hcl.TraverseAttr)
	if !ok {
		return true
	}
	call := callOf(c.mi)
	if call == nil {
		return true
	}
	_, given := call.inputs[a.Name]
	return given
}

// blockAttrExprs are the expressions of a nested block's attributes.
func blockAttrExprs(body hcl.Body, block string, attrs ...string) []hcl.Expression {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var out []hcl.Expression
	for _, b := range sb.Blocks {
		body := b.Body
		switch {
		case b.Type == block:
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == block:
			// dynamic "iam_instance_profile" { content { … } }: its
			// content's expressions, and its for_each's.
			if fe := b.Body.Attributes["for_each"]; fe != nil {
				out = append(out, fe.Expr)
			}
			for _, cb := range b.Body.Blocks {
				if cb.Type == "content" {
					body = cb.Body
				}
			}
		default:
			continue
		}
		for _, a := range attrs {
			if x := body.Attributes[a]; x != nil {
				out = append(out, x.Expr)
			}
		}
	}
	return out
}

// attrExprs are the expressions of a body's attributes.
func attrExprs(body hcl.Body, attrs ...string) []hcl.Expression {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var out []hcl.Expression
	for _, a := range attrs {
		if x := sb.Attributes[a]; x != nil {
			out = append(out, x.Expr)
		}
	}
	return out
}

// launchTemplateAddresses reads a launch template interface's addresses as
// the provider sends them (expandLaunchTemplateInstanceNetworkInterfaceSpecificationRequest):
// private_ip_address; ipv4_address_count, else ipv4_addresses (none
// primary); ipv6_address_count, else ipv6_addresses; and the interface's
// network_interface_id and interface_type. An address that is not one is
// refused at its argument's line, as the provider's IsIPv4Address and
// IsIPv6Address refuse it at plan.
func (c *rctx) launchTemplateAddresses(n obj, i int, ni *model.LaunchTemplateNetworkInterface) error {
	ni.NetworkInterfaceID = model.NetworkInterfaceID(n.str("network_interface_id"))
	ni.InterfaceType = n.str("interface_type")
	idx := fmt.Sprintf("network_interfaces.%d.", i)
	valid := func(arg, family string, addrs ...string) error {
		for _, a := range addrs {
			ip, err := netip.ParseAddr(a)
			if err != nil || (family == "IPv4") != ip.Is4() {
				return n.err(arg, "expected %s%s to contain a valid %s address, got: %s", idx, arg, family, a)
			}
		}
		return nil
	}
	if a := n.str("private_ip_address"); a != "" {
		if err := valid("private_ip_address", "IPv4", a); err != nil {
			return err
		}
		ni.PrivateIPAddress = a
	}
	var err error
	if ni.SecondaryPrivateIPAddressCount, err = n.integer("ipv4_address_count", 0); err != nil {
		return err
	}
	if ni.SecondaryPrivateIPAddressCount == 0 {
		v4 := n.strs("ipv4_addresses")
		if err := valid("ipv4_addresses", "IPv4", v4...); err != nil {
			return err
		}
		for _, a := range v4 {
			ni.PrivateIPAddresses = append(ni.PrivateIPAddresses, model.LaunchTemplatePrivateIP{Address: a})
		}
	}
	if ni.IPv6AddressCount, err = n.integer("ipv6_address_count", 0); err != nil {
		return err
	}
	if ni.IPv6AddressCount == 0 {
		v6 := n.strs("ipv6_addresses")
		if err := valid("ipv6_addresses", "IPv6", v6...); err != nil {
			return err
		}
		ni.IPv6Addresses = v6
	}
	return nil
}
