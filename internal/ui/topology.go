package ui

import (
	"cmp"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// The topology's JSON shape: the system nested the way the page draws it,
// VPC → Availability Zones → subnets → instances → ENIs → tasks →
// containers, with load balancers, gateways and endpoints beside. Every
// resource carries its AWS id, which probe hops refer to.
type (
	topology struct {
		Title   string  `json:"title"`
		Version uint64  `json:"version"`
		WhatIf  *whatif `json:"whatIf,omitempty"`
		Region  string  `json:"region"`
		Account string  `json:"account"`
		Counts  counts  `json:"counts"`
		// Collapsed is set when the system is large: subnets come with
		// counts only, unless the request expands them.
		Collapsed bool          `json:"collapsed"`
		VPCs      []vpcView     `json:"vpcs"`
		Services  []serviceView `json:"services"`
		Stacks    []stackView   `json:"stacks"`
		Pick      []pickItem    `json:"endpoints"`
		Examples  []Probe       `json:"examples"`
		Findings  []finding     `json:"findings"`
		// Generation numbers the engine shown (a reloaded SOURCE is a new
		// engine whose versions start again).
		Generation uint64 `json:"generation"`
		// suggested are examples built from the state, shown when the
		// handler has none (ecsnet serve).
		suggested []Probe
	}
	counts struct {
		Subnets   int `json:"subnets"`
		Instances int `json:"instances"`
		ENIs      int `json:"enis"`
		Tasks     int `json:"tasks"`
	}
	ref struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
	}
	vpcView struct {
		ID               string         `json:"id"`
		Name             string         `json:"name,omitempty"`
		CIDR             string         `json:"cidr"`
		Default          bool           `json:"default,omitempty"` // the region's default VPC
		IGW              *ref           `json:"internetGateway,omitempty"`
		Zones            []zoneView     `json:"zones"`
		LoadBalancers    []lbView       `json:"loadBalancers"`
		GatewayEndpoints []endpointView `json:"gatewayEndpoints"`
	}
	zoneView struct {
		Name    string       `json:"name"`
		Subnets []subnetView `json:"subnets"`
	}
	subnetView struct {
		ID         string `json:"id"`
		Name       string `json:"name,omitempty"`
		CIDR       string `json:"cidr"`
		AZ         string `json:"availabilityZone"`
		Public     bool   `json:"public"`
		RouteTable *ref   `json:"routeTable,omitempty"`
		NetworkACL *ref   `json:"networkAcl,omitempty"`
		// BlockPublicAccess is the VPC Block Public Access mode in force
		// in the subnet (block-bidirectional or block-ingress); empty when
		// nothing is blocked there.
		BlockPublicAccess string         `json:"blockPublicAccess,omitempty"`
		Routes            []routeView    `json:"routes"`
		Collapsed         bool           `json:"collapsed,omitempty"`
		Counts            counts         `json:"counts"`
		Instances         []instanceView `json:"instances"`
		// Interfaces are the ENIs not on an instance: Fargate tasks, load
		// balancer nodes, NAT gateways, interface endpoints, spare ENIs.
		Interfaces []eniView `json:"interfaces"`
	}
	routeView struct {
		Destination string `json:"destination"`
		Target      string `json:"target"`
		TargetType  string `json:"targetType"`
		State       string `json:"state"`
	}
	instanceView struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Type    string `json:"type"`
		State   string `json:"state"`
		Cluster string `json:"cluster,omitempty"`
		// Agent is the container instance's status (ACTIVE, DRAINING, …).
		Agent string    `json:"agent,omitempty"`
		ENIs  []eniView `json:"enis"`
		// Tasks are the tasks in the instance's own network namespace
		// (bridge, host, none): they listen on the instance's addresses.
		Tasks []taskView `json:"tasks"`
		// Trunking is set when awsvpc tasks use branch ENIs on a trunk.
		Trunking bool `json:"trunking,omitempty"`
	}
	eniView struct {
		ID string `json:"id"`
		// Label is "ENI 1", "ENI 2", … on an instance (device index + 1),
		// as the article names them.
		Label          string   `json:"label,omitempty"`
		DeviceIndex    *int     `json:"deviceIndex,omitempty"`
		Type           string   `json:"type"`
		PrivateIP      string   `json:"privateIp"`
		Secondary      []string `json:"secondaryIps,omitempty"`
		PublicIP       string   `json:"publicIp,omitempty"`
		ElasticIP      bool     `json:"elasticIp,omitempty"`
		SecurityGroups []ref    `json:"securityGroups"`
		Owner          *owner   `json:"owner,omitempty"`
		// Tasks are the awsvpc tasks whose ENI this is.
		Tasks []taskView `json:"tasks,omitempty"`
		Trunk string     `json:"trunk,omitempty"`
		Vlan  int        `json:"vlan,omitempty"`
	}
	owner struct {
		// Kind: instance, task, trunk, load-balancer, nat-gateway,
		// vpc-endpoint, or user.
		Kind   string `json:"kind"`
		ID     string `json:"id,omitempty"`
		Name   string `json:"name,omitempty"`
		Detail string `json:"detail,omitempty"`
	}
	taskView struct {
		ARN            string          `json:"arn"`
		ID             string          `json:"id"`
		Name           string          `json:"name"`
		Service        string          `json:"service,omitempty"`
		TaskDefinition string          `json:"taskDefinition,omitempty"`
		Status         string          `json:"status"`
		LaunchType     string          `json:"launchType"`
		NetworkMode    string          `json:"networkMode"`
		PrivateIP      string          `json:"privateIp,omitempty"`
		Containers     []containerView `json:"containers"`
	}
	containerView struct {
		Name   string     `json:"name"`
		Listen string     `json:"listen"`
		Ports  []portView `json:"ports"`
	}
	portView struct {
		Container uint16 `json:"containerPort"`
		Host      uint16 `json:"hostPort,omitempty"`
		Protocol  string `json:"protocol"`
	}
	lbView struct {
		ARN            string         `json:"arn"`
		Name           string         `json:"name"`
		Type           string         `json:"type"`
		Scheme         string         `json:"scheme"`
		DNSName        string         `json:"dnsName"`
		State          string         `json:"state"`
		SecurityGroups []ref          `json:"securityGroups"`
		Nodes          []lbNodeView   `json:"nodes"`
		Listeners      []listenerView `json:"listeners"`
		TargetGroups   []tgView       `json:"targetGroups"`
		// Classic is a Classic Load Balancer's health check and
		// registered instances (Type "classic"; its listeners name their
		// instance ports, and it has no target groups).
		Classic *classicView `json:"classic,omitempty"`
	}
	classicView struct {
		HealthCheck string `json:"healthCheck"`
		CrossZone   bool   `json:"crossZone"`
		// Instances are the registered instances, each InService or
		// OutOfService (Reason: DescribeInstanceHealth's description);
		// Port is the health check's.
		Instances []targetView `json:"instances"`
	}
	lbNodeView struct {
		ENI       string `json:"eni"`
		Subnet    string `json:"subnet"`
		AZ        string `json:"availabilityZone"`
		PrivateIP string `json:"privateIp,omitempty"`
		PublicIP  string `json:"publicIp,omitempty"`
	}
	listenerView struct {
		ARN          string   `json:"arn"`
		Port         uint16   `json:"port"`
		Protocol     string   `json:"protocol"`
		Action       string   `json:"action"`
		TargetGroups []string `json:"targetGroups"`
		// InstancePort and InstanceProtocol: a Classic Load Balancer
		// listener's.
		InstancePort     uint16 `json:"instancePort,omitempty"`
		InstanceProtocol string `json:"instanceProtocol,omitempty"`
	}
	tgView struct {
		ARN        string       `json:"arn"`
		Name       string       `json:"name"`
		Protocol   string       `json:"protocol"`
		Port       uint16       `json:"port"`
		TargetType string       `json:"targetType"`
		Targets    []targetView `json:"targets"`
	}
	targetView struct {
		ID     string `json:"id"`
		Port   uint16 `json:"port"`
		AZ     string `json:"availabilityZone,omitempty"`
		Name   string `json:"name,omitempty"`
		Ref    string `json:"ref,omitempty"` // the task ARN or instance id behind it
		Health string `json:"health"`
		Reason string `json:"reason,omitempty"`
	}
	endpointView struct {
		ID          string   `json:"id"`
		Name        string   `json:"name,omitempty"`
		Service     string   `json:"service"`
		Type        string   `json:"type"`
		RouteTables []string `json:"routeTables,omitempty"`
	}
	serviceView struct {
		ARN        string `json:"arn"`
		Name       string `json:"name"`
		Cluster    string `json:"cluster"`
		Status     string `json:"status"`
		Desired    int    `json:"desired"`
		Running    int    `json:"running"`
		LaunchType string `json:"launchType,omitempty"`
		// LastStopped is the stopped reason of its latest stopped task.
		LastStopped string `json:"lastStoppedReason,omitempty"`
	}
	// stackView is a CloudFormation stack that has not been deleted: its
	// status and, when it failed, the first resource that failed and
	// CloudFormation's reason (the event DescribeStackEvents shows).
	stackView struct {
		ID            string `json:"id"`
		Name          string `json:"name"`
		Status        string `json:"status"`
		Reason        string `json:"reason,omitempty"`
		FailedID      string `json:"failedLogicalId,omitempty"`
		FailedType    string `json:"failedType,omitempty"`
		FailedReason  string `json:"failedReason,omitempty"`
		ResourceCount int    `json:"resources"`
	}
	// pickItem is a suggestion for the probe's source and destination.
	pickItem struct {
		Spec  string   `json:"spec"`
		Label string   `json:"label"`
		Kind  string   `json:"kind"`
		Ports []uint16 `json:"ports,omitempty"`
	}
	finding struct {
		Severity string `json:"severity"`
		Code     string `json:"code"`
		Resource string `json:"resource,omitempty"` // the id the finding is about
		Name     string `json:"name,omitempty"`
		Message  string `json:"message"`
		Fix      string `json:"fix,omitempty"`
		// File and Line say where the SOURCE defines the resource (when
		// the handler can locate it).
		File string `json:"file,omitempty"`
		Line int    `json:"line,omitempty"`
	}
)

