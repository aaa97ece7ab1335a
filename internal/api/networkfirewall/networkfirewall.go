// Package networkfirewall serves AWS Network Firewall (AWS JSON 1.0):
// rule groups, firewall policies and firewalls, whose endpoints (one
// Gateway Load Balancer endpoint per zone, owned by the service) routes
// name by id and the analyzer applies the policy at (internal/engine
// firewall_api.go). Rule groups and policies are given back as they were
// given; the firewall's rules are flattened from them as the snapshot,
// CloudFormation and Terraform readers flatten them.
package networkfirewall

import (
	"cmp"
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the Network Firewall handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("network-firewall", op, h) }
	add("CreateRuleGroup", createRuleGroup)
	add("DescribeRuleGroup", describeRuleGroup)
	add("UpdateRuleGroup", updateRuleGroup)
	add("DeleteRuleGroup", deleteRuleGroup)
	add("ListRuleGroups", listRuleGroups)
	add("CreateFirewallPolicy", createFirewallPolicy)
	add("DescribeFirewallPolicy", describeFirewallPolicy)
	add("UpdateFirewallPolicy", updateFirewallPolicy)
	add("DeleteFirewallPolicy", deleteFirewallPolicy)
	add("ListFirewallPolicies", listFirewallPolicies)
	add("CreateFirewall", createFirewall)
	add("DescribeFirewall", describeFirewall)
	add("DeleteFirewall", deleteFirewall)
	add("ListFirewalls", listFirewalls)
	add("AssociateSubnets", func(c *api.Call) (map[string]any, error) { return changeSubnets(c, true) })
	add("DisassociateSubnets", func(c *api.Call) (map[string]any, error) { return changeSubnets(c, false) })
	add("AssociateFirewallPolicy", associateFirewallPolicy)
	add("UpdateFirewallDeleteProtection", flagUpdate("DeleteProtection", func(f *model.NetworkFirewall) *bool { return &f.DeleteProtection }))
	add("UpdateSubnetChangeProtection", flagUpdate("SubnetChangeProtection", func(f *model.NetworkFirewall) *bool { return &f.SubnetChangeProtection }))
	add("UpdateFirewallPolicyChangeProtection", flagUpdate("FirewallPolicyChangeProtection", func(f *model.NetworkFirewall) *bool { return &f.PolicyChangeProtection }))
	add("UpdateFirewallDescription", updateFirewallDescription)
	add("DescribeLoggingConfiguration", describeLoggingConfiguration)
	add("UpdateLoggingConfiguration", updateLoggingConfiguration)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
	add("DescribeResourcePolicy", describeResourcePolicy)
}

func invalid(format string, args ...any) error {
	return apierr.Newf("InvalidRequestException", format, args...)
}

