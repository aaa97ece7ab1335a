package dataplane

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Plan is what Up builds, as data: the namespaces, links, addresses,
// routes, policy rules, sysctls, nftables rulesets and listeners of one
// system. MakePlan computes it without privileges; Apply makes it real.
type Plan struct {
	Name       string
	Namespaces []Namespace
	Bridges    []Link // bridges and dummies
	Veths      []Veth
	Addrs      []Addr
	Routes     []Route
	Rules      []PolicyRule
	Sysctls    []Sysctl
	Tables     []Table
	Listeners  []Listener
	// Nodes maps a node (instance id, task ARN, ENI id, load balancer ARN,
	// "internet") to the namespace a connection from it starts in.
	Nodes map[string]string
	// Aliases maps every name of a node (ids, names, ARNs, DNS names) to
	// its namespace.
	Aliases map[string]string
	// Hosts are the names a node resolves (load balancer DNS names), for
	// ecsnet exec's /etc/hosts.
	Hosts []HostEntry
	// Resolvers are the DNS servers to start: each VPC's Route 53
	// Resolver and the internet's (dns.go).
	Resolvers []Resolver
	// NameServers maps a client's namespace to the DNS servers it asks
	// (its VPC's DHCP options).
	NameServers map[string][]netip.Addr
	// LoadBalancers are the load balancer nodes to start.
	LoadBalancers []LBNode
	// NLBForwards are the Network Load Balancer listeners a node passes
	// through in the kernel with more than one target to choose from: the
	// choice waits for the node's health checks (nlbhealth.go).
	NLBForwards []NLBForward
	// NLBTranslations are the TCP and UDP listeners of dualstack Network Load
	// Balancer nodes for the clients of the other family than their
	// target group's, which the node translates (nlbxlat.go).
	NLBTranslations []NLBTranslation `json:",omitempty"`
	// NAT64s are the NAT gateways' translators (nat64.go).
	NAT64s []NAT64 `json:",omitempty"`
	// GWLBForwards are the Gateway Load Balancer endpoints, each sending
	// to the appliance its zone's node finds healthy (gwlb.go).
	GWLBForwards []GWLBForward `json:",omitempty"`
}

// NLBForward is one listener protocol of a Network Load Balancer node
// whose DNAT rule (table "nlb" in NS, matching Proto and Port) sends to
// Candidates[0] until the node's health checks choose the first healthy
// candidate (none healthy: the first, fail-open).
type NLBForward struct {
	NS             string
	LBARN          string
	Proto          model.Protocol
	Port           uint16
	TargetGroupARN string
	// Candidates are the targets the node may send to, in registration
	// order.
	Candidates []NLBTarget
}

// NLBTarget is a target a Network Load Balancer node may send to.
type NLBTarget struct {
	ID   string
	Port uint16
	Addr netip.AddrPort
}

// Namespace is one network namespace. Name is its file in NetnsDir.
type Namespace struct {
	Name string
	Role string // "internet", "vpc", "igw", "instance", "task", "container", "nat", "lb", "tgw", "onprem", "firewall", "gwlbe", "imds"
	// What it holds: an instance id, a task ARN, a NAT gateway id, a VPC id …
	Of string
}

// Link is a bridge or a dummy interface.
type Link struct {
	NS, Name string
	Kind     string // "bridge", "dummy" or "tun" (nat64.go)
	// MAC, when set, is the link's hardware address ("02:…").
	MAC string
}

// Veth is a veth pair: Name in NS, PeerName in PeerNS; Master (a bridge in
// NS) enslaves the first end.
type Veth struct {
	NS, Name         string
	PeerNS, PeerName string
	Master           string
	// PeerMAC, when set, is PeerName's hardware address ("02:…").
	PeerMAC string
}

// Addr is an address on a link.
type Addr struct {
	NS, Link string
	Prefix   netip.Prefix
}

// Route is one route. Table 0 is the main table. A Blackhole route drops
// silently; Dev without Via is a link route.
type Route struct {
	NS        string
	Table     int
	Dst       netip.Prefix
	Via       netip.Addr
	Dev       string
	Src       netip.Addr // preferred source address
	Blackhole bool
	// Local makes it a local route (Dev "lo"): what it matches is
	// delivered to the namespace's own sockets, whatever its address
	// (an NLB node's transparent relay, nlbtls.go).
	Local bool `json:",omitempty"`
}

// PolicyRule is an `ip rule`: packets from IIf (or with Mark, or from
// Src) are looked up in Table, or dropped silently when Blackhole.
type PolicyRule struct {
	NS string
	// V6 makes it an IPv6 rule (one whose Src is IPv6 is one anyway).
	V6        bool
	Priority  int
	IIf       string
	Src       netip.Prefix
	Mark      uint32
	Table     int
	Blackhole bool
}

// Sysctl is one /proc/sys/net setting in a namespace (Key relative to
// /proc/sys, e.g. "net/ipv4/ip_forward").
type Sysctl struct {
	NS, Key, Value string
	// Optional: failing to set it is not an error (the kernel may not
	// have it).
	Optional bool
}

// Table is an nftables table (family inet) in a namespace.
type Table struct {
	NS, Name string
	Chains   []Chain
}

// Chain is a base chain (Hook set) or a regular chain (jump target).
type Chain struct {
	Name     string
	Hook     string // prerouting, input, forward, output, postrouting, or "" for a regular chain
	Type     string // filter, nat, route
	Priority int
	Rules    []Rule
}

// Rule is one nftables rule: every set field of the match must hold.
type Rule struct {
	IIf, OIf       string
	NotIIf, NotOIf string
	// Src and Dst match when the address is in any of the prefixes.
	Src, Dst []netip.Prefix
	NotSrc   netip.Addr
	Proto    model.Protocol // 0 or AllProtocols: any
	Ports    model.PortRange
	// SrcPorts, when set, matches the TCP or UDP source port (with Proto).
	SrcPorts model.PortRange `json:",omitzero"`
	// CtEstablished matches established or related connections; CtDNAT
	// connections that were destination-NATed.
	CtEstablished bool
	CtDNAT        bool
	// CtInvalid matches packets of no connection conntrack can track (a
	// SYN-ACK whose SYN it never saw).
	CtInvalid bool
	// CtOriginal and CtReply match a packet of its connection's
	// original or reply direction; CtMarked a connection whose mark is
	// not 0.
	CtOriginal, CtReply, CtMarked bool
	// CtMark, when not 0, matches a connection whose mark is CtMark.
	CtMark uint32
	// NDP matches IPv6 neighbour discovery and multicast listener
	// messages (ICMPv6 types 130-136 and 143), which AWS's VPC router
	// answers outside every filter.
	NDP bool
	// EtherSrc matches the Ethernet source address ("02:…").
	EtherSrc string
	// DSCP, when not 0, matches an IPv4 packet's DSCP (the NLB tag a
	// node sets, lbplan.go); NoDSCP a packet without one. DSCP6 makes
	// both (and a dscp verdict) the IPv6 header's: the DSCP bits of its
	// traffic class.
	DSCP   uint8
	NoDSCP bool
	DSCP6  bool
	// ICMPType matches ICMP errors of that type (with ICMPCodeNot, any
	// code but that one).
	ICMPType    int // -1 or 0: none
	ICMPCodeNot int // -1: none
	// ICMPTypeCode: Ports holds an ICMP rule's type (First) and code
	// (Last), 0xFFFF for any, as security group and network ACL rules
	// keep them.
	ICMPTypeCode bool
	// TCPMidFlow matches a TCP segment without the SYN or RST flag (with
	// Proto TCP): a segment in the middle of a flow, not one that starts,
	// answers or ends it.
	TCPMidFlow bool `json:",omitempty"`
	Verdict    Verdict
	Comment    string
}

// Verdict is what a rule does.
type Verdict struct {
	Kind  string // accept, drop, return, jump, snat, dnat, masquerade, redirect, mark, ctmark (set the connection's mark), reject (a TCP reset to the source), restoremark (the packet's mark from the connection's), dscp (set the DSCP to Mark and go on; the IPv6 traffic class's with the rule's DSCP6)
	Chain string
	Addr  netip.Addr
	Port  uint16
	Mark  uint32
}

// Listener is a socket the system holds open: a task's container port,
// an instance's sshd, the internet's hosts.
type Listener struct {
	NS    string
	Proto model.Protocol
	Addr  netip.Addr // invalid: every address
	Port  uint16
	// Identity is what it answers (a task, an instance, "internet").
	Identity string
	// Serves is the container's HTTP paths (nil: 200 everywhere).
	Serves map[string]int
	// AllowedHosts are the Host names the container answers (nil: all;
	// model.HostAllowed); any other gets 400.
	AllowedHosts []string
	Kind         string // container, sshd, ecs-agent, internet
	// TLS: the container speaks TLS (model.ContainerDefinition.TLS).
	TLS bool
	// ResponseSeconds is how long the container takes to answer each
	// HTTP path (model.ContainerDefinition.ResponseSeconds; nil: at once),
	// in AWS's seconds: slow.go scales it.
	ResponseSeconds map[string]int `json:",omitempty"`
	// IMDSTokens and IMDSHopLimit are an instance metadata service's
	// (Kind "imds", imds.go) HttpTokens and HttpPutResponseHopLimit.
	IMDSTokens   string `json:",omitempty"`
	IMDSHopLimit int    `json:",omitempty"`
}

