package dataplane

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Gateway Load Balancer endpoints (round 38), as the analyzer follows
// them (reach/gwlb.go). A route to a GWLB endpoint leads to its network
// interface, in a namespace of its own without security groups (a GWLB
// endpoint has none), which hands each packet to its Gateway Load
// Balancer's appliance and, when the appliance gives it back, to the VPC
// router by its subnet, whose route table routes it on ("bump in the
// wire": PrivateLink guide, "Gateway Load Balancer endpoints"). GENEVE is
// not built: a veth links the endpoint's namespace to each appliance it
// may use (an instance of the Gateway Load Balancer's target group, in
// the endpoint's zone unless cross-zone load balancing is on, the
// analyzer's gwlbAppliance), and the appliance forwards what comes in on
// it back out of it, as the stateful firewall inspection.go builds for
// appliance instances: its conntrack drops a packet of a flow it never
// saw start. The endpoint sends to the first healthy appliance in
// registration order, by the Gateway Load Balancer node of its zone's
// real health checks (elbproxy's, from the node's namespace and address,
// so the appliances' security groups and network ACLs must admit them:
// "The security group for your targets must allow traffic from the load
// balancer on the health check port", Gateway Load Balancer guide), and
// drops every packet when none is healthy (the analyzer's [choice]: an
// appliance that fails its health check returns nothing). The node keeps
// checking while the system is up and the endpoint follows its choice.
// Not built: GENEVE itself (the appliances' groups are not asked to admit
// UDP 6081 from the node, as the analyzer's geneveReaches asks), IPv6
// routes to an endpoint, an endpoint whose service the state does not
// hold (refused).

const (
	gwlbTransitBase = 14336      // transit numbers of the endpoint-to-appliance links
	gwlbMarkBase    = 0x6e1b0000 // an endpoint's mark for its appliance k
	gwlbTableBase   = 3000       // an endpoint's table for appliance k; an appliance's for its link
)

// GWLBForward is a Gateway Load Balancer endpoint whose table "gwlb" (in
// NS) marks what it receives for one of Candidates, the appliances it may
// send to, chosen by the health checks of the load balancer's node in
// NodeNS (its zone's).
type GWLBForward struct {
	NS, NodeNS     string
	LBARN          string
	Zone           string
	TargetGroupARN string
	Candidates     []GWLBAppliance
}

// GWLBAppliance is an appliance a Gateway Load Balancer endpoint may send
// to, by Mark.
type GWLBAppliance struct {
	ID   string
	Port uint16
	Mark uint32
}

// gwlbService returns the Gateway Load Balancer a GWLB endpoint's service
// has in zone and its listener's target group (nil, nil: none), and
// whether the state holds the service.
func (pl *planner) gwlbService(ep *model.VpcEndpoint, zone string) (*model.LoadBalancer, *model.TargetGroup, bool) {
	id, ok := model.VpceServiceID(pl.st.Region, ep.ServiceName)
	if !ok {
		return nil, nil, false
	}
	svc := pl.st.EndpointServices[id]
	if svc == nil {
		return nil, nil, false
	}
	for _, arn := range svc.GatewayLBs {
		lb := pl.st.LoadBalancers[arn]
		if lb == nil || !slices.ContainsFunc(lb.Nodes, func(n model.LoadBalancerNode) bool { return n.AvailabilityZone == zone }) {
			continue
		}
		for _, l := range sorted(pl.st.Listeners, func(l *model.Listener) string { return l.ARN }) {
			if l.LoadBalancerARN != lb.ARN {
				continue
			}
			for _, a := range l.DefaultActions {
				if arn := a.MainTargetGroup(); a.Type == "forward" && arn != "" {
					return lb, pl.st.TargetGroups[arn], true
				}
			}
			break
		}
		return lb, nil, true
	}
	return nil, nil, true
}

// gwlbKnown reports whether the state holds the endpoint service of a
// GWLB endpoint (not a firewall's): a snapshot holds the consumer's side
// only, and the data plane cannot tell which appliances the packet meets.
func gwlbKnown(st *model.State, ep *model.VpcEndpoint) bool {
	id, ok := model.VpceServiceID(st.Region, ep.ServiceName)
	return ok && st.EndpointServices[id] != nil
}

