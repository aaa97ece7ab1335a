package reach

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// find returns the exposure entries matching a protocol and first port.
func find(r *ExposureReport, proto string, port uint16) []ExposureEntry {
	var out []ExposureEntry
	for _, x := range r.Entries {
		if x.Protocol == proto && x.Ports.From == port {
			out = append(out, x)
		}
	}
	return out
}

func TestExposure(t *testing.T) {
	t.Run("article: only sshd is reachable", func(t *testing.T) {
		r := Exposure(compileEngine(article(t)))
		if len(r.Entries) != 1 {
			t.Fatalf("entries = %+v", r.Entries)
		}
		x := r.Entries[0]
		if x.Kind != "instance" || x.Resource.Name != "ecs-asg/0" || x.Protocol != "tcp" || x.Ports != (PortRange{22, 22}) ||
			x.Verdict != Connected || x.Socket.Kind != "sshd" || x.PublicIP.String() != "203.0.113.2" || x.SecurityGroupRule.SecurityGroupName != "instance-sg" {
			t.Errorf("entry = %+v", x)
		}
		if r.Summary != "1 way in from the internet: 1 connected" {
			t.Errorf("summary = %q", r.Summary)
		}
	})
	t.Run("article with 3000 open: the port leads nowhere", func(t *testing.T) {
		e := article(t)
		allow(t, e, "instance-sg", "tcp", 3000, 3000, "0.0.0.0/0")
		r := Exposure(compileEngine(e))
		x := find(r, "tcp", 3000)
		if len(x) != 1 || x[0].Verdict != Refused || x[0].Socket != nil || !strings.Contains(x[0].Summary, "the task web/0 listens on 3000 on its own ENI") {
			t.Errorf("entries = %+v", x)
		}
	})
	t.Run("bridge: the task on the instance's public IP", func(t *testing.T) {
		r := Exposure(compileEngine(build(t, repoFile("examples/seed/bridge.yaml"))))
		x := find(r, "tcp", 3000)
		if len(x) != 1 || x[0].Kind != "task" || x[0].Resource.Name != "web/0" || x[0].Verdict != Connected || x[0].Socket.Kind != "bridge" {
			t.Errorf("entries = %+v", x)
		}
	})
	t.Run("alb: the listener and its targets", func(t *testing.T) {
		r := Exposure(compileEngine(albExample(t)))
		x := find(r, "tcp", 80)
		if len(x) != 1 || x[0].Kind != "load-balancer" || x[0].Verdict != HTTP200 || len(x[0].Targets) != 1 || x[0].Targets[0] != "web/0" ||
			x[0].Source.String() != "0.0.0.0/0" || x[0].Listener == nil {
			t.Errorf("entries = %+v", x)
		}
	})
	t.Run("modes: UDP, loopback and open ranges", func(t *testing.T) {
		r := Exposure(compileEngine(build(t, "testdata/modes.yaml")))
		if x := find(r, "udp", 9000); len(x) != 1 || x[0].Verdict != Connected || x[0].Resource.Name != "hostmode/0" {
			t.Errorf("udp = %+v", x)
		}
		if x := find(r, "tcp", 5000); len(x) != 1 || x[0].Verdict != Refused || x[0].Socket == nil {
			t.Errorf("loopback = %+v", x)
		}
		if x := find(r, "tcp", 8080); len(x) != 1 || x[0].Verdict != Connected || x[0].Socket.ContainerPort != 3000 {
			t.Errorf("mapped = %+v", x)
		}
		b, err := json.Marshal(r)
		if err != nil || !strings.Contains(string(b), `"publicIp":"203.0.113.9"`) {
			t.Errorf("json: %v %s", err, b)
		}
	})
	t.Run("nat: a NAT gateway and a locked subnet admit nothing", func(t *testing.T) {
		r := Exposure(compileEngine(build(t, "testdata/nat.yaml")))
		for _, x := range r.Entries {
			if x.PublicIP.String() != "203.0.113.60" {
				t.Errorf("only the bastion is reachable: %+v", x)
			}
		}
	})
}

func TestACLAdmitted(t *testing.T) {
	acl := &model.NetworkACL{ID: "acl-1", Entries: []model.ACLEntry{
		{RuleNumber: 10, Action: model.Deny, Protocol: model.TCP, Ports: model.PortRange{First: 100, Last: 199}, CIDR: mustPrefix("0.0.0.0/0")},
		{RuleNumber: 20, Action: model.Allow, Protocol: model.TCP, Ports: model.PortRange{First: 0, Last: 1000}, CIDR: mustPrefix("0.0.0.0/0")},
		{RuleNumber: model.ImplicitDenyRule, Action: model.Deny, Protocol: model.AllProtocols, CIDR: mustPrefix("0.0.0.0/0")},
	}}
	n := newNetwork(model.NewState("1", "us-east-1"), nil)
	got := n.aclTable(acl).admitted(false, model.TCP, DefaultInternetClient(), model.PortRange{First: 50, Last: 2000})
	want := []model.PortRange{{First: 50, Last: 99}, {First: 200, Last: 1000}}
	if len(got) != len(want) {
		t.Fatalf("admitted = %+v", got)
	}
	for i := range want {
		if got[i].ports != want[i] || got[i].entry.num != 20 {
			t.Errorf("span %d = %+v, want %+v by rule 20", i, got[i], want[i])
		}
	}
}

