package snapshot

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// builder ties one region's describe-* output together into a State.
type builder struct {
	rd      *regionData
	st      *model.State
	region  string
	unknown map[string]Warning

	eniAt       map[model.NetworkInterfaceID]pos
	instanceAt  map[model.InstanceID]pos
	taskByAttID map[string]*model.Task // ECS attachment id → task
	// plKnown are the prefix lists whose CIDRs the snapshot holds;
	// plWarned the lists and resources warned of (prefixListUnknown).
	plKnown  map[model.PrefixListID]bool
	plWarned map[string]bool
	// dnsHostnamesKnown are the VPCs whose enableDnsHostnames the
	// snapshot's describe-vpc-attribute outputs give (vpcattrs.go).
	dnsHostnamesKnown map[model.VpcID]bool
	// groups collects warnings of one category, emitted capped at the end.
	groups map[string]*warnGroup
	order  []string
}

// warnGroup holds the warnings of one category: the first few are kept as
// they are, the rest only counted, so a snapshot of 10,000 ENIs that all
// share one problem gives a readable list.
type warnGroup struct {
	kept  []Warning
	extra int
	label string
}

const warningsPerCategory = 10

func (b *builder) note(category, label string, w Warning) {
	g := b.groups[category]
	if g == nil {
		g = &warnGroup{label: label}
		b.groups[category] = g
		b.order = append(b.order, category)
	}
	if len(g.kept) < warningsPerCategory {
		g.kept = append(g.kept, w)
		return
	}
	g.extra++
}

func (b *builder) flushNotes() {
	for _, c := range b.order {
		g := b.groups[c]
		b.rd.warnings = append(b.rd.warnings, g.kept...)
		if g.extra > 0 {
			w := g.kept[0]
			b.rd.warn(Warning{Code: w.Code, Message: fmt.Sprintf("… and %d more %s", g.extra, g.label)})
		}
	}
}

// missing reports whether a describe-* call (by its key) is absent.
func (b *builder) missing(key string) bool { return !b.rd.seen[key] }

// build ties the region's data together. It returns the state and the
// resources whose behaviour the snapshot leaves undecided.
func (rd *regionData) build(region, account string) (*model.State, map[string]Warning, *Warning) {
	if rd.seen == nil {
		rd.seen = map[string]bool{}
	}
	if account == "" {
		account = rd.guessAccount()
	}
	b := &builder{rd: rd, st: model.NewState(account, region), region: region, unknown: map[string]Warning{},
		eniAt: map[model.NetworkInterfaceID]pos{}, instanceAt: map[model.InstanceID]pos{},
		taskByAttID: map[string]*model.Task{}, groups: map[string]*warnGroup{}}
	b.missingCalls()
	b.dhcpOptions()
	b.vpcs()
	b.vpcAttributes()
	b.subnets()
	b.impliedVPCs()
	b.prefixLists()
	b.securityGroups()
	b.transitGateways()
	b.vpcPeerings()
	b.routeTables()
	b.internetGateways()
	b.egressOnlyIGWs()
	b.blockPublicAccess()
	b.networkACLs()
	b.networkInterfaces()
	b.instances()
	b.addresses()
	b.natGateways()
	b.endpoints()
	b.endpointServices()
	b.networkFirewalls()
	b.loadBalancers()
	b.classicLoadBalancers()
	b.autoScaling()
	b.ecs()
	b.capacityProviders()
	b.daemons()
	b.efs()
	b.certificates()
	b.eventRules()
	b.resourceTagsApply()
	b.cloudMap()
	b.route53()
	b.healthChecks()
	b.ecr()
	b.codeDeploy()
	b.ecsSettings()
	b.serviceConnectNamespaces()
	b.placeholders()
	b.checks()
	b.unknowns()
	b.flushNotes()
	var internet *Warning
	if b.missing("InternetGateways") {
		internet = &Warning{Code: CodeMissing, Message: "the snapshot has no ec2 describe-internet-gateways: whether the internet reaches the VPCs is unknown"}
	}
	return b.st, b.unknown, internet
}

// callInfo describes a describe-* call: the key of its output, how to
// name it, and what is unknown without it.
type callInfo struct {
	key, call, without string
	// parent, when set, is a key whose resources this call is about: the
	// call is only missed when the parent's output is there and not empty.
	parent string
	// since is the format version (FormatVersion) whose collectors first
	// made the call; 0 for the first collectors'.
	since int
}

// callInfos returns the describe-* calls whose absence Load reports.
func callInfos() []callInfo {
	return []callInfo{
		{key: "Vpcs", call: "ec2 describe-vpcs", without: "VPC CIDRs are unknown; VPCs are known only by the ids other resources name"},
		{key: "Subnets", call: "ec2 describe-subnets", without: "subnets are unknown: no route table or network ACL applies to the ENIs in them"},
		{key: "RouteTables", call: "ec2 describe-route-tables", without: "routes are unknown: no subnet routes anywhere"},
		{key: "InternetGateways", call: "ec2 describe-internet-gateways", without: "internet gateways are unknown: routes to igw-… are blackholes"},
		{key: "NatGateways", call: "ec2 describe-nat-gateways", without: "NAT gateways are unknown: routes to nat-… are blackholes"},
		{key: "NetworkAcls", call: "ec2 describe-network-acls", without: "network ACLs are unknown: subnets are treated as having none"},
		{key: "SecurityGroups", call: "ec2 describe-security-groups", without: "security group rules are unknown: the groups ENIs name become placeholders without rules, and probes through them are undecided"},
		{key: "NetworkInterfaces", call: "ec2 describe-network-interfaces", without: "ENIs are known only from describe-instances and the tasks' attachment details; load balancer, NAT gateway and endpoint nodes are unknown"},
		{key: "Reservations", call: "ec2 describe-instances", without: "EC2 instances are unknown: container instances have no host, and bridge and host mode ports cannot be reached"},
		{key: "Addresses", call: "ec2 describe-addresses", without: "Elastic IPs are known only from the ENIs they are associated with"},
		{key: "VpcEndpoints", call: "ec2 describe-vpc-endpoints", without: "VPC endpoints are unknown: routes to vpce-… are blackholes"},
		{key: "DhcpOptions", call: "ec2 describe-dhcp-options", parent: "Vpcs", since: 31,
			without: "DHCP options are unknown: VPCs' lookups are taken to go to the Route 53 Resolver, not to DNS servers of their own"},
		{key: seenVPCAttributes, call: "ec2 describe-vpc-attribute", parent: "Vpcs", since: 34,
			without: "VPCs' DNS attributes are unknown: taken as AWS's defaults (enableDnsSupport on; enableDnsHostnames on in a default VPC, else off unless an ENI in the VPC has a public DNS name)"},
		{key: "clusters", call: "ecs describe-clusters", without: "ECS clusters are known only by the ARNs tasks and services name"},
		{key: "capacityProviders", call: "ecs describe-capacity-providers", since: 17, without: "capacity providers are known only by the names clusters and container instances give: ACTIVE, without managed scaling"},
		{key: "containerInstances", call: "ecs describe-container-instances", without: "container instances are unknown: EC2 tasks are not tied to their instances"},
		{key: "services", call: "ecs describe-services", without: "ECS services are unknown: tasks are not grouped by service"},
		{key: "tasks", call: "ecs describe-tasks", without: "ECS tasks are unknown: nothing listens anywhere"},
		{key: "taskDefinition", call: "ecs describe-task-definition", without: "task definitions are unknown: the ports awsvpc and host mode tasks listen on are unknown", parent: "tasks"},
		{key: "LoadBalancers", call: "elbv2 describe-load-balancers", without: "load balancers are unknown"},
		{key: "Listeners", call: "elbv2 describe-listeners", without: "listeners are unknown: load balancers accept nothing", parent: "LoadBalancers"},
		{key: "Rules", call: "elbv2 describe-rules", without: "listener rules are unknown: only the listeners' default actions apply", parent: "Listeners"},
		{key: "TargetGroups", call: "elbv2 describe-target-groups", without: "target groups are unknown: listeners forward nowhere", parent: "LoadBalancers"},
		{key: "TargetHealthDescriptions", call: "elbv2 describe-target-health", without: "registered targets are unknown: target groups are empty", parent: "TargetGroups"},
		{key: "AutoScalingGroups", call: "autoscaling describe-auto-scaling-groups", without: "Auto Scaling groups are unknown: instances are named by id"},
		{key: "repositories", call: "ecr describe-repositories", parent: countECRImages, since: 36,
			without: "ECR repositories are unknown: the images task definitions pull from ECR are taken to exist"},
		{key: "deploymentGroupsInfo", call: "deploy batch-get-deployment-groups", parent: countCodeDeployServices, since: 36,
			without: "CodeDeploy deployment groups are unknown: a CODE_DEPLOY service's target group pair is known from its load balancers only"},
		{key: "principalSettings", call: "ecs list-account-settings --principal-arn", parent: countContainerInstances, since: 36,
			without: "the instance roles' own ECS account settings are unknown: the account's (awsvpcTrunking, …) are taken for them"},
	}
}

