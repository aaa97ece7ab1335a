package reach

import (
	"cmp"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Option configures Compile.
type Option func(*options)

type options struct {
	sshd bool
}

// WithSSHD says whether EC2 instances run sshd on port 22 (default true:
// the ECS-optimized AMIs do).
func WithSSHD(on bool) Option { return func(o *options) { o.sshd = on } }

// vpcAddr is a private address within one VPC.
type vpcAddr struct {
	vpc  model.VpcID
	addr netip.Addr
}

// publicRef is the ENI and private address a public address maps to.
type publicRef struct {
	eni     *eniNode
	private netip.Addr
}

// Network is the compiled, immutable form of a State: the graph of VPCs,
// subnets, ENIs, gateways, load balancers, instances and tasks with the
// indexes queries need. Build it with Compile; every query only reads it,
// so a Network is safe for concurrent use. It keeps pointers into the
// State, whose values the engine never modifies in place.
type Network struct {
	st   *model.State
	opt  options
	lazy bool // StartCheck's partial network: nodes compiled on demand, not safe for concurrent use
	// sealed: Compile is done; queries may compile a missing node but
	// never store it, so concurrent queries never write.
	sealed bool

	vpcs      map[model.VpcID]*vpcNode
	subnets   map[model.SubnetID]*subnetNode
	enis      map[model.NetworkInterfaceID]*eniNode
	eniOrder  []*eniNode
	byAddr    map[vpcAddr]*eniNode
	byPublic  map[netip.Addr]publicRef
	freeEIPs  map[netip.Addr]*model.Address
	sgs       map[model.SecurityGroupID]*sgNode
	sgSets    map[string]*sgSet
	rts       map[model.RouteTableID]*routeTable
	acls      map[model.NetworkACLID]*aclTable
	nats      map[model.NatGatewayID]*natNode
	endpoints map[model.VpcEndpointID]*endpointNode

	// natZoneAddrs are the regional NAT gateways' public addresses.
	natZoneAddrs map[netip.Addr]*natNode

	instances     map[model.InstanceID]*instanceNode
	instanceOrder []*instanceNode
	tasks         map[string]*taskNode
	taskOrder     []*taskNode
	services      map[string]*serviceNode
	serviceOrder  []*serviceNode
	lbs           map[string]*lbNode
	lbOrder       []*lbNode
	tgs           map[string]*tgNode
	tgOrder       []*tgNode

	names map[string][]named

	// bpaMode is the account's VPC Block Public Access mode in force
	// (model.BPAOff when off); bpaSubnets and bpaVPCs its exclusions in
	// force, by resource (filled only when the mode is not off).
	bpaMode    string
	bpaSubnets map[model.SubnetID]*model.VpcBlockPublicAccessExclusion
	bpaVPCs    map[model.VpcID]*model.VpcBlockPublicAccessExclusion

	// internet is the internet as a path component; endpointSocket is
	// what an interface endpoint of an AWS service accepts.
	internet       *Component
	endpointSocket *socket
	// efsSocket is what an EFS mount target serves: NFS on TCP 2049 (made
	// when the first mount target's ENI is compiled).
	efsSocket *socket
}

type vpcNode struct {
	vpc  *model.VPC
	comp *Component
	igw  *model.InternetGateway
	igwC *Component
}

type subnetNode struct {
	subnet *model.Subnet
	comp   *Component
	vpc    *vpcNode
	rt     *routeTable
	acl    *aclTable
}

// sameSubnet reports whether two subnet nodes are the same subnet: no
// network ACL applies between them. By the subnet's ID, not the node: a
// query resolved on one compile of a state may be probed on another (the
// data plane's own, TestExamples), whose nodes are other values.
func sameSubnet(a, b *subnetNode) bool {
	if a == b {
		return true
	}
	return a != nil && b != nil && a.subnet != nil && b.subnet != nil && a.subnet.ID == b.subnet.ID
}

type eniKind uint8

const (
	eniDetached eniKind = iota // not attached: nothing answers
	eniHost                    // in an instance's host network namespace
	eniTask                    // an awsvpc task ENI (EC2 or Fargate)
	eniLB                      // a load balancer node
	eniNAT                     // a NAT gateway
	eniEndpoint                // an interface VPC endpoint
	eniEFS                     // an Amazon EFS mount target (NFS on TCP 2049)
)

type eniNode struct {
	eni      *model.NetworkInterface
	comp     *Component
	attached *Component
	subnet   *subnetNode
	vpc      *vpcNode
	sgs      *sgSet
	primary  netip.Addr
	public   netip.Addr // zero when the primary address has none
	v6       netip.Addr // the first IPv6 address; zero when none
	kind     eniKind
	device   int // attachment device index, -1 when none

	instance *instanceNode // the host of a host or EC2 task ENI
	task     *taskNode
	lb       *lbNode
	nat      *natNode
	endpoint *endpointNode
}

// inGroup reports whether the ENI has security group g.
func (e *eniNode) inGroup(g model.SecurityGroupID) bool {
	return slices.Contains(e.eni.SecurityGroups, g)
}

// label returns "eni-… (10.0.1.5, ENI 2)".
func (e *eniNode) label() string {
	var b [96]byte // an IPv6 address and a device index fit
	return string(e.appendLabel(b[:0]))
}

// appendLabel appends the ENI's label to b.
func (e *eniNode) appendLabel(b []byte) []byte {
	b = append(b, e.eni.ID...)
	b = append(b, " ("...)
	b = appendAddr(b, e.primary)
	if e.device >= 0 && e.instance != nil {
		b = append(b, ", ENI "...)
		b = strconv.AppendInt(b, int64(e.device+1), 10)
	}
	return append(b, ')')
}

// appendAddr appends what a.String() returns to b.
func appendAddr(b []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(b, "invalid IP"...)
	}
	return a.AppendTo(b)
}

