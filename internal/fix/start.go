package fix

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// startPath proposes, for tasks that cannot start (or instances that
// cannot register), each way out as one change: a NAT gateway with its
// Elastic IP and the default routes; the set of VPC endpoints the start
// path needs, with their security group and route table associations;
// and, for Fargate tasks in a public subnet, a public IP.
func (f *finder) startPath(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil {
		return nil
	}
	sf := x.Tasks.Failure
	svcName := x.Tasks.Service
	subnets := f.startSubnets(x.Tasks, sf)
	if len(subnets) == 0 {
		return nil
	}
	var out []Fix
	if sf.PublicSubnet && !sf.PublicIP && sf.Pulls == "task" {
		if svc := f.serviceNamed(x.Tasks.Service); svc != nil {
			// A task set's failure: a task of that task set stands
			// for it (its startedBy).
			var tk *model.Task
			if sf.TaskSet != "" {
				tk = &model.Task{StartedBy: sf.TaskSet}
			}
			out = append(out, f.servicePublicIP(svc, tk)...)
		}
	}
	if sf.PublicSubnet && !sf.PublicIP && sf.Pulls == "instance" {
		if fx, ok := f.instancePublicIP(sf); ok {
			out = append(out, fx)
		}
	}
	if sf.Service == "logs" && sf.ServiceRegion != "" {
		if svc := f.serviceNamed(x.Tasks.Service); svc != nil {
			if fx, ok := f.logsRegion(svc, sf.ServiceRegion); ok {
				out = append(out, fx)
			}
		}
	}
	if sf.DualStackImage != "" {
		if svc := f.serviceNamed(x.Tasks.Service); svc != nil {
			if fx, ok := f.dualStackImage(svc, sf); ok {
				out = append(out, fx)
			}
		}
	}
	var path []Fix
	if x := sf.Blocked; x != nil && x.Code == reach.CodeVPCDNSOff {
		path = append(path, f.dnsSupport(sf.VpcID))
	}
	if strings.Contains(sf.Why, reach.CustomDNSMarker) {
		if fx, ok := f.amazonDNS(sf.VpcID); ok {
			path = append(path, fx)
		}
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeVPCBlockPublicAccess {
		path = append(path, f.blockPublicAccess(*x)...)
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeTGWRTBCannotRoute {
		path = append(path, f.tgwFixes(*x)...)
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeReturnRouteMismatch && x.Path == "return" {
		// The way out through an egress VPC works, the reply's way back
		// does not: a route to the tasks' VPC through the transit gateway
		// on the route table the reply leaves by.
		path = append(path, f.tgwRoute(*x)...)
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodePrivateZoneNotAssociated && x.Component != nil && sf.VpcID != "" {
		// A log collector's name in a private hosted zone of other VPCs
		// (the start path's lookup): the zone associated with the
		// tasks' VPC, verified by starting them again.
		if z := f.st.HostedZones[x.Component.ID]; z != nil {
			zoneID, vpc := z.ID, sf.VpcID
			path = append(path, Fix{
				score: 10, Kind: "route53",
				Title:    fmt.Sprintf("Associate the private hosted zone %s (%s) with %s", z.Name, z.ID, vpcPhrase(f.st, vpc)),
				Detail:   "A private hosted zone answers only in the VPCs associated with it; the Resolver of the tasks' VPC answers NXDOMAIN for its names until it is associated.",
				Commands: []string{fmt.Sprintf("aws route53 associate-vpc-with-hosted-zone --hosted-zone-id %s --vpc VPCRegion=%s,VPCId=%s", z.ID, f.st.Region, vpc)},
				Scenario: fmt.Sprintf("hosted_zones:\n  %s:\n    vpcs: [..., %s]\n", z.Name, vpc),
				apply: func(e *engine.Engine) error {
					return e.AssociateVPCWithHostedZone(zoneID, vpc)
				},
			})
		}
	}
	if sf.VpcID != "" {
		path = append(path, f.associateServiceZones(sf)...)
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeNoIPv6Address {
		// An interface endpoint without AAAA records for an IPv6-only task.
		path = append(path, f.endpointIPv6(*x)...)
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeIPv6OnlyNoNAT64 {
		// An IPv4-only name from an IPv6-only subnet: DNS64 and NAT64.
		path = append(path, f.nat64For(f.st.Subnets[sf.Subnet])...)
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeNoRouteToDestination && x.Address.Is6() {
		// An IPv6-only interface's start path over IPv6 (the dual-stack
		// names) without a ::/0 route: the egress-only gateway when the
		// VPC has one (it lets nothing in), else the internet gateway.
		if rt := f.st.SubnetRouteTable(sf.Subnet); rt != nil {
			igw := f.st.VpcInternetGateway(rt.VpcID)
			if f.st.VpcEgressOnlyIGW(rt.VpcID) != nil {
				igw = nil
			}
			path = append(path, f.routeIPv6(*x, rt, igw)...)
		}
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeENISourceDestCheck {
		path = append(path, f.sourceDestCheck(*x)...)
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeIngressAsymmetric {
		path = append(path, f.ingressSymmetry(*x)...) // ingressasym.go
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeNetworkFirewallDrop {
		path = append(path, f.networkFirewallPass(*x)...) // networkfirewall.go
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeDNSServerUnreachable && x.Component != nil {
		// The lookup's udp/53 query to the VPC's own DNS server was
		// dropped: the finding that dropped it, fixed as for any packet
		// of the start path (the tasks start again to verify it).
		y := *x
		dns := *sf
		dns.Blocked = &y
		switch x.Component.Type {
		case "security-group":
			y.Code = reach.CodeSGRulesMismatch
			if fx, ok := f.startSecurityGroup(&dns); ok {
				path = append(path, fx)
			}
		case "network-acl":
			y.Code = reach.CodeSubnetACLRestriction
			for _, fx := range f.networkACL(y) {
				fx.score = 15
				if x.Path == "return" {
					fx.Detail += " Here the entry carries the answers to the lookups of the task start path's names, from the VPC's own DNS server's port 53 back to the task's ephemeral port."
				} else {
					fx.Detail += " Here the entry carries the lookups of the task start path's names, udp/53 to the VPC's own DNS server."
				}
				path = append(path, fx)
			}
		}
	}
	if fx, ok := f.startSecurityGroup(sf); ok {
		path = append(path, fx)
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeEndpointPolicyDenied {
		object := sf.Secret
		if sf.Code == reach.CodeEnvFilesUnreachable {
			object = sf.EnvFile
		}
		if sf.Code == reach.CodeFireLensConfigUnreachable {
			object = sf.FireLensConfig
		}
		if fx, ok := f.endpointPolicy(*x, object, sf.Code); ok {
			path = append(path, fx)
		}
	}
	if x := sf.Blocked; x != nil && x.Code == reach.CodeSubnetACLRestriction {
		for i, fx := range f.networkACL(*x) {
			fx.score = 15
			fx.Detail += " Here the entry carries the task start path (registry auth, image layers, secrets, logs)."
			path = append(path, fx)
			if i == 0 {
				// The same ACL may drop the reply too (a deny-all
				// entry): the entry for the request and the one the
				// start path then needs, in one fix.
				if both, ok := f.startACLReply(svcName, fx); ok {
					path = append(path, both)
				}
			}
		}
	}
	if sf.PublicIP && !sf.PublicSubnet {
		if fx, ok := f.publicRouteTable(sf.VpcID, subnets); ok {
			path = append(path, fx)
		} else if fx, ok := f.igwDefaultRoute(sf.VpcID, subnets); ok {
			path = append(path, fx)
		}
	}
	if !sf.PublicIP && !sf.PublicSubnet {
		if fx, ok := f.natRouteTable(sf.VpcID, subnets); ok {
			path = append(path, fx)
		}
		if fx, ok := f.regionalNATRoute(subnets); ok {
			path = append(path, fx)
		}
	}
	if fx, ok := f.natGateway(sf.VpcID, subnets); ok {
		path = append(path, fx)
	}
	if !sf.NeedsInternet && len(sf.Needs) > 0 {
		if fx, ok := f.endpoints(sf.VpcID, subnets, sf.Needs); ok {
			path = append(path, fx)
		}
	}
	f.restartStarts(x, path)
	return append(out, path...)
}

// startACLReply: the network ACL entry first lets the start path's request
// out (or in), but the same ACL may drop what comes next on the path, the
// reply on the ephemeral ports above all (an ACL whose only entry denies
// everything). first is applied to a copy, the service's tasks start
// again, and when they stop on another entry of a network ACL, the entry
// that admits that is added: one fix of both entries.
func (f *finder) startACLReply(svcName string, first Fix) (Fix, bool) {
	svc := f.serviceNamed(svcName)
	if svc == nil {
		return Fix{}, false
	}
	clone := f.e.Clone()
	if err := first.apply(clone); err != nil {
		return Fix{}, false
	}
	if _, err := clone.UpdateService(engine.UpdateServiceInput{Cluster: clusterName(svc.ClusterARN), Service: svc.Name, ForceNewDeployment: true}); err != nil {
		return Fix{}, false
	}
	if err := clone.Converge(); err != nil {
		return Fix{}, false
	}
	st, _ := clone.Snapshot()
	var next *reach.StartFailure
	for _, tk := range st.Tasks {
		if tk.ServiceName != svc.Name || tk.ClusterARN != svc.ClusterARN || tk.StopCode != "TaskFailedToStart" {
			continue
		}
		if sf := reach.TaskStartFailure(st, tk); sf != nil && sf.Blocked != nil && sf.Blocked.Code == reach.CodeSubnetACLRestriction {
			next = sf
			break
		}
	}
	if next == nil {
		return Fix{}, false
	}
	g := *f
	g.e, g.st = clone, st
	more := g.networkACL(*next.Blocked)
	if len(more) == 0 || more[0].Title == first.Title {
		return Fix{}, false
	}
	both := combineACL([]Fix{first, more[0]})
	if len(both) == 0 {
		return Fix{}, false
	}
	both[0].score = 14
	both[0].Detail += " Here the entries carry the task start path (registry auth, image layers, secrets, logs)."
	return both[0], true
}

// restartStarts makes each of path's fixes start the failed tasks again
// once applied: a new deployment of the service (ECS backs off a service
// whose tasks keep failing to start), or the standalone task run again.
func (f *finder) restartStarts(x reach.Explanation, path []Fix) {
	sf := x.Tasks.Failure
	// ECS backs off a service whose tasks keep failing to start: a new
	// deployment starts tasks again at once.
	if svc := f.serviceNamed(x.Tasks.Service); svc != nil && sf.Code != reach.CodeAgentCannotRegister && sf.Code != reach.CodeAgentDisconnected {
		cluster := clusterName(svc.ClusterARN)
		for i := range path {
			apply := path[i].apply
			path[i].Commands = append(path[i].Commands, fmt.Sprintf("aws ecs update-service --cluster %s --service %s --force-new-deployment", cluster, svc.Name))
			path[i].apply = func(e *engine.Engine) error {
				if err := apply(e); err != nil {
					return err
				}
				_, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: svc.Name, ForceNewDeployment: true})
				return err
			}
		}
		// A probe from (or to) a task that stopped: the deployment's new
		// tasks carry new names, so verify with the service's name, which
		// stands for a running task of it.
		if v, ok := f.serviceVerification(svc.Name); ok {
			for i := range path {
				path[i].Verification = v
			}
		}
	}
	// A standalone task is not started again by ECS: the fix is proved by
	// running it again (the new task takes its name).
	if x.Tasks.Task != "" && f.serviceNamed(x.Tasks.Service) == nil {
		if tk := f.stoppedTaskNamed(x.Tasks.Task); tk != nil {
			cmd, rerun := f.rerunTask(tk)
			for i := range path {
				apply := path[i].apply
				path[i].Commands = append(path[i].Commands, cmd)
				path[i].apply = func(e *engine.Engine) error {
					if err := apply(e); err != nil {
						return err
					}
					return rerun(e)
				}
			}
		}
	}
}

// stoppedTaskNamed returns the stopped task people call name, or nil.
func (f *finder) stoppedTaskNamed(name string) *model.Task {
	var out *model.Task
	for _, tk := range f.st.Tasks {
		if tk.LastStatus == model.TaskStopped && f.st.TaskName(tk) == name && (out == nil || tk.ARN < out.ARN) {
			out = tk
		}
	}
	return out
}

// rerunTask is RunTask with a stopped task's parameters and tags; the
// stopped task gives up its Name tag so that its name now means the new
// task.
func (f *finder) rerunTask(tk *model.Task) (string, func(e *engine.Engine) error) {
	cluster := clusterName(tk.ClusterARN)
	td := tk.TaskDefinitionARN
	if d := f.st.TaskDefinitions[td]; d != nil {
		td = fmt.Sprintf("%s:%d", d.Family, d.Revision)
	}
	cmd := fmt.Sprintf("aws ecs run-task --cluster %s --task-definition %s", cluster, td)
	if tk.LaunchType != "" {
		cmd += " --launch-type " + string(tk.LaunchType)
	}
	if n := tk.Network; n != nil {
		cmd += " --network-configuration " + awsvpcCLI(n)
	}
	in := engine.RunTaskInput{Cluster: cluster, TaskDefinition: tk.TaskDefinitionARN, Count: 1, LaunchType: tk.LaunchType,
		PlatformVersion: tk.PlatformVersion, Tags: tk.Tags.Clone()}
	if tk.Network != nil {
		netw := *tk.Network
		in.Network = &netw
	}
	arn := tk.ARN
	return cmd, func(e *engine.Engine) error {
		if err := e.TagECSResource(arn, engine.TagChange{Remove: map[string]*string{"Name": nil}}); err != nil {
			return err
		}
		_, err := e.RunTask(in)
		return err
	}
}

// startSecurityGroup: a security group drops the start path's HTTPS:
// the task's (or instance's) group has no outbound rule for tcp/443 (to
// the AWS service, a NAT gateway or an interface endpoint), or an
// interface endpoint's group does not admit tcp/443 from it. The rule is
// the narrowest that serves the path: the endpoint's group or the VPC's
// range inside the VPC, 0.0.0.0/0 for public service addresses (which
// AWS does not publish as a fixed range for most services).
func (f *finder) startSecurityGroup(sf *reach.StartFailure) (Fix, bool) {
	x := sf.Blocked
	if x == nil || x.Code != reach.CodeSGRulesMismatch || x.NetworkInterface == nil || x.Port == 0 {
		return Fix{}, false
	}
	vpc := f.st.VPCs[sf.VpcID]
	if vpc == nil {
		return Fix{}, false
	}
	port := int(x.Port)
	proto := "tcp"
	if x.Protocol == "udp" {
		proto = "udp" // a lookup of the VPC's own DNS server (udp/53)
	}
	perm := engine.IPPermission{Protocol: proto, FromPort: intp(port), ToPort: intp(port)}
	var sg model.SecurityGroupID
	var peer, peerYAML, peerCLI, dir string
	egress := x.Direction == "egress"
	if egress {
		sg, dir = f.preferredGroup(sf.Groups), "egress"
		peer, peerYAML, peerCLI = "anywhere (0.0.0.0/0)", "cidr: 0.0.0.0/0", "--cidr 0.0.0.0/0"
		if x.Address.IsValid() && vpc.Contains(x.Address) {
			peer, peerYAML, peerCLI = "the VPC "+vpc.CIDR.String(), "cidr: "+vpc.CIDR.String(), "--cidr "+vpc.CIDR.String()
		}
		perm.CIDRs = []engine.RuleSource{{Value: strings.TrimPrefix(peerCLI, "--cidr ")}}
		// The destination is behind a gateway endpoint (S3, DynamoDB) on
		// the subnet's route table: its addresses are the service's prefix
		// list, which a rule names instead of opening 0.0.0.0/0.
		if pl := f.gatewayPrefixList(sf.Subnet, x.Address); pl != nil {
			peer, peerYAML = "the prefix list "+pl.Name+" ("+string(pl.ID)+", the gateway endpoint's addresses)", "prefix_list: "+string(pl.ID)
			peerCLI = ""
			perm.CIDRs, perm.PrefixLists = nil, []engine.RuleSource{{Value: string(pl.ID)}}
		}
	} else {
		eni := f.st.NetworkInterfaces[model.NetworkInterfaceID(x.NetworkInterface.ID)]
		from := f.preferredGroup(sf.Groups)
		if eni == nil || from == "" {
			return Fix{}, false
		}
		sg, dir = f.preferredGroup(eni.SecurityGroups), "ingress"
		peer, peerYAML, peerCLI = "security group "+f.groupName(from), "group: "+f.groupName(from), "--source-group "+string(from)
		perm.Groups = []engine.RuleSource{{Value: string(from)}}
		if sf.NATInstance != "" && sf.NATCIDR.IsValid() {
			// A NAT instance forwards the private subnets' traffic: AWS's
			// NAT instance setup admits their range, so every task and
			// instance behind it gets out, not one group's.
			c := sf.NATCIDR.String()
			peer, peerYAML, peerCLI = "the VPC "+c, "cidr: "+c, "--cidr "+c
			perm.Groups, perm.CIDRs = nil, []engine.RuleSource{{Value: c}}
		}
	}
	if sg == "" {
		return Fix{}, false
	}
	verb := "to"
	if !egress {
		verb = "from"
	}
	why := "for the start path's " + sf.Service
	if !egress && sf.NATInstance != "" {
		why += " through the NAT instance " + sf.NATInstance
	}
	detail := "The task start path (registry auth, image layers, secrets, logs) is HTTPS; security groups are stateful, so one rule in the direction of the connection is enough."
	if proto == "udp" {
		why = "for the start path's lookups through the VPC's DNS server " + x.Address.String()
		if !egress {
			why = "for the start path's lookups"
		}
		detail = "The task start path looks its names up through the DNS servers of the VPC's DHCP options, over udp/53; security groups are stateful, so the rule in the direction of the query is enough."
	}
	return Fix{
		score: 15, Kind: "security-group",
		Title:    fmt.Sprintf("Allow %s/%d %s %s on security group %s (%s, %s)", proto, port, verb, peer, f.groupName(sg), dir, why),
		Detail:   detail,
		Commands: []string{authorizeCommand(dir, sg, proto, port, peerCLI, perm.PrefixLists)},
		Scenario: fmt.Sprintf("security_groups:\n  %s:\n    %s:\n      - {protocol: %s, ports: %d, %s}\n", f.groupName(sg), dir, proto, port, peerYAML),
		apply: func(e *engine.Engine) error {
			_, err := e.AuthorizeSecurityGroup(sg, egress, []engine.IPPermission{perm})
			return err
		},
	}, true
}

// gatewayPrefixList returns the prefix list of a gateway endpoint on the
// subnet's route table whose addresses hold a, or nil.
func (f *finder) gatewayPrefixList(subnet model.SubnetID, a netip.Addr) *model.PrefixList {
	rt := f.st.SubnetRouteTable(subnet)
	if rt == nil || !a.IsValid() {
		return nil
	}
	for _, r := range rt.Routes {
		if r.DestinationPrefixList == "" || r.Target != model.TargetVpcEndpoint {
			continue
		}
		if pl := f.st.PrefixLists[r.DestinationPrefixList]; pl != nil && slices.ContainsFunc(pl.CIDRs, func(p netip.Prefix) bool { return p.Contains(a) }) {
			return pl
		}
	}
	return nil
}

// authorizeCommand is the aws CLI call that adds a rule (tcp, udp) for one port:
// the shorthand flags for a CIDR or a group, --ip-permissions for a
// prefix list (the shorthand has no flag for one).
func authorizeCommand(dir string, sg model.SecurityGroupID, proto string, port int, peerCLI string, pls []engine.RuleSource) string {
	if len(pls) > 0 {
		return fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --ip-permissions 'IpProtocol=%s,FromPort=%d,ToPort=%d,PrefixListIds=[{PrefixListId=%s}]'", dir, sg, proto, port, port, pls[0].Value)
	}
	return fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --protocol %s --port %d %s", dir, sg, proto, port, peerCLI)
}

// publicRouteTable: ENIs with a public IP in subnets whose route table
// has no default route to an internet gateway. The public IP only works
// through an internet gateway: associate the subnets with the VPC's route
// table that has that route (replacing an explicit association).
func (f *finder) publicRouteTable(vpc model.VpcID, subnets []model.SubnetID) (Fix, bool) {
	pub := f.tableWithDefault(vpc, subnets, model.TargetInternetGateway)
	if pub == nil {
		return Fix{}, false
	}
	return f.associateSubnets(pub, subnets, 20, "(0.0.0.0/0 to the internet gateway), so the tasks' public IPs are used",
		"A public IP is translated only by an internet gateway; a subnet whose route table has no route to one is private whatever its ENIs carry.")
}

// igwDefaultRoute: ENIs with a public IP in subnets whose route table
// (often the VPC's main table, which a subnet without an explicit
// association uses, and which a new VPC creates with the local route
// only) has no default route, in a VPC whose internet gateway no route
// table uses: attaching an internet gateway routes nothing to it. The fix
// routes 0.0.0.0/0 to the gateway in the subnets' own route tables (AWS
// VPC User Guide, "Enable internet access for a VPC using an internet
// gateway": "add a route to the route table for the subnet that directs
// internet-bound traffic to the internet gateway"). A table that already
// has a default route (to a NAT gateway, say) is left alone: it serves
// private subnets on purpose.
func (f *finder) igwDefaultRoute(vpc model.VpcID, subnets []model.SubnetID) (Fix, bool) {
	igw := f.st.VpcInternetGateway(vpc)
	if igw == nil {
		return Fix{}, false
	}
	var rts []*model.RouteTable
	for _, id := range subnets {
		rt := f.st.SubnetRouteTable(id)
		if rt == nil || hasDefault(rt) || slices.ContainsFunc(rts, func(r *model.RouteTable) bool { return r.ID == rt.ID }) {
			continue
		}
		rts = append(rts, rt)
	}
	if len(rts) == 0 {
		return Fix{}, false
	}
	igwName := igw.Tags.NameOr(string(igw.ID))
	var names, cmds []string
	var yaml strings.Builder
	yaml.WriteString("route_tables:\n")
	for _, rt := range rts {
		name := rt.Tags.NameOr(string(rt.ID))
		if slices.ContainsFunc(rt.Associations, func(a model.RouteTableAssociation) bool { return a.Main }) {
			name += " (the VPC's main route table)"
		}
		names = append(names, name)
		cmds = append(cmds, fmt.Sprintf("aws ec2 create-route --route-table-id %s --destination-cidr-block 0.0.0.0/0 --gateway-id %s", rt.ID, igw.ID))
		fmt.Fprintf(&yaml, "  %s:\n    routes:\n      - {destination: 0.0.0.0/0, target: %s}\n", rt.Tags.NameOr(string(rt.ID)), igwName)
	}
	gw := igw.ID
	return Fix{
		score: 20, Kind: "route",
		Title:    fmt.Sprintf("Route 0.0.0.0/0 to internet gateway %s in route table %s", igwName, strings.Join(names, ", ")),
		Detail:   "The internet gateway is attached, but no route table sends traffic to it: a public IP is translated only for traffic that the subnet's route table sends to the internet gateway.",
		Commands: cmds,
		Scenario: yaml.String(),
		apply: func(e *engine.Engine) error {
			for _, rt := range rts {
				if err := e.CreateRoute(engine.RouteInput{RouteTableID: rt.ID, DestinationCIDR: "0.0.0.0/0", GatewayID: string(gw)}); err != nil {
					return err
				}
			}
			return nil
		},
	}, true
}

// natRouteTable: private subnets whose route table (often the VPC's main
// table, which a subnet without an explicit association uses) has no way
// out, in a VPC that has a route table whose default route is an
// available NAT gateway: associate the subnets with that table (AWS VPC
// User Guide, "Subnet route tables": "If you don't explicitly associate a
// subnet with a particular route table, the subnet is implicitly
// associated with the main route table").
func (f *finder) natRouteTable(vpc model.VpcID, subnets []model.SubnetID) (Fix, bool) {
	nat := f.tableWithDefault(vpc, subnets, model.TargetNatGateway)
	if nat == nil {
		return Fix{}, false
	}
	return f.associateSubnets(nat, subnets, 18, "(0.0.0.0/0 to a NAT gateway), so the tasks reach the internet and the public AWS endpoints",
		"A subnet without an explicit route table association uses the VPC's main route table; the route table that has the NAT gateway's route serves only the subnets associated with it.")
}

// tableWithDefault returns the VPC's route table (the lowest id) whose
// active IPv4 default route goes to a target of the given kind, that is
// not already the route table of every one of the subnets; nil if none.
func (f *finder) tableWithDefault(vpc model.VpcID, subnets []model.SubnetID, kind model.RouteTargetKind) *model.RouteTable {
	var out *model.RouteTable
	for _, rt := range f.st.RouteTables {
		if rt.VpcID != vpc || out != nil && out.ID < rt.ID {
			continue
		}
		all := true
		for _, id := range subnets {
			if t := f.st.SubnetRouteTable(id); t == nil || t.ID != rt.ID {
				all = false
			}
		}
		if all {
			continue
		}
		for _, r := range rt.Routes {
			if r.Target == kind && r.Destination.Bits() == 0 && r.Destination.Addr().Is4() && engine.RouteState(f.st, vpc, r) == "active" {
				out = rt
				break
			}
		}
	}
	return out
}

// associateSubnets associates subnets with a route table, replacing
// their explicit associations.
func (f *finder) associateSubnets(pub *model.RouteTable, subnets []model.SubnetID, score int, why, detail string) (Fix, bool) {
	type change struct {
		subnet model.SubnetID
		assoc  model.RouteTableAssocID
	}
	var changes []change
	var names, cmds []string
	for _, id := range subnets {
		c := change{subnet: id}
		for _, rt := range f.st.RouteTables {
			for _, a := range rt.Associations {
				if a.SubnetID == id {
					c.assoc = a.ID
				}
			}
		}
		changes = append(changes, c)
		name := string(id)
		if sn := f.st.Subnets[id]; sn != nil {
			name = sn.Tags.NameOr(name)
		}
		names = append(names, name)
		if c.assoc != "" {
			cmds = append(cmds, fmt.Sprintf("aws ec2 replace-route-table-association --association-id %s --route-table-id %s", c.assoc, pub.ID))
		} else {
			cmds = append(cmds, fmt.Sprintf("aws ec2 associate-route-table --route-table-id %s --subnet-id %s", pub.ID, id))
		}
	}
	rtName := pub.Tags.NameOr(string(pub.ID))
	var yaml strings.Builder
	yaml.WriteString("subnets:\n")
	for _, n := range names {
		fmt.Fprintf(&yaml, "  %s:\n    route_table: %s\n", n, rtName)
	}
	return Fix{
		score: score, Kind: "route",
		Title:    fmt.Sprintf("Associate %s with route table %s %s", strings.Join(names, ", "), rtName, why),
		Detail:   detail,
		Commands: cmds,
		Scenario: yaml.String(),
		apply: func(e *engine.Engine) error {
			for _, c := range changes {
				var err error
				if c.assoc != "" {
					_, err = e.ReplaceRouteTableAssociation(c.assoc, pub.ID)
				} else {
					_, err = e.AssociateRouteTable(pub.ID, c.subnet)
				}
				if err != nil {
					return err
				}
			}
			return nil
		},
	}, true
}

// serviceVerification is the verification of a fix that redeploys the
// service svc: its tasks carry new names, so a probe from or to one of its
// tasks is verified with the service's name, which stands for a running
// task of it. ok is false when the probe names none of its tasks.
func (f *finder) serviceVerification(svc string) (v Verification, ok bool) {
	from, to := serviceTask(f.from, svc), serviceTask(f.to, svc)
	return Verification{From: from, To: to, Protocol: f.proto}, from != f.from || to != f.to
}

// serviceTask rewrites an endpoint spec that names a task of the service
// ("web/0", "web/0:3000") to the service's name ("web", "web:3000").
func serviceTask(spec, svc string) string {
	rest, ok := strings.CutPrefix(spec, svc+"/")
	if !ok {
		return spec
	}
	n, port, _ := strings.Cut(rest, ":")
	if n == "" || strings.Trim(n, "0123456789") != "" {
		return spec
	}
	if port != "" {
		return svc + ":" + port
	}
	return svc
}

// instancePublicIP: container instances of an Auto Scaling group in a
// public subnet (its default route is the internet gateway) without a
// public IPv4 address reach nothing outside the VPC: the internet gateway
// translates only addresses that have a public one. A new launch template
// version that asks for a public IP on the primary interface, made the
// default, and an instance refresh replace them; when the template does
// not say, the subnet's MapPublicIpOnLaunch decides, and turning it on is
// the change.
func (f *finder) instancePublicIP(sf *reach.StartFailure) (Fix, bool) {
	var asg *model.AutoScalingGroup
	var ids []model.InstanceID
	for _, inst := range f.st.Instances {
		if inst.State != model.InstanceRunning || inst.SubnetID != sf.Subnet || inst.AutoScalingGroup == "" {
			continue
		}
		if eni := f.st.NetworkInterfaces[inst.PrimaryENI]; eni == nil {
			continue
		} else if _, ok := eni.PublicIP(); ok {
			continue
		}
		g := f.st.AutoScalingGroups[inst.AutoScalingGroup]
		if g == nil || (asg != nil && g.Name != asg.Name) {
			return Fix{}, false // several groups: one fix each is not this one
		}
		asg = g
		ids = append(ids, inst.ID)
	}
	if asg == nil || asg.LaunchTemplate == nil {
		return Fix{}, false
	}
	switch strings.ToLower(asg.LaunchTemplate.Version) {
	case "", "$default", "$latest":
	default:
		return Fix{}, false // a pinned version: the group would need updating too
	}
	var lt *model.LaunchTemplate
	for _, x := range f.st.LaunchTemplates {
		if x.ID == asg.LaunchTemplate.ID || (asg.LaunchTemplate.ID == "" && x.Name == asg.LaunchTemplate.Name) {
			lt = x
		}
	}
	if lt == nil {
		return Fix{}, false
	}
	cur, ok := lt.Version(asg.LaunchTemplate.Version)
	if !ok {
		return Fix{}, false
	}
	slices.Sort(ids)
	subnet := string(sf.Subnet)
	if s := f.st.Subnets[sf.Subnet]; s != nil {
		subnet = s.Tags.NameOr(subnet)
	}
	why := fmt.Sprintf("The subnet %s routes 0.0.0.0/0 to an internet gateway, which carries only the traffic of interfaces with a public IPv4 address: "+
		"without one the ECS agent reaches neither ECS nor the registries (else: run the instances in private subnets behind a NAT gateway).", subnet)
	refresh := fmt.Sprintf("aws autoscaling start-instance-refresh --auto-scaling-group-name %s", asg.Name)
	var nic *model.LaunchTemplateNetworkInterface
	for i, x := range cur.Data.NetworkInterfaces {
		if x.DeviceIndex == 0 {
			nic = &cur.Data.NetworkInterfaces[i]
		}
	}
	if nic == nil || nic.AssociatePublicIPAddress == nil {
		// The template leaves it to the subnets: MapPublicIpOnLaunch on
		// each public subnet of the group that lacks it.
		var subs []model.SubnetID
		var names []string
		cmds := []string{}
		var yml strings.Builder
		for _, id := range asg.Subnets {
			sn := f.st.Subnets[id]
			if sn == nil || sn.MapPublicIPOnLaunch || !f.st.PublicSubnet(id) {
				continue
			}
			subs = append(subs, id)
			names = append(names, sn.Tags.NameOr(string(id)))
			cmds = append(cmds, fmt.Sprintf("aws ec2 modify-subnet-attribute --subnet-id %s --map-public-ip-on-launch", id))
			fmt.Fprintf(&yml, "  %s:\n    public_ip_on_launch: true\n", sn.Tags.NameOr(string(id)))
		}
		if len(subs) == 0 {
			return Fix{}, false
		}
		return Fix{
			score: 20, Kind: "subnets",
			Title:    fmt.Sprintf("Turn on auto-assign public IPv4 (MapPublicIpOnLaunch) in subnet %s and replace the instances of %s", strings.Join(names, ", "), asg.Name),
			Detail:   why + " The launch template does not say, so the subnet's MapPublicIpOnLaunch decides; an instance refresh replaces the instances.",
			Commands: append(cmds, refresh),
			Scenario: "subnets:\n" + yml.String(),
			apply: func(e *engine.Engine) error {
				for _, id := range subs {
					if err := e.ModifySubnetAttribute(id, true); err != nil {
						return err
					}
				}
				return replaceInstances(e, ids)
			},
		}, true
	}
	// The template's primary interface says false: a new version that
	// says true, made the default.
	d := cur.Data
	d.NetworkInterfaces = slices.Clone(d.NetworkInterfaces)
	yes := true
	groups := make([]string, 0, len(nic.Groups))
	for i := range d.NetworkInterfaces {
		if d.NetworkInterfaces[i].DeviceIndex == 0 {
			d.NetworkInterfaces[i].AssociatePublicIPAddress = &yes
		}
	}
	for _, g := range nic.Groups {
		groups = append(groups, `"`+string(g)+`"`)
	}
	ref := model.LaunchTemplateRef{ID: lt.ID}
	return Fix{
		score: 20, Kind: "launch-template",
		Title: fmt.Sprintf("Give the instances of %s a public IP (launch template %s: AssociatePublicIpAddress true on the primary interface) and replace them",
			asg.Name, lt.Name),
		Detail: why + " A new launch template version with a public IP on device 0, made the default, and an instance refresh replace the instances.",
		Commands: []string{
			fmt.Sprintf("aws ec2 create-launch-template-version --launch-template-id %s --source-version %d --launch-template-data "+
				"'{\"NetworkInterfaces\":[{\"DeviceIndex\":0,\"AssociatePublicIpAddress\":true,\"Groups\":[%s]}]}'    # → VersionNumber",
				lt.ID, cur.Number, strings.Join(groups, ",")),
			fmt.Sprintf("aws ec2 modify-launch-template --launch-template-id %s --default-version <VersionNumber>", lt.ID),
			refresh,
		},
		Scenario: fmt.Sprintf("launch_templates:\n  %s:\n    public_ip: true\n", lt.Name),
		apply: func(e *engine.Engine) error {
			_, num, err := e.CreateLaunchTemplateVersion(ref, "", "", d)
			if err != nil {
				return err
			}
			if _, err := e.ModifyLaunchTemplate(ref, strconv.Itoa(num)); err != nil {
				return err
			}
			return replaceInstances(e, ids)
		},
	}, true
}

func (f *finder) serviceNamed(name string) *model.Service {
	for _, s := range sortedServices(f.st) {
		if s.Name == name && s.Status != "INACTIVE" {
			return s
		}
	}
	return nil
}

func sortedServices(st *model.State) []*model.Service {
	out := make([]*model.Service, 0, len(st.Services))
	for _, s := range st.Services {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *model.Service) int { return strings.Compare(a.ARN, b.ARN) })
	return out
}

// startSubnets returns the subnets whose start path must change: a
// Fargate service's subnets, else the subnets of the instances that pull
// (or that cannot register).
func (f *finder) startSubnets(x *reach.TasksStopped, sf *reach.StartFailure) []model.SubnetID {
	var out []model.SubnetID
	add := func(id model.SubnetID) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	svc := f.serviceNamed(x.Service)
	if sf.Pulls == "task" && svc != nil && svc.Network != nil {
		for _, s := range svc.Network.Subnets {
			add(s)
		}
		return out
	}
	add(sf.Subnet)
	if svc != nil {
		for _, i := range f.st.Instances {
			if i.Live() && model.UserDataECSCluster(i.UserData) == clusterName(svc.ClusterARN) {
				add(i.SubnetID)
			}
		}
	}
	slices.Sort(out)
	return out
}

// servicePublicIP: a Fargate service in a public subnet gets
// assignPublicIp ENABLED (the task set of task tk, for a service of task
// sets: taskset.go).
func (f *finder) servicePublicIP(svc *model.Service, tk *model.Task) []Fix {
	cur := runNetwork(svc, tk)
	if cur == nil || cur.AssignPublicIP {
		return nil
	}
	netw := *cur
	netw.AssignPublicIP = true
	cmds, apply, ok := networkUpdate(f.st, svc, tk, &netw, " --force-new-deployment")
	if !ok {
		return nil
	}
	return []Fix{{
		score: 25, Kind: "fargate",
		Title:    fmt.Sprintf("Set assignPublicIp ENABLED on the Fargate service %s", svc.Name),
		Detail:   "Its subnets route the destination to an internet gateway, which only carries traffic from ENIs with a public IP.",
		Commands: cmds,
		Scenario: fmt.Sprintf("services:\n  %s:\n    assign_public_ip: true\n", svc.Name),
		apply:    apply,
	}}
}

// natGateway: an Elastic IP, a NAT gateway in a public subnet (in the
// zone of the first private subnet when there is one) and 0.0.0.0/0 to it
// in the route table of every subnet given.
func (f *finder) natGateway(vpc model.VpcID, subnets []model.SubnetID) (Fix, bool) {
	pubs := f.publicSubnets(vpc)
	if len(pubs) == 0 {
		return Fix{}, false
	}
	pub := pubs[0]
	if s := f.st.Subnets[subnets[0]]; s != nil {
		for _, p := range pubs {
			if p.AvailabilityZone == s.AvailabilityZone {
				pub = p
				break
			}
		}
	}
	var rts []*model.RouteTable
	for _, id := range subnets {
		rt := f.st.SubnetRouteTable(id)
		if rt == nil || slices.ContainsFunc(rts, func(r *model.RouteTable) bool { return r.ID == rt.ID }) {
			continue
		}
		if f.st.PublicSubnet(id) {
			continue // a public subnet keeps its internet gateway route
		}
		rts = append(rts, rt)
	}
	if len(rts) == 0 {
		return Fix{}, false
	}
	natName := freeName(func(s string) bool {
		for _, n := range f.st.NatGateways {
			if n.Tags.Name() == s {
				return true
			}
		}
		return false
	}, "nat")
	eipName := natName + "-eip"
	pubName := pub.Tags.NameOr(string(pub.ID))
	cmds := []string{
		"aws ec2 allocate-address --domain vpc    # → AllocationId",
		fmt.Sprintf("aws ec2 create-nat-gateway --subnet-id %s --allocation-id <AllocationId>    # → NatGatewayId", pub.ID),
		"aws ec2 wait nat-gateway-available --nat-gateway-ids <NatGatewayId>",
	}
	var yamlRT strings.Builder
	var rtNames []string
	for _, rt := range rts {
		verb := "create-route"
		if hasDefault(rt) {
			verb = "replace-route"
		}
		cmds = append(cmds, fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <NatGatewayId>", verb, rt.ID))
		name := rt.Tags.NameOr(string(rt.ID))
		rtNames = append(rtNames, name)
		fmt.Fprintf(&yamlRT, "  %s:\n    routes:\n      - {destination: 0.0.0.0/0, target: %s}\n", name, natName)
	}
	return Fix{
		score: 35, Kind: "nat-gateway",
		Title: fmt.Sprintf("Add a NAT gateway in %s (with an Elastic IP) and route 0.0.0.0/0 to it from route table %s", pubName, strings.Join(rtNames, ", ")),
		Detail: "Tasks and instances in private subnets reach the internet and the public AWS endpoints through a NAT gateway in a public subnet. " +
			"One per zone keeps a zone's outage from taking the others' egress with it.",
		Commands: cmds,
		Scenario: fmt.Sprintf("elastic_ips:\n  %s: {}\nnat_gateways:\n  %s: {subnet: %s, elastic_ip: %s}\nroute_tables:\n%s", eipName, natName, pubName, eipName, yamlRT.String()),
		apply: func(e *engine.Engine) error {
			addr, err := e.AllocateAddress(netip.Addr{}, model.Tags{"Name": eipName})
			if err != nil {
				return err
			}
			ng, err := e.CreateNatGateway(engine.CreateNatGatewayInput{SubnetID: pub.ID, AllocationID: addr.AllocationID, Tags: model.Tags{"Name": natName}})
			if err != nil {
				return err
			}
			for _, rt := range rts {
				in := engine.RouteInput{RouteTableID: rt.ID, DestinationCIDR: "0.0.0.0/0", NatGatewayID: ng.ID}
				if hasDefault(rt) {
					err = e.ReplaceRoute(in)
				} else {
					err = e.CreateRoute(in)
				}
				if err != nil {
					return err
				}
			}
			return nil
		},
	}, true
}

// hasDefault reports whether the route table has an IPv4 default route
// (0.0.0.0/0), which a new one to a NAT gateway or an internet gateway
// replaces. A ::/0 route (an egress-only gateway's) is not one: replacing
// 0.0.0.0/0 there fails, as ReplaceRoute of a route that does not exist.
func hasDefault(rt *model.RouteTable) bool {
	for _, r := range rt.Routes {
		if r.Destination.IsValid() && r.Destination.Bits() == 0 && r.Destination.Addr().Is4() {
			return true
		}
	}
	return false
}

// endpoints: the VPC endpoints a start path needs that the VPC lacks:
// interface endpoints (private DNS on) in the subnets, one per zone, with
// a new security group admitting tcp/443 from the VPC, and the S3 gateway
// endpoint on the subnets' route tables.
func (f *finder) endpoints(vpcID model.VpcID, subnets []model.SubnetID, needs []string) (Fix, bool) {
	vpc := f.st.VPCs[vpcID]
	if vpc == nil {
		return Fix{}, false
	}
	region := f.st.Region
	have := func(svc, typ string) *model.VpcEndpoint {
		for _, ep := range f.st.VpcEndpoints {
			if ep.VpcID == vpcID && ep.ServiceName == model.EndpointServiceName(region, svc, typ) && ep.Type == typ && ep.State != "deleted" {
				return ep
			}
		}
		return nil
	}
	zones := map[string]bool{}
	var epSubnets []model.SubnetID
	for _, id := range subnets {
		if s := f.st.Subnets[id]; s != nil && !zones[s.AvailabilityZone] {
			zones[s.AvailabilityZone] = true
			epSubnets = append(epSubnets, id)
		}
	}
	var rtIDs []model.RouteTableID
	for _, id := range subnets {
		if rt := f.st.SubnetRouteTable(id); rt != nil && !slices.Contains(rtIDs, rt.ID) {
			rtIDs = append(rtIDs, rt.ID)
		}
	}
	dnsOff := !vpc.EnableDNSSupport || !vpc.EnableDNSHostnames
	var iface []string
	var dnsOn []*model.VpcEndpoint
	var gwAdd []model.RouteTableID
	gwEP := (*model.VpcEndpoint)(nil)
	// gwSvc is the gateway endpoint's service: S3 (the image layers), or
	// DynamoDB when a probe names it (one gateway service per fix).
	gwSvc := ""
	for _, svc := range needs {
		if svc == "s3" || svc == "dynamodb" {
			if gwSvc != "" {
				continue
			}
			gwSvc = svc
			gwEP = have(svc, "Gateway")
			for _, rt := range rtIDs {
				if gwEP == nil || !slices.Contains(gwEP.RouteTables, rt) {
					gwAdd = append(gwAdd, rt)
				}
			}
			continue
		}
		if ep := have(svc, "Interface"); ep == nil {
			iface = append(iface, svc)
		} else if !ep.PrivateDNSEnabled {
			// It exists: what it lacks is private DNS (a second endpoint
			// would only duplicate it).
			dnsOn = append(dnsOn, ep)
		}
	}
	if len(iface) == 0 && len(gwAdd) == 0 && len(dnsOn) == 0 {
		return Fix{}, false
	}
	// The VPC's other interface endpoints' group, when it admits HTTPS
	// from the whole VPC, serves the new ones too: the change a user makes
	// (one endpoint more), not a second group of the same rule.
	var shared *model.SecurityGroup
	sgName, groupArg := "", "<GroupId>"
	if len(iface) > 0 {
		if shared = f.endpointGroup(vpc); shared != nil {
			sgName, groupArg = shared.Tags.NameOr(shared.Name), string(shared.ID)
		} else {
			sgName = freeName(func(s string) bool { _, ok := f.sgByName(vpcID, s); return ok }, "vpc-endpoints")
		}
	}
	var cmds []string
	var yaml strings.Builder
	var names []string
	if (len(iface) > 0 || len(dnsOn) > 0) && dnsOff {
		cmds = append(cmds, fmt.Sprintf("aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-support", vpcID),
			fmt.Sprintf("aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-hostnames", vpcID))
		fmt.Fprintf(&yaml, "vpcs:\n  %s:\n    dns_support: true\n    dns_hostnames: true    # private DNS needs both\n", vpc.Tags.NameOr(string(vpcID)))
	}
	if len(iface) > 0 && shared == nil {
		cmds = append(cmds,
			fmt.Sprintf("aws ec2 create-security-group --vpc-id %s --group-name %s --description 'VPC interface endpoints'    # → GroupId", vpcID, sgName),
			fmt.Sprintf("aws ec2 authorize-security-group-ingress --group-id <GroupId> --protocol tcp --port 443 --cidr %s", vpc.CIDR))
		fmt.Fprintf(&yaml, "security_groups:\n  %s:\n    vpc: %s\n    ingress:\n      - {protocol: tcp, ports: 443, cidr: %s}\n", sgName, vpc.Tags.NameOr(string(vpcID)), vpc.CIDR)
	}
	var sids []string
	var snames []string
	for _, s := range epSubnets {
		sids = append(sids, string(s))
		snames = append(snames, f.st.Subnets[s].Tags.NameOr(string(s)))
	}
	if len(iface) > 0 || len(gwAdd) > 0 || len(dnsOn) > 0 {
		yaml.WriteString("vpc_endpoints:\n")
	}
	for _, ep := range dnsOn {
		svc, _, _ := model.EndpointServiceOf(region, ep.ServiceName)
		names = append(names, svc+" (private DNS on "+string(ep.ID)+")")
		cmds = append(cmds, fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --private-dns-enabled", ep.ID))
		fmt.Fprintf(&yaml, "  %s: {private_dns: true}\n", ep.Tags.NameOr(string(ep.ID)))
	}
	for _, svc := range iface {
		names = append(names, svc)
		cmds = append(cmds, fmt.Sprintf("aws ec2 create-vpc-endpoint --vpc-id %s --vpc-endpoint-type Interface --service-name %s --subnet-ids %s --security-group-ids %s --private-dns-enabled",
			vpcID, model.EndpointServiceName(region, svc, "Interface"), strings.Join(sids, " "), groupArg))
		fmt.Fprintf(&yaml, "  %s: {vpc: %s, service: %s, subnets: [%s], security_groups: [%s]}\n", strings.ReplaceAll(svc, ".", "-"), vpc.Tags.NameOr(string(vpcID)), svc, strings.Join(snames, ", "), sgName)
	}
	if len(gwAdd) > 0 {
		var rids, rnames []string
		for _, r := range gwAdd {
			rids = append(rids, string(r))
			rnames = append(rnames, f.st.RouteTables[r].Tags.NameOr(string(r)))
		}
		if gwEP == nil {
			names = append(names, gwSvc+" (gateway)")
			cmds = append(cmds, fmt.Sprintf("aws ec2 create-vpc-endpoint --vpc-id %s --vpc-endpoint-type Gateway --service-name %s --route-table-ids %s",
				vpcID, model.EndpointServiceName(region, gwSvc, "Gateway"), strings.Join(rids, " ")))
			fmt.Fprintf(&yaml, "  %s: {vpc: %s, service: %s, route_tables: [%s]}\n", gwSvc, vpc.Tags.NameOr(string(vpcID)), gwSvc, strings.Join(rnames, ", "))
		} else {
			names = append(names, gwSvc+" (gateway, on "+strings.Join(rnames, ", ")+")")
			cmds = append(cmds, fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-route-table-ids %s", gwEP.ID, strings.Join(rids, " ")))
			fmt.Fprintf(&yaml, "  %s: {route_tables: [%s]}    # add these route tables\n", gwEP.Tags.NameOr(string(gwEP.ID)), strings.Join(rnames, ", "))
		}
	}
	title := "Add the VPC endpoints " + strings.Join(names, ", ")
	if len(names) == 1 {
		title = "Add the VPC endpoint " + names[0]
	}
	score := 40
	if gwEP != nil && len(gwAdd) > 0 && len(iface) == 0 && len(dnsOn) == 0 {
		// The gateway endpoint is there, on other route tables: one
		// association is the change (modify-vpc-endpoint).
		var rnames []string
		for _, r := range gwAdd {
			rnames = append(rnames, f.st.RouteTables[r].Tags.NameOr(string(r)))
		}
		score = 12
		title = "Associate route table " + strings.Join(rnames, ", ") + " with the " + map[string]string{"s3": "S3", "dynamodb": "DynamoDB"}[gwSvc] + " gateway endpoint " + gwEP.Tags.NameOr(string(gwEP.ID))
	}
	if len(iface) == 0 && len(gwAdd) == 0 {
		// The endpoints are there: one attribute each, the smallest change.
		score = 12
		names = names[:0]
		for _, ep := range dnsOn {
			svc, _, _ := model.EndpointServiceOf(region, ep.ServiceName)
			names = append(names, svc+" ("+string(ep.ID)+")")
		}
		title = "Enable private DNS on the VPC endpoints " + strings.Join(names, ", ")
		if len(names) == 1 {
			title = "Enable private DNS on the VPC endpoint " + names[0]
		}
	}
	if shared != nil {
		title += " with the security group " + sgName + " of the VPC's other endpoints (it admits tcp/443 from the VPC)"
	} else if len(iface) > 0 {
		title += " with a security group " + sgName + " that admits tcp/443 from the VPC"
	}
	return Fix{
		score: score, Kind: "vpc-endpoints",
		Title:    title,
		Detail:   "Without a route to the internet, tasks reach AWS services through VPC endpoints: interface endpoints with private DNS, and the S3 gateway endpoint for ECR's image layers.",
		Commands: cmds,
		Scenario: yaml.String(),
		apply: func(e *engine.Engine) error {
			var sg model.SecurityGroupID
			if (len(iface) > 0 || len(dnsOn) > 0) && dnsOff {
				on := true
				if err := e.ModifyVpcAttribute(vpcID, &on, nil); err != nil {
					return err
				}
				if err := e.ModifyVpcAttribute(vpcID, nil, &on); err != nil {
					return err
				}
			}
			if shared != nil {
				sg = shared.ID
			} else if len(iface) > 0 {
				g, err := e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: vpcID, Name: sgName, Description: "VPC interface endpoints", Tags: model.Tags{"Name": sgName}})
				if err != nil {
					return err
				}
				sg = g.ID
				if _, err := e.AuthorizeSecurityGroup(sg, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(443), ToPort: intp(443),
					CIDRs: []engine.RuleSource{{Value: vpc.CIDR.String()}}}}); err != nil {
					return err
				}
			}
			on := true
			for _, ep := range dnsOn {
				if _, err := e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: ep.ID, PrivateDNSEnabled: &on}); err != nil {
					return err
				}
			}
			for _, svc := range iface {
				if _, err := e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: vpcID, ServiceName: model.EndpointServiceName(region, svc, "Interface"), Type: "Interface",
					SubnetIDs: epSubnets, SecurityGroupIDs: []model.SecurityGroupID{sg}, PrivateDNSEnabled: &on, Tags: model.Tags{"Name": strings.ReplaceAll(svc, ".", "-")}}); err != nil {
					return err
				}
			}
			if len(gwAdd) > 0 {
				if gwEP == nil {
					if _, err := e.CreateVpcEndpoint(engine.CreateVpcEndpointInput{VpcID: vpcID, ServiceName: model.EndpointServiceName(region, gwSvc, "Gateway"), Type: "Gateway",
						RouteTableIDs: gwAdd, Tags: model.Tags{"Name": gwSvc}}); err != nil {
						return err
					}
				} else if _, err := e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: gwEP.ID, AddRouteTableIDs: gwAdd}); err != nil {
					return err
				}
			}
			return nil
		},
	}, true
}

// endpointGroup is the security group of one of the VPC's interface
// endpoints that admits tcp/443 from the whole VPC (a rule whose range
// holds the VPC's primary CIDR), nil for none; the first by id when
// several do.
func (f *finder) endpointGroup(vpc *model.VPC) *model.SecurityGroup {
	var ids []model.SecurityGroupID
	for _, ep := range f.st.VpcEndpoints {
		if ep.VpcID != vpc.ID || ep.Type != "Interface" || ep.State == "deleted" {
			continue
		}
		for _, g := range ep.SecurityGroups {
			if !slices.Contains(ids, g) {
				ids = append(ids, g)
			}
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		g := f.st.SecurityGroups[id]
		if g == nil {
			continue
		}
		for _, r := range g.Ingress {
			if r.Protocol.Matches(model.TCP) && (!r.Protocol.HasPorts() || r.Ports.Contains(443)) &&
				r.CIDR.IsValid() && r.CIDR.Bits() <= vpc.CIDR.Bits() && r.CIDR.Contains(vpc.CIDR.Addr()) {
				return g
			}
		}
	}
	return nil
}

func (f *finder) sgByName(vpc model.VpcID, name string) (*model.SecurityGroup, bool) {
	for _, g := range f.st.SecurityGroups {
		if g.VpcID == vpc && g.Name == name {
			return g, true
		}
	}
	return nil, false
}

// natForRoute: a private subnet with no route to a public address gets a
// NAT gateway (one change: the Elastic IP, the gateway, the route).
func (f *finder) natForRoute(x reach.Explanation) []Fix {
	if !x.Address.IsValid() || x.Address.IsPrivate() || x.Component == nil {
		return nil
	}
	rt := f.st.RouteTables[model.RouteTableID(x.Component.ID)]
	if rt == nil {
		return nil
	}
	var subnets []model.SubnetID
	for _, a := range rt.Associations {
		if a.SubnetID != "" {
			subnets = append(subnets, a.SubnetID)
		}
	}
	if rt.IsMain() {
		for _, s := range f.st.Subnets {
			if s.VpcID == rt.VpcID && f.st.SubnetRouteTable(s.ID) == rt {
				subnets = append(subnets, s.ID)
			}
		}
	}
	slices.Sort(subnets)
	subnets = slices.Compact(subnets)
	if len(subnets) == 0 {
		return nil
	}
	var out []Fix
	if fx, ok := f.existingNAT(rt, subnets); ok {
		out = append(out, fx)
	}
	if fx, ok := f.natGateway(rt.VpcID, subnets); ok {
		out = append(out, fx)
	}
	return out
}

// existingNAT: a route table without a working default route gets one to
// a NAT gateway the VPC already has (available, public, in a subnet whose
// route table sends 0.0.0.0/0 to an internet gateway), the one in the
// subnets' zone when there is one: one route, where a new NAT gateway is
// three changes and an hourly charge. A NAT gateway of another zone
// carries the traffic too (cross-zone data is charged, and that zone's
// outage takes this egress with it: Amazon VPC User Guide, "NAT gateway
// basics", create a NAT gateway in each Availability Zone), so the
// detail says so.
func (f *finder) existingNAT(rt *model.RouteTable, subnets []model.SubnetID) (Fix, bool) {
	zone := ""
	if s := f.st.Subnets[subnets[0]]; s != nil {
		zone = s.AvailabilityZone
	}
	if fx, ok := f.existingRegionalNAT(rt, subnets); ok {
		return fx, true
	}
	var best *model.NatGateway
	bestZone := ""
	for _, ng := range f.st.NatGateways {
		if ng.VpcID != rt.VpcID || ng.State != "available" || ng.ConnectivityType == "private" || !f.st.PublicSubnet(ng.SubnetID) {
			continue
		}
		s := f.st.Subnets[ng.SubnetID]
		if s == nil {
			continue
		}
		better := best == nil || (s.AvailabilityZone == zone) != (bestZone == zone) && s.AvailabilityZone == zone ||
			(s.AvailabilityZone == zone) == (bestZone == zone) && ng.ID < best.ID
		if better {
			best, bestZone = ng, s.AvailabilityZone
		}
	}
	if best == nil {
		return Fix{}, false
	}
	natName := best.Tags.NameOr(string(best.ID))
	rtName := rt.Tags.NameOr(string(rt.ID))
	verb := "create-route"
	if hasDefault(rt) {
		verb = "replace-route"
	}
	detail := "The VPC's NAT gateway " + natName + " (" + bestZone + ") carries the subnets' traffic to the internet and the public AWS endpoints."
	if bestZone != zone {
		detail += " It is in another zone than the subnets (" + zone + "): cross-zone traffic is charged, and an outage of " + bestZone +
			" takes this egress with it; a NAT gateway in each zone avoids both."
	}
	ngID, rtID := best.ID, rt.ID
	replace := hasDefault(rt)
	return Fix{
		score: 20, Kind: "nat-gateway",
		Title:    fmt.Sprintf("Route 0.0.0.0/0 to the NAT gateway %s (%s) from route table %s", natName, bestZone, rtName),
		Detail:   detail,
		Commands: []string{fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block 0.0.0.0/0 --nat-gateway-id %s", verb, rtID, ngID)},
		Scenario: fmt.Sprintf("route_tables:\n  %s:\n    routes:\n      - {destination: 0.0.0.0/0, target: %s}\n", rtName, natName),
		apply: func(e *engine.Engine) error {
			in := engine.RouteInput{RouteTableID: rtID, DestinationCIDR: "0.0.0.0/0", NatGatewayID: ngID}
			if replace {
				return e.ReplaceRoute(in)
			}
			return e.CreateRoute(in)
		},
	}, true
}

// dnsSupport turns a VPC's DNS resolution back on (enableDnsSupport): the
// Amazon-provided DNS server answers again, so the start path's names
// resolve (to the interface endpoints, with their private DNS, or to the
// services' public addresses).
func (f *finder) dnsSupport(vpc model.VpcID) Fix {
	name := string(vpc)
	if v := f.st.VPCs[vpc]; v != nil && v.Tags.Name() != "" {
		name = v.Tags.Name()
	}
	on := true
	return Fix{
		score: 5, Kind: "vpc",
		Title:    fmt.Sprintf("Turn DNS resolution on in %s (enableDnsSupport)", vpcPhrase(f.st, vpc)),
		Detail:   "Without it the Amazon-provided DNS server does not answer, and no AWS service or registry name resolves.",
		Commands: []string{fmt.Sprintf("aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-support '{\"Value\":true}'", vpc)},
		Scenario: fmt.Sprintf("vpcs:\n  %s:\n    dns_support: true\n", name),
		apply: func(e *engine.Engine) error {
			return e.ModifyVpcAttribute(vpc, &on, nil)
		},
	}
}

// amazonDNS gives a VPC whose DHCP options name DNS servers of its own
// (which do not forward private hosted zones to the Route 53 Resolver) a
// new set with the Amazon-provided DNS server, keeping the set's other
// options (its domain name, NTP servers): the interface endpoints' private
// DNS names then resolve to the endpoints. A set cannot be modified, so
// the fix creates one and associates it (tasks started after it use it).
func (f *finder) amazonDNS(vpcID model.VpcID) (Fix, bool) {
	vpc := f.st.VPCs[vpcID]
	if vpc == nil {
		return Fix{}, false
	}
	old := f.st.DhcpOptions[vpc.DhcpOptions]
	if old == nil {
		return Fix{}, false
	}
	opts := map[string][]string{}
	for k, v := range old.Options {
		opts[k] = slices.Clone(v)
	}
	opts["domain-name-servers"] = []string{"AmazonProvidedDNS"}
	name := vpc.Tags.NameOr(string(vpcID))
	setName := freeName(func(s string) bool {
		for _, d := range f.st.DhcpOptions {
			if d.Tags.Name() == s {
				return true
			}
		}
		return false
	}, "amazon-dns")
	var cfg []string
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		cfg = append(cfg, fmt.Sprintf("Key=%s,Values=%s", k, strings.Join(opts[k], ",")))
	}
	yaml := fmt.Sprintf("dhcp_options:\n  %s:\n    domain_name_servers: [AmazonProvidedDNS]\n", setName)
	if dn := opts["domain-name"]; len(dn) > 0 {
		yaml += "    domain_name: " + dn[0] + "\n"
	}
	yaml += "    vpcs: [" + name + "]\n"
	return Fix{
		score: 14, Kind: "vpc",
		Title: fmt.Sprintf("Use the Amazon-provided DNS server in %s (a DHCP options set %s with domain-name-servers AmazonProvidedDNS)", vpcPhrase(f.st, vpcID), setName),
		Detail: "The interface endpoints' private DNS names are records of a private hosted zone that only the Route 53 Resolver answers; " +
			"DNS servers of your own see them only through a conditional forwarder to the Resolver (an inbound endpoint), which is the other way to fix this.",
		Commands: []string{
			fmt.Sprintf("aws ec2 create-dhcp-options --dhcp-configurations %s    # → DhcpOptionsId", strings.Join(cfg, " ")),
			fmt.Sprintf("aws ec2 associate-dhcp-options --dhcp-options-id <DhcpOptionsId> --vpc-id %s", vpcID),
		},
		Scenario: yaml,
		apply: func(e *engine.Engine) error {
			d, err := e.CreateDhcpOptions(opts, model.Tags{"Name": setName})
			if err != nil {
				return err
			}
			return e.AssociateDhcpOptions(d.ID, vpcID)
		},
	}, true
}

// logsRegion: a service whose awslogs driver writes to another region
// (awslogs-region) than its VPC's, which no VPC endpoint serves, gets a
// task definition revision whose awslogs-region is the VPC's own, and is
// redeployed: the VPC's logs endpoint (or its way to the internet) then
// serves the driver. The log group must exist in that region, or the
// driver create it (awslogs-create-group).
func (f *finder) logsRegion(svc *model.Service, other string) (Fix, bool) {
	td := f.st.TaskDefinitions[svc.TaskDefinitionARN]
	if td == nil {
		return Fix{}, false
	}
	region := f.st.Region
	containers := slices.Clone(td.Containers)
	var names []string
	for i := range containers {
		c := &containers[i]
		if c.LogDriver() != "awslogs" || c.LogOption("awslogs-region") != other {
			continue
		}
		raw := maps.Clone(c.Raw)
		lc, _ := model.RawField(raw, "logConfiguration").(map[string]any)
		lc = maps.Clone(lc)
		opts, _ := model.RawField(lc, "options").(map[string]any)
		opts = maps.Clone(opts)
		opts["awslogs-region"] = region
		lc["options"] = opts
		raw["logConfiguration"] = lc
		c.Raw = raw
		names = append(names, c.Name)
	}
	if len(names) == 0 {
		return Fix{}, false
	}
	in := revisionOf(td, td.NetworkMode, containers)
	cluster := clusterName(svc.ClusterARN)
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "task_definitions:\n  %s:\n    containers:\n", td.Family)
	for _, n := range names {
		fmt.Fprintf(&yaml, "      %s:\n        log_options: {awslogs-region: %s}\n", n, region)
	}
	return Fix{
		score: 12, Kind: "task-definition",
		Title: fmt.Sprintf("Set awslogs-region to %s (the VPC's region) for %s in %s and redeploy %s", region, strings.Join(names, ", "), td.Family, svc.Name),
		Detail: "The awslogs driver sends to the CloudWatch Logs of its awslogs-region; VPC endpoints are regional, so the VPC's logs endpoint serves " + region +
			" only. The log group must exist in " + region + " (or set awslogs-create-group true).",
		Commands: []string{
			fmt.Sprintf("aws ecs register-task-definition --cli-input-json file://%s.json   # the same definition, \"awslogs-region\": \"%s\"", td.Family, region),
			fmt.Sprintf("aws ecs update-service --cluster %s --service %s --task-definition %s", cluster, svc.Name, td.Family),
		},
		Scenario: yaml.String(),
		apply:    redeployWith(in, cluster, svc.Name),
	}, true
}

// endpointPolicy adds to the S3 gateway endpoint's policy a statement
// that allows s3:GetObject on ECR's layer bucket of the region (Amazon ECR
// User Guide, "Minimum Amazon S3 bucket permissions for Amazon ECR"), or
// on the task's environment file or FireLens configuration file (secret:
// its object ARN; code says which), and to an
// interface endpoint's the call its start path makes (secret: the secret
// or parameter refused). An explicit Deny that matches still wins: the
// fix then fails its verification.
func (f *finder) endpointPolicy(x reach.Explanation, secret, code string) (Fix, bool) {
	if x.Component == nil {
		return Fix{}, false
	}
	ep := f.st.VpcEndpoints[model.VpcEndpointID(x.Component.ID)]
	if ep == nil {
		return Fix{}, false
	}
	// The endpoint that refused, and the start path's other endpoints of
	// its VPC whose policies refuse their calls too (a module that gives
	// ecr.api a policy gives ecr.dkr the same): one fix for them all, or
	// the pull fails at the next.
	eps := []*model.VpcEndpoint{ep}
	for _, svc := range []string{"ecr.api", "ecr.dkr", "s3"} {
		for _, o := range sortedEndpoints(f.st) {
			if s, _, ok := model.EndpointServiceOf(f.st.Region, o.ServiceName); o.ID == ep.ID || o.VpcID != ep.VpcID || !ok || s != svc {
				continue
			}
			// Asked for a resource of the needed pattern (repository/x).
			if actions, resource := reach.EndpointNeeds(o.ServiceName, f.st.Region, f.st.Account); len(actions) > 0 &&
				!reach.PolicyAllows(o.PolicyDocument, actions[0], strings.ReplaceAll(resource, "*", "x"), f.st.Account) {
				eps = append(eps, o)
			}
		}
	}
	type change struct {
		id     model.VpcEndpointID
		name   string
		policy string
	}
	var changes []change
	var parts, cmds, scen []string
	var detail, title string
	for _, o := range eps {
		actions, resource := reach.EndpointNeeds(o.ServiceName, f.st.Region, f.st.Account)
		if len(actions) == 0 {
			return Fix{}, false
		}
		if secret != "" && o.ID == ep.ID && (strings.HasSuffix(o.ServiceName, ".secretsmanager") || strings.HasSuffix(o.ServiceName, ".ssm")) {
			// The secret that was refused, which may be another
			// account's (a shared secret named by its full ARN).
			resource = secret
		}
		doc := map[string]any{}
		if err := json.Unmarshal([]byte(o.PolicyDocument), &doc); err != nil || doc == nil {
			doc = map[string]any{"Version": "2012-10-17"}
		}
		var stmts []any
		switch v := doc["Statement"].(type) {
		case []any:
			stmts = v
		case map[string]any:
			stmts = []any{v}
		}
		envFile := secret != "" && o.ID == ep.ID && strings.HasSuffix(o.ServiceName, ".s3")
		if envFile {
			// The environment file that was refused: that object only.
			resource = secret
		}
		sid, what := "AccessToECRLayers", actions[0]
		var action any = actions[0]
		if len(actions) > 1 {
			action, what = actions, strings.Join(actions, ", ")
		}
		d := "ECR keeps image layers in its own S3 bucket; a pull through the S3 gateway endpoint is a request the endpoint's policy must allow, " +
			"as well as the task execution role's."
		kind := "S3 gateway endpoint"
		switch {
		case envFile && code == reach.CodeFireLensConfigUnreachable:
			sid = "FireLensConfig"
			d = "Before the log router starts, the container instance's ECS agent downloads FireLens's configuration file from S3 (s3:GetObject, with the task execution role); " +
				"through the S3 gateway endpoint the request must be allowed by the endpoint's policy as well as by the role's."
		case envFile:
			sid = "TaskEnvironmentFiles"
			d = "Before the containers start, the task's environment files are downloaded from S3 (s3:GetObject, with the task execution role); " +
				"through the S3 gateway endpoint the request must be allowed by the endpoint's policy as well as by the role's."
		case strings.HasSuffix(o.ServiceName, ".ecr.api"):
			sid, kind = "ECRRegistryAuth", "ECR API interface endpoint"
			d = "The ECS agent (Fargate: the task) fetches the registry credentials with ecr:GetAuthorizationToken, which takes no resource but \"*\"; " +
				"through an interface endpoint the call must be allowed by the endpoint's policy as well as the task execution role's. A policy with only Deny statements allows nothing."
		case strings.HasSuffix(o.ServiceName, ".secretsmanager"), strings.HasSuffix(o.ServiceName, ".ssm"):
			sid, kind = "TaskSecrets", "Secrets Manager interface endpoint"
			if strings.HasSuffix(o.ServiceName, ".ssm") {
				kind = "Systems Manager interface endpoint"
			}
			d = "Before its containers start, the task's secrets are fetched (" + actions[0] + ") through the VPC's interface endpoint: its policy must allow the call on each secret, " +
				"as well as the task execution role's (a secret of another account, named by its full ARN, too)."
		case strings.HasSuffix(o.ServiceName, ".ecr.dkr"):
			sid, kind = "ECRPulls", "ECR Docker interface endpoint"
			d = "An image pull asks ECR for the manifest (ecr:BatchGetImage) and the layers' locations (ecr:GetDownloadUrlForLayer): through an interface endpoint its policy must allow them."
		}
		stmts = append(stmts, map[string]any{"Sid": sid, "Effect": "Allow", "Principal": "*", "Action": action, "Resource": resource})
		doc["Statement"] = stmts
		b, err := json.Marshal(doc)
		if err != nil {
			return Fix{}, false
		}
		name := o.Tags.NameOr(string(o.ID))
		changes = append(changes, change{o.ID, name, string(b)})
		if title == "" {
			title, detail = fmt.Sprintf("Allow %s on %s in the policy of the %s %s", what, resource, kind, name), d
		}
		parts = append(parts, fmt.Sprintf("%s (%s on %s)", name, what, resource))
		cmds = append(cmds, fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --policy-document '%s'", o.ID, b))
		scen = append(scen, fmt.Sprintf("  %s:\n    policy: '%s'\n", name, b))
	}
	if len(changes) > 1 {
		title = "Allow the start path's calls in the policies of the endpoints " + strings.Join(parts, ", ")
		detail = "Every call of the start path through an endpoint must be allowed by that endpoint's policy (ECR's registry auth through ecr.api, the manifest through ecr.dkr, the layers through the S3 gateway endpoint); " +
			"a policy with only Deny statements allows nothing."
	}
	return Fix{
		score: 12, Kind: "vpc-endpoints",
		Title:    title,
		Detail:   detail,
		Commands: cmds,
		Scenario: "vpc_endpoints:\n" + strings.Join(scen, ""),
		apply: func(e *engine.Engine) error {
			for _, c := range changes {
				policy := c.policy
				if _, err := e.ModifyVpcEndpoint(engine.ModifyVpcEndpointInput{ID: c.id, PolicyDocument: &policy}); err != nil {
					return err
				}
			}
			return nil
		},
	}, true
}

// sortedEndpoints lists the state's VPC endpoints by id.
func sortedEndpoints(st *model.State) []*model.VpcEndpoint {
	out := slices.Collect(maps.Values(st.VpcEndpoints))
	slices.SortFunc(out, func(a, b *model.VpcEndpoint) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return out
}