// gwlbEndpoints gives each Gateway Load Balancer endpoint (not a
// firewall's) its namespace, links it to its appliances and sends what
// it receives to the first of them until the node's health checks choose
// (System.gwlbHealth).
func (pl *planner) gwlbEndpoints() {
	applianceLink := map[string]int{} // per appliance namespace: links so far
	for _, ep := range sorted(pl.st.VpcEndpoints, func(e *model.VpcEndpoint) string { return string(e.ID) }) {
		if ep.Type != "GatewayLoadBalancer" || firewallEndpoint(pl.st, ep) || len(ep.NetworkInterfaces) == 0 {
			continue
		}
		e := pl.st.NetworkInterfaces[ep.NetworkInterfaces[0]]
		if e == nil || pl.st.Subnets[e.SubnetID] == nil {
			continue
		}
		zone := pl.st.Subnets[e.SubnetID].AvailabilityZone
		ns := pl.ns("w", "gwlbe", string(ep.ID))
		pl.p.Nodes[string(ep.ID)] = ns
		pl.sysctl(ns, "net/ipv4/ip_forward", "1")
		pl.attachENIs(ns, []*model.NetworkInterface{e}, false, false)
		in := Chain{Name: "in", Hook: "input", Type: "filter", Priority: 0, Rules: []Rule{
			{CtEstablished: true, Verdict: Verdict{Kind: "accept"}},
			{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: "a Gateway Load Balancer endpoint accepts no connection"},
		}}
		pre := Chain{Name: "pre", Hook: "prerouting", Type: "filter", Priority: -140}
		tab := Table{NS: ns, Name: "gwlb", Chains: []Chain{in, pre}}
		drop := func(why string) {
			tab.Chains[1].Rules = []Rule{{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: why}}
			pl.p.Tables = append(pl.p.Tables, tab)
		}
		if !endpointLive(ep) {
			drop("the endpoint is " + ep.State + ", not available")
			continue
		}
		lb, tg, _ := pl.gwlbService(ep, zone)
		if lb == nil || tg == nil || (lb.State != "" && lb.State != "active") {
			drop("no Gateway Load Balancer of the service forwards in " + zone)
			continue
		}
		nodeNS := ""
		for _, n := range pl.p.LoadBalancers {
			if s := pl.st.Subnets[n.Subnet]; n.LBARN == lb.ARN && s != nil && s.AvailabilityZone == zone {
				nodeNS = n.NS
				break
			}
		}
		zones := map[string]bool{}
		for _, n := range lb.Nodes {
			zones[n.AvailabilityZone] = true
		}
		f := GWLBForward{NS: ns, NodeNS: nodeNS, LBARN: lb.ARN, Zone: zone, TargetGroupARN: tg.ARN}
		for _, x := range tg.Targets.All() {
			if x.Draining || (x.AvailabilityZone != "all" && x.AvailabilityZone != "" && !zones[x.AvailabilityZone]) ||
				(!lb.CrossZone && x.AvailabilityZone != "all" && x.AvailabilityZone != "" && x.AvailabilityZone != zone) {
				continue
			}
			app := pl.applianceNS(tg, x)
			if app == "" {
				continue
			}
			k := len(f.Candidates)
			n := pl.nsSeq["gwlink"]
			pl.nsSeq["gwlink"]++
			near, far := transit(gwlbTransitBase + n)
			dev, adev := "a"+strconv.Itoa(k), "w"+strconv.Itoa(applianceLink[app])
			atbl := gwlbTableBase + applianceLink[app]
			applianceLink[app]++
			pl.veth(ns, dev, app, adev, "")
			pl.addr(ns, dev, netip.PrefixFrom(near, 30))
			pl.addr(app, adev, netip.PrefixFrom(far, 30))
			mark := uint32(gwlbMarkBase + k)
			pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: ns, Priority: 50, Mark: mark, Table: gwlbTableBase + k})
			pl.route(Route{NS: ns, Table: gwlbTableBase + k, Dst: netip.MustParsePrefix("0.0.0.0/0"), Via: far, Dev: dev})
			// The appliance gives back what it gets on the link.
			pl.sysctl(app, "net/ipv4/ip_forward", "1")
			pl.p.Rules = append(pl.p.Rules, PolicyRule{NS: app, Priority: 50, IIf: adev, Table: atbl})
			pl.route(Route{NS: app, Table: atbl, Dst: netip.MustParsePrefix("0.0.0.0/0"), Via: near, Dev: adev})
			pl.p.Tables = append(pl.p.Tables, Table{NS: app, Name: "gwlb" + strconv.Itoa(applianceLink[app]-1), Chains: []Chain{{
				Name: "fwd", Hook: "forward", Type: "filter", Priority: -170, Rules: []Rule{
					{IIf: adev, CtInvalid: true, Verdict: Verdict{Kind: "drop"}, Comment: "a stateful appliance: no packet of a flow it did not see start"},
					{IIf: adev, OIf: adev, Verdict: Verdict{Kind: "accept"}, Comment: "back to the Gateway Load Balancer endpoint"},
				}}}})
			pl.openDocker(app, adev)
			f.Candidates = append(f.Candidates, GWLBAppliance{ID: x.ID, Port: x.Port, Mark: mark})
		}
		if len(f.Candidates) == 0 || nodeNS == "" {
			drop("no appliance of " + tg.Name + " serves " + zone)
			continue
		}
		tab.Chains[1].Rules = []Rule{{IIf: "eth0", Verdict: Verdict{Kind: "mark", Mark: f.Candidates[0].Mark}, Comment: "to the appliance " + f.Candidates[0].ID}}
		pl.p.Tables = append(pl.p.Tables, tab)
		pl.p.GWLBForwards = append(pl.p.GWLBForwards, f)
	}
}

