package reach

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestArticle checks the article's story (seed/article-en.md) end to end.
func TestArticle(t *testing.T) {
	e := article(t)
	n := compileEngine(e)
	inst := n.names["ecs-asg/0"][0].instance
	task := n.names["web/0"][0].task
	if inst == nil || task == nil || task.eni == nil {
		t.Fatal("the article's instance ecs-asg/0 and task web/0 are missing")
	}
	eni1, eni2 := string(inst.primary.eni.ID), string(task.eni.eni.ID)

	t.Run("curl the instance's public IP times out", func(t *testing.T) {
		r := probeSpec(t, n, "internet", "203.0.113.2:3000", "tcp")
		got := check(t, r, Timeout, CodeSGRulesMismatch, CodePortOnTaskENI)
		sg := got[CodeSGRulesMismatch]
		if sg.Component.Name != "instance-sg" || sg.NetworkInterface.ID != eni1 || sg.Direction != "ingress" || sg.Path != "forward" {
			t.Errorf("security group explanation = %+v, want instance-sg ingress on %s", sg, eni1)
		}
		if first := r.Blocking()[0]; first.Code != CodeSGRulesMismatch {
			t.Errorf("first blocking = %s, want the security group", first.Code)
		}
		ecs := got[CodePortOnTaskENI]
		if ecs.Component.Name != "web/0" || ecs.NetworkInterface.ID != eni2 || ecs.Address != netip.MustParseAddr("10.0.1.5") {
			t.Errorf("ECS explanation = %+v, want task web/0 on %s (10.0.1.5)", ecs, eni2)
		}
		want := "timeout: 203.0.113.2 is the public IP of the instance ecs-asg/0 (" + eni1 + ", ENI 1); its security group instance-sg does not allow tcp/3000, " +
			"so the SYN is dropped. Even if it did, nothing listens there: the task web/0 listens on 3000 on its own ENI " + eni2 +
			" (10.0.1.5, ENI 2), which has no public IP."
		if r.Summary != want {
			t.Errorf("summary =\n%s\nwant\n%s", r.Summary, want)
		}
		h := hopOf(t, r.Forward, "network-interface", "")
		if !h.Blocked || h.Action != ActionDenied || h.Component.ID != eni1 || h.AttachedTo.Name != "ecs-asg/0" {
			t.Errorf("ENI hop = %+v", h)
		}
		if igw := hopOf(t, r.Forward, "internet-gateway", ""); igw.Packet.Destination != netip.MustParseAddr("10.0.1.4") {
			t.Errorf("the internet gateway should translate 203.0.113.2 to 10.0.1.4, got %v", igw.Packet.Destination)
		}
	})

	t.Run("with the instance group opening 3000 the host resets", func(t *testing.T) {
		e := article(t)
		allow(t, e, "instance-sg", "tcp", 3000, 3000, "0.0.0.0/0")
		n := compileEngine(e)
		r := probeSpec(t, n, "internet", "203.0.113.2:3000", "tcp")
		got := check(t, r, Refused, CodePortOnTaskENI)
		if _, ok := got[CodeSGRulesMismatch]; ok {
			t.Errorf("the security group should admit tcp/3000 now: %s", codeList(r))
		}
		if h := hopOf(t, r.Forward, "instance", "ecs-asg/0"); h.Action != ActionRefused {
			t.Errorf("the instance should answer with a reset, hop %+v", h)
		}
		if !strings.HasPrefix(r.Summary, "refused: 203.0.113.2 is the public IP of the instance ecs-asg/0") ||
			!strings.Contains(r.Summary, "the task web/0 listens on 3000 on its own ENI "+eni2) {
			t.Errorf("summary = %s", r.Summary)
		}
	})

	t.Run("from the instance to the task's private address", func(t *testing.T) {
		r := probeSpec(t, n, "ecs-asg/0", "web/0:3000", "tcp")
		checkClean(t, r, Connected)
		acc := r.Forward[len(r.Forward)-1]
		if acc.Action != ActionAccepted || acc.Socket == nil || acc.Socket.Container != "web" || acc.Packet.Destination != netip.MustParseAddr("10.0.1.5") {
			t.Errorf("last hop = %+v", acc)
		}
		sg := hopOf(t, r.Forward, "network-interface", "web/0")
		if sg.SecurityGroupRule == nil || sg.SecurityGroupRule.SecurityGroupName != "task-sg" {
			t.Errorf("task-sg should admit it: %+v", sg)
		}
		if len(r.Return) == 0 || r.Return[len(r.Return)-1].Action != ActionReceived {
			t.Errorf("return path = %+v", r.Return)
		}
	})

	t.Run("the internet has no route to the task's private address", func(t *testing.T) {
		for _, to := range []string{"10.0.1.5:3000", "web/0:3000", "web"} {
			r := probeSpec(t, n, "internet", to, "tcp")
			got := check(t, r, NoRoute, CodeNoRouteToDestination, CodeAwsvpcNoPublicIP)
			if got[CodeNoRouteToDestination].Component.Type != "internet" {
				t.Errorf("%s: no-route should be the internet's: %+v", to, got[CodeNoRouteToDestination])
			}
			if got[CodeAwsvpcNoPublicIP].Component.Name != "web/0" {
				t.Errorf("%s: hint should name web/0: %+v", to, got[CodeAwsvpcNoPublicIP])
			}
		}
	})

	t.Run("sshd listens on the instance", func(t *testing.T) {
		checkClean(t, probeSpec(t, n, "internet", "203.0.113.2:22", "tcp"), Connected)
		quiet := compileEngine(e, WithSSHD(false))
		check(t, probeSpec(t, quiet, "internet", "203.0.113.2:22", "tcp"), Refused, CodeNoListener)
	})

	t.Run("the task ENI cannot reach the internet through the gateway", func(t *testing.T) {
		r := probeSpec(t, n, "web/0", "internet:443", "tcp")
		got := check(t, r, Timeout, CodeIGWPublicIPEgress)
		if got[CodeIGWPublicIPEgress].NetworkInterface.ID != eni2 {
			t.Errorf("explanation = %+v", got[CodeIGWPublicIPEgress])
		}
		checkClean(t, probeSpec(t, n, "ecs-asg/0", "internet:443", "tcp"), Connected)
	})

	t.Run("results encode as JSON with stable names", func(t *testing.T) {
		r := probeSpec(t, n, "internet", "203.0.113.2:3000", "tcp")
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"from", "to", "protocol", "port", "clientPort", "verdict", "reachable", "summary", "forwardPath", "returnPath", "explanations"} {
			if _, ok := m[k]; !ok {
				t.Errorf("JSON has no %q: %s", k, b)
			}
		}
		if m["verdict"] != "timeout" || m["port"] != 3000.0 {
			t.Errorf("verdict/port = %v/%v", m["verdict"], m["port"])
		}
		hop := m["forwardPath"].([]any)[0].(map[string]any)
		if hop["sequenceNumber"] != 1.0 || hop["action"] != "sent" {
			t.Errorf("first hop = %v", hop)
		}
		ex := m["explanations"].([]any)[0].(map[string]any)
		if ex["code"] != CodeSGRulesMismatch || ex["blocking"] != true || ex["path"] != "forward" {
			t.Errorf("first explanation = %v", ex)
		}
	})
}

