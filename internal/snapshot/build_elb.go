package snapshot

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// lbKey returns "app/<name>/<id>" from a load balancer ARN: what its node
// ENIs' descriptions say after "ELB ".
func lbKey(arn string) string {
	_, after, ok := strings.Cut(arn, ":loadbalancer/")
	if !ok {
		return ""
	}
	return after
}

// listenerOfRule returns the listener ARN a rule ARN encodes:
// …:listener-rule/app/lb/lbid/lid/rid → …:listener/app/lb/lbid/lid.
func listenerOfRule(arn string) string {
	i := strings.Index(arn, ":listener-rule/")
	j := strings.LastIndexByte(arn, '/')
	if i < 0 || j <= i {
		return ""
	}
	return arn[:i] + ":listener/" + arn[i+len(":listener-rule/"):j]
}

func actions(in []elbAction) []model.ListenerAction {
	out := make([]model.ListenerAction, 0, len(in))
	for _, a := range in {
		x := model.ListenerAction{Type: a.Type, Order: int(a.Order.V), TargetGroupARN: a.TargetGroupArn}
		if a.ForwardConfig != nil {
			for _, tg := range a.ForwardConfig.TargetGroups {
				x.TargetGroups = append(x.TargetGroups, model.WeightedTargetGroup{ARN: tg.TargetGroupArn, Weight: int(cmp.Or(tg.Weight.V, 1))})
			}
			if x.TargetGroupARN == "" && len(x.TargetGroups) == 1 {
				x.TargetGroupARN = x.TargetGroups[0].ARN
			}
		}
		if f := a.FixedResponseConfig; f != nil {
			x.FixedResponse = &model.FixedResponse{StatusCode: f.StatusCode, ContentType: f.ContentType, MessageBody: f.MessageBody}
		}
		if len(a.RedirectConfig) > 0 {
			x.Redirect = map[string]string{}
			for k, v := range a.RedirectConfig {
				x.Redirect[k] = fmt.Sprint(v)
			}
		}
		out = append(out, x)
	}
	return out
}