// applianceNS is the namespace of a Gateway Load Balancer's target: an
// instance's, or the holder of an ip target's address; "" for none.
func (pl *planner) applianceNS(tg *model.TargetGroup, x model.Target) string {
	if a, ok := x.TargetAddr(); ok {
		for _, e := range sorted(pl.st.NetworkInterfaces, func(e *model.NetworkInterface) string { return string(e.ID) }) {
			if slices.ContainsFunc(e.PrivateIPs, func(p model.PrivateIP) bool { return p.Addr == a }) {
				return pl.eniNS[e.ID]
			}
		}
		return ""
	}
	if i := pl.st.Instances[model.InstanceID(x.ID)]; i != nil && i.State == model.InstanceRunning {
		return pl.p.Nodes[string(i.ID)]
	}
	return ""
}

// openDocker lets an instance whose bridge tasks' table forwards only
// docker0 forward what comes in on dev too.
func (pl *planner) openDocker(ns, dev string) {
	for i := range pl.p.Tables {
		t := &pl.p.Tables[i]
		if t.NS != ns || t.Name != "docker" {
			continue
		}
		t.Chains[0].Rules = append([]Rule{{IIf: dev, Verdict: Verdict{Kind: "accept"}}, {OIf: dev, Verdict: Verdict{Kind: "accept"}}}, t.Chains[0].Rules...)
	}
}

// gwlbEndpoint is a Gateway Load Balancer endpoint that sends to the
// appliance its node's health checks choose (Plan.GWLBForwards).
type gwlbEndpoint struct {
	f    GWLBForward
	path string
	p    *elbproxy.LoadBalancer
	kick chan struct{}
	ctx  context.Context
	stop context.CancelFunc

	mu    sync.Mutex
	table Table
}

// gwlbHealth has each Gateway Load Balancer endpoint send to the first
// appliance its zone's node finds healthy (none: drop), as the node's
// health checks settle and then as they change.
func (s *System) gwlbHealth(ctx context.Context) error {
	scale := s.opt.LBTimeScale
	if scale == 0 {
		scale = 1
	}
	for _, f := range s.plan.GWLBForwards {
		g := &gwlbEndpoint{f: f, path: filepath.Join(s.opt.NetnsDir, f.NS), kick: make(chan struct{}, 1)}
		nodePath := filepath.Join(s.opt.NetnsDir, f.NodeNS)
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialTimed(ctx, nodePath, network, addr)
		}
		kick := func() {
			select {
			case g.kick <- struct{}{}:
			default:
			}
		}
		p, err := elbproxy.New(s.st, f.LBARN, elbproxy.Options{Dial: dial, Zone: f.Zone, TimeScale: scale, Deterministic: true, OnHealthChange: kick})
		if err != nil {
			return fmt.Errorf("gateway load balancer node %s: %w", f.NodeNS, err)
		}
		g.p = p
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		p.Settle(sctx)
		cancel()
		for _, t := range s.plan.Tables {
			if t.NS == f.NS && t.Name == "gwlb" {
				g.table = cloneTable(t)
			}
		}
		if g.choose(&g.table) {
			if err := replaceTable(g.path, g.table); err != nil {
				p.Close()
				return fmt.Errorf("%s: nftables: %w", f.NS, err)
			}
		}
		g.ctx, g.stop = context.WithCancel(context.Background())
		s.addCloser(g)
		s.wg.Add(1)
		go func() { defer s.wg.Done(); g.watch() }()
		p.Start()
	}
	return nil
}

// choose points the endpoint's rule at the first healthy candidate, or
// drops when none is, and reports whether it changed.
func (g *gwlbEndpoint) choose(tab *Table) bool {
	healthy := map[string]bool{}
	for _, h := range g.p.Health() {
		if h.State == elbproxy.StateHealthy && h.TargetGroupARN == g.f.TargetGroupARN {
			healthy[h.ID+" "+strconv.Itoa(int(h.Port))] = true
		}
	}
	want := Rule{IIf: "eth0", Verdict: Verdict{Kind: "drop"}, Comment: "no healthy appliance: the packet is not returned"}
	for _, c := range g.f.Candidates {
		if healthy[c.ID+" "+strconv.Itoa(int(c.Port))] {
			want = Rule{IIf: "eth0", Verdict: Verdict{Kind: "mark", Mark: c.Mark}, Comment: "to the appliance " + c.ID + ", healthy"}
			break
		}
	}
	if len(tab.Chains) < 2 || len(tab.Chains[1].Rules) == 1 && tab.Chains[1].Rules[0].Verdict == want.Verdict {
		return false
	}
	tab.Chains[1].Rules = []Rule{want}
	return true
}

// watch follows the node's health checks until Close.
func (g *gwlbEndpoint) watch() {
	for {
		select {
		case <-g.ctx.Done():
			return
		case <-g.kick:
		}
		g.mu.Lock()
		next := cloneTable(g.table)
		if g.choose(&next) && g.ctx.Err() == nil {
			if err := replaceTable(g.path, next); err == nil {
				g.table = next
			}
		}
		g.mu.Unlock()
	}
}

// Close stops the node's health checks.
func (g *gwlbEndpoint) Close() error {
	g.stop()
	return g.p.Close()
}
