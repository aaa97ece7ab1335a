package engine

import (
	"container/heap"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/model"
)

// indexes are lookups derived from the state, kept in step by the put and
// delete helpers below and rebuilt whole on load.
type indexes struct {
	// privateIPs maps a VPC's private address to the ENI holding it.
	privateIPs map[vpcAddr]model.NetworkInterfaceID
	// publicIPs holds every public address in use: by an ENI association or
	// by an Elastic IP allocation.
	publicIPs map[netip.Addr]string
	// instanceENIs holds the ENIs attached to each instance.
	instanceENIs map[model.InstanceID]map[model.NetworkInterfaceID]struct{}
	// hosts holds what the active tasks on each container instance use.
	hosts map[string]*hostUsage
	// ipFrom holds, per subnet, an address below which every address of
	// the subnet is in use (or reserved): allocation scans from there, so
	// filling a subnet is linear, not quadratic.
	ipFrom map[model.SubnetID]netip.Addr
	// due holds the tasks Step still has to move, by when (a heap, cleaned
	// lazily: an entry whose task has moved on since is dropped).
	due dueHeap
	// stopped holds the STOPPED tasks by when they stopped (a heap, cleaned
	// lazily as due is), for Step to remove once their retention ends.
	stopped dueHeap
	// awaiting holds the active tasks waiting for capacity
	// (Task.AwaitingCapacity).
	awaiting map[string]struct{}
	// clusterAwaiting counts each cluster's tasks in awaiting (ECS's
	// quota of PROVISIONING tasks per cluster).
	clusterAwaiting map[string]int
	// waitPasses counts, for each task in awaiting, the Step passes that
	// found no capacity for it (placeAwaitingTasks; not persisted: after a
	// restart the count starts over, which only lengthens the wait).
	waitPasses map[string]int
	// draining holds the targets deregistered through draining, by
	// target record id (targetRecordID) and when their deregistration
	// delay ends (a heap, cleaned lazily as due is).
	draining dueHeap
	// services holds each service's task counts (see svcUsage).
	services map[svcKey]*svcUsage
	// groupSubnets counts the active tasks with an ENI per task group and
	// subnet (Fargate spreads a group over its subnets).
	groupSubnets map[string]map[model.SubnetID]int
	// liveCIs counts the container instances (not INACTIVE) of each EC2
	// instance.
	liveCIs map[model.InstanceID]int
	// instWork holds the instances Step moves on (pending, shutting-down,
	// stopping: instanceMoves)
	// and ecsHosts the running ones whose user data names a cluster.
	instWork, ecsHosts map[model.InstanceID]struct{}
	// asgMembers holds each Auto Scaling group's instances.
	asgMembers map[string]map[model.InstanceID]struct{}
	// registering holds the container instances in REGISTERING, and
	// agentUpdates those whose agent update is under way.
	registering  map[string]struct{}
	agentUpdates map[string]struct{}
	// pendingNATs holds the NAT gateways Step moves on: pending (to
	// available or failed), failed and deleted (gone after their
	// retention).
	pendingNATs map[model.NatGatewayID]struct{}
	// clientTokens holds the tasks RunTask started for each client token
	// (RunTask's idempotency), by cluster.
	clientTokens map[tokenKey]map[string]struct{}
	// trunkVLANs holds the VLAN ids in use on each trunk ENI (freeVLAN).
	trunkVLANs map[model.NetworkInterfaceID]map[int]struct{}
	// subnetAddrs counts the private addresses ENIs hold in each subnet
	// (freeAddrs).
	subnetAddrs map[model.SubnetID]int
	// attachments finds the ENI of an attachment id.
	attachments map[model.ENIAttachmentID]model.NetworkInterfaceID
	// activeCIs counts each cluster's ACTIVE container instances (a
	// DAEMON service's desired count).
	activeCIs map[string]int
	// replacing is the task putTask is replacing, while it adds the new
	// version (countTask).
	replacing *model.Task
	// targets indexes target groups' targets (elbv2_targets.go), built
	// lazily per target group.
	targets map[string]*tgIndex
	// pendingOps holds the Cloud Map operations still SUBMITTED.
	pendingOps map[string]struct{}
	// subnetENIs counts the ENIs of each subnet, vpcPublicENIs the ENIs
	// with a public address of each VPC, and sgENIs the ENIs each security
	// group is attached to (the dependency checks of DeleteSubnet,
	// DetachInternetGateway and DeleteSecurityGroup).
	subnetENIs    map[model.SubnetID]int
	vpcPublicENIs map[model.VpcID]int
	sgENIs        map[model.SecurityGroupID]int
	// clusterTasks counts each cluster's active tasks and clusterCIs its
	// container instances that are not INACTIVE (DeleteCluster);
	// instanceCIs holds each instance's container instances that are not
	// INACTIVE (registerContainerInstance).
	clusterTasks map[string]int
	clusterCIs   map[string]int
	instanceCIs  map[model.InstanceID]map[string]struct{}
	// daemonTDTasks counts the tasks (STOPPED ones too) of a daemon's
	// group (daemon:<name>) by task definition ARN: a daemon task
	// definition's twin is kept while a task refers to it.
	daemonTDTasks map[string]int
	// daemonGen counts, per cluster, the changes of its container
	// instances and of its daemons' tasks; daemonSeen is, per daemon, what
	// its last reconciliation that left nothing to do saw (Step skips a
	// daemon while both stay the same).
	daemonGen  map[string]uint64
	daemonSeen map[string]daemonSeen
}