func lintCodes(fs []Finding) map[string]Finding {
	m := map[string]Finding{}
	for _, f := range fs {
		if _, ok := m[f.Code]; !ok {
			m[f.Code] = f
		}
	}
	return m
}

func TestLint(t *testing.T) {
	cases := []struct {
		file  string
		check bool // build with the start check
		codes []string
		res   []string // resource labels of the findings, in code order
	}{
		{repoFile("examples/seed/article.yaml"), true, []string{CodeAwsvpcPublicInstance, CodePublicSubnetNoPublicIP}, []string{"web/0", "web"}},
		{"testdata/alb-loopback.yaml", true, []string{CodeAppBoundToLoopback, CodeTargetUnhealthy}, []string{"web", "web-tg"}},
		{"testdata/modes.yaml", true, []string{CodeDynamicPortsBlocked, CodeAppBoundToLoopback, CodeTargetUnhealthy}, []string{"instance-sg", "loop", "dyn-tg"}},
		{"testdata/nat.yaml", true, []string{CodeNACLEphemeralReturn}, []string{"locked"}},
		{"testdata/capacity.yaml", true, []string{CodeENICapacity, CodePortConflict, CodeTrunkingUnsupported}, []string{"api", "agent", "small-asg/0"}},
		{"testdata/alb-notargets.yaml", true, []string{CodeLBSubnetsMissTargetAZ}, []string{"faraway-tg"}},
		{"testdata/nlb.yaml", true, []string{CodeNLBClientIPNotAllowed}, []string{"instance-sg"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			e := build(t, c.file)
			fs := Lint(compileEngine(e))
			got := lintCodes(fs)
			for i, code := range c.codes {
				f, ok := got[code]
				if !ok {
					t.Errorf("no %s in %+v", code, fs)
					continue
				}
				if f.Resource.Label() != c.res[i] || f.Message == "" || f.Fix == "" || f.Severity == "" {
					t.Errorf("%s = %+v, want resource %s", code, f, c.res[i])
				}
			}
		})
	}
	t.Run("a Fargate service that cannot pull", func(t *testing.T) {
		// A service in a public subnet without a public IP.
		e := buildWith(t, repoFile("examples/seed/fargate.yaml"))
		n := compileEngine(e)
		if got := lintCodes(Lint(n)); got[CodeImagePullFailed].Code != "" {
			t.Errorf("the example pulls fine: %+v", got[CodeImagePullFailed])
		}
		var net model.AwsVpcConfiguration
		var cluster string
		e.Read(func(st *model.State) {
			for _, s := range st.Services {
				net, cluster = *s.Network, s.ClusterARN
			}
		})
		net.AssignPublicIP = false
		if _, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: "web", Network: &net}); err != nil {
			t.Fatal(err)
		}
		st := stateOf(e)
		f := lintCodes(Lint(Compile(st)))[CodeImagePullFailed]
		if f.Severity != SeverityError || f.Resource.Name != "web" || !strings.Contains(f.Message, "CannotPullContainerError") || !strings.Contains(f.Fix, "assignPublicIp") {
			t.Errorf("finding = %+v", f)
		}
	})
	t.Run("the task group does not admit the ALB", func(t *testing.T) {
		e := albExample(t)
		g := groupID(t, e, "task-sg")
		if _, err := e.RevokeSecurityGroup(g, false, nil, ruleIDs(e, g)); err != nil {
			t.Fatal(err)
		}
		f := lintCodes(Lint(compileEngine(e)))[CodeTaskSGBlocksLB]
		if f.Severity != SeverityError || f.Resource.Name != "task-sg" || !strings.Contains(f.Fix, "alb-sg") {
			t.Errorf("finding = %+v", f)
		}
	})
}

func ruleIDs(e interface {
	Read(func(*model.State))
}, g model.SecurityGroupID) []model.SecurityGroupRuleID {
	var ids []model.SecurityGroupRuleID
	e.Read(func(st *model.State) {
		for _, r := range st.SecurityGroups[g].Ingress {
			ids = append(ids, r.ID)
		}
	})
	return ids
}