// TestSecurityGroups covers the security group rules of reference §8.
func TestSecurityGroups(t *testing.T) {
	t.Run("an ENI's groups are a union", func(t *testing.T) {
		e := build(t, "testdata/groupref.yaml")
		var eni model.NetworkInterfaceID
		e.Read(func(st *model.State) { eni = st.ENIByPublicIP(netip.MustParseAddr("203.0.113.20")).ID })
		if err := e.ModifyNetworkInterfaceAttribute(engine.ModifyNetworkInterfaceInput{ID: eni,
			SecurityGroups: []model.SecurityGroupID{groupID(t, e, "server-sg"), groupID(t, e, "extra-sg")}}); err != nil {
			t.Fatal(err)
		}
		n := compileEngine(e)
		r := probeSpec(t, n, "internet", "203.0.113.20:8443", "tcp")
		check(t, r, Refused, CodeNoListener)
		if h := hopOf(t, r.Forward, "network-interface", ""); h.SecurityGroupRule == nil || h.SecurityGroupRule.SecurityGroupName != "extra-sg" {
			t.Errorf("extra-sg should admit tcp/8443: %+v", h)
		}
	})
	t.Run("a group reference matches private addresses only", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/groupref.yaml"))
		r := probeSpec(t, n, "client", "server:22", "tcp")
		checkClean(t, r, Connected)
		if h := hopOf(t, r.Forward, "network-interface", "server ENI 1"); h.SecurityGroupRule.ReferencedGroupID == "" {
			t.Errorf("the group reference should admit it: %+v", h.SecurityGroupRule)
		}
		// To the server's public IP: out through the gateway, back in with
		// the client's public IP, which no group reference matches.
		r = probeSpec(t, n, "client", "203.0.113.20:22", "tcp")
		got := check(t, r, Timeout, CodeSGRulesMismatch)
		if got[CodeSGRulesMismatch].Address != netip.MustParseAddr("203.0.113.10") || !strings.Contains(got[CodeSGRulesMismatch].Message, "never matches a group reference") {
			t.Errorf("explanation = %+v", got[CodeSGRulesMismatch])
		}
		check(t, probeSpec(t, n, "internet", "203.0.113.20:22", "tcp"), Timeout, CodeSGRulesMismatch)
	})
	t.Run("egress is checked at the source", func(t *testing.T) {
		e := build(t, "testdata/groupref.yaml")
		g := groupID(t, e, "client-sg")
		if _, err := e.RevokeSecurityGroup(g, true, []engine.IPPermission{{Protocol: "-1", CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}}, nil); err != nil {
			t.Fatal(err)
		}
		r := probeSpec(t, compileEngine(e), "client", "server:22", "tcp")
		got := check(t, r, Timeout, CodeSGRulesMismatch)
		if x := got[CodeSGRulesMismatch]; x.Direction != "egress" || x.Component.Name != "client-sg" {
			t.Errorf("explanation = %+v", x)
		}
	})
	t.Run("replies pass by state", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/groupref.yaml"))
		r := probeSpec(t, n, "client", "server:22", "tcp")
		if h := r.Return[0]; h.Direction != "egress" || h.SecurityGroupRule != nil || h.Note != statefulNote || h.Blocked {
			t.Errorf("first return hop = %+v", h)
		}
	})
}