// countECRImages and countCodeDeployServices are the parents of the ECR
// and CodeDeploy calls: the task definitions that pull from an ECR
// private registry, the services the CODE_DEPLOY controller deploys;
// countContainerInstances the instance roles' settings' (the instances
// those roles registered).
const (
	countECRImages          = "task definitions pulling from ECR"
	countCodeDeployServices = "CODE_DEPLOY services"
	countContainerInstances = "container instances"
)

func (rd *regionData) count(key string) int {
	switch key {
	case "tasks":
		return len(rd.tasks)
	case "LoadBalancers":
		return len(rd.lbs)
	case "Listeners":
		return len(rd.listeners)
	case "TargetGroups":
		return len(rd.tgs)
	case "Vpcs":
		return len(rd.vpcs)
	case countECRImages:
		n := 0
		for _, td := range rd.taskDefs {
			if slices.ContainsFunc(td.v.ContainerDefinitions, func(c ecsContainerDef) bool { return model.ECRRegistryRegion(strings.SplitN(c.Image, "/", 2)[0]) != "" }) {
				n++
			}
		}
		return n
	case countContainerInstances:
		return len(rd.cinstances)
	case countCodeDeployServices:
		n := 0
		for _, s := range rd.services {
			if c := s.v.DeploymentController; c != nil && c.Type == "CODE_DEPLOY" {
				n++
			}
		}
		return n
	}
	return 0
}

// missingCalls warns of each call absent from the snapshot, and says once
// which absent calls its collector did not know (added to the collectors
// after it).
func (b *builder) missingCalls() {
	var absent []callInfo
	partial := false
	for _, c := range callInfos() {
		if !b.missing(c.key) {
			continue
		}
		// A count parent (countECRImages, …) is no output of its own.
		countParent := c.parent == countECRImages || c.parent == countCodeDeployServices || c.parent == countContainerInstances
		if c.parent != "" && (!countParent && b.missing(c.parent) || b.rd.count(c.parent) == 0) {
			continue
		}
		absent = append(absent, c)
		partial = partial || c.since == 0
	}
	// Without a manifest, only a snapshot that holds every call of the
	// first collectors looks like a collector's: a partial one (files
	// gathered by hand) is told of each call it lacks.
	inferred := b.rd.version.inferred()
	var unknown []string
	for _, c := range absent {
		if !(inferred && partial) && !b.rd.version.knew(c.call, c.since, b.rd.seen) {
			unknown = append(unknown, c.call)
			continue
		}
		b.rd.warn(Warning{Code: CodeMissing, Message: "no " + c.call + " output: " + c.without})
	}
	if msg := b.rd.version.olderCollector(unknown); msg != "" {
		b.rd.warn(Warning{Code: CodeCollect, Message: msg})
	}
}

// ---- helpers ----

// ipv6Blocks reads a VPC's or subnet's associated IPv6 blocks.
func ipv6Blocks(in []ec2Ipv6BlockAssn) []model.IPv6Block {
	var out []model.IPv6Block
	for _, a := range in {
		if p, ok := prefix(a.Ipv6CidrBlock); ok && p.Addr().Is6() && a.associated() {
			out = append(out, model.IPv6Block{CIDR: p, AssociationID: a.AssociationID})
		}
	}
	return out
}

func prefix(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, false
	}
	return p.Masked(), true
}

func addr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	return a, err == nil
}

func ec2Tags(ts []ec2Tag) model.Tags {
	if len(ts) == 0 {
		return nil
	}
	t := make(model.Tags, len(ts))
	for _, x := range ts {
		t[x.Key] = x.Value
	}
	return t
}

func ecsTags(ts []ecsTag) model.Tags {
	if len(ts) == 0 {
		return nil
	}
	t := make(model.Tags, len(ts))
	for _, x := range ts {
		t[x.Key] = x.Value
	}
	return t
}

func groupIDs(gs []ec2GroupIdent) []model.SecurityGroupID {
	out := make([]model.SecurityGroupID, 0, len(gs))
	for _, g := range gs {
		if g.GroupID != "" {
			out = append(out, model.SecurityGroupID(g.GroupID))
		}
	}
	return out
}

func ids[T ~string](s []string) []T {
	if len(s) == 0 {
		return nil
	}
	out := make([]T, 0, len(s))
	for _, x := range s {
		if x != "" {
			out = append(out, T(x))
		}
	}
	return out
}

