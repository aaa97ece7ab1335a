package engine

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// The Network Firewall API's control plane (round thirty-eight): rule
// groups, firewall policies and the firewalls that use them. A firewall's
// Policy (what the analyzer applies) is composed from its policy and the
// policy's rule groups, again whenever one of them changes.

// NFRef names a Network Firewall resource by name or ARN ("You must
// specify the ARN or the name, and you can specify both", the API
// reference of every Describe, Update and Delete operation); Type is a
// rule group's (STATEFUL or STATELESS), needed with a name.
type NFRef struct {
	Name, ARN, Type string
}

func errNFNameOrARN() error {
	return apierr.New("InvalidRequestException", "You must specify the ARN or the name, and you can specify both") // probable text
}

func errNFInUse() error {
	// hashicorp/terraform-provider-aws's rule group and policy deletes retry
	// on this InvalidOperationException text.
	return apierr.New("InvalidOperationException", "Unable to delete the object because it is still in use")
}

func errNFToken() error {
	return apierr.New("InvalidTokenException", "Update token is invalid or has expired") // probable text
}

func errNFNotFound(kind, ref string) error {
	return apierr.Newf("ResourceNotFoundException", "%s with the specified name or ARN was not found: %s", kind, ref) // probable text
}

func (r NFRef) String() string { return cmp.Or(r.ARN, r.Name) }

// nfFind returns the resource of m that r names.
func nfFind[V any](m map[string]*V, r NFRef, arnOf func(name string) string, kind string) (*V, error) {
	if r.ARN == "" && r.Name == "" {
		return nil, errNFNameOrARN()
	}
	arn := r.ARN
	if arn == "" {
		arn = arnOf(r.Name)
	}
	v := m[arn]
	if v == nil {
		return nil, errNFNotFound(kind, r.String())
	}
	return v, nil
}

func (t *txn) nfRuleGroupARN(typ, name string) string {
	return t.e.cfg.arn("network-firewall", strings.ToLower(typ)+"-rulegroup/"+name)
}

func (t *txn) nfRuleGroup(r NFRef) (*model.NetworkFirewallRuleGroup, error) {
	if r.ARN == "" && r.Name != "" && r.Type == "" {
		return nil, apierr.New("InvalidRequestException", "Type is required for requests that do not include the RuleGroupARN") // probable text
	}
	return t.e.FindFirewallRuleGroup(t.st, r)
}

func (t *txn) nfPolicy(r NFRef) (*model.NetworkFirewallPolicy, error) {
	return t.e.FindFirewallPolicy(t.st, r)
}

func (t *txn) nfFirewall(r NFRef) (*model.NetworkFirewall, error) {
	return t.e.FindNetworkFirewall(t.st, r)
}

// FindFirewallRuleGroup, FindFirewallPolicy and FindNetworkFirewall look
// up in st the Network Firewall resource r names: by its ARN, else by its
// name (a rule group's under its type's ARN); InvalidRequestException
// without either, ResourceNotFoundException when st has none.
func (e *Engine) FindFirewallRuleGroup(st *model.State, r NFRef) (*model.NetworkFirewallRuleGroup, error) {
	return nfFind(st.FirewallRuleGroups, r, func(n string) string {
		return e.cfg.arn("network-firewall", strings.ToLower(r.Type)+"-rulegroup/"+n)
	}, "Rule group")
}

func (e *Engine) FindFirewallPolicy(st *model.State, r NFRef) (*model.NetworkFirewallPolicy, error) {
	return nfFind(st.FirewallPolicies, r, func(n string) string { return e.cfg.arn("network-firewall", "firewall-policy/"+n) }, "Firewall policy")
}

func (e *Engine) FindNetworkFirewall(st *model.State, r NFRef) (*model.NetworkFirewall, error) {
	return nfFind(st.NetworkFirewalls, r, func(n string) string { return e.cfg.arn("network-firewall", "firewall/"+n) }, "Firewall")
}