func (b *builder) loadBalancers() {
	// Node ENIs by their description's "app/<name>/<id>".
	nodeENIs := map[string][]*model.NetworkInterface{}
	for _, n := range b.st.NetworkInterfaces {
		if m := lbDescRE.FindStringSubmatch(n.Description); m != nil {
			nodeENIs[m[1]] = append(nodeENIs[m[1]], n)
		}
	}
	for _, list := range nodeENIs {
		slices.SortFunc(list, func(x, y *model.NetworkInterface) int { return cmp.Compare(x.ID, y.ID) })
	}
	for _, it := range b.rd.lbs {
		l := it.v
		if l.LoadBalancerArn == "" {
			continue
		}
		lb := &model.LoadBalancer{ARN: l.LoadBalancerArn, Name: l.LoadBalancerName, DNSName: l.DNSName, CanonicalHostedZoneID: l.CanonicalHostedZoneID,
			Type: l.Type, Scheme: l.Scheme, VpcID: model.VpcID(l.VpcID), SecurityGroups: ids[model.SecurityGroupID](l.SecurityGroups),
			IPAddressType: l.IPAddressType, CrossZone: l.Type == "application", CreatedAt: l.CreatedTime.Time}
		if l.State != nil {
			lb.State = l.State.Code
		}
		key := lbKey(lb.ARN)
		enis := nodeENIs[key]
		for _, n := range enis {
			n.OwnerKind, n.ManagedBy = model.OwnedByLoadBalancer, lb.ARN
		}
		for _, z := range l.AvailabilityZones {
			node := model.LoadBalancerNode{SubnetID: model.SubnetID(z.SubnetID), AvailabilityZone: z.ZoneName}
			for _, a := range z.LoadBalancerAddresses {
				if a.AllocationID != "" {
					node.AllocationID = model.AllocationID(a.AllocationID)
				}
				// Described only as a subnet mapping gave them.
				if ip, err := netip.ParseAddr(a.PrivateIPv4Address); err == nil {
					node.FixedPrivateIPv4 = ip
				}
				if ip, err := netip.ParseAddr(a.IPv6Address); err == nil {
					node.FixedIPv6 = ip
				}
			}
			for _, n := range enis {
				if n.SubnetID == node.SubnetID {
					node.ENI = n.ID
					break
				}
			}
			if node.ENI == "" && !b.missing("NetworkInterfaces") {
				b.note("lb-no-eni", "load balancer nodes without an ENI", it.at.warning(CodeDangling, lb.ARN,
					fmt.Sprintf("load balancer %s has no node ENI in %s (%s) in the snapshot (none described \"ELB %s\"): it cannot be reached there", lb.Name, z.SubnetID, z.ZoneName, key)))
			}
			lb.Nodes = append(lb.Nodes, node)
		}
		b.st.LoadBalancers[lb.ARN] = lb
	}
	for key, enis := range nodeENIs {
		lbARN := enis[0].ManagedBy
		if lbARN == "" && !b.missing("LoadBalancers") {
			b.note("dangling-lb", "ENIs of load balancers not in the snapshot", b.eniAt[enis[0].ID].warning(CodeDangling, string(enis[0].ID),
				"ENI "+string(enis[0].ID)+" belongs to load balancer "+key+", which is not in the snapshot"))
		}
	}
	for _, it := range b.rd.listeners {
		l := it.v
		if l.ListenerArn == "" {
			continue
		}
		if b.st.LoadBalancers[l.LoadBalancerArn] == nil {
			b.note("dangling-listener", "listeners of load balancers not in the snapshot", it.at.warning(CodeDangling, l.ListenerArn, "listener "+l.ListenerArn+" belongs to a load balancer not in the snapshot"))
		}
		x := &model.Listener{ARN: l.ListenerArn, LoadBalancerARN: l.LoadBalancerArn, Port: uint16(l.Port.V), Protocol: l.Protocol,
			DefaultActions: actions(l.DefaultActions), SSLPolicy: l.SSLPolicy}
		for _, c := range l.Certificates {
			x.Certificates = append(x.Certificates, c.CertificateArn)
		}
		b.st.Listeners[x.ARN] = x
	}
	for _, it := range b.rd.rules {
		r := it.v
		if r.IsDefault || r.Priority == "default" || r.RuleArn == "" {
			continue
		}
		prio, err := strconv.Atoi(r.Priority)
		if err != nil {
			b.rd.warn(it.at.warning(CodeBadValue, r.RuleArn, "rule "+r.RuleArn+" skipped: priority "+quote(r.Priority)+" is not a number"))
			continue
		}
		x := &model.ListenerRule{ARN: r.RuleArn, ListenerARN: cmp.Or(r.ListenerArn, listenerOfRule(r.RuleArn)), Priority: prio, Actions: actions(r.Actions)}
		for _, c := range r.Conditions {
			vals, res, header := c.Values, c.RegexValues, ""
			for _, cfg := range []*elbValues{c.HostHeaderConfig, c.PathPatternConfig, c.HTTPRequestMethodConfig, c.SourceIPConfig, c.HTTPHeaderConfig} {
				if cfg == nil {
					continue
				}
				if len(vals) == 0 {
					vals = cfg.Values
				}
				if len(res) == 0 {
					res = cfg.RegexValues
				}
				header = cmp.Or(header, cfg.HTTPHeaderName)
			}
			if q := c.QueryStringConfig; q != nil && len(vals) == 0 {
				for _, kv := range q.Values {
					vals = append(vals, kv.Key+"="+kv.Value) // model.RuleCondition's form
				}
			}
			if len(res) > 0 {
				vals = nil // a condition takes values or expressions
			}
			x.Conditions = append(x.Conditions, model.RuleCondition{Field: c.Field, HeaderName: header, Values: vals, RegexValues: res})
		}
		for _, t := range r.Transforms {
			cfg := t.UrlRewriteConfig
			if t.Type == model.TransformHostHeaderRewrite {
				cfg = t.HostHeaderRewriteConfig
			}
			if cfg == nil || len(cfg.Rewrites) == 0 {
				continue
			}
			x.Transforms = append(x.Transforms, model.RuleTransform{Type: t.Type, Regex: cfg.Rewrites[0].Regex, Replace: cfg.Rewrites[0].Replace})
		}
		b.st.ListenerRules[x.ARN] = x
	}
	for _, it := range b.rd.tgs {
		t := it.v
		if t.TargetGroupArn == "" {
			continue
		}
		tg := &model.TargetGroup{ARN: t.TargetGroupArn, Name: t.TargetGroupName, Protocol: t.Protocol, ProtocolVersion: t.ProtocolVersion,
			Port: uint16(t.Port.V), VpcID: model.VpcID(t.VpcID), TargetType: cmp.Or(t.TargetType, "instance"), IPAddressType: t.IPAddressType,
			HealthCheck: model.HealthCheck{Enabled: t.HealthCheckEnabled, Protocol: t.HealthCheckProtocol, Port: t.HealthCheckPort,
				Path: t.HealthCheckPath, IntervalSeconds: int(t.HealthCheckIntervalSeconds.V), TimeoutSeconds: int(t.HealthCheckTimeoutSeconds.V),
				HealthyThreshold: int(t.HealthyThresholdCount.V), UnhealthyThreshold: int(t.UnhealthyThresholdCount.V)}}
		if t.Matcher != nil {
			tg.HealthCheck.Matcher = cmp.Or(t.Matcher.HTTPCode, t.Matcher.GrpcCode)
		}
		b.st.TargetGroups[tg.ARN] = tg
	}
	b.elbAttributes()
	for _, p := range b.rd.pendingHealths {
		arn := ""
		for _, tg := range b.st.TargetGroups {
			if id := tg.ARN[strings.LastIndexByte(tg.ARN, '/')+1:]; id != "" && strings.Contains(p.file, id) {
				arn = tg.ARN
				break
			}
		}
		if arn == "" {
			b.rd.warn(p.at.warning(CodeBadValue, "", "TargetHealthDescriptions skipped: the file does not say which target group they belong to; "+
				"name it after the group (elbv2-describe-target-health-<name>-<id>.json, the id being the last part of the group's ARN) "+
				"or add \"TargetGroupArn\" beside the list"))
			continue
		}
		th := elbTargetHealth{TargetGroupArn: arn}
		for _, d := range p.descs {
			th.TargetHealthDescriptions = append(th.TargetHealthDescriptions, d.v)
		}
		b.rd.health = append(b.rd.health, item[elbTargetHealth]{th, p.at})
	}
	for _, it := range b.rd.health {
		h := it.v
		tg := b.st.TargetGroups[h.TargetGroupArn]
		if tg == nil {
			b.note("dangling-health", "target health of target groups not in the snapshot", it.at.warning(CodeDangling, h.TargetGroupArn,
				"target health of "+h.TargetGroupArn+" skipped: the target group is not in the snapshot"))
			continue
		}
		targets := tg.Targets.Slice()
		type key struct {
			id   string
			port uint16
		}
		// An index of the targets by id and port keeps the merge linear.
		at := make(map[key]int, len(targets))
		for i, x := range targets {
			if _, dup := at[key{x.ID, x.Port}]; !dup {
				at[key{x.ID, x.Port}] = i
			}
		}
		for _, d := range h.TargetHealthDescriptions {
			if d.Target.ID == "" {
				continue
			}
			port := uint16(d.Target.Port.V)
			if port == 0 {
				port = tg.Port
			}
			t := model.Target{ID: d.Target.ID, Port: port, AvailabilityZone: cmp.Or(d.Target.AvailabilityZone, b.targetZone(tg, d.Target.ID)), Draining: d.TargetHealth.State == "draining"}
			if i, ok := at[key{t.ID, t.Port}]; ok {
				targets[i] = t
				continue
			}
			at[key{t.ID, t.Port}] = len(targets)
			targets = append(targets, t)
		}
		tg.Targets = model.NewTargetList(targets...)
	}
}

