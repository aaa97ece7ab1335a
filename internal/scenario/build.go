package scenario

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Epoch is the clock of every built scenario, so output is the same on
// every run.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultImage is the AMI id used when a scenario names none: the shape of
// an ECS-optimized Amazon Linux 2023 AMI id.
const defaultImage = "ami-0c1f2a3b4d5e6f708"

// Built is a scenario replayed through an engine.
type Built struct {
	Engine *engine.Engine
	// Failures are the tasks of the tasks: section ECS could not place.
	Failures []PlacementFailure
}

// Build replays the scenario through a new engine and runs it to its
// steady state. Extra options (an analyzer's start check, say) are applied
// after the scenario's own.
func (s *Scenario) Build(opts ...engine.Option) (*Built, error) {
	return s.build(false, opts)
}

// BuildAccount builds the scenario as an account that serves it holds it
// (ecsnet serve --scenario): besides what the file declares, the Secrets
// Manager secrets, SSM parameters and awslogs log groups of its own account
// and region that its task definitions name and the analyzer takes to
// exist (build_implied.go).
func (s *Scenario) BuildAccount(opts ...engine.Option) (*Built, error) {
	return s.build(true, opts)
}

func (s *Scenario) build(account bool, opts []engine.Option) (*Built, error) {
	seed := s.spec.Seed
	if seed == 0 {
		seed = 1
	}
	base := []engine.Option{
		engine.WithConfig(engine.Config{Account: s.Account, Region: s.Region, DefaultVPC: s.spec.DefaultVPC}),
		engine.WithIDs(engine.SeededIDs(seed)),
		engine.WithClock(func() time.Time { return epoch }),
	}
	if account {
		// An account serving the scenario creates it now, as its clock
		// (the step loop's) runs on from: what the build stops is kept for
		// as long as ECS keeps stopped tasks, and a schedule next fires when
		// its expression says from now, not at once for the times it would
		// have fired since the scenario's epoch.
		base[2] = engine.WithClock(time.Now)
	}
	if len(s.spec.InstanceProfiles) > 0 {
		// The file declares IAM: an instance without a profile has none.
		base = append(base, engine.WithDeclaredIAM())
	}
	e := engine.New(append(base, opts...)...)
	b := &builder{s: s, e: e, names: map[string]map[string]string{}, implied: account}
	if s.spec.DefaultVPC {
		b.nameDefaultVpc()
	}
	if err := b.build(); err != nil {
		return nil, err
	}
	return &Built{Engine: e, Failures: b.failures}, nil
}

// builder holds the name → id maps while a scenario is replayed.
type builder struct {
	s        *Scenario
	e        *engine.Engine
	names    map[string]map[string]string // kind → name → id
	failures []PlacementFailure
	// implied: create what the task definitions name and the file does
	// not declare (BuildAccount).
	implied bool
	// later registers instance targets named by hand, once the
	// instances run.
	later []func() error
}

func (b *builder) set(kind, name, id string) {
	if b.names[kind] == nil {
		b.names[kind] = map[string]string{}
	}
	b.names[kind][name] = id
}

// ref resolves a name of a kind, or fails naming the defined ones.
func (b *builder) ref(kind, name string, line int, owner string) (string, error) {
	if id, ok := b.names[kind][name]; ok {
		return id, nil
	}
	var known []string
	for n := range b.names[kind] {
		known = append(known, n)
	}
	sort.Strings(known)
	hint := "none is defined"
	if len(known) > 0 {
		hint = "defined: " + strings.Join(known, ", ")
	}
	return "", b.errf(line, "%s: %s %q is not defined (%s)", owner, kind, name, hint)
}