// Network Firewall's quotas of resources per account and region (Network
// Firewall Developer Guide, "AWS Network Firewall quotas"; adjustable on
// AWS, fixed here at their defaults): 50 stateful and 50 stateless rule
// groups, 20 firewall policies, 5 firewalls (of the API's; a scenario
// file's firewalls are not counted).
const (
	maxFirewallRuleGroups = 50
	maxFirewallPolicies   = 20
	maxAPIFirewalls       = 5
)

// errNFLimit is Network Firewall's answer to a create over a quota.
func errNFLimit() error {
	return apierr.New("LimitExceededException", "Unable to perform the operation because doing so would violate a limit setting.") // the shape's documentation
}

func countFirewallRuleGroups(st *model.State, typ string) int {
	n := 0
	for _, g := range st.FirewallRuleGroups {
		if strings.EqualFold(g.Type, typ) {
			n++
		}
	}
	return n
}

// CreateFirewallRuleGroup creates a rule group: its ARN names its type
// (stateful-rulegroup/<name> or stateless-rulegroup/<name>), so a name is
// unique within a type.
func (e *Engine) CreateFirewallRuleGroup(g model.NetworkFirewallRuleGroup) (*model.NetworkFirewallRuleGroup, error) {
	var out *model.NetworkFirewallRuleGroup
	err := e.write(func(t *txn) error {
		g.ARN = t.nfRuleGroupARN(g.Type, g.Name)
		if t.st.FirewallRuleGroups[g.ARN] != nil {
			return apierr.Newf("InvalidRequestException", "A resource with the specified name already exists: %s", g.Name) // probable text
		}
		if n := countFirewallRuleGroups(t.st, g.Type); n >= maxFirewallRuleGroups {
			return errNFLimit()
		}
		g.ID, g.UpdateToken, g.Tags = t.uuid(), t.uuid(), g.Tags.Clone()
		put(t, model.KindFirewallRuleGroup, t.st.FirewallRuleGroups, g.ARN, &g)
		out = &g
		return nil
	})
	return out, err
}

// UpdateFirewallRuleGroup replaces a rule group's rules and description:
// token must be the group's current update token (InvalidTokenException
// otherwise: "If the token doesn't match the current token, the update
// fails", UpdateRuleGroup API reference). The firewalls whose policy uses
// the group take its new rules.
func (e *Engine) UpdateFirewallRuleGroup(r NFRef, token string, upd model.NetworkFirewallRuleGroup) (*model.NetworkFirewallRuleGroup, error) {
	var out *model.NetworkFirewallRuleGroup
	err := e.write(func(t *txn) error {
		g, err := t.nfRuleGroup(r)
		if err != nil {
			return err
		}
		if token != g.UpdateToken {
			return errNFToken()
		}
		c := *g
		c.Description, c.Document, c.RulesString = upd.Description, upd.Document, upd.RulesString
		c.Stateless, c.Stateful, c.Unmodelled = upd.Stateless, upd.Stateful, upd.Unmodelled
		c.UpdateToken = t.uuid()
		put(t, model.KindFirewallRuleGroup, t.st.FirewallRuleGroups, c.ARN, &c)
		t.recomposeFirewalls()
		out = &c
		return nil
	})
	return out, err
}

// DeleteFirewallRuleGroup deletes a rule group that no firewall policy
// references.
func (e *Engine) DeleteFirewallRuleGroup(r NFRef) (*model.NetworkFirewallRuleGroup, error) {
	var out *model.NetworkFirewallRuleGroup
	err := e.write(func(t *txn) error {
		g, err := t.nfRuleGroup(r)
		if err != nil {
			return err
		}
		if t.ruleGroupAssociations(g.ARN) > 0 {
			return errNFInUse()
		}
		del(t, model.KindFirewallRuleGroup, t.st.FirewallRuleGroups, g.ARN)
		out = g
		return nil
	})
	return out, err
}

// ruleGroupAssociations counts the firewall policies that reference arn.
func (t *txn) ruleGroupAssociations(arn string) int {
	n := 0
	for _, p := range t.st.FirewallPolicies {
		if slices.ContainsFunc(slices.Concat(p.StatelessGroups, p.StatefulGroups), func(r model.FirewallGroupRef) bool { return r.ARN == arn }) {
			n++
		}
	}
	return n
}

