package dataplane

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/nftables"
	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netlink/nl"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Retarget makes a system that is up follow a state that differs from
// the one it was built from only in its Network Load Balancers' targets:
// targets registered or deregistered (RegisterTargets, DeregisterTargets,
// a service's tasks), a target draining, or its zone. Each node's "nlb"
// table that changes is replaced in one nftables transaction; the nodes'
// health checkers start again on the new targets (nlbhealth.go), and
// each listener goes to the first healthy candidate as at Up; translated
// listeners (nlbxlat.go) send their new clients to the new candidates,
// are opened or gated for a target group that gained its first target,
// and closed for one that lost its last. Connections already passed keep
// their target (conntrack keeps their translation, a relay its
// connection), as an NLB keeps a deregistered target's connections open
// while it drains. A new target that sees the client's address (client
// IP preservation) gets its return path first (returnPaths): the marks,
// policy rules and routes that carry its replies back through the node,
// and the router's network ACL exception for them; those of targets that
// left stay while a connection carries their mark (conntrack: one not yet
// closed or reset), so their connections keep their way back, and are
// pruned at the first retarget after the last one ends
// (pruneReturnPaths). Application Load
// Balancer nodes follow their target groups too (elbproxy's Retarget: a
// target that left keeps its requests and the node's connections to it
// for its deregistration delay; a changed health check is checked from
// then on). A state that
// changes anything else in the system (namespaces, addresses, routes,
// rules, listeners, names) is refused with what it changes, and the
// system stays as it was: such a change needs Down and Up. Not while
// the system's probes run.
func (s *System) Retarget(ctx context.Context, st *model.State) error {
	p, err := makePlan(st, s.opt.Name, s.plan)
	if err != nil {
		return err
	}
	if what := beyondTargets(s.plan, p); what != "" {
		return fmt.Errorf("the new state changes the system's %s, not only load balancer targets: take the system down and bring it up again (ecsnet down%s, then ecsnet up)", what, nameFlag(s.opt.Name))
	}
	keepReturnPaths(p, s.plan, s.returnInUse)
	if err := s.returnPaths(p); err != nil {
		return err
	}
	if err := s.pruneReturnPaths(p); err != nil {
		return err
	}
	s.mu.Lock()
	nodes := s.nlbNodes
	s.nlbNodes = nil
	s.mu.Unlock()
	for _, n := range nodes {
		n.Close()
	}
	was, now := tablesNamed(s.plan, "nlb"), tablesNamed(p, "nlb")
	for ns, t := range now {
		if old, ok := was[ns]; !ok || !reflect.DeepEqual(old, t) {
			if err := replaceTable(filepath.Join(s.opt.NetnsDir, ns), t); err != nil {
				return fmt.Errorf("load balancer node %s: %w", ns, err)
			}
		}
	}
	for ns := range was {
		if _, ok := now[ns]; !ok {
			if err := deleteTable(filepath.Join(s.opt.NetnsDir, ns), "nlb"); err != nil {
				return fmt.Errorf("load balancer node %s: %w", ns, err)
			}
		}
	}
	s.drainTranslated(s.plan.NLBTranslations, p.NLBTranslations, st)
	s.drainForwarded(s.st, st)
	s.plan.NLBForwards, s.plan.NLBTranslations, s.plan.Tables = p.NLBForwards, p.NLBTranslations, p.Tables
	s.plan.Rules, s.plan.Routes = p.Rules, p.Routes
	net := reach.Compile(st)
	s.mu.Lock()
	s.st, s.net = st, net
	followers := s.followers
	s.mu.Unlock()
	for _, f := range followers {
		f.Retarget(st)
	}
	if _, err := s.nlbHealth(ctx); err != nil {
		return err
	}
	if err := s.translate(ctx, s.plan.NLBTranslations); err != nil {
		return err
	}
	return writeJSON(filepath.Join(s.opt.dir(), planFile), s.plan)
}

// targetTables are the tables of a plan whose rules follow the load
// balancers' targets.
var targetTables = []string{"nlb", nlbXlatTable}

