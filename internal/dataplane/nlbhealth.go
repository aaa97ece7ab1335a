package dataplane

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
	"github.com/ecsnet/ecsnet/internal/model"
)

// healthySuffix marks a listener's DNAT rule sent to a target other than
// its first candidate.
const healthySuffix = ", the first healthy target"

// nlbNode is a Network Load Balancer node that has a choice of targets
// (Plan.NLBForwards): its health checker and the node's "nlb" table as
// the kernel has it.
type nlbNode struct {
	ns, path string
	forwards []NLBForward
	p        *elbproxy.LoadBalancer
	kick     chan struct{}
	stop     context.CancelFunc
	ctx      context.Context

	mu    sync.Mutex
	table Table // a copy of the plan's table, as last applied
}

// nlbHealth makes each Network Load Balancer node that has a choice of
// targets consult its health checks, as AWS's nodes do. Once the
// system's listeners are up (and before Up returns), each such node
// checks its candidates from its own namespace and private address with
// elbproxy's health checks (TCP connect to the health check port, or the
// HTTP GET of the path against the matcher), settled as an ALB node's
// are, and each listener is sent to the first healthy candidate in
// registration order, or to the first candidate when none is healthy
// (fail-open, as AWS and the analyzer's toTargets). Where that is not the
// planned target, the node's "nlb" table is replaced in one nftables
// transaction, before any client connects, and the plan records it.
//
// Then the node keeps checking, every HealthCheckIntervalSeconds (times
// LBTimeScale): a target that fails UnhealthyThresholdCount checks in a
// row is taken out, one that passes HealthyThresholdCount comes back
// (elbproxy's record), and whenever that changes a listener's choice the
// node's table is replaced again. New connections follow the new choice;
// connections the node already passed keep their target (conntrack keeps
// their translation). The plan keeps the choice made at Up.
func (s *System) nlbHealth(ctx context.Context) (changed bool, err error) {
	byNS := map[string][]int{}
	var nss []string
	for i, f := range s.plan.NLBForwards {
		if byNS[f.NS] == nil {
			nss = append(nss, f.NS)
		}
		byNS[f.NS] = append(byNS[f.NS], i)
	}
	scale := s.opt.LBTimeScale
	if scale == 0 {
		scale = 1
	}
	done := make([]bool, len(nss))
	nodes := make([]*nlbNode, len(nss))
	err = parallel(nil, len(nss), func(_ *nsCache, i int) error {
		ns := nss[i]
		n := &nlbNode{ns: ns, path: filepath.Join(s.opt.NetnsDir, ns), kick: make(chan struct{}, 1)}
		for _, j := range byNS[ns] {
			n.forwards = append(n.forwards, s.plan.NLBForwards[j])
		}
		zone := ""
		for _, lb := range s.plan.LoadBalancers {
			if sub := s.st.Subnets[lb.Subnet]; lb.NS == ns && sub != nil {
				zone = sub.AvailabilityZone
			}
		}
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialTimed(ctx, n.path, network, addr)
		}
		kick := func() {
			select {
			case n.kick <- struct{}{}:
			default:
			}
		}
		p, err := elbproxy.New(s.st, n.forwards[0].LBARN, elbproxy.Options{Dial: dial, Zone: zone, TimeScale: scale, Deterministic: true, OnHealthChange: kick})
		if err != nil {
			return fmt.Errorf("load balancer node %s: %w", ns, err)
		}
		n.p = p
		nodes[i] = n
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		p.Settle(sctx)
		cancel()
		var tab *Table
		for t := range s.plan.Tables {
			if s.plan.Tables[t].NS == ns && s.plan.Tables[t].Name == "nlb" {
				tab = &s.plan.Tables[t]
			}
		}
		if tab == nil {
			return fmt.Errorf("load balancer node %s: no nlb table", ns)
		}
		if n.choose(tab) {
			if err := n.apply(*tab); err != nil {
				return err
			}
			done[i] = true
		}
		n.table = cloneTable(*tab)
		return nil
	})
	for _, d := range done {
		changed = changed || d
	}
	if err != nil {
		for _, n := range nodes {
			if n != nil {
				n.p.Close()
			}
		}
		return changed, err
	}
	s.mu.Lock()
	s.nlbNodes = nodes
	s.mu.Unlock()
	for _, n := range nodes {
		n.ctx, n.stop = context.WithCancel(context.Background())
		s.addCloser(n)
		s.wg.Add(1)
		go func() { defer s.wg.Done(); n.watch() }()
		n.p.Start()
	}
	return changed, nil
}

