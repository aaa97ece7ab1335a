package cfn

import (
	"cmp"
	"encoding/json"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Network Firewall (AWS::NetworkFirewall::RuleGroup, ::FirewallPolicy,
// ::Firewall). A rule group's and a policy's rules are kept, parsed, on
// the resource (a hidden attribute, ecsnetRules) until the firewall that
// names the policy by ARN is created with the policy flattened: the
// stateless rules by group priority, then rule priority; the stateful
// rule groups by priority (strict order). Stateful rules written as
// 5-tuple headers (StatefulRules) are modelled; Suricata rule strings and
// domain lists are not: a policy with such a group passes what they
// would decide (noted). The firewall's GetAtt EndpointIds lists
// "<zone>:<endpoint id>", which templates split (Fn::Select, Fn::Split)
// for a route's VpcEndpointId.
const (
	typeNFRuleGroup      = "AWS::NetworkFirewall::RuleGroup"
	typeNFFirewallPolicy = "AWS::NetworkFirewall::FirewallPolicy"
	typeNFFirewall       = "AWS::NetworkFirewall::Firewall"
	nfRulesAttr          = "ecsnetRules"
)

// createNetworkFirewallResource creates the three types.
func createNetworkFirewallResource(c *rctx) error {
	switch c.r.def.typ {
	case typeNFRuleGroup:
		return createNFRuleGroup(c)
	case typeNFFirewallPolicy:
		return createNFPolicy(c)
	}
	return createNFFirewall(c)
}

// nfGroup is a rule group's rules as the policy flattens them.
type nfGroup struct {
	Stateless  []model.FirewallStatelessRule
	Stateful   []model.FirewallStatefulRule
	Unmodelled bool // Suricata rules or a domain list
}

func (c *rctx) keepRules(v any) {
	b, _ := json.Marshal(v)
	c.set(nfRulesAttr, string(b))
}

// kept returns what the stack's resource of type typ and ARN arn kept.
func (c *rctx) keptRules(typ, arn string, v any) bool {
	for _, r := range c.s.res {
		if r.def.typ == typ && r.physical == arn && r.attrs[nfRulesAttr] != nil {
			return json.Unmarshal([]byte(r.attrs[nfRulesAttr].str), v) == nil
		}
	}
	return false
}

func nfAddresses(o obj, key string) ([]netip.Prefix, error) {
	defs, err := o.objects(key)
	if err != nil {
		return nil, err
	}
	var out []netip.Prefix
	for _, d := range defs {
		s, err := d.req("AddressDefinition")
		if err != nil {
			return nil, err
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, d.invalid("AddressDefinition", "%s is not a CIDR block", s)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// nfVariables reads a RuleVariables map (IPSets, PortSets): each
// variable's Definition.
func nfVariables(vars obj, key string) (map[string][]string, error) {
	m, err := vars.object(key)
	if err != nil || m.n == nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, f := range m.n.fields {
		v, err := m.object(f.key)
		if err != nil {
			return nil, err
		}
		if out[f.key], err = v.strs("Definition"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func createNFRuleGroup(c *rctx) error {
	p := c.p
	name, err := p.req("RuleGroupName")
	if err != nil {
		return err
	}
	typ, err := p.req("Type")
	if err != nil {
		return err
	}
	rg, err := p.object("RuleGroup")
	if err != nil {
		return err
	}
	src, err := rg.object("RulesSource")
	if err != nil {
		return err
	}
	var g nfGroup
	sg := model.FirewallStatefulGroup{Name: name}
	if sg.RulesString, err = src.str("RulesString"); err != nil {
		return err
	}
	if src.has("RulesSourceList") {
		dl, err := src.object("RulesSourceList")
		if err != nil {
			return err
		}
		var d model.FirewallDomainList
		if d.Type, err = dl.req("GeneratedRulesType"); err != nil {
			return err
		}
		if d.TargetTypes, err = dl.strs("TargetTypes"); err != nil {
			return err
		}
		if d.Targets, err = dl.strs("Targets"); err != nil {
			return err
		}
		sg.DomainList = &d
	}
	vars, err := rg.object("RuleVariables")
	if err != nil {
		return err
	}
	if sg.IPSets, err = nfVariables(vars, "IPSets"); err != nil {
		return err
	}
	if sg.PortSets, err = nfVariables(vars, "PortSets"); err != nil {
		return err
	}

	sl, err := src.object("StatelessRulesAndCustomActions")
	if err != nil {
		return err
	}
	rules, err := sl.objects("StatelessRules")
	if err != nil {
		return err
	}
	for _, r := range rules {
		prio, err := r.integer("Priority", 0)
		if err != nil {
			return err
		}
		def, err := r.object("RuleDefinition")
		if err != nil {
			return err
		}
		acts, err := def.strs("Actions")
		if err != nil {
			return err
		}
		ma, err := def.object("MatchAttributes")
		if err != nil {
			return err
		}
		var m model.FirewallMatch
		if m.Sources, err = nfAddresses(ma, "Sources"); err != nil {
			return err
		}
		if m.Destinations, err = nfAddresses(ma, "Destinations"); err != nil {
			return err
		}
		protos, err := ma.strs("Protocols")
		if err != nil {
			return err
		}
		ports, err := ma.objects("DestinationPorts")
		if err != nil {
			return err
		}
		// One modelled rule per protocol and port range (a rule of several
		// matches any of them).
		if len(protos) == 0 {
			protos = []string{""}
		}
		if len(ports) == 0 {
			ports = []obj{{}}
		}
		act := ""
		for _, a := range acts {
			if a == "aws:pass" || a == "aws:drop" || a == "aws:forward_to_sfe" {
				act = a
			}
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
				if pt.n != nil {
					from, _ := pt.integer("FromPort", 0)
					to, _ := pt.integer("ToPort", from)
					x.FromPort, x.ToPort = uint16(from), uint16(to)
				}
				g.Stateless = append(g.Stateless, model.FirewallStatelessRule{Name: name + " priority " + strconv.Itoa(prio), Priority: prio, Match: x, Action: act})
			}
		}
	}
	hdrs, err := src.objects("StatefulRules")
	if err != nil {
		return err
	}
	for _, r := range hdrs {
		var hr model.FirewallHeaderRule
		if hr.Action, err = r.req("Action"); err != nil {
			return err
		}
		h, err := r.object("Header")
		if err != nil {
			return err
		}
		hd := &hr.Header
		hd.Protocol, _ = h.str("Protocol")
		hd.Source, _ = h.str("Source")
		hd.Destination, _ = h.str("Destination")
		hd.DestinationPort, _ = h.str("DestinationPort")
		hr.SourcePort, _ = h.str("SourcePort")
		hr.Direction, _ = h.str("Direction")
		opts, err := r.objects("RuleOptions")
		if err != nil {
			return err
		}
		for _, o := range opts {
			k, _ := o.str("Keyword")
			set, _ := o.strs("Settings")
			hr.Options = append(hr.Options, [2]string{k, strings.Join(set, ",")})
		}
		sg.Headers = append(sg.Headers, hr)
	}
	stateful, problems := sg.Rules()
	for _, pr := range problems {
		// A rule ecsnet cannot read is left out, and the policy's stateful
		// default action with it (nfPolicy): what it would decide passes.
		c.s.notef(c.r.def.line, "%s: %v: ecsnet leaves the rule out", c.displayName(), pr)
		g.Unmodelled = true
	}
	g.Stateful = append(g.Stateful, stateful...)
	capacity, err := p.integer("Capacity", 0)
	if err != nil {
		return err
	}
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	tags, err := p.tagList()
	if err != nil {
		return err
	}
	// The rule group is the Network Firewall API's (CreateRuleGroup), so
	// DescribeRuleGroup finds it and a policy's reference resolves.
	rgDoc, _ := json.Marshal(p.get("RuleGroup").toAny())
	in := model.NetworkFirewallRuleGroup{Name: name, Type: typ, Capacity: capacity, Description: desc,
		Document: string(rgDoc), RulesString: sg.RulesString, Tags: tags, Stateless: g.Stateless, Stateful: g.Stateful, Unmodelled: g.Unmodelled}
	var out *model.NetworkFirewallRuleGroup
	if c.r.physical != "" {
		// A stack update in place (RuleGroup, Description): UpdateRuleGroup.
		ref := engine.NFRef{ARN: c.r.physical}
		token := ""
		c.read(func(st *model.State) {
			if cur := st.FirewallRuleGroups[ref.ARN]; cur != nil {
				token = cur.UpdateToken
			}
		})
		out, err = c.e().UpdateFirewallRuleGroup(ref, token, in)
	} else {
		out, err = c.e().CreateFirewallRuleGroup(in)
	}
	if err != nil {
		return p.at("RuleGroupName", err)
	}
	c.keepRules(g)
	c.setRef(out.ARN)
	c.set("RuleGroupArn", out.ARN)
	c.set("RuleGroupId", out.ID)
	return nil
}

// updateNFRulesResource updates a rule group or a firewall policy in
// place (its rules, its description) as its create does, through
// UpdateRuleGroup or UpdateFirewallPolicy: the firewalls that use it take
// the new rules.
func updateNFRulesResource(c *rctx, _ obj, _ []string) error {
	if c.r.def.typ == typeNFRuleGroup {
		return createNFRuleGroup(c)
	}
	return createNFPolicy(c)
}

// nfPolicy is a firewall policy as it is kept until a firewall names it.
type nfPolicy struct {
	Policy     model.FirewallPolicy
	Unmodelled bool
}

func createNFPolicy(c *rctx) error {
	p := c.p
	name, err := p.req("FirewallPolicyName")
	if err != nil {
		return err
	}
	fp, err := p.object("FirewallPolicy")
	if err != nil {
		return err
	}
	var out nfPolicy
	pol := &out.Policy
	acts, err := fp.strs("StatelessDefaultActions")
	if err != nil {
		return err
	}
	pol.StatelessDefault = "aws:forward_to_sfe"
	for _, a := range acts {
		if a == "aws:pass" || a == "aws:drop" || a == "aws:forward_to_sfe" {
			pol.StatelessDefault = a
		}
	}
	eng, err := fp.object("StatefulEngineOptions")
	if err != nil {
		return err
	}
	order, _ := eng.str("RuleOrder")
	pol.StrictOrder = order == "STRICT_ORDER"
	defs, err := fp.strs("StatefulDefaultActions")
	if err != nil {
		return err
	}
	for _, d := range defs {
		if d == "aws:drop_strict" || d == "aws:drop_established" {
			pol.StatefulDefault = d
		}
	}
	pv, err := fp.object("PolicyVariables")
	if err != nil {
		return err
	}
	vars, err := nfVariables(pv, "RuleVariables")
	if err != nil {
		return err
	}
	for _, d := range vars["HOME_NET"] {
		p, err := netip.ParsePrefix(d)
		if err != nil {
			return pv.invalid("RuleVariables", "HOME_NET: %s is not a CIDR block", d)
		}
		pol.HomeNet = append(pol.HomeNet, p.Masked())
	}
	api := model.NetworkFirewallPolicy{Name: name, StatelessDefault: pol.StatelessDefault, StrictOrder: pol.StrictOrder, HomeNet: pol.HomeNet}
	for _, d := range defs {
		if d == "aws:drop_strict" || d == "aws:drop_established" {
			api.StatefulDefault = d
		}
	}
	type ref struct {
		prio int
		g    nfGroup
	}
	for _, k := range []string{"StatelessRuleGroupReferences", "StatefulRuleGroupReferences"} {
		refs, err := fp.objects(k)
		if err != nil {
			return err
		}
		var groups []ref
		for i, r := range refs {
			arn, err := r.req("ResourceArn")
			if err != nil {
				return err
			}
			prio, err := r.integer("Priority", i)
			if err != nil {
				return err
			}
			var g nfGroup
			if !c.keptRules(typeNFRuleGroup, arn, &g) {
				g.Unmodelled = true // an AWS managed rule group, or one of another stack
			}
			if c.nfRuleGroupHeld(arn) {
				r := model.FirewallGroupRef{ARN: arn, Priority: prio}
				if k == "StatelessRuleGroupReferences" {
					api.StatelessGroups = append(api.StatelessGroups, r)
				} else {
					api.StatefulGroups = append(api.StatefulGroups, r)
				}
			}
			out.Unmodelled = out.Unmodelled || g.Unmodelled
			groups = append(groups, ref{prio, g})
		}
		slices.SortStableFunc(groups, func(a, b ref) int { return cmp.Compare(a.prio, b.prio) })
		for _, g := range groups {
			if k == "StatelessRuleGroupReferences" {
				pol.AddStatelessGroup(g.prio, g.g.Stateless)
			} else {
				pol.StatefulRules = append(pol.StatefulRules, g.g.Stateful...)
			}
		}
	}
	if out.Unmodelled {
		// What ecsnet cannot read it cannot apply: it passes the flow.
		c.s.notef(c.r.def.line, "%s: a rule group of firewall policy %s is a Suricata rule string, a domain list, an AWS managed group or another stack's: ecsnet does not apply it, and the policy's stateful default action neither", c.displayName(), name)
		pol.StatefulDefault = ""
	}
	if api.Description, err = p.str("Description"); err != nil {
		return err
	}
	if api.Tags, err = p.tagList(); err != nil {
		return err
	}
	doc, _ := json.Marshal(p.get("FirewallPolicy").toAny())
	api.Document = string(doc)
	// The policy is the Network Firewall API's (CreateFirewallPolicy):
	// DescribeFirewallPolicy finds it, the firewall names it by ARN.
	var created *model.NetworkFirewallPolicy
	if c.r.physical != "" {
		// A stack update in place (FirewallPolicy, Description):
		// UpdateFirewallPolicy.
		ref := engine.NFRef{ARN: c.r.physical}
		token := ""
		c.read(func(st *model.State) {
			if cur := st.FirewallPolicies[ref.ARN]; cur != nil {
				token = cur.UpdateToken
			}
		})
		created, err = c.e().UpdateFirewallPolicy(ref, token, api)
	} else {
		created, err = c.e().CreateFirewallPolicy(api)
	}
	if err != nil {
		return p.at("FirewallPolicyName", err)
	}
	c.keepRules(out)
	c.setRef(created.ARN)
	c.set("FirewallPolicyArn", created.ARN)
	c.set("FirewallPolicyId", created.ID)
	return nil
}

// nfRuleGroupHeld reports whether the engine holds the rule group arn (a
// stack's, the API's) or it is an AWS managed one, which a policy may
// reference; another is left out of the API's policy [choice: AWS
// refuses the policy; the analyzer reads the template without it].
func (c *rctx) nfRuleGroupHeld(arn string) bool {
	if strings.Contains(arn, ":aws-managed:") {
		return true
	}
	held := false
	c.read(func(st *model.State) { held = st.FirewallRuleGroups[arn] != nil })
	return held
}

func createNFFirewall(c *rctx) error {
	p := c.p
	name, err := p.req("FirewallName")
	if err != nil {
		return err
	}
	polARN, err := p.req("FirewallPolicyArn")
	if err != nil {
		return err
	}
	vpc, err := p.req("VpcId")
	if err != nil {
		return err
	}
	mappings, err := p.objects("SubnetMappings")
	if err != nil {
		return err
	}
	in := engine.CreateNetworkFirewallInput{Name: name, VpcID: model.VpcID(vpc)}
	for _, m := range mappings {
		s, err := m.req("SubnetId")
		if err != nil {
			return err
		}
		in.SubnetIDs = append(in.SubnetIDs, model.SubnetID(s))
	}
	if in.Tags, err = p.tagList(); err != nil {
		return err
	}
	if in.Description, err = p.str("Description"); err != nil {
		return err
	}
	for key, field := range map[string]*bool{"DeleteProtection": &in.DeleteProtection, "SubnetChangeProtection": &in.SubnetChangeProtection,
		"FirewallPolicyChangeProtection": &in.PolicyChangeProtection} {
		v, err := p.boolean(key)
		if err != nil {
			return err
		}
		*field = v != nil && *v
	}
	held := false
	c.read(func(st *model.State) { held = st.FirewallPolicies[polARN] != nil })
	var pol nfPolicy
	switch {
	case held:
		// The API's policy (this stack's, another's, CreateFirewallPolicy's):
		// the firewall names it, DescribeFirewall answers its ARN, and the
		// engine composes its rules from the policy and its rule groups.
		in.PolicyARN = polARN
	case c.keptRules(typeNFFirewallPolicy, polARN, &pol):
		in.Policy = pol.Policy
	default:
		c.s.notef(c.r.def.line, "%s: the firewall policy %s is not one of this stack's: ecsnet assumes it passes every flow", c.displayName(), polARN)
	}
	fw, err := c.e().CreateNetworkFirewall(in)
	if err != nil {
		return p.at("SubnetMappings", err)
	}
	ids := make([]string, 0, len(fw.Endpoints))
	for _, zone := range slices.Sorted(maps.Keys(fw.Endpoints)) {
		ids = append(ids, zone+":"+string(fw.Endpoints[zone]))
	}
	c.setRef(fw.ARN)
	c.set("FirewallArn", fw.ARN)
	c.set("FirewallId", cmp.Or(fw.ID, fw.ARN))
	c.setList("EndpointIds", ids)
	return nil
}

// nfARN is the ARN of a Network Firewall resource of the stack's account
// and region.
func nfARN(c *rctx, resource string) string {
	cfg := c.e().Config()
	return model.ARN(cfg.Region, "network-firewall", cfg.Account, resource)
}