func (b *builder) errf(line int, format string, args ...any) error {
	return &Error{File: b.s.File, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// fail reports an engine error for a resource at a line.
func (b *builder) fail(line int, owner string, err error) error {
	if ae, ok := err.(*apierr.Error); ok {
		return b.errf(line, "%s: %s: %s", owner, ae.Code, ae.Message)
	}
	return b.errf(line, "%s: %v", owner, err)
}

func tags(name string, extra map[string]string) model.Tags {
	t := model.Tags{"Name": name}
	for k, v := range extra {
		t[k] = v
	}
	return t
}

func (b *builder) build() error {
	sp := &b.s.spec
	steps := []func(*fileSpec) error{
		b.vpcs, b.dhcpOptions, b.peerings, b.internetGateways, b.egressOnlyGateways, b.subnets, b.elasticIPs, b.securityGroups, b.networkACLs,
		b.routeTables, b.edgeAssociations, b.natGateways, b.vpcEndpoints, b.firewalls, b.transitGateways, b.routes, b.deleteNatGateways, b.settings, b.blockPublicAccess, b.clusters,
		b.iam, b.buckets, b.launchTemplates, b.instances, b.targetGroups, b.loadBalancers, b.endpointServices, b.autoScalingGroups,
		b.capacityProviders, b.fileSystems, b.taskDefinitions, b.cloudMap, b.hostedZones,
	}
	for _, step := range steps {
		if err := step(sp); err != nil {
			return err
		}
	}
	if b.implied {
		if err := b.impliedResources(); err != nil {
			return err
		}
	}
	if err := b.e.Converge(); err != nil {
		return err
	}
	for _, f := range b.later {
		if err := f(); err != nil {
			return err
		}
	}
	if err := b.services(sp); err != nil {
		return err
	}
	if err := b.tasks(sp); err != nil {
		return err
	}
	if err := b.scheduledTasks(sp); err != nil {
		return err
	}
	return b.e.Converge()
}

// nameDefaultVpc lets the file refer to the default VPC as "default" and
// to its subnets as "default-<zone>" (default-us-east-1a, …).
func (b *builder) nameDefaultVpc() {
	b.e.Read(func(st *model.State) {
		for _, v := range st.VPCs {
			if v.IsDefault {
				b.set("vpc", "default", string(v.ID))
			}
		}
		for _, sub := range st.Subnets {
			if sub.DefaultForAZ {
				b.set("subnet", "default-"+sub.AvailabilityZone, string(sub.ID))
			}
		}
	})
}

func (b *builder) vpcs(sp *fileSpec) error {
	for _, v := range sp.VPCs {
		owner := "vpc " + strconv.Quote(v.Name)
		vpc, err := b.e.CreateVpc(engine.CreateVpcInput{CIDR: v.Value.CIDR, AmazonIPv6: v.Value.IPv6, Tags: tags(v.Name, v.Value.Tags)})
		if err != nil {
			return b.fail(v.line("cidr"), owner, err)
		}
		b.set("vpc", v.Name, string(vpc.ID))
		for _, cidr := range v.Value.SecondaryCIDRs {
			if _, _, err := b.e.AssociateVpcCidrBlock(vpc.ID, cidr); err != nil {
				return b.fail(v.line("secondary_cidrs"), owner, err)
			}
		}
		if v.Value.DNSSupport != nil {
			if err := b.e.ModifyVpcAttribute(vpc.ID, v.Value.DNSSupport, nil); err != nil {
				return b.fail(v.line("dns_support"), owner, err)
			}
		}
		if v.Value.DNSHostnames != nil {
			if err := b.e.ModifyVpcAttribute(vpc.ID, nil, v.Value.DNSHostnames); err != nil {
				return b.fail(v.line("dns_hostnames"), owner, err)
			}
		}
		if name := v.Value.InternetGateway; name != "" {
			igw, err := b.e.CreateInternetGateway(tags(name, nil))
			if err == nil {
				err = b.e.AttachInternetGateway(igw.ID, vpc.ID)
			}
			if err != nil {
				return b.fail(v.line("internet_gateway"), owner, err)
			}
			b.set("internet gateway", name, string(igw.ID))
		}
	}
	return nil
}

func (b *builder) internetGateways(sp *fileSpec) error {
	for _, g := range sp.InternetGateways {
		owner := "internet gateway " + strconv.Quote(g.Name)
		igw, err := b.e.CreateInternetGateway(tags(g.Name, g.Value.Tags))
		if err != nil {
			return b.fail(g.Line, owner, err)
		}
		b.set("internet gateway", g.Name, string(igw.ID))
		if g.Value.VPC != "" {
			vpc, err := b.ref("vpc", g.Value.VPC, g.line("vpc"), owner)
			if err != nil {
				return err
			}
			if err := b.e.AttachInternetGateway(igw.ID, model.VpcID(vpc)); err != nil {
				return b.fail(g.line("vpc"), owner, err)
			}
		}
	}
	return nil
}

func (b *builder) egressOnlyGateways(sp *fileSpec) error {
	for _, g := range sp.EgressOnlyGateways {
		owner := "egress-only gateway " + strconv.Quote(g.Name)
		vpc, err := b.ref("vpc", g.Value.VPC, g.line("vpc"), owner)
		if err != nil {
			return err
		}
		eigw, err := b.e.CreateEgressOnlyInternetGateway(model.VpcID(vpc), tags(g.Name, g.Value.Tags))
		if err != nil {
			return b.fail(g.Line, owner, err)
		}
		b.set("egress-only gateway", g.Name, string(eigw.ID))
	}
	return nil
}

// subnetIPv6 returns the n-th /64 of a VPC's IPv6 block.
func (b *builder) subnetIPv6(vpc model.VpcID, n int, line int, owner string) (string, error) {
	if n < 0 || n > 255 {
		return "", b.errf(line, "%s: ipv6 %d: want the number of a /64 of the VPC's /56, 0-255", owner, n)
	}
	var block netip.Prefix
	b.e.Read(func(st *model.State) {
		if v := st.VPCs[vpc]; v != nil && len(v.IPv6) > 0 {
			block = v.IPv6[0].CIDR
		}
	})
	if !block.IsValid() {
		return "", b.errf(line, "%s: ipv6: the VPC has no IPv6 block (give it ipv6: true)", owner)
	}
	a := block.Addr().As16()
	a[7] = byte(n)
	return netip.PrefixFrom(netip.AddrFrom16(a), 64).String(), nil
}

func (b *builder) subnets(sp *fileSpec) error {
	for _, s := range sp.Subnets {
		owner := "subnet " + strconv.Quote(s.Name)
		vpc, err := b.ref("vpc", s.Value.VPC, s.line("vpc"), owner)
		if err != nil {
			return err
		}
		in := engine.CreateSubnetInput{VpcID: model.VpcID(vpc), CIDR: s.Value.CIDR, AvailabilityZone: s.Value.AZ, Tags: tags(s.Name, s.Value.Tags), IPv6Native: s.Value.IPv6Native}
		if s.Value.IPv6 != nil {
			if in.IPv6CIDR, err = b.subnetIPv6(model.VpcID(vpc), *s.Value.IPv6, s.line("ipv6"), owner); err != nil {
				return err
			}
		}
		sub, err := b.e.CreateSubnet(in)
		if err != nil {
			line := s.line("cidr")
			if apierr.HasCode(err, "InvalidParameterValue") && strings.Contains(err.Error(), "availabilityZone") {
				line = s.line("az")
			} else if strings.Contains(err.Error(), "IPv6") {
				line = s.line("ipv6")
			}
			return b.fail(line, owner, err)
		}
		b.set("subnet", s.Name, string(sub.ID))
		if s.Value.IPv6OnCreation {
			if err := b.e.SetAssignIPv6OnCreation(sub.ID, true); err != nil {
				return b.fail(s.line("assign_ipv6_on_creation"), owner, err)
			}
		}
		if s.Value.PublicIPOnLaunch {
			if err := b.e.ModifySubnetAttribute(sub.ID, true); err != nil {
				return b.fail(s.line("public_ip_on_launch"), owner, err)
			}
		}
		if s.Value.DNS64 {
			on := true
			if err := b.e.ModifySubnetAttributes(sub.ID, engine.SubnetAttributes{EnableDNS64: &on}); err != nil {
				return b.fail(s.line("dns64"), owner, err)
			}
		}
	}
	return nil
}

func (b *builder) elasticIPs(sp *fileSpec) error {
	for _, x := range sp.ElasticIPs {
		owner := "elastic ip " + strconv.Quote(x.Name)
		var want netip.Addr
		if x.Value.Address != "" {
			a, err := netip.ParseAddr(x.Value.Address)
			if err != nil {
				return b.errf(x.line("address"), "%s: %q is not an IPv4 address", owner, x.Value.Address)
			}
			want = a
		}
		a, err := b.e.AllocateAddress(want, tags(x.Name, x.Value.Tags))
		if err != nil {
			return b.fail(x.line("address"), owner, err)
		}
		b.set("elastic ip", x.Name, string(a.AllocationID))
	}
	return nil
}

// ports parses "3000", "1024-65535" or "all"/"" into a range.
func ports(s string) (from, to *int, err error) {
	if s == "" || s == "all" {
		return nil, nil, nil
	}
	lo, hi, isRange := strings.Cut(s, "-")
	if !isRange {
		hi = lo
	}
	f, err1 := strconv.Atoi(strings.TrimSpace(lo))
	t, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || f < 0 || t > 65535 || f > t {
		return nil, nil, fmt.Errorf("ports %q: want a port (3000), a range (1024-65535) or all", s)
	}
	return &f, &t, nil
}

// icmpTypeCode returns an icmp or icmpv6 rule's type and code, -1 for
// one not given.
func icmpTypeCode(proto string, typ, code *int) (*int, *int, error) {
	if p := strings.ToLower(proto); p != "icmp" && p != "icmpv6" && p != "1" && p != "58" {
		return nil, nil, fmt.Errorf("icmp_type and icmp_code are for protocol icmp or icmpv6, not %s", proto)
	}
	anyValue := -1
	if typ == nil {
		typ = &anyValue
	}
	if code == nil {
		code = &anyValue
	}
	return typ, code, nil
}

func protocolOr(p, def string) string {
	if p == "" {
		return def
	}
	return p
}

func (b *builder) permission(r ruleSpec, line int, owner string) (engine.IPPermission, error) {
	proto := protocolOr(r.Protocol, "tcp")
	if proto == "all" {
		proto = "-1"
	}
	from, to, err := ports(r.Ports)
	if err != nil {
		return engine.IPPermission{}, b.errf(line, "%s: %v", owner, err)
	}
	if from == nil && (proto == "tcp" || proto == "udp") {
		lo, hi := 0, 65535
		from, to = &lo, &hi
	}
	if r.ICMPType != nil || r.ICMPCode != nil {
		// A security group rule keeps an ICMP type in FromPort and its
		// code in ToPort (-1: any), as the EC2 API does.
		typ, code, err := icmpTypeCode(proto, r.ICMPType, r.ICMPCode)
		if err != nil {
			return engine.IPPermission{}, b.errf(line, "%s: %v", owner, err)
		}
		from, to = typ, code
	}
	p := engine.IPPermission{Protocol: proto, FromPort: from, ToPort: to}
	n := 0
	if r.CIDR != "" {
		if strings.Contains(r.CIDR, ":") {
			p.IPv6CIDRs = []engine.RuleSource{{Value: r.CIDR, Description: r.Description}}
		} else {
			p.CIDRs = []engine.RuleSource{{Value: r.CIDR, Description: r.Description}}
		}
		n++
	}
	if r.Group != "" {
		id, err := b.ref("security group", r.Group, line, owner)
		if err != nil {
			return p, err
		}
		p.Groups = []engine.RuleSource{{Value: id, Description: r.Description}}
		n++
	}
	if r.PrefixList != "" {
		p.PrefixLists = []engine.RuleSource{{Value: r.PrefixList, Description: r.Description}}
		n++
	}
	if n != 1 {
		return p, b.errf(line, "%s: a rule needs exactly one of cidr:, group: or prefix_list:", owner)
	}
	return p, nil
}

func (b *builder) securityGroups(sp *fileSpec) error {
	for _, g := range sp.SecurityGroups {
		owner := "security group " + strconv.Quote(g.Name)
		vpc, err := b.ref("vpc", g.Value.VPC, g.line("vpc"), owner)
		if err != nil {
			return err
		}
		if g.Name == "default" {
			// The VPC's default group, which every VPC has: its rules
			// are the file's (see below), as a hardened account's are.
			var id model.SecurityGroupID
			b.e.Read(func(st *model.State) {
				if v := st.VPCs[model.VpcID(vpc)]; v != nil {
					id = v.DefaultSecurityGroup
				}
			})
			if id == "" {
				return b.errf(g.Line, "%s: VPC %q has no default security group", owner, g.Value.VPC)
			}
			b.set("security group", g.Name, string(id))
			continue
		}
		desc := g.Value.Description
		if desc == "" {
			desc = g.Name
		}
		sg, err := b.e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: model.VpcID(vpc), Name: g.Name, Description: desc, Tags: tags(g.Name, g.Value.Tags)})
		if err != nil {
			return b.fail(g.Line, owner, err)
		}
		b.set("security group", g.Name, string(sg.ID))
	}
	for _, g := range sp.SecurityGroups {
		owner := "security group " + strconv.Quote(g.Name)
		id := model.SecurityGroupID(b.names["security group"][g.Name])
		if g.Name == "default" && g.has("ingress") {
			// Listed ingress rules replace the default group's own: all
			// traffic from its members.
			self := engine.IPPermission{Protocol: "-1", Groups: []engine.RuleSource{{Value: string(id)}}}
			if _, err := b.e.RevokeSecurityGroup(id, false, []engine.IPPermission{self}, nil); err != nil && !apierr.HasCode(err, "InvalidPermission.NotFound") {
				return b.fail(g.line("ingress"), owner, err)
			}
		}
		lines := itemLines(g.node, "ingress", len(g.Value.Ingress))
		for i, r := range g.Value.Ingress {
			p, err := b.permission(r, lines[i], owner)
			if err != nil {
				return err
			}
			if _, err := b.e.AuthorizeSecurityGroup(id, false, []engine.IPPermission{p}); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
		if g.Value.Egress == nil {
			continue
		}
		// Listed egress rules replace the defaults: all IPv4 out, and all
		// IPv6 out in a VPC with an IPv6 block.
		all := engine.IPPermission{Protocol: "-1", CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}
		if _, err := b.e.RevokeSecurityGroup(id, true, []engine.IPPermission{all}, nil); err != nil {
			return b.fail(g.line("egress"), owner, err)
		}
		all6 := engine.IPPermission{Protocol: "-1", IPv6CIDRs: []engine.RuleSource{{Value: "::/0"}}}
		if _, err := b.e.RevokeSecurityGroup(id, true, []engine.IPPermission{all6}, nil); err != nil && !apierr.HasCode(err, "InvalidPermission.NotFound") {
			return b.fail(g.line("egress"), owner, err)
		}
		lines = itemLines(g.node, "egress", len(*g.Value.Egress))
		for i, r := range *g.Value.Egress {
			p, err := b.permission(r, lines[i], owner)
			if err != nil {
				return err
			}
			if _, err := b.e.AuthorizeSecurityGroup(id, true, []engine.IPPermission{p}); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
	}
	return nil
}

func (b *builder) networkACLs(sp *fileSpec) error {
	for _, a := range sp.NetworkACLs {
		owner := "network acl " + strconv.Quote(a.Name)
		vpc, err := b.ref("vpc", a.Value.VPC, a.line("vpc"), owner)
		if err != nil {
			return err
		}
		acl, err := b.e.CreateNetworkACL(model.VpcID(vpc), tags(a.Name, a.Value.Tags))
		if err != nil {
			return b.fail(a.Line, owner, err)
		}
		b.set("network acl", a.Name, string(acl.ID))
		for _, dir := range []struct {
			key     string
			egress  bool
			entries []aclEntrySpec
		}{{"ingress", false, a.Value.Ingress}, {"egress", true, a.Value.Egress}} {
			lines := itemLines(a.node, dir.key, len(dir.entries))
			for i, x := range dir.entries {
				from, to, err := ports(x.Ports)
				if err != nil {
					return b.errf(lines[i], "%s: %v", owner, err)
				}
				proto := protocolOr(x.Protocol, "-1")
				if proto == "all" {
					proto = "-1"
				}
				if from == nil && (proto == "tcp" || proto == "udp") {
					lo, hi := 0, 65535
					from, to = &lo, &hi
				}
				in := engine.ACLEntryInput{ACLID: acl.ID, RuleNumber: x.Rule, Egress: dir.egress, Action: protocolOr(x.Action, "allow"),
					Protocol: proto, FromPort: from, ToPort: to, CIDR: x.CIDR}
				if x.ICMPType != nil || x.ICMPCode != nil {
					if in.ICMPType, in.ICMPCode, err = icmpTypeCode(proto, x.ICMPType, x.ICMPCode); err != nil {
						return b.errf(lines[i], "%s: %v", owner, err)
					}
				}
				if err := b.e.CreateNetworkACLEntry(in); err != nil {
					return b.fail(lines[i], owner, err)
				}
			}
		}
		lines := itemLines(a.node, "subnets", len(a.Value.Subnets))
		for i, s := range a.Value.Subnets {
			id, err := b.ref("subnet", s, lines[i], owner)
			if err != nil {
				return err
			}
			if _, err := b.e.AssociateSubnetNetworkACL(model.SubnetID(id), acl.ID); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
	}
	for _, s := range sp.Subnets {
		if s.Value.NetworkACL == "" {
			continue
		}
		owner := "subnet " + strconv.Quote(s.Name)
		acl, err := b.ref("network acl", s.Value.NetworkACL, s.line("network_acl"), owner)
		if err != nil {
			return err
		}
		if _, err := b.e.AssociateSubnetNetworkACL(model.SubnetID(b.names["subnet"][s.Name]), model.NetworkACLID(acl)); err != nil {
			return b.fail(s.line("network_acl"), owner, err)
		}
	}
	return nil
}

func (b *builder) routeTables(sp *fileSpec) error {
	for _, r := range sp.RouteTables {
		owner := "route table " + strconv.Quote(r.Name)
		vpc, err := b.ref("vpc", r.Value.VPC, r.line("vpc"), owner)
		if err != nil {
			return err
		}
		rt, err := b.e.CreateRouteTable(model.VpcID(vpc), tags(r.Name, r.Value.Tags))
		if err != nil {
			return b.fail(r.Line, owner, err)
		}
		b.set("route table", r.Name, string(rt.ID))
		if r.Value.Main {
			var mainAssoc model.RouteTableAssocID
			b.e.Read(func(st *model.State) {
				for _, a := range st.RouteTables[st.VPCs[model.VpcID(vpc)].MainRouteTable].Associations {
					if a.Main {
						mainAssoc = a.ID
					}
				}
			})
			if _, err := b.e.ReplaceRouteTableAssociation(mainAssoc, rt.ID); err != nil {
				return b.fail(r.line("main"), owner, err)
			}
		}
	}
	for _, s := range sp.Subnets {
		if s.Value.RouteTable == "" {
			continue
		}
		owner := "subnet " + strconv.Quote(s.Name)
		rt, err := b.ref("route table", s.Value.RouteTable, s.line("route_table"), owner)
		if err != nil {
			return err
		}
		if _, err := b.e.AssociateRouteTable(model.RouteTableID(rt), model.SubnetID(b.names["subnet"][s.Name])); err != nil {
			return b.fail(s.line("route_table"), owner, err)
		}
	}
	return nil
}

func (b *builder) natGateways(sp *fileSpec) error {
	for _, n := range sp.NatGateways {
		owner := "nat gateway " + strconv.Quote(n.Name)
		in := engine.CreateNatGatewayInput{ConnectivityType: n.Value.Connectivity, Tags: tags(n.Name, n.Value.Tags)}
		if n.Value.AvailabilityMode == "regional" {
			vpc, err := b.ref("vpc", n.Value.VPC, n.line("vpc"), owner)
			if err != nil {
				return err
			}
			in.AvailabilityMode, in.VpcID = "regional", model.VpcID(vpc)
			for _, zone := range slices.Sorted(maps.Keys(n.Value.ZoneAddresses)) {
				z := engine.NatZoneRequest{Zone: zone}
				for _, name := range n.Value.ZoneAddresses[zone] {
					eip, err := b.ref("elastic ip", name, n.line("zone_addresses"), owner)
					if err != nil {
						return err
					}
					z.AllocationIDs = append(z.AllocationIDs, model.AllocationID(eip))
				}
				in.Zones = append(in.Zones, z)
			}
		} else {
			sub, err := b.ref("subnet", n.Value.Subnet, n.line("subnet"), owner)
			if err != nil {
				return err
			}
			in.SubnetID = model.SubnetID(sub)
		}
		if n.Value.ElasticIP != "" {
			eip, err := b.ref("elastic ip", n.Value.ElasticIP, n.line("elastic_ip"), owner)
			if err != nil {
				return err
			}
			in.AllocationID = model.AllocationID(eip)
		}
		ng, err := b.e.CreateNatGateway(in)
		if err != nil {
			return b.fail(n.Line, owner, err)
		}
		if ng.State == "failed" {
			return b.errf(n.Line, "%s: the NAT gateway failed: %s: %s", owner, ng.FailureCode, ng.FailureMessage)
		}
		b.set("nat gateway", n.Name, string(ng.ID))
	}
	return nil
}

// deleteNatGateways deletes the NAT gateways marked deleted, once the
// routes to them exist: the routes stay, as blackholes (DeleteNatGateway).
func (b *builder) deleteNatGateways(sp *fileSpec) error {
	for _, n := range sp.NatGateways {
		if !n.Value.Deleted {
			continue
		}
		if err := b.e.DeleteNatGateway(model.NatGatewayID(b.names["nat gateway"][n.Name])); err != nil {
			return b.fail(n.line("deleted"), "nat gateway "+strconv.Quote(n.Name), err)
		}
	}
	return nil
}

// routes adds every route table's routes, once gateways, NAT gateways,
// endpoints and instances exist.
func (b *builder) routes(sp *fileSpec) error {
	for _, r := range sp.RouteTables {
		owner := "route table " + strconv.Quote(r.Name)
		lines := itemLines(r.node, "routes", len(r.Value.Routes))
		for i, rs := range r.Value.Routes {
			in := engine.RouteInput{RouteTableID: model.RouteTableID(b.names["route table"][r.Name])}
			if strings.HasPrefix(rs.Destination, "pl-") {
				in.DestinationPrefixList = model.PrefixListID(rs.Destination)
			} else if strings.Contains(rs.Destination, ":") {
				in.DestinationIPv6CIDR = rs.Destination
			} else {
				in.DestinationCIDR = rs.Destination
			}
			switch {
			case rs.Target == "local":
				in.GatewayID = "local"
			case b.names["internet gateway"][rs.Target] != "":
				in.GatewayID = b.names["internet gateway"][rs.Target]
			case b.names["egress-only gateway"][rs.Target] != "":
				in.EgressOnlyIGWID = model.EgressOnlyIGWID(b.names["egress-only gateway"][rs.Target])
			case b.names["nat gateway"][rs.Target] != "":
				in.NatGatewayID = model.NatGatewayID(b.names["nat gateway"][rs.Target])
			case b.names["vpc endpoint"][rs.Target] != "":
				in.VpcEndpointID = model.VpcEndpointID(b.names["vpc endpoint"][rs.Target])
			case b.names["firewall endpoint"][rs.Target] != "":
				in.VpcEndpointID = model.VpcEndpointID(b.names["firewall endpoint"][rs.Target]) // build_firewall.go
			case declaresInstance(sp, rs.Target):
				// Instances are launched after the routes: route to this
				// one once it exists.
				line := lines[i]
				b.later = append(b.later, func() error {
					in.InstanceID = model.InstanceID(b.names["instance"][rs.Target])
					if err := b.e.CreateRoute(in); err != nil {
						return b.fail(line, owner, err)
					}
					return nil
				})
				continue
			case declaresServiceEndpoint(sp, rs.Target):
				// An endpoint to an endpoint service (a Gateway Load
				// Balancer endpoint) exists once its load balancers do
				// (build_gwlb.go).
				line := lines[i]
				b.later = append(b.later, func() error {
					in.VpcEndpointID = model.VpcEndpointID(b.names["vpc endpoint"][rs.Target])
					if err := b.e.CreateRoute(in); err != nil {
						return b.fail(line, owner, err)
					}
					return nil
				})
				continue
			case b.names["transit gateway"][rs.Target] != "":
				in.TransitGatewayID = model.TransitGatewayID(b.names["transit gateway"][rs.Target])
			case b.names["vpc peering connection"][rs.Target] != "":
				in.VpcPeeringID = model.VpcPeeringConnectionID(b.names["vpc peering connection"][rs.Target])
			default:
				return b.errf(lines[i], "%s: route target %q is not an internet gateway, egress-only gateway, transit gateway, VPC peering connection, NAT gateway, endpoint, firewall endpoint (firewall:zone) or instance defined here", owner, rs.Target)
			}
			if err := b.e.CreateRoute(in); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
	}
	return nil
}

// declaresInstance reports whether the file declares an instance of that
// name.
func declaresInstance(sp *fileSpec, name string) bool {
	return slices.ContainsFunc(sp.Instances, func(x entry[instSpec]) bool { return x.Name == name })
}

func (b *builder) settings(sp *fileSpec) error {
	keys := make([]string, 0, len(sp.Settings))
	for k := range sp.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := b.e.PutAccountSetting(k, sp.Settings[k], ""); err != nil {
			return b.fail(0, "setting "+strconv.Quote(k), err)
		}
	}
	return nil
}

// blockPublicAccess sets the account's VPC Block Public Access mode and
// creates its exclusions; Converge completes them.
func (b *builder) blockPublicAccess(sp *fileSpec) error {
	for _, x := range sp.BPAExclusions {
		owner := "block public access exclusion " + strconv.Quote(x.Name)
		var vpc, subnet string
		var err error
		switch {
		case x.Value.VPC != "" && x.Value.Subnet != "":
			return b.errf(x.Line, "%s: give vpc or subnet, not both", owner)
		case x.Value.VPC != "":
			vpc, err = b.ref("vpc", x.Value.VPC, x.line("vpc"), owner)
		case x.Value.Subnet != "":
			subnet, err = b.ref("subnet", x.Value.Subnet, x.line("subnet"), owner)
		default:
			return b.errf(x.Line, "%s: give the vpc or the subnet it excludes", owner)
		}
		if err != nil {
			return err
		}
		if _, err := b.e.CreateVpcBlockPublicAccessExclusion(model.VpcID(vpc), model.SubnetID(subnet), x.Value.Mode, tags(x.Name, x.Value.Tags)); err != nil {
			return b.fail(x.line("mode"), owner, err)
		}
	}
	if sp.BlockPublicAccess != "" {
		if _, err := b.e.ModifyVpcBlockPublicAccessOptions(sp.BlockPublicAccess); err != nil {
			return b.fail(0, "block_public_access", err)
		}
	}
	return nil
}

func (b *builder) clusters(sp *fileSpec) error {
	for _, c := range sp.Clusters {
		owner := "cluster " + strconv.Quote(c.Name)
		cl, err := b.e.CreateCluster(engine.CreateClusterInput{Name: c.Name, Tags: model.Tags(c.Value.Tags)})
		if err != nil {
			return b.fail(c.Line, owner, err)
		}
		b.set("cluster", c.Name, cl.ARN)
	}
	return nil
}

func (b *builder) groupIDs(names []string, line int, owner string) ([]model.SecurityGroupID, error) {
	var out []model.SecurityGroupID
	for _, n := range names {
		id, err := b.ref("security group", n, line, owner)
		if err != nil {
			return nil, err
		}
		out = append(out, model.SecurityGroupID(id))
	}
	return out, nil
}

func (b *builder) subnetIDs(names []string, line int, owner string) ([]model.SubnetID, error) {
	var out []model.SubnetID
	for _, n := range names {
		id, err := b.ref("subnet", n, line, owner)
		if err != nil {
			return nil, err
		}
		out = append(out, model.SubnetID(id))
	}
	return out, nil
}

func userData(s string) string {
	if s == "" {
		return ""
	}
	return base64.StdEncoding.EncodeToString([]byte(s))
}

func (b *builder) launchTemplates(sp *fileSpec) error {
	for _, l := range sp.LaunchTemplates {
		owner := "launch template " + strconv.Quote(l.Name)
		groups, err := b.groupIDs(l.Value.SecurityGroups, l.line("security_groups"), owner)
		if err != nil {
			return err
		}
		image := l.Value.Image
		if image == "" {
			image = defaultImage
		}
		d := model.LaunchTemplateData{ImageID: image, InstanceType: l.Value.InstanceType, KeyName: l.Value.KeyName,
			UserData: userData(l.Value.UserData), IAMProfileName: l.Value.IAMProfile}
		if err := b.profileRef(sp, l.Value.IAMProfile, l.line("iam_instance_profile"), owner); err != nil {
			return err
		}
		if l.Value.PublicIP != nil || l.Value.IPv6Addresses > 0 || len(l.Value.MoreInterfaces) > 0 {
			// With network interfaces, the groups go in the primary
			// interface's specification (a launch refuses both).
			d.NetworkInterfaces = []model.LaunchTemplateNetworkInterface{{DeviceIndex: 0, AssociatePublicIPAddress: l.Value.PublicIP, Groups: groups,
				IPv6AddressCount: l.Value.IPv6Addresses}}
		} else {
			d.SecurityGroupIDs = groups
		}
		lines := itemLines(l.node, "more_interfaces", len(l.Value.MoreInterfaces))
		for k, mi := range l.Value.MoreInterfaces {
			var sub string
			if mi.Subnet != "" {
				if sub, err = b.ref("subnet", mi.Subnet, lines[k], owner); err != nil {
					return err
				}
			}
			gs, err := b.groupIDs(mi.SecurityGroups, lines[k], owner)
			if err != nil {
				return err
			}
			d.NetworkInterfaces = append(d.NetworkInterfaces, model.LaunchTemplateNetworkInterface{DeviceIndex: k + 1, SubnetID: model.SubnetID(sub), Groups: gs})
		}
		if m := l.Value.MetadataOptions; m != nil {
			d.Metadata = &model.LaunchTemplateMetadataOptions{HTTPTokens: m.HTTPTokens, HTTPEndpoint: m.HTTPEndpoint}
			if m.HopLimit != 0 {
				d.Metadata.HopLimit = &m.HopLimit
			}
		}
		lt, err := b.e.CreateLaunchTemplate(engine.CreateLaunchTemplateInput{Name: l.Name, Data: d, Tags: model.Tags(l.Value.Tags)})
		if err != nil {
			return b.fail(l.Line, owner, err)
		}
		b.set("launch template", l.Name, string(lt.ID))
	}
	return nil
}

func (b *builder) instances(sp *fileSpec) error {
	for _, x := range sp.Instances {
		owner := "instance " + strconv.Quote(x.Name)
		in := engine.RunInstancesInput{ImageID: x.Value.Image, InstanceType: x.Value.InstanceType, PrivateIP: x.Value.PrivateIP, IPv6Count: x.Value.IPv6Addresses,
			UserData: userData(x.Value.UserData), Tags: tags(x.Name, x.Value.Tags)}
		if x.Value.Cluster != "" {
			in.UserData = userData("#!/bin/bash\necho ECS_CLUSTER=" + x.Value.Cluster + " >> /etc/ecs/ecs.config\n")
		}
		if err := b.profileRef(sp, x.Value.IAMProfile, x.line("iam_instance_profile"), owner); err != nil {
			return err
		}
		in.IAMProfile = x.Value.IAMProfile
		if x.Value.LaunchTemplate != "" {
			lt, err := b.ref("launch template", x.Value.LaunchTemplate, x.line("launch_template"), owner)
			if err != nil {
				return err
			}
			in.LaunchTemplate = &model.LaunchTemplateRef{ID: model.LaunchTemplateID(lt)}
		} else if in.ImageID == "" {
			in.ImageID = defaultImage
		}
		if x.Value.Subnet != "" {
			sub, err := b.ref("subnet", x.Value.Subnet, x.line("subnet"), owner)
			if err != nil {
				return err
			}
			in.SubnetID = model.SubnetID(sub)
		}
		groups, err := b.groupIDs(x.Value.SecurityGroups, x.line("security_groups"), owner)
		if err != nil {
			return err
		}
		in.SecurityGroupIDs = groups
		lines := itemLines(x.node, "more_interfaces", len(x.Value.MoreInterfaces))
		for k, mi := range x.Value.MoreInterfaces {
			sub, err := b.ref("subnet", mi.Subnet, lines[k], owner)
			if err != nil {
				return err
			}
			gs, err := b.groupIDs(mi.SecurityGroups, lines[k], owner)
			if err != nil {
				return err
			}
			in.MoreInterfaces = append(in.MoreInterfaces, engine.LaunchInterface{DeviceIndex: k + 1, SubnetID: model.SubnetID(sub), Groups: gs})
		}
		switch pub := x.Value.PublicIP; pub {
		case "":
		case "true", "false":
			v := pub == "true"
			in.AssociatePublicIP = &v
		default:
			a, err := netip.ParseAddr(pub)
			if err != nil {
				return b.errf(x.line("public_ip"), "%s: public_ip %q: want true, false or an IPv4 address", owner, pub)
			}
			in.FixedPublicIPs = []netip.Addr{a}
			v := true
			in.AssociatePublicIP = &v
		}
		if m := x.Value.MetadataOptions; m != nil {
			in.Metadata = &engine.MetadataOptionsInput{HTTPTokens: m.HTTPTokens, HTTPEndpoint: m.HTTPEndpoint, HopLimit: m.HopLimit}
		}
		res, err := b.e.RunInstances(in)
		if err != nil {
			return b.fail(x.Line, owner, err)
		}
		id := res.Instances[0].ID
		if sdc := x.Value.SourceDestCheck; sdc != nil && !*sdc {
			if err := b.e.ModifyInstanceAttribute(engine.ModifyInstanceAttributeInput{ID: id, SourceDestCheck: sdc}); err != nil {
				return b.fail(x.line("source_dest_check"), owner, err)
			}
		}
		b.set("instance", x.Name, string(id))
	}
	return nil
}

func (b *builder) taskDefinitions(sp *fileSpec) error {
	for _, d := range sp.TaskDefinitions {
		owner := "task definition " + strconv.Quote(d.Name)
		family := d.Value.Family
		if family == "" {
			family = d.Name
		}
		in := engine.RegisterTaskDefinitionInput{Family: family, NetworkMode: d.Value.NetworkMode, RequiresCompatibilities: d.Value.Requires,
			CPU: d.Value.CPU, Memory: d.Value.Memory, ExecutionRoleARN: d.Value.ExecutionRoleARN, TaskRoleARN: d.Value.TaskRoleARN, Tags: model.Tags(d.Value.Tags)}
		if len(d.Value.Volumes) > 0 {
			vols, err := b.taskVolumes(d, owner)
			if err != nil {
				return err
			}
			in.Raw = map[string]any{"volumes": vols}
		}
		for _, c := range d.Value.Containers {
			cd := model.ContainerDefinition{Name: c.Name, Image: c.Value.Image, CPU: c.Value.CPU, Memory: c.Value.Memory,
				MemoryReservation: c.Value.MemoryReservation, Essential: c.Value.Essential == nil || *c.Value.Essential, Command: c.Value.Command}
			if c.Value.Listen != "" {
				a, err := netip.ParseAddr(c.Value.Listen)
				if err != nil {
					return b.errf(c.line("listen"), "%s: container %q: listen %q is not an IP address", owner, c.Name, c.Value.Listen)
				}
				cd.ListenAddress = a
			}
			for _, p := range c.Value.AppPorts {
				if p < 1 || p > 65535 {
					return b.errf(c.line("app_ports"), "%s: container %q: app_ports: %d is not a port (1-65535)", owner, c.Name, p)
				}
				cd.AppPorts = append(cd.AppPorts, uint16(p))
			}
			if c.Value.LogDriver != "" {
				lc := map[string]any{"logDriver": c.Value.LogDriver}
				if len(c.Value.LogOptions) > 0 {
					opts := map[string]any{}
					for k, v := range c.Value.LogOptions {
						opts[k] = v
					}
					lc["options"] = opts
				}
				cd.Raw = map[string]any{"logConfiguration": lc}
			}
			if len(c.Value.Secrets) > 0 {
				names := make([]string, 0, len(c.Value.Secrets))
				for k := range c.Value.Secrets {
					names = append(names, k)
				}
				sort.Strings(names)
				var list []any
				for _, k := range names {
					list = append(list, map[string]any{"name": k, "valueFrom": c.Value.Secrets[k]})
				}
				if cd.Raw == nil {
					cd.Raw = map[string]any{}
				}
				cd.Raw["secrets"] = list
			}
			if rc := c.Value.RepositoryCredentials; rc != "" {
				if cd.Raw == nil {
					cd.Raw = map[string]any{}
				}
				cd.Raw["repositoryCredentials"] = map[string]any{"credentialsParameter": rc}
			}
			if hc := c.Value.HealthCheck; len(hc) > 0 {
				// ECS: "the command must start with CMD to run the command
				// arguments directly, or CMD-SHELL to run the command with
				// the container's default shell".
				if (hc[0] != "CMD" && hc[0] != "CMD-SHELL") || len(hc) < 2 {
					return b.errf(c.line("health_check"), "%s: container %q: health_check: %q must be CMD or CMD-SHELL followed by the command", owner, c.Name, hc)
				}
				cmd := make([]any, len(hc))
				for i, a := range hc {
					cmd[i] = a
				}
				if cd.Raw == nil {
					cd.Raw = map[string]any{}
				}
				cd.Raw["healthCheck"] = map[string]any{"command": cmd}
			}
			if len(c.Value.EnvironmentFiles) > 0 {
				var list []any
				for _, v := range c.Value.EnvironmentFiles {
					if ref, ok := model.CutS3ARN(v); !ok || !strings.Contains(strings.Trim(ref, "/"), "/") {
						return b.errf(c.line("environment_files"), "%s: container %q: environment_files: %q is not an S3 object ARN (arn:aws:s3:::bucket/key)", owner, c.Name, v)
					}
					list = append(list, map[string]any{"value": v, "type": "s3"})
				}
				if cd.Raw == nil {
					cd.Raw = map[string]any{}
				}
				cd.Raw["environmentFiles"] = list
			}
			if fl := c.Value.FireLens; fl != nil {
				if fl.Type != "fluentbit" && fl.Type != "fluentd" {
					return b.errf(c.line("firelens"), "%s: container %q: firelens: type %q is not fluentbit or fluentd", owner, c.Name, fl.Type)
				}
				if fl.Options["config-file-type"] == "s3" {
					if ref, ok := model.CutS3ARN(fl.Options["config-file-value"]); !ok || !strings.Contains(strings.Trim(ref, "/"), "/") {
						return b.errf(c.line("firelens"), "%s: container %q: firelens: config-file-value %q is not an S3 object ARN (arn:aws:s3:::bucket/key)", owner, c.Name, fl.Options["config-file-value"])
					}
				}
				fc := map[string]any{"type": fl.Type}
				if len(fl.Options) > 0 {
					opts := map[string]any{}
					for k, v := range fl.Options {
						opts[k] = v
					}
					fc["options"] = opts
				}
				if cd.Raw == nil {
					cd.Raw = map[string]any{}
				}
				cd.Raw["firelensConfiguration"] = fc
			}
			for path, code := range c.Value.Serves {
				if !strings.HasPrefix(path, "/") || code < 100 || code > 599 {
					return b.errf(c.line("serves"), "%s: container %q: serves %q: %d: want a path starting with / and an HTTP status (100-599)", owner, c.Name, path, code)
				}
			}
			cd.TLS = c.Value.TLS
			cd.ProxyProtocol = c.Value.ProxyProtocol
			if c.Value.KeepAliveTimeout < 0 {
				return b.errf(c.line("keep_alive_timeout"), "%s: container %q: keep_alive_timeout %d: want seconds, 0 or more", owner, c.Name, c.Value.KeepAliveTimeout)
			}
			cd.KeepAliveTimeout = c.Value.KeepAliveTimeout
			for path, secs := range c.Value.ResponseSeconds {
				if !strings.HasPrefix(path, "/") || secs < 0 {
					return b.errf(c.line("response_seconds"), "%s: container %q: response_seconds %q: %d: want a path starting with / and seconds, 0 or more", owner, c.Name, path, secs)
				}
			}
			if len(c.Value.ResponseSeconds) > 0 {
				cd.ResponseSeconds = maps.Clone(c.Value.ResponseSeconds)
			}
			if c.Value.StartSeconds < 0 {
				return b.errf(c.line("start_seconds"), "%s: container %q: start_seconds %d: want seconds, 0 or more", owner, c.Name, c.Value.StartSeconds)
			}
			cd.StartSeconds = c.Value.StartSeconds
			if c.Value.AllowedHosts != nil {
				cd.AllowedHosts = slices.Clone(c.Value.AllowedHosts)
			}
			if len(c.Value.Serves) > 0 {
				cd.Serves = map[string]int{}
				for k, v := range c.Value.Serves {
					cd.Serves[k] = v
				}
			}
			keys := make([]string, 0, len(c.Value.Environment))
			for k := range c.Value.Environment {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				cd.Environment = append(cd.Environment, model.KeyValue{Name: k, Value: c.Value.Environment[k]})
			}
			for _, p := range c.Value.Ports {
				proto, err := model.ParseProtocol(protocolOr(p.Protocol, "tcp"))
				if err != nil || (proto != model.TCP && proto != model.UDP) {
					return b.errf(c.line("ports"), "%s: container %q: protocol %q: want tcp or udp", owner, c.Name, p.Protocol)
				}
				cd.PortMappings = append(cd.PortMappings, model.PortMapping{ContainerPort: uint16(p.Container), HostPort: uint16(p.Host), Protocol: proto, Name: p.Name,
					ContainerPortRange: p.rng})
			}
			in.Containers = append(in.Containers, cd)
		}
		if in.ExecutionRoleARN == "" && slices.Contains(in.RequiresCompatibilities, string(model.LaunchFargate)) && engine.NeedsExecutionRole(in.Containers) {
			// A scenario describes a working account: a Fargate task
			// definition that needs an execution role (awslogs, ECR
			// images) has the usual one.
			in.ExecutionRoleARN = b.e.DefaultExecutionRoleARN()
		}
		td, err := b.e.RegisterTaskDefinition(in)
		if err != nil {
			return b.fail(d.Line, owner, err)
		}
		b.set("task definition", d.Name, td.ARN)
		// A scenario describes a working account: the log groups its
		// containers write to exist.
		for _, c := range td.Containers {
			if g := engine.AWSLogsGroup(c, b.e.Config().Region); g != "" {
				if err := b.e.CreateLogGroup(engine.LogGroupInput{Name: g}); err != nil && !apierr.HasCode(err, "ResourceAlreadyExistsException") {
					return b.fail(d.Line, owner, err)
				}
			}
		}
	}
	return nil
}

func (b *builder) strategy(items []strategySpec) []model.CapacityProviderStrategyItem {
	var out []model.CapacityProviderStrategyItem
	for _, s := range items {
		w := s.Weight
		if w == 0 && s.Base == 0 {
			w = 1
		}
		out = append(out, model.CapacityProviderStrategyItem{CapacityProvider: s.CapacityProvider, Weight: w, Base: s.Base})
	}
	return out
}

func (b *builder) awsvpc(subnets, groups []string, public bool, line int, owner string) (*model.AwsVpcConfiguration, error) {
	if len(subnets) == 0 && len(groups) == 0 && !public {
		return nil, nil
	}
	subs, err := b.subnetIDs(subnets, line, owner)
	if err != nil {
		return nil, err
	}
	gs, err := b.groupIDs(groups, line, owner)
	if err != nil {
		return nil, err
	}
	return &model.AwsVpcConfiguration{Subnets: subs, SecurityGroups: gs, AssignPublicIP: public}, nil
}

func (b *builder) services(sp *fileSpec) error {
	for _, s := range sp.Services {
		owner := "service " + strconv.Quote(s.Name)
		cluster := s.Value.Cluster
		if _, err := b.ref("cluster", cluster, s.line("cluster"), owner); err != nil {
			return err
		}
		td, err := b.ref("task definition", s.Value.TaskDefinition, s.line("task_definition"), owner)
		if err != nil {
			return err
		}
		netw, err := b.awsvpc(s.Value.Subnets, s.Value.SecurityGroups, s.Value.AssignPublicIP, s.line("subnets"), owner)
		if err != nil {
			return err
		}
		desired := 1
		if s.Value.Desired != nil {
			desired = *s.Value.Desired
		}
		in := engine.CreateServiceInput{Cluster: cluster, Name: s.Name, TaskDefinition: td, DesiredCount: desired,
			LaunchType: model.LaunchType(s.Value.LaunchType), CapacityProviderStrategy: b.strategy(s.Value.CapacityProviderStrategy),
			PlatformVersion: s.Value.PlatformVersion, Network: netw, Tags: model.Tags(s.Value.Tags), HealthCheckGracePeriod: s.Value.HealthCheckGracePeriod}
		if s.Value.HealthCheckGracePeriod < 0 {
			return b.errf(s.line("health_check_grace_period"), "%s: health_check_grace_period %d: want seconds, 0 or more", owner, s.Value.HealthCheckGracePeriod)
		}
		for _, lb := range s.Value.LoadBalancers {
			if lb.LoadBalancer != "" && lb.TargetGroup == "" {
				name, err := b.ref("classic load balancer", lb.LoadBalancer, s.line("load_balancers"), owner)
				if err != nil {
					return err
				}
				in.LoadBalancers = append(in.LoadBalancers, model.ServiceLoadBalancer{LoadBalancerName: name, ContainerName: lb.Container, ContainerPort: uint16(lb.Port)})
				continue
			}
			tg, err := b.ref("target group", lb.TargetGroup, s.line("load_balancers"), owner)
			if err != nil {
				return err
			}
			in.LoadBalancers = append(in.LoadBalancers, model.ServiceLoadBalancer{TargetGroupARN: tg, ContainerName: lb.Container, ContainerPort: uint16(lb.Port)})
		}
		if s.Value.Discovery != "" {
			arn, err := b.ref("discovery service", s.Value.Discovery, s.line("discovery"), owner)
			if err != nil {
				return err
			}
			in.ServiceRegistries = []model.ServiceRegistry{{RegistryARN: arn, ContainerName: s.Value.DiscoveryContainer, ContainerPort: uint16(s.Value.DiscoveryPort)}}
		}
		if sc := s.Value.ServiceConnect; sc != nil {
			cfg := &model.ServiceConnectConfiguration{Enabled: sc.Enabled == nil || *sc.Enabled}
			if sc.Namespace != "" {
				if cfg.Namespace, err = b.ref("namespace", sc.Namespace, s.line("service_connect"), owner); err != nil {
					return err
				}
			}
			for _, x := range sc.Services {
				v := model.ServiceConnectService{PortName: x.PortName, DiscoveryName: x.DiscoveryName, IngressPortOverride: uint16(x.IngressPortOverride)}
				for _, a := range x.ClientAliases {
					v.ClientAliases = append(v.ClientAliases, model.ServiceConnectClientAlias{Port: uint16(a.Port), DNSName: a.DNSName})
				}
				cfg.Services = append(cfg.Services, v)
			}
			in.ServiceConnectConfig = cfg
		}
		switch s.Value.DeploymentController {
		case "", "ECS", "CODE_DEPLOY":
			in.DeploymentController = s.Value.DeploymentController
		case "EXTERNAL":
			if err := b.externalService(in, s.line("deployment_controller"), owner); err != nil {
				return err
			}
			continue
		default:
			return b.errf(s.line("deployment_controller"), "%s: deployment_controller %q: want ECS, CODE_DEPLOY or EXTERNAL", owner, s.Value.DeploymentController)
		}
		svc, err := b.e.CreateService(in)
		if err != nil {
			line := s.Line
			if m := err.Error(); s.Value.ServiceConnect != nil && (strings.Contains(m, "Service Connect") || apierr.HasCode(err, "NamespaceNotFoundException") ||
				strings.Contains(m, "portName") || strings.Contains(m, "discoveryName") || strings.Contains(m, "client alias")) {
				line = s.line("service_connect")
			}
			if apierr.HasCode(err, "InvalidParameterException") && strings.Contains(err.Error(), "public IP") {
				line = s.line("assign_public_ip")
			}
			return b.fail(line, owner, err)
		}
		b.set("service", s.Name, svc.ARN)
		if s.Value.CodeDeploy != nil {
			if err := b.codeDeployGroup(cluster, s.Name, s.Value.DeploymentController, *s.Value.CodeDeploy, s.line("codedeploy"), owner); err != nil {
				return err
			}
		}
	}
	return nil
}

// externalService creates a service of the EXTERNAL deployment
// controller as a deployment tool does: the service without a task
// definition, network or load balancers of its own (ECS refuses them), a
// task set with the entry's at scale 100, made the primary one.
func (b *builder) externalService(in engine.CreateServiceInput, line int, owner string) error {
	full := 100.0
	ts := engine.CreateTaskSetInput{Cluster: in.Cluster, Service: in.Name, TaskDefinition: in.TaskDefinition, LaunchType: in.LaunchType,
		CapacityProviderStrategy: in.CapacityProviderStrategy, Network: in.Network, PlatformVersion: in.PlatformVersion,
		LoadBalancers: in.LoadBalancers, Scale: &full}
	if in.ServiceRegistries != nil || in.ServiceConnectConfig != nil {
		return b.errf(line, "%s: deployment_controller EXTERNAL: discovery and service_connect are not modelled for task sets", owner)
	}
	in.DeploymentController = "EXTERNAL"
	in.TaskDefinition, in.Network, in.LoadBalancers, in.PlatformVersion = "", nil, nil, ""
	svc, err := b.e.CreateService(in)
	if err != nil {
		return b.fail(line, owner, err)
	}
	_, set, err := b.e.CreateTaskSet(ts)
	if err != nil {
		return b.fail(line, owner, err)
	}
	if _, _, err := b.e.UpdateServicePrimaryTaskSet(in.Cluster, in.Name, set.ID); err != nil {
		return b.fail(line, owner, err)
	}
	b.set("service", in.Name, svc.ARN)
	return nil
}

func (b *builder) tasks(sp *fileSpec) error {
	for _, x := range sp.Tasks {
		owner := "task " + strconv.Quote(x.Name)
		if _, err := b.ref("cluster", x.Value.Cluster, x.line("cluster"), owner); err != nil {
			return err
		}
		td, err := b.ref("task definition", x.Value.TaskDefinition, x.line("task_definition"), owner)
		if err != nil {
			return err
		}
		netw, err := b.awsvpc(x.Value.Subnets, x.Value.SecurityGroups, x.Value.AssignPublicIP, x.line("subnets"), owner)
		if err != nil {
			return err
		}
		// One task keeps the entry's name; a counted entry names its
		// tasks <name>/0, <name>/1, … (RunTask with count N, one call per
		// task so each gets its own Name tag).
		runs, count := 1, x.Value.Count
		if count > 1 && count <= 10 {
			runs, count = count, 1
		}
		for i := range runs {
			name := x.Name
			if runs > 1 {
				name = x.Name + "/" + strconv.Itoa(i)
			}
			out, err := b.e.RunTask(engine.RunTaskInput{Cluster: x.Value.Cluster, TaskDefinition: td, Count: count,
				LaunchType: model.LaunchType(x.Value.LaunchType), Network: netw, StartedBy: x.Name, Tags: tags(name, nil)})
			if err != nil {
				return b.fail(x.Line, owner, err)
			}
			for _, f := range out.Failures {
				b.failures = append(b.failures, PlacementFailure{Task: name, Line: x.Line, ARN: f.ARN, Reason: f.Reason})
			}
		}
	}
	return nil
}

// scheduledTasks creates an EventBridge rule per scheduled_tasks: entry,
// with one ECS target (RunTask with the entry's parameters, as
// EventBridge calls it when the schedule fires).
func (b *builder) scheduledTasks(sp *fileSpec) error {
	cfg := b.e.Config()
	for _, x := range sp.ScheduledTasks {
		owner := "scheduled task " + strconv.Quote(x.Name)
		v := x.Value
		if v.Schedule == "" {
			return b.errf(x.Line, "%s: schedule is required (rate(...) or cron(...))", owner)
		}
		if !engine.ValidScheduleExpression(v.Schedule) {
			return b.errf(x.line("schedule"), "%s: ValidationException: Parameter ScheduleExpression is not valid.", owner)
		}
		cluster, err := b.ref("cluster", v.Cluster, x.line("cluster"), owner)
		if err != nil {
			return err
		}
		td, err := b.ref("task definition", v.TaskDefinition, x.line("task_definition"), owner)
		if err != nil {
			return err
		}
		netw, err := b.awsvpc(v.Subnets, v.SecurityGroups, v.AssignPublicIP, x.line("subnets"), owner)
		if err != nil {
			return err
		}
		state := "ENABLED"
		if v.Disabled {
			state = "DISABLED"
		}
		if _, err := b.e.PutEventRule(model.EventRule{Name: x.Name, ARN: engine.EventRuleARN(cfg.Region, cfg.Account, engine.DefaultEventBus, x.Name),
			EventBus: engine.DefaultEventBus, ScheduleExpression: v.Schedule, State: state}); err != nil {
			return b.fail(x.line("schedule"), owner, err)
		}
		role := v.Role
		if role == "" {
			role = "arn:" + model.Partition(cfg.Region) + ":iam::" + cfg.Account + ":role/ecsEventsRole"
		}
		tg := model.EventTarget{ID: x.Name, ARN: cluster, RoleARN: role, ECS: &model.EventECSParameters{TaskDefinitionARN: td,
			TaskCount: max(v.Count, 1), LaunchType: model.LaunchType(v.LaunchType), Group: v.Group, Network: netw}}
		if _, err := b.e.PutEventTargets(engine.DefaultEventBus, x.Name, []model.EventTarget{tg}); err != nil {
			return b.fail(x.Line, owner, err)
		}
	}
	return nil
}

// PlacementFailure is a task of the tasks: section that ECS could not
// place, as RunTask reported it.
type PlacementFailure struct {
	Task   string
	Line   int
	ARN    string
	Reason string
}

func (b *builder) vpcEndpoints(sp *fileSpec) error {
	for _, x := range sp.VpcEndpoints {
		if x.Value.EndpointService != "" {
			continue // after the load balancers (endpointServices)
		}
		owner := "vpc endpoint " + strconv.Quote(x.Name)
		vpc, err := b.ref("vpc", x.Value.VPC, x.line("vpc"), owner)
		if err != nil {
			return err
		}
		service := x.Value.Service
		typ := x.Value.Type
		if typ == "" {
			typ = "Interface"
			if len(x.Value.RouteTables) > 0 || strings.HasSuffix(service, ".s3") && len(x.Value.Subnets) == 0 || strings.HasSuffix(service, ".dynamodb") {
				typ = "Gateway"
			}
		}
		// A short name (ecr.api) is the region's endpoint service of the
		// type: cn.com.amazonaws.cn-north-1.ecr.api in China.
		if !strings.HasPrefix(service, "com.amazonaws.") && !strings.HasPrefix(service, "cn.com.amazonaws.") {
			service = model.EndpointServiceName(b.s.Region, service, typ)
		}
		in := engine.CreateVpcEndpointInput{VpcID: model.VpcID(vpc), ServiceName: service, Type: typ, PrivateDNSEnabled: x.Value.PrivateDNS, PolicyDocument: x.Value.Policy, Tags: tags(x.Name, x.Value.Tags),
			IPAddressType: x.Value.IPAddressType, DNSRecordIPType: x.Value.DNSRecordIPType}
		for _, r := range x.Value.RouteTables {
			id, err := b.ref("route table", r, x.line("route_tables"), owner)
			if err != nil {
				return err
			}
			in.RouteTableIDs = append(in.RouteTableIDs, model.RouteTableID(id))
		}
		if in.SubnetIDs, err = b.subnetIDs(x.Value.Subnets, x.line("subnets"), owner); err != nil {
			return err
		}
		if in.SecurityGroupIDs, err = b.groupIDs(x.Value.SecurityGroups, x.line("security_groups"), owner); err != nil {
			return err
		}
		ep, err := b.e.CreateVpcEndpoint(in)
		if err != nil {
			return b.fail(x.Line, owner, err)
		}
		b.set("vpc endpoint", x.Name, string(ep.ID))
	}
	return nil
}

func (b *builder) autoScalingGroups(sp *fileSpec) error {
	for _, g := range sp.AutoScalingGroups {
		owner := "auto scaling group " + strconv.Quote(g.Name)
		lt, err := b.ref("launch template", g.Value.LaunchTemplate, g.line("launch_template"), owner)
		if err != nil {
			return err
		}
		subnets, err := b.subnetIDs(g.Value.Subnets, g.line("subnets"), owner)
		if err != nil {
			return err
		}
		desired := 1
		if g.Value.Desired != nil {
			desired = *g.Value.Desired
		}
		lo, hi := desired, desired
		if g.Value.Min != nil {
			lo = *g.Value.Min
		}
		if g.Value.Max != nil {
			hi = *g.Value.Max
		}
		in := engine.CreateAutoScalingGroupInput{Name: g.Name, LaunchTemplate: &model.LaunchTemplateRef{ID: model.LaunchTemplateID(lt), Version: "$Default"},
			MinSize: lo, MaxSize: hi, DesiredCapacity: &desired, Subnets: subnets}
		for _, p := range g.Value.PublicIPs {
			a, err := netip.ParseAddr(p)
			if err != nil {
				return b.errf(g.line("public_ips"), "%s: public_ips: %q is not an IPv4 address", owner, p)
			}
			in.FixedPublicIPs = append(in.FixedPublicIPs, a)
		}
		for _, tg := range g.Value.TargetGroups {
			arn, err := b.ref("target group", tg, g.line("target_groups"), owner)
			if err != nil {
				return err
			}
			in.TargetGroupARNs = append(in.TargetGroupARNs, arn)
		}
		for _, lb := range g.Value.LoadBalancers {
			name, err := b.ref("classic load balancer", lb, g.line("load_balancers"), owner)
			if err != nil {
				return err
			}
			in.LoadBalancerNames = append(in.LoadBalancerNames, name)
		}
		keys := make([]string, 0, len(g.Value.Tags))
		for k := range g.Value.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			in.Tags = append(in.Tags, model.ASGTag{Key: k, Value: g.Value.Tags[k], PropagateAtLaunch: true})
		}
		asg, err := b.e.CreateAutoScalingGroup(in)
		if err != nil {
			return b.fail(g.Line, owner, err)
		}
		b.set("auto scaling group", g.Name, asg.ARN)
	}
	return nil
}

func (b *builder) capacityProviders(sp *fileSpec) error {
	for _, c := range sp.CapacityProviders {
		owner := "capacity provider " + strconv.Quote(c.Name)
		if mi := c.Value.ManagedInstances; mi != nil {
			if err := b.managedInstancesProvider(c.Name, c.Value, c.Line, c.line("managed_instances"), owner); err != nil {
				return err
			}
			continue
		}
		asg, err := b.ref("auto scaling group", c.Value.AutoScalingGroup, c.line("auto_scaling_group"), owner)
		if err != nil {
			return err
		}
		cp, err := b.e.CreateCapacityProvider(engine.CreateCapacityProviderInput{Name: c.Name, AutoScalingGroupARN: asg, ManagedScaling: c.Value.ManagedScaling})
		if err != nil {
			return b.fail(c.Line, owner, err)
		}
		b.set("capacity provider", c.Name, cp.Name)
	}
	for _, c := range sp.Clusters {
		if len(c.Value.CapacityProviders) == 0 {
			continue
		}
		owner := "cluster " + strconv.Quote(c.Name)
		if _, err := b.e.PutClusterCapacityProviders(c.Name, c.Value.CapacityProviders, b.strategy(c.Value.DefaultStrategy)); err != nil {
			return b.fail(c.line("capacity_providers"), owner, err)
		}
	}
	return nil
}

// managedInstancesProvider creates an ECS Managed Instances capacity
// provider of its cluster.
func (b *builder) managedInstancesProvider(name string, c cpSpec, line, miLine int, owner string) error {
	cluster, err := b.ref("cluster", c.Cluster, line, owner)
	if err != nil {
		return err
	}
	subnets, err := b.subnetIDs(c.ManagedInstances.Subnets, miLine, owner)
	if err != nil {
		return err
	}
	groups, err := b.groupIDs(c.ManagedInstances.SecurityGroups, miLine, owner)
	if err != nil {
		return err
	}
	acct := b.e.Config().Account
	role, profile := c.ManagedInstances.InfrastructureRole, c.ManagedInstances.InstanceProfile
	if role == "" {
		role = "ecsInfrastructureRole"
	}
	if profile == "" {
		profile = "ecsInstanceRole"
	}
	if !strings.HasPrefix(role, "arn:") {
		role = "arn:aws:iam::" + acct + ":role/" + role
	}
	if !strings.HasPrefix(profile, "arn:") {
		profile = "arn:aws:iam::" + acct + ":instance-profile/" + profile
	}
	mi := &model.ManagedInstancesProvider{InfrastructureRoleARN: role, InstanceProfileARN: profile, Subnets: subnets, SecurityGroups: groups,
		AllowedInstanceTypes: c.ManagedInstances.InstanceTypes}
	if c.ManagedInstances.PropagateTags {
		mi.PropagateTags = "CAPACITY_PROVIDER"
	}
	cp, err := b.e.CreateCapacityProvider(engine.CreateCapacityProviderInput{Name: name, Cluster: cluster, ManagedInstances: mi, Tags: model.Tags(c.Tags).Clone()})
	if err != nil {
		return b.fail(line, owner, err)
	}
	b.set("capacity provider", name, cp.Name)
	return nil
}

// cloudMap creates the Cloud Map namespaces and services.
func (b *builder) cloudMap(sp *fileSpec) error {
	for _, x := range sp.Namespaces {
		owner := "namespace " + strconv.Quote(x.Name)
		var ns *model.Namespace
		switch typ := x.Value.Type; typ {
		case "", "private":
			vpc, err := b.ref("vpc", x.Value.VPC, x.line("vpc"), owner)
			if err != nil {
				return err
			}
			if ns, err = b.e.CreatePrivateDNSNamespace(engine.CreatePrivateDNSNamespaceInput{Name: x.Name, VpcID: model.VpcID(vpc), Description: x.Value.Description, Tags: tags(x.Name, nil)}); err != nil {
				return b.fail(x.Line, owner, err)
			}
		case "public", "http":
			if x.Value.VPC != "" || len(x.Value.AssociatedVPCs) > 0 {
				return b.errf(x.line("vpc"), "%s: a %s namespace has no VPC", owner, typ)
			}
			t := model.NamespaceDNSPublic
			if typ == "http" {
				t = model.NamespaceHTTP
			}
			var err error
			if ns, _, err = b.e.CreateNamespace(engine.CreateNamespaceInput{Type: t, Name: x.Name, Description: x.Value.Description, Tags: tags(x.Name, nil)}); err != nil {
				return b.fail(x.Line, owner, err)
			}
		default:
			return b.errf(x.line("type"), "%s: type %q: want private, public or http", owner, typ)
		}
		lines := itemLines(x.node, "associated_vpcs", len(x.Value.AssociatedVPCs))
		for i, ref := range x.Value.AssociatedVPCs {
			other, err := b.ref("vpc", ref, lines[i], owner)
			if err != nil {
				return err
			}
			if err := b.e.AssociateNamespaceVPC(ns.ID, model.VpcID(other)); err != nil {
				return b.fail(lines[i], owner, err)
			}
		}
		b.set("namespace", x.Name, ns.ID)
	}
	for _, x := range sp.DiscoveryServices {
		owner := "discovery service " + strconv.Quote(x.Name)
		ns, err := b.ref("namespace", x.Value.Namespace, x.line("namespace"), owner)
		if err != nil {
			return err
		}
		ttl := x.Value.TTL
		if ttl == 0 {
			ttl = 60
		}
		var recs []model.DNSRecord
		for _, r := range x.Value.Records {
			recs = append(recs, model.DNSRecord{Type: strings.ToUpper(r), TTL: ttl})
		}
		s, err := b.e.CreateDiscoveryService(engine.CreateDiscoveryServiceInput{Name: x.Name, NamespaceID: ns, DNSRecords: recs, Tags: tags(x.Name, nil)})
		if err != nil {
			return b.fail(x.Line, owner, err)
		}
		b.set("discovery service", x.Name, s.ARN)
	}
	return nil
}

// ec2AssumeRole is the trust policy of an instance profile's role.
const ec2AssumeRole = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// trustPolicy is a trust policy that lets the service principals assume a
// role.
func trustPolicy(services []string) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"Service": services}, "Action": "sts:AssumeRole"}}})
	return string(b)
}