// choose points each of the node's listeners in tab at the first healthy
// candidate (the first when none is healthy) and reports whether a rule
// changed.
func (n *nlbNode) choose(tab *Table) bool {
	healthy := n.healthy()
	changed := false
	for _, f := range n.forwards {
		to, ok := healthyTarget(healthy, f.TargetGroupARN, f.Candidates)
		if !ok {
			to = f.Candidates[0].Addr
		}
		for c := range tab.Chains {
			for k := range tab.Chains[c].Rules {
				r := &tab.Chains[c].Rules[k]
				if r.Verdict.Kind != "dnat" || r.Proto != f.Proto || r.Ports != model.Port(f.Port) {
					continue
				}
				if netip.AddrPortFrom(r.Verdict.Addr, r.Verdict.Port) == to {
					continue
				}
				r.Verdict.Addr, r.Verdict.Port = to.Addr(), to.Port()
				r.Comment = strings.TrimSuffix(r.Comment, healthySuffix)
				if to != f.Candidates[0].Addr {
					r.Comment += healthySuffix
				}
				changed = true
			}
		}
	}
	return changed
}

// healthy is the set of targets the node's health checks find healthy,
// each as "target group ARN, id, port".
func (n *nlbNode) healthy() map[string]bool {
	healthy := map[string]bool{}
	for _, h := range n.p.Health() {
		if h.State == elbproxy.StateHealthy {
			healthy[h.TargetGroupARN+" "+h.ID+" "+strconv.Itoa(int(h.Port))] = true
		}
	}
	return healthy
}

// healthyTarget is the first of a target group's candidates that healthy
// (nlbNode.healthy) holds; false for none.
func healthyTarget(healthy map[string]bool, tgARN string, cands []NLBTarget) (netip.AddrPort, bool) {
	for _, c := range cands {
		if healthy[tgARN+" "+c.ID+" "+strconv.Itoa(int(c.Port))] {
			return c.Addr, true
		}
	}
	return netip.AddrPort{}, false
}

// watch replaces the node's table whenever a health check round changes
// a listener's choice, until Close.
func (n *nlbNode) watch() {
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-n.kick:
		}
		n.mu.Lock()
		next := cloneTable(n.table)
		if n.choose(&next) && n.ctx.Err() == nil {
			// The kernel keeps the old table when this fails: so does the
			// copy, and the next change tries again.
			if err := n.apply(next); err == nil {
				n.table = next
			}
		}
		n.mu.Unlock()
	}
}

// apply replaces the node's nlb table with tab in one nftables
// transaction: no packet sees the node without it.
func (n *nlbNode) apply(tab Table) error {
	if err := replaceTable(n.path, tab); err != nil {
		return fmt.Errorf("%s: nftables: %w", n.ns, err)
	}
	return nil
}

// Close stops the node's health checks.
func (n *nlbNode) Close() error {
	n.stop()
	return n.p.Close()
}

// target is the address a listener of the node sends new connections to
// now (invalid when the node has no such listener).
func (n *nlbNode) target(proto model.Protocol, port uint16) netip.AddrPort {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, ch := range n.table.Chains {
		for _, r := range ch.Rules {
			if r.Verdict.Kind == "dnat" && r.Proto == proto && r.Ports == model.Port(port) {
				return netip.AddrPortFrom(r.Verdict.Addr, r.Verdict.Port)
			}
		}
	}
	return netip.AddrPort{}
}

// cloneTable copies a table deeply enough that its rules' verdicts can
// change without touching the original.
func cloneTable(t Table) Table {
	t.Chains = slices.Clone(t.Chains)
	for i := range t.Chains {
		t.Chains[i].Rules = slices.Clone(t.Chains[i].Rules)
	}
	return t
}
