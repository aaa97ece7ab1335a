package reach

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/estate"
	"github.com/ecsnet/ecsnet/internal/model"
)

// referenceLint is what Lint returns, computed the plain way from every
// finding the checks add, in the order they add them: the first of each
// code, resource and message is kept (a string key per finding), and a
// stable sort puts them in order by severity, code and resource label.
func referenceLint(raw []Finding) []Finding {
	seen := map[string]bool{}
	out := []Finding{} // Lint's JSON is [] when nothing is found
	for _, f := range raw {
		k := f.Code + "\x00" + f.Resource.ARN + "\x00" + f.Resource.ID + "\x00" + f.Message
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if c := cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return cmp.Compare(a.Resource.Label(), b.Resource.Label())
	})
	return out
}

// lintNetworks returns the networks TestLintMatchesReference lints: the
// examples, the test scenarios and two generated estates, one with more
// findings than a chunk holds.
func lintNetworks(t *testing.T) map[string]*Network {
	nets := map[string]*Network{}
	var files []string
	for _, g := range []string{"examples/seed/*.yaml", "examples/failures/*.yaml", "examples/ipv6/*.yaml"} {
		m, _ := filepath.Glob(repoFile(g))
		files = append(files, m...)
	}
	m, _ := filepath.Glob("testdata/*.yaml")
	files = append(files, m...)
	for _, f := range files {
		nets[f] = compileEngine(build(t, f))
	}
	sizes := map[string]estate.Size{"small": estate.Small()}
	if !testing.Short() {
		sizes["medium"] = estate.Size{VPCs: 2, SubnetsPerVPC: 10, SecurityGroups: 40, RulesPerGroup: 5, Clusters: 2,
			Instances: 240, InstanceType: "m5.xlarge", TasksPerInstance: 3, FargateTasks: 100, LoadBalancers: 4}
	}
	for name, s := range sizes {
		e, err := estate.Build(s)
		if err != nil {
			t.Fatal(err)
		}
		nets["estate "+name] = compileEngine(e)
	}
	return nets
}

// TestLintMatchesReference pins Lint's output, byte for byte, to the
// reference above: Lint's chunked findings, hashed index and grouped sort
// must not drop, add or reorder anything. The agent registration findings
// are checked against InstanceRegisterFailure run on its own (a network
// and trace of its own per instance), which Lint's shared network and
// scratch must match.
func TestLintMatchesReference(t *testing.T) {
	dups, chunked := false, false
	for name, n := range lintNetworks(t) {
		var raw []Finding
		l := newLinter(n)
		l.raw = &raw
		l.run()
		got, err := json.Marshal(l.sorted())
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(referenceLint(raw))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: Lint differs from the reference:\n got %.2000s\nwant %.2000s", name, got, want)
		}
		again, _ := json.Marshal(Lint(n))
		if !bytes.Equal(got, again) {
			t.Errorf("%s: two Lints differ", name)
		}
		if len(raw) > int(l.count) {
			dups = true
		}
		if len(l.chunks) > 1 {
			chunked = true
		}

		// The agent checks, one by one.
		var fs []Finding
		json.Unmarshal(got, &fs)
		agent := map[string]Finding{}
		for _, f := range fs {
			if f.Code == CodeAgentCannotRegister || f.Code == CodeAgentDisconnected || f.Code == CodeAgentNoCredentials {
				agent[f.Resource.ID] = f
			}
		}
		failed := 0
		for _, i := range n.instanceOrder {
			if !registers(i.inst) {
				continue
			}
			f := InstanceRegisterFailure(n.st, i.inst)
			if f == nil {
				if _, ok := agent[string(i.inst.ID)]; ok {
					t.Errorf("%s: Lint says the agent on %s cannot register; InstanceRegisterFailure says it can", name, i.name)
				}
				continue
			}
			failed++
			msg := "the ECS agent on " + i.name + " cannot reach ECS (" + f.Why + "), so the instance never registers with its cluster and no task is placed on it. The agent logs: " + f.Reason
			if f.Code == CodeAgentNoCredentials {
				msg = "the ECS agent on " + i.name + " cannot call ECS: " + f.Why + ", so the instance never registers with its cluster and no task is placed on it. The agent logs: " + f.Reason
			}
			if f.Code == CodeAgentDisconnected {
				msg = "the ECS agent on " + i.name + " registers the instance through the ecs endpoint but cannot reach its communication service (" + f.Why + "), so the instance shows agentConnected false and no task is placed on it. The agent logs: " + f.Reason
			}
			if g := agent[string(i.inst.ID)]; g.Message != msg || g.Fix != StartFixHint(f) {
				t.Errorf("%s: agent finding for %s = %+v\nwant message %q", name, i.name, g, msg)
			}
		}
		if failed != len(agent) {
			t.Errorf("%s: %d agent findings, %d instances that cannot register", name, len(agent), failed)
		}
	}
	if !dups {
		// No check repeats itself on these networks: add each finding
		// of one network a second time, as a repeated check would.
		for name, n := range lintNetworks(t) {
			l := newLinter(n)
			l.run()
			if l.count == 0 {
				continue
			}
			before, _ := json.Marshal(l.sorted())
			count := l.count
			for i := int32(0); i < count; i++ {
				f := *l.at(i)
				l.add(f.Severity, f.Code, f.Resource, f.Message, f.Fix)
			}
			if after, _ := json.Marshal(l.sorted()); l.count != count || !bytes.Equal(before, after) {
				t.Errorf("%s: findings added twice were kept twice (%d findings, then %d)", name, count, l.count)
			}
			dups = true
			break
		}
	}
	if !dups {
		t.Error("no network had a finding: the index is not exercised")
	}
	if !chunked && !testing.Short() {
		t.Error("no network had more findings than a chunk holds")
	}
}

