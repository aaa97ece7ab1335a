package dataplane

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/google/nftables"

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
// while it drains. A state that changes anything else in the system
// (namespaces, addresses, routes, rules, listeners, names) is refused
// with what it changes, and the system stays as it was: such a change
// needs Down and Up. Not while the system's probes run.
func (s *System) Retarget(ctx context.Context, st *model.State) error {
	p, err := MakePlan(st, s.opt.Name)
	if err != nil {
		return err
	}
	if what := beyondTargets(s.plan, p); what != "" {
		return fmt.Errorf("the new state changes the system's %s, not only load balancer targets: take the system down and bring it up again (ecsnet down%s, then ecsnet up)", what, nameFlag(s.opt.Name))
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
	s.plan.NLBForwards, s.plan.NLBTranslations, s.plan.Tables = p.NLBForwards, p.NLBTranslations, p.Tables
	s.st, s.net = st, reach.Compile(st)
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

// beyondTargets names the first part of plan b that differs from plan a
// in more than the load balancers' targets ("" when none does): the
// Network Load Balancer forwards and translations, and the nodes' "nlb"
// and gate tables, may differ.
func beyondTargets(a, b *Plan) string {
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	for i := range va.NumField() {
		f := va.Type().Field(i)
		switch f.Name {
		case "NLBForwards", "NLBTranslations":
			continue
		}
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if f.Name == "Tables" {
			keep := func(t Table) bool { return slices.Contains(targetTables, t.Name) }
			x = slices.DeleteFunc(slices.Clone(a.Tables), keep)
			y = slices.DeleteFunc(slices.Clone(b.Tables), keep)
		}
		jx, errx := json.Marshal(x)
		jy, erry := json.Marshal(y)
		if errx != nil || erry != nil || string(jx) != string(jy) {
			return strings.ToLower(f.Name)
		}
	}
	return ""
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