// bump adds sign to m[k], deleting it at zero.
func bump[K comparable](m map[K]int, k K, sign int) {
	if m[k] += sign; m[k] == 0 {
		delete(m, k)
	}
}

// tokenKey is a RunTask client token in a cluster.
type tokenKey struct{ cluster, token string }

// svcKey names a service by cluster ARN and name (as tasks carry them).
type svcKey struct{ cluster, name string }

// deployKey groups a service's tasks by what started them.
type deployKey struct{ startedBy, taskDef string }

// svcUsage is what a service's tasks amount to, kept in step as tasks
// change, so reconciling a service never walks its tasks.
type svcUsage struct {
	// wanted holds the tasks whose desired status is RUNNING, and
	// byDeploy counts them by deployment and task definition.
	wanted   map[string]struct{}
	byDeploy map[deployKey]int
	running  int // RUNNING with desired status RUNNING
	// byStatus counts the tasks whose desired status is RUNNING by
	// StartedBy: [RUNNING, pending (PROVISIONING, PENDING, ACTIVATING)].
	byStatus map[string][2]int
	active   int            // not STOPPED
	activeBy map[string]int // not STOPPED, by StartedBy
	failed   map[string]int // stopped with TaskFailedToStart, by StartedBy
	// unhealthy counts the tasks stopped for failing ELB health checks,
	// by StartedBy (the deployment circuit breaker counts them), and
	// healthy the RUNNING tasks with desired status RUNNING found healthy
	// in their target groups (healthyBy: by StartedBy, for task sets).
	unhealthy map[string]int
	healthy   int
	healthyBy map[string]int
	// order holds, per deployment, the ARNs of its tasks in wanted, in
	// two heaps (least and greatest first), so that a scale-in picks
	// its tasks without walking the service's (serviceTasks). Entries
	// are dropped lazily: an ARN no longer in wanted is skipped.
	order map[deployKey]*arnOrder
}

// arnOrder is a min-heap and a max-heap of task ARNs.
type arnOrder struct{ lo, hi arnHeap }

type arnHeap struct {
	arns []string
	max  bool
}

func (h *arnHeap) Len() int { return len(h.arns) }
func (h *arnHeap) Less(i, j int) bool {
	if h.max {
		return h.arns[i] > h.arns[j]
	}
	return h.arns[i] < h.arns[j]
}
func (h *arnHeap) Swap(i, j int) { h.arns[i], h.arns[j] = h.arns[j], h.arns[i] }
func (h *arnHeap) Push(x any)    { h.arns = append(h.arns, x.(string)) }
func (h *arnHeap) Pop() any {
	x := h.arns[len(h.arns)-1]
	h.arns = h.arns[:len(h.arns)-1]
	return x
}

// first returns up to k ARNs of h that are in live, in heap order,
// dropping the entries that are not (stale, or repeated); h keeps the ones
// it returns.
func (h *arnHeap) first(k int, live map[string]struct{}) []string {
	var out []string
	for h.Len() > 0 && len(out) < k {
		arn := heap.Pop(h).(string)
		if _, ok := live[arn]; !ok || (len(out) > 0 && out[len(out)-1] == arn) {
			continue
		}
		out = append(out, arn)
	}
	for _, arn := range out {
		heap.Push(h, arn)
	}
	return out
}

// dueTask is one entry of the due heap.
type dueTask struct {
	at  time.Time
	arn string
}

type dueHeap []dueTask

// popDue pops h's entries that are due (their time plus after has come),
// until take has accepted budget of them, and reports how many it
// accepted; take drops a stale entry by returning false. Popped entries go
// back on h if the transaction is undone.
func (t *txn) popDue(h *dueHeap, after time.Duration, budget int, take func(dueTask) bool) int {
	var popped []dueTask
	t.onUndo(func() {
		for _, d := range popped {
			heap.Push(h, d)
		}
	})
	n := 0
	for h.Len() > 0 && n < budget && t.due((*h)[0].at.Add(after)) {
		d := heap.Pop(h).(dueTask)
		popped = append(popped, d)
		if take(d) {
			n++
		}
	}
	return n
}