// RuleGroupAssociations counts the firewall policies that reference a
// rule group (RuleGroupResponse's NumberOfAssociations).
func RuleGroupAssociations(st *model.State, arn string) int {
	return (&txn{st: st}).ruleGroupAssociations(arn)
}

// PolicyAssociations counts the firewalls that use a policy.
func PolicyAssociations(st *model.State, arn string) int {
	n := 0
	for _, f := range st.NetworkFirewalls {
		if f.PolicyARN == arn {
			n++
		}
	}
	return n
}

// checkPolicyGroups refuses a policy whose references name a rule group
// that does not exist or is of the other type.
func (t *txn) checkPolicyGroups(p *model.NetworkFirewallPolicy) error {
	for _, side := range []struct {
		typ  string
		refs []model.FirewallGroupRef
	}{{"STATELESS", p.StatelessGroups}, {"STATEFUL", p.StatefulGroups}} {
		for _, r := range side.refs {
			g := t.st.FirewallRuleGroups[r.ARN]
			if g == nil {
				if strings.Contains(r.ARN, ":aws-managed:") {
					continue // an AWS managed rule group: ecsnet does not hold its rules
				}
				return apierr.Newf("InvalidRequestException", "rule group does not exist: %s", r.ARN) // probable text
			}
			if g.Type != side.typ {
				return apierr.Newf("InvalidRequestException", "rule group %s is of type %s and cannot be referenced as %s", r.ARN, g.Type, side.typ) // probable text
			}
		}
	}
	return nil
}

// CreateFirewallPolicy creates a firewall policy; its rule groups must
// exist.
func (e *Engine) CreateFirewallPolicy(p model.NetworkFirewallPolicy) (*model.NetworkFirewallPolicy, error) {
	var out *model.NetworkFirewallPolicy
	err := e.write(func(t *txn) error {
		p.ARN = t.e.cfg.arn("network-firewall", "firewall-policy/"+p.Name)
		if t.st.FirewallPolicies[p.ARN] != nil {
			return apierr.Newf("InvalidRequestException", "A resource with the specified name already exists: %s", p.Name) // probable text
		}
		if len(t.st.FirewallPolicies) >= maxFirewallPolicies {
			return errNFLimit()
		}
		if err := t.checkPolicyGroups(&p); err != nil {
			return err
		}
		p.ID, p.UpdateToken, p.Tags = t.uuid(), t.uuid(), p.Tags.Clone()
		put(t, model.KindFirewallPolicy, t.st.FirewallPolicies, p.ARN, &p)
		out = &p
		return nil
	})
	return out, err
}

// UpdateFirewallPolicy replaces a policy's content (token as
// UpdateFirewallRuleGroup's); its firewalls take it.
func (e *Engine) UpdateFirewallPolicy(r NFRef, token string, upd model.NetworkFirewallPolicy) (*model.NetworkFirewallPolicy, error) {
	var out *model.NetworkFirewallPolicy
	err := e.write(func(t *txn) error {
		p, err := t.nfPolicy(r)
		if err != nil {
			return err
		}
		if token != p.UpdateToken {
			return errNFToken()
		}
		if err := t.checkPolicyGroups(&upd); err != nil {
			return err
		}
		c := *p
		c.Description, c.Document = upd.Description, upd.Document
		c.StatelessGroups, c.StatefulGroups = upd.StatelessGroups, upd.StatefulGroups
		c.StatelessDefault, c.StatefulDefault, c.StrictOrder = upd.StatelessDefault, upd.StatefulDefault, upd.StrictOrder
		c.HomeNet = upd.HomeNet
		c.UpdateToken = t.uuid()
		put(t, model.KindFirewallPolicy, t.st.FirewallPolicies, c.ARN, &c)
		t.recomposeFirewalls()
		out = &c
		return nil
	})
	return out, err
}