// TestNetworkACLs covers the network ACL rules of reference §8.
func TestNetworkACLs(t *testing.T) {
	t.Run("a reply to an ephemeral port the ACL forgets", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/nat.yaml"))
		r := probeSpec(t, n, "internet", "203.0.113.50:22", "tcp")
		got := check(t, r, Timeout, CodeSubnetACLRestriction)
		x := got[CodeSubnetACLRestriction]
		if x.Path != "return" || x.Direction != "egress" || x.Component.Name != "locked" || x.Port != DefaultClientPort || x.ACLRule.RuleNumber != model.ImplicitDenyRule {
			t.Errorf("explanation = %+v (rule %+v)", x, x.ACLRule)
		}
		if h := hopOf(t, r.Forward, "network-acl", "locked"); h.Blocked || h.ACLRule.RuleNumber != 100 {
			t.Errorf("the forward ACL hop should pass by rule 100: %+v", h)
		}
	})
	t.Run("the client port is configurable", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/nat.yaml"))
		q, err := NewQuery(n, "internet", "203.0.113.50:22", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.ClientPort = 22 // the ACL's egress rule allows tcp/22
		checkClean(t, Probe(n, q), Connected)
	})
	t.Run("first match wins", func(t *testing.T) {
		e := build(t, "testdata/nat.yaml")
		var acl model.NetworkACLID
		e.Read(func(st *model.State) {
			for _, a := range st.NetworkACLs {
				if a.Tags.Name() == "locked" {
					acl = a.ID
				}
			}
		})
		for _, x := range []engine.ACLEntryInput{
			{ACLID: acl, RuleNumber: 200, Egress: true, Action: "allow", Protocol: "tcp", FromPort: intp(1024), ToPort: intp(65535), CIDR: "0.0.0.0/0"},
			{ACLID: acl, RuleNumber: 50, Action: "deny", Protocol: "tcp", FromPort: intp(22), ToPort: intp(22), CIDR: "198.51.100.0/24"},
		} {
			if err := e.CreateNetworkACLEntry(x); err != nil {
				t.Fatal(err)
			}
		}
		n := compileEngine(e)
		got := check(t, probeSpec(t, n, "internet", "203.0.113.50:22", "tcp"), Timeout, CodeSubnetACLRestriction)
		if x := got[CodeSubnetACLRestriction]; x.Path != "forward" || x.Direction != "ingress" || x.ACLRule.RuleNumber != 50 {
			t.Errorf("explanation = %+v rule %+v", x, x.ACLRule)
		}
		checkClean(t, probeSpec(t, n, "internet:192.0.2.9", "203.0.113.50:22", "tcp"), Connected)
	})
	t.Run("a reset dropped on its way back is a timeout", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/refused-reply.yaml"))
		r := probeSpec(t, n, "internet", "198.51.100.50:8080", "tcp")
		got := check(t, r, Timeout, CodeSubnetACLRestriction, CodeNoListener)
		if x := got[CodeSubnetACLRestriction]; x.Path != "return" || !strings.HasPrefix(r.Summary, "timeout: 198.51.100.50 is the public IP of the instance i0") ||
			strings.Index(r.Summary, "denies outbound tcp/49152") > strings.Index(r.Summary, "nothing listens") {
			t.Errorf("the return path's ACL decides: %s\n%s", codeList(r), r.Summary)
		}
		q, err := NewQuery(n, "internet", "198.51.100.50:8080", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.ClientPort = 443 // the ACL lets the reset out to 443
		check(t, Probe(n, q), Refused, CodeNoListener)
	})
	t.Run("a refused datagram's answer is ICMP", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/udp-refused.yaml"))
		check(t, probeSpec(t, n, "internet", "198.51.100.51:5000", "udp"), Refused, CodeNoListener)
		r := probeSpec(t, n, "internet", "198.51.100.52:5000", "udp")
		got := check(t, r, Timeout, CodeSubnetACLRestriction)
		if x := got[CodeSubnetACLRestriction]; x.Path != "return" || x.Protocol != "icmp" || x.ACLRule.RuleNumber != 50 || !strings.Contains(x.Message, "ICMP port unreachable") {
			t.Errorf("explanation = %+v", x)
		}
	})
	t.Run("not evaluated within a subnet", func(t *testing.T) {
		n := compileEngine(build(t, "testdata/nat.yaml"))
		checkClean(t, probeSpec(t, n, "locked", "locked2:22", "tcp"), Connected)
		got := check(t, probeSpec(t, n, "bastion", "locked2:22", "tcp"), Timeout, CodeSubnetACLRestriction)
		if got[CodeSubnetACLRestriction].Path != "return" {
			t.Errorf("across subnets the reply is dropped: %+v", got[CodeSubnetACLRestriction])
		}
	})
}