// preservedReplyComment is the comment of a VPC router's network ACL
// rule that lets an NLB's preserved replies back to the node (plan.go).
const preservedReplyComment = "an NLB's preserved reply, carried back to the node"

// beyondTargets names the first part of plan b that differs from plan a
// in more than the load balancers' targets ("" when none does): the
// Network Load Balancer forwards and translations, the nodes' "nlb" and
// gate tables, and the return paths of targets that keep the client's
// address (their tables, marks' policy rules and routes, and the network
// ACLs' rule for their replies) may differ.
func beyondTargets(a, b *Plan) string {
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	for i := range va.NumField() {
		f := va.Type().Field(i)
		switch f.Name {
		case "NLBForwards", "NLBTranslations":
			continue
		}
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		switch f.Name {
		case "Tables":
			x, y = withoutTargetTables(a.Tables), withoutTargetTables(b.Tables)
		case "Rules":
			x, y = slices.DeleteFunc(slices.Clone(a.Rules), isReturnRule), slices.DeleteFunc(slices.Clone(b.Rules), isReturnRule)
		case "Routes":
			x, y = withoutReturnRoutes(a), withoutReturnRoutes(b)
		}
		jx, errx := json.Marshal(x)
		jy, erry := json.Marshal(y)
		if errx != nil || erry != nil || string(jx) != string(jy) {
			return strings.ToLower(f.Name)
		}
	}
	return ""
}

// withoutTargetTables are tables without those that follow targets, and
// the network ACLs without their rule for preserved replies.
func withoutTargetTables(ts []Table) []Table {
	var out []Table
	for _, t := range ts {
		if slices.Contains(targetTables, t.Name) || strings.HasPrefix(t.Name, returnTablePrefix) {
			continue
		}
		if t.Name == "nacl" {
			t = stripPreservedReply(t)
		}
		out = append(out, t)
	}
	return out
}

// stripPreservedReply is a network ACL table without its rules for
// preserved replies.
func stripPreservedReply(t Table) Table {
	t.Chains = slices.Clone(t.Chains)
	for i := range t.Chains {
		t.Chains[i].Rules = slices.DeleteFunc(slices.Clone(t.Chains[i].Rules), isPreservedReply)
	}
	return t
}

// isReturnRule reports whether a policy rule routes a return path's mark.
func isReturnRule(r PolicyRule) bool { return r.Mark > nlbMarkBase }