var arnRE = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):(\d{12}):`)

func (rd *regionData) guessAccount() string {
	for _, v := range rd.vpcs {
		if v.v.OwnerID != "" {
			return v.v.OwnerID
		}
	}
	for _, e := range rd.enis {
		if e.v.OwnerID != "" {
			return e.v.OwnerID
		}
	}
	arns := []string{}
	for _, c := range rd.clusters {
		arns = append(arns, c.v.ClusterArn)
	}
	for _, t := range rd.tasks {
		arns = append(arns, t.v.TaskArn)
	}
	for _, l := range rd.lbs {
		arns = append(arns, l.v.LoadBalancerArn)
	}
	for _, a := range arns {
		if m := arnRE.FindStringSubmatch(a); m != nil {
			return m[2]
		}
	}
	return "123456789012"
}

var azRE = regexp.MustCompile(`^([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+)`)

// guessRegion returns the region the Availability Zones or ARNs name.
func (rd *regionData) guessRegion() string {
	var zones []string
	for _, s := range rd.subnets {
		zones = append(zones, s.v.AvailabilityZone)
	}
	for _, e := range rd.enis {
		zones = append(zones, e.v.AvailabilityZone)
	}
	for _, i := range rd.instances {
		if i.v.Placement != nil {
			zones = append(zones, i.v.Placement.AvailabilityZone)
		}
	}
	for _, t := range rd.tasks {
		zones = append(zones, t.v.AvailabilityZone)
	}
	for _, z := range zones {
		if m := azRE.FindStringSubmatch(z); m != nil {
			return m[1]
		}
	}
	var arns []string
	for _, c := range rd.clusters {
		arns = append(arns, c.v.ClusterArn)
	}
	for _, t := range rd.tasks {
		arns = append(arns, t.v.TaskArn)
	}
	for _, l := range rd.lbs {
		arns = append(arns, l.v.LoadBalancerArn)
	}
	for _, a := range arns {
		if m := arnRE.FindStringSubmatch(a); m != nil && m[1] != "" {
			return m[1]
		}
	}
	return ""
}

// ---- EC2 ----

// dhcpOptions reads the DHCP options sets: a VPC's own DNS servers
// (domain-name-servers) decide where its lookups go.
func (b *builder) dhcpOptions() {
	for _, it := range b.rd.dhcpOptions {
		d := it.v
		if d.DhcpOptionsID == "" {
			b.rd.warn(it.at.warning(CodeBadValue, "", "a DHCP options set without DhcpOptionsId skipped"))
			continue
		}
		o := &model.DhcpOptions{ID: model.DhcpOptionsID(d.DhcpOptionsID), Options: map[string][]string{}, Tags: ec2Tags(d.Tags)}
		for _, c := range d.DhcpConfigurations {
			for _, v := range c.Values {
				o.Options[c.Key] = append(o.Options[c.Key], v.Value)
			}
		}
		b.st.DhcpOptions[o.ID] = o
	}
	// The set AWS creates for the Region (its domain name and
	// AmazonProvidedDNS, untagged) is the default one, which new VPCs get:
	// describe-dhcp-options does not say so.
	domain := b.region + ".compute.internal"
	if b.region == "us-east-1" {
		domain = "ec2.internal"
	}
	for _, o := range sortedValues(b.st.DhcpOptions) {
		if len(o.Tags) == 0 && len(o.Options) == 2 && slices.Equal(o.Options["domain-name"], []string{domain}) &&
			slices.Equal(o.Options["domain-name-servers"], []string{"AmazonProvidedDNS"}) {
			o.IsDefault = true
			break
		}
	}
}

func (b *builder) vpcs() {
	for _, it := range b.rd.vpcs {
		v := it.v
		if v.VpcID == "" {
			b.rd.warn(it.at.warning(CodeBadValue, "", "a VPC without VpcId skipped"))
			continue
		}
		cidr, ok := prefix(v.CidrBlock)
		if !ok || !cidr.Addr().Is4() {
			b.rd.warn(it.at.warning(CodeBadValue, v.VpcID, "VPC "+v.VpcID+" skipped: CidrBlock "+quote(v.CidrBlock)+" is not an IPv4 CIDR"))
			continue
		}
		vpc := &model.VPC{ID: model.VpcID(v.VpcID), CIDR: cidr, IsDefault: v.IsDefault, EnableDNSSupport: true, DhcpOptions: model.DhcpOptionsID(v.DhcpOptionsID),
			EnableDNSHostnames: v.IsDefault, InstanceTenancy: cmp.Or(v.InstanceTenancy, "default"), Tags: ec2Tags(v.Tags)}
		for _, a := range v.CidrBlockAssociationSet {
			p, ok := prefix(a.CidrBlock)
			if !ok || (a.CidrBlockState != nil && a.CidrBlockState.State != "associated") {
				continue
			}
			if p == cidr {
				vpc.CIDRAssociationIDs = append([]string{a.AssociationID}, vpc.CIDRAssociationIDs...)
				continue
			}
			vpc.Secondary = append(vpc.Secondary, p)
			vpc.CIDRAssociationIDs = append(vpc.CIDRAssociationIDs, a.AssociationID)
		}
		vpc.IPv6 = ipv6Blocks(v.Ipv6CidrBlockAssnSet)
		b.st.VPCs[vpc.ID] = vpc
	}
}

// vpc returns the VPC id, noting a dangling reference.
func (b *builder) checkVPC(id string, at pos, who string) {
	if id == "" || b.missing("Vpcs") {
		return
	}
	if b.st.VPCs[model.VpcID(id)] == nil {
		b.note("dangling-vpc", "references to VPCs not in the snapshot", at.warning(CodeDangling, id, who+" is in VPC "+id+", which is not in the snapshot"))
	}
}

func (b *builder) checkSubnet(id string, at pos, who string) {
	if id == "" || b.missing("Subnets") {
		return
	}
	if b.st.Subnets[model.SubnetID(id)] == nil {
		b.note("dangling-subnet", "references to subnets not in the snapshot", at.warning(CodeDangling, id, who+" is in subnet "+id+", which is not in the snapshot"))
	}
}

// impliedVPCs stands in for the VPCs that subnets and route tables name
// but describe-vpcs does not list: their CIDRs are the destinations of the
// route tables' local routes, else the smallest prefix holding their
// subnets (then the VPC is marked unknown).
func (b *builder) impliedVPCs() {
	named := map[model.VpcID]bool{}
	for _, s := range b.st.Subnets {
		named[s.VpcID] = true
	}
	for _, it := range b.rd.routeTables {
		named[model.VpcID(it.v.VpcID)] = true
	}
	for _, id := range sortedKeys(named) {
		if id == "" || b.st.VPCs[id] != nil {
			continue
		}
		var cidrs []netip.Prefix
		for _, it := range b.rd.routeTables {
			if it.v.VpcID != string(id) {
				continue
			}
			for _, r := range it.v.Routes {
				if p, ok := prefix(r.DestinationCidrBlock); ok && r.GatewayID == "local" && p.Addr().Is4() && !slices.Contains(cidrs, p) {
					cidrs = append(cidrs, p)
				}
			}
		}
		how := "its CIDRs come from its route tables' local routes"
		if len(cidrs) == 0 {
			var cover netip.Prefix
			for _, s := range b.st.Subnets {
				if s.VpcID == id {
					cover = covering(cover, s.CIDR)
				}
			}
			if !cover.IsValid() {
				continue
			}
			cidrs = []netip.Prefix{cover}
			how = "its CIDR is guessed as " + cover.String() + ", the smallest prefix holding its subnets"
		}
		w := Warning{Code: CodeMissing, Resource: string(id), Message: "VPC " + string(id) + " is not in describe-vpcs; " + how}
		if len(cidrs) == 1 && strings.HasPrefix(how, "its CIDR is guessed") {
			b.unknown[string(id)] = w
		}
		b.note("implied-vpc", "VPCs known only by reference", w)
		b.st.VPCs[id] = &model.VPC{ID: id, CIDR: cidrs[0], Secondary: cidrs[1:], EnableDNSSupport: true, InstanceTenancy: "default"}
	}
}

// covering returns the smallest prefix holding both a (if valid) and b.
func covering(a, b netip.Prefix) netip.Prefix {
	if !a.IsValid() {
		return b
	}
	bits := min(a.Bits(), b.Bits())
	for ; bits > 0; bits-- {
		p, _ := a.Addr().Prefix(bits)
		if p.Contains(b.Addr()) {
			return p
		}
	}
	p, _ := a.Addr().Prefix(0)
	return p
}

func (b *builder) subnets() {
	for _, it := range b.rd.subnets {
		s := it.v
		cidr, ok := prefix(s.CidrBlock)
		v6 := ipv6Blocks(s.Ipv6CidrBlockAssnSet)
		// An IPv6-only subnet (Ipv6Native) has no IPv4 CidrBlock, only its
		// IPv6 block.
		native := s.Ipv6Native && s.CidrBlock == "" && len(v6) > 0
		if s.SubnetID == "" || (!native && (!ok || !cidr.Addr().Is4())) {
			b.rd.warn(it.at.warning(CodeBadValue, s.SubnetID, "subnet "+s.SubnetID+" skipped: it needs a SubnetId and an IPv4 CidrBlock (or Ipv6Native and an IPv6 block)"))
			continue
		}
		if native {
			cidr = netip.Prefix{}
		}
		b.checkVPC(s.VpcID, it.at, "subnet "+s.SubnetID)
		b.st.Subnets[model.SubnetID(s.SubnetID)] = &model.Subnet{ID: model.SubnetID(s.SubnetID), VpcID: model.VpcID(s.VpcID), CIDR: cidr,
			AvailabilityZone: s.AvailabilityZone, AvailabilityZoneID: s.AvailabilityZoneID, MapPublicIPOnLaunch: s.MapPublicIPOnLaunch,
			DefaultForAZ: s.DefaultForAz, IPv6: v6, AssignIPv6AddressOnCreation: s.AssignIpv6AddressOnCreation,
			IPv6Native: native, EnableDNS64: s.EnableDns64, Tags: ec2Tags(s.Tags)}
	}
}

// prefixLists reads describe-prefix-lists (AWS's lists of the services
// with gateway endpoints, with their CIDRs), describe-managed-prefix-lists
// (every list: AWS's and the account's, with owner, address family and
// version, without CIDRs) and each list's get-managed-prefix-list-entries
// (its CIDRs). A list is the same in both describe outputs (S3's pl- is
// in both): they are merged by id. The lists whose CIDRs the snapshot
// holds are in b.plKnown.
func (b *builder) prefixLists() {
	b.plKnown = map[model.PrefixListID]bool{}
	list := func(id model.PrefixListID) *model.PrefixList {
		pl := b.st.PrefixLists[id]
		if pl == nil {
			pl = &model.PrefixList{ID: id}
			b.st.PrefixLists[id] = pl
		}
		return pl
	}
	for _, it := range b.rd.prefixLists {
		p := it.v
		if p.PrefixListID == "" {
			continue
		}
		pl := list(model.PrefixListID(p.PrefixListID))
		pl.Name = cmp.Or(p.PrefixListName, pl.Name)
		if p.OwnerID != "" && p.OwnerID != "AWS" {
			// A customer-managed list (OwnerId is "AWS" for AWS's).
			pl.Owner, pl.AddressFamily, pl.Tags = p.OwnerID, p.AddressFamily, ec2Tags(p.Tags)
			if p.MaxEntries != nil {
				pl.MaxEntries = int(p.MaxEntries.V)
			}
			if p.Version != nil {
				pl.Version = int(p.Version.V)
			}
		}
		if p.Cidrs == nil {
			continue
		}
		pl.CIDRs = nil
		for _, c := range p.Cidrs {
			// IPv4 and IPv6: AWS's IPv6 lists (com.amazonaws.global.ipv6.
			// cloudfront.origin-facing, …) are as much the Region's.
			x, ok := prefix(c)
			if !ok {
				b.rd.warn(it.at.warning(CodeBadValue, string(pl.ID), "a CIDR of prefix list "+string(pl.ID)+" skipped: "+quote(c)+" does not parse"))
				continue
			}
			pl.CIDRs = append(pl.CIDRs, x)
		}
		b.plKnown[pl.ID] = true
	}
	for _, it := range b.rd.plEntries {
		pl := list(model.PrefixListID(it.v.PrefixListID))
		pl.CIDRs, pl.Descriptions = nil, nil
		described := false
		for _, e := range it.v.Entries {
			x, ok := prefix(e.Cidr)
			if !ok {
				b.rd.warn(it.at.warning(CodeBadValue, string(pl.ID), "an entry of prefix list "+string(pl.ID)+" skipped: CIDR "+quote(e.Cidr)+" does not parse"))
				continue
			}
			pl.CIDRs = append(pl.CIDRs, x)
			pl.Descriptions = append(pl.Descriptions, e.Description)
			described = described || e.Description != ""
		}
		if !described {
			pl.Descriptions = nil
		}
		b.plKnown[pl.ID] = true
	}
}

// prefixListUnknown warns, once per list and resource, that a rule or
// route names a prefix list whose CIDRs the snapshot lacks, and marks the
// resource (a security group, a route table) undecided.
func (b *builder) prefixListUnknown(id model.PrefixListID, resource, what string, at pos) {
	if b.plKnown[id] {
		return
	}
	key := string(id) + " " + resource
	if b.plWarned[key] {
		return
	}
	if b.plWarned == nil {
		b.plWarned = map[string]bool{}
	}
	b.plWarned[key] = true
	why := "is not in the snapshot (ec2 describe-managed-prefix-lists)"
	if b.st.PrefixLists[id] != nil {
		why = "has no entries in the snapshot (ec2 get-managed-prefix-list-entries)"
	}
	w := at.warning(CodeMissing, resource, what+" names prefix list "+string(id)+", which "+why+": probes it decides are undecided")
	b.note("prefix-list-unknown", "rules and routes naming prefix lists without entries", w)
	b.unknown[resource] = w
}

func (b *builder) securityGroups() {
	for _, it := range b.rd.sgs {
		g := it.v
		if g.GroupID == "" {
			b.rd.warn(it.at.warning(CodeBadValue, "", "a security group without GroupId skipped"))
			continue
		}
		sg := &model.SecurityGroup{ID: model.SecurityGroupID(g.GroupID), VpcID: model.VpcID(g.VpcID), Name: g.GroupName,
			Description: g.Description, Tags: ec2Tags(g.Tags)}
		sg.Ingress = b.sgRules(g.IPPermissions, false, it.at, g.GroupID)
		sg.Egress = b.sgRules(g.IPPermissionsEgress, true, it.at, g.GroupID)
		b.st.SecurityGroups[sg.ID] = sg
		if g.GroupName == "default" {
			if v := b.st.VPCs[sg.VpcID]; v != nil {
				v.DefaultSecurityGroup = sg.ID
			}
		}
	}
}

// icmpPort turns an ICMP type or code (-1 for any) into the model's form.
func icmpPort(p *int64) uint16 {
	if p == nil || *p < 0 || *p > 255 {
		return engine.ICMPAny
	}
	return uint16(*p)
}

func (b *builder) sgRules(perms []ec2Permission, egress bool, at pos, group string) []model.SecurityGroupRule {
	var out []model.SecurityGroupRule
	for _, p := range perms {
		proto, err := model.ParseProtocol(strings.ToLower(p.IPProtocol))
		if err != nil {
			b.note("bad-protocol", "rules with protocols that do not parse", at.warning(CodeBadValue, group, "a rule of "+group+" skipped: protocol "+quote(p.IPProtocol)+" does not parse"))
			continue
		}
		ports := model.AllPorts
		switch {
		case proto.HasPorts():
			if p.FromPort == nil || p.ToPort == nil || *p.FromPort < 0 || *p.ToPort > 65535 || *p.FromPort > *p.ToPort {
				if p.FromPort != nil && *p.FromPort == -1 {
					break // some tools print -1 for all ports
				}
				b.note("bad-ports", "rules with port ranges that do not parse", at.warning(CodeBadValue, group, "a "+proto.String()+" rule of "+group+" skipped: bad port range"))
				continue
			}
			ports = model.PortRange{First: uint16(*p.FromPort), Last: uint16(*p.ToPort)}
		case proto == model.ICMP || proto == model.ICMPv6:
			ports = model.PortRange{First: icmpPort(p.FromPort), Last: icmpPort(p.ToPort)}
		}
		base := model.SecurityGroupRule{Egress: egress, Protocol: proto, Ports: ports}
		for _, r := range p.IPRanges {
			c, ok := prefix(r.CidrIP)
			if !ok || !c.Addr().Is4() {
				b.note("bad-cidr", "rules with CIDRs that do not parse", at.warning(CodeBadValue, group, "a rule of "+group+" skipped: CIDR "+quote(r.CidrIP)+" does not parse"))
				continue
			}
			x := base
			x.CIDR, x.Description = c, r.Description
			out = append(out, x)
		}
		for _, r := range p.Ipv6Ranges {
			c, ok := prefix(r.CidrIpv6)
			if !ok || !c.Addr().Is6() {
				b.note("bad-cidr", "rules with CIDRs that do not parse", at.warning(CodeBadValue, group, "a rule of "+group+" skipped: CIDR "+quote(r.CidrIpv6)+" does not parse"))
				continue
			}
			x := base
			x.CIDR, x.Description = c, r.Description
			out = append(out, x)
		}
		for _, pl := range p.PrefixListIDs {
			x := base
			x.PrefixList, x.Description = model.PrefixListID(pl.PrefixListID), pl.Description
			b.prefixListUnknown(x.PrefixList, group, "a rule of "+group, at)
			out = append(out, x)
		}
		for _, gp := range p.UserIDGroupPairs {
			if gp.GroupID == "" {
				continue
			}
			x := base
			x.Group, x.Description = model.SecurityGroupID(gp.GroupID), gp.Description
			out = append(out, x)
		}
	}
	return out
}

// unsupportedTarget returns the id of a route target ecsnet does not
// model, and what it is.
func unsupportedTarget(r ec2Route) (string, string) {
	switch {
	case r.EgressOnlyInternetGatewayID != "":
		return r.EgressOnlyInternetGatewayID, "egress-only internet gateway"
	case r.LocalGatewayID != "":
		return r.LocalGatewayID, "local gateway"
	case r.CarrierGatewayID != "":
		return r.CarrierGatewayID, "carrier gateway"
	case r.CoreNetworkArn != "":
		return r.CoreNetworkArn, "Cloud WAN core network"
	}
	return "", ""
}

func (b *builder) routeTables() {
	for _, it := range b.rd.routeTables {
		t := it.v
		if t.RouteTableID == "" {
			b.rd.warn(it.at.warning(CodeBadValue, "", "a route table without RouteTableId skipped"))
			continue
		}
		b.checkVPC(t.VpcID, it.at, "route table "+t.RouteTableID)
		rt := &model.RouteTable{ID: model.RouteTableID(t.RouteTableID), VpcID: model.VpcID(t.VpcID), Tags: ec2Tags(t.Tags)}
		for _, g := range t.PropagatingVgws {
			rt.PropagatingVgws = append(rt.PropagatingVgws, model.VpnGatewayID(g.GatewayID))
		}
		for _, r := range t.Routes {
			var route model.Route
			switch {
			case r.DestinationCidrBlock != "":
				p, ok := prefix(r.DestinationCidrBlock)
				if !ok {
					b.rd.warn(it.at.warning(CodeBadValue, t.RouteTableID, "a route of "+t.RouteTableID+" skipped: destination "+quote(r.DestinationCidrBlock)+" does not parse"))
					continue
				}
				route.Destination = p
			case r.DestinationPrefixListID != "":
				route.DestinationPrefixList = model.PrefixListID(r.DestinationPrefixListID)
				b.prefixListUnknown(route.DestinationPrefixList, t.RouteTableID, "a route of "+t.RouteTableID, it.at)
			case r.DestinationIpv6CidrBlock != "":
				p, ok := prefix(r.DestinationIpv6CidrBlock)
				if !ok || !p.Addr().Is6() {
					b.rd.warn(it.at.warning(CodeBadValue, t.RouteTableID, "a route of "+t.RouteTableID+" skipped: destination "+quote(r.DestinationIpv6CidrBlock)+" does not parse"))
					continue
				}
				route.Destination = p
			default:
				continue
			}
			route.Origin = r.Origin
			dest := r.DestinationCidrBlock + r.DestinationIpv6CidrBlock + r.DestinationPrefixListID
			switch {
			case r.GatewayID == "local":
				route.Target, route.TargetID = model.TargetLocal, "local"
			case strings.HasPrefix(r.GatewayID, "igw-"):
				route.Target, route.TargetID = model.TargetInternetGateway, r.GatewayID
			case strings.HasPrefix(r.GatewayID, "vpce-"):
				route.Target, route.TargetID = model.TargetVpcEndpoint, r.GatewayID
			case strings.HasPrefix(r.GatewayID, "vgw-"):
				route.Target, route.TargetID = model.TargetVpnGateway, r.GatewayID
				b.impliedVGW(r.GatewayID, t.VpcID, r.State)
			case r.NatGatewayID != "":
				route.Target, route.TargetID = model.TargetNatGateway, r.NatGatewayID
			case r.EgressOnlyInternetGatewayID != "":
				route.Target, route.TargetID = model.TargetEgressOnlyIGW, r.EgressOnlyInternetGatewayID
				b.impliedEIGW(r.EgressOnlyInternetGatewayID, t.VpcID)
			case r.InstanceID != "":
				route.Target, route.TargetID = model.TargetInstance, r.InstanceID
			case r.VpcPeeringConnectionID != "" && b.peeringRoute(r.VpcPeeringConnectionID):
				route.Target, route.TargetID = model.TargetVpcPeering, r.VpcPeeringConnectionID
			case r.VpcPeeringConnectionID != "":
				route.Target, route.TargetID = model.TargetBlackhole, r.VpcPeeringConnectionID
				w := it.at.warning(CodeMissing, t.RouteTableID, fmt.Sprintf("route %s → %s in %s: the VPC peering connection is not in the snapshot (ec2 describe-vpc-peering-connections); the route is kept as a blackhole, so probes that take it are undecided", dest, r.VpcPeeringConnectionID, t.RouteTableID))
				b.note("unsupported-route", "routes to targets ecsnet does not model", w)
				b.unknown[r.VpcPeeringConnectionID] = w
			case r.TransitGatewayID != "" && b.tgwRoute(r.TransitGatewayID):
				route.Target, route.TargetID = model.TargetTransitGateway, r.TransitGatewayID
			case r.TransitGatewayID != "":
				route.Target, route.TargetID = model.TargetBlackhole, r.TransitGatewayID
				w := it.at.warning(CodeMissing, t.RouteTableID, fmt.Sprintf("route %s → %s in %s: the transit gateway is not in the snapshot (ec2 describe-transit-gateways); the route is kept as a blackhole, so probes that take it are undecided", dest, r.TransitGatewayID, t.RouteTableID))
				b.note("unsupported-route", "routes to targets ecsnet does not model", w)
				b.unknown[r.TransitGatewayID] = w
			case r.NetworkInterfaceID != "":
				route.Target, route.TargetID = model.TargetNetworkInterface, r.NetworkInterfaceID
			default:
				id, what := unsupportedTarget(r)
				if id == "" {
					id, what = r.GatewayID, "unknown target"
				}
				route.Target, route.TargetID = model.TargetBlackhole, id
				w := it.at.warning(CodeUnsupported, t.RouteTableID, fmt.Sprintf("route %s → %s in %s: ecsnet does not model a %s; the route is kept as a blackhole, so probes that take it are undecided", dest, id, t.RouteTableID, what))
				b.note("unsupported-route", "routes to targets ecsnet does not model", w)
				if id != "" {
					b.unknown[id] = w
				}
			}
			rt.Routes = append(rt.Routes, route)
		}
		for _, a := range t.Associations {
			if a.AssociationState != nil && a.AssociationState.State != "associated" {
				continue
			}
			switch {
			case a.Main:
				rt.Associations = append(rt.Associations, model.RouteTableAssociation{ID: model.RouteTableAssocID(a.RouteTableAssociationID), Main: true})
				if v := b.st.VPCs[rt.VpcID]; v != nil {
					v.MainRouteTable = rt.ID
				}
			case a.SubnetID != "":
				b.checkSubnet(a.SubnetID, it.at, "route table "+t.RouteTableID+"'s association")
				rt.Associations = append(rt.Associations, model.RouteTableAssociation{ID: model.RouteTableAssocID(a.RouteTableAssociationID), SubnetID: model.SubnetID(a.SubnetID)})
			case a.GatewayID != "":
				rt.Associations = append(rt.Associations, model.RouteTableAssociation{ID: model.RouteTableAssocID(a.RouteTableAssociationID), GatewayID: a.GatewayID})
			}
		}
		b.st.RouteTables[rt.ID] = rt
	}
}

func (b *builder) internetGateways() {
	for _, it := range b.rd.igws {
		g := it.v
		if g.InternetGatewayID == "" {
			continue
		}
		igw := &model.InternetGateway{ID: model.InternetGatewayID(g.InternetGatewayID), Tags: ec2Tags(g.Tags)}
		for _, a := range g.Attachments {
			if a.State == "available" || a.State == "attached" || a.State == "" {
				igw.VpcID = model.VpcID(a.VpcID)
			}
		}
		b.st.InternetGateways[igw.ID] = igw
	}
}

// blockPublicAccess reads the account's VPC Block Public Access mode and
// its exclusions (describe-vpc-block-public-access-options and -exclusions),
// when the snapshot has them; without them the mode is off. Options still
// update-in-progress are taken as their new mode; exclusions are kept in
// their state (deleted ones are not in force).
func (b *builder) blockPublicAccess() {
	for _, it := range b.rd.bpaOptions {
		switch m := it.v.InternetGatewayBlockMode; m {
		case model.BPAOff:
			// The default: nothing to record.
		case model.BPABidirectional, model.BPAIngress:
			b.st.BPAOptions[model.BPAOptionsKey] = &model.VpcBlockPublicAccessOptions{Mode: m, State: "update-complete"}
		default:
			b.rd.warn(it.at.warning(CodeBadValue, "", "VpcBlockPublicAccessOptions: unknown InternetGatewayBlockMode "+strconv.Quote(m)+"; taken as off"))
		}
	}
	for _, it := range b.rd.bpaExclusions {
		x := it.v
		_, res, _ := strings.Cut(x.ResourceArn, ":vpc/")
		vpc, subnet := model.VpcID(res), model.SubnetID("")
		if res == "" {
			_, res, _ = strings.Cut(x.ResourceArn, ":subnet/")
			vpc, subnet = "", model.SubnetID(res)
		}
		if x.ExclusionID == "" || res == "" {
			continue
		}
		state := x.State
		if state == "update-in-progress" {
			state = "update-complete"
		}
		e := &model.VpcBlockPublicAccessExclusion{ID: model.BPAExclusionID(x.ExclusionID), Mode: x.InternetGatewayExclusionMode,
			VpcID: vpc, SubnetID: subnet, ResourceARN: x.ResourceArn, State: state, Tags: ec2Tags(x.Tags)}
		b.st.BPAExclusions[e.ID] = e
	}
}

// egressOnlyIGWs reads describe-egress-only-internet-gateways output, when
// the snapshot has it (collectors before IPv6 support did not ask for it).
func (b *builder) egressOnlyIGWs() {
	for _, it := range b.rd.eigws {
		g := it.v
		if g.EgressOnlyInternetGatewayID == "" {
			continue
		}
		x := &model.EgressOnlyInternetGateway{ID: model.EgressOnlyIGWID(g.EgressOnlyInternetGatewayID), Tags: ec2Tags(g.Tags)}
		for _, a := range g.Attachments {
			if a.State == "attached" || a.State == "" {
				x.VpcID = model.VpcID(a.VpcID)
			}
		}
		b.st.EgressOnlyIGWs[x.ID] = x
	}
}

// impliedEIGW records an egress-only gateway a route names: such a
// gateway is attached to its VPC for its whole life, so the route proves
// it exists (when describe-egress-only-internet-gateways was not
// collected).
func (b *builder) impliedEIGW(id, vpc string) {
	if id == "" || len(b.rd.eigws) > 0 || b.st.EgressOnlyIGWs[model.EgressOnlyIGWID(id)] != nil {
		return
	}
	b.st.EgressOnlyIGWs[model.EgressOnlyIGWID(id)] = &model.EgressOnlyInternetGateway{ID: model.EgressOnlyIGWID(id), VpcID: model.VpcID(vpc)}
}

func (b *builder) networkACLs() {
	for _, it := range b.rd.acls {
		a := it.v
		if a.NetworkACLID == "" {
			continue
		}
		acl := &model.NetworkACL{ID: model.NetworkACLID(a.NetworkACLID), VpcID: model.VpcID(a.VpcID), IsDefault: a.IsDefault, Tags: ec2Tags(a.Tags)}
		for _, e := range a.Entries {
			cidr := cmp.Or(e.CidrBlock, e.Ipv6CidrBlock)
			if cidr == "" {
				continue
			}
			c, ok1 := prefix(cidr)
			proto, err := model.ParseProtocol(strings.ToLower(e.Protocol))
			if !ok1 || err != nil {
				b.rd.warn(it.at.warning(CodeBadValue, a.NetworkACLID, "entry "+strconv.FormatInt(e.RuleNumber, 10)+" of "+a.NetworkACLID+" skipped: bad CIDR or protocol"))
				continue
			}
			x := model.ACLEntry{RuleNumber: int(e.RuleNumber), Egress: e.Egress, Action: model.Deny, Protocol: proto, Ports: model.AllPorts, CIDR: c}
			if strings.EqualFold(e.RuleAction, "allow") {
				x.Action = model.Allow
			}
			if proto.HasPorts() && e.PortRange != nil && e.PortRange.From.Set && e.PortRange.To.Set &&
				e.PortRange.From.V >= 0 && e.PortRange.To.V <= 65535 && e.PortRange.From.V <= e.PortRange.To.V {
				x.Ports = model.PortRange{First: uint16(e.PortRange.From.V), Last: uint16(e.PortRange.To.V)}
			}
			if proto == model.ICMP || proto == model.ICMPv6 {
				// The type and code, as a security group rule's (-1: any).
				x.Ports = model.PortRange{First: engine.ICMPAny, Last: engine.ICMPAny}
				if it := e.IcmpTypeCode; it != nil {
					if it.Type.Set {
						x.Ports.First = icmpPort(&it.Type.V)
					}
					if it.Code.Set {
						x.Ports.Last = icmpPort(&it.Code.V)
					}
				}
			}
			acl.Entries = append(acl.Entries, x)
		}
		slices.SortStableFunc(acl.Entries, func(x, y model.ACLEntry) int {
			if x.Egress != y.Egress {
				if x.Egress {
					return 1
				}
				return -1
			}
			return x.RuleNumber - y.RuleNumber
		})
		for _, as := range a.Associations {
			if as.SubnetID != "" {
				acl.Associations = append(acl.Associations, model.NetworkACLAssociation{ID: model.NetworkACLAssocID(as.NetworkACLAssociationID), SubnetID: model.SubnetID(as.SubnetID)})
			}
		}
		b.st.NetworkACLs[acl.ID] = acl
		if acl.IsDefault {
			if v := b.st.VPCs[acl.VpcID]; v != nil {
				v.DefaultNetworkACL = acl.ID
			}
		}
	}
}

func publicAssoc(a *ec2IPAssoc) *model.PublicIPAssociation {
	if a == nil {
		return nil
	}
	p, ok := addr(a.PublicIP)
	if !ok {
		return nil
	}
	return &model.PublicIPAssociation{PublicIP: p, AllocationID: model.AllocationID(a.AllocationID),
		AssociationID: model.EIPAssociationID(a.AssociationID), IPOwnerID: a.IPOwnerID}
}

// eniSource is what describe-network-interfaces and describe-instances
// both say about an ENI.
type eniSource struct {
	id, subnet, vpc, az, description, typ, mac, owner string
	primaryIP                                         string
	ips                                               []ec2PrivateIP
	assoc                                             *ec2IPAssoc
	attach                                            *ec2ENIAttach
	groups                                            []ec2GroupIdent
	srcDst                                            *bool
	requesterManaged                                  bool
	requesterID                                       string
	tags                                              []ec2Tag
	ipv6                                              []ec2IPv6Addr
}

func (b *builder) newENI(s eniSource, at pos) *model.NetworkInterface {
	n := &model.NetworkInterface{ID: model.NetworkInterfaceID(s.id), SubnetID: model.SubnetID(s.subnet), VpcID: model.VpcID(s.vpc),
		AvailabilityZone: s.az, Description: s.description, Type: model.InterfaceType(cmp.Or(s.typ, "interface")), MAC: s.mac,
		SecurityGroups: groupIDs(s.groups), SourceDestCheck: s.srcDst == nil || *s.srcDst, RequesterManaged: s.requesterManaged,
		RequesterID: s.requesterID, OwnerID: s.owner, Tags: ec2Tags(s.tags)}
	for _, p := range s.ips {
		a, ok := addr(p.PrivateIPAddress)
		if !ok || !a.Is4() {
			continue
		}
		ip := model.PrivateIP{Addr: a, Primary: p.Primary, PublicIP: publicAssoc(p.Association)}
		if ip.Primary {
			n.PrivateIPs = append([]model.PrivateIP{ip}, n.PrivateIPs...)
		} else {
			n.PrivateIPs = append(n.PrivateIPs, ip)
		}
	}
	if len(n.PrivateIPs) == 0 {
		if a, ok := addr(s.primaryIP); ok && a.Is4() {
			n.PrivateIPs = []model.PrivateIP{{Addr: a, Primary: true}}
		}
	}
	if len(n.PrivateIPs) > 0 {
		n.PrivateIPs[0].Primary = true
		if n.PrivateIPs[0].PublicIP == nil {
			n.PrivateIPs[0].PublicIP = publicAssoc(s.assoc)
		}
	}
	for _, x := range s.ipv6 {
		if a, ok := addr(x.Ipv6Address); ok && a.Is6() && !a.Is4In6() {
			n.IPv6 = append(n.IPv6, a)
		}
	}
	if a := s.attach; a != nil && (a.InstanceID != "" || a.AttachmentID != "") && a.Status != "detached" {
		n.Attachment = &model.ENIAttachment{ID: model.ENIAttachmentID(a.AttachmentID), InstanceID: model.InstanceID(a.InstanceID),
			InstanceOwnerID: a.InstanceOwnerID, DeviceIndex: int(a.DeviceIndex.V), Status: cmp.Or(a.Status, "attached"),
			DeleteOnTermination: a.DeleteOnTermination, AttachedAt: a.AttachTime.Time}
	}
	b.classifyENI(n)
	b.st.NetworkInterfaces[n.ID] = n
	b.eniAt[n.ID] = at
	return n
}

var (
	lbDescRE  = regexp.MustCompile(`^ELB ((app|net|gwy)/[^/]+/[0-9a-f]+)$`)
	ecsAttRE  = regexp.MustCompile(`^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:attachment/([0-9a-f-]+)$`)
	natDescRE = regexp.MustCompile(`^Interface for NAT Gateway (nat-[0-9a-f]+)$`)
	vpceDesc  = regexp.MustCompile(`^VPC Endpoint Interface (vpce-[0-9a-f]+)$`)
)

// classifyENI guesses who manages an ENI from its description and type
// (docs/research/aws-facts.md §7); explicit links found later (a task's
// attachment, a NAT gateway's address) override the guess.
func (b *builder) classifyENI(n *model.NetworkInterface) {
	switch {
	case lbDescRE.MatchString(n.Description):
		n.OwnerKind = model.OwnedByLoadBalancer
	case n.Type == model.InterfaceNatGateway || natDescRE.MatchString(n.Description):
		n.OwnerKind = model.OwnedByNatGateway
		if m := natDescRE.FindStringSubmatch(n.Description); m != nil {
			n.ManagedBy = m[1]
		}
	case n.Type == model.InterfaceEndpoint || vpceDesc.MatchString(n.Description):
		n.OwnerKind = model.OwnedByVpcEndpoint
		if m := vpceDesc.FindStringSubmatch(n.Description); m != nil {
			n.ManagedBy = m[1]
		}
	case efsENIDesc.MatchString(n.Description):
		n.OwnerKind, n.ManagedBy = model.OwnedByEFSMountTarget, efsENIDesc.FindStringSubmatch(n.Description)[2]
	case n.Type == model.InterfaceTrunk:
		n.OwnerKind = model.OwnedByECSTrunk
	case ecsAttRE.MatchString(n.Description) || n.Type == model.InterfaceBranch:
		n.OwnerKind = model.OwnedByECSTask
	case n.Attachment != nil && n.Attachment.DeviceIndex == 0 && n.Attachment.InstanceID != "":
		n.OwnerKind, n.ManagedBy = model.OwnedByInstance, string(n.Attachment.InstanceID)
	}
}

func (b *builder) networkInterfaces() {
	for _, it := range b.rd.enis {
		e := it.v
		if e.NetworkInterfaceID == "" {
			b.rd.warn(it.at.warning(CodeBadValue, "", "an ENI without NetworkInterfaceId skipped"))
			continue
		}
		tags := e.TagSet
		if len(tags) == 0 {
			tags = e.Tags
		}
		n := b.newENI(eniSource{id: e.NetworkInterfaceID, subnet: e.SubnetID, vpc: e.VpcID, az: e.AvailabilityZone, description: e.Description,
			typ: e.InterfaceType, mac: e.MacAddress, owner: e.OwnerID, primaryIP: e.PrivateIPAddress, ips: e.PrivateIPAddresses,
			assoc: e.Association, attach: e.Attachment, groups: e.Groups, srcDst: e.SourceDestCheck,
			requesterManaged: e.RequesterManaged, requesterID: e.RequesterID, tags: tags, ipv6: e.Ipv6Addresses}, it.at)
		if e.SubnetID == "" {
			b.note("eni-no-subnet", "ENIs without a subnet", it.at.warning(CodeBadValue, e.NetworkInterfaceID, "ENI "+e.NetworkInterfaceID+" has no SubnetId"))
		}
		switch sn := b.st.Subnets[model.SubnetID(e.SubnetID)]; {
		case len(n.PrivateIPs) > 0:
		case sn != nil && sn.IPv6Native && len(n.IPv6) > 0:
			// An ENI in an IPv6-only subnet has IPv6 addresses only
			// (VPC user guide, "IPv6-only subnets").
		case sn != nil && sn.IPv6Native:
			b.note("eni-no-ip", "ENIs without a private IPv4 address", it.at.warning(CodeBadValue, e.NetworkInterfaceID, "ENI "+e.NetworkInterfaceID+" in IPv6-only subnet "+e.SubnetID+" has no IPv6 address: nothing can reach it"))
		default:
			b.note("eni-no-ip", "ENIs without a private IPv4 address", it.at.warning(CodeBadValue, e.NetworkInterfaceID, "ENI "+e.NetworkInterfaceID+" has no private IPv4 address: nothing can reach it"))
		}
		b.checkSubnet(e.SubnetID, it.at, "ENI "+e.NetworkInterfaceID)
	}
}

func (b *builder) instances() {
	synthesized := 0
	userData := map[string]item[ec2UserData]{}
	for _, it := range b.rd.userData {
		userData[it.v.InstanceID] = it
	}
	for _, it := range b.rd.instances {
		v := it.v
		if v.InstanceID == "" {
			b.rd.warn(it.at.warning(CodeBadValue, "", "an instance without InstanceId skipped"))
			continue
		}
		state := model.InstanceRunning
		if v.State != nil && v.State.Name != "" {
			state = model.InstanceState(v.State.Name)
		}
		if state == model.InstanceTerminated {
			continue
		}
		inst := &model.Instance{ID: model.InstanceID(v.InstanceID), Type: v.InstanceType, ImageID: v.ImageID, State: state,
			SubnetID: model.SubnetID(v.SubnetID), VpcID: model.VpcID(v.VpcID), KeyName: v.KeyName, LaunchTime: v.LaunchTime.Time,
			ReservationID: b.rd.reservationOf[v.InstanceID], ClientToken: v.ClientToken, Tags: ec2Tags(v.Tags)}
		if v.Placement != nil {
			inst.AvailabilityZone = v.Placement.AvailabilityZone
		}
		if m := v.MetadataOptions; m != nil {
			// The IMDS options the analyzer judges (imds.go); AWS's
			// launch defaults stay nil, as on a live instance launched
			// without any.
			def := model.DefaultMetadataOptions()
			o := model.InstanceMetadataOptions{HTTPTokens: cmp.Or(m.HTTPTokens, def.HTTPTokens), HTTPEndpoint: cmp.Or(m.HTTPEndpoint, def.HTTPEndpoint),
				HTTPProtocolIPv6: cmp.Or(m.HTTPProtocolIpv6, def.HTTPProtocolIPv6), InstanceMetadataTags: cmp.Or(m.InstanceMetadataTags, def.InstanceMetadataTags),
				HopLimit: cmp.Or(int(m.HTTPPutResponseHopLimit.V), def.HopLimit)}
			if o != def {
				inst.Metadata = &o
			}
		}
		if ud, ok := userData[v.InstanceID]; ok && ud.v.UserData.Value != "" {
			if text, err := base64.StdEncoding.DecodeString(ud.v.UserData.Value); err == nil {
				inst.UserData = string(text)
			} else {
				b.rd.warn(ud.at.warning(CodeBadValue, v.InstanceID, "the user data of "+v.InstanceID+" skipped: its Value is not base64 ("+err.Error()+")"))
			}
		}
		if v.StateReason != nil {
			inst.StateReason = v.StateReason.Message
		}
		if v.IamInstanceProfile != nil {
			inst.IAMProfile = v.IamInstanceProfile.Arn
		}
		inst.AutoScalingGroup = inst.Tags["aws:autoscaling:groupName"]
		if id := inst.Tags["aws:ec2launchtemplate:id"]; id != "" {
			inst.LaunchTemplate = &model.LaunchTemplateRef{ID: model.LaunchTemplateID(id), Version: inst.Tags["aws:ec2launchtemplate:version"]}
		}
		for _, ni := range v.NetworkInterfaces {
			if ni.Attachment != nil && ni.Attachment.DeviceIndex.V == 0 {
				inst.PrimaryENI = model.NetworkInterfaceID(ni.NetworkInterfaceID)
				// A public IPv4 address from AWS's pool (IpOwnerId
				// "amazon", not an Elastic IP's account): the instance
				// gets a new one at each start.
				inst.AutoPublicIP = ni.Association != nil && ni.Association.IPOwnerID == "amazon"
			}
			if ni.NetworkInterfaceID == "" || b.st.NetworkInterfaces[model.NetworkInterfaceID(ni.NetworkInterfaceID)] != nil {
				continue
			}
			att := ni.Attachment
			if att != nil && att.InstanceID == "" {
				c := *att
				c.InstanceID = v.InstanceID
				att = &c
			}
			b.newENI(eniSource{id: ni.NetworkInterfaceID, subnet: ni.SubnetID, vpc: ni.VpcID, az: inst.AvailabilityZone,
				description: ni.Description, typ: ni.InterfaceType, mac: ni.MacAddress, owner: ni.OwnerID, primaryIP: ni.PrivateIPAddress,
				ips: ni.PrivateIPAddresses, assoc: ni.Association, attach: att, groups: ni.Groups, srcDst: ni.SourceDestCheck, ipv6: ni.Ipv6Addresses}, it.at)
			synthesized++
		}
		if n := b.st.NetworkInterfaces[inst.PrimaryENI]; n != nil {
			// A public address AWS assigned (no Elastic IP) comes back at
			// each start.
			for _, p := range n.PrivateIPs {
				inst.AutoPublicIP = inst.AutoPublicIP || (p.Primary && p.PublicIP != nil && p.PublicIP.AllocationID == "")
			}
		}
		if inst.PrimaryENI == "" && len(v.NetworkInterfaces) == 0 && state == model.InstanceRunning {
			b.note("instance-no-eni", "instances without network interfaces", it.at.warning(CodeBadValue, v.InstanceID, "instance "+v.InstanceID+" lists no NetworkInterfaces: it has no address"))
		}
		b.checkSubnet(v.SubnetID, it.at, "instance "+v.InstanceID)
		b.st.Instances[inst.ID] = inst
		b.instanceAt[inst.ID] = it.at
	}
	if synthesized > 0 && !b.missing("NetworkInterfaces") {
		b.rd.warn(Warning{Code: CodeInconsistent, Message: fmt.Sprintf("%d ENIs of running instances are missing from describe-network-interfaces; built from describe-instances", synthesized)})
	}
}

func (b *builder) addresses() {
	for _, it := range b.rd.addresses {
		a := it.v
		pub, ok := addr(a.PublicIP)
		if !ok {
			b.rd.warn(it.at.warning(CodeBadValue, a.AllocationID, "an address without a valid PublicIp skipped"))
			continue
		}
		id := model.AllocationID(cmp.Or(a.AllocationID, a.PublicIP))
		x := &model.Address{AllocationID: id, PublicIP: pub, Domain: cmp.Or(a.Domain, "vpc"), AssociationID: model.EIPAssociationID(a.AssociationID),
			NetworkInterfaceID: model.NetworkInterfaceID(a.NetworkInterfaceID), InstanceID: model.InstanceID(a.InstanceID), Tags: ec2Tags(a.Tags)}
		x.PrivateIP, _ = addr(a.PrivateIPAddress)
		b.st.Addresses[id] = x
		// The ENI's own association normally says the same; where the
		// snapshot's ENI lacks it (a hand-made or older file), add it.
		n := b.st.NetworkInterfaces[x.NetworkInterfaceID]
		if n == nil {
			if x.NetworkInterfaceID != "" && !b.missing("NetworkInterfaces") {
				b.note("dangling-eip-eni", "Elastic IPs associated with ENIs not in the snapshot", it.at.warning(CodeDangling, string(id), "Elastic IP "+a.PublicIP+" is associated with "+a.NetworkInterfaceID+", which is not in the snapshot"))
			}
			continue
		}
		for i := range n.PrivateIPs {
			p := &n.PrivateIPs[i]
			if (p.Addr == x.PrivateIP || (!x.PrivateIP.IsValid() && p.Primary)) && p.PublicIP == nil {
				p.PublicIP = &model.PublicIPAssociation{PublicIP: pub, AllocationID: id, AssociationID: x.AssociationID, IPOwnerID: b.st.Account}
			}
		}
	}
}

func (b *builder) natGateways() {
	for _, it := range b.rd.nats {
		g := it.v
		if g.NatGatewayID == "" {
			continue
		}
		ng := &model.NatGateway{ID: model.NatGatewayID(g.NatGatewayID), VpcID: model.VpcID(g.VpcID), SubnetID: model.SubnetID(g.SubnetID),
			ConnectivityType: cmp.Or(g.ConnectivityType, "public"), State: g.State, CreatedAt: g.CreateTime.Time,
			FailureCode: g.FailureCode, FailureMessage: g.FailureMessage, Tags: ec2Tags(g.Tags)}
		if g.AvailabilityMode == "regional" {
			// A regional NAT gateway: no subnet, no interface of the
			// account; each address serves its zone.
			ng.AvailabilityMode, ng.AutoProvisionZones = "regional", g.AutoProvisionZones == "enabled"
			for _, a := range g.NatGatewayAddresses {
				pub, ok := addr(a.PublicIP)
				if !ok || a.AvailabilityZone == "" || a.Status == "failed" || a.Status == "disassociating" {
					continue
				}
				ng.ZoneAddresses = append(ng.ZoneAddresses, model.NatZoneAddress{Zone: a.AvailabilityZone, ZoneID: a.AvailabilityZoneID, AllocationID: model.AllocationID(a.AllocationID),
					AssociationID: model.EIPAssociationID(a.AssociationID), PublicIP: pub})
			}
			b.st.NatGateways[ng.ID] = ng
			continue
		}
		for i, a := range g.NatGatewayAddresses {
			if i > 0 && (a.IsPrimary == nil || !*a.IsPrimary) {
				continue
			}
			ng.NetworkInterface = model.NetworkInterfaceID(a.NetworkInterfaceID)
			ng.AllocationID = model.AllocationID(a.AllocationID)
			ng.PrivateIP, _ = addr(a.PrivateIP)
			ng.PublicIP, _ = addr(a.PublicIP)
		}
		// A deleted (or failed) NAT gateway stays listed for about an hour
		// after its subnet may be gone: only a live one's subnet is checked.
		if g.State != "deleted" && g.State != "failed" {
			b.checkSubnet(g.SubnetID, it.at, "NAT gateway "+g.NatGatewayID)
		}
		if n := b.st.NetworkInterfaces[ng.NetworkInterface]; n != nil {
			n.OwnerKind, n.ManagedBy = model.OwnedByNatGateway, string(ng.ID)
		} else if ng.NetworkInterface != "" && !b.missing("NetworkInterfaces") && (ng.State == "available" || ng.State == "pending") {
			b.note("dangling-nat-eni", "NAT gateways whose ENI is not in the snapshot", it.at.warning(CodeDangling, g.NatGatewayID, "NAT gateway "+g.NatGatewayID+"'s ENI "+string(ng.NetworkInterface)+" is not in the snapshot"))
		}
		b.st.NatGateways[ng.ID] = ng
	}
}

// endpointServices records the account's endpoint services (optional: a
// snapshot without them leaves Gateway Load Balancer endpoints' appliances
// unknown to the analyzer).
func (b *builder) endpointServices() {
	for _, it := range b.rd.serviceConfigs {
		c := it.v
		if c.ServiceID == "" {
			continue
		}
		s := &model.EndpointServiceConfig{ID: model.EndpointServiceID(c.ServiceID), Type: "Interface", NetworkLBs: c.NetworkLoadBalancerArns,
			GatewayLBs: c.GatewayLoadBalancerArns, Zones: c.AvailabilityZones, AcceptanceRequired: c.AcceptanceRequired,
			PrivateDNSName: c.PrivateDNSName, Tags: ec2Tags(c.Tags)}
		if len(c.ServiceType) > 0 {
			s.Type = c.ServiceType[0].ServiceType
		}
		b.st.EndpointServices[s.ID] = s
	}
	// describe-vpc-endpoint-service-permissions: the principals allowed
	// to create endpoints to each service.
	permitted := map[model.EndpointServiceID]bool{}
	for _, it := range b.rd.svcPerms {
		id := model.EndpointServiceID(it.v.ServiceID)
		s := b.st.EndpointServices[id]
		if s == nil {
			b.rd.warn(it.at.warning(CodeDangling, string(id), "the allowed principals of endpoint service "+string(id)+" skipped: the service is not in describe-vpc-endpoint-service-configurations"))
			continue
		}
		permitted[id] = true
		s.Principals = nil
		for _, p := range it.v.Principals {
			if p.Principal != "" {
				s.Principals = append(s.Principals, model.EndpointServicePrincipal{ARN: p.Principal, PermissionID: p.ServicePermissionID})
			}
		}
	}
	if b.rd.seen["AllowedPrincipals"] || b.rd.collected["ec2 describe-vpc-endpoint-service-permissions"] {
		for _, s := range sortedValues(b.st.EndpointServices) {
			if !permitted[s.ID] {
				b.note("missing-permissions", "endpoint services without their allowed principals", Warning{Code: CodeMissing, Resource: string(s.ID),
					Message: "endpoint service " + string(s.ID) + " has no describe-vpc-endpoint-service-permissions output in the snapshot: its allowed principals are unknown (taken as none)"})
			}
		}
	}
	// describe-vpc-endpoint-connections: the endpoints to the account's
	// services. Those of this account are describe-vpc-endpoints'; another
	// account's endpoint is not modelled.
	for _, it := range b.rd.epConns {
		c := it.v
		if c.VpcEndpointOwner == "" || c.VpcEndpointOwner == b.st.Account || b.st.EndpointServices[model.EndpointServiceID(c.ServiceID)] == nil {
			continue
		}
		b.note("foreign-endpoint", "endpoints of other accounts", it.at.warning(CodeUnsupported, c.VpcEndpointID,
			"endpoint "+c.VpcEndpointID+" of account "+c.VpcEndpointOwner+" connects to endpoint service "+c.ServiceID+" ("+c.VpcEndpointState+
				"): ecsnet models the endpoints of the snapshot's account only, so exposure lists it not"))
	}
}

func (b *builder) endpoints() {
	for _, it := range b.rd.endpoints {
		e := it.v
		if e.VpcEndpointID == "" {
			continue
		}
		ep := &model.VpcEndpoint{ID: model.VpcEndpointID(e.VpcEndpointID), VpcID: model.VpcID(e.VpcID), ServiceName: e.ServiceName,
			Type: e.VpcEndpointType, State: e.State, RouteTables: ids[model.RouteTableID](e.RouteTableIDs), Subnets: ids[model.SubnetID](e.SubnetIDs),
			NetworkInterfaces: ids[model.NetworkInterfaceID](e.NetworkInterfaceIDs), SecurityGroups: groupIDs(e.Groups),
			PrivateDNSEnabled: e.PrivateDNSEnabled, PolicyDocument: e.PolicyDocument, CreatedAt: e.CreationTimestamp.Time, Tags: ec2Tags(e.Tags)}
		if e.IPAddressType != "" && e.IPAddressType != "ipv4" {
			ep.IPAddressType = e.IPAddressType
		}
		if o := e.DNSOptions; o != nil && o.DNSRecordIPType != "" && o.DNSRecordIPType != ep.AddressType() {
			ep.DNSRecordIPType = o.DNSRecordIPType
		}
		for _, id := range ep.NetworkInterfaces {
			if n := b.st.NetworkInterfaces[id]; n != nil {
				n.OwnerKind, n.ManagedBy = model.OwnedByVpcEndpoint, string(ep.ID)
			}
		}
		b.st.VpcEndpoints[ep.ID] = ep
	}
}