// document keeps a structure of the request as JSON.
func document(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// documentOf reads a kept structure back as the operation's output member
// wants it (api.Coerce: numbers as integers, a template's strings as the
// shape's types, members the shape does not know dropped); nil for none.
func documentOf(c *api.Call, member, doc string) any {
	if doc == "" || c.Op == nil || c.Op.Output == nil {
		return nil
	}
	m := c.Op.Output.MemberByName(member)
	if m == nil {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return nil
	}
	return api.Coerce(m.Shape, v)
}

func tagList(tags model.Tags) []map[string]any { return api.TagList(tags, "Key", "Value") }

// ---- rule groups

// ruleGroupInput reads a rule group's rules: exactly one of Rules (a
// Suricata rule string) and RuleGroup ("Exactly one of Rules or RuleGroup
// must be set", the service's InvalidRequestException quoted by
// hashicorp/terraform-provider-aws's UpdateRuleGroup).
func ruleGroupInput(c *api.Call, name string) (model.NetworkFirewallRuleGroup, error) {
	g := model.NetworkFirewallRuleGroup{Name: name, Description: c.In.String("Description")}
	rules, hasRules := c.In.Lookup("Rules")
	_, hasGroup := c.In.Lookup("RuleGroup")
	if hasRules == hasGroup {
		return g, invalid("Exactly one of Rules or RuleGroup must be set")
	}
	if hasRules {
		g.RulesString, _ = rules.(string)
		g.Document = document(map[string]any{"RulesSource": map[string]any{"RulesString": g.RulesString}})
		g.Unmodelled = true
		return g, nil
	}
	rg := c.In.Struct("RuleGroup")
	g.Document = document(map[string]any(rg))
	src := rg.Struct("RulesSource")
	if s := src.String("RulesString"); s != "" {
		g.RulesString, g.Unmodelled = s, true
	}
	if src.Has("RulesSourceList") {
		g.Unmodelled = true
	}
	for _, r := range src.Struct("StatelessRulesAndCustomActions").Structs("StatelessRules") {
		prio := int(r.Int("Priority"))
		def := r.Struct("RuleDefinition")
		act := ""
		for _, a := range def.Strings("Actions") {
			if a == "aws:pass" || a == "aws:drop" || a == "aws:forward_to_sfe" {
				act = a
			}
		}
		ma := def.Struct("MatchAttributes")
		var m model.FirewallMatch
		var err error
		if m.Sources, err = addresses(ma.Structs("Sources")); err != nil {
			return g, err
		}
		if m.Destinations, err = addresses(ma.Structs("Destinations")); err != nil {
			return g, err
		}
		protos := []int{-1}
		if l := ma.List("Protocols"); len(l) > 0 {
			protos = protos[:0]
			for _, p := range l {
				n, _ := p.(int64)
				protos = append(protos, int(n))
			}
		}
		type portRange struct{ from, to int }
		ports := []portRange{{}}
		if l := ma.Structs("DestinationPorts"); len(l) > 0 {
			ports = ports[:0]
			for _, p := range l {
				ports = append(ports, portRange{int(p.Int("FromPort")), int(p.Int("ToPort"))})
			}
		}
		for _, pr := range protos {
			for _, pt := range ports {
				y := m
				if pr >= 0 {
					if y.Protocol = model.FirewallProtocol(pr); y.Protocol == "" {
						continue
					}
				}
				y.FromPort, y.ToPort = uint16(pt.from), uint16(max(pt.to, pt.from))
				g.Stateless = append(g.Stateless, model.FirewallStatelessRule{Name: name + " priority " + strconv.Itoa(prio), Priority: prio, Match: y, Action: act})
			}
		}
	}
	for i, r := range src.Structs("StatefulRules") {
		h := r.Struct("Header")
		m, ok := model.FirewallHeader{Protocol: h.String("Protocol"), Source: h.String("Source"), Destination: h.String("Destination"),
			DestinationPort: h.String("DestinationPort")}.Match()
		if !ok {
			g.Unmodelled = true
			continue
		}
		rname := name + " rule " + strconv.Itoa(i+1)
		for _, o := range r.Structs("RuleOptions") {
			if s := o.Strings("Settings"); strings.EqualFold(o.String("Keyword"), "msg") && len(s) > 0 {
				rname = strings.Trim(s[0], `"`)
			}
		}
		g.Stateful = append(g.Stateful, model.FirewallStatefulRule{Name: rname, Match: m, Action: strings.ToLower(r.String("Action"))})
	}
	return g, nil
}

// addresses reads a stateless rule's Sources or Destinations.
func addresses(list []awsproto.Params) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, a := range list {
		d := a.String("AddressDefinition")
		p, err := netip.ParsePrefix(d)
		if err != nil {
			return nil, invalid("AddressDefinition %s is not a valid CIDR block", d) // probable text
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func ruleGroupRef(c *api.Call) engine.NFRef {
	return engine.NFRef{Name: c.In.String("RuleGroupName"), ARN: c.In.String("RuleGroupArn"), Type: c.In.String("Type")}
}

func ruleGroupResponse(st *model.State, g *model.NetworkFirewallRuleGroup) map[string]any {
	out := map[string]any{"RuleGroupArn": g.ARN, "RuleGroupName": g.Name, "RuleGroupId": g.ID, "Type": g.Type, "Capacity": g.Capacity,
		"RuleGroupStatus": "ACTIVE", "Tags": tagList(g.Tags), "ConsumedCapacity": len(g.Stateless) + len(g.Stateful),
		"NumberOfAssociations": engine.RuleGroupAssociations(st, g.ARN)}
	if g.Description != "" {
		out["Description"] = g.Description
	}
	return out
}

func createRuleGroup(c *api.Call) (map[string]any, error) {
	name := c.In.String("RuleGroupName")
	typ := c.In.String("Type")
	if typ != "STATEFUL" && typ != "STATELESS" {
		return nil, invalid("Type must be STATEFUL or STATELESS") // probable text
	}
	g, err := ruleGroupInput(c, name)
	if err != nil {
		return nil, err
	}
	if typ == "STATEFUL" && len(g.Stateless) > 0 || typ == "STATELESS" && (len(g.Stateful) > 0 || g.RulesString != "") {
		return nil, invalid("The rules of a %s rule group must be %s rules", typ, strings.ToLower(typ)) // probable text
	}
	g.Type, g.Capacity = typ, int(c.In.Int("Capacity"))
	if g.Capacity < 1 || g.Capacity > 30000 {
		return nil, invalid("Capacity must be between 1 and 30000") // probable text (the API reference's limits)
	}
	g.Tags = api.KeyValues(c.In.Structs("Tags"), "Key", "Value")
	if c.In.Bool("DryRun") {
		return map[string]any{"UpdateToken": "", "RuleGroupResponse": map[string]any{"RuleGroupArn": "", "RuleGroupName": name, "RuleGroupId": ""}}, nil
	}
	out, err := c.Engine.CreateFirewallRuleGroup(g)
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		return map[string]any{"UpdateToken": out.UpdateToken, "RuleGroupResponse": ruleGroupResponse(st, out)}
	}), nil
}

func describeRuleGroup(c *api.Call) (map[string]any, error) {
	r := ruleGroupRef(c)
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var g *model.NetworkFirewallRuleGroup
		if g, err = c.Engine.FindFirewallRuleGroup(st, r); err != nil {
			return
		}
		out = map[string]any{"UpdateToken": g.UpdateToken, "RuleGroup": documentOf(c, "RuleGroup", g.Document), "RuleGroupResponse": ruleGroupResponse(st, g)}
	})
	return out, err
}