// withoutReturnRoutes are a plan's routes but those of its return
// paths' routing tables.
func withoutReturnRoutes(p *Plan) []Route {
	tables := map[[2]any]bool{}
	for _, r := range p.Rules {
		if isReturnRule(r) {
			tables[[2]any{r.NS, r.Table}] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(p.Routes), func(r Route) bool { return tables[[2]any{r.NS, r.Table}] })
}

// keepReturnPaths adds to p the return paths of old that p no longer
// has and that a connection still uses (inUse: their table, policy rules
// and routes, and, while any is kept, the VPC routers' network ACL
// exception for their replies): the connections a target that left
// still holds keep their way back. The others are pruned
// (pruneReturnPaths).
func keepReturnPaths(p, old *Plan, inUse func(ns string, mark uint32) bool) {
	have := map[[2]string]bool{}
	for _, t := range p.Tables {
		have[[2]string{t.NS, t.Name}] = true
	}
	kept := false
	for _, t := range old.Tables {
		if !strings.HasPrefix(t.Name, returnTablePrefix) || have[[2]string{t.NS, t.Name}] {
			continue
		}
		seq, err := strconv.Atoi(strings.TrimPrefix(t.Name, returnTablePrefix))
		if err != nil || !inUse(t.NS, uint32(nlbMarkBase+seq)) {
			continue
		}
		kept = true
		p.Tables = append(p.Tables, t)
		for _, r := range old.Rules {
			if r.NS == t.NS && r.Mark == uint32(nlbMarkBase+seq) {
				p.Rules = append(p.Rules, r)
			}
		}
		for _, r := range old.Routes {
			if r.NS == t.NS && r.Table == nlbTableBase+seq {
				p.Routes = append(p.Routes, r)
			}
		}
	}
	if kept {
		keepPreservedReplies(p, old)
	}
}

// returnInUse reports whether a connection in namespace ns carries mark
// (a return path's): an established TCP connection, or a UDP or ICMP
// flow conntrack still holds. A closed connection's entry (TIME_WAIT,
// CLOSE) needs no way back.
func (s *System) returnInUse(ns string, mark uint32) bool {
	fd, err := netns.GetFromPath(filepath.Join(s.opt.NetnsDir, ns))
	if err != nil {
		return false
	}
	defer fd.Close()
	h, err := netlink.NewHandleAt(fd, unix.NETLINK_NETFILTER)
	if err != nil {
		return true // cannot tell: keep it
	}
	defer h.Close()
	for _, family := range []netlink.InetFamily{unix.AF_INET, unix.AF_INET6} {
		flows, err := h.ConntrackTableList(netlink.ConntrackTable, family)
		if err != nil {
			return true
		}
		for _, f := range flows {
			if f.Mark != mark {
				continue
			}
			if tcp, ok := f.ProtoInfo.(*netlink.ProtoInfoTCP); ok && tcp.State != nl.TCP_CONNTRACK_ESTABLISHED && tcp.State != nl.TCP_CONNTRACK_SYN_RECV &&
				tcp.State != nl.TCP_CONNTRACK_SYN_SENT && tcp.State != nl.TCP_CONNTRACK_FIN_WAIT && tcp.State != nl.TCP_CONNTRACK_CLOSE_WAIT {
				continue
			}
			return true
		}
	}
	return false
}

// pruneReturnPaths removes from the system the return paths its plan has
// and p has not (a target that left, whose connections have ended): the
// table, its policy rules and routes. The VPC routers' network ACL
// exception went with returnPaths, which applies p's network ACLs.
func (s *System) pruneReturnPaths(p *Plan) error {
	have := map[[2]string]bool{}
	for _, t := range p.Tables {
		have[[2]string{t.NS, t.Name}] = true
	}
	var tables []Table
	for _, t := range s.plan.Tables {
		if strings.HasPrefix(t.Name, returnTablePrefix) && !have[[2]string{t.NS, t.Name}] {
			tables = append(tables, t)
		}
	}
	if len(tables) == 0 {
		return nil
	}
	gone := map[string]map[int]bool{}
	for _, t := range tables {
		seq, err := strconv.Atoi(strings.TrimPrefix(t.Name, returnTablePrefix))
		if err != nil {
			continue
		}
		if gone[t.NS] == nil {
			gone[t.NS] = map[int]bool{}
		}
		gone[t.NS][seq] = true
		if err := deleteTable(filepath.Join(s.opt.NetnsDir, t.NS), t.Name); err != nil {
			return fmt.Errorf("return path in %s: %w", t.NS, err)
		}
	}
	for ns, seqs := range gone {
		fd, err := netns.GetFromPath(filepath.Join(s.opt.NetnsDir, ns))
		if err != nil {
			return fmt.Errorf("namespace %s: %w", ns, err)
		}
		h, err := netlink.NewHandleAt(fd)
		fd.Close()
		if err != nil {
			return fmt.Errorf("namespace %s: %w", ns, err)
		}
		for _, r := range s.plan.Rules {
			if r.NS != ns || !isReturnRule(r) || !seqs[int(r.Mark-nlbMarkBase)] {
				continue
			}
			x := netlink.NewRule()
			x.Family, x.Priority, x.Mark, x.Table = unix.AF_INET, r.Priority, r.Mark, r.Table
			if r.V6 {
				x.Family = unix.AF_INET6
			}
			h.RuleDel(x)
		}
		for _, r := range s.plan.Routes {
			if r.NS != ns || !seqs[r.Table-nlbTableBase] {
				continue
			}
			rt := &netlink.Route{Dst: ipnet(r.Dst), Table: r.Table, Family: unix.AF_INET}
			if r.Dst.Addr().Is6() {
				rt.Family = unix.AF_INET6
			}
			h.RouteDel(rt)
		}
		h.Close()
	}
	return nil
}

// keepPreservedReplies puts back, in each of p's network ACL chains that
// had it in old, the rule that lets an NLB's preserved replies in: it
// matches only the connections a return path marked, and those that a
// target which left still holds (a last target that kept the client's
// address, deregistered) need it as much as their return path.
func keepPreservedReplies(p, old *Plan) {
	had := map[[3]string]Rule{}
	for _, t := range old.Tables {
		if t.Name != "nacl" {
			continue
		}
		for _, c := range t.Chains {
			if i := slices.IndexFunc(c.Rules, isPreservedReply); i >= 0 {
				had[[3]string{t.NS, t.Name, c.Name}] = c.Rules[i]
			}
		}
	}
	for i := range p.Tables {
		t := &p.Tables[i]
		if t.Name != "nacl" {
			continue
		}
		t.Chains = slices.Clone(t.Chains)
		for j := range t.Chains {
			c := &t.Chains[j]
			if r, ok := had[[3]string{t.NS, t.Name, c.Name}]; ok && !slices.ContainsFunc(c.Rules, isPreservedReply) {
				c.Rules = append([]Rule{r}, c.Rules...)
			}
		}
	}
}

// isPreservedReply reports whether a network ACL rule is the one for an
// NLB's preserved replies.
func isPreservedReply(r Rule) bool { return r.Comment == preservedReplyComment }

// returnPaths applies the return paths p has and the system has not:
// each new table, then its policy rules and routes, and the VPC routers'
// network ACL tables whose rule for preserved replies changed.
func (s *System) returnPaths(p *Plan) error {
	old := map[[2]string]Table{}
	for _, t := range s.plan.Tables {
		old[[2]string{t.NS, t.Name}] = t
	}
	for _, t := range p.Tables {
		prev, had := old[[2]string{t.NS, t.Name}]
		path := filepath.Join(s.opt.NetnsDir, t.NS)
		switch {
		case strings.HasPrefix(t.Name, returnTablePrefix) && !had:
			if err := editTables(path, func(c *nftables.Conn) error { return addTable(c, t) }); err != nil {
				return fmt.Errorf("return path in %s: %w", t.NS, err)
			}
		case t.Name == "nacl" && had && !reflect.DeepEqual(prev, t):
			if err := replaceTable(path, t); err != nil {
				return fmt.Errorf("network ACLs in %s: %w", t.NS, err)
			}
		}
	}
	var rules []PolicyRule
	for _, r := range p.Rules {
		if isReturnRule(r) && !slices.Contains(s.plan.Rules, r) {
			rules = append(rules, r)
		}
	}
	var routes []Route
	for _, r := range withReturnRoutes(p) {
		if !slices.Contains(s.plan.Routes, r) {
			routes = append(routes, r)
		}
	}
	if len(rules) == 0 && len(routes) == 0 {
		return nil
	}
	fds := map[string]netns.NsHandle{}
	defer func() {
		for _, fd := range fds {
			fd.Close()
		}
	}()
	for _, ns := range append(nsOfRules(rules), nsOfRoutes(routes)...) {
		if _, ok := fds[ns]; ok {
			continue
		}
		fd, err := netns.GetFromPath(filepath.Join(s.opt.NetnsDir, ns))
		if err != nil {
			return fmt.Errorf("namespace %s: %w", ns, err)
		}
		fds[ns] = fd
	}
	c := &nsCache{fds: fds, h: map[string]*netlink.Handle{}}
	defer c.close()
	for _, r := range routes {
		if err := addRoute(c, r); err != nil {
			return err
		}
	}
	for _, r := range rules {
		if err := addRule(c, r); err != nil {
			return err
		}
	}
	return nil
}

// withReturnRoutes are a plan's routes of its return paths' tables.
func withReturnRoutes(p *Plan) []Route {
	all := withoutReturnRoutes(p)
	return slices.DeleteFunc(slices.Clone(p.Routes), func(r Route) bool { return slices.Contains(all, r) })
}

func nsOfRules(rs []PolicyRule) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.NS)
	}
	return out
}

