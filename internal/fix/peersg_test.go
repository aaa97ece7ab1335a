package fix_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// A client in a peered VPC dropped by an internal NLB's security group
// (Convox's NLBInternalAllowCIDR): the fixes name the peer's own group
// (across a peering connection of one Region), its address and its VPC's
// block, each verified, before anywhere; anywhere used to be the only one.
func TestSecurityGroupFixPeeredClient(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/internal-nlb-peered-vpc-sg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := fix.Find(b.Engine, "report", "rack-internal:443", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Reachable || !res.HasCode(reach.CodeSGRulesMismatch) {
		t.Fatalf("want the NLB's group to drop the SYN: %s", res.Summary)
	}
	want := []string{
		"Allow tcp/443 from security group report-sg of the peered VPC data on security group nlb-sg (ingress of load balancer rack-internal)",
		"Allow tcp/443 from 10.1.1.4/32 on security group nlb-sg (ingress of load balancer rack-internal)",
		"Allow tcp/443 from the VPC data 10.1.0.0/16 on security group nlb-sg (ingress of load balancer rack-internal)",
		"Allow tcp/443 from anywhere (0.0.0.0/0) on security group nlb-sg (ingress of load balancer rack-internal)",
	}
	var got []string
	for _, f := range fixes {
		got = append(got, f.Title)
	}
	if len(got) != len(want) {
		t.Fatalf("fixes = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("fix %d = %q, want %q", i+1, got[i], want[i])
		}
	}
}