// HostEntry is a name and one of its addresses.
type HostEntry struct {
	Name string
	Addr netip.Addr
	// Public: the address answers from the internet (internet-facing).
	Public bool
}

// LBNode is a load balancer's node: its namespace and address, with the
// load balancer it runs.
type LBNode struct {
	NS    string
	LBARN string
	Addr  netip.Addr
	// Subnet is the node's subnet.
	Subnet model.SubnetID
	// Classic is the name of the Classic Load Balancer the node belongs
	// to ("" for an Application or Network Load Balancer's node; LBARN
	// is then reach.ClassicLoadBalancerARN's).
	Classic string
}

// Fixed addresses of the data plane's own plumbing. 169.254.0.0/16 is
// link-local: no VPC or subnet can use it.
var (
	internetClient   = reach.DefaultInternetClient()
	internetClientV6 = reach.DefaultInternetClientV6()
)

const (
	internetPort = 9 // the internet's hosts answer every TCP/UDP port here
	egressMark   = 0x5ec
	voidTable    = 250
	rtTableBase  = 1000
)

// transit returns the two addresses of the /30 numbered n of 169.254.0.0/16.
func transit(n int) (netip.Addr, netip.Addr) {
	b := [4]byte{169, 254, byte(n >> 6), byte(n&63) << 2}
	a := netip.AddrFrom4(b)
	return a.Next(), a.Next().Next()
}

type planner struct {
	st *model.State
	// v6: some VPC has an IPv6 block, so every namespace runs with IPv6
	// (else every namespace has it disabled, as before IPv6 was built).
	v6   bool
	p    *Plan
	name string
	// subnet bridges by subnet, subnet index
	bridge map[model.SubnetID]string
	vpcNS  map[model.VpcID]string
	igwNS  map[model.VpcID]string
	svcNS  map[model.VpcID]string // gateway endpoints' services
	// peerLinks: each side of each active peering connection.
	peerLinks map[peerKey]peerLink
	igwVia    map[model.VpcID]netip.Addr // IGW address on the VPC transit, for routes
	// rnat: each regional NAT gateway's namespace and link (natregional.go).
	rnat map[model.NatGatewayID]regionalNATLink
	// nat64Via: where the VPC router reaches each NAT gateway's
	// translator (nat64.go).
	nat64Via map[model.NatGatewayID]Route
	// eigwK: each VPC's egress-only internet gateway's transit number.
	eigwK map[model.VpcID]int
	// holders: the namespace holding each ENI and the device name in it.
	eniNS  map[model.NetworkInterfaceID]string
	eniDev map[model.NetworkInterfaceID]string
	// appliances: the namespaces of instances that forward as
	// appliances (inspection.go).
	appliances map[string]bool
	nsSeq      map[string]int
	vethN      int
	// publicMap: per VPC, private → public (1:1 NAT at the IGW).
	publicMap map[model.VpcID][][2]netip.Addr
	// internetRoutes: public address → VPC whose IGW answers it.
	internetRoutes map[netip.Addr]model.VpcID
	vpcIndex       map[model.VpcID]int
	// members are each security group's members' private addresses.
	members map[model.SecurityGroupID][]netip.Prefix
	// tgwLinks: each available VPC attachment's link to its gateway.
	tgwLinks map[model.TransitGatewayAttachmentID]tgwLink
	// onPremNS: the on-premises stand-in behind each VPC's virtual
	// private gateway.
	onPremNS map[model.VpcID]string
	// nlbReturns: the NLB nodes that keep the client's address, whose
	// replies the targets and the VPC router send back through them
	// (lbplan.go, nlbReturnPaths).
	nlbReturns []nlbReturn
	// nlbSeq numbers the marks and tables of those return paths; retSeq
	// keeps the numbers a system that is up gave them (System.Retarget:
	// a connection's mark keeps its meaning), by returnKey, and new ones
	// come after retFloor, the largest.
	nlbSeq   int
	retSeq   map[string]int
	retFloor int
	// nlbTags: the DSCP value each Network Load Balancer with security
	// groups sets on what it passes to its targets, and the values each
	// of those groups stands for in the targets' rules (lbplan.go,
	// nlbGroupTags).
	nlbTags     map[string]uint8
	nlbGroupTag map[model.SecurityGroupID][]uint8
}

// MakePlan computes the data plane of a converged state. name prefixes
// every namespace ("ecsnet" when empty).
func MakePlan(st *model.State, name string) (*Plan, error) {
	return makePlan(st, name, nil)
}

// makePlan is MakePlan keeping the numbers prev (a plan that is up, or
// nil) gave its NLB return paths.
func makePlan(st *model.State, name string, prev *Plan) (*Plan, error) {
	if name == "" {
		name = "ecsnet"
	}
	if len(name) > 20 {
		return nil, fmt.Errorf("system name %q is longer than 20 characters", name)
	}
	if err := refuseGWLB(st); err != nil {
		return nil, err
	}
	if err := refusePayloadRules(st); err != nil { // firewall.go
		return nil, err
	}
	pl := &planner{st: st, name: name, p: &Plan{Name: name, Nodes: map[string]string{}},
		bridge: map[model.SubnetID]string{}, vpcNS: map[model.VpcID]string{}, igwNS: map[model.VpcID]string{}, svcNS: map[model.VpcID]string{}, onPremNS: map[model.VpcID]string{}, peerLinks: map[peerKey]peerLink{},
		igwVia: map[model.VpcID]netip.Addr{}, eniNS: map[model.NetworkInterfaceID]string{}, eniDev: map[model.NetworkInterfaceID]string{},
		appliances: map[string]bool{}, nsSeq: map[string]int{}, publicMap: map[model.VpcID][][2]netip.Addr{}, internetRoutes: map[netip.Addr]model.VpcID{},
		vpcIndex: map[model.VpcID]int{}, eigwK: map[model.VpcID]int{}}
	if prev != nil {
		pl.retSeq, pl.retFloor = returnNumbers(prev)
	}
	for _, v := range st.VPCs {
		if len(v.IPv6) > 0 {
			pl.v6 = true
		}
	}
	pl.internet()
	for i, v := range sorted(st.VPCs, func(v *model.VPC) string { return string(v.ID) }) {
		pl.vpcIndex[v.ID] = i
		pl.vpc(v)
	}
	if err := pl.holders(); err != nil {
		return nil, err
	}
	pl.regionalNATs() // natregional.go
	pl.nlbReturnPaths()
	pl.peerings()
	pl.transitGateways()
	for _, v := range sorted(st.VPCs, func(v *model.VPC) string { return string(v.ID) }) {
		pl.routeTables(v)
		pl.acls(v)
		pl.gateway(v)
		pl.egressOnlyGateway(v) // ipv6.go
	}
	pl.routeInternet()
	pl.resolvers() // dns.go
	if pl.v6 {
		pl.passNDP() // ipv6.go
	}
	pl.p.aliases(st)
	return pl.p, nil
}

// refuseGWLB refuses a state with a Gateway Load Balancer endpoint whose
// endpoint service the state does not hold (a snapshot's consumer side:
// which appliances the packet meets is the service owner's), unless it is
// an AWS Network Firewall endpoint. The analyzer says unknown there
// (ecsnet probe).
func refuseGWLB(st *model.State) error {
	for _, ep := range sorted(st.VpcEndpoints, func(ep *model.VpcEndpoint) string { return string(ep.ID) }) {
		if ep.Type == "GatewayLoadBalancer" && !firewallEndpoint(st, ep) && !gwlbKnown(st, ep) {
			return fmt.Errorf("the data plane cannot follow Gateway Load Balancer endpoint %s: the state does not hold its endpoint service %s; use ecsnet probe", ep.ID, ep.ServiceName)
		}
	}
	return nil
}

func sorted[K comparable, V any](m map[K]V, key func(V) string) []V {
	out := slices.Collect(maps.Values(m))
	slices.SortFunc(out, func(a, b V) int { return cmp.Compare(key(a), key(b)) })
	return out
}

// ns adds a namespace named <system>-<tag><n>.
func (pl *planner) ns(tag, role, of string) string {
	n := pl.nsSeq[tag]
	pl.nsSeq[tag]++
	name := pl.name + "-" + tag
	if tag != "inet" {
		name += strconv.Itoa(n)
	}
	pl.p.Namespaces = append(pl.p.Namespaces, Namespace{Name: name, Role: role, Of: of})
	// Every namespace: loopback up (Apply does it), no ICMP errors from
	// the plumbing (AWS drops silently), except port unreachable, which
	// a host sends for a closed UDP port.
	if pl.v6 {
		pl.enableIPv6(name) // ipv6.go
	} else {
		pl.p.Sysctls = append(pl.p.Sysctls,
			Sysctl{NS: name, Key: "net/ipv6/conf/all/disable_ipv6", Value: "1", Optional: true},
			Sysctl{NS: name, Key: "net/ipv6/conf/default/disable_ipv6", Value: "1", Optional: true})
	}
	pl.sysctl(name, "net/ipv4/conf/all/rp_filter", "0")
	pl.sysctl(name, "net/ipv4/conf/default/rp_filter", "0")
	pl.sysctl(name, "net/ipv4/conf/all/send_redirects", "0")
	pl.sysctl(name, "net/ipv4/conf/default/send_redirects", "0")
	pl.p.Tables = append(pl.p.Tables, Table{NS: name, Name: "ecsnet", Chains: []Chain{{
		Name: "icmp", Hook: "output", Type: "filter", Priority: 0,
		Rules: []Rule{
			{Proto: model.ICMP, ICMPType: 3, ICMPCodeNot: 3, Verdict: Verdict{Kind: "drop"}, Comment: "AWS drops silently: no unreachable"},
			{Proto: model.ICMP, ICMPType: 11, ICMPCodeNot: -1, Verdict: Verdict{Kind: "drop"}, Comment: "no time exceeded"},
			{Proto: model.ICMP, ICMPType: 5, ICMPCodeNot: -1, Verdict: Verdict{Kind: "drop"}, Comment: "no redirect"},
			{Proto: model.ICMPv6, ICMPType: 1, ICMPCodeNot: 4, Verdict: Verdict{Kind: "drop"}, Comment: "AWS drops silently: no unreachable (IPv6)"},
			{Proto: model.ICMPv6, ICMPType: 3, ICMPCodeNot: -1, Verdict: Verdict{Kind: "drop"}, Comment: "no time exceeded (IPv6)"},
			{Proto: model.ICMPv6, ICMPType: 137, ICMPCodeNot: -1, Verdict: Verdict{Kind: "drop"}, Comment: "no redirect (IPv6)"},
		}}}})
	return name
}