// TestRoutingAndGateways covers routes, internet gateways and NAT
// gateways (reference §8).
func TestRoutingAndGateways(t *testing.T) {
	n := compileEngine(build(t, "testdata/nat.yaml"))
	t.Run("no route", func(t *testing.T) {
		got := check(t, probeSpec(t, n, "island", "internet:443", "tcp"), NoRoute, CodeNoRouteToDestination)
		if got[CodeNoRouteToDestination].Component.Name != "isolated" {
			t.Errorf("explanation = %+v", got[CodeNoRouteToDestination])
		}
	})
	t.Run("NAT egress works", func(t *testing.T) {
		r := probeSpec(t, n, "worker", "internet:443", "tcp")
		checkClean(t, r, Connected)
		nat := hopOf(t, r.Forward, "nat-gateway", "nat-a")
		if nat.Action != ActionTranslated || nat.Packet.Source != netip.MustParseAddr("10.0.1.4") {
			t.Errorf("NAT hop = %+v", nat)
		}
		igw := r.Forward[len(r.Forward)-2]
		if igw.Component.Type != "internet-gateway" || igw.Packet.Source != netip.MustParseAddr("198.51.100.20") {
			t.Errorf("the gateway should show the NAT's public IP: %+v", igw)
		}
		if !strings.Contains(r.Summary, "through the NAT gateway nat-a") {
			t.Errorf("summary = %s", r.Summary)
		}
		if r.Return[len(r.Return)-1].Component.Name != "worker ENI 1" {
			t.Errorf("the reply should end at the worker: %+v", r.Return[len(r.Return)-1])
		}
	})
	t.Run("NAT ingress does not", func(t *testing.T) {
		check(t, probeSpec(t, n, "internet", "198.51.100.20:443", "tcp"), Timeout, CodeNATNoInbound)
	})
	t.Run("an address no ENI holds", func(t *testing.T) {
		check(t, probeSpec(t, n, "internet", "203.0.113.99:22", "tcp"), Timeout, CodeIGWPrivateIPIngress)
		check(t, probeSpec(t, n, "bastion", "10.0.1.99:22", "tcp"), Timeout, CodeAddressNotAssigned)
	})
	t.Run("the reply must route back to the gateway", func(t *testing.T) {
		got := check(t, probeSpec(t, n, "internet", "203.0.113.70:22", "tcp"), Timeout, CodeNoRouteToDestination)
		if got[CodeNoRouteToDestination].Path != "return" {
			t.Errorf("explanation = %+v", got[CodeNoRouteToDestination])
		}
		got = check(t, probeSpec(t, n, "internet", "203.0.113.80:22", "tcp"), Timeout, CodeReturnRouteMismatch)
		if got[CodeReturnRouteMismatch].Route.TargetType != "nat-gateway" {
			t.Errorf("explanation = %+v", got[CodeReturnRouteMismatch])
		}
	})
	t.Run("the local route", func(t *testing.T) {
		r := probeSpec(t, n, "bastion", "worker:22", "tcp")
		checkClean(t, r, Connected)
		if h := hopOf(t, r.Forward, "route-table", "public"); h.Route.Target != "local" {
			t.Errorf("route = %+v", h.Route)
		}
	})
	t.Run("longest prefix wins", func(t *testing.T) {
		e := build(t, "testdata/nat.yaml")
		var rt model.RouteTableID
		var igw model.InternetGatewayID
		e.Read(func(st *model.State) {
			for _, r := range st.RouteTables {
				if r.Tags.Name() == "private" {
					rt = r.ID
				}
			}
			for _, g := range st.InternetGateways {
				igw = g.ID
			}
		})
		if err := e.CreateRoute(engine.RouteInput{RouteTableID: rt, DestinationCIDR: "198.51.100.0/24", GatewayID: string(igw)}); err != nil {
			t.Fatal(err)
		}
		r := probeSpec(t, compileEngine(e), "worker", "internet:443", "tcp")
		check(t, r, Timeout, CodeIGWPublicIPEgress)
		if h := hopOf(t, r.Forward, "route-table", "private"); h.Route.DestinationCIDR.String() != "198.51.100.0/24" {
			t.Errorf("route = %+v", h.Route)
		}
		checkClean(t, probeSpec(t, compileEngine(e), "worker", "internet:192.0.2.1:443", "tcp"), Connected)
	})
	t.Run("a blackhole route drops", func(t *testing.T) {
		e := build(t, "testdata/nat.yaml")
		var ng model.NatGatewayID
		e.Read(func(st *model.State) {
			for id := range st.NatGateways {
				ng = id
			}
		})
		if err := e.DeleteNatGateway(ng); err != nil {
			t.Fatal(err)
		}
		if err := e.Converge(); err != nil {
			t.Fatal(err)
		}
		got := check(t, probeSpec(t, compileEngine(e), "worker", "internet:443", "tcp"), NoRoute, CodeBadStateRoute)
		if got[CodeBadStateRoute].Route.State != "blackhole" {
			t.Errorf("route = %+v", got[CodeBadStateRoute].Route)
		}
	})
}