// Bounds on what one topology carries.
const (
	maxPick     = 400
	maxFindings = 200
	maxExpand   = 64
)

// names computes the names people use for instances ("ecs-asg/0") and
// tasks ("web/0") for a whole state at once, as State.InstanceName and
// State.TaskName define them (which cost O(n) per call).
type names struct {
	instances map[model.InstanceID]string
	tasks     map[string]string
}

func newNames(st *model.State) names {
	nm := names{instances: make(map[model.InstanceID]string, len(st.Instances)), tasks: make(map[string]string, len(st.Tasks))}
	groups := map[string][]*model.Instance{}
	for _, i := range st.Instances {
		switch {
		case i.Tags.Name() != "":
			nm.instances[i.ID] = i.Tags.Name()
		case i.AutoScalingGroup == "":
			nm.instances[i.ID] = string(i.ID)
		default:
			groups[i.AutoScalingGroup] = append(groups[i.AutoScalingGroup], i)
		}
	}
	for g, is := range groups {
		slices.SortFunc(is, func(a, b *model.Instance) int {
			return cmp.Or(a.LaunchTime.Compare(b.LaunchTime), cmp.Compare(a.ID, b.ID))
		})
		for n, i := range is {
			nm.instances[i.ID] = g + "/" + strconv.Itoa(n)
		}
	}
	type svcKey struct{ cluster, service string }
	svcs := map[svcKey][]*model.Task{}
	for _, t := range st.Tasks {
		switch {
		case t.Tags.Name() != "":
			nm.tasks[t.ARN] = t.Tags.Name()
		case t.ServiceName == "":
			nm.tasks[t.ARN] = lastPart(t.ARN)
		default:
			k := svcKey{t.ClusterARN, t.ServiceName}
			svcs[k] = append(svcs[k], t)
		}
	}
	for k, ts := range svcs {
		slices.SortFunc(ts, func(a, b *model.Task) int {
			return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ARN, b.ARN))
		})
		for n, t := range ts {
			nm.tasks[t.ARN] = k.service + "/" + strconv.Itoa(n)
		}
	}
	return nm
}