// iam creates the file's IAM roles and instance profiles (IAM is global;
// the scenario's engine holds it).
func (b *builder) iam(sp *fileSpec) error {
	for _, r := range sp.IAMRoles {
		owner := "IAM role " + strconv.Quote(r.Name)
		trust := ec2AssumeRole
		if len(r.Value.Trusts) > 0 {
			trust = trustPolicy(r.Value.Trusts)
		}
		if _, err := b.e.CreateRole(engine.RoleInput{Name: r.Name, Path: "/", AssumeRolePolicyDocument: trust}); err != nil {
			return b.fail(r.Line, owner, err)
		}
		for _, arn := range r.Value.ManagedPolicies {
			if err := b.e.AttachRolePolicy(r.Name, arn); err != nil {
				return b.fail(r.line("managed_policies"), owner, err)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(r.Value.Policies)) {
			if err := b.e.PutRolePolicy(r.Name, name, r.Value.Policies[name]); err != nil {
				return b.fail(r.line("policies"), owner, err)
			}
		}
		b.set("IAM role", r.Name, r.Name)
	}
	for _, p := range sp.InstanceProfiles {
		owner := "instance profile " + strconv.Quote(p.Name)
		if _, err := b.e.CreateInstanceProfile(p.Name, "/", nil); err != nil {
			return b.fail(p.Line, owner, err)
		}
		if p.Value.Role != "" {
			if _, err := b.ref("IAM role", p.Value.Role, p.line("role"), owner); err != nil {
				return err
			}
			if err := b.e.AddRoleToInstanceProfile(p.Name, p.Value.Role); err != nil {
				return b.fail(p.line("role"), owner, err)
			}
		}
		b.set("instance profile", p.Name, p.Name)
	}
	return nil
}

// profileRef checks a launch's instance profile: in a file that declares
// IAM (instance_profiles), one of its profiles.
func (b *builder) profileRef(sp *fileSpec, name string, line int, owner string) error {
	if name == "" || len(sp.InstanceProfiles) == 0 {
		return nil
	}
	_, err := b.ref("instance profile", name, line, owner)
	return err
}