func nsOfRoutes(rs []Route) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.NS)
	}
	return out
}

// tablesNamed are a plan's tables of a name, by namespace.
func tablesNamed(p *Plan, name string) map[string]Table {
	out := map[string]Table{}
	for _, t := range p.Tables {
		if t.Name == name {
			out[t.NS] = t
		}
	}
	return out
}

// deleteTable removes a namespace's nftables table.
func deleteTable(path, name string) error {
	return editTables(path, func(c *nftables.Conn) error {
		c.DelTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: name})
		return nil
	})
}

// drainTranslated schedules, for each candidate of a translated listener
// (nlbxlat.go) that the new translations no longer have (deregistered, or
// draining), the end of the connections its relay passed to it: at the
// end of its target group's deregistration delay
// (deregistration_delay.timeout_seconds, 300 s by default, times the time
// scale), when the group terminates connections on deregistration
// (deregistration_delay.connection_termination.enabled); without it they
// stay, as AWS leaves them. New connections go to the other candidates
// at once. A target registered again before the delay ends keeps them.
func (s *System) drainTranslated(old, now []NLBTranslation, st *model.State) {
	next := map[xlatKey]NLBTranslation{}
	for _, x := range now {
		next[x.key()] = x
	}
	for _, x := range old {
		tg := st.TargetGroups[x.TargetGroupARN]
		n, still := next[x.key()]
		if tg == nil || !still || !terminatesOnDeregistration(tg) {
			continue // a listener that is gone closes its relay, and its connections, now
		}
		for _, c := range x.Candidates {
			if slices.ContainsFunc(n.Candidates, func(y NLBTarget) bool { return y.Addr == c.Addr }) {
				continue
			}
			k, to := x.key(), c.Addr
			tm := time.AfterFunc(deregistrationDelay(tg, s.opt.LBTimeScale), func() { s.terminateTranslated(k, to) })
			s.addCloser(timerCloser{tm})
		}
	}
}