func lastPart(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// sorted returns m's values ordered by key.
func sorted[K cmp.Ordered, V any](m map[K]*V) []*V {
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

// builder builds a topology from one consistent state.
type builder struct {
	st     *model.State
	n      *reach.Network
	nm     names
	expand map[string]bool
	// byInstance: an instance's ENIs, attached and branch, in order.
	byInstance map[model.InstanceID][]*model.NetworkInterface
	// taskOfENI: the active awsvpc task of an ENI.
	taskOfENI map[model.NetworkInterfaceID][]*model.Task
	// hostTasks: the active non-awsvpc tasks of an instance.
	hostTasks map[model.InstanceID][]*model.Task
	ciByARN   map[string]*model.ContainerInstance
	collapse  bool
	// activeTasks counts the tasks that are not STOPPED.
	activeTasks int
	// By subnet: live instances, ENIs not on an instance, ENI counts.
	subInstances map[model.SubnetID][]*model.Instance
	subFree      map[model.SubnetID][]*model.NetworkInterface
	subENIs      map[model.SubnetID]int
	// byAddr: the ENIs holding a private address.
	byAddr map[netip.Addr][]*model.NetworkInterface
}

// newBuilder indexes st: tasks by ENI and by instance, ENIs by instance.
func newBuilder(st *model.State, n *reach.Network) *builder {
	b := &builder{st: st, n: n, nm: newNames(st),
		byInstance:   map[model.InstanceID][]*model.NetworkInterface{},
		taskOfENI:    map[model.NetworkInterfaceID][]*model.Task{},
		hostTasks:    map[model.InstanceID][]*model.Task{},
		ciByARN:      map[string]*model.ContainerInstance{},
		subInstances: map[model.SubnetID][]*model.Instance{},
		subFree:      map[model.SubnetID][]*model.NetworkInterface{},
		subENIs:      map[model.SubnetID]int{},
		byAddr:       map[netip.Addr][]*model.NetworkInterface{},
	}
	for _, ci := range st.ContainerInstances {
		b.ciByARN[ci.ARN] = ci
	}
	for _, i := range st.Instances {
		if i.State != model.InstanceTerminated {
			b.subInstances[i.SubnetID] = append(b.subInstances[i.SubnetID], i)
		}
	}
	for _, tk := range sorted(st.Tasks) {
		if !tk.Active() {
			continue
		}
		b.activeTasks++
		if eni := tk.ENI(); eni != "" {
			b.taskOfENI[eni] = append(b.taskOfENI[eni], tk)
		} else if ci := b.ciByARN[tk.ContainerInstanceARN]; ci != nil {
			b.hostTasks[ci.EC2InstanceID] = append(b.hostTasks[ci.EC2InstanceID], tk)
		}
	}
	for _, e := range sorted(st.NetworkInterfaces) {
		b.subENIs[e.SubnetID]++
		for _, p := range e.PrivateIPs {
			b.byAddr[p.Addr] = append(b.byAddr[p.Addr], e)
		}
		if (e.Attachment == nil || e.Attachment.InstanceID == "") && e.TrunkID == "" {
			b.subFree[e.SubnetID] = append(b.subFree[e.SubnetID], e)
		}
		switch {
		case e.Attachment != nil && e.Attachment.InstanceID != "":
			b.byInstance[e.Attachment.InstanceID] = append(b.byInstance[e.Attachment.InstanceID], e)
		case e.TrunkID != "":
			if tr := st.NetworkInterfaces[e.TrunkID]; tr != nil && tr.Attachment != nil {
				b.byInstance[tr.Attachment.InstanceID] = append(b.byInstance[tr.Attachment.InstanceID], e)
			}
		}
	}
	for id, es := range b.byInstance {
		slices.SortStableFunc(es, func(x, y *model.NetworkInterface) int {
			return cmp.Or(cmp.Compare(eniOrder(x), eniOrder(y)), cmp.Compare(x.VlanID, y.VlanID), cmp.Compare(x.ID, y.ID))
		})
		b.byInstance[id] = es
	}
	return b
}

// buildTopology describes st. expand names the subnets to send in full when
// the system is large enough to collapse (more than collapseAbove tasks).
// locate, when not nil, says where the SOURCE defines a finding's resource.
func buildTopology(st *model.State, n *reach.Network, expand map[string]bool, collapseAbove int, locate func(*reach.Component) (string, int)) *topology {
	b := newBuilder(st, n)
	b.expand = expand
	t := &topology{Region: st.Region, Account: st.Account, VPCs: []vpcView{}, Services: []serviceView{}, Stacks: []stackView{}, Findings: []finding{}}
	t.Counts.Tasks = b.activeTasks
	b.collapse = t.Counts.Tasks > collapseAbove
	t.Collapsed = b.collapse
	t.Counts.ENIs = len(st.NetworkInterfaces)
	for _, i := range st.Instances {
		if i.State != model.InstanceTerminated {
			t.Counts.Instances++
		}
	}
	t.Counts.Subnets = len(st.Subnets)
	vpcs := sorted(st.VPCs)
	slices.SortStableFunc(vpcs, func(x, y *model.VPC) int {
		return cmp.Compare(x.Tags.NameOr(string(x.ID)), y.Tags.NameOr(string(y.ID)))
	})
	for _, v := range vpcs {
		t.VPCs = append(t.VPCs, b.vpc(v))
	}
	t.Services = b.services()
	t.Stacks = stacks(st)
	t.Pick = b.pickers()
	t.suggested = b.suggest(t.Pick)
	if n != nil {
		for _, f := range reach.Lint(n) {
			if len(t.Findings) == maxFindings {
				break
			}
			x := finding{Severity: string(f.Severity), Code: f.Code, Message: f.Message, Fix: f.Fix}
			if locate != nil {
				if file, line := locate(f.Resource); file != "" && line > 0 {
					x.File, x.Line = file, line
				}
			}
			if f.Resource != nil {
				x.Resource, x.Name = f.Resource.ID, f.Resource.Label()
				switch f.Resource.Type {
				case "task", "service", "load-balancer", "target-group", "listener":
					if f.Resource.ARN != "" {
						x.Resource = f.Resource.ARN
					}
				}
			}
			t.Findings = append(t.Findings, x)
		}
	}
	return t
}

// eniOrder sorts an instance's ENIs: attached ones by device index, then
// branch ENIs.
func eniOrder(e *model.NetworkInterface) int {
	if e.Attachment != nil {
		return e.Attachment.DeviceIndex
	}
	return 1 << 20
}

func (b *builder) vpc(v *model.VPC) vpcView {
	st := b.st
	vv := vpcView{ID: string(v.ID), Name: v.Tags.Name(), CIDR: v.CIDR.String(), Default: v.IsDefault, Zones: []zoneView{}, LoadBalancers: []lbView{}, GatewayEndpoints: []endpointView{}}
	if g := st.VpcInternetGateway(v.ID); g != nil {
		vv.IGW = &ref{ID: string(g.ID), Name: g.Tags.Name()}
	}
	var subs []*model.Subnet
	for _, s := range st.Subnets {
		if s.VpcID == v.ID {
			subs = append(subs, s)
		}
	}
	// By zone; in a zone, public subnets first (they face the internet),
	// then by address.
	rts := map[model.SubnetID]*model.RouteTable{}
	for _, s := range subs {
		rts[s.ID] = st.SubnetRouteTable(s.ID)
	}
	slices.SortFunc(subs, func(x, y *model.Subnet) int {
		px, py := rts[x.ID].RoutesToInternetGateway(), rts[y.ID].RoutesToInternetGateway()
		if px != py {
			if px {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(x.AvailabilityZone, y.AvailabilityZone), x.CIDR.Addr().Compare(y.CIDR.Addr()))
	})
	zones := map[string]int{}
	for _, s := range subs {
		zi, ok := zones[s.AvailabilityZone]
		if !ok {
			zi = len(vv.Zones)
			zones[s.AvailabilityZone] = zi
			vv.Zones = append(vv.Zones, zoneView{Name: s.AvailabilityZone})
		}
		vv.Zones[zi].Subnets = append(vv.Zones[zi].Subnets, b.subnet(s, rts[s.ID]))
	}
	slices.SortFunc(vv.Zones, func(x, y zoneView) int { return cmp.Compare(x.Name, y.Name) })
	for _, lb := range sorted(st.LoadBalancers) {
		if lb.VpcID == v.ID {
			vv.LoadBalancers = append(vv.LoadBalancers, b.loadBalancer(lb))
		}
	}
	for _, c := range sorted(st.ClassicLoadBalancers) {
		if c.VpcID == v.ID {
			vv.LoadBalancers = append(vv.LoadBalancers, b.classic(c))
		}
	}
	slices.SortStableFunc(vv.LoadBalancers, func(x, y lbView) int { return cmp.Compare(x.Name, y.Name) })
	for _, ep := range sorted(st.VpcEndpoints) {
		if ep.VpcID == v.ID && ep.Type == "Gateway" {
			ev := endpointView{ID: string(ep.ID), Name: ep.Tags.Name(), Service: ep.ServiceName, Type: ep.Type}
			for _, rt := range ep.RouteTables {
				ev.RouteTables = append(ev.RouteTables, string(rt))
			}
			vv.GatewayEndpoints = append(vv.GatewayEndpoints, ev)
		}
	}
	return vv
}

func (b *builder) routeTarget(r model.Route) string {
	st := b.st
	switch r.Target {
	case model.TargetLocal:
		return "local"
	case model.TargetInternetGateway:
		if g := st.InternetGateways[model.InternetGatewayID(r.TargetID)]; g != nil {
			return g.Tags.NameOr(r.TargetID)
		}
	case model.TargetNatGateway:
		if g := st.NatGateways[model.NatGatewayID(r.TargetID)]; g != nil {
			return g.Tags.NameOr(r.TargetID)
		}
	case model.TargetVpcEndpoint:
		if ep := st.VpcEndpoints[model.VpcEndpointID(r.TargetID)]; ep != nil {
			return ep.Tags.NameOr(r.TargetID)
		}
	case model.TargetInstance:
		if i := st.Instances[model.InstanceID(r.TargetID)]; i != nil {
			return b.nm.instances[i.ID]
		}
	}
	return r.TargetID
}

func (b *builder) routes(rt *model.RouteTable) []routeView {
	out := []routeView{}
	if rt == nil {
		return out
	}
	for _, r := range rt.Routes {
		dest := r.Destination.String()
		if r.DestinationPrefixList != "" {
			dest = string(r.DestinationPrefixList)
			if pl := b.st.PrefixLists[r.DestinationPrefixList]; pl != nil && pl.Name != "" {
				dest = pl.Name
			}
		}
		out = append(out, routeView{Destination: dest, Target: b.routeTarget(r), TargetType: r.Target.String(), State: engine.RouteState(b.st, rt.VpcID, r)})
	}
	return out
}

func (b *builder) subnet(s *model.Subnet, rt *model.RouteTable) subnetView {
	st := b.st
	sv := subnetView{ID: string(s.ID), Name: s.Tags.Name(), CIDR: s.CIDR.String(), AZ: s.AvailabilityZone, Public: rt.RoutesToInternetGateway(),
		Routes: b.routes(rt), Instances: []instanceView{}, Interfaces: []eniView{}}
	if rt != nil {
		name := rt.Tags.Name()
		if name == "" && rt.IsMain() {
			name = "main"
		}
		sv.RouteTable = &ref{ID: string(rt.ID), Name: name}
	}
	if m := st.BPAStateOf(s.VpcID, s.ID); m != model.BPAOff {
		sv.BlockPublicAccess = m
	}
	if acl := st.SubnetNetworkACL(s.ID); acl != nil {
		name := acl.Tags.Name()
		if name == "" && acl.IsDefault {
			name = "default"
		}
		sv.NetworkACL = &ref{ID: string(acl.ID), Name: name}
	}
	insts := slices.Clone(b.subInstances[s.ID])
	slices.SortFunc(insts, func(x, y *model.Instance) int { return cmp.Compare(b.nm.instances[x.ID], b.nm.instances[y.ID]) })
	free := slices.Clone(b.subFree[s.ID])
	slices.SortFunc(free, func(x, y *model.NetworkInterface) int {
		return cmp.Or(cmp.Compare(ownerRank(x), ownerRank(y)), x.PrimaryIP().Compare(y.PrimaryIP()))
	})
	sv.Counts.Instances = len(insts)
	sv.Counts.ENIs = b.subENIs[s.ID]
	for _, i := range insts {
		for _, e := range b.byInstance[i.ID] {
			sv.Counts.Tasks += len(b.taskOfENI[e.ID])
		}
		sv.Counts.Tasks += len(b.hostTasks[i.ID])
	}
	for _, e := range free {
		sv.Counts.Tasks += len(b.taskOfENI[e.ID])
	}
	if b.collapse && !b.expand[string(s.ID)] && sv.Counts.Instances+len(free) > 0 {
		sv.Collapsed = true
		return sv
	}
	for _, i := range insts {
		sv.Instances = append(sv.Instances, b.instance(i))
	}
	for _, e := range free {
		sv.Interfaces = append(sv.Interfaces, b.eni(e))
	}
	return sv
}

// ownerRank orders a subnet's free ENIs: NAT gateways, load balancer
// nodes, endpoints, tasks, the rest.
func ownerRank(e *model.NetworkInterface) int {
	switch e.OwnerKind {
	case model.OwnedByNatGateway:
		return 0
	case model.OwnedByLoadBalancer, model.OwnedByClassicLoadBalancer:
		return 1
	case model.OwnedByVpcEndpoint:
		return 2
	case model.OwnedByECSTask:
		return 3
	}
	return 4
}

func (b *builder) instance(i *model.Instance) instanceView {
	iv := instanceView{ID: string(i.ID), Name: b.nm.instances[i.ID], Type: i.Type, State: string(i.State), ENIs: []eniView{}, Tasks: []taskView{}, Trunking: i.TrunkENI != ""}
	for _, ci := range b.st.ContainerInstances {
		if ci.EC2InstanceID == i.ID && ci.Status != "INACTIVE" {
			iv.Cluster, iv.Agent = lastPart(ci.ClusterARN), ci.Status
		}
	}
	for _, e := range b.byInstance[i.ID] {
		iv.ENIs = append(iv.ENIs, b.eni(e))
	}
	tasks := b.hostTasks[i.ID]
	slices.SortFunc(tasks, func(x, y *model.Task) int { return cmp.Compare(b.nm.tasks[x.ARN], b.nm.tasks[y.ARN]) })
	for _, tk := range tasks {
		iv.Tasks = append(iv.Tasks, b.task(tk))
	}
	return iv
}

func (b *builder) groups(ids []model.SecurityGroupID) []ref {
	out := make([]ref, 0, len(ids))
	for _, id := range ids {
		r := ref{ID: string(id)}
		if g := b.st.SecurityGroups[id]; g != nil {
			r.Name = g.Name
		}
		out = append(out, r)
	}
	return out
}

func (b *builder) eni(e *model.NetworkInterface) eniView {
	st := b.st
	ev := eniView{ID: string(e.ID), Type: string(e.Type), PrivateIP: e.PrimaryIP().String(), SecurityGroups: b.groups(e.SecurityGroups)}
	if e.Attachment != nil && e.Attachment.InstanceID != "" {
		d := e.Attachment.DeviceIndex
		ev.DeviceIndex = &d
		ev.Label = "ENI " + strconv.Itoa(d+1)
	}
	for _, p := range e.PrivateIPs {
		if !p.Primary {
			ev.Secondary = append(ev.Secondary, p.Addr.String())
		}
		if p.Primary && p.PublicIP != nil {
			ev.PublicIP = p.PublicIP.PublicIP.String()
			ev.ElasticIP = p.PublicIP.AllocationID != ""
		}
	}
	if e.TrunkID != "" {
		ev.Trunk, ev.Vlan = string(e.TrunkID), e.VlanID
		ev.Label = "branch " + strconv.Itoa(e.VlanID)
	}
	switch e.OwnerKind {
	case model.OwnedByInstance:
		ev.Owner = &owner{Kind: "instance", ID: e.ManagedBy}
	case model.OwnedByECSTask:
		ev.Owner = &owner{Kind: "task", ID: e.ManagedBy}
		if tk := st.Tasks[e.ManagedBy]; tk != nil {
			ev.Owner.Name = b.nm.tasks[tk.ARN]
		}
	case model.OwnedByECSTrunk:
		ev.Owner = &owner{Kind: "trunk", ID: e.ManagedBy, Name: "ECS trunk"}
	case model.OwnedByLoadBalancer:
		ev.Owner = &owner{Kind: "load-balancer", ID: e.ManagedBy}
		if lb := st.LoadBalancers[e.ManagedBy]; lb != nil {
			ev.Owner.Name, ev.Owner.Detail = lb.Name, lb.Type
		}
	case model.OwnedByClassicLoadBalancer:
		ev.Owner = &owner{Kind: "load-balancer", ID: reach.ClassicLoadBalancerARN(st, e.ManagedBy), Name: e.ManagedBy, Detail: "classic"}
	case model.OwnedByNatGateway:
		ev.Owner = &owner{Kind: "nat-gateway", ID: e.ManagedBy}
		if ng := st.NatGateways[model.NatGatewayID(e.ManagedBy)]; ng != nil {
			ev.Owner.Name, ev.Owner.Detail = ng.Tags.Name(), ng.ConnectivityType+", "+ng.State
			if ev.PublicIP == "" && ng.PublicIP.IsValid() {
				ev.PublicIP = ng.PublicIP.String()
			}
		}
	case model.OwnedByVpcEndpoint:
		ev.Owner = &owner{Kind: "vpc-endpoint", ID: e.ManagedBy}
		if ep := st.VpcEndpoints[model.VpcEndpointID(e.ManagedBy)]; ep != nil {
			ev.Owner.Name, ev.Owner.Detail = ep.Tags.Name(), shortService(ep.ServiceName)
		}
	default:
		if e.Attachment == nil {
			ev.Owner = &owner{Kind: "user", Name: e.Tags.Name()}
		}
	}
	tasks := b.taskOfENI[e.ID]
	for _, tk := range tasks {
		ev.Tasks = append(ev.Tasks, b.task(tk))
	}
	return ev
}

// shortService turns com.amazonaws.us-east-1.ecr.api into ecr.api.
func shortService(s string) string {
	parts := strings.SplitN(s, ".", 4)
	if len(parts) == 4 && parts[0] == "com" {
		return parts[3]
	}
	return s
}

func (b *builder) task(tk *model.Task) taskView {
	st := b.st
	tv := taskView{ARN: tk.ARN, ID: lastPart(tk.ARN), Name: b.nm.tasks[tk.ARN], Service: tk.ServiceName, Status: string(tk.LastStatus),
		LaunchType: string(tk.LaunchType), NetworkMode: string(tk.NetworkMode), Containers: []containerView{}}
	td := st.TaskDefinitions[tk.TaskDefinitionARN]
	if td != nil {
		tv.TaskDefinition = td.Family + ":" + strconv.Itoa(td.Revision)
	}
	if len(tk.Attachments) > 0 && tk.Attachments[0].PrivateIP.IsValid() {
		tv.PrivateIP = tk.Attachments[0].PrivateIP.String()
	}
	for _, c := range tk.Containers {
		cv := containerView{Name: c.Name, Listen: "0.0.0.0", Ports: []portView{}}
		if td != nil {
			if def, ok := td.Container(c.Name); ok {
				if def.ListenAddress.IsValid() {
					cv.Listen = def.ListenAddress.String()
				}
				for _, pm := range def.PortMappings {
					p := portView{Container: pm.ContainerPort, Protocol: protoName(pm.Protocol)}
					if tk.NetworkMode != model.NetworkModeAwsvpc {
						p.Host = pm.HostPort
						for _, nb := range c.NetworkBindings {
							if nb.ContainerPort == pm.ContainerPort && protoName(nb.Protocol) == p.Protocol {
								p.Host = nb.HostPort
							}
						}
					}
					cv.Ports = append(cv.Ports, p)
				}
			}
		}
		tv.Containers = append(tv.Containers, cv)
	}
	return tv
}

func protoName(p model.Protocol) string {
	if p == 0 {
		return "tcp"
	}
	return p.String()
}

func (b *builder) loadBalancer(lb *model.LoadBalancer) lbView {
	st := b.st
	lv := lbView{ARN: lb.ARN, Name: lb.Name, Type: lb.Type, Scheme: lb.Scheme, DNSName: lb.DNSName, State: lb.State,
		SecurityGroups: b.groups(lb.SecurityGroups), Nodes: []lbNodeView{}, Listeners: []listenerView{}, TargetGroups: []tgView{}}
	for _, nd := range lb.Nodes {
		nv := lbNodeView{ENI: string(nd.ENI), Subnet: string(nd.SubnetID), AZ: nd.AvailabilityZone}
		if e := st.NetworkInterfaces[nd.ENI]; e != nil {
			nv.PrivateIP = e.PrimaryIP().String()
			if p, ok := e.PublicIP(); ok {
				nv.PublicIP = p.String()
			}
		}
		lv.Nodes = append(lv.Nodes, nv)
	}
	tgs := map[string]bool{}
	var listeners []*model.Listener
	for _, l := range st.Listeners {
		if l.LoadBalancerARN == lb.ARN {
			listeners = append(listeners, l)
		}
	}
	slices.SortFunc(listeners, func(x, y *model.Listener) int { return cmp.Compare(x.Port, y.Port) })
	var tgOrder []string
	addTG := func(arn string) {
		if !tgs[arn] {
			tgs[arn] = true
			tgOrder = append(tgOrder, arn)
		}
	}
	for _, l := range listeners {
		lw := listenerView{ARN: l.ARN, Port: l.Port, Protocol: l.Protocol, TargetGroups: []string{}}
		for _, a := range l.DefaultActions {
			switch a.Type {
			case "forward":
				lw.Action = "forward"
				for _, tg := range a.ForwardTargetGroups() {
					lw.TargetGroups = append(lw.TargetGroups, tg)
					addTG(tg)
				}
			case "fixed-response":
				lw.Action = "fixed-response"
				if a.FixedResponse != nil {
					lw.Action += " " + a.FixedResponse.StatusCode
				}
			case "redirect":
				lw.Action = "redirect"
			}
		}
		for _, r := range sorted(st.ListenerRules) {
			if r.ListenerARN != l.ARN {
				continue
			}
			for _, a := range r.Actions {
				for _, tg := range a.ForwardTargetGroups() {
					addTG(tg)
				}
			}
		}
		lv.Listeners = append(lv.Listeners, lw)
	}
	for _, arn := range tgOrder {
		tg := st.TargetGroups[arn]
		if tg == nil {
			continue
		}
		lv.TargetGroups = append(lv.TargetGroups, b.targetGroup(tg))
	}
	return lv
}

// classic draws a Classic Load Balancer as a load balancer of type
// "classic": its nodes, its listeners with their instance ports, and its
// registered instances with their health (reach.ClassicInstanceHealth,
// as DescribeInstanceHealth reports it).
func (b *builder) classic(c *model.ClassicLoadBalancer) lbView {
	st := b.st
	arn := reach.ClassicLoadBalancerARN(st, c.Name)
	lv := lbView{ARN: arn, Name: c.Name, Type: "classic", Scheme: c.Scheme, DNSName: c.DNSName, State: "active",
		SecurityGroups: b.groups(c.SecurityGroups), Nodes: []lbNodeView{}, Listeners: []listenerView{}, TargetGroups: []tgView{},
		Classic: &classicView{HealthCheck: c.HealthCheck.Target, CrossZone: c.Attributes["CrossZoneLoadBalancing.Enabled"] == "true", Instances: []targetView{}}}
	for _, nd := range c.Nodes {
		nv := lbNodeView{ENI: string(nd.ENI), Subnet: string(nd.SubnetID), AZ: nd.AvailabilityZone}
		if e := st.NetworkInterfaces[nd.ENI]; e != nil {
			nv.PrivateIP = e.PrimaryIP().String()
			if p, ok := e.PublicIP(); ok {
				nv.PublicIP = p.String()
			}
		}
		lv.Nodes = append(lv.Nodes, nv)
	}
	slices.SortFunc(lv.Nodes, func(x, y lbNodeView) int { return cmp.Compare(x.AZ, y.AZ) })
	for _, l := range c.Listeners {
		ip := l.InstanceProtocol
		if ip == "" {
			ip = l.Protocol
		}
		lv.Listeners = append(lv.Listeners, listenerView{ARN: arn + "/listener/" + strconv.Itoa(l.LoadBalancerPort), Port: uint16(l.LoadBalancerPort),
			Protocol: l.Protocol, Action: "to instance port " + strconv.Itoa(l.InstancePort), TargetGroups: []string{},
			InstancePort: uint16(l.InstancePort), InstanceProtocol: ip})
	}
	slices.SortFunc(lv.Listeners, func(x, y listenerView) int { return cmp.Compare(x.Port, y.Port) })
	var health []reach.TargetHealthResult
	if b.n != nil {
		health = reach.ClassicInstanceHealth(b.n, c.Name)
	}
	var port uint16
	if len(c.Listeners) > 0 {
		port = uint16(c.Listeners[0].InstancePort)
	}
	for i, id := range c.Instances {
		t := targetView{ID: string(id)}
		if inst := st.Instances[id]; inst != nil {
			t.AZ = inst.AvailabilityZone
		}
		t.Name, t.Ref = b.targetOwner(&model.TargetGroup{VpcID: c.VpcID}, model.Target{ID: string(id), Port: port})
		if i < len(health) {
			t.Health, t.Reason = health[i].State, health[i].Description
			if p, err := strconv.Atoi(health[i].HealthCheckPort); err == nil {
				t.Port = uint16(p)
			}
		}
		lv.Classic.Instances = append(lv.Classic.Instances, t)
	}
	return lv
}

func (b *builder) targetGroup(tg *model.TargetGroup) tgView {
	tv := tgView{ARN: tg.ARN, Name: tg.Name, Protocol: tg.Protocol, Port: tg.Port, TargetType: tg.TargetType, Targets: []targetView{}}
	var health []reach.TargetHealthResult
	if b.n != nil {
		health = reach.TargetHealth(b.n, tg.ARN)
	}
	for i, x := range tg.Targets.All() {
		t := targetView{ID: x.ID, Port: x.Port, AZ: x.AvailabilityZone}
		t.Name, t.Ref = b.targetOwner(tg, x)
		if i < len(health) {
			t.Health, t.Reason = health[i].State, health[i].Reason
		}
		tv.Targets = append(tv.Targets, t)
	}
	return tv
}

// targetOwner names the task or instance behind a target.
func (b *builder) targetOwner(tg *model.TargetGroup, x model.Target) (name, id string) {
	st := b.st
	if a, ok := x.TargetAddr(); ok {
		for _, e := range b.byAddr[a] {
			if e.VpcID == tg.VpcID {
				if ts := b.taskOfENI[e.ID]; len(ts) > 0 {
					return b.nm.tasks[ts[0].ARN], ts[0].ARN
				}
				if e.Attachment != nil {
					return b.nm.instances[e.Attachment.InstanceID], string(e.Attachment.InstanceID)
				}
				return "", string(e.ID)
			}
		}
		return "", ""
	}
	id = x.ID
	if i := st.Instances[model.InstanceID(x.ID)]; i != nil {
		name = b.nm.instances[i.ID]
		for _, tk := range b.hostTasks[i.ID] {
			for _, c := range tk.Containers {
				for _, nb := range c.NetworkBindings {
					if nb.HostPort == x.Port {
						return name + " · " + b.nm.tasks[tk.ARN], id
					}
				}
			}
		}
	}
	return name, id
}

func (b *builder) services() []serviceView {
	st := b.st
	out := []serviceView{}
	for _, s := range sorted(st.Services) {
		if s.Status == "INACTIVE" {
			continue
		}
		sv := serviceView{ARN: s.ARN, Name: s.Name, Cluster: lastPart(s.ClusterARN), Status: s.Status, Desired: s.DesiredCount, LaunchType: string(s.LaunchType)}
		var last *model.Task
		for _, tk := range st.Tasks {
			if tk.ServiceName != s.Name || tk.ClusterARN != s.ClusterARN {
				continue
			}
			if tk.LastStatus == model.TaskRunning {
				sv.Running++
			}
			if tk.LastStatus == model.TaskStopped && tk.StoppedReason != "" && (last == nil || tk.StoppedAt.After(last.StoppedAt)) {
				last = tk
			}
		}
		if last != nil {
			sv.LastStopped = last.StoppedReason
		}
		out = append(out, sv)
	}
	slices.SortStableFunc(out, func(x, y serviceView) int { return cmp.Compare(x.Name, y.Name) })
	return out
}

// stacks lists the top-level stacks not deleted, newest first, each with
// the first resource that failed in its latest operation.
func stacks(st *model.State) []stackView {
	out := []stackView{}
	var all []*model.Stack
	for _, s := range sorted(st.Stacks) {
		if s.Status != "DELETE_COMPLETE" && s.ParentID == "" {
			all = append(all, s)
		}
	}
	slices.SortStableFunc(all, func(x, y *model.Stack) int { return y.CreatedAt.Compare(x.CreatedAt) })
	for _, s := range all {
		v := stackView{ID: s.ID, Name: s.Name, Status: s.Status, Reason: s.StatusReason, ResourceCount: len(s.Resources)}
		if failedStatus(s.Status) {
			// The first failure since the operation began: events are
			// oldest first, and each operation starts with the stack's
			// own *_IN_PROGRESS event.
			start := 0
			for i, e := range s.Events {
				if e.LogicalID == s.Name && e.Type == "AWS::CloudFormation::Stack" && strings.HasSuffix(e.Status, "_IN_PROGRESS") &&
					!strings.Contains(e.Status, "ROLLBACK") && !strings.Contains(e.Status, "CLEANUP") {
					start = i
				}
			}
			for _, e := range s.Events[start:] {
				if strings.HasSuffix(e.Status, "_FAILED") && e.Type != "AWS::CloudFormation::Stack" && e.StatusReason != "" &&
					!strings.HasPrefix(e.StatusReason, "Resource creation cancelled") && !strings.HasPrefix(e.StatusReason, "Resource update cancelled") {
					v.FailedID, v.FailedType, v.FailedReason = e.LogicalID, e.Type, e.StatusReason
					break
				}
			}
		}
		out = append(out, v)
	}
	return out
}

// failedStatus reports whether a stack status is the end or the course of
// a failure: a rollback, or a *_FAILED status.
func failedStatus(status string) bool {
	return strings.Contains(status, "ROLLBACK") || strings.HasSuffix(status, "_FAILED")
}

// pickers lists probe sources and destinations: the internet, instances,
// tasks, services, load balancers, and every public address, with the
// ports each one usually takes. Names shared by two kinds get a kind
// prefix, so Resolve takes them.
func (b *builder) pickers() []pickItem {
	st := b.st
	out := []pickItem{{Spec: "internet", Label: "the internet (198.51.100.7)", Kind: "internet"}}
	count := map[string]int{}
	var items []pickItem
	add := func(it pickItem) { items = append(items, it); count[it.Spec]++ }
	for _, lb := range sorted(st.LoadBalancers) {
		it := pickItem{Spec: lb.Name, Label: lb.Name + " (" + lb.Scheme + " " + lb.Type + " load balancer)", Kind: "load-balancer"}
		for _, l := range st.Listeners {
			if l.LoadBalancerARN == lb.ARN {
				it.Ports = append(it.Ports, l.Port)
			}
		}
		slices.Sort(it.Ports)
		add(it)
	}
	for _, c := range sorted(st.ClassicLoadBalancers) {
		it := pickItem{Spec: c.Name, Label: c.Name + " (" + c.Scheme + " classic load balancer)", Kind: "load-balancer"}
		for _, l := range c.Listeners {
			it.Ports = append(it.Ports, uint16(l.LoadBalancerPort))
		}
		slices.Sort(it.Ports)
		add(it)
	}
	for _, s := range sorted(st.Services) {
		if s.Status == "ACTIVE" {
			add(pickItem{Spec: s.Name, Label: s.Name + " (service, its first task)", Kind: "service", Ports: b.taskDefPorts(st.TaskDefinitions[s.TaskDefinitionARN])})
		}
	}
	var insts []*model.Instance
	for _, i := range st.Instances {
		if i.Live() {
			insts = append(insts, i)
		}
	}
	slices.SortFunc(insts, func(x, y *model.Instance) int { return cmp.Compare(b.nm.instances[x.ID], b.nm.instances[y.ID]) })
	for _, i := range insts {
		add(pickItem{Spec: b.nm.instances[i.ID], Label: b.nm.instances[i.ID] + " (instance " + string(i.ID) + ")", Kind: "instance", Ports: []uint16{22}})
	}
	var tasks []*model.Task
	for _, tk := range st.Tasks {
		if tk.Active() {
			tasks = append(tasks, tk)
		}
	}
	slices.SortFunc(tasks, func(x, y *model.Task) int { return cmp.Compare(b.nm.tasks[x.ARN], b.nm.tasks[y.ARN]) })
	for _, tk := range tasks {
		label := b.nm.tasks[tk.ARN] + " (task, " + string(tk.NetworkMode)
		if len(tk.Attachments) > 0 && tk.Attachments[0].PrivateIP.IsValid() {
			label += " " + tk.Attachments[0].PrivateIP.String()
		}
		add(pickItem{Spec: b.nm.tasks[tk.ARN], Label: label + ")", Kind: "task", Ports: b.taskDefPorts(st.TaskDefinitions[tk.TaskDefinitionARN])})
	}
	for _, e := range sorted(st.NetworkInterfaces) {
		for _, p := range e.PrivateIPs {
			if p.PublicIP == nil {
				continue
			}
			label := p.PublicIP.PublicIP.String() + " (public IP of " + b.eniOwnerName(e) + ")"
			add(pickItem{Spec: p.PublicIP.PublicIP.String(), Label: label, Kind: "address"})
		}
	}
	for _, it := range items {
		if count[it.Spec] > 1 {
			switch it.Kind {
			case "load-balancer":
				it.Spec = "lb:" + it.Spec
			case "service", "instance", "task":
				it.Spec = it.Kind + ":" + it.Spec
			}
		}
		out = append(out, it)
		if len(out) == maxPick {
			break
		}
	}
	return out
}

func (b *builder) taskDefPorts(td *model.TaskDefinition) []uint16 {
	if td == nil {
		return nil
	}
	var out []uint16
	for _, c := range td.Containers {
		for _, pm := range c.PortMappings {
			if p := pm.ContainerPorts().First; !slices.Contains(out, p) { // a range: its first port
				out = append(out, p)
			}
		}
	}
	return out
}

// eniOwnerName names what an ENI belongs to: "ecs-asg/0 ENI 1", "web-alb
// node us-east-1a", "task web/0", …
func (b *builder) eniOwnerName(e *model.NetworkInterface) string {
	st := b.st
	switch e.OwnerKind {
	case model.OwnedByECSTask:
		if tk := st.Tasks[e.ManagedBy]; tk != nil {
			return "task " + b.nm.tasks[tk.ARN]
		}
	case model.OwnedByLoadBalancer:
		if lb := st.LoadBalancers[e.ManagedBy]; lb != nil {
			return lb.Name + " node " + e.AvailabilityZone
		}
	case model.OwnedByClassicLoadBalancer:
		return e.ManagedBy + " node " + e.AvailabilityZone
	case model.OwnedByNatGateway:
		if ng := st.NatGateways[model.NatGatewayID(e.ManagedBy)]; ng != nil {
			return "NAT gateway " + ng.Tags.NameOr(string(ng.ID))
		}
	}
	if e.Attachment != nil && e.Attachment.InstanceID != "" {
		return b.nm.instances[e.Attachment.InstanceID] + " ENI " + strconv.Itoa(e.Attachment.DeviceIndex+1)
	}
	return e.Tags.NameOr(string(e.ID))
}

// topoCache keeps the latest encoded topologies, keyed by what they
// depend on, so event-driven refetches by many pages cost one build.
type topoCache struct {
	entries map[topoKey][]byte
}

type topoKey struct {
	e       *engine.Engine
	version uint64
	whatif  string
	expand  string
}

func (h *handler) serveTopology(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	wid := q.Get("whatif")
	e, wi, err := h.engine(wid)
	if err != nil {
		writeError(w, status(err), err.Error())
		return
	}
	expand := map[string]bool{}
	var keys []string
	if s := q.Get("expand"); s != "" {
		for _, id := range strings.Split(s, ",") {
			if id != "" && len(expand) < maxExpand && len(id) < 64 {
				expand[id] = true
				keys = append(keys, id)
			}
		}
	}
	slices.Sort(keys)
	tag := func(version uint64) string {
		return `"` + h.boot + "-" + strconv.FormatUint(h.generation(e), 10) + "-" + strconv.FormatUint(version, 10) + "-" + wid + "-" + shortHash(strings.Join(keys, ",")) + `"`
	}
	// Cheap first: the version alone answers a revalidation or a cached copy.
	version := e.Version()
	etag := tag(version)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	key := topoKey{e: e, version: version, whatif: wid, expand: strings.Join(keys, ",")}
	h.cacheMu.Lock()
	body, ok := h.cache.entries[key]
	h.cacheMu.Unlock()
	if !ok {
		st, v := e.Snapshot()
		key.version, etag = v, tag(v)
		n := reach.Compile(st, h.opts.Reach...)
		t := buildTopology(st, n, expand, h.opts.CollapseAbove, h.opts.Locate)
		t.Title, t.Version, t.Examples = h.opts.Title, v, h.opts.Examples
		if h.opts.Describe != nil {
			t.Title, t.Examples = h.opts.Describe()
		}
		t.Generation = h.generation(e)
		if len(t.Examples) == 0 {
			t.Examples = t.suggested
		}
		if t.Examples == nil {
			t.Examples = []Probe{}
		}
		if wi != nil {
			t.WhatIf = wi
		}
		body = mustJSON(t)
		h.cacheMu.Lock()
		if h.cache.entries == nil || len(h.cache.entries) >= 8 {
			h.cache.entries = map[topoKey][]byte{}
		}
		h.cache.entries[key] = body
		h.cacheMu.Unlock()
	}
	w.Header().Set("ETag", etag)
	writeJSONBytes(w, http.StatusOK, body)
}

// generation numbers the engines the handler has shown: an emulator may
// replace a region's engine (loading a scenario), and the new one's
// versions start again, so ETags carry the generation too.
func (h *handler) generation(e *engine.Engine) uint64 {
	h.cacheMu.Lock()
	defer h.cacheMu.Unlock()
	if g, ok := h.gens[e]; ok {
		return g
	}
	if len(h.gens) >= 64 {
		clear(h.gens)
	}
	h.nextGen++
	h.gens[e] = h.nextGen
	return h.nextGen
}

func shortHash(s string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return strconv.FormatUint(uint64(h), 36)
}

// addrString formats an address, "" when invalid.
func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
