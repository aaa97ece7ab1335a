package terraform

import (
	"cmp"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Network Firewall: aws_networkfirewall_rule_group,
// aws_networkfirewall_firewall_policy and aws_networkfirewall_firewall,
// read as the CloudFormation reader reads AWS::NetworkFirewall::*. A rule
// group's rules and a policy's flattened rules are kept by ARN on the
// loader until the firewall naming the policy is created: stateless rules
// by group priority, then rule priority; stateful groups by priority.
// Stateful rules (stateful_rule headers, Suricata rule strings in
// rules_string or rules, domain lists in rules_source_list, with the
// group's rule_variables) are read by model.FirewallStatefulGroup; a rule
// it cannot read is a warning and left out, and a policy with such a
// group, or an AWS managed group, passes what it would decide. The
// firewall's firewall_status[0].sync_states lists each zone's endpoint
// (attachment[0].endpoint_id), which routes name by vpc_endpoint_id.

// firewallGroup is a rule group's rules as a policy flattens them.
type firewallGroup struct {
	stateless  []model.FirewallStatelessRule
	stateful   []model.FirewallStatefulRule
	unmodelled bool // Suricata rules or a domain list
}

// firewallPolicy is a firewall policy as it is kept until a firewall
// names it.
type firewallPolicy struct {
	policy     model.FirewallPolicy
	unmodelled bool
}

func (l *loader) firewallGroupsMap() map[string]firewallGroup {
	if l.firewallGroups == nil {
		l.firewallGroups = map[string]firewallGroup{}
	}
	return l.firewallGroups
}

func (l *loader) firewallPoliciesMap() map[string]firewallPolicy {
	if l.firewallPolicies == nil {
		l.firewallPolicies = map[string]firewallPolicy{}
	}
	return l.firewallPolicies
}

// firewallARN is the ARN of a Network Firewall resource of the
// provider's account and region.
func (c *rctx) firewallARN(resource string) string {
	cfg := c.e().Config()
	return model.ARN(cfg.Region, "network-firewall", cfg.Account, resource)
}

// firewallPrefixes reads blocks of address_definition (a stateless
// rule's source and destination).
func firewallPrefixes(o obj, k string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, d := range o.blocks(k) {
		s := d.str("address_definition")
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, d.err("address_definition", "%s.address_definition: %q is not a CIDR block", k, s)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func createFirewallRuleGroup(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	typ, err := c.req("type")
	if err != nil {
		return err
	}
	c.o.get("capacity")
	c.o.get("description")
	var g firewallGroup
	rg := c.o.block("rule_group")
	src := rg.block("rules_source")
	sg := model.FirewallStatefulGroup{Name: name, RulesString: c.o.str("rules")}
	if rs := src.str("rules_string"); rs != "" {
		sg.RulesString = rs
	}
	for _, dl := range src.blocks("rules_source_list") {
		sg.DomainList = &model.FirewallDomainList{Type: dl.str("generated_rules_type"), TargetTypes: dl.strSet("target_types"), Targets: dl.strSet("targets")}
	}
	vars := rg.block("rule_variables")
	for _, v := range []struct {
		list, item string
		out        *map[string][]string
	}{{"ip_sets", "ip_set", &sg.IPSets}, {"port_sets", "port_set", &sg.PortSets}} {
		for _, b := range vars.blocks(v.list) {
			if *v.out == nil {
				*v.out = map[string][]string{}
			}
			(*v.out)[b.str("key")] = b.block(v.item).strSet("definition")
		}
	}
	for _, r := range src.block("stateless_rules_and_custom_actions").blocks("stateless_rule") {
		prio, err := r.integer("priority", 0)
		if err != nil {
			return err
		}
		def := r.block("rule_definition")
		act := ""
		for _, a := range def.strSet("actions") {
			if a == "aws:pass" || a == "aws:drop" || a == "aws:forward_to_sfe" {
				act = a
			}
		}
		ma := def.block("match_attributes")
		var m model.FirewallMatch
		if m.Sources, err = firewallPrefixes(ma, "source"); err != nil {
			return err
		}
		if m.Destinations, err = firewallPrefixes(ma, "destination"); err != nil {
			return err
		}
		protos := ma.strSet("protocols")
		ports := ma.blocks("destination_port")
		// One modelled rule per protocol and port range (a rule of several
		// matches any of them).
		if len(protos) == 0 {
			protos = []string{""}
		}
		if len(ports) == 0 {
			ports = []obj{{}}
		}
		for _, pr := range protos {
			for _, pt := range ports {
				x := m
				if pr != "" {
					n, _ := strconv.Atoi(pr)
					if x.Protocol = model.FirewallProtocol(n); x.Protocol == "" {
						continue
					}
				}
				if pt.v != cty.NilVal {
					from, err := pt.integer("from_port", 0)
					if err != nil {
						return err
					}
					to, err := pt.integer("to_port", from)
					if err != nil {
						return err
					}
					x.FromPort, x.ToPort = uint16(from), uint16(to)
				}
				g.stateless = append(g.stateless, model.FirewallStatelessRule{Name: name + " priority " + strconv.Itoa(prio), Priority: prio, Match: x, Action: act})
			}
		}
	}
	for _, r := range src.blocks("stateful_rule") {
		h := r.block("header")
		hr := model.FirewallHeaderRule{Action: r.str("action"), Direction: h.str("direction"), SourcePort: h.str("source_port"),
			Header: model.FirewallHeader{Protocol: h.str("protocol"), Source: h.str("source"), Destination: h.str("destination"), DestinationPort: h.str("destination_port")}}
		for _, o := range r.blocks("rule_option") {
			hr.Options = append(hr.Options, [2]string{o.str("keyword"), strings.Join(o.strSet("settings"), ",")})
		}
		sg.Headers = append(sg.Headers, hr)
	}
	stateful, problems := sg.Rules()
	for _, pr := range problems {
		// Left out, and the policy's stateful default action with it.
		c.l.warnf(c.r.rng, "%s: %v: ecsnet leaves the rule out", c.addr, pr)
		g.unmodelled = true
	}
	g.stateful = append(g.stateful, stateful...)
	rg.block("stateful_rule_options").get("rule_order")
	arn := c.firewallARN(strings.ToLower(typ) + "-rulegroup/" + name)
	c.l.firewallGroupsMap()[arn] = g
	c.created(arn, name)
	c.set("arn", arn)
	c.set("update_token", "00000000-0000-0000-0000-000000000000")
	return nil
}

func createFirewallPolicy(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	c.o.get("description")
	fp := c.o.block("firewall_policy")
	var out firewallPolicy
	pol := &out.policy
	pol.StatelessDefault = "aws:forward_to_sfe"
	for _, a := range fp.strSet("stateless_default_actions") {
		if a == "aws:pass" || a == "aws:drop" || a == "aws:forward_to_sfe" {
			pol.StatelessDefault = a
		}
	}
	fp.get("stateless_fragment_default_actions")
	pol.StrictOrder = fp.block("stateful_engine_options").str("rule_order") == "STRICT_ORDER"
	for _, d := range fp.strSet("stateful_default_actions") {
		if d == "aws:drop_strict" || d == "aws:drop_established" {
			pol.StatefulDefault = d
		}
	}
	for _, rv := range fp.block("policy_variables").blocks("rule_variables") {
		if rv.str("key") != "HOME_NET" {
			continue
		}
		for _, d := range rv.block("ip_set").strSet("definition") {
			p, err := netip.ParsePrefix(d)
			if err != nil {
				return rv.err("ip_set", "policy_variables HOME_NET: %q is not a CIDR block", d)
			}
			pol.HomeNet = append(pol.HomeNet, p.Masked())
		}
	}
	type ref struct {
		prio int
		g    firewallGroup
	}
	groups := c.l.firewallGroupsMap()
	for _, k := range []string{"stateless_rule_group_reference", "stateful_rule_group_reference"} {
		var refs []ref
		for i, r := range fp.blocks(k) {
			arn := r.str("resource_arn")
			prio, err := r.integer("priority", i)
			if err != nil {
				return err
			}
			g, ok := groups[arn]
			if !ok {
				g.unmodelled = true // an AWS managed rule group, or one this configuration does not create
			}
			out.unmodelled = out.unmodelled || g.unmodelled
			refs = append(refs, ref{prio, g})
		}
		slices.SortStableFunc(refs, func(a, b ref) int { return cmp.Compare(a.prio, b.prio) })
		for _, g := range refs {
			if k == "stateless_rule_group_reference" {
				pol.AddStatelessGroup(g.prio, g.g.stateless)
			} else {
				pol.StatefulRules = append(pol.StatefulRules, g.g.stateful...)
			}
		}
	}
	if out.unmodelled {
		// What ecsnet cannot read it cannot apply: it passes the flow.
		c.l.warnf(c.r.rng, "%s: a rule group of firewall policy %s is a Suricata rule string, a domain list, an AWS managed group or one this configuration does not create: ecsnet does not apply it, and the policy's stateful default action neither", c.addr, name)
		pol.StatefulDefault = ""
	}
	arn := c.firewallARN("firewall-policy/" + name)
	c.l.firewallPoliciesMap()[arn] = out
	c.created(arn, name)
	c.set("arn", arn)
	c.set("update_token", "00000000-0000-0000-0000-000000000000")
	return nil
}

func createNetworkFirewall(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	polARN, err := c.req("firewall_policy_arn")
	if err != nil {
		return err
	}
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	c.o.get("description")
	c.o.get("delete_protection")
	c.o.get("subnet_change_protection")
	c.o.get("firewall_policy_change_protection")
	in := engine.CreateNetworkFirewallInput{Name: name, VpcID: model.VpcID(vpc), Tags: c.tags()}
	for _, m := range c.o.blocks("subnet_mapping") {
		s := m.str("subnet_id")
		if s == "" {
			return m.err("subnet_id", "subnet_mapping: subnet_id is required")
		}
		m.get("ip_address_type")
		in.SubnetIDs = append(in.SubnetIDs, model.SubnetID(s))
	}
	if pol, ok := c.l.firewallPoliciesMap()[polARN]; ok {
		in.Policy = pol.policy
	} else {
		c.l.warnf(c.o.at("firewall_policy_arn"), "%s: the firewall policy %s is not one this configuration creates: ecsnet assumes it passes every flow", c.addr, polARN)
	}
	fw, err := c.e().CreateNetworkFirewall(in)
	if err != nil {
		return c.fail("subnet_mapping", err)
	}
	zoneSubnet := map[string]string{}
	c.read(func(st *model.State) {
		for _, id := range in.SubnetIDs {
			if s := st.Subnets[id]; s != nil {
				zoneSubnet[s.AvailabilityZone] = string(id)
			}
		}
	})
	var states []cty.Value
	for _, zone := range slices.Sorted(maps.Keys(fw.Endpoints)) {
		att := cty.ObjectVal(map[string]cty.Value{"endpoint_id": cty.StringVal(string(fw.Endpoints[zone])), "subnet_id": cty.StringVal(zoneSubnet[zone])})
		states = append(states, cty.ObjectVal(map[string]cty.Value{"attachment": cty.ListVal([]cty.Value{att}), "availability_zone": cty.StringVal(zone)}))
	}
	// The provider's sync_states is a set; firewall_status a list of one.
	c.out["firewall_status"] = cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"sync_states": cty.SetVal(states)})})
	c.created(fw.ARN, name)
	c.set("arn", fw.ARN)
	c.set("update_token", "00000000-0000-0000-0000-000000000000")
	return nil
}

