package reach

import (
	"strings"
	"testing"
)

func TestELBNameOfRegion(t *testing.T) {
	for name, want := range map[string]bool{
		"web-1234567890.us-east-1.elb.amazonaws.com":           true,
		"internal-web-1234567890.us-east-1.elb.amazonaws.com.": true,
		"dualstack.web-1234567890.us-east-1.elb.amazonaws.com": true,
		"net-0123456789abcdef.elb.us-east-1.amazonaws.com":     true,
		"web-1234567890.eu-west-1.elb.amazonaws.com":           false, // another Region's
		"us-east-1.elb.amazonaws.com":                          false,
		"a.b.us-east-1.elb.amazonaws.com":                      false,
		"elasticloadbalancing.us-east-1.amazonaws.com":         false, // the API
		"api.example.com": false,
		"web-1234567890.cn-north-1.elb.amazonaws.com.cn":                   false,
		"vpce-0123-abcd.elasticloadbalancing.us-east-1.vpce.amazonaws.com": false,
	} {
		if got := elbNameOfRegion(name, "us-east-1"); got != want {
			t.Errorf("elbNameOfRegion(%q) = %v, want %v", name, got, want)
		}
	}
	if !elbNameOfRegion("web-1234567890.cn-north-1.elb.amazonaws.com.cn", "cn-north-1") {
		t.Error("China's ELB names end in amazonaws.com.cn")
	}
}

// A load balancer's DNS name that no load balancer of the state has (one
// replaced) does not resolve, from the VPC as from the internet; the
// current name, with or without dualstack., still does.
func TestUnknownELBNameNXDomain(t *testing.T) {
	const story = "examples/failures/analyzer-only/alb-replaced-old-dns-name.yaml"
	n := compileEngine(storyEngine(t, story))
	old := "internal-orders-1804289383.us-east-1.elb.amazonaws.com:80"
	r := probeSpec(t, n, "web/0", old, "tcp")
	xs := check(t, r, NXDomain, CodeLBNameUnknown)
	if m := xs[CodeLBNameUnknown].Message; !strings.Contains(m, "orders-internal (internal-orders-internal-") {
		t.Errorf("the explanation names no current load balancer: %s", m)
	}
	if len(r.Forward) > 0 {
		t.Errorf("a failed lookup sends no packet: %+v", r.Forward)
	}
	r = probeSpec(t, n, "internet", "web-1234567890.us-east-1.elb.amazonaws.com:80", "tcp")
	check(t, r, NXDomain, CodeLBNameUnknown)
	var current string
	for _, lb := range n.lbOrder {
		current = lb.lb.DNSName
	}
	for _, to := range []string{current, "dualstack." + current} {
		if r := probeSpec(t, n, "web/0", to+":80", "tcp"); r.Verdict != Connected && !strings.HasPrefix(string(r.Verdict), "http") {
			t.Errorf("%s: %s (%s)", to, r.Verdict, r.Summary)
		}
	}
}

// check's finding: the web service's environment names the replaced load
// balancer's DNS name (a URL around it); with the current name, none.
func TestLintStaleELBName(t *testing.T) {
	const story = "examples/failures/analyzer-only/alb-replaced-old-dns-name.yaml"
	count := func(n *Network) (k int, msg string) {
		for _, f := range Lint(n) {
			if f.Code == CodeLBNameUnknown {
				k, msg = k+1, f.Message
			}
		}
		return k, msg
	}
	k, msg := count(compileEngine(storyEngine(t, story)))
	if k != 1 || !strings.Contains(msg, "ORDERS_URL") || !strings.Contains(msg, "internal-orders-1804289383.us-east-1.elb.amazonaws.com") {
		t.Errorf("%d findings: %s", k, msg)
	}
	e := storyEngine(t, story)
	var current string
	for _, lb := range stateOf(e).LoadBalancers {
		current = lb.DNSName
	}
	fixed := storyEngine(t, story, "internal-orders-1804289383.us-east-1.elb.amazonaws.com\"}", current+"/api\"}")
	if k, msg := count(compileEngine(fixed)); k != 0 {
		t.Errorf("with the current name: %d findings: %s", k, msg)
	}
}

// A CNAME record to a Network Load Balancer's DNS name of the Region
// (NAME-ID.elb.REGION.amazonaws.com) that no load balancer has dangles,
// as one to an ALB's name does: it is no internet host.
func TestCNAMEToUnknownNLBName(t *testing.T) {
	n := compileEngine(storyEngine(t, "examples/failures/route53-cname-old-nlb-name.yaml"))
	r := probeSpec(t, n, "internet", "api.example.com:80", "tcp")
	xs := check(t, r, NXDomain, CodeDNSAliasDangling)
	if m := xs[CodeDNSAliasDangling].Message; !strings.Contains(m, "web-nlb-5f0e9c2a7d3b41e8.elb.us-east-1.amazonaws.com") {
		t.Errorf("the explanation: %s", m)
	}
}