type natNode struct {
	ng     *model.NatGateway
	comp   *Component
	eni    *eniNode
	subnet *subnetNode
}

type endpointNode struct {
	ep      *model.VpcEndpoint
	comp    *Component
	service string // "ecr.api", "s3", …
}

// gwlb reports whether the endpoint is a Gateway Load Balancer endpoint.
func (x *endpointNode) gwlb() bool { return x.ep.Type == "GatewayLoadBalancer" }

type instanceNode struct {
	inst    *model.Instance
	comp    *Component
	name    string
	primary *eniNode
	enis    []*eniNode // host ENIs, by device index
	sockets []*socket  // host network namespace, sorted
	tasks   []*taskNode
	running bool
	// docker0 is Docker's bridge on the instance, the network the host
	// routes to it: 172.17.0.0/16 unless the user data moves it (bip).
	docker0 netip.Prefix
	// bipIgnored says why a bip the user data gives does not move
	// docker0 ("" when it gives none, or it does).
	bipIgnored string
}

type taskNode struct {
	tk       *model.Task
	comp     *Component
	name     string
	def      *model.TaskDefinition
	eni      *eniNode
	instance *instanceNode
	service  *serviceNode
	running  bool
	// sockets are the task's listening sockets: on its ENI (awsvpc) or
	// on its instance's host addresses (bridge, host).
	sockets []*socket
}

type serviceNode struct {
	svc   *model.Service
	comp  *Component
	tasks []*taskNode // by name order
}

type socket struct {
	proto         model.Protocol
	port          uint16
	kind          string
	bind          netip.Addr // invalid: every address
	task          *taskNode
	container     string
	containerPort uint16
	// last is the last port of a socket that listens on a port range
	// (a containerPortRange: port..last, container ports containerPort
	// on); 0 for one port. findSocket answers a port inside the range
	// with a socket of that one port.
	last uint16
	// serves is what a web server on the instance answers per path (user
	// data that starts one: webServerSocket); nil for tasks' sockets.
	serves map[string]int
	// appPorts are the container's application ports when they do not
	// include containerPort (ContainerDefinition.AppPorts): the mapping
	// exists, but nothing listens behind it.
	appPorts []uint16
	// notReady: ECS stops the task before the application listens
	// (ContainerDefinition.StartSeconds against the service's grace
	// period and target group health checks).
	notReady *notReady
	view     *Socket
}

func (s *socket) loopback() bool { return s.bind.IsValid() && s.bind.IsLoopback() }

// ports is the ports s listens on.
func (s *socket) ports() model.PortRange {
	if s.last > s.port {
		return model.PortRange{First: s.port, Last: s.last}
	}
	return model.Port(s.port)
}

// at returns the socket of one port p inside the range s listens on: its
// container port is as far into the container range as p is into s's.
func (s *socket) at(p uint16) *socket {
	y := *s
	y.port, y.last, y.containerPort = p, 0, s.containerPort+(p-s.port)
	v := *s.view
	v.Port, v.ContainerPort = p, y.containerPort
	y.view = &v
	return &y
}

// portElsewhere reports whether the application listens on other ports
// than the socket's container port.
func (s *socket) portElsewhere() bool { return len(s.appPorts) > 0 }

type lbNode struct {
	lb        *model.LoadBalancer
	comp      *Component
	nodes     []*eniNode // by availability zone
	listeners []*listenerNode
	zones     []string
	// clb is the Classic Load Balancer behind a load balancer of type
	// "classic" (lb is its ELBv2-shaped view: name, DNS name, scheme,
	// nodes, groups, cross-zone).
	clb *model.ClassicLoadBalancer
}

type listenerNode struct {
	l     *model.Listener
	comp  *Component
	lb    *lbNode
	rules []*model.ListenerRule // by priority
	// regex holds each rule's compiled RegexValues, by condition index,
	// compiled once with the network (nil for a rule without any).
	regex map[*model.ListenerRule][][]*regexp.Regexp
	// classic is a Classic Load Balancer's listener (its instance port).
	classic *model.ClassicListener
}

type tgNode struct {
	tg   *model.TargetGroup
	comp *Component
	lbs  []*lbNode
}