func (pl *planner) sysctl(ns, key, value string) {
	pl.p.Sysctls = append(pl.p.Sysctls, Sysctl{NS: ns, Key: key, Value: value})
	if key == "net/ipv4/ip_forward" && pl.v6 {
		// IPv6 forwards exactly where IPv4 does.
		pl.p.Sysctls = append(pl.p.Sysctls, Sysctl{NS: ns, Key: "net/ipv6/conf/all/forwarding", Value: value})
	}
}

func (pl *planner) veth(ns, name, peerNS, peerName, master string) {
	pl.p.Veths = append(pl.p.Veths, Veth{NS: ns, Name: name, PeerNS: peerNS, PeerName: peerName, Master: master})
}

func (pl *planner) addr(ns, link string, p netip.Prefix) {
	pl.p.Addrs = append(pl.p.Addrs, Addr{NS: ns, Link: link, Prefix: p})
}

func (pl *planner) route(r Route) { pl.p.Routes = append(pl.p.Routes, r) }

// internet: the probe client 198.51.100.7 and every other public host,
// which answer on every port (a redirect to one listener). Unknown
// destinations go to a dummy: a timeout, as on the internet.
func (pl *planner) internet() {
	ns := pl.ns("inet", "internet", "internet")
	pl.p.Nodes["internet"] = ns
	pl.p.Bridges = append(pl.p.Bridges, Link{NS: ns, Name: "world", Kind: "dummy"}, Link{NS: ns, Name: "void", Kind: "dummy"})
	pl.addr(ns, "world", netip.PrefixFrom(internetClient, 32))
	pl.route(Route{NS: ns, Dst: netip.MustParsePrefix("0.0.0.0/0"), Dev: "void"})
	if pl.v6 {
		pl.addr(ns, "world", netip.PrefixFrom(internetClientV6, 128))
		pl.route(Route{NS: ns, Dst: netip.MustParsePrefix("::/0"), Dev: "void"})
	}
	// The internet carries packets between gateways: from one VPC's
	// public IP to another's.
	pl.sysctl(ns, "net/ipv4/ip_forward", "1")
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "hosts", Chains: []Chain{{
		Name: "pre", Hook: "prerouting", Type: "nat", Priority: -100,
		Rules: []Rule{
			{Proto: model.TCP, Verdict: Verdict{Kind: "redirect", Port: internetPort}, Comment: "every internet host answers"},
			{Proto: model.UDP, Verdict: Verdict{Kind: "redirect", Port: internetPort}},
			{Proto: model.ICMP, Verdict: Verdict{Kind: "redirect"}, Comment: "and answers ping"},
			{Proto: model.ICMPv6, ICMPType: 128, ICMPCodeNot: -1, Verdict: Verdict{Kind: "redirect"}, Comment: "and ping over IPv6 (echo requests only: not neighbour discovery)"},
		}}}})
	for _, p := range []model.Protocol{model.TCP, model.UDP} {
		pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: p, Port: internetPort, Identity: "internet", Kind: "internet"})
	}
}

// vpc: the VPC router namespace with one bridge per subnet holding the
// subnet's router address (base+1).
func (pl *planner) vpc(v *model.VPC) {
	ns := pl.ns("vpc", "vpc", string(v.ID))
	pl.vpcNS[v.ID] = ns
	pl.sysctl(ns, "net/ipv4/ip_forward", "1")
	pl.p.Sysctls = append(pl.p.Sysctls, Sysctl{NS: ns, Key: "net/bridge/bridge-nf-call-iptables", Value: "0", Optional: true})
	subs := vpcSubnets(pl.st, v.ID)
	for i, s := range subs {
		_, has6 := subnetIPv6(s)
		if !subnetIPv4(s) && !(has6 && pl.v6) {
			continue
		}
		br := "b" + strconv.Itoa(i)
		pl.bridge[s.ID] = br
		pl.p.Bridges = append(pl.p.Bridges, Link{NS: ns, Name: br, Kind: "bridge"})
		if subnetIPv4(s) {
			pl.addr(ns, br, netip.PrefixFrom(s.CIDR.Masked().Addr().Next(), s.CIDR.Bits()))
		}
		if c, ok := subnetIPv6(s); ok {
			// The subnet's IPv6 router: base+1 of its /64, an address
			// AWS reserves for the VPC router as it does base+1 of the
			// IPv4 CIDR.
			pl.addr(ns, br, netip.PrefixFrom(c.Addr().Next(), c.Bits()))
		}
	}
}

// subnetIPv4 reports whether a subnet has an IPv4 CIDR block (an
// IPv6-only subnet, ipv6_native, has none: its bridge carries IPv6 only,
// and its ENIs have no IPv4 address or route).
func subnetIPv4(s *model.Subnet) bool { return s.CIDR.IsValid() && s.CIDR.Addr().Is4() }

func vpcSubnets(st *model.State, v model.VpcID) []*model.Subnet {
	var out []*model.Subnet
	for _, s := range sorted(st.Subnets, func(s *model.Subnet) string { return string(s.ID) }) {
		if s.VpcID == v {
			out = append(out, s)
		}
	}
	return out
}