func (h dueHeap) Len() int { return len(h) }
func (h dueHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].arn < h[j].arn
}
func (h dueHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)   { *h = append(*h, x.(dueTask)) }
func (h *dueHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// moving reports whether Step still has to move a task: it is not
// STOPPED, and not RUNNING as desired.
func moving(tk *model.Task) bool {
	if tk.AwaitingCapacity && tk.DesiredStatus == model.TaskRunning {
		return false // placeAwaitingTasks moves it on
	}
	return tk.LastStatus != model.TaskStopped && (tk.LastStatus != model.TaskRunning || tk.DesiredStatus != model.TaskRunning)
}

// hostUsage is what the active (not STOPPED) tasks on a container instance
// hold: kept in step as tasks change, so placement never walks a host's
// tasks.
type hostUsage struct {
	arns                  map[string]struct{} // the tasks
	cpu, mem, enis, tasks int
	groups                map[string]int // tasks per group
	ports                 map[model.Protocol]map[uint16]int
}

func (u *hostUsage) apply(tk *model.Task, sign int) {
	cpu, mem := taskCPUMem(nil, tk)
	u.cpu += sign * cpu
	u.mem += sign * mem
	u.tasks += sign
	if u.arns == nil {
		u.arns = map[string]struct{}{}
	}
	if sign > 0 {
		u.arns[tk.ARN] = struct{}{}
	} else {
		delete(u.arns, tk.ARN)
	}
	if tk.ENI() != "" {
		u.enis += sign
	}
	if u.groups == nil {
		u.groups = map[string]int{}
		u.ports = map[model.Protocol]map[uint16]int{model.TCP: {}, model.UDP: {}}
	}
	u.groups[tk.Group] += sign
	if u.groups[tk.Group] == 0 {
		delete(u.groups, tk.Group)
	}
	for _, c := range tk.Containers {
		for _, b := range c.NetworkBindings {
			proto := b.Protocol
			if proto != model.UDP {
				proto = model.TCP
			}
			hp := b.HostPorts()
			for p := int(hp.First); p <= int(hp.Last); p++ {
				u.ports[proto][uint16(p)] += sign
				if u.ports[proto][uint16(p)] == 0 {
					delete(u.ports[proto], uint16(p))
				}
			}
		}
	}
}

type vpcAddr struct {
	vpc  model.VpcID
	addr netip.Addr
}

func (x *indexes) rebuild(st *model.State) {
	x.privateIPs = map[vpcAddr]model.NetworkInterfaceID{}
	x.publicIPs = map[netip.Addr]string{}
	x.instanceENIs = map[model.InstanceID]map[model.NetworkInterfaceID]struct{}{}
	x.hosts = map[string]*hostUsage{}
	x.ipFrom = map[model.SubnetID]netip.Addr{}
	x.due = nil
	x.stopped = nil
	x.awaiting = map[string]struct{}{}
	x.clusterAwaiting = map[string]int{}
	x.waitPasses = map[string]int{}
	x.draining = nil
	for arn, tg := range st.TargetGroups {
		for seq, y := range tg.Targets.Entries() {
			if y.Draining && !y.DrainUntil.IsZero() {
				heap.Push(&x.draining, dueTask{at: y.DrainUntil, arn: targetRecordID(arn, seq)})
			}
		}
	}
	x.services = map[svcKey]*svcUsage{}
	x.groupSubnets = map[string]map[model.SubnetID]int{}
	x.liveCIs = map[model.InstanceID]int{}
	x.instWork = map[model.InstanceID]struct{}{}
	x.ecsHosts = map[model.InstanceID]struct{}{}
	x.asgMembers = map[string]map[model.InstanceID]struct{}{}
	x.registering = map[string]struct{}{}
	x.agentUpdates = map[string]struct{}{}
	x.pendingNATs = map[model.NatGatewayID]struct{}{}
	x.clientTokens = map[tokenKey]map[string]struct{}{}
	x.trunkVLANs = map[model.NetworkInterfaceID]map[int]struct{}{}
	x.subnetAddrs = map[model.SubnetID]int{}
	x.attachments = map[model.ENIAttachmentID]model.NetworkInterfaceID{}
	x.activeCIs = map[string]int{}
	x.targets = map[string]*tgIndex{}
	x.pendingOps = map[string]struct{}{}
	x.subnetENIs = map[model.SubnetID]int{}
	x.vpcPublicENIs = map[model.VpcID]int{}
	x.sgENIs = map[model.SecurityGroupID]int{}
	x.clusterTasks = map[string]int{}
	x.daemonTDTasks = map[string]int{}
	x.daemonGen = map[string]uint64{}
	x.daemonSeen = map[string]daemonSeen{}
	x.clusterCIs = map[string]int{}
	x.instanceCIs = map[model.InstanceID]map[string]struct{}{}
	for _, op := range st.DiscoveryOperations {
		x.observe(nil, op)
	}
	for _, i := range st.Instances {
		x.observe(nil, i)
	}
	for _, ci := range st.ContainerInstances {
		x.observe(nil, ci)
	}
	for _, ng := range st.NatGateways {
		x.observe(nil, ng)
	}
	for _, n := range st.NetworkInterfaces {
		x.addENI(n)
	}
	for _, tk := range st.Tasks {
		x.addTask(tk)
	}
	for _, a := range st.Addresses {
		x.publicIPs[a.PublicIP] = string(a.AllocationID)
	}
	for _, ng := range st.NatGateways {
		for _, a := range ng.ZoneAddresses {
			if a.AllocationID == "" && ng.State != "deleted" && ng.State != "failed" {
				x.publicIPs[a.PublicIP] = string(ng.ID)
			}
		}
	}
	for _, c := range st.VpnConnections {
		if c.State != "deleted" {
			for _, tu := range c.Tunnels {
				x.publicIPs[tu.OutsideIP] = string(c.ID)
			}
		}
	}
}

// holdPublicIP marks a public address as used by owner (hold) or frees
// it when owner holds it, in the public address index, undone with the
// transaction: a VPN tunnel's outside address, so that no Elastic IP or
// ENI gets it while the connection exists.
func (t *txn) holdPublicIP(a netip.Addr, owner string, hold bool) {
	x := &t.e.idx
	prev, had := x.publicIPs[a]
	if hold {
		x.publicIPs[a] = owner
	} else if prev == owner {
		delete(x.publicIPs, a)
	}
	t.onUndo(func() {
		if had {
			x.publicIPs[a] = prev
		} else {
			delete(x.publicIPs, a)
		}
	})
}

// countENI adds (sign +1) or removes (-1) an ENI from the dependency
// counts.
func (x *indexes) countENI(n *model.NetworkInterface, sign int) {
	bump(x.subnetENIs, n.SubnetID, sign)
	if _, ok := n.PublicIP(); ok {
		bump(x.vpcPublicENIs, n.VpcID, sign)
	}
	for i, g := range n.SecurityGroups {
		if !slices.Contains(n.SecurityGroups[:i], g) {
			bump(x.sgENIs, g, sign)
		}
	}
}

func (x *indexes) addENI(n *model.NetworkInterface) {
	x.countENI(n, +1)
	if n.Attachment != nil && n.Attachment.InstanceID != "" {
		addTo(x.instanceENIs, n.Attachment.InstanceID, n.ID)
	}
	if n.Attachment != nil && n.Attachment.ID != "" {
		x.attachments[n.Attachment.ID] = n.ID
	}
	if n.TrunkID != "" {
		addTo(x.trunkVLANs, n.TrunkID, n.VlanID)
	}
	x.subnetAddrs[n.SubnetID] += len(n.PrivateIPs)
	for _, a := range n.IPv6 {
		x.privateIPs[vpcAddr{n.VpcID, a}] = n.ID
	}
	for _, p := range n.PrivateIPs {
		x.privateIPs[vpcAddr{n.VpcID, p.Addr}] = n.ID
		if p.PublicIP != nil && p.PublicIP.AllocationID == "" {
			x.publicIPs[p.PublicIP.PublicIP] = string(n.ID)
		}
	}
}

func (x *indexes) removeENI(n *model.NetworkInterface) {
	x.countENI(n, -1)
	if n.Attachment != nil && n.Attachment.InstanceID != "" {
		removeFrom(x.instanceENIs, n.Attachment.InstanceID, n.ID)
	}
	if n.Attachment != nil && x.attachments[n.Attachment.ID] == n.ID {
		delete(x.attachments, n.Attachment.ID)
	}
	if n.TrunkID != "" {
		removeFrom(x.trunkVLANs, n.TrunkID, n.VlanID)
	}
	if x.subnetAddrs[n.SubnetID] -= len(n.PrivateIPs); x.subnetAddrs[n.SubnetID] <= 0 {
		delete(x.subnetAddrs, n.SubnetID)
	}
	for _, a := range n.IPv6 {
		if x.privateIPs[vpcAddr{n.VpcID, a}] == n.ID {
			delete(x.privateIPs, vpcAddr{n.VpcID, a})
		}
	}
	for _, p := range n.PrivateIPs {
		if x.privateIPs[vpcAddr{n.VpcID, p.Addr}] == n.ID {
			delete(x.privateIPs, vpcAddr{n.VpcID, p.Addr})
			if from, ok := x.ipFrom[n.SubnetID]; ok && p.Addr.Less(from) {
				x.ipFrom[n.SubnetID] = p.Addr
			}
		}
		if p.PublicIP != nil && p.PublicIP.AllocationID == "" && x.publicIPs[p.PublicIP.PublicIP] == string(n.ID) {
			delete(x.publicIPs, p.PublicIP.PublicIP)
		}
	}
}

func (x *indexes) addTask(tk *model.Task) {
	x.countTask(tk, +1)
	if strings.HasPrefix(tk.Group, daemonGroup("")) {
		bump(x.daemonTDTasks, tk.TaskDefinitionARN, +1)
		x.daemonGen[tk.ClusterARN]++
	}
	if tk.Active() {
		bump(x.clusterTasks, tk.ClusterARN, +1)
	}
	if tk.ClientToken != "" {
		addTo(x.clientTokens, tokenKey{tk.ClusterARN, tk.ClientToken}, tk.ARN)
	}
	if moving(tk) {
		heap.Push(&x.due, dueTask{tk.NextTransition, tk.ARN})
	}
	if tk.AwaitingCapacity && tk.Active() {
		x.awaiting[tk.ARN] = struct{}{}
		bump(x.clusterAwaiting, tk.ClusterARN, +1)
	}
	if tk.LastStatus == model.TaskStopped && (x.replacing == nil || x.replacing.LastStatus != model.TaskStopped || !x.replacing.StoppedAt.Equal(tk.StoppedAt)) {
		heap.Push(&x.stopped, dueTask{tk.StoppedAt, tk.ARN})
	}
	if tk.ContainerInstanceARN == "" || !tk.Active() {
		return
	}
	u := x.hosts[tk.ContainerInstanceARN]
	if u == nil {
		u = &hostUsage{}
		x.hosts[tk.ContainerInstanceARN] = u
	}
	u.apply(tk, +1)
}

func (x *indexes) removeTask(tk *model.Task) {
	x.countTask(tk, -1)
	if strings.HasPrefix(tk.Group, daemonGroup("")) {
		bump(x.daemonTDTasks, tk.TaskDefinitionARN, -1)
		x.daemonGen[tk.ClusterARN]++
	}
	if tk.Active() {
		bump(x.clusterTasks, tk.ClusterARN, -1)
	}
	if tk.ClientToken != "" {
		removeFrom(x.clientTokens, tokenKey{tk.ClusterARN, tk.ClientToken}, tk.ARN)
	}
	if tk.AwaitingCapacity && tk.Active() {
		bump(x.clusterAwaiting, tk.ClusterARN, -1)
	}
	delete(x.awaiting, tk.ARN)
	if tk.ContainerInstanceARN == "" || !tk.Active() {
		return
	}
	if u := x.hosts[tk.ContainerInstanceARN]; u != nil {
		u.apply(tk, -1)
	}
}

// countTask adds (sign +1) or removes (-1) a task from the service and
// group counts.
func (x *indexes) countTask(tk *model.Task, sign int) {
	if tk.Active() && len(tk.Attachments) > 0 {
		m := x.groupSubnets[tk.Group]
		if m == nil {
			m = map[model.SubnetID]int{}
			x.groupSubnets[tk.Group] = m
		}
		m[tk.Attachments[0].SubnetID] += sign
		if m[tk.Attachments[0].SubnetID] == 0 {
			delete(m, tk.Attachments[0].SubnetID)
			if len(m) == 0 {
				delete(x.groupSubnets, tk.Group)
			}
		}
	}
	if tk.ServiceName == "" {
		return
	}
	k := svcKey{tk.ClusterARN, tk.ServiceName}
	u := x.services[k]
	if u == nil {
		u = &svcUsage{wanted: map[string]struct{}{}, byDeploy: map[deployKey]int{}, failed: map[string]int{}, unhealthy: map[string]int{}, byStatus: map[string][2]int{},
			activeBy: map[string]int{}, order: map[deployKey]*arnOrder{}, healthyBy: map[string]int{}}
		x.services[k] = u
	}
	if tk.DesiredStatus == model.TaskRunning {
		if sign > 0 {
			u.wanted[tk.ARN] = struct{}{}
		} else {
			delete(u.wanted, tk.ARN)
		}
		dk := deployKey{tk.StartedBy, tk.TaskDefinitionARN}
		u.byDeploy[dk] += sign
		if u.byDeploy[dk] == 0 {
			delete(u.byDeploy, dk)
			if x.replacing == nil { // else putTask decides, once the new version is in
				delete(u.order, dk)
			}
		}
		if r := x.replacing; sign > 0 && (r == nil || r.DesiredStatus != model.TaskRunning || r.StartedBy != tk.StartedBy || r.TaskDefinitionARN != tk.TaskDefinitionARN) {
			// Newly wanted (not a change of a wanted task, whose ARN
			// the heaps hold already).
			o := u.order[dk]
			if o == nil {
				o = &arnOrder{hi: arnHeap{max: true}}
				u.order[dk] = o
			}
			heap.Push(&o.lo, tk.ARN)
			heap.Push(&o.hi, tk.ARN)
		}
		if tk.LastStatus == model.TaskRunning {
			u.running += sign
			if tk.TargetsHealthy {
				u.healthy += sign
				u.healthyBy[tk.StartedBy] += sign
				if u.healthyBy[tk.StartedBy] == 0 {
					delete(u.healthyBy, tk.StartedBy)
				}
			}
		}
		c := u.byStatus[tk.StartedBy]
		switch tk.LastStatus {
		case model.TaskRunning:
			c[0] += sign
		case model.TaskProvisioning, model.TaskPending, model.TaskActivating:
			c[1] += sign
		}
		if c == ([2]int{}) {
			delete(u.byStatus, tk.StartedBy)
		} else {
			u.byStatus[tk.StartedBy] = c
		}
	}
	if tk.Active() {
		u.active += sign
		u.activeBy[tk.StartedBy] += sign
		if u.activeBy[tk.StartedBy] == 0 {
			delete(u.activeBy, tk.StartedBy)
		}
	}
	if tk.StopCode == "TaskFailedToStart" {
		u.failed[tk.StartedBy] += sign
		if u.failed[tk.StartedBy] == 0 {
			delete(u.failed, tk.StartedBy)
		}
	}
	if failedELBHealth(tk) {
		u.unhealthy[tk.StartedBy] += sign
		if u.unhealthy[tk.StartedBy] == 0 {
			delete(u.unhealthy, tk.StartedBy)
		}
	}
}

// observe keeps the instance, container instance and NAT gateway indexes
// in step with a change from old to v (either may be nil); put and del
// call it for every resource, and again in reverse when undoing.
func (x *indexes) observe(old, v any) {
	switch v := v.(type) {
	case *model.Instance:
		o, _ := old.(*model.Instance)
		x.observeInstance(o, -1)
		x.observeInstance(v, +1)
		return
	case *model.ContainerInstance:
		o, _ := old.(*model.ContainerInstance)
		x.observeCI(o, -1)
		x.observeCI(v, +1)
		return
	case *model.NatGateway:
		o, _ := old.(*model.NatGateway)
		x.observeNAT(o, -1)
		x.observeNAT(v, +1)
		return
	case *model.DiscoveryOperation:
		if o, _ := old.(*model.DiscoveryOperation); o != nil {
			setIf(x.pendingOps, o.ID, o.Status == model.OperationSubmitted, -1)
		}
		setIf(x.pendingOps, v.ID, v.Status == model.OperationSubmitted, +1)
		return
	}
	switch o := old.(type) {
	case *model.Instance:
		x.observeInstance(o, -1)
	case *model.ContainerInstance:
		x.observeCI(o, -1)
	case *model.NatGateway:
		x.observeNAT(o, -1)
	case *model.DiscoveryOperation:
		setIf(x.pendingOps, o.ID, o.Status == model.OperationSubmitted, -1)
	}
}

func setIf[K comparable](m map[K]struct{}, k K, cond bool, sign int) {
	if !cond {
		return
	}
	if sign > 0 {
		m[k] = struct{}{}
	} else {
		delete(m, k)
	}
}

// instanceMoves reports whether Step moves an instance in this state on
// (the cases of stepInfrastructure's instance loop).
func instanceMoves(s model.InstanceState) bool {
	return s == model.InstancePending || s == model.InstanceShuttingDown || s == model.InstanceStopping
}

func (x *indexes) observeInstance(i *model.Instance, sign int) {
	if i == nil {
		return
	}
	setIf(x.instWork, i.ID, instanceMoves(i.State), sign)
	setIf(x.ecsHosts, i.ID, i.State == model.InstanceRunning && model.UserDataECSCluster(i.UserData) != "", sign)
	if i.AutoScalingGroup != "" {
		if sign > 0 {
			addTo(x.asgMembers, i.AutoScalingGroup, i.ID)
		} else {
			removeFrom(x.asgMembers, i.AutoScalingGroup, i.ID)
		}
	}
}

func (x *indexes) observeCI(ci *model.ContainerInstance, sign int) {
	if ci == nil {
		return
	}
	x.daemonGen[ci.ClusterARN]++
	setIf(x.registering, ci.ARN, ci.Status == "REGISTERING", sign)
	setIf(x.agentUpdates, ci.ARN, agentUpdating(ci.AgentUpdateStatus), sign)
	if ci.Status == "ACTIVE" {
		if x.activeCIs[ci.ClusterARN] += sign; x.activeCIs[ci.ClusterARN] == 0 {
			delete(x.activeCIs, ci.ClusterARN)
		}
	}
	if ci.Status != "INACTIVE" {
		bump(x.clusterCIs, ci.ClusterARN, sign)
		if sign > 0 {
			addTo(x.instanceCIs, ci.EC2InstanceID, ci.ARN)
		} else {
			removeFrom(x.instanceCIs, ci.EC2InstanceID, ci.ARN)
		}
		x.liveCIs[ci.EC2InstanceID] += sign
		if x.liveCIs[ci.EC2InstanceID] == 0 {
			delete(x.liveCIs, ci.EC2InstanceID)
		}
	}
}

func (x *indexes) observeNAT(ng *model.NatGateway, sign int) {
	if ng == nil {
		return
	}
	setIf(x.pendingNATs, ng.ID, ng.State == "pending" || ng.State == "failed" || ng.State == "deleted", sign)
}

func addTo[K, V comparable](m map[K]map[V]struct{}, k K, v V) {
	set := m[k]
	if set == nil {
		set = map[V]struct{}{}
		m[k] = set
	}
	set[v] = struct{}{}
}

func removeFrom[K, V comparable](m map[K]map[V]struct{}, k K, v V) {
	if set := m[k]; set != nil {
		delete(set, v)
		if len(set) == 0 {
			delete(m, k)
		}
	}
}

// putTask stores a task and keeps the host index in step.
func (t *txn) putTask(tk *model.Task) {
	x := &t.e.idx
	old := t.st.Tasks[tk.ARN]
	if old != nil {
		x.replacing = old
		x.removeTask(old)
		t.onUndo(func() { x.removeTask(tk); x.addTask(old) })
	} else {
		t.onUndo(func() { x.removeTask(tk) })
	}
	x.addTask(tk)
	x.replacing = nil
	if old != nil && old.ServiceName != "" {
		// The old version's deployment may have no wanted task left.
		if u := x.services[svcKey{old.ClusterARN, old.ServiceName}]; u != nil {
			if dk := (deployKey{old.StartedBy, old.TaskDefinitionARN}); u.byDeploy[dk] == 0 {
				delete(u.order, dk)
			}
		}
	}
	put(t, model.KindTask, t.st.Tasks, tk.ARN, tk)
}

// deleteTask removes a task from the state.
func (t *txn) deleteTask(tk *model.Task) {
	x := &t.e.idx
	x.removeTask(tk)
	t.onUndo(func() { x.addTask(tk) })
	del(t, model.KindTask, t.st.Tasks, tk.ARN)
}

// instanceENIs returns the ENIs attached to an instance, by device index.
func (t *txn) instanceENIs(id model.InstanceID) []*model.NetworkInterface {
	set := t.e.idx.instanceENIs[id]
	out := make([]*model.NetworkInterface, 0, len(set))
	for eni := range set {
		out = append(out, t.st.NetworkInterfaces[eni])
	}
	slices.SortFunc(out, func(a, b *model.NetworkInterface) int { return a.Attachment.DeviceIndex - b.Attachment.DeviceIndex })
	return out
}

// hostTasks returns the active (not STOPPED) tasks on a container
// instance, by ARN.
func (t *txn) hostTasks(ci string) []*model.Task {
	u := t.e.idx.hosts[ci]
	if u == nil {
		return nil
	}
	out := make([]*model.Task, 0, len(u.arns))
	for _, arn := range sortedKeys(u.arns) {
		out = append(out, t.st.Tasks[arn])
	}
	return out
}

// host returns what the tasks on a container instance use.
func (t *txn) host(ci string) *hostUsage {
	if u := t.e.idx.hosts[ci]; u != nil {
		return u
	}
	return &hostUsage{}
}

// putENI stores an ENI and keeps the address indexes in step.
func (t *txn) putENI(n *model.NetworkInterface) {
	x := &t.e.idx
	if old := t.st.NetworkInterfaces[n.ID]; old != nil {
		x.removeENI(old)
		t.onUndo(func() { x.removeENI(n); x.addENI(old) })
	} else {
		t.onUndo(func() { x.removeENI(n) })
	}
	x.addENI(n)
	put(t, model.KindNetworkInterface, t.st.NetworkInterfaces, n.ID, n)
}

// deleteENI removes an ENI and its addresses from the indexes.
func (t *txn) deleteENI(id model.NetworkInterfaceID) {
	old := t.st.NetworkInterfaces[id]
	if old == nil {
		return
	}
	x := &t.e.idx
	x.removeENI(old)
	t.onUndo(func() { x.addENI(old) })
	del(t, model.KindNetworkInterface, t.st.NetworkInterfaces, id)
	t.dropFlowLogs(string(id))
}

// putAddress stores an Elastic IP and indexes its public address.
func (t *txn) putAddress(a *model.Address) {
	x := &t.e.idx
	_, had := x.publicIPs[a.PublicIP]
	prev := x.publicIPs[a.PublicIP]
	x.publicIPs[a.PublicIP] = string(a.AllocationID)
	t.onUndo(func() {
		if had {
			x.publicIPs[a.PublicIP] = prev
		} else {
			delete(x.publicIPs, a.PublicIP)
		}
	})
	put(t, model.KindAddress, t.st.Addresses, a.AllocationID, a)
}

// deleteAddress releases an Elastic IP.
func (t *txn) deleteAddress(id model.AllocationID) {
	old := t.st.Addresses[id]
	if old == nil {
		return
	}
	x := &t.e.idx
	delete(x.publicIPs, old.PublicIP)
	t.onUndo(func() { x.publicIPs[old.PublicIP] = string(id) })
	del(t, model.KindAddress, t.st.Addresses, id)
}

// seedManaged adds what AWS provides in every region: the managed prefix
// lists of the gateway endpoint services. A state that already holds an
// AWS-managed list of the same name keeps its own (a snapshot's, or a
// saved state's from before the list's id was the Region's).
func (e *Engine) seedManaged() {
	have := map[string]bool{}
	for _, pl := range e.st.PrefixLists {
		if pl.Owner == "" {
			have[pl.Name] = true
		}
	}
	for _, pl := range managedPrefixLists(e.cfg.Region) {
		if e.st.PrefixLists[pl.ID] == nil && !have[pl.Name] {
			e.st.PrefixLists[pl.ID] = pl
		}
	}
}

// s3PrefixListIDs and dynamodbPrefixListIDs are the ids of the gateway
// endpoint services' AWS-managed prefix lists by Region, as
// describe-prefix-lists answers them there (docs/aws-behavior.md, "Round
// thirty-two: managed prefix list ids"). A Region not listed gets
// us-east-1's id ([choice]).
var (
	s3PrefixListIDs = map[string]model.PrefixListID{
		"us-east-1": "pl-63a5400a", "us-east-2": "pl-7ba54012",
		"us-west-1": "pl-6ba54002", "us-west-2": "pl-68a54001",
		"eu-west-1": "pl-6da54004", "eu-west-2": "pl-7ca54015",
		"eu-central-1": "pl-6ea54007", "eu-north-1": "pl-c3aa4faa",
		"ap-northeast-1": "pl-61a54008", "ap-northeast-2": "pl-78a54011",
		"ap-southeast-1": "pl-6fa54006", "ap-southeast-2": "pl-6ca54005",
		"ap-south-1": "pl-78a54011", "sa-east-1": "pl-6aa54003",
	}
	dynamodbPrefixListIDs = map[string]model.PrefixListID{
		"us-east-1": "pl-02cd2c6b", "us-east-2": "pl-4ca54025",
		"us-west-1": "pl-6ea54007", "us-west-2": "pl-00a54069",
		"eu-west-1": "pl-6fa54006", "eu-west-2": "pl-b3a742da",
		"eu-central-1": "pl-66a5400f", "eu-north-1": "pl-adae4bc4",
		"ap-northeast-1": "pl-78a54011", "ap-northeast-2": "pl-48a54021",
		"ap-southeast-1": "pl-67a5400e", "ap-southeast-2": "pl-62a5400b",
		"ap-south-1": "pl-66a7420f",
	}
)

// regionalPrefixListID is a gateway service's list id in region, or
// us-east-1's where the Region's is not known.
func regionalPrefixListID(ids map[string]model.PrefixListID, region string) model.PrefixListID {
	if id, ok := ids[region]; ok {
		return id
	}
	return ids["us-east-1"]
}

// managedPrefixLists returns the AWS-managed prefix lists of a region: the
// ids are the Region's; the CIDRs are us-east-1's in every Region (only the
// analyzer reads them; see docs/aws-behavior.md).
func managedPrefixLists(region string) []*model.PrefixList {
	return []*model.PrefixList{
		{ID: regionalPrefixListID(s3PrefixListIDs, region), Name: "com.amazonaws." + region + ".s3", CIDRs: []netip.Prefix{
			netip.MustParsePrefix("16.182.0.0/16"), netip.MustParsePrefix("3.5.0.0/19"),
			netip.MustParsePrefix("44.192.134.240/28"), netip.MustParsePrefix("44.192.140.64/28"),
			netip.MustParsePrefix("52.216.0.0/15"), netip.MustParsePrefix("54.231.0.0/16"),
		}},
		{ID: regionalPrefixListID(dynamodbPrefixListIDs, region), Name: "com.amazonaws." + region + ".dynamodb", CIDRs: []netip.Prefix{
			netip.MustParsePrefix("3.218.180.0/22"), netip.MustParsePrefix("52.94.0.0/22"),
			netip.MustParsePrefix("52.119.224.0/20"),
		}},
		// CloudFront's origin-facing addresses, the list that ALB and
		// instance groups behind CloudFront allow (AWS gives it the
		// weight 55 against a group's rule quota: PrefixList.Weight). Its id is us-east-1's; the CIDRs are a few of its ranges
		// ([choice]: the list holds about 50 and changes with CloudFront's
		// ip-ranges).
		{ID: "pl-3b927c52", Name: "com.amazonaws.global.cloudfront.origin-facing", CIDRs: []netip.Prefix{
			netip.MustParsePrefix("15.158.0.0/16"), netip.MustParsePrefix("64.252.64.0/18"),
			netip.MustParsePrefix("70.132.0.0/18"), netip.MustParsePrefix("130.176.0.0/17"),
		}},
	}
}