// TestHostSide covers what listens per network mode (reference §7).
func TestHostSide(t *testing.T) {
	n := compileEngine(build(t, "testdata/modes.yaml"))
	cases := []struct {
		name, from, to, proto string
		verdict               Verdict
		code                  string
	}{
		{"bridge host port", "internet", "203.0.113.9:8080", "tcp", Connected, ""},
		{"bridge task by container port", "internet", "mapped/0:3000", "tcp", Connected, ""},
		{"bridge container port on the host", "internet", "203.0.113.9:3000", "tcp", Refused, CodeNoHostPortBinding},
		{"host mode over UDP", "internet", "203.0.113.9:9000", "udp", Connected, ""},
		{"host mode task by name", "internet", "hostmode/0", "udp", Connected, ""},
		{"app bound to loopback", "internet", "203.0.113.9:5000", "tcp", Refused, CodeAppBoundToLoopback},
		{"network mode none", "ecs-asg/0", "isolated/0:80", "tcp", NoRoute, CodeNetworkModeNone},
		{"nothing listens", "ecs-asg/0", "ecs-asg/0:4000", "tcp", Refused, CodeNoListener},
		{"dropped before", "internet", "203.0.113.9:4000", "tcp", Timeout, CodeSGRulesMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := probeSpec(t, n, c.from, c.to, c.proto)
			if c.code == "" {
				checkClean(t, r, c.verdict)
				return
			}
			check(t, r, c.verdict, c.code)
		})
	}
	t.Run("a task that is not running", func(t *testing.T) {
		e := article(t)
		var arn, cluster string
		e.Read(func(st *model.State) {
			for _, tk := range st.Tasks {
				arn, cluster = tk.ARN, tk.ClusterARN
			}
		})
		if _, err := e.StopTask(cluster, arn, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Step(); err != nil { // RUNNING → DEPROVISIONING: the ENI is still there
			t.Fatal(err)
		}
		n := compileEngine(e)
		check(t, probeSpec(t, n, "ecs-asg/0", "10.0.1.5:3000", "tcp"), Refused, CodeTaskNotRunning)
	})
}