// holders gives every attached ENI a namespace: instances (all their
// ENIs), awsvpc tasks, NAT gateways, load balancer nodes.
func (pl *planner) holders() error {
	st := pl.st
	taskByENI := map[model.NetworkInterfaceID]*model.Task{}
	for _, t := range st.Tasks {
		if e := t.ENI(); e != "" && t.Active() {
			taskByENI[e] = t
		}
	}
	// Instances.
	agents := map[model.InstanceID]bool{}
	for _, ci := range st.ContainerInstances {
		if ci.AgentConnected {
			agents[ci.EC2InstanceID] = true
		}
	}
	for _, inst := range sorted(st.Instances, func(i *model.Instance) string { return string(i.ID) }) {
		if !inst.Live() {
			continue
		}
		var enis []*model.NetworkInterface
		for _, e := range st.InstanceENIs(inst.ID) {
			if e.OwnerKind == model.OwnedByECSTask {
				continue
			}
			enis = append(enis, e)
		}
		if len(enis) == 0 {
			continue
		}
		ns := pl.ns("i", "instance", string(inst.ID))
		pl.p.Nodes[string(inst.ID)] = ns
		pl.sysctl(ns, "net/ipv4/ip_forward", "0")
		pl.attach(ns, enis, true)
		pl.appliance(ns, enis) // inspection.go: source/destination check off
		if inst.State == model.InstanceRunning {
			pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: model.TCP, Port: 22, Identity: st.InstanceName(inst) + " sshd", Kind: "sshd"})
		}
		if agents[inst.ID] {
			pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: model.TCP, Port: reach.ECSAgentPort, Identity: st.InstanceName(inst) + " ecs-agent", Kind: "ecs-agent"})
			if !reach.OffhostIntrospectionAllowed(inst.UserData) {
				// ecs-init's iptables rule: the introspection port
				// only from the host itself and its bridge containers.
				pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "introspection", Chains: []Chain{{Name: "in", Hook: "input", Type: "filter", Priority: -5, Rules: []Rule{
					{IIf: "lo", Verdict: Verdict{Kind: "accept"}},
					{IIf: "docker0", Verdict: Verdict{Kind: "accept"}},
					{Proto: model.TCP, Ports: model.PortRange{First: reach.ECSAgentPort, Last: reach.ECSAgentPort}, Verdict: Verdict{Kind: "drop"}, Comment: "ecs-init: no off-host introspection"},
				}}}})
			}
		}
	}
	// Tasks, by ARN.
	bridgeN := map[string]int{}
	for _, t := range sorted(st.Tasks, func(t *model.Task) string { return t.ARN }) {
		if !t.Active() {
			continue
		}
		def := st.TaskDefinitions[t.TaskDefinitionARN]
		name := st.TaskName(t)
		running := t.LastStatus == model.TaskRunning
		instNS := ""
		docker0 := model.DockerDefaultBridge()
		if ci := st.ContainerInstances[t.ContainerInstanceARN]; ci != nil {
			instNS = pl.p.Nodes[string(ci.EC2InstanceID)]
			if inst := st.Instances[ci.EC2InstanceID]; inst != nil {
				docker0 = inst.DockerBridge()
			}
		}
		switch t.NetworkMode {
		case model.NetworkModeAwsvpc:
			e := st.NetworkInterfaces[t.ENI()]
			if e == nil {
				continue
			}
			ns := pl.ns("t", "task", t.ARN)
			pl.p.Nodes[t.ARN] = ns
			pl.sysctl(ns, "net/ipv4/ip_forward", "0")
			pl.attach(ns, []*model.NetworkInterface{e}, false)
			if running && def != nil {
				for _, c := range def.Containers {
					for _, pm := range c.PortMappings {
						pl.listenAll(ns, c, pm, name)
					}
					pl.listenUnmapped(ns, c, name)
				}
			}
		case model.NetworkModeHost:
			if instNS == "" {
				continue
			}
			pl.p.Nodes[t.ARN] = instNS
			if running && def != nil {
				for _, c := range def.Containers {
					for _, pm := range c.PortMappings {
						pl.listen(instNS, c, pm.ContainerPort, pm.Protocol, name)
					}
					pl.listenUnmapped(instNS, c, name)
				}
			}
		case model.NetworkModeBridge:
			if instNS == "" {
				continue
			}
			pl.bridgeTask(instNS, docker0, t, def, name, running, bridgeN)
		}
	}
	// NAT gateways.
	for _, ng := range sorted(st.NatGateways, func(g *model.NatGateway) string { return string(g.ID) }) {
		e := st.NetworkInterfaces[ng.NetworkInterface]
		if e == nil || (ng.State != "available" && ng.State != "pending") {
			continue
		}
		ns := pl.ns("n", "nat", string(ng.ID))
		pl.p.Nodes[string(ng.ID)] = ns
		pl.sysctl(ns, "net/ipv4/ip_forward", "1")
		pl.attachENIs(ns, []*model.NetworkInterface{e}, false, false)
		ip := e.PrimaryIP()
		pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "nat", Chains: []Chain{
			{Name: "in", Hook: "input", Type: "filter", Priority: 0, Rules: []Rule{
				{CtEstablished: true, Verdict: Verdict{Kind: "accept"}},
				{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: "a NAT gateway accepts no connection"},
			}},
			{Name: "fwd", Hook: "forward", Type: "filter", Priority: 0, Rules: []Rule{
				// A reply routed to the gateway for a connection that did not
				// start through it (an instance with a public IP in a subnet
				// whose default route is the NAT gateway) is not translated
				// back into a valid answer: dropped.
				{CtInvalid: true, Verdict: Verdict{Kind: "drop"}, Comment: "no connection of this gateway"},
			}},
			{Name: "post", Hook: "postrouting", Type: "nat", Priority: 100, Rules: []Rule{
				{OIf: "eth0", NotSrc: ip, Verdict: Verdict{Kind: "snat", Addr: ip}, Comment: "source NAT to the gateway's private address"},
			}},
		}})
		pl.nat64(ns, ng, e) // nat64.go
	}
	// Interface endpoints: each ENI answers the service's ports (HTTPS;
	// SMTP for SES's SMTP interface), behind the endpoint's security
	// groups.
	for _, ep := range sorted(st.VpcEndpoints, func(e *model.VpcEndpoint) string { return string(e.ID) }) {
		if !strings.EqualFold(ep.Type, "Interface") || (ep.State != "" && ep.State != "available" && ep.State != "pending") {
			continue
		}
		svc, _, _ := model.EndpointServiceOf(st.Region, ep.ServiceName)
		ports := model.InterfaceEndpointPorts(svc)
		for _, id := range ep.NetworkInterfaces {
			e := st.NetworkInterfaces[id]
			if e == nil {
				continue
			}
			ns := pl.ns("e", "endpoint", string(ep.ID))
			if _, ok := pl.p.Nodes[string(ep.ID)]; !ok {
				pl.p.Nodes[string(ep.ID)] = ns
			}
			pl.sysctl(ns, "net/ipv4/ip_forward", "0")
			pl.attach(ns, []*model.NetworkInterface{e}, false)
			// It serves its ports only: anything else, a ping too, is
			// dropped (the analyzer's ECS_ENDPOINT_PORT, a timeout).
			rules := []Rule{{IIf: "eth0", CtEstablished: true, Verdict: Verdict{Kind: "accept"}}}
			for _, port := range ports {
				pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: model.TCP, Port: port, Identity: ep.ServiceName + " " + string(ep.ID), Kind: "endpoint"})
				comment := "HTTPS"
				if port != 443 {
					comment = "SMTP"
				}
				rules = append(rules, Rule{IIf: "eth0", Proto: model.TCP, Ports: model.Port(port), Verdict: Verdict{Kind: "accept"}, Comment: comment})
			}
			rules = append(rules, Rule{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: "serves its service's ports only"})
			pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "endpoint", Chains: []Chain{{Name: "in", Hook: "input", Type: "filter", Priority: 0, Rules: rules}}})
		}
	}
	// Load balancer nodes.
	for _, lb := range sorted(st.LoadBalancers, func(l *model.LoadBalancer) string { return l.ARN }) {
		for _, node := range lb.Nodes {
			e := st.NetworkInterfaces[node.ENI]
			if e == nil {
				continue
			}
			ns := pl.lbNodeNS(lb.ARN, e) // lbplan.go
			pl.lbNode(ns, lb, e)         // lbplan.go: not active; NLB pass-through
			pl.p.LoadBalancers = append(pl.p.LoadBalancers, LBNode{NS: ns, LBARN: lb.ARN, Addr: e.PrimaryIP(), Subnet: e.SubnetID})
			var accept []Rule
			for _, l := range sorted(st.Listeners, func(l *model.Listener) string { return l.ARN }) {
				if l.LoadBalancerARN != lb.ARN {
					continue
				}
				proto := model.TCP
				if l.Protocol == "UDP" {
					proto = model.UDP
				}
				accept = append(accept, Rule{IIf: "eth0", Proto: proto, Ports: model.Port(l.Port), Verdict: Verdict{Kind: "accept"}, Comment: "listener"})
				if l.Protocol == "TCP_UDP" {
					accept = append(accept, Rule{IIf: "eth0", Proto: model.UDP, Ports: model.Port(l.Port), Verdict: Verdict{Kind: "accept"}, Comment: "listener"})
				}
			}
			pl.lbListeners(ns, accept, e, lb.Scheme, lb.DNSName, strings.HasPrefix(lb.IPAddressType, "dualstack")) // lbplan.go
		}
	}
	pl.classicNodes()      // lbplan.go
	pl.firewallEndpoints() // firewall.go
	pl.gwlbEndpoints()     // gwlb.go
	pl.imds()              // imds.go: the instances' metadata services
	// ENIs as nodes: every attached ENI names its holder.
	for id, ns := range pl.eniNS {
		pl.p.Nodes[string(id)] = ns
	}
	return nil
}

// listen adds a container's listener for one port mapping.
func (pl *planner) listen(ns string, c model.ContainerDefinition, port uint16, proto model.Protocol, task string) {
	if proto != model.UDP {
		proto = model.TCP
	}
	a := c.ListenAddress
	if a.IsValid() && a.IsUnspecified() {
		a = netip.Addr{}
	}
	ports := []uint16{port}
	if len(c.AppPorts) > 0 && !slices.Contains(c.AppPorts, port) {
		// The application listens elsewhere (ContainerDefinition.AppPorts):
		// the mapping's port gets a reset.
		ports = c.AppPorts
	}
	for _, port := range ports {
		if slices.ContainsFunc(pl.p.Listeners, func(l Listener) bool { return l.NS == ns && l.Proto == proto && l.Port == port }) {
			continue
		}
		pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: proto, Addr: a, Port: port, Identity: task + " " + c.Name, Serves: c.Serves, AllowedHosts: c.AllowedHosts, Kind: "container", TLS: c.TLS, ResponseSeconds: c.ResponseSeconds})
	}
}

// listenUnmapped listens on the ports c's application binds that no port
// mapping names (model.ContainerDefinition.UnmappedAppPorts): in the awsvpc
// and host network modes nothing publishes ports, so they answer as the
// analyzer's sockets of them do.
func (pl *planner) listenUnmapped(ns string, c model.ContainerDefinition, task string) {
	for _, port := range c.UnmappedAppPorts() {
		pl.listen(ns, c, port, model.TCP, task)
	}
}

// listenAll listens on each container port pm maps (every port of a
// containerPortRange).
func (pl *planner) listenAll(ns string, c model.ContainerDefinition, pm model.PortMapping, task string) {
	r := pm.ContainerPorts()
	for p := int(r.First); p <= int(r.Last); p++ {
		pl.listen(ns, c, uint16(p), pm.Protocol, task)
	}
}