// ---- Auto Scaling and launch templates ----

func ltRef(r *ec2LaunchTmplRef) *model.LaunchTemplateRef {
	if r == nil || (r.LaunchTemplateID == "" && r.LaunchTemplateName == "") {
		return nil
	}
	return &model.LaunchTemplateRef{ID: model.LaunchTemplateID(r.LaunchTemplateID), Name: r.LaunchTemplateName, Version: r.Version}
}

func (b *builder) autoScaling() {
	versions := map[string][]model.LaunchTemplateVersion{}
	for _, it := range b.rd.ltVersions {
		v := it.v
		d := v.LaunchTemplateData
		data := model.LaunchTemplateData{ImageID: d.ImageID, InstanceType: d.InstanceType, KeyName: d.KeyName,
			SecurityGroupIDs: ids[model.SecurityGroupID](d.SecurityGroupIDs), UserData: d.UserData}
		if d.IamInstanceProfile != nil {
			data.IAMProfileARN, data.IAMProfileName = d.IamInstanceProfile.Arn, d.IamInstanceProfile.Name
		}
		if m := d.MetadataOptions; m != nil {
			data.Metadata = &model.LaunchTemplateMetadataOptions{HTTPTokens: m.HTTPTokens, HTTPEndpoint: m.HTTPEndpoint,
				HTTPProtocolIPv6: m.HTTPProtocolIpv6, InstanceMetadataTags: m.InstanceMetadataTags, HopLimit: m.HTTPPutResponseHopLimit}
		}
		for _, ni := range d.NetworkInterfaces {
			data.NetworkInterfaces = append(data.NetworkInterfaces, model.LaunchTemplateNetworkInterface{DeviceIndex: int(ni.DeviceIndex.V),
				AssociatePublicIPAddress: ni.AssociatePublicIPAddress, SubnetID: model.SubnetID(ni.SubnetID),
				Groups: ids[model.SecurityGroupID](ni.Groups), DeleteOnTermination: ni.DeleteOnTermination})
		}
		versions[v.LaunchTemplateID] = append(versions[v.LaunchTemplateID], model.LaunchTemplateVersion{Number: int(v.VersionNumber.V),
			Description: v.VersionDescription, Data: data, CreatedAt: v.CreateTime.Time})
	}
	for _, it := range b.rd.ltemplates {
		t := it.v
		vs := versions[t.LaunchTemplateID]
		if len(vs) == 0 {
			// A template without versions cannot be launched from; the
			// model needs at least one.
			if !b.missing("LaunchTemplateVersions") || len(b.rd.asgs) > 0 {
				b.note("lt-no-versions", "launch templates without versions", it.at.warning(CodeMissing, t.LaunchTemplateID,
					"launch template "+t.LaunchTemplateID+" skipped: no describe-launch-template-versions output for it"))
			}
			continue
		}
		slices.SortFunc(vs, func(x, y model.LaunchTemplateVersion) int { return x.Number - y.Number })
		vs = slices.CompactFunc(vs, func(x, y model.LaunchTemplateVersion) bool { return x.Number == y.Number })
		lt := &model.LaunchTemplate{ID: model.LaunchTemplateID(t.LaunchTemplateID), Name: t.LaunchTemplateName,
			DefaultVersion: int(cmp.Or(t.DefaultVersionNumber.V, int64(vs[0].Number))), Versions: vs, CreatedAt: t.CreateTime.Time, Tags: ec2Tags(t.Tags)}
		b.st.LaunchTemplates[lt.ID] = lt
	}
	for _, it := range b.rd.launchConfigs {
		c := it.v
		if c.LaunchConfigurationName == "" {
			continue
		}
		b.st.LaunchConfigurations[c.LaunchConfigurationName] = &model.LaunchConfiguration{Name: c.LaunchConfigurationName,
			ARN: c.LaunchConfigurationARN, ImageID: c.ImageID, InstanceType: c.InstanceType, SecurityGroups: ids[model.SecurityGroupID](c.SecurityGroups),
			UserData: c.UserData, AssociatePublicIPAddress: c.AssociatePublicIPAddress, IAMProfile: c.IamInstanceProfile, KeyName: c.KeyName,
			CreatedAt: c.CreatedTime.Time}
	}
	for _, it := range b.rd.asgs {
		g := it.v
		if g.AutoScalingGroupName == "" {
			continue
		}
		asg := &model.AutoScalingGroup{Name: g.AutoScalingGroupName, ARN: g.AutoScalingGroupARN, LaunchTemplate: ltRef(g.LaunchTemplate),
			LaunchConfiguration: g.LaunchConfigurationName, MinSize: int(g.MinSize.V), MaxSize: int(g.MaxSize.V), DesiredCapacity: int(g.DesiredCapacity.V),
			TargetGroupARNs: g.TargetGroupARNs, HealthCheckType: g.HealthCheckType, HealthCheckGracePeriod: int(g.HealthCheckGracePeriod.V),
			NewInstancesProtected: g.NewInstancesProtectedFromScaleIn, CapacityRebalance: g.CapacityRebalance, CreatedAt: g.CreatedTime.Time,
			Status: g.Status, LaunchCount: len(g.Instances), DefaultCooldown: int(g.DefaultCooldown.V)}
		if asg.DefaultCooldown == 0 {
			asg.DefaultCooldown = 300 // describe-auto-scaling-groups always sends it; 300 is the default
		}
		if asg.LaunchTemplate == nil && g.MixedInstancesPolicy != nil {
			asg.LaunchTemplate = ltRef(g.MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification)
		}
		for _, s := range strings.Split(g.VPCZoneIdentifier, ",") {
			if s = strings.TrimSpace(s); s != "" {
				asg.Subnets = append(asg.Subnets, model.SubnetID(s))
			}
		}
		if len(asg.Subnets) == 0 && len(g.AvailabilityZones) > 0 {
			// A group given zones, not subnets: AWS answers no
			// VPCZoneIdentifier, and it launches into the zones'
			// default subnets.
			asg.ZonesOnly = true
			for _, zone := range g.AvailabilityZones {
				for _, sn := range sortedValues(b.st.Subnets) {
					if sn.DefaultForAZ && sn.AvailabilityZone == zone {
						asg.Subnets = append(asg.Subnets, sn.ID)
					}
				}
			}
		}
		for _, t := range g.Tags {
			asg.Tags = append(asg.Tags, model.ASGTag{Key: t.Key, Value: t.Value, PropagateAtLaunch: t.PropagateAtLaunch != nil && *t.PropagateAtLaunch})
		}
		for _, in := range g.Instances {
			if i := b.st.Instances[model.InstanceID(in.InstanceID)]; i != nil {
				i.AutoScalingGroup = asg.Name
			} else if in.LifecycleState != "Terminated" && !b.missing("Reservations") {
				b.note("dangling-asg-instance", "Auto Scaling group instances not in the snapshot", it.at.warning(CodeDangling, in.InstanceID,
					"Auto Scaling group "+asg.Name+" lists instance "+in.InstanceID+", which is not in describe-instances"))
			}
		}
		b.st.AutoScalingGroups[asg.Name] = asg
	}
}

