package cfn

import (
	"reflect"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// In-place updaters of Elastic Load Balancing v2, EC2 and ECS resources,
// each applying a change through the operation the API uses for it
// (ModifyTargetGroup, SetSubnets, ModifyRule, ModifySubnetAttribute,
// UpdateCluster, PutClusterCapacityProviders, CreateLaunchTemplateVersion
// ...). Which properties each updates is UpdatesInPlace's.
//
// A property gone from the template returns to AWS's default, as if the
// resource had been created without it (a VPC's DNS attributes, a
// subnet's flags, a cluster's container insights, a target group's
// health check settings, an ELBv2 attribute no longer listed) [choice]:
// the resource matches its template, and a rolled-back update (the
// updater called with the old properties) undoes what it added.

// updateTargetGroup updates an AWS::ElasticLoadBalancingV2::TargetGroup:
// its health check (ModifyTargetGroup), attributes
// (ModifyTargetGroupAttributes), targets (RegisterTargets,
// DeregisterTargets) and tags.
func updateTargetGroup(c *rctx, old obj, changed []string) error {
	p, arn := c.p, c.r.physical
	hc := engine.ModifyTargetGroupInput{TargetGroupARN: arn}
	var def model.HealthCheck // what a setting gone from the template returns to
	c.read(func(st *model.State) {
		if tg := st.TargetGroups[arn]; tg != nil {
			def = engine.DefaultHealthCheck(tg)
		}
	})
	modify := false
	str := func(prop, d string, dst **string) error {
		v, err := p.str(prop)
		if v == "" {
			v = d
		}
		if err == nil && v != "" {
			*dst, modify = &v, true
		}
		return err
	}
	num := func(prop string, d int, dst **int) error {
		v, err := p.intPtr(prop)
		if v == nil {
			v = &d
		}
		if err == nil && *v != 0 {
			*dst, modify = v, true
		}
		return err
	}
	for _, prop := range changed {
		var err error
		switch prop {
		case "HealthCheckEnabled":
			var b *bool
			if b, err = boolOr(p, prop, def.Enabled); err == nil {
				hc.HealthCheckEnabled, modify = b, true
			}
		case "HealthCheckProtocol":
			err = str(prop, def.Protocol, &hc.HealthCheckProtocol)
		case "HealthCheckPort":
			err = str(prop, def.Port, &hc.HealthCheckPort)
		case "HealthCheckPath":
			err = str(prop, def.Path, &hc.HealthCheckPath)
		case "HealthCheckIntervalSeconds":
			err = num(prop, def.IntervalSeconds, &hc.Interval)
		case "HealthCheckTimeoutSeconds":
			err = num(prop, def.TimeoutSeconds, &hc.Timeout)
		case "HealthyThresholdCount":
			err = num(prop, def.HealthyThreshold, &hc.Healthy)
		case "UnhealthyThresholdCount":
			err = num(prop, def.UnhealthyThreshold, &hc.Unhealthy)
		case "Matcher":
			m, e := p.object("Matcher")
			if err = e; err != nil {
				break
			}
			var code string
			if code, err = m.str("HttpCode"); err == nil && code == "" {
				code, err = m.str("GrpcCode")
			}
			if code == "" {
				code = def.Matcher
			}
			if err == nil && code != "" {
				hc.Matcher, modify = &code, true
			}
		}
		if err != nil {
			return err
		}
	}
	if modify {
		if _, err := c.e().ModifyTargetGroup(hc); err != nil {
			return p.at(firstOf(changed, "HealthCheckPath"), err)
		}
	}
	for _, prop := range changed {
		switch prop {
		case "TargetGroupAttributes":
			if err := reapplyAttributes(c, old, prop, c.e().ModifyTargetGroupAttributes); err != nil {
				return err
			}
		case "Targets":
			was, err := targetsOf(old)
			if err != nil {
				return err
			}
			want, err := targetsOf(p)
			if err != nil {
				return err
			}
			var gone, added []engine.TargetDescription
			for _, t := range was {
				if !slices.Contains(want, t) {
					gone = append(gone, t)
				}
			}
			for _, t := range want {
				if !slices.Contains(was, t) {
					added = append(added, t)
				}
			}
			if len(gone) > 0 {
				if err := c.e().DeregisterTargets(arn, gone); err != nil {
					return p.at(prop, err)
				}
			}
			if len(added) > 0 {
				if err := c.e().RegisterTargets(arn, added); err != nil {
					return p.at(prop, err)
				}
			}
		case "Tags":
			if err := retagELB(c, old); err != nil {
				return err
			}
		}
	}
	return nil
}

// firstOf returns the first of names in changed that a health check
// property is, else def (where an error of ModifyTargetGroup points).
func firstOf(changed []string, def string) string {
	for _, n := range changed {
		switch n {
		case "HealthCheckEnabled", "HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath", "HealthCheckIntervalSeconds",
			"HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher":
			return n
		}
	}
	return def
}

// reapplyAttributes sets the attributes c.p lists (prop) and returns the
// ones only old listed to their defaults.
func reapplyAttributes(c *rctx, old obj, prop string, modify func(arn string, attrs [][2]string) ([][2]string, error)) error {
	arn := c.r.physical
	want, err := attributeList(c.p, prop)
	if err != nil {
		return err
	}
	was, err := attributeList(old, prop)
	if err != nil {
		return err
	}
	var dropped [][2]string
	for _, kv := range was {
		if !slices.ContainsFunc(want, func(w [2]string) bool { return w[0] == kv[0] }) {
			dropped = append(dropped, kv)
		}
	}
	if len(dropped) > 0 {
		defaults, err := c.e().DefaultAttributes(arn)
		if err != nil {
			return err
		}
		var reset [][2]string
		for _, kv := range dropped {
			for _, d := range defaults {
				if d[0] == kv[0] {
					reset = append(reset, d)
				}
			}
		}
		if len(reset) > 0 {
			if _, err := modify(arn, reset); err != nil {
				return c.p.at(prop, err)
			}
		}
	}
	return applyAttributes(c.p, prop, arn, modify)
}

// attributeList reads a list of Key and Value.
func attributeList(p obj, prop string) ([][2]string, error) {
	items, err := p.objects(prop)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for _, it := range items {
		k, err := it.req("Key")
		if err != nil {
			return nil, err
		}
		v, err := it.str("Value")
		if err != nil {
			return nil, err
		}
		out = append(out, [2]string{k, v})
	}
	return out, nil
}

// targetsOf reads a target group's Targets.
func targetsOf(p obj) ([]engine.TargetDescription, error) {
	items, err := p.objects("Targets")
	if err != nil {
		return nil, err
	}
	var out []engine.TargetDescription
	for _, t := range items {
		id, err := t.req("Id")
		if err != nil {
			return nil, err
		}
		port, err := t.integer("Port", 0)
		if err != nil {
			return nil, err
		}
		az, err := t.str("AvailabilityZone")
		if err != nil {
			return nil, err
		}
		out = append(out, engine.TargetDescription{ID: id, Port: uint16(port), AvailabilityZone: az})
	}
	return out, nil
}

// retagELB changes an ELBv2 resource's tags (AddTags, RemoveTags).
func retagELB(c *rctx, old obj) error {
	return retag(c, old, func(ch engine.TagChange) error {
		return c.e().TagLoadBalancingResources([]string{c.r.physical}, ch)
	})
}

// updateLoadBalancer updates an AWS::ElasticLoadBalancingV2::LoadBalancer:
// attributes (ModifyLoadBalancerAttributes), security groups
// (SetSecurityGroups), subnets or subnet mappings (SetSubnets), IP address
// type (SetIpAddressType) and tags.
func updateLoadBalancer(c *rctx, old obj, changed []string) error {
	p, arn := c.p, c.r.physical
	subnetsDone, groupsDone := false, false
	for _, prop := range changed {
		switch prop {
		case "IpAddressType":
			v, err := p.str(prop)
			if err != nil {
				return err
			}
			if v == "" {
				v = "ipv4"
			}
			if _, err := c.e().SetIPAddressType(arn, v); err != nil {
				return p.at(prop, err)
			}
		case "LoadBalancerAttributes":
			if err := reapplyAttributes(c, old, prop, c.e().ModifyLoadBalancerAttributes); err != nil {
				return err
			}
		case "SecurityGroups", "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic":
			// One SetSecurityGroups sets both.
			if groupsDone {
				continue
			}
			groupsDone = true
			groups, err := p.strs("SecurityGroups")
			if err != nil {
				return err
			}
			enforce, err := p.str("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic")
			if err != nil {
				return err
			}
			if enforce == "" && slices.Contains(changed, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic") {
				enforce = "on" // removed from the template: AWS's default
			}
			now, err := c.e().SetSecurityGroups(arn, toGroupIDs(groups), enforce)
			if err != nil {
				return p.at(prop, err)
			}
			sgs := []string{}
			for _, g := range now {
				sgs = append(sgs, string(g))
			}
			c.setList("SecurityGroups", sgs)
		case "Subnets", "SubnetMappings":
			if subnetsDone {
				continue
			}
			subnetsDone = true
			subnets, err := p.strs("Subnets")
			if err != nil {
				return err
			}
			maps, err := subnetMappings(p)
			if err != nil {
				return err
			}
			if _, err := c.e().SetSubnets(arn, toSubnetIDs(subnets), maps); err != nil {
				return p.at(prop, err)
			}
		case "Tags":
			if err := retagELB(c, old); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateListenerRule updates an AWS::ElasticLoadBalancingV2::ListenerRule:
// its actions, conditions and transforms (ModifyRule) and priority
// (SetRulePriorities).
func updateListenerRule(c *rctx, _ obj, changed []string) error {
	p := c.p
	in := engine.ModifyRuleInput{RuleARN: c.r.physical}
	modify := false
	var err error
	for _, prop := range changed {
		switch prop {
		case "Actions":
			if in.Actions, err = c.actions(p, prop); err != nil {
				return err
			}
			modify = true
		case "Conditions":
			if in.Conditions, err = ruleConditions(p); err != nil {
				return err
			}
			if in.Conditions == nil {
				in.Conditions = []model.RuleCondition{}
			}
			modify = true
		case "Transforms":
			// Removing every transform is ModifyRule's ResetTransforms.
			if in.Transforms, err = ruleTransforms(p); err != nil {
				return err
			}
			in.ResetTransforms = len(in.Transforms) == 0
			modify = true
		case "Priority":
			n, err := p.integer(prop, 0)
			if err != nil {
				return err
			}
			if _, err := c.e().SetRulePriorities([]engine.RulePriority{{RuleARN: c.r.physical, Priority: n}}); err != nil {
				return p.at(prop, err)
			}
		}
	}
	if modify {
		if _, err := c.e().ModifyRule(in); err != nil {
			return p.at(changed[0], err)
		}
	}
	return nil
}

// boolOr reads a boolean property, def when the template does not give it.
func boolOr(p obj, prop string, def bool) (*bool, error) {
	b, err := p.boolean(prop)
	if err != nil || b != nil {
		return b, err
	}
	return &def, nil
}

// updateVPC updates an AWS::EC2::VPC: its DNS attributes
// (ModifyVpcAttribute, one a call as on AWS; gone from the template, AWS's
// defaults: support on, hostnames off), its tenancy from dedicated to
// default (ModifyVpcTenancy) and tags.
func updateVPC(c *rctx, old obj, changed []string) error {
	p := c.p
	id := model.VpcID(c.r.physical)
	for _, prop := range changed {
		switch prop {
		case "EnableDnsSupport", "EnableDnsHostnames":
			b, err := boolOr(p, prop, prop == "EnableDnsSupport")
			if err != nil {
				return err
			}
			if prop == "EnableDnsSupport" {
				err = c.e().ModifyVpcAttribute(id, b, nil)
			} else {
				err = c.e().ModifyVpcAttribute(id, nil, b)
			}
			if err != nil {
				return p.at(prop, err)
			}
		case "InstanceTenancy":
			// Only dedicated to default comes here (inPlaceValues).
			if err := c.e().ModifyVpcTenancy(id, "default"); err != nil {
				return p.at(prop, err)
			}
		case "Tags":
			if err := updateEC2Tags(c, old, changed); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateSubnet updates an AWS::EC2::Subnet: MapPublicIpOnLaunch,
// AssignIpv6AddressOnCreation, EnableDns64 and PrivateDnsNameOptionsOnLaunch
// (ModifySubnetAttribute; gone from the template, off), Ipv6CidrBlock
// (DisassociateSubnetCidrBlock, AssociateSubnetCidrBlock) and tags.
func updateSubnet(c *rctx, old obj, changed []string) error {
	p := c.p
	var in engine.SubnetAttributes
	modify := false
	if slices.Contains(changed, "Ipv6CidrBlock") {
		if err := swapSubnetIPv6(c); err != nil {
			return err
		}
		// The swap turned AssignIpv6AddressOnCreation off to let the old
		// block go: it is set again as the template says.
		assign, err := boolOr(p, "AssignIpv6AddressOnCreation", false)
		if err != nil {
			return err
		}
		in.AssignIPv6, modify = assign, true
	}
	for _, prop := range changed {
		var err error
		switch prop {
		case "MapPublicIpOnLaunch":
			in.MapPublicIP, err = boolOr(p, prop, false)
		case "AssignIpv6AddressOnCreation":
			in.AssignIPv6, err = boolOr(p, prop, false)
		case "EnableDns64":
			in.EnableDNS64, err = boolOr(p, prop, false)
		case "PrivateDnsNameOptionsOnLaunch":
			o, e := p.object(prop)
			if err = e; err != nil {
				break
			}
			if in.HostnameType, err = o.str("HostnameType"); err != nil {
				break
			}
			if in.HostnameType == "" {
				in.HostnameType = "ip-name"
			}
			if in.ResourceNameA, err = boolOr(o, "EnableResourceNameDnsARecord", false); err != nil {
				break
			}
			in.ResourceNameAAAA, err = boolOr(o, "EnableResourceNameDnsAAAARecord", false)
		case "Tags":
			err = updateEC2Tags(c, old, changed)
		case "Ipv6CidrBlock":
			continue
		}
		if err != nil {
			return err
		}
		modify = modify || prop != "Tags"
	}
	if !modify {
		return nil
	}
	if err := c.e().ModifySubnetAttributes(model.SubnetID(c.r.physical), in); err != nil {
		return p.at(firstNot(changed, "Tags"), err)
	}
	return nil
}

// swapSubnetIPv6 gives a subnet the template's Ipv6CidrBlock in place of
// the one it has (none: only removed): AssignIpv6AddressOnCreation is
// turned off first, as EC2 keeps a subnet that assigns IPv6 addresses
// from losing its block.
func swapSubnetIPv6(c *rctx) error {
	p, id := c.p, model.SubnetID(c.r.physical)
	want, err := p.str("Ipv6CidrBlock")
	if err != nil {
		return err
	}
	var have []model.IPv6Block
	assigns := false
	c.read(func(st *model.State) {
		if s := st.Subnets[id]; s != nil {
			have, assigns = s.IPv6, s.AssignIPv6AddressOnCreation
		}
	})
	if len(have) > 0 {
		if assigns {
			if err := c.e().ModifySubnetAttributes(id, engine.SubnetAttributes{AssignIPv6: new(bool)}); err != nil {
				return p.at("Ipv6CidrBlock", err)
			}
		}
		for _, b := range have {
			if _, _, err := c.e().DisassociateSubnetIPv6(b.AssociationID); err != nil {
				return p.at("Ipv6CidrBlock", err)
			}
		}
	}
	var blocks []string
	if want != "" {
		b, err := c.e().AssociateSubnetIPv6(id, want)
		if err != nil {
			return p.at("Ipv6CidrBlock", err)
		}
		blocks = append(blocks, b.CIDR.String())
	}
	c.setList("Ipv6CidrBlocks", blocks)
	return nil
}

// firstNot returns the first name in changed that is not skip.
func firstNot(changed []string, skip string) string {
	for _, n := range changed {
		if n != skip {
			return n
		}
	}
	return skip
}

// updateEIPTags changes an AWS::EC2::EIP's tags (its physical id is the
// address; tags go on the allocation).
func updateEIPTags(c *rctx, old obj, _ []string) error {
	id := c.r.keys["AllocationId"]
	if id == "" {
		id = c.r.physical
	}
	return retag(c, old, func(ch engine.TagChange) error { return c.e().TagEC2Resources([]string{id}, ch) })
}

// updateNetworkACLEntry changes an AWS::EC2::NetworkAclEntry in place
// (ReplaceNetworkAclEntry): everything but its ACL, direction and rule
// number, which replace it.
func updateNetworkACLEntry(c *rctx, _ obj, changed []string) error {
	in, err := aclEntryInput(c.p)
	if err != nil {
		return err
	}
	if err := c.e().ReplaceNetworkACLEntry(in); err != nil {
		return c.p.at(firstNot(changed, ""), err)
	}
	return nil
}

// updateCluster updates an AWS::ECS::Cluster: ClusterSettings,
// Configuration and ServiceConnectDefaults (UpdateCluster,
// UpdateClusterSettings), CapacityProviders and
// DefaultCapacityProviderStrategy (PutClusterCapacityProviders), and tags.
func updateCluster(c *rctx, old obj, changed []string) error {
	p, name := c.p, c.r.physical
	in := engine.UpdateClusterInput{Cluster: name}
	modify, providers := false, false
	for _, prop := range changed {
		switch prop {
		case "ClusterSettings":
			v, err := containerInsights(p)
			if err != nil {
				return err
			}
			in.ContainerInsights, modify = &v, true
		case "Configuration":
			x, err := executeCommandConfig(p)
			if err != nil {
				return err
			}
			in.ExecuteCommand, modify = &x, true
		case "ServiceConnectDefaults":
			d, err := p.object(prop)
			if err != nil {
				return err
			}
			ns, err := d.str("Namespace")
			if err != nil {
				return err
			}
			in.ServiceConnectNamespace, modify = &ns, true
		case "CapacityProviders", "DefaultCapacityProviderStrategy":
			providers = true
		case "Tags":
			arn := ""
			if a := c.r.attrs["Arn"]; a != nil {
				arn = a.scalar()
			}
			if err := retag(c, old, func(ch engine.TagChange) error { return c.e().TagECSResource(arn, ch) }); err != nil {
				return err
			}
		}
	}
	if modify {
		if _, err := c.e().UpdateCluster(in); err != nil {
			return p.at(firstNot(changed, "Tags"), err)
		}
	}
	if providers {
		cps, err := p.strs("CapacityProviders")
		if err != nil {
			return err
		}
		strat, err := strategy(p, "DefaultCapacityProviderStrategy")
		if err != nil {
			return err
		}
		if _, err := c.e().PutClusterCapacityProviders(name, nonNil(cps), nonNil(strat)); err != nil {
			return p.at("CapacityProviders", err)
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// containerInsights reads a cluster's containerInsights setting
// (ClusterSettings); none: disabled, ECS's default.
func containerInsights(p obj) (string, error) {
	settings, err := p.objects("ClusterSettings")
	if err != nil {
		return "", err
	}
	for _, s := range settings {
		n, err := s.str("Name")
		if err != nil {
			return "", err
		}
		if n == "containerInsights" {
			return s.str("Value")
		}
	}
	return "disabled", nil
}

// executeCommandConfig reads a cluster's
// Configuration.ExecuteCommandConfiguration (none: the empty one).
func executeCommandConfig(p obj) (model.ExecuteCommandConfiguration, error) {
	var x model.ExecuteCommandConfiguration
	cfg, err := p.object("Configuration")
	if err != nil || cfg.n == nil {
		return x, err
	}
	ec, err := cfg.object("ExecuteCommandConfiguration")
	if err != nil || ec.n == nil {
		return x, err
	}
	if x.KMSKeyID, err = ec.str("KmsKeyId"); err != nil {
		return x, err
	}
	if x.Logging, err = ec.str("Logging"); err != nil {
		return x, err
	}
	lc, err := ec.object("LogConfiguration")
	if err != nil || lc.n == nil {
		return x, err
	}
	if x.CloudWatchLogGroupName, err = lc.str("CloudWatchLogGroupName"); err != nil {
		return x, err
	}
	if x.S3BucketName, err = lc.str("S3BucketName"); err != nil {
		return x, err
	}
	if x.S3KeyPrefix, err = lc.str("S3KeyPrefix"); err != nil {
		return x, err
	}
	for k, dst := range map[string]*bool{"CloudWatchEncryptionEnabled": &x.CloudWatchEncryptionEnabled, "S3EncryptionEnabled": &x.S3EncryptionEnabled} {
		b, err := lc.boolean(k)
		if err != nil {
			return x, err
		}
		*dst = b != nil && *b
	}
	return x, nil
}

// updateCapacityProvider updates an AWS::ECS::CapacityProvider's managed
// scaling, termination protection and draining (UpdateCapacityProvider)
// and tags; another Auto Scaling group replaces it (inPlaceValues).
func updateCapacityProvider(c *rctx, old obj, changed []string) error {
	p := c.p
	for _, prop := range changed {
		switch prop {
		case "AutoScalingGroupProvider":
			prov, err := p.object(prop)
			if err != nil {
				return err
			}
			in := engine.UpdateCapacityProviderInput{Name: c.r.physical}
			ms, err := prov.object("ManagedScaling")
			if err != nil {
				return err
			}
			status, err := ms.str("Status")
			if err != nil {
				return err
			}
			on := status == "ENABLED"
			in.ManagedScaling = &on
			if in.TargetCapacity, err = ms.intPtr("TargetCapacity"); err != nil {
				return err
			}
			mtp, err := prov.str("ManagedTerminationProtection")
			if err != nil {
				return err
			}
			prot := mtp == "ENABLED"
			in.ManagedTerminationProtection = &prot
			if in.ManagedDraining, err = prov.str("ManagedDraining"); err != nil {
				return err
			}
			if _, err := c.e().UpdateCapacityProvider(in); err != nil {
				return p.at(prop, err)
			}
		case "Tags":
			arn := ""
			c.read(func(st *model.State) {
				for _, cp := range st.CapacityProviders { // by ARN
					if cp.Name == c.r.physical && cp.Status == "ACTIVE" {
						arn = cp.ARN
					}
				}
			})
			if err := retag(c, old, func(ch engine.TagChange) error { return c.e().TagECSResource(arn, ch) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateClusterCPAssoc changes an
// AWS::ECS::ClusterCapacityProviderAssociations' providers and default
// strategy (PutClusterCapacityProviders).
func updateClusterCPAssoc(c *rctx, _ obj, _ []string) error {
	p := c.p
	providers, err := p.strs("CapacityProviders")
	if err != nil {
		return err
	}
	strat, err := strategy(p, "DefaultCapacityProviderStrategy")
	if err != nil {
		return err
	}
	if _, err := c.e().PutClusterCapacityProviders(c.r.physical, nonNil(providers), nonNil(strat)); err != nil {
		return p.at("CapacityProviders", err)
	}
	return nil
}

// updateLaunchTemplate gives an AWS::EC2::LaunchTemplate a new version
// with the new LaunchTemplateData (CreateLaunchTemplateVersion): the
// template keeps its id, LatestVersionNumber is the new version's (its
// consumers, an Auto Scaling group naming it, update in turn), and the
// default version stays: CloudFormation does not set it.
func updateLaunchTemplate(c *rctx, old obj, changed []string) error {
	p := c.p
	if slices.Contains(changed, "TagSpecifications") {
		// The template's own tags change in place, without a new version.
		want, err := launchTemplateOwnTags(p)
		if err != nil {
			return err
		}
		was, err := launchTemplateOwnTags(old)
		if err != nil {
			return err
		}
		remove := map[string]*string{}
		for k := range was {
			if _, keep := want[k]; !keep {
				remove[k] = nil
			}
		}
		if err := c.e().TagEC2Resources([]string{c.r.physical}, engine.TagChange{Add: want, Remove: remove}); err != nil {
			return p.at("TagSpecifications", err)
		}
	}
	if !slices.Contains(changed, "LaunchTemplateData") && !slices.Contains(changed, "VersionDescription") {
		return nil
	}
	data, err := p.object("LaunchTemplateData")
	if err != nil {
		return err
	}
	d, err := c.launchTemplateData(data)
	if err != nil {
		return err
	}
	desc, err := p.str("VersionDescription")
	if err != nil {
		return err
	}
	_, num, err := c.e().CreateLaunchTemplateVersion(model.LaunchTemplateRef{ID: model.LaunchTemplateID(c.r.physical)}, desc, "", d)
	if err != nil {
		return p.at("LaunchTemplateData", err)
	}
	c.set("LatestVersionNumber", strconv.Itoa(num))
	return nil
}

// launchTemplateOwnTags are the tags an AWS::EC2::LaunchTemplate's
// TagSpecifications give the template itself (ResourceType
// launch-template; those of the instances it launches are in its
// LaunchTemplateData).
func launchTemplateOwnTags(p obj) (model.Tags, error) {
	out := model.Tags{}
	specs, err := p.objects("TagSpecifications")
	if err != nil {
		return nil, err
	}
	for _, spec := range specs {
		rt, err := spec.str("ResourceType")
		if err != nil {
			return nil, err
		}
		if rt != "launch-template" {
			continue // "To tag a launch template, ResourceType must be launch-template"
		}
		tags, err := spec.tagList()
		if err != nil {
			return nil, err
		}
		for k, v := range tags {
			out[k] = v
		}
	}
	return out, nil
}

// inPlaceValues reports whether a change of prop, from old to new (nil:
// absent), can be made in place, where the reference says that depends
// on the values: a VPC's tenancy changes in place only from dedicated to
// default; a capacity provider's Auto Scaling group
// (AutoScalingGroupProvider.AutoScalingGroupArn) is fixed.
func inPlaceValues(typ, prop string, old, new *node) bool {
	if typ == typeVPC && prop == "InstanceTenancy" {
		return old.scalar() == "dedicated" && (new == nil || new.scalar() == "default")
	}
	if typ == typeCapacityProvider && prop == "AutoScalingGroupProvider" {
		arn := func(n *node) any {
			if n == nil {
				return nil
			}
			return plainJSON(n.get("AutoScalingGroupArn"))
		}
		return reflect.DeepEqual(arn(old), arn(new))
	}
	return true
}