func TestResolve(t *testing.T) {
	e := article(t)
	st := stateOf(e)
	n := Compile(st)
	var tk *model.Task
	var inst *model.Instance
	for _, x := range st.Tasks {
		tk = x
	}
	for _, x := range st.Instances {
		inst = x
	}
	cases := []struct {
		spec string
		kind EndpointKind
		name string
		port uint16
	}{
		{"internet", KindInternet, "internet", 0},
		{"internet:192.0.2.1:443", KindInternet, "internet", 443},
		{"ecs-asg/0", KindInstance, "ecs-asg/0", 0},
		{string(inst.ID) + ":22", KindInstance, "ecs-asg/0", 22},
		{"web/0:3000", KindTask, "web/0", 3000},
		{tk.ARN, KindTask, "web/0", 0},
		{tk.ARN[strings.LastIndexByte(tk.ARN, '/')+1:], KindTask, "web/0", 0},
		{"web", KindService, "web", 0},
		{"service:web", KindService, "web", 0},
		{"demo/web", KindService, "web", 0},
		{"203.0.113.2:3000", KindAddress, "203.0.113.2", 3000},
		{"ip:10.0.1.5", KindAddress, "10.0.1.5", 0},
		{string(inst.PrimaryENI), KindENI, "ecs-asg/0 ENI 1", 0},
	}
	for _, c := range cases {
		ep, err := Resolve(n, c.spec)
		if err != nil {
			t.Errorf("Resolve(%q): %v", c.spec, err)
			continue
		}
		if ep.Kind != c.kind || ep.Name != c.name || ep.Port != c.port {
			t.Errorf("Resolve(%q) = %s %q :%d, want %s %q :%d", c.spec, ep.Kind, ep.Name, ep.Port, c.kind, c.name, c.port)
		}
	}
	for _, bad := range []string{"", "instance:web", "internet:10.0.0.1", "ip:web", "web/9"} {
		if _, err := Resolve(n, bad); err == nil {
			t.Errorf("Resolve(%q) should fail", bad)
		}
	}
}

// TestNamesMatchState: the analyzer names instances and tasks exactly as
// State.InstanceName and State.TaskName do.
func TestNamesMatchState(t *testing.T) {
	for _, f := range []string{"testdata/capacity.yaml", "testdata/modes.yaml", repoFile("examples/seed/alb.yaml")} {
		st := stateOf(build(t, f))
		n := Compile(st)
		for _, i := range n.instanceOrder {
			if want := st.InstanceName(i.inst); i.name != want {
				t.Errorf("%s: instance %s named %q, want %q", f, i.inst.ID, i.name, want)
			}
		}
		for _, tk := range n.taskOrder {
			if want := st.TaskName(tk.tk); tk.name != want {
				t.Errorf("%s: task named %q, want %q", f, tk.name, want)
			}
		}
	}
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func TestInsights(t *testing.T) {
	n := compileEngine(article(t))
	r := probeSpec(t, n, "internet", "203.0.113.2:3000", "tcp")
	found, fwd, ret, expl := r.Insights()
	// The SYN is dropped at ENI 1: the path stops there and there is no
	// return path.
	if found || len(fwd) == 0 || len(ret) != 0 {
		t.Fatalf("found %v, %d forward, %d return", found, len(fwd), len(ret))
	}
	if fwd[0].SequenceNumber != 1 || fwd[0].Component.ID == "internet" || fwd[0].Component.ID[:4] != "igw-" {
		t.Errorf("the first component should be the internet gateway: %+v", fwd[0])
	}
	var eni *model.PathComponent
	for i := range fwd {
		if fwd[i].Component.Name == "ecs-asg/0 ENI 1" {
			eni = &fwd[i]
		}
	}
	if eni == nil || len(eni.Explanations) != 1 || eni.Explanations[0].Code != CodeSGRulesMismatch || len(eni.Explanations[0].SecurityGroups) != 1 {
		t.Errorf("ENI component = %+v", eni)
	}
	if len(expl) != 2 || expl[0].Code != CodeSGRulesMismatch || expl[1].Code != CodePortOnTaskENI || expl[0].Detail == "" {
		t.Errorf("explanations = %+v", expl)
	}
	if h := fwd[1]; h.ACLRule == nil || h.ACLRule.RuleNumber != 100 || h.OutboundHeader.DestinationPorts[0] != model.Port(3000) {
		t.Errorf("ACL component = %+v", h)
	}
}

func TestResolveGateways(t *testing.T) {
	n := compileEngine(build(t, "testdata/fargate-pull.yaml"))
	for _, spec := range []string{"ecr-api:443", "nat-a:443"} {
		ep, err := Resolve(n, spec)
		if err != nil || ep.Kind != KindENI {
			t.Errorf("Resolve(%q) = %+v, %v", spec, ep, err)
		}
	}
	r := probeSpec(t, n, "via-endpoints/0", "ecr-api:443", "tcp")
	checkClean(t, r, Connected)
	if s := r.Forward[len(r.Forward)-1].Socket; s == nil || s.Kind != "endpoint" {
		t.Errorf("the endpoint should accept: %+v", r.Forward[len(r.Forward)-1])
	}
	check(t, probeSpec(t, n, "via-endpoints/0", "ecr-api:80", "tcp"), Timeout, CodeSGRulesMismatch, CodeEndpointPort)
	check(t, probeSpec(t, n, "via-nat/0", "nat-a:443", "tcp"), Timeout, CodeNATNoInbound)
}