// terminateTranslated ends the connections (or UDP flows) a translated
// listener's relay passed to a target, unless the target is one of its
// candidates again.
func (s *System) terminateTranslated(k xlatKey, to netip.AddrPort) {
	s.mu.Lock()
	st := s.xlat[k]
	s.mu.Unlock()
	if st == nil || slices.ContainsFunc(st.x.Candidates, func(y NLBTarget) bool { return y.Addr == to }) {
		return
	}
	if r, ok := st.relay.(interface{ terminate(netip.AddrPort) int }); ok {
		r.terminate(to)
	}
}

// terminatesOnDeregistration is a Network Load Balancer target group's
// deregistration_delay.connection_termination.enabled: its attribute,
// else the default, true for UDP and TCP_UDP groups and false for the
// others (ELBv2 API reference, TargetGroupAttribute).
func terminatesOnDeregistration(tg *model.TargetGroup) bool {
	switch tg.Attributes["deregistration_delay.connection_termination.enabled"] {
	case "true":
		return true
	case "false":
		return false
	}
	return tg.Protocol == "UDP" || tg.Protocol == "TCP_UDP"
}

// deregistrationDelay is a target group's deregistration_delay.timeout_seconds
// (300 s by default, 0 to 3600) times scale (1 when unset).
func deregistrationDelay(tg *model.TargetGroup, scale float64) time.Duration {
	d := 300 * time.Second
	if n, err := strconv.Atoi(tg.Attributes["deregistration_delay.timeout_seconds"]); err == nil && n >= 0 {
		d = time.Duration(n) * time.Second
	}
	if scale <= 0 {
		scale = 1
	}
	return time.Duration(float64(d) * scale)
}

// timerCloser stops a timer when the system closes.
type timerCloser struct{ t *time.Timer }

func (c timerCloser) Close() error {
	c.t.Stop()
	return nil
}