func updateRuleGroup(c *api.Call) (map[string]any, error) {
	r := ruleGroupRef(c)
	g, err := ruleGroupInput(c, r.Name)
	if err != nil {
		return nil, err
	}
	if r.Name == "" {
		c.Engine.Read(func(st *model.State) {
			if old := st.FirewallRuleGroups[r.ARN]; old != nil {
				g, err = ruleGroupInput(c, old.Name)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if c.In.Bool("DryRun") {
		return nil, invalid("DryRun is not supported by ecsnet's UpdateRuleGroup") // [choice]
	}
	out, err := c.Engine.UpdateFirewallRuleGroup(r, c.In.String("UpdateToken"), g)
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		return map[string]any{"UpdateToken": out.UpdateToken, "RuleGroupResponse": ruleGroupResponse(st, out)}
	}), nil
}

func deleteRuleGroup(c *api.Call) (map[string]any, error) {
	out, err := c.Engine.DeleteFirewallRuleGroup(ruleGroupRef(c))
	if err != nil {
		return nil, err
	}
	resp := ruleGroupResponse(model.NewState(c.Account, c.Region), out)
	resp["RuleGroupStatus"] = "DELETING"
	return map[string]any{"RuleGroupResponse": resp}, nil
}

// listPage pages items by ARN (NextToken, MaxResults up to 100).
func listPage[T any](c *api.Call, items []T, arn func(T) string) ([]T, string, error) {
	limit := int(c.In.IntOr("MaxResults", 100))
	page, next, ok := api.Paginate(items, arn, c.In.String("NextToken"), limit)
	if !ok {
		return nil, "", invalid("Invalid NextToken") // probable text
	}
	return page, next, nil
}

func listRuleGroups(c *api.Call) (map[string]any, error) {
	if scope := c.In.String("Scope"); scope == "MANAGED" {
		return map[string]any{"RuleGroups": []any{}}, nil // AWS managed rule groups: ecsnet holds none
	}
	var items []*model.NetworkFirewallRuleGroup
	c.Engine.Read(func(st *model.State) {
		for _, g := range st.FirewallRuleGroups {
			if t := c.In.String("Type"); t == "" || t == g.Type {
				items = append(items, g)
			}
		}
	})
	page, next, err := listPage(c, items, func(g *model.NetworkFirewallRuleGroup) string { return g.ARN })
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, g := range page {
		list = append(list, map[string]any{"Name": g.Name, "Arn": g.ARN})
	}
	out := map[string]any{"RuleGroups": list}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

// ---- firewall policies

func policyInput(c *api.Call) model.NetworkFirewallPolicy {
	fp := c.In.Struct("FirewallPolicy")
	p := model.NetworkFirewallPolicy{Description: c.In.String("Description"), Document: document(map[string]any(fp))}
	refs := func(list []awsproto.Params) []model.FirewallGroupRef {
		var out []model.FirewallGroupRef
		for i, r := range list {
			out = append(out, model.FirewallGroupRef{ARN: r.String("ResourceArn"), Priority: int(r.IntOr("Priority", int64(i)))})
		}
		return out
	}
	p.StatelessGroups = refs(fp.Structs("StatelessRuleGroupReferences"))
	p.StatefulGroups = refs(fp.Structs("StatefulRuleGroupReferences"))
	for _, a := range fp.Strings("StatelessDefaultActions") {
		if a == "aws:pass" || a == "aws:drop" || a == "aws:forward_to_sfe" {
			p.StatelessDefault = a
		}
	}
	for _, a := range fp.Strings("StatefulDefaultActions") {
		if a == "aws:drop_strict" || a == "aws:drop_established" {
			p.StatefulDefault = a
		}
	}
	p.StrictOrder = fp.Struct("StatefulEngineOptions").String("RuleOrder") == "STRICT_ORDER"
	// PolicyVariables.RuleVariables.HOME_NET.Definition: the policy's home
	// network, which overrides the VPC's range (a definition that is not a
	// CIDR block is left out: the service validates them).
	home := fp.Struct("PolicyVariables").Struct("RuleVariables").Struct("HOME_NET")
	for _, d := range home.Strings("Definition") {
		if pfx, err := netip.ParsePrefix(d); err == nil {
			p.HomeNet = append(p.HomeNet, pfx.Masked())
		}
	}
	return p
}

// checkPolicy refuses what the service refuses of a policy's references:
// a stateful reference's Priority outside strict order ("Priority cannot
// be provided", quoted in ministryofjustice/modernisation-platform#3199).
func checkPolicy(c *api.Call) error {
	fp := c.In.Struct("FirewallPolicy")
	strict := fp.Struct("StatefulEngineOptions").String("RuleOrder") == "STRICT_ORDER"
	for i, r := range fp.Structs("StatefulRuleGroupReferences") {
		if p, ok := r.Lookup("Priority"); ok && !strict {
			return invalid("Priority cannot be provided, parameter: [%v], context: StatefulRuleGroupReferences[%d][Priority=%v]", p, i, p)
		}
	}
	return nil
}

func policyRef(c *api.Call) engine.NFRef {
	return engine.NFRef{Name: c.In.String("FirewallPolicyName"), ARN: c.In.String("FirewallPolicyArn")}
}

func policyResponse(st *model.State, p *model.NetworkFirewallPolicy) map[string]any {
	capacity := func(refs []model.FirewallGroupRef) int {
		n := 0
		for _, r := range refs {
			if g := st.FirewallRuleGroups[r.ARN]; g != nil {
				n += g.Capacity
			}
		}
		return n
	}
	out := map[string]any{"FirewallPolicyName": p.Name, "FirewallPolicyArn": p.ARN, "FirewallPolicyId": p.ID, "FirewallPolicyStatus": "ACTIVE",
		"Tags": tagList(p.Tags), "NumberOfAssociations": engine.PolicyAssociations(st, p.ARN),
		"ConsumedStatelessRuleCapacity": capacity(p.StatelessGroups), "ConsumedStatefulRuleCapacity": capacity(p.StatefulGroups)}
	if p.Description != "" {
		out["Description"] = p.Description
	}
	return out
}

func createFirewallPolicy(c *api.Call) (map[string]any, error) {
	if err := checkPolicy(c); err != nil {
		return nil, err
	}
	p := policyInput(c)
	p.Name = c.In.String("FirewallPolicyName")
	p.Tags = api.KeyValues(c.In.Structs("Tags"), "Key", "Value")
	out, err := c.Engine.CreateFirewallPolicy(p)
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		return map[string]any{"UpdateToken": out.UpdateToken, "FirewallPolicyResponse": policyResponse(st, out)}
	}), nil
}

func describeFirewallPolicy(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var p *model.NetworkFirewallPolicy
		if p, err = c.Engine.FindFirewallPolicy(st, policyRef(c)); err != nil {
			return
		}
		out = map[string]any{"UpdateToken": p.UpdateToken, "FirewallPolicy": documentOf(c, "FirewallPolicy", p.Document), "FirewallPolicyResponse": policyResponse(st, p)}
	})
	return out, err
}

