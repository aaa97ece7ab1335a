package snapshot

import (
	"cmp"
	"encoding/json"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Network Firewall in a snapshot (round thirty-seven), one file per
// resource, each the aws CLI's output as it prints it:
//
//	network-firewall-describe-firewall-<name>.json         {"UpdateToken", "Firewall", "FirewallStatus"}
//	network-firewall-describe-firewall-policy-<name>.json  {"UpdateToken", "FirewallPolicyResponse", "FirewallPolicy"}
//	network-firewall-describe-rule-group-<type>-<name>.json {"UpdateToken", "RuleGroupResponse", "RuleGroup"}
//
// (NetworkFirewallFileName names them.) scripts/collect.sh makes these
// calls against AWS when the account has firewalls, and ecsnet collect
// against AWS or ecsnet serve (collect/networkfirewall.go). A firewall's endpoints are its FirewallStatus.SyncStates'
// attachments by zone (the GWLB endpoints describe-vpc-endpoints lists);
// its policy's rule groups are flattened as the CloudFormation and
// Terraform readers flatten them: stateless rules by group priority then
// rule priority, stateful groups by priority. Stateful rules written as
// 5-tuple headers are modelled; Suricata rule strings, domain lists, a
// header with a variable or an application protocol, and a group the
// snapshot does not hold (an AWS managed one) are not: the policy passes
// what they would decide, and its stateful default action is left out,
// with a warning. Without these files a firewall endpoint passes every
// flow (ecsnet does not know its policy).

// NetworkFirewallFileName is the file of one describe-firewall,
// describe-firewall-policy or describe-rule-group output: operation is
// the aws CLI's, name the resource's name (a rule group's prefixed by its
// type in lower case, as its ARN's resource part names it).
func NetworkFirewallFileName(operation, name string) string {
	return "network-firewall-" + operation + "-" + strings.ReplaceAll(name, "/", "-") + ".json"
}

// nfFirewall is describe-firewall's Firewall with its FirewallStatus.
type nfFirewall struct {
	FirewallName      string `json:"FirewallName"`
	FirewallArn       string `json:"FirewallArn"`
	FirewallPolicyArn string `json:"FirewallPolicyArn"`
	VpcID             string `json:"VpcId"`
	SubnetMappings    []struct {
		SubnetID string `json:"SubnetId"`
	} `json:"SubnetMappings"`
	Tags   []ec2Tag `json:"Tags,omitempty"`
	Status *nfStatus
}

// nfStatus is describe-firewall's FirewallStatus.
type nfStatus struct {
	Status     string `json:"Status"`
	SyncStates map[string]struct {
		Attachment *struct {
			SubnetID   string `json:"SubnetId"`
			EndpointID string `json:"EndpointId"`
			Status     string `json:"Status,omitempty"`
		} `json:"Attachment,omitempty"`
	} `json:"SyncStates"`
}

// nfAddress is an Address of a stateless rule's match.
type nfAddress struct {
	AddressDefinition string `json:"AddressDefinition"`
}

// nfPortRange is a PortRange.
type nfPortRange struct {
	FromPort int `json:"FromPort"`
	ToPort   int `json:"ToPort"`
}

// nfRuleGroup is describe-rule-group's RuleGroupResponse with its
// RuleGroup.
type nfRuleGroup struct {
	RuleGroupArn  string `json:"RuleGroupArn"`
	RuleGroupName string `json:"RuleGroupName"`
	Type          string `json:"Type"`
	Rules         *struct {
		RuleVariables *struct {
			IPSets   map[string]nfDefinition `json:"IPSets,omitempty"`
			PortSets map[string]nfDefinition `json:"PortSets,omitempty"`
		} `json:"RuleVariables,omitempty"`
		RulesSource struct {
			RulesString     string          `json:"RulesString,omitempty"`
			RulesSourceList json.RawMessage `json:"RulesSourceList,omitempty"`
			StatefulRules   []struct {
				Action string `json:"Action"`
				Header struct {
					Protocol        string `json:"Protocol"`
					Source          string `json:"Source"`
					SourcePort      string `json:"SourcePort"`
					Direction       string `json:"Direction"`
					Destination     string `json:"Destination"`
					DestinationPort string `json:"DestinationPort"`
				} `json:"Header"`
				RuleOptions []struct {
					Keyword  string   `json:"Keyword"`
					Settings []string `json:"Settings,omitempty"`
				} `json:"RuleOptions,omitempty"`
			} `json:"StatefulRules,omitempty"`
			StatelessRulesAndCustomActions *struct {
				StatelessRules []struct {
					Priority       int `json:"Priority"`
					RuleDefinition struct {
						Actions         []string `json:"Actions"`
						MatchAttributes struct {
							Sources          []nfAddress   `json:"Sources,omitempty"`
							Destinations     []nfAddress   `json:"Destinations,omitempty"`
							DestinationPorts []nfPortRange `json:"DestinationPorts,omitempty"`
							SourcePorts      []nfPortRange `json:"SourcePorts,omitempty"`
							Protocols        []int         `json:"Protocols,omitempty"`
							TCPFlags         []struct {
								Flags []string `json:"Flags"`
							} `json:"TCPFlags,omitempty"`
						} `json:"MatchAttributes"`
					} `json:"RuleDefinition"`
				} `json:"StatelessRules"`
			} `json:"StatelessRulesAndCustomActions,omitempty"`
		} `json:"RulesSource"`
	}
}

// nfDefinition is a rule variable's IP set or port set.
type nfDefinition struct {
	Definition []string `json:"Definition"`
}

// nfDomainList is a domain list rule group's RulesSourceList.
type nfDomainList struct {
	GeneratedRulesType string   `json:"GeneratedRulesType"`
	TargetTypes        []string `json:"TargetTypes"`
	Targets            []string `json:"Targets"`
}

// nfGroupRef is a policy's reference to a rule group.
type nfGroupRef struct {
	ResourceArn string `json:"ResourceArn"`
	Priority    *int   `json:"Priority,omitempty"`
}

// nfPolicy is describe-firewall-policy's FirewallPolicyResponse with its
// FirewallPolicy.
type nfPolicy struct {
	FirewallPolicyArn  string `json:"FirewallPolicyArn"`
	FirewallPolicyName string `json:"FirewallPolicyName"`
	Policy             *struct {
		StatelessRuleGroupReferences []nfGroupRef `json:"StatelessRuleGroupReferences,omitempty"`
		StatelessDefaultActions      []string     `json:"StatelessDefaultActions"`
		StatefulRuleGroupReferences  []nfGroupRef `json:"StatefulRuleGroupReferences,omitempty"`
		StatefulDefaultActions       []string     `json:"StatefulDefaultActions,omitempty"`
		StatefulEngineOptions        *struct {
			RuleOrder string `json:"RuleOrder,omitempty"`
		} `json:"StatefulEngineOptions,omitempty"`
		PolicyVariables *struct {
			RuleVariables map[string]nfDefinition `json:"RuleVariables,omitempty"`
		} `json:"PolicyVariables,omitempty"`
	}
}

// nfData are a region's Network Firewall outputs.
type nfData struct {
	firewalls []item[nfFirewall]
	policies  []item[nfPolicy]
	groups    []item[nfRuleGroup]
}

func (d *nfData) merge(o *nfData) {
	d.firewalls = append(d.firewalls, o.firewalls...)
	d.policies = append(d.policies, o.policies...)
	d.groups = append(d.groups, o.groups...)
}

// dispatchNetworkFirewall reads the three outputs by their response
// member, the other member beside it.
func (rd *regionData) dispatchNetworkFirewall(f *fileInfo, data []byte, m member, all map[string]span) (ok, handled bool) {
	sibling := func(k string, dst any) {
		if s, found := all[k]; found && data[s.start] == '{' {
			if err := json.Unmarshal(data[s.start:s.end], dst); err != nil {
				rd.warn(pos{f, s.start}.warning(CodeBadValue, "", k+" skipped: "+cleanJSONError(err)))
			}
		}
	}
	at := pos{f, m.val.start}
	switch m.key {
	case "Firewall":
		var x nfFirewall
		decoded, valid := decodeOne(rd, f, data, m, &x)
		if decoded {
			sibling("FirewallStatus", &x.Status)
			rd.nf.firewalls = append(rd.nf.firewalls, item[nfFirewall]{x, at})
		}
		return valid, true
	case "FirewallPolicyResponse":
		var x nfPolicy
		decoded, valid := decodeOne(rd, f, data, m, &x)
		if decoded {
			sibling("FirewallPolicy", &x.Policy)
			rd.nf.policies = append(rd.nf.policies, item[nfPolicy]{x, at})
		}
		return valid, true
	case "RuleGroupResponse":
		var x nfRuleGroup
		decoded, valid := decodeOne(rd, f, data, m, &x)
		if decoded {
			sibling("RuleGroup", &x.Rules)
			rd.nf.groups = append(rd.nf.groups, item[nfRuleGroup]{x, at})
		}
		return valid, true
	case "FirewallStatus", "FirewallPolicy", "RuleGroup":
		primary := map[string]string{"FirewallStatus": "Firewall", "FirewallPolicy": "FirewallPolicyResponse", "RuleGroup": "RuleGroupResponse"}[m.key]
		if _, found := all[primary]; !found {
			rd.warn(at.warning(CodeBadValue, "", m.key+" skipped: the file has no "+primary+" beside it (the aws CLI's output has both)"))
		}
		return json.Valid(data[m.val.start:m.val.end]), true
	case "UpdateToken":
		return true, true
	}
	return true, false
}

// nfFlatGroup is a rule group's rules as a policy flattens them.
type nfFlatGroup struct {
	stateless  []model.FirewallStatelessRule
	stateful   []model.FirewallStatefulRule
	unmodelled bool
}

// flatten reads a rule group's rules.
func (b *builder) nfFlatten(it item[nfRuleGroup]) nfFlatGroup {
	x := it.v
	var g nfFlatGroup
	if x.Rules == nil {
		g.unmodelled = true
		return g
	}
	src := x.Rules.RulesSource
	sg := model.FirewallStatefulGroup{Name: x.RuleGroupName, RulesString: src.RulesString}
	if len(src.RulesSourceList) > 0 && string(src.RulesSourceList) != "null" {
		var d nfDomainList
		if err := json.Unmarshal(src.RulesSourceList, &d); err != nil {
			b.rd.warn(it.at.warning(CodeBadValue, x.RuleGroupArn, "rule group "+x.RuleGroupName+"'s RulesSourceList is not a domain list: ecsnet does not apply it"))
			g.unmodelled = true
		} else {
			sg.DomainList = &model.FirewallDomainList{Type: d.GeneratedRulesType, TargetTypes: d.TargetTypes, Targets: d.Targets}
		}
	}
	if v := x.Rules.RuleVariables; v != nil {
		for k, d := range v.IPSets {
			if sg.IPSets == nil {
				sg.IPSets = map[string][]string{}
			}
			sg.IPSets[k] = d.Definition
		}
		for k, d := range v.PortSets {
			if sg.PortSets == nil {
				sg.PortSets = map[string][]string{}
			}
			sg.PortSets[k] = d.Definition
		}
	}
	prefixes := func(as []nfAddress) []netip.Prefix {
		var out []netip.Prefix
		for _, a := range as {
			p, err := netip.ParsePrefix(a.AddressDefinition)
			if err != nil {
				b.rd.warn(it.at.warning(CodeBadValue, x.RuleGroupArn, "an address of rule group "+x.RuleGroupName+" skipped: "+quote(a.AddressDefinition)+" is not a CIDR block"))
				continue
			}
			out = append(out, p.Masked())
		}
		return out
	}
	if sl := src.StatelessRulesAndCustomActions; sl != nil {
		for _, r := range sl.StatelessRules {
			act := ""
			for _, a := range r.RuleDefinition.Actions {
				if a == "aws:pass" || a == "aws:drop" || a == "aws:forward_to_sfe" {
					act = a
				}
			}
			ma := r.RuleDefinition.MatchAttributes
			if len(ma.TCPFlags) > 0 {
				// A rule of some TCP flags only matches some of a
				// connection's packets: ecsnet, which judges connections,
				// leaves it out rather than apply it to all of them.
				b.rd.warn(it.at.warning(CodeNotModelled, x.RuleGroupArn, "rule group "+x.RuleGroupName+"'s stateless rule of priority "+strconv.Itoa(r.Priority)+
					" matches TCP flags: ecsnet leaves the rule out"))
				continue
			}
			m := model.FirewallMatch{Sources: prefixes(ma.Sources), Destinations: prefixes(ma.Destinations)}
			protos := ma.Protocols
			if len(protos) == 0 {
				protos = []int{-1}
			}
			ports := ma.DestinationPorts
			if len(ports) == 0 {
				ports = []nfPortRange{{}}
			}
			sports := ma.SourcePorts
			if len(sports) == 0 {
				sports = []nfPortRange{{}}
			}
			// One modelled rule per protocol, destination port range and
			// source port range.
			for _, pr := range protos {
				for _, pt := range ports {
					for _, sp := range sports {
						y := m
						if pr >= 0 {
							if y.Protocol = model.FirewallProtocol(pr); y.Protocol == "" {
								continue
							}
						}
						y.FromPort, y.ToPort = uint16(pt.FromPort), uint16(max(pt.ToPort, pt.FromPort))
						y.SourceFromPort, y.SourceToPort = uint16(sp.FromPort), uint16(max(sp.ToPort, sp.FromPort))
						g.stateless = append(g.stateless, model.FirewallStatelessRule{Name: x.RuleGroupName + " priority " + strconv.Itoa(r.Priority),
							Priority: r.Priority, Match: y, Action: act})
					}
				}
			}
		}
	}
	for _, r := range src.StatefulRules {
		hr := model.FirewallHeaderRule{Action: r.Action, Direction: r.Header.Direction, SourcePort: r.Header.SourcePort,
			Header: model.FirewallHeader{Protocol: r.Header.Protocol, Source: r.Header.Source, Destination: r.Header.Destination, DestinationPort: r.Header.DestinationPort}}
		for _, o := range r.RuleOptions {
			hr.Options = append(hr.Options, [2]string{o.Keyword, strings.Join(o.Settings, ",")})
		}
		sg.Headers = append(sg.Headers, hr)
	}
	stateful, problems := sg.Rules()
	for _, pr := range problems {
		// Left out, and the policy's stateful default action with it.
		b.rd.warn(it.at.warning(CodeNotModelled, x.RuleGroupArn, pr.Error()+": ecsnet leaves the rule out"))
		g.unmodelled = true
	}
	g.stateful = append(g.stateful, stateful...)
	return g
}

// networkFirewalls builds the firewalls, their policies flattened (after
// the VPC endpoints, which are the firewalls' endpoints).
func (b *builder) networkFirewalls() {
	groups := map[string]nfFlatGroup{}
	for _, it := range b.rd.nf.groups {
		groups[it.v.RuleGroupArn] = b.nfFlatten(it)
	}
	type policy struct {
		pol        model.FirewallPolicy
		unmodelled bool
	}
	policies := map[string]policy{}
	for _, it := range b.rd.nf.policies {
		x := it.v
		var out policy
		pol := &out.pol
		pol.StatelessDefault = "aws:forward_to_sfe"
		if x.Policy == nil {
			out.unmodelled = true
			policies[x.FirewallPolicyArn] = out
			continue
		}
		for _, a := range x.Policy.StatelessDefaultActions {
			if a == "aws:pass" || a == "aws:drop" || a == "aws:forward_to_sfe" {
				pol.StatelessDefault = a
			}
		}
		pol.StrictOrder = x.Policy.StatefulEngineOptions != nil && x.Policy.StatefulEngineOptions.RuleOrder == "STRICT_ORDER"
		if pv := x.Policy.PolicyVariables; pv != nil {
			for _, d := range pv.RuleVariables["HOME_NET"].Definition {
				if p, err := netip.ParsePrefix(d); err == nil {
					pol.HomeNet = append(pol.HomeNet, p.Masked())
				} else {
					b.rd.warn(it.at.warning(CodeBadValue, x.FirewallPolicyArn, "firewall policy "+x.FirewallPolicyName+"'s HOME_NET "+quote(d)+" is not a CIDR block: left out"))
				}
			}
		}
		for _, d := range x.Policy.StatefulDefaultActions {
			if d == "aws:drop_strict" || d == "aws:drop_established" {
				pol.StatefulDefault = d
			}
		}
		type ref struct {
			prio int
			g    nfFlatGroup
		}
		for _, stateless := range []bool{true, false} {
			list := x.Policy.StatefulRuleGroupReferences
			if stateless {
				list = x.Policy.StatelessRuleGroupReferences
			}
			var refs []ref
			for i, r := range list {
				prio := i
				if r.Priority != nil {
					prio = *r.Priority
				}
				g, ok := groups[r.ResourceArn]
				if !ok {
					g.unmodelled = true // an AWS managed group, or one not collected
				}
				out.unmodelled = out.unmodelled || g.unmodelled
				refs = append(refs, ref{prio, g})
			}
			slices.SortStableFunc(refs, func(a, b ref) int { return cmp.Compare(a.prio, b.prio) })
			for _, g := range refs {
				if !stateless {
					pol.StatefulRules = append(pol.StatefulRules, g.g.stateful...)
					continue
				}
				pol.AddStatelessGroup(g.prio, g.g.stateless)
			}
		}
		if out.unmodelled {
			b.rd.warn(it.at.warning(CodeNotModelled, x.FirewallPolicyArn, "firewall policy "+x.FirewallPolicyName+
				": a rule group is a Suricata rule string, a domain list, an AWS managed group or one the snapshot does not hold: ecsnet does not apply it, and the policy's stateful default action neither"))
			pol.StatefulDefault = ""
		}
		policies[x.FirewallPolicyArn] = out
	}
	for _, it := range b.rd.nf.firewalls {
		x := it.v
		if x.FirewallArn == "" || x.FirewallName == "" {
			b.rd.warn(it.at.warning(CodeBadValue, x.FirewallArn, "a firewall without a FirewallArn or a FirewallName skipped"))
			continue
		}
		f := &model.NetworkFirewall{Name: x.FirewallName, ARN: x.FirewallArn, VpcID: model.VpcID(x.VpcID), Endpoints: map[string]model.VpcEndpointID{}, Tags: ec2Tags(x.Tags)}
		if x.Status != nil {
			for _, zone := range slices.Sorted(maps.Keys(x.Status.SyncStates)) {
				if a := x.Status.SyncStates[zone].Attachment; a != nil && a.EndpointID != "" {
					f.Endpoints[zone] = model.VpcEndpointID(a.EndpointID)
					if b.st.VpcEndpoints[model.VpcEndpointID(a.EndpointID)] == nil {
						b.rd.warn(it.at.warning(CodeDangling, x.FirewallArn, "firewall "+x.FirewallName+"'s endpoint "+a.EndpointID+" in "+zone+
							" is not in ec2 describe-vpc-endpoints: routes to it are not followed"))
					}
				}
			}
		}
		if len(f.Endpoints) == 0 {
			b.rd.warn(it.at.warning(CodeMissing, x.FirewallArn, "firewall "+x.FirewallName+" has no endpoints: its FirewallStatus's SyncStates are not in the file"))
		}
		if p, ok := policies[x.FirewallPolicyArn]; ok {
			f.Policy = p.pol
		} else {
			f.Policy.StatelessDefault = "aws:forward_to_sfe"
			b.rd.warn(it.at.warning(CodeMissing, x.FirewallArn, "firewall "+x.FirewallName+"'s policy "+x.FirewallPolicyArn+
				" is not in the snapshot (network-firewall describe-firewall-policy): ecsnet assumes it passes every flow"))
		}
		b.st.NetworkFirewalls[f.ARN] = f
	}
}

// networkFirewallFiles writes each firewall as describe-firewall prints
// it, its policy as describe-firewall-policy (named after the firewall)
// and the policy's rules as two rule groups, a stateless and a stateful
// one, of the policy's name: the rules in their flattened order (the
// stateless rules numbered again from 1, the stateful rules named by a
// msg option).
func (w *writer) networkFirewallFiles(files map[string]any) {
	for _, f := range sortedValues(w.st.NetworkFirewalls) {
		region, account := w.st.Region, w.st.Account
		if parts := strings.SplitN(f.ARN, ":", 6); len(parts) == 6 {
			region, account = parts[3], parts[4]
		}
		arn := func(resource string) string { return model.ARN(region, "network-firewall", account, resource) }
		polARN := arn("firewall-policy/" + f.Name)
		var mappings []any
		syncs := map[string]any{}
		for _, zone := range slices.Sorted(maps.Keys(f.Endpoints)) {
			ep := f.Endpoints[zone]
			subnet := ""
			if e := w.st.VpcEndpoints[ep]; e != nil && len(e.Subnets) > 0 {
				subnet = string(e.Subnets[0])
			}
			mappings = append(mappings, map[string]any{"SubnetId": subnet, "IPAddressType": "IPV4"})
			syncs[zone] = map[string]any{"Attachment": map[string]any{"SubnetId": subnet, "EndpointId": string(ep), "Status": "READY"}}
		}
		tags := []map[string]string{}
		for _, k := range sortedKeys(f.Tags) {
			tags = append(tags, map[string]string{"Key": k, "Value": f.Tags[k]})
		}
		files[NetworkFirewallFileName("describe-firewall", f.Name)] = map[string]any{
			"UpdateToken": "00000000-0000-0000-0000-000000000000",
			"Firewall": map[string]any{"FirewallName": f.Name, "FirewallArn": f.ARN, "FirewallId": f.ARN[strings.LastIndexByte(f.ARN, '/')+1:],
				"FirewallPolicyArn": polARN, "VpcId": string(f.VpcID), "SubnetMappings": mappings, "DeleteProtection": false,
				"SubnetChangeProtection": false, "FirewallPolicyChangeProtection": false, "Tags": tags},
			"FirewallStatus": map[string]any{"Status": "READY", "ConfigurationSyncStateSummary": "IN_SYNC", "SyncStates": syncs},
		}
		p := f.Policy
		policy := map[string]any{"StatelessDefaultActions": []string{p.StatelessDefault}, "StatelessFragmentDefaultActions": []string{p.StatelessDefault}}
		if p.StatelessDefault == "" {
			policy["StatelessDefaultActions"] = []string{"aws:forward_to_sfe"}
			policy["StatelessFragmentDefaultActions"] = []string{"aws:forward_to_sfe"}
		}
		if p.StrictOrder {
			policy["StatefulEngineOptions"] = map[string]any{"RuleOrder": "STRICT_ORDER"}
			if p.StatefulDefault != "" {
				policy["StatefulDefaultActions"] = []string{p.StatefulDefault}
			}
		} else {
			policy["StatefulEngineOptions"] = map[string]any{"RuleOrder": "DEFAULT_ACTION_ORDER"}
		}
		addresses := func(ps []netip.Prefix) []any {
			out := []any{}
			for _, p := range ps {
				out = append(out, map[string]string{"AddressDefinition": p.String()})
			}
			return out
		}
		protoNumber := map[string]int{"tcp": 6, "udp": 17, "icmp": 1}
		if len(p.StatelessRules) > 0 {
			var rules []any
			for i, r := range p.StatelessRules {
				ma := map[string]any{"Sources": addresses(r.Match.Sources), "Destinations": addresses(r.Match.Destinations)}
				if n, ok := protoNumber[r.Match.Protocol]; ok {
					ma["Protocols"] = []int{n}
				}
				if r.Match.FromPort != 0 || r.Match.ToPort != 0 {
					ma["DestinationPorts"] = []any{map[string]int{"FromPort": int(r.Match.FromPort), "ToPort": int(r.Match.ToPort)}}
				}
				if r.Match.SourceFromPort != 0 || r.Match.SourceToPort != 0 {
					ma["SourcePorts"] = []any{map[string]int{"FromPort": int(r.Match.SourceFromPort), "ToPort": int(r.Match.SourceToPort)}}
				}
				rules = append(rules, map[string]any{"Priority": i + 1, "RuleDefinition": map[string]any{"Actions": []string{r.Action}, "MatchAttributes": ma}})
			}
			gARN := arn("stateless-rulegroup/" + f.Name)
			policy["StatelessRuleGroupReferences"] = []any{map[string]any{"ResourceArn": gARN, "Priority": 1}}
			files[NetworkFirewallFileName("describe-rule-group", "stateless-"+f.Name)] = map[string]any{
				"UpdateToken":       "00000000-0000-0000-0000-000000000000",
				"RuleGroupResponse": map[string]any{"RuleGroupArn": gARN, "RuleGroupName": f.Name, "RuleGroupId": f.Name, "Type": "STATELESS", "Capacity": len(rules)},
				"RuleGroup":         map[string]any{"RulesSource": map[string]any{"StatelessRulesAndCustomActions": map[string]any{"StatelessRules": rules}}},
			}
		}
		if len(p.StatefulRules) > 0 {
			// The stateful rules as one rule string (every form a rule
			// group can take reads back the same way).
			var lines []string
			for i, r := range p.StatefulRules {
				lines = append(lines, r.Suricata(i+1))
			}
			rules := lines
			gARN := arn("stateful-rulegroup/" + f.Name)
			ref := map[string]any{"ResourceArn": gARN}
			group := map[string]any{"RulesSource": map[string]any{"RulesString": strings.Join(lines, "\n") + "\n"}}
			if p.StrictOrder {
				ref["Priority"] = 1
				group["StatefulRuleOptions"] = map[string]any{"RuleOrder": "STRICT_ORDER"}
			}
			policy["StatefulRuleGroupReferences"] = []any{ref}
			files[NetworkFirewallFileName("describe-rule-group", "stateful-"+f.Name)] = map[string]any{
				"UpdateToken":       "00000000-0000-0000-0000-000000000000",
				"RuleGroupResponse": map[string]any{"RuleGroupArn": gARN, "RuleGroupName": f.Name, "RuleGroupId": f.Name, "Type": "STATEFUL", "Capacity": len(rules)},
				"RuleGroup":         group,
			}
		}
		if len(p.HomeNet) > 0 {
			var defs []string
			for _, h := range p.HomeNet {
				defs = append(defs, h.String())
			}
			policy["PolicyVariables"] = map[string]any{"RuleVariables": map[string]any{"HOME_NET": map[string]any{"Definition": defs}}}
		}
		files[NetworkFirewallFileName("describe-firewall-policy", f.Name)] = map[string]any{
			"UpdateToken":            "00000000-0000-0000-0000-000000000000",
			"FirewallPolicyResponse": map[string]any{"FirewallPolicyName": f.Name, "FirewallPolicyArn": polARN, "FirewallPolicyId": f.Name},
			"FirewallPolicy":         policy,
		}
	}
}