// bridgeTask: the task's containers share one namespace behind the
// instance's docker0 bridge (docker0: its address and prefix, 172.17.0.1/16
// or the user data's bip); the instance DNATs each host port to it.
func (pl *planner) bridgeTask(instNS string, docker0 netip.Prefix, t *model.Task, def *model.TaskDefinition, name string, running bool, seq map[string]int) {
	k := seq[instNS]
	seq[instNS]++
	if k == 0 {
		pl.p.Bridges = append(pl.p.Bridges, Link{NS: instNS, Name: "docker0", Kind: "bridge"})
		pl.addr(instNS, "docker0", docker0)
		// Routed, not bridged, through netfilter: with bridge netfilter a
		// container's packet to a host port, DNATed back to a container
		// of the same bridge, would be bridged out of the port it came in
		// by (hairpin) and dropped.
		pl.p.Sysctls = append(pl.p.Sysctls, Sysctl{NS: instNS, Key: "net/bridge/bridge-nf-call-iptables", Value: "0", Optional: true})
		// Forwarding only to and from docker0 (source/destination check
		// for everything else).
		pl.sysctl(instNS, "net/ipv4/ip_forward", "1")
		fwd := []Rule{
			{IIf: "docker0", Verdict: Verdict{Kind: "accept"}},
			{OIf: "docker0", Verdict: Verdict{Kind: "accept"}},
		}
		if !pl.appliances[instNS] {
			// An appliance's interfaces with the check on drop what
			// they would forward (inspection.go).
			fwd = append(fwd, Rule{Verdict: Verdict{Kind: "drop"}, Comment: "source/destination check"})
		}
		pl.p.Tables = append(pl.p.Tables, Table{NS: instNS, Name: "docker", Chains: []Chain{
			{Name: "fwd", Hook: "forward", Type: "filter", Priority: 0, Rules: fwd},
			{Name: "pre", Hook: "prerouting", Type: "nat", Priority: -100},
			{Name: "out", Hook: "output", Type: "nat", Priority: -100},
			{Name: "post", Hook: "postrouting", Type: "nat", Priority: 100, Rules: []Rule{
				{Src: []netip.Prefix{docker0.Masked()}, NotOIf: "docker0", Verdict: Verdict{Kind: "masquerade"}},
				// Hairpin (a container to a host port, DNATed back onto
				// docker0): the reply must come back through the
				// instance. Only what came from docker0: a client of the
				// VPC whose address falls in docker0's network keeps its
				// address, and the container answers it on its own link.
				{IIf: "docker0", Src: []netip.Prefix{docker0.Masked()}, OIf: "docker0", CtDNAT: true, Verdict: Verdict{Kind: "masquerade"}},
			}},
		}})
	}
	ns := pl.ns("c", "container", t.ARN)
	pl.p.Nodes[t.ARN] = ns
	cip := docker0.Masked().Addr()
	for range k + 1 {
		if cip = cip.Next(); cip == docker0.Addr() {
			cip = cip.Next()
		}
	}
	pl.veth(instNS, "d"+strconv.Itoa(k), ns, "eth0", "docker0")
	pl.addr(ns, "eth0", netip.PrefixFrom(cip, docker0.Bits()))
	pl.route(Route{NS: ns, Dst: netip.MustParsePrefix("0.0.0.0/0"), Via: docker0.Addr(), Dev: "eth0"})
	if !running || def == nil {
		return
	}
	tab := &pl.p.Tables[len(pl.p.Tables)-1]
	for i := range pl.p.Tables {
		if pl.p.Tables[i].NS == instNS && pl.p.Tables[i].Name == "docker" {
			tab = &pl.p.Tables[i]
		}
	}
	var hostAddrs []netip.Prefix
	for id, hns := range pl.eniNS {
		if hns == instNS {
			for _, p := range pl.st.NetworkInterfaces[id].PrivateIPs {
				hostAddrs = append(hostAddrs, netip.PrefixFrom(p.Addr, 32))
			}
		}
	}
	slices.SortFunc(hostAddrs, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	for _, c := range t.Containers {
		cd, ok := def.Container(c.Name)
		if !ok {
			continue
		}
		for _, b := range c.NetworkBindings {
			proto := b.Protocol
			if proto != model.UDP {
				proto = model.TCP
			}
			if b.HostPort == 0 && !b.IsRange() {
				continue
			}
			// A range binding is Docker's port-by-port publishing of it:
			// one DNAT per host port of the block.
			hr := b.HostPorts()
			for p := int(hr.First); p <= int(hr.Last); p++ {
				hp := uint16(p)
				dn := Verdict{Kind: "dnat", Addr: cip, Port: b.ContainerPortFor(hp)}
				tab.Chains[1].Rules = append(tab.Chains[1].Rules, Rule{NotIIf: "docker0", Proto: proto, Ports: model.Port(hp), Verdict: dn, Comment: name + " host port"},
					// A container reaching a host port on the instance's own
					// address (hairpin, as docker-proxy or Docker's hairpin NAT
					// carry it).
					Rule{IIf: "docker0", Dst: hostAddrs, Proto: proto, Ports: model.Port(hp), Verdict: dn, Comment: name + " host port, from a container"})
				tab.Chains[2].Rules = append(tab.Chains[2].Rules, Rule{Dst: hostAddrs, Proto: proto, Ports: model.Port(hp), Verdict: dn})
			}
		}
		for _, pm := range cd.PortMappings {
			pl.listenAll(ns, *cd, pm, name)
		}
	}
}

// attach plugs ENIs into their subnets' bridges from namespace ns, with
// their addresses, routes (per-ENI source routing when there are
// several) and security groups.
func (pl *planner) attach(ns string, enis []*model.NetworkInterface, byDevice bool) {
	pl.attachENIs(ns, enis, byDevice, true)
}

// attachENIs is attach; withSG false leaves the ENIs unfiltered (a NAT
// gateway has no security groups).
func (pl *planner) attachENIs(ns string, enis []*model.NetworkInterface, byDevice, withSG bool) {
	var sg Table
	sg.NS, sg.Name = ns, "sg"
	in := Chain{Name: "in", Hook: "prerouting", Type: "filter", Priority: -150}
	out := Chain{Name: "out", Hook: "output", Type: "route", Priority: -150}
	fwd := Chain{Name: "fwd", Hook: "forward", Type: "filter", Priority: -150}
	pl.p.Bridges = append(pl.p.Bridges, Link{NS: ns, Name: "void", Kind: "dummy"})
	pl.route(Route{NS: ns, Table: voidTable, Dst: netip.MustParsePrefix("0.0.0.0/0"), Dev: "void"})
	pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 10, Mark: egressMark, Table: voidTable})
	if pl.v6 {
		pl.route(Route{NS: ns, Table: voidTable, Dst: netip.MustParsePrefix("::/0"), Dev: "void"})
		pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, V6: true, Priority: 10, Mark: egressMark, Table: voidTable})
	}
	for i, e := range enis {
		br, ok := pl.bridge[e.SubnetID]
		sub := pl.st.Subnets[e.SubnetID]
		if !ok || sub == nil {
			continue
		}
		dev := "eth" + strconv.Itoa(i)
		if byDevice && e.Attachment != nil {
			dev = "eth" + strconv.Itoa(e.Attachment.DeviceIndex)
		}
		pl.eniNS[e.ID] = ns
		pl.eniDev[e.ID] = dev
		pl.vethN++
		pl.veth(pl.vpcNS[e.VpcID], "e"+strconv.Itoa(pl.vethN), ns, dev, br)
		gw := sub.CIDR.Masked().Addr().Next()
		for _, p := range e.PrivateIPs {
			if !subnetIPv4(sub) || !p.Addr.Is4() {
				continue
			}
			pl.addr(ns, dev, netip.PrefixFrom(p.Addr, sub.CIDR.Bits()))
			if p.PublicIP != nil && p.PublicIP.PublicIP.IsValid() {
				pl.publicMap[e.VpcID] = append(pl.publicMap[e.VpcID], [2]netip.Addr{p.Addr, p.PublicIP.PublicIP})
			}
		}
		if i == 0 && subnetIPv4(sub) {
			pl.route(Route{NS: ns, Dst: netip.MustParsePrefix("0.0.0.0/0"), Via: gw, Dev: dev})
		}
		if len(enis) > 1 && subnetIPv4(sub) {
			tbl := 100 + i
			pl.route(Route{NS: ns, Table: tbl, Dst: netip.MustParsePrefix("0.0.0.0/0"), Via: gw, Dev: dev})
			pl.route(Route{NS: ns, Table: tbl, Dst: sub.CIDR.Masked(), Dev: dev})
			for _, p := range e.PrivateIPs {
				pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 100, Src: netip.PrefixFrom(p.Addr, 32), Table: tbl})
			}
		}
		pl.attachIPv6(ns, dev, e, sub, i, len(enis) > 1) // ipv6.go
		if withSG {
			pl.securityGroups(e, dev, &in, &out, &fwd)
		}
	}
	if withSG {
		sg.Chains = []Chain{in, out, fwd}
		pl.p.Tables = append(pl.p.Tables, sg)
	}
	if len(enis) > 1 {
		// Each ENI answers ARP only for its own addresses.
		pl.sysctl(ns, "net/ipv4/conf/all/arp_ignore", "1")
		pl.sysctl(ns, "net/ipv4/conf/all/arp_announce", "2")
	}
}