func updateFirewallPolicy(c *api.Call) (map[string]any, error) {
	if err := checkPolicy(c); err != nil {
		return nil, err
	}
	out, err := c.Engine.UpdateFirewallPolicy(policyRef(c), c.In.String("UpdateToken"), policyInput(c))
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		return map[string]any{"UpdateToken": out.UpdateToken, "FirewallPolicyResponse": policyResponse(st, out)}
	}), nil
}

func deleteFirewallPolicy(c *api.Call) (map[string]any, error) {
	out, err := c.Engine.DeleteFirewallPolicy(policyRef(c))
	if err != nil {
		return nil, err
	}
	resp := policyResponse(model.NewState(c.Account, c.Region), out)
	resp["FirewallPolicyStatus"] = "DELETING"
	return map[string]any{"FirewallPolicyResponse": resp}, nil
}

func listFirewallPolicies(c *api.Call) (map[string]any, error) {
	var items []*model.NetworkFirewallPolicy
	c.Engine.Read(func(st *model.State) {
		for _, p := range st.FirewallPolicies {
			items = append(items, p)
		}
	})
	page, next, err := listPage(c, items, func(p *model.NetworkFirewallPolicy) string { return p.ARN })
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, p := range page {
		list = append(list, map[string]any{"Name": p.Name, "Arn": p.ARN})
	}
	out := map[string]any{"FirewallPolicies": list}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

// ---- firewalls

func firewallRef(c *api.Call) engine.NFRef {
	return engine.NFRef{Name: c.In.String("FirewallName"), ARN: c.In.String("FirewallArn")}
}

func subnetMappings(st *model.State, f *model.NetworkFirewall) []any {
	out := []any{}
	for _, zone := range sortedZones(f) {
		if s := engine.FirewallSubnet(st, f.Endpoints[zone]); s != "" {
			out = append(out, map[string]any{"SubnetId": string(s), "IPAddressType": "IPV4"})
		}
	}
	return out
}

func sortedZones(f *model.NetworkFirewall) []string {
	zones := make([]string, 0, len(f.Endpoints))
	for z := range f.Endpoints {
		zones = append(zones, z)
	}
	slices.Sort(zones)
	return zones
}

// firewallBody is a firewall's Firewall member (a scenario file's or a
// stack's firewall, which the API did not create, has its name for id
// [choice]).
func firewallBody(st *model.State, f *model.NetworkFirewall) map[string]any {
	out := map[string]any{"FirewallName": f.Name, "FirewallArn": f.ARN, "FirewallPolicyArn": f.PolicyARN, "VpcId": string(f.VpcID),
		"SubnetMappings": subnetMappings(st, f), "DeleteProtection": f.DeleteProtection, "SubnetChangeProtection": f.SubnetChangeProtection,
		"FirewallPolicyChangeProtection": f.PolicyChangeProtection, "FirewallId": cmp.Or(f.ID, f.Name), "Tags": tagList(f.Tags)}
	if f.Description != "" {
		out["Description"] = f.Description
	}
	return out
}

// firewallStatus is a firewall's FirewallStatus: READY and IN_SYNC, each
// zone's attachment (its subnet and endpoint) READY, once provisioned;
// CreateFirewall's answer says PROVISIONING (its endpoints CREATING), as
// AWS's does, and the next DescribeFirewall READY [choice: AWS takes
// minutes; ecsnet provisions at once, so Terraform's waiter ends at its
// first poll].
func firewallStatus(st *model.State, f *model.NetworkFirewall, provisioning bool) map[string]any {
	status, summary, attach := "READY", "IN_SYNC", "READY"
	if provisioning {
		status, summary, attach = "PROVISIONING", "PENDING", "CREATING"
	}
	syncs := map[string]any{}
	for _, zone := range sortedZones(f) {
		ep := f.Endpoints[zone]
		sync := map[string]any{"Attachment": map[string]any{"SubnetId": string(engine.FirewallSubnet(st, ep)), "EndpointId": string(ep), "Status": attach}}
		if f.PolicyARN != "" {
			cfg := map[string]any{f.PolicyARN: map[string]any{"SyncStatus": summary}}
			if p := st.FirewallPolicies[f.PolicyARN]; p != nil {
				cfg[f.PolicyARN] = map[string]any{"SyncStatus": summary, "UpdateToken": p.UpdateToken}
				for _, r := range slices.Concat(p.StatelessGroups, p.StatefulGroups) {
					if g := st.FirewallRuleGroups[r.ARN]; g != nil {
						cfg[r.ARN] = map[string]any{"SyncStatus": summary, "UpdateToken": g.UpdateToken}
					}
				}
			}
			sync["Config"] = cfg
		}
		syncs[zone] = sync
	}
	return map[string]any{"Status": status, "ConfigurationSyncStateSummary": summary, "SyncStates": syncs}
}

func createFirewall(c *api.Call) (map[string]any, error) {
	var subnets []model.SubnetID
	for _, m := range c.In.Structs("SubnetMappings") {
		if t := m.String("IPAddressType"); t != "" && t != "IPV4" {
			return nil, invalid("IPAddressType %s is not supported by ecsnet's firewalls (IPV4 only)", t) // [choice]
		}
		subnets = append(subnets, model.SubnetID(m.String("SubnetId")))
	}
	if c.In.String("VpcId") == "" {
		return nil, invalid("VpcId is required") // probable text: the firewall of a transit gateway (TransitGatewayId) is not modelled
	}
	f, err := c.Engine.CreateNetworkFirewall(engine.CreateNetworkFirewallInput{Name: c.In.String("FirewallName"), VpcID: model.VpcID(c.In.String("VpcId")),
		SubnetIDs: subnets, Tags: api.KeyValues(c.In.Structs("Tags"), "Key", "Value"), PolicyARN: c.In.String("FirewallPolicyArn"),
		Description: c.In.String("Description"), DeleteProtection: c.In.Bool("DeleteProtection"), SubnetChangeProtection: c.In.Bool("SubnetChangeProtection"),
		PolicyChangeProtection: c.In.Bool("FirewallPolicyChangeProtection")})
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		return map[string]any{"Firewall": firewallBody(st, f), "FirewallStatus": firewallStatus(st, f, true)}
	}), nil
}