// TargetHealthFileName is the file name ecsnet collect and
// scripts/collect.sh give one target group's describe-target-health
// output: elbv2-describe-target-health-<name>-<id>.json, from the group's
// ARN (…:targetgroup/<name>/<id>). Load finds the group of a bare
// TargetHealthDescriptions file by the id in its name.
func TargetHealthFileName(tgARN string) string {
	i := strings.Index(tgARN, ":targetgroup/")
	if i < 0 {
		return "elbv2-describe-target-health.json"
	}
	return "elbv2-describe-target-health-" + strings.ReplaceAll(tgARN[i+len(":targetgroup/"):], "/", "-") + ".json"
}

// targetZone is the Availability Zone of a registered target whose
// describe-target-health output does not say it: AWS gives a target's
// AvailabilityZone only for ip targets (instance targets serve in their
// instance's zone), so an instance target takes its instance's zone, and an
// ip target the zone of the subnet of its group's VPC holding the address
// ("all" outside the VPC), as the engine decides at RegisterTargets.
func (b *builder) targetZone(tg *model.TargetGroup, id string) string {
	if inst := b.st.Instances[model.InstanceID(id)]; inst != nil {
		return inst.AvailabilityZone
	}
	a, err := netip.ParseAddr(id)
	if err != nil {
		return ""
	}
	for _, s := range b.st.Subnets {
		if s.VpcID == tg.VpcID && s.CIDR.IsValid() && s.CIDR.Contains(a) {
			return s.AvailabilityZone
		}
	}
	if a.Is4() && tg.TargetType == "ip" {
		if v := b.st.VPCs[tg.VpcID]; v != nil && !slices.ContainsFunc(v.CIDRs(), func(p netip.Prefix) bool { return p.Contains(a) }) {
			return "all"
		}
	}
	return ""
}