// Compile normalizes a State into a Network. It reads st once; later
// changes to st are not seen (the engine replaces resources instead of
// changing them, so st may be the engine's live state read under Read).
func Compile(st *model.State, opts ...Option) *Network {
	n := newNetwork(st, opts)
	n.instances = map[model.InstanceID]*instanceNode{}
	n.tasks = map[string]*taskNode{}
	n.services = map[string]*serviceNode{}
	n.lbs = map[string]*lbNode{}
	n.tgs = map[string]*tgNode{}
	n.names = map[string][]named{}
	// The tables that hold one entry or so per ENI, sized once.
	n.enis = make(map[model.NetworkInterfaceID]*eniNode, len(st.NetworkInterfaces))
	n.byAddr = make(map[vpcAddr]*eniNode, len(st.NetworkInterfaces))
	n.eniOrder = make([]*eniNode, 0, len(st.NetworkInterfaces))
	for _, v := range sortedMap(st.VPCs) {
		n.vpc(v.ID)
	}
	for _, s := range sortedMap(st.Subnets) {
		n.subnet(s.ID)
	}
	n.freeEIPs = map[netip.Addr]*model.Address{}
	for _, a := range st.Addresses {
		if a.NetworkInterfaceID == "" && a.PublicIP.IsValid() {
			n.freeEIPs[a.PublicIP] = a
		}
	}
	// ENIs first (with their subnets, groups and addresses), then the
	// resources that own them.
	for _, e := range sortedMap(st.NetworkInterfaces) {
		x := n.compileENI(e)
		n.eniOrder = append(n.eniOrder, x)
	}
	n.natZoneAddrs = map[netip.Addr]*natNode{}
	for _, ng := range sortedMap(st.NatGateways) {
		x := n.nat(ng.ID)
		if ng.Regional() && ng.State != "deleted" && ng.State != "failed" {
			for _, a := range ng.ZoneAddresses {
				n.natZoneAddrs[a.PublicIP] = x
				delete(n.freeEIPs, a.PublicIP)
			}
		}
	}
	for _, ep := range sortedMap(st.VpcEndpoints) {
		n.endpoint(ep.ID)
	}
	n.compileInstances()
	n.compileTasks()
	n.compileLoadBalancers()
	for _, e := range n.eniOrder {
		n.linkENI(e)
	}
	for _, i := range n.instanceOrder {
		slices.SortFunc(i.sockets, compareSockets)
	}
	n.indexNames()
	n.sealed = true
	return n
}

func newNetwork(st *model.State, opts []Option) *Network {
	n := &Network{
		st:        st,
		opt:       options{sshd: true},
		vpcs:      map[model.VpcID]*vpcNode{},
		subnets:   map[model.SubnetID]*subnetNode{},
		enis:      map[model.NetworkInterfaceID]*eniNode{},
		byAddr:    map[vpcAddr]*eniNode{},
		byPublic:  map[netip.Addr]publicRef{},
		sgs:       map[model.SecurityGroupID]*sgNode{},
		sgSets:    map[string]*sgSet{},
		rts:       map[model.RouteTableID]*routeTable{},
		acls:      map[model.NetworkACLID]*aclTable{},
		nats:      map[model.NatGatewayID]*natNode{},
		endpoints: map[model.VpcEndpointID]*endpointNode{},
		// The tables of instances, tasks, services, load balancers and
		// names stay nil (empty to read) until Compile fills them: the
		// lazy networks of start checks never need them.
		internet: &Component{Type: "internet", ID: "internet", Name: "the internet"},
		endpointSocket: &socket{proto: model.TCP, port: 443, kind: "endpoint",
			view: &Socket{Kind: "endpoint", Protocol: "tcp", Port: 443}},
	}
	n.bpaMode = st.BPAMode()
	if n.bpaMode != model.BPAOff {
		n.bpaSubnets = map[model.SubnetID]*model.VpcBlockPublicAccessExclusion{}
		n.bpaVPCs = map[model.VpcID]*model.VpcBlockPublicAccessExclusion{}
		for _, x := range st.BPAExclusions {
			switch {
			case x.InForce() == "":
			case x.SubnetID != "":
				n.bpaSubnets[x.SubnetID] = model.PreferBPAExclusion(n.bpaSubnets[x.SubnetID], x)
			case x.VpcID != "":
				n.bpaVPCs[x.VpcID] = model.PreferBPAExclusion(n.bpaVPCs[x.VpcID], x)
			}
		}
	}
	for _, o := range opts {
		o(&n.opt)
	}
	return n
}

// State returns the state the network was compiled from.
func (n *Network) State() *model.State { return n.st }

func (n *Network) arn(service, resource string) string {
	return model.ARN(n.st.Region, service, n.st.Account, resource)
}

func (n *Network) vpc(id model.VpcID) *vpcNode {
	if v, ok := n.vpcs[id]; ok {
		return v
	}
	v := n.st.VPCs[id]
	if v == nil {
		return nil
	}
	x := &vpcNode{vpc: v, comp: &Component{Type: "vpc", ID: string(id), ARN: n.arn("ec2", "vpc/"+string(id)), Name: v.Tags.Name()}}
	if g := n.st.VpcInternetGateway(id); g != nil {
		x.igw = g
		x.igwC = &Component{Type: "internet-gateway", ID: string(g.ID), ARN: n.arn("ec2", "internet-gateway/"+string(g.ID)), Name: g.Tags.Name()}
	}
	if !n.sealed {
		n.vpcs[id] = x
	}
	return x
}

func (n *Network) subnet(id model.SubnetID) *subnetNode {
	if s, ok := n.subnets[id]; ok {
		return s
	}
	s := n.st.Subnets[id]
	if s == nil {
		return nil
	}
	x := &subnetNode{subnet: s, vpc: n.vpc(s.VpcID),
		comp: &Component{Type: "subnet", ID: string(id), ARN: n.arn("ec2", "subnet/"+string(id)), Name: s.Tags.Name()}}
	if rt := n.st.SubnetRouteTable(id); rt != nil {
		x.rt = n.routeTable(rt)
	}
	if acl := n.st.SubnetNetworkACL(id); acl != nil {
		x.acl = n.aclTable(acl)
	}
	if !n.sealed {
		n.subnets[id] = x
	}
	return x
}

