package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// networkACL proposes an allow entry numbered just below the entry that
// denied the packet. A reply on the return path needs the client's
// ephemeral ports, so that entry opens 1024-65535 (what AWS recommends).
func (f *finder) networkACL(x reach.Explanation) []Fix {
	if x.ACLRule == nil {
		return nil
	}
	acl := f.st.NetworkACLs[model.NetworkACLID(x.ACLRule.NetworkACLID)]
	pkt, ok := f.hopPacket(x)
	if acl == nil || !ok {
		return nil
	}
	egress := x.ACLRule.Egress
	rule := freeRuleBelow(acl, egress, x.ACLRule.RuleNumber)
	if rule == 0 {
		return nil
	}
	proto := protoName(pkt.Protocol)
	from, to := int(pkt.DestinationPort), int(pkt.DestinationPort)
	ports := fmt.Sprint(from)
	if x.Path == "return" {
		from, to, ports = 1024, 65535, "1024-65535"
	}
	cidr := "0.0.0.0/0"
	peer := pkt.Source
	if egress {
		peer = pkt.Destination
	}
	if peer.IsValid() && peer.IsPrivate() {
		cidr = peer.String() + "/32"
	}
	dir, flag := "ingress", "--ingress"
	if egress {
		dir, flag = "egress", "--egress"
	}
	in := engine.ACLEntryInput{ACLID: acl.ID, RuleNumber: rule, Egress: egress, Action: "allow", Protocol: proto, FromPort: intp(from), ToPort: intp(to), CIDR: cidr}
	name := acl.Tags.Name()
	if name == "" {
		name = string(acl.ID)
	}
	return []Fix{{
		score: 50, Kind: "network-acl",
		Title:  fmt.Sprintf("Add %s rule %d to network ACL %s: allow %s %s %s", dir, rule, name, proto, ports, cidrWord(egress, cidr)),
		Detail: "Network ACLs are stateless: the reply needs its own rule. Rules are evaluated lowest number first.",
		Commands: []string{fmt.Sprintf("aws ec2 create-network-acl-entry --network-acl-id %s %s --rule-number %d --protocol %s --port-range From=%d,To=%d --cidr-block %s --rule-action allow",
			acl.ID, flag, rule, proto, from, to, cidr)},
		Scenario: fmt.Sprintf("network_acls:\n  %s:\n    %s:\n      - {rule: %d, protocol: %s, ports: %s, cidr: %s, action: allow}\n", name, dir, rule, proto, ports, cidr),
		apply:    func(e *engine.Engine) error { return e.CreateNetworkACLEntry(in) },
	}}
}

func cidrWord(egress bool, cidr string) string {
	if egress {
		return "to " + cidr
	}
	return "from " + cidr
}

// freeRuleBelow returns the highest free rule number below limit (so the
// new entry is evaluated before it), or 0.
func freeRuleBelow(acl *model.NetworkACL, egress bool, limit int) int {
	used := map[int]bool{}
	for _, e := range acl.Entries {
		if e.Egress == egress {
			used[e.RuleNumber] = true
		}
	}
	if limit == model.ImplicitDenyRule {
		// Nothing before the final deny matched, so any free number works:
		// the conventional 100, 110, …
		for n := 100; n < model.ImplicitDenyRule; n += 10 {
			if !used[n] {
				return n
			}
		}
		return 0
	}
	start := limit - 1
	for n := start; n >= 1; n-- {
		if !used[n] {
			return n
		}
	}
	return 0
}

// route proposes a default route to the VPC's internet gateway for the
// route table that had none (or a blackhole).
func (f *finder) route(x reach.Explanation) []Fix {
	var rt *model.RouteTable
	if x.Route != nil {
		rt = f.st.RouteTables[model.RouteTableID(x.Route.RouteTableID)]
	}
	if rt == nil && x.Component != nil {
		rt = f.st.RouteTables[model.RouteTableID(x.Component.ID)]
	}
	if rt == nil {
		return nil
	}
	igw := f.st.VpcInternetGateway(rt.VpcID)
	if igw == nil {
		return nil
	}
	replace := false
	for _, r := range rt.Routes {
		if r.Destination.String() == "0.0.0.0/0" {
			replace = true
		}
	}
	in := engine.RouteInput{RouteTableID: rt.ID, DestinationCIDR: "0.0.0.0/0", GatewayID: string(igw.ID)}
	verb, call := "create-route", func(e *engine.Engine) error { return e.CreateRoute(in) }
	if replace {
		verb, call = "replace-route", func(e *engine.Engine) error { return e.ReplaceRoute(in) }
	}
	name := rt.Tags.Name()
	if name == "" {
		name = string(rt.ID)
	}
	igwName := igw.Tags.Name()
	if igwName == "" {
		igwName = string(igw.ID)
	}
	return []Fix{{
		score: 60, Kind: "route",
		Title:    fmt.Sprintf("Route 0.0.0.0/0 to internet gateway %s in route table %s", igwName, name),
		Commands: []string{fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block 0.0.0.0/0 --gateway-id %s", verb, rt.ID, igw.ID)},
		Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: 0.0.0.0/0, target: %s}\n", name, igwName),
		apply:    call,
	}}
}