// classicLoadBalancers builds the Classic Load Balancers of elb
// describe-load-balancers (LoadBalancerDescriptions): their listeners,
// health check and registered instances, and a node in each subnet (the
// ENI described "ELB <name>"). describe-load-balancer-attributes names no
// load balancer in its output, so cross-zone load balancing is taken as
// on ([choice]: the console's default; the API's is off).
func (b *builder) classicLoadBalancers() {
	if len(b.rd.clbs) == 0 {
		return
	}
	attrs := map[string]item[elbClassicAttributes]{}
	for _, it := range b.rd.clbAttrs {
		attrs[it.v.LoadBalancerName] = it
	}
	// A load balancer without its attributes file, when the call was
	// made, is undecided: the API's defaults may not be its own.
	made := b.rd.seen["LoadBalancerAttributes"] || b.rd.collected["elb describe-load-balancer-attributes"]
	have := map[string]bool{}
	for name := range attrs {
		have[name] = true
	}
	var owners []attributesOwner
	for _, it := range b.rd.clbs {
		owners = append(owners, attributesOwner{it.v.LoadBalancerName, "Classic Load Balancer " + it.v.LoadBalancerName, ClassicAttributesFileName(it.v.LoadBalancerName), it.at})
	}
	b.missingAttributeFiles("elb describe-load-balancer-attributes", made, owners, have, "missing-clb-attributes", "Classic Load Balancers without their attributes",
		"cross-zone load balancing off, as CreateLoadBalancer makes it; connection draining off; idle timeout 60 s")
	policies := map[string]item[elbClassicPolicies]{}
	for _, it := range b.rd.clbPolicies {
		policies[it.v.LoadBalancerName] = it
	}
	nodeENIs := map[string][]*model.NetworkInterface{}
	for _, n := range b.st.NetworkInterfaces {
		if name, ok := strings.CutPrefix(n.Description, "ELB "); ok && !strings.Contains(name, "/") {
			nodeENIs[name] = append(nodeENIs[name], n)
		}
	}
	for _, it := range b.rd.clbs {
		c := it.v
		if c.LoadBalancerName == "" {
			continue
		}
		lb := &model.ClassicLoadBalancer{Name: c.LoadBalancerName, DNSName: c.DNSName, Scheme: c.Scheme, VpcID: model.VpcID(c.VPCId),
			Subnets: ids[model.SubnetID](c.Subnets), AvailabilityZones: slices.Clone(c.AvailabilityZones),
			SecurityGroups: ids[model.SecurityGroupID](c.SecurityGroups), CreatedAt: c.CreatedTime.Time,
			HealthCheck: model.ClassicHealthCheck{Target: c.HealthCheck.Target, Interval: int(c.HealthCheck.Interval.V), Timeout: int(c.HealthCheck.Timeout.V),
				UnhealthyThreshold: int(c.HealthCheck.UnhealthyThreshold.V), HealthyThreshold: int(c.HealthCheck.HealthyThreshold.V)}}
		for _, l := range c.ListenerDescriptions {
			lb.Listeners = append(lb.Listeners, model.ClassicListener{Protocol: strings.ToUpper(l.Listener.Protocol), LoadBalancerPort: int(l.Listener.LoadBalancerPort.V),
				InstanceProtocol: strings.ToUpper(l.Listener.InstanceProtocol), InstancePort: int(l.Listener.InstancePort.V), SSLCertificateID: l.Listener.SSLCertificateID})
		}
		for _, i := range c.Instances {
			lb.Instances = append(lb.Instances, model.InstanceID(i.InstanceID))
		}
		for _, l := range c.ListenerDescriptions {
			if len(l.PolicyNames) > 0 {
				if lb.ListenerPolicies == nil {
					lb.ListenerPolicies = map[int][]string{}
				}
				lb.ListenerPolicies[int(l.Listener.LoadBalancerPort.V)] = slices.Clone(l.PolicyNames)
			}
		}
		for _, d := range c.BackendServerDescriptions {
			if len(d.PolicyNames) > 0 {
				if lb.BackendPolicies == nil {
					lb.BackendPolicies = map[int][]string{}
				}
				lb.BackendPolicies[int(d.InstancePort.V)] = slices.Clone(d.PolicyNames)
			}
		}
		if a, ok := attrs[lb.Name]; ok {
			lb.Attributes = classicAttributes(a.v)
		} else if !made {
			// A snapshot from before the attributes were collected: the
			// API's defaults (CreateLoadBalancer turns cross-zone load
			// balancing off; the console turns it on), said once per
			// load balancer, the probes decided on them.
			b.note("clb-attributes-not-collected", "Classic Load Balancers without their attributes", it.at.warning(CodeMissing, lb.Name,
				"Classic Load Balancer "+lb.Name+" has no describe-load-balancer-attributes output in the snapshot (the call was not made; "+
					ClassicAttributesFileName(lb.Name)+"): the API's defaults are taken (cross-zone load balancing off, connection draining off, idle timeout 60 s)"))
		}
		if p, ok := policies[lb.Name]; ok {
			for _, d := range p.v.PolicyDescriptions {
				lb.Policies = append(lb.Policies, classicPolicy(d))
			}
		} else if (b.rd.seen["PolicyDescriptions"] || b.rd.collected["elb describe-load-balancer-policies"]) && (len(lb.ListenerPolicies) > 0 || len(lb.BackendPolicies) > 0) {
			b.note("missing-clb-policies", "Classic Load Balancers without their policies", it.at.warning(CodeMissing, lb.Name,
				"Classic Load Balancer "+lb.Name+" has no describe-load-balancer-policies output in the snapshot: what its listeners' and instance ports' policies (proxy protocol, stickiness) do is unknown"))
		}
		enis := nodeENIs[lb.Name]
		slices.SortFunc(enis, func(x, y *model.NetworkInterface) int { return cmp.Compare(x.ID, y.ID) })
		for _, n := range enis {
			n.OwnerKind, n.ManagedBy = model.OwnedByClassicLoadBalancer, lb.Name
		}
		for _, sid := range lb.Subnets {
			node := model.LoadBalancerNode{SubnetID: sid}
			if s := b.st.Subnets[sid]; s != nil {
				node.AvailabilityZone = s.AvailabilityZone
			}
			for _, n := range enis {
				if n.SubnetID == sid {
					node.ENI = n.ID
					if node.AvailabilityZone == "" {
						node.AvailabilityZone = n.AvailabilityZone
					}
					break
				}
			}
			if node.ENI == "" && !b.missing("NetworkInterfaces") {
				b.note("clb-no-eni", "Classic Load Balancer nodes without an ENI", it.at.warning(CodeDangling, lb.Name,
					fmt.Sprintf("Classic Load Balancer %s has no node ENI in %s in the snapshot (none described \"ELB %s\"): it cannot be reached there", lb.Name, sid, lb.Name)))
			}
			lb.Nodes = append(lb.Nodes, node)
		}
		b.st.ClassicLoadBalancers[lb.Name] = lb
	}
}

