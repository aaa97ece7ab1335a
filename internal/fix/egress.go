package fix

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// natEgress reports whether a subnet's default route is an active public
// NAT gateway.
func (f *finder) natEgress(id model.SubnetID) bool {
	rt := f.st.SubnetRouteTable(id)
	if rt == nil {
		return false
	}
	for _, r := range rt.Routes {
		if r.Target != model.TargetNatGateway || !r.Destination.IsValid() || r.Destination.Bits() != 0 || !r.Destination.Addr().Is4() {
			continue
		}
		g := f.st.NatGateways[model.NatGatewayID(r.TargetID)]
		if g != nil && g.Regional() {
			// A regional gateway serves the zones it has an address in.
			if s := f.st.Subnets[id]; s == nil {
				return false
			} else if _, ok := g.ZoneAddress(s.AvailabilityZone); !ok {
				return false
			}
		}
		return g != nil && g.ConnectivityType != "private" && engine.RouteState(f.st, rt.VpcID, r) == "active"
	}
	return false
}

// privateSubnetsEgress: an awsvpc task on EC2 in a public subnet called
// the internet. Its ENI never gets a public IP (only Fargate's
// assignPublicIp gives one), so the internet gateway drops the packet.
// The service moves to the VPC's private subnets of the same zones, and
// those that have no NAT gateway route get one.
func (f *finder) privateSubnetsEgress(x reach.Explanation) []Fix {
	tk := f.taskOf(x)
	if tk == nil && f.q.From.ARN != "" {
		tk = f.st.Tasks[f.q.From.ARN]
	}
	svc := f.serviceOf(tk)
	if tk == nil || svc == nil || tk.LaunchType == model.LaunchFargate {
		return nil
	}
	// A service of task sets runs its tasks with their task set's network
	// configuration, and changes it as taskset.go says.
	cur := runNetwork(svc, tk)
	if cur == nil || len(cur.Subnets) == 0 {
		return nil
	}
	first := f.st.Subnets[cur.Subnets[0]]
	if first == nil {
		return nil
	}
	vpc := first.VpcID
	var subs []*model.Subnet
	for _, s := range f.st.Subnets {
		if s.VpcID == vpc && !f.st.PublicSubnet(s.ID) {
			subs = append(subs, s)
		}
	}
	// Prefer, per zone, a subnet that already has NAT egress, then CIDR order.
	slices.SortFunc(subs, func(a, b *model.Subnet) int {
		na, nb := f.natEgress(a.ID), f.natEgress(b.ID)
		if na != nb {
			if na {
				return -1
			}
			return 1
		}
		return strings.Compare(a.CIDR.String(), b.CIDR.String())
	})
	var ids, noNAT []model.SubnetID
	var names []string
	for _, sid := range cur.Subnets {
		s := f.st.Subnets[sid]
		if s == nil {
			return nil
		}
		i := slices.IndexFunc(subs, func(p *model.Subnet) bool { return p.AvailabilityZone == s.AvailabilityZone })
		if i < 0 {
			return nil // no private subnet in that zone: a new one is a design choice
		}
		p := subs[i]
		if slices.Contains(ids, p.ID) {
			continue
		}
		ids = append(ids, p.ID)
		names = append(names, p.Tags.NameOr(string(p.ID)))
		if !f.natEgress(p.ID) {
			noNAT = append(noNAT, p.ID)
		}
	}
	var nat Fix
	if len(noNAT) > 0 {
		var ok bool
		if nat, ok = f.natGateway(vpc, noNAT); !ok {
			return nil
		}
	}
	netw := *cur
	netw.Subnets = ids
	netw.AssignPublicIP = false
	title := fmt.Sprintf("Run the service %s's tasks in the private subnets %s, whose default route is a NAT gateway", svc.Name, strings.Join(names, ", "))
	cmds, update, ok := networkUpdate(f.st, svc, tk, &netw, "")
	if !ok {
		return nil
	}
	scen := fmt.Sprintf("services:\n  %s:\n    subnets: [%s]\n", svc.Name, strings.Join(names, ", "))
	if nat.apply != nil {
		title += fmt.Sprintf(" (%s)", strings.TrimPrefix(nat.Title, "Add "))
		cmds = append(nat.Commands, cmds...)
		scen = nat.Scenario + scen
	}
	v := Verification{From: serviceTask(f.from, svc.Name), To: f.to, Protocol: f.proto}
	return []Fix{{
		score: 30, Kind: "subnets",
		Title: title,
		Detail: "An awsvpc task on the EC2 launch type gets an ENI of its own with a private address only: the instance's public IP is on the instance's primary ENI. " +
			"Through an internet gateway such a task reaches nothing; through a NAT gateway it reaches the internet.",
		Commands:     cmds,
		Scenario:     scen,
		Verification: v,
		apply: func(e *engine.Engine) error {
			if nat.apply != nil {
				if err := nat.apply(e); err != nil {
					return err
				}
			}
			return update(e)
		},
	}}
}