func describeFirewall(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var f *model.NetworkFirewall
		if f, err = c.Engine.FindNetworkFirewall(st, firewallRef(c)); err != nil {
			return
		}
		out = map[string]any{"UpdateToken": f.UpdateToken, "Firewall": firewallBody(st, f), "FirewallStatus": firewallStatus(st, f, false)}
	})
	return out, err
}

func deleteFirewall(c *api.Call) (map[string]any, error) {
	var before map[string]any
	c.Engine.Read(func(st *model.State) {
		if f, err := c.Engine.FindNetworkFirewall(st, firewallRef(c)); err == nil {
			before = firewallBody(st, f)
		}
	})
	f, err := c.Engine.DeleteNetworkFirewall(firewallRef(c))
	if err != nil {
		return nil, err
	}
	if before == nil {
		before = firewallBody(model.NewState(c.Account, c.Region), f)
	}
	return map[string]any{"Firewall": before, "FirewallStatus": map[string]any{"Status": "DELETING", "ConfigurationSyncStateSummary": "PENDING"}}, nil
}

func listFirewalls(c *api.Call) (map[string]any, error) {
	vpcs := c.In.Strings("VpcIds")
	var items []*model.NetworkFirewall
	c.Engine.Read(func(st *model.State) {
		for _, f := range st.NetworkFirewalls {
			if len(vpcs) == 0 || slices.Contains(vpcs, string(f.VpcID)) {
				items = append(items, f)
			}
		}
	})
	page, next, err := listPage(c, items, func(f *model.NetworkFirewall) string { return f.ARN })
	if err != nil {
		return nil, err
	}
	list := []any{}
	for _, f := range page {
		list = append(list, map[string]any{"FirewallName": f.Name, "FirewallArn": f.ARN})
	}
	out := map[string]any{"Firewalls": list}
	if next != "" {
		out["NextToken"] = next
	}
	return out, nil
}

