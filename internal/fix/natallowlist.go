package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// natAllowlistSubnets: a task with a public IP (assignPublicIp in a
// public subnet) leaves through the internet gateway by its own address,
// and the destination's security group admits the Elastic IP of a NAT
// gateway of the task's VPC: an allowlist written for the NAT gateway,
// which the task no longer goes through (an instance's traffic "to the
// internet" uses its public IP when its subnet routes to an internet
// gateway; a NAT gateway "replaces the source IP address of the instances
// with the IP address of the NAT gateway", Amazon VPC User Guide, "NAT
// gateways"). A task's public IP changes with every task, so no allowlist
// entry for it lasts: the service runs in the VPC's private subnets whose
// default route is that NAT gateway, without a public IP.
func (f *finder) natAllowlistSubnets(x reach.Explanation) []Fix {
	if x.Component == nil || f.q.From.ARN == "" {
		return nil
	}
	sg := f.st.SecurityGroups[model.SecurityGroupID(x.Component.ID)]
	tk := f.st.Tasks[f.q.From.ARN]
	svc := f.serviceOf(tk)
	if sg == nil || svc == nil {
		return nil
	}
	cur := runNetwork(svc, tk)
	if cur == nil || !cur.AssignPublicIP || len(cur.Subnets) == 0 {
		return nil
	}
	first := f.st.Subnets[cur.Subnets[0]]
	if first == nil {
		return nil
	}
	// The NAT gateways of the task's VPC whose public address the group
	// admits by a rule narrower than the whole internet.
	allowed := map[model.NatGatewayID]string{}
	for _, g := range f.st.NatGateways {
		if g.VpcID != first.VpcID || !g.PublicIP.IsValid() {
			continue
		}
		for _, r := range sg.Ingress {
			if r.CIDR.IsValid() && r.CIDR.Bits() > 0 && r.CIDR.Contains(g.PublicIP) {
				allowed[g.ID] = g.PublicIP.String()
			}
		}
	}
	if len(allowed) == 0 {
		return nil
	}
	// Private subnets whose default route is an allowed NAT gateway, the
	// task's zones first.
	var subs []*model.Subnet
	for _, s := range f.st.Subnets {
		if s.VpcID == first.VpcID && !f.st.PublicSubnet(s.ID) && f.natEgress(s.ID) {
			if _, ok := allowed[defaultNAT(f.st, s.ID)]; ok {
				subs = append(subs, s)
			}
		}
	}
	slices.SortFunc(subs, func(a, b *model.Subnet) int { return strings.Compare(a.CIDR.String(), b.CIDR.String()) })
	var ids []model.SubnetID
	var names, nats []string
	add := func(p *model.Subnet) {
		if slices.Contains(ids, p.ID) {
			return
		}
		ids, names = append(ids, p.ID), append(names, p.Tags.NameOr(string(p.ID)))
		g := defaultNAT(f.st, p.ID)
		if n := f.st.NatGateways[g].Tags.NameOr(string(g)) + " (" + allowed[g] + ")"; !slices.Contains(nats, n) {
			nats = append(nats, n)
		}
	}
	for _, sid := range cur.Subnets {
		s := f.st.Subnets[sid]
		if s == nil {
			return nil
		}
		if i := slices.IndexFunc(subs, func(p *model.Subnet) bool { return p.AvailabilityZone == s.AvailabilityZone }); i >= 0 {
			add(subs[i])
		}
	}
	if len(ids) == 0 && len(subs) > 0 {
		add(subs[0]) // another zone's: a NAT gateway serves subnets of any zone that route to it
	}
	if len(ids) == 0 {
		return nil
	}
	netw := *cur
	netw.Subnets = ids
	netw.AssignPublicIP = false
	cmds, update, ok := networkUpdate(f.st, svc, tk, &netw, "")
	if !ok {
		return nil
	}
	return []Fix{{
		score: 15, Kind: "subnets",
		Title: fmt.Sprintf("Run the service %s's tasks in the private subnets %s without a public IP, so that they leave through the NAT gateway %s that %s admits",
			svc.Name, strings.Join(names, ", "), strings.Join(nats, ", "), x.Component.Label()),
		Detail: "A task with a public IP in a subnet whose default route is an internet gateway leaves by its own public IP, which changes with every task; " +
			"an allowlist written for the NAT gateway's Elastic IP sees only the calls that go through the NAT gateway.",
		Commands:     cmds,
		Scenario:     fmt.Sprintf("services:\n  %s:\n    subnets: [%s]\n    assign_public_ip: false\n", svc.Name, strings.Join(names, ", ")),
		Verification: Verification{From: serviceTask(f.from, svc.Name), To: f.to, Protocol: f.proto},
		apply:        update,
	}}
}

// defaultNAT is the NAT gateway a subnet's IPv4 default route names, or "".
func defaultNAT(st *model.State, id model.SubnetID) model.NatGatewayID {
	rt := st.SubnetRouteTable(id)
	if rt == nil {
		return ""
	}
	for _, r := range rt.Routes {
		if r.Target == model.TargetNatGateway && r.Destination.IsValid() && r.Destination.Bits() == 0 && r.Destination.Addr().Is4() {
			return model.NatGatewayID(r.TargetID)
		}
	}
	return ""
}