// serviceEndpoint: a probe to an AWS service by name (ssmmessages for ECS
// Exec, sts, kms, …) that fails from inside a VPC gets the service's VPC
// endpoint (interface with private DNS, or the S3 gateway), in the zones
// of the source's service, as the start path's endpoints are proposed.
func (f *finder) serviceEndpoint() []Fix {
	if f.q.To.Kind != reach.KindAWSService || f.q.To.ID == "" || len(f.res.Forward) == 0 || f.res.Forward[0].Component == nil {
		return nil
	}
	eni := f.st.NetworkInterfaces[model.NetworkInterfaceID(f.res.Forward[0].Component.ID)]
	if eni == nil {
		return nil
	}
	subnets := []model.SubnetID{eni.SubnetID}
	if eni.OwnerKind == model.OwnedByECSTask {
		tk := f.st.Tasks[eni.ManagedBy]
		if svc := f.serviceOf(tk); svc != nil {
			if nw := runNetwork(svc, tk); nw != nil && len(nw.Subnets) > 0 {
				subnets = slices.Clone(nw.Subnets)
			}
		}
	}
	if fx, ok := f.endpoints(eni.VpcID, subnets, []string{f.q.To.ID}); ok {
		return []Fix{fx}
	}
	return nil
}

// regionalServiceName: a probe to an AWS service by a legacy or global
// name (SQS's REGION.queue.amazonaws.com, STS's sts.amazonaws.com) that
// fails from a VPC whose interface endpoint for the service answers only
// the Regional name: the client calls the Regional name instead (the
// SDK's endpoint URL; AWS_STS_REGIONAL_ENDPOINTS=regional for STS).
// Nothing changes in the system; the probe of the Regional name verifies it.
func (f *finder) regionalServiceName() []Fix {
	regional := f.n.RegionalName(f.q.To)
	if f.q.To.Kind != reach.KindAWSService || regional == "" {
		return nil
	}
	to := fmt.Sprintf("%s:%d", regional, f.probedPort())
	how := "the SDK client's endpoint URL https://" + regional
	if f.q.To.ID == "sts" {
		how = "AWS_STS_REGIONAL_ENDPOINTS=regional (or sts_regional_endpoints = regional in the config file), or the endpoint URL https://" + regional
	}
	title := fmt.Sprintf("Call %s instead of %s: the interface endpoint's private DNS answers the Regional name only", regional, f.q.To.Name)
	detail := "An interface VPC endpoint's private DNS answers the service's Regional name in the VPC; legacy and global names keep resolving to the service's public addresses, which a private subnet without a NAT gateway cannot reach. Set " + how + "."
	if f.q.To.ID == "s3" {
		// S3's legacy global endpoint is us-east-1's: outside the VPC
		// Region's prefix list, which a gateway endpoint routes.
		title = fmt.Sprintf("Call %s instead of %s: the global name is us-east-1's, and the VPC's S3 endpoints serve %s only", regional, f.q.To.Name, f.st.Region)
		detail = "s3.amazonaws.com, S3's legacy global endpoint, is US East (N. Virginia)'s: it resolves to S3's addresses there, outside the prefix list of the VPC Region's S3, which a gateway endpoint's route matches, and no interface endpoint's private DNS answers it. " +
			"Set the S3 client's region to " + f.st.Region + " (the SDK then calls " + regional + "), or its endpoint URL to https://" + regional + "."
	}
	return []Fix{{
		score: 8, Kind: "endpoint-name",
		Title:        title,
		Detail:       detail,
		Scenario:     "# no change: the client calls the Regional name\nexpect:\n  - {from: " + f.from + ", to: \"" + to + "\", verdict: connected}\n",
		apply:        func(*engine.Engine) error { return nil },
		Verification: Verification{From: f.from, To: to, Protocol: f.proto},
	}}
}