// TestTextsAppended checks the appending forms of an ENI's label, a socket
// list and an address against the texts they stand for.
func TestTextsAppended(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/seed/article.yaml")))
	enis := append([]*eniNode{}, n.eniOrder...)
	enis = append(enis, &eniNode{eni: &model.NetworkInterface{ID: "eni-none"}, device: -1},
		&eniNode{eni: &model.NetworkInterface{ID: "eni-v6"}, primary: netip.MustParseAddr("2001:db8::5"), device: 1, instance: n.instanceOrder[0]})
	sawDevice := false
	for _, e := range enis {
		want := string(e.eni.ID) + " (" + e.primary.String() + ")"
		if e.device >= 0 && e.instance != nil {
			want = string(e.eni.ID) + " (" + e.primary.String() + ", ENI " + strconv.Itoa(e.device+1) + ")"
			sawDevice = true
		}
		if got := e.label(); got != want {
			t.Errorf("label = %q, want %q", got, want)
		}
		if got := string(e.appendLabel([]byte("x"))); got != "x"+want {
			t.Errorf("appendLabel = %q, want %q", got, "x"+want)
		}
	}
	if !sawDevice {
		t.Error("no ENI with a device index")
	}
	for _, a := range []netip.Addr{{}, netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("fe80::1%eth0"), netip.MustParseAddr("::ffff:10.0.0.1")} {
		if got := string(appendAddr(nil, a)); got != a.String() {
			t.Errorf("appendAddr(%v) = %q", a, got)
		}
	}
	for _, tk := range n.taskOrder {
		var parts []string
		for _, s := range tk.sockets {
			parts = append(parts, s.proto.String()+"/"+strconv.Itoa(int(s.port)))
		}
		want := ""
		if len(parts) > 0 {
			want = "<" + strings.Join(parts, ", ") + ">"
		}
		if got := socketList(tk.sockets, "<", ">"); got != want {
			t.Errorf("socketList = %q, want %q", got, want)
		}
	}
}

// A task behind a load balancer that also answers the internet on its
// public IP is flagged; one whose group admits only the load balancer is
// not.
func TestLintLBBypass(t *testing.T) {
	n := compileEngine(build(t, "testdata/lb-bypass.yaml"))
	var got []string
	for _, f := range Lint(n) {
		if f.Code == CodeLBBypass {
			got = append(got, f.Resource.Label())
			if !strings.Contains(f.Message, ":3000 directly, past the load balancer web-alb") || !strings.Contains(f.Fix, "only from the load balancer's security group") {
				t.Errorf("finding: %s / %s", f.Message, f.Fix)
			}
		}
	}
	if len(got) != 1 || got[0] != "web/0" {
		t.Errorf("ECS_LB_BYPASSED on %v, want [web/0]", got)
	}
}

