package dataplane

import (
	"net/netip"
	"testing"
)

// The plan of testdata/tgw.yaml: a transit gateway namespace with a link
// to each attached VPC's router, its route table as a kernel table
// (propagated routes to the links, the static blackhole hiding one), a
// policy rule per attachment to that table, and the VPC routes to the
// gateway leading to the attachment's link.
func TestPlanTransitGateway(t *testing.T) {
	st := loadState(t, "internal/dataplane/testdata/tgw.yaml")
	p := mustPlan(t, st)
	tgw := ""
	for _, n := range p.Namespaces {
		if n.Role == "tgw" {
			tgw = n.Name
		}
	}
	if tgw != "x-tgw0" {
		t.Fatalf("transit gateway namespace %q, want x-tgw0", tgw)
	}
	links := 0
	for _, v := range p.Veths {
		if v.PeerNS == tgw {
			links++
		}
	}
	if links != 3 {
		t.Errorf("%d links to the transit gateway, want 3", links)
	}
	var via, blackhole []netip.Prefix
	for _, r := range p.Routes {
		if r.NS != tgw {
			continue
		}
		if r.Blackhole {
			blackhole = append(blackhole, r.Dst)
		} else if r.Via.IsValid() {
			via = append(via, r.Dst)
		}
	}
	c := netip.MustParsePrefix("10.2.0.0/16")
	if len(blackhole) != 1 || blackhole[0] != c {
		t.Errorf("blackholes %v, want [%s]", blackhole, c)
	}
	if len(via) != 2 {
		t.Errorf("routes to attachments %v, want the propagated 10.0.0.0/16 and 10.1.0.0/16", via)
	}
	rules := 0
	for _, r := range p.Rules {
		if r.NS == tgw && r.IIf != "" && !r.Blackhole && r.Table >= rtTableBase {
			rules++
		}
	}
	if rules != 3 {
		t.Errorf("%d attachments looked up in a route table, want 3", rules)
	}
	toTGW := 0
	for _, r := range p.Routes {
		if r.Dst == netip.MustParsePrefix("10.0.0.0/8") && !r.Blackhole && len(r.Dev) > 1 && r.Dev[0] == 't' {
			toTGW++
		}
	}
	if toTGW != 3 {
		t.Errorf("%d VPC routes lead to a transit gateway link, want 3", toTGW)
	}
}