// drainForwarded schedules, for each target that leaves a Network Load
// Balancer target group that terminates connections on deregistration
// (deregistered, or draining), the end of the connections the nodes
// passed to it in the kernel: at the end of the group's deregistration
// delay (times the time scale) each node's conntrack entries translated
// to the target's address and port are deleted, so the client's next
// packet is a new connection to the target the node chooses now, which
// resets it (it knows no such connection), as a load balancer that
// terminates it. A target registered again before the delay ends keeps
// them.
func (s *System) drainForwarded(was, now *model.State) {
	var nodes []string
	for _, t := range s.plan.Tables {
		if t.Name == "nlb" {
			nodes = append(nodes, t.NS)
		}
	}
	for arn, tg := range now.TargetGroups {
		old := was.TargetGroups[arn]
		if old == nil || !terminatesOnDeregistration(tg) {
			continue
		}
		for _, x := range old.Targets.All() {
			if x.Draining || registered(tg, x) {
				continue
			}
			a, ok := nlbTargetAddr(was, old, x)
			if !ok {
				continue
			}
			to := netip.AddrPortFrom(a, x.Port)
			tm := time.AfterFunc(deregistrationDelay(tg, s.opt.LBTimeScale), func() { s.forgetForwarded(nodes, arn, to, x) })
			s.addCloser(timerCloser{tm})
		}
	}
}

// forgetForwarded deletes, in each node's namespace, the conntrack
// entries of connections translated to target to, unless the target is
// registered again.
func (s *System) forgetForwarded(nodes []string, tgARN string, to netip.AddrPort, x model.Target) {
	s.mu.Lock()
	st := s.st
	s.mu.Unlock()
	if tg := st.TargetGroups[tgARN]; tg != nil && registered(tg, x) {
		return
	}
	for _, ns := range nodes {
		fd, err := netns.GetFromPath(filepath.Join(s.opt.NetnsDir, ns))
		if err != nil {
			continue
		}
		if h, err := netlink.NewHandleAt(fd, unix.NETLINK_NETFILTER); err == nil {
			family := netlink.InetFamily(unix.AF_INET)
			if to.Addr().Is6() {
				family = unix.AF_INET6
			}
			h.ConntrackDeleteFilters(netlink.ConntrackTable, family, passedTo(to))
			h.Close()
		}
		fd.Close()
	}
}

// registered reports whether target x (its id and port) is registered
// in tg and not draining.
func registered(tg *model.TargetGroup, x model.Target) bool {
	for _, y := range tg.Targets.All() {
		if y.ID == x.ID && y.Port == x.Port && !y.Draining {
			return true
		}
	}
	return false
}

// passedTo matches the conntrack entries of connections a node passed to
// a target: translated to it (their reply comes from it), not the node's
// own connections to it (health checks, relays).
type passedTo netip.AddrPort

func (p passedTo) MatchConntrackFlow(f *netlink.ConntrackFlow) bool {
	to := netip.AddrPort(p)
	src, ok := netip.AddrFromSlice(f.Reverse.SrcIP)
	dst, _ := netip.AddrFromSlice(f.Forward.DstIP)
	return ok && src.Unmap() == to.Addr() && f.Reverse.SrcPort == to.Port() && dst.Unmap() != to.Addr()
}

// nlbTargetAddr is the address a node sends a target of an NLB target
// group to: an ip target's own; an instance's primary private address,
// or in an ipv6 group its primary IPv6 address.
func nlbTargetAddr(st *model.State, tg *model.TargetGroup, x model.Target) (netip.Addr, bool) {
	if a, ok := x.TargetAddr(); ok {
		return a, true
	}
	i := st.Instances[model.InstanceID(x.ID)]
	if i == nil {
		return netip.Addr{}, false
	}
	e := st.NetworkInterfaces[i.PrimaryENI]
	if e == nil {
		return netip.Addr{}, false
	}
	if tg.IPAddressType == "ipv6" {
		return e.PrimaryIPv6()
	}
	a := e.PrimaryIP()
	return a, a.IsValid()
}