// Unhealthy targets are replaced by ECS for a service, by Auto Scaling
// only for a group with health check type ELB, and else by nobody.
func TestUnhealthyReplacement(t *testing.T) {
	n := compileEngine(albExample(t))
	if got := n.unhealthyReplacement(tgARN(t, n, "web-tg")); !strings.Contains(got, "ECS stops the tasks") {
		t.Errorf("service: %q", got)
	}
	st, _ := build(t, "testdata/asg-tg.yaml").Snapshot()
	n = Compile(st)
	arn := tgARN(t, n, "web-tg")
	if got := n.unhealthyReplacement(arn); got != "; Auto Scaling keeps the instances of web-asg, whose health check type is EC2" {
		t.Errorf("EC2 health checks: %q", got)
	}
	elb := *st // the engine's state is shared: change a copy
	elb.AutoScalingGroups = map[string]*model.AutoScalingGroup{}
	for name, g := range st.AutoScalingGroups {
		c := *g
		c.HealthCheckType = "ELB"
		elb.AutoScalingGroups[name] = &c
	}
	st = &elb
	if got := Compile(st).unhealthyReplacement(arn); got != ", while Auto Scaling replaces the instances of web-asg (its health check type is ELB)" {
		t.Errorf("ELB health checks: %q", got)
	}
	for _, g := range st.AutoScalingGroups {
		g.SuspendedProcesses = []model.SuspendedProcess{{Name: "ReplaceUnhealthy"}}
	}
	if got := Compile(st).unhealthyReplacement(arn); got != "; Auto Scaling keeps the instances of web-asg, whose ReplaceUnhealthy process is suspended" {
		t.Errorf("ELB health checks, ReplaceUnhealthy suspended: %q", got)
	}
	if got := n.unhealthyReplacement("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/none/0"); got != "" {
		t.Errorf("no owner: %q", got)
	}
}

// The NLB client lint says the health checks pass only when they do: a
// group that admits one office's range only drops the NLB's own health
// checks too (Guimove/terraform-aws-bastion#52), one that admits the VPC
// passes them (pitfall 9).
func TestNLBClientLintHealthChecks(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"examples/failures/nlb-bastion-health-check-cidr.yaml", "the health checks (from the NLB's private addresses) fail too"},
		{"examples/failures/nlb-client-ip.yaml", "health checks (from the NLB's private addresses) pass while clients time out"},
	} {
		found := false
		for _, f := range Lint(compileEngine(build(t, repoFile(c.file)))) {
			if f.Code == CodeNLBClientIPNotAllowed {
				found = true
				if !strings.Contains(f.Message, c.want) {
					t.Errorf("%s: %q does not say %q", c.file, f.Message, c.want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s finding", c.file, CodeNLBClientIPNotAllowed)
		}
	}
}

// A UDP target group keeps the client's address whatever its target type,
// and its client IP preservation cannot be turned off (ELB's target group
// attributes): the NLB client lint's fix for a UDP listener of an NLB
// without security groups admits the clients, and never proposes turning
// preservation off, which it does for a TCP one.
func TestNLBClientLintUDPNoPreservationOff(t *testing.T) {
	for _, c := range []struct {
		file    string
		off     bool
		keyword string
	}{
		{"examples/failures/nlb-udp-fargate-client-ip.yaml", false, "cannot be turned off"},
		{"examples/failures/nlb-client-ip.yaml", true, "preserve_client_ip.enabled false"},
	} {
		found := false
		for _, f := range Lint(compileEngine(build(t, repoFile(c.file)))) {
			if f.Code != CodeNLBClientIPNotAllowed {
				continue
			}
			found = true
			if got := strings.Contains(f.Fix, "turn client IP preservation off"); got != c.off {
				t.Errorf("%s: fix %q proposes turning preservation off: %v, want %v", c.file, f.Fix, got, c.off)
			}
			if !strings.Contains(f.Fix, c.keyword) {
				t.Errorf("%s: fix %q does not say %q", c.file, f.Fix, c.keyword)
			}
		}
		if !found {
			t.Errorf("%s: no %s finding", c.file, CodeNLBClientIPNotAllowed)
		}
	}
}

// A service whose tasks fail to start for the same cause in each of its
// subnets gets one finding naming every subnet, not one a subnet.
func TestStartFailureOnceForSubnetsOfTheSameCause(t *testing.T) {
	n := Compile(stateOf(build(t, "../../examples/failures/no-nat.yaml")))
	var pulls []Finding
	for _, f := range Lint(n) {
		if f.Code == CodeImagePullFailed {
			pulls = append(pulls, f)
		}
	}
	if len(pulls) != 1 || !strings.Contains(pulls[0].Message, "in subnets private-a, private-b (the same cause in each") {
		t.Fatalf("%d findings, want one naming both subnets: %+v", len(pulls), pulls)
	}
	if fix := pulls[0].Fix; !strings.Contains(fix, "the VPC endpoints ecr.api, ecr.dkr, logs (interface endpoints with private DNS") || !strings.HasSuffix(fix, "and s3 (a gateway endpoint on the subnet's route table)") {
		t.Errorf("fix: %s", fix)
	}
}