// DeleteFirewallPolicy deletes a policy no firewall uses.
func (e *Engine) DeleteFirewallPolicy(r NFRef) (*model.NetworkFirewallPolicy, error) {
	var out *model.NetworkFirewallPolicy
	err := e.write(func(t *txn) error {
		p, err := t.nfPolicy(r)
		if err != nil {
			return err
		}
		if PolicyAssociations(t.st, p.ARN) > 0 {
			return errNFInUse()
		}
		del(t, model.KindFirewallPolicy, t.st.FirewallPolicies, p.ARN)
		out = p
		return nil
	})
	return out, err
}

// composeFirewallPolicy flattens the policy arn as the analyzer applies
// it: stateless rules by group priority then rule priority, stateful
// groups by priority (in strict order) or in their order. A group ecsnet
// does not model (a Suricata string, a domain list, an AWS managed group)
// passes what it would decide, and the strict order's default action is
// then left out, as the snapshot reader does.
func (t *txn) composeFirewallPolicy(arn string) model.FirewallPolicy {
	pol := model.FirewallPolicy{StatelessDefault: "aws:forward_to_sfe"}
	p := t.st.FirewallPolicies[arn]
	if p == nil {
		return pol
	}
	pol.StatelessDefault = cmp.Or(p.StatelessDefault, pol.StatelessDefault)
	pol.StrictOrder, pol.StatefulDefault = p.StrictOrder, p.StatefulDefault
	pol.HomeNet = slices.Clone(p.HomeNet)
	unmodelled := false
	sorted := func(refs []model.FirewallGroupRef) []model.FirewallGroupRef {
		refs = slices.Clone(refs)
		slices.SortStableFunc(refs, func(a, b model.FirewallGroupRef) int { return cmp.Compare(a.Priority, b.Priority) })
		return refs
	}
	for _, r := range sorted(p.StatelessGroups) {
		g := t.st.FirewallRuleGroups[r.ARN]
		if g == nil {
			unmodelled = true
			continue
		}
		unmodelled = unmodelled || g.Unmodelled
		pol.AddStatelessGroup(r.Priority, g.Stateless)
	}
	for _, r := range sorted(p.StatefulGroups) {
		g := t.st.FirewallRuleGroups[r.ARN]
		if g == nil {
			unmodelled = true
			continue
		}
		unmodelled = unmodelled || g.Unmodelled
		pol.StatefulRules = append(pol.StatefulRules, g.Stateful...)
	}
	if unmodelled {
		pol.StatefulDefault = ""
	}
	return pol
}

// recomposeFirewalls composes again the Policy of every firewall the API
// created (one with a PolicyARN).
func (t *txn) recomposeFirewalls() {
	for _, arn := range sortedKeysOf(t.st.NetworkFirewalls) {
		f := t.st.NetworkFirewalls[arn]
		if f.PolicyARN == "" {
			continue
		}
		c := *f
		c.Policy = t.composeFirewallPolicy(f.PolicyARN)
		put(t, model.KindNetworkFirewall, t.st.NetworkFirewalls, arn, &c)
	}
}