func (n *Network) sg(id model.SecurityGroupID) *sgNode {
	if g, ok := n.sgs[id]; ok {
		return g
	}
	g := n.st.SecurityGroups[id]
	if g == nil {
		return nil
	}
	name := g.Tags.Name()
	if name == "" {
		name = g.Name
	}
	x := &sgNode{sg: g, comp: &Component{Type: "security-group", ID: string(id), ARN: n.arn("ec2", "security-group/"+string(id)), Name: name}}
	x.ingress = n.compileSGRules(x, g.Ingress, false)
	x.egress = n.compileSGRules(x, g.Egress, true)
	if !n.sealed {
		n.sgs[id] = x
	}
	return x
}

// groups returns the interned security group set of an ENI.
func (n *Network) groups(ids []model.SecurityGroupID) *sgSet {
	var key string
	switch len(ids) {
	case 0:
	case 1:
		key = string(ids[0]) // no allocation for the usual single group
	default:
		var b strings.Builder
		for i, id := range ids {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(string(id))
		}
		key = b.String()
	}
	if s, ok := n.sgSets[key]; ok {
		return s
	}
	s := &sgSet{groups: make([]*sgNode, 0, len(ids)), comps: make([]*Component, 0, len(ids))}
	for _, id := range ids {
		g := n.sg(id)
		if g == nil {
			continue
		}
		if len(s.groups) == 0 {
			// The first group's rules are shared, clipped: a second
			// group's append copies them.
			s.ingress, s.egress = slices.Clip(g.ingress), slices.Clip(g.egress)
		} else {
			s.ingress = append(s.ingress, g.ingress...)
			s.egress = append(s.egress, g.egress...)
		}
		s.groups = append(s.groups, g)
		s.comps = append(s.comps, g.comp)
	}
	if !n.sealed {
		n.sgSets[key] = s
	}
	return s
}

func (n *Network) nat(id model.NatGatewayID) *natNode {
	if x, ok := n.nats[id]; ok {
		return x
	}
	ng := n.st.NatGateways[id]
	if ng == nil {
		return nil
	}
	x := &natNode{ng: ng, comp: &Component{Type: "nat-gateway", ID: string(id), ARN: n.arn("ec2", "natgateway/"+string(id)), Name: ng.Tags.Name()},
		subnet: n.subnet(ng.SubnetID)}
	if n.sealed {
		x.eni = n.eni(ng.NetworkInterface)
		return x
	}
	n.nats[id] = x
	if e := n.eni(ng.NetworkInterface); e != nil {
		x.eni = e
		e.kind, e.nat, e.attached = eniNAT, x, x.comp
	}
	return x
}

func (n *Network) endpoint(id model.VpcEndpointID) *endpointNode {
	if x, ok := n.endpoints[id]; ok {
		return x
	}
	ep := n.st.VpcEndpoints[id]
	if ep == nil {
		return nil
	}
	svc := ep.ServiceName
	if i := strings.Index(svc, "."+n.st.Region+"."); i >= 0 {
		svc = svc[i+len(n.st.Region)+2:]
	}
	x := &endpointNode{ep: ep, service: svc,
		comp: &Component{Type: "vpc-endpoint", ID: string(id), ARN: n.arn("ec2", "vpc-endpoint/"+string(id)), Name: ep.Tags.Name()}}
	if x.comp.Name == "" {
		x.comp.Name = svc + " endpoint"
	}
	if n.sealed {
		return x
	}
	n.endpoints[id] = x
	for _, eid := range ep.NetworkInterfaces {
		if e := n.eni(eid); e != nil {
			e.kind, e.endpoint, e.attached = eniEndpoint, x, x.comp
		}
	}
	return x
}

// eni returns the compiled ENI (compiling it in a lazy network).
func (n *Network) eni(id model.NetworkInterfaceID) *eniNode {
	if e, ok := n.enis[id]; ok {
		return e
	}
	if !n.lazy {
		return nil
	}
	e := n.st.NetworkInterfaces[id]
	if e == nil {
		return nil
	}
	return n.compileENI(e)
}

func (n *Network) compileENI(e *model.NetworkInterface) *eniNode {
	x := &eniNode{eni: e, subnet: n.subnet(e.SubnetID), vpc: n.vpc(e.VpcID), sgs: n.groups(e.SecurityGroups),
		primary: e.PrimaryIP(), device: -1,
		comp: &Component{Type: "network-interface", ID: string(e.ID), ARN: n.arn("ec2", "network-interface/"+string(e.ID)), Name: e.Tags.Name()}}
	if e.Attachment != nil {
		x.device = e.Attachment.DeviceIndex
	}
	if p, ok := e.PublicIP(); ok {
		x.public = p
	}
	if a, ok := e.PrimaryIPv6(); ok {
		x.v6 = a
	}
	switch e.OwnerKind {
	case model.OwnedByECSTask:
		x.kind = eniTask
	case model.OwnedByLoadBalancer, model.OwnedByClassicLoadBalancer:
		x.kind = eniLB
	case model.OwnedByNatGateway:
		x.kind = eniNAT
	case model.OwnedByVpcEndpoint:
		x.kind = eniEndpoint
	case model.OwnedByEFSMountTarget:
		x.kind = eniEFS
		if n.efsSocket == nil {
			n.efsSocket = &socket{proto: model.TCP, port: NFSPort, kind: "efs", view: &Socket{Kind: "efs", Protocol: "tcp", Port: NFSPort}}
		}
		if x.comp.Name == "" {
			x.comp.Name = "EFS mount target " + e.ManagedBy
		}
	default:
		if e.Attachment != nil && e.Attachment.InstanceID != "" {
			x.kind = eniHost
		}
	}
	n.enis[e.ID] = x
	for _, p := range e.PrivateIPs {
		n.byAddr[vpcAddr{e.VpcID, p.Addr}] = x
		if p.PublicIP != nil {
			n.byPublic[p.PublicIP.PublicIP] = publicRef{x, p.Addr}
		}
	}
	// An IPv6 address is global: the VPC reaches it by its local route,
	// the internet through the internet gateway, untranslated.
	for _, a := range e.IPv6 {
		n.byAddr[vpcAddr{e.VpcID, a}] = x
		n.byPublic[a] = publicRef{x, a}
	}
	return x
}