// securityGroups adds an ENI's stateful rules: replies pass; new
// connections in must match an ingress rule of one of its groups, out an
// egress rule. A refused egress packet is rerouted to a dummy, so the
// local socket sees a timeout as in AWS (a drop in output would fail the
// connect with EPERM at once).
func (pl *planner) securityGroups(e *model.NetworkInterface, dev string, in, out, fwd *Chain) {
	if len(e.SecurityGroups) == 0 {
		return // an ENI without groups (an NLB's created without them) filters nothing, as the analyzer says
	}
	in.Rules = append(in.Rules, Rule{IIf: dev, CtEstablished: true, Verdict: Verdict{Kind: "accept"}})
	out.Rules = append(out.Rules, Rule{OIf: dev, CtEstablished: true, Verdict: Verdict{Kind: "accept"}})
	fwd.Rules = append(fwd.Rules, Rule{OIf: dev, CtEstablished: true, Verdict: Verdict{Kind: "accept"}})
	// Security groups do not filter DNS to the Route 53 Resolver (Amazon
	// VPC guide, "Security group rules": "Amazon Domain Name Services
	// (DNS)" is among the traffic they do not filter).
	if v := pl.st.VPCs[e.VpcID]; v != nil && v.CIDR.IsValid() && v.CIDR.Addr().Is4() {
		dns := []netip.Prefix{netip.PrefixFrom(v.ResolverAddr(), 32), netip.PrefixFrom(amazonDNS, 32)}
		if pl.v6 && len(vpcIPv6(v)) > 0 {
			dns = append(dns, netip.PrefixFrom(amazonDNS6, 128)) // dns.go
		}
		for _, p := range []model.Protocol{model.UDP, model.TCP} {
			r := Rule{OIf: dev, Dst: dns, Proto: p, Ports: model.PortRange{First: 53, Last: 53}, Verdict: Verdict{Kind: "accept"}, Comment: "DNS to the Route 53 Resolver: no security group filters it"}
			out.Rules = append(out.Rules, r)
			fwd.Rules = append(fwd.Rules, r)
		}
	}
	for _, gid := range e.SecurityGroups {
		g := pl.st.SecurityGroups[gid]
		if g == nil {
			continue
		}
		for _, r := range g.Ingress {
			for _, src := range pl.ruleAddrs(r) {
				// A group's members' addresses do not count when the
				// packet came through a Network Load Balancer (tagged):
				// a client's groups do not reach through one (NLB guide,
				// "Target security groups").
				in.Rules = append(in.Rules, Rule{IIf: dev, Src: src, NoDSCP: r.Group != "", DSCP6: src[0].Addr().Is6(), Proto: r.Protocol, Ports: r.Ports, ICMPTypeCode: icmpTypeCode(r.Protocol, r.Ports), Verdict: Verdict{Kind: "accept"}, Comment: string(gid)})
			}
			if r.Group == "" {
				continue
			}
			// A rule naming a Network Load Balancer's group admits what
			// the load balancer passes through, client IP preserved or
			// not: the node tags it (lbplan.go).
			for _, tag := range pl.nlbGroupTags()[r.Group] {
				in.Rules = append(in.Rules, Rule{IIf: dev, DSCP: tag, Proto: r.Protocol, Ports: r.Ports, ICMPTypeCode: icmpTypeCode(r.Protocol, r.Ports), Verdict: Verdict{Kind: "accept"}, Comment: string(gid) + ": through an NLB with " + string(r.Group)})
				if pl.v6 && r.Protocol != model.ICMP {
					in.Rules = append(in.Rules, Rule{IIf: dev, DSCP: tag, DSCP6: true, Proto: r.Protocol, Ports: r.Ports, ICMPTypeCode: icmpTypeCode(r.Protocol, r.Ports), Verdict: Verdict{Kind: "accept"}, Comment: string(gid) + ": through an NLB with " + string(r.Group) + " (IPv6)"})
				}
			}
		}
		for _, r := range g.Egress {
			for _, dst := range pl.ruleAddrs(r) {
				tc := icmpTypeCode(r.Protocol, r.Ports)
				out.Rules = append(out.Rules, Rule{OIf: dev, Dst: dst, Proto: r.Protocol, Ports: r.Ports, ICMPTypeCode: tc, Verdict: Verdict{Kind: "accept"}, Comment: string(gid)})
				fwd.Rules = append(fwd.Rules, Rule{OIf: dev, Dst: dst, Proto: r.Protocol, Ports: r.Ports, ICMPTypeCode: tc, Verdict: Verdict{Kind: "accept"}, Comment: string(gid)})
			}
		}
	}
	in.Rules = append(in.Rules, Rule{IIf: dev, Verdict: Verdict{Kind: "drop"}, Comment: "no security group rule admits it"})
	out.Rules = append(out.Rules, Rule{OIf: dev, Verdict: Verdict{Kind: "mark", Mark: egressMark}, Comment: "no egress rule: dropped silently"})
	fwd.Rules = append(fwd.Rules, Rule{OIf: dev, Verdict: Verdict{Kind: "drop"}})
}

// icmpTypeCode reports whether a security group or network ACL rule of
// protocol p keeps an ICMP type and code in ports (0-65535: a state that
// keeps none, any ICMP).
func icmpTypeCode(p model.Protocol, ports model.PortRange) bool {
	return (p == model.ICMP || p == model.ICMPv6) && ports != model.AllPorts
}

// ruleAddrs returns the address lists a rule's peer means, one rule each
// (a CIDR; a referenced group's members' private addresses; a prefix
// list's CIDRs). nil when it matches nothing.
func (pl *planner) ruleAddrs(r model.SecurityGroupRule) [][]netip.Prefix {
	var out [][]netip.Prefix
	for _, ps := range pl.ruleAddrsMixed(r) {
		// One rule per address family: nftables matches an IPv4 and an
		// IPv6 address at different offsets.
		v4, v6 := splitFamilies(ps)
		if len(v4) > 0 {
			out = append(out, v4)
		}
		if len(v6) > 0 && pl.v6 {
			out = append(out, v6)
		}
	}
	return out
}

// splitFamilies splits prefixes into IPv4 and IPv6 ones.
func splitFamilies(ps []netip.Prefix) (v4, v6 []netip.Prefix) {
	for _, p := range ps {
		if p.Addr().Is4() {
			v4 = append(v4, p)
		} else {
			v6 = append(v6, p)
		}
	}
	return v4, v6
}

// ruleAddrsMixed is ruleAddrs before the split by family.
func (pl *planner) ruleAddrsMixed(r model.SecurityGroupRule) [][]netip.Prefix {
	switch {
	case r.CIDR.IsValid():
		return [][]netip.Prefix{{r.CIDR.Masked()}}
	case r.Group != "":
		if pl.members == nil {
			pl.members = map[model.SecurityGroupID][]netip.Prefix{}
			for _, e := range sorted(pl.st.NetworkInterfaces, func(e *model.NetworkInterface) string { return string(e.ID) }) {
				for _, g := range e.SecurityGroups {
					for _, p := range e.PrivateIPs {
						pl.members[g] = append(pl.members[g], netip.PrefixFrom(p.Addr, 32))
					}
					for _, a := range e.IPv6 {
						pl.members[g] = append(pl.members[g], netip.PrefixFrom(a, 128))
					}
				}
			}
		}
		out := pl.members[r.Group]
		if len(out) == 0 {
			return nil
		}
		return [][]netip.Prefix{out}
	case r.PrefixList != "":
		pfx := pl.st.PrefixLists[r.PrefixList]
		if pfx == nil {
			return nil
		}
		var out []netip.Prefix
		for _, c := range pfx.CIDRs {
			out = append(out, c.Masked())
		}
		if len(out) == 0 {
			return nil
		}
		return [][]netip.Prefix{out}
	}
	return nil
}

// routeTables: one kernel table per route table, looked up for traffic
// entering from each subnet's bridge; whatever no route matches is
// dropped silently.
func (pl *planner) routeTables(v *model.VPC) {
	ns := pl.vpcNS[v.ID]
	subs := vpcSubnets(pl.st, v.ID)
	tables := map[model.RouteTableID]int{}
	for _, rt := range sorted(pl.st.RouteTables, func(r *model.RouteTable) string { return string(r.ID) }) {
		if rt.VpcID == v.ID {
			tables[rt.ID] = rtTableBase + len(tables)
		}
	}
	for i, s := range subs {
		br, ok := pl.bridge[s.ID]
		if !ok {
			continue
		}
		if rt := pl.st.SubnetRouteTable(s.ID); rt != nil {
			pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 1000 + i, IIf: br, Table: tables[rt.ID]})
		}
		pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 5000 + i, IIf: br, Blackhole: true})
		if pl.v6 {
			if rt := pl.st.SubnetRouteTable(s.ID); rt != nil {
				pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, V6: true, Priority: 1000 + i, IIf: br, Table: tables[rt.ID]})
			}
			pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, V6: true, Priority: 5000 + i, IIf: br, Blackhole: true})
		}
	}
	for _, rt := range sorted(pl.st.RouteTables, func(r *model.RouteTable) string { return string(r.ID) }) {
		if rt.VpcID != v.ID {
			continue
		}
		tbl := tables[rt.ID]
		for _, c := range v.CIDRs() {
			pl.route(Route{NS: ns, Table: tbl, Dst: c.Masked(), Blackhole: true})
		}
		for _, b := range v.IPv6 {
			pl.route(Route{NS: ns, Table: tbl, Dst: b.CIDR.Masked(), Blackhole: true})
		}
		for _, s := range subs {
			if br, ok := pl.bridge[s.ID]; ok {
				if subnetIPv4(s) {
					pl.route(Route{NS: ns, Table: tbl, Dst: s.CIDR.Masked(), Dev: br})
				}
				if c, ok := subnetIPv6(s); ok {
					pl.route(Route{NS: ns, Table: tbl, Dst: c, Dev: br})
				}
			}
		}
		// Routes a virtual private gateway propagates follow the table's
		// own, as the analyzer reads them.
		for _, r := range append(slices.Clone(rt.Routes), pl.st.PropagatedRoutes(rt)...) {
			if r.Target == model.TargetLocal {
				continue
			}
			dsts := []netip.Prefix{r.Destination}
			if r.DestinationPrefixList != "" {
				dsts = nil
				if pfx := pl.st.PrefixLists[r.DestinationPrefixList]; pfx != nil {
					dsts = pfx.CIDRs
				}
			}
			for _, d := range dsts {
				switch {
				case !d.IsValid():
				case d.Addr().Is4():
					pl.route(pl.routeTo(v, ns, tbl, d.Masked(), r))
				case pl.v6:
					pl.route(pl.routeTo6(v, ns, tbl, d.Masked(), r)) // ipv6.go
				}
			}
		}
	}
	pl.tgwEgressRules(v, tables) // tgw.go
	pl.edgeRules(v, tables)      // firewall.go
}

