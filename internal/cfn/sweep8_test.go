package cfn_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// TestSweepDefaultVPC: a template read on its own whose security group
// has no VpcId and whose Classic load balancer and Auto Scaling group
// name zones gets the default VPC AWS creates in every region, with a
// warning, and the group's instances register with the load balancer; on
// a --base system without a default VPC the engine's error stands.
func TestSweepDefaultVPC(t *testing.T) {
	const rel = "internal/cfn/testdata/sweep/default-vpc.yaml"
	res := load(t, rel, nil)
	st := state(res)
	var def *model.VPC
	for _, v := range st.VPCs {
		if v.IsDefault {
			def = v
		}
	}
	if def == nil {
		t.Fatalf("no default VPC among %d VPCs", len(st.VPCs))
	}
	if g := st.SecurityGroups[model.SecurityGroupID(res.PhysicalIDs["Web"])]; g == nil || g.VpcID != def.ID {
		t.Errorf("Web = %+v, want a group of the default VPC %s", g, def.ID)
	}
	lb := st.ClassicLoadBalancers[res.PhysicalIDs["Elb"]]
	if lb == nil || len(lb.Instances) != 1 {
		t.Errorf("Elb = %+v, want the group's one instance registered", lb)
	}
	warned := 0
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "ecsnet assumes the default VPC") {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("warnings = %+v, want one about the default VPC", res.Warnings)
	}

	// Given a base without a default VPC, nothing is assumed.
	base := cfn.NewEngine()
	_, err := cfn.LoadStacks([]cfn.StackInput{{Path: repoFile(rel)}}, cfn.LoadOptions{Engine: base})
	if err == nil || !strings.Contains(err.Error(), "Web") {
		t.Errorf("LoadStacks on a base without a default VPC: %v, want Web's error", err)
	}

	// A probe goes through the Classic load balancer to the instance,
	// where nothing listens on 80: no instance is InService.
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, "internet", res.PhysicalIDs["Elb"]+":80", "tcp")
	if err != nil {
		t.Fatal(err)
	}
	if r := reach.Probe(n, q); r.Verdict != "http 503" {
		t.Errorf("a probe to the Classic load balancer: %s (%s)", r.Verdict, r.Summary)
	}
}

// TestSweepDHCPOptions: AWS::EC2::DHCPOptions creates the options set and
// AWS::EC2::VPCDHCPOptionsAssociation makes the VPC use it (they were
// skipped, with placeholder ids); deleting the stack removes both.
func TestSweepDHCPOptions(t *testing.T) {
	res := load(t, "internal/cfn/testdata/sweep/dhcp-options.yaml", nil)
	st := state(res)
	id := model.DhcpOptionsID(res.PhysicalIDs["Options"])
	d := st.DhcpOptions[id]
	if d == nil || strings.Join(d.Options["domain-name"], ",") != "ec2.internal" || strings.Join(d.Options["netbios-node-type"], ",") != "2" {
		t.Fatalf("Options %s = %+v, want domain-name ec2.internal and netbios-node-type 2", id, d)
	}
	if v := st.VPCs[model.VpcID(res.PhysicalIDs["Vpc"])]; v == nil || v.DhcpOptions != id {
		t.Errorf("Vpc = %+v, want DHCP options %s", v, id)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "not modelled") {
			t.Errorf("warning: %s", w.Msg)
		}
	}
	if err := cfn.DeleteResources(res.Engine, res.Resources); err != nil {
		t.Fatal(err)
	}
	if st := state(res); st.DhcpOptions[id] != nil {
		t.Errorf("Options %s left after the stack's deletion", id)
	}
}

// TestSweepNetworkACLIcmp: a NetworkAclEntry's Icmp type and code reach
// the entry (they were dropped, leaving every ICMP type allowed); an entry
// without them is -1, -1.
func TestSweepNetworkACLIcmp(t *testing.T) {
	res := load(t, "internal/cfn/testdata/sweep/nacl-icmp.yaml", nil)
	acl := state(res).NetworkACLs[model.NetworkACLID(res.PhysicalIDs["Acl"])]
	if acl == nil {
		t.Fatal("no network ACL")
	}
	got := map[int]model.PortRange{}
	for _, e := range acl.Entries {
		if e.Protocol == model.ICMP {
			got[e.RuleNumber] = e.Ports
		}
	}
	want := map[int]model.PortRange{100: {First: 8, Last: engine.ICMPAny}, 110: {First: engine.ICMPAny, Last: engine.ICMPAny}}
	if len(got) != 2 || got[100] != want[100] || got[110] != want[110] {
		t.Errorf("ICMP entries = %v, want %v", got, want)
	}
}

// TestSweepLifecycleHooks: AWS::AutoScaling::LifecycleHook puts a hook on
// its group (it was skipped as unmodelled), named by CloudFormation when
// LifecycleHookName is not given, Ref its name; the group's
// LifecycleHookSpecificationList gives hooks at creation, with AWS's
// defaults (DefaultResult ABANDON, HeartbeatTimeout 3600 when not given),
// so the instance the group launches waits in Pending:Wait; deleting the
// stack removes the hook.
func TestSweepLifecycleHooks(t *testing.T) {
	res := load(t, "internal/cfn/testdata/sweep/lifecycle-hooks.yaml", nil)
	st := state(res)
	g := st.AutoScalingGroups[res.PhysicalIDs["Asg"]]
	if g == nil || len(g.LifecycleHooks) != 2 {
		t.Fatalf("Asg = %+v, want two lifecycle hooks", g)
	}
	boot, drain := g.LifecycleHooks[0], g.LifecycleHooks[1]
	if boot != (model.LifecycleHook{Name: "boot", Transition: "autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout: 120, DefaultResult: "ABANDON"}) {
		t.Errorf("boot = %+v", boot)
	}
	if drain.Name != res.PhysicalIDs["Drain"] || !strings.Contains(drain.Name, "Drain") || drain.Transition != "autoscaling:EC2_INSTANCE_TERMINATING" ||
		drain.DefaultResult != "CONTINUE" || drain.HeartbeatTimeout != 3600 || drain.NotificationMetadata != "drain" {
		t.Errorf("Drain = %+v (physical id %s)", drain, res.PhysicalIDs["Drain"])
	}
	if out := res.Outputs["DrainName"]; out != drain.Name {
		t.Errorf("Ref Drain = %q, want %q", out, drain.Name)
	}
	waiting := 0
	for _, i := range st.Instances {
		if i.AutoScalingGroup == g.Name && g.Waiting(i.ID) {
			waiting++
		}
	}
	if waiting != 1 {
		t.Errorf("%d instances wait on the launch hook, want 1", waiting)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "not modelled") {
			t.Errorf("warning: %s", w.Msg)
		}
	}
	if err := cfn.DeleteResources(res.Engine, res.Resources[len(res.Resources)-1:]); err != nil {
		t.Fatal(err)
	}
	if g := state(res).AutoScalingGroups[g.Name]; g == nil || len(g.LifecycleHooks) != 1 || g.LifecycleHooks[0].Name != "boot" {
		t.Errorf("after deleting Drain: %+v", g)
	}
}