// eigwComp returns an egress-only internet gateway as a path component.
func (n *Network) eigwComp(id string) *Component {
	c := &Component{Type: "egress-only-internet-gateway", ID: id, ARN: n.arn("ec2", "egress-only-internet-gateway/"+id)}
	if g := n.st.EgressOnlyIGWs[model.EgressOnlyIGWID(id)]; g != nil {
		c.Name = g.Tags.Name()
	}
	return c
}

// linkENI ties an ENI to the resource that owns it, once every resource
// is compiled.
func (n *Network) linkENI(x *eniNode) {
	e := x.eni
	switch e.OwnerKind {
	case model.OwnedByECSTask:
		x.kind = eniTask
		if t := n.tasks[e.ManagedBy]; t != nil {
			x.task, x.attached = t, t.comp
			t.eni = x
			x.instance = t.instance
		}
		if x.instance == nil && e.Attachment != nil && e.Attachment.InstanceID != "" {
			x.instance = n.instances[e.Attachment.InstanceID]
		}
		if x.instance == nil && e.TrunkID != "" {
			if tr := n.enis[e.TrunkID]; tr != nil && tr.eni.Attachment != nil {
				x.instance = n.instances[tr.eni.Attachment.InstanceID]
			}
		}
		if x.name() == "" && x.task != nil {
			x.comp.Name = x.task.name
		}
	case model.OwnedByLoadBalancer, model.OwnedByClassicLoadBalancer:
		x.kind = eniLB
		key := e.ManagedBy
		if e.OwnerKind == model.OwnedByClassicLoadBalancer {
			key = n.classicARN(e.ManagedBy)
		}
		if lb := n.lbs[key]; lb != nil {
			x.lb, x.attached = lb, lb.comp
			if x.comp.Name == "" {
				x.comp.Name = lb.comp.Name + " node " + e.AvailabilityZone
			}
		}
	case model.OwnedByNatGateway, model.OwnedByVpcEndpoint:
		// linked by nat() and endpoint()
	default:
		if e.Attachment == nil || e.Attachment.InstanceID == "" {
			break
		}
		i := n.instances[e.Attachment.InstanceID]
		if i == nil {
			break
		}
		x.kind, x.instance, x.attached = eniHost, i, i.comp
		if x.comp.Name == "" {
			x.comp.Name = i.name + " ENI " + strconv.Itoa(x.device+1)
		}
	}
}

func (x *eniNode) name() string { return x.comp.Name }

// owned returns "the task web/0's ENI eni-… (10.0.1.5, ENI 2)".
func (x *eniNode) owned() string {
	switch {
	case x.task != nil:
		return "the task " + x.task.name + "'s ENI " + x.label()
	case x.instance != nil && x.kind == eniHost:
		return "the instance " + x.instance.name + "'s ENI " + x.label()
	case x.attached != nil:
		return x.attached.Label() + "'s ENI " + x.label()
	}
	return x.label()
}

