package dataplane

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A dualstack NLB's translated listeners carry the connection, not only
// the handshake: an IPv6 client of an ipv4 group and an IPv4 client of
// an ipv6 group each read the target's own answer through the node; a
// listener whose target refuses has no socket (the kernel resets the
// client), one whose target does not answer keeps its gate.
func TestNLBTranslation(t *testing.T) {
	isolated(t)
	st := loadState(t, "internal/dataplane/testdata/nlb-ipv6.yaml")
	s := up(t, st)
	public := map[netip.Addr]netip.Addr{}
	for _, e := range st.NetworkInterfaces {
		if pub, ok := e.PublicIP(); ok {
			public[e.PrimaryIP()] = pub
		}
	}
	byPort := map[uint16]NLBTranslation{}
	for _, x := range s.plan.NLBTranslations {
		byPort[x.Listen.Port()] = x
	}
	for _, c := range []struct {
		port   uint16
		v6     bool
		answer string
	}{{81, false, "api/0"}, {84, true, "SSH-"}} {
		x, ok := byPort[c.port]
		if !ok || x.Listen.Addr().Is6() != c.v6 || x.Source.Is6() == c.v6 {
			t.Fatalf("listener %d: translation %+v, want one for IPv6 clients %t", c.port, x, c.v6)
		}
		to := x.Listen
		if !c.v6 {
			// From the internet: the node's public address, which the
			// internet gateway maps to the listener's private one.
			pub, ok := public[to.Addr()]
			if !ok {
				t.Fatalf("no public address for %s", to.Addr())
			}
			to = netip.AddrPortFrom(pub, to.Port())
		}
		out := s.DialProxied(context.Background(), "internet", 0, to)
		if out.Verdict != "connected" || !strings.Contains(out.Detail, c.answer) {
			t.Errorf("listener %d through the node: %s (%s), want the target's answer %q", c.port, out.Verdict, out.Detail, c.answer)
		}
	}
	for _, c := range []struct {
		port uint16
		want string
	}{{85, "refused"}, {86, "timeout"}} {
		out := s.Dial(context.Background(), "internet", 0, byPort[c.port].Listen, model.TCP)
		if string(out.Verdict) != c.want {
			t.Errorf("listener %d: %s (%s), want %s", c.port, out.Verdict, out.Detail, c.want)
		}
	}
}
