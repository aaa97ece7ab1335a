package engine

import (
	"slices"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestTargetHelpers covers the package-internal helpers ECS and Auto
// Scaling use: registerTarget and deregisterTarget never fail and never
// duplicate, and targetGroupLoadBalancers finds load balancers through
// listeners and rules.
func TestTargetHelpers(t *testing.T) {
	e := New(WithIDs(SeededIDs(1)))
	vpc, err := e.CreateVpc(CreateVpcInput{CIDR: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := e.CreateSubnet(CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.1.0/24", AvailabilityZone: "us-east-1a"})
	b, _ := e.CreateSubnet(CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.2.0/24", AvailabilityZone: "us-east-1b"})
	lb, err := e.CreateLoadBalancer(CreateLoadBalancerInput{Name: "web", Scheme: "internal", Subnets: []model.SubnetID{a.ID, b.ID}})
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := e.CreateTargetGroup(CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: vpc.ID, TargetType: "ip"})
	viaRule, _ := e.CreateTargetGroup(CreateTargetGroupInput{Name: "rule", Protocol: "HTTP", Port: 80, VpcID: vpc.ID, TargetType: "ip"})
	idle, _ := e.CreateTargetGroup(CreateTargetGroupInput{Name: "idle", Protocol: "HTTP", Port: 80, VpcID: vpc.ID, TargetType: "ip"})
	l, err := e.CreateListener(CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTP", Port: 80,
		DefaultActions: []model.ListenerAction{{Type: "forward", TargetGroupARN: tg.ARN}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateRule(CreateRuleInput{ListenerARN: l.ARN, Priority: 1, Conditions: []model.RuleCondition{{Field: "path-pattern", Values: []string{"/r"}}},
		Actions: []model.ListenerAction{{Type: "forward", TargetGroupARN: viaRule.ARN}}}); err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) {
		for arn, want := range map[string][]string{tg.ARN: {lb.ARN}, viaRule.ARN: {lb.ARN}, idle.ARN: nil, "arn:nothing": nil} {
			if got := targetGroupLoadBalancers(st, arn); !slices.Equal(got, want) {
				t.Errorf("targetGroupLoadBalancers(%s) = %v, want %v", arn, got, want)
			}
		}
	})
	err = e.write(func(x *txn) error {
		x.registerTarget(tg.ARN, model.Target{ID: "10.0.2.7"})
		x.registerTarget(tg.ARN, model.Target{ID: "10.0.2.7"})           // duplicate: ignored
		x.registerTarget(tg.ARN, model.Target{ID: "10.0.2.7", Port: 81}) // another port: another target
		x.registerTarget("arn:missing", model.Target{ID: "10.0.2.7"})    // missing group: no-op
		x.deregisterTarget("arn:missing", "10.0.2.7", 80)
		x.deregisterTarget(tg.ARN, "10.0.9.9", 80) // not registered: no-op
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Read(func(st *model.State) {
		got := st.TargetGroups[tg.ARN].Targets.Slice()
		if len(got) != 2 || got[0].Port != 80 || got[1].Port != 81 || got[0].AvailabilityZone != "us-east-1b" || got[0].RegisteredAt.IsZero() {
			t.Errorf("targets = %+v", got)
		}
	})
	_ = e.write(func(x *txn) error {
		x.deregisterTarget(tg.ARN, "10.0.2.7", 80)
		return nil
	})
	e.Read(func(st *model.State) {
		if got := st.TargetGroups[tg.ARN].Targets.Slice(); len(got) != 1 || got[0].Port != 81 {
			t.Errorf("after deregistering port 80: %+v", got)
		}
	})
	_ = e.write(func(x *txn) error {
		if _, err := x.targetGroup(idle.ARN); err != nil {
			t.Errorf("targetGroup(idle) = %v", err)
		}
		if _, err := x.targetGroup(idle.ARN + "0"); err == nil {
			t.Error("targetGroup(unknown) succeeded")
		}
		return nil
	})
}

// TestTargetVersionsStayImmutable: registering appends to a target group's
// array in place, and deregistering changes the transaction's own copy;
// neither may change a version a reader holds, also after a transaction
// that appended is undone.
func TestTargetVersionsStayImmutable(t *testing.T) {
	e := New(WithIDs(SeededIDs(1)))
	vpc, err := e.CreateVpc(CreateVpcInput{CIDR: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := e.CreateTargetGroup(CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: vpc.ID, TargetType: "ip"})
	if err != nil {
		t.Fatal(err)
	}
	ip := func(i int) string { return "10.0.0." + string(rune('0'+i)) }
	version := func() (*model.TargetGroup, []string) {
		var v *model.TargetGroup
		e.Read(func(st *model.State) { v = st.TargetGroups[tg.ARN] })
		var ids []string
		for _, x := range v.Targets.All() {
			ids = append(ids, x.ID)
		}
		return v, ids
	}
	ids := func(v *model.TargetGroup) []string {
		var out []string
		for _, x := range v.Targets.All() {
			out = append(out, x.ID)
		}
		return out
	}
	register := func(fail bool, is ...int) {
		err := e.write(func(t *txn) error {
			for _, i := range is {
				t.registerTarget(tg.ARN, model.Target{ID: ip(i)})
			}
			if fail {
				return errTGNotFound()
			}
			return nil
		})
		if (err != nil) != fail {
			t.Fatalf("register %v: %v", is, err)
		}
	}
	deregister := func(is ...int) {
		if err := e.write(func(t *txn) error {
			for _, i := range is {
				t.deregisterTarget(tg.ARN, ip(i), 80)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	type held struct {
		v    *model.TargetGroup
		want []string
	}
	var seen []held
	keep := func() { v, w := version(); seen = append(seen, held{v, w}) }
	register(false, 1)
	keep()
	register(false, 2, 3)
	keep()
	register(true, 4, 5) // undone: slots 3 and 4 of the array were written
	keep()
	register(false, 6)
	keep()
	register(false, 1, 6) // already there
	keep()
	deregister(2, 6)
	keep()
	register(false, 2)
	keep()
	deregister(9) // not there
	keep()
	// Out and back in within one transaction: it stays, once.
	if err := e.write(func(t *txn) error {
		t.deregisterTarget(tg.ARN, ip(3), 80)
		t.registerTarget(tg.ARN, model.Target{ID: ip(3)})
		t.deregisterTarget(tg.ARN, ip(1), 80)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	keep()
	_, got := version()
	if want := []string{ip(3), ip(2)}; !slices.Equal(got, want) {
		t.Errorf("targets: %v, want %v", got, want)
	}
	for i, h := range seen {
		if got := ids(h.v); !slices.Equal(got, h.want) {
			t.Errorf("version %d changed after it was read: %v, was %v", i, got, h.want)
		}
	}
	if got := ids(seen[3].v); !slices.Equal(got, []string{ip(1), ip(2), ip(3), ip(6)}) {
		t.Errorf("after the undone registration: %v", got)
	}
}