// classicAttributes turns a Classic Load Balancer's
// describe-load-balancer-attributes into the model's attributes: like the
// model, which keeps those set, AWS's defaults (cross-zone off, access
// logs off, connection draining off with 300 s, idle timeout 60 s, desync
// mitigation defensive) are left out.
func classicAttributes(a elbClassicAttributes) map[string]string {
	out := map[string]string{}
	x := a.LoadBalancerAttributes
	set := func(k, v, def string) {
		if v != def {
			out[k] = v
		}
	}
	if x.CrossZoneLoadBalancing != nil {
		set("CrossZoneLoadBalancing.Enabled", strconv.FormatBool(x.CrossZoneLoadBalancing.Enabled), "false")
	}
	if x.AccessLog != nil && x.AccessLog.Enabled {
		out["AccessLog.Enabled"] = "true"
		set("AccessLog.S3BucketName", x.AccessLog.S3BucketName, "")
		set("AccessLog.S3BucketPrefix", x.AccessLog.S3BucketPrefix, "")
		if x.AccessLog.EmitInterval != nil {
			set("AccessLog.EmitInterval", strconv.FormatInt(x.AccessLog.EmitInterval.V, 10), "60")
		}
	}
	if x.ConnectionDraining != nil {
		set("ConnectionDraining.Enabled", strconv.FormatBool(x.ConnectionDraining.Enabled), "false")
		if x.ConnectionDraining.Timeout != nil {
			set("ConnectionDraining.Timeout", strconv.FormatInt(x.ConnectionDraining.Timeout.V, 10), "300")
		}
	}
	if x.ConnectionSettings != nil && x.ConnectionSettings.IdleTimeout != nil {
		set("ConnectionSettings.IdleTimeout", strconv.FormatInt(x.ConnectionSettings.IdleTimeout.V, 10), "60")
	}
	for _, ad := range x.AdditionalAttributes {
		if ad.Key != "" {
			set(ad.Key, ad.Value, map[string]string{"elb.http.desyncmitigationmode": "defensive"}[ad.Key])
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// classicPolicy is a policy of describe-load-balancer-policies: a
// stickiness policy's cookie as the model keeps it, the attributes of the
// others (ProxyProtocol true, an SSL negotiation's protocols and ciphers).
func classicPolicy(d elbPolicyDescription) model.ClassicPolicy {
	p := model.ClassicPolicy{Name: d.PolicyName, TypeName: d.PolicyTypeName}
	for _, a := range d.PolicyAttributeDescriptions {
		switch {
		case d.PolicyTypeName == "LBCookieStickinessPolicyType" && a.AttributeName == "CookieExpirationPeriod":
			p.CookieExpirationPeriod, _ = strconv.ParseInt(a.AttributeValue, 10, 64)
		case d.PolicyTypeName == "AppCookieStickinessPolicyType" && a.AttributeName == "CookieName":
			p.CookieName = a.AttributeValue
		default:
			p.Attributes = append(p.Attributes, [2]string{a.AttributeName, a.AttributeValue})
		}
	}
	return p
}

// elbAttributes puts describe-target-group-attributes' and
// describe-load-balancer-attributes' answers on their groups and load
// balancers: preserve_client_ip.enabled, proxy_protocol_v2.enabled,
// load_balancing.cross_zone.enabled, deregistration_delay, idle_timeout and
// the others the analyzer reads. A load balancer's
// load_balancing.cross_zone.enabled is its CrossZone. Like the model, which
// keeps the attributes set, AWS's defaults are left out. A snapshot
// without them (older ones) keeps AWS's defaults.
func (b *builder) elbAttributes() {
	b.missingAttributes()
	for _, it := range b.rd.tgAttrs {
		tg := b.st.TargetGroups[it.v.TargetGroupArn]
		if tg == nil {
			b.rd.warn(it.at.warning(CodeDangling, it.v.TargetGroupArn, "the attributes of target group "+it.v.TargetGroupArn+" skipped: the group is not in the snapshot"))
			continue
		}
		defaults := engine.TargetGroupAttributeDefaults(tg)
		for _, a := range it.v.Attributes {
			if a.Key == "" || slices.Contains(defaults, [2]string{a.Key, a.Value}) {
				// AWS's default: the model keeps the attributes set.
				continue
			}
			if tg.Attributes == nil {
				tg.Attributes = map[string]string{}
			}
			tg.Attributes[a.Key] = a.Value
		}
	}
	for _, it := range b.rd.lbAttrs {
		lb := b.st.LoadBalancers[it.v.LoadBalancerArn]
		if lb == nil {
			b.rd.warn(it.at.warning(CodeDangling, it.v.LoadBalancerArn, "the attributes of load balancer "+it.v.LoadBalancerArn+" skipped: the load balancer is not in the snapshot"))
			continue
		}
		defaults := engine.LoadBalancerAttributeDefaults(lb)
		for _, a := range it.v.Attributes {
			switch {
			case a.Key == "":
			case a.Key == "load_balancing.cross_zone.enabled":
				// Always on for an ALB (ELB user guide, "Cross-zone load
				// balancing for target groups").
				lb.CrossZone = a.Value == "true" || lb.Type == "application"
			case slices.Contains(defaults, [2]string{a.Key, a.Value}):
			default:
				if lb.Attributes == nil {
					lb.Attributes = map[string]string{}
				}
				lb.Attributes[a.Key] = a.Value
			}
		}
	}
}

// missingAttributes warns of each target group and load balancer whose
// attributes file is missing from a snapshot that holds the others', or
// whose manifest records the call (a snapshot without any, from before
// they were collected, is not warned of: AWS's defaults are taken, as
// they always were). What
// the attributes decide (preserve_client_ip, proxy_protocol_v2, cross-zone
// load balancing) is then unknown: probes through them are undecided.
func (b *builder) missingAttributes() {
	var tgs, lbs []attributesOwner
	for _, it := range b.rd.tgs {
		tgs = append(tgs, attributesOwner{it.v.TargetGroupArn, "target group " + it.v.TargetGroupName, TargetGroupAttributesFileName(it.v.TargetGroupArn), it.at})
	}
	for _, it := range b.rd.lbs {
		lbs = append(lbs, attributesOwner{it.v.LoadBalancerArn, "load balancer " + it.v.LoadBalancerName, LoadBalancerAttributesFileName(it.v.LoadBalancerArn), it.at})
	}
	haveTG, haveLB := map[string]bool{}, map[string]bool{}
	for _, it := range b.rd.tgAttrs {
		haveTG[it.v.TargetGroupArn] = true
	}
	for _, it := range b.rd.lbAttrs {
		haveLB[it.v.LoadBalancerArn] = true
	}
	b.missingAttributeFiles("elbv2 describe-target-group-attributes", b.rd.seen[seenTargetGroupAttributes], tgs, haveTG,
		"missing-tg-attributes", "target groups without their attributes", "preserve_client_ip, proxy_protocol_v2, …")
	b.missingAttributeFiles("elbv2 describe-load-balancer-attributes", b.rd.seen[seenLoadBalancerAttributes], lbs, haveLB,
		"missing-lb-attributes", "load balancers without their attributes", "cross-zone load balancing, idle timeout, …")
}

// attributesOwner is a resource whose attributes come from a call of its
// own (one file each): its id (ARN or name), what it is, the file.
type attributesOwner struct {
	id, what, file string
	at             pos
}

// missingAttributeFiles warns of each owner without its attributes file
// when the snapshot shows the call was made (made: another owner's file is
// there; or the manifest records call), and leaves probes through it
// undecided: AWS's defaults (named in defaults) are taken, which may not
// be the resource's.
func (b *builder) missingAttributeFiles(call string, made bool, owners []attributesOwner, have map[string]bool, category, label, defaults string) {
	if !made && !b.rd.collected[call] {
		return
	}
	op := call[strings.IndexByte(call, ' ')+1:]
	for _, o := range owners {
		if o.id == "" || have[o.id] {
			continue
		}
		w := o.at.warning(CodeMissing, o.id, o.what+" has no "+op+" output in the snapshot ("+o.file+"): AWS's defaults are taken for its attributes ("+defaults+")")
		b.note(category, label, w)
		b.unknown[o.id] = w
	}
}

// TargetGroupAttributesFileName is the file name ecsnet collect and Write
// give one target group's describe-target-group-attributes output with
// the group's ARN beside it ({"TargetGroupArn": …, "Attributes": […]}):
// elbv2-describe-target-group-attributes-<name>-<id>.json.
func TargetGroupAttributesFileName(tgARN string) string {
	i := strings.Index(tgARN, ":targetgroup/")
	if i < 0 {
		return "elbv2-describe-target-group-attributes.json"
	}
	return "elbv2-describe-target-group-attributes-" + strings.ReplaceAll(tgARN[i+len(":targetgroup/"):], "/", "-") + ".json"
}

// LoadBalancerAttributesFileName is the file name ecsnet collect and Write
// give one load balancer's describe-load-balancer-attributes output with
// its ARN beside it ({"LoadBalancerArn": …, "Attributes": […]}):
// elbv2-describe-load-balancer-attributes-<type>-<name>-<id>.json.
func LoadBalancerAttributesFileName(lbARN string) string {
	i := strings.Index(lbARN, ":loadbalancer/")
	if i < 0 {
		return "elbv2-describe-load-balancer-attributes.json"
	}
	return "elbv2-describe-load-balancer-attributes-" + strings.ReplaceAll(lbARN[i+len(":loadbalancer/"):], "/", "-") + ".json"
}