// TestFargatePublicIP: a Fargate task with assignPublicIp ENABLED is
// reachable on its own public IP.
func TestFargatePublicIP(t *testing.T) {
	e := build(t, repoFile("examples/seed/fargate.yaml"))
	n := compileEngine(e)
	r := probeSpec(t, n, "internet", "web/0", "tcp")
	checkClean(t, r, Connected)
	pub := r.Forward[0].Packet.Destination
	if !isPublic(pub) || r.Port != 3000 {
		t.Fatalf("the probe should go to the task's public IP on 3000, got %v:%d", pub, r.Port)
	}
	checkClean(t, probeSpec(t, n, "internet", pub.String()+":3000", "tcp"), Connected)
	if !strings.Contains(r.Summary, "reaches the task web/0 at "+pub.String()+":3000/tcp") {
		t.Errorf("summary = %s", r.Summary)
	}
}

// TestBridgeArticle: the article's bridge remedy.
func TestBridgeArticle(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/seed/bridge.yaml")))
	r := probeSpec(t, n, "internet", "203.0.113.2:3000", "tcp")
	checkClean(t, r, Connected)
	s := r.Forward[len(r.Forward)-1].Socket
	if s == nil || s.Kind != "bridge" || s.Task != "web/0" || s.ContainerPort != 3000 {
		t.Errorf("socket = %+v", s)
	}
}

// TestScenarioExpectations runs the expect: lists of the example files.
func TestScenarioExpectations(t *testing.T) {
	for _, f := range []string{"article", "alb", "bridge", "fargate"} {
		t.Run(f, func(t *testing.T) {
			path := repoFile("examples/seed/" + f + ".yaml")
			e := build(t, path)
			n := compileEngine(e)
			sc := loadScenario(t, path)
			if len(sc) == 0 {
				t.Fatal("no expectations")
			}
			for _, x := range sc {
				r := probeSpec(t, n, x.From, x.To, x.Protocol)
				if string(r.Verdict) != x.Verdict {
					t.Errorf("%s → %s = %s, want %s (%s)", x.From, x.To, r.Verdict, x.Verdict, r.Summary)
				}
			}
		})
	}
}

// TestUnknownQueries: bad specs get clear errors, impossible probes an
// unknown verdict.
func TestUnknownQueries(t *testing.T) {
	n := compileEngine(article(t))
	_, err := NewQuery(n, "internet", "nope:80", "tcp")
	if err == nil || !strings.Contains(err.Error(), `no instance, task, service, load balancer or ENI is named "nope"; known: ecs-asg/0, web, web/0`) {
		t.Errorf("err = %v", err)
	}
	if _, err := NewQuery(n, "internet", "ecs-asg/0", "tcp"); err == nil || !strings.Contains(err.Error(), "give a port") {
		t.Errorf("err = %v", err)
	}
	if _, err := NewQuery(n, "internet", "internet:443", "tcp"); err == nil {
		t.Error("internet to internet should be refused")
	}
	if _, err := NewQuery(n, "internet", "web/0", "sctp"); err == nil {
		t.Error("sctp should be refused")
	}
	q, err := NewQuery(n, "10.0.9.9", "web/0", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := Probe(n, q); r.Verdict != Unknown || !strings.Contains(r.Summary, "no network interface holds 10.0.9.9") {
		t.Errorf("result = %s: %s", r.Verdict, r.Summary)
	}
}

// Within a subnet no network ACL applies, also when the query was resolved
// on another compile of the same state than the one probed (the data
// plane's tests resolve on their own and probe on the system's): an
// instance reaches an interface endpoint of its own subnet through an ACL
// that denies everything.
func TestSameSubnetAcrossCompiles(t *testing.T) {
	e := build(t, repoFile("examples/failures/nacl-deny-all-private-subnets.yaml"))
	st := stateOf(e)
	n1, n2 := Compile(st), Compile(st)
	q, err := NewQuery(n1, "ops", "ecr.dkr:443", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := Probe(n2, q); r.Verdict != Connected {
		t.Fatalf("ops → ecr.dkr:443 resolved on one compile, probed on another: %s: %s", r.Verdict, r.Summary)
	}
	if r := Probe(n1, q); r.Verdict != Connected {
		t.Fatalf("ops → ecr.dkr:443 on one compile: %s: %s", r.Verdict, r.Summary)
	}
}