func changeSubnets(c *api.Call, associate bool) (map[string]any, error) {
	var f *model.NetworkFirewall
	var err error
	if associate {
		var ids []model.SubnetID
		for _, m := range c.In.Structs("SubnetMappings") {
			ids = append(ids, model.SubnetID(m.String("SubnetId")))
		}
		f, err = c.Engine.AssociateFirewallSubnets(firewallRef(c), c.In.String("UpdateToken"), ids)
	} else {
		var ids []model.SubnetID
		for _, id := range c.In.Strings("SubnetIds") {
			ids = append(ids, model.SubnetID(id))
		}
		f, err = c.Engine.DisassociateFirewallSubnets(firewallRef(c), c.In.String("UpdateToken"), ids)
	}
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		return map[string]any{"FirewallArn": f.ARN, "FirewallName": f.Name, "SubnetMappings": subnetMappings(st, f), "UpdateToken": f.UpdateToken}
	}), nil
}

func associateFirewallPolicy(c *api.Call) (map[string]any, error) {
	f, err := c.Engine.AssociateFirewallPolicy(firewallRef(c), c.In.String("UpdateToken"), c.In.String("FirewallPolicyArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"FirewallArn": f.ARN, "FirewallName": f.Name, "FirewallPolicyArn": f.PolicyARN, "UpdateToken": f.UpdateToken}, nil
}

// flagUpdate serves the three protections' updates: member is the
// request's and the response's boolean.
func flagUpdate(member string, field func(f *model.NetworkFirewall) *bool) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		v := c.In.Bool(member)
		f, err := c.Engine.ChangeNetworkFirewall(firewallRef(c), c.In.String("UpdateToken"), func(f *model.NetworkFirewall) error {
			*field(f) = v
			return nil
		})
		if err != nil {
			return nil, err
		}
		return map[string]any{"FirewallArn": f.ARN, "FirewallName": f.Name, member: v, "UpdateToken": f.UpdateToken}, nil
	}
}