// eniBridge returns an ENI of VPC v that a route names and the bridge of
// its subnet, the device a route through it leaves by.
func (pl *planner) eniBridge(v *model.VPC, id model.NetworkInterfaceID) (*model.NetworkInterface, string, bool) {
	e := pl.st.NetworkInterfaces[id]
	if e == nil || e.VpcID != v.ID {
		return nil, "", false
	}
	br, ok := pl.bridge[e.SubnetID]
	return e, br, ok
}

// routeTo turns one route into a kernel route: to the internet gateway,
// a NAT gateway or an ENI by its address, else a blackhole.
func (pl *planner) routeTo(v *model.VPC, ns string, tbl int, d netip.Prefix, r model.Route) Route {
	out := Route{NS: ns, Table: tbl, Dst: d, Blackhole: true}
	if pl.st.RouteStateIn(v.ID, r) != "active" {
		return out
	}
	via := func(id model.NetworkInterfaceID) Route {
		e, br, ok := pl.eniBridge(v, id)
		if !ok {
			return out
		}
		return Route{NS: ns, Table: tbl, Dst: d, Via: e.PrimaryIP(), Dev: br}
	}
	switch r.Target {
	case model.TargetInternetGateway:
		g := pl.st.InternetGateways[model.InternetGatewayID(r.TargetID)]
		if g != nil && g.VpcID == v.ID {
			_, igwSide := transit(2 * pl.vpcIndex[v.ID])
			return Route{NS: ns, Table: tbl, Dst: d, Via: igwSide, Dev: "igw"}
		}
	case model.TargetNatGateway:
		if l, ok := pl.rnat[model.NatGatewayID(r.TargetID)]; ok && pl.st.NatGateways[model.NatGatewayID(r.TargetID)].VpcID == v.ID {
			return Route{NS: ns, Table: tbl, Dst: d, Via: l.via, Dev: l.dev} // natregional.go
		}
		if g := pl.st.NatGateways[model.NatGatewayID(r.TargetID)]; g != nil {
			return via(g.NetworkInterface)
		}
	case model.TargetNetworkInterface:
		return via(model.NetworkInterfaceID(r.TargetID))
	case model.TargetInstance:
		if i := pl.st.Instances[model.InstanceID(r.TargetID)]; i != nil {
			return via(i.PrimaryENI)
		}
	case model.TargetVpcPeering:
		if l, ok := pl.peerLinks[peerKey{model.VpcPeeringConnectionID(r.TargetID), v.ID}]; ok {
			return Route{NS: ns, Table: tbl, Dst: d, Via: l.via, Dev: l.dev}
		}
	case model.TargetVpnGateway:
		if g := pl.st.VpnGateways[model.VpnGatewayID(r.TargetID)]; g != nil && g.AttachedVpc() == v.ID {
			_, premSide := transit(pl.onPremLink(v))
			return Route{NS: ns, Table: tbl, Dst: d, Via: premSide, Dev: "vgw"}
		}
	case model.TargetTransitGateway:
		if l, ok := pl.tgwRoute(v, model.TransitGatewayID(r.TargetID)); ok {
			return Route{NS: ns, Table: tbl, Dst: d, Via: l.tgwIP, Dev: l.dev}
		}
	case model.TargetVpcEndpoint:
		if e, br, ok := pl.gwlbEndpointENI(v, model.VpcEndpointID(r.TargetID)); ok {
			return Route{NS: ns, Table: tbl, Dst: d, Via: e.PrimaryIP(), Dev: br} // firewall.go
		}
		if e := pl.st.VpcEndpoints[model.VpcEndpointID(r.TargetID)]; e != nil && e.VpcID == v.ID {
			_, svcSide := transit(pl.serviceLink(v))
			return Route{NS: ns, Table: tbl, Dst: d, Via: svcSide, Dev: "svc"}
		}
	}
	return out
}

// peerKey is one side of a peering connection.
type peerKey struct {
	pcx model.VpcPeeringConnectionID
	vpc model.VpcID
}

// peerLink is how a VPC router reaches the other side of a peering
// connection: the link and the other router's address on it (via6 its
// IPv6 address, when the system runs IPv6).
type peerLink struct {
	dev  string
	via  netip.Addr
	via6 netip.Addr
}

// peerings links the routers of the two VPCs of each active peering
// connection with a veth; routes that name the connection lead to it.
// What arrives from a peer is routed by the main table, which knows only
// the VPC's own subnets (their IPv4 CIDRs and IPv6 /64s): no transitive
// routing.
func (pl *planner) peerings() {
	for i, c := range sorted(pl.st.VpcPeerings, func(c *model.VpcPeeringConnection) string { return string(c.ID) }) {
		a, b := pl.vpcNS[c.RequesterVpc], pl.vpcNS[c.AccepterVpc]
		if c.Status != "active" || a == "" || b == "" || a == b {
			continue
		}
		dev := "p" + strconv.Itoa(i)
		x, y := transit(4*len(pl.vpcIndex) + i)
		pl.veth(a, dev, b, dev, "")
		pl.addr(a, dev, netip.PrefixFrom(x, 30))
		pl.addr(b, dev, netip.PrefixFrom(y, 30))
		la, lb := peerLink{dev: dev, via: y}, peerLink{dev: dev, via: x}
		if pl.v6 {
			// IPv6 through the connection (ipv6.go, routeTo6): the link
			// also carries transit addresses of fd00:ec5e::/32.
			x6, y6 := transit6(4, i)
			pl.addr(a, dev, netip.PrefixFrom(x6, transit6Bits))
			pl.addr(b, dev, netip.PrefixFrom(y6, transit6Bits))
			la.via6, lb.via6 = y6, x6
		}
		pl.peerLinks[peerKey{c.ID, c.RequesterVpc}] = la
		pl.peerLinks[peerKey{c.ID, c.AccepterVpc}] = lb
	}
}

// serviceLink gives a VPC, once, the namespace that stands in for the AWS
// services its gateway endpoints reach privately (S3, DynamoDB): every
// address answers there on every port. It returns the transit number of
// the link.
func (pl *planner) serviceLink(v *model.VPC) int {
	return pl.answerLink(v, standIn{
		k: 2*len(pl.vpcIndex) + pl.vpcIndex[v.ID], seen: pl.svcNS,
		prefix: "s", name: "services", dev: "svc",
		comment:  "the service answers at every address of its prefix list",
		identity: "aws services (gateway endpoint)",
	})
}

// standIn describes a namespace that stands in for what lies beyond a
// gateway of a VPC (AWS services, an on-premises network).
type standIn struct {
	k                 int                    // transit number of the link
	seen              map[model.VpcID]string // the VPCs that have one already
	prefix, name, dev string                 // namespace prefix and name; the router's device
	comment, identity string                 // the redirect rule's comment; the listeners' identity
}

// answerLink links a VPC's router, once, to the namespace s describes,
// where every address answers on every port, and returns s.k.
func (pl *planner) answerLink(v *model.VPC, s standIn) int {
	if _, ok := s.seen[v.ID]; ok {
		return s.k
	}
	vpcSide, farSide := transit(s.k)
	ns := pl.ns(s.prefix, s.name, string(v.ID))
	s.seen[v.ID] = ns
	pl.sysctl(ns, "net/ipv4/ip_forward", "0")
	vns := pl.vpcNS[v.ID]
	pl.veth(vns, s.dev, ns, "vpc", "")
	pl.addr(vns, s.dev, netip.PrefixFrom(vpcSide, 30))
	pl.addr(ns, "vpc", netip.PrefixFrom(farSide, 30))
	for _, c := range v.CIDRs() {
		pl.route(Route{NS: ns, Dst: c.Masked(), Via: vpcSide, Dev: "vpc"})
	}
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: s.name, Chains: []Chain{{
		Name: "pre", Hook: "prerouting", Type: "nat", Priority: -100,
		Rules: []Rule{
			{Proto: model.TCP, Verdict: Verdict{Kind: "redirect", Port: internetPort}, Comment: s.comment},
			{Proto: model.UDP, Verdict: Verdict{Kind: "redirect", Port: internetPort}},
			{Proto: model.ICMP, Verdict: Verdict{Kind: "redirect"}, Comment: "answers ping"},
		}}}})
	for _, p := range []model.Protocol{model.TCP, model.UDP} {
		pl.p.Listeners = append(pl.p.Listeners, Listener{NS: ns, Proto: p, Port: internetPort, Identity: s.identity, Kind: "internet"})
	}
	return s.k
}