// compileInstances builds the instance nodes, named as State.InstanceName
// names them ("<asg>/<n>" by launch order).
func (n *Network) compileInstances() {
	all := sortedMap(n.st.Instances)
	// groupOf is an instance's Auto Scaling group, else the ECS Managed
	// Instances capacity provider that launched it.
	groupOf := func(i *model.Instance) string {
		if i.AutoScalingGroup != "" {
			return i.AutoScalingGroup
		}
		return i.ManagedBy
	}
	byGroup := map[string][]*model.Instance{}
	for _, i := range all {
		if g := groupOf(i); g != "" {
			byGroup[g] = append(byGroup[g], i)
		}
	}
	index := map[model.InstanceID]int{}
	for _, g := range byGroup {
		slices.SortFunc(g, func(a, b *model.Instance) int {
			if c := a.LaunchTime.Compare(b.LaunchTime); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
		for k, i := range g {
			index[i.ID] = k
		}
	}
	for _, i := range all {
		name := i.Tags.Name()
		if name == "" {
			name = string(i.ID)
			if g := groupOf(i); g != "" {
				name = g + "/" + strconv.Itoa(index[i.ID])
			}
		}
		x := &instanceNode{inst: i, name: name, running: i.State == model.InstanceRunning, docker0: i.DockerBridge().Masked(),
			comp: &Component{Type: "instance", ID: string(i.ID), ARN: n.arn("ec2", "instance/"+string(i.ID)), Name: name}}
		if _, why := model.UserDataDockerBIP(i.UserData); why != "" {
			x.bipIgnored = why
		}
		n.instances[i.ID] = x
		n.instanceOrder = append(n.instanceOrder, x)
		if g := groupOf(i); g != "" && i.Tags.Name() != "" {
			n.addName(g+"/"+strconv.Itoa(index[i.ID]), named{instance: x})
		}
	}
	for _, e := range n.eniOrder {
		a := e.eni.Attachment
		if a == nil || e.eni.OwnerKind == model.OwnedByECSTask {
			continue
		}
		if i := n.instances[a.InstanceID]; i != nil {
			i.enis = append(i.enis, e)
			e.instance = i
			if a.DeviceIndex == 0 || e.eni.ID == i.inst.PrimaryENI {
				i.primary = e
			}
		}
	}
	agents := map[model.InstanceID]bool{}
	for _, ci := range n.st.ContainerInstances {
		if ci.AgentConnected {
			agents[ci.EC2InstanceID] = true
		}
	}
	dns := dhcpDNSServers(n.st)
	for _, i := range n.instanceOrder {
		slices.SortFunc(i.enis, func(a, b *eniNode) int { return cmp.Compare(a.device, b.device) })
		if i.primary == nil && len(i.enis) > 0 {
			i.primary = i.enis[0]
		}
		if n.opt.sshd {
			i.sockets = append(i.sockets, &socket{proto: model.TCP, port: 22, kind: "sshd",
				view: &Socket{Kind: "sshd", Protocol: "tcp", Port: 22}})
		}
		if agents[i.inst.ID] {
			// The ECS agent's introspection API listens on every
			// address of a container instance (the agent runs in the
			// host's network namespace) and answers 200 on every path.
			i.sockets = append(i.sockets, &socket{proto: model.TCP, port: ECSAgentPort, kind: "ecs-agent",
				view: &Socket{Kind: "ecs-agent", Protocol: "tcp", Port: ECSAgentPort}})
		}
		if dns != nil {
			i.sockets = append(i.sockets, dnsServerSockets(i, dns)...)
		}
		if s := webServerSocket(i.inst.UserData); s != nil {
			i.sockets = append(i.sockets, s)
		} else if s := webServerSocket(i.inst.ProvisionerCommands); s != nil {
			// Terraform's remote-exec provisioner ran the commands
			// (each line by the shell): the same server, started later.
			i.sockets = append(i.sockets, s)
		}
	}
}

// ECSAgentPort is the port of the ECS agent's introspection API
// (agent/config AgentIntrospectionPort), reserved on every container
// instance.
const ECSAgentPort = 51678

// webServerStart matches user data that installs and starts a web server
// from the distribution's packages: `yum|dnf|apt-get|apt install … httpd`
// (or apache2, nginx), then `systemctl start|enable --now …` (or `systemctl
// enable … --now`: systemctl takes its options after the unit too) or
// `service … start`. On Debian and Ubuntu `apt-get install nginx` (or
// apache2) is enough: the package's maintainer scripts start its service.
var (
	webServerInstall = regexp.MustCompile(`(?m)\b(yum|dnf|apt-get|apt)\s+(?:-y\s+)?install\b[^\n]*\b(httpd|apache2|nginx)\b`)
	webServerStart   = regexp.MustCompile(`(?m)\b(?:systemctl\s+(?:start|restart|enable\s+--now)\s+(httpd|apache2|nginx)\b|service\s+(httpd|apache2|nginx)\s+(?:start|restart)\b|systemctl\s+enable\s+(httpd|apache2|nginx)(?:\.service)?\s+--now\b)`)
)

// webIndexWrite matches user data that writes an index page into a web
// server's document root (/var/www/html for httpd and apache2,
// /usr/share/nginx/html for nginx): `echo … > /var/www/html/index.html`,
// `… | tee /var/www/html/index.html`, `cat > … <<EOF`.
var webIndexWrite = regexp.MustCompile(`(?m)(?:>>?|\btee\s+(?:-a\s+)?)\s*["']?(?:/var/www/html|/usr/share/nginx/html)/index\.html?\b`)

// webServerSocket returns the listening socket of a web server the user
// data installs and starts, with what its default configuration answers:
// Apache httpd (Amazon Linux, RHEL) 403 on / (its welcome page, served as
// an error when there is no index) unless the user data writes
// /var/www/html/index.html (then 200, httpd's DirectoryIndex), Debian's
// apache2 and nginx 200 on /, 404 elsewhere. Nil when the user data
// starts none, or is a script that never runs (model.UserDataScriptNotRun).
func webServerSocket(userData string) *socket {
	userData = model.CloudInitText(userData)
	// Both expressions need a server's name: most user data (an ECS
	// agent's configuration) names none and skips them.
	if !strings.Contains(userData, "httpd") && !strings.Contains(userData, "apache2") && !strings.Contains(userData, "nginx") {
		return nil
	}
	if model.UserDataScriptNotRun(userData) != "" {
		return nil
	}
	inst := webServerInstall.FindAllStringSubmatch(userData, -1)
	start := webServerStart.FindAllStringSubmatch(userData, -1)
	for _, in := range inst {
		server := in[2]
		// Debian's and Ubuntu's packages start their service when
		// installed (the maintainer scripts' deb-systemd-invoke start):
		// apt-get install nginx or apache2 is enough; yum and dnf
		// install without starting.
		started := (in[1] == "apt-get" || in[1] == "apt") && server != "httpd"
		for _, st := range start {
			started = started || st[1] == server || st[2] == server || st[3] == server
		}
		if !started {
			continue
		}
		serves := map[string]int{"/": 200}
		if webIndexWrite.MatchString(userData) {
			serves["/index.html"] = 200
		} else if server == "httpd" {
			serves["/"] = 403
		}
		return &socket{proto: model.TCP, port: 80, kind: server, serves: serves,
			view: &Socket{Kind: server, Protocol: "tcp", Port: 80}}
	}
	return nil
}

// compileTasks builds task and service nodes, names tasks as
// State.TaskName does ("<service>/<n>" by creation order) and derives the
// sockets each task listens on.
func (n *Network) compileTasks() {
	all := sortedMap(n.st.Tasks)
	type key struct{ cluster, service string }
	byService := map[key][]*model.Task{}
	for _, t := range all {
		if t.ServiceName != "" {
			k := key{t.ClusterARN, t.ServiceName}
			byService[k] = append(byService[k], t)
		}
	}
	index := map[string]int{}
	for _, g := range byService {
		slices.SortFunc(g, func(a, b *model.Task) int {
			if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
				return c
			}
			return cmp.Compare(a.ARN, b.ARN)
		})
		for k, t := range g {
			index[t.ARN] = k
		}
	}
	for _, s := range sortedMap(n.st.Services) {
		x := &serviceNode{svc: s, comp: &Component{Type: "service", ID: s.Name, ARN: s.ARN, Name: s.Name}}
		n.services[s.ARN] = x
		n.serviceOrder = append(n.serviceOrder, x)
	}
	for _, t := range all {
		id := t.ARN[strings.LastIndexByte(t.ARN, '/')+1:]
		name := t.Tags.Name()
		if name == "" {
			name = id
			if t.ServiceName != "" {
				name = t.ServiceName + "/" + strconv.Itoa(index[t.ARN])
			}
		}
		x := &taskNode{tk: t, name: name, def: n.st.TaskDefinitions[t.TaskDefinitionARN], running: t.LastStatus == model.TaskRunning,
			comp: &Component{Type: "task", ID: id, ARN: t.ARN, Name: name}}
		if ci := n.st.ContainerInstances[t.ContainerInstanceARN]; ci != nil {
			x.instance = n.instances[ci.EC2InstanceID]
		}
		if t.ServiceName != "" {
			if s := n.services[serviceARN(t)]; s != nil {
				x.service = s
				s.tasks = append(s.tasks, x)
			}
		}
		n.tasks[t.ARN] = x
		n.taskOrder = append(n.taskOrder, x)
		n.taskSockets(x)
		if x.instance != nil && t.Active() {
			x.instance.tasks = append(x.instance.tasks, x)
		}
	}
	for _, s := range n.serviceOrder {
		slices.SortFunc(s.tasks, func(a, b *taskNode) int { return cmp.Compare(index[a.tk.ARN], index[b.tk.ARN]) })
	}
}

// serviceARN returns the ARN of the service that started t.
func serviceARN(t *model.Task) string {
	// arn:aws:ecs:region:acct:cluster/name → …:service/name/svc
	c := t.ClusterARN
	i := strings.Index(c, ":cluster/")
	if i < 0 {
		return ""
	}
	return c[:i] + ":service/" + c[i+len(":cluster/"):] + "/" + t.ServiceName
}

// taskSockets derives what a task listens on (reference §3, §7): awsvpc
// containers on their port mappings' container ports, on the task ENI;
// bridge containers on their host port bindings, on every instance
// address (bindIP 0.0.0.0); host containers on their container ports, on
// the instance's addresses. Only RUNNING tasks listen.
func (n *Network) taskSockets(x *taskNode) {
	if x.def == nil {
		return
	}
	listen := func(container string) netip.Addr {
		if c, ok := x.def.Container(container); ok {
			return c.ListenAddress
		}
		return netip.Addr{}
	}
	add := func(kind string, proto model.Protocol, ports model.PortRange, container string, cport uint16) {
		port := ports.First
		s := &socket{proto: proto, port: port, kind: kind, bind: listen(container), task: x, container: container, containerPort: cport}
		if ports.Last > port {
			s.last = ports.Last
		}
		if c, ok := x.def.Container(container); ok && len(c.AppPorts) > 0 && !slices.Contains(c.AppPorts, cport) {
			s.appPorts = c.AppPorts
		}
		s.notReady = n.startupStop(x, container)
		if s.bind.IsValid() && s.bind.IsUnspecified() {
			s.bind = netip.Addr{}
		}
		s.view = &Socket{Kind: kind, Protocol: proto.String(), Port: port, Address: s.bind, Task: x.name, Container: container, ContainerPort: cport}
		x.sockets = append(x.sockets, s)
	}
	switch x.tk.NetworkMode {
	case model.NetworkModeAwsvpc:
		// a containerPortRange listens on each of its ports, at the same
		// port on the ENI (hostPortRange = containerPortRange)
		for _, c := range x.def.Containers {
			for _, pm := range c.PortMappings {
				add("container", protoOrTCP(pm.Protocol), pm.ContainerPorts(), c.Name, pm.ContainerPorts().First)
			}
			for _, p := range c.UnmappedAppPorts() {
				add("container", model.TCP, model.Port(p), c.Name, p)
			}
		}
		n.serviceConnectProxySockets(x, add)
	case model.NetworkModeBridge:
		// a range binding: the block of host ports, port i to container
		// port i of the range
		for _, c := range x.tk.Containers {
			for _, b := range c.NetworkBindings {
				cport := b.ContainerPort
				if b.IsRange() {
					cport = b.ContainerPortRange.First
				}
				add("bridge", protoOrTCP(b.Protocol), b.HostPorts(), c.Name, cport)
			}
		}
	case model.NetworkModeHost:
		for _, c := range x.def.Containers {
			for _, pm := range c.PortMappings {
				add("host", protoOrTCP(pm.Protocol), model.Port(pm.ContainerPort), c.Name, pm.ContainerPort)
			}
			for _, p := range c.UnmappedAppPorts() {
				add("host", model.TCP, model.Port(p), c.Name, p)
			}
		}
	}
	slices.SortFunc(x.sockets, compareSockets)
	if x.running && x.instance != nil && (x.tk.NetworkMode == model.NetworkModeBridge || x.tk.NetworkMode == model.NetworkModeHost) {
		x.instance.sockets = append(x.instance.sockets, x.sockets...)
	}
}

func protoOrTCP(p model.Protocol) model.Protocol {
	if p == model.UDP {
		return model.UDP
	}
	return model.TCP
}

func compareSockets(a, b *socket) int {
	if c := cmp.Compare(a.proto, b.proto); c != 0 {
		return c
	}
	return cmp.Compare(a.port, b.port)
}

// findSocket returns the socket on (proto, port) in a sorted list: one
// on that port, or one on a port range holding it (as a socket of that
// one port, socket.at).
func findSocket(list []*socket, proto model.Protocol, port uint16) *socket {
	type key struct { // not a socket: the comparison gets its target by value
		proto model.Protocol
		port  uint16
	}
	i, ok := slices.BinarySearchFunc(list, key{proto, port}, func(a *socket, b key) int {
		if c := cmp.Compare(a.proto, b.proto); c != 0 {
			return c
		}
		return cmp.Compare(a.port, b.port)
	})
	if ok {
		return list[i]
	}
	// A range that starts below port may hold it: look back over the
	// sockets of proto that start before it (the lists are short).
	for j := i - 1; j >= 0 && list[j].proto == proto; j-- {
		if s := list[j]; s.last >= port {
			return s.at(port)
		}
	}
	return nil
}

func (n *Network) compileLoadBalancers() {
	for _, lb := range sortedMap(n.st.LoadBalancers) {
		x := &lbNode{lb: lb, comp: &Component{Type: "load-balancer", ID: lb.Name, ARN: lb.ARN, Name: lb.Name}}
		nodes := slices.Clone(lb.Nodes)
		slices.SortFunc(nodes, func(a, b model.LoadBalancerNode) int { return cmp.Compare(a.AvailabilityZone, b.AvailabilityZone) })
		for _, node := range nodes {
			if e := n.enis[node.ENI]; e != nil {
				x.nodes = append(x.nodes, e)
				x.zones = append(x.zones, node.AvailabilityZone)
			}
		}
		n.lbs[lb.ARN] = x
		n.lbOrder = append(n.lbOrder, x)
	}
	if len(n.st.ClassicLoadBalancers) > 0 {
		for _, c := range sortedMap(n.st.ClassicLoadBalancers) {
			n.compileClassic(c)
		}
	}
	for _, l := range sortedMap(n.st.Listeners) {
		lb := n.lbs[l.LoadBalancerARN]
		if lb == nil {
			continue
		}
		x := &listenerNode{l: l, lb: lb, comp: &Component{Type: "listener", ID: l.Protocol + ":" + strconv.Itoa(int(l.Port)), ARN: l.ARN,
			Name: lb.lb.Name + " " + l.Protocol + ":" + strconv.Itoa(int(l.Port))}}
		lb.listeners = append(lb.listeners, x)
	}
	for _, r := range sortedMap(n.st.ListenerRules) {
		for _, lb := range n.lbOrder {
			for _, l := range lb.listeners {
				if l.l.ARN == r.ListenerARN {
					l.rules = append(l.rules, r)
					l.compileRegex(r)
				}
			}
		}
	}
	for _, lb := range n.lbOrder {
		slices.SortFunc(lb.listeners, func(a, b *listenerNode) int {
			if c := cmp.Compare(a.l.Port, b.l.Port); c != 0 {
				return c
			}
			return cmp.Compare(a.l.Protocol, b.l.Protocol)
		})
		for _, l := range lb.listeners {
			slices.SortFunc(l.rules, func(a, b *model.ListenerRule) int { return cmp.Compare(a.Priority, b.Priority) })
		}
	}
	for _, tg := range sortedMap(n.st.TargetGroups) {
		x := &tgNode{tg: tg, comp: &Component{Type: "target-group", ID: tg.Name, ARN: tg.ARN, Name: tg.Name}}
		n.tgs[tg.ARN] = x
		n.tgOrder = append(n.tgOrder, x)
	}
	for _, lb := range n.lbOrder {
		for _, l := range lb.listeners {
			add := func(actions []model.ListenerAction) {
				for _, a := range actions {
					for _, arn := range a.ForwardTargetGroups() {
						if tg := n.tgs[arn]; tg != nil && !slices.Contains(tg.lbs, lb) {
							tg.lbs = append(tg.lbs, lb)
						}
					}
				}
			}
			add(l.l.DefaultActions)
			for _, r := range l.rules {
				add(r.Actions)
			}
		}
	}
}

// sortedMap returns a map's values ordered by key.
func sortedMap[K cmp.Ordered, V any](m map[K]*V) []*V {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*V, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// eniAt returns the ENI holding a private address in a VPC.
func (n *Network) eniAt(vpc model.VpcID, a netip.Addr) *eniNode {
	return n.byAddr[vpcAddr{vpc, a}]
}

// compileRegex compiles a rule's regex conditions for the listener, once.
func (l *listenerNode) compileRegex(r *model.ListenerRule) {
	var res [][]*regexp.Regexp
	for i, c := range r.Conditions {
		if len(c.RegexValues) == 0 {
			continue
		}
		if res == nil {
			res = make([][]*regexp.Regexp, len(r.Conditions))
		}
		res[i] = model.CompileRegexValues(c.RegexValues)
	}
	if res == nil {
		return
	}
	if l.regex == nil {
		l.regex = map[*model.ListenerRule][][]*regexp.Regexp{}
	}
	l.regex[r] = res
}