// firewallEndpointIDs maps, for a state, the endpoint ids the file's
// firewall_status gives to the engine's, by zone.
func firewallEndpointIDs(values map[string]any, out cty.Value, ids map[string]string) {
	byZone := func(zone string) string {
		if out == cty.NilVal || out.IsNull() || !out.CanIterateElements() || out.LengthInt() == 0 {
			return ""
		}
		ss := out.Index(cty.NumberIntVal(0)).GetAttr("sync_states")
		for it := ss.ElementIterator(); it.Next(); {
			_, s := it.Element()
			if s.GetAttr("availability_zone").AsString() == zone {
				return s.GetAttr("attachment").Index(cty.NumberIntVal(0)).GetAttr("endpoint_id").AsString()
			}
		}
		return ""
	}
	status, _ := values["firewall_status"].([]any)
	for _, st := range status {
		m, _ := st.(map[string]any)
		syncs, _ := m["sync_states"].([]any)
		for _, s := range syncs {
			sm, _ := s.(map[string]any)
			zone, _ := sm["availability_zone"].(string)
			atts, _ := sm["attachment"].([]any)
			for _, a := range atts {
				am, _ := a.(map[string]any)
				old, _ := am["endpoint_id"].(string)
				if n := byZone(zone); old != "" && n != "" {
					ids[old] = n
				}
			}
		}
	}
}