// acls: network ACLs in the VPC router's forward path. Traffic leaving a
// subnet's bridge (routed, not bridged within the subnet) meets the
// subnet's egress entries, traffic entering it the ingress entries, in
// rule-number order; allow returns, deny and the final * drop.
func (pl *planner) acls(v *model.VPC) {
	ns := pl.vpcNS[v.ID]
	t := Table{NS: ns, Name: "nacl"}
	fwd := Chain{Name: "fwd", Hook: "forward", Type: "filter", Priority: 0}
	var chains []Chain
	for _, s := range vpcSubnets(pl.st, v.ID) {
		br, ok := pl.bridge[s.ID]
		if !ok {
			continue
		}
		acl := pl.st.SubnetNetworkACL(s.ID)
		outC := Chain{Name: "out-" + br}
		inC := Chain{Name: "in-" + br}
		if acl != nil {
			entries := slices.Clone(acl.Entries)
			slices.SortStableFunc(entries, func(a, b model.ACLEntry) int { return cmp.Compare(a.RuleNumber, b.RuleNumber) })
			for _, e := range entries {
				if !e.CIDR.IsValid() || (!e.CIDR.Addr().Is4() && !pl.v6) {
					continue
				}
				verdict := Verdict{Kind: "return"}
				if e.Action != model.Allow {
					verdict = Verdict{Kind: "drop"}
				}
				r := Rule{Proto: e.Protocol, Ports: e.Ports, ICMPTypeCode: icmpTypeCode(e.Protocol, e.Ports), Verdict: verdict, Comment: string(acl.ID) + " rule " + strconv.Itoa(e.RuleNumber)}
				if e.Egress {
					r.Dst = []netip.Prefix{e.CIDR.Masked()}
					outC.Rules = append(outC.Rules, r)
				} else {
					r.Src = []netip.Prefix{e.CIDR.Masked()}
					inC.Rules = append(inC.Rules, r)
				}
			}
		}
		outC.Rules = append(outC.Rules, Rule{Verdict: Verdict{Kind: "drop"}, Comment: "*"})
		inC.Rules = append(inC.Rules, Rule{Verdict: Verdict{Kind: "drop"}, Comment: "*"})
		// A target's reply to a client whose address an NLB preserved
		// goes back to the node (the only connections the router marks,
		// lbplan.go's returnVia, after holders): the target subnet's outbound entries
		// apply, the node subnet's inbound entries do not (the NLB
		// carries it back; the NLB guide asks the target subnets, not
		// the load balancer's, to allow the responses to the clients).
		if slices.ContainsFunc(pl.nlbReturns, func(r nlbReturn) bool { return r.node.SubnetID == s.ID }) {
			inC.Rules = append([]Rule{{CtReply: true, CtMarked: true, Verdict: Verdict{Kind: "return"}, Comment: preservedReplyComment}}, inC.Rules...)
		}
		fwd.Rules = append(fwd.Rules,
			Rule{IIf: br, NotOIf: br, Verdict: Verdict{Kind: "jump", Chain: outC.Name}},
			Rule{OIf: br, NotIIf: br, Verdict: Verdict{Kind: "jump", Chain: inC.Name}})
		chains = append(chains, outC, inC)
	}
	fwd.Rules = append(fwd.Rules, pl.tgwACLRules(v)...)
	t.Chains = append([]Chain{fwd}, chains...)
	pl.p.Tables = append(pl.p.Tables, t)
}

// gateway: the internet gateway's namespace between the VPC router and
// the internet, with 1:1 NAT for every private address that has a public
// one, and nothing for the others.
func (pl *planner) gateway(v *model.VPC) {
	g := pl.st.VpcInternetGateway(v.ID)
	if g == nil {
		return
	}
	k := pl.vpcIndex[v.ID]
	vpcSide, igwSide := transit(2 * k)
	igwOut, inetSide := transit(2*k + 1)
	ns := pl.ns("g", "igw", string(g.ID))
	pl.igwNS[v.ID] = ns
	pl.sysctl(ns, "net/ipv4/ip_forward", "1")
	vns := pl.vpcNS[v.ID]
	pl.veth(vns, "igw", ns, "vpc", "")
	pl.addr(vns, "igw", netip.PrefixFrom(vpcSide, 30))
	pl.addr(ns, "vpc", netip.PrefixFrom(igwSide, 30))
	inet := pl.p.Nodes["internet"]
	pl.veth(ns, "inet", inet, "g"+strconv.Itoa(k), "")
	pl.addr(ns, "inet", netip.PrefixFrom(igwOut, 30))
	pl.addr(inet, "g"+strconv.Itoa(k), netip.PrefixFrom(inetSide, 30))
	for _, c := range v.CIDRs() {
		pl.route(Route{NS: ns, Dst: c.Masked(), Via: vpcSide, Dev: "vpc"})
	}
	pl.route(Route{NS: ns, Dst: netip.MustParsePrefix("0.0.0.0/0"), Via: inetSide, Dev: "inet"})
	pre := Chain{Name: "pre", Hook: "prerouting", Type: "nat", Priority: -100}
	post := Chain{Name: "post", Hook: "postrouting", Type: "nat", Priority: 100}
	fwd := Chain{Name: "fwd", Hook: "forward", Type: "filter", Priority: 0, Rules: []Rule{
		{CtEstablished: true, Verdict: Verdict{Kind: "accept"}},
	}}
	fwd.Rules = append(fwd.Rules, pl.bpaRules(v, false)...) // bpa.go
	fwd.Rules = append(fwd.Rules, port25Rule())             // smtp25.go
	fwd.Rules = append(fwd.Rules, Rule{IIf: "inet", CtDNAT: true, Verdict: Verdict{Kind: "accept"}, Comment: "to a public address"})
	pairs := slices.Clone(pl.publicMap[v.ID])
	slices.SortFunc(pairs, func(a, b [2]netip.Addr) int { return a[1].Compare(b[1]) })
	var withPublic []netip.Prefix
	for _, pp := range pairs {
		priv, pub := pp[0], pp[1]
		pre.Rules = append(pre.Rules, Rule{Dst: []netip.Prefix{netip.PrefixFrom(pub, 32)}, Verdict: Verdict{Kind: "dnat", Addr: priv}})
		post.Rules = append(post.Rules, Rule{Src: []netip.Prefix{netip.PrefixFrom(priv, 32)}, Verdict: Verdict{Kind: "snat", Addr: pub}})
		withPublic = append(withPublic, netip.PrefixFrom(priv, 32))
		pl.internetRoutes[pub] = v.ID
	}
	if len(withPublic) > 0 {
		fwd.Rules = append(fwd.Rules, Rule{IIf: "vpc", Src: withPublic, Verdict: Verdict{Kind: "accept"}, Comment: "private addresses with a public one"})
	}
	pl.regionalNATGateway(v, ns, &fwd) // natregional.go
	pl.igwIPv6(v, ns, k, &fwd)         // ipv6.go
	fwd.Rules = append(fwd.Rules, Rule{Verdict: Verdict{Kind: "drop"}, Comment: "no public address: dropped"})
	pl.p.Tables = append(pl.p.Tables, Table{NS: ns, Name: "igw", Chains: []Chain{pre, post, fwd}})
}

// routeInternet routes each public address from the internet to its
// VPC's internet gateway.
func (pl *planner) routeInternet() {
	inet := pl.p.Nodes["internet"]
	pubs := slices.Collect(maps.Keys(pl.internetRoutes))
	slices.SortFunc(pubs, func(a, b netip.Addr) int { return a.Compare(b) })
	for _, a := range pubs {
		k := pl.vpcIndex[pl.internetRoutes[a]]
		igwOut, _ := transit(2*k + 1)
		pl.route(Route{NS: inet, Dst: netip.PrefixFrom(a, 32), Via: igwOut, Dev: "g" + strconv.Itoa(k), Src: internetClient})
	}
	// Only an internet host answers for itself: a packet to an address
	// the system holds (a public IP, an Elastic IP, routed to its gateway
	// above, or to nowhere when the VPC has none) or to a private address
	// (which the internet has no route to) is not taken by the catch-all
	// redirect, so it goes where the routes say, or is dropped.
	held := map[netip.Addr]bool{}
	for _, e := range pl.st.NetworkInterfaces {
		for _, ip := range e.PrivateIPs {
			if ip.PublicIP != nil && ip.PublicIP.PublicIP.IsValid() {
				held[ip.PublicIP.PublicIP] = true
			}
		}
	}
	for _, a := range pl.st.Addresses {
		if a.PublicIP.IsValid() {
			held[a.PublicIP] = true
		}
	}
	for _, g := range pl.st.NatGateways {
		if g.PublicIP.IsValid() {
			held[g.PublicIP] = true
		}
		for _, a := range g.ZoneAddresses {
			if a.PublicIP.IsValid() {
				held[a.PublicIP] = true
			}
		}
	}
	var keep []netip.Prefix
	for a := range held {
		keep = append(keep, netip.PrefixFrom(a, 32))
	}
	slices.SortFunc(keep, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	var rules []Rule
	if len(keep) > 0 {
		rules = append(rules, Rule{Dst: keep, Verdict: Verdict{Kind: "accept"}, Comment: "addresses the system holds"})
	}
	for _, p := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "0.0.0.0/8", "240.0.0.0/4"} {
		rules = append(rules, Rule{Dst: []netip.Prefix{netip.MustParsePrefix(p)}, Verdict: Verdict{Kind: "accept"}, Comment: "not an internet address"})
	}
	for _, p := range pl.routeInternet6() { // ipv6.go
		rules = append(rules, Rule{Dst: []netip.Prefix{p}, Verdict: Verdict{Kind: "accept"}, Comment: "IPv6 the system holds, or not an internet address"})
	}
	for i := range pl.p.Tables {
		t := &pl.p.Tables[i]
		if t.NS == inet && t.Name == "hosts" {
			t.Chains[0].Rules = append(rules, t.Chains[0].Rules...)
		}
	}
}
