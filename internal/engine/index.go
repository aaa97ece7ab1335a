package engine

import (
	"net/netip"
	"slices"

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
}

// hostUsage is what the active (not STOPPED) tasks on a container instance
// hold: kept in step as tasks change, so placement never walks a host's
// tasks.
type hostUsage struct {
	cpu, mem, enis, tasks int
	groups                map[string]int // tasks per group
	ports                 map[model.Protocol]map[uint16]int
}

func (u *hostUsage) apply(tk *model.Task, sign int) {
	cpu, mem := taskCPUMem(nil, tk)
	u.cpu += sign * cpu
	u.mem += sign * mem
	u.tasks += sign
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
			u.ports[proto][b.HostPort] += sign
			if u.ports[proto][b.HostPort] == 0 {
				delete(u.ports[proto], b.HostPort)
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
	for _, n := range st.NetworkInterfaces {
		x.addENI(n)
	}
	for _, tk := range st.Tasks {
		x.addTask(tk)
	}
	for _, a := range st.Addresses {
		x.publicIPs[a.PublicIP] = string(a.AllocationID)
	}
}

func (x *indexes) addENI(n *model.NetworkInterface) {
	if n.Attachment != nil && n.Attachment.InstanceID != "" {
		addTo(x.instanceENIs, n.Attachment.InstanceID, n.ID)
	}
	for _, p := range n.PrivateIPs {
		x.privateIPs[vpcAddr{n.VpcID, p.Addr}] = n.ID
		if p.PublicIP != nil && p.PublicIP.AllocationID == "" {
			x.publicIPs[p.PublicIP.PublicIP] = string(n.ID)
		}
	}
}

func (x *indexes) removeENI(n *model.NetworkInterface) {
	if n.Attachment != nil && n.Attachment.InstanceID != "" {
		removeFrom(x.instanceENIs, n.Attachment.InstanceID, n.ID)
	}
	for _, p := range n.PrivateIPs {
		if x.privateIPs[vpcAddr{n.VpcID, p.Addr}] == n.ID {
			delete(x.privateIPs, vpcAddr{n.VpcID, p.Addr})
		}
		if p.PublicIP != nil && p.PublicIP.AllocationID == "" && x.publicIPs[p.PublicIP.PublicIP] == string(n.ID) {
			delete(x.publicIPs, p.PublicIP.PublicIP)
		}
	}
}

func (x *indexes) addTask(tk *model.Task) {
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
	if tk.ContainerInstanceARN == "" || !tk.Active() {
		return
	}
	if u := x.hosts[tk.ContainerInstanceARN]; u != nil {
		u.apply(tk, -1)
	}
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
	if old := t.st.Tasks[tk.ARN]; old != nil {
		x.removeTask(old)
		t.onUndo(func() { x.removeTask(tk); x.addTask(old) })
	} else {
		t.onUndo(func() { x.removeTask(tk) })
	}
	x.addTask(tk)
	put(t, model.KindTask, t.st.Tasks, tk.ARN, tk)
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
// lists of the gateway endpoint services (a state that has them, from a
// snapshot, keeps its own).
func (e *Engine) seedManaged() {
	for _, pl := range managedPrefixLists(e.cfg.Region) {
		if e.st.PrefixLists[pl.ID] == nil {
			e.st.PrefixLists[pl.ID] = pl
		}
	}
}

// managedPrefixLists returns the AWS-managed prefix lists of a region. The
// ids and CIDRs are those of us-east-1 (see docs/aws-behavior.md); other
// regions get the same ranges, which only the analyzer looks at.
func managedPrefixLists(region string) []*model.PrefixList {
	return []*model.PrefixList{
		{ID: "pl-63a5400a", Name: "com.amazonaws." + region + ".s3", CIDRs: []netip.Prefix{
			netip.MustParsePrefix("16.182.0.0/16"), netip.MustParsePrefix("3.5.0.0/19"),
			netip.MustParsePrefix("44.192.134.240/28"), netip.MustParsePrefix("44.192.140.64/28"),
			netip.MustParsePrefix("52.216.0.0/15"), netip.MustParsePrefix("54.231.0.0/16"),
		}},
		{ID: "pl-02cd2c6b", Name: "com.amazonaws." + region + ".dynamodb", CIDRs: []netip.Prefix{
			netip.MustParsePrefix("3.218.180.0/22"), netip.MustParsePrefix("52.94.0.0/22"),
			netip.MustParsePrefix("52.119.224.0/20"),
		}},
	}
}