func updateFirewallDescription(c *api.Call) (map[string]any, error) {
	d := c.In.String("Description")
	f, err := c.Engine.ChangeNetworkFirewall(firewallRef(c), c.In.String("UpdateToken"), func(f *model.NetworkFirewall) error {
		f.Description = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"FirewallArn": f.ARN, "FirewallName": f.Name, "UpdateToken": f.UpdateToken}
	if d != "" {
		out["Description"] = d
	}
	return out, nil
}

func loggingOf(c *api.Call, f *model.NetworkFirewall) any {
	if l := documentOf(c, "LoggingConfiguration", f.Logging); l != nil {
		return l
	}
	return map[string]any{"LogDestinationConfigs": []any{}}
}

func describeLoggingConfiguration(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var f *model.NetworkFirewall
		if f, err = c.Engine.FindNetworkFirewall(st, firewallRef(c)); err != nil {
			return
		}
		out = map[string]any{"FirewallArn": f.ARN, "LoggingConfiguration": loggingOf(c, f)}
	})
	return out, err
}

// updateLoggingConfiguration replaces a firewall's log destinations: "You
// can perform only one of the following actions in any call to
// UpdateLoggingConfiguration: create a new log destination object, delete
// a log destination object, change the LogDestination setting for a single
// log destination object" (its API reference): a call that changes more
// is refused.
func updateLoggingConfiguration(c *api.Call) (map[string]any, error) {
	next := c.In.Struct("LoggingConfiguration").Structs("LogDestinationConfigs")
	for _, d := range next {
		if t := d.String("LogType"); t != "ALERT" && t != "FLOW" && t != "TLS" {
			return nil, invalid("LogType must be ALERT, FLOW or TLS") // probable text
		}
	}
	doc := document(map[string]any{"LogDestinationConfigs": next})
	if len(next) == 0 {
		doc = ""
	}
	f, err := c.Engine.ChangeNetworkFirewall(firewallRef(c), "", func(f *model.NetworkFirewall) error {
		prev := map[string]string{}
		var old map[string]any
		if json.Unmarshal([]byte(f.Logging), &old) == nil {
			list, _ := old["LogDestinationConfigs"].([]any)
			for _, d := range list {
				if m, ok := d.(map[string]any); ok {
					t, _ := m["LogType"].(string)
					prev[t] = document(m)
				}
			}
		}
		changes := 0
		seen := map[string]bool{}
		for _, d := range next {
			t := d.String("LogType")
			if seen[t] {
				return invalid("A firewall can have only one log destination of type %s", t) // probable text
			}
			seen[t] = true
			if old, ok := prev[t]; !ok || old != document(roundTrip(d)) {
				changes++
			}
		}
		for t := range prev {
			if !seen[t] {
				changes++
			}
		}
		if changes > 1 {
			return invalid("You can make only one change to the logging configuration in a call: add, remove or change one log destination") // probable text
		}
		f.Logging = doc
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"FirewallArn": f.ARN, "FirewallName": f.Name, "LoggingConfiguration": loggingOf(c, f)}, nil
}

func tagResource(c *api.Call) (map[string]any, error) {
	tags := api.KeyValues(c.In.Structs("Tags"), "Key", "Value")
	if err := c.Engine.TagFirewallResource(c.In.String("ResourceArn"), tags, nil); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func untagResource(c *api.Call) (map[string]any, error) {
	if err := c.Engine.TagFirewallResource(c.In.String("ResourceArn"), nil, c.In.Strings("TagKeys")); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

// tagsOf returns the tags of the firewall, policy or rule group arn.
func tagsOf(st *model.State, arn string) (model.Tags, bool) {
	if f := st.NetworkFirewalls[arn]; f != nil {
		return f.Tags, true
	}
	if p := st.FirewallPolicies[arn]; p != nil {
		return p.Tags, true
	}
	if g := st.FirewallRuleGroups[arn]; g != nil {
		return g.Tags, true
	}
	return nil, false
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	arn := c.In.String("ResourceArn")
	var tags model.Tags
	found := false
	c.Engine.Read(func(st *model.State) { tags, found = tagsOf(st, arn) })
	if !found {
		return nil, notFound("Resource", engine.NFRef{ARN: arn})
	}
	return map[string]any{"Tags": tagList(tags)}, nil
}

// describeResourcePolicy: ecsnet keeps no resource policies (they share a
// rule group or policy with other accounts), so a resource has none.
func describeResourcePolicy(c *api.Call) (map[string]any, error) {
	arn := c.In.String("ResourceArn")
	found := false
	c.Engine.Read(func(st *model.State) {
		_, found = tagsOf(st, arn)
	})
	if !found {
		return nil, notFound("Resource", engine.NFRef{ARN: arn})
	}
	return nil, apierr.Newf("ResourceNotFoundException", "Resource policy not found for %s", arn) // probable text
}

// roundTrip is v as JSON gives it back (numbers as float64), so a kept
// structure and a request's compare.
func roundTrip(v any) any {
	var out any
	_ = json.Unmarshal([]byte(document(v)), &out)
	return out
}

func notFound(kind string, r engine.NFRef) error {
	return apierr.Newf("ResourceNotFoundException", "%s with the specified name or ARN was not found: %s", kind, r.String()) // probable text
}