func sortedKeysOf[V any](m map[string]*V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ChangeNetworkFirewall applies fn to a copy of a firewall and keeps it
// with a new update token. A token, when given, must be the firewall's
// current one ("To make an unconditional change to the firewall, omit the
// token in your update request", the firewall updates' API reference).
func (e *Engine) ChangeNetworkFirewall(r NFRef, token string, fn func(f *model.NetworkFirewall) error) (*model.NetworkFirewall, error) {
	var out *model.NetworkFirewall
	err := e.write(func(t *txn) error {
		f, err := t.nfFirewall(r)
		if err != nil {
			return err
		}
		if token != "" && token != f.UpdateToken {
			return errNFToken()
		}
		c := *f
		c.Endpoints = maps.Clone(f.Endpoints)
		if err := fn(&c); err != nil {
			return err
		}
		c.UpdateToken = t.uuid()
		put(t, model.KindNetworkFirewall, t.st.NetworkFirewalls, c.ARN, &c)
		out = &c
		return nil
	})
	return out, err
}

// AssociateFirewallPolicy gives a firewall another policy, unless its
// FirewallPolicyChangeProtection is on.
func (e *Engine) AssociateFirewallPolicy(r NFRef, token, policyARN string) (*model.NetworkFirewall, error) {
	var out *model.NetworkFirewall
	err := e.write(func(t *txn) error {
		f, err := t.nfFirewall(r)
		if err != nil {
			return err
		}
		if token != "" && token != f.UpdateToken {
			return errNFToken()
		}
		if f.PolicyChangeProtection {
			return apierr.New("InvalidOperationException", "Firewall policy change protection is enabled for the firewall") // probable text
		}
		if t.st.FirewallPolicies[policyARN] == nil {
			return errNFNotFound("Firewall policy", policyARN)
		}
		c := *f
		c.PolicyARN = policyARN
		c.Policy = t.composeFirewallPolicy(policyARN)
		c.UpdateToken = t.uuid()
		put(t, model.KindNetworkFirewall, t.st.NetworkFirewalls, c.ARN, &c)
		out = &c
		return nil
	})
	return out, err
}

// addFirewallEndpoint creates the firewall endpoint of f in subnet id: a
// Gateway Load Balancer endpoint of a service AWS owns, tagged
// AWSNetworkFirewallManaged=true and Firewall=<ARN>, one per zone.
func (t *txn) addFirewallEndpoint(f *model.NetworkFirewall, v *model.VPC, svcID model.EndpointServiceID, id model.SubnetID) error {
	s, err := t.subnet(id)
	if err != nil {
		return err
	}
	if s.VpcID != v.ID {
		return apierr.Newf("InvalidRequestException", "Subnet %s is not in VPC %s", s.ID, v.ID) // UNVERIFIED text
	}
	if _, taken := f.Endpoints[s.AvailabilityZone]; taken {
		return apierr.Newf("InvalidRequestException", "Only one subnet per Availability Zone is allowed: %s", s.AvailabilityZone) // UNVERIFIED text
	}
	svc := &model.EndpointServiceConfig{ID: svcID, Type: endpointGWLB, Zones: []string{s.AvailabilityZone}}
	tags := model.Tags{"AWSNetworkFirewallManaged": "true", "Firewall": f.ARN}
	ep, err := t.createGWLBEndpoint(v, svc, CreateVpcEndpointInput{VpcID: v.ID, ServiceName: t.endpointServiceName(svcID), Type: endpointGWLB,
		SubnetIDs: []model.SubnetID{id}, Tags: tags}, endpointGWLB, nil)
	if err != nil {
		return err
	}
	// The firewall is provisioned at once (its attachments READY on the
	// next DescribeFirewall, api/networkfirewall's firewallStatus), its
	// endpoints with it: available, not pending as CreateVpcEndpoint's.
	c := cloneEndpoint(ep)
	c.State = "available"
	put(t, model.KindVpcEndpoint, t.st.VpcEndpoints, c.ID, c)
	f.Endpoints[s.AvailabilityZone] = ep.ID
	return nil
}

// removeFirewallEndpoint deletes a firewall endpoint (its interface too);
// routes to it are left, as blackholes.
func (t *txn) removeFirewallEndpoint(id model.VpcEndpointID) {
	ep := t.st.VpcEndpoints[id]
	if ep == nil {
		return
	}
	for _, n := range ep.NetworkInterfaces {
		t.deleteENI(n)
	}
	del(t, model.KindVpcEndpoint, t.st.VpcEndpoints, id)
}

// FirewallSubnet returns the subnet of a firewall endpoint ("" when it is
// gone).
func FirewallSubnet(st *model.State, id model.VpcEndpointID) model.SubnetID {
	if ep := st.VpcEndpoints[id]; ep != nil && len(ep.Subnets) > 0 {
		return ep.Subnets[0]
	}
	return ""
}

// AssociateFirewallSubnets adds endpoints in subnets (one per zone),
// unless the firewall's SubnetChangeProtection is on.
func (e *Engine) AssociateFirewallSubnets(r NFRef, token string, subnets []model.SubnetID) (*model.NetworkFirewall, error) {
	return e.changeFirewallSubnets(r, token, func(t *txn, f *model.NetworkFirewall, v *model.VPC) error {
		for _, id := range subnets {
			if slices.ContainsFunc(slices.Collect(maps.Values(f.Endpoints)), func(ep model.VpcEndpointID) bool { return FirewallSubnet(t.st, ep) == id }) {
				continue
			}
			if err := t.addFirewallEndpoint(f, v, model.EndpointServiceID(t.newID("vpce-svc")), id); err != nil {
				return err
			}
		}
		return nil
	})
}

// DisassociateFirewallSubnets removes the endpoints in subnets.
func (e *Engine) DisassociateFirewallSubnets(r NFRef, token string, subnets []model.SubnetID) (*model.NetworkFirewall, error) {
	return e.changeFirewallSubnets(r, token, func(t *txn, f *model.NetworkFirewall, v *model.VPC) error {
		for zone, ep := range f.Endpoints {
			if slices.Contains(subnets, FirewallSubnet(t.st, ep)) {
				t.removeFirewallEndpoint(ep)
				delete(f.Endpoints, zone)
			}
		}
		return nil
	})
}

func (e *Engine) changeFirewallSubnets(r NFRef, token string, fn func(t *txn, f *model.NetworkFirewall, v *model.VPC) error) (*model.NetworkFirewall, error) {
	var out *model.NetworkFirewall
	err := e.write(func(t *txn) error {
		f, err := t.nfFirewall(r)
		if err != nil {
			return err
		}
		if token != "" && token != f.UpdateToken {
			return errNFToken()
		}
		if f.SubnetChangeProtection {
			return apierr.New("InvalidOperationException", "Subnet change protection is enabled for the firewall") // probable text
		}
		v, err := t.vpc(f.VpcID)
		if err != nil {
			return err
		}
		c := *f
		c.Endpoints = maps.Clone(f.Endpoints)
		if err := fn(t, &c, v); err != nil {
			return err
		}
		c.UpdateToken = t.uuid()
		put(t, model.KindNetworkFirewall, t.st.NetworkFirewalls, c.ARN, &c)
		out = &c
		return nil
	})
	return out, err
}

// DeleteNetworkFirewall deletes a firewall and its endpoints: "This
// operation requires the firewall's DeleteProtection flag to be FALSE"
// (DeleteFirewall API reference).
func (e *Engine) DeleteNetworkFirewall(r NFRef) (*model.NetworkFirewall, error) {
	var out *model.NetworkFirewall
	err := e.write(func(t *txn) error {
		f, err := t.nfFirewall(r)
		if err != nil {
			return err
		}
		if f.DeleteProtection {
			return apierr.New("InvalidOperationException", "Firewall deletion protection is enabled for the firewall") // probable text
		}
		for _, zone := range slices.Sorted(maps.Keys(f.Endpoints)) {
			t.removeFirewallEndpoint(f.Endpoints[zone])
		}
		del(t, model.KindNetworkFirewall, t.st.NetworkFirewalls, f.ARN)
		out = f
		return nil
	})
	return out, err
}

// TagFirewallResource adds tags to (and removes keys from) a firewall,
// firewall policy or rule group by ARN.
func (e *Engine) TagFirewallResource(arn string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		change := func(tags model.Tags) model.Tags {
			c := tags.Clone()
			if c == nil {
				c = model.Tags{}
			}
			for k, v := range add {
				c[k] = v
			}
			for _, k := range remove {
				delete(c, k)
			}
			return c
		}
		switch {
		case t.st.NetworkFirewalls[arn] != nil:
			c := *t.st.NetworkFirewalls[arn]
			c.Tags = change(c.Tags)
			put(t, model.KindNetworkFirewall, t.st.NetworkFirewalls, arn, &c)
		case t.st.FirewallPolicies[arn] != nil:
			c := *t.st.FirewallPolicies[arn]
			c.Tags = change(c.Tags)
			put(t, model.KindFirewallPolicy, t.st.FirewallPolicies, arn, &c)
		case t.st.FirewallRuleGroups[arn] != nil:
			c := *t.st.FirewallRuleGroups[arn]
			c.Tags = change(c.Tags)
			put(t, model.KindFirewallRuleGroup, t.st.FirewallRuleGroups, arn, &c)
		default:
			return errNFNotFound("Resource", arn)
		}
		return nil
	})
}
